//! The methodological bank of seed 000 (decisions 3 and 9): materials of a municipality (methods,
//! monitoring instruments, best-practice cases, FAQ entries) with their Markdown text, and at
//! most one attached file each, kept apart so that lists never read the bytes. The database
//! bounds the text and the file, and knows the file types the commands accept.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261127_000011_materials"
    }
}

const TABLES: &str = r#"
CREATE TABLE materials (
    id {id},
    version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id) ON DELETE RESTRICT,
    kind TEXT NOT NULL
        CHECK (kind IN ('METHODOLOGICAL', 'MONITORING_INSTRUMENT', 'BEST_PRACTICE', 'FAQ')),
    title TEXT NOT NULL CHECK (TRIM(title) <> ''),
    audience TEXT,
    tags {json} NOT NULL,
    programme TEXT
        CHECK (programme IN ('LOW_RESULTS', 'UNFAVOURABLE_CONDITIONS', 'PROJECT_500_PLUS')),
    body TEXT NOT NULL CHECK (LENGTH(body) BETWEEN 1 AND 50000),
    updated_at {timestamp} NOT NULL
);
CREATE INDEX materials_municipality_idx ON materials (municipality_id);

CREATE TABLE material_files (
    material_id INTEGER PRIMARY KEY REFERENCES materials (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL CHECK (TRIM(file_name) <> ''
        AND REPLACE(REPLACE(file_name, '/', ''), '\', '') = file_name),
    media_type TEXT NOT NULL CHECK (media_type IN ('application/pdf',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'application/vnd.openxmlformats-officedocument.presentationml.presentation',
        'application/vnd.oasis.opendocument.text',
        'application/vnd.oasis.opendocument.spreadsheet', 'image/png', 'image/jpeg')),
    bytes {blob} NOT NULL CHECK (LENGTH(bytes) BETWEEN 1 AND 524288)
)
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, TABLES).await
    }
}
