//! How many respondents of a round gave each answer to one statement: no change, slight
//! changes, noticeable changes.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "survey_answers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub round_id: i32,
    pub statement_id: i32,
    /// «Изменений нет».
    pub no_change: i32,
    /// «Незначительные изменения».
    pub slight: i32,
    /// «Заметные изменения».
    pub noticeable: i32,
}

impl Model {
    /// The three counts, in the survey's order.
    pub fn counts(&self) -> [i32; 3] {
        [self.no_change, self.slight, self.noticeable]
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
