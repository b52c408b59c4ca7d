//! Including a school in ШНОР, ШНСУ or 500+, and excluding it with a justification. A
//! participation is closed, never deleted.

use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

use super::{ChangeError, Command, Rules, Session, update_versioned};
use crate::auth::policy::Scope;
use crate::domain::{PartialDate, Programme, TextKind};
use crate::entities::{programme_participation, school};

/// A school's inclusion in a programme.
pub struct Inclusion {
    /// The school.
    pub school: i32,
    /// ШНОР, ШНСУ or 500+.
    pub programme: Programme,
    /// When, to the precision known.
    pub included_on: Option<PartialDate>,
    /// Группа риска, as 500+ names it.
    pub risk_group: Option<String>,
}

/// Includes a school in a programme; a school takes part in a programme once at a time.
pub async fn include_in_programme(
    session: Session<'_>,
    inclusion: Inclusion,
) -> Result<programme_participation::Model, ChangeError> {
    let Inclusion {
        school: school_id,
        programme,
        included_on,
        risk_group,
    } = inclusion;
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
        .filter(programme_participation::current())
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

/// Excludes a school from a programme with the justification; the participation `id`, as it was
/// at `version`, stays in the history.
pub async fn exclude_from_programme(
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
    rules.period(before.included_on, Some(excluded_on), "excludedOn");
    rules.check()?;
    let changes = programme_participation::ActiveModel {
        excluded_on: Set(Some(excluded_on)),
        exclusion_justification: Set(Some(justification)),
        ..Default::default()
    };
    let after =
        update_versioned::<programme_participation::Entity, _>(&*change, &before, changes).await?;
    change
        .finish::<programme_participation::Entity>(id, Some(&before), Some(&after))
        .await?;
    Ok(after)
}
