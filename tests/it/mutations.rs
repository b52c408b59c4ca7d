//! Admin mutations over GraphQL/HTTP, on SQLite and PostgreSQL: the role matrix, every rule
//! refusing bad input without writing anything, stale versions, atomic group changes, the audit
//! trail, and concurrent writers losing nothing.

use std::sync::Arc;

use crate::common::{self, Backend, backends, error_code};
use schoolnet::auth::Role;
use serde_json::{Value, json};

/// The id and version of a school, found by name.
async fn school(backend: &Backend, name: &str) -> (String, i64) {
    let data = backend
        .data(
            "query($n: String!) { schools(filter: {nameContains: $n}) { nodes { id version name } } }",
            json!({ "n": name }),
        )
        .await;
    let node = data["schools"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == name)
        .unwrap_or_else(|| panic!("no school «{name}»"))
        .clone();
    (
        node["id"].as_str().unwrap().to_owned(),
        node["version"].as_i64().unwrap(),
    )
}

/// The row number of the curator of Красноярская СШ (seed 000), for a CURATOR token.
async fn artemyeva(backend: &Backend) -> i32 {
    let data = backend
        .data(
            r#"{ municipality(slug: "kotelnikovsky") { curators { person { id fullName } } } }"#,
            json!({}),
        )
        .await;
    let person = &data["municipality"]["curators"][0]["person"];
    assert_eq!(person["fullName"], "Артемьева О.Ю.");
    schoolnet::graphql::person_number(person["id"].as_str().unwrap()).unwrap()
}

const CREATE_SCHOOL: &str = r#"mutation($m: String!, $name: String!) {
    createSchool(input: {municipality: $m, name: $name, fullName: $name}) { id name version }
}"#;

const RECORD_EVALUATION: &str = r#"mutation($s: ID!) {
    recordEvaluation(school: $s, year: 2022, groups: {qualityGroup: 5, qualityLevel: BELOW_AVERAGE,
        wellbeingGroupAbsence: NO_INFORMATION}) { year qualityGroup }
}"#;

#[tokio::test]
async fn the_role_matrix_holds() {
    for backend in backends().await {
        let admin = backend.token(Role::Admin, None, None).await;
        let coordinator = backend
            .token(Role::Coordinator, Some("labinsky"), None)
            .await;
        let curator = backend
            .token(Role::Curator, None, Some(artemyeva(&backend).await))
            .await;
        let revoked = backend.token(Role::Admin, None, None).await;
        let revoked_id = schoolnet::auth::list_tokens(&backend.db)
            .await
            .unwrap()
            .last()
            .unwrap()
            .id;
        schoolnet::auth::revoke_token(&backend.db, revoked_id)
            .await
            .unwrap();
        let (krasnoyarskaya, _) = school(&backend, "Красноярская СШ").await;
        let (nagolnenskaya, _) = school(&backend, "Нагольненская СШ").await;
        // The demo's own entries (its actor is «система / демо-данные»), before this test's.
        let log = "{ auditLog { totalCount nodes { operation municipalityEntity: entity } } }";
        let count = |body: Value| body["data"]["auditLog"]["totalCount"].as_u64().unwrap();
        let demo_all = count(backend.post_as(Some(&admin), log, json!({})).await);
        let demo_own = count(backend.post_as(Some(&coordinator), log, json!({})).await);

        let cases: Vec<(&str, Option<&str>, &str, Value, &str)> = vec![
            (
                "anonymous creates",
                None,
                CREATE_SCHOOL,
                json!({"m": "labinsky", "name": "СОШ № 90"}),
                "UNAUTHENTICATED",
            ),
            (
                "revoked token creates",
                Some(&revoked),
                CREATE_SCHOOL,
                json!({"m": "labinsky", "name": "СОШ № 91"}),
                "UNAUTHENTICATED",
            ),
            (
                "coordinator, own municipality",
                Some(&coordinator),
                CREATE_SCHOOL,
                json!({"m": "labinsky", "name": "СОШ № 92"}),
                "OK",
            ),
            (
                "coordinator, other municipality",
                Some(&coordinator),
                CREATE_SCHOOL,
                json!({"m": "irbitskoye", "name": "Новая СОШ"}),
                "FORBIDDEN",
            ),
            (
                "curator creates a school",
                Some(&curator),
                CREATE_SCHOOL,
                json!({"m": "kotelnikovsky", "name": "СШ № 9"}),
                "FORBIDDEN",
            ),
            (
                "curator, own school's evaluation",
                Some(&curator),
                RECORD_EVALUATION,
                json!({"s": krasnoyarskaya}),
                "OK",
            ),
            (
                "curator, another school's evaluation",
                Some(&curator),
                RECORD_EVALUATION,
                json!({"s": nagolnenskaya}),
                "FORBIDDEN",
            ),
            (
                "coordinator, other municipality's evaluation",
                Some(&coordinator),
                RECORD_EVALUATION,
                json!({"s": nagolnenskaya}),
                "FORBIDDEN",
            ),
            (
                "admin, anywhere",
                Some(&admin),
                CREATE_SCHOOL,
                json!({"m": "irbitskoye", "name": "Новая СОШ"}),
                "OK",
            ),
            (
                "admin, any evaluation",
                Some(&admin),
                RECORD_EVALUATION,
                json!({"s": nagolnenskaya}),
                "OK",
            ),
        ];
        for (case, token, query, variables, expected) in cases {
            let before = backend.fingerprint().await;
            let body = backend.post_as(token, query, variables).await;
            let (code, _) = error_code(&body);
            let outcome = if body.get("errors").is_none() {
                "OK".to_owned()
            } else {
                code
            };
            assert_eq!(outcome, expected, "{}: {case}: {body}", backend.name);
            if expected != "OK" {
                assert_eq!(
                    backend.fingerprint().await,
                    before,
                    "{}: {case} wrote something",
                    backend.name
                );
            }
        }

        let me = |token: Option<String>| {
            let backend = &backend;
            async move {
                backend
                    .post_as(
                        token.as_deref(),
                        "{ me { role municipality { slug } person { fullName } } }",
                        json!({}),
                    )
                    .await
            }
        };
        assert_eq!(me(None).await["data"]["me"], Value::Null);
        let coordinator_me = me(Some(coordinator.clone())).await;
        assert_eq!(coordinator_me["data"]["me"]["role"], "COORDINATOR");
        assert_eq!(
            coordinator_me["data"]["me"]["municipality"]["slug"],
            "labinsky"
        );
        assert_eq!(
            me(Some(curator.clone())).await["data"]["me"]["person"]["fullName"],
            "Артемьева О.Ю."
        );
        assert_eq!(
            error_code(&me(Some(revoked.clone())).await).0,
            "UNAUTHENTICATED"
        );

        // The audit log: admins see everything, coordinators their municipality, others nothing.
        let everything = backend.post_as(Some(&admin), log, json!({})).await;
        assert_eq!(
            count(everything.clone()),
            demo_all + 4,
            "{}: {everything}",
            backend.name
        );
        let own = backend.post_as(Some(&coordinator), log, json!({})).await;
        assert_eq!(count(own.clone()), demo_own + 1, "{}: {own}", backend.name);
        assert_eq!(
            error_code(&backend.post_as(Some(&curator), log, json!({})).await).0,
            "FORBIDDEN"
        );
        assert_eq!(
            error_code(&backend.post(log, json!({})).await).0,
            "UNAUTHENTICATED"
        );
        backend.finish().await;
    }
}

#[tokio::test]
async fn every_rule_refuses_bad_input_and_writes_nothing() {
    for backend in backends().await {
        let admin = backend.token(Role::Admin, None, None).await;
        let (berdyugino, _) = school(&backend, "Бердюгинская СОШ").await;
        let (rechkalovo, rechkalovo_version) = school(&backend, "Речкаловская СОШ").await;
        let (kirillovka, _) = school(&backend, "Кирилловская ООШ").await;
        let (zaikovo1, _) = school(&backend, "Зайковская СОШ №1").await;
        let (labinsk5, _) = school(&backend, "СОШ № 5").await;
        let (krasnoyarskaya, _) = school(&backend, "Красноярская СШ").await;
        let groups = backend
            .data(
                r#"{ partnershipGroups(municipality: "irbitskoye") { id version number } }"#,
                json!({}),
            )
            .await;
        let group1 = groups["partnershipGroups"][0].clone();
        let participations = backend
            .data(
                r#"{ kotel: schools(filter: {nameContains: "Красноярская"}) { nodes { programmes { id version } } }
                     irbit: schools(filter: {nameContains: "Осинцевская"}) { nodes { programmes { id version } } } }"#,
                json!({}),
            )
            .await;
        let excluded = participations["kotel"]["nodes"][0]["programmes"][0].clone();
        let open = participations["irbit"]["nodes"][0]["programmes"][0].clone();
        let partnership = backend
            .data(r#"{ schools(filter: {nameContains: "Семиченская"}) { nodes { partnerships { id version } } } }"#, json!({}))
            .await["schools"]["nodes"][0]["partnerships"][0]
            .clone();

        let update_school = "mutation($id: ID!, $v: Int!, $input: UpdateSchoolInput!) { updateSchool(id: $id, version: $v, input: $input) { id } }";
        let create_school =
            "mutation($input: CreateSchoolInput!) { createSchool(input: $input) { id } }";
        let record = "mutation($s: ID!, $y: Int!, $g: GroupsInput!) { recordEvaluation(school: $s, year: $y, groups: $g) { id } }";
        let set_members = "mutation($id: ID!, $v: Int!, $m: MembersInput!) { setPartnershipGroupMembers(id: $id, version: $v, members: $m) { id } }";
        let create_partnership =
            "mutation($input: CreatePartnershipInput!) { createPartnership(input: $input) { id } }";
        let exclude = "mutation($id: ID!, $v: Int!, $on: PartialDate!, $why: String!) { excludeFromProgramme(id: $id, version: $v, excludedOn: $on, justification: $why) { id } }";
        let include =
            "mutation($s: ID!) { includeInProgramme(school: $s, programme: LOW_RESULTS) { id } }";
        let appoint = "mutation($input: AppointInput!) { appoint(input: $input) { id } }";
        let create_person = "mutation($input: PersonInput!) { createPerson(input: $input) { id } }";
        let end_partnership = "mutation($id: ID!, $v: Int!, $on: PartialDate!) { endPartnership(id: $id, version: $v, endsOn: $on) { id } }";
        let create_municipality = "mutation($input: CreateMunicipalityInput!) { createMunicipality(input: $input) { id } }";
        let irbit_school = |name: &str, extra: Value| {
            let mut input = json!({ "municipality": "irbitskoye", "name": name, "fullName": format!("МОУ «{name}»") });
            input
                .as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            json!({ "input": input })
        };

        let cases: Vec<(&str, &str, Value, &str)> = vec![
            (
                "blank name",
                create_school,
                irbit_school(" ", json!({"kind": "BASIC"})),
                "input.name",
            ),
            (
                "twin by case, quotes, № and ё",
                create_school,
                irbit_school("зайковская сош № 1", json!({})),
                "input.name",
            ),
            (
                "twin by an alias",
                create_school,
                irbit_school("Новая СОШ", json!({"aliases": ["Стриганская ООШ"]})),
                "input.aliases[0]",
            ),
            (
                "type not in the name",
                create_school,
                irbit_school("Гимназия им. Пушкина", json!({})),
                "input.kind",
            ),
            (
                "cluster number zero",
                create_school,
                irbit_school("Новая СОШ", json!({"clusterNumber": 0})),
                "input.clusterNumber",
            ),
            (
                "parent in another municipality",
                create_school,
                irbit_school("Новая СОШ", json!({"parentSchool": labinsk5})),
                "input.parentSchool",
            ),
            (
                "branch of itself",
                update_school,
                json!({"id": rechkalovo, "v": rechkalovo_version, "input": {"parentSchool": rechkalovo}}),
                "input.parentSchool",
            ),
            (
                "branch of its own branch",
                update_school,
                json!({"id": rechkalovo, "v": rechkalovo_version, "input": {"parentSchool": kirillovka}}),
                "input.parentSchool",
            ),
            (
                "quality group out of range",
                record,
                json!({"s": berdyugino, "y": 2021, "g": {"qualityGroup": 11, "wellbeingGroup": 3}}),
                "groups.qualityGroup",
            ),
            (
                "group and a reason",
                record,
                json!({"s": berdyugino, "y": 2021, "g": {"qualityGroup": 5, "qualityGroupAbsence": "NO_GRADUATES", "wellbeingGroup": 3}}),
                "groups.qualityGroup",
            ),
            (
                "level disagrees with group",
                record,
                json!({"s": berdyugino, "y": 2021, "g": {"qualityGroup": 3, "qualityLevel": "AVERAGE", "wellbeingGroup": 3}}),
                "groups.qualityLevel",
            ),
            (
                "level without a group",
                record,
                json!({"s": berdyugino, "y": 2021, "g": {"qualityGroup": 3, "wellbeingGroupAbsence": "NO_INFORMATION", "wellbeingLevel": "LOW"}}),
                "groups.wellbeingLevel",
            ),
            (
                "year recorded twice",
                record,
                json!({"s": berdyugino, "y": 2020, "g": {"qualityGroup": 6, "wellbeingGroup": 3}}),
                "year",
            ),
            (
                "school in two groups",
                set_members,
                json!({"id": group1["id"], "v": group1["version"], "m": {"members": [berdyugino]}}),
                "members.members[0]",
            ),
            (
                "three resource centres",
                set_members,
                json!({"id": group1["id"], "v": group1["version"], "m": {"resourceCentres": [zaikovo1, berdyugino, rechkalovo]}}),
                "members.resourceCentres",
            ),
            (
                "member from another municipality",
                set_members,
                json!({"id": group1["id"], "v": group1["version"], "m": {"members": [labinsk5]}}),
                "members.members[0]",
            ),
            (
                "no partner",
                create_partnership,
                json!({"input": {"kind": "MENTORING", "school": krasnoyarskaya}}),
                "input.partnerSchool",
            ),
            (
                "partner with itself",
                create_partnership,
                json!({"input": {"kind": "MENTORING", "school": krasnoyarskaya, "partnerSchool": krasnoyarskaya}}),
                "input.partnerSchool",
            ),
            (
                "ends before it starts",
                create_partnership,
                json!({"input": {"kind": "MENTORING", "school": krasnoyarskaya, "partnerSchool": labinsk5, "startsOn": "2021-09", "endsOn": "2021-05"}}),
                "input.endsOn",
            ),
            (
                "ended before it started",
                end_partnership,
                json!({"id": partnership["id"], "v": partnership["version"], "on": "2019"}),
                "endsOn",
            ),
            (
                "exclusion without justification",
                exclude,
                json!({"id": open["id"], "v": open["version"], "on": "2022-06", "why": "  "}),
                "justification",
            ),
            (
                "excluded before included",
                exclude,
                json!({"id": open["id"], "v": open["version"], "on": "2019", "why": "Рост результатов"}),
                "excludedOn",
            ),
            (
                "excluded twice",
                exclude,
                json!({"id": excluded["id"], "v": excluded["version"], "on": "2022", "why": "Ещё раз"}),
                "excludedOn",
            ),
            (
                "included twice",
                include,
                json!({"s": rechkalovo}),
                "programme",
            ),
            (
                "director without a school",
                appoint,
                json!({"input": {"person": "UGVyc29uOjE", "role": "DIRECTOR", "municipality": "kotelnikovsky"}}),
                "input.school",
            ),
            (
                "curator without a programme",
                appoint,
                json!({"input": {"person": "UGVyc29uOjE", "role": "CURATOR", "school": krasnoyarskaya}}),
                "input.programme",
            ),
            (
                "person with two workplaces",
                create_person,
                json!({"input": {"fullName": "Иванова И.И.", "workplaceSchool": krasnoyarskaya, "workplaceOrganisation": "T3JnYW5pc2F0aW9uOjE"}}),
                "input.workplaceSchool",
            ),
            (
                "malformed id in input",
                create_person,
                json!({"input": {"fullName": "Иванова И.И.", "workplaceSchool": "nonsense"}}),
                "input.workplaceSchool",
            ),
            (
                "slug with Cyrillic",
                create_municipality,
                json!({"input": {"region": "kemerovskaya-oblast", "slug": "тест", "name": "Тест", "shortName": "Тест"}}),
                "input.slug",
            ),
        ];
        for (case, query, variables, field) in cases {
            let before = backend.fingerprint().await;
            let body = backend.post_as(Some(&admin), query, variables).await;
            let (code, got_field) = error_code(&body);
            assert_eq!(code, "VALIDATION", "{}: {case}: {body}", backend.name);
            assert_eq!(got_field, field, "{}: {case}: {body}", backend.name);
            let extensions = &body["errors"][0]["extensions"];
            assert!(!extensions["reason"].as_str().unwrap().is_empty());
            assert!(
                extensions["reasonRu"]
                    .as_str()
                    .unwrap()
                    .chars()
                    .any(|c| ('а'..='я').contains(&c)),
                "{case}: Russian reason"
            );
            assert_eq!(
                backend.fingerprint().await,
                before,
                "{}: {case} wrote something",
                backend.name
            );
        }
        backend.finish().await;
    }
}

#[tokio::test]
async fn a_stale_version_is_a_conflict_and_changes_nothing() {
    for backend in backends().await {
        let admin = backend.token(Role::Admin, None, None).await;
        let (id, version) = school(&backend, "Дубская СОШ").await;
        let rename = "mutation($id: ID!, $v: Int!, $name: String!) { updateSchool(id: $id, version: $v, input: {fullName: $name}) { fullName version } }";
        let first = backend
            .post_as(
                Some(&admin),
                rename,
                json!({"id": id, "v": version, "name": "МОУ «Дубская средняя школа»"}),
            )
            .await;
        assert_eq!(
            first["data"]["updateSchool"]["version"],
            version + 1,
            "{}: {first}",
            backend.name
        );
        let before = backend.fingerprint().await;
        let stale = backend
            .post_as(
                Some(&admin),
                rename,
                json!({"id": id, "v": version, "name": "МОУ «Дубская СОШ №1»"}),
            )
            .await;
        assert_eq!(
            error_code(&stale).0,
            "CONFLICT",
            "{}: {stale}",
            backend.name
        );
        assert_eq!(backend.fingerprint().await, before);
        backend.finish().await;
    }
}

#[tokio::test]
async fn group_membership_changes_all_at_once_and_are_audited() {
    for backend in backends().await {
        let admin = backend.token(Role::Admin, None, None).await;
        let group = backend
            .data(r#"{ partnershipGroups(municipality: "irbitskoye") { id version number members { school { id name } } } }"#, json!({}))
            .await["partnershipGroups"][6]
            .clone();
        assert_eq!(group["number"], 7);
        let (kharlovo, _) = school(&backend, "Харловская СОШ").await;
        let (znamenka, _) = school(&backend, "Знаменская СОШ").await;
        let (chubarovo, _) = school(&backend, "Чубаровская начальная школа-детский сад").await;
        let set = "mutation($id: ID!, $v: Int!, $m: MembersInput!) { setPartnershipGroupMembers(id: $id, version: $v, members: $m) {
            version resourceCentres { name } members { role school { name } } } }";

        // One bad member refuses the whole change.
        let before = backend.fingerprint().await;
        let refused = backend
            .post_as(Some(&admin), set, json!({"id": group["id"], "v": group["version"], "m": {"resourceCentres": [kharlovo], "members": [znamenka, chubarovo]}}))
            .await;
        assert_eq!(
            error_code(&refused),
            ("VALIDATION".into(), "members.members[1]".into()),
            "{}: {refused}",
            backend.name
        );
        assert_eq!(backend.fingerprint().await, before);

        // Харловская becomes the resource centre: both schools stay, one call.
        let done = backend
            .post_as(Some(&admin), set, json!({"id": group["id"], "v": group["version"], "m": {"resourceCentres": [kharlovo], "members": [znamenka]}}))
            .await;
        let changed = &done["data"]["setPartnershipGroupMembers"];
        assert_eq!(
            changed["resourceCentres"][0]["name"], "Харловская СОШ",
            "{}: {done}",
            backend.name
        );
        assert_eq!(changed["members"].as_array().unwrap().len(), 2);
        let version = group["version"].as_i64().unwrap();
        assert_eq!(changed["version"], version + 1, "new members, new version");
        // The same members again change nothing, and say so.
        let again = backend
            .post_as(Some(&admin), set, json!({"id": group["id"], "v": version + 1, "m": {"resourceCentres": [kharlovo], "members": [znamenka]}}))
            .await;
        assert_eq!(
            again["data"]["setPartnershipGroupMembers"]["version"],
            version + 1
        );
        assert_eq!(
            again["extensions"]["notices"][0]["code"], "UNCHANGED",
            "{again}"
        );
        let log = backend
            .post_as(
                Some(&admin),
                "{ auditLog(first: 1) { nodes { operation actor entity before after } } }",
                json!({}),
            )
            .await;
        let entry = &log["data"]["auditLog"]["nodes"][0];
        assert_eq!(entry["operation"], "setPartnershipGroupMembers");
        assert_eq!(entry["entity"], "PartnershipGroup");
        assert!(
            entry["actor"]
                .as_str()
                .unwrap()
                .starts_with("ADMIN token #")
        );
        assert!(
            entry["before"]["members"]
                .as_array()
                .unwrap()
                .iter()
                .all(|m| m["role"] == "MEMBER")
        );
        assert_eq!(entry["after"]["members"][0]["role"], "RESOURCE_CENTRE");
        backend.finish().await;
    }
}

#[tokio::test]
async fn history_is_ended_not_destroyed() {
    for backend in backends().await {
        let admin = backend.token(Role::Admin, None, None).await;
        let delete = "mutation($id: ID!, $v: Int!) { deleteSchool(id: $id, version: $v) { name } }";
        let (berdyugino, version) = school(&backend, "Бердюгинская СОШ").await;
        let before = backend.fingerprint().await;
        let refused = backend
            .post_as(
                Some(&admin),
                delete,
                json!({"id": berdyugino, "v": version}),
            )
            .await;
        assert_eq!(
            error_code(&refused).0,
            "CONFLICT",
            "{}: {refused}",
            backend.name
        );
        assert!(
            refused["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("1 evaluations")
        );
        assert_eq!(backend.fingerprint().await, before);

        let created = backend
            .post_as(
                Some(&admin),
                CREATE_SCHOOL,
                json!({"m": "yaysky", "name": "Тестовая ООШ"}),
            )
            .await;
        let new = &created["data"]["createSchool"];
        let deleted = backend
            .post_as(
                Some(&admin),
                delete,
                json!({"id": new["id"], "v": new["version"]}),
            )
            .await;
        assert_eq!(
            deleted["data"]["deleteSchool"]["name"], "Тестовая ООШ",
            "{}: {deleted}",
            backend.name
        );

        // Ending an agreement keeps it, with its end date.
        let p = backend
            .data(r#"{ schools(filter: {nameContains: "Красноярская"}) { nodes { partnerships { id version } } } }"#, json!({}))
            .await["schools"]["nodes"][0]["partnerships"][0]
            .clone();
        let ended = backend
            .post_as(Some(&admin), "mutation($id: ID!, $v: Int!) { endPartnership(id: $id, version: $v, endsOn: \"2022-08-31\") { endsOn kind } }", json!({"id": p["id"], "v": p["version"]}))
            .await;
        assert_eq!(
            ended["data"]["endPartnership"]["endsOn"], "2022-08-31",
            "{}: {ended}",
            backend.name
        );
        backend.finish().await;
    }
}

#[tokio::test]
async fn fifty_concurrent_updates_lose_nothing() {
    for backend in backends().await {
        let admin = Arc::new(backend.token(Role::Admin, None, None).await);
        let (id, start_version) = school(&backend, "Гаевская ООШ").await;
        let backend = Arc::new(backend);
        // Two apps over the database, as two server processes would be: on SQLite no single
        // in-process gate orders their writers, the database's own locking (IMMEDIATE
        // transactions, busy timeout) must. Writers start in bursts of five, 30 ms
        // apart: within a burst all read the same version and race.
        let second = Arc::new(backend.another_client());
        let started = std::time::Instant::now();
        let mut tasks = Vec::new();
        for i in 0..50 {
            let (backend, admin, id, second) =
                (backend.clone(), admin.clone(), id.clone(), second.clone());
            tasks.push(tokio::spawn(async move {
                let client = if i % 2 == 0 { backend.client() } else { second.as_ref() };
                tokio::time::sleep(std::time::Duration::from_millis((i / 5) * 30)).await;
                let version = backend
                    .data("query($id: ID!) { school(id: $id) { version } }", json!({"id": id}))
                    .await["school"]["version"]
                    .as_i64()
                    .unwrap();
                let body = common::post_with(
                    client,
                    Some(&admin),
                    "mutation($id: ID!, $v: Int!, $a: [String!]) { updateSchool(id: $id, version: $v, input: {aliases: $a}) { version } }",
                    json!({"id": id, "v": version, "a": [format!("Гаевская ООШ (правка {i})")]}),
                )
                .await;
                if body.get("errors").is_none() {
                    "landed".to_owned()
                } else {
                    error_code(&body).0
                }
            }));
        }
        let mut outcomes = Vec::new();
        for task in tasks {
            outcomes.push(task.await.unwrap());
        }
        let elapsed = started.elapsed();
        let landed = outcomes.iter().filter(|o| *o == "landed").count();
        let conflicts = outcomes.iter().filter(|o| *o == "CONFLICT").count();
        eprintln!(
            "{}: 50 concurrent updates: {landed} landed, {conflicts} conflicts, in {elapsed:?}",
            backend.name
        );
        assert_eq!(
            landed + conflicts,
            50,
            "{}: other outcomes: {outcomes:?}",
            backend.name
        );
        assert!(landed >= 1);

        let admin_token = admin.as_str();
        let final_version = backend
            .data(
                "query($id: ID!) { school(id: $id) { version } }",
                json!({"id": id}),
            )
            .await["school"]["version"]
            .as_i64()
            .unwrap();
        assert_eq!(
            final_version,
            start_version + landed as i64,
            "{}: every landed update bumped the version once",
            backend.name
        );
        let log = backend
            .post_as(
                Some(admin_token),
                "query($id: ID!) { auditLog(filter: {entityId: $id, operation: \"updateSchool\"}) { totalCount } }",
                json!({"id": id}),
            )
            .await;
        assert_eq!(
            log["data"]["auditLog"]["totalCount"], landed,
            "{}: {log}",
            backend.name
        );
        if let Ok(backend) = Arc::try_unwrap(backend) {
            backend.finish().await;
        }
    }
}

#[tokio::test]
async fn organisations_are_edited_within_their_municipality() {
    for backend in backends().await {
        let coordinator = backend
            .token(Role::Coordinator, Some("labinsky"), None)
            .await;
        let orgs = backend
            .data(
                r#"{ labinsk: municipality(slug: "labinsky") { organisations { id version shortName } }
                     irbit: municipality(slug: "irbitskoye") { organisations { id version shortName } } }"#,
                json!({}),
            )
            .await;
        let imc = orgs["labinsk"]["organisations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["shortName"] == "ИМЦ")
            .unwrap()
            .clone();
        let cro = orgs["irbit"]["organisations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["shortName"] == "ЦРО")
            .unwrap()
            .clone();
        let update = "mutation($id: ID!, $v: Int!, $input: UpdateOrganisationInput!) { updateOrganisation(id: $id, version: $v, input: $input) { aliases version } }";

        let own = backend
            .post_as(Some(&coordinator), update, json!({"id": imc["id"], "v": imc["version"], "input": {"aliases": ["ИМЦ г. Лабинска"]}}))
            .await;
        assert_eq!(
            own["data"]["updateOrganisation"]["aliases"],
            json!(["ИМЦ г. Лабинска"]),
            "{}: {own}",
            backend.name
        );

        let before = backend.fingerprint().await;
        let other = backend
            .post_as(
                Some(&coordinator),
                update,
                json!({"id": cro["id"], "v": cro["version"], "input": {"shortName": "ЦРО Ирбит"}}),
            )
            .await;
        assert_eq!(
            error_code(&other).0,
            "FORBIDDEN",
            "{}: {other}",
            backend.name
        );
        let blank = backend
            .post_as(Some(&coordinator), update, json!({"id": imc["id"], "v": imc["version"].as_i64().unwrap() + 1, "input": {"name": " "}}))
            .await;
        assert_eq!(
            error_code(&blank),
            ("VALIDATION".into(), "input.name".into()),
            "{}: {blank}",
            backend.name
        );
        assert_eq!(backend.fingerprint().await, before);
        backend.finish().await;
    }
}
