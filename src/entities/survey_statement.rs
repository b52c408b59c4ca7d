//! A statement of the change survey «Есть ли изменения?» under its section, as reference data.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "survey_statements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The statement's number in the survey, as inputs name it.
    pub number: i32,
    pub section_number: i32,
    pub section: String,
    pub text: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
