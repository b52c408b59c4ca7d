//! Relay connections: pages of rows with opaque cursors, one generic type with a concrete GraphQL
//! name per kind of row (`SchoolConnection`, `AuditEntryConnection`).

use async_graphql::{Object, OutputType, Result};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use sea_orm::sea_query::Order;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};

use super::error::{bad_input, internal};
use super::types::{AuditEntry, Person, School};

/// The page size when `first` is not given.
pub const DEFAULT_PAGE: u64 = 20;
/// The largest page a client may ask for.
pub const MAX_PAGE: u64 = 100;

/// Validates `first`.
pub fn page_size(first: Option<i32>) -> Result<u64> {
    match first {
        None => Ok(DEFAULT_PAGE),
        Some(n) if n < 0 => Err(bad_input("first", "must not be negative")),
        Some(n) if n as u64 > MAX_PAGE => Err(bad_input(
            "first",
            format!("at most {MAX_PAGE} items a page, asked for {n}"),
        )),
        Some(n) => Ok(n as u64),
    }
}

/// A row that can be paged: its cursor is its row id, tagged with the kind of list.
pub trait Paged: OutputType + Clone {
    /// Tags the cursor, so that a cursor of one list is refused by another.
    const LIST: &'static str;
    /// The row id the cursor carries.
    fn row_id(&self) -> i32;
}

impl Paged for School {
    const LIST: &'static str = "school";
    fn row_id(&self) -> i32 {
        self.0.id
    }
}

impl Paged for Person {
    const LIST: &'static str = "person";
    fn row_id(&self) -> i32 {
        self.0.id
    }
}

impl Paged for AuditEntry {
    const LIST: &'static str = "audit";
    fn row_id(&self) -> i32 {
        self.0.id
    }
}

fn encode_cursor<T: Paged>(row: &T) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}-cursor:{}", T::LIST, row.row_id()))
}

/// Reads an `after` cursor of a list of `T`.
pub fn decode_cursor<T: Paged>(cursor: &str) -> Result<i32> {
    let bad = || bad_input("after", format!("«{cursor}» is not a cursor of this list"));
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    text.strip_prefix(T::LIST)
        .and_then(|rest| rest.strip_prefix("-cursor:"))
        .and_then(|id| id.parse().ok())
        .ok_or_else(bad)
}

/// Which page of a list to read.
pub struct Page {
    /// The row id of the `after` cursor.
    pub after: Option<i32>,
    /// How many rows.
    pub limit: u64,
    /// Oldest first (`Asc`) or newest first (`Desc`), by row id.
    pub order: Order,
}

/// A list sorted by a column before its row id (ascending), with the value that column has in
/// the `after` cursor's row: the page is the rows after (value, id).
pub struct SortedBy<Col> {
    /// The column sorted by: `name`.
    pub column: Col,
    /// Its value in the cursor's row; none without a cursor.
    pub after: Option<sea_orm::Value>,
}

/// Reads one page of `select` by keyset on `id`, or on (`sorted.column`, `id`) (rows after the
/// cursor, one more than the page to know whether another follows) and counts the whole list:
/// two statements, each served by an index on the keys, run side by side (one round trip of
/// waiting, not two).
pub async fn paginate<E, T>(
    db: &DatabaseConnection,
    select: Select<E>,
    id: E::Column,
    page: Page,
    sorted: Option<SortedBy<E::Column>>,
    object: fn(E::Model) -> T,
) -> Result<Connection<T>>
where
    E: EntityTrait,
    E::Model: Sync,
    T: Paged,
{
    let count = select.clone().count(db);
    let select = match (page.after, &page.order, &sorted) {
        (
            Some(after),
            _,
            Some(SortedBy {
                column,
                after: Some(value),
            }),
        ) => select.filter(
            sea_orm::Condition::any().add(column.gt(value.clone())).add(
                sea_orm::Condition::all()
                    .add(column.eq(value.clone()))
                    .add(id.gt(after)),
            ),
        ),
        (Some(after), Order::Asc, _) => select.filter(id.gt(after)),
        (Some(after), _, _) => select.filter(id.lt(after)),
        (None, _, _) => select,
    };
    let select = match sorted {
        Some(SortedBy { column, .. }) => select.order_by_asc(column),
        None => select,
    };
    let rows = select
        .order_by(id, page.order)
        .limit(page.limit + 1)
        .all(db);
    let (total_count, mut rows) = tokio::try_join!(count, rows).map_err(internal)?;
    let has_next_page = rows.len() as u64 > page.limit;
    rows.truncate(page.limit as usize);
    Ok(Connection {
        total_count,
        nodes: rows.into_iter().map(object).collect(),
        has_next_page,
        has_previous_page: page.after.is_some(),
    })
}

impl<T: Paged> Connection<T> {
    /// A page of rows a DataLoader has already loaded in one batch for many parents (ordered by
    /// id): paging a nested list costs no statement of its own.
    pub fn page_of(rows: Vec<T>, first: Option<i32>, after: Option<String>) -> Result<Self> {
        let limit = page_size(first)? as usize;
        let after = after.as_deref().map(decode_cursor::<T>).transpose()?;
        let total_count = rows.len() as u64;
        let mut rest: Vec<T> = rows
            .into_iter()
            .filter(|row| after.is_none_or(|after| row.row_id() > after))
            .take(limit + 1)
            .collect();
        let has_next_page = rest.len() > limit;
        rest.truncate(limit);
        Ok(Connection {
            total_count,
            nodes: rest,
            has_next_page,
            has_previous_page: after.is_some(),
        })
    }
}

/// A page of rows as a list query builds it.
pub struct Connection<T> {
    /// Rows matching the filter, on all pages.
    pub total_count: u64,
    /// The rows of this page.
    pub nodes: Vec<T>,
    /// More rows follow.
    pub has_next_page: bool,
    /// The page was asked for with `after`.
    pub has_previous_page: bool,
}

/// A page (Relay connection).
#[Object(
    concrete(name = "SchoolConnection", params(School)),
    concrete(name = "PersonConnection", params(Person)),
    concrete(name = "AuditEntryConnection", params(AuditEntry))
)]
impl<T: Paged> Connection<T>
where
    Edge<T>: OutputType,
{
    /// How many match the filter, on all pages.
    async fn total_count(&self) -> u64 {
        self.total_count
    }

    /// The items of this page.
    async fn nodes(&self) -> &[T] {
        &self.nodes
    }

    /// The items of this page with their cursors.
    async fn edges(&self) -> Vec<Edge<T>> {
        self.nodes.iter().cloned().map(Edge).collect()
    }

    /// Where this page sits.
    async fn page_info(&self) -> PageInfo {
        PageInfo {
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
            start_cursor: self.nodes.first().map(encode_cursor),
            end_cursor: self.nodes.last().map(encode_cursor),
        }
    }
}

/// An item of a page with its cursor.
pub struct Edge<T>(T);

/// An item and its cursor.
#[Object(
    concrete(name = "SchoolEdge", params(School)),
    concrete(name = "PersonEdge", params(Person)),
    concrete(name = "AuditEntryEdge", params(AuditEntry))
)]
impl<T: Paged> Edge<T> {
    /// Pass as `after` to get the items following this one.
    async fn cursor(&self) -> String {
        encode_cursor(&self.0)
    }

    /// The item.
    async fn node(&self) -> &T {
        &self.0
    }
}

/// Where a page sits in the whole list (Relay).
#[derive(async_graphql::SimpleObject)]
pub struct PageInfo {
    /// True when more items follow this page.
    has_next_page: bool,
    /// True when this page was asked for with `after`.
    has_previous_page: bool,
    /// The cursor of the first item of the page.
    start_cursor: Option<String>,
    /// The cursor of the last item of the page; pass it as `after` for the next page.
    end_cursor: Option<String>,
}
