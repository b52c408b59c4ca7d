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
        ]
    }
}
