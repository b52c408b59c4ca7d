//! A person appointed as director, curator or coordinator, for a period.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use crate::domain::{AppointmentRole, PartialDate, Programme};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "appointments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Bumped by every update; an update naming an older version is refused.
    pub version: i32,
    pub person_id: i32,
    pub role: AppointmentRole,
    /// The programme curated or coordinated; none for a director.
    pub programme: Option<Programme>,
    pub municipality_id: i32,
    /// The school; none when a curator or coordinator serves the whole municipality.
    pub school_id: Option<i32>,
    pub starts_on: Option<PartialDate>,
    pub ends_on: Option<PartialDate>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
