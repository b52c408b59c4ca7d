//! The district education website, exported from the database as static files.
//!
//! The pipeline, a region at a time so that memory follows the largest region, not the country:
//! read the reference tables of the database once and the detail of one region's municipalities (a
//! [`Snapshot`]'s `Detail`, the next region's read while this one renders), build the region's
//! `pages` (what each shows, its tables as open `dataset`s), lay each out with a minijinja template
//! (twice: the ordinary page and the version for the visually impaired under `vi/`) on every core,
//! and write the files at once through a `SiteWriter`, keeping only what the site-wide pages need
//! (a `Digest` of counts, the sitemap's addresses, the search index of headings and names, which
//! pagefind reads on a task of its own as batches of pages render). Then the site-wide pages, the
//! search index and the sitemap. The writer swaps the finished site in atomically and leaves
//! unchanged files untouched; the same database gives byte-identical files.

mod chart;
mod dataset;
mod freshness;
mod jobs;
mod manifest;
mod pages;
mod prose;
pub mod russian;
mod search;
mod settings;
mod snapshot;
mod templates;
mod writer;

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use sea_orm::{DatabaseConnection, DbErr};
use serde_json::{Value, json};

use crate::entities::municipality;
use freshness::DataOf;
pub use jobs::{JobError, SiteConfig, SiteJobs, job, job_counts};
pub use settings::{SettingsError, SiteSettings};
pub use templates::Templates;
pub use writer::{PAUSE_VARIABLE, WriteError, Written};

use manifest::{AuditMark, Manifest, RegionRecord};
use pages::{Digest, Page};
use search::SearchIndex;
use snapshot::{Detail, Snapshot};
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
    /// Render every region, even those whose data did not change since the last export (see
    /// the manifest): after changing the database around the API.
    pub full: bool,
}

/// What an export did.
#[derive(Clone, Debug)]
pub struct ExportReport {
    /// HTML pages rendered (both versions).
    pub pages: usize,
    /// Files in the site.
    pub files: Written,
    /// Regions whose files were kept from the last export without rendering them.
    pub reused_regions: usize,
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

/// What an export does with a region, decided before it renders any.
struct RegionPlan<'a> {
    region: i32,
    municipalities: &'a [i32],
    /// Each municipality's fingerprint, as the manifest records it.
    prints: BTreeMap<i32, String>,
    /// The last export's record of the region, when its files can be kept as they are.
    reusable: Option<RegionRecord>,
}

/// Exports the site.
pub async fn export(
    db: &DatabaseConnection,
    options: &ExportOptions,
    progress: Progress<'_>,
) -> Result<ExportReport, ExportError> {
    let started = Instant::now();
    let audit = AuditMark::read(db).await?;
    let mut snapshot = Snapshot::load(db).await?;
    if let Some(unknown) = options
        .municipalities
        .iter()
        .find(|slug| snapshot.municipality_by_slug(slug).is_none())
    {
        return Err(ExportError::UnknownMunicipality(unknown.clone()));
    }
    let missing = options.settings.missing();
    if options.strict && !missing.is_empty() {
        return Err(ExportError::MissingSettings(missing));
    }
    let templates = Templates::load(options.templates.as_deref())?;
    let chosen: Vec<i32> = snapshot
        .municipalities
        .iter()
        .filter(|m| options.municipalities.is_empty() || options.municipalities.contains(&m.slug))
        .map(|m| m.id)
        .collect();
    let mut regions: BTreeMap<i32, Vec<i32>> = BTreeMap::new();
    for &id in &chosen {
        regions
            .entry(snapshot.municipality(id).region_id)
            .or_default()
            .push(id);
    }
    let mut site = Site {
        output: Output {
            writer: SiteWriter::begin(&options.out)?,
            publisher: publisher_view(&snapshot, options),
            site_publisher: options.settings.publisher.name.clone(),
        },
        search: SearchIndex::new()?,
        urls: Vec::new(),
        pages: 0,
    };
    let inputs = manifest::inputs(&templates, options, &snapshot);
    let fingerprints = manifest::municipalities(&snapshot);
    let mut previous = Manifest::read(&options.out);
    let changed = match &previous {
        Some(previous) if !options.full && previous.made_of(&inputs) => {
            previous
                .changed(db, audit, &fingerprints, snapshot.as_of)
                .await?
        }
        _ => None,
    };
    if let Some(previous) = &previous
        && let Some(changes) = previous.changes()
    {
        let adopted = site
            .output
            .writer
            .adopt_spare(changes, &previous.folders())?;
        tracing::debug!(adopted, "the spare site");
    }
    tracing::debug!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        changed = ?changed.as_ref().map(|c| c.len()),
        "read the reference tables; municipalities changed since the last export"
    );
    let mut next = Manifest::new(inputs, audit, snapshot.as_of);
    let mut digest = Digest::default();
    let mut reused_regions = 0;
    // Which regions are rendered and which kept as the last export wrote them, decided first,
    // so that the detail of the next region to render is read while this one renders.
    let plans: Vec<RegionPlan> = regions
        .iter()
        .map(|(&region, municipalities)| {
            let prints: BTreeMap<i32, String> = municipalities
                .iter()
                .map(|id| (*id, fingerprints[id].clone()))
                .collect();
            let reusable = match (&mut previous, &changed) {
                (Some(previous), Some(changed)) => previous.reusable(region, &prints, changed),
                _ => None,
            };
            RegionPlan {
                region,
                municipalities,
                prints,
                reusable,
            }
        })
        .collect();
    let mut to_render = plans
        .iter()
        .filter(|plan| plan.reusable.is_none())
        .map(|plan| plan.municipalities.to_vec())
        .collect::<Vec<_>>()
        .into_iter();
    let mut next_detail = to_render.next().map(|ids| read_detail(db, ids));
    for (done, plan) in plans.into_iter().enumerate() {
        let record = match plan.reusable {
            Some(record) => {
                site.keep(&record)?;
                reused_regions += 1;
                record
            }
            None => {
                let reading = next_detail.take().expect("a read for each region rendered");
                snapshot.detail = match reading.await {
                    Ok(detail) => detail?,
                    Err(failed) => std::panic::resume_unwind(failed.into_panic()),
                };
                next_detail = to_render.next().map(|ids| read_detail(db, ids));
                let chosen_here: Vec<&municipality::Model> = plan
                    .municipalities
                    .iter()
                    .map(|&id| snapshot.municipality(id))
                    .collect();
                let (pages, region_digest) =
                    pages::region(&snapshot, &snapshot.regions[&plan.region], &chosen_here);
                let (urls, pages) = site
                    .add(&snapshot, &templates, &pages, plan.municipalities)
                    .await?;
                site.write_search(&search::region_bundle(&snapshot.regions[&plan.region].slug))
                    .await?;
                RegionRecord {
                    municipalities: plan.prints,
                    digest: region_digest,
                    urls,
                    files: site.output.writer.take_added(),
                    pages,
                }
            }
        };
        digest.regions.push(record.digest.clone());
        next.insert(plan.region, record);
        let written = site.output.writer.files();
        progress(written, written * regions.len() / (done + 1));
    }
    tracing::debug!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        reused_regions,
        "wrote the regions"
    );
    let everywhere: Vec<&municipality::Model> =
        chosen.iter().map(|&id| snapshot.municipality(id)).collect();
    let pages = pages::site_wide(&snapshot, &everywhere, &digest);
    site.add(&snapshot, &templates, &pages, &chosen).await?;
    let (pages, written) = site
        .finish(&templates, options.base_url.as_deref(), next, previous)
        .await?;
    progress(written.files(), written.files());
    Ok(ExportReport {
        pages,
        files: written,
        reused_regions,
        elapsed: started.elapsed(),
    })
}

/// Starts reading the detail of `municipalities` beside whatever this task does next.
fn read_detail(
    db: &DatabaseConnection,
    municipalities: Vec<i32>,
) -> tokio::task::JoinHandle<Result<Detail, DbErr>> {
    let db = db.clone();
    tokio::spawn(async move { Detail::load(&db, &municipalities).await })
}

/// The site being written.
struct Site {
    output: Output,
    search: SearchIndex,
    /// The addresses for the sitemap, in the order pages were written.
    urls: Vec<String>,
    /// HTML pages written (both versions).
    pages: usize,
}

/// What lays pages out and writes them, shared by the threads that do.
struct Output {
    writer: SiteWriter,
    /// The publisher as pages show it.
    publisher: Value,
    /// The publisher of site-wide datasets, if the settings name one.
    site_publisher: Option<String>,
}

/// Pages rendered on every core at a time, between handing their text to the search index.
const PAGES_PER_BATCH: usize = 128;

/// At most this many addresses in one sitemap file (the protocol's limit).
const SITEMAP_LIMIT: usize = 50_000;

impl Site {
    /// Renders and writes `pages` on every core, and indexes them for search; `included` are
    /// the municipalities whose data the pages outside a municipality's folder show. Returns
    /// their addresses and the HTML pages written.
    async fn add(
        &mut self,
        snapshot: &Snapshot,
        templates: &Templates,
        pages: &[Page],
        included: &[i32],
    ) -> Result<(Vec<String>, usize), ExportError> {
        let (first_url, first_page) = (self.urls.len(), self.pages);
        let output = &self.output;
        // In batches, so that the search index reads one while the next renders.
        for batch in pages.chunks(PAGES_PER_BATCH) {
            let findable: Vec<Option<String>> = batch
                .par_iter()
                .map(|page| output.write(snapshot, templates, page, included))
                .collect::<Result<_, _>>()?;
            for (page, findable) in batch.iter().zip(findable) {
                if let Some(document) = findable {
                    self.search.add(&page.path, document);
                }
                if page.path != "404.html" {
                    self.urls.push(page.path.clone());
                }
                self.pages += 2;
            }
        }
        Ok((self.urls[first_url..].to_vec(), self.pages - first_page))
    }

    /// Keeps a region's files as the last export wrote them.
    fn keep(&mut self, record: &RegionRecord) -> Result<(), ExportError> {
        self.output.writer.keep_all(&record.files)?;
        self.urls.extend(record.urls.iter().cloned());
        self.pages += record.pages;
        Ok(())
    }

    /// Writes the search index of the pages added since the last one into `folder`.
    async fn write_search(&mut self, folder: &str) -> Result<(), ExportError> {
        let index = std::mem::replace(&mut self.search, SearchIndex::new()?);
        for (path, content) in index.files(folder).await? {
            self.output.writer.write(&path, &content)?;
        }
        Ok(())
    }

    /// Writes the search index, the sitemap and the assets, and swaps the site in, leaving
    /// `manifest` completed beside it; `previous` is the manifest of the current site, less
    /// the regions reused. Returns the HTML pages and the files written.
    async fn finish(
        mut self,
        templates: &Templates,
        base_url: Option<&str>,
        mut manifest: Manifest,
        previous: Option<Manifest>,
    ) -> Result<(usize, Written), ExportError> {
        self.write_search(search::SITE_BUNDLE).await?;
        let base_url = base_url.map_or(String::new(), |url| {
            if url.ends_with('/') {
                url.to_owned()
            } else {
                format!("{url}/")
            }
        });
        let mut parts = Vec::new();
        for (n, urls) in self.urls.chunks(SITEMAP_LIMIT).enumerate() {
            let part = format!("sitemap-{}.xml", n + 1);
            let xml = templates.render(
                "sitemap.xml",
                &json!({ "base_url": base_url, "urls": urls }),
            )?;
            self.output.writer.write(&part, xml.as_bytes())?;
            parts.push(part);
        }
        let index = templates.render(
            "sitemap-index.xml",
            &json!({ "base_url": base_url, "parts": parts }),
        )?;
        self.output.writer.write("sitemap.xml", index.as_bytes())?;
        for (path, content) in templates.assets() {
            self.output.writer.write(path, content)?;
        }
        manifest.set_site_files(self.output.writer.take_added());
        let removed = previous.map(|previous| {
            let now: HashSet<&str> = manifest.files().collect();
            previous
                .files()
                .filter(|file| !now.contains(file))
                .map(str::to_owned)
                .collect()
        });
        let folders = manifest.folders();
        let written = self.output.writer.commit(removed, &folders, |changes| {
            manifest.set_changes(changes);
            manifest.to_json()
        })?;
        Ok((self.pages, written))
    }
}

impl Output {
    /// Lays a page out and writes its files: both versions, the files it links to, its
    /// datasets. Returns what the search index reads of it.
    fn write(
        &self,
        snapshot: &Snapshot,
        templates: &Templates,
        page: &Page,
        included: &[i32],
    ) -> Result<Option<String>, ExportError> {
        let data = data_of(snapshot, page, included);
        let modified = snapshot.last_changes.of(data);
        // The way to the root of the page's version, the same in both.
        let base = "../".repeat(page.path.matches('/').count());
        let common = json!({
            "title": page.title,
            "site_title": SITE_TITLE,
            "path": page.path,
            "base": base,
            "publisher": self.publisher,
            "last_change": modified.map(|day| russian::date(crate::domain::PartialDate::Day(day))),
        });
        // The last source that has a key wins: what every page has, over the page's own data.
        let context = minijinja::value::merge_maps([
            minijinja::Value::from(minijinja::value::Serde(&page.context)),
            minijinja::Value::from(minijinja::value::Serde(&common)),
        ]);
        let [ordinary, vi] = templates.render_versions(
            page.template,
            context,
            [version(page, &base, false), version(page, &base, true)],
        )?;
        self.writer.write(&page.path, ordinary.as_bytes())?;
        self.writer
            .write(&format!("vi/{}", page.path), vi.as_bytes())?;
        for (path, content) in &page.files {
            self.writer.write(path, content)?;
        }
        let publisher = self.publisher_of(snapshot, data, included);
        for dataset in page.datasets.iter().filter(|d| d.is_published()) {
            let [csv, json, passport] = dataset.files();
            self.writer.write(&csv, &dataset.csv())?;
            self.writer.write(&json, &dataset.json())?;
            self.writer.write(
                &passport,
                &dataset.passport(&publisher, modified.map(|day| day.to_string()).as_deref()),
            )?;
        }
        Ok(search::findable(page, &ordinary))
    }

    /// Who publishes a page's data: its municipality's education authority; for pages over
    /// several, the site's publisher, or else the authorities of all of them.
    fn publisher_of(&self, snapshot: &Snapshot, data: DataOf<'_>, included: &[i32]) -> String {
        match data {
            DataOf::Municipality(id) => snapshot
                .authority(id)
                .map(|a| a.name.clone())
                .unwrap_or_default(),
            _ => self.site_publisher.clone().unwrap_or_else(|| {
                let authorities: Vec<&str> = included
                    .iter()
                    .filter_map(|&id| snapshot.authority(id).map(|a| a.name.as_str()))
                    .collect();
                authorities.join("; ")
            }),
        }
    }
}

/// The publisher as the footer and the «Контакты» page show it: the settings, with the
/// education authority's name when the site is one municipality's and the settings name
/// none; a missing field is null and shows as a placeholder.
fn publisher_view(snapshot: &Snapshot, options: &ExportOptions) -> Value {
    let p = &options.settings.publisher;
    let only_authority = match options.municipalities.as_slice() {
        [slug] => snapshot
            .municipality_by_slug(slug)
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
    match page
        .path
        .split_once('/')
        .and_then(|(slug, _)| snapshot.municipality_by_slug(slug))
    {
        Some(m) => DataOf::Municipality(m.id),
        None => DataOf::All(included),
    }
}

/// Pages that show nothing from the database.
const NO_DATA: [&str; 3] = ["search.html", "contacts.html", "404.html"];

/// What a version of a page has of its own. Links between pages are relative, so the site works
/// under any path prefix and from `file://`: `base` leads to the root of the current version
/// (ordinary or `vi/`), the same in both, `asset_root` to the root of the whole site.
fn version(page: &Page, base: &str, vi: bool) -> templates::Version {
    let asset_root = if vi {
        format!("../{base}")
    } else {
        base.to_owned()
    };
    let alt_url = if vi {
        format!("{asset_root}{}", page.path)
    } else {
        format!("{base}vi/{}", page.path)
    };
    templates::Version {
        vi,
        asset_root,
        alt_url,
    }
}
