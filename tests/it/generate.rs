//! `schoolnet generate`, on SQLite and PostgreSQL: the synthetic country has the asked size,
//! the same seed gives the same rows, the API serves it, the application keeps writing after it,
//! and a database holding real data is refused untouched.

use schoolnet::entities::municipality;
use schoolnet::generate::{GenerateError, Scale, generate};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};
use serde_json::json;

use crate::common::{backends, generated_backends};

fn small(seed: u64) -> Scale {
    Scale {
        regions: 3,
        municipalities: 10,
        schools: 150,
        years: 2,
        results_per_year: 3,
        last_year: 2025,
        seed,
    }
}

#[tokio::test]
async fn the_synthetic_country_has_its_size_and_the_api_serves_it() {
    for backend in generated_backends(&small(7)).await {
        let data = backend
            .data(
                "{ regions { name } municipalities { slug name schoolCount } schools(first: 1) { totalCount } }",
                json!({}),
            )
            .await;
        assert_eq!(
            data["regions"].as_array().unwrap().len(),
            3,
            "{}",
            backend.name
        );
        let municipalities = data["municipalities"].as_array().unwrap();
        assert_eq!(municipalities.len(), 10);
        let counted: i64 = municipalities
            .iter()
            .map(|m| m["schoolCount"].as_i64().unwrap())
            .sum();
        assert_eq!(counted, 150);
        assert_eq!(data["schools"]["totalCount"], 150);
        assert_eq!(data["regions"][0]["name"], "Берёзовская область");
        assert_eq!(
            municipalities[0]["name"],
            "Берёзовский муниципальный район Берёзовской области"
        );

        // A municipality's partnership structure, with two years of evaluations per school.
        let slug = municipalities[0]["slug"].as_str().unwrap();
        let groups = backend
            .data(
                "query($m: String!) { partnershipGroups(municipality: $m) { number members { role school { name evaluations { year qualityGroup } } } } }",
                json!({ "m": slug }),
            )
            .await;
        let groups = groups["partnershipGroups"].as_array().unwrap();
        assert!(!groups.is_empty(), "{}", backend.name);
        for group in groups {
            let members = group["members"].as_array().unwrap();
            let centres = members
                .iter()
                .filter(|m| m["role"] == "RESOURCE_CENTRE")
                .count();
            assert_eq!(centres, 1, "{group}");
            for member in members {
                let years: Vec<i64> = member["school"]["evaluations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| e["year"].as_i64().unwrap())
                    .collect();
                assert_eq!(years.len(), 2, "{member}");
            }
        }

        // The support work of the ШНОР schools: risk profiles and curator visits.
        let supported = backend
            .data(
                "{ schools(filter: {programme: LOW_RESULTS}, first: 100) { nodes { riskProfiles { year factors { significance } } visits { visitedOn } } } }",
                json!({}),
            )
            .await;
        let supported = supported["schools"]["nodes"].as_array().unwrap();
        assert!(!supported.is_empty(), "{}", backend.name);
        for school in supported {
            assert!(!school["visits"].as_array().unwrap().is_empty(), "{school}");
        }
        assert!(
            supported
                .iter()
                .any(|s| !s["riskProfiles"].as_array().unwrap().is_empty())
        );

        // The application's own inserts carry on after the generated ids.
        municipality::ActiveModel {
            region_id: Set(1),
            slug: Set("after-generate".into()),
            name: Set("Новый район".into()),
            short_name: Set("Новый".into()),
            ..Default::default()
        }
        .insert(&backend.db)
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", backend.name));
        backend.finish().await;
    }
}

#[tokio::test]
async fn the_same_seed_gives_the_same_country_and_another_seed_another() {
    let first = generated_backends(&small(7)).await;
    let again = generated_backends(&small(7)).await;
    let other = generated_backends(&small(8)).await;
    for ((first, again), other) in first.into_iter().zip(again).zip(other) {
        let fingerprint = first.fingerprint().await;
        assert_eq!(fingerprint, again.fingerprint().await, "{}", first.name);
        assert_ne!(fingerprint, other.fingerprint().await, "{}", first.name);
        for backend in [first, again, other] {
            backend.finish().await;
        }
    }
}

#[tokio::test]
async fn a_database_with_real_data_is_refused_untouched() {
    for backend in backends().await {
        let before = backend.fingerprint().await;
        let refused = generate(&backend.db, &small(1), false, &|_, _| {}).await;
        assert!(
            matches!(refused, Err(GenerateError::NotEmpty(6))),
            "{}: {refused:?}",
            backend.name
        );
        assert_eq!(backend.fingerprint().await, before, "{}", backend.name);
        backend.finish().await;
    }
}

/// PostgreSQL loads the biggest tables without their indexes and foreign keys and makes them
/// again before committing: afterwards the database refuses what it refused before.
#[tokio::test]
async fn the_generated_tables_keep_their_rules() {
    let refused = [
        (
            "a second result in the same cell",
            "INSERT INTO assessment_results (version, school_id, year, procedure, subject_id, \
             grade, level, status, mean_hundredths, participants, failed, source_text) \
             SELECT version, school_id, year, procedure, subject_id, grade, level, status, \
             mean_hundredths, participants, failed, source_text FROM assessment_results \
             WHERE id = (SELECT MIN(id) FROM assessment_results)",
        ),
        (
            "a second evaluation of a school in one year",
            "INSERT INTO evaluations (version, school_id, year, quality_group) \
             SELECT version, school_id, year, quality_group FROM evaluations \
             WHERE id = (SELECT MIN(id) FROM evaluations)",
        ),
        (
            "a visit to a school that does not exist",
            "UPDATE curator_visits SET school_id = -1 \
             WHERE id = (SELECT MIN(id) FROM curator_visits)",
        ),
    ];
    for backend in generated_backends(&small(3)).await {
        for (what, sql) in refused {
            assert!(
                backend.db.execute_unprepared(sql).await.is_err(),
                "{}: {what} was accepted",
                backend.name
            );
        }
        backend.finish().await;
    }
}
