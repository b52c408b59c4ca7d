//! A school's risk profile (рисковый профиль школы) for a year: its risk group and, in
//! `risk_profile_factor`, the factors that apply.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "risk_profiles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Bumped by every update; an update naming an older version is refused.
    pub version: i32,
    pub school_id: i32,
    /// The year of the diagnosis; none where the source does not say.
    pub year: Option<i32>,
    /// Группа риска: «Базово неуспевающие».
    pub risk_group: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
