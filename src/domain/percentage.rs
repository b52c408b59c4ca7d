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

    /// A percentage given as a number (the API's Float), to one decimal at most.
    pub fn from_f64(value: f64) -> Result<Self, InvalidValue> {
        let tenths = value * 10.0;
        if !value.is_finite() || (tenths - tenths.round()).abs() > 1e-6 {
            return Err(InvalidValue(format!(
                "a share is given to one decimal at most, got {value}"
            )));
        }
        Self::from_permille(tenths.round() as i64)
    }

    /// True when `part` of `whole` is at least this share, compared exactly (29,97 % does not
    /// reach 30 %, though it rounds to it); never for an empty whole.
    pub fn reached_by(self, part: u64, whole: u64) -> bool {
        whole > 0 && part * 1000 >= u64::from(self.0.unsigned_abs()) * whole
    }

    /// The value in percent, for clients that want a number.
    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 10.0
    }
}

impl<'de> serde::Deserialize<'de> for Percentage {
    /// Tenths of a percent, as serialised, checked like any other input.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_permille(i64::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Percentage {
    /// Russian style: a decimal comma and a space before the sign, «55,2 %».
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{},{} %", self.0 / 10, self.0 % 10)
    }
}

/// Whole percentages of `counts` in their total that add up to exactly 100 (the largest
/// remainder method): each share is rounded down, and the points still missing go to the largest
/// remainders (on a tie, to the larger count, then to the earlier one). All zero for no total.
pub fn shares_summing_to_100<const N: usize>(counts: [u32; N]) -> [u32; N] {
    let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
    let mut shares = [0; N];
    if total == 0 {
        return shares;
    }
    let mut remainders: Vec<(u64, u32, usize)> = Vec::with_capacity(N);
    for (i, &count) in counts.iter().enumerate() {
        let scaled = u64::from(count) * 100;
        shares[i] = (scaled / total) as u32;
        remainders.push((scaled % total, count, i));
    }
    let missing = 100 - shares.iter().sum::<u32>() as usize;
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    for &(_, _, i) in remainders.iter().take(missing) {
        shares[i] += 1;
    }
    shares
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up_to_100_by_the_largest_remainder() {
        assert_eq!(shares_summing_to_100([8, 16, 12, 0]), [22, 45, 33, 0]);
        assert_eq!(shares_summing_to_100([65, 79, 84, 4]), [28, 34, 36, 2]);
        assert_eq!(shares_summing_to_100([1, 1, 1, 0]), [34, 33, 33, 0]);
        assert_eq!(shares_summing_to_100([0, 0, 0, 0]), [0, 0, 0, 0]);
    }

    #[test]
    fn a_threshold_is_reached_exactly() {
        let thirty = Percentage::from_f64(30.0).unwrap();
        assert!(thirty.reached_by(3, 10));
        assert!(!thirty.reached_by(2997, 10000));
        assert!(!thirty.reached_by(0, 0));
        assert!(Percentage::from_f64(29.95).is_err());
    }

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
