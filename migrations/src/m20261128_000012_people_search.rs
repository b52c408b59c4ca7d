//! People can be found by name as schools are: a search key, the folded spellings of the name
//! (`domain::fold`), which the change layer writes with every name. Rows written before the key
//! existed are given theirs when the database is opened (`db::migrate`), since folding is the
//! application's, not SQL's.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261128_000012_people_search"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(
            manager,
            "ALTER TABLE people ADD COLUMN search_key TEXT NOT NULL DEFAULT ''",
        )
        .await
    }
}
