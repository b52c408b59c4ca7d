//! Meetings and their protocols (протокол заседания, seeds 000 and 004): who met and when, the
//! agenda, the speakers with their topics and annexes, the numbered decisions, the vote and the
//! chair. A protocol is one document, kept whole: its lists are JSON, checked by the commands.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000007_meetings"
    }
}

const TABLE: &str = r#"
CREATE TABLE meetings (
    id {id},
    version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id) ON DELETE RESTRICT,
    title TEXT NOT NULL CHECK (TRIM(title) <> ''),
    held_on TEXT CHECK (held_on IS NULL OR LENGTH(held_on) IN (4, 7, 10)),
    agenda {json} NOT NULL,
    speakers {json} NOT NULL,
    annexes {json} NOT NULL,
    decisions {json} NOT NULL,
    vote TEXT,
    chair TEXT
);
CREATE INDEX meetings_municipality_idx ON meetings (municipality_id)
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, TABLE).await
    }
}
