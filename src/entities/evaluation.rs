//! A school's yearly quality group (ГК) and social well-being group (ГИСБШ).

use sea_orm::entity::prelude::*;
use serde::Serialize;

use crate::domain::{Absence, GroupNumber, Level, Rated};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "evaluations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Bumped by every update; an update naming an older version is refused.
    pub version: i32,
    pub school_id: i32,
    pub year: i32,
    pub quality_group: Option<GroupNumber>,
    pub quality_group_absence: Option<Absence>,
    pub quality_level: Option<Level>,
    pub wellbeing_group: Option<GroupNumber>,
    pub wellbeing_group_absence: Option<Absence>,
    pub wellbeing_level: Option<Level>,
}

impl Model {
    /// The quality group as published.
    pub fn quality(&self) -> Rated {
        Rated::from_columns(
            self.quality_group,
            self.quality_group_absence,
            self.quality_level,
        )
    }

    /// The social well-being group as published.
    pub fn wellbeing(&self) -> Rated {
        Rated::from_columns(
            self.wellbeing_group,
            self.wellbeing_group_absence,
            self.wellbeing_level,
        )
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
