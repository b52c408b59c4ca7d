//! Changes to the network, as the admin mutations make them. Every change is authorised,
//! validated before anything is written, run in one transaction, checked against the version
//! the client read (no lost updates), and recorded in the audit log in that same transaction.

mod audit;
mod command;
pub mod deficits;
pub mod diaries;
pub mod evaluations;
pub mod groups;
pub mod identification;
pub mod materials;
pub mod meetings;
pub mod partnerships;
pub mod people;
pub mod places;
pub mod plans;
pub mod programmes;
mod records;
pub mod results;
pub mod reviews;
pub mod risk_profiles;
mod rules;
pub mod schools;
mod session;
pub mod site_exports;
pub mod spellings;
pub mod surveys;
mod versioned;
pub mod visits;

use std::sync::Arc;

use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, SqlErr, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};

pub use audit::Audited;
pub use command::Command;
pub use records::person_scope;
pub use rules::{Rules, Violation};
pub use session::{Change, Record, Session, Target};
pub use versioned::{Named, Versioned, bump_version, check_version, update_versioned};

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

/// What a rule the database enforced means to the client, by a word its error names (a
/// constraint, trigger or table: PostgreSQL names the constraint, SQLite the table).
const DATABASE_RULES: [(&str, &str); 6] = [
    (
        "school_spellings",
        "a concurrent change gave one of these names to another school of the municipality",
    ),
    (
        "programme_participations",
        "a concurrent change included the school in this programme already",
    ),
    (
        "appointments",
        "a concurrent change appointed a current director of this school already",
    ),
    (
        "group_memberships_same_municipality",
        "a member of a group is a school of the group's municipality",
    ),
    (
        "group_memberships_two_resource_centres",
        "a concurrent change gave the group its second resource centre already",
    ),
    (
        "group_memberships",
        "a concurrent change put the school in a partnership group already",
    ),
];

impl From<DbErr> for ChangeError {
    /// The rules are checked before writing; a constraint of the database can still catch a
    /// concurrent writer (or a row deleted meanwhile), which is a conflict to retry, not a fault.
    fn from(error: DbErr) -> Self {
        let text = error.to_string();
        let rule = || {
            DATABASE_RULES
                .iter()
                .find(|(word, _)| text.contains(word))
                .map(|(_, meaning)| *meaning)
        };
        let refused = |meaning: Option<&str>, fallback: &str| {
            ChangeError::Conflict(format!(
                "{}; read again and retry",
                meaning.unwrap_or(fallback)
            ))
        };
        match error.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => refused(
                rule(),
                "a concurrent change made this one break a uniqueness rule",
            ),
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => refused(
                None,
                "a record this change refers to was deleted or changed meanwhile",
            ),
            _ if text.contains("CHECK constraint failed")
                || text.contains("violates check constraint")
                || text.contains("rule group_memberships") =>
            {
                refused(rule(), "a concurrent change made this one break a rule")
            }
            _ => ChangeError::Database(error),
        }
    }
}

impl From<Vec<Violation>> for ChangeError {
    fn from(violations: Vec<Violation>) -> Self {
        ChangeError::Invalid(violations)
    }
}

/// A field of a change to an existing record: keep its value, clear it, or set a new one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Patch<T> {
    /// Leave the value as it is.
    Keep,
    /// Clear an optional value.
    Clear,
    /// Set this value.
    Set(T),
}

impl<T> Patch<T> {
    /// The value after the patch.
    pub fn apply(self, current: Option<T>) -> Option<T> {
        match self {
            Patch::Keep => current,
            Patch::Clear => None,
            Patch::Set(value) => Some(value),
        }
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

/// What a client should know about a change that is not an error: an update that changed
/// nothing (no new version, no audit entry). Shared by the request's changes.
#[derive(Clone, Default)]
pub struct Notices(Arc<std::sync::Mutex<Vec<Notice>>>);

/// One notice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// A code a client can test: `UNCHANGED`.
    pub code: &'static str,
    /// What happened, in words.
    pub message: String,
}

impl Notices {
    fn push(&self, notice: Notice) {
        self.0.lock().expect("notices lock").push(notice);
    }

    /// Takes the notices collected so far.
    pub fn take(&self) -> Vec<Notice> {
        std::mem::take(&mut *self.0.lock().expect("notices lock"))
    }
}

/// A write transaction, holding the gate while it lives.
pub struct Write {
    /// The transaction; commit it to apply the change.
    pub txn: DatabaseTransaction,
    _permit: Option<tokio::sync::OwnedMutexGuard<()>>,
    notices: Option<Notices>,
}

impl WriteGate {
    /// Begins a write transaction, waiting for the gate on SQLite.
    pub async fn begin(&self, db: &DatabaseConnection) -> Result<Write, DbErr> {
        if db.get_database_backend() != DbBackend::Sqlite {
            return Ok(Write {
                txn: db.begin().await?,
                _permit: None,
                notices: None,
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
            notices: None,
        })
    }
}

impl Write {
    /// A change within a larger transaction: a savepoint, released or rolled back with it.
    pub async fn within(outer: &DatabaseTransaction) -> Result<Write, DbErr> {
        Ok(Write {
            txn: outer.begin().await?,
            _permit: None,
            notices: None,
        })
    }

    /// Reports a change that changes nothing to `notices`.
    pub fn noting(self, notices: Notices) -> Self {
        Write {
            notices: Some(notices),
            ..self
        }
    }

    /// Records the change in the audit log and commits both: the only way to commit a change,
    /// so none goes unrecorded. An update whose row is the same after as before is no change:
    /// nothing is committed or recorded, and the notices say so.
    pub async fn finish<T: serde::Serialize>(
        self,
        actor: &crate::auth::Actor,
        change: Audited<'_, T>,
    ) -> Result<(), DbErr> {
        if let (Some(before), Some(after)) = (change.before, change.after)
            && serde_json::to_value(before).ok() == serde_json::to_value(after).ok()
        {
            if let Some(notices) = &self.notices {
                notices.push(Notice {
                    code: "UNCHANGED",
                    message: format!(
                        "{}: the {} {} already has these values; nothing was changed",
                        change.operation.name(),
                        change.entity,
                        change.entity_id
                    ),
                });
            }
            return self.txn.rollback().await;
        }
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
