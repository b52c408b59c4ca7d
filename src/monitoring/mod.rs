//! What the stored assessment results say: a school's series over the years, a municipality's
//! table with its mean, and which schools the rules of seed 004 identify as low-results. Pure
//! functions over rows the caller has read, so the API and the site compute the same figures.

pub mod dynamics;
pub mod identification;
pub mod survey;
pub mod table;
pub mod visits;

use crate::domain::{ExamLevel, ProcedureSubject};
use crate::entities::assessment_result;

/// What a result is of within one procedure: subject, grade and level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cell {
    /// The subject's id.
    pub subject_id: i32,
    /// The grade, if the result is of one.
    pub grade: Option<i16>,
    /// The level of the ЕГЭ in mathematics.
    pub level: Option<ExamLevel>,
}

impl Cell {
    /// The cell of a result.
    pub fn of(row: &assessment_result::Model) -> Self {
        Cell {
            subject_id: row.subject_id,
            grade: row.grade,
            level: row.level,
        }
    }

    /// The cell of a procedure as the identification names it.
    pub fn of_spec(spec: &ProcedureSubject, subject_id: i32) -> Self {
        Cell {
            subject_id,
            grade: spec.grade,
            level: spec.level,
        }
    }
}
