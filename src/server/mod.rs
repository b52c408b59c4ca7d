//! The HTTP server: GraphQL at `/graphql`, GraphiQL at `/`, a health check at `/health`.

mod field_order;
mod graphiql;
mod graphql_http;
mod listener;
mod media;
mod metrics;
mod request_log;
mod strict_json;

use std::sync::Arc;
use std::{net::SocketAddr, time::Duration};

use poem::middleware::Cors;
use poem::{EndpointExt, Route, Server, get, handler};

use crate::db::Databases;
use crate::graphql::limits::{Limits, Shapes};
use crate::graphql::{self, AppSchema};
use crate::site::{SiteConfig, SiteJobs};
use metrics::Metrics;

pub use listener::GuardedListener;

/// How the server faces the network; `serve` sets each from an option or environment variable.
#[derive(Clone, Debug)]
pub struct ServerOptions {
    /// What one GraphQL request may ask.
    pub limits: Limits,
    /// Serve GraphiQL at `/`.
    pub graphiql: bool,
    /// Answer introspection queries (GraphiQL needs them).
    pub introspection: bool,
    /// Origins whose pages may call the API from a browser (CORS); none by default.
    pub cors_origins: Vec<String>,
    /// Connections open at once; more wait in the kernel's queue.
    pub max_connections: usize,
    /// Time for a request's head (request line and headers) to arrive.
    pub header_timeout: Duration,
    /// A connection without traffic for this long is closed.
    pub idle_timeout: Duration,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            limits: Limits::default(),
            graphiql: true,
            introspection: true,
            cors_origins: Vec::new(),
            max_connections: 512,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
        }
    }
}

/// What every request handler needs.
#[derive(Clone)]
pub struct AppState {
    /// The executable schema.
    pub schema: AppSchema,
    /// The databases; each request uses the primary or the replica (`Databases::for_request`).
    pub databases: Databases,
    /// What one request may ask.
    pub limits: Arc<Limits>,
    /// The shapes of the schema's fields, for the cost of a request.
    pub shapes: Arc<Shapes>,
    /// The queries parsed lately, by their text (see `graphql_http::parse`).
    pub parsed: Arc<graphql_http::ParsedQueries>,
}

/// The whole HTTP application, without a listener: `serve` binds it, tests call it in-process.
pub fn app(
    databases: Databases,
    site: SiteConfig,
    options: &ServerOptions,
) -> impl poem::Endpoint + use<> {
    let metrics = Metrics::new(databases.clone());
    let schema = graphql::schema(
        databases.clone(),
        SiteJobs::new(site),
        options.introspection,
    );
    let state = AppState {
        shapes: Arc::new(Shapes::from_sdl(&schema.sdl())),
        schema,
        databases,
        limits: Arc::new(options.limits.clone()),
        parsed: Arc::default(),
    };
    let mut route = Route::new()
        .at("/health", get(health))
        .at("/graphql", graphql_http::endpoint())
        .at("/metrics", get(metrics::endpoint));
    if options.graphiql {
        route = graphiql::routes(route);
    }
    let cors = Cors::new()
        .allow_origins(options.cors_origins.iter().map(String::as_str))
        .allow_methods(["GET", "POST"])
        .allow_headers(["content-type", "authorization", "accept"]);
    route
        .data(state)
        .with_if(!options.cors_origins.is_empty(), cors)
        .around(request_log::log_request)
        .data(metrics)
}

/// 200 once the server listens: it starts listening only after the database is migrated.
#[handler]
fn health() -> &'static str {
    "ok"
}

/// Raises the soft limit of open files to the hard limit, so that `max_connections` sockets fit
/// beside the database's files; returns the limit in force.
fn raise_open_files_limit() -> Option<u64> {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let current = getrlimit(Resource::Nofile);
    let raised = Rlimit {
        current: current.maximum,
        maximum: current.maximum,
    };
    match setrlimit(Resource::Nofile, raised) {
        Ok(()) => raised.current,
        Err(_) => current.current,
    }
}

/// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight (up to 10 s).
pub async fn serve(
    mut databases: Databases,
    addr: SocketAddr,
    site: SiteConfig,
    options: ServerOptions,
) -> std::io::Result<()> {
    metrics::count_statements(&mut databases);
    if let Some(files) = raise_open_files_limit()
        && files < options.max_connections as u64 + 64
    {
        tracing::warn!(
            files,
            max_connections = options.max_connections,
            "the open-files limit is below --max-connections; lower it or raise `ulimit -n`"
        );
    }
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, "serving GraphQL at http://{addr}/graphql, GraphiQL at http://{addr}/");
    serve_on(listener, databases, site, options, shutdown_signal()).await
}

/// Serves on a bound listener until `shutdown` completes; tests bind port 0 and call this.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    databases: Databases,
    site: SiteConfig,
    options: ServerOptions,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let guarded = GuardedListener::new(listener, options.max_connections, options.header_timeout);
    let app = app(databases, site, &options);
    Server::new(guarded)
        .idle_timeout(options.idle_timeout)
        .run_with_graceful_shutdown(app, shutdown, Some(Duration::from_secs(10)))
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
