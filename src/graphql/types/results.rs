//! Assessment results: a school's records, their series over the years, and a municipality's
//! table with its mean.

use async_graphql::{Context, ID, Object, Result};

use super::School;
use crate::domain::{ExamLevel, Mean, Procedure, ProcedureSubject, ResultStatus};
use crate::entities::{assessment_result, subject};
use crate::graphql::ids::{Kind, encode};
use crate::graphql::loaders::*;
use crate::graphql::{load_one, load_required};
use crate::monitoring::Cell;
use crate::monitoring::dynamics::Series;
use crate::monitoring::table::{ColumnMean, Table};

/// The row behind the GraphQL `Subject` object, described on its resolvers.
#[derive(Clone)]
pub struct Subject(pub subject::Model);

/// A school subject (учебный предмет).
#[Object]
impl Subject {
    /// A stable code, as inputs name the subject: `mathematics`.
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// The Russian name: «Математика».
    async fn name(&self) -> &str {
        &self.0.name
    }
}

/// The subject with this id (a foreign key: it exists).
async fn subject(ctx: &Context<'_>, id: i32) -> Result<Subject> {
    load_required(ctx, SubjectById(id)).await.map(Subject)
}

/// The subject with this code, if there is one.
pub async fn subject_by_code(ctx: &Context<'_>, code: &str) -> Result<Option<Subject>> {
    Ok(load_one(ctx, SubjectByCode(code.to_owned()))
        .await?
        .map(Subject))
}

/// A grade: the one recorded, or the one grade the procedure is written in.
pub(super) fn grade_of(procedure: Procedure, grade: Option<i16>) -> Option<i32> {
    let grades = procedure.grades();
    grade
        .or((grades.start() == grades.end()).then_some(*grades.start()))
        .map(i32::from)
}

/// The row behind the GraphQL `AssessmentResult` object, described on its resolvers.
#[derive(Clone)]
pub struct AssessmentResult(pub assessment_result::Model);

/// One figure of a school's results: school × year × procedure × subject (× grade, × level).
/// Missing is never zero: `mean`, `participants` and `failed` are given only with the status
/// `RESULT`, and `sourceText` keeps the cell as the source printed it.
#[Object]
impl AssessmentResult {
    /// The global id.
    pub async fn id(&self) -> ID {
        encode(Kind::AssessmentResult, self.0.id)
    }

    /// The row version: name it when changing this object; every change bumps it.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The school.
    async fn school(&self, ctx: &Context<'_>) -> Result<School> {
        load_required(ctx, SchoolById(self.0.school_id))
            .await
            .map(School)
    }

    /// The year the procedure was written (the spring of the school year).
    async fn year(&self) -> i32 {
        self.0.year
    }

    /// The procedure.
    async fn procedure(&self) -> Procedure {
        self.0.procedure
    }

    /// The subject.
    async fn subject(&self, ctx: &Context<'_>) -> Result<Subject> {
        subject(ctx, self.0.subject_id).await
    }

    /// The grade (класс); for ОГЭ and ЕГЭ the grade they are written in. Null for a ВПР mean
    /// the source gives over all grades.
    async fn grade(&self) -> Option<i32> {
        grade_of(self.0.procedure, self.0.grade)
    }

    /// `BASE` or `PROFILE` for the ЕГЭ in mathematics; null otherwise.
    async fn level(&self) -> Option<ExamLevel> {
        self.0.level
    }

    /// What the record says: a result, not held, no participants, not reported.
    async fn status(&self) -> ResultStatus {
        self.0.status
    }

    /// The mean mark (1–5: ВПР, ОГЭ, ГВЭ, ЕГЭ maths base) or mean score (0–100: ЕГЭ); null
    /// without a result.
    async fn mean(&self) -> Option<f64> {
        self.0.mean_hundredths.map(Mean::as_f64)
    }

    /// Participants; null when not published.
    async fn participants(&self) -> Option<i32> {
        self.0.participants
    }

    /// Participants who got «2» (ВПР) or did not pass the minimum threshold (examinations).
    async fn failed(&self) -> Option<i32> {
        self.0.failed
    }

    /// `failed` of `participants`, in percent with one decimal; null unless both are known and
    /// someone sat it.
    async fn failed_share(&self) -> Option<f64> {
        self.0.failed_share().map(|p| p.as_f64())
    }

    /// The cell as the source printed it: «3,2 /50», «-», «0».
    async fn source_text(&self) -> Option<&str> {
        self.0.source_text.as_deref()
    }
}

/// One year of a series.
pub struct ResultPoint {
    year: i32,
    result: Option<assessment_result::Model>,
    change: Option<i32>,
}

/// A year of a school's results in one procedure and subject.
#[Object]
impl ResultPoint {
    /// The year.
    async fn year(&self) -> i32 {
        self.year
    }

    /// The record's status; null when nothing is recorded for the year.
    async fn status(&self) -> Option<ResultStatus> {
        self.result.as_ref().map(|r| r.status)
    }

    /// The mean; null without a result.
    async fn mean(&self) -> Option<f64> {
        self.result
            .as_ref()
            .and_then(|r| r.mean_hundredths)
            .map(Mean::as_f64)
    }

    /// The mean minus the previous year's; null when either year has no mean (a missing year,
    /// not held, no participants): never a change from or to zero.
    async fn change(&self) -> Option<f64> {
        self.change.map(|c| f64::from(c) / 100.0)
    }

    /// The record itself.
    async fn result(&self) -> Option<AssessmentResult> {
        self.result.clone().map(AssessmentResult)
    }
}

/// The series of one grade and level.
pub struct ResultSeries {
    procedure: Procedure,
    cell: Cell,
    points: Vec<ResultPoint>,
}

impl ResultSeries {
    /// The series of a procedure, as `monitoring::dynamics` builds them.
    pub fn of(procedure: Procedure, series: Vec<Series<'_>>) -> Vec<ResultSeries> {
        series
            .into_iter()
            .map(|s| ResultSeries {
                procedure,
                cell: s.cell,
                points: s
                    .points
                    .into_iter()
                    .map(|p| ResultPoint {
                        year: p.year,
                        result: p.result.cloned(),
                        change: p.change,
                    })
                    .collect(),
            })
            .collect()
    }
}

/// A school's results in one procedure, subject, grade and level over the years.
#[Object]
impl ResultSeries {
    /// The subject.
    async fn subject(&self, ctx: &Context<'_>) -> Result<Subject> {
        subject(ctx, self.cell.subject_id).await
    }

    /// The grade.
    async fn grade(&self) -> Option<i32> {
        grade_of(self.procedure, self.cell.grade)
    }

    /// The level of the ЕГЭ in mathematics.
    async fn level(&self) -> Option<ExamLevel> {
        self.cell.level
    }

    /// Every year from the first recorded to the last, oldest first; a year without a record is
    /// listed with a null status.
    async fn points(&self) -> &[ResultPoint] {
        &self.points
    }
}

/// A column of a municipality's results table.
pub struct ResultColumn {
    procedure: Procedure,
    cell: Cell,
    mean: ColumnMean,
}

/// A subject (grade, level) of a municipality's results, with the municipal mean.
#[Object]
impl ResultColumn {
    /// The subject.
    async fn subject(&self, ctx: &Context<'_>) -> Result<Subject> {
        subject(ctx, self.cell.subject_id).await
    }

    /// The grade.
    async fn grade(&self) -> Option<i32> {
        grade_of(self.procedure, self.cell.grade)
    }

    /// The level of the ЕГЭ in mathematics.
    async fn level(&self) -> Option<ExamLevel> {
        self.cell.level
    }

    /// The municipality's mean: weighted by participants when every school's count is known,
    /// otherwise the plain mean of the schools' means (see `weighted`); null when no school has
    /// a mean.
    async fn mean(&self) -> Option<f64> {
        self.mean.mean.map(|m| f64::from(m) / 100.0)
    }

    /// True when `mean` is weighted by participants.
    async fn weighted(&self) -> bool {
        self.mean.weighted
    }

    /// Schools with a mean.
    async fn schools(&self) -> i32 {
        self.mean.schools as i32
    }

    /// Participants summed, when every school with a mean gave its count.
    async fn participants(&self) -> Option<i64> {
        self.mean.participants
    }
}

/// A school's row of a municipality's results table.
pub struct SchoolResults {
    school_id: i32,
    results: Vec<Option<assessment_result::Model>>,
}

/// A school's results, one per column of the table (null where nothing is recorded).
#[Object]
impl SchoolResults {
    /// The school.
    async fn school(&self, ctx: &Context<'_>) -> Result<School> {
        load_required(ctx, SchoolById(self.school_id))
            .await
            .map(School)
    }

    /// The school's record in each column, in the order of `columns`.
    async fn results(&self) -> Vec<Option<AssessmentResult>> {
        self.results
            .iter()
            .map(|r| r.clone().map(AssessmentResult))
            .collect()
    }
}

/// A municipality's results in one procedure and year.
pub struct MunicipalResults {
    year: i32,
    procedure: Procedure,
    columns: Vec<ResultColumn>,
    rows: Vec<SchoolResults>,
}

impl MunicipalResults {
    /// The table `monitoring::table` builds.
    pub fn of(year: i32, procedure: Procedure, table: Table<'_>) -> Self {
        MunicipalResults {
            year,
            procedure,
            columns: table
                .columns
                .iter()
                .zip(table.means)
                .map(|(cell, mean)| ResultColumn {
                    procedure,
                    cell: *cell,
                    mean,
                })
                .collect(),
            rows: table
                .rows
                .into_iter()
                .map(|(school_id, cells)| SchoolResults {
                    school_id,
                    results: cells.into_iter().map(|c| c.cloned()).collect(),
                })
                .collect(),
        }
    }
}

/// Every school's figures side by side with the municipality's mean.
#[Object]
impl MunicipalResults {
    /// The year.
    async fn year(&self) -> i32 {
        self.year
    }

    /// The procedure.
    async fn procedure(&self) -> Procedure {
        self.procedure
    }

    /// The subjects (grades, levels) recorded, with the municipal mean of each.
    async fn columns(&self) -> &[ResultColumn] {
        &self.columns
    }

    /// The schools with at least one record, in the order they were added.
    async fn rows(&self) -> &[SchoolResults] {
        &self.rows
    }
}

/// A procedure × subject × grade × level, as the identification names it.
pub struct ProcedureSubjectView(pub ProcedureSubject);

/// A procedure the identification analyses: «ВПР, математика, 5 класс».
#[Object(name = "ProcedureSubject")]
impl ProcedureSubjectView {
    /// The procedure.
    async fn procedure(&self) -> Procedure {
        self.0.procedure
    }

    /// The subject; null if the code names none.
    async fn subject(&self, ctx: &Context<'_>) -> Result<Option<Subject>> {
        subject_by_code(ctx, &self.0.subject).await
    }

    /// The grade.
    async fn grade(&self) -> Option<i32> {
        grade_of(self.0.procedure, self.0.grade)
    }

    /// The level of the ЕГЭ in mathematics.
    async fn level(&self) -> Option<ExamLevel> {
        self.0.level
    }
}
