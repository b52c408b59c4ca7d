//! The exported district site: the same database gives the same files (on SQLite and
//! PostgreSQL alike), a re-export rewrites nothing unchanged, every link resolves and every
//! school is reachable, pages speak Russian correctly, and a failed or killed export leaves the
//! previous site as it was.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::{self, backends, tree};
use schoolnet::auth::Role;
use schoolnet::site::{ExportOptions, ExportReport, export};
use sea_orm::ConnectionTrait;
use serde_json::json;

async fn export_to(db: &sea_orm::DatabaseConnection, out: &Path) -> ExportReport {
    export_with(db, out, false).await
}

/// Exports every region (`full`) or only those whose data changed since the last export.
async fn export_with(db: &sea_orm::DatabaseConnection, out: &Path, full: bool) -> ExportReport {
    let options = ExportOptions {
        out: out.to_owned(),
        base_url: Some("https://edu.example.ru/".into()),
        full,
        ..Default::default()
    };
    export(db, &options, &|_, _| {}).await.expect("export")
}

/// Asserts that a full export of `db` (into `dir/full`) gives exactly the files of `site`.
async fn assert_same_as_full(
    db: &sea_orm::DatabaseConnection,
    dir: &Path,
    site: &BTreeMap<String, Vec<u8>>,
    backend: &str,
) {
    let full = dir.join("full");
    export_with(db, &full, true).await;
    assert!(
        tree(&full) == *site,
        "{backend}: the export that kept regions' files differs from a full export"
    );
}

/// True when a page whose path starts with `prefix` says `text`.
fn a_page_says(files: &BTreeMap<String, Vec<u8>>, prefix: &str, text: &str) -> bool {
    files.iter().any(|(path, html)| {
        path.starts_with(prefix) && String::from_utf8_lossy(html).contains(text)
    })
}

/// The regions the demo's site has a page for in each site-wide list.
fn regions_of(files: &BTreeMap<String, Vec<u8>>) -> usize {
    files
        .keys()
        .filter(|path| path.starts_with("agreements/"))
        .count()
}

/// The demo site, exported once from SQLite, for the tests that only read it.
async fn demo_site() -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    let backend = backends().await.into_iter().next().unwrap();
    let dir = tempfile::tempdir().unwrap();
    export_to(&backend.db, &dir.path().join("site")).await;
    let files = tree(&dir.path().join("site"));
    (dir, files)
}

fn text(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(
        files
            .get(path)
            .unwrap_or_else(|| panic!("no {path}"))
            .clone(),
    )
    .unwrap()
}

#[tokio::test]
async fn the_same_database_gives_the_same_site_and_unchanged_files_are_not_rewritten() {
    let mut sites = Vec::new();
    for backend in backends().await {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let first = export_to(&backend.db, &out).await;
        let before = tree(&out);
        let second = export_to(&backend.db, &out).await;
        assert_eq!(
            tree(&out),
            before,
            "{}: a second export changed files",
            backend.name
        );
        assert_eq!(second.files.written, 0, "{}: {second:?}", backend.name);
        assert_eq!(second.files.unchanged, first.files.written);
        eprintln!(
            "{}: {} pages, {} files in {:?}",
            backend.name, first.pages, first.files.written, first.elapsed
        );
        sites.push((backend.name, before));
        backend.finish().await;
    }
    if let [(_, sqlite), (_, postgres)] = sites.as_slice() {
        let differing: Vec<&String> = sqlite
            .keys()
            .filter(|k| sqlite.get(*k) != postgres.get(*k))
            .collect();
        assert!(
            differing.is_empty() && sqlite.len() == postgres.len(),
            "SQLite and PostgreSQL sites differ: {differing:?}"
        );
    }
}

#[tokio::test]
async fn key_pages_match_their_snapshots() {
    let (_dir, files) = demo_site().await;
    for path in [
        "index.html",
        "irbitskoye/index.html",
        "irbitskoye/group-4.html",
        "kotelnikovsky/school-1.html",
        "irbitskoye/school-43.html",
        "opendata/labinsky-programmes.csv",
        "opendata/labinsky-programmes.meta.json",
        "kotelnikovsky/identification.html",
        "yaysky/identification.html",
        "opendata/kotelnikovsky-results-ege.csv",
        "opendata/labinsky-deficits-2021.csv",
        "opendata/kotelnikovsky-schools-partners.csv",
        "opendata/irbitskoye-groups-members.csv",
        "kotelnikovsky/protocol-1.html",
        "kotelnikovsky/plans.html",
        "tsuntinsky/plans.html",
        "agreements.html",
        "agreements/krasnodarsky-kray.html",
        "opendata/index.html",
        "opendata/volgogradskaya-oblast.html",
        "sitemap.xml",
    ] {
        insta::assert_snapshot!(path.replace('/', "__"), text(&files, path));
    }
}

/// `html` without the cells' `data-label` attributes (the column names phones show).
fn without_labels(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find(" data-label=\"") {
        out.push_str(&rest[..at]);
        let after = &rest[at + " data-label=\"".len()..];
        rest = &after[after.find('"').unwrap() + 1..];
    }
    out + rest
}

/// Decodes the entities the templates write into attribute values.
fn unescape(value: &str) -> String {
    value
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The local targets of `href` and `src` attributes in a page, resolved inside the site.
fn links(page: &str, html: &str) -> Vec<(String, Option<String>)> {
    let dir = Path::new(page)
        .parent()
        .unwrap_or(Path::new(""))
        .to_path_buf();
    let mut out = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        for piece in html.split(attribute).skip(1) {
            let raw = unescape(&piece[..piece.find('"').unwrap()]);
            if raw.starts_with("http") || raw.starts_with("mailto:") {
                continue;
            }
            let (path, fragment) = match raw.split_once('#') {
                Some((p, f)) => (p.to_owned(), Some(f.to_owned())),
                None => (raw.clone(), None),
            };
            let target = if path.is_empty() {
                page.to_owned()
            } else {
                let mut resolved = PathBuf::new();
                for part in dir.join(&path).components() {
                    match part {
                        std::path::Component::ParentDir => {
                            assert!(resolved.pop(), "{page}: «{raw}» leaves the site");
                        }
                        std::path::Component::Normal(p) => resolved.push(p),
                        _ => {}
                    }
                }
                resolved.to_string_lossy().into_owned()
            };
            out.push((target, fragment));
        }
    }
    out
}

#[tokio::test]
async fn every_link_resolves_and_every_school_is_reachable_from_the_home_page() {
    let (_dir, files) = demo_site().await;
    let mut seen = BTreeSet::new();
    let mut queue = vec!["index.html".to_owned()];
    while let Some(page) = queue.pop() {
        if !seen.insert(page.clone()) {
            continue;
        }
        let html = text(&files, &page);
        for (target, fragment) in links(&page, &html) {
            assert!(
                files.contains_key(&target),
                "{page} links to missing {target}"
            );
            if let Some(id) = fragment.filter(|f| !f.is_empty()) {
                let target_html = text(&files, &target);
                assert!(
                    target_html.contains(&format!("id=\"{id}\"")),
                    "{page} links to missing #{id} in {target}"
                );
            }
            if target.ends_with(".html") {
                queue.push(target);
            }
        }
    }
    let schools: Vec<&String> = files
        .keys()
        .filter(|p| p.contains("/school-") && !p.starts_with("vi/"))
        .collect();
    assert_eq!(schools.len(), 52);
    for school in schools {
        assert!(
            seen.contains(school),
            "{school} cannot be reached from index.html"
        );
        assert!(
            seen.contains(&format!("vi/{school}")),
            "the version for the visually impaired of {school} cannot be reached"
        );
    }
}

#[tokio::test]
async fn every_page_is_russian_html5_with_a_title_and_described_tables() {
    let (_dir, files) = demo_site().await;
    for (path, bytes) in files
        .iter()
        .filter(|(p, _)| p.ends_with(".html") && !p.starts_with("pagefind/"))
    {
        let html = String::from_utf8(bytes.clone()).unwrap();
        assert!(
            html.starts_with("<!DOCTYPE html>\n<html lang=\"ru\">"),
            "{path}"
        );
        let title = html
            .split("<title>")
            .nth(1)
            .and_then(|t| t.split("</title>").next())
            .unwrap_or_default();
        assert!(title.len() > 10, "{path}: title «{title}»");
        assert_eq!(
            html.matches("<table>").count(),
            html.matches("<caption").count(),
            "{path}: every table has a caption"
        );
        assert!(
            !html.contains("<th>"),
            "{path}: every header cell has a scope"
        );
        assert_eq!(html.matches("<h1>").count(), 1, "{path}: one main heading");
        // Link checkers read URLs as written: a slash is a slash.
        assert!(
            !html.contains("&#x2f;"),
            "{path}: a slash written as an entity"
        );
        assert!(
            html.contains("Версия для слабовидящих") || html.contains("Обычная версия сайта"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn pages_speak_russian_numbers_and_plurals() {
    let (_dir, files) = demo_site().await;
    let labinsky = text(&files, "labinsky/index.html");
    assert!(labinsky.contains("В муниципалитете 29 общеобразовательных организаций; в программе ШНОР сейчас 16 школ (55,2 % при среднем по региону 32,5 %)."), "{labinsky}");
    let irbit = text(&files, "irbitskoye/index.html");
    assert!(
        irbit.contains(
            "22 общеобразовательные организации; в программе ШНОР сейчас 11 школ (50,0 %)"
        )
    );
    assert!(text(&files, "irbitskoye/group-4.html").contains("В группе 4 школы."));
    assert!(text(&files, "irbitskoye/group-1.html").contains("В группе 2 школы."));
    let kotelnikovo = text(&files, "kotelnikovsky/school-1.html");
    assert!(kotelnikovo.contains("20.05.2021"), "dates as dd.mm.yyyy");
    let csv = text(&files, "opendata/municipalities.csv");
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains(";55,2;32,5\r\n"), "{csv}");
    let json: serde_json::Value =
        serde_json::from_slice(&files["opendata/municipalities.json"]).unwrap();
    assert_eq!(json[1]["share"], 55.2);
    assert_eq!(
        json[0]["regional_share"],
        serde_json::Value::Null,
        "missing is null, not zero"
    );
}

#[tokio::test]
async fn a_failed_export_leaves_the_previous_site_untouched() {
    let backend = backends().await.into_iter().next().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    export_to(&backend.db, &out).await;
    let before = tree(&out);

    let broken = dir.path().join("templates");
    std::fs::create_dir(&broken).unwrap();
    std::fs::write(
        broken.join("school.html"),
        "{% extends \"base.html\" %}{% block content %}{{ no_such_value.x }}{% endblock %}",
    )
    .unwrap();
    let options = ExportOptions {
        out: out.clone(),
        templates: Some(broken),
        ..Default::default()
    };
    let error = export(&backend.db, &options, &|_, _| {})
        .await
        .expect_err("a broken template fails the export");
    assert!(error.to_string().contains("template error"), "{error}");
    assert_eq!(tree(&out), before);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        !leftovers
            .iter()
            .any(|n| n.to_string_lossy().contains("staging")),
        "{leftovers:?}"
    );
}

/// A page's blocks are rendered once for both versions, with a control character marking where
/// each version puts the way to the site's root: such a character in the data (here written
/// around the API, which refuses it) must neither move a link nor reach the page.
#[tokio::test]
async fn both_versions_link_to_the_site_root_whatever_the_data_holds() {
    for backend in backends().await {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let control = match backend.name {
            "sqlite" => "char(1)",
            _ => "chr(1)",
        };
        backend
            .db
            .execute_unprepared(&format!(
                "UPDATE schools SET name = 'Котельниковская' || {control} || 'СОШ' \
                 WHERE id = (SELECT MIN(id) FROM schools WHERE municipality_id = \
                 (SELECT id FROM municipalities WHERE slug = 'kotelnikovsky'))"
            ))
            .await
            .unwrap();
        export_to(&backend.db, &out).await;
        let files = tree(&out);
        let ordinary = text(&files, "kotelnikovsky/school-1.html");
        let vi = text(&files, "vi/kotelnikovsky/school-1.html");
        for (page, root) in [(&ordinary, "../"), (&vi, "../../")] {
            assert!(
                page.contains("<dd>Котельниковская\u{fffd}СОШ</dd>"),
                "{}: the character shows as U+FFFD",
                backend.name
            );
            assert!(
                page.contains("(средняя оценка): Котельниковская\u{fffd}СОШ"),
                "{}: in the charts too",
                backend.name
            );
            assert!(!page.contains('\u{1}'), "{}", backend.name);
            assert!(
                page.contains(&format!(r#"<a href="{root}opendata/kotelnikovsky-"#)),
                "{}: the tables link to the open data from {root}",
                backend.name
            );
        }
        assert!(vi.contains(r#"href="../../vi.css""#) && !ordinary.contains("vi.css"));
    }
}

/// A district's page template written before page templates extended `layout` names
/// `base.html` instead; it still gets both versions, each with its own links.
#[tokio::test]
async fn a_page_template_that_extends_base_html_by_name_still_has_both_versions() {
    let backend = backends().await.into_iter().next().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let templates = dir.path().join("templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::write(
        templates.join("school.html"),
        r#"{% extends "base.html" %}{% block content %}<p class="mine"><a href="{{ asset_root }}opendata/index.html">{{ school.name }}</a></p>{% endblock %}"#,
    )
    .unwrap();
    let out = dir.path().join("site");
    let options = ExportOptions {
        out: out.clone(),
        templates: Some(templates),
        ..Default::default()
    };
    export(&backend.db, &options, &|_, _| {}).await.unwrap();
    let files = tree(&out);
    let ordinary = text(&files, "kotelnikovsky/school-1.html");
    let vi = text(&files, "vi/kotelnikovsky/school-1.html");
    assert!(ordinary.contains(r#"<p class="mine"><a href="../opendata/index.html">"#));
    assert!(vi.contains(r#"<p class="mine"><a href="../../opendata/index.html">"#));
    assert!(vi.contains("Обычная версия сайта") && !ordinary.contains("vi.css"));
}

#[tokio::test]
async fn a_killed_export_leaves_the_previous_site_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/demo.db?mode=rwc", dir.path().display());
    schoolnet::db::open(&url)
        .await
        .unwrap()
        .close()
        .await
        .unwrap();

    let out = dir.path().join("site");
    let run = |pause_after: Option<usize>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_schoolnet"));
        command
            .args(["export", "--database-url", &url, "--out"])
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(files) = pause_after {
            command.env(schoolnet::site::PAUSE_VARIABLE, files.to_string());
        }
        command.spawn().unwrap()
    };
    assert!(run(None).wait().unwrap().success());
    let before = tree(&out);

    // A change, so that the killed export would have written something different.
    let db = schoolnet::db::connect(&url).await.unwrap();
    db.execute_unprepared("UPDATE schools SET full_name = 'МОУ «Бердюгинская СОШ имени героя»' WHERE name = 'Бердюгинская СОШ'")
        .await
        .unwrap();
    db.close().await.unwrap();

    // The export stops after 40 files, marks that it has, and is killed there.
    let mut child = run(Some(40));
    let paused = dir.path().join(".site.paused");
    while !paused.exists() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the export ended before it paused"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let staging = dir.path().join(".site.staging");
    assert_eq!(
        tree(&staging).len(),
        40,
        "killed while writing, with 40 files staged"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(tree(&out), before, "the killed export changed the site");
    // The next export clears what the killed one left and completes, with the change.
    assert!(run(None).wait().unwrap().success());
    assert!(!staging.exists());
    let after = tree(&out);
    assert!(String::from_utf8_lossy(&after["irbitskoye/school-28.html"]).contains("имени героя"));
}

#[tokio::test]
async fn the_export_runs_as_a_job_for_admins_and_coordinators() {
    let backend = backends().await.into_iter().next().unwrap();
    let admin = backend.token(Role::Admin, None, None).await;
    let coordinator = backend
        .token(Role::Coordinator, Some("labinsky"), None)
        .await;
    let start =
        "mutation($m: [String!]) { startSiteExport(municipalities: $m) { id status folder } }";

    let started = backend.post_as(Some(&admin), start, json!({"m": []})).await;
    let job = &started["data"]["startSiteExport"];
    assert_eq!(job["status"], "RUNNING", "{started}");
    let again = backend.post_as(Some(&admin), start, json!({"m": []})).await;
    assert_eq!(
        common::error_code(&again).0,
        "CONFLICT",
        "one export per folder at a time: {again}"
    );
    let done = common::finished_job(&backend, &admin, job["id"].as_i64().unwrap()).await;
    assert_eq!(done["status"], "SUCCEEDED", "{done}");
    assert!(
        done["written"].as_i64().unwrap() > 500 && done["written"] == done["total"],
        "{done}"
    );
    assert!(
        backend
            .site_dir
            .path()
            .join("all/irbitskoye/index.html")
            .exists()
    );

    let own = backend
        .post_as(
            Some(&coordinator),
            "mutation { startSiteExport { id status } }",
            json!({}),
        )
        .await;
    let own_job = &own["data"]["startSiteExport"];
    assert!(own_job.is_object(), "{own}");
    let done = common::finished_job(&backend, &coordinator, own_job["id"].as_i64().unwrap()).await;
    assert_eq!(done["status"], "SUCCEEDED", "{done}");
    assert!(
        backend
            .site_dir
            .path()
            .join("labinsky/labinsky/index.html")
            .exists()
    );
    assert!(
        !backend.site_dir.path().join("labinsky/irbitskoye").exists(),
        "only the coordinator's municipality"
    );

    let other = backend
        .post_as(Some(&coordinator), start, json!({"m": ["irbitskoye"]}))
        .await;
    assert_eq!(common::error_code(&other).0, "FORBIDDEN", "{other}");
    let anonymous = backend.post(start, json!({"m": []})).await;
    assert_eq!(common::error_code(&anonymous).0, "UNAUTHENTICATED");
    let audit = backend
        .post_as(
            Some(&admin),
            r#"{ auditLog(filter: {operation: "startSiteExport"}) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(audit["data"]["auditLog"]["totalCount"], 2, "{audit}");
}

/// The one rule of who curates a school (`appointment::Model::curates_on`) gives the same people
/// through the API and on the site, for every school of the demo.
#[tokio::test]
async fn the_curators_of_every_school_are_the_same_in_the_api_and_on_the_site() {
    let (_dir, files) = demo_site().await;
    let backend = backends().await.into_iter().next().unwrap();
    let data = backend
        .data(
            "{ schools(first: 100) { pageInfo { hasNextPage } nodes { id name municipality { slug } curators { person { fullName } } } } }",
            serde_json::json!({}),
        )
        .await;
    assert_eq!(data["schools"]["pageInfo"]["hasNextPage"], false);
    let mut curated = 0;
    for school in data["schools"]["nodes"].as_array().unwrap() {
        let number = common::row_number(school["id"].as_str().unwrap());
        let mut api: Vec<String> = school["curators"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["person"]["fullName"].as_str().unwrap().to_owned())
            .collect();
        // The school page's table, and its rows in the municipality's dataset of all schools'
        // curators (not published when no school has curators).
        let page = text(
            &files,
            &format!(
                "{}/school-{number}.html",
                school["municipality"]["slug"].as_str().unwrap()
            ),
        );
        let path = format!(
            "opendata/{}-schools-curators.json",
            school["municipality"]["slug"].as_str().unwrap()
        );
        let rows: Vec<serde_json::Value> = files
            .get(&path)
            .map_or_else(Vec::new, |bytes| serde_json::from_slice(bytes).unwrap());
        let mut site: Vec<String> = rows
            .iter()
            .filter(|row| row["school"] == school["name"])
            .map(|row| row["person"].as_str().unwrap().to_owned())
            .collect();
        for name in &site {
            assert!(
                page.contains(name.as_str()),
                "{name} is not on the page of {number}"
            );
        }
        if !api.is_empty() {
            assert!(
                page.contains(&format!("../{path}")),
                "the page links {path}"
            );
        }
        api.sort();
        site.sort();
        assert_eq!(api, site, "{path}");
        curated += usize::from(!api.is_empty());
    }
    assert!(curated >= 3, "the demo has curated schools: {curated}");
    backend.finish().await;
}

#[tokio::test]
async fn each_municipality_page_names_who_runs_the_programmes() {
    let (_dir, files) = demo_site().await;
    let staff = |path: &str| {
        let html = text(&files, path);
        let start = html.find("id=\"staff\"").expect("a staff section");
        without_labels(html[start..].split("</table>").next().unwrap())
    };
    let kotelnikovsky = staff("kotelnikovsky/index.html");
    for expected in [
        "<th scope=\"row\">Орган управления образованием</th><td>Голова Н.А.</td><td>начальник отдела образования</td>",
        "<th scope=\"row\">Методическая служба</th><td>Кондрашова Н.В.</td><td>заведующий РМК</td>",
        "<th scope=\"row\">Куратор</th><td>Артемьева О.Ю.</td>",
    ] {
        assert!(
            kotelnikovsky.contains(expected),
            "{expected}\n{kotelnikovsky}"
        );
    }
    let labinsky = staff("labinsky/index.html");
    assert!(
        labinsky.contains(
            "<th scope=\"row\">Муниципальный координатор</th><td>Клименко Сергей Иванович</td>"
        ),
        "{labinsky}"
    );
    assert!(
        labinsky.contains("<td>Алифанова Инна Александровна</td><td>методист</td>"),
        "{labinsky}"
    );
    // Nobody of another municipality.
    assert!(!labinsky.contains("Голова Н.А."));
}

#[tokio::test]
async fn pages_show_no_empty_tables_columns_or_datasets() {
    let (_dir, files) = demo_site().await;
    for (path, bytes) in files.iter().filter(|(p, _)| {
        p.ends_with(".json") && p.starts_with("opendata/") && !p.ends_with(".meta.json")
    }) {
        let rows: Vec<serde_json::Value> = serde_json::from_slice(bytes).unwrap();
        assert!(!rows.is_empty(), "{path}: a published dataset without rows");
    }
    for (path, bytes) in files
        .iter()
        .filter(|(p, _)| p.ends_with(".html") && !p.starts_with("pagefind/"))
    {
        let html = String::from_utf8(bytes.clone()).unwrap();
        // The data's tables (a bank text's own tables may be blank forms, as the diaries are).
        for table in html.split("class=\"table-wrap\"").skip(1) {
            let body = table.split("<tbody>").nth(1).unwrap();
            let body = body.split("</tbody>").next().unwrap();
            let rows: Vec<Vec<&str>> = body
                .split("<tr>")
                .skip(1)
                .map(|row| {
                    row.split(['<', '>'])
                        .collect::<Vec<_>>()
                        .windows(2)
                        .filter(|w| w[0].starts_with("td") || w[0].starts_with("th"))
                        .map(|w| w[1])
                        .collect()
                })
                .collect();
            assert!(!rows.is_empty(), "{path}: a table without rows");
            let width = rows[0].len();
            for column in 1..width {
                assert!(
                    rows.iter().any(|row| row.get(column) != Some(&"—")),
                    "{path}: column {column} is «—» in every row"
                );
            }
        }
    }
    // Where nothing is known, the page says so in a sentence.
    assert!(text(&files, "kotelnikovsky/school-1.html").contains(
        "<p class=\"empty\">Группы по результатам и по благополучию (ГК, ГИСБШ) для этой школы не публиковались.</p>"
    ));
}

#[tokio::test]
async fn a_change_in_one_municipality_rewrites_only_its_files_and_the_lists_that_include_it() {
    let backend = backends().await.into_iter().next().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    export_to(&backend.db, &out).await;
    let before = tree(&out);
    assert!(
        !text(&before, "labinsky/index.html").contains("Данные изменены"),
        "loading the demo is not a change of the data"
    );

    let admin = backend.token(Role::Admin, None, None).await;
    let school = backend
        .data(
            r#"{ schools(filter: {municipality: "labinsky", nameContains: "СОШ № 4"}) { nodes { id version } } }"#,
            json!({}),
        )
        .await;
    let school = &school["schools"]["nodes"][0];
    let renamed = backend
        .post_as(
            Some(&admin),
            "mutation($id: ID!, $v: Int!) { updateSchool(id: $id, version: $v, input: {legalForm: \"МБОУ\"}) { version } }",
            json!({ "id": school["id"], "v": school["version"] }),
        )
        .await;
    assert!(renamed.get("errors").is_none(), "{renamed}");

    let report = export_to(&backend.db, &out).await;
    let after = tree(&out);
    assert_eq!(
        report.reused_regions,
        regions_of(&before) - 1,
        "only Лабинский's region is rendered again"
    );
    assert_same_as_full(&backend.db, dir.path(), &after, backend.name).await;
    let changed: Vec<&String> = after
        .keys()
        .filter(|path| before.get(*path) != after.get(*path))
        .collect();
    let site_wide = [
        "index.html",
        "agreements.html",
        "programmes.html",
        "opendata/index.html",
        "sitemap.xml",
    ];
    // Лабинский's region has its page in each site-wide list.
    let labinsky_region = [
        "agreements/krasnodarsky-kray.html",
        "programmes/krasnodarsky-kray.html",
        "opendata/krasnodarsky-kray.html",
    ];
    for path in &changed {
        let path = path.strip_prefix("vi/").unwrap_or(path);
        assert!(
            path.starts_with("labinsky/")
                || path.starts_with("opendata/labinsky-")
                || path.starts_with("pagefind/")
                || path.starts_with("pagefind-regions/krasnodarsky-kray/")
                || site_wide.contains(&path)
                || path.starts_with("opendata/municipalities.")
                || labinsky_region.contains(&path)
                || path.starts_with("opendata/region-krasnodarsky-kray-")
                || path.starts_with("bank/"),
            "a change in Лабинский rewrote {path}"
        );
    }
    assert!(changed.iter().any(|p| p.starts_with("labinsky/school-")));
    // The pages of Лабинский, and only they, say when its data changed; passports too.
    let today = chrono::Local::now().date_naive();
    let stamp = format!("Данные изменены {}.", today.format("%d.%m.%Y"));
    assert!(text(&after, "labinsky/index.html").contains(&stamp));
    assert!(text(&after, "index.html").contains(&stamp));
    assert!(!text(&after, "irbitskoye/index.html").contains("Данные изменены"));
    let passport: serde_json::Value =
        serde_json::from_slice(&after["opendata/labinsky-programmes.meta.json"]).unwrap();
    assert_eq!(passport["modified"], today.to_string());
    let passport: serde_json::Value =
        serde_json::from_slice(&after["opendata/irbitskoye-programmes.meta.json"]).unwrap();
    assert_eq!(passport["modified"], serde_json::Value::Null);
    eprintln!("{} of {} files changed", changed.len(), after.len());
    backend.finish().await;
}

#[tokio::test]
async fn a_school_renamed_around_the_api_is_renamed_on_the_site_and_only_its_region_rendered() {
    for backend in backends().await {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let first = export_to(&backend.db, &out).await;
        assert_eq!(
            first.reused_regions, 0,
            "{}: nothing to reuse yet",
            backend.name
        );
        let unchanged = export_to(&backend.db, &out).await;
        let regions = regions_of(&tree(&out));
        assert_eq!(unchanged.reused_regions, regions, "{}", backend.name);
        assert_eq!(unchanged.files.written, 0, "{}", backend.name);

        backend
            .db
            .execute_unprepared(
                "UPDATE schools SET full_name = 'Школа, переименованная в обход API' \
                 WHERE id = (SELECT min(id) FROM schools WHERE municipality_id = \
                 (SELECT id FROM municipalities WHERE slug = 'irbitskoye'))",
            )
            .await
            .unwrap();
        let report = export_to(&backend.db, &out).await;
        assert_eq!(report.reused_regions, regions - 1, "{}", backend.name);
        let after = tree(&out);
        assert!(
            a_page_says(
                &after,
                "irbitskoye/school-",
                "Школа, переименованная в обход API"
            ),
            "{}: the new name is not on the school's page",
            backend.name
        );
        assert_same_as_full(&backend.db, dir.path(), &after, backend.name).await;
        backend.finish().await;
    }
}

/// Each export after the second starts from the site before the last (the spare) brought up
/// to date: after several in a row, of changes in different regions and a page taken away,
/// the site is still exactly what a full export gives.
#[tokio::test]
async fn successive_exports_over_the_spare_each_give_the_full_site() {
    /// Exports again after a change in one region, checks that it gave what a full export
    /// gives, and returns the site.
    async fn export_after_one_change(
        backend: &common::Backend,
        dir: &Path,
        regions: usize,
    ) -> BTreeMap<String, Vec<u8>> {
        let out = dir.join("site");
        let report = export_to(&backend.db, &out).await;
        assert_eq!(report.reused_regions, regions - 1, "{}", backend.name);
        let site = tree(&out);
        assert_same_as_full(&backend.db, dir, &site, backend.name).await;
        site
    }
    let rename_in_labinsky = |name: &str| {
        format!(
            "UPDATE schools SET full_name = '{name}' WHERE id = (SELECT min(id) FROM schools \
             WHERE municipality_id = (SELECT id FROM municipalities WHERE slug = 'labinsky'))"
        )
    };
    for backend in backends().await {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        export_to(&backend.db, &out).await;
        export_to(&backend.db, &out).await;
        let regions = regions_of(&tree(&out));
        let groups = backend
            .data(
                r#"{ partnershipGroups(municipality: "irbitskoye") { id version number } }"#,
                json!({}),
            )
            .await;
        let group = &groups["partnershipGroups"][0];
        let group_page = format!("irbitskoye/group-{}.html", group["number"]);

        let sql = rename_in_labinsky("Школа первого раунда");
        backend.db.execute_unprepared(&sql).await.unwrap();
        let site = export_after_one_change(&backend, dir.path(), regions).await;
        assert!(site.contains_key(&group_page), "{group_page}");

        let admin = backend.token(Role::Admin, None, None).await;
        let deleted = backend
            .post_as(
                Some(&admin),
                "mutation($id: ID!, $v: Int!) { deletePartnershipGroup(id: $id, version: $v) { id } }",
                json!({ "id": group["id"], "v": group["version"] }),
            )
            .await;
        assert!(deleted.get("errors").is_none(), "{deleted}");
        let site = export_after_one_change(&backend, dir.path(), regions).await;
        assert!(!site.contains_key(&group_page), "{}", backend.name);

        let sql = rename_in_labinsky("Школа третьего раунда");
        backend.db.execute_unprepared(&sql).await.unwrap();
        let site = export_after_one_change(&backend, dir.path(), regions).await;
        assert!(!site.contains_key(&group_page), "{}", backend.name);
        backend.finish().await;
    }
}

#[tokio::test]
async fn a_reused_file_gone_from_the_site_fails_the_export_and_full_repairs_it() {
    let backend = backends().await.into_iter().next().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    // The second export keeps the first site as its spare; a file deleted by hand from the
    // current site is not in the spare's list of changes, so the spare is not trusted.
    export_to(&backend.db, &out).await;
    export_to(&backend.db, &out).await;
    let before = tree(&out);
    std::fs::remove_file(out.join("irbitskoye/index.html")).unwrap();
    let options = ExportOptions {
        out: out.clone(),
        base_url: Some("https://edu.example.ru/".into()),
        ..Default::default()
    };
    let error = export(&backend.db, &options, &|_, _| {})
        .await
        .expect_err("a file to keep is missing");
    assert!(
        error.to_string().contains("irbitskoye/index.html") && error.to_string().contains("--full"),
        "{error}"
    );
    export_with(&backend.db, &out, true).await;
    assert!(tree(&out) == before, "--full restores the site");
    backend.finish().await;
}

#[tokio::test]
async fn a_long_regional_list_comes_in_linked_pages_that_hold_every_row_once() {
    let scale = schoolnet::generate::Scale {
        regions: 1,
        municipalities: 4,
        schools: 600,
        years: 1,
        results_per_year: 1,
        last_year: 2025,
        seed: 3,
    };
    let backend = common::generated_backends(&scale)
        .await
        .into_iter()
        .next()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    export_to(&backend.db, &dir.path().join("site")).await;
    let files = tree(&dir.path().join("site"));
    let pages: Vec<&String> = files
        .keys()
        .filter(|p| p.starts_with("agreements/") && p.ends_with(".html"))
        .collect();
    assert!(pages.len() >= 2, "{pages:?}");
    let csv = files
        .iter()
        .find(|(p, _)| p.starts_with("opendata/region-") && p.ends_with("-agreements.csv"))
        .map(|(_, csv)| String::from_utf8_lossy(csv).lines().count() - 1)
        .expect("the region's whole list");
    let (mut rows, mut headings, mut titles) = (0, Vec::new(), BTreeSet::new());
    for page in &pages {
        let html = text(&files, page);
        rows += html.matches("<th scope=\"row\">").count();
        headings.extend(
            html.match_indices("<h2 id=\"")
                .map(|(at, _)| html[at + 8..].split('"').next().unwrap().to_owned()),
        );
        let title = html
            .split("<title>")
            .nth(1)
            .unwrap()
            .split("</title>")
            .next()
            .unwrap();
        assert!(titles.insert(title.to_owned()), "two pages titled {title}");
        for other in &pages {
            let name = other.trim_start_matches("agreements/");
            assert!(
                html.contains(&format!("href=\"../agreements/{name}\"")),
                "{page} does not link to {other}"
            );
        }
        assert_eq!(html.matches("aria-current=\"page\"").count(), 1, "{page}");
    }
    assert_eq!(rows, csv, "every agreement is on exactly one page");
    headings.sort();
    let before = headings.len();
    headings.dedup();
    assert_eq!(headings.len(), before, "a municipality's table is split");
    assert_eq!(headings.len(), 4, "every municipality has its agreements");
    backend.finish().await;
}

#[tokio::test]
async fn a_change_to_a_school_renders_again_the_region_of_its_partner_in_another_region() {
    for backend in backends().await {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        export_to(&backend.db, &out).await;
        let regions = regions_of(&tree(&out));
        let admin = backend.token(Role::Admin, None, None).await;
        let first_school = |municipality: &'static str| {
            let backend = &backend;
            async move {
                let data = backend
                    .data(
                        "query($m: String!) { schools(filter: {municipality: $m}, first: 1) { nodes { id version } } }",
                        json!({ "m": municipality }),
                    )
                    .await;
                data["schools"]["nodes"][0].clone()
            }
        };
        let (mentee, mentor) = (
            first_school("labinsky").await,
            first_school("irbitskoye").await,
        );
        let mutate = async |query: &str, variables: serde_json::Value| {
            let response = backend.post_as(Some(&admin), query, variables).await;
            assert!(
                response.get("errors").is_none(),
                "{}: {response}",
                backend.name
            );
        };
        mutate(
            "mutation($s: ID!, $p: ID!) { createPartnership(input: {kind: MENTORING, school: $s, partnerSchool: $p}) { id } }",
            json!({ "s": mentee["id"], "p": mentor["id"] }),
        )
        .await;
        let report = export_to(&backend.db, &out).await;
        assert_eq!(
            report.reused_regions,
            regions - 2,
            "{}: both sides' regions",
            backend.name
        );

        mutate(
            "mutation($id: ID!, $v: Int!) { updateSchool(id: $id, version: $v, input: {fullName: \"Школа-наставник из другого региона\"}) { version } }",
            json!({ "id": mentor["id"], "v": mentor["version"] }),
        )
        .await;
        let report = export_to(&backend.db, &out).await;
        assert_eq!(
            report.reused_regions,
            regions - 2,
            "{}: the partner's region too",
            backend.name
        );
        let after = tree(&out);
        assert!(
            a_page_says(
                &after,
                "labinsky/school-",
                "Школа-наставник из другого региона"
            ),
            "{}: the mentee's page names its mentor as it is now",
            backend.name
        );
        assert_same_as_full(&backend.db, dir.path(), &after, backend.name).await;
        backend.finish().await;
    }
}

#[tokio::test]
async fn on_another_day_only_regions_whose_appointments_came_into_or_out_of_force_render_again() {
    let backend = backends().await.into_iter().next().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    export_to(&backend.db, &out).await;
    let regions = regions_of(&tree(&out));
    let manifest = dir.path().join(".site.manifest.json");
    let dated = |day: &str| {
        let mut m: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&manifest).unwrap()).unwrap();
        m["as_of"] = serde_json::json!(day);
        std::fs::write(&manifest, serde_json::to_vec(&m).unwrap()).unwrap();
    };
    // The demo's appointments begin and end in past years, so yesterday is today for them
    // (except on a day when one of them does begin or end).
    use schoolnet::entities::appointment;
    use sea_orm::EntityTrait;
    let today = chrono::Local::now().date_naive();
    let yesterday = today - chrono::Days::new(1);
    let same = appointment::Entity::find()
        .all(&backend.db)
        .await
        .unwrap()
        .iter()
        .all(|a| a.in_force_on(yesterday) == a.in_force_on(today));
    dated(&yesterday.to_string());
    let report = export_to(&backend.db, &out).await;
    assert_eq!(report.reused_regions == regions, same, "{report:?}");

    // Before any appointment began, every region with one had other directors and curators.
    dated("1990-01-01");
    let report = export_to(&backend.db, &out).await;
    assert!(report.reused_regions < regions, "{report:?}");
    assert_same_as_full(&backend.db, dir.path(), &tree(&out), backend.name).await;
    backend.finish().await;
}

#[tokio::test]
async fn a_curator_renamed_around_the_api_is_renamed_where_they_curate_in_another_region() {
    for backend in backends().await {
        let admin = backend.token(Role::Admin, None, None).await;
        let first_school = async |municipality: &str| {
            let data = backend
                .data(
                    "query($m: String!) { schools(filter: {municipality: $m}, first: 1) { nodes { id } } }",
                    json!({ "m": municipality }),
                )
                .await;
            data["schools"]["nodes"][0]["id"].clone()
        };
        let mutate = async |query: &str, variables: serde_json::Value| {
            let body = backend.post_as(Some(&admin), query, variables).await;
            assert!(body.get("errors").is_none(), "{}: {body}", backend.name);
            body["data"].clone()
        };
        // A teacher of an Irbit school curates a school in Лабинский, in another region.
        let teacher = mutate(
            "mutation($s: ID!) { createPerson(input: {fullName: \"Учитель Иртышева\", workplaceSchool: $s}) { id } }",
            json!({ "s": first_school("irbitskoye").await }),
        )
        .await["createPerson"]["id"]
            .clone();
        mutate(
            "mutation($p: ID!, $s: ID!) { appoint(input: {person: $p, role: CURATOR, programme: LOW_RESULTS, school: $s}) { id } }",
            json!({ "p": teacher, "s": first_school("labinsky").await }),
        )
        .await;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        export_to(&backend.db, &out).await;
        let regions = regions_of(&tree(&out));

        let person = common::row_number(teacher.as_str().unwrap());
        backend
            .db
            .execute_unprepared(&format!(
                "UPDATE people SET full_name = 'Куратор Из-Соседнего-Региона' WHERE id = {person}"
            ))
            .await
            .unwrap();
        let report = export_to(&backend.db, &out).await;
        assert_eq!(report.reused_regions, regions - 2, "{}", backend.name);
        let after = tree(&out);
        assert!(
            a_page_says(&after, "labinsky/school-", "Куратор Из-Соседнего-Региона"),
            "{}: the school's page names its curator as they are now",
            backend.name
        );
        assert_same_as_full(&backend.db, dir.path(), &after, backend.name).await;
        backend.finish().await;
    }
}
