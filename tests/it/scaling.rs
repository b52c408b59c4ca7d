//! What lets a region run several servers behind one load balancer, on SQLite and PostgreSQL:
//! with `--read-database-url` queries and exports read the replica while mutations and export
//! jobs go to the primary, and export jobs live in the database, not in a server's memory. A
//! second fresh database stands in for the replica; it differs from the primary on purpose, so
//! that every answer shows which database it came from.

use std::path::Path;

use chrono::{Duration, Utc};
use schoolnet::auth::Role;
use schoolnet::entities::site_export_job::{self, JobStatus, Slugs};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use serde_json::json;

use crate::common::{self, backends, error_code, post_with};

const ON_REPLICA: &str = "МОУ «Дубская СОШ» (реплика)";
const RENAMED: &str = "МОУ «Дубская средняя школа»";
const FIND: &str =
    "{ schools(filter: {nameContains: \"Дубская\"}) { nodes { id version fullName } } }";

/// Whether any file under `dir` contains `text`.
fn any_file_contains(dir: &Path, text: &str) -> bool {
    common::tree(dir)
        .values()
        .any(|content| String::from_utf8_lossy(content).contains(text))
}

#[tokio::test]
async fn queries_and_exports_read_the_replica_and_writes_go_to_the_primary() {
    for primary in backends().await {
        let replica = primary.twin().await;
        replica
            .db
            .execute_unprepared(&format!(
                "UPDATE schools SET full_name = '{ON_REPLICA}' WHERE name = 'Дубская СОШ'"
            ))
            .await
            .unwrap();
        let server = primary.client_reading(&replica.db);

        let seen = post_with(&server, None, FIND, json!({})).await;
        let school = &seen["data"]["schools"]["nodes"][0];
        assert_eq!(school["fullName"], ON_REPLICA, "{}: {seen}", primary.name);

        // The token exists on the primary only: a mutation authenticates, reads and writes there.
        let admin = primary.token(Role::Admin, None, None).await;
        let rename = "mutation($id: ID!, $v: Int!, $name: String!) { updateSchool(id: $id, version: $v, input: {fullName: $name}) { fullName } }";
        let renamed = post_with(
            &server,
            Some(&admin),
            rename,
            json!({"id": school["id"], "v": school["version"], "name": RENAMED}),
        )
        .await;
        assert_eq!(
            renamed["data"]["updateSchool"]["fullName"], RENAMED,
            "{}: {renamed}",
            primary.name
        );
        let on_primary = primary.data(FIND, json!({})).await;
        assert_eq!(on_primary["schools"]["nodes"][0]["fullName"], RENAMED);
        let on_replica = replica.data(FIND, json!({})).await;
        assert_eq!(on_replica["schools"]["nodes"][0]["fullName"], ON_REPLICA);
        // Queries authenticate on the replica, where (nothing replicating here) the token is not.
        let audit = "{ auditLog { totalCount } }";
        let query = post_with(&server, Some(&admin), audit, json!({})).await;
        assert_eq!(error_code(&query).0, "UNAUTHENTICATED", "{query}");

        // The export renders the replica; its job is recorded on the primary, where a server
        // without a replica follows it.
        let started = post_with(
            &server,
            Some(&admin),
            "mutation { startSiteExport(municipalities: [\"irbitskoye\"]) { id } }",
            json!({}),
        )
        .await;
        let id = started["data"]["startSiteExport"]["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{}: {started}", primary.name));
        let done = common::finished_job(&primary, &admin, id).await;
        assert_eq!(done["status"], "SUCCEEDED", "{}: {done}", primary.name);
        let site = primary.site_dir.path().join("irbitskoye");
        assert!(any_file_contains(&site, ON_REPLICA), "{}", primary.name);
        assert!(!any_file_contains(&site, RENAMED), "{}", primary.name);
        replica.finish().await;
        primary.finish().await;
    }
}

#[tokio::test]
async fn export_jobs_outlive_their_server_and_a_stopped_one_is_taken_over() {
    for backend in backends().await {
        let admin = backend.token(Role::Admin, None, None).await;
        let folder = backend.site_dir.path().join("labinsky");
        // A job left running by another server: alive while its heartbeat is fresh.
        let now = Utc::now();
        let left = site_export_job::ActiveModel {
            municipalities: Set(Slugs(vec!["labinsky".into()])),
            folder: Set(folder.display().to_string()),
            status: Set(JobStatus::Running),
            written: Set(120),
            total: Set(740),
            error: Set(None),
            started_at: Set(now - Duration::minutes(5)),
            finished_at: Set(None),
            heartbeat_at: Set(now),
            ..Default::default()
        }
        .insert(&backend.db)
        .await
        .unwrap();
        let start = "mutation { startSiteExport(municipalities: [\"labinsky\"]) { id } }";
        let refused = backend.post_as(Some(&admin), start, json!({})).await;
        assert_eq!(
            error_code(&refused).0,
            "CONFLICT",
            "{}: {refused}",
            backend.name
        );

        // Any server over the database reports it, this one and a second one.
        let read = "query($id: Int!) { siteExport(id: $id) { status written total } }";
        let second = backend.another_client();
        let seen = post_with(&second, Some(&admin), read, json!({"id": left.id})).await;
        assert_eq!(
            seen["data"]["siteExport"],
            json!({"status": "RUNNING", "written": 120, "total": 740}),
            "{}",
            backend.name
        );

        // Its server stopped: no heartbeat for ten minutes. The next export marks it failed and
        // runs.
        site_export_job::Entity::update_many()
            .col_expr(
                site_export_job::Column::HeartbeatAt,
                Expr::value(now - Duration::minutes(10)),
            )
            .filter(site_export_job::Column::Id.eq(left.id))
            .exec(&backend.db)
            .await
            .unwrap();
        let started = backend.post_as(Some(&admin), start, json!({})).await;
        let id = started["data"]["startSiteExport"]["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{}: {started}", backend.name));
        let abandoned = post_with(&second, Some(&admin), read, json!({"id": left.id})).await;
        assert_eq!(
            abandoned["data"]["siteExport"]["status"], "FAILED",
            "{}: {abandoned}",
            backend.name
        );
        let done = common::finished_job(&backend, &admin, id).await;
        assert_eq!(done["status"], "SUCCEEDED", "{}: {done}", backend.name);
        assert!(folder.join("labinsky/index.html").exists());

        // The database itself refuses a second running job for one folder, whoever writes it.
        let twice = site_export_job::ActiveModel {
            municipalities: Set(Slugs(Vec::new())),
            folder: Set("site/all".into()),
            status: Set(JobStatus::Running),
            written: Set(0),
            total: Set(0),
            error: Set(None),
            started_at: Set(now),
            finished_at: Set(None),
            heartbeat_at: Set(now),
            ..Default::default()
        };
        twice.clone().insert(&backend.db).await.unwrap();
        assert!(twice.insert(&backend.db).await.is_err(), "{}", backend.name);
        backend.finish().await;
    }
}
