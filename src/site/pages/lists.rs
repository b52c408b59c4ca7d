//! The home page and the site-wide lists: agreements, programmes, open data, search, 404.
//! Lists that grow with the country (agreements, programmes, the open-data catalogue) have a
//! page per region and an index of the regions, so no page holds the whole country.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::municipality::{self as municipality_page, Headline, agreement_table, programme_table};
use super::{Page, PageBuilder, RegionDigest, dataset_links, link, municipality_url};
use crate::entities::{municipality, region};
use crate::site::dataset::{Cell, Dataset, LICENCE};
use crate::site::russian::plural;
use crate::site::snapshot::Snapshot;

/// The home page: the municipalities and their headline figures.
pub fn home(
    snapshot: &Snapshot,
    municipalities: &[&municipality::Model],
    headlines: &BTreeMap<i32, &Headline>,
) -> Page {
    let mut ds = Dataset::new(
        "municipalities",
        "Муниципалитеты: школы и доля ШНОР",
        "Число общеобразовательных организаций, школ с низкими образовательными результатами (ШНОР) и их доля в сравнении со средней по региону.",
        &[
            ("municipality", "Муниципалитет"),
            ("region", "Регион"),
            ("school_count", "Всего ОО"),
            ("held", "Школ в системе"),
            ("low_results", "ШНОР сейчас"),
            ("share", "Доля ШНОР, %"),
            ("regional_share", "Доля ШНОР в регионе, %"),
        ],
    );
    let mut schools_total = 0;
    for m in municipalities {
        let h = &headlines[&m.id];
        schools_total += h.held;
        ds.push(vec![
            Cell::link(&m.name, municipality_url(m)),
            Cell::text(&snapshot.regions[&m.region_id].name),
            h.published.map_or(Cell::Missing, |n| Cell::Int(n.into())),
            Cell::Int(h.held as i64),
            Cell::Int(h.low_results as i64),
            h.share
                .map_or(Cell::Missing, |p| Cell::Decimal(p.as_f64(), 1)),
            h.regional
                .map_or(Cell::Missing, |p| Cell::Decimal(p.as_f64(), 1)),
        ]);
    }
    let summary = format!(
        "{} {}, {} {} в системе мониторинга.",
        municipalities.len(),
        plural(
            municipalities.len() as i64,
            ["муниципалитет", "муниципалитета", "муниципалитетов"]
        ),
        schools_total,
        plural(schools_total as i64, ["школа", "школы", "школ"]),
    );
    // Each municipality's card carries its headline, so a phone shows the figures first.
    let links: Vec<_> = municipalities
        .iter()
        .map(|m| {
            let mut card = link(&m.name, municipality_url(m));
            card["figures"] = json!(card_figures(headlines[&m.id]));
            card
        })
        .collect();
    PageBuilder::new(
        "index.html",
        "index.html",
        "Поддержка школ с низкими образовательными результатами",
    )
    .set("summary", summary)
    .set("municipalities", links)
    .table("headline", ds)
    .build()
}

/// «20 школ в системе; в ШНОР 3 — 15,0 % (по региону 32,5 %)».
fn card_figures(h: &Headline) -> String {
    let mut figures = format!(
        "{} {} в системе; в ШНОР {}",
        h.held,
        plural(h.held as i64, ["школа", "школы", "школ"]),
        h.low_results
    );
    if let Some(share) = h.share {
        figures += &format!(" — {} %", crate::site::russian::decimal(share.as_f64(), 1));
        if let Some(regional) = h.regional {
            figures += &format!(
                " (по региону {} %)",
                crate::site::russian::decimal(regional.as_f64(), 1)
            );
        }
    }
    figures
}

fn chosen<'a>(
    municipalities: &'a [&municipality::Model],
) -> impl Fn(&crate::entities::school::Model) -> bool + 'a {
    move |s| municipalities.iter().any(|m| m.id == s.municipality_id)
}

/// Rows on one page of a region's list. A municipality's table is never split, so a page holds
/// more when one municipality alone has more.
const ROWS_PER_PAGE: usize = 200;

/// `tables` in pages of about [`ROWS_PER_PAGE`] rows, in order: a table joins the current
/// page unless that would take it past the limit.
fn paginate<T>(tables: Vec<T>, rows: impl Fn(&T) -> usize) -> Vec<Vec<T>> {
    let mut pages: Vec<Vec<T>> = vec![Vec::new()];
    let mut on_page = 0;
    for table in tables {
        let n = rows(&table);
        if on_page > 0 && on_page + n > ROWS_PER_PAGE {
            pages.push(Vec::new());
            on_page = 0;
        }
        on_page += n;
        pages.last_mut().expect("never empty").push(table);
    }
    pages
}

/// A region's pages of a site-wide list: a table per municipality, in pages of about
/// [`ROWS_PER_PAGE`] rows, each with the contents of all and links to the others; the first
/// publishes the region's whole list as one more dataset. With the number of rows, for the
/// list's index.
fn region_list<'m>(
    list: List,
    region: &region::Model,
    whole: Dataset,
    tables: impl Iterator<Item = (&'m municipality::Model, Dataset)>,
) -> (Vec<Page>, usize) {
    let rows = whole.rows.len();
    let tables: Vec<_> = tables.filter(|(_, t)| t.is_published()).collect();
    let chunks = paginate(tables, |(_, t)| t.rows.len());
    let count = chunks.len();
    let path = |n: usize| match n {
        0 => format!("{}/{}.html", list.folder, region.slug),
        n => format!("{}/{}-{}.html", list.folder, region.slug, n + 1),
    };
    // Every page lists every municipality; those on another page link to it.
    let contents_of = |current: usize| -> Vec<Value> {
        chunks
            .iter()
            .enumerate()
            .flat_map(|(n, chunk)| {
                let page = path(n);
                chunk.iter().map(move |(m, _)| {
                    json!({ "text": m.name, "url": format!("{page}#{}", m.slug), "slug": m.slug, "here": n == current })
                })
            })
            .collect()
    };
    let numbers = |current: usize| -> Vec<Value> {
        (0..count)
            .map(
                |n| json!({ "text": (n + 1).to_string(), "url": path(n), "current": n == current }),
            )
            .collect()
    };
    let downloads = dataset_links(&whole);
    let mut whole = Some(whole);
    let contents: Vec<Vec<Value>> = (0..count).map(contents_of).collect();
    let pages = chunks
        .into_iter()
        .zip(contents)
        .enumerate()
        .map(|(n, (chunk, contents))| {
            let title = match count {
                1 => format!("{}: {}", list.title, region.name),
                _ => format!(
                    "{}: {}, страница {} из {count}",
                    list.title,
                    region.name,
                    n + 1
                ),
            };
            let page = PageBuilder::new(path(n), "list.html", title)
                .set("when_empty", list.when_empty)
                .set("parent", link(list.title, format!("{}.html", list.folder)))
                .set("contents", contents)
                .set("pages", if count > 1 { numbers(n) } else { Vec::new() })
                .by_municipality("sections", chunk);
            match whole.take() {
                Some(whole) => page.dataset_only("whole", whole),
                None => page.set("whole", &downloads),
            }
            .build()
        })
        .collect();
    (pages, rows)
}

/// A site-wide list, split by region.
struct List {
    /// The folder of the region pages and the name of the index page.
    folder: &'static str,
    title: &'static str,
    when_empty: &'static str,
    /// «5 соглашений»: how a region's count reads.
    unit: [&'static str; 3],
}

const AGREEMENTS: List = List {
    folder: "agreements",
    title: "Соглашения и наставничество",
    when_empty: "Соглашений пока нет.",
    unit: ["соглашение", "соглашения", "соглашений"],
};

const PROGRAMMES: List = List {
    folder: "programmes",
    title: "Программы поддержки",
    when_empty: "Школ в программах пока нет.",
    unit: ["запись", "записи", "записей"],
};

/// A region's agreements, under a heading per municipality, in pages.
pub fn agreements(
    snapshot: &Snapshot,
    region: &region::Model,
    municipalities: &[&municipality::Model],
) -> (Vec<Page>, usize) {
    let whole = agreement_table(
        snapshot,
        format!("region-{}-agreements", region.slug),
        format!("Соглашения, наставничество и площадки: {}", region.name),
        chosen(municipalities),
        true,
    );
    let tables = municipalities
        .iter()
        .map(|m| (*m, municipality_page::agreements(snapshot, m)));
    region_list(AGREEMENTS, region, whole, tables)
}

/// A region's programme lists, under a heading per municipality, in pages.
pub fn programmes(
    snapshot: &Snapshot,
    region: &region::Model,
    municipalities: &[&municipality::Model],
) -> (Vec<Page>, usize) {
    let whole = programme_table(
        snapshot,
        format!("region-{}-programmes", region.slug),
        format!(
            "Участие школ в программах ШНОР, ШНСУ и «500+»: {}",
            region.name
        ),
        chosen(municipalities),
        true,
    );
    let tables = municipalities
        .iter()
        .map(|m| (*m, municipality_page::programmes(snapshot, m)));
    region_list(PROGRAMMES, region, whole, tables)
}

/// The index of a site-wide list: a line per region with its count.
fn list_index(list: List, regions: &[RegionDigest], count: fn(&RegionDigest) -> usize) -> Page {
    let lines: Vec<Value> = regions
        .iter()
        .map(|r| {
            let n = count(r);
            let mut line = link(
                &r.region.name,
                format!("{}/{}.html", list.folder, r.region.slug),
            );
            line["figures"] = json!(format!("{n} {}", plural(n as i64, list.unit)));
            line
        })
        .collect();
    let total: usize = regions.iter().map(count).sum();
    PageBuilder::new(format!("{}.html", list.folder), "regions.html", list.title)
        .set(
            "summary",
            format!(
                "Всего {total} {}, по регионам:",
                plural(total as i64, list.unit)
            ),
        )
        .set("regions", lines)
        .build()
}

/// The agreements' index: a page per region.
pub fn agreement_index(regions: &[RegionDigest]) -> Page {
    list_index(AGREEMENTS, regions, |r| r.agreements)
}

/// The programme lists' index: a page per region.
pub fn programme_index(regions: &[RegionDigest]) -> Page {
    list_index(PROGRAMMES, regions, |r| r.programmes)
}

/// A dataset as the catalogue lists it.
fn catalogue_entry(ds: &Dataset) -> Value {
    let [csv, json, passport] = ds.files();
    let rows = ds.rows.len();
    json!({
        "title": ds.title, "description": ds.description,
        "csv": csv, "json": json, "passport": passport,
        "rows": format!("{rows} {}", plural(rows as i64, ["строка", "строки", "строк"])),
    })
}

fn datasets_summary(total: usize) -> String {
    format!(
        "{total} {} открытых данных.",
        plural(total as i64, ["набор", "набора", "наборов"])
    )
}

/// A region's part of the open-data catalogue: its own datasets, then each municipality's
/// under its heading. With the number of datasets, for the catalogue's front page.
pub fn region_open_data(
    region: &region::Model,
    municipalities: &[&municipality::Model],
    pages: &[Page],
) -> (Page, usize) {
    let owner = |page: &Page| {
        let slug = page.path.split_once('/').map(|(first, _)| first);
        municipalities
            .iter()
            .find(|m| Some(m.slug.as_str()) == slug)
            .map(|m| m.id)
    };
    let of = |municipality: Option<i32>| -> Vec<Value> {
        pages
            .iter()
            .filter(|p| owner(p) == municipality)
            .flat_map(|p| p.datasets.iter().filter(|d| d.is_published()))
            .map(catalogue_entry)
            .collect()
    };
    let mut groups = vec![json!({
        "slug": "region", "name": format!("Сводные наборы: {}", region.name), "datasets": of(None),
    })];
    groups.extend(
        municipalities
            .iter()
            .map(|m| json!({ "slug": m.slug, "name": m.name, "datasets": of(Some(m.id)) })),
    );
    groups.retain(|g| g["datasets"].as_array().is_some_and(|d| !d.is_empty()));
    let total = groups
        .iter()
        .map(|g| g["datasets"].as_array().map_or(0, Vec::len))
        .sum();
    let page = PageBuilder::new(
        format!("opendata/{}.html", region.slug),
        "opendata.html",
        format!("Открытые данные: {}", region.name),
    )
    .set("parent", link("Открытые данные", "opendata/index.html"))
    .set("regions", Vec::<Value>::new())
    .set("groups", groups)
    .set("summary", datasets_summary(total))
    .set("licence", LICENCE)
    .build();
    (page, total)
}

/// The front page of the open-data catalogue: the site-wide datasets, then a line per region.
pub fn open_data(site_wide: &[&Dataset], regions: &[RegionDigest]) -> Page {
    let lines: Vec<Value> = regions
        .iter()
        .map(|r| {
            let mut line = link(&r.region.name, format!("opendata/{}.html", r.region.slug));
            line["figures"] = json!(format!(
                "{} {}",
                r.datasets,
                plural(r.datasets as i64, ["набор", "набора", "наборов"])
            ));
            line
        })
        .collect();
    let groups = vec![json!({
        "slug": "site", "name": "Сводные наборы по всем регионам",
        "datasets": site_wide.iter().map(|d| catalogue_entry(d)).collect::<Vec<_>>(),
    })];
    let total = site_wide.len() + regions.iter().map(|r| r.datasets).sum::<usize>();
    PageBuilder::new("opendata/index.html", "opendata.html", "Открытые данные")
        .set("parent", Value::Null)
        .set("groups", groups)
        .set("regions", lines)
        .set("summary", datasets_summary(total))
        .set("licence", LICENCE)
        .build()
}

/// Who publishes the site and how to reach them (the settings, in every page's context).
pub fn contacts() -> Page {
    PageBuilder::new("contacts.html", "contacts.html", "Контакты").build()
}

/// The search page (the only page that needs JavaScript): it searches the site-wide index and
/// merges each region's.
pub fn search(regions: &[RegionDigest]) -> Page {
    let bundles: Vec<String> = regions
        .iter()
        .map(|r| crate::site::search::region_bundle(&r.region.slug))
        .collect();
    PageBuilder::new("search.html", "search.html", "Поиск по сайту")
        .set(
            "bundles",
            serde_json::to_string(&bundles).expect("strings serialise"),
        )
        .build()
}

/// The page a web server shows for a missing address.
pub fn not_found() -> Page {
    PageBuilder::new("404.html", "404.html", "Страница не найдена").build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_fill_pages_in_order_and_are_never_split() {
        let pages = paginate(vec![120, 70, 30, 450, 10, 190], |&rows| rows);
        assert_eq!(pages, [vec![120, 70], vec![30], vec![450], vec![10, 190]]);
        assert_eq!(paginate(vec![5, 5], |&rows| rows), [vec![5, 5]]);
        assert_eq!(
            paginate(Vec::<usize>::new(), |&rows| rows),
            [Vec::<usize>::new()]
        );
    }
}
