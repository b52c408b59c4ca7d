//! The partnership group mutations: they read the input, and `changes::groups` does the rest.

use async_graphql::{Context, ID, InputObject, Object, Result};

use super::{id_argument, id_field, run};
use crate::changes::Rules;
use crate::changes::groups::{
    Members, create_partnership_group, delete_partnership_group, set_partnership_group_members,
};
use crate::graphql::ids::Kind;
use crate::graphql::types::PartnershipGroup;

/// The schools of a group: resource centres lead it; every school is listed once.
#[derive(InputObject)]
pub struct MembersInput {
    /// Ресурсные центры (at most two); they are members of the group.
    #[graphql(default)]
    resource_centres: Vec<ID>,
    /// The other member schools.
    #[graphql(default)]
    members: Vec<ID>,
}

impl MembersInput {
    /// The schools named, each id read or recorded in `edge` as not one.
    fn read(self, edge: &mut Rules) -> Members {
        let mut ids = |list: Vec<ID>, field: &str| -> Vec<Option<i32>> {
            list.iter()
                .enumerate()
                .map(|(i, id)| id_field(edge, Kind::School, &format!("members.{field}[{i}]"), id))
                .collect()
        };
        Members {
            resource_centres: ids(self.resource_centres, "resourceCentres"),
            members: ids(self.members, "members"),
        }
    }
}

/// Mutations of partnership groups.
#[derive(Default)]
pub struct GroupMutations;

#[Object]
impl GroupMutations {
    /// Forms a partnership group with its members and resource centres.
    async fn create_partnership_group(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The municipality's slug.")] municipality: String,
        #[graphql(desc = "The group's number, unique within the municipality.")] number: i32,
        #[graphql(desc = "The members and resource centres.")] members: MembersInput,
    ) -> Result<PartnershipGroup> {
        run(
            ctx,
            |s| {
                let mut edge = Rules::new();
                let members = members.read(&mut edge);
                create_partnership_group(s, municipality, number, members, edge)
            },
            PartnershipGroup,
        )
        .await
    }

    /// Replaces a group's members and resource centres at once: all of the change or none.
    async fn set_partnership_group_members(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The group's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
        #[graphql(desc = "The members and resource centres.")] members: MembersInput,
    ) -> Result<PartnershipGroup> {
        run(
            ctx,
            |s| async move {
                let mut edge = Rules::new();
                let members = members.read(&mut edge);
                let id = id_argument(Kind::PartnershipGroup, &id)?;
                set_partnership_group_members(s, id, version, members, edge).await
            },
            PartnershipGroup,
        )
        .await
    }

    /// Dissolves a group; its schools become free to join another. Returns it as it was.
    async fn delete_partnership_group(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The group's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
    ) -> Result<PartnershipGroup> {
        run(
            ctx,
            |s| async move {
                delete_partnership_group(s, id_argument(Kind::PartnershipGroup, &id)?, version)
                    .await
            },
            PartnershipGroup,
        )
        .await
    }
}
