//! The school year (учебный год) a plan is for: «2021-2022», from September to August.

use std::{fmt, str::FromStr};

use chrono::NaiveDate;
use sea_orm::entity::prelude::*;

use super::{InvalidValue, PartialDate};

/// A school year, held as the calendar year it begins in: `2021` is «2021-2022». Written and
/// parsed as `2021-2022` (the seeds also print «2021/2022» and «2021-2022 учебный год»).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, DeriveValueType)]
pub struct SchoolYear(i32);

impl SchoolYear {
    /// The school year that begins in the autumn of `year`.
    pub fn beginning_in(year: i32) -> Result<Self, InvalidValue> {
        if (2000..=2100).contains(&year) {
            Ok(SchoolYear(year))
        } else {
            Err(InvalidValue(format!(
                "a school year begins between 2000 and 2100, not in {year}"
            )))
        }
    }

    /// The calendar year of its September.
    pub fn first_year(self) -> i32 {
        self.0
    }

    /// The school year `date` falls in.
    pub fn of(date: NaiveDate) -> Self {
        use chrono::Datelike;
        SchoolYear(if date.month() >= 9 {
            date.year()
        } else {
            date.year() - 1
        })
    }

    /// The month `month` (1–12) of this school year, when the month alone places it: September
    /// to December in the first calendar year, January to May in the second. June to August
    /// are left unplaced: a plan's «август» is as often the August before the year as the one
    /// that ends it.
    pub fn place_month(self, month: u32) -> Option<PartialDate> {
        match month {
            9..=12 => Some(PartialDate::Month(self.0, month)),
            1..=5 => Some(PartialDate::Month(self.0 + 1, month)),
            _ => None,
        }
    }

    /// September of its first year and August of its second: the whole school year.
    pub fn span(self) -> (PartialDate, PartialDate) {
        (
            PartialDate::Month(self.0, 9),
            PartialDate::Month(self.0 + 1, 8),
        )
    }
}

impl FromStr for SchoolYear {
    type Err = InvalidValue;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || {
            InvalidValue(format!(
                "«{text}» is not a school year written as 2021-2022"
            ))
        };
        let (first, second) = text.trim().split_once(['-', '/']).ok_or_else(invalid)?;
        let first: i32 = first.parse().map_err(|_| invalid())?;
        let second: i32 = second.parse().map_err(|_| invalid())?;
        if second != first + 1 {
            return Err(InvalidValue(format!(
                "«{text}»: a school year's second year follows its first"
            )));
        }
        SchoolYear::beginning_in(first)
    }
}

impl fmt::Display for SchoolYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.0, self.0 + 1)
    }
}

impl serde::Serialize for SchoolYear {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for SchoolYear {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// `"2021-2022"` in GraphQL.
#[async_graphql::Scalar(name = "SchoolYear")]
impl async_graphql::ScalarType for SchoolYear {
    fn parse(value: async_graphql::Value) -> async_graphql::InputValueResult<Self> {
        match &value {
            async_graphql::Value::String(s) => Ok(s.parse()?),
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
    fn a_school_year_is_two_consecutive_years() {
        let year: SchoolYear = "2021-2022".parse().unwrap();
        assert_eq!(year.to_string(), "2021-2022");
        assert_eq!("2021/2022".parse::<SchoolYear>(), Ok(year));
        for bad in ["2021-2023", "2021", "2022-2021", "1999-2000", "два-три"] {
            assert!(bad.parse::<SchoolYear>().is_err(), "{bad}");
        }
        let day = |m, d| NaiveDate::from_ymd_opt(2022, m, d).unwrap();
        assert_eq!(SchoolYear::of(day(8, 31)), year);
        assert_eq!(SchoolYear::of(day(9, 1)).to_string(), "2022-2023");
    }
}
