//! Recording agreements between schools and partners; an agreement is ended, never deleted.

use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait};

use super::{ChangeError, Command, Patch, Rules, Session, update_versioned};
use crate::auth::policy::Scope;
use crate::domain::{PartialDate, PartnershipKind, TextKind};
use crate::entities::{organisation, partnership, school};

/// A new agreement: the supported school and exactly one partner, a school or an organisation.
pub struct NewPartnership {
    /// What the agreement is.
    pub kind: PartnershipKind,
    /// The supported school (mentee, pilot site).
    pub school: i32,
    /// The partner school (mentor, base site), possibly in another municipality.
    pub partner_school: Option<i32>,
    /// The partner organisation (ИМЦ, ИРО).
    pub partner_organisation: Option<i32>,
    /// True when exactly one partner was named (even if its id could not be read).
    pub partner_named: bool,
    /// Start, to the precision known.
    pub starts_on: Option<PartialDate>,
    /// End, if already known.
    pub ends_on: Option<PartialDate>,
    /// The founding document.
    pub document: Option<String>,
    /// What the partners do together.
    pub description: Option<String>,
}

/// Changes to an agreement's terms; the parties do not change.
pub struct PartnershipTerms {
    /// What the agreement is.
    pub kind: Option<PartnershipKind>,
    /// Start.
    pub starts_on: Patch<PartialDate>,
    /// The founding document.
    pub document: Patch<String>,
    /// What the partners do together.
    pub description: Patch<String>,
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

/// Records an agreement; `edge` holds what could not be read from the input at the edge.
pub async fn create_partnership(
    session: Session<'_>,
    input: NewPartnership,
    edge: Rules,
) -> Result<partnership::Model, ChangeError> {
    let school_id = input.school;
    let mut change = session.begin(Command::CreatePartnership).await?;
    let school = school_of(&*change, school_id).await?;
    change
        .authorise(Scope::municipality(school.municipality_id))
        .await?;
    let mut rules = edge;
    let (partner_school, partner_organisation) = (input.partner_school, input.partner_organisation);
    rules.require(
        input.partner_named,
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
    let after = update_versioned::<partnership::Entity, _>(&*change, &before, changes).await?;
    change
        .finish::<partnership::Entity>(id, Some(&before), Some(&after))
        .await?;
    Ok(after)
}

/// Changes the terms of the agreement `id` as it was at `version`.
pub async fn update_partnership(
    session: Session<'_>,
    id: i32,
    version: i32,
    terms: PartnershipTerms,
) -> Result<partnership::Model, ChangeError> {
    change_terms(
        session,
        Command::UpdatePartnership,
        id,
        version,
        update_terms(terms),
    )
    .await
}

/// Ends the agreement `id` as it was at `version`; it stays in the history.
pub async fn end_partnership(
    session: Session<'_>,
    id: i32,
    version: i32,
    ends_on: PartialDate,
) -> Result<partnership::Model, ChangeError> {
    change_terms(
        session,
        Command::EndPartnership,
        id,
        version,
        end_terms(ends_on),
    )
    .await
}

fn update_terms(
    input: PartnershipTerms,
) -> impl FnOnce(&partnership::Model, &mut Rules) -> partnership::ActiveModel {
    move |before, rules| {
        let starts_on = input.starts_on.apply(before.starts_on);
        rules.period(starts_on, before.ends_on, "input.startsOn");
        let document = rules.optional_text(
            input.document.apply(before.document.clone()),
            "input.document",
            TextKind::Name,
        );
        let description = rules.optional_text(
            input.description.apply(before.description.clone()),
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
