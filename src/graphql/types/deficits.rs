//! Teacher competency deficits (seed 001) and the monitoring indicators of seed 000.

use async_graphql::{Context, ID, Object, Result, SimpleObject};

use super::{Municipality, School, Subject};
use crate::domain::IndicatorKind;
use crate::entities::competency_deficit::{self, Levels};
use crate::entities::{indicator_value, monitoring_indicator};
use crate::graphql::ids::{Kind, encode};
use crate::graphql::loaders::*;
use crate::graphql::{load_one, load_required};

/// Shares of levels A–D, in whole percent.
#[derive(SimpleObject, Clone, Copy)]
pub struct Shares {
    /// Level A, systemic deficits.
    a: i32,
    /// Level B, local deficits.
    b: i32,
    /// Level C, minor deficits.
    c: i32,
    /// Level D, no deficits.
    d: i32,
}

impl Shares {
    fn of<T: Copy + Into<i64>>(shares: [T; 4]) -> Self {
        let [a, b, c, d] = shares.map(|s| s.into() as i32);
        Shares { a, b, c, d }
    }
}

/// The counts and computed shares common to a row and the total.
fn level(levels: &Levels, i: usize) -> i32 {
    levels.counts[i] as i32
}

fn share(levels: &Levels, i: usize) -> i32 {
    levels.shares()[i] as i32
}

/// The row behind the GraphQL `CompetencyDeficitRow` object, described on its resolvers.
pub struct CompetencyDeficitRow(pub competency_deficit::Model);

/// Предметные дефициты педагогов of one subject: teachers assessed and the counts at levels A
/// (systemic), B (local), C (minor), D (none). The shares are computed from the counts (whole
/// percent, largest remainder, each row sums to exactly 100); the shares the source printed are
/// in `publishedShares`, and `sharesDiffer` flags a row where they disagree.
#[Object]
impl CompetencyDeficitRow {
    /// The global id.
    pub async fn id(&self) -> ID {
        encode(Kind::CompetencyDeficitRow, self.0.id)
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

    /// The school, when the row is one school's; null for the whole municipality.
    async fn school(&self, ctx: &Context<'_>) -> Result<Option<School>> {
        let Some(id) = self.0.school_id else {
            return Ok(None);
        };
        Ok(load_one(ctx, SchoolById(id)).await?.map(School))
    }

    /// The year of the assessment.
    async fn year(&self) -> i32 {
        self.0.year
    }

    /// The subject taught.
    async fn subject(&self, ctx: &Context<'_>) -> Result<Subject> {
        load_required(ctx, SubjectById(self.0.subject_id))
            .await
            .map(Subject)
    }

    /// Численность педагогов, преподающих предмет: teachers assessed.
    async fn teachers(&self) -> i32 {
        self.0.teachers
    }

    /// Level A: systemic deficits that must be remedied.
    async fn level_a(&self) -> i32 {
        level(&Levels::of(&self.0), 0)
    }

    /// Level B: local deficits, remedy recommended.
    async fn level_b(&self) -> i32 {
        level(&Levels::of(&self.0), 1)
    }

    /// Level C: minor deficits.
    async fn level_c(&self) -> i32 {
        level(&Levels::of(&self.0), 2)
    }

    /// Level D: no deficits.
    async fn level_d(&self) -> i32 {
        level(&Levels::of(&self.0), 3)
    }

    /// The share at level A, computed.
    async fn share_a(&self) -> i32 {
        share(&Levels::of(&self.0), 0)
    }

    /// The share at level B, computed.
    async fn share_b(&self) -> i32 {
        share(&Levels::of(&self.0), 1)
    }

    /// The share at level C, computed.
    async fn share_c(&self) -> i32 {
        share(&Levels::of(&self.0), 2)
    }

    /// The share at level D, computed.
    async fn share_d(&self) -> i32 {
        share(&Levels::of(&self.0), 3)
    }

    /// The shares as the source printed them; null if it printed none.
    async fn published_shares(&self) -> Option<Shares> {
        self.0.published_shares().map(Shares::of)
    }

    /// True when the printed shares differ from the computed ones (the counts are the source
    /// of truth).
    async fn shares_differ(&self) -> bool {
        let computed = Levels::of(&self.0).shares();
        self.0.published_shares().is_some_and(|printed| {
            printed
                .iter()
                .zip(computed)
                .any(|(p, c)| i64::from(*p) != i64::from(c))
        })
    }
}

/// The total line of a municipality's deficits table.
pub struct CompetencyDeficitTotal {
    /// The year.
    pub year: i32,
    /// The sums.
    pub levels: Levels,
}

/// The sum over every subject of a year: teachers and levels A–D, with computed shares.
#[Object]
impl CompetencyDeficitTotal {
    /// The year.
    async fn year(&self) -> i32 {
        self.year
    }

    /// Teachers assessed, summed over subjects (a teacher of two subjects counts twice, as the
    /// sources count).
    async fn teachers(&self) -> i32 {
        self.levels.teachers as i32
    }

    /// Level A, summed.
    async fn level_a(&self) -> i32 {
        level(&self.levels, 0)
    }

    /// Level B, summed.
    async fn level_b(&self) -> i32 {
        level(&self.levels, 1)
    }

    /// Level C, summed.
    async fn level_c(&self) -> i32 {
        level(&self.levels, 2)
    }

    /// Level D, summed.
    async fn level_d(&self) -> i32 {
        level(&self.levels, 3)
    }

    /// The share at level A, computed.
    async fn share_a(&self) -> i32 {
        share(&self.levels, 0)
    }

    /// The share at level B, computed.
    async fn share_b(&self) -> i32 {
        share(&self.levels, 1)
    }

    /// The share at level C, computed.
    async fn share_c(&self) -> i32 {
        share(&self.levels, 2)
    }

    /// The share at level D, computed.
    async fn share_d(&self) -> i32 {
        share(&self.levels, 3)
    }
}

/// The row behind the GraphQL `MonitoringIndicator` object, described on its resolvers.
pub struct MonitoringIndicator(pub monitoring_indicator::Model);

/// A monitoring indicator (показатель) under its criterion (критерий), seed 000.
#[Object]
impl MonitoringIndicator {
    /// The indicator's number, as mutations name it.
    async fn number(&self) -> i32 {
        self.0.number
    }

    /// The criterion: «Качество образования».
    async fn criterion(&self) -> &str {
        &self.0.criterion
    }

    /// The indicator: «Качество знаний, в %».
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The kind of value it takes.
    async fn kind(&self) -> IndicatorKind {
        self.0.kind
    }
}

/// The row behind the GraphQL `IndicatorValue` object, described on its resolvers.
pub struct IndicatorValue(pub indicator_value::Model);

/// A school's value of a monitoring indicator in a year; one of `percentage`, `count` and
/// `present` is set, as the indicator's kind says.
#[Object]
impl IndicatorValue {
    /// The global id.
    pub async fn id(&self) -> ID {
        encode(Kind::IndicatorValue, self.0.id)
    }

    /// The row version: name it when changing this object; every change bumps it.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The indicator.
    async fn indicator(&self, ctx: &Context<'_>) -> Result<MonitoringIndicator> {
        load_required(ctx, IndicatorById(self.0.indicator_id))
            .await
            .map(MonitoringIndicator)
    }

    /// The school.
    async fn school(&self, ctx: &Context<'_>) -> Result<School> {
        load_required(ctx, SchoolById(self.0.school_id))
            .await
            .map(School)
    }

    /// The year.
    async fn year(&self) -> i32 {
        self.0.year
    }

    /// A percentage value, with one decimal.
    async fn percentage(&self) -> Option<f64> {
        self.0.percentage.map(|p| p.as_f64())
    }

    /// A count.
    async fn count(&self) -> Option<i32> {
        self.0.count
    }

    /// A yes/no value.
    async fn present(&self) -> Option<bool> {
        self.0.present
    }
}
