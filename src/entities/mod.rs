//! SeaORM entities: one module per table of `migrations/`. Rows hold domain values
//! (`crate::domain`) wherever a column has rules, so a loaded row is already valid.

pub mod api_token;
pub mod appointment;
pub mod assessment_result;
pub mod audit_entry;
pub mod audit_municipality;
pub mod cluster;
pub mod competency_deficit;
pub mod curator_visit;
pub mod diary_entry;
pub mod evaluation;
pub mod group_membership;
pub mod identification_decision;
pub mod identified_school;
pub mod indicator_value;
pub mod material;
pub mod material_file;
pub mod measure;
pub mod measure_risk_factor;
pub mod measure_target;
pub mod meeting;
pub mod monitoring_indicator;
pub mod municipality;
pub mod organisation;
pub mod partnership;
pub mod partnership_group;
pub mod person;
pub mod plan;
pub mod plan_section;
pub mod programme_participation;
pub mod region;
pub mod review_comment;
pub mod risk_factor;
pub mod risk_profile;
pub mod risk_profile_factor;
pub mod school;
pub mod school_spelling;
pub mod site_export_job;
pub mod subject;
pub mod survey_answer;
pub mod survey_round;
pub mod survey_statement;

/// The one list of records: every table, by module, with the name the API and the audit log give
/// it (`School`), grouped by what they carry: `versioned` rows have a `version` and are changed
/// by commands; `unversioned` ones have a global id but are not versioned; `internal` ones have
/// neither. Everything that must know every kind of record (global ids, `node()`, the `Node`
/// interface, versioned changes, the tests' fingerprint of the whole database) is generated
/// from this list by calling `for_each_record!(callback)`, so a new table added here is
/// registered everywhere at once, and one not added here is nowhere.
#[macro_export]
macro_rules! for_each_record {
    ($callback:ident) => {
        $callback! {
            versioned: [
                municipality => Municipality,
                organisation => Organisation,
                school => School,
                person => Person,
                evaluation => Evaluation,
                partnership_group => PartnershipGroup,
                partnership => Partnership,
                appointment => Appointment,
                programme_participation => ProgrammeParticipation,
                assessment_result => AssessmentResult,
                competency_deficit => CompetencyDeficitRow,
                indicator_value => IndicatorValue,
                identification_decision => IdentificationDecision,
                risk_profile => RiskProfile,
                meeting => Meeting,
                survey_round => SurveyRound,
                diary_entry => DiaryEntry,
                plan => Plan,
                measure => Measure,
                curator_visit => CuratorVisit,
                material => Material,
            ],
            unversioned: [
                region => Region,
                cluster => Cluster,
            ],
            internal: [
                group_membership,
                school_spelling,
                audit_entry,
                audit_municipality,
                api_token,
                subject,
                monitoring_indicator,
                identified_school,
                risk_factor,
                risk_profile_factor,
                survey_statement,
                survey_answer,
                plan_section,
                measure_target,
                measure_risk_factor,
                review_comment,
                material_file,
            ],
        }
    };
}

use sea_orm::FromJsonQueryResult;
use serde::{Deserialize, Serialize};

/// Other spellings of a name, as the sources print them; search matches them too.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
pub struct Aliases(pub Vec<String>);
