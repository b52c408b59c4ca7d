//! The identification of low-results schools (seed 004). A result is low when at least
//! `threshold` % of its participants got «2» (ВПР) or did not pass the minimum threshold
//! (ОГЭ, ЕГЭ). A school is identified for `year` when
//! 1. at least two procedures were low in the previous year, or
//! 2. at least one procedure was low in each of the two previous years.
//!
//! A procedure is a procedure × subject × grade (× level). A procedure not held that year, or
//! without participants at the school, is neither low nor missing; a result that is not
//! recorded, not reported or lacks a count is missing, and a school with anything missing is
//! listed with what is missing, never silently passed over.

use std::collections::{BTreeMap, HashMap};

use super::Cell;
use crate::domain::{Percentage, ProcedureSubject, ResultStatus};
use crate::entities::assessment_result;

/// What the rules are applied with.
#[derive(Clone, Debug)]
pub struct Criteria {
    /// The year schools are identified for; its two previous years are analysed.
    pub year: i32,
    /// The share that makes a result low.
    pub threshold: Percentage,
    /// The procedures analysed.
    pub procedures: Vec<ProcedureSubject>,
}

impl Criteria {
    /// The two years analysed, the previous first.
    pub fn years(&self) -> [i32; 2] {
        [self.year - 1, self.year - 2]
    }
}

/// The procedures seed 004 analysed: ВПР in mathematics and Russian in grades 5 and 6, ОГЭ in
/// mathematics and Russian.
pub fn seed_procedures() -> Vec<ProcedureSubject> {
    use crate::domain::Procedure::{Oge, Vpr};
    let spec = |procedure, subject: &str, grade| ProcedureSubject {
        procedure,
        subject: subject.to_owned(),
        grade,
        level: None,
    };
    vec![
        spec(Vpr, "mathematics", Some(5)),
        spec(Vpr, "mathematics", Some(6)),
        spec(Vpr, "russian", Some(5)),
        spec(Vpr, "russian", Some(6)),
        spec(Oge, "mathematics", None),
        spec(Oge, "russian", None),
    ]
}

/// A low result behind a candidate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    /// The year.
    pub year: i32,
    /// The procedure.
    pub procedure: ProcedureSubject,
    /// Participants who failed.
    pub failed: i32,
    /// Participants.
    pub participants: i32,
}

impl Evidence {
    /// The share that failed, rounded to one decimal.
    pub fn share(&self) -> Percentage {
        Percentage::of(self.failed as u64, self.participants as u64).expect("participants > 0")
    }
}

/// Why a result the rules need is missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gap {
    /// Nothing is recorded for the school.
    NotRecorded,
    /// Recorded as held but not published.
    NotReported,
    /// A result without the count of participants or of those who failed.
    NoCounts,
}

impl Gap {
    /// In words, for the site.
    pub fn words(self) -> &'static str {
        match self {
            Gap::NotRecorded => "результат не внесён",
            Gap::NotReported => "результат не опубликован",
            Gap::NoCounts => "нет числа участников или не справившихся",
        }
    }
}

/// A result the rules need and do not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Missing {
    /// The year.
    pub year: i32,
    /// The procedure.
    pub procedure: ProcedureSubject,
    /// Why.
    pub gap: Gap,
}

/// A school and what the rules found for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The school's id.
    pub school_id: i32,
    /// The rules that fired (1, 2); empty when none did.
    pub rules: Vec<u8>,
    /// The low results, previous year first.
    pub evidence: Vec<Evidence>,
    /// What the rules needed and did not have.
    pub missing: Vec<Missing>,
}

/// The outcome: the candidates, and the other schools with too little data.
#[derive(Clone, Debug, Default)]
pub struct Identification {
    /// Schools at least one rule identifies.
    pub candidates: Vec<Finding>,
    /// Schools no rule identifies but whose data is incomplete.
    pub incomplete: Vec<Finding>,
}

/// How one procedure stands at one school in one year.
enum Outcome {
    Low(Evidence),
    NotLow,
    Missing(Gap),
}

fn outcome(
    record: Option<&assessment_result::Model>,
    spec: &ProcedureSubject,
    year: i32,
    threshold: Percentage,
) -> Outcome {
    let Some(record) = record else {
        return if spec.procedure.held_in(year) {
            Outcome::Missing(Gap::NotRecorded)
        } else {
            Outcome::NotLow
        };
    };
    match record.status {
        ResultStatus::NotHeld | ResultStatus::NoParticipants => Outcome::NotLow,
        ResultStatus::NotReported => Outcome::Missing(Gap::NotReported),
        ResultStatus::Result => match (record.participants, record.failed) {
            (Some(0), _) => Outcome::NotLow,
            (Some(participants), Some(failed)) => {
                if threshold.reached_by(failed as u64, participants as u64) {
                    Outcome::Low(Evidence {
                        year,
                        procedure: spec.clone(),
                        failed,
                        participants,
                    })
                } else {
                    Outcome::NotLow
                }
            }
            _ => Outcome::Missing(Gap::NoCounts),
        },
    }
}

/// Applies the rules to `schools` (ids, in the order to list them) with their `results`;
/// `subjects` maps subject codes to ids (a procedure of an unknown subject has no results).
pub fn identify(
    criteria: &Criteria,
    schools: &[i32],
    results: &[assessment_result::Model],
    subjects: &HashMap<String, i32>,
) -> Identification {
    let mut index: BTreeMap<(i32, i32, crate::domain::Procedure, Cell), &assessment_result::Model> =
        BTreeMap::new();
    for r in results {
        index.insert((r.school_id, r.year, r.procedure, Cell::of(r)), r);
    }
    let mut found = Identification::default();
    for &school_id in schools {
        let mut finding = Finding {
            school_id,
            rules: Vec::new(),
            evidence: Vec::new(),
            missing: Vec::new(),
        };
        let mut low = [0usize; 2];
        for (i, year) in criteria.years().into_iter().enumerate() {
            for spec in &criteria.procedures {
                let record = subjects.get(&spec.subject).and_then(|&subject_id| {
                    index
                        .get(&(
                            school_id,
                            year,
                            spec.procedure,
                            Cell::of_spec(spec, subject_id),
                        ))
                        .copied()
                });
                match outcome(record, spec, year, criteria.threshold) {
                    Outcome::Low(evidence) => {
                        low[i] += 1;
                        finding.evidence.push(evidence);
                    }
                    Outcome::NotLow => {}
                    Outcome::Missing(gap) => finding.missing.push(Missing {
                        year,
                        procedure: spec.clone(),
                        gap,
                    }),
                }
            }
        }
        if low[0] >= 2 {
            finding.rules.push(1);
        }
        if low[0] >= 1 && low[1] >= 1 {
            finding.rules.push(2);
        }
        if !finding.rules.is_empty() {
            found.candidates.push(finding);
        } else if !finding.missing.is_empty() {
            found.incomplete.push(finding);
        }
    }
    found
}
