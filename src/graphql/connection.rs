//! Relay connections: pages of schools with opaque cursors.

use async_graphql::{Object, Result};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use super::error::bad_input;
use super::types::School;

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

/// The cursor after a school: opaque to clients, the school's row id inside.
pub fn encode_cursor(id: i32) -> String {
    URL_SAFE_NO_PAD.encode(format!("school-cursor:{id}"))
}

/// Reads the `after` cursor.
pub fn decode_cursor(cursor: &str) -> Result<i32> {
    let bad = || bad_input("after", format!("«{cursor}» is not a cursor from this API"));
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    text.strip_prefix("school-cursor:")
        .and_then(|id| id.parse().ok())
        .ok_or_else(bad)
}

/// A page of schools as `Query::schools` builds it.
pub struct SchoolConnection {
    pub total_count: u64,
    pub nodes: Vec<School>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
}

/// A page of schools (Relay connection).
#[Object]
impl SchoolConnection {
    /// How many schools match the filter, on all pages.
    async fn total_count(&self) -> u64 {
        self.total_count
    }

    /// The schools of this page.
    async fn nodes(&self) -> &[School] {
        &self.nodes
    }

    /// The schools of this page with their cursors.
    async fn edges(&self) -> Vec<SchoolEdge<'_>> {
        self.nodes.iter().map(SchoolEdge).collect()
    }

    /// Where this page sits.
    async fn page_info(&self) -> PageInfo {
        PageInfo {
            has_next_page: self.has_next_page,
            has_previous_page: self.has_previous_page,
            start_cursor: self.nodes.first().map(|s| encode_cursor(s.0.id)),
            end_cursor: self.nodes.last().map(|s| encode_cursor(s.0.id)),
        }
    }
}

/// A school of a page, borrowed from its connection.
pub struct SchoolEdge<'a>(&'a School);

/// A school and its cursor.
#[Object]
impl SchoolEdge<'_> {
    /// Pass as `after` to get the schools following this one.
    async fn cursor(&self) -> String {
        encode_cursor(self.0.0.id)
    }

    /// The school.
    async fn node(&self) -> &School {
        self.0
    }
}

/// Where a page sits in the whole list (Relay).
#[derive(async_graphql::SimpleObject)]
pub struct PageInfo {
    /// True when more schools follow this page.
    has_next_page: bool,
    /// True when this page was asked for with `after`.
    has_previous_page: bool,
    /// The cursor of the first school of the page.
    start_cursor: Option<String>,
    /// The cursor of the last school of the page; pass it as `after` for the next page.
    end_cursor: Option<String>,
}
