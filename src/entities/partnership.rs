//! An agreement between a school and a partner school or organisation.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use crate::domain::{PartialDate, PartnershipKind};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "partnerships")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Bumped by every update; an update naming an older version is refused.
    pub version: i32,
    pub kind: PartnershipKind,
    /// The supported school: the mentee, the pilot site, the school receiving support.
    pub school_id: i32,
    pub partner_school_id: Option<i32>,
    pub partner_organisation_id: Option<i32>,
    pub starts_on: Option<PartialDate>,
    pub ends_on: Option<PartialDate>,
    /// The document that founded it: «Соглашение о сотрудничестве».
    pub document: Option<String>,
    pub description: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
