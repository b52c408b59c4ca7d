//! Opening the database: SQLite by default (a file in the working directory), PostgreSQL in
//! production. Opening also migrates, and fills an empty database with the demo dataset.

use std::sync::Arc;
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::SqliteJournalMode;
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

use crate::demo::{self, DemoError};

/// The embedded default: a SQLite file next to where `schoolnet` runs, created on first use.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://schoolnet.db?mode=rwc";

/// Why the database could not be made ready; each variant is one line for the operator.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The server or file could not be reached.
    #[error("cannot open the database: {0}")]
    Connect(DbErr),
    /// The schema could not be brought up to date.
    #[error("cannot migrate the database: {0}")]
    Migrate(DbErr),
    /// The demo dataset could not be loaded.
    #[error(transparent)]
    Demo(#[from] DemoError),
}

/// Connects without migrating.
pub async fn connect(url: &str) -> Result<DatabaseConnection, OpenError> {
    let url = without_loopback_tls(url);
    probe_postgres(&url).await?;
    let mut options = ConnectOptions::new(url.as_ref());
    options
        .sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(10))
        // A connection used in the last seconds is handed out as it is: the default pings the
        // server on every checkout (sqlx's `check_idle_conn`), a second round trip for each
        // statement a request runs. One idle longer, which a restart, a proxy or a firewall
        // may have cut, is still pinged first.
        .test_before_acquire_if_idle_for(Duration::from_secs(10))
        // Concurrent writers on SQLite wait for the lock instead of failing at once, and readers
        // do not block the writer (WAL).
        .map_sqlx_sqlite_opts(|opts| {
            opts.foreign_keys(true)
                .journal_mode(SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(10))
        });
    Database::connect(options).await.map_err(OpenError::Connect)
}

/// A PostgreSQL URL naming this machine (`localhost`, `127.0.0.1`, `[::1]`) without an
/// `sslmode` gets `sslmode=disable`: TLS between two processes of one machine protects nothing,
/// and its handshake cost each connection about 90 ms here (`schoolnet migrate` took 0.31 s
/// with it and 0.05 s without), most of a command's start. A given `sslmode` is kept, and
/// other hosts keep the driver's default (`prefer`).
fn without_loopback_tls(url: &str) -> std::borrow::Cow<'_, str> {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return url.into();
    };
    let postgres = matches!(parsed.scheme(), "postgres" | "postgresql");
    let loopback = matches!(parsed.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    if !postgres || !loopback || parsed.query_pairs().any(|(key, _)| key == "sslmode") {
        return url.into();
    }
    parsed.query_pairs_mut().append_pair("sslmode", "disable");
    String::from(parsed).into()
}

/// Makes one direct connection to a PostgreSQL server first: the pool retries a refused
/// connection until its timeout and then reports only "pool timed out", while the operator needs
/// the cause (refused, unknown database, authentication) at once.
async fn probe_postgres(url: &str) -> Result<(), OpenError> {
    use sea_orm::sqlx::Connection;
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Ok(());
    }
    let connection = sea_orm::sqlx::PgConnection::connect(url)
        .await
        .map_err(|e| OpenError::Connect(DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e.into()))))?;
    connection.close().await.ok();
    Ok(())
}

/// Brings the schema up to date, with the values a migration cannot compute itself (folding is
/// the application's): the spellings of schools written before `school_spellings` existed and
/// the search keys of people written before `people.search_key`.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), OpenError> {
    Migrator::up(db, None).await.map_err(OpenError::Migrate)?;
    crate::changes::spellings::backfill(db)
        .await
        .map_err(OpenError::Migrate)?;
    crate::changes::people::backfill_search_keys(db)
        .await
        .map_err(OpenError::Migrate)
}

/// Connects, migrates and loads the demo into an empty database: what `serve` and `export` need.
pub async fn open(url: &str) -> Result<DatabaseConnection, OpenError> {
    let db = connect(url).await?;
    migrate(&db).await?;
    if demo::load_if_empty(&db).await? {
        tracing::info!("loaded the demo dataset into the empty database");
    }
    Ok(db)
}

/// The databases a server reads and writes: mutations (and the records of export jobs) go to
/// the primary; queries and exports may read a replica, so that a region adds read capacity by
/// adding replicas and servers behind one load balancer.
#[derive(Clone, Debug)]
pub struct Databases {
    /// Where every write goes.
    pub primary: DatabaseConnection,
    /// Where queries read; the primary itself when there is no replica.
    pub read: DatabaseConnection,
    /// Where the statements that bypass sea-orm are counted (see [`Tally`]).
    pub tally: Tally,
}

impl Databases {
    /// Writes to `primary`, reads from `read`.
    pub fn new(primary: DatabaseConnection, read: DatabaseConnection) -> Self {
        Databases {
            primary,
            read,
            tally: Tally::default(),
        }
    }

    /// One database for everything.
    pub fn single(db: DatabaseConnection) -> Self {
        Self::new(db.clone(), db)
    }

    /// Calls `count` once per round trip to these databases with the number of statements it
    /// took: one for each statement sea-orm runs (its metric callback), a round's for the
    /// batched loads run past it (the [`Tally`]).
    pub fn count_statements(&mut self, count: impl Fn(usize) + Send + Sync + 'static) {
        let count: Arc<dyn Fn(usize) + Send + Sync> = Arc::new(count);
        for db in [&mut self.primary, &mut self.read] {
            let count = count.clone();
            db.set_metric_callback(move |_| count(1));
        }
        self.tally = Tally(Some(count));
    }

    /// The database a request reads and writes: a mutation reads what it writes, from the
    /// primary; a query reads the replica.
    pub fn for_request(&self, writes: bool) -> &DatabaseConnection {
        if writes { &self.primary } else { &self.read }
    }
}

/// Counts the statements sent past sea-orm, whose metric callback counts the others: the
/// batched loads send a round's statements in one message on PostgreSQL (see
/// `graphql::loaders::read_round`), which sea-orm neither runs nor sees.
#[derive(Clone, Default)]
pub struct Tally(Option<Arc<dyn Fn(usize) + Send + Sync>>);

impl Tally {
    /// Notes `statements` more statements.
    pub fn add(&self, statements: usize) {
        if let Some(count) = &self.0 {
            count(statements);
        }
    }
}

impl std::fmt::Debug for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Tally(counting)"
        } else {
            "Tally(off)"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::without_loopback_tls;

    #[test]
    fn only_a_local_server_named_without_sslmode_is_reached_without_tls() {
        assert_eq!(
            without_loopback_tls("postgres://postgres@127.0.0.1:5432/test"),
            "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
        );
        assert_eq!(
            without_loopback_tls("postgresql://u@localhost/db?application_name=x"),
            "postgresql://u@localhost/db?application_name=x&sslmode=disable"
        );
        for kept in [
            "postgres://u@127.0.0.1/db?sslmode=require",
            "postgres://u@db.example.ru/db",
            "sqlite://schoolnet.db?mode=rwc",
        ] {
            assert_eq!(without_loopback_tls(kept), kept);
        }
    }
}
