//! Dates as the seeds give them: often only a year («в 2021 году») or a month («июнь 2020»).

use std::{fmt, str::FromStr};

use chrono::NaiveDate;
use sea_orm::entity::prelude::*;

use super::InvalidValue;

/// An ISO 8601 calendar date of reduced precision: `2021`, `2021-06` or `2021-05-20`. Keeping
/// the precision avoids inventing a day the source never gave. A coarse date is the whole period
/// it names (`2021` is every day of 2021), which is what comparisons between dates follow.
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

/// Years a date of this domain can fall in: the programmes began in the 2010s; a year outside
/// this range is a typing error (`0000`, `20211`), not history.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

impl PartialDate {
    /// The first day the date could mean.
    pub fn earliest(self) -> NaiveDate {
        match self {
            PartialDate::Year(y) => NaiveDate::from_ymd_opt(y, 1, 1),
            PartialDate::Month(y, m) => NaiveDate::from_ymd_opt(y, m, 1),
            PartialDate::Day(d) => Some(d),
        }
        .expect("validated when parsed")
    }

    /// The last day the date could mean.
    pub fn latest(self) -> NaiveDate {
        match self {
            PartialDate::Year(y) => NaiveDate::from_ymd_opt(y, 12, 31),
            PartialDate::Month(y, m) => NaiveDate::from_ymd_opt(y, m, 1)
                .and_then(|first| first.checked_add_months(chrono::Months::new(1)))
                .and_then(|next| next.pred_opt()),
            PartialDate::Day(d) => Some(d),
        }
        .expect("validated when parsed")
    }

    /// True when every day this date could mean precedes every day `other` could mean: only
    /// then does a period ending on `self` and starting on `other` end before it starts
    /// (`2021` does not end before `2021-06`, it contains it).
    pub fn wholly_before(self, other: PartialDate) -> bool {
        self.latest() < other.earliest()
    }

    /// Coarser first among dates that begin on the same day, as a list sorted by time shows them.
    fn precision(self) -> u8 {
        match self {
            PartialDate::Year(_) => 0,
            PartialDate::Month(..) => 1,
            PartialDate::Day(_) => 2,
        }
    }
}

/// The order of lists (by the first day, coarser first); for whether one date precedes another
/// use [`PartialDate::wholly_before`], which respects what a coarse date means.
impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.earliest(), self.precision()).cmp(&(other.earliest(), other.precision()))
    }
}

impl FromStr for PartialDate {
    type Err = InvalidValue;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || {
            InvalidValue(format!(
                "«{text}» is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD, years {}–{}",
                YEARS.start(),
                YEARS.end()
            ))
        };
        let parts: Vec<&str> = text.trim().split('-').collect();
        let number = |s: &str, len: usize| {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u32>().ok())
                .flatten()
                .ok_or_else(invalid)
        };
        let year = |s| {
            number(s, 4)
                .map(|y| y as i32)
                .and_then(|y| YEARS.contains(&y).then_some(y).ok_or_else(invalid))
        };
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
        for text in [
            "2021-13",
            "2021-02-30",
            "21",
            "2021-5",
            "",
            "июнь 2020",
            "0000",
            "1899",
            "2101-01",
        ] {
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

    #[test]
    fn a_period_ends_before_it_starts_only_when_no_day_of_the_end_is_left() {
        let date = |text: &str| text.parse::<PartialDate>().unwrap();
        assert!(!date("2021").wholly_before(date("2021-06")));
        assert!(!date("2021-06").wholly_before(date("2021")));
        assert!(!date("2021-06").wholly_before(date("2021-06-30")));
        assert!(date("2021-05").wholly_before(date("2021-06-01")));
        assert!(date("2020").wholly_before(date("2021-01")));
        assert!(date("2024-02-28").wholly_before(date("2024-02-29")));
        assert_eq!(date("2024-02").latest().to_string(), "2024-02-29");
        assert_eq!(date("2021-12").latest().to_string(), "2021-12-31");
    }
}
