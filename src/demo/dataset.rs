//! The shape of `dataset.toml`. Values that have a domain type are parsed while reading, so a
//! typo in the file fails the load with the value named.

use serde::Deserialize;

use crate::domain::{
    AppointmentRole, ExamLevel, InvalidValue, Mean, OrganisationKind, PartialDate, PartnershipKind,
    Procedure, ProcedureSubject, Programme, PublishedGroup, Rated, ResultStatus,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    pub region: Vec<Region>,
    pub municipality: Vec<Municipality>,
    pub organisation: Vec<Organisation>,
    pub school: Vec<School>,
    pub group: Vec<Group>,
    pub partnership: Vec<Partnership>,
    pub base_school: Vec<BaseSchool>,
    pub person: Vec<Person>,
    pub participation: Vec<Participation>,
    pub programme_list: Vec<ProgrammeList>,
    pub result_table: Vec<ResultTable>,
    pub deficit_table: Vec<DeficitTable>,
    pub identification_decision: Vec<IdentificationDecision>,
    pub risk_profile: Vec<RiskProfile>,
    pub meeting: Vec<Meeting>,
    pub plan: Vec<Plan>,
    pub material: Vec<Material>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub slug: String,
    pub name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Municipality {
    pub slug: String,
    pub region: String,
    pub name: String,
    pub short_name: String,
    pub school_count: Option<i32>,
    /// As printed: «32,5».
    pub regional_low_results_share: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub municipality: Option<String>,
    pub kind: OrganisationKind,
    pub name: String,
    pub short_name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct School {
    pub municipality: String,
    pub name: String,
    pub full_name: String,
    pub legal_form: Option<String>,
    /// The short name of the parent school, for a branch.
    pub parent: Option<String>,
    pub cluster: Option<i32>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub evaluations: Vec<EvaluationRow>,
}

/// A row of the evaluation table: year, ГК, its level, ГИСБШ, its level.
#[derive(Deserialize)]
pub struct EvaluationRow(i32, PublishedGroup, String, PublishedGroup, String);

impl EvaluationRow {
    pub fn year(&self) -> i32 {
        self.0
    }

    /// The quality group and the well-being group, with their levels.
    pub fn parse(&self) -> Result<(Rated, Rated), InvalidValue> {
        Ok((
            self.1.clone().parse(Some(&self.2))?,
            self.3.clone().parse(Some(&self.4))?,
        ))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub municipality: String,
    pub number: i32,
    #[serde(default)]
    pub resource_centres: Vec<String>,
    pub members: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partnership {
    pub kind: PartnershipKind,
    pub school: String,
    pub partner_school: Option<String>,
    pub partner_organisation: Option<String>,
    pub starts_on: Option<PartialDate>,
    pub ends_on: Option<PartialDate>,
    pub document: Option<String>,
    pub description: Option<String>,
}

/// A school that is the base site of every school on its municipality's list of `programme`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseSchool {
    pub school: String,
    pub programme: Programme,
    pub description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub full_name: String,
    pub position: Option<String>,
    /// Workplace, a school reference…
    pub school: Option<String>,
    /// …or an organisation name.
    pub organisation: Option<String>,
    #[serde(default)]
    pub appointments: Vec<Appointment>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Appointment {
    pub role: AppointmentRole,
    pub programme: Option<Programme>,
    /// Needed when no school is named.
    pub municipality: Option<String>,
    pub school: Option<String>,
    pub starts_on: Option<PartialDate>,
    pub ends_on: Option<PartialDate>,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participation {
    pub school: String,
    pub programme: Programme,
    pub included_on: Option<PartialDate>,
    pub excluded_on: Option<PartialDate>,
    pub exclusion_justification: Option<String>,
    pub risk_group: Option<String>,
}

/// A published list of the schools of one municipality in one programme.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeList {
    pub municipality: String,
    pub programme: Programme,
    pub included_on: Option<PartialDate>,
    pub risk_group: Option<String>,
    pub schools: Vec<String>,
}

impl ProgrammeList {
    /// One participation per listed school.
    pub fn entries(&self) -> impl Iterator<Item = Participation> + '_ {
        self.schools.iter().map(|name| Participation {
            school: format!("{}/{name}", self.municipality),
            programme: self.programme,
            included_on: self.included_on,
            excluded_on: None,
            exclusion_justification: None,
            risk_group: self.risk_group.clone(),
        })
    }
}

/// A table of results as a seed prints it: columns of year × subject, rows of school × cells.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultTable {
    pub municipality: String,
    pub procedure: Procedure,
    pub columns: Vec<ResultColumn>,
    /// The school's short name, then one cell per column.
    pub rows: Vec<Vec<String>>,
}

/// What a column holds.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultColumn {
    pub year: i32,
    pub subject: String,
    /// Another procedure than the table's (the ГВЭ columns of the ЕГЭ table).
    pub procedure: Option<Procedure>,
    pub level: Option<ColumnLevel>,
}

/// The level of an ЕГЭ mathematics column.
#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ColumnLevel {
    Base,
    Profile,
    /// «Матем. (баз./проф.)»: «3,2 /50» is the base mark and the profile score.
    BaseProfile,
}

/// One record a cell gives.
pub struct CellRecord {
    pub procedure: Procedure,
    pub level: Option<ExamLevel>,
    pub status: ResultStatus,
    pub mean: Option<Mean>,
}

impl ResultColumn {
    /// The records of `cell` as printed: «-» not held, «0» no participants, a mean, or (in a
    /// base/profile column) «base /profile».
    pub fn records(&self, table: Procedure, cell: &str) -> Result<Vec<CellRecord>, InvalidValue> {
        let procedure = self.procedure.unwrap_or(table);
        let levels: Vec<Option<ExamLevel>> = match self.level {
            None => vec![None],
            Some(ColumnLevel::Base) => vec![Some(ExamLevel::Base)],
            Some(ColumnLevel::Profile) => vec![Some(ExamLevel::Profile)],
            Some(ColumnLevel::BaseProfile) => vec![Some(ExamLevel::Base), Some(ExamLevel::Profile)],
        };
        let parts: Vec<&str> = cell.split('/').map(str::trim).collect();
        if parts.len() > levels.len() {
            return Err(InvalidValue(format!(
                "«{cell}» has more values than the column"
            )));
        }
        parts
            .iter()
            .zip(levels)
            .map(|(part, level)| {
                let (status, mean) = match *part {
                    "-" => (ResultStatus::NotHeld, None),
                    "0" => (ResultStatus::NoParticipants, None),
                    text => (
                        ResultStatus::Result,
                        Some(Mean::parse(text, procedure.figure(level))?),
                    ),
                };
                Ok(CellRecord {
                    procedure,
                    level,
                    status,
                    mean,
                })
            })
            .collect()
    }
}

/// Subject code, teachers, A, B, C, D, then the four printed shares.
pub type DeficitRow = (String, i32, i32, i32, i32, i32, i32, i32, i32, i32);

/// A table of competency deficits as seed 001 prints it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeficitTable {
    pub municipality: String,
    pub year: i32,
    pub rows: Vec<DeficitRow>,
}

/// A published identification decision.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentificationDecision {
    pub municipality: String,
    pub year: i32,
    pub threshold: f64,
    pub procedures: Vec<ProcedureSubject>,
    pub conclusion: String,
    pub document: Option<String>,
    /// Short names of the schools identified.
    pub schools: Vec<String>,
}

/// A school's risk profile: factors by number, without significance where the seed prints none.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskProfile {
    pub school: String,
    pub year: Option<i32>,
    pub risk_group: Option<String>,
    #[serde(default)]
    pub factors: Vec<i32>,
}

/// A meeting's protocol, as printed.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    pub municipality: String,
    pub title: String,
    pub held_on: Option<PartialDate>,
    #[serde(default)]
    pub agenda: Vec<String>,
    #[serde(default)]
    pub speakers: Vec<crate::entities::meeting::Speaker>,
    #[serde(default)]
    pub annexes: Vec<crate::entities::meeting::Annex>,
    #[serde(default)]
    pub decisions: Vec<String>,
    pub vote: Option<String>,
    pub chair: Option<String>,
}

/// A plan with its measures, as printed: a school's (`school` given) or the municipality's.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub municipality: String,
    pub school: Option<String>,
    pub school_year: Option<crate::domain::SchoolYear>,
    pub title: String,
    #[serde(default)]
    pub sections: Vec<PlanSection>,
    #[serde(default)]
    pub measure: Vec<Measure>,
}

/// A numbered section of a municipal plan.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanSection {
    pub number: i32,
    pub title: String,
}

/// A measure of a plan; target schools by `municipality/name`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    pub section: Option<i32>,
    pub title: String,
    pub period: Option<String>,
    pub result: Option<String>,
    pub responsible: Option<String>,
    #[serde(default)]
    pub targets: Vec<String>,
    pub targets_text: Option<String>,
    pub evaluation_method: Option<String>,
    pub status: crate::domain::MeasureStatus,
}

/// A material of a municipality's methodological bank; the text in Markdown.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Material {
    pub municipality: String,
    pub kind: crate::domain::MaterialKind,
    pub title: String,
    pub audience: Option<String>,
    pub programme: Option<crate::domain::Programme>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub body: String,
}
