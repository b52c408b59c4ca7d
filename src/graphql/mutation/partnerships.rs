//! Recording agreements between schools and partners; an agreement is ended, never deleted.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait};

use super::{id_argument, id_field, patched, run};
use crate::auth::policy::Scope;
use crate::changes::{ChangeError, Command, Rules, Session, update_versioned};
use crate::domain::{PartialDate, PartnershipKind, TextKind};
use crate::entities::{organisation, partnership, school};
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

async fn school_of(db: &impl ConnectionTrait, id: i32) -> Result<school::Model, ChangeError> {
    school::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ChangeError::NotFound {
            entity: "School",
            id: id.to_string(),
        })
}

async fn create(
    session: Session<'_>,
    input: CreatePartnershipInput,
) -> Result<partnership::Model, ChangeError> {
    let school_id = id_argument(Kind::School, &input.school)?;
    let mut change = session.begin(Command::CreatePartnership).await?;
    let school = school_of(&*change, school_id).await?;
    change
        .authorise(Scope::municipality(school.municipality_id))
        .await?;
    let mut rules = Rules::new();
    let partner_school = input
        .partner_school
        .as_ref()
        .and_then(|id| id_field(&mut rules, Kind::School, "input.partnerSchool", id));
    let partner_organisation = input.partner_organisation.as_ref().and_then(|id| {
        id_field(
            &mut rules,
            Kind::Organisation,
            "input.partnerOrganisation",
            id,
        )
    });
    rules.require(
        input.partner_school.is_some() != input.partner_organisation.is_some(),
        "input.partnerSchool",
        "name exactly one partner: a school or an organisation",
        "укажите ровно одного партнёра: школу или организацию",
    );
    rules.require(
        partner_school != Some(school_id),
        "input.partnerSchool",
        "a school cannot be its own partner",
        "школа не может быть партнёром самой себе",
    );
    if let Some(id) = partner_school {
        let exists = school::Entity::find_by_id(id)
            .one(&*change)
            .await?
            .is_some();
        rules.require(
            exists,
            "input.partnerSchool",
            "no school has this id",
            "школы с таким идентификатором нет",
        );
    }
    if let Some(id) = partner_organisation {
        let exists = organisation::Entity::find_by_id(id)
            .one(&*change)
            .await?
            .is_some();
        rules.require(
            exists,
            "input.partnerOrganisation",
            "no organisation has this id",
            "организации с таким идентификатором нет",
        );
    }
    rules.period(input.starts_on, input.ends_on, "input.endsOn");
    let document = rules.optional_text(input.document, "input.document", TextKind::Name);
    let description =
        rules.optional_text(input.description, "input.description", TextKind::Paragraph);
    rules.check()?;
    let row = partnership::ActiveModel {
        kind: Set(input.kind),
        school_id: Set(school_id),
        partner_school_id: Set(partner_school),
        partner_organisation_id: Set(partner_organisation),
        starts_on: Set(input.starts_on),
        ends_on: Set(input.ends_on),
        document: Set(document),
        description: Set(description),
        ..Default::default()
    }
    .insert(&*change)
    .await?;
    change
        .finish::<partnership::Entity>(row.id, None, Some(&row))
        .await?;
    Ok(row)
}

/// Writes new terms (an update or an ending), after the common checks.
async fn change_terms(
    session: Session<'_>,
    operation: Command,
    id: i32,
    version: i32,
    terms: impl FnOnce(&partnership::Model, &mut Rules) -> partnership::ActiveModel,
) -> Result<partnership::Model, ChangeError> {
    let (change, before) = session
        .open::<partnership::Entity>(operation, id, version)
        .await?;
    let mut rules = Rules::new();
    let changes = terms(&before, &mut rules);
    rules.check()?;
    let after = update_versioned::<partnership::Entity, _>(&*change, id, version, changes).await?;
    change
        .finish::<partnership::Entity>(id, Some(&before), Some(&after))
        .await?;
    Ok(after)
}

fn update_terms(
    input: UpdatePartnershipInput,
) -> impl FnOnce(&partnership::Model, &mut Rules) -> partnership::ActiveModel {
    move |before, rules| {
        let starts_on = patched(input.starts_on, before.starts_on);
        rules.period(starts_on, before.ends_on, "input.startsOn");
        let document = rules.optional_text(
            patched(input.document, before.document.clone()),
            "input.document",
            TextKind::Name,
        );
        let description = rules.optional_text(
            patched(input.description, before.description.clone()),
            "input.description",
            TextKind::Paragraph,
        );
        partnership::ActiveModel {
            kind: Set(input.kind.unwrap_or(before.kind)),
            starts_on: Set(starts_on),
            document: Set(document),
            description: Set(description),
            ..Default::default()
        }
    }
}

fn end_terms(
    ends_on: PartialDate,
) -> impl FnOnce(&partnership::Model, &mut Rules) -> partnership::ActiveModel {
    move |before, rules| {
        rules.require(
            before.ends_on.is_none(),
            "endsOn",
            "the agreement has already ended",
            "соглашение уже прекращено",
        );
        rules.period(before.starts_on, Some(ends_on), "endsOn");
        partnership::ActiveModel {
            ends_on: Set(Some(ends_on)),
            ..Default::default()
        }
    }
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
        run(ctx, |s| create(s, input), Partnership).await
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
                let id = id_argument(Kind::Partnership, &id)?;
                change_terms(
                    s,
                    Command::UpdatePartnership,
                    id,
                    version,
                    update_terms(input),
                )
                .await
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
                let id = id_argument(Kind::Partnership, &id)?;
                change_terms(s, Command::EndPartnership, id, version, end_terms(ends_on)).await
            },
            Partnership,
        )
        .await
    }
}
