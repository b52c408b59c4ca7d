//! The district education website, exported from the database as static files.
//!
//! The pipeline: read a `Snapshot` of the database, build the `pages` (what each shows, its
//! tables as open `dataset`s), lay each out with a minijinja template (twice: the ordinary page
//! and the version for the visually impaired under `vi/`), index the text for offline search,
//! and write everything through a `SiteWriter`, which swaps the finished site in atomically and
//! leaves unchanged files untouched. The same database gives byte-identical files.

mod chart;
mod dataset;
mod freshness;
mod jobs;
mod pages;
mod prose;
pub mod russian;
mod search;
mod settings;
mod snapshot;
mod templates;
mod writer;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use sea_orm::{DatabaseConnection, DbErr};
use serde_json::{Value, json};

use freshness::DataOf;
pub use jobs::{JobError, SiteConfig, SiteJobs, job, job_counts};
pub use settings::{SettingsError, SiteSettings};
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
    /// Who publishes the site.
    pub settings: SiteSettings,
    /// Refuse to export while a required setting is missing, instead of showing a placeholder.
    pub strict: bool,
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
    /// `--strict`, and required settings are missing.
    #[error("--strict: the site settings lack {}; give them in site.toml (or --settings)", .0.join(", "))]
    MissingSettings(Vec<&'static str>),
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
    let missing = options.settings.missing();
    if options.strict && !missing.is_empty() {
        return Err(ExportError::MissingSettings(missing));
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
    let publisher = publisher_view(snapshot, options);
    let included: Vec<i32> = snapshot
        .municipalities
        .iter()
        .filter(|m| options.municipalities.is_empty() || options.municipalities.contains(&m.slug))
        .map(|m| m.id)
        .collect();
    for page in pages {
        let modified = snapshot.last_changes.of(data_of(snapshot, page, &included));
        for vi in [false, true] {
            let mut context = page_context(page, vi);
            context["publisher"] = publisher.clone();
            context["last_change"] =
                json!(modified.map(|day| russian::date(crate::domain::PartialDate::Day(day))));
            let html = templates.render(page.template, &context)?;
            let path = if vi {
                format!("vi/{}", page.path)
            } else {
                page.path.clone()
            };
            files.insert(path, html.into_bytes());
        }
        files.extend(page.files.iter().cloned());
        let publisher = page_publisher(snapshot, page);
        for dataset in page.datasets.iter().filter(|d| d.is_published()) {
            let [csv, json, passport] = dataset.files();
            files.insert(csv, dataset.csv());
            files.insert(json, dataset.json());
            files.insert(
                passport,
                dataset.passport(&publisher, modified.map(|day| day.to_string()).as_deref()),
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

/// The publisher as the footer and the «Контакты» page show it: the settings, with the
/// education authority's name when the site is one municipality's and the settings name
/// none; a missing field is null and shows as a placeholder.
fn publisher_view(snapshot: &Snapshot, options: &ExportOptions) -> Value {
    let p = &options.settings.publisher;
    let only_authority = match options.municipalities.as_slice() {
        [slug] => snapshot
            .municipalities
            .iter()
            .find(|m| &m.slug == slug)
            .and_then(|m| snapshot.authority(m.id))
            .map(|a| a.name.clone()),
        _ => None,
    };
    let phone_href = p.phone.as_ref().map(|phone| {
        let digits: String = phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        format!("tel:{digits}")
    });
    json!({
        "name": p.name.clone().or(only_authority),
        "department": p.department,
        "address": p.address,
        "phone": p.phone,
        "phone_href": phone_href,
        "email": p.email,
    })
}

/// What a page's data is about: its municipality's, nothing (search, contacts, 404), or the
/// whole site's.
fn data_of<'a>(snapshot: &Snapshot, page: &Page, included: &'a [i32]) -> DataOf<'a> {
    if NO_DATA.contains(&page.path.as_str()) {
        return DataOf::Nothing;
    }
    let slug = page.path.split_once('/').map(|(first, _)| first);
    match snapshot
        .municipalities
        .iter()
        .find(|m| Some(m.slug.as_str()) == slug)
    {
        Some(m) => DataOf::Municipality(m.id),
        None => DataOf::All(included),
    }
}

/// Pages that show nothing from the database.
const NO_DATA: [&str; 3] = ["search.html", "contacts.html", "404.html"];

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
fn page_context(page: &Page, vi: bool) -> Value {
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
    ] {
        context.insert(key.to_owned(), value);
    }
    Value::Object(context)
}
