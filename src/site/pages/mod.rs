//! The pages of the site: what each shows, built from the snapshot. Templates only lay it out.

mod bank;
mod identification;
mod lists;
mod municipality;
mod plans;
mod protocols;
mod results;
mod risk;
mod school;
mod surveys;

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::dataset::{self, Cell, Dataset};
use super::snapshot::Snapshot;
use crate::entities::{
    municipality as municipality_row, partnership_group, region, school as school_row,
};

/// One page to render.
pub struct Page {
    /// Where it goes, relative to the site root: `irbitskoye/school-12.html`.
    pub path: String,
    /// The template that lays it out.
    pub template: &'static str,
    /// The `<title>` and heading.
    pub title: String,
    /// What the template shows.
    pub context: Map<String, Value>,
    /// The tables of the page, published as open data too.
    pub datasets: Vec<Dataset>,
    /// Files the page links to, published beside it (a material's attachment), by path.
    pub files: Vec<(String, Vec<u8>)>,
}

/// Builds a page's context; its tables may be [parts](PartsOf) of wholes published elsewhere.
struct PageBuilder(Page, Option<PartsOf>);

/// The tables of a page whose ids start with `own` are published in the wholes whose ids start
/// with `whole` instead: `labinsky-school-8-curators` in `labinsky-schools-curators`.
struct PartsOf {
    own: String,
    whole: String,
}

impl PageBuilder {
    fn new(path: impl Into<String>, template: &'static str, title: impl Into<String>) -> Self {
        PageBuilder(
            Page {
                path: path.into(),
                template,
                title: title.into(),
                context: Map::new(),
                datasets: Vec::new(),
                files: Vec::new(),
            },
            None,
        )
    }

    /// Publishes the page's tables as parts of wholes (see [`PartsOf`]).
    fn parts_of(mut self, own: String, whole: String) -> Self {
        self.1 = Some(PartsOf { own, whole });
        self
    }

    /// `dataset` as this page publishes it: on its own, or as a part.
    fn adopt(&self, mut dataset: Dataset) -> Dataset {
        if let Some(parts) = &self.1
            && let Some(rest) = dataset.id.strip_prefix(&parts.own)
        {
            dataset.part_of = Some(format!("{}{rest}", parts.whole));
        }
        dataset
    }

    fn set(mut self, key: &str, value: impl Serialize) -> Self {
        let value = serde_json::to_value(value).expect("page data serialises");
        self.0.context.insert(key.to_owned(), value);
        self
    }

    /// Puts a table on the page under `key` and publishes it.
    fn table(mut self, key: &str, dataset: Dataset) -> Self {
        let dataset = self.adopt(dataset);
        self.0.context.insert(key.to_owned(), dataset.view());
        self.0.datasets.push(dataset);
        self
    }

    /// Puts a table per municipality on the page under `key`, each under its municipality's
    /// heading, leaving out those without rows. They are not published again: each is the
    /// table its municipality's page publishes.
    fn by_municipality<'m>(
        mut self,
        key: &str,
        tables: impl IntoIterator<Item = (&'m municipality_row::Model, Dataset)>,
    ) -> Self {
        let sections: Vec<Value> = tables
            .into_iter()
            .filter(|(_, dataset)| dataset.is_published())
            .map(|(m, dataset)| {
                json!({ "slug": m.slug, "name": m.name, "url": municipality_url(m), "table": dataset.view() })
            })
            .collect();
        self.0
            .context
            .insert(key.to_owned(), Value::Array(sections));
        self
    }

    /// Publishes `dataset` without a table of its own: the page links its files under `key`.
    fn dataset_only(mut self, key: &str, dataset: Dataset) -> Self {
        self.0
            .context
            .insert(key.to_owned(), dataset_links(&dataset));
        self.0.datasets.push(dataset);
        self
    }

    fn build(self) -> Page {
        self.0
    }
}

/// The links to a dataset's files, as templates take them.
fn dataset_links(dataset: &Dataset) -> Value {
    let [csv, json, passport] = dataset.files();
    json!({ "csv": csv, "json": json, "passport": passport, "published": dataset.is_published() })
}

/// The site-relative address of a municipality's page.
fn municipality_url(m: &municipality_row::Model) -> String {
    format!("{}/index.html", m.slug)
}

/// The site-relative address of a school's page.
fn school_url(snapshot: &Snapshot, s: &school_row::Model) -> String {
    format!(
        "{}/school-{}.html",
        snapshot.municipality(s.municipality_id).slug,
        s.id
    )
}

/// The site-relative address of a group's page.
fn group_url(snapshot: &Snapshot, g: &partnership_group::Model) -> String {
    format!(
        "{}/group-{}.html",
        snapshot.municipality(g.municipality_id).slug,
        g.number
    )
}

/// A link to a page of the site, as templates take it.
fn link(text: impl Into<String>, url: impl Into<String>) -> Value {
    json!({ "text": text.into(), "url": url.into() })
}

/// The pages of one region's chosen municipalities (the scope `snapshot` holds), with the
/// region's part of the site-wide lists and of the open-data catalogue, and what the site-wide
/// pages need of them.
pub fn region(
    snapshot: &Snapshot,
    region: &region::Model,
    municipalities: &[&municipality_row::Model],
) -> (Vec<Page>, RegionDigest) {
    use rayon::prelude::*;
    // Each municipality's pages are laid out on their own core (a region has dozens).
    let laid_out: Vec<_> = municipalities
        .par_iter()
        .map(|m| {
            (
                m.id,
                municipality::headline(snapshot, m),
                municipality_pages(snapshot, m),
            )
        })
        .collect();
    let mut pages = Vec::new();
    let mut headlines = std::collections::BTreeMap::new();
    for (id, headline, of_municipality) in laid_out {
        headlines.insert(id, headline);
        pages.extend(of_municipality);
    }
    let (agreements, agreement_count) = lists::agreements(snapshot, region, municipalities);
    let (programmes, programme_count) = lists::programmes(snapshot, region, municipalities);
    pages.extend(agreements);
    pages.extend(programmes);
    let (catalogue, datasets) = lists::region_open_data(region, municipalities, &pages);
    pages.push(catalogue);
    let digest = RegionDigest {
        region: region.clone(),
        headlines,
        agreements: agreement_count,
        programmes: programme_count,
        datasets,
    };
    (pages, digest)
}

/// A municipality's pages: its own, its identification, protocols, plans, groups and schools.
fn municipality_pages(snapshot: &Snapshot, m: &municipality_row::Model) -> Vec<Page> {
    let mut pages = Vec::new();
    let schools: Vec<Page> = snapshot
        .schools_of(m.id)
        .map(|s| school::page(snapshot, s))
        .collect();
    // The municipality publishes its schools' tables, a dataset per table with a row per
    // school's row (a file per school and table would be hundreds of thousands for a country).
    let parts = snapshot
        .schools_of(m.id)
        .zip(&schools)
        .flat_map(|(s, page)| {
            page.datasets
                .iter()
                .map(move |d| (Cell::link(&s.name, school_url(snapshot, s)), d))
        });
    let mut page = municipality::page(snapshot, m);
    page.datasets.extend(dataset::wholes(
        parts,
        ("school", "Школа"),
        &format!("все школы — {}", m.name),
    ));
    // And its groups' members, a dataset with a row per member of each group.
    let groups: Vec<Page> = municipality::group_pages(snapshot, m).collect();
    let members = snapshot.groups_of(m.id).zip(&groups).flat_map(|(g, page)| {
        page.datasets
            .iter()
            .map(move |d| (Cell::Int(g.number.into()), d))
    });
    page.datasets.extend(dataset::wholes(
        members,
        ("group", "Группа"),
        &format!("все группы — {}", m.name),
    ));
    pages.push(page);
    pages.push(identification::page(snapshot, m));
    pages.extend(protocols::pages(snapshot, m));
    pages.extend(plans::pages(snapshot, m));
    pages.extend(groups);
    pages.extend(schools);
    pages
}

/// The pages over the whole site: home, the lists' indexes by region, the bank, the open-data
/// catalogue's front page, search, contacts, 404.
pub fn site_wide(
    snapshot: &Snapshot,
    municipalities: &[&municipality_row::Model],
    digest: &Digest,
) -> Vec<Page> {
    let headlines = digest
        .regions
        .iter()
        .flat_map(|r| r.headlines.iter().map(|(&id, h)| (id, h)))
        .collect();
    let mut pages = vec![lists::home(snapshot, municipalities, &headlines)];
    pages.push(lists::agreement_index(&digest.regions));
    pages.push(lists::programme_index(&digest.regions));
    pages.extend(bank::pages(snapshot));
    let datasets: Vec<&Dataset> = pages
        .iter()
        .flat_map(|p| p.datasets.iter().filter(|d| d.is_published()))
        .collect();
    pages.push(lists::open_data(&datasets, &digest.regions));
    pages.push(lists::search(&digest.regions));
    pages.push(lists::contacts());
    pages.push(lists::not_found());
    pages
}

/// What the site-wide pages need of the regions' pages, kept while the export moves on.
#[derive(Default)]
pub struct Digest {
    /// Each region's, in order.
    pub regions: Vec<RegionDigest>,
}

/// What the site-wide pages need of one region's pages: the home page's figures and the
/// region's line in the indexes of the site-wide lists. Kept beside the site, so that a
/// re-export that reuses the region's pages need not read its detail again.
#[derive(Clone, serde::Deserialize, Serialize)]
pub struct RegionDigest {
    /// The region.
    pub region: region::Model,
    /// The headline figures of each of its municipalities, for the home page.
    pub headlines: std::collections::BTreeMap<i32, municipality::Headline>,
    /// Rows of its agreements list.
    pub agreements: usize,
    /// Rows of its programmes list.
    pub programmes: usize,
    /// Datasets of its catalogue page.
    pub datasets: usize,
}
