//! Assessment procedures (ВПР, ОГЭ, ЕГЭ…) and the figures they report: a mean mark (1–5) or a
//! mean score (0–100), each exact to the hundredth as the reports print them («3,58», «46,3»).

use std::fmt;
use std::ops::RangeInclusive;

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

use super::InvalidValue;

/// An assessment procedure (оценочная процедура), as reference data: what it reports, in which
/// grades and since when it is held.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    async_graphql::Enum,
    Deserialize,
    Serialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Procedure {
    /// ВПР — всероссийские проверочные работы (grades 4–11), marked 2–5.
    #[sea_orm(string_value = "VPR")]
    Vpr,
    /// НИКО — национальные исследования качества образования.
    #[sea_orm(string_value = "NIKO")]
    Niko,
    /// ОГЭ — основной государственный экзамен (grade 9), marked 2–5.
    #[sea_orm(string_value = "OGE")]
    Oge,
    /// ГВЭ-9 — государственный выпускной экзамен after grade 9, marked 2–5.
    #[sea_orm(string_value = "GVE_9")]
    #[graphql(name = "GVE_9")]
    #[serde(rename = "GVE_9")]
    Gve9,
    /// ЕГЭ — единый государственный экзамен (grade 11), scored 0–100; mathematics at the base
    /// level is marked 2–5.
    #[sea_orm(string_value = "EGE")]
    Ege,
    /// ГВЭ-11 — государственный выпускной экзамен after grade 11, marked 2–5.
    #[sea_orm(string_value = "GVE_11")]
    #[graphql(name = "GVE_11")]
    #[serde(rename = "GVE_11")]
    Gve11,
    /// A regional assessment (региональная оценочная процедура), scored 0–100 % of the maximum.
    #[sea_orm(string_value = "REGIONAL")]
    Regional,
}

/// What kind of mean a procedure reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Figure {
    /// Средняя оценка, 1–5.
    Mark,
    /// Средний балл, 0–100.
    Score,
}

impl Procedure {
    /// Every procedure, in the order reports list them.
    pub const ALL: [Procedure; 7] = [
        Procedure::Vpr,
        Procedure::Niko,
        Procedure::Oge,
        Procedure::Gve9,
        Procedure::Ege,
        Procedure::Gve11,
        Procedure::Regional,
    ];

    /// The name reports use: «ВПР», «ГВЭ-9».
    pub fn abbreviation(self) -> &'static str {
        match self {
            Procedure::Vpr => "ВПР",
            Procedure::Niko => "НИКО",
            Procedure::Oge => "ОГЭ",
            Procedure::Gve9 => "ГВЭ-9",
            Procedure::Ege => "ЕГЭ",
            Procedure::Gve11 => "ГВЭ-11",
            Procedure::Regional => "Региональная оценка",
        }
    }

    /// The mean the procedure reports at `level` (ЕГЭ mathematics: base is marked).
    pub fn figure(self, level: Option<ExamLevel>) -> Figure {
        match (self, level) {
            (Procedure::Ege, Some(ExamLevel::Base)) => Figure::Mark,
            (Procedure::Ege | Procedure::Regional, _) => Figure::Score,
            _ => Figure::Mark,
        }
    }

    /// The grades the procedure is written in.
    pub fn grades(self) -> RangeInclusive<i16> {
        match self {
            Procedure::Vpr => 4..=11,
            Procedure::Niko | Procedure::Regional => 1..=11,
            Procedure::Oge | Procedure::Gve9 => 9..=9,
            Procedure::Ege | Procedure::Gve11 => 11..=11,
        }
    }

    /// Whether the procedure was held (anywhere) in `year`: ВПР began in 2015, НИКО in 2014,
    /// ОГЭ and ГВЭ under these names in 2014, ЕГЭ everywhere in 2009; the state examinations
    /// after grade 9 and the ГВЭ-11 were cancelled in 2020.
    pub fn held_in(self, year: i32) -> bool {
        let first = match self {
            Procedure::Vpr => 2015,
            Procedure::Niko | Procedure::Oge | Procedure::Gve9 => 2014,
            Procedure::Ege | Procedure::Gve11 => 2009,
            Procedure::Regional => 2000,
        };
        let cancelled =
            year == 2020 && matches!(self, Procedure::Oge | Procedure::Gve9 | Procedure::Gve11);
        year >= first && !cancelled
    }

    /// What a failed participant did, in the reports' words: got «2» (ВПР) or did not pass the
    /// minimum threshold (the examinations).
    pub fn failure(self) -> &'static str {
        match self {
            Procedure::Vpr | Procedure::Niko | Procedure::Regional => "получили отметку «2»",
            _ => "не преодолели минимальный порог",
        }
    }
}

/// The level of the ЕГЭ in mathematics.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    async_graphql::Enum,
    Deserialize,
    Serialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExamLevel {
    /// Базовый уровень: marked 2–5.
    #[sea_orm(string_value = "BASE")]
    Base,
    /// Профильный уровень: scored 0–100.
    #[sea_orm(string_value = "PROFILE")]
    Profile,
}

impl ExamLevel {
    /// As the reports abbreviate it: «баз.», «проф.».
    pub fn abbreviation(self) -> &'static str {
        match self {
            ExamLevel::Base => "баз.",
            ExamLevel::Profile => "проф.",
        }
    }
}

/// What a record says about a procedure at a school in a year. Only a `Result` carries
/// figures: «not held» and «no participants» are never a mean of zero.
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
    Deserialize,
    Serialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ResultStatus {
    /// The procedure was held and its figures are known.
    #[sea_orm(string_value = "RESULT")]
    Result,
    /// The procedure was not held that year (ОГЭ 2020: «-»).
    #[sea_orm(string_value = "NOT_HELD")]
    NotHeld,
    /// Nobody at the school sat it (a printed «0» where a mean would be).
    #[sea_orm(string_value = "NO_PARTICIPANTS")]
    NoParticipants,
    /// Held, but the school's figures were not published.
    #[sea_orm(string_value = "NOT_REPORTED")]
    NotReported,
}

impl ResultStatus {
    /// In words, for a table cell that has no figure.
    pub fn words(self) -> &'static str {
        match self {
            ResultStatus::Result => "результат",
            ResultStatus::NotHeld => "не проводилась",
            ResultStatus::NoParticipants => "нет участников",
            ResultStatus::NotReported => "не опубликовано",
        }
    }
}

/// A procedure as the identification of low-results schools counts it: procedure × subject ×
/// grade × level («ВПР по математике (5 класс)», seed 004).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ProcedureSubject {
    /// The procedure.
    pub procedure: Procedure,
    /// The subject's code: `mathematics`.
    pub subject: String,
    /// The grade, where the procedure is written in several.
    pub grade: Option<i16>,
    /// The level of the ЕГЭ in mathematics.
    pub level: Option<ExamLevel>,
}

/// The kind of value a monitoring indicator takes.
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
    Deserialize,
    Serialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum IndicatorKind {
    /// A share, in percent: «Качество знаний, в %».
    #[sea_orm(string_value = "PERCENTAGE")]
    Percentage,
    /// A number of pupils or agreements: «Количество неуспевающих».
    #[sea_orm(string_value = "COUNT")]
    Count,
    /// Present or not: «Наличие нормативно-правовой базы».
    #[sea_orm(string_value = "YES_NO")]
    YesNo,
}

/// A mean mark or score in hundredths, exact as printed: «3,58» is 358.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, DeriveValueType, Serialize)]
#[serde(transparent)]
pub struct Mean(i32);

impl Mean {
    /// A mean of the kind `figure` from hundredths: a mark 1–5, a score 0–100.
    pub fn from_hundredths(hundredths: i64, figure: Figure) -> Result<Self, InvalidValue> {
        let (range, what) = match figure {
            Figure::Mark => (100..=500, "a mean mark must be between 1 and 5"),
            Figure::Score => (0..=10_000, "a mean score must be between 0 and 100"),
        };
        if range.contains(&hundredths) {
            Ok(Mean(hundredths as i32))
        } else {
            Err(InvalidValue(format!(
                "{what}, got {}",
                hundredths as f64 / 100.0
            )))
        }
    }

    /// A mean given as a number (the API's Float), to the hundredth.
    pub fn from_f64(value: f64, figure: Figure) -> Result<Self, InvalidValue> {
        if !value.is_finite() {
            return Err(InvalidValue("a mean must be a number".into()));
        }
        let hundredths = value * 100.0;
        if (hundredths - hundredths.round()).abs() > 1e-6 {
            return Err(InvalidValue(format!(
                "a mean is given to the hundredth at most, got {value}"
            )));
        }
        Self::from_hundredths(hundredths.round() as i64, figure)
    }

    /// A mean as printed, with a decimal comma or point: «3,58», «46,3», «4».
    pub fn parse(text: &str, figure: Figure) -> Result<Self, InvalidValue> {
        let normalised = text.trim().replace(',', ".");
        let valid = !normalised.is_empty()
            && normalised.chars().all(|c| c.is_ascii_digit() || c == '.')
            && normalised.matches('.').count() <= 1;
        let value: f64 = normalised
            .parse()
            .ok()
            .filter(|_| valid)
            .ok_or_else(|| InvalidValue(format!("«{text}» is not a mean mark or score")))?;
        Self::from_f64(value, figure)
    }

    /// The mean as a number.
    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 100.0
    }

    /// Hundredths, for exact sums.
    pub fn hundredths(self) -> i32 {
        self.0
    }
}

impl fmt::Display for Mean {
    /// Russian style with the digits it needs: «3,58», «3,4», «4».
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, part) = (self.0 / 100, self.0 % 100);
        match part {
            0 => write!(f, "{whole}"),
            p if p % 10 == 0 => write!(f, "{whole},{}", p / 10),
            p => write!(f, "{whole},{p:02}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_means_parse_exactly() {
        assert_eq!(Mean::parse("3,58", Figure::Mark).unwrap().hundredths(), 358);
        assert_eq!(
            Mean::parse("46,3", Figure::Score).unwrap().to_string(),
            "46,3"
        );
        assert_eq!(Mean::parse("4", Figure::Mark).unwrap().to_string(), "4");
        assert_eq!(Mean::parse("4,0", Figure::Mark).unwrap().to_string(), "4");
    }

    #[test]
    fn a_mean_out_of_its_range_or_not_a_number_is_refused() {
        for (text, figure) in [
            ("50", Figure::Mark),
            ("0", Figure::Mark),
            ("100,5", Figure::Score),
            ("-", Figure::Mark),
            ("3,2 /50", Figure::Mark),
            ("1e2", Figure::Score),
            ("3,333", Figure::Mark),
        ] {
            assert!(Mean::parse(text, figure).is_err(), "{text}");
        }
    }

    #[test]
    fn the_examinations_after_grade_9_were_not_held_in_2020() {
        assert!(!Procedure::Oge.held_in(2020));
        assert!(Procedure::Oge.held_in(2021));
        assert!(Procedure::Ege.held_in(2020));
        assert!(!Procedure::Vpr.held_in(2014));
    }
}
