//! A material of the methodological bank (seed 000, decisions 3 and 9): a method, a monitoring
//! instrument, a best-practice case or an FAQ entry (the title its question, the text its
//! answer), of a municipality. Its file, if any, is in `material_file`.

use sea_orm::FromJsonQueryResult;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::{Markdown, MaterialKind, Programme};

/// Tags, as the bank's filters list them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct Tags(pub Vec<String>);

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "materials")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Bumped by every update; an update naming an older version is refused.
    pub version: i32,
    pub municipality_id: i32,
    pub kind: MaterialKind,
    pub title: String,
    /// Для кого: «руководители ШНОР», «педагоги».
    pub audience: Option<String>,
    pub tags: Tags,
    pub programme: Option<Programme>,
    pub body: Markdown,
    /// When its text last changed: an FAQ answer shows how fresh it is.
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
