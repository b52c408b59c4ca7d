//! The home page and the site-wide lists: agreements, programmes, open data, search, 404.

use serde_json::{Value, json};

use super::municipality::{
    self as municipality_page, Headline, agreement_table, headline, programme_table,
};
use super::{Page, PageBuilder, link, municipality_url};
use crate::entities::municipality;
use crate::site::dataset::{Cell, Dataset, LICENCE};
use crate::site::russian::plural;
use crate::site::snapshot::Snapshot;

/// The home page: the municipalities and their headline figures.
pub fn home(snapshot: &Snapshot, municipalities: &[&municipality::Model]) -> Page {
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
        let h = headline(snapshot, m);
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
            let h = headline(snapshot, m);
            let mut card = link(&m.name, municipality_url(m));
            card["figures"] = json!(card_figures(&h));
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

/// All agreements, under a heading per municipality; the whole list is one more dataset.
pub fn agreements(snapshot: &Snapshot, municipalities: &[&municipality::Model]) -> Page {
    let whole = agreement_table(
        snapshot,
        "agreements".into(),
        "Соглашения, наставничество и площадки".into(),
        chosen(municipalities),
        true,
    );
    PageBuilder::new(
        "agreements.html",
        "list.html",
        "Соглашения и наставничество",
    )
    .set("when_empty", "Соглашений пока нет.")
    .by_municipality(
        "sections",
        municipalities
            .iter()
            .map(|m| (*m, municipality_page::agreements(snapshot, m))),
    )
    .dataset_only("whole", whole)
    .build()
}

/// All programme lists, under a heading per municipality; the whole list is one more dataset.
pub fn programmes(snapshot: &Snapshot, municipalities: &[&municipality::Model]) -> Page {
    let whole = programme_table(
        snapshot,
        "programmes".into(),
        "Участие школ в программах ШНОР, ШНСУ и «500+»".into(),
        chosen(municipalities),
        true,
    );
    PageBuilder::new("programmes.html", "list.html", "Программы поддержки")
        .set("when_empty", "Школ в программах пока нет.")
        .by_municipality(
            "sections",
            municipalities
                .iter()
                .map(|m| (*m, municipality_page::programmes(snapshot, m))),
        )
        .dataset_only("whole", whole)
        .build()
}

/// The catalogue of open data: the site-wide datasets, then each municipality's under its
/// heading.
pub fn open_data(
    municipalities: &[&municipality::Model],
    datasets: &[(Option<&municipality::Model>, &Dataset)],
) -> Page {
    let entry = |ds: &Dataset| {
        let [csv, json, passport] = ds.files();
        let rows = ds.rows.len();
        json!({
            "title": ds.title, "description": ds.description,
            "csv": csv, "json": json, "passport": passport,
            "rows": format!("{rows} {}", plural(rows as i64, ["строка", "строки", "строк"])),
        })
    };
    let of = |owner: Option<&municipality::Model>| -> Vec<Value> {
        datasets
            .iter()
            .filter(|(m, _)| m.map(|m| m.id) == owner.map(|m| m.id))
            .map(|(_, ds)| entry(ds))
            .collect()
    };
    let mut groups = vec![
        json!({ "slug": "site", "name": "Сводные наборы по всем муниципалитетам", "datasets": of(None) }),
    ];
    groups.extend(
        municipalities
            .iter()
            .map(|m| json!({ "slug": m.slug, "name": m.name, "datasets": of(Some(m)) })),
    );
    groups.retain(|g| g["datasets"].as_array().is_some_and(|d| !d.is_empty()));
    let total = datasets.len();
    let summary = format!(
        "{total} {} открытых данных.",
        plural(total as i64, ["набор", "набора", "наборов"])
    );
    PageBuilder::new("opendata/index.html", "opendata.html", "Открытые данные")
        .set("groups", groups)
        .set("summary", summary)
        .set("licence", LICENCE)
        .build()
}

/// Who publishes the site and how to reach them (the settings, in every page's context).
pub fn contacts() -> Page {
    PageBuilder::new("contacts.html", "contacts.html", "Контакты").build()
}

/// The search page (the only page that needs JavaScript).
pub fn search() -> Page {
    PageBuilder::new("search.html", "search.html", "Поиск по сайту").build()
}

/// The page a web server shows for a missing address.
pub fn not_found() -> Page {
    PageBuilder::new("404.html", "404.html", "Страница не найдена").build()
}
