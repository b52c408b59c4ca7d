//! ОО — общеобразовательная организация, one record per real school.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::Aliases;
use crate::domain::SchoolKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "schools")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Bumped by every update; an update naming an older version is refused.
    pub version: i32,
    pub municipality_id: i32,
    /// Short name, unique within the municipality: «Бердюгинская СОШ».
    pub name: String,
    /// Full name with the legal form: «МОУ «Бердюгинская СОШ»».
    pub full_name: String,
    /// МОУ, МАОУ, МКОУ, МБОУ, МОБУ, where the sources give it.
    pub legal_form: Option<String>,
    pub kind: SchoolKind,
    /// Set for a branch (филиал): the school it belongs to.
    pub parent_school_id: Option<i32>,
    pub cluster_id: Option<i32>,
    pub aliases: Aliases,
    /// Every spelling folded by `domain::fold`, for case-insensitive Cyrillic search.
    pub search_key: String,
    /// The short name folded: unique within the municipality, so «Зайковская СОШ №1» and
    /// «зайковская сош № 1» cannot both exist.
    pub name_key: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
