//! Changes tried as an attacker or a careless paste would (NUL, refused for every request before
//! anything runs, is in `tests/limits.rs`): the rules that must never break hold
//! against 20 racing writers on both backends (the losers get CONFLICT or VALIDATION, never
//! INTERNAL), text is cleaned or refused in one way everywhere, reduced-precision dates compare
//! as the periods they name, and an update that changes nothing records nothing.

use std::sync::Arc;

use crate::common::{Backend, backends, error_code};
use schoolnet::auth::Role;
use serde_json::{Value, json};

/// Every variable is given: async-graphql 7.2 reads an omitted nullable list variable as `[null]`.
const CREATE_SCHOOL: &str = r#"mutation($m: String!, $name: String!, $aliases: [String!]) {
    createSchool(input: {municipality: $m, name: $name, fullName: $name, aliases: $aliases}) { id name version }
}"#;

/// Creates a school in Irbit and returns its id.
async fn new_school(backend: &Backend, admin: &str, name: &str) -> String {
    let body = backend
        .post_as(
            Some(admin),
            CREATE_SCHOOL,
            json!({ "m": "irbitskoye", "name": name, "aliases": [] }),
        )
        .await;
    assert!(body.get("errors").is_none(), "{}: {body:#}", backend.name);
    body["data"]["createSchool"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Runs `writers` copies of a mutation at once (each waits for all to be ready) and returns
/// each outcome: "landed" or the error code.
async fn race(
    backend: &Arc<Backend>,
    token: &Arc<String>,
    writers: usize,
    mutation: &'static str,
    variables: impl Fn(usize) -> Value,
) -> Vec<String> {
    let barrier = Arc::new(tokio::sync::Barrier::new(writers));
    let mut tasks = Vec::new();
    for i in 0..writers {
        let (backend, token, barrier) = (backend.clone(), token.clone(), barrier.clone());
        let variables = variables(i);
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let body = backend.post_as(Some(&token), mutation, variables).await;
            match body.get("errors") {
                None => "landed".to_owned(),
                Some(_) => error_code(&body).0,
            }
        }));
    }
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap());
    }
    outcomes
}

/// Asserts that exactly one writer landed and every other lost cleanly.
fn one_landed(backend: &Backend, what: &str, outcomes: &[String]) {
    let landed = outcomes.iter().filter(|o| *o == "landed").count();
    eprintln!("{}: {what}: {outcomes:?}", backend.name);
    assert_eq!(landed, 1, "{}: {what}: {outcomes:?}", backend.name);
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o.as_str(), "landed" | "CONFLICT" | "VALIDATION")),
        "{}: {what}: a loser got something other than CONFLICT or VALIDATION: {outcomes:?}",
        backend.name
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_hold_against_twenty_racing_writers() {
    for backend in backends().await {
        let admin = Arc::new(backend.token(Role::Admin, None, None).await);
        let school = new_school(&backend, &admin, "Гоночная СОШ").await;
        let backend = Arc::new(backend);

        let include = "mutation($s: ID!) { includeInProgramme(school: $s, programme: UNFAVOURABLE_CONDITIONS) { id } }";
        let outcomes = race(&backend, &admin, 20, include, |_| json!({ "s": school })).await;
        one_landed(&backend, "20 inclusions in one programme", &outcomes);
        let open = backend
            .data(
                "query($id: ID!) { school(id: $id) { programmes { isActive } } }",
                json!({ "id": school }),
            )
            .await;
        assert_eq!(
            open["school"]["programmes"].as_array().unwrap().len(),
            1,
            "{}",
            backend.name
        );

        // Each writer names a new school differently, all spellings of one name.
        let spellings = [
            "СОШ № 77",
            "COШ № 77",
            "СОШ N 77",
            "СОШ No. 77",
            "сош №77",
            "«СОШ № 77»",
        ];
        let outcomes = race(&backend, &admin, 20, CREATE_SCHOOL, |i| {
            json!({ "m": "irbitskoye", "name": format!("Близнецовая СОШ {i}"),
                    "aliases": [spellings[i % spellings.len()]] })
        })
        .await;
        one_landed(&backend, "20 schools with one alias", &outcomes);

        let person = backend
            .post_as(
                Some(&admin),
                r#"mutation { createPerson(input: {fullName: "Директорова Д.Д."}) { id } }"#,
                json!({}),
            )
            .await["data"]["createPerson"]["id"]
            .clone();
        let appoint = "mutation($input: AppointInput!) { appoint(input: $input) { id } }";
        let outcomes = race(
            &backend,
            &admin,
            20,
            appoint,
            |_| json!({ "input": { "person": person, "role": "DIRECTOR", "school": school } }),
        )
        .await;
        one_landed(&backend, "20 directors of one school", &outcomes);

        let create_group = "mutation($n: Int!, $m: MembersInput!) { createPartnershipGroup(municipality: \"irbitskoye\", number: $n, members: $m) { id } }";
        let outcomes = race(
            &backend,
            &admin,
            20,
            create_group,
            |i| json!({ "n": 100 + i, "m": { "resourceCentres": [school], "members": [] } }),
        )
        .await;
        one_landed(&backend, "20 groups around one school", &outcomes);

        Arc::into_inner(backend).unwrap().finish().await;
    }
}

#[tokio::test]
async fn text_is_cleaned_or_refused_the_same_way_everywhere() {
    for backend in backends().await {
        let admin = backend.token(Role::Admin, None, None).await;
        let refused = [
            ("\u{200b}", "input.name"),
            ("СОШ\u{200b} № 5", "input.name"),
            ("СОШ\u{202e} № 5", "input.name"),
        ];
        for (name, field) in refused {
            let body = backend
                .post_as(
                    Some(&admin),
                    CREATE_SCHOOL,
                    json!({ "m": "irbitskoye", "name": name, "aliases": [] }),
                )
                .await;
            assert_eq!(
                error_code(&body),
                ("VALIDATION".into(), field.into()),
                "{}: {name:?}: {body:#}",
                backend.name
            );
        }
        let long = "Ш".repeat(100_000);
        let body = backend
            .post_as(
                Some(&admin),
                CREATE_SCHOOL,
                json!({ "m": "irbitskoye", "name": long, "aliases": [] }),
            )
            .await;
        assert_eq!(error_code(&body).0, "VALIDATION", "{}", backend.name);
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("at most 300 characters")
        );

        // White space is collapsed and the text composed, so the stored name is the clean one.
        let body = backend
            .post_as(
                Some(&admin),
                CREATE_SCHOOL,
                json!({ "m": "irbitskoye", "name": "  Новая\u{a0}\u{a0}СОШ  № 5 ", "aliases": [] }),
            )
            .await;
        assert_eq!(
            body["data"]["createSchool"]["name"], "Новая СОШ № 5",
            "{}: {body:#}",
            backend.name
        );
        // Its twins by look-alike letters or number signs are refused.
        for twin in ["Новая COШ № 5", "Новая СОШ N 5", "Новая СОШ No. 5"] {
            let body = backend
                .post_as(
                    Some(&admin),
                    CREATE_SCHOOL,
                    json!({ "m": "irbitskoye", "name": twin, "aliases": [] }),
                )
                .await;
            assert_eq!(
                error_code(&body).0,
                "VALIDATION",
                "{}: {twin}",
                backend.name
            );
        }

        let body = backend
            .post_as(
                Some(&admin),
                r#"mutation { createRegion(slug: "-", name: "Томская область") { id } }"#,
                json!({}),
            )
            .await;
        assert_eq!(error_code(&body), ("VALIDATION".into(), "slug".into()));

        // A justification made of invisible characters is no justification.
        let school = new_school(&backend, &admin, "Исключаемая СОШ").await;
        let included = backend
            .post_as(
                Some(&admin),
                r#"mutation($s: ID!) { includeInProgramme(school: $s, programme: LOW_RESULTS, includedOn: "2021-06") { id version } }"#,
                json!({ "s": school }),
            )
            .await;
        let participation = &included["data"]["includeInProgramme"];
        let exclude = r#"mutation($id: ID!, $v: Int!, $on: PartialDate!, $j: String!) {
            excludeFromProgramme(id: $id, version: $v, excludedOn: $on, justification: $j) { excludedOn exclusionJustification } }"#;
        let body = backend
            .post_as(
                Some(&admin),
                exclude,
                json!({ "id": participation["id"], "v": participation["version"], "on": "2021", "j": "\u{200b}\u{200b}" }),
            )
            .await;
        assert_eq!(
            error_code(&body),
            ("VALIDATION".into(), "justification".into())
        );
        // An exclusion in 2021 after an inclusion in June 2021 is in order: 2021 contains June.
        let body = backend
            .post_as(
                Some(&admin),
                exclude,
                json!({ "id": participation["id"], "v": participation["version"], "on": "2021",
                        "j": "  Школа  вышла из\r\nпрограммы. " }),
            )
            .await;
        assert!(body.get("errors").is_none(), "{}: {body:#}", backend.name);
        assert_eq!(
            body["data"]["excludeFromProgramme"]["exclusionJustification"],
            "Школа вышла из\nпрограммы."
        );
        backend.finish().await;
    }
}

/// How many audit entries an entity has.
async fn audit_entries(backend: &Backend, admin: &str, entity: &str) -> u64 {
    backend
        .post_as(
            Some(admin),
            "query($id: ID!) { auditLog(filter: {entityId: $id}) { totalCount } }",
            json!({ "id": entity }),
        )
        .await["data"]["auditLog"]["totalCount"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn an_update_that_changes_nothing_records_nothing_and_says_so() {
    for backend in backends().await {
        let admin = backend.token(Role::Admin, None, None).await;
        let school = new_school(&backend, &admin, "Неизменная СОШ").await;
        let update = r#"mutation($id: ID!, $v: Int!, $name: String!) {
            updateSchool(id: $id, version: $v, input: {name: $name}) { version name } }"#;
        let entries = audit_entries(&backend, &admin, &school).await;
        // The same name, typed with extra spaces: after cleaning, nothing changes.
        let body = backend
            .post_as(
                Some(&admin),
                update,
                json!({ "id": school, "v": 1, "name": "  Неизменная  СОШ " }),
            )
            .await;
        assert!(body.get("errors").is_none(), "{}: {body:#}", backend.name);
        assert_eq!(body["data"]["updateSchool"]["version"], 1, "no new version");
        assert_eq!(body["extensions"]["notices"][0]["code"], "UNCHANGED");
        assert_eq!(
            audit_entries(&backend, &admin, &school).await,
            entries,
            "no audit entry"
        );

        let body = backend
            .post_as(
                Some(&admin),
                update,
                json!({ "id": school, "v": 1, "name": "Изменённая СОШ" }),
            )
            .await;
        assert_eq!(body["data"]["updateSchool"]["version"], 2);
        assert!(body.get("extensions").is_none(), "{body:#}");
        assert_eq!(audit_entries(&backend, &admin, &school).await, entries + 1);
        backend.finish().await;
    }
}
