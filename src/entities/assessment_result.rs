//! One figure of a school's assessment results: school × year × procedure × subject (× grade,
//! × level), with its status and the text as published.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use crate::domain::{ExamLevel, Mean, Percentage, Procedure, ProcedureSubject, ResultStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "assessment_results")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Bumped by every update; an update naming an older version is refused.
    pub version: i32,
    pub school_id: i32,
    pub year: i32,
    pub procedure: Procedure,
    pub subject_id: i32,
    pub grade: Option<i16>,
    pub level: Option<ExamLevel>,
    pub status: ResultStatus,
    /// The mean mark or score; see `Procedure::figure`.
    pub mean_hundredths: Option<Mean>,
    pub participants: Option<i32>,
    /// Got «2» (ВПР) or did not pass the minimum threshold (examinations).
    pub failed: Option<i32>,
    /// The cell as the source prints it: «3,2 /50», «-», «0».
    pub source_text: Option<String>,
}

impl Model {
    /// The share of participants who failed, when both counts are known and someone sat it.
    pub fn failed_share(&self) -> Option<Percentage> {
        let (failed, participants) = (self.failed?, self.participants?);
        Percentage::of(failed.try_into().ok()?, participants.try_into().ok()?)
    }

    /// Whether the record is of `spec` (its procedure, subject, grade and level).
    pub fn is_of(&self, spec: &ProcedureSubject, subject_id: i32) -> bool {
        self.procedure == spec.procedure
            && self.subject_id == subject_id
            && self.grade == spec.grade
            && self.level == spec.level
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
