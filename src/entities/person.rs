//! People: directors, curators, coordinators, methodologists.

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "people")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Bumped by every update; an update naming an older version is refused.
    pub version: i32,
    /// As the source prints it: «Клименко Сергей Иванович» or «Алиев М.А.».
    pub full_name: String,
    /// «заместитель директора по УВР», «методист».
    pub position: Option<String>,
    pub workplace_school_id: Option<i32>,
    pub workplace_organisation_id: Option<i32>,
    /// The folded name (`domain::fold`), which `people(filter: {nameContains})` matches.
    #[serde(skip)]
    pub search_key: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
