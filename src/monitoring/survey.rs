//! The change survey's answers summed per section, for the API and the site alike.

use std::collections::BTreeMap;

use crate::domain::shares_summing_to_100;
use crate::entities::{survey_answer, survey_statement};

/// A section's answers summed over its statements.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionTotals {
    /// The section's number.
    pub number: i32,
    /// The section.
    pub name: String,
    /// «Изменений нет», «незначительные», «заметные», summed.
    pub counts: [u32; 3],
}

impl SectionTotals {
    /// The three shares in whole percent, adding up to 100 (all zero without answers).
    pub fn shares(&self) -> [u32; 3] {
        shares_summing_to_100(self.counts)
    }
}

/// Sums `answers` by section, in section order; `statements` by id.
pub fn sections(
    answers: &[survey_answer::Model],
    statements: &BTreeMap<i32, survey_statement::Model>,
) -> Vec<SectionTotals> {
    let mut by_section: BTreeMap<i32, SectionTotals> = BTreeMap::new();
    for a in answers {
        let Some(s) = statements.get(&a.statement_id) else {
            continue;
        };
        let totals = by_section
            .entry(s.section_number)
            .or_insert_with(|| SectionTotals {
                number: s.section_number,
                name: s.section.clone(),
                counts: [0; 3],
            });
        for (sum, n) in totals.counts.iter_mut().zip(a.counts()) {
            *sum += n.max(0) as u32;
        }
    }
    by_section.into_values().collect()
}
