//! A school's place in a partnership group; a resource centre is a member with that role.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use crate::domain::MembershipRole;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "group_memberships")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub group_id: i32,
    pub school_id: i32,
    pub role: MembershipRole,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
