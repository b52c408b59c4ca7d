//! A school's value of a monitoring indicator in a year: a percentage, a count or yes/no, as the
//! indicator says; exactly one of the three is set.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use crate::domain::Percentage;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "indicator_values")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Bumped by every update; an update naming an older version is refused.
    pub version: i32,
    pub school_id: i32,
    pub indicator_id: i32,
    pub year: i32,
    pub percentage: Option<Percentage>,
    pub count: Option<i32>,
    pub present: Option<bool>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
