//! A risk factor in a school's profile, at most once per profile, with its significance where
//! the source grades it.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use crate::domain::Significance;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "risk_profile_factors")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub profile_id: i32,
    pub factor_id: i32,
    pub significance: Option<Significance>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
