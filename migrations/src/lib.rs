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

/// Runs `sql` (statements separated by `;`), writing `{id}` as the backend's auto-increment
/// primary key and `{json}` as its JSON type: for the migrations written as SQL, which reads
/// closer to the rules than the builder.
async fn run_sql(manager: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
    let (id, json) = match manager.get_database_backend() {
        DbBackend::Postgres => ("SERIAL PRIMARY KEY", "JSON"),
        _ => ("INTEGER PRIMARY KEY AUTOINCREMENT", "JSON_TEXT"),
    };
    let sql = sql.replace("{id}", id).replace("{json}", json);
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
        ]
    }
}
