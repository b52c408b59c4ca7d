//! A school subject (учебный предмет), as reference data: results and deficits name it by code.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "subjects")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// A stable code for the API: `mathematics`.
    pub code: String,
    /// The Russian name: «Математика».
    pub name: String,
    /// The order reports list subjects in.
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
