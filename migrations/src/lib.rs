//! Database schema of schoolnet, as sea-orm-migration steps.
//!
//! The schema enforces what it can itself (foreign keys, unique keys and check constraints), so
//! that a row written by any client, not only by schoolnet, keeps the rules of DOMAIN.md.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_network;
mod m20261123_000002_access;
mod m20261124_000003_integrity;
mod m20261124_000004_audit_scope;
mod m20261125_000005_monitoring;
mod m20261126_000006_risk_profiles;
mod m20261126_000007_meetings;
mod m20261126_000008_surveys;
mod m20261126_000009_diaries;
mod m20261127_000010_plans;
mod m20261127_000011_materials;
mod m20261128_000012_people_search;
mod m20261128_000013_school_order;
mod m20261129_000014_site_export_jobs;
mod m20261130_000015_people_order;

/// Runs `sql` (statements separated by `;`), writing `{id}` as the backend's auto-increment
/// primary key, `{json}` as its JSON type and `{timestamp}` as the type SeaORM reads a
/// `DateTimeUtc` from and `{blob}` as its bytes type: for the migrations written as SQL, which reads
/// closer to the rules than the builder.
async fn run_sql(manager: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
    let (id, json, timestamp, blob) = match manager.get_database_backend() {
        DbBackend::Postgres => (
            "SERIAL PRIMARY KEY",
            "JSON",
            "TIMESTAMP WITH TIME ZONE",
            "BYTEA",
        ),
        _ => (
            "INTEGER PRIMARY KEY AUTOINCREMENT",
            "JSON_TEXT",
            "timestamp_with_timezone_text",
            "BLOB",
        ),
    };
    let sql = sql
        .replace("{id}", id)
        .replace("{json}", json)
        .replace("{timestamp}", timestamp)
        .replace("{blob}", blob);
    for statement in sql.split(';').filter(|s| !s.trim().is_empty()) {
        manager
            .get_connection()
            .execute_unprepared(statement)
            .await?;
    }
    Ok(())
}

/// Every migration, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_network::Migration),
            Box::new(m20261123_000002_access::Migration),
            Box::new(m20261124_000003_integrity::Migration),
            Box::new(m20261124_000004_audit_scope::Migration),
            Box::new(m20261125_000005_monitoring::Migration),
            Box::new(m20261126_000006_risk_profiles::Migration),
            Box::new(m20261126_000007_meetings::Migration),
            Box::new(m20261126_000008_surveys::Migration),
            Box::new(m20261126_000009_diaries::Migration),
            Box::new(m20261127_000010_plans::Migration),
            Box::new(m20261127_000011_materials::Migration),
            Box::new(m20261128_000012_people_search::Migration),
            Box::new(m20261128_000013_school_order::Migration),
            Box::new(m20261129_000014_site_export_jobs::Migration),
            Box::new(m20261130_000015_people_order::Migration),
        ]
    }
}
