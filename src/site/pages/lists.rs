//! The home page and the site-wide lists: agreements, programmes, open data, search, 404.

use serde_json::json;

use super::municipality::{agreement_table, headline, programme_table};
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
    let links: Vec<_> = municipalities
        .iter()
        .map(|m| link(&m.name, municipality_url(m)))
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

fn chosen<'a>(
    municipalities: &'a [&municipality::Model],
) -> impl Fn(&crate::entities::school::Model) -> bool + 'a {
    move |s| municipalities.iter().any(|m| m.id == s.municipality_id)
}

/// All agreements.
pub fn agreements(snapshot: &Snapshot, municipalities: &[&municipality::Model]) -> Page {
    let ds = agreement_table(
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
    .table("table", ds)
    .build()
}

/// All programme lists.
pub fn programmes(snapshot: &Snapshot, municipalities: &[&municipality::Model]) -> Page {
    let ds = programme_table(
        snapshot,
        "programmes".into(),
        "Участие школ в программах ШНОР, ШНСУ и «500+»".into(),
        chosen(municipalities),
        true,
    );
    PageBuilder::new("programmes.html", "list.html", "Программы поддержки")
        .table("table", ds)
        .build()
}

/// The catalogue of open data.
pub fn open_data(datasets: &[Dataset]) -> Page {
    let catalogue: Vec<_> = datasets
        .iter()
        .map(|ds| {
            let [csv, json, passport] = ds.files();
            json!({ "title": ds.title, "description": ds.description, "csv": csv, "json": json, "passport": passport, "rows": ds.rows.len() })
        })
        .collect();
    PageBuilder::new("opendata/index.html", "opendata.html", "Открытые данные")
        .set("datasets", catalogue)
        .set("licence", LICENCE)
        .build()
}

/// The search page (the only page that needs JavaScript).
pub fn search() -> Page {
    PageBuilder::new("search.html", "search.html", "Поиск по сайту").build()
}

/// The page a web server shows for a missing address.
pub fn not_found() -> Page {
    PageBuilder::new("404.html", "404.html", "Страница не найдена").build()
}
