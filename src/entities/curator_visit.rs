//! A curator's visit to a school (seed 002: weekly while the roadmap is formed, every 3–4 weeks
//! while it is carried out). The notes are the curator's and the school's; the site shows only
//! dates and counts.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "curator_visits")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Bumped by every update; an update naming an older version is refused.
    pub version: i32,
    pub person_id: i32,
    pub school_id: i32,
    pub municipality_id: i32,
    pub visited_on: chrono::NaiveDate,
    pub purpose: String,
    pub notes: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
