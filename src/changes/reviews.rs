//! The curator review (ИС МЭДК, seed 001): the school submits its roadmap or the report on a
//! measure, the curator appointed to it confirms it or returns it with a comment, and either
//! side writes in the thread. Each step moves the state as `domain::ReviewStep::apply` allows,
//! bumps the version, adds to the thread and is audited, in one transaction.

use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::{ChangeError, Command, Record, Rules, Session, Violation};
use crate::auth::Role;
use crate::domain::{ReviewRefusal, ReviewSide, ReviewState, ReviewStep, TextKind};
use crate::entities::{measure, plan, review_comment};

/// What is reviewed.
#[derive(Clone, Copy, Debug)]
pub enum Reviewed {
    /// A school's roadmap, by plan id.
    Roadmap(i32),
    /// The report on a measure of a roadmap, by measure id.
    Report(i32),
}

/// What a step leaves: the thread entry it added, and the reviewed row as it now is.
#[derive(Clone, Debug)]
pub struct StepTaken {
    /// The entry added to the thread.
    pub entry: review_comment::Model,
    /// The roadmap, when a roadmap was reviewed.
    pub plan: Option<plan::Model>,
    /// The measure, when a report was reviewed.
    pub measure: Option<measure::Model>,
}

/// The reviewed row and the thread entry a step adds, as the audit log records them.
#[derive(Serialize)]
struct StepState<M> {
    row: M,
    entry: Option<review_comment::Model>,
}

/// The command a step is.
fn command(step: ReviewStep) -> Command {
    match step {
        ReviewStep::Submit => Command::SubmitForReview,
        ReviewStep::Confirm => Command::ConfirmReview,
        ReviewStep::Return => Command::ReturnForChanges,
        ReviewStep::Comment => Command::CommentOnReview,
    }
}

fn refused(field: &str, en: String, ru: &str) -> ChangeError {
    ChangeError::Invalid(vec![Violation {
        field: field.into(),
        en,
        ru: ru.into(),
    }])
}

/// Takes `step` on `reviewed` as it was at `version`, with `text` for the thread.
pub async fn take_step(
    session: Session<'_>,
    reviewed: Reviewed,
    version: i32,
    step: ReviewStep,
    text: Option<String>,
) -> Result<StepTaken, ChangeError> {
    let mut rules = Rules::new();
    let text = rules.optional_text(text, "comment", TextKind::Paragraph);
    rules.check()?;
    let side = match (step, session.actor.role()) {
        (ReviewStep::Submit, _) => ReviewSide::School,
        (_, Role::Curator) => ReviewSide::Curator,
        _ => ReviewSide::School,
    };
    let author = session.actor.describe();
    let command = command(step);
    let entry = |plan_id, measure_id| review_comment::ActiveModel {
        plan_id: Set(plan_id),
        measure_id: Set(measure_id),
        written_at: Set(chrono::Utc::now()),
        author: Set(author.clone()),
        side: Set(side),
        step: Set(step),
        text: Set(text.clone()),
        ..Default::default()
    };
    let next = |state: Option<ReviewState>, what: &str| -> Result<ReviewState, ChangeError> {
        let state = state.ok_or_else(|| {
            refused(
                "id",
                format!("{what} is not reviewed: only a school's roadmap and the reports on its measures are"),
                "согласуются только дорожные карты школ и отчёты по их мероприятиям",
            )
        })?;
        step.apply(state, side, text.is_some())
            .map_err(|why| match why {
                ReviewRefusal::WrongSide(_) => ChangeError::Forbidden(format!(
                    "{} may not {}: {why}",
                    session.actor.describe(),
                    command.name()
                )),
                ReviewRefusal::Silent => {
                    refused("comment", why.to_string(), "нужен текст комментария")
                }
                ReviewRefusal::WrongState(..) => refused(
                    "id",
                    why.to_string(),
                    "этот шаг согласования из текущего состояния невозможен",
                ),
            })
    };
    match reviewed {
        Reviewed::Roadmap(id) => {
            let (change, before) = session.open::<plan::Entity>(command, id, version).await?;
            let state = next(before.review_state, "this plan")?;
            let row = change_state::<plan::Entity, _>(
                &change,
                &before,
                plan::ActiveModel {
                    review_state: Set(Some(state)),
                    ..Default::default()
                },
                step,
            )
            .await?;
            let entry = entry(Some(id), None).insert(&*change).await?;
            finish::<plan::Entity>(change, id, before, row.clone(), entry.clone()).await?;
            Ok(StepTaken {
                entry,
                plan: Some(row),
                measure: None,
            })
        }
        Reviewed::Report(id) => {
            let (change, before) = session
                .open::<measure::Entity>(command, id, version)
                .await?;
            let state = next(
                before.report_state,
                "this measure has no report to review; it",
            )?;
            let row = change_state::<measure::Entity, _>(
                &change,
                &before,
                measure::ActiveModel {
                    report_state: Set(Some(state)),
                    ..Default::default()
                },
                step,
            )
            .await?;
            let entry = entry(None, Some(id)).insert(&*change).await?;
            finish::<measure::Entity>(change, id, before, row.clone(), entry.clone()).await?;
            Ok(StepTaken {
                entry,
                plan: None,
                measure: Some(row),
            })
        }
    }
}

/// Writes the new state (a comment leaves the row, and its version, as it is).
async fn change_state<E, A>(
    change: &super::Change<'_>,
    before: &E::Model,
    changes: A,
    step: ReviewStep,
) -> Result<E::Model, ChangeError>
where
    E: Record,
    E::Model: Clone + Serialize + Sync,
    E::Column: sea_orm::ColumnTrait,
    A: sea_orm::ActiveModelTrait<Entity = E> + Send,
    E::Model: sea_orm::IntoActiveModel<A>,
{
    if step == ReviewStep::Comment {
        return Ok(before.clone());
    }
    super::update_versioned::<E, A>(&**change, before, changes).await
}

/// Records the step in the audit log and commits.
async fn finish<E>(
    change: super::Change<'_>,
    id: i32,
    before: E::Model,
    row: E::Model,
    entry: review_comment::Model,
) -> Result<(), ChangeError>
where
    E: Record,
    E::Model: Serialize,
{
    let before = StepState {
        row: before,
        entry: None,
    };
    let after = StepState {
        row,
        entry: Some(entry),
    };
    change
        .finish_with::<E, _>(id, Some(&before), Some(&after))
        .await
}
