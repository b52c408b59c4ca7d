//! A school's inclusion in ШНОР, ШНСУ or 500+, and its exclusion with a justification.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use crate::domain::{PartialDate, Programme};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "programme_participations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Bumped by every update; an update naming an older version is refused.
    pub version: i32,
    pub school_id: i32,
    pub programme: Programme,
    pub included_on: Option<PartialDate>,
    pub excluded_on: Option<PartialDate>,
    /// Обоснование исключения: required by the schema once `excluded_on` is set.
    pub exclusion_justification: Option<String>,
    /// Группа риска, as 500+ names it: «Базово неуспевающие».
    pub risk_group: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The rule of being in a programme now, in one place: the API's counts and filters, the site's
/// headline figures and the inclusion check all ask it.
impl Model {
    /// Taking part now: included and not excluded.
    pub fn is_current(&self) -> bool {
        self.excluded_on.is_none()
    }
}

/// True when, among `participations` of one school, one puts it in `programme` now.
pub fn currently_in<'a>(
    participations: impl IntoIterator<Item = &'a Model>,
    programme: crate::domain::Programme,
) -> bool {
    participations
        .into_iter()
        .any(|p| p.programme == programme && p.is_current())
}

/// The same rule as a condition on the table, for queries.
pub fn current() -> sea_orm::sea_query::SimpleExpr {
    Column::ExcludedOn.is_null()
}
