//! Plans, measures, the curator review and curator visits.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use super::{id_argument, id_field, run};
use crate::changes::plans::{
    MeasureTerms, PlanOwner, PlanTerms, add_measure, create_plan, delete_measure, delete_plan,
    report_on_measure, update_measure, update_plan,
};
use crate::changes::reviews::{Reviewed, StepTaken, take_step};
use crate::changes::visits::{VisitTerms, delete_visit, record_visit};
use crate::changes::{ChangeError, Rules, Violation};
use crate::domain::{MeasureStatus, ReviewStep, SchoolYear};
use crate::graphql::ids::{Kind, parse_as};
use crate::graphql::types::{CuratorVisit, Measure, Plan, ReviewEntry};

/// A numbered section of a municipal plan.
#[derive(InputObject)]
pub struct PlanSectionInput {
    /// Its number: 1.
    number: i32,
    /// Its title: «Ресурсное обеспечение».
    title: String,
}

/// What a plan says besides its measures.
#[derive(InputObject)]
pub struct PlanInput {
    /// As the document is headed.
    title: String,
    /// The numbered sections (municipal plans only); measures keep theirs by number.
    #[graphql(default)]
    sections: Vec<PlanSectionInput>,
}

impl From<PlanInput> for PlanTerms {
    fn from(input: PlanInput) -> Self {
        PlanTerms {
            title: input.title,
            sections: input
                .sections
                .into_iter()
                .map(|s| (s.number, s.title))
                .collect(),
        }
    }
}

/// What a measure says.
#[derive(InputObject)]
pub struct MeasureInput {
    /// The number of its section (municipal plans).
    section: Option<i32>,
    /// Название мероприятия / форма проведения.
    title: String,
    /// Сроки, as published; the dates are read from it.
    period: Option<String>,
    /// Результат, as published.
    result: Option<String>,
    /// Ответственные.
    responsible: Option<String>,
    /// The schools it is aimed at.
    #[graphql(default)]
    target_schools: Vec<ID>,
    /// The target schools as published, where the text says more than the list.
    targets_text: Option<String>,
    /// Методы оценки качества проведённого мероприятия.
    evaluation_method: Option<String>,
    /// The risk factors it addresses, by number (see `riskFactors`).
    #[graphql(default)]
    risk_factors: Vec<i32>,
    /// How far it has got.
    #[graphql(default_with = "MeasureStatus::Planned")]
    status: MeasureStatus,
}

impl MeasureInput {
    fn terms(self) -> Result<MeasureTerms, ChangeError> {
        let mut rules = Rules::new();
        let targets = self
            .target_schools
            .iter()
            .enumerate()
            .filter_map(|(i, id)| {
                id_field(
                    &mut rules,
                    Kind::School,
                    &format!("measure.targets[{i}]"),
                    id,
                )
            })
            .collect();
        rules.check()?;
        Ok(MeasureTerms {
            section: self.section,
            title: self.title,
            period: self.period,
            result: self.result,
            responsible: self.responsible,
            targets,
            targets_text: self.targets_text,
            evaluation_method: self.evaluation_method,
            risk_factors: self.risk_factors,
            status: self.status,
        })
    }
}

/// What a curator visit record says.
#[derive(InputObject)]
pub struct VisitInput {
    /// The curator.
    curator: ID,
    /// The day of the visit.
    visited_on: chrono::NaiveDate,
    /// Why.
    purpose: String,
    /// What was seen and agreed; never published.
    notes: Option<String>,
}

/// What a review step left: the entry it added and the reviewed object as it now is.
#[derive(SimpleObject)]
pub struct ReviewStepResult {
    /// The entry added to the thread.
    entry: ReviewEntry,
    /// The roadmap, when a roadmap was reviewed.
    plan: Option<Plan>,
    /// The measure, when the report on one was reviewed.
    measure: Option<Measure>,
}

impl From<StepTaken> for ReviewStepResult {
    fn from(step: StepTaken) -> Self {
        ReviewStepResult {
            entry: step.entry.into(),
            plan: step.plan.map(Plan),
            measure: step.measure.map(Measure),
        }
    }
}

/// A roadmap (Plan id) or the report on a measure (Measure id).
fn reviewed(id: &ID) -> Result<Reviewed, ChangeError> {
    if let Ok(plan) = parse_as(Kind::Plan, id) {
        return Ok(Reviewed::Roadmap(plan));
    }
    id_argument(Kind::Measure, id).map(Reviewed::Report)
}

/// Takes a review step through `run`.
async fn step(
    ctx: &Context<'_>,
    id: ID,
    version: i32,
    step: ReviewStep,
    comment: Option<String>,
) -> Result<ReviewStepResult> {
    run(
        ctx,
        |s| async move { take_step(s, reviewed(&id)?, version, step, comment).await },
        ReviewStepResult::from,
    )
    .await
}

/// Mutations of plans, measures, reviews and visits.
#[derive(Default)]
pub struct PlanMutations;

#[Object]
impl PlanMutations {
    /// Starts a school's roadmap (as a draft) or the municipal plan for a school year: give
    /// exactly one of `school` and `municipality`. The school's director, its municipality's
    /// coordinator or an admin.
    async fn create_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The school, for its roadmap.")] school: Option<ID>,
        #[graphql(desc = "The municipality's slug, for the municipal plan.")] municipality: Option<
            String,
        >,
        #[graphql(desc = "The school year: \"2021-2022\"; omitted where the document names none.")]
        school_year: Option<SchoolYear>,
        #[graphql(desc = "The title and sections.")] plan: PlanInput,
    ) -> Result<Plan> {
        run(
            ctx,
            |s| async move {
                let owner = match (school, municipality) {
                    (Some(school), None) => PlanOwner::School(id_argument(Kind::School, &school)?),
                    (None, Some(slug)) => PlanOwner::Municipality(slug),
                    _ => {
                        return Err(ChangeError::Invalid(vec![Violation {
                            field: "school".into(),
                            en: "give exactly one of `school` and `municipality`".into(),
                            ru: "укажите либо школу, либо муниципалитет".into(),
                        }]));
                    }
                };
                create_plan(s, owner, school_year, plan.into()).await
            },
            Plan,
        )
        .await
    }

    /// Retitles a plan and replaces its sections (a roadmap only as a draft or once returned).
    async fn update_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
        #[graphql(desc = "The title and sections.")] plan: PlanInput,
    ) -> Result<Plan> {
        run(
            ctx,
            |s| async move { update_plan(s, id_argument(Kind::Plan, &id)?, version, plan.into()).await },
            Plan,
        )
        .await
    }

    /// Removes a plan made by mistake, with its measures; returns it as it was.
    async fn delete_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
    ) -> Result<Plan> {
        run(
            ctx,
            |s| async move { delete_plan(s, id_argument(Kind::Plan, &id)?, version).await },
            Plan,
        )
        .await
    }

    /// Adds a measure at the end of a plan (of its section).
    async fn add_measure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan's id.")] plan: ID,
        #[graphql(desc = "What the measure says.")] measure: MeasureInput,
    ) -> Result<Measure> {
        run(
            ctx,
            |s| async move {
                let plan = id_argument(Kind::Plan, &plan)?;
                add_measure(s, plan, measure.terms()?).await
            },
            Measure,
        )
        .await
    }

    /// Replaces what a measure says.
    async fn update_measure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The measure's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
        #[graphql(desc = "What the measure says.")] measure: MeasureInput,
    ) -> Result<Measure> {
        run(
            ctx,
            |s| async move {
                let id = id_argument(Kind::Measure, &id)?;
                update_measure(s, id, version, measure.terms()?).await
            },
            Measure,
        )
        .await
    }

    /// Removes a measure made by mistake; returns it as it was.
    async fn delete_measure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The measure's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
    ) -> Result<Measure> {
        run(
            ctx,
            |s| async move { delete_measure(s, id_argument(Kind::Measure, &id)?, version).await },
            Measure,
        )
        .await
    }

    /// Records how far a measure has got and the school's report on it; a changed report on a
    /// roadmap's measure goes back to draft for the curator.
    async fn report_on_measure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The measure's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
        #[graphql(desc = "How far it has got.")] status: MeasureStatus,
        #[graphql(desc = "The report; null for none.")] report: Option<String>,
    ) -> Result<Measure> {
        run(
            ctx,
            |s| async move {
                let id = id_argument(Kind::Measure, &id)?;
                report_on_measure(s, id, version, status, report).await
            },
            Measure,
        )
        .await
    }

    /// The school sends its roadmap (a Plan id) or the report on a measure (a Measure id) to
    /// its curator.
    async fn submit_for_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The roadmap's or the measure's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
        #[graphql(desc = "A note for the curator.")] comment: Option<String>,
    ) -> Result<ReviewStepResult> {
        step(ctx, id, version, ReviewStep::Submit, comment).await
    }

    /// The curator appointed to the school confirms what it submitted.
    async fn confirm_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The roadmap's or the measure's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
        #[graphql(desc = "A note for the school.")] comment: Option<String>,
    ) -> Result<ReviewStepResult> {
        step(ctx, id, version, ReviewStep::Confirm, comment).await
    }

    /// The curator appointed to the school returns what it submitted, saying what to change.
    async fn return_for_changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The roadmap's or the measure's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
        #[graphql(desc = "What to change.")] comment: String,
    ) -> Result<ReviewStepResult> {
        step(ctx, id, version, ReviewStep::Return, Some(comment)).await
    }

    /// The school's director or its curator writes in the review thread.
    async fn comment_on_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The roadmap's or the measure's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
        #[graphql(desc = "The comment.")] comment: String,
    ) -> Result<ReviewStepResult> {
        step(ctx, id, version, ReviewStep::Comment, Some(comment)).await
    }

    /// Records a curator's visit to a school: by the curator, or the municipality for them. The
    /// visit falls within the curator's appointment to the school.
    async fn record_visit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The school.")] school: ID,
        #[graphql(desc = "The visit.")] visit: VisitInput,
    ) -> Result<CuratorVisit> {
        run(
            ctx,
            |s| async move {
                let school = id_argument(Kind::School, &school)?;
                let mut rules = Rules::new();
                let curator = id_field(&mut rules, Kind::Person, "visit.curator", &visit.curator);
                rules.check()?;
                let terms = VisitTerms {
                    curator: curator.expect("no violation means the id decoded"),
                    visited_on: visit.visited_on,
                    purpose: visit.purpose,
                    notes: visit.notes,
                };
                record_visit(s, school, terms).await
            },
            CuratorVisit,
        )
        .await
    }

    /// Removes a visit recorded by mistake; returns it as it was.
    async fn delete_visit(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The visit's id.")] id: ID,
        #[graphql(desc = "The version read.")] version: i32,
    ) -> Result<CuratorVisit> {
        run(
            ctx,
            |s| async move { delete_visit(s, id_argument(Kind::CuratorVisit, &id)?, version).await },
            CuratorVisit,
        )
        .await
    }
}
