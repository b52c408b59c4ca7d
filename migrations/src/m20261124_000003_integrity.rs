//! Rules that must hold whoever writes, enforced by the database so that concurrent writers
//! cannot race past a check made in code (on PostgreSQL two transactions can each see the rule
//! intact and both commit):
//!
//! - a school takes part in a programme at most once at a time (a partial unique index);
//! - a school has at most one current director (a partial unique index);
//! - one spelling names one school in a municipality (`school_spellings`, unique by the folded
//!   spelling; schoolnet fills it from each school's name, full name and aliases);
//! - a group's members are schools of the group's municipality, and a group has at most two
//!   resource centres (triggers);
//! - a period ends before it starts only when every day of the end precedes every day of the
//!   start: `2021` does not end before `2021-06` (the old check compared the texts).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000003_integrity"
    }
}

/// The tables whose period check changes: (table, check name, start column, end column).
const PERIODS: [(&str, &str, &str, &str); 3] = [
    (
        "partnerships",
        "partnerships_period_in_order",
        "starts_on",
        "ends_on",
    ),
    (
        "appointments",
        "appointments_period_in_order",
        "starts_on",
        "ends_on",
    ),
    (
        "programme_participations",
        "programme_participations_period_in_order",
        "included_on",
        "excluded_on",
    ),
];

/// The old check, as the first migration wrote it.
fn text_order(starts: &str, ends: &str) -> String {
    format!(r#""{starts}" IS NULL OR "{ends}" IS NULL OR "{starts}" <= "{ends}""#)
}

/// Dates of reduced precision compared at their common precision: ISO texts cut to the length
/// of the other (`2021-06` and `2021` are both `2021`) compare as the periods they name.
fn period_order(starts: &str, ends: &str) -> String {
    format!(
        r#""{starts}" IS NULL OR "{ends}" IS NULL OR SUBSTR("{starts}", 1, LENGTH("{ends}")) <= SUBSTR("{ends}", 1, LENGTH("{starts}"))"#
    )
}

#[derive(Iden)]
enum SchoolSpellings {
    Table,
    Id,
    SchoolId,
    MunicipalityId,
    Spelling,
}

#[derive(Iden)]
enum Schools {
    Table,
    Id,
}

#[derive(Iden)]
enum Municipalities {
    Table,
    Id,
}

const INDEXES: [&str; 2] = [
    r#"CREATE UNIQUE INDEX "programme_participations_one_open" ON "programme_participations" ("school_id", "programme") WHERE "excluded_on" IS NULL"#,
    r#"CREATE UNIQUE INDEX "appointments_one_current_director" ON "appointments" ("school_id") WHERE "role" = 'DIRECTOR' AND "ends_on" IS NULL"#,
];

const SQLITE_TRIGGERS: [&str; 4] = [
    r#"CREATE TRIGGER "group_memberships_same_municipality_insert" BEFORE INSERT ON "group_memberships"
       WHEN (SELECT "municipality_id" FROM "schools" WHERE "id" = NEW."school_id")
            IS NOT (SELECT "municipality_id" FROM "partnership_groups" WHERE "id" = NEW."group_id")
       BEGIN SELECT RAISE(ABORT, 'rule group_memberships_same_municipality: a member is a school of the group''s municipality'); END"#,
    r#"CREATE TRIGGER "group_memberships_same_municipality_update" BEFORE UPDATE ON "group_memberships"
       WHEN (SELECT "municipality_id" FROM "schools" WHERE "id" = NEW."school_id")
            IS NOT (SELECT "municipality_id" FROM "partnership_groups" WHERE "id" = NEW."group_id")
       BEGIN SELECT RAISE(ABORT, 'rule group_memberships_same_municipality: a member is a school of the group''s municipality'); END"#,
    r#"CREATE TRIGGER "group_memberships_two_resource_centres_insert" AFTER INSERT ON "group_memberships"
       WHEN (SELECT COUNT(*) FROM "group_memberships" WHERE "group_id" = NEW."group_id" AND "role" = 'RESOURCE_CENTRE') > 2
       BEGIN SELECT RAISE(ABORT, 'rule group_memberships_two_resource_centres: a group has at most two resource centres'); END"#,
    r#"CREATE TRIGGER "group_memberships_two_resource_centres_update" AFTER UPDATE ON "group_memberships"
       WHEN (SELECT COUNT(*) FROM "group_memberships" WHERE "group_id" = NEW."group_id" AND "role" = 'RESOURCE_CENTRE') > 2
       BEGIN SELECT RAISE(ABORT, 'rule group_memberships_two_resource_centres: a group has at most two resource centres'); END"#,
];

/// PostgreSQL: the group's row is locked first, so that concurrent writers of one group's
/// members take turns and each counts the resource centres the other committed.
const POSTGRES_TRIGGER: [&str; 2] = [
    r#"CREATE FUNCTION "group_membership_rules"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         PERFORM 1 FROM "partnership_groups" WHERE "id" = NEW."group_id" FOR UPDATE;
         IF (SELECT "municipality_id" FROM "schools" WHERE "id" = NEW."school_id")
            IS DISTINCT FROM (SELECT "municipality_id" FROM "partnership_groups" WHERE "id" = NEW."group_id") THEN
           RAISE EXCEPTION 'rule group_memberships_same_municipality: a member is a school of the group''s municipality'
             USING ERRCODE = 'check_violation';
         END IF;
         IF NEW."role" = 'RESOURCE_CENTRE' AND (SELECT COUNT(*) FROM "group_memberships"
              WHERE "group_id" = NEW."group_id" AND "role" = 'RESOURCE_CENTRE' AND "id" IS DISTINCT FROM NEW."id") >= 2 THEN
           RAISE EXCEPTION 'rule group_memberships_two_resource_centres: a group has at most two resource centres'
             USING ERRCODE = 'check_violation';
         END IF;
         RETURN NEW;
       END $$"#,
    r#"CREATE TRIGGER "group_membership_rules" BEFORE INSERT OR UPDATE ON "group_memberships"
       FOR EACH ROW EXECUTE FUNCTION "group_membership_rules"()"#,
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        for (table, check, starts, ends) in PERIODS {
            let (old, new) = (text_order(starts, ends), period_order(starts, ends));
            match backend {
                DbBackend::Postgres => {
                    db.execute_unprepared(&format!(
                        r#"ALTER TABLE "{table}" DROP CONSTRAINT "{check}", ADD CONSTRAINT "{check}" CHECK ({new})"#
                    ))
                    .await?;
                }
                _ => rebuild_sqlite_table(db, table, &old, &new).await?,
            }
        }
        for index in INDEXES {
            db.execute_unprepared(index).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(SchoolSpellings::Table)
                    .col(
                        ColumnDef::new(SchoolSpellings::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(SchoolSpellings::SchoolId)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SchoolSpellings::MunicipalityId)
                            .integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(SchoolSpellings::Spelling).text().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(SchoolSpellings::Table, SchoolSpellings::SchoolId)
                            .to(Schools::Table, Schools::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SchoolSpellings::Table, SchoolSpellings::MunicipalityId)
                            .to(Municipalities::Table, Municipalities::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("school_spellings_one_school_per_spelling")
                    .table(SchoolSpellings::Table)
                    .col(SchoolSpellings::MunicipalityId)
                    .col(SchoolSpellings::Spelling)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("school_spellings_school_id_idx")
                    .table(SchoolSpellings::Table)
                    .col(SchoolSpellings::SchoolId)
                    .to_owned(),
            )
            .await?;

        let triggers: &[&str] = match backend {
            DbBackend::Postgres => &POSTGRES_TRIGGER,
            _ => &SQLITE_TRIGGERS,
        };
        for trigger in triggers {
            db.execute_unprepared(trigger).await?;
        }
        Ok(())
    }
}

/// SQLite cannot alter a check constraint: the table is rebuilt with the new check (SQLite's
/// documented procedure for schema changes), its rows copied and its indexes recreated. No
/// table refers to the three rebuilt ones, so foreign keys stay intact.
async fn rebuild_sqlite_table(
    db: &SchemaManagerConnection<'_>,
    table: &str,
    old_check: &str,
    new_check: &str,
) -> Result<(), DbErr> {
    let sql_of = |kind: &str| {
        Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT sql FROM sqlite_master WHERE type = ? AND tbl_name = ? AND sql IS NOT NULL",
            [kind.into(), table.into()],
        )
    };
    let create: String = db
        .query_one_raw(sql_of("table"))
        .await?
        .ok_or_else(|| DbErr::Migration(format!("no table {table}")))?
        .try_get("", "sql")?;
    if !create.contains(old_check) {
        return Err(DbErr::Migration(format!(
            "the period check of {table} is not the one this migration replaces"
        )));
    }
    let mut indexes = Vec::new();
    for row in db.query_all_raw(sql_of("index")).await? {
        indexes.push(row.try_get::<String>("", "sql")?);
    }
    let staged = format!("{table}__rebuilt");
    let create = create.replacen(&format!(r#""{table}""#), &format!(r#""{staged}""#), 1);
    db.execute_unprepared(&create.replace(old_check, new_check))
        .await?;
    db.execute_unprepared(&format!(
        r#"INSERT INTO "{staged}" SELECT * FROM "{table}"; DROP TABLE "{table}"; ALTER TABLE "{staged}" RENAME TO "{table}";"#
    ))
    .await?;
    for index in indexes {
        db.execute_unprepared(&index).await?;
    }
    Ok(())
}
