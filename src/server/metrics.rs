//! `/metrics`, in the OpenMetrics text format Prometheus scrapes: GraphQL requests by operation
//! and outcome, their latency, the SQL statements the server has run, the database pool and the
//! site exports. Counting costs an atomic add per request and per statement; the gauges are read
//! when scraped.

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use poem::http::{StatusCode, header};
use poem::{Response, handler, web::Data};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use sea_orm::{DatabaseConnection, DbBackend};

use crate::db::Databases;
use crate::entities::site_export_job::JobStatus;

/// The SQL statements the process has run, counted through `Databases::count_statements`,
/// which `serve` sets once: one counter for every clone of the connections.
static STATEMENTS: LazyLock<Counter<u64, AtomicU64>> = LazyLock::new(Counter::default);
/// The round trips those statements took: one each, but one for a round of batched loads on
/// PostgreSQL.
static ROUND_TRIPS: LazyLock<Counter<u64, AtomicU64>> = LazyLock::new(Counter::default);

/// Counts every statement `databases` run, for `/metrics`.
pub fn count_statements(databases: &mut Databases) {
    databases.count_statements(|statements| {
        STATEMENTS.inc_by(statements as u64);
        ROUND_TRIPS.inc();
    });
}

/// What kind of GraphQL operation a request ran; the endpoint puts it in the response's
/// extensions for the request log and these counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OperationKind {
    /// A query (reads).
    Query,
    /// A mutation (changes).
    Mutation,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    /// `query`, `mutation`, or `none` for a request refused before its operation was known.
    operation: &'static str,
    /// `ok`, `refused` (4xx: limits, malformed requests, validation), `timeout`, `error` (5xx).
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabel {
    status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabel {
    state: &'static str,
}

/// The server's metrics; clones share them.
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    requests: Family<RequestLabels, Counter>,
    latency: Histogram,
    pool: Family<PoolLabel, Gauge>,
    exports: Family<StatusLabel, Gauge>,
    databases: Databases,
}

impl Metrics {
    /// Metrics of a server over `databases`.
    pub fn new(databases: Databases) -> Self {
        let requests = Family::<RequestLabels, Counter>::default();
        // 1 ms to about 16 s.
        let latency = Histogram::new(exponential_buckets(0.001, 2.0, 15));
        let pool = Family::<PoolLabel, Gauge>::default();
        let exports = Family::<StatusLabel, Gauge>::default();
        let mut registry = Registry::with_prefix("schoolnet");
        registry.register(
            "graphql_requests",
            "GraphQL requests by operation and outcome",
            requests.clone(),
        );
        registry.register(
            "graphql_request_duration_seconds",
            "Time to answer a GraphQL request",
            latency.clone(),
        );
        registry.register(
            "sql_statements",
            "SQL statements the server has run",
            STATEMENTS.clone(),
        );
        registry.register(
            "sql_round_trips",
            "Round trips to the database those statements took",
            ROUND_TRIPS.clone(),
        );
        registry.register(
            "database_connections",
            "Connections of the database pool, open and idle",
            pool.clone(),
        );
        registry.register(
            "site_exports",
            "Site export jobs on record, by status",
            exports.clone(),
        );
        Metrics {
            registry: Arc::new(registry),
            requests,
            latency,
            pool,
            exports,
            databases,
        }
    }

    /// Counts one GraphQL request.
    pub fn request(&self, operation: Option<OperationKind>, status: StatusCode, took: Duration) {
        let operation = match operation {
            Some(OperationKind::Query) => "query",
            Some(OperationKind::Mutation) => "mutation",
            None => "none",
        };
        let outcome = match status.as_u16() {
            200..=299 => "ok",
            503 => "timeout",
            400..=499 => "refused",
            _ => "error",
        };
        self.requests
            .get_or_create(&RequestLabels { operation, outcome })
            .inc();
        self.latency.observe(took.as_secs_f64());
    }

    /// The metrics as Prometheus reads them, the gauges read now.
    async fn render(&self) -> String {
        let (open, idle) = pool_sizes(&self.databases.primary);
        self.pool
            .get_or_create(&PoolLabel { state: "open" })
            .set(open);
        self.pool
            .get_or_create(&PoolLabel { state: "idle" })
            .set(idle);
        let counts = crate::site::job_counts(&self.databases.primary)
            .await
            .unwrap_or_else(|error| {
                tracing::warn!(%error, "cannot count the export jobs for /metrics");
                Vec::new()
            });
        for status in [JobStatus::Running, JobStatus::Succeeded, JobStatus::Failed] {
            let count = counts
                .iter()
                .find(|(s, _)| *s == status)
                .map_or(0, |(_, n)| *n);
            let status = match status {
                JobStatus::Running => "running",
                JobStatus::Succeeded => "succeeded",
                JobStatus::Failed => "failed",
            };
            self.exports
                .get_or_create(&StatusLabel { status })
                .set(count);
        }
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)
            .expect("writing to a String cannot fail");
        text
    }
}

/// Open and idle connections of the pool.
fn pool_sizes(db: &DatabaseConnection) -> (i64, i64) {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (i64::from(pool.size()), pool.num_idle() as i64)
        }
        _ => {
            let pool = db.get_sqlite_connection_pool();
            (i64::from(pool.size()), pool.num_idle() as i64)
        }
    }
}

#[handler]
pub async fn endpoint(metrics: Data<&Metrics>) -> Response {
    Response::builder()
        .header(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )
        .body(metrics.render().await)
}
