//! Loading the biggest tables the way `pg_restore` does. On PostgreSQL a row inserted into a
//! table with secondary indexes and foreign keys costs a B-tree insertion per index and a
//! look-up per key; dropping them for the load and making them again afterwards costs one sorted
//! build per index and one join per key instead (4.8 million assessment results: 42 s with them,
//! 11 s without them and remade, measured here with `COPY`). Both happen inside the generator's
//! transaction, so no other session ever sees the tables without them (it waits for the
//! generator's lock on them instead), and remaking them checks every row as before: a
//! duplicate or a dangling id fails the run and nothing is written.
//!
//! Only tables whose triggers do not read them may be suspended (a trigger that looks rows up
//! in its own table would scan it whole for every row).

use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, Statement};

/// The definitions of the indexes and foreign keys taken off, to be made again.
#[must_use = "the indexes and keys are gone until `restore` makes them again"]
pub struct Suspended(Vec<String>);

/// Drops the secondary indexes and foreign keys of `tables` on PostgreSQL (nothing elsewhere:
/// SQLite's load is bound by its single writer, not by its indexes). Indexes that back a
/// constraint, or that a foreign key depends on, stay.
pub async fn suspend(txn: &DatabaseTransaction, tables: &[&str]) -> Result<Suspended, DbErr> {
    if txn.get_database_backend() != DbBackend::Postgres || tables.is_empty() {
        return Ok(Suspended(Vec::new()));
    }
    let tables = tables
        .iter()
        .map(|table| format!("'{}'", table.replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(", ");
    let definitions = format!(
        "SELECT pg_get_indexdef(i.indexrelid) AS make, \
                format('DROP INDEX %s', i.indexrelid::regclass) AS drop, 1 AS step \
           FROM pg_index i \
          WHERE i.indrelid = ANY(ARRAY[{tables}]::regclass[]) AND NOT i.indisprimary \
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) \
         UNION ALL \
         SELECT format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, \
                       pg_get_constraintdef(c.oid)), \
                format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname), 2 \
           FROM pg_constraint c \
          WHERE c.conrelid = ANY(ARRAY[{tables}]::regclass[]) AND c.contype = 'f' \
          ORDER BY 3, 1"
    );
    let rows = txn
        .query_all_raw(Statement::from_string(DbBackend::Postgres, definitions))
        .await?;
    let mut remake = Vec::with_capacity(rows.len());
    for row in rows {
        let drop: String = row.try_get("", "drop")?;
        txn.execute_unprepared(&drop).await?;
        remake.push(row.try_get("", "make")?);
    }
    Ok(Suspended(remake))
}

impl Suspended {
    /// Makes the indexes, then the foreign keys, again, checking every row loaded meanwhile.
    pub async fn restore(self, txn: &DatabaseTransaction) -> Result<(), DbErr> {
        for definition in self.0 {
            txn.execute_unprepared(&definition).await?;
        }
        Ok(())
    }
}
