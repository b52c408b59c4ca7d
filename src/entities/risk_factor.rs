//! A risk factor of the «500+» project (seed 001), as reference data.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "risk_factors")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The factor's number, 1–10, as inputs name it.
    pub number: i32,
    pub name: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
