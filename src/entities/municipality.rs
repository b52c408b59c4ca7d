//! Муниципальный район / округ / МО: the unit whose education authority runs the programmes.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use crate::domain::Percentage;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "municipalities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Bumped by every update; an update naming an older version is refused.
    pub version: i32,
    pub region_id: i32,
    pub slug: String,
    pub name: String,
    pub short_name: String,
    /// The total number of schools the authority publishes; not all of them are in the database.
    pub school_count: Option<i32>,
    /// The regional average share of ШНОР published beside the municipality's own.
    #[sea_orm(column_name = "regional_low_results_permille")]
    pub regional_low_results_share: Option<Percentage>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
