//! An API token: its SHA-256 hash, the role it grants and the scope of that role.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use crate::auth::Role;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "api_tokens")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Hex SHA-256 of the token; the token itself is shown once and never stored.
    #[serde(skip)]
    pub token_hash: String,
    pub role: Role,
    /// The municipality a coordinator may change.
    pub municipality_id: Option<i32>,
    /// The person a curator token belongs to; their curator appointments scope it.
    pub person_id: Option<i32>,
    /// The school a director token acts for.
    pub school_id: Option<i32>,
    pub label: Option<String>,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
