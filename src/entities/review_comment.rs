//! One step of a review thread (ИС МЭДК's chat): who, when, which step, what was said. About a
//! roadmap or about the report on a measure, never both.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use crate::domain::{ReviewSide, ReviewStep};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "review_comments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub plan_id: Option<i32>,
    pub measure_id: Option<i32>,
    pub written_at: DateTimeUtc,
    /// As the audit log names the actor.
    pub author: String,
    pub side: ReviewSide,
    pub step: ReviewStep,
    pub text: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
