//! Including a school in ШНОР, ШНСУ or 500+, and excluding it with a justification. A
//! participation is closed, never deleted.

use async_graphql::{Context, ID, Object, Result};
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

use super::partnerships::period;
use super::{id_argument, run};
use crate::auth::policy::Scope;
use crate::changes::{ChangeError, Command, Rules, Session, update_versioned};
use crate::domain::{PartialDate, Programme, TextKind};
use crate::entities::{programme_participation, school};
use crate::graphql::ids::Kind;
use crate::graphql::types::ProgrammeParticipation;

async fn include(
    session: Session<'_>,
    school: &ID,
    programme: Programme,
    included_on: Option<PartialDate>,
    risk_group: Option<String>,
) -> Result<programme_participation::Model, ChangeError> {
    let school_id = id_argument(Kind::School, school)?;
    let mut change = session.begin(Command::IncludeInProgramme).await?;
    let school = school::Entity::find_by_id(school_id)
        .one(&*change)
        .await?
        .ok_or(ChangeError::NotFound {
            entity: "School",
            id: school_id.to_string(),
        })?;
    change
        .authorise(Scope::municipality(school.municipality_id))
        .await?;
    let mut rules = Rules::new();
    let open = programme_participation::Entity::find()
        .filter(programme_participation::Column::SchoolId.eq(school_id))
        .filter(programme_participation::Column::Programme.eq(programme))
        .filter(programme_participation::Column::ExcludedOn.is_null())
        .one(&*change)
        .await?;
    rules.require(
        open.is_none(),
        "programme",
        format!(
            "«{}» already takes part in {}",
            school.full_name,
            programme.abbreviation()
        ),
        format!(
            "«{}» уже участвует в программе {}",
            school.full_name,
            programme.abbreviation()
        ),
    );
    let risk_group = rules.optional_text(risk_group, "riskGroup", TextKind::Name);
    rules.check()?;
    let row = programme_participation::ActiveModel {
        school_id: Set(school_id),
        programme: Set(programme),
        included_on: Set(included_on),
        risk_group: Set(risk_group),
        ..Default::default()
    }
    .insert(&*change)
    .await?;
    change
        .finish::<programme_participation::Entity>(row.id, None, Some(&row))
        .await?;
    Ok(row)
}

async fn exclude(
    session: Session<'_>,
    id: i32,
    version: i32,
    excluded_on: PartialDate,
    justification: String,
) -> Result<programme_participation::Model, ChangeError> {
    let (change, before) = session
        .open::<programme_participation::Entity>(Command::ExcludeFromProgramme, id, version)
        .await?;
    let mut rules = Rules::new();
    rules.require(
        before.excluded_on.is_none(),
        "excludedOn",
        "the school has already been excluded",
        "школа уже исключена из программы",
    );
    let justification = rules.text(justification, "justification", TextKind::Paragraph);
    period(
        &mut rules,
        before.included_on,
        Some(excluded_on),
        "excludedOn",
    );
    rules.check()?;
    let changes = programme_participation::ActiveModel {
        excluded_on: Set(Some(excluded_on)),
        exclusion_justification: Set(Some(justification)),
        ..Default::default()
    };
    let after =
        update_versioned::<programme_participation::Entity, _>(&*change, id, version, changes)
            .await?;
    change
        .finish::<programme_participation::Entity>(id, Some(&before), Some(&after))
        .await?;
    Ok(after)
}

/// Mutations of programme participation.
#[derive(Default)]
pub struct ProgrammeMutations;

#[Object]
impl ProgrammeMutations {
    /// Includes a school in a programme; a school takes part in a programme once at a time.
    async fn include_in_programme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The school's id.")] school: ID,
        #[graphql(desc = "ШНОР, ШНСУ or 500+.")] programme: Programme,
        #[graphql(desc = "When, to the precision known.")] included_on: Option<PartialDate>,
        #[graphql(desc = "Группа риска, as 500+ names it.")] risk_group: Option<String>,
    ) -> Result<ProgrammeParticipation> {
        run(
            ctx,
            |s| include(s, &school, programme, included_on, risk_group),
            ProgrammeParticipation,
        )
        .await
    }

    /// Excludes a school from a programme with the justification (обоснование исключения); the
    /// participation stays in the history.
    async fn exclude_from_programme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The participation's id (`ProgrammeParticipation.id`).")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
        #[graphql(desc = "When the school left the programme.")] excluded_on: PartialDate,
        #[graphql(desc = "Why: required, not blank.")] justification: String,
    ) -> Result<ProgrammeParticipation> {
        run(
            ctx,
            |s| async move {
                let id = id_argument(Kind::ProgrammeParticipation, &id)?;
                exclude(s, id, version, excluded_on, justification).await
            },
            ProgrammeParticipation,
        )
        .await
    }
}
