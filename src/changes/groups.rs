//! Forming partnership groups and naming their resource centres; membership changes replace the
//! whole list in one transaction.

use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait};
use serde::Serialize;

use super::{ChangeError, Command, Rules, Session, bump_version};
use crate::domain::MembershipRole;
use crate::entities::{group_membership, partnership_group, school};

/// A group has at most this many resource centres (seed 003 shows groups with none, one and two).
const MAX_RESOURCE_CENTRES: usize = 2;

/// The schools of a group: resource centres lead it; every school is listed once. An entry is
/// none where the input named a school whose id could not be read (reported at the edge).
#[derive(Clone, Debug, Default)]
pub struct Members {
    /// Ресурсные центры (at most two); they are members of the group.
    pub resource_centres: Vec<Option<i32>>,
    /// The other member schools.
    pub members: Vec<Option<i32>>,
}

/// A group with its members, as the audit log records it.
#[derive(Serialize)]
struct GroupState {
    group: partnership_group::Model,
    members: Vec<group_membership::Model>,
}

impl Members {
    /// Checks the lists against the municipality and the other groups, and returns the
    /// memberships to write.
    async fn validate(
        &self,
        db: &impl ConnectionTrait,
        rules: &mut Rules,
        municipality_id: i32,
        this_group: Option<i32>,
    ) -> Result<Vec<(i32, MembershipRole)>, DbErr> {
        rules.require(
            self.resource_centres.len() <= MAX_RESOURCE_CENTRES,
            "members.resourceCentres",
            format!("a group has at most {MAX_RESOURCE_CENTRES} resource centres"),
            format!("в группе не больше {MAX_RESOURCE_CENTRES} ресурсных центров"),
        );
        let listed =
            self.resource_centres
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    (
                        format!("members.resourceCentres[{i}]"),
                        id,
                        MembershipRole::ResourceCentre,
                    )
                })
                .chain(
                    self.members.iter().enumerate().map(|(i, id)| {
                        (format!("members.members[{i}]"), id, MembershipRole::Member)
                    }),
                );
        let mut chosen: Vec<(i32, MembershipRole)> = Vec::new();
        for (field, id, role) in listed {
            let Some(school_id) = *id else {
                continue;
            };
            if chosen.iter().any(|(s, _)| *s == school_id) {
                rules.require(
                    false,
                    &field,
                    "the school is listed twice",
                    "школа указана дважды",
                );
                continue;
            }
            let school = school::Entity::find_by_id(school_id).one(db).await?;
            match school {
                Some(s) if s.municipality_id == municipality_id => {
                    let other = group_membership::Entity::find()
                        .filter(group_membership::Column::SchoolId.eq(school_id))
                        .one(db)
                        .await?
                        .filter(|m| Some(m.group_id) != this_group);
                    if let Some(other) = other {
                        let number = partnership_group::Entity::find_by_id(other.group_id)
                            .one(db)
                            .await?
                            .map_or(0, |g| g.number);
                        rules.require(
                            false,
                            &field,
                            format!("«{}» is already in group {number}; a school is in one group", s.full_name),
                            format!("«{}» уже входит в группу {number}; школа состоит только в одной группе", s.full_name),
                        );
                    }
                    chosen.push((school_id, role));
                }
                _ => rules.require(
                    false,
                    &field,
                    "no school of this municipality has this id",
                    "в этом муниципалитете нет школы с таким идентификатором",
                ),
            }
        }
        Ok(chosen)
    }
}

/// Replaces the memberships of a group.
async fn write_members(
    db: &impl ConnectionTrait,
    group_id: i32,
    members: &[(i32, MembershipRole)],
) -> Result<Vec<group_membership::Model>, DbErr> {
    group_membership::Entity::delete_many()
        .filter(group_membership::Column::GroupId.eq(group_id))
        .exec(db)
        .await?;
    let mut rows = Vec::with_capacity(members.len());
    for (school_id, role) in members {
        rows.push(
            group_membership::ActiveModel {
                group_id: Set(group_id),
                school_id: Set(*school_id),
                role: Set(*role),
                ..Default::default()
            }
            .insert(db)
            .await?,
        );
    }
    Ok(rows)
}

async fn members_of(
    db: &impl ConnectionTrait,
    group_id: i32,
) -> Result<Vec<group_membership::Model>, DbErr> {
    group_membership::Entity::find()
        .filter(group_membership::Column::GroupId.eq(group_id))
        .order_by_id_asc()
        .all(db)
        .await
}

/// Forms partnership group `number` of a municipality (by slug) with its members; `edge` holds
/// what could not be read from the input at the edge.
pub async fn create_partnership_group(
    session: Session<'_>,
    municipality: String,
    number: i32,
    members: Members,
    edge: Rules,
) -> Result<partnership_group::Model, ChangeError> {
    let mut change = session.begin(Command::CreatePartnershipGroup).await?;
    let municipality = change.municipality(&municipality).await?;
    let mut rules = edge;
    rules.require(
        number > 0,
        "number",
        "a group number is positive",
        "номер группы должен быть положительным",
    );
    let taken = partnership_group::Entity::find()
        .filter(partnership_group::Column::MunicipalityId.eq(municipality.id))
        .filter(partnership_group::Column::Number.eq(number))
        .one(&*change)
        .await?;
    rules.require(
        taken.is_none(),
        "number",
        format!("group {number} already exists in this municipality"),
        format!("группа {number} в этом муниципалитете уже есть"),
    );
    let chosen = members
        .validate(&*change, &mut rules, municipality.id, None)
        .await?;
    rules.check()?;
    let group = partnership_group::ActiveModel {
        municipality_id: Set(municipality.id),
        number: Set(number),
        ..Default::default()
    }
    .insert(&*change)
    .await?;
    let after = GroupState {
        members: write_members(&*change, group.id, &chosen).await?,
        group,
    };
    change
        .finish_with::<partnership_group::Entity, _>(after.group.id, None, Some(&after))
        .await?;
    Ok(after.group)
}

/// Replaces the members of group `id` as it was at `version`, all at once; `edge` as for
/// [`create_partnership_group`]. The group's version moves with its members.
pub async fn set_partnership_group_members(
    session: Session<'_>,
    id: i32,
    version: i32,
    members: Members,
    edge: Rules,
) -> Result<partnership_group::Model, ChangeError> {
    let (change, group) = session
        .open::<partnership_group::Entity>(Command::SetPartnershipGroupMembers, id, version)
        .await?;
    let before = GroupState {
        members: members_of(&*change, id).await?,
        group,
    };
    let mut rules = edge;
    let chosen = members
        .validate(&*change, &mut rules, before.group.municipality_id, Some(id))
        .await?;
    rules.check()?;
    let unchanged = before.members.len() == chosen.len()
        && before
            .members
            .iter()
            .zip(&chosen)
            .all(|(m, (school, role))| m.school_id == *school && m.role == *role);
    let after = if unchanged {
        GroupState {
            group: before.group.clone(),
            members: before.members.clone(),
        }
    } else {
        GroupState {
            group: bump_version::<partnership_group::Entity>(&*change, &before.group).await?,
            members: write_members(&*change, id, &chosen).await?,
        }
    };
    change
        .finish_with::<partnership_group::Entity, _>(id, Some(&before), Some(&after))
        .await?;
    Ok(after.group)
}

/// Deletes group `id` as it was at `version`, with its memberships.
pub async fn delete_partnership_group(
    session: Session<'_>,
    id: i32,
    version: i32,
) -> Result<partnership_group::Model, ChangeError> {
    let (change, group) = session
        .open::<partnership_group::Entity>(Command::DeletePartnershipGroup, id, version)
        .await?;
    let before = GroupState {
        members: members_of(&*change, id).await?,
        group,
    };
    partnership_group::Entity::delete_by_id(id)
        .exec(&*change)
        .await?;
    change
        .finish_with::<partnership_group::Entity, _>(id, Some(&before), None)
        .await?;
    Ok(before.group)
}
