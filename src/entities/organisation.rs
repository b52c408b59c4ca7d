//! Organisations that are not schools: authorities, РМК, ИМЦ, ЦРО, ИРО, ФИОКО.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::Aliases;
use crate::domain::OrganisationKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "organisations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Bumped by every update; an update naming an older version is refused.
    pub version: i32,
    /// None for regional and federal bodies.
    pub municipality_id: Option<i32>,
    pub kind: OrganisationKind,
    pub name: String,
    pub short_name: String,
    pub aliases: Aliases,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
