//! The GraphQL API: read queries over the school network.
//!
//! `schema()` builds the executable schema; each HTTP request adds its own `batch::Batcher`,
//! through which every nested field loads its rows in batches.

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

use async_graphql::{Context, EmptySubscription, Schema};
use sea_orm::DatabaseConnection;

use loaders::Batched;

pub use mutation::Mutation;
/// The query root.
#[derive(async_graphql::MergedObject, Default)]
pub struct Query(query::NetworkQuery, monitoring::MonitoringQuery);

use crate::changes::WriteGate;
use crate::db::Databases;
use crate::site::SiteJobs;

/// The executable schema.
pub type AppSchema = Schema<Query, Mutation, EmptySubscription>;

/// Deeper queries than this are refused before they run; the deepest useful query
/// (region → municipality → group → member → school → partnership → partner → …) is about 10.
const MAX_DEPTH: usize = 16;

/// Builds the schema over the server's databases; site exports started through it run as
/// `jobs`. Each request brings the one database it uses (`Databases::for_request`) as its own
/// data. Without `introspection` the schema answers no `__schema` or `__type` query (GraphiQL
/// then cannot describe it either).
pub fn schema(databases: Databases, jobs: SiteJobs, introspection: bool) -> AppSchema {
    let builder = Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .data(databases)
        .data(WriteGate::default())
        .data(jobs)
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
    row_number(ids::Kind::Person, text)
}

/// Reads a school given on the command line: a `School` id from the API, or a row number.
pub fn school_number(text: &str) -> Result<i32, String> {
    row_number(ids::Kind::School, text)
}

fn row_number(kind: ids::Kind, text: &str) -> Result<i32, String> {
    text.parse()
        .or_else(|_| ids::parse_as(kind, text))
        .map_err(|_| format!("«{text}» is neither a {kind:?} id nor a number"))
}

/// The request's database: the primary for a mutation, the read replica (if any) for a query.
fn db<'a>(ctx: &Context<'a>) -> &'a DatabaseConnection {
    ctx.data_unchecked::<DatabaseConnection>()
}

fn loader<'a>(ctx: &Context<'a>) -> &'a batch::Batcher {
    ctx.data_unchecked::<std::sync::Arc<batch::Batcher>>()
}

/// The one row for `key`, batched with every other key of the same type in this query level.
async fn load_one<K: Batched>(
    ctx: &Context<'_>,
    key: K,
) -> async_graphql::Result<Option<K::Value>> {
    loader(ctx).load_one(key).await.map_err(error::internal)
}

/// The row a foreign key points at: its absence is a server fault, not a client's.
async fn load_required<K: Batched + std::fmt::Debug>(
    ctx: &Context<'_>,
    key: K,
) -> async_graphql::Result<K::Value> {
    let missing = format!("a foreign key points at nothing: {key:?}");
    load_one(ctx, key)
        .await?
        .ok_or_else(|| error::internal(missing))
}

/// The rows for `keys`, in their order (keys that name nothing are left out): one batched load
/// for them all, not one round per key.
async fn load_all<K: Batched>(
    ctx: &Context<'_>,
    keys: impl IntoIterator<Item = K>,
) -> async_graphql::Result<Vec<K::Value>> {
    let keys: Vec<K> = keys.into_iter().collect();
    let found = loader(ctx)
        .load_many(keys.iter().cloned())
        .await
        .map_err(error::internal)?;
    Ok(keys.iter().filter_map(|k| found.get(k).cloned()).collect())
}

/// The rows for `key`, batched like `load_one`.
async fn load_many<K, V>(ctx: &Context<'_>, key: K) -> async_graphql::Result<Vec<V>>
where
    K: Batched<Value = Vec<V>>,
    V: Clone + Send + Sync + 'static,
{
    Ok(load_one(ctx, key).await?.unwrap_or_default())
}
