//! A municipality's published decision on which schools have low results (выявление ШНОР) for a
//! year: the threshold and procedures it applied, its conclusion in words, and the schools it
//! named (`identified_school`). Kept as published, whatever the stored results say.

use sea_orm::FromJsonQueryResult;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::{Percentage, ProcedureSubject};

/// The procedures a decision analysed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct Procedures(pub Vec<ProcedureSubject>);

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "identification_decisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Bumped by every update; an update naming an older version is refused.
    pub version: i32,
    pub municipality_id: i32,
    /// The year the schools are identified for; the results of the two years before count.
    pub year: i32,
    pub threshold: Percentage,
    pub procedures: Procedures,
    pub conclusion: String,
    /// The document that records it (a protocol, an order).
    pub document: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
