//! The identification of low-results schools: what the rules of seed 004 find in the stored
//! results (`monitoring::identification`), and the decisions municipalities published.

use async_graphql::{Context, Enum, ID, Object, Result};

use super::{Municipality, ProcedureSubjectView, School, Subject};
use crate::domain::{ExamLevel, Procedure};
use crate::entities::identification_decision;
use crate::graphql::ids::{Kind, encode};
use crate::graphql::load_required;
use crate::graphql::loaders::*;
use crate::graphql::{load_all, load_many};
use crate::monitoring::identification::{self, Evidence, Finding, Missing};

/// Why a result the rules need is missing.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "crate::monitoring::identification::Gap")]
pub enum ResultGap {
    /// Nothing is recorded for the school.
    NotRecorded,
    /// Recorded as held but not published.
    NotReported,
    /// A result without the count of participants or of those who failed.
    NoCounts,
}

/// A procedure's fields, shared by the evidence and the gaps.
async fn spec_subject(ctx: &Context<'_>, code: &str) -> Result<Option<Subject>> {
    super::results::subject_by_code(ctx, code).await
}

/// A low result behind a candidate.
pub struct LowResultEvidence(pub Evidence);

/// A low result: at least the threshold share of participants failed.
#[Object]
impl LowResultEvidence {
    /// The year.
    async fn year(&self) -> i32 {
        self.0.year
    }

    /// The procedure.
    async fn procedure(&self) -> Procedure {
        self.0.procedure.procedure
    }

    /// The subject.
    async fn subject(&self, ctx: &Context<'_>) -> Result<Option<Subject>> {
        spec_subject(ctx, &self.0.procedure.subject).await
    }

    /// The grade.
    async fn grade(&self) -> Option<i32> {
        super::results::grade_of(self.0.procedure.procedure, self.0.procedure.grade)
    }

    /// The level of the ЕГЭ in mathematics.
    async fn level(&self) -> Option<ExamLevel> {
        self.0.procedure.level
    }

    /// Participants.
    async fn participants(&self) -> i32 {
        self.0.participants
    }

    /// Participants who failed.
    async fn failed(&self) -> i32 {
        self.0.failed
    }

    /// `failed` of `participants`, in percent with one decimal.
    async fn failed_share(&self) -> f64 {
        self.0.share().as_f64()
    }
}

/// A result the rules need and do not have.
pub struct MissingResult(pub Missing);

/// A result the rules needed and did not have, and why.
#[Object]
impl MissingResult {
    /// The year.
    async fn year(&self) -> i32 {
        self.0.year
    }

    /// The procedure.
    async fn procedure(&self) -> Procedure {
        self.0.procedure.procedure
    }

    /// The subject.
    async fn subject(&self, ctx: &Context<'_>) -> Result<Option<Subject>> {
        spec_subject(ctx, &self.0.procedure.subject).await
    }

    /// The grade.
    async fn grade(&self) -> Option<i32> {
        super::results::grade_of(self.0.procedure.procedure, self.0.procedure.grade)
    }

    /// The level of the ЕГЭ in mathematics.
    async fn level(&self) -> Option<ExamLevel> {
        self.0.procedure.level
    }

    /// Why it is missing.
    async fn gap(&self) -> ResultGap {
        self.0.gap.into()
    }
}

/// A school the rules identify, with the rules that fired and the results behind them.
pub struct LowResultCandidate {
    /// What the rules found.
    pub finding: Finding,
    /// Whether the school is in ШНОР today.
    pub in_programme: bool,
}

/// A candidate for the list of low-results schools (ШНОР).
#[Object]
impl LowResultCandidate {
    /// The school.
    async fn school(&self, ctx: &Context<'_>) -> Result<School> {
        load_required(ctx, SchoolById(self.finding.school_id))
            .await
            .map(School)
    }

    /// The rules that fired: 1 — low in at least two procedures in the previous year; 2 — low in
    /// at least one procedure in each of the two previous years.
    async fn rules(&self) -> Vec<i32> {
        self.finding.rules.iter().map(|&r| i32::from(r)).collect()
    }

    /// The low results, previous year first.
    async fn evidence(&self) -> Vec<LowResultEvidence> {
        self.finding
            .evidence
            .iter()
            .cloned()
            .map(LowResultEvidence)
            .collect()
    }

    /// True when the school is in ШНОР today (included and not excluded).
    async fn in_programme(&self) -> bool {
        self.in_programme
    }

    /// Results the rules needed and did not have (they could only add to the evidence).
    async fn missing(&self) -> Vec<MissingResult> {
        self.finding
            .missing
            .iter()
            .cloned()
            .map(MissingResult)
            .collect()
    }
}

/// A school no rule identifies but whose data is incomplete.
pub struct IncompleteSchool(pub Finding);

/// A school the rules could not decide on for want of data.
#[Object]
impl IncompleteSchool {
    /// The school.
    async fn school(&self, ctx: &Context<'_>) -> Result<School> {
        load_required(ctx, SchoolById(self.0.school_id))
            .await
            .map(School)
    }

    /// What is missing.
    async fn missing(&self) -> Vec<MissingResult> {
        self.0.missing.iter().cloned().map(MissingResult).collect()
    }
}

/// The outcome of applying the rules.
pub struct LowResultIdentification {
    /// The criteria applied.
    pub criteria: identification::Criteria,
    /// The candidates and incomplete schools.
    pub candidates: Vec<LowResultCandidate>,
    /// Schools with too little data.
    pub incomplete: Vec<IncompleteSchool>,
    /// The municipality's id.
    pub municipality_id: i32,
}

/// The rules of seed 004 applied to a municipality's stored results.
#[Object]
impl LowResultIdentification {
    /// The year schools are identified for.
    async fn year(&self) -> i32 {
        self.criteria.year
    }

    /// The two years analysed, the previous first.
    async fn analysed_years(&self) -> Vec<i32> {
        self.criteria.years().to_vec()
    }

    /// The threshold, in percent.
    async fn threshold(&self) -> f64 {
        self.criteria.threshold.as_f64()
    }

    /// The procedures analysed.
    async fn procedures(&self) -> Vec<ProcedureSubjectView> {
        self.criteria
            .procedures
            .iter()
            .cloned()
            .map(ProcedureSubjectView)
            .collect()
    }

    /// Schools at least one rule identifies.
    async fn candidates(&self) -> &[LowResultCandidate] {
        &self.candidates
    }

    /// Schools no rule identifies but whose data is incomplete: never silently passed over.
    async fn incomplete(&self) -> &[IncompleteSchool] {
        &self.incomplete
    }

    /// The decision the municipality published for this year, if recorded.
    async fn decision(&self, ctx: &Context<'_>) -> Result<Option<IdentificationDecision>> {
        let decisions = load_many(ctx, DecisionsOfMunicipality(self.municipality_id)).await?;
        Ok(decisions
            .into_iter()
            .find(|d| d.year == self.criteria.year)
            .map(IdentificationDecision))
    }
}

/// The row behind the GraphQL `IdentificationDecision` object, described on its resolvers.
pub struct IdentificationDecision(pub identification_decision::Model);

/// A municipality's published decision on which schools have low results, kept as published.
#[Object]
impl IdentificationDecision {
    /// The global id.
    pub async fn id(&self) -> ID {
        encode(Kind::IdentificationDecision, self.0.id)
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

    /// The year schools are identified for.
    async fn year(&self) -> i32 {
        self.0.year
    }

    /// The threshold applied, in percent.
    async fn threshold(&self) -> f64 {
        self.0.threshold.as_f64()
    }

    /// The procedures analysed.
    async fn procedures(&self) -> Vec<ProcedureSubjectView> {
        self.0
            .procedures
            .0
            .iter()
            .cloned()
            .map(ProcedureSubjectView)
            .collect()
    }

    /// The conclusion, as published.
    async fn conclusion(&self) -> &str {
        &self.0.conclusion
    }

    /// The document that records it.
    async fn document(&self) -> Option<&str> {
        self.0.document.as_deref()
    }

    /// The schools it identified.
    async fn schools(&self, ctx: &Context<'_>) -> Result<Vec<School>> {
        let named = load_many(ctx, SchoolsOfDecision(self.0.id)).await?;
        let keys = named.iter().map(|n| SchoolById(n.school_id));
        Ok(load_all(ctx, keys).await?.into_iter().map(School).collect())
    }
}
