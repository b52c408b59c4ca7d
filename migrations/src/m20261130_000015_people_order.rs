//! People listed by name (`people(orderBy: NAME)`), page by page, read an index in order
//! instead of sorting the table.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261130_000015_people_order"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(
            manager,
            "CREATE INDEX people_by_name ON people (full_name, id)",
        )
        .await
    }
}
