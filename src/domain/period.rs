//! When a measure takes place, as plans print it («03.06.2021г.- 30.11.2021г.», «Май-июнь 2021»,
//! «в течение года», «сентябрь, январь»): the text is kept as published, and the first and last
//! dates are read from it where the text says them, never guessed.

use chrono::NaiveDate;

use super::{PartialDate, SchoolYear};

/// The dates a period's text names: the first and the last, at the precision printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ParsedPeriod {
    /// The first date named.
    pub starts_on: Option<PartialDate>,
    /// The last date named.
    pub ends_on: Option<PartialDate>,
}

/// The stems of the Russian month names, in every case the seeds use («март», «марта», «мае»).
const MONTHS: [&str; 12] = [
    "январ",
    "феврал",
    "март",
    "апрел",
    "ма",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
];

/// A dated piece of the text, in the order it appears.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Piece {
    Day(NaiveDate),
    /// A month name; its year comes from a year next to it, or from the plan.
    Month(u32),
    Year(i32),
    SchoolYear(SchoolYear),
}

/// Reads `text` in the context of a plan for `school_year`. A month printed without its year
/// takes the year printed after it («ноябрь-декабрь 2020»), else before it («2021 (март –
/// май)»), else the plan's school year when that places it (September to May); «в течение
/// (учебного) года» is the plan's school year. Anything left unplaced makes the whole text
/// unparsed: null dates rather than half a guess.
pub fn parse_period(text: &str, school_year: Option<SchoolYear>) -> ParsedPeriod {
    let text = text.to_lowercase();
    if text.contains("в течение") && text.contains("год") && !has_digits(&text) {
        let (starts, ends) = match school_year {
            Some(year) => (Some(year.span().0), Some(year.span().1)),
            None => (None, None),
        };
        return ParsedPeriod {
            starts_on: starts,
            ends_on: ends,
        };
    }
    let pieces = pieces(&text);
    let years: Vec<(usize, i32)> = pieces
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match p {
            Piece::Year(y) => Some((i, *y)),
            _ => None,
        })
        .collect();
    let has_months = pieces.iter().any(|p| matches!(p, Piece::Month(_)));
    let mut dates = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        let date = match *piece {
            Piece::Day(d) => PartialDate::Day(d),
            Piece::SchoolYear(year) => {
                let (first, last) = year.span();
                dates.push(first);
                last
            }
            Piece::Year(y) if has_months => {
                // A year that gives months their year is not a date of its own, unless no
                // month uses it (a year printed apart, as in «2020 г 03.06.2021г.»).
                if pieces[..i].iter().any(|p| matches!(p, Piece::Month(_)))
                    || pieces[i + 1..].iter().any(|p| matches!(p, Piece::Month(_)))
                {
                    continue;
                }
                PartialDate::Year(y)
            }
            Piece::Year(y) => PartialDate::Year(y),
            Piece::Month(m) => {
                let after = years.iter().find(|(j, _)| *j > i).map(|(_, y)| *y);
                let before = years.iter().rev().find(|(j, _)| *j < i).map(|(_, y)| *y);
                match after.or(before) {
                    Some(year) => PartialDate::Month(year, m),
                    None => match school_year.and_then(|s| s.place_month(m)) {
                        Some(date) => date,
                        None => return ParsedPeriod::default(),
                    },
                }
            }
        };
        dates.push(date);
    }
    ParsedPeriod {
        starts_on: dates.first().copied(),
        ends_on: dates.last().copied(),
    }
}

fn has_digits(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit())
}

/// The dated pieces of `text`: `dd.mm.yyyy` days, four-digit years (`2020/2021` and
/// `2020-2021 уч.г.` as school years), month names.
fn pieces(text: &str) -> Vec<Piece> {
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '/'))
        .filter(|w| !w.is_empty())
        .collect();
    let school_years = text.contains("уч");
    let mut pieces = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let word = word.trim_matches('.');
        if let Some(day) = day(word) {
            pieces.push(Piece::Day(day));
        } else if let Some((first, second)) = word.split_once('/') {
            if let (Some(first), Some(second)) = (year(first), year(second))
                && let Ok(year) = format!("{first}-{second}").parse()
            {
                pieces.push(Piece::SchoolYear(year));
            }
        } else if let Some(y) = year(word.trim_end_matches(|c: char| !c.is_ascii_digit())) {
            let next = words.get(i + 1).and_then(|w| year(w.trim_matches('.')));
            let previous = pieces.last().copied();
            match (previous, next) {
                (Some(Piece::Year(first)), _) if school_years && first + 1 == y => {
                    pieces.pop();
                    pieces.push(Piece::SchoolYear(
                        SchoolYear::beginning_in(first).expect("a year of the domain"),
                    ));
                }
                _ => pieces.push(Piece::Year(y)),
            }
        } else if let Some(m) = MONTHS.iter().position(|stem| month_word(word, stem)) {
            pieces.push(Piece::Month(m as u32 + 1));
        }
    }
    pieces
}

/// «май», «мая», «мае» are May, but «марта» is March: the short stem matches whole short words.
fn month_word(word: &str, stem: &str) -> bool {
    if stem == "ма" {
        matches!(word, "май" | "мая" | "мае" | "маю" | "маем")
    } else {
        word.starts_with(stem)
    }
}

fn year(word: &str) -> Option<i32> {
    let year: i32 = word
        .strip_suffix('г')
        .unwrap_or(word)
        .parse()
        .ok()
        .filter(|_| word.len() >= 4)?;
    super::YEARS.contains(&year).then_some(year)
}

fn day(word: &str) -> Option<NaiveDate> {
    let word = word.trim_end_matches(['г', '.']);
    let mut parts = word.split('.');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || d.len() > 2 || m.len() > 2 || y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, year: Option<&str>) -> (Option<String>, Option<String>) {
        let parsed = parse_period(text, year.map(|y| y.parse().unwrap()));
        (
            parsed.starts_on.map(|d| d.to_string()),
            parsed.ends_on.map(|d| d.to_string()),
        )
    }

    fn span(a: &str, b: &str) -> (Option<String>, Option<String>) {
        (Some(a.into()), Some(b.into()))
    }

    #[test]
    fn the_seeds_periods_read_as_printed() {
        let y2020 = Some("2020-2021");
        let cases = [
            (
                "2020 г 03.06.2021г.- 30.11.2021г.",
                y2020,
                span("2020", "2021-11-30"),
            ),
            (
                "03.06.2021г .- 30.11.2021г .",
                y2020,
                span("2021-06-03", "2021-11-30"),
            ),
            (
                "ноябрь-декабрь 2020 года",
                y2020,
                span("2020-11", "2020-12"),
            ),
            ("2020-2021 гг.", y2020, span("2020", "2021")),
            ("февраль 2020г.", y2020, span("2020-02", "2020-02")),
            (
                "11.05.2021-21.05.2021г.",
                y2020,
                span("2021-05-11", "2021-05-21"),
            ),
            ("13.05.2021г.", y2020, span("2021-05-13", "2021-05-13")),
            ("2021 (март – май)", y2020, span("2021-03", "2021-05")),
            ("Май-июнь 2021", y2020, span("2021-05", "2021-06")),
            ("Март 2021 год", y2020, span("2021-03", "2021-03")),
            ("2020/2021 г.", y2020, span("2020-09", "2021-08")),
            ("2020-2021 уч.г.", y2020, span("2020-09", "2021-08")),
            ("В течение года", y2020, span("2020-09", "2021-08")),
            (
                "в течение учебного года",
                Some("2021-2022"),
                span("2021-09", "2022-08"),
            ),
            (
                "сентябрь, январь",
                Some("2021-2022"),
                span("2021-09", "2022-01"),
            ),
            (
                "Март, апрель",
                Some("2020-2021"),
                span("2021-03", "2021-04"),
            ),
        ];
        for (text, year, expected) in cases {
            assert_eq!(read(text, year), expected, "{text}");
        }
    }

    #[test]
    fn what_the_text_does_not_say_stays_unknown() {
        for (text, year) in [
            ("постоянно", Some("2020-2021")),
            ("Согласно дорожной карте", Some("2020-2021")),
            ("июнь", Some("2020-2021")),
            ("август", Some("2021-2022")),
            ("сентябрь", None),
            ("в течение года", None),
            ("", Some("2020-2021")),
        ] {
            assert_eq!(read(text, year), (None, None), "{text}");
        }
    }
}
