//! Monitoring I over GraphQL/HTTP, on SQLite and PostgreSQL: seed 000's results tables and
//! seed 001's deficits come back exactly, dynamics never change across a gap, the municipal
//! table's mean, the rules of the result mutations, and the identification of low-results
//! schools (seed 004) on fixtures that hit each rule, the threshold's edge and every gap.

use crate::common::{self, Backend, backends, error_code};
use schoolnet::auth::Role;
use serde_json::{Value, json};

/// The demo's result of `school` in `procedure`, `subject`, `year` (and `level`).
fn result<'a>(
    schools: &'a Value,
    school: &str,
    procedure: &str,
    subject: &str,
    year: i64,
    level: Option<&str>,
) -> &'a Value {
    schools
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == school)
        .unwrap_or_else(|| panic!("no school «{school}»"))["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["procedure"] == procedure
                && r["subject"]["code"] == subject
                && r["year"] == year
                && r["level"].as_str() == level
        })
        .unwrap_or_else(|| panic!("no {procedure} {subject} {year} {level:?} for «{school}»"))
}

const KOTELNIKOVSKY_RESULTS: &str = r#"{ municipality(slug: "kotelnikovsky") { schools(first: 100) {
    nodes { name results { year procedure subject { code name } grade level status mean
        participants failed failedShare sourceText } } } } }"#;

#[tokio::test]
async fn seed_000_results_tables_come_back_cell_by_cell() {
    for backend in backends().await {
        let data = backend.data(KOTELNIKOVSKY_RESULTS, json!({})).await;
        let schools = &data["municipality"]["schools"]["nodes"];
        let cell = |school, procedure, subject, year, level| {
            let r = result(schools, school, procedure, subject, year, level);
            (
                r["status"].as_str().unwrap().to_owned(),
                r["mean"].as_f64(),
                r["sourceText"].as_str().unwrap().to_owned(),
            )
        };
        let got = |status: &str, mean: Option<f64>, text: &str| {
            (status.to_owned(), mean, text.to_owned())
        };
        assert_eq!(
            cell("Красноярская СШ", "VPR", "russian", 2019, None),
            got("RESULT", Some(3.58), "3,58")
        );
        assert_eq!(
            cell("Нагольненская СШ", "VPR", "russian", 2021, None),
            got("RESULT", Some(4.0), "4,0")
        );
        // The dashes of 2020: the ОГЭ was not held; not a mean of zero.
        assert_eq!(
            cell("Семиченская СШ", "OGE", "mathematics", 2020, None),
            got("NOT_HELD", None, "-")
        );
        // «3,2 /50» under «Матем. (баз./проф.)»: two records, one cell.
        assert_eq!(
            cell("Красноярская СШ", "EGE", "mathematics", 2019, Some("BASE")),
            got("RESULT", Some(3.2), "3,2 /50")
        );
        assert_eq!(
            cell(
                "Красноярская СШ",
                "EGE",
                "mathematics",
                2019,
                Some("PROFILE")
            ),
            got("RESULT", Some(50.0), "3,2 /50")
        );
        // A printed «0» is nobody sitting the exam.
        assert_eq!(
            cell(
                "Красноярская СШ",
                "EGE",
                "mathematics",
                2020,
                Some("PROFILE")
            ),
            got("NO_PARTICIPANTS", None, "0")
        );
        assert_eq!(
            cell("Семиченская СШ", "EGE", "russian", 2020, None),
            got("RESULT", Some(46.3), "46,3")
        );
        assert_eq!(
            cell("Семиченская СШ", "GVE_11", "mathematics", 2021, None),
            got("RESULT", Some(3.5), "3,5")
        );
        let records: usize = schools
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["results"].as_array().unwrap().len())
            .sum();
        // 3 schools × (6 ВПР + 6 ОГЭ + 8 ЕГЭ/ГВЭ cells) + the two «base /profile» cells.
        assert_eq!(records, 3 * 20 + 2, "{}", backend.name);
        insta::assert_json_snapshot!("kotelnikovsky_results", data);
        backend.finish().await;
    }
}

#[tokio::test]
async fn dynamics_never_change_across_a_gap() {
    for backend in backends().await {
        let school = backend
            .data(
                r#"{ schools(filter: {nameContains: "Красноярская"}) { nodes { id } } }"#,
                json!({}),
            )
            .await["schools"]["nodes"][0]["id"]
            .clone();
        let query = r#"query($s: ID!, $p: Procedure!, $subject: String!) {
            resultsDynamics(school: $s, procedure: $p, subject: $subject) {
                level points { year status mean change } } }"#;
        let vpr = backend
            .data(
                query,
                json!({"s": school, "p": "VPR", "subject": "mathematics"}),
            )
            .await;
        let points = &vpr["resultsDynamics"][0]["points"];
        let changes: Vec<Option<f64>> = points
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["change"].as_f64().map(|c| (c * 100.0).round() / 100.0))
            .collect();
        assert_eq!(changes, [None, Some(-0.16), Some(0.26)], "{}", backend.name);
        let oge = backend
            .data(
                query,
                json!({"s": school, "p": "OGE", "subject": "russian"}),
            )
            .await;
        let points = oge["resultsDynamics"][0]["points"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(points[1]["status"], "NOT_HELD");
        assert!(
            points.iter().all(|p| p["change"].is_null()),
            "{}: a change across the year not held: {points:?}",
            backend.name
        );
        backend.finish().await;
    }
}

#[tokio::test]
async fn the_municipal_table_sets_schools_side_by_side_with_the_mean() {
    for backend in backends().await {
        let data = backend
            .data(
                r#"{ municipality(slug: "kotelnikovsky") { results(year: 2019, procedure: VPR) {
                    columns { subject { code } mean weighted schools }
                    rows { school { name } results { mean } } } } }"#,
                json!({}),
            )
            .await;
        let table = &data["municipality"]["results"];
        assert_eq!(table["rows"].as_array().unwrap().len(), 3);
        let russian = &table["columns"][0];
        assert_eq!(russian["subject"]["code"], "russian");
        // (3,58 + 3,16 + 3,4) / 3 = 3,38: no school published its participants, so unweighted.
        assert_eq!(russian["mean"], 3.38, "{}", backend.name);
        assert_eq!(russian["weighted"], false);
        assert_eq!(russian["schools"], 3);
        backend.finish().await;
    }
}

#[tokio::test]
async fn labinsky_deficits_total_232_and_shares_add_up_to_100() {
    for backend in backends().await {
        let data = backend
            .data(
                r#"{ municipality(slug: "labinsky") {
                    competencyDeficits { subject { name } teachers levelA levelB levelC levelD
                        shareA shareB shareC shareD publishedShares { a b c d } sharesDiffer }
                    competencyDeficitTotal(year: 2021) { teachers levelA levelB levelC levelD
                        shareA shareB shareC shareD } } }"#,
                json!({}),
            )
            .await;
        let m = &data["municipality"];
        let total = &m["competencyDeficitTotal"];
        let counts: Vec<i64> = ["teachers", "levelA", "levelB", "levelC", "levelD"]
            .iter()
            .map(|k| total[k].as_i64().unwrap())
            .collect();
        assert_eq!(counts, [232, 65, 79, 84, 4], "{}", backend.name);
        let rows = m["competencyDeficits"].as_array().unwrap();
        assert_eq!(rows.len(), 10);
        for row in rows.iter().chain([total]) {
            let sum: i64 = ["shareA", "shareB", "shareC", "shareD"]
                .iter()
                .map(|k| row[k].as_i64().unwrap())
                .sum();
            assert_eq!(sum, 100, "{row}");
        }
        // Русский язык: 8, 16, 12, 0 of 36 is 22, 45, 33, 0 by the largest remainder; the seed
        // printed 22, 44, 34, 0. Both are shown and the row is flagged.
        let russian = &rows[0];
        assert_eq!(russian["subject"]["name"], "Русский язык");
        assert_eq!(
            [&russian["shareA"], &russian["shareB"], &russian["shareC"]],
            [22, 45, 33]
        );
        assert_eq!(russian["publishedShares"]["b"], 44);
        assert_eq!(russian["sharesDiffer"], true);
        insta::assert_json_snapshot!("labinsky_deficits", data);
        backend.finish().await;
    }
}

const RECORD: &str = r#"mutation($s: ID!, $year: Int!, $key: ResultKeyInput!, $figures: FiguresInput!) {
    recordResult(school: $s, year: $year, key: $key, figures: $figures) {
        id version status mean participants failed failedShare grade } }"#;

/// A school of the test district, by its number.
async fn test_school(backend: &Backend, number: usize) -> String {
    backend
        .data(
            r#"query($n: String!) { schools(filter: {nameContains: $n}) { nodes { id name } } }"#,
            json!({ "n": format!("Тестовая СОШ №{number}") }),
        )
        .await["schools"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == format!("Тестовая СОШ №{number}"))
        .expect("a test school")["id"]
        .clone()
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_bad_result_is_refused_with_every_broken_rule_and_nothing_written() {
    for backend in backends().await {
        common::add_schools(&backend.db, 1).await;
        let admin = backend.token(Role::Admin, None, None).await;
        let school = test_school(&backend, 0).await;
        let before = backend.fingerprint().await;
        let cases = [
            (
                2021,
                json!({"procedure": "VPR", "subject": "mathematics", "grade": 3}),
                json!({"status": "RESULT", "mean": 7.5, "participants": 10, "failed": 11}),
                vec!["key.grade", "figures.mean", "figures.failed"],
            ),
            (
                2020,
                json!({"procedure": "OGE", "subject": "mathematics", "level": "BASE"}),
                json!({"status": "RESULT", "mean": 3.5}),
                vec!["key.level", "year"],
            ),
            (
                2021,
                json!({"procedure": "EGE", "subject": "mathematics"}),
                json!({"status": "NOT_HELD", "mean": 0.0, "participants": 0}),
                vec!["key.level", "figures.mean", "figures.participants"],
            ),
            (
                1999,
                json!({"procedure": "EGE", "subject": "astrology"}),
                json!({"status": "RESULT", "mean": 101.0, "participants": -1}),
                vec![
                    "year",
                    "key.subject",
                    "figures.mean",
                    "figures.participants",
                ],
            ),
        ];
        for (year, key, figures, fields) in cases {
            let body = backend
                .post_as(
                    Some(&admin),
                    RECORD,
                    json!({"s": school, "year": year, "key": key, "figures": figures}),
                )
                .await;
            assert_eq!(error_code(&body).0, "VALIDATION", "{body}");
            let violations: Vec<&str> = body["errors"][0]["extensions"]["violations"]
                .as_array()
                .unwrap_or_else(|| panic!("{body}"))
                .iter()
                .map(|v| v["field"].as_str().unwrap())
                .collect();
            for field in fields {
                assert!(
                    violations.contains(&field),
                    "{key} {figures}: {violations:?}"
                );
            }
        }
        assert_eq!(backend.fingerprint().await, before, "{}", backend.name);
        backend.finish().await;
    }
}

#[tokio::test]
async fn a_result_is_recorded_corrected_at_its_version_and_deleted() {
    for backend in backends().await {
        common::add_schools(&backend.db, 1).await;
        let admin = backend.token(Role::Admin, None, None).await;
        let school = test_school(&backend, 0).await;
        let key = json!({"procedure": "VPR", "subject": "russian", "grade": 5});
        let figures = json!({"status": "RESULT", "mean": 3.4, "participants": 24, "failed": 8});
        let vars = json!({"s": school, "year": 2021, "key": key, "figures": figures});
        let body = backend.post_as(Some(&admin), RECORD, vars.clone()).await;
        let recorded = body["data"]["recordResult"].clone();
        assert_eq!(recorded["failedShare"], 33.3, "{body}");
        assert_eq!(recorded["grade"], 5);
        // The same cell again is refused.
        let again = backend.post_as(Some(&admin), RECORD, vars).await;
        assert_eq!(error_code(&again).0, "VALIDATION", "{again}");

        let update = r#"mutation($id: ID!, $v: Int!, $f: FiguresInput!) {
            updateResult(id: $id, version: $v, figures: $f) { version status mean } }"#;
        let figures = json!({"status": "NOT_REPORTED"});
        let body = backend
            .post_as(
                Some(&admin),
                update,
                json!({"id": recorded["id"], "v": 1, "f": figures}),
            )
            .await;
        assert_eq!(body["data"]["updateResult"]["version"], 2, "{body}");
        assert!(body["data"]["updateResult"]["mean"].is_null());
        let stale = backend
            .post_as(
                Some(&admin),
                update,
                json!({"id": recorded["id"], "v": 1, "f": figures}),
            )
            .await;
        assert_eq!(error_code(&stale).0, "CONFLICT", "{stale}");

        let delete = r#"mutation($id: ID!) { deleteResult(id: $id, version: 2) { status } }"#;
        let body = backend
            .post_as(Some(&admin), delete, json!({"id": recorded["id"]}))
            .await;
        assert_eq!(
            body["data"]["deleteResult"]["status"], "NOT_REPORTED",
            "{body}"
        );
        let audit = backend
            .post_as(
                Some(&admin),
                r#"query($id: ID!) { auditLog(filter: {entityId: $id}) { nodes { operation } } }"#,
                json!({"id": recorded["id"]}),
            )
            .await;
        let operations = common::strings(&audit["data"]["auditLog"]["nodes"], "operation");
        assert_eq!(
            operations.iter().collect::<std::collections::BTreeSet<_>>(),
            ["deleteResult", "recordResult", "updateResult"]
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .iter()
                .collect(),
            "{audit}"
        );
        // A coordinator of another municipality may not record results here.
        let other = backend
            .token(Role::Coordinator, Some("labinsky"), None)
            .await;
        let key = json!({"procedure": "VPR", "subject": "russian", "grade": 6});
        let body = backend
            .post_as(
                Some(&other),
                RECORD,
                json!({"s": school, "year": 2021, "key": key, "figures": {"status": "NOT_REPORTED"}}),
            )
            .await;
        assert_eq!(error_code(&body).0, "FORBIDDEN", "{body}");
        backend.finish().await;
    }
}

/// A result to record: procedure, subject, grade, year, participants, failed.
type Row<'a> = (&'a str, &'a str, Option<i32>, i32, i32, i32);

/// Records each of `rows` for a school.
async fn record_all(backend: &Backend, token: &str, school: &str, rows: &[Row<'_>]) {
    for &(procedure, subject, grade, year, participants, failed) in rows {
        let key = json!({"procedure": procedure, "subject": subject, "grade": grade});
        let figures = json!({"status": "RESULT", "participants": participants, "failed": failed});
        let body = backend
            .post_as(
                Some(token),
                RECORD,
                json!({"s": school, "year": year, "key": key, "figures": figures}),
            )
            .await;
        assert!(body.get("errors").is_none(), "{body}");
    }
}

#[tokio::test]
async fn identification_applies_both_rules_at_the_threshold_and_lists_every_gap() {
    for backend in backends().await {
        common::add_schools(&backend.db, 7).await;
        let admin = backend.token(Role::Admin, None, None).await;
        let mut ids = Vec::new();
        for i in 0..7 {
            ids.push(test_school(&backend, i).await);
        }
        // Analysed: ВПР maths 5, ВПР Russian 5 and ОГЭ maths, for 2021 (results of 2020, 2019;
        // the ОГЭ was not held in 2020). `fine` is a complete year with nothing low.
        let fine = |year| {
            vec![
                ("VPR", "mathematics", Some(5), year, 20, 1),
                ("VPR", "russian", Some(5), year, 20, 1),
            ]
        };
        let oge_2019_fine = ("OGE", "mathematics", None, 2019, 10, 0);
        // №0, rule 1 alone: two low in 2020 (10 of 30 and exactly 30 %), 2019 fine.
        let mut rows = vec![
            ("VPR", "mathematics", Some(5), 2020, 30, 10),
            ("VPR", "russian", Some(5), 2020, 10, 3),
            oge_2019_fine,
        ];
        rows.extend(fine(2019));
        record_all(&backend, &admin, &ids[0], &rows).await;
        // №1, rule 2 alone: one low in 2020, one low in 2019.
        let rows = vec![
            ("VPR", "mathematics", Some(5), 2020, 20, 6),
            ("VPR", "russian", Some(5), 2020, 20, 1),
            ("VPR", "mathematics", Some(5), 2019, 20, 1),
            ("VPR", "russian", Some(5), 2019, 20, 1),
            ("OGE", "mathematics", None, 2019, 10, 5),
        ];
        record_all(&backend, &admin, &ids[1], &rows).await;
        // №2, both rules.
        let rows = vec![
            ("VPR", "mathematics", Some(5), 2020, 20, 6),
            ("VPR", "russian", Some(5), 2020, 20, 10),
            ("VPR", "mathematics", Some(5), 2019, 20, 8),
            ("VPR", "russian", Some(5), 2019, 20, 1),
            oge_2019_fine,
        ];
        record_all(&backend, &admin, &ids[2], &rows).await;
        // №3, 29,9 % twice in 2020: not low, and complete, so not listed.
        let mut rows = vec![
            ("VPR", "mathematics", Some(5), 2020, 1000, 299),
            ("VPR", "russian", Some(5), 2020, 1000, 299),
            oge_2019_fine,
        ];
        rows.extend(fine(2019));
        record_all(&backend, &admin, &ids[3], &rows).await;
        // №4, a missing year: one low in 2020, nothing for 2019.
        let rows = vec![
            ("VPR", "mathematics", Some(5), 2020, 20, 6),
            ("VPR", "russian", Some(5), 2020, 20, 1),
        ];
        record_all(&backend, &admin, &ids[4], &rows).await;
        // №5, the ОГЭ of 2020 recorded as not held, and everything else fine: not listed.
        let mut rows = fine(2020);
        rows.extend(fine(2019));
        rows.push(oge_2019_fine);
        record_all(&backend, &admin, &ids[5], &rows).await;
        let key = json!({"procedure": "OGE", "subject": "mathematics"});
        let body = backend
            .post_as(
                Some(&admin),
                RECORD,
                json!({"s": ids[5], "year": 2020, "key": key, "figures": {"status": "NOT_HELD"}}),
            )
            .await;
        assert!(body.get("errors").is_none(), "{body}");
        // №6, zero participants in 2020 beside one low: neither low nor missing.
        let mut rows = vec![
            ("VPR", "mathematics", Some(5), 2020, 0, 0),
            ("VPR", "russian", Some(5), 2020, 20, 10),
            oge_2019_fine,
        ];
        rows.extend(fine(2019));
        record_all(&backend, &admin, &ids[6], &rows).await;

        let data = backend
            .data(
                r#"{ lowResultIdentification(municipality: "test-district", year: 2021,
                        procedures: [{procedure: VPR, subject: "mathematics", grade: 5},
                                     {procedure: VPR, subject: "russian", grade: 5},
                                     {procedure: OGE, subject: "mathematics"}]) {
                    analysedYears threshold
                    candidates { school { name } rules inProgramme
                        evidence { year procedure subject { name } grade failedShare } }
                    incomplete { school { name } missing { year procedure subject { code } grade gap } }
                } }"#,
                json!({}),
            )
            .await;
        let found = &data["lowResultIdentification"];
        assert_eq!(found["analysedYears"], json!([2020, 2019]));
        let candidates: Vec<(String, Value)> = found["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["school"]["name"].as_str().unwrap().to_owned(),
                    c["rules"].clone(),
                )
            })
            .collect();
        assert_eq!(
            candidates,
            [
                ("Тестовая СОШ №0".to_owned(), json!([1])),
                ("Тестовая СОШ №1".to_owned(), json!([2])),
                ("Тестовая СОШ №2".to_owned(), json!([1, 2])),
            ],
            "{}: {found:#}",
            backend.name
        );
        let incomplete = common::strings(
            &Value::Array(
                found["incomplete"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["school"].clone())
                    .collect(),
            ),
            "name",
        );
        assert_eq!(incomplete, ["Тестовая СОШ №4"], "{}", backend.name);
        let missing = &found["incomplete"][0]["missing"];
        assert_eq!(missing.as_array().unwrap().len(), 3, "{missing}");
        assert!(
            missing
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["year"] == 2019 && m["gap"] == "NOT_RECORDED")
        );
        insta::assert_json_snapshot!("identification_fixtures", found);

        // A lower threshold catches №3's 29,9 %.
        let lower = backend
            .data(
                r#"{ lowResultCandidates(municipality: "test-district", year: 2021, threshold: 29.9,
                        procedures: [{procedure: VPR, subject: "mathematics", grade: 5},
                                     {procedure: VPR, subject: "russian", grade: 5}]) {
                    school { name } rules } }"#,
                json!({}),
            )
            .await;
        assert!(
            lower["lowResultCandidates"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["school"]["name"] == "Тестовая СОШ №3"),
            "{lower}"
        );
        backend.finish().await;
    }
}

#[tokio::test]
async fn yaysky_publishes_its_decision_and_lists_what_the_rules_lack() {
    for backend in backends().await {
        let data = backend
            .data(
                r#"{ lowResultIdentification(municipality: "yaysky", year: 2021) {
                    procedures { procedure subject { name } grade }
                    candidates { school { name } }
                    incomplete { school { name } missing { year gap } }
                    decision { threshold conclusion schools { fullName } }
                } }"#,
                json!({}),
            )
            .await;
        let found = &data["lowResultIdentification"];
        assert_eq!(found["procedures"].as_array().unwrap().len(), 6);
        assert_eq!(found["candidates"], json!([]));
        // No figures for Яйский's schools are in the seeds: every school is listed as lacking
        // them, never silently passed over.
        assert_eq!(found["incomplete"].as_array().unwrap().len(), 2, "{found}");
        let decision = &found["decision"];
        assert_eq!(decision["threshold"], 30.0);
        assert_eq!(decision["schools"][0]["fullName"], "МБОУ «Туратская ООШ»");
        assert!(
            decision["conclusion"]
                .as_str()
                .unwrap()
                .contains("выявлена 1")
        );
        backend.finish().await;
    }
}

#[tokio::test]
async fn identification_input_is_checked() {
    for backend in backends().await {
        for (query, field) in [
            (
                r#"{ lowResultCandidates(municipality: "yaysky", year: 2021, threshold: 0) { rules } }"#,
                "threshold",
            ),
            (
                r#"{ lowResultCandidates(municipality: "yaysky", year: 2021, threshold: 100.5) { rules } }"#,
                "threshold",
            ),
            (
                r#"{ lowResultCandidates(municipality: "yaysky", year: 2021, procedures: [{procedure: OGE, subject: "russian", grade: 5}]) { rules } }"#,
                "procedures[0].grade",
            ),
            (
                r#"{ lowResultCandidates(municipality: "yaysky", year: 2021, procedures: []) { rules } }"#,
                "procedures",
            ),
        ] {
            let body = backend.post(query, json!({})).await;
            assert_eq!(
                error_code(&body),
                ("BAD_USER_INPUT".to_owned(), field.to_owned()),
                "{query}: {body}"
            );
        }
        let body = backend
            .post(
                r#"{ schools(first: 1) { nodes { results(subject: "astrology") { year } } } }"#,
                json!({}),
            )
            .await;
        assert_eq!(error_code(&body).1, "subject", "{body}");
        let body = backend
            .post(
                r#"{ lowResultCandidates(municipality: "atlantis", year: 2021) { rules } }"#,
                json!({}),
            )
            .await;
        assert_eq!(error_code(&body).0, "NOT_FOUND", "{body}");
        backend.finish().await;
    }
}

#[tokio::test]
async fn deficits_indicators_and_decisions_refuse_what_does_not_add_up() {
    for backend in backends().await {
        common::add_schools(&backend.db, 1).await;
        let admin = backend.token(Role::Admin, None, None).await;
        let school = test_school(&backend, 0).await;
        let before = backend.fingerprint().await;
        let violations = |body: &Value| -> Vec<String> {
            assert_eq!(error_code(body).0, "VALIDATION", "{body}");
            common::strings(&body["errors"][0]["extensions"]["violations"], "field")
        };

        let deficit = r#"mutation($counts: DeficitCountsInput!) {
            recordCompetencyDeficit(municipality: "labinsky", year: 2021, subject: "russian",
                counts: $counts) { id } }"#;
        // Лабинский has Русский язык for 2021 already; and 8 + 16 + 12 + 1 is not 36.
        let counts = json!({"teachers": 36, "levelA": 8, "levelB": 16, "levelC": 12, "levelD": 1,
            "publishedShares": [22, 44, 34]});
        let body = backend
            .post_as(Some(&admin), deficit, json!({"counts": counts}))
            .await;
        let fields = violations(&body);
        for field in ["counts", "counts.publishedShares", "key.subject"] {
            assert!(fields.contains(&field.to_owned()), "{fields:?}");
        }

        let indicator = r#"mutation($s: ID!, $n: Int!, $value: IndicatorValueInput!) {
            recordIndicatorValue(school: $s, indicator: $n, year: 2021, value: $value) {
                indicator { name kind } percentage count present } }"#;
        // Indicator 2 («Качество знаний, в %») takes a percentage, not a count.
        let body = backend
            .post_as(
                Some(&admin),
                indicator,
                json!({"s": school, "n": 2, "value": {"count": 3}}),
            )
            .await;
        let fields = violations(&body);
        assert!(
            fields.contains(&"value.percentage".to_owned()),
            "{fields:?}"
        );
        assert!(fields.contains(&"value.count".to_owned()), "{fields:?}");

        let decision = r#"mutation($schools: [ID!]!) {
            recordIdentificationDecision(municipality: "test-district", year: 2022, terms: {
                procedures: [{procedure: OGE, subject: "mathematics"}],
                conclusion: "  ", schools: $schools }) { id } }"#;
        let labinsky_school = backend
            .data(
                r#"{ schools(filter: {municipality: "labinsky"}, first: 1) { nodes { id } } }"#,
                json!({}),
            )
            .await["schools"]["nodes"][0]["id"]
            .clone();
        let body = backend
            .post_as(
                Some(&admin),
                decision,
                json!({"schools": [labinsky_school, "not-an-id"]}),
            )
            .await;
        let fields = violations(&body);
        for field in ["terms.conclusion", "terms.schools[0]", "terms.schools[1]"] {
            assert!(fields.contains(&field.to_owned()), "{fields:?}");
        }
        assert_eq!(backend.fingerprint().await, before, "{}", backend.name);

        // A value of the right kind is recorded, and the school page shows it.
        let body = backend
            .post_as(
                Some(&admin),
                indicator,
                json!({"s": school, "n": 2, "value": {"percentage": 41.5}}),
            )
            .await;
        assert_eq!(
            body["data"]["recordIndicatorValue"]["percentage"], 41.5,
            "{body}"
        );
        backend.finish().await;
    }
}

#[tokio::test]
async fn the_database_refuses_a_figure_without_a_result_and_levels_that_do_not_add_up() {
    use sea_orm::ConnectionTrait;
    for backend in backends().await {
        for statement in [
            // A mean beside «not held».
            "INSERT INTO assessment_results (school_id, year, procedure, subject_id, status, mean_hundredths) \
             VALUES (1, 2020, 'OGE', 1, 'NOT_HELD', 0)",
            // A mark of 7.
            "INSERT INTO assessment_results (school_id, year, procedure, subject_id, status, mean_hundredths) \
             VALUES (1, 2022, 'VPR', 1, 'RESULT', 700)",
            // More failed than participants.
            "INSERT INTO assessment_results (school_id, year, procedure, subject_id, status, participants, failed) \
             VALUES (1, 2022, 'VPR', 2, 'RESULT', 5, 6)",
            // The same cell twice (seed 000 has Красноярская's ВПР Russian 2019).
            "INSERT INTO assessment_results (school_id, year, procedure, subject_id, status) \
             VALUES (1, 2019, 'VPR', 1, 'NOT_REPORTED')",
            // A + B + C + D ≠ teachers.
            "INSERT INTO competency_deficits (municipality_id, year, subject_id, teachers, level_a, level_b, level_c, level_d) \
             VALUES (1, 2022, 1, 10, 1, 1, 1, 1)",
            // A risk factor twice in one profile (СОШ № 6's has factor 1).
            "INSERT INTO risk_profile_factors (profile_id, factor_id) VALUES (1, 1)",
            // A school of another municipality in a deficit row.
            "INSERT INTO competency_deficits (municipality_id, school_id, year, subject_id, teachers, level_a, level_b, level_c, level_d) \
             VALUES (2, 1, 2022, 1, 1, 1, 0, 0, 0)",
        ] {
            let refused = backend.db.execute_unprepared(statement).await;
            assert!(refused.is_err(), "{}: {statement}", backend.name);
        }
        backend.finish().await;
    }
}

#[tokio::test]
async fn risk_profiles_hold_each_factor_once_and_move_their_version_with_their_factors() {
    for backend in backends().await {
        let data = backend
            .data(
                r#"{ schools(filter: {municipality: "labinsky", nameContains: "СОШ № 6"}) { nodes {
                    name riskProfiles { year riskGroup factors { factor { number name } significance } } } }
                    riskFactors { number } }"#,
                json!({}),
            )
            .await;
        assert_eq!(data["riskFactors"].as_array().unwrap().len(), 10);
        let profile = &data["schools"]["nodes"][0]["riskProfiles"][0];
        assert_eq!(profile["year"], 2020, "{data}");
        let numbers: Vec<i64> = profile["factors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["factor"]["number"].as_i64().unwrap())
            .collect();
        assert_eq!(numbers, [1, 2, 4, 6], "{}", backend.name);

        common::add_schools(&backend.db, 1).await;
        let admin = backend.token(Role::Admin, None, None).await;
        let school = test_school(&backend, 0).await;
        let record = r#"mutation($s: ID!, $factors: [ProfileFactorInput!]!) {
            recordRiskProfile(school: $s, year: 2022, profile: {riskGroup: "Базово неуспевающие", factors: $factors}) {
                id version factors { factor { number } significance } } }"#;
        let before = backend.fingerprint().await;
        let bad = json!([{"factor": 2, "significance": "HIGH"}, {"factor": 11}, {"factor": 2}]);
        let body = backend
            .post_as(Some(&admin), record, json!({"s": school, "factors": bad}))
            .await;
        assert_eq!(error_code(&body).0, "VALIDATION", "{body}");
        let fields = common::strings(&body["errors"][0]["extensions"]["violations"], "field");
        assert_eq!(
            fields,
            ["terms.factors[1].factor", "terms.factors[2].factor"]
        );
        assert_eq!(backend.fingerprint().await, before);

        let good = json!([{"factor": 2, "significance": "HIGH"}, {"factor": 6}]);
        let body = backend
            .post_as(Some(&admin), record, json!({"s": school, "factors": good}))
            .await;
        let recorded = body["data"]["recordRiskProfile"].clone();
        assert_eq!(recorded["factors"][0]["significance"], "HIGH", "{body}");
        let update = r#"mutation($id: ID!, $v: Int!) {
            updateRiskProfile(id: $id, version: $v, profile: {riskGroup: "Базово неуспевающие",
                factors: [{factor: 2, significance: MEDIUM}]}) { version factors { significance } } }"#;
        let body = backend
            .post_as(Some(&admin), update, json!({"id": recorded["id"], "v": 1}))
            .await;
        assert_eq!(body["data"]["updateRiskProfile"]["version"], 2, "{body}");
        let stale = backend
            .post_as(Some(&admin), update, json!({"id": recorded["id"], "v": 1}))
            .await;
        assert_eq!(error_code(&stale).0, "CONFLICT", "{stale}");
        backend.finish().await;
    }
}

#[tokio::test]
async fn a_survey_round_adds_up_per_section_in_the_api_and_on_the_school_page() {
    for backend in backends().await {
        common::add_schools(&backend.db, 1).await;
        let admin = backend.token(Role::Admin, None, None).await;
        let school = test_school(&backend, 0).await;
        let record = r#"mutation($s: ID!, $answers: [SurveyAnswerInput!]!, $n: Int!) {
            recordSurveyRound(school: $s, round: {heldOn: "2022-04", respondents: $n, answers: $answers}) {
                respondents sections { number name noChange slight noticeable shares } } }"#;
        let answer = |statement: i32, counts: [i32; 3]| json!({"statement": statement, "noChange": counts[0], "slight": counts[1], "noticeable": counts[2]});
        let before = backend.fingerprint().await;
        let bad = json!([
            answer(1, [1, 1, 1]),
            answer(1, [0, 0, 1]),
            answer(21, [0, 0, 0]),
            answer(2, [5, 5, 5])
        ]);
        let body = backend
            .post_as(
                Some(&admin),
                record,
                json!({"s": school, "answers": bad, "n": 12}),
            )
            .await;
        assert_eq!(error_code(&body).0, "VALIDATION", "{body}");
        let fields = common::strings(&body["errors"][0]["extensions"]["violations"], "field");
        assert_eq!(
            fields,
            [
                "round.answers[1].statement",
                "round.answers[2].statement",
                "round.answers[3]"
            ]
        );
        assert_eq!(backend.fingerprint().await, before, "{}", backend.name);

        // Statements 1–5 are «Доверие и сотрудничество», 6 is the next section.
        let good = json!([
            answer(1, [2, 5, 5]),
            answer(2, [1, 1, 10]),
            answer(6, [4, 4, 4])
        ]);
        let body = backend
            .post_as(
                Some(&admin),
                record,
                json!({"s": school, "answers": good, "n": 12}),
            )
            .await;
        let sections = &body["data"]["recordSurveyRound"]["sections"];
        assert_eq!(sections[0]["name"], "Доверие и сотрудничество", "{body}");
        assert_eq!(
            [
                &sections[0]["noChange"],
                &sections[0]["slight"],
                &sections[0]["noticeable"]
            ],
            [3, 6, 15]
        );
        // 3, 6, 15 of 24: 12,5 / 25 / 62,5 → 12 / 25 / 63 by the largest remainder (a tie of
        // remainders goes to the larger count).
        assert_eq!(sections[0]["shares"], json!([12, 25, 63]));
        assert_eq!(sections[1]["shares"], json!([34, 33, 33]));

        let dir = tempfile::tempdir().unwrap();
        let options = schoolnet::site::ExportOptions {
            out: dir.path().join("site"),
            municipalities: vec!["test-district".into()],
            ..Default::default()
        };
        schoolnet::site::export(&backend.db, &options, &|_, _| {})
            .await
            .expect("export");
        let page = std::fs::read_dir(dir.path().join("site/test-district"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.to_string_lossy().contains("school-"))
            .map(|p| std::fs::read_to_string(p).unwrap())
            .expect("the school's page");
        assert!(
            page.contains("Анкета «Есть ли изменения?», апрель 2022: 12 ответивших"),
            "{page}"
        );
        assert!(page.contains("Доверие и сотрудничество: Изменений нет 3 (12 %)"));
        backend.finish().await;
    }
}

/// A mutation's later fields see what its earlier fields changed: a mutation reads every row
/// afresh, never from what an earlier field of the same request read (a query does keep what
/// it read, `a_query_reads_each_row_once`).
#[tokio::test]
async fn later_fields_of_a_mutation_see_what_the_earlier_ones_changed() {
    for backend in backends().await {
        common::add_schools(&backend.db, 1).await;
        let admin = backend.token(Role::Admin, None, None).await;
        let school = test_school(&backend, 0).await;
        let version = backend
            .data(
                "query($s: ID!) { school(id: $s) { version } }",
                json!({ "s": school }),
            )
            .await["school"]["version"]
            .clone();
        let body = backend
            .post_as(
                Some(&admin),
                r#"mutation($s: ID!, $v: Int!) {
                    before: recordResult(school: $s, year: 2020, key: {procedure: OGE, subject: "mathematics"},
                                         figures: {status: NOT_HELD}) { school { fullName } }
                    rename: updateSchool(id: $s, version: $v, input: {fullName: "Тестовая школа, переименована"}) { fullName }
                    after: recordResult(school: $s, year: 2020, key: {procedure: OGE, subject: "russian"},
                                        figures: {status: NOT_HELD}) { school { fullName } } }"#,
                json!({ "s": school, "v": version }),
            )
            .await;
        assert!(body.get("errors").is_none(), "{}: {body}", backend.name);
        let data = &body["data"];
        assert_ne!(
            data["before"]["school"]["fullName"],
            data["rename"]["fullName"]
        );
        assert_eq!(
            data["after"]["school"]["fullName"], "Тестовая школа, переименована",
            "{}: {body}",
            backend.name
        );
        backend.finish().await;
    }
}
