//! The diaries of seed 000 («Дневник школы, педагога, директора»): what the school learnt at
//! training events, and how teachers and the director use it, with the curator's comments. One
//! table; the kind decides which columns an entry has, and the database holds it to that.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000009_diaries"
    }
}

const TABLE: &str = r#"
CREATE TABLE diary_entries (
    id {id},
    version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    school_id INTEGER NOT NULL REFERENCES schools (id) ON DELETE RESTRICT,
    kind TEXT NOT NULL CHECK (kind IN ('SCHOOL', 'TEACHER', 'DIRECTOR')),
    event TEXT,
    organiser TEXT,
    dates TEXT,
    participants TEXT,
    course_elements TEXT,
    programme_element TEXT,
    teacher TEXT,
    method TEXT,
    where_used TEXT,
    results TEXT,
    author_comment TEXT,
    curator_comment TEXT,
    CONSTRAINT diary_entries_columns_of_kind CHECK (
        (kind = 'SCHOOL' AND event IS NOT NULL AND teacher IS NULL AND method IS NULL
            AND where_used IS NULL AND results IS NULL AND author_comment IS NULL
            AND curator_comment IS NULL)
        OR (kind <> 'SCHOOL' AND method IS NOT NULL AND event IS NULL AND organiser IS NULL
            AND dates IS NULL AND participants IS NULL AND course_elements IS NULL
            AND programme_element IS NULL
            AND (kind = 'TEACHER') = (teacher IS NOT NULL))
    )
);
CREATE INDEX diary_entries_school_idx ON diary_entries (school_id)
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, TABLE).await
    }
}
