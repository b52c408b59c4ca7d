//! The HTTP server: GraphQL at `/graphql`, GraphiQL at `/`, a health check at `/health`.

mod graphql_http;
mod media;

use std::{net::SocketAddr, time::Duration};

use async_graphql::http::GraphiQLSource;
use poem::listener::TcpListener;
use poem::middleware::{Cors, Tracing};
use poem::web::Html;
use poem::{EndpointExt, Route, Server, get, handler};
use sea_orm::DatabaseConnection;

use crate::graphql::{self, AppSchema};
use crate::site::SiteConfig;

/// What every request handler needs.
#[derive(Clone)]
pub struct AppState {
    /// The executable schema.
    pub schema: AppSchema,
    /// The database, for the per-request DataLoader.
    pub db: DatabaseConnection,
}

/// The whole HTTP application, without a listener: `serve` binds it, tests call it in-process.
pub fn app(db: DatabaseConnection, site: SiteConfig) -> impl poem::Endpoint {
    let state = AppState {
        schema: graphql::schema(db.clone(), site),
        db,
    };
    Route::new()
        .at("/", get(graphiql))
        .at("/health", get(health))
        .at("/graphql", graphql_http::endpoint())
        .data(state)
        .with(Cors::new())
        .with(Tracing)
}

#[handler]
fn graphiql() -> Html<String> {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .title("schoolnet")
            .finish(),
    )
}

/// 200 once the server listens: it starts listening only after the database is migrated.
#[handler]
fn health() -> &'static str {
    "ok"
}

/// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight (up to 10 s).
pub async fn serve(
    db: DatabaseConnection,
    addr: SocketAddr,
    site: SiteConfig,
) -> std::io::Result<()> {
    let listener = TcpListener::bind(addr);
    tracing::info!(%addr, "serving GraphQL at http://{addr}/graphql, GraphiQL at http://{addr}/");
    Server::new(listener)
        .run_with_graceful_shutdown(
            app(db, site),
            shutdown_signal(),
            Some(Duration::from_secs(10)),
        )
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
