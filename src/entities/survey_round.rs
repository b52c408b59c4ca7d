//! A round of the change survey at a school: when, and how many answered; the answers are in
//! `survey_answer`.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use crate::domain::PartialDate;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "survey_rounds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Bumped by every update; an update naming an older version is refused.
    pub version: i32,
    pub school_id: i32,
    pub held_on: PartialDate,
    pub respondents: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
