//! People: directors, curators, coordinators, methodologists.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "people")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// As the source prints it: «Клименко Сергей Иванович» or «Алиев М.А.».
    pub full_name: String,
    /// «заместитель директора по УВР», «методист».
    pub position: Option<String>,
    pub workplace_school_id: Option<i32>,
    pub workplace_organisation_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
