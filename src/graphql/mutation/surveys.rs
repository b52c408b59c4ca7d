//! Recording rounds of the change survey.

use async_graphql::{Context, ID, InputObject, Object, Result};

use super::{id_argument, run};
use crate::changes::surveys::{Round, delete_survey_round, record_survey_round};
use crate::domain::PartialDate;
use crate::graphql::ids::Kind;
use crate::graphql::types::SurveyRound;

/// The answers to one statement.
#[derive(InputObject)]
pub struct SurveyAnswerInput {
    /// The statement's number (see `surveyStatements`).
    statement: i32,
    /// «Изменений нет».
    no_change: i32,
    /// «Незначительные изменения».
    slight: i32,
    /// «Заметные изменения».
    noticeable: i32,
}

/// A round as the school reports it.
#[derive(InputObject)]
pub struct SurveyRoundInput {
    /// When the survey was held.
    held_on: PartialDate,
    /// How many answered.
    respondents: i32,
    /// The answers, per statement; each statement at most once.
    answers: Vec<SurveyAnswerInput>,
}

/// Mutations of survey rounds.
#[derive(Default)]
pub struct SurveyMutations;

#[Object]
impl SurveyMutations {
    /// Records a round of the change survey at a school (admin, the municipality's coordinator,
    /// or a curator of the school); to correct one, delete it and record it again.
    async fn record_survey_round(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The school's id.")] school: ID,
        #[graphql(desc = "The round.")] round: SurveyRoundInput,
    ) -> Result<SurveyRound> {
        run(
            ctx,
            |s| async move {
                let school = id_argument(Kind::School, &school)?;
                let round = Round {
                    held_on: round.held_on,
                    respondents: round.respondents,
                    answers: round
                        .answers
                        .into_iter()
                        .map(|a| (a.statement, [a.no_change, a.slight, a.noticeable]))
                        .collect(),
                };
                record_survey_round(s, school, round).await
            },
            SurveyRound,
        )
        .await
    }

    /// Removes a round recorded by mistake, with its answers; returns it as it was.
    async fn delete_survey_round(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The round's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
    ) -> Result<SurveyRound> {
        run(
            ctx,
            |s| async move {
                delete_survey_round(s, id_argument(Kind::SurveyRound, &id)?, version).await
            },
            SurveyRound,
        )
        .await
    }
}
