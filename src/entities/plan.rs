//! A plan, usually for a school year: a school's roadmap (дорожная карта, reviewed by its curator) or the
//! municipality's plan, numbered in sections (`plan_section`); its measures are in `measure`.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use crate::domain::{ReviewState, SchoolYear};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "plans")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Bumped by every update; an update naming an older version is refused.
    pub version: i32,
    pub municipality_id: i32,
    /// The school whose roadmap this is; none for the municipal plan.
    pub school_id: Option<i32>,
    /// The school year; none where the document names none (seed 002).
    pub school_year: Option<SchoolYear>,
    /// As the document is headed: «План мероприятий по совершенствованию …».
    pub title: String,
    /// Where a roadmap stands in the curator's review; none for a municipal plan.
    pub review_state: Option<ReviewState>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
