//! A school's results in one procedure and subject over the years, with the change year on
//! year: a change only between two consecutive years that both have a mean; across a missing
//! year, a year not held or without participants, there is none (never a change from zero).

use std::collections::BTreeMap;

use super::Cell;
use crate::entities::assessment_result;

/// One year of a series.
#[derive(Clone, Debug)]
pub struct Point<'a> {
    /// The year.
    pub year: i32,
    /// The record of that year; none when nothing was recorded.
    pub result: Option<&'a assessment_result::Model>,
    /// The mean minus the previous year's, in hundredths; none across a gap.
    pub change: Option<i32>,
}

/// The series of one grade and level.
#[derive(Clone, Debug)]
pub struct Series<'a> {
    /// Subject, grade and level.
    pub cell: Cell,
    /// Every year from the first recorded to the last, oldest first.
    pub points: Vec<Point<'a>>,
}

/// The series of `results` (of one school, procedure and subject), one per grade and level.
pub fn series(results: &[assessment_result::Model]) -> Vec<Series<'_>> {
    let mut by_cell: BTreeMap<Cell, BTreeMap<i32, &assessment_result::Model>> = BTreeMap::new();
    for row in results {
        by_cell
            .entry(Cell::of(row))
            .or_default()
            .insert(row.year, row);
    }
    by_cell
        .into_iter()
        .map(|(cell, years)| {
            let (first, last) = (
                *years.keys().next().expect("a cell has a year"),
                *years.keys().next_back().expect("a cell has a year"),
            );
            let mean = |year: i32| {
                years
                    .get(&year)
                    .and_then(|r| r.mean_hundredths)
                    .map(|m| m.hundredths())
            };
            let points = (first..=last)
                .map(|year| Point {
                    year,
                    result: years.get(&year).copied(),
                    change: mean(year).zip(mean(year - 1)).map(|(now, then)| now - then),
                })
                .collect();
            Series { cell, points }
        })
        .collect()
}
