//! The partnership mutations: they read the input, and `changes::partnerships` does the rest.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};

use super::{id_argument, id_field, patch, run};
use crate::changes::Rules;
use crate::changes::partnerships::{
    NewPartnership, PartnershipTerms, create_partnership, end_partnership, update_partnership,
};
use crate::domain::{PartialDate, PartnershipKind};
use crate::graphql::ids::Kind;
use crate::graphql::types::Partnership;

/// A new agreement: the supported school and exactly one partner, a school or an organisation.
#[derive(InputObject)]
pub struct CreatePartnershipInput {
    /// What the agreement is.
    kind: PartnershipKind,
    /// The supported school (mentee, pilot site).
    school: ID,
    /// The partner school (mentor, base site), possibly in another municipality.
    partner_school: Option<ID>,
    /// The partner organisation (ИМЦ, ИРО).
    partner_organisation: Option<ID>,
    /// Start, to the precision known.
    starts_on: Option<PartialDate>,
    /// End, if already known.
    ends_on: Option<PartialDate>,
    /// The founding document.
    document: Option<String>,
    /// What the partners do together.
    description: Option<String>,
}

/// Changes to an agreement's terms; the parties do not change (record a new agreement instead).
#[derive(InputObject)]
pub struct UpdatePartnershipInput {
    /// What the agreement is.
    kind: Option<PartnershipKind>,
    /// Start.
    starts_on: MaybeUndefined<PartialDate>,
    /// The founding document.
    document: MaybeUndefined<String>,
    /// What the partners do together.
    description: MaybeUndefined<String>,
}

/// Mutations of partnerships.
#[derive(Default)]
pub struct PartnershipMutations;

#[Object]
impl PartnershipMutations {
    /// Records an agreement: mentoring, base site, network programme or methodological support.
    async fn create_partnership(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to record.")] input: CreatePartnershipInput,
    ) -> Result<Partnership> {
        run(
            ctx,
            |s| async move {
                let mut edge = Rules::new();
                let input = NewPartnership {
                    school: id_argument(Kind::School, &input.school)?,
                    partner_named: input.partner_school.is_some()
                        != input.partner_organisation.is_some(),
                    partner_school: input.partner_school.and_then(|id| {
                        id_field(&mut edge, Kind::School, "input.partnerSchool", &id)
                    }),
                    partner_organisation: input.partner_organisation.and_then(|id| {
                        id_field(
                            &mut edge,
                            Kind::Organisation,
                            "input.partnerOrganisation",
                            &id,
                        )
                    }),
                    kind: input.kind,
                    starts_on: input.starts_on,
                    ends_on: input.ends_on,
                    document: input.document,
                    description: input.description,
                };
                create_partnership(s, input, edge).await
            },
            Partnership,
        )
        .await
    }

    /// Changes an agreement's terms.
    async fn update_partnership(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The agreement's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
        #[graphql(desc = "What to record.")] input: UpdatePartnershipInput,
    ) -> Result<Partnership> {
        run(
            ctx,
            |s| async move {
                let terms = PartnershipTerms {
                    kind: input.kind,
                    starts_on: patch(input.starts_on),
                    document: patch(input.document),
                    description: patch(input.description),
                };
                update_partnership(s, id_argument(Kind::Partnership, &id)?, version, terms).await
            },
            Partnership,
        )
        .await
    }

    /// Ends an agreement on a date; it stays in the history.
    async fn end_partnership(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The agreement's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
        #[graphql(desc = "The last day (or month, or year) of the agreement.")]
        ends_on: PartialDate,
    ) -> Result<Partnership> {
        run(
            ctx,
            |s| async move {
                end_partnership(s, id_argument(Kind::Partnership, &id)?, version, ends_on).await
            },
            Partnership,
        )
        .await
    }
}
