//! Recording a school's assessment results and monitoring indicator values.

use async_graphql::{Context, ID, InputObject, Object, Result};

use super::{id_argument, run};
use crate::changes::results::{
    Figures, IndicatorInput, ResultKey, delete_indicator_value, delete_result,
    record_indicator_value, record_result, update_indicator_value, update_result,
};
use crate::domain::{ExamLevel, Procedure, ResultStatus};
use crate::graphql::ids::Kind;
use crate::graphql::types::{AssessmentResult, IndicatorValue};

/// What a result is of.
#[derive(InputObject)]
pub struct ResultKeyInput {
    /// The procedure.
    procedure: Procedure,
    /// The subject's code: `mathematics` (see `subjects`).
    subject: String,
    /// The grade; may be omitted for ОГЭ and ЕГЭ (one grade) and for a ВПР mean the source gives
    /// over all grades.
    grade: Option<i32>,
    /// `BASE` or `PROFILE`, for the ЕГЭ in mathematics only.
    level: Option<ExamLevel>,
}

/// A result's status and figures, as published. Figures go only with the status `RESULT`.
#[derive(InputObject)]
pub struct FiguresInput {
    /// What the record says.
    status: ResultStatus,
    /// The mean mark (1–5) or score (0–100) the procedure reports, to the hundredth.
    mean: Option<f64>,
    /// Participants.
    participants: Option<i32>,
    /// Participants who got «2» or did not pass the minimum threshold; at most `participants`.
    failed: Option<i32>,
    /// The cell as the source prints it: «3,2 /50», «-», «0».
    source_text: Option<String>,
}

impl From<FiguresInput> for Figures {
    fn from(input: FiguresInput) -> Self {
        Figures {
            status: input.status,
            mean: input.mean,
            participants: input.participants,
            failed: input.failed,
            source_text: input.source_text,
        }
    }
}

/// A value of a monitoring indicator: the one field its kind takes.
#[derive(InputObject)]
pub struct IndicatorValueInput {
    /// For a percentage indicator: 0–100, one decimal.
    percentage: Option<f64>,
    /// For a count.
    count: Option<i32>,
    /// For a yes/no indicator.
    present: Option<bool>,
}

impl From<IndicatorValueInput> for IndicatorInput {
    fn from(input: IndicatorValueInput) -> Self {
        IndicatorInput {
            percentage: input.percentage,
            count: input.count,
            present: input.present,
        }
    }
}

/// Mutations of results and indicator values.
#[derive(Default)]
pub struct ResultMutations;

#[Object]
impl ResultMutations {
    /// Records a school's result of one procedure, subject (grade, level) and year (admin, the
    /// municipality's coordinator, or a curator of the school). Every broken rule is listed;
    /// nothing is written unless all hold.
    async fn record_result(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The school's id.")] school: ID,
        #[graphql(desc = "The year the procedure was written.")] year: i32,
        #[graphql(desc = "What the result is of.")] key: ResultKeyInput,
        #[graphql(desc = "The status and figures.")] figures: FiguresInput,
    ) -> Result<AssessmentResult> {
        run(
            ctx,
            |s| async move {
                let key = ResultKey {
                    procedure: key.procedure,
                    subject: key.subject,
                    grade: key.grade,
                    level: key.level,
                };
                record_result(
                    s,
                    id_argument(Kind::School, &school)?,
                    year,
                    key,
                    figures.into(),
                )
                .await
            },
            AssessmentResult,
        )
        .await
    }

    /// Corrects a result's status and figures.
    async fn update_result(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The result's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
        #[graphql(desc = "The status and figures.")] figures: FiguresInput,
    ) -> Result<AssessmentResult> {
        run(
            ctx,
            |s| async move {
                let id = id_argument(Kind::AssessmentResult, &id)?;
                update_result(s, id, version, figures.into()).await
            },
            AssessmentResult,
        )
        .await
    }

    /// Removes a result recorded by mistake; returns it as it was.
    async fn delete_result(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The result's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
    ) -> Result<AssessmentResult> {
        run(
            ctx,
            |s| async move {
                delete_result(s, id_argument(Kind::AssessmentResult, &id)?, version).await
            },
            AssessmentResult,
        )
        .await
    }

    /// Records a school's value of a monitoring indicator for a year.
    async fn record_indicator_value(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The school's id.")] school: ID,
        #[graphql(desc = "The indicator's number (see `monitoringIndicators`).")] indicator: i32,
        #[graphql(desc = "The year.")] year: i32,
        #[graphql(desc = "The value.")] value: IndicatorValueInput,
    ) -> Result<IndicatorValue> {
        run(
            ctx,
            |s| async move {
                let school = id_argument(Kind::School, &school)?;
                record_indicator_value(s, school, indicator, year, value.into()).await
            },
            IndicatorValue,
        )
        .await
    }

    /// Corrects a monitoring indicator value.
    async fn update_indicator_value(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The value's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
        #[graphql(desc = "The value.")] value: IndicatorValueInput,
    ) -> Result<IndicatorValue> {
        run(
            ctx,
            |s| async move {
                let id = id_argument(Kind::IndicatorValue, &id)?;
                update_indicator_value(s, id, version, value.into()).await
            },
            IndicatorValue,
        )
        .await
    }

    /// Removes a monitoring indicator value recorded by mistake; returns it as it was.
    async fn delete_indicator_value(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The value's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
    ) -> Result<IndicatorValue> {
        run(
            ctx,
            |s| async move {
                delete_indicator_value(s, id_argument(Kind::IndicatorValue, &id)?, version).await
            },
            IndicatorValue,
        )
        .await
    }
}
