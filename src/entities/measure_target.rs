//! A school a measure is aimed at (школы, которым оказывается адресная помощь).

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "measure_targets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub measure_id: i32,
    pub municipality_id: i32,
    pub school_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
