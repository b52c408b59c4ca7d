//! Changes to the network, as the admin mutations make them. Every change is authorised,
//! validated before anything is written, run in one transaction, checked against the version
//! the client read (no lost updates), and recorded in the audit log in that same transaction.

mod audit;
mod rules;
mod versioned;

use std::sync::Arc;

use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, SqlErr, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};

pub use audit::Audited;
pub use rules::{Rules, Violation};
pub use versioned::{Versioned, check_version, update_versioned};

/// Why a change was refused; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    /// No valid token.
    #[error("{0}")]
    Unauthenticated(String),
    /// The token's role or scope does not cover the change.
    #[error("{0}")]
    Forbidden(String),
    /// The id names nothing.
    #[error("no {entity} has the id {id}")]
    NotFound {
        /// The GraphQL type.
        entity: &'static str,
        /// The id given.
        id: String,
    },
    /// The input breaks a rule; every broken rule is listed.
    #[error("{}", .0.iter().map(|v| format!("{}: {}", v.field, v.en)).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Violation>),
    /// The row changed since the client read it, or the change would erase history.
    #[error("{0}")]
    Conflict(String),
    /// The database failed.
    #[error("database error: {0}")]
    Database(DbErr),
}

impl From<DbErr> for ChangeError {
    fn from(error: DbErr) -> Self {
        match error.sql_err() {
            // The rules are checked first; a constraint can still catch a concurrent writer.
            Some(SqlErr::UniqueConstraintViolation(_)) => ChangeError::Conflict(
                "a concurrent change made this one break a uniqueness rule; read again and retry"
                    .into(),
            ),
            _ => ChangeError::Database(error),
        }
    }
}

impl From<Vec<Violation>> for ChangeError {
    fn from(violations: Vec<Violation>) -> Self {
        ChangeError::Invalid(violations)
    }
}

/// Serialises writers of a SQLite database inside this process, so that concurrent mutations
/// queue here instead of failing with "database is locked". Writers from other processes (or
/// other pools) queue on the database itself: write transactions begin `IMMEDIATE`, taking the
/// write lock up front so that the busy timeout set in `db::connect` applies, instead of
/// deadlocking when two readers try to become writers. PostgreSQL needs no gate: its row locks
/// and the version check order concurrent updates.
#[derive(Clone, Default)]
pub struct WriteGate(Arc<tokio::sync::Mutex<()>>);

/// A write transaction, holding the gate while it lives.
pub struct Write {
    /// The transaction; commit it to apply the change.
    pub txn: DatabaseTransaction,
    _permit: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl WriteGate {
    /// Begins a write transaction, waiting for the gate on SQLite.
    pub async fn begin(&self, db: &DatabaseConnection) -> Result<Write, DbErr> {
        if db.get_database_backend() != DbBackend::Sqlite {
            return Ok(Write {
                txn: db.begin().await?,
                _permit: None,
            });
        }
        let permit = self.0.clone().lock_owned().await;
        let immediate = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        Ok(Write {
            txn: db.begin_with_options(immediate).await?,
            _permit: Some(permit),
        })
    }
}

impl Write {
    /// Records the change in the audit log and commits both: the only way to commit a change,
    /// so none goes unrecorded.
    pub async fn finish<T: serde::Serialize>(
        self,
        actor: &crate::auth::Actor,
        change: Audited<'_, T>,
    ) -> Result<(), DbErr> {
        audit::record(&self.txn, actor, change).await?;
        self.txn.commit().await
    }
}

impl std::ops::Deref for Write {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}
