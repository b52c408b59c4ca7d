//! Quality group (группа качества, ГК) and social well-being group (ГИСБШ) of a school, with the
//! level published beside each.

use std::fmt;

use sea_orm::Iterable;
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use super::InvalidValue;

/// A group number on the regional 1–10 scale used for both the quality group and the social
/// well-being group. The database checks the same range, so a value read back is always valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, DeriveValueType, Serialize)]
#[serde(transparent)]
pub struct GroupNumber(i16);

impl GroupNumber {
    /// The highest group on the scale.
    pub const MAX: i16 = 10;

    /// Parses a group number, refusing anything outside 1–10.
    pub fn new(value: i64) -> Result<Self, InvalidValue> {
        match i16::try_from(value) {
            Ok(n @ 1..=Self::MAX) => Ok(Self(n)),
            _ => Err(InvalidValue(format!(
                "a group must be between 1 and {}, got {value}",
                Self::MAX
            ))),
        }
    }

    /// The number itself.
    pub fn get(self) -> i16 {
        self.0
    }

    /// The level this group implies on the scale published by Ирбитское МО (seed 003): 3–4 н,
    /// 5 н/с, 6 с, 7 and 9 в/с. Groups the seed does not show follow the same bands (1–2 н, 8 в/с,
    /// 10 в). A published level that differs is reported as a mismatch, never rewritten.
    pub fn implied_level(self) -> Level {
        match self.0 {
            ..=4 => Level::Low,
            5 => Level::BelowAverage,
            6 => Level::Average,
            7..=9 => Level::AboveAverage,
            _ => Level::High,
        }
    }
}

impl fmt::Display for GroupNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A level as the reports print it (уровень): н, н/с, с, в/с, в.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    async_graphql::Enum,
    Serialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum Level {
    /// н — низкий
    #[sea_orm(string_value = "н")]
    #[serde(rename = "н")]
    Low,
    /// н/с — ниже среднего
    #[sea_orm(string_value = "н/с")]
    #[serde(rename = "н/с")]
    BelowAverage,
    /// с — средний
    #[sea_orm(string_value = "с")]
    #[serde(rename = "с")]
    Average,
    /// в/с — выше среднего
    #[sea_orm(string_value = "в/с")]
    #[serde(rename = "в/с")]
    AboveAverage,
    /// в — высокий
    #[sea_orm(string_value = "в")]
    #[serde(rename = "в")]
    High,
}

impl Level {
    /// The abbreviation printed in the reports.
    pub fn abbreviation(self) -> &'static str {
        match self {
            Level::Low => "н",
            Level::BelowAverage => "н/с",
            Level::Average => "с",
            Level::AboveAverage => "в/с",
            Level::High => "в",
        }
    }

    /// Parses the abbreviation printed in the reports.
    pub fn from_abbreviation(text: &str) -> Result<Self, InvalidValue> {
        Self::iter()
            .find(|level| level.abbreviation() == text.trim())
            .ok_or_else(|| {
                InvalidValue(format!(
                    "unknown level «{text}»: expected one of н, н/с, с, в/с, в"
                ))
            })
    }
}

/// Why a group is absent: the seeds print a reason instead of a number, and it must not be
/// mistaken for zero.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    async_graphql::Enum,
    Serialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Absence {
    /// «нет выпускников»: the school had no graduates to rate.
    #[sea_orm(string_value = "NO_GRADUATES")]
    NoGraduates,
    /// «нет информации»: no data was available.
    #[sea_orm(string_value = "NO_INFORMATION")]
    NoInformation,
}

impl Absence {
    /// The wording the reports print.
    pub fn wording(self) -> &'static str {
        match self {
            Absence::NoGraduates => "нет выпускников",
            Absence::NoInformation => "нет информации",
        }
    }
}

/// A group as published: a number with its level, or the reason it is absent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rated {
    /// A group number and the level printed beside it (the level may be missing).
    Group(GroupNumber, Option<Level>),
    /// No group, for the stated reason.
    Absent(Absence),
}

impl Rated {
    /// Rebuilds the value from its three database columns.
    pub fn from_columns(
        group: Option<GroupNumber>,
        absence: Option<Absence>,
        level: Option<Level>,
    ) -> Self {
        match (group, absence) {
            (Some(group), _) => Rated::Group(group, level),
            (None, Some(reason)) => Rated::Absent(reason),
            // The schema requires a group or a reason; a row without both is read as unknown.
            (None, None) => Rated::Absent(Absence::NoInformation),
        }
    }

    /// The group number, if there is one.
    pub fn group(self) -> Option<GroupNumber> {
        match self {
            Rated::Group(group, _) => Some(group),
            Rated::Absent(_) => None,
        }
    }

    /// The published level, if there is one.
    pub fn level(self) -> Option<Level> {
        match self {
            Rated::Group(_, level) => level,
            Rated::Absent(_) => None,
        }
    }

    /// The reason the group is absent, if it is.
    pub fn absence(self) -> Option<Absence> {
        match self {
            Rated::Group(..) => None,
            Rated::Absent(reason) => Some(reason),
        }
    }

    /// False when the published level disagrees with the level the group implies.
    pub fn level_agrees(self) -> bool {
        match self {
            Rated::Group(group, Some(level)) => group.implied_level() == level,
            _ => true,
        }
    }
}

/// A group as a report prints it: a number, or the words saying why there is none.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum PublishedGroup {
    /// «6»
    Number(i64),
    /// «нет информации»
    Words(String),
}

impl PublishedGroup {
    /// Parses the group and the level printed beside it.
    pub fn parse(self, level: Option<&str>) -> Result<Rated, InvalidValue> {
        match self {
            PublishedGroup::Number(n) => Ok(Rated::Group(
                GroupNumber::new(n)?,
                level.map(Level::from_abbreviation).transpose()?,
            )),
            PublishedGroup::Words(words) => {
                let reason = Absence::from_wording(&words)?;
                match level.map(Absence::from_wording) {
                    None => Ok(Rated::Absent(reason)),
                    Some(Ok(same)) if same == reason => Ok(Rated::Absent(reason)),
                    Some(_) => Err(InvalidValue(format!(
                        "a level «{}» is given for a group that is absent («{words}»)",
                        level.unwrap_or_default()
                    ))),
                }
            }
        }
    }
}

impl Absence {
    /// Recognises the printed reason, including the misspelling «нет выпустников» of seed 003.
    pub fn from_wording(words: &str) -> Result<Self, InvalidValue> {
        match super::fold(words).as_str() {
            "нет выпускников" | "нет выпустников" => {
                Ok(Absence::NoGraduates)
            }
            "нет информации" => Ok(Absence::NoInformation),
            _ => Err(InvalidValue(format!(
                "unknown reason for a missing group: «{words}» (expected «нет выпускников» or «нет информации»)"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_numbers_outside_the_scale_are_refused() {
        assert!(GroupNumber::new(0).is_err());
        assert!(GroupNumber::new(11).is_err());
        assert_eq!(GroupNumber::new(9).unwrap().get(), 9);
    }

    #[test]
    fn irbit_published_levels_agree_with_their_groups() {
        for (group, level) in [
            (3, "н"),
            (4, "н"),
            (5, "н/с"),
            (6, "с"),
            (7, "в/с"),
            (9, "в/с"),
        ] {
            let level = Level::from_abbreviation(level).unwrap();
            assert_eq!(GroupNumber::new(group).unwrap().implied_level(), level);
        }
    }

    #[test]
    fn a_mismatched_level_is_reported() {
        let rated = Rated::Group(GroupNumber::new(3).unwrap(), Some(Level::Average));
        assert!(!rated.level_agrees());
    }

    #[test]
    fn seed_reasons_are_recognised_despite_the_typo() {
        let rated = PublishedGroup::Words("нет выпустников".into())
            .parse(None)
            .unwrap();
        assert_eq!(rated, Rated::Absent(Absence::NoGraduates));
    }
}
