//! Recording rounds of the change survey «Есть ли изменения?» at a school: the date, the
//! respondents, and for each statement how many answered «no change», «slight changes» and
//! «noticeable changes». A round is corrected by deleting it and recording it again.

use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::{ChangeError, Command, Rules, Session};
use crate::domain::PartialDate;
use crate::entities::{survey_answer, survey_round, survey_statement};

/// A round as the school reports it.
#[derive(Clone, Debug)]
pub struct Round {
    /// When the survey was held.
    pub held_on: PartialDate,
    /// How many answered.
    pub respondents: i32,
    /// Per statement (by number): no change, slight, noticeable.
    pub answers: Vec<(i32, [i32; 3])>,
}

/// A round with its answers, as the audit log records it.
#[derive(Serialize)]
struct RoundState {
    round: survey_round::Model,
    answers: Vec<survey_answer::Model>,
}

/// Records a round at school `school_id`.
pub async fn record_survey_round(
    session: Session<'_>,
    school_id: i32,
    round: Round,
) -> Result<survey_round::Model, ChangeError> {
    let mut change = session.begin(Command::RecordSurveyRound).await?;
    let school = change.school(school_id).await?;
    let mut rules = Rules::new();
    rules.require(
        round.respondents > 0,
        "round.respondents",
        "at least one respondent",
        "должен быть хотя бы один ответивший",
    );
    let existing = survey_round::Entity::find()
        .filter(survey_round::Column::SchoolId.eq(school.id))
        .filter(survey_round::Column::HeldOn.eq(round.held_on))
        .one(&*change)
        .await?;
    rules.require(
        existing.is_none(),
        "round.heldOn",
        "a round of this date is recorded already",
        "анкетирование с этой датой уже внесено",
    );
    let statements = survey_statement::Entity::find().all(&*change).await?;
    let mut answers: Vec<(i32, [i32; 3])> = Vec::new();
    for (i, (number, counts)) in round.answers.iter().enumerate() {
        let field = format!("round.answers[{i}]");
        match statements.iter().find(|s| s.number == *number) {
            None => rules.require(
                false,
                format!("{field}.statement"),
                format!("there is no statement {number}; see `surveyStatements`"),
                format!("утверждения {number} нет; список в `surveyStatements`"),
            ),
            Some(s) if answers.iter().any(|(id, _)| *id == s.id) => rules.require(
                false,
                format!("{field}.statement"),
                format!("statement {number} is answered twice"),
                format!("утверждение {number} указано дважды"),
            ),
            Some(s) => answers.push((s.id, *counts)),
        }
        let sum: i64 = counts.iter().map(|&n| i64::from(n)).sum();
        rules.require(
            counts.iter().all(|&n| n >= 0) && sum <= i64::from(round.respondents),
            field,
            format!("the answers ({sum}) are not between 0 and the respondents"),
            format!("ответов ({sum}) больше, чем ответивших, или меньше нуля"),
        );
    }
    rules.check()?;
    let row = survey_round::ActiveModel {
        school_id: Set(school.id),
        held_on: Set(round.held_on),
        respondents: Set(round.respondents),
        ..Default::default()
    }
    .insert(&*change)
    .await?;
    let mut written = Vec::with_capacity(answers.len());
    for (statement_id, [no_change, slight, noticeable]) in answers {
        let answer = survey_answer::ActiveModel {
            round_id: Set(row.id),
            statement_id: Set(statement_id),
            no_change: Set(no_change),
            slight: Set(slight),
            noticeable: Set(noticeable),
            ..Default::default()
        }
        .insert(&*change)
        .await?;
        written.push(answer);
    }
    let after = RoundState {
        round: row,
        answers: written,
    };
    change
        .finish_with::<survey_round::Entity, _>(after.round.id, None, Some(&after))
        .await?;
    Ok(after.round)
}

/// Removes round `id` recorded by mistake, with its answers.
pub async fn delete_survey_round(
    session: Session<'_>,
    id: i32,
    version: i32,
) -> Result<survey_round::Model, ChangeError> {
    let (change, before) = session
        .open::<survey_round::Entity>(Command::DeleteSurveyRound, id, version)
        .await?;
    let before = RoundState {
        answers: survey_answer::Entity::find()
            .filter(survey_answer::Column::RoundId.eq(id))
            .order_by_id_asc()
            .all(&*change)
            .await?,
        round: before,
    };
    survey_round::Entity::delete_by_id(id)
        .exec(&*change)
        .await?;
    change
        .finish_with::<survey_round::Entity, _>(id, Some(&before), None)
        .await?;
    Ok(before.round)
}
