//! The GraphQL read API over the demo dataset, on SQLite and PostgreSQL: the seeds' facts come
//! back exactly, search folds Cyrillic, pages walk the whole list, bad input gets a coded error,
//! and nested queries cost a bounded number of SQL statements.

use std::collections::{BTreeMap, BTreeSet};

use crate::common::{self, backends, strings};
use serde_json::{Value, json};

#[tokio::test]
async fn irbit_partnership_groups_match_seed_003() {
    for backend in backends().await {
        let data = backend
            .data(
                r#"{ partnershipGroups(municipality: "irbitskoye") {
                       number
                       resourceCentres { name }
                       members { role school { name fullName } }
                     } }"#,
                json!({}),
            )
            .await;
        let groups = data["partnershipGroups"].as_array().unwrap();
        assert_eq!(groups.len(), 7, "{}", backend.name);
        let members: BTreeSet<&str> = groups
            .iter()
            .flat_map(|g| g["members"].as_array().unwrap())
            .map(|m| m["school"]["name"].as_str().unwrap())
            .collect();
        // «партнерское взаимодействие 22 образовательных организаций в 7 группах»
        assert_eq!(members.len(), 22, "{}", backend.name);
        insta::assert_json_snapshot!("irbit_partnership_groups", data);
        backend.finish().await;
    }
}

#[tokio::test]
async fn resource_centres_are_members_and_know_it() {
    for backend in backends().await {
        let data = backend
            .data(
                r#"{ schools(filter: {nameContains: "Зайковская"}) { nodes {
                       name isResourceCentre partnershipGroup { number resourceCentres { name } }
                     } } }"#,
                json!({}),
            )
            .await;
        for school in data["schools"]["nodes"].as_array().unwrap() {
            assert_eq!(
                school["isResourceCentre"], true,
                "{}: {school}",
                backend.name
            );
            assert_eq!(school["partnershipGroup"]["number"], 4);
            assert_eq!(
                strings(&school["partnershipGroup"]["resourceCentres"], "name"),
                ["Зайковская СОШ №1", "Зайковская СОШ №2"]
            );
        }
        backend.finish().await;
    }
}

#[tokio::test]
async fn irbit_evaluations_match_the_seed_table_and_its_summary() {
    for backend in backends().await {
        let data = backend
            .data(
                r#"{ municipality(slug: "irbitskoye") { schools(first: 100) { nodes {
                       name cluster { number }
                       evaluations {
                         year qualityGroup qualityGroupAbsence qualityLevel
                         wellbeingGroup wellbeingGroupAbsence wellbeingLevel levelsAgree
                       }
                     } } } }"#,
                json!({}),
            )
            .await;
        let schools = data["municipality"]["schools"]["nodes"].as_array().unwrap();
        let rated: Vec<&Value> = schools
            .iter()
            .filter_map(|s| s["evaluations"].as_array().unwrap().first())
            .collect();
        assert_eq!(
            rated.len(),
            21,
            "{}: the seed table has 21 rows",
            backend.name
        );

        // The seed's own summary: 3 → 2 schools, 4 → 4, 5 → 5, 6 → 5, 7 → 2, 9 → 2.
        let mut by_group: BTreeMap<String, usize> = BTreeMap::new();
        for e in &rated {
            let key = match e["qualityGroup"].as_i64() {
                Some(group) => group.to_string(),
                None => e["qualityGroupAbsence"].as_str().unwrap().to_owned(),
            };
            *by_group.entry(key).or_default() += 1;
        }
        let expected: BTreeMap<String, usize> = [
            ("3", 2),
            ("4", 4),
            ("5", 5),
            ("6", 5),
            ("7", 2),
            ("9", 2),
            ("NO_GRADUATES", 1),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        assert_eq!(by_group, expected, "{}", backend.name);

        // Missing is not zero: «нет информации» has no number and no level.
        let pionerskaya = schools
            .iter()
            .find(|s| s["name"] == "Пионерская СОШ")
            .unwrap();
        let e = &pionerskaya["evaluations"][0];
        assert_eq!(e["wellbeingGroup"], Value::Null);
        assert_eq!(e["wellbeingGroupAbsence"], "NO_INFORMATION");
        assert_eq!(e["wellbeingLevel"], Value::Null);
        assert!(rated.iter().all(|e| e["levelsAgree"] == true));
        insta::assert_json_snapshot!("irbit_evaluations", data);
        backend.finish().await;
    }
}

#[tokio::test]
async fn labinsky_low_results_share_against_the_region() {
    for backend in backends().await {
        let data = backend
            .data(
                r#"{ municipality(slug: "labinsky") {
                       schoolCount lowResultsSchoolCount lowResultsShare regionalLowResultsShare
                       region { name }
                     }
                     shnor: schools(filter: {municipality: "labinsky", programme: LOW_RESULTS}) {
                       totalCount nodes { name }
                     }
                     p500: schools(filter: {municipality: "labinsky", programme: PROJECT_500_PLUS}) {
                       nodes { name programmes { programme includedOn } }
                     } }"#,
                json!({}),
            )
            .await;
        let m = &data["municipality"];
        assert_eq!(m["schoolCount"], 29, "{}", backend.name);
        assert_eq!(m["lowResultsSchoolCount"], 16);
        assert_eq!(m["lowResultsShare"], 55.2);
        assert_eq!(m["regionalLowResultsShare"], 32.5);
        assert_eq!(m["region"]["name"], "Краснодарский край");
        let numbers = [5, 6, 9, 13, 15, 16, 20, 21, 22, 25, 26, 27, 28, 30, 31, 32];
        let expected: Vec<String> = numbers.iter().map(|n| format!("СОШ № {n}")).collect();
        assert_eq!(strings(&data["shnor"]["nodes"], "name"), expected);

        let included: BTreeMap<String, String> = data["p500"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let p = s["programmes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|p| p["programme"] == "PROJECT_500_PLUS")
                    .unwrap();
                (
                    s["name"].as_str().unwrap().to_owned(),
                    p["includedOn"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let expected: BTreeMap<String, String> = [
            ("СОШ № 6", "2020"),
            ("СОШ № 13", "2021"),
            ("СОШ № 22", "2021"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(included, expected, "{}", backend.name);
        backend.finish().await;
    }
}

#[tokio::test]
async fn kotelnikovo_schools_left_low_results_with_a_justification() {
    for backend in backends().await {
        let data = backend
            .data(
                r#"{ municipality(slug: "kotelnikovsky") {
                       schoolCount lowResultsSchoolCount
                       schools { nodes { name fullName programmes {
                         programme includedOn excludedOn exclusionJustification isActive
                       } } }
                     } }"#,
                json!({}),
            )
            .await;
        let m = &data["municipality"];
        assert_eq!(m["schoolCount"], 20, "{}", backend.name);
        assert_eq!(m["lowResultsSchoolCount"], 0, "all three were excluded");
        let excluded: Vec<&Value> = m["schools"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| !s["programmes"].as_array().unwrap().is_empty())
            .collect();
        let names: Vec<&str> = excluded
            .iter()
            .map(|s| s["fullName"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "МКОУ Красноярская СШ",
                "МКОУ Нагольненская СШ",
                "МКОУ Семиченская СШ"
            ]
        );
        for school in excluded {
            let p = &school["programmes"][0];
            assert_eq!(p["programme"], "LOW_RESULTS");
            assert_eq!(p["excludedOn"], "2021-05-20");
            assert_eq!(p["isActive"], false);
            let justification = p["exclusionJustification"].as_str().unwrap();
            assert!(
                justification.starts_with("Активная работы по повышению квалификации")
                    || justification.starts_with("Организация мероприятий в рамках открытия")
            );
            assert!(justification.contains("Вывод: планомерная всесторонняя работа"));
        }
        backend.finish().await;
    }
}

#[tokio::test]
async fn tsunta_curators_directors_and_risk_group_match_seed_002() {
    for backend in backends().await {
        let data = backend
            .data(
                r#"{ municipality(slug: "tsuntinsky") {
                       coordinators { person { fullName } programme }
                       schools { nodes {
                         name
                         director { fullName }
                         curators { programme person { fullName position workplace { ... on School { name } } } }
                         programmes { programme riskGroup }
                       } }
                     } }"#,
                json!({}),
            )
            .await;
        let m = &data["municipality"];
        assert_eq!(m["coordinators"][0]["person"]["fullName"], "Алиев М.А.");
        assert_eq!(m["coordinators"][0]["programme"], "PROJECT_500_PLUS");
        let rows: Vec<(String, String, String)> = m["schools"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["name"].as_str().unwrap().to_owned(),
                    s["director"]["fullName"].as_str().unwrap().to_owned(),
                    s["curators"][0]["person"]["fullName"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                )
            })
            .collect();
        let expected = [
            (
                "Генухская СОШ имени Тагирова А.Р.",
                "Юсупов Магомед Магомедович",
                "Анварбегов Магомед Джабраилович",
            ),
            (
                "Ретлобская СОШ",
                "Магомединов Шамиль Гамидович",
                "Асхабов Халит Магомедович",
            ),
            (
                "Хебатлинская СОШ",
                "Салманов Магомед Бадигович",
                "Абдулаева Нугейрат Алиевна",
            ),
            (
                "Цебаринская СОШ",
                "Анварбегов Исрапил Джабраилович",
                "Анварбегов Абдулнасир Ахмедович",
            ),
        ]
        .map(|(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned()));
        assert_eq!(rows, expected, "{}", backend.name);
        for school in m["schools"]["nodes"].as_array().unwrap() {
            let p500 = school["programmes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["programme"] == "PROJECT_500_PLUS")
                .unwrap();
            assert_eq!(p500["riskGroup"], "Базово неуспевающие");
        }
        backend.finish().await;
    }
}

#[tokio::test]
async fn partnerships_show_who_mentors_and_who_hosts_whom() {
    for backend in backends().await {
        let data = backend
            .data(
                r#"{ mentee: schools(filter: {nameContains: "Красноярская"}) { nodes { partnerships {
                       kind school { name } partner { ... on School { fullName } }
                       role counterpart { ... on School { fullName } }
                     } } }
                     mentor: schools(filter: {nameContains: "СШ № 3 г. Котельниково"}) { nodes { partnerships {
                       kind role counterpart { ... on School { name } } partner { ... on School { name } }
                     } } }
                     pilot: schools(filter: {nameContains: "Пьянковская"}) { nodes { partnerships {
                       kind startsOn document
                       partner { ... on School { fullName municipality { name } } ... on Organisation { name } }
                     } } } }"#,
                json!({}),
            )
            .await;
        let mentoring = &data["mentee"]["nodes"][0]["partnerships"][0];
        assert_eq!(mentoring["kind"], "MENTORING", "{}", backend.name);
        assert_eq!(
            mentoring["partner"]["fullName"],
            "МКОУ СШ № 3 г. Котельниково"
        );
        assert_eq!(mentoring["role"], "SUPPORTED");
        assert_eq!(mentoring["counterpart"], mentoring["partner"]);
        // From the mentor's side the other side is the mentee, not the mentor itself.
        let mentor_side = data["mentor"]["nodes"][0]["partnerships"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["counterpart"]["name"] == "Красноярская СШ")
            .expect("the mentor sees its mentee");
        assert_eq!(mentor_side["kind"], "MENTORING");
        assert_eq!(mentor_side["role"], "SUPPORTING");
        assert_ne!(mentor_side["partner"], mentor_side["counterpart"]);
        let base = &data["pilot"]["nodes"][0]["partnerships"][0];
        assert_eq!(base["kind"], "BASE_SITE");
        assert_eq!(base["startsOn"], "2020-06");
        assert_eq!(
            base["partner"]["fullName"],
            "МАОУ «Средняя общеобразовательная школа № 13»"
        );
        assert_eq!(base["partner"]["municipality"]["name"], "ГО Ирбит");
        backend.finish().await;
    }
}

#[tokio::test]
async fn name_search_folds_cyrillic_case_quotes_and_aliases() {
    for backend in backends().await {
        let search = |text: &'static str| {
            let backend = &backend;
            async move {
                let data = backend
                    .data(
                        "query($text: String!) { schools(filter: {nameContains: $text}) { nodes { name } } }",
                        json!({ "text": text }),
                    )
                    .await;
                strings(&data["schools"]["nodes"], "name")
            }
        };
        assert_eq!(
            search("зайковская").await,
            ["Зайковская СОШ №1", "Зайковская СОШ №2"]
        );
        assert_eq!(search("ЗАЙКОВСКАЯ СОШ № 1").await, ["Зайковская СОШ №1"]);
        // Seed 000 also spells it in the genitive; seed 003 prints Стриганская as ООШ and СОШ.
        assert_eq!(search("МКОУ Красноярской СШ").await, ["Красноярская СШ"]);
        assert_eq!(search("«Стриганская ООШ»").await, ["Стриганская СОШ"]);
        assert_eq!(search("школа №13").await, ["СОШ №13"]);
        assert!(
            search("100%_").await.is_empty(),
            "wildcards match literally"
        );
        backend.finish().await;
    }
}

#[tokio::test]
async fn one_record_per_school() {
    for backend in backends().await {
        let data = backend
            .data(
                "{ municipalities { slug schools(first: 100) { totalCount nodes { name fullName aliases } } } }",
                json!({}),
            )
            .await;
        let mut total = 0;
        for m in data["municipalities"].as_array().unwrap() {
            let mut seen = BTreeSet::new();
            assert!(m["schools"]["totalCount"].as_u64().unwrap() <= 100);
            for s in m["schools"]["nodes"].as_array().unwrap() {
                total += 1;
                let spellings = [&s["name"], &s["fullName"]]
                    .into_iter()
                    .chain(s["aliases"].as_array().unwrap())
                    .map(|v| schoolnet::domain::fold(v.as_str().unwrap()))
                    .collect::<BTreeSet<_>>();
                for spelling in spellings {
                    assert!(
                        seen.insert(spelling.clone()),
                        "{}: «{spelling}» names two schools",
                        m["slug"]
                    );
                }
            }
        }
        assert_eq!(total, 52, "{}", backend.name);
        backend.finish().await;
    }
}

#[tokio::test]
async fn pages_walk_every_school_once() {
    for backend in backends().await {
        let mut after: Option<String> = None;
        let mut names = Vec::new();
        let mut pages = 0;
        loop {
            let data = backend
                .data(
                    "query($after: String) { schools(first: 20, after: $after) {
                       totalCount edges { cursor node { name } } pageInfo { hasNextPage endCursor }
                     } }",
                    json!({ "after": after }),
                )
                .await;
            let page = &data["schools"];
            assert_eq!(page["totalCount"], 52);
            pages += 1;
            for edge in page["edges"].as_array().unwrap() {
                names.push(edge["node"]["name"].as_str().unwrap().to_owned());
            }
            if page["pageInfo"]["hasNextPage"] == false {
                break;
            }
            after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
        }
        assert_eq!(pages, 3, "{}", backend.name);
        assert_eq!(names.len(), 52);
        assert_eq!(names.iter().collect::<BTreeSet<_>>().len(), 52);
        backend.finish().await;
    }
}

#[tokio::test]
async fn global_ids_fetch_any_object() {
    for backend in backends().await {
        let data = backend
            .data(
                r#"{ municipality(slug: "yaysky") { id schools { nodes { id name } } } }"#,
                json!({}),
            )
            .await;
        let school = &data["municipality"]["schools"]["nodes"][0];
        let node = backend
            .data(
                "query($id: ID!) { node(id: $id) { id ... on School { fullName } } school(id: $id) { name } }",
                json!({ "id": school["id"] }),
            )
            .await;
        assert_eq!(
            node["node"]["fullName"], "МБОУ «Туратская ООШ»",
            "{}",
            backend.name
        );
        assert_eq!(node["school"]["name"], school["name"]);
        let municipality = backend
            .data(
                "query($id: ID!) { node(id: $id) { ... on Municipality { name } } }",
                json!({ "id": data["municipality"]["id"] }),
            )
            .await;
        assert_eq!(municipality["node"]["name"], "Яйский муниципальный округ");
        backend.finish().await;
    }
}

/// The error of a query expected to fail: its `extensions.code` and message.
async fn error_of(backend: &common::Backend, query: &str) -> (String, String) {
    let body = backend.post(query, json!({})).await;
    let error = &body["errors"][0];
    (
        error["extensions"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        error["message"].as_str().unwrap_or_default().to_owned(),
    )
}

#[tokio::test]
async fn bad_arguments_get_coded_errors() {
    for backend in backends().await {
        let cases = [
            (
                r#"{ school(id: "not-an-id") { name } }"#,
                "BAD_USER_INPUT",
                "not a schoolnet id",
            ),
            (
                r#"{ school(id: "U2Nob29sOjk5OTk") { name } }"#,
                "NOT_FOUND",
                "no school",
            ),
            (
                r#"{ school(id: "UGVyc29uOjE") { name } }"#,
                "BAD_USER_INPUT",
                "not of a School",
            ),
            (
                r#"{ node(id: "UGxhbmV0OjE") { id } }"#,
                "BAD_USER_INPUT",
                "not a schoolnet id",
            ),
            (
                r#"{ municipality(slug: "atlantis") { name } }"#,
                "NOT_FOUND",
                "atlantis",
            ),
            (
                r#"{ schools(after: "bogus") { totalCount } }"#,
                "BAD_USER_INPUT",
                "not a cursor",
            ),
            (
                "{ schools(first: 101) { totalCount } }",
                "BAD_USER_INPUT",
                "at most 100",
            ),
            (
                "{ schools(first: -1) { totalCount } }",
                "BAD_USER_INPUT",
                "negative",
            ),
            (
                r#"{ schools(filter: {municipality: "atlantis"}) { totalCount } }"#,
                "BAD_USER_INPUT",
                "filter.municipality",
            ),
            (
                r#"{ partnershipGroups(municipality: "atlantis") { number } }"#,
                "BAD_USER_INPUT",
                "no municipality has the slug «atlantis»",
            ),
        ];
        for (query, code, words) in cases {
            let (got_code, message) = error_of(&backend, query).await;
            assert_eq!(got_code, code, "{}: {query} → {message}", backend.name);
            assert!(
                message.contains(words),
                "{}: «{message}» should say «{words}»",
                backend.name
            );
        }
        backend.finish().await;
    }
}

/// Every group of every municipality → members → school → its cluster, group and evaluations.
const NESTED: &str = r#"{ partnershipGroups { number municipality { name } members { role school {
    name cluster { number } partnershipGroup { number } evaluations { year qualityGroup }
    programmes { programme } curators { person { fullName } }
} } } }"#;

/// Every school → its results → their subjects and schools.
const NESTED_RESULTS: &str = r#"{ schools(first: 100) { nodes {
    name results { year mean subject { name } school { name } }
} } }"#;

/// A municipality's table of a year: its schools' results side by side.
const MUNICIPAL_TABLES: &str = r#"{ municipality(slug: "kotelnikovsky") { results(year: 2019, procedure: VPR) {
    columns { subject { name } mean } rows { school { name } results { mean subject { code } } } } } }"#;

#[tokio::test]
async fn nested_queries_cost_a_bounded_number_of_statements() {
    for backend in backends().await {
        let queries = [NESTED, NESTED_RESULTS, MUNICIPAL_TABLES];
        let mut on_demo = Vec::new();
        for query in queries {
            on_demo.push(backend.count_statements(query).await);
        }

        // Add a second network as large as Irbit's whole: 30 schools in 6 new groups, with
        // results.
        common::add_schools(&backend.db, 30).await;
        let mut on_twice_the_rows = Vec::new();
        for query in queries {
            on_twice_the_rows.push(backend.count_statements(query).await);
        }
        eprintln!(
            "{}: nested queries cost {on_demo:?} SQL statements on the demo, {on_twice_the_rows:?} with 30 more schools",
            backend.name
        );
        assert_eq!(
            on_demo, on_twice_the_rows,
            "{}: the cost grew with the rows",
            backend.name
        );
        assert!(
            on_demo.iter().all(|&n| n <= 10),
            "{}: {on_demo:?} statements",
            backend.name
        );
        backend.finish().await;
    }
}

/// A query reads each row once: a school's page reads the school and what hangs off it by the
/// school's id in one round, and a result's school, the school itself, is not read again.
#[tokio::test]
async fn a_query_reads_each_row_once() {
    for backend in backends().await {
        let data = backend
            .data(
                "{ schools(first: 100) { nodes { id results { year } } } }",
                json!({}),
            )
            .await;
        let school = data["schools"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| !s["results"].as_array().unwrap().is_empty())
            .expect("a school with results")["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let query = |fields: &str| format!(r#"{{ school(id: "{school}") {{ {fields} }} }}"#);
        let results = backend.count_statements(&query("results { year }")).await;
        let back = backend
            .count_statements(&query("results { year school { name } }"))
            .await;
        assert_eq!(
            (results, back),
            (2, 2),
            "{}: the school and its results, then nothing more",
            backend.name
        );
        backend.finish().await;
    }
}

/// On PostgreSQL the statements of one round go to the server together: a school's page reads
/// the school and what hangs off it by the school's id in one round trip, then its
/// municipality, cluster and people in a second. SQLite, in the process, has no trips to save.
#[tokio::test]
async fn a_round_is_one_round_trip_on_postgresql() {
    for backend in backends().await {
        let page = r#"{ schools(first: 1) { nodes { id } } }"#;
        let data = backend.data(page, json!({})).await;
        let school = data["schools"]["nodes"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let query = format!(
            r#"{{ school(id: "{school}") {{ name municipality {{ name }} cluster {{ number }}
            evaluations {{ year }} programmes {{ programme }} curators {{ person {{ fullName }} }}
            riskProfiles {{ year }} results {{ year }} }} }}"#
        );
        let (statements, round_trips) = backend.count_sent(&query).await;
        let expected = match backend.name {
            "postgres" => 2,
            _ => statements,
        };
        assert!(
            statements >= 7 && round_trips == expected,
            "{}: {statements} statements in {round_trips} round trips for a school's page",
            backend.name
        );
        backend.finish().await;
    }
}

#[tokio::test]
async fn people_are_listed_by_municipality_name_and_current_role() {
    for backend in backends().await {
        let data = backend
            .data(
                r#"{ labinsky: people(filter: {municipality: "labinsky"}) {
                       totalCount nodes { fullName position workplace { ... on Organisation { shortName } ... on School { name } }
                                          currentRoles { role programme municipality { slug } } } }
                     curators: people(filter: {municipality: "labinsky", role: CURATOR}) { nodes { fullName } }
                     byName: people(filter: {nameContains: "АЛИФАНОВА"}) { nodes { fullName } }
                     head: people(filter: {nameContains: "голова", municipality: "kotelnikovsky"}) { nodes { fullName position } }
                     page: people(first: 2) { nodes { fullName } pageInfo { hasNextPage endCursor } } }"#,
                json!({}),
            )
            .await;
        let labinsky = strings(&data["labinsky"]["nodes"], "fullName");
        for name in [
            "Клименко Сергей Иванович",
            "Алифанова Инна Александровна",
            "Конелец Надежда Ивановна",
        ] {
            assert!(
                labinsky.contains(&name.to_owned()),
                "{}: {labinsky:?}",
                backend.name
            );
        }
        assert!(!labinsky.contains(&"Голова Н.А.".to_owned()));
        let klimenko = data["labinsky"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["fullName"] == "Клименко Сергей Иванович")
            .unwrap();
        assert_eq!(
            klimenko["currentRoles"],
            json!([{ "role": "COORDINATOR", "programme": "PROJECT_500_PLUS", "municipality": { "slug": "labinsky" } }])
        );
        let curators = strings(&data["curators"]["nodes"], "fullName");
        assert!(curators.contains(&"Конелец Надежда Ивановна".to_owned()));
        assert!(
            !curators.contains(&"Клименко Сергей Иванович".to_owned()),
            "a coordinator is not a curator"
        );
        assert_eq!(
            strings(&data["byName"]["nodes"], "fullName"),
            ["Алифанова Инна Александровна"]
        );
        assert_eq!(
            data["head"]["nodes"][0]["position"],
            "начальник отдела образования"
        );
        // The next page starts where the first ended.
        let cursor = data["page"]["pageInfo"]["endCursor"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(data["page"]["pageInfo"]["hasNextPage"], true);
        let next = backend
            .data(
                "query($after: String) { people(first: 2, after: $after) { nodes { fullName } } }",
                json!({ "after": cursor }),
            )
            .await;
        let first_page = strings(&data["page"]["nodes"], "fullName");
        let second_page = strings(&next["people"]["nodes"], "fullName");
        assert_eq!(second_page.len(), 2);
        assert!(second_page.iter().all(|n| !first_page.contains(n)));
        backend.finish().await;
    }
}

#[tokio::test]
async fn schools_come_by_name_page_after_page() {
    for backend in backends().await {
        let query = r#"query($after: String) {
            schools(filter: {municipality: "irbitskoye"}, orderBy: NAME, first: 5, after: $after) {
              totalCount nodes { name } pageInfo { hasNextPage endCursor } } }"#;
        let mut names = Vec::new();
        let mut after = serde_json::Value::Null;
        loop {
            let data = backend.data(query, json!({ "after": after })).await;
            let page = &data["schools"];
            assert_eq!(page["totalCount"], 22, "{}", backend.name);
            names.extend(strings(&page["nodes"], "name"));
            if page["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = page["pageInfo"]["endCursor"].clone();
        }
        assert_eq!(
            names.len(),
            22,
            "{}: every school once: {names:?}",
            backend.name
        );
        assert_eq!(
            names[..6],
            [
                "Бердюгинская СОШ",
                "Гаевская ООШ",
                "Горкинская СОШ",
                "Дубская СОШ",
                "Зайковская СОШ №1",
                "Зайковская СОШ №2"
            ],
            "{}",
            backend.name
        );
        assert_eq!(
            names.last().unwrap(),
            "Чубаровская начальная школа-детский сад"
        );
        // The default order is still as added.
        let added = backend
            .data(r#"{ schools(filter: {municipality: "irbitskoye"}, first: 22) { nodes { name } } }"#, json!({}))
            .await;
        let added = strings(&added["schools"]["nodes"], "name");
        assert_ne!(added, names);
        let mut sorted = added.clone();
        sorted.sort();
        assert_eq!(sorted, names, "the same schools, by name");
        backend.finish().await;
    }
}

#[tokio::test]
async fn people_come_by_name_page_after_page() {
    for backend in backends().await {
        let query = r#"query($after: String) {
            people(orderBy: NAME, first: 4, after: $after) {
              totalCount nodes { fullName } pageInfo { hasNextPage endCursor } } }"#;
        let mut names = Vec::new();
        let mut after = serde_json::Value::Null;
        let total = loop {
            let data = backend.data(query, json!({ "after": after })).await;
            let page = &data["people"];
            names.extend(strings(&page["nodes"], "fullName"));
            if page["pageInfo"]["hasNextPage"] != true {
                break page["totalCount"].as_u64().unwrap() as usize;
            }
            after = page["pageInfo"]["endCursor"].clone();
        };
        assert!(total > 8, "{}: more than two pages of people", backend.name);
        assert_eq!(names.len(), total, "{}: every person once", backend.name);
        let added = backend
            .data(
                r#"{ people(first: 100) { nodes { fullName } } }"#,
                json!({}),
            )
            .await;
        let added = strings(&added["people"]["nodes"], "fullName");
        assert_ne!(added, names, "{}", backend.name);
        let mut sorted = added.clone();
        sorted.sort();
        assert_eq!(sorted, names, "{}: the same people, by name", backend.name);
        backend.finish().await;
    }
}
