//! The file attached to a material, checked when attached (`domain::Attachment`).

use sea_orm::entity::prelude::*;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "material_files")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub material_id: i32,
    pub file_name: String,
    pub media_type: String,
    /// Not in the audit log's copy: the log records the name, type and size.
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
