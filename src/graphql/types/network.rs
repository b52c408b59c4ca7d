//! Partnership groups, agreements between schools, and partner organisations.

use async_graphql::{Context, Enum, ID, MergedObject, Object, Result, Union};

use super::{Municipality, School};
use crate::domain::{MembershipRole, OrganisationKind, PartialDate, PartnershipKind};
use crate::entities::{group_membership, organisation, partnership, partnership_group};
use crate::graphql::ids::{Kind, encode};
use crate::graphql::loaders::*;
use crate::graphql::{load_many, load_one, load_required};

/// The row behind the GraphQL `PartnershipGroup` object, described on its resolvers.
pub struct PartnershipGroup(pub partnership_group::Model);

/// Группа партнёрского взаимодействия: schools grouped by territory, led by 0–2 resource
/// centres.
#[Object]
impl PartnershipGroup {
    /// The row version: name it when changing this object; every change bumps it.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The global id.
    pub async fn id(&self) -> ID {
        encode(Kind::PartnershipGroup, self.0.id)
    }

    /// The group's number within its municipality.
    async fn number(&self) -> i32 {
        self.0.number
    }

    /// The municipality.
    async fn municipality(&self, ctx: &Context<'_>) -> Result<Municipality> {
        load_required(ctx, MunicipalityById(self.0.municipality_id))
            .await
            .map(Municipality)
    }

    /// Every member with its role, resource centres first, as the sources list them.
    async fn members(&self, ctx: &Context<'_>) -> Result<Vec<GroupMember>> {
        let rows = load_many(ctx, MembersOfGroup(self.0.id)).await?;
        Ok(rows.into_iter().map(GroupMember).collect())
    }

    /// Ресурсные центры of the group (none, one or two).
    async fn resource_centres(&self, ctx: &Context<'_>) -> Result<Vec<School>> {
        let rows = load_many(ctx, MembersOfGroup(self.0.id)).await?;
        let keys = rows
            .iter()
            .filter(|m| m.role == MembershipRole::ResourceCentre)
            .map(|m| SchoolById(m.school_id));
        let schools = crate::graphql::loader(ctx)
            .load_many(keys.clone())
            .await
            .map_err(crate::graphql::error::internal)?;
        Ok(keys
            .filter_map(|k| schools.get(&k).cloned())
            .map(School)
            .collect())
    }
}

/// The row behind the GraphQL `GroupMember` object, described on its resolvers.
pub struct GroupMember(pub group_membership::Model);

/// A school's membership of a partnership group.
#[Object]
impl GroupMember {
    /// Resource centre or ordinary member.
    async fn role(&self) -> MembershipRole {
        self.0.role
    }

    /// The member school.
    async fn school(&self, ctx: &Context<'_>) -> Result<School> {
        School::prefetch(ctx, self.0.school_id);
        load_required(ctx, SchoolById(self.0.school_id))
            .await
            .map(School)
    }
}

/// The row behind the GraphQL `Partnership` object, described on its resolvers.
pub struct Partnership(pub partnership::Model);

/// The other side of an agreement.
#[derive(Union)]
pub enum Partner {
    School(School),
    Organisation(Organisation),
}

/// An agreement between a school and a partner school or organisation: mentoring, base site ↔
/// pilot site, network programme, methodological support.
#[Object]
impl Partnership {
    /// The row version: name it when changing this object; every change bumps it.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The global id.
    pub async fn id(&self) -> ID {
        encode(Kind::Partnership, self.0.id)
    }

    /// What the agreement is.
    async fn kind(&self) -> PartnershipKind {
        self.0.kind
    }

    /// The supported school: the mentee, the pilot site, the school receiving support.
    async fn school(&self, ctx: &Context<'_>) -> Result<School> {
        load_required(ctx, SchoolById(self.0.school_id))
            .await
            .map(School)
    }

    /// The partner: the mentor school, the base site, the centre or institute.
    async fn partner(&self, ctx: &Context<'_>) -> Result<Option<Partner>> {
        partner(ctx, &self.0).await
    }

    /// Start, to the precision the source gives.
    async fn starts_on(&self) -> Option<PartialDate> {
        self.0.starts_on
    }

    /// End; null while in force.
    async fn ends_on(&self) -> Option<PartialDate> {
        self.0.ends_on
    }

    /// The founding document: «Соглашение о сотрудничестве».
    async fn document(&self) -> Option<&str> {
        self.0.document.as_deref()
    }

    /// What the partners do together.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
}

/// The partner side of `row`: a school or an organisation (one statement, batched).
async fn partner(ctx: &Context<'_>, row: &partnership::Model) -> Result<Option<Partner>> {
    if let Some(id) = row.partner_school_id {
        return Ok(load_one(ctx, SchoolById(id))
            .await?
            .map(|s| Partner::School(School(s))));
    }
    let Some(id) = row.partner_organisation_id else {
        return Ok(None);
    };
    Ok(load_one(ctx, OrganisationById(id))
        .await?
        .map(|o| Partner::Organisation(Organisation(o))))
}

/// Which side of an agreement a school is on.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum PartnershipRole {
    /// Supported: the mentee, the pilot site, the school receiving support.
    Supported,
    /// Supporting: the mentor, the base site, the network partner.
    Supporting,
}

/// An agreement as one of its schools sees it (`School.partnerships`): every field of
/// `Partnership`, and which side the school is on and who is on the other.
#[derive(MergedObject)]
pub struct SchoolPartnership(Partnership, SchoolSide);

impl SchoolPartnership {
    /// `row` seen from the school `school_id`, which is on one of its sides.
    pub fn seen_from(row: partnership::Model, school_id: i32) -> Self {
        let role = if row.school_id == school_id {
            PartnershipRole::Supported
        } else {
            PartnershipRole::Supporting
        };
        SchoolPartnership(Partnership(row.clone()), SchoolSide { row, role })
    }
}

/// The side of an agreement a school is on; merged into `SchoolPartnership`.
pub struct SchoolSide {
    row: partnership::Model,
    role: PartnershipRole,
}

#[Object]
impl SchoolSide {
    /// The asked school's side: `SUPPORTED` when it receives the support, `SUPPORTING` when it
    /// gives it (as mentor, base site or partner).
    async fn role(&self) -> PartnershipRole {
        self.role
    }

    /// The other side: the partner when the school is supported, the supported school when it
    /// supports.
    async fn counterpart(&self, ctx: &Context<'_>) -> Result<Option<Partner>> {
        match self.role {
            PartnershipRole::Supported => partner(ctx, &self.row).await,
            PartnershipRole::Supporting => Ok(load_one(ctx, SchoolById(self.row.school_id))
                .await?
                .map(|s| Partner::School(School(s)))),
        }
    }
}

/// The row behind the GraphQL `Organisation` object, described on its resolvers.
pub struct Organisation(pub organisation::Model);

/// An organisation that is not a school: отдел образования, РМК, ИМЦ, ЦРО, ИРО, ФИОКО.
#[Object]
impl Organisation {
    /// The row version: name it when changing this object; every change bumps it.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The global id.
    pub async fn id(&self) -> ID {
        encode(Kind::Organisation, self.0.id)
    }

    /// What kind of organisation it is.
    async fn kind(&self) -> OrganisationKind {
        self.0.kind
    }

    /// The name as the sources print it.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The abbreviation used in running text: «ИМЦ».
    async fn short_name(&self) -> &str {
        &self.0.short_name
    }

    /// Other spellings found in the sources.
    async fn aliases(&self) -> &[String] {
        &self.0.aliases.0
    }

    /// The municipality; null for regional and federal bodies.
    async fn municipality(&self, ctx: &Context<'_>) -> Result<Option<Municipality>> {
        let Some(id) = self.0.municipality_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, MunicipalityById(id)).await?.map(Municipality))
    }
}
