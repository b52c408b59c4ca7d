//! The change survey «Есть ли изменения?»: its statements and schools' rounds with their answers
//! and per-section totals.

use async_graphql::{Context, ID, Object, Result, SimpleObject};

use super::School;
use crate::domain::PartialDate;
use crate::entities::{survey_answer, survey_round, survey_statement};
use crate::graphql::ids::{Kind, encode};
use crate::graphql::loaders::*;
use crate::graphql::{load_many, load_required};
use crate::monitoring::survey::sections;

/// The row behind the GraphQL `SurveyStatement` object, described on its resolvers.
pub struct SurveyStatement(pub survey_statement::Model);

/// A statement of the survey, under its section.
#[Object]
impl SurveyStatement {
    /// The statement's number, as inputs name it.
    async fn number(&self) -> i32 {
        self.0.number
    }

    /// The section's number.
    async fn section_number(&self) -> i32 {
        self.0.section_number
    }

    /// The section: «Доверие и сотрудничество».
    async fn section(&self) -> &str {
        &self.0.section
    }

    /// The statement, as printed.
    async fn text(&self) -> &str {
        &self.0.text
    }
}

/// How many respondents gave each answer to one statement.
pub struct SurveyAnswer(pub survey_answer::Model);

/// The answers to one statement in a round.
#[Object]
impl SurveyAnswer {
    /// The statement.
    async fn statement(&self, ctx: &Context<'_>) -> Result<SurveyStatement> {
        load_required(ctx, StatementById(self.0.statement_id))
            .await
            .map(SurveyStatement)
    }

    /// «Изменений нет».
    async fn no_change(&self) -> i32 {
        self.0.no_change
    }

    /// «Незначительные изменения».
    async fn slight(&self) -> i32 {
        self.0.slight
    }

    /// «Заметные изменения».
    async fn noticeable(&self) -> i32 {
        self.0.noticeable
    }
}

/// A section's answers summed over its statements, with shares that add up to 100.
#[derive(SimpleObject)]
pub struct SurveySection {
    /// The section's number.
    number: i32,
    /// The section.
    name: String,
    /// «Изменений нет», summed.
    no_change: i32,
    /// «Незначительные изменения», summed.
    slight: i32,
    /// «Заметные изменения», summed.
    noticeable: i32,
    /// The three shares, in whole percent (largest remainder).
    shares: Vec<i32>,
}

/// The row behind the GraphQL `SurveyRound` object, described on its resolvers.
pub struct SurveyRound(pub survey_round::Model);

/// A round of the change survey at a school.
#[Object]
impl SurveyRound {
    /// The global id.
    pub async fn id(&self) -> ID {
        encode(Kind::SurveyRound, self.0.id)
    }

    /// The row version: name it when changing this object.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The school.
    async fn school(&self, ctx: &Context<'_>) -> Result<School> {
        load_required(ctx, SchoolById(self.0.school_id))
            .await
            .map(School)
    }

    /// When it was held.
    async fn held_on(&self) -> PartialDate {
        self.0.held_on
    }

    /// How many answered.
    async fn respondents(&self) -> i32 {
        self.0.respondents
    }

    /// The answers, per statement.
    async fn answers(&self, ctx: &Context<'_>) -> Result<Vec<SurveyAnswer>> {
        Ok(load_many(ctx, AnswersOfRound(self.0.id))
            .await?
            .into_iter()
            .map(SurveyAnswer)
            .collect())
    }

    /// The answers summed per section.
    async fn sections(&self, ctx: &Context<'_>) -> Result<Vec<SurveySection>> {
        let answers = load_many(ctx, AnswersOfRound(self.0.id)).await?;
        let statements = crate::graphql::loader(ctx)
            .load_many(answers.iter().map(|a| StatementById(a.statement_id)))
            .await
            .map_err(crate::graphql::error::internal)?
            .into_iter()
            .map(|(key, s)| (key.0, s))
            .collect();
        Ok(sections(&answers, &statements)
            .into_iter()
            .map(|t| SurveySection {
                number: t.number,
                no_change: t.counts[0] as i32,
                slight: t.counts[1] as i32,
                noticeable: t.counts[2] as i32,
                shares: t.shares().iter().map(|&s| s as i32).collect(),
                name: t.name,
            })
            .collect())
    }
}
