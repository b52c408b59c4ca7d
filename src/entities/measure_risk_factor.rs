//! A risk factor a measure addresses, at most once per measure.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "measure_risk_factors")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub measure_id: i32,
    pub factor_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
