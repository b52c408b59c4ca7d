//! A monitoring indicator (показатель) under its criterion (критерий), as reference data: the
//! table of seed 000 («Адресные рекомендации») that schools track yearly.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use crate::domain::IndicatorKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "monitoring_indicators")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The indicator's number in the table, for the API.
    pub number: i32,
    pub criterion: String,
    pub name: String,
    pub kind: IndicatorKind,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
