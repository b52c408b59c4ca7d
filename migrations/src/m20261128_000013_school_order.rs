//! Schools listed by name (`schools(orderBy: NAME)`), page by page, read an index in order
//! instead of sorting the table: over the whole country and within a municipality.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261128_000013_school_order"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(
            manager,
            "CREATE INDEX schools_by_name ON schools (name, id);
             CREATE INDEX schools_in_municipality_by_name ON schools (municipality_id, name, id)",
        )
        .await
    }
}
