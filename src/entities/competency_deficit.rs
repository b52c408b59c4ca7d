//! Teacher competency deficits (предметные дефициты) of one subject in a municipality (or one
//! school) and year: how many teachers were assessed and how many are at each level A–D.
//! Shares are computed from the counts, never stored; the shares a source printed are kept
//! beside them only to show where they differ.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use crate::domain::shares_summing_to_100;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "competency_deficits")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Bumped by every update; an update naming an older version is refused.
    pub version: i32,
    pub municipality_id: i32,
    pub school_id: Option<i32>,
    pub year: i32,
    pub subject_id: i32,
    pub teachers: i32,
    /// Systemic deficits that must be remedied.
    pub level_a: i32,
    /// Local deficits, remedy recommended.
    pub level_b: i32,
    /// Minor deficits, remedied at the teacher's wish.
    pub level_c: i32,
    /// No deficits.
    pub level_d: i32,
    pub published_share_a: Option<i16>,
    pub published_share_b: Option<i16>,
    pub published_share_c: Option<i16>,
    pub published_share_d: Option<i16>,
}

impl Model {
    /// The counts at levels A, B, C, D.
    pub fn levels(&self) -> [u32; 4] {
        [self.level_a, self.level_b, self.level_c, self.level_d].map(|n| n.max(0) as u32)
    }

    /// The shares the source printed, if it printed them.
    pub fn published_shares(&self) -> Option<[i16; 4]> {
        Some([
            self.published_share_a?,
            self.published_share_b?,
            self.published_share_c?,
            self.published_share_d?,
        ])
    }
}

/// Levels A–D summed over rows, with their computed shares: a table's total line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Levels {
    /// Teachers assessed.
    pub teachers: u32,
    /// Counts at A, B, C, D.
    pub counts: [u32; 4],
}

impl Levels {
    /// The levels of one row.
    pub fn of(row: &Model) -> Self {
        Levels {
            teachers: row.teachers.max(0) as u32,
            counts: row.levels(),
        }
    }

    /// The sum of `rows`.
    pub fn total<'a>(rows: impl IntoIterator<Item = &'a Model>) -> Self {
        rows.into_iter()
            .map(Levels::of)
            .fold(Levels::default(), |sum, row| Levels {
                teachers: sum.teachers + row.teachers,
                counts: std::array::from_fn(|i| sum.counts[i] + row.counts[i]),
            })
    }

    /// Whole percentages of A, B, C, D that add up to 100.
    pub fn shares(&self) -> [u32; 4] {
        shares_summing_to_100(self.counts)
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
