//! Roadmaps, measures, the curator review and curator visits over GraphQL/HTTP, on SQLite and
//! PostgreSQL: the review moves only as its table allows and only for its parties, the thread
//! and the audit log keep every step, bad measures and visits are refused whole, and the
//! visiting rule finds the curators who fell behind.

use crate::common::{self, Backend, backends, error_code};
use schoolnet::auth::Role;
use serde_json::{Value, json};

/// A school of Лабинский with a curator appointed today, and the tokens of everyone involved.
struct Fixture {
    school: String,
    curator: String,
    admin: String,
    director: String,
    curator_token: String,
    stranger_token: String,
    other_director: String,
}

async fn school_ids(backend: &Backend, admin: &str) -> Vec<String> {
    let data = backend
        .post_as(
            Some(admin),
            r#"{ schools(filter: {municipality: "labinsky"}, first: 2) { nodes { id } } }"#,
            json!({}),
        )
        .await;
    common::strings(&data["data"]["schools"]["nodes"], "id")
}

async fn person(backend: &Backend, admin: &str, name: &str) -> String {
    let body = backend
        .post_as(
            Some(admin),
            "mutation($i: PersonInput!) { createPerson(input: $i) { id } }",
            json!({"i": {"fullName": name}}),
        )
        .await;
    body["data"]["createPerson"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

async fn fixture(backend: &Backend) -> Fixture {
    let admin = backend.token(Role::Admin, None, None).await;
    let schools = school_ids(backend, &admin).await;
    let curator = person(backend, &admin, "Куратор Тестовая Анна Петровна").await;
    let stranger = person(backend, &admin, "Куратор Другой Школы").await;
    let appoint = "mutation($i: AppointInput!) { appoint(input: $i) { id } }";
    for (who, school) in [(&curator, &schools[0]), (&stranger, &schools[1])] {
        let body = backend
            .post_as(
                Some(&admin),
                appoint,
                json!({"i": {"person": who, "role": "CURATOR", "programme": "LOW_RESULTS",
                              "school": school, "startsOn": "2021-09-01"}}),
            )
            .await;
        assert!(body["errors"].is_null(), "{body}");
    }
    let school_number = common::row_number(&schools[0]);
    Fixture {
        director: backend
            .scoped_token(Role::Director, None, None, Some(school_number))
            .await,
        other_director: backend
            .scoped_token(
                Role::Director,
                None,
                None,
                Some(common::row_number(&schools[1])),
            )
            .await,
        curator_token: backend
            .token(Role::Curator, None, Some(common::row_number(&curator)))
            .await,
        stranger_token: backend
            .token(Role::Curator, None, Some(common::row_number(&stranger)))
            .await,
        school: schools[0].clone(),
        curator,
        admin,
    }
}

const CREATE: &str = r#"mutation($s: ID, $m: String, $y: SchoolYear!, $p: PlanInput!) {
    createPlan(school: $s, municipality: $m, schoolYear: $y, plan: $p) {
        id version reviewState schoolYear } }"#;
const ADD: &str = r#"mutation($p: ID!, $m: MeasureInput!) {
    addMeasure(plan: $p, measure: $m) {
        id version number period { text startsOn endsOn } targetSchools { id } } }"#;
/// Takes a review step by name and returns the body.
async fn step(
    backend: &Backend,
    token: &str,
    name: &str,
    id: &str,
    version: i64,
    comment: Option<&str>,
) -> Value {
    let comment_type = if matches!(name, "returnForChanges" | "commentOnReview") {
        "String!"
    } else {
        "String"
    };
    let query = format!(
        r#"mutation($id: ID!, $v: Int!, $c: {comment_type}) {{
            step: {name}(id: $id, version: $v, comment: $c) {{
                entry {{ step side text author }}
                plan {{ version reviewState }}
                measure {{ version reportState }} }} }}"#
    );
    backend
        .post_as(
            Some(token),
            &query,
            json!({"id": id, "v": version, "c": comment}),
        )
        .await
}

#[tokio::test]
async fn a_roadmap_goes_through_its_review_as_the_table_says() {
    for backend in backends().await {
        let f = fixture(&backend).await;
        // The director starts the school's roadmap; it is a draft.
        let body = backend
            .post_as(
                Some(&f.director),
                CREATE,
                json!({"s": f.school, "m": null, "y": "2021-2022",
                       "p": {"title": "Дорожная карта школы", "sections": []}}),
            )
            .await;
        let plan = &body["data"]["createPlan"];
        assert_eq!(plan["reviewState"], "DRAFT", "{}: {body}", backend.name);
        let id = plan["id"].as_str().unwrap().to_owned();
        let measure = json!({"title": "Обучение педагогов", "period": "ноябрь-декабрь 2021 года",
                             "riskFactors": [3], "targetSchools": [f.school]});
        let body = backend
            .post_as(Some(&f.director), ADD, json!({"p": id, "m": measure}))
            .await;
        let added = &body["data"]["addMeasure"];
        assert_eq!(added["period"]["startsOn"], "2021-11", "{body}");
        assert_eq!(added["period"]["endsOn"], "2021-12");
        assert_eq!(added["number"], "1");

        // Nobody reviews a draft; the curator cannot submit for the school.
        let body = step(&backend, &f.curator_token, "confirmReview", &id, 1, None).await;
        assert_eq!(error_code(&body).0, "VALIDATION", "{body}");
        let body = step(&backend, &f.curator_token, "submitForReview", &id, 1, None).await;
        assert_eq!(error_code(&body).0, "FORBIDDEN", "{body}");

        // Submitted, the roadmap is frozen for the school and reviewable by its curator only.
        let body = step(
            &backend,
            &f.director,
            "submitForReview",
            &id,
            1,
            Some("Просим согласовать"),
        )
        .await;
        assert_eq!(
            body["data"]["step"]["plan"]["reviewState"], "SUBMITTED",
            "{body}"
        );
        let body = backend
            .post_as(
                Some(&f.director),
                ADD,
                json!({"p": id, "m": {"title": "Ещё одно"}}),
            )
            .await;
        assert_eq!(
            error_code(&body),
            ("VALIDATION".into(), "plan".into()),
            "{body}"
        );
        for outsider in [&f.stranger_token, &f.admin, &f.other_director] {
            let body = step(&backend, outsider, "confirmReview", &id, 2, None).await;
            assert_eq!(error_code(&body).0, "FORBIDDEN", "{body}");
        }
        let body = step(&backend, &f.director, "confirmReview", &id, 2, None).await;
        assert_eq!(
            error_code(&body).0,
            "FORBIDDEN",
            "the school confirms nothing: {body}"
        );
        let body = step(
            &backend,
            &f.curator_token,
            "returnForChanges",
            &id,
            2,
            Some("  "),
        )
        .await;
        assert_eq!(
            error_code(&body).0,
            "VALIDATION",
            "a return says why: {body}"
        );

        // Returned with a comment, answered, changed, submitted again and confirmed.
        let body = step(
            &backend,
            &f.curator_token,
            "returnForChanges",
            &id,
            2,
            Some("Добавьте критерии"),
        )
        .await;
        assert_eq!(
            body["data"]["step"]["plan"]["reviewState"], "RETURNED",
            "{body}"
        );
        assert_eq!(body["data"]["step"]["entry"]["side"], "CURATOR");
        let body = step(
            &backend,
            &f.director,
            "commentOnReview",
            &id,
            3,
            Some("Добавили"),
        )
        .await;
        assert_eq!(
            body["data"]["step"]["plan"]["version"], 3,
            "a comment changes nothing: {body}"
        );
        let body = backend
            .post_as(
                Some(&f.director),
                ADD,
                json!({"p": id, "m": {"title": "Критерии"}}),
            )
            .await;
        assert!(body["errors"].is_null(), "{body}");
        step(&backend, &f.director, "submitForReview", &id, 3, None).await;
        let body = step(&backend, &f.curator_token, "confirmReview", &id, 4, None).await;
        assert_eq!(
            body["data"]["step"]["plan"]["reviewState"], "CONFIRMED",
            "{body}"
        );
        let body = step(&backend, &f.director, "submitForReview", &id, 5, None).await;
        assert_eq!(
            error_code(&body).0,
            "VALIDATION",
            "confirmed is final: {body}"
        );

        // The thread keeps every step; the public cannot read it; the audit log has each step.
        let thread = r#"query($id: ID!) { node(id: $id) { ... on Plan {
            reviewThread { step side text } } } }"#;
        let body = backend
            .post_as(Some(&f.curator_token), thread, json!({"id": id}))
            .await;
        let steps = common::strings(&body["data"]["node"]["reviewThread"], "step");
        assert_eq!(
            steps,
            ["SUBMIT", "RETURN", "COMMENT", "SUBMIT", "CONFIRM"],
            "{body}"
        );
        let body = backend.post(thread, json!({"id": id})).await;
        assert_eq!(error_code(&body).0, "UNAUTHENTICATED", "{body}");
        let audit = backend
            .post_as(
                Some(&f.admin),
                r#"query($id: ID!) { auditLog(filter: {entityId: $id}) { nodes { operation } } }"#,
                json!({"id": id}),
            )
            .await;
        let operations = common::strings(&audit["data"]["auditLog"]["nodes"], "operation");
        for operation in [
            "submitForReview",
            "returnForChanges",
            "commentOnReview",
            "confirmReview",
        ] {
            assert!(
                operations.contains(&operation.to_owned()),
                "{operation}: {operations:?}"
            );
        }
        backend.finish().await;
    }
}

#[tokio::test]
async fn a_measure_report_is_reviewed_like_a_roadmap() {
    for backend in backends().await {
        let f = fixture(&backend).await;
        let body = backend
            .post_as(
                Some(&f.admin),
                CREATE,
                json!({"s": f.school, "m": null, "y": "2021-2022", "p": {"title": "Дорожная карта"}}),
            )
            .await;
        let plan = body["data"]["createPlan"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let body = backend
            .post_as(
                Some(&f.director),
                ADD,
                json!({"p": plan, "m": {"title": "Семинар"}}),
            )
            .await;
        let measure = body["data"]["addMeasure"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let body = step(&backend, &f.director, "submitForReview", &measure, 1, None).await;
        assert_eq!(
            error_code(&body).0,
            "VALIDATION",
            "no report to review yet: {body}"
        );
        let report = r#"mutation($id: ID!, $v: Int!, $r: String) {
            reportOnMeasure(id: $id, version: $v, status: DONE, report: $r) {
                version status report reportState } }"#;
        let body = backend
            .post_as(
                Some(&f.director),
                report,
                json!({"id": measure, "v": 1, "r": "Проведён 18.03.2021"}),
            )
            .await;
        assert_eq!(
            body["data"]["reportOnMeasure"]["reportState"], "DRAFT",
            "{body}"
        );
        let body = step(&backend, &f.director, "submitForReview", &measure, 2, None).await;
        assert_eq!(
            body["data"]["step"]["measure"]["reportState"], "SUBMITTED",
            "{body}"
        );
        let body = backend
            .post_as(
                Some(&f.director),
                report,
                json!({"id": measure, "v": 3, "r": "Другой текст"}),
            )
            .await;
        assert_eq!(
            error_code(&body),
            ("VALIDATION".into(), "report".into()),
            "{body}"
        );
        let body = step(
            &backend,
            &f.curator_token,
            "confirmReview",
            &measure,
            3,
            Some("Подтверждаю"),
        )
        .await;
        assert_eq!(
            body["data"]["step"]["measure"]["reportState"], "CONFIRMED",
            "{body}"
        );
        backend.finish().await;
    }
}

#[tokio::test]
async fn bad_measures_and_visits_are_refused_whole() {
    for backend in backends().await {
        let f = fixture(&backend).await;
        let body = backend
            .post_as(
                Some(&f.admin),
                CREATE,
                json!({"s": null, "m": "labinsky", "y": "2021-2022",
                       "p": {"title": "План мероприятий", "sections": [{"number": 1, "title": "Ресурсное обеспечение"}]}}),
            )
            .await;
        let plan = body["data"]["createPlan"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{body}"))
            .to_owned();
        assert!(body["data"]["createPlan"]["reviewState"].is_null());
        let body = backend
            .post_as(
                Some(&f.director),
                ADD,
                json!({"p": plan, "m": {"title": "Чужой план"}}),
            )
            .await;
        assert_eq!(
            error_code(&body).0,
            "FORBIDDEN",
            "a director writes only the school's: {body}"
        );
        let yaysky = backend
            .post(
                r#"{ schools(filter: {municipality: "yaysky"}, first: 1) { nodes { id } } }"#,
                json!({}),
            )
            .await;
        let foreign = yaysky["data"]["schools"]["nodes"][0]["id"].clone();
        let before = backend.fingerprint().await;
        let bad = json!({"section": 7, "title": "<script>alert(1)</script>\u{202e}",
                         "period": "30.11.2021 - 03.06.2021", "riskFactors": [3, 3, 11],
                         "targetSchools": [foreign, f.school, f.school]});
        let body = backend
            .post_as(Some(&f.admin), ADD, json!({"p": plan, "m": bad}))
            .await;
        assert_eq!(error_code(&body).0, "VALIDATION", "{body}");
        let fields = common::strings(&body["errors"][0]["extensions"]["violations"], "field");
        for field in [
            "measure.section",
            "measure.period",
            "measure.riskFactors[1]",
            "measure.riskFactors[2]",
            "measure.targets[0]",
            "measure.targets[2]",
        ] {
            assert!(fields.contains(&field.to_owned()), "{field}: {fields:?}");
        }
        // A visit outside the appointment, or someone else's, is refused.
        let visit =
            r#"mutation($s: ID!, $v: VisitInput!) { recordVisit(school: $s, visit: $v) { id } }"#;
        let early =
            json!({"curator": f.curator, "visitedOn": "2021-08-31", "purpose": "знакомство"});
        let body = backend
            .post_as(
                Some(&f.curator_token),
                visit,
                json!({"s": f.school, "v": early}),
            )
            .await;
        assert_eq!(
            error_code(&body),
            ("VALIDATION".into(), "visit.visitedOn".into()),
            "{body}"
        );
        let body = backend
            .post_as(
                Some(&f.stranger_token),
                visit,
                json!({"s": f.school, "v": early}),
            )
            .await;
        assert_eq!(error_code(&body).0, "FORBIDDEN", "{body}");
        assert_eq!(backend.fingerprint().await, before, "{}", backend.name);
        backend.finish().await;
    }
}

#[tokio::test]
async fn overdue_curators_follow_the_rule_of_seed_002() {
    for backend in backends().await {
        let f = fixture(&backend).await;
        let visit = r#"mutation($s: ID!, $v: VisitInput!) {
            recordVisit(school: $s, visit: $v) { visitedOn notes } }"#;
        let on = json!({"curator": f.curator, "visitedOn": "2021-10-01",
                        "purpose": "консультирование", "notes": "Обсудили риски"});
        let body = backend
            .post_as(
                Some(&f.curator_token),
                visit,
                json!({"s": f.school, "v": on}),
            )
            .await;
        assert_eq!(
            body["data"]["recordVisit"]["notes"], "Обсудили риски",
            "{body}"
        );
        let public = backend
            .post(
                r#"query($id: ID!) { node(id: $id) { ... on School { visits { visitedOn notes } } } }"#,
                json!({"id": f.school}),
            )
            .await;
        assert_eq!(
            public["data"]["node"]["visits"][0]["visitedOn"], "2021-10-01",
            "{public}"
        );
        assert_eq!(
            error_code(&public).0,
            "UNAUTHENTICATED",
            "notes are not public: {public}"
        );

        let overdue = r#"query($d: NaiveDate!) { overdueCurators(municipality: "labinsky", asOf: $d) {
            curator { fullName } school { id } lastVisit stage allowedDays daysOverdue } }"#;
        let coordinator = backend
            .token(Role::Coordinator, Some("labinsky"), None)
            .await;
        let ours = |body: &Value| -> Option<Value> {
            body["data"]["overdueCurators"]
                .as_array()
                .unwrap_or_else(|| panic!("{body}"))
                .iter()
                .find(|o| o["school"]["id"] == f.school)
                .cloned()
        };
        let on_day = |day: &'static str| {
            let coordinator = coordinator.clone();
            let backend = &backend;
            async move {
                backend
                    .post_as(Some(&coordinator), overdue, json!({"d": day}))
                    .await
            }
        };
        assert_eq!(
            ours(&on_day("2021-10-08").await),
            None,
            "seven days is in time"
        );
        let late = ours(&on_day("2021-10-09").await).expect("eight days is late");
        assert_eq!(late["daysOverdue"], 1);
        assert_eq!(late["stage"], "FORMING");
        assert_eq!(late["lastVisit"], "2021-10-01");

        // Once the roadmap is confirmed, the gap is four weeks.
        let body = backend
            .post_as(
                Some(&f.director),
                CREATE,
                json!({"s": f.school, "m": null, "y": "2021-2022", "p": {"title": "ДК"}}),
            )
            .await;
        let plan = body["data"]["createPlan"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        step(&backend, &f.director, "submitForReview", &plan, 1, None).await;
        step(&backend, &f.curator_token, "confirmReview", &plan, 2, None).await;
        assert_eq!(
            ours(&on_day("2021-10-29").await),
            None,
            "28 days is in time"
        );
        let late = ours(&on_day("2021-10-30").await).expect("29 days is late");
        assert_eq!(
            (late["daysOverdue"].clone(), late["stage"].clone()),
            (json!(1), json!("CARRIED_OUT"))
        );

        let body = backend
            .post_as(Some(&f.curator_token), overdue, json!({"d": "2021-10-30"}))
            .await;
        assert_eq!(error_code(&body).0, "FORBIDDEN", "{body}");
        backend.finish().await;
    }
}

#[tokio::test]
async fn the_seed_plans_come_back_numbered_with_their_dates() {
    for backend in backends().await {
        let data = backend
            .data(
                r#"{ kotelnikovsky: municipality(slug: "kotelnikovsky") { plans {
                        schoolYear reviewState sections { number title measures { number period { text startsOn endsOn } } } } }
                     tsuntinsky: municipality(slug: "tsuntinsky") { plans {
                        schoolYear measures { title evaluationMethod targetSchools { name } targetsText } } }
                     schools(filter: {municipality: "kotelnikovsky"}, first: 3) { nodes { roadmaps {
                        schoolYear reviewState measures { status } } } } }"#,
                json!({}),
            )
            .await;
        let plan = &data["kotelnikovsky"]["plans"][0];
        assert_eq!(plan["schoolYear"], "2021-2022", "{}", backend.name);
        assert!(
            plan["reviewState"].is_null(),
            "a municipal plan is not reviewed"
        );
        let sections = plan["sections"].as_array().unwrap();
        assert_eq!(sections.len(), 4);
        assert_eq!(sections[0]["title"], "Ресурсное обеспечение");
        let counts: Vec<usize> = sections
            .iter()
            .map(|s| s["measures"].as_array().unwrap().len())
            .collect();
        assert_eq!(counts, [4, 5, 3, 9]);
        let second = &sections[0]["measures"][1];
        assert_eq!(second["number"], "1.2");
        assert_eq!(
            (
                second["period"]["text"].clone(),
                second["period"]["startsOn"].clone(),
                second["period"]["endsOn"].clone()
            ),
            (
                json!("сентябрь, январь"),
                json!("2021-09"),
                json!("2022-01")
            )
        );
        let tsunta = &data["tsuntinsky"]["plans"][0];
        assert!(tsunta["schoolYear"].is_null(), "seed 002 names no year");
        let measures = tsunta["measures"].as_array().unwrap();
        assert_eq!(measures.len(), 12, "row 7 prints no measure");
        assert_eq!(
            measures[0]["evaluationMethod"],
            "Ответы на анкеты не менее 80%"
        );
        assert_eq!(measures[0]["targetSchools"].as_array().unwrap().len(), 4);
        assert!(
            measures[10]["targetsText"]
                .as_str()
                .unwrap()
                .contains("учащиеся и родители")
        );
        let roadmaps: Vec<usize> = data["schools"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["roadmaps"][0]["measures"].as_array().map_or(0, Vec::len))
            .collect();
        assert_eq!(roadmaps, [11, 24, 13], "seed 000's three schools' measures");
        backend.finish().await;
    }
}

#[tokio::test]
async fn a_plan_costs_the_same_statements_however_many_measures_it_has() {
    // One root: a second one may start its rounds apart from the first.
    const QUERY: &str = r#"{ municipality(slug: "kotelnikovsky") {
        plans { id sections { measures { number targetSchools { name } riskFactors { name } } } }
        schools { nodes { roadmaps { measures { number targetSchools { name } } }
                          visits { visitedOn } } } } }"#;
    for backend in backends().await {
        let admin = backend.token(Role::Admin, None, None).await;
        let data = backend.data(QUERY, json!({})).await;
        let plan = data["municipality"]["plans"][0]["id"].clone();
        let schools = backend
            .data(
                r#"{ schools(filter: {municipality: "kotelnikovsky"}) { nodes { id } } }"#,
                json!({}),
            )
            .await;
        let ids = common::strings(&schools["schools"]["nodes"], "id");
        let add = async |i: i32| {
            let measure = json!({"section": 1 + i % 4, "title": format!("Мероприятие {i}"),
                                 "targetSchools": ids, "riskFactors": [1, 2, 3]});
            let body = backend
                .post_as(Some(&admin), ADD, json!({"p": plan, "m": measure}))
                .await;
            assert!(body["errors"].is_null(), "{body}");
        };
        // One measure with targets and factors, so that every kind of row is there to load.
        add(0).await;
        let before = backend.count_statements(QUERY).await;
        for i in 1..=20 {
            add(i).await;
        }
        let after = backend.count_statements(QUERY).await;
        eprintln!(
            "{}: {before} statements, {after} with 20 more measures",
            backend.name
        );
        assert_eq!(before, after, "{}", backend.name);
        backend.finish().await;
    }
}
