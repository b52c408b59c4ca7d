//! Dates as the seeds give them: often only a year («в 2021 году») or a month («июнь 2020»).

use std::{fmt, str::FromStr};

use chrono::NaiveDate;
use sea_orm::entity::prelude::*;

use super::InvalidValue;

/// An ISO 8601 calendar date of reduced precision: `2021`, `2021-06` or `2021-05-20`. Keeping
/// the precision avoids inventing a day the source never gave; the text form sorts in time order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, DeriveValueType)]
#[sea_orm(value_type = "String")]
pub enum PartialDate {
    /// Only the year is known.
    Year(i32),
    /// The year and month are known.
    Month(i32, u32),
    /// The exact day is known.
    Day(NaiveDate),
}

impl PartialDate {
    /// The first day the date could mean, for ordering and comparisons.
    pub fn earliest(self) -> NaiveDate {
        match self {
            PartialDate::Year(y) => NaiveDate::from_ymd_opt(y, 1, 1),
            PartialDate::Month(y, m) => NaiveDate::from_ymd_opt(y, m, 1),
            PartialDate::Day(d) => Some(d),
        }
        .expect("validated when parsed")
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.to_string().cmp(&other.to_string())
    }
}

impl FromStr for PartialDate {
    type Err = InvalidValue;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || {
            InvalidValue(format!(
                "«{text}» is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD"
            ))
        };
        let parts: Vec<&str> = text.trim().split('-').collect();
        let number = |s: &str, len: usize| {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u32>().ok())
                .flatten()
                .ok_or_else(invalid)
        };
        let year = |s| number(s, 4).map(|y| y as i32);
        match parts.as_slice() {
            [y] => Ok(PartialDate::Year(year(y)?)),
            [y, m] => {
                let (y, m) = (year(y)?, number(m, 2)?);
                NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(invalid)?;
                Ok(PartialDate::Month(y, m))
            }
            [y, m, d] => NaiveDate::from_ymd_opt(year(y)?, number(m, 2)?, number(d, 2)?)
                .map(PartialDate::Day)
                .ok_or_else(invalid),
            _ => Err(invalid()),
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartialDate::Year(y) => write!(f, "{y:04}"),
            PartialDate::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            PartialDate::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
        }
    }
}

impl serde::Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[async_graphql::Scalar(name = "PartialDate")]
/// An ISO 8601 calendar date of reduced precision: `2021`, `2021-06` or `2021-05-20`. Sources
/// often give only the year or the month, and a day is never invented.
impl async_graphql::ScalarType for PartialDate {
    fn parse(value: async_graphql::Value) -> async_graphql::InputValueResult<Self> {
        match &value {
            async_graphql::Value::String(text) => Ok(text.parse()?),
            _ => Err(async_graphql::InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> async_graphql::Value {
        async_graphql::Value::String(self.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_precision_round_trips() {
        for text in ["2021", "2020-06", "2021-05-20"] {
            assert_eq!(text.parse::<PartialDate>().unwrap().to_string(), text);
        }
    }

    #[test]
    fn impossible_dates_are_refused() {
        for text in ["2021-13", "2021-02-30", "21", "2021-5", "", "июнь 2020"] {
            assert!(text.parse::<PartialDate>().is_err(), "{text}");
        }
    }

    #[test]
    fn coarser_dates_sort_before_finer_ones_of_the_same_period() {
        let year: PartialDate = "2021".parse().unwrap();
        let day: PartialDate = "2021-05-20".parse().unwrap();
        assert!(year < day);
        assert!(day < "2022".parse().unwrap());
    }
}
