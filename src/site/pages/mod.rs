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

use super::dataset::Dataset;
use super::snapshot::Snapshot;
use crate::entities::{municipality as municipality_row, partnership_group, school as school_row};

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

/// Builds a page's context.
struct PageBuilder(Page);

impl PageBuilder {
    fn new(path: impl Into<String>, template: &'static str, title: impl Into<String>) -> Self {
        PageBuilder(Page {
            path: path.into(),
            template,
            title: title.into(),
            context: Map::new(),
            datasets: Vec::new(),
            files: Vec::new(),
        })
    }

    fn set(mut self, key: &str, value: impl Serialize) -> Self {
        let value = serde_json::to_value(value).expect("page data serialises");
        self.0.context.insert(key.to_owned(), value);
        self
    }

    /// Puts a table on the page under `key` and publishes it.
    fn table(mut self, key: &str, dataset: Dataset) -> Self {
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
        let [csv, json, passport] = dataset.files();
        self.0.context.insert(
            key.to_owned(),
            json!({ "csv": csv, "json": json, "passport": passport, "published": dataset.is_published() }),
        );
        self.0.datasets.push(dataset);
        self
    }

    fn build(self) -> Page {
        self.0
    }
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

/// Every page of the site for the chosen municipalities (all when none are chosen).
pub fn build(snapshot: &Snapshot, chosen: &[String]) -> Vec<Page> {
    let municipalities: Vec<&municipality_row::Model> = snapshot
        .municipalities
        .iter()
        .filter(|m| chosen.is_empty() || chosen.contains(&m.slug))
        .collect();
    let mut pages = vec![lists::home(snapshot, &municipalities)];
    for m in &municipalities {
        pages.push(municipality::page(snapshot, m));
        pages.push(identification::page(snapshot, m));
        pages.extend(protocols::pages(snapshot, m));
        pages.extend(plans::pages(snapshot, m));
        pages.extend(municipality::group_pages(snapshot, m));
        pages.extend(snapshot.schools_of(m.id).map(|s| school::page(snapshot, s)));
    }
    pages.push(lists::agreements(snapshot, &municipalities));
    pages.extend(bank::pages(snapshot));
    pages.push(lists::programmes(snapshot, &municipalities));
    // The catalogue groups each dataset under the municipality whose pages publish it.
    let catalogue: Vec<(Option<&municipality_row::Model>, &Dataset)> = pages
        .iter()
        .flat_map(|p| {
            let slug = p.path.split_once('/').map(|(first, _)| first);
            let owner = municipalities
                .iter()
                .copied()
                .find(|m| Some(m.slug.as_str()) == slug);
            p.datasets
                .iter()
                .filter(|d| d.is_published())
                .map(move |d| (owner, d))
        })
        .collect();
    let open_data = lists::open_data(&municipalities, &catalogue);
    pages.push(open_data);
    pages.push(lists::search());
    pages.push(lists::contacts());
    pages.push(lists::not_found());
    pages
}
