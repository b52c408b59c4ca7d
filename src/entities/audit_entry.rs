//! One successful change: who, when, what, and the entity before and after as JSON.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub occurred_at: DateTimeUtc,
    /// The token used; kept null once the token is deleted, while `actor` keeps its description.
    pub token_id: Option<i32>,
    /// «ADMIN token #1 (label)», readable without joining.
    pub actor: String,
    /// The mutation: `updateSchool`.
    pub operation: String,
    /// The GraphQL type changed: `School`.
    pub entity: String,
    pub entity_id: i32,
    /// The municipality the changed record belongs to; every municipality the change touched is
    /// in `audit_municipalities`, which the log's readers are filtered by.
    pub municipality_id: Option<i32>,
    pub before: Option<Json>,
    pub after: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
