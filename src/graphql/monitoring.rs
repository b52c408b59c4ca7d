//! The query root's monitoring fields: reference data, a school's results dynamics, the
//! identification of low-results schools, and the curators behind on their visits.

use std::collections::HashMap;

use async_graphql::{Context, ID, InputObject, Object, Result};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::error::{bad_input, internal, not_found};
use super::ids::{Kind, decode_as};
use super::types::*;
use super::{db, load_many};
use crate::domain::{ExamLevel, MaterialKind, Percentage, Procedure, ProcedureSubject, Programme};
use crate::entities::{
    appointment, assessment_result, curator_visit, material, monitoring_indicator, municipality,
    plan, programme_participation, risk_factor, school, subject, survey_statement,
};
use crate::graphql::loaders::ResultsOfSchool;
use crate::monitoring::dynamics::series;
use crate::monitoring::identification::{Criteria, identify, seed_procedures};
use crate::monitoring::visits::overdue_curators;

/// At most this many procedures in one identification.
const MAX_PROCEDURES: usize = 50;

/// A procedure × subject × grade × level to analyse: «ВПР, математика, 5 класс».
#[derive(InputObject)]
pub struct ProcedureSubjectInput {
    /// The procedure.
    procedure: Procedure,
    /// The subject's code: `mathematics`.
    subject: String,
    /// The grade, for procedures written in several (ВПР).
    grade: Option<i32>,
    /// `BASE` or `PROFILE` for the ЕГЭ in mathematics.
    level: Option<ExamLevel>,
}

impl ProcedureSubjectInput {
    /// The procedure as the rules take it; `field` names it in an error.
    pub fn parse(self, field: &str) -> Result<ProcedureSubject> {
        let grade = match self.grade {
            None => None,
            Some(g) => {
                let grades = self.procedure.grades();
                match i16::try_from(g) {
                    Ok(g) if grades.contains(&g) => (grades.start() != grades.end()).then_some(g),
                    _ => {
                        return Err(bad_input(
                            &format!("{field}.grade"),
                            format!(
                                "{} is written in grades {}–{}",
                                self.procedure.abbreviation(),
                                grades.start(),
                                grades.end()
                            ),
                        ));
                    }
                }
            }
        };
        Ok(ProcedureSubject {
            procedure: self.procedure,
            subject: self.subject,
            grade,
            level: self.level,
        })
    }
}

/// The municipality with `slug`, or NOT_FOUND.
async fn municipality_by_slug(ctx: &Context<'_>, slug: &str) -> Result<municipality::Model> {
    municipality::Entity::find()
        .filter(municipality::Column::Slug.eq(slug))
        .one(db(ctx))
        .await
        .map_err(internal)?
        .ok_or_else(|| not_found("municipality", slug))
}

/// Every row of a reference table (subjects, factors, statements, indicators), in the order
/// of `column`, as its GraphQL object: one statement.
async fn reference<E: EntityTrait, T>(
    ctx: &Context<'_>,
    column: E::Column,
    object: fn(E::Model) -> T,
) -> Result<Vec<T>> {
    let rows = E::find()
        .order_by_asc(column)
        .all(db(ctx))
        .await
        .map_err(internal)?;
    Ok(rows.into_iter().map(object).collect())
}

/// The monitoring fields of the query root.
#[derive(Default)]
pub struct MonitoringQuery;

/// Applies the rules of seed 004 to a municipality's stored results: five statements (the
/// municipality, its schools, their results of the two years, the subjects, their programme
/// participations), however many schools.
async fn identification(
    ctx: &Context<'_>,
    slug: &str,
    year: i32,
    threshold: f64,
    procedures: Option<Vec<ProcedureSubjectInput>>,
) -> Result<LowResultIdentification> {
    if !(2002..=2100).contains(&year) {
        return Err(bad_input("year", "the year must be between 2002 and 2100"));
    }
    let threshold = Percentage::from_f64(threshold)
        .ok()
        .filter(|p| p.as_f64() > 0.0)
        .ok_or_else(|| bad_input("threshold", "a share above 0 and at most 100, one decimal"))?;
    let procedures = match procedures {
        None => seed_procedures(),
        Some(list) if list.is_empty() || list.len() > MAX_PROCEDURES => {
            return Err(bad_input(
                "procedures",
                format!("name 1 to {MAX_PROCEDURES} procedures"),
            ));
        }
        Some(list) => list
            .into_iter()
            .enumerate()
            .map(|(i, p)| p.parse(&format!("procedures[{i}]")))
            .collect::<Result<_>>()?,
    };
    let db = db(ctx);
    let municipality = municipality_by_slug(ctx, slug).await?;
    let schools: Vec<i32> = school::Entity::find()
        .filter(school::Column::MunicipalityId.eq(municipality.id))
        .order_by_asc(school::Column::Id)
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let criteria = Criteria {
        year,
        threshold,
        procedures,
    };
    let results = assessment_result::Entity::find()
        .filter(assessment_result::Column::SchoolId.is_in(schools.clone()))
        .filter(assessment_result::Column::Year.is_in(criteria.years()))
        .all(db)
        .await
        .map_err(internal)?;
    let subjects: HashMap<String, i32> = subject::Entity::find()
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|s| (s.code, s.id))
        .collect();
    let participations = programme_participation::Entity::find()
        .filter(programme_participation::Column::SchoolId.is_in(schools.clone()))
        .all(db)
        .await
        .map_err(internal)?;
    let in_programme = |school_id: i32| {
        programme_participation::currently_in(
            participations.iter().filter(|p| p.school_id == school_id),
            Programme::LowResults,
        )
    };
    let found = identify(&criteria, &schools, &results, &subjects);
    Ok(LowResultIdentification {
        candidates: found
            .candidates
            .into_iter()
            .map(|finding| LowResultCandidate {
                in_programme: in_programme(finding.school_id),
                finding,
            })
            .collect(),
        incomplete: found.incomplete.into_iter().map(IncompleteSchool).collect(),
        criteria,
        municipality_id: municipality.id,
    })
}

#[Object]
impl MonitoringQuery {
    /// School subjects, as results and deficits name them by code.
    async fn subjects(&self, ctx: &Context<'_>) -> Result<Vec<Subject>> {
        reference::<subject::Entity, _>(ctx, subject::Column::Position, Subject).await
    }

    /// The risk factors of the «500+» project (seed 001), by number.
    async fn risk_factors(&self, ctx: &Context<'_>) -> Result<Vec<RiskFactor>> {
        reference::<risk_factor::Entity, _>(ctx, risk_factor::Column::Number, RiskFactor).await
    }

    /// The statements of the change survey «Есть ли изменения?» (seed 000), by number.
    async fn survey_statements(&self, ctx: &Context<'_>) -> Result<Vec<SurveyStatement>> {
        reference::<survey_statement::Entity, _>(
            ctx,
            survey_statement::Column::Number,
            SurveyStatement,
        )
        .await
    }

    /// The monitoring indicators (критерии и показатели мониторинга, seed 000), by number.
    async fn monitoring_indicators(&self, ctx: &Context<'_>) -> Result<Vec<MonitoringIndicator>> {
        reference::<monitoring_indicator::Entity, _>(
            ctx,
            monitoring_indicator::Column::Number,
            MonitoringIndicator,
        )
        .await
    }

    /// A school's results in one procedure and subject over the years, one series per grade and
    /// level, with the change year on year (null across a gap, never from or to zero).
    async fn results_dynamics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The school's id.")] school: ID,
        #[graphql(desc = "The procedure.")] procedure: Procedure,
        #[graphql(desc = "The subject's code: `mathematics`.")] subject: String,
    ) -> Result<Vec<ResultSeries>> {
        let school = decode_as(Kind::School, "school", &school)?;
        let Some(subject) = subject_by_code(ctx, &subject).await? else {
            return Err(bad_input(
                "subject",
                format!("«{subject}» is not a subject code"),
            ));
        };
        let rows: Vec<_> = load_many(ctx, ResultsOfSchool(school))
            .await?
            .into_iter()
            .filter(|r| r.procedure == procedure && r.subject_id == subject.0.id)
            .collect();
        Ok(ResultSeries::of(procedure, series(&rows)))
    }

    /// The schools the rules of seed 004 identify as low-results for `year`, from the stored
    /// results of the two years before: rule 1 — low in at least two procedures in the previous
    /// year; rule 2 — low in at least one procedure in each of the two previous years. «Low»:
    /// at least `threshold` % got «2» (ВПР) or did not pass the minimum (ОГЭ, ЕГЭ). Schools with
    /// too little data are in `lowResultIdentification.incomplete`.
    async fn low_result_candidates(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The municipality's slug.")] municipality: String,
        #[graphql(desc = "The year schools are identified for.")] year: i32,
        #[graphql(
            desc = "The share that makes a result low, in percent.",
            default = 30.0
        )]
        threshold: f64,
        #[graphql(
            desc = "The procedures analysed; seed 004's six (ВПР maths and Russian, grades 5 and 6; ОГЭ maths and Russian) when omitted."
        )]
        procedures: Option<Vec<ProcedureSubjectInput>>,
    ) -> Result<Vec<LowResultCandidate>> {
        Ok(
            identification(ctx, &municipality, year, threshold, procedures)
                .await?
                .candidates,
        )
    }

    /// The whole identification: criteria, candidates, the schools with too little data, and
    /// the decision the municipality published for the year.
    async fn low_result_identification(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The municipality's slug.")] municipality: String,
        #[graphql(desc = "The year schools are identified for.")] year: i32,
        #[graphql(
            desc = "The share that makes a result low, in percent.",
            default = 30.0
        )]
        threshold: f64,
        #[graphql(desc = "The procedures analysed; seed 004's six when omitted.")]
        procedures: Option<Vec<ProcedureSubjectInput>>,
    ) -> Result<LowResultIdentification> {
        identification(ctx, &municipality, year, threshold, procedures).await
    }

    /// The curators behind on visiting their schools on `asOf` (seed 002's rule: weekly while a
    /// school's roadmap is formed, every `carriedOutDays` once its curator confirmed it), most
    /// overdue first. For the municipality's coordinator and admins.
    async fn overdue_curators(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The municipality's slug.")] municipality: String,
        #[graphql(desc = "The day to judge on.")] as_of: chrono::NaiveDate,
        #[graphql(
            desc = "The longest gap, in days, while a roadmap is carried out (3–4 weeks).",
            default = 28
        )]
        carried_out_days: i32,
    ) -> Result<Vec<OverdueCurator>> {
        if !(1..=120).contains(&carried_out_days) {
            return Err(bad_input(
                "carriedOutDays",
                "the gap is between 1 and 120 days",
            ));
        }
        let municipality = municipality_by_slug(ctx, &municipality).await?;
        let scope = crate::auth::policy::Scope::municipality(municipality.id);
        may_record_visits(ctx, &scope, "overdue curators").await?;
        let db = db(ctx);
        let appointments = appointment::Entity::find()
            .filter(appointment::Column::MunicipalityId.eq(municipality.id))
            .all(db)
            .await
            .map_err(internal)?;
        let visits = curator_visit::Entity::find()
            .filter(curator_visit::Column::MunicipalityId.eq(municipality.id))
            .all(db)
            .await
            .map_err(internal)?;
        let plans = plan::Entity::find()
            .filter(plan::Column::MunicipalityId.eq(municipality.id))
            .all(db)
            .await
            .map_err(internal)?;
        Ok(overdue_curators(
            &appointments,
            &visits,
            &plans,
            as_of,
            i64::from(carried_out_days),
        )
        .into_iter()
        .map(OverdueCurator)
        .collect())
    }

    /// The methodological bank: every material, of `kind` and with `tag` when given, FAQ
    /// entries newest first and the rest by title.
    async fn materials(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only materials of this kind.")] kind: Option<MaterialKind>,
        #[graphql(desc = "Only materials with this tag.")] tag: Option<String>,
    ) -> Result<Vec<Material>> {
        let mut query = material::Entity::find();
        if let Some(kind) = kind {
            query = query.filter(material::Column::Kind.eq(kind));
        }
        let mut rows = query.all(db(ctx)).await.map_err(internal)?;
        if let Some(tag) = tag {
            rows.retain(|m| m.tags.0.contains(&tag));
        }
        rows.sort_by(|a, b| match (a.kind, b.kind) {
            (MaterialKind::Faq, MaterialKind::Faq) => b.updated_at.cmp(&a.updated_at),
            _ => (a.kind, &a.title).cmp(&(b.kind, &b.title)),
        });
        Ok(rows.into_iter().map(Material).collect())
    }
}
