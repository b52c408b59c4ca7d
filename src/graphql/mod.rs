//! The GraphQL API: read queries over the school network.
//!
//! `schema()` builds the executable schema; each HTTP request adds its own DataLoader
//! (`SqlLoader::for_request`), through which every nested field loads its rows in batches.

pub mod batch;
mod connection;
pub mod error;
mod ids;
pub mod limits;
mod loaders;
pub(crate) mod monitoring;
mod mutation;
mod query;
mod types;

use std::sync::Arc;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, EmptySubscription, Schema};
use sea_orm::{DatabaseConnection, DbErr};

pub use loaders::SqlLoader;
pub use mutation::Mutation;
/// The query root.
#[derive(async_graphql::MergedObject, Default)]
pub struct Query(query::NetworkQuery, monitoring::MonitoringQuery);

use crate::changes::WriteGate;
use crate::site::{SiteConfig, SiteJobs};

/// The executable schema.
pub type AppSchema = Schema<Query, Mutation, EmptySubscription>;

/// Deeper queries than this are refused before they run; the deepest useful query
/// (region → municipality → group → member → school → partnership → partner → …) is about 10.
const MAX_DEPTH: usize = 16;

/// Builds the schema over a database; site exports started through it write under `site`.
/// Without `introspection` the schema answers no `__schema` or `__type` query (GraphiQL then
/// cannot describe it either).
pub fn schema(db: DatabaseConnection, site: SiteConfig, introspection: bool) -> AppSchema {
    let builder = Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .data(db)
        .data(WriteGate::default())
        .data(SiteJobs::new(site))
        .limit_depth(MAX_DEPTH);
    if introspection {
        builder.finish()
    } else {
        builder.disable_introspection().finish()
    }
}

/// The SDL of the schema, as checked in at `schema/schema.graphql`.
pub fn sdl() -> String {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .finish()
        .sdl()
}

/// Reads a person given on the command line: a `Person` id from the API, or a row number.
pub fn person_number(text: &str) -> Result<i32, String> {
    text.parse()
        .or_else(|_| ids::parse_as(ids::Kind::Person, text))
        .map_err(|_| format!("«{text}» is neither a Person id nor a number"))
}

fn db<'a>(ctx: &Context<'a>) -> &'a DatabaseConnection {
    ctx.data_unchecked::<DatabaseConnection>()
}

fn loader<'a>(ctx: &Context<'a>) -> &'a batch::Batcher {
    ctx.data_unchecked::<std::sync::Arc<batch::Batcher>>()
}

/// The one row for `key`, batched with every other key of the same type in this query level.
async fn load_one<K, V>(ctx: &Context<'_>, key: K) -> async_graphql::Result<Option<V>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    V: Clone + Send + Sync + 'static,
    SqlLoader: Loader<K, Value = V, Error = Arc<DbErr>>,
{
    loader(ctx).load_one(key).await.map_err(error::internal)
}

/// The row a foreign key points at: its absence is a server fault, not a client's.
async fn load_required<K, V>(ctx: &Context<'_>, key: K) -> async_graphql::Result<V>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + std::fmt::Debug + 'static,
    V: Clone + Send + Sync + 'static,
    SqlLoader: Loader<K, Value = V, Error = Arc<DbErr>>,
{
    let missing = format!("a foreign key points at nothing: {key:?}");
    load_one(ctx, key)
        .await?
        .ok_or_else(|| error::internal(missing))
}

/// The rows for `key`, batched like `load_one`.
async fn load_many<K, V>(ctx: &Context<'_>, key: K) -> async_graphql::Result<Vec<V>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    V: Clone + Send + Sync + 'static,
    SqlLoader: Loader<K, Value = Vec<V>, Error = Arc<DbErr>>,
{
    Ok(load_one(ctx, key).await?.unwrap_or_default())
}
