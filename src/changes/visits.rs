//! Recording curator visits: a curator records their own; the municipality may record any. A
//! visit is within the curator's appointment to that school, and not in the future.

use chrono::NaiveDate;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

use super::{ChangeError, Command, Rules, Session};
use crate::auth::Role;
use crate::domain::{AppointmentRole, TextKind};
use crate::entities::{appointment, curator_visit};

/// What a visit record says.
#[derive(Clone, Debug)]
pub struct VisitTerms {
    /// The curator, by person id.
    pub curator: i32,
    /// The day of the visit.
    pub visited_on: NaiveDate,
    /// Why: «консультирование при формировании дорожной карты».
    pub purpose: String,
    /// What was seen and agreed; never published.
    pub notes: Option<String>,
}

/// Records a visit to school `school_id`.
pub async fn record_visit(
    session: Session<'_>,
    school_id: i32,
    terms: VisitTerms,
) -> Result<curator_visit::Model, ChangeError> {
    let mut change = session.begin(Command::RecordVisit).await?;
    let school = change.school(school_id).await?;
    let mut rules = Rules::new();
    let purpose = rules.text(terms.purpose, "visit.purpose", TextKind::Paragraph);
    let notes = rules.optional_text(terms.notes, "visit.notes", TextKind::Paragraph);
    if session.actor.role() == Role::Curator {
        rules.require(
            session.actor.person_id() == Some(terms.curator),
            "visit.curator",
            "a curator records their own visits",
            "куратор вносит только свои посещения",
        );
    }
    rules.require(
        terms.visited_on <= appointment::today(),
        "visit.visitedOn",
        format!("{} is in the future", terms.visited_on),
        format!("{} ещё не наступило", terms.visited_on.format("%d.%m.%Y")),
    );
    let appointments = appointment::Entity::find()
        .filter(appointment::Column::PersonId.eq(terms.curator))
        .filter(appointment::Column::Role.eq(AppointmentRole::Curator))
        .all(&*change)
        .await?;
    rules.require(
        appointments
            .iter()
            .any(|a| a.curates_on(school.id, terms.visited_on)),
        "visit.visitedOn",
        format!(
            "person {} was not appointed curator of this school on {}",
            terms.curator, terms.visited_on
        ),
        format!(
            "на {} этот человек не был назначен куратором школы",
            terms.visited_on.format("%d.%m.%Y")
        ),
    );
    rules.check()?;
    let row = curator_visit::ActiveModel {
        person_id: Set(terms.curator),
        school_id: Set(school.id),
        municipality_id: Set(school.municipality_id),
        visited_on: Set(terms.visited_on),
        purpose: Set(purpose),
        notes: Set(notes),
        ..Default::default()
    }
    .insert(&*change)
    .await?;
    change
        .finish::<curator_visit::Entity>(row.id, None, Some(&row))
        .await?;
    Ok(row)
}

/// Removes visit `id` recorded by mistake.
pub async fn delete_visit(
    session: Session<'_>,
    id: i32,
    version: i32,
) -> Result<curator_visit::Model, ChangeError> {
    session
        .delete::<curator_visit::Entity>(Command::DeleteVisit, id, version)
        .await
}
