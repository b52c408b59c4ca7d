//! A municipality's results in one procedure and year: every school's figures side by side,
//! and the municipality's mean of each column, weighted by participants where every school's
//! count is known (otherwise the plain mean of the schools' means, and it says so).

use std::collections::{BTreeMap, BTreeSet};

use super::Cell;
use crate::entities::assessment_result;

/// A column's municipal mean.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ColumnMean {
    /// The mean, in hundredths (rounded half away from zero); none if no school has one.
    pub mean: Option<i32>,
    /// True when weighted by participants.
    pub weighted: bool,
    /// Schools with a mean.
    pub schools: usize,
    /// Participants summed, when every school with a mean gave its count.
    pub participants: Option<i64>,
}

/// The table.
#[derive(Clone, Debug)]
pub struct Table<'a> {
    /// The columns, in subject order then grade and level.
    pub columns: Vec<Cell>,
    /// Each school (by id, in the order given) with its record in each column.
    pub rows: Vec<(i32, Vec<Option<&'a assessment_result::Model>>)>,
    /// The municipal mean of each column.
    pub means: Vec<ColumnMean>,
}

/// The table of `schools` from `results` (of one procedure and year); `order` gives each
/// subject's place. Schools without any record are left out.
pub fn table<'a>(
    schools: &[i32],
    results: &'a [assessment_result::Model],
    order: impl Fn(i32) -> i32,
) -> Table<'a> {
    let mut columns: Vec<Cell> = results
        .iter()
        .map(Cell::of)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    columns.sort_by_key(|c| (order(c.subject_id), c.grade, c.level));
    let mut by_school: BTreeMap<i32, BTreeMap<Cell, &assessment_result::Model>> = BTreeMap::new();
    for row in results {
        by_school
            .entry(row.school_id)
            .or_default()
            .insert(Cell::of(row), row);
    }
    let rows: Vec<(i32, Vec<Option<&assessment_result::Model>>)> = schools
        .iter()
        .filter_map(|id| {
            let cells = by_school.get(id)?;
            Some((*id, columns.iter().map(|c| cells.get(c).copied()).collect()))
        })
        .collect();
    let means = (0..columns.len())
        .map(|i| column_mean(rows.iter().filter_map(|(_, cells)| cells[i])))
        .collect();
    Table {
        columns,
        rows,
        means,
    }
}

fn column_mean<'a>(records: impl Iterator<Item = &'a assessment_result::Model>) -> ColumnMean {
    let with_mean: Vec<(i64, Option<i64>)> = records
        .filter_map(|r| {
            let mean = r.mean_hundredths?.hundredths();
            Some((
                i64::from(mean),
                r.participants.filter(|&n| n > 0).map(i64::from),
            ))
        })
        .collect();
    let schools = with_mean.len();
    if schools == 0 {
        return ColumnMean {
            mean: None,
            weighted: false,
            schools,
            participants: None,
        };
    }
    let participants: Option<i64> = with_mean.iter().map(|(_, n)| *n).sum();
    let (sum, weight): (i64, i64) = match participants {
        Some(total) => (
            with_mean.iter().map(|(m, n)| m * n.unwrap_or(0)).sum(),
            total,
        ),
        None => (with_mean.iter().map(|(m, _)| m).sum(), schools as i64),
    };
    ColumnMean {
        mean: Some(((sum * 2 + weight) / (weight * 2)) as i32),
        weighted: participants.is_some(),
        schools,
        participants,
    }
}
