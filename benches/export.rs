//! Site-export throughput: renders the demo site (and the demo plus 2,000 extra schools) a few
//! times and prints pages per second and the peak resident memory of the process.
//!
//! `cargo bench --bench export`

use std::time::Instant;

use schoolnet::site::{ExportOptions, export};

/// The process's peak resident memory so far, from /proc (Linux).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

async fn measure(label: &str, db: &sea_orm::DatabaseConnection, out: &std::path::Path) {
    let options = ExportOptions {
        out: out.to_owned(),
        ..Default::default()
    };
    let mut rates = Vec::new();
    let mut pages = 0;
    for run in 0..5 {
        // Each run writes a fresh folder, so nothing is skipped as unchanged.
        let options = ExportOptions {
            out: out.join(run.to_string()),
            ..options.clone()
        };
        let started = Instant::now();
        let report = export(db, &options, &|_, _| {}).await.expect("export");
        let seconds = started.elapsed().as_secs_f64();
        pages = report.pages;
        rates.push(report.pages as f64 / seconds);
    }
    rates.sort_by(f64::total_cmp);
    println!(
        "{label}: {pages} pages, median {:.0} pages/s (min {:.0}, max {:.0}), peak RSS {:.0} MiB",
        rates[rates.len() / 2],
        rates[0],
        rates[rates.len() - 1],
        peak_rss_mib().unwrap_or(f64::NAN)
    );
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}/bench.db?mode=rwc", dir.path().display());
    let db = schoolnet::db::open(&url).await.expect("database");
    measure("demo", &db, &dir.path().join("demo")).await;

    use schoolnet::domain::{SchoolKind, fold};
    use schoolnet::entities::{municipality, school};
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let m = municipality::ActiveModel {
        region_id: Set(1),
        slug: Set("bench".into()),
        name: Set("Район для замера".into()),
        short_name: Set("Замер".into()),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    for i in 0..2000 {
        let name = format!("СОШ № {i}");
        school::ActiveModel {
            municipality_id: Set(m.id),
            search_key: Set(fold(&name)),
            name_key: Set(fold(&name)),
            full_name: Set(format!("МОУ «{name}»")),
            name: Set(name),
            kind: Set(SchoolKind::Secondary),
            aliases: Set(Default::default()),
            ..Default::default()
        }
        .insert(&db)
        .await
        .unwrap();
    }
    measure("demo + 2,000 schools", &db, &dir.path().join("large")).await;
}
