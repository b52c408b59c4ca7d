//! Recording a school's yearly quality and well-being groups: the curator data of a school.

use async_graphql::{Context, ID, InputObject, Object, Result};

use super::{id_argument, run};
use crate::changes::evaluations::{
    Groups, delete_evaluation, record_evaluation, update_evaluation,
};
use crate::domain::{Absence, Level};
use crate::graphql::ids::Kind;
use crate::graphql::types::Evaluation;

/// A school's groups for one year, as published. Each group is a number or the reason it is
/// absent, never both; a level goes with a number and must be the level the number implies.
#[derive(InputObject)]
pub struct GroupsInput {
    /// Группа качества, 1–10.
    quality_group: Option<i32>,
    /// Why there is no quality group.
    quality_group_absence: Option<Absence>,
    /// Уровень по ГК.
    quality_level: Option<Level>,
    /// Группа по ГИСБШ, 1–10.
    wellbeing_group: Option<i32>,
    /// Why there is no well-being group.
    wellbeing_group_absence: Option<Absence>,
    /// Уровень по ГИСБШ.
    wellbeing_level: Option<Level>,
}

impl From<GroupsInput> for Groups {
    fn from(input: GroupsInput) -> Self {
        Groups {
            quality_group: input.quality_group,
            quality_group_absence: input.quality_group_absence,
            quality_level: input.quality_level,
            wellbeing_group: input.wellbeing_group,
            wellbeing_group_absence: input.wellbeing_group_absence,
            wellbeing_level: input.wellbeing_level,
        }
    }
}

/// Mutations of evaluations.
#[derive(Default)]
pub struct EvaluationMutations;

#[Object]
impl EvaluationMutations {
    /// Records a school's groups for a year (admin, the municipality's coordinator, or a curator
    /// of the school).
    async fn record_evaluation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The school's id.")] school: ID,
        #[graphql(desc = "The year of the identification.")] year: i32,
        #[graphql(desc = "The groups as published.")] groups: GroupsInput,
    ) -> Result<Evaluation> {
        run(
            ctx,
            |s| async move {
                let school = id_argument(Kind::School, &school)?;
                record_evaluation(s, school, year, groups.into()).await
            },
            Evaluation,
        )
        .await
    }

    /// Corrects a recorded year's groups.
    async fn update_evaluation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The evaluation's id (`Evaluation.id`).")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
        #[graphql(desc = "The groups as published.")] groups: GroupsInput,
    ) -> Result<Evaluation> {
        run(
            ctx,
            |s| async move {
                update_evaluation(
                    s,
                    id_argument(Kind::Evaluation, &id)?,
                    version,
                    groups.into(),
                )
                .await
            },
            Evaluation,
        )
        .await
    }

    /// Removes a year recorded by mistake; returns it as it was.
    async fn delete_evaluation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The evaluation's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
    ) -> Result<Evaluation> {
        run(
            ctx,
            |s| async move { delete_evaluation(s, id_argument(Kind::Evaluation, &id)?, version).await },
            Evaluation,
        )
        .await
    }
}
