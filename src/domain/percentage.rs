//! Shares as the reports print them: «55,2 %», one decimal.

use std::fmt;

use sea_orm::entity::prelude::*;

use super::InvalidValue;

/// A percentage with one decimal, held as tenths of a percent (per mille) so that it is exact.
/// Serialised as tenths of a percent, exactly as stored.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, DeriveValueType, serde::Serialize,
)]
#[serde(transparent)]
pub struct Percentage(i32);

impl Percentage {
    /// Parses tenths of a percent (0–1000).
    pub fn from_permille(permille: i64) -> Result<Self, InvalidValue> {
        match i32::try_from(permille) {
            Ok(p @ 0..=1000) => Ok(Self(p)),
            _ => Err(InvalidValue(format!(
                "a share must be between 0 and 100 %, got {permille} ‰"
            ))),
        }
    }

    /// Parses a percentage as printed, with a decimal point or comma: «32,5».
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let normalised = text.trim().trim_end_matches('%').trim().replace(',', ".");
        let value: f64 = normalised
            .parse()
            .map_err(|_| InvalidValue(format!("«{text}» is not a percentage")))?;
        Self::from_permille((value * 10.0).round() as i64)
    }

    /// The share `part` of `whole`, rounded half up to one decimal; none for an empty whole.
    pub fn of(part: u64, whole: u64) -> Option<Self> {
        (whole > 0 && part <= whole).then(|| Self(((part * 2000 + whole) / (whole * 2)) as i32))
    }

    /// The value in percent, for clients that want a number.
    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 10.0
    }
}

impl fmt::Display for Percentage {
    /// Russian style: a decimal comma and a space before the sign, «55,2 %».
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{},{} %", self.0 / 10, self.0 % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labinsky_share_of_low_results_schools() {
        let share = Percentage::of(16, 29).unwrap();
        assert_eq!(share.to_string(), "55,2 %");
        assert_eq!(share.as_f64(), 55.2);
    }

    #[test]
    fn printed_shares_parse_exactly() {
        assert_eq!(Percentage::parse("32,5%").unwrap().as_f64(), 32.5);
        assert!(Percentage::parse("120").is_err());
        assert!(Percentage::of(1, 0).is_none());
    }
}
