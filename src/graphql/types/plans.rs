//! Plans (school roadmaps, municipal plans), their measures and the curator review. Plans and
//! measures are published documents; the review thread is read only by those who take part in
//! it or manage the plan.

use async_graphql::{Context, ID, Object, Result, SimpleObject};

use super::{Municipality, RiskFactor, School};
use crate::auth::Caller;
use crate::auth::policy::{self, Area, Scope};
use crate::domain::{MeasureStatus, PartialDate, ReviewSide, ReviewState, ReviewStep, SchoolYear};
use crate::entities::{measure, plan, plan_section, review_comment};
use crate::graphql::error::{Code, coded, internal};
use crate::graphql::ids::{Kind, encode};
use crate::graphql::loaders::*;
use crate::graphql::{db, load_all, load_many, load_required};

/// The scope of a plan: its school's, or its municipality's.
fn plan_scope(plan: &plan::Model) -> Scope {
    match plan.school_id {
        Some(school) => Scope::school(school, plan.municipality_id),
        None => Scope::municipality(plan.municipality_id),
    }
}

/// Refuses unless the caller may write the plan or take part in its review.
async fn may_follow_review(ctx: &Context<'_>, plan: &plan::Model) -> Result<()> {
    let Some(Caller::Token(actor)) = ctx.data_opt::<Caller>() else {
        return Err(coded(
            Code::Unauthenticated,
            "a review thread needs a token",
        ));
    };
    let scope = plan_scope(plan);
    for area in [Area::Plans, Area::Reviews] {
        if policy::permits(db(ctx), actor, area, &scope)
            .await
            .map_err(internal)?
        {
            return Ok(());
        }
    }
    Err(coded(
        Code::Forbidden,
        format!("{} may not read this review thread", actor.describe()),
    ))
}

/// A step of a review thread.
#[derive(SimpleObject)]
pub struct ReviewEntry {
    /// When.
    written_at: chrono::DateTime<chrono::Utc>,
    /// Who, as the audit log names them.
    author: String,
    /// The school or the curator.
    side: ReviewSide,
    /// Submitted, confirmed, returned, or a comment.
    step: ReviewStep,
    /// What was said.
    text: Option<String>,
}

impl From<review_comment::Model> for ReviewEntry {
    fn from(r: review_comment::Model) -> Self {
        ReviewEntry {
            written_at: r.written_at,
            author: r.author,
            side: r.side,
            step: r.step,
            text: r.text,
        }
    }
}

fn thread(rows: Vec<review_comment::Model>) -> Vec<ReviewEntry> {
    rows.into_iter().map(ReviewEntry::from).collect()
}

/// The row behind the GraphQL `Plan` object, described on its resolvers.
pub struct Plan(pub plan::Model);

/// A plan for a school year: a school's roadmap (дорожная карта, reviewed by its curator) or the
/// municipal plan in numbered sections.
#[Object]
impl Plan {
    /// The global id.
    pub async fn id(&self) -> ID {
        encode(Kind::Plan, self.0.id)
    }

    /// The row version: name it when changing this object; every change bumps it.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The municipality.
    async fn municipality(&self, ctx: &Context<'_>) -> Result<Municipality> {
        load_required(ctx, MunicipalityById(self.0.municipality_id))
            .await
            .map(Municipality)
    }

    /// The school whose roadmap this is; null for the municipal plan.
    async fn school(&self, ctx: &Context<'_>) -> Result<Option<School>> {
        match self.0.school_id {
            Some(id) => load_required(ctx, SchoolById(id))
                .await
                .map(|s| Some(School(s))),
            None => Ok(None),
        }
    }

    /// The school year; null where the document names none.
    async fn school_year(&self) -> Option<SchoolYear> {
        self.0.school_year
    }

    /// As the document is headed.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Where a roadmap stands in its curator's review; null for the municipal plan.
    async fn review_state(&self) -> Option<ReviewState> {
        self.0.review_state
    }

    /// The numbered sections of a municipal plan.
    async fn sections(&self, ctx: &Context<'_>) -> Result<Vec<PlanSection>> {
        let mut rows = load_many(ctx, SectionsOfPlan(self.0.id)).await?;
        rows.sort_by_key(|s: &plan_section::Model| s.number);
        Ok(rows.into_iter().map(PlanSection).collect())
    }

    /// Every measure, in the plan's order.
    async fn measures(&self, ctx: &Context<'_>) -> Result<Vec<Measure>> {
        Ok(ordered(load_many(ctx, MeasuresOfPlan(self.0.id)).await?)
            .into_iter()
            .map(Measure)
            .collect())
    }

    /// The review thread, oldest first: for the school, its municipality and its curator.
    async fn review_thread(&self, ctx: &Context<'_>) -> Result<Vec<ReviewEntry>> {
        may_follow_review(ctx, &self.0).await?;
        Ok(thread(load_many(ctx, ThreadOfPlan(self.0.id)).await?))
    }
}

/// The measures of a plan in its order.
fn ordered(mut rows: Vec<measure::Model>) -> Vec<measure::Model> {
    rows.sort_by_key(|m| m.position);
    rows
}

/// The row behind the GraphQL `PlanSection` object.
pub struct PlanSection(pub plan_section::Model);

/// A numbered section of a municipal plan: «1. Ресурсное обеспечение».
#[Object]
impl PlanSection {
    /// Its number.
    async fn number(&self) -> i32 {
        self.0.number
    }

    /// Its title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Its measures, in order.
    async fn measures(&self, ctx: &Context<'_>) -> Result<Vec<Measure>> {
        Ok(
            ordered(load_many(ctx, MeasuresOfPlan(self.0.plan_id)).await?)
                .into_iter()
                .filter(|m| m.section_id == Some(self.0.id))
                .map(Measure)
                .collect(),
        )
    }
}

/// When a measure takes place.
#[derive(SimpleObject)]
pub struct MeasurePeriod {
    /// As published: «03.06.2021г.- 30.11.2021г.», «в течение года».
    text: String,
    /// The first date the text names; null where it names none (never guessed).
    starts_on: Option<PartialDate>,
    /// The last date the text names.
    ends_on: Option<PartialDate>,
}

/// The row behind the GraphQL `Measure` object, described on its resolvers.
pub struct Measure(pub measure::Model);

/// A measure (мероприятие) of a plan.
#[Object]
impl Measure {
    /// The global id.
    pub async fn id(&self) -> ID {
        encode(Kind::Measure, self.0.id)
    }

    /// The row version: name it when changing this object; every change bumps it.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The plan.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Plan> {
        load_required(ctx, PlanById(self.0.plan_id)).await.map(Plan)
    }

    /// The section it is in (municipal plans).
    async fn section(&self, ctx: &Context<'_>) -> Result<Option<PlanSection>> {
        match self.0.section_id {
            Some(id) => load_required(ctx, SectionById(id))
                .await
                .map(|s| Some(PlanSection(s))),
            None => Ok(None),
        }
    }

    /// Its number as the plan prints it: «1.2» in a section, «3» otherwise.
    async fn number(&self, ctx: &Context<'_>) -> Result<String> {
        let siblings = ordered(load_many(ctx, MeasuresOfPlan(self.0.plan_id)).await?);
        let place = siblings
            .iter()
            .filter(|m| m.section_id == self.0.section_id)
            .position(|m| m.id == self.0.id)
            .map_or(0, |i| i + 1);
        Ok(match self.0.section_id {
            Some(id) => {
                let section = load_required(ctx, SectionById(id)).await?;
                format!("{}.{place}", section.number)
            }
            None => place.to_string(),
        })
    }

    /// Название мероприятия / форма проведения.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Сроки: as published, with the dates read from the text.
    async fn period(&self) -> Option<MeasurePeriod> {
        self.0.period_text.as_ref().map(|text| MeasurePeriod {
            text: text.clone(),
            starts_on: self.0.starts_on,
            ends_on: self.0.ends_on,
        })
    }

    /// Результат, as published.
    async fn result(&self) -> Option<&str> {
        self.0.result.as_deref()
    }

    /// Ответственные.
    async fn responsible(&self) -> Option<&str> {
        self.0.responsible.as_deref()
    }

    /// The schools it is aimed at.
    async fn target_schools(&self, ctx: &Context<'_>) -> Result<Vec<School>> {
        let targets = load_many(ctx, TargetsOfMeasure(self.0.id)).await?;
        let keys = targets.iter().map(|t| SchoolById(t.school_id));
        Ok(load_all(ctx, keys).await?.into_iter().map(School).collect())
    }

    /// The target schools as published, where the text says more than the list.
    async fn targets_text(&self) -> Option<&str> {
        self.0.targets_text.as_deref()
    }

    /// Методы оценки качества проведённого мероприятия.
    async fn evaluation_method(&self) -> Option<&str> {
        self.0.evaluation_method.as_deref()
    }

    /// The risk factors it addresses.
    async fn risk_factors(&self, ctx: &Context<'_>) -> Result<Vec<RiskFactor>> {
        let links = load_many(ctx, FactorsOfMeasure(self.0.id)).await?;
        let keys = links.iter().map(|l| RiskFactorById(l.factor_id));
        Ok(load_all(ctx, keys)
            .await?
            .into_iter()
            .map(RiskFactor)
            .collect())
    }

    /// How far it has got.
    async fn status(&self) -> MeasureStatus {
        self.0.status
    }

    /// The school's report on it.
    async fn report(&self) -> Option<&str> {
        self.0.report.as_deref()
    }

    /// Where the report stands in the curator's review; null when not reviewed.
    async fn report_state(&self) -> Option<ReviewState> {
        self.0.report_state
    }

    /// The report's review thread, oldest first: for the school, its municipality and curator.
    async fn review_thread(&self, ctx: &Context<'_>) -> Result<Vec<ReviewEntry>> {
        let plan = load_required(ctx, PlanById(self.0.plan_id)).await?;
        may_follow_review(ctx, &plan).await?;
        Ok(thread(load_many(ctx, ThreadOfMeasure(self.0.id)).await?))
    }
}
