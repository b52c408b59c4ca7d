//! A municipality an audited change touched: each one's coordinator sees the change.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_municipalities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub audit_entry_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub municipality_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
