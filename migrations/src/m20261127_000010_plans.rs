//! The support work of seeds 000, 001, 002 and 004: plans (a school's roadmap, the municipal
//! plan in numbered sections) and their measures, the curator review of ИС МЭДК with its thread
//! of comments, curator visits, and the `DIRECTOR` tokens the schools act with.
//!
//! The database holds what must never break whoever writes: a measure's section belongs to its
//! plan, target schools are schools of the plan's municipality, a factor is named once per
//! measure, only a school's roadmap has a review state, a report under review exists, a return
//! or a comment says something, and a visit is to a school of the municipality recorded.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261127_000010_plans"
    }
}

const TABLES: &str = r#"
CREATE TABLE plans (
    id {id},
    version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id) ON DELETE RESTRICT,
    school_id INTEGER,
    school_year INTEGER CHECK (school_year BETWEEN 2000 AND 2100),
    title TEXT NOT NULL CHECK (TRIM(title) <> ''),
    review_state TEXT CHECK (review_state IN ('DRAFT', 'SUBMITTED', 'CONFIRMED', 'RETURNED')),
    CONSTRAINT plans_school_of_municipality FOREIGN KEY (school_id, municipality_id)
        REFERENCES schools (id, municipality_id) ON DELETE RESTRICT,
    CONSTRAINT plans_reviewed_when_a_roadmap CHECK ((school_id IS NULL) = (review_state IS NULL))
);
CREATE INDEX plans_municipality_idx ON plans (municipality_id);
CREATE INDEX plans_school_idx ON plans (school_id);
CREATE UNIQUE INDEX plans_one_title_per_owner_and_year
    ON plans (municipality_id, COALESCE(school_id, 0), COALESCE(school_year, 0), title);
CREATE UNIQUE INDEX plans_id_municipality ON plans (id, municipality_id);

CREATE TABLE plan_sections (
    id {id},
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    number INTEGER NOT NULL CHECK (number > 0),
    title TEXT NOT NULL CHECK (TRIM(title) <> ''),
    CONSTRAINT plan_sections_number_once UNIQUE (plan_id, number),
    CONSTRAINT plan_sections_id_plan UNIQUE (id, plan_id)
);

CREATE TABLE measures (
    id {id},
    version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    municipality_id INTEGER NOT NULL,
    section_id INTEGER,
    position INTEGER NOT NULL CHECK (position > 0),
    title TEXT NOT NULL CHECK (TRIM(title) <> ''),
    period_text TEXT,
    starts_on TEXT CHECK (starts_on IS NULL OR LENGTH(starts_on) IN (4, 7, 10)),
    ends_on TEXT CHECK (ends_on IS NULL OR LENGTH(ends_on) IN (4, 7, 10)),
    result TEXT,
    responsible TEXT,
    targets_text TEXT,
    evaluation_method TEXT,
    status TEXT NOT NULL CHECK (status IN ('PLANNED', 'IN_PROGRESS', 'DONE', 'CANCELLED')),
    report TEXT,
    report_state TEXT CHECK (report_state IN ('DRAFT', 'SUBMITTED', 'CONFIRMED', 'RETURNED')),
    CONSTRAINT measures_of_plan FOREIGN KEY (plan_id, municipality_id)
        REFERENCES plans (id, municipality_id) ON DELETE CASCADE,
    CONSTRAINT measures_section_of_plan FOREIGN KEY (section_id, plan_id)
        REFERENCES plan_sections (id, plan_id) ON DELETE RESTRICT,
    CONSTRAINT measures_position_once UNIQUE (plan_id, position),
    CONSTRAINT measures_period_in_order CHECK (starts_on IS NULL OR ends_on IS NULL
        OR SUBSTR(starts_on, 1, LENGTH(ends_on)) <= SUBSTR(ends_on, 1, LENGTH(starts_on))),
    CONSTRAINT measures_report_reviewed CHECK (report_state IS NULL OR report IS NOT NULL)
);
CREATE UNIQUE INDEX measures_id_municipality ON measures (id, municipality_id);

CREATE TABLE measure_targets (
    id {id},
    measure_id INTEGER NOT NULL,
    municipality_id INTEGER NOT NULL,
    school_id INTEGER NOT NULL,
    CONSTRAINT measure_targets_of_measure FOREIGN KEY (measure_id, municipality_id)
        REFERENCES measures (id, municipality_id) ON DELETE CASCADE,
    CONSTRAINT measure_targets_school_of_municipality FOREIGN KEY (school_id, municipality_id)
        REFERENCES schools (id, municipality_id) ON DELETE RESTRICT,
    CONSTRAINT measure_targets_once UNIQUE (measure_id, school_id)
);
CREATE INDEX measure_targets_school_idx ON measure_targets (school_id);

CREATE TABLE measure_risk_factors (
    id {id},
    measure_id INTEGER NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    factor_id INTEGER NOT NULL REFERENCES risk_factors (id) ON DELETE RESTRICT,
    CONSTRAINT measure_risk_factors_once UNIQUE (measure_id, factor_id)
);

CREATE TABLE review_comments (
    id {id},
    plan_id INTEGER REFERENCES plans (id) ON DELETE CASCADE,
    measure_id INTEGER REFERENCES measures (id) ON DELETE CASCADE,
    written_at {timestamp} NOT NULL,
    author TEXT NOT NULL CHECK (TRIM(author) <> ''),
    side TEXT NOT NULL CHECK (side IN ('SCHOOL', 'CURATOR')),
    step TEXT NOT NULL CHECK (step IN ('SUBMIT', 'CONFIRM', 'RETURN', 'COMMENT')),
    text TEXT,
    CONSTRAINT review_comments_about_one_thing CHECK ((plan_id IS NULL) <> (measure_id IS NULL)),
    CONSTRAINT review_comments_return_says_why CHECK (step NOT IN ('RETURN', 'COMMENT')
        OR (text IS NOT NULL AND TRIM(text) <> ''))
);
CREATE INDEX review_comments_plan_idx ON review_comments (plan_id);
CREATE INDEX review_comments_measure_idx ON review_comments (measure_id);

CREATE TABLE curator_visits (
    id {id},
    version INTEGER NOT NULL DEFAULT 1 CHECK (version > 0),
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE RESTRICT,
    school_id INTEGER NOT NULL,
    municipality_id INTEGER NOT NULL,
    visited_on DATE NOT NULL,
    purpose TEXT NOT NULL CHECK (TRIM(purpose) <> ''),
    notes TEXT,
    CONSTRAINT curator_visits_school_of_municipality FOREIGN KEY (school_id, municipality_id)
        REFERENCES schools (id, municipality_id) ON DELETE RESTRICT
);
CREATE INDEX curator_visits_school_idx ON curator_visits (school_id, visited_on);
CREATE INDEX curator_visits_municipality_idx ON curator_visits (municipality_id)
"#;

/// The role check as the access migration wrote it, and as it becomes.
const ROLES_BEFORE: &str = r#"CHECK ("role" IN ('ADMIN', 'COORDINATOR', 'CURATOR'))"#;
const ROLES_AFTER: &str = r#"CHECK ("role" IN ('ADMIN', 'COORDINATOR', 'CURATOR', 'DIRECTOR'))"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::run_sql(manager, TABLES).await?;
        directors(manager).await
    }

    /// On SQLite too: the token table's schema is edited in place, which must be all or nothing.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

/// `DIRECTOR` tokens: scoped to one school, which they must name.
async fn directors(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    match manager.get_database_backend() {
        DbBackend::Postgres => {
            db.execute_unprepared(&format!(
                r#"ALTER TABLE api_tokens
                     ADD COLUMN school_id INTEGER REFERENCES schools (id) ON DELETE CASCADE,
                     DROP CONSTRAINT api_tokens_role_known,
                     ADD CONSTRAINT api_tokens_role_known {ROLES_AFTER},
                     ADD CONSTRAINT api_tokens_director_has_school
                         CHECK (role <> 'DIRECTOR' OR school_id IS NOT NULL)"#
            ))
            .await?;
        }
        _ => {
            db.execute_unprepared(
                r#"ALTER TABLE api_tokens ADD COLUMN school_id INTEGER
                     REFERENCES schools (id) ON DELETE CASCADE
                     CONSTRAINT api_tokens_director_has_school
                     CHECK (role <> 'DIRECTOR' OR school_id IS NOT NULL)"#,
            )
            .await?;
            loosen_sqlite_check(db, "api_tokens", ROLES_BEFORE, ROLES_AFTER).await?;
        }
    }
    Ok(())
}

/// SQLite cannot alter a check. Rebuilding `api_tokens` would drop it first, and the audit
/// log's `ON DELETE SET NULL` would then erase which token made each change; so the check is
/// loosened in the stored schema instead, SQLite's documented procedure for a change that no
/// stored row can contradict (sqlite.org/lang_altertable.html, «making other kinds of table
/// schema changes»), within this migration's transaction.
async fn loosen_sqlite_check(
    db: &SchemaManagerConnection<'_>,
    table: &str,
    before: &str,
    after: &str,
) -> Result<(), DbErr> {
    use sea_orm_migration::sea_orm::Statement;
    let version: i64 = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "PRAGMA schema_version",
        ))
        .await?
        .ok_or_else(|| DbErr::Migration("no schema version".into()))?
        .try_get_by_index(0)?;
    let edit = Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "UPDATE sqlite_master SET sql = REPLACE(sql, ?, ?) \
         WHERE type = 'table' AND name = ? AND INSTR(sql, ?) > 0",
        [before.into(), after.into(), table.into(), before.into()],
    );
    db.execute_unprepared("PRAGMA writable_schema = ON").await?;
    let edited = db.execute_raw(edit).await?.rows_affected();
    db.execute_unprepared(&format!("PRAGMA schema_version = {}", version + 1))
        .await?;
    db.execute_unprepared("PRAGMA writable_schema = OFF")
        .await?;
    if edited != 1 {
        return Err(DbErr::Migration(format!(
            "the check of {table} is not the one this migration loosens"
        )));
    }
    Ok(())
}
