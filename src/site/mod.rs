//! The district education website, exported from the database as static files.
//!
//! The pipeline: read a `Snapshot` of the database, build the `pages` (what each shows, its
//! tables as open `dataset`s), lay each out with a minijinja template (twice: the ordinary page
//! and the version for the visually impaired under `vi/`), index the text for offline search,
//! and write everything through a `SiteWriter`, which swaps the finished site in atomically and
//! leaves unchanged files untouched. The same database gives byte-identical files.

mod chart;
mod dataset;
mod jobs;
mod pages;
pub mod russian;
mod search;
mod snapshot;
mod templates;
mod writer;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use sea_orm::{DatabaseConnection, DbErr};
use serde_json::{Value, json};

pub use jobs::{AlreadyRunning, JobState, JobStatus, SiteConfig, SiteJobs};
pub use templates::Templates;
pub use writer::{PAUSE_VARIABLE, WriteError, Written};

use pages::Page;
use snapshot::Snapshot;
use writer::SiteWriter;

/// The site's name, in the header of every page.
const SITE_TITLE: &str = "Мониторинг программ поддержки школ";

/// What to export.
#[derive(Clone, Debug, Default)]
pub struct ExportOptions {
    /// The folder that will hold the site.
    pub out: PathBuf,
    /// Municipalities to include, by slug; all when empty.
    pub municipalities: Vec<String>,
    /// The public address of the site, for `sitemap.xml`: `https://edu.example.ru/`.
    pub base_url: Option<String>,
    /// A folder of templates and assets that replace the built-in ones of the same name.
    pub templates: Option<PathBuf>,
}

/// What an export did.
#[derive(Clone, Debug)]
pub struct ExportReport {
    /// HTML pages rendered (both versions).
    pub pages: usize,
    /// Files in the site.
    pub files: Written,
    /// How long it took.
    pub elapsed: Duration,
}

/// Why an export failed; the previous site is untouched.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A municipality slug names nothing.
    #[error("--municipality: no municipality has the slug «{0}»")]
    UnknownMunicipality(String),
    /// The database could not be read.
    #[error("cannot read the database: {0}")]
    Database(#[from] DbErr),
    /// A template is missing or broken.
    #[error("template error: {0:#}")]
    Template(#[from] minijinja::Error),
    /// The templates folder could not be read.
    #[error("cannot read templates from {path}: {source}")]
    Templates {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The search index could not be built.
    #[error("search index: {0}")]
    Search(String),
    /// The site could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// Receives progress: files written so far, of the total.
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// Exports the site.
pub async fn export(
    db: &DatabaseConnection,
    options: &ExportOptions,
    progress: Progress<'_>,
) -> Result<ExportReport, ExportError> {
    let started = Instant::now();
    let snapshot = Snapshot::load(db).await?;
    if let Some(unknown) = options
        .municipalities
        .iter()
        .find(|slug| !snapshot.municipalities.iter().any(|m| &m.slug == *slug))
    {
        return Err(ExportError::UnknownMunicipality(unknown.clone()));
    }
    let templates = Templates::load(options.templates.as_deref())?;
    let pages = pages::build(&snapshot, &options.municipalities);
    let mut files = render(&snapshot, &templates, &pages, options)?;
    files.extend(search::index(&pages, &files).await?);

    let total = files.len();
    let mut writer = SiteWriter::begin(&options.out)?;
    for (done, (path, content)) in files.iter().enumerate() {
        writer.write(path, content)?;
        progress(done + 1, total);
    }
    let written = writer.commit()?;
    Ok(ExportReport {
        pages: pages.len() * 2,
        files: written,
        elapsed: started.elapsed(),
    })
}

/// Every file of the site except the search index, by path (sorted, so output is stable).
fn render(
    snapshot: &Snapshot,
    templates: &Templates,
    pages: &[Page],
    options: &ExportOptions,
) -> Result<BTreeMap<String, Vec<u8>>, ExportError> {
    let mut files = BTreeMap::new();
    for page in pages {
        for vi in [false, true] {
            let html = templates.render(page.template, &page_context(snapshot, page, vi))?;
            let path = if vi {
                format!("vi/{}", page.path)
            } else {
                page.path.clone()
            };
            files.insert(path, html.into_bytes());
        }
        let publisher = page_publisher(snapshot, page);
        for dataset in &page.datasets {
            let [csv, json, passport] = dataset.files();
            files.insert(csv, dataset.csv());
            files.insert(json, dataset.json());
            files.insert(
                passport,
                dataset.passport(&publisher, snapshot.last_change.as_deref()),
            );
        }
    }
    let base_url = options.base_url.as_deref().map_or(String::new(), |url| {
        if url.ends_with('/') {
            url.to_owned()
        } else {
            format!("{url}/")
        }
    });
    let urls: Vec<&str> = pages
        .iter()
        .map(|p| p.path.as_str())
        .filter(|p| *p != "404.html")
        .collect();
    let sitemap = templates.render(
        "sitemap.xml",
        &json!({ "base_url": base_url, "urls": urls }),
    )?;
    files.insert("sitemap.xml".into(), sitemap.into_bytes());
    files.extend(templates.assets().iter().cloned());
    Ok(files)
}

/// Who publishes a page's data: its municipality's education authority, or all of them.
fn page_publisher(snapshot: &Snapshot, page: &Page) -> String {
    let slug = page.path.split_once('/').map(|(slug, _)| slug);
    let authorities: Vec<String> = snapshot
        .municipalities
        .iter()
        .filter(|m| slug.is_none_or(|s| s == m.slug))
        .filter_map(|m| snapshot.authority(m.id).map(|a| a.name.clone()))
        .collect();
    authorities.join("; ")
}

/// What every template gets besides the page's own data. Links between pages are relative, so
/// the site works under any path prefix and from `file://`: `base` leads to the root of the
/// current version (ordinary or `vi/`), `asset_root` to the root of the whole site.
fn page_context(snapshot: &Snapshot, page: &Page, vi: bool) -> Value {
    let depth = page.path.matches('/').count();
    let base = "../".repeat(depth);
    let asset_root = if vi {
        format!("../{base}")
    } else {
        base.clone()
    };
    let alt_url = if vi {
        format!("{asset_root}{}", page.path)
    } else {
        format!("{base}vi/{}", page.path)
    };
    let mut context = page.context.clone();
    for (key, value) in [
        ("title", json!(page.title)),
        ("site_title", json!(SITE_TITLE)),
        ("path", json!(page.path)),
        ("base", json!(base)),
        ("asset_root", json!(asset_root)),
        ("alt_url", json!(alt_url)),
        ("vi", json!(vi)),
        (
            "last_change",
            json!(snapshot.last_change.as_deref().map(russian_date)),
        ),
    ] {
        context.insert(key.to_owned(), value);
    }
    Value::Object(context)
}

fn russian_date(iso: &str) -> String {
    iso.parse()
        .map(russian::date)
        .unwrap_or_else(|_| iso.to_owned())
}
