//! Russian presentation: plural forms («1 школа», «3 школы», «5 школ»), the decimal comma
//! («55,2 %»), dates («20.05.2021», «июнь 2020») and «—» for what is missing.

use crate::domain::{
    AppointmentRole, Level, OrganisationKind, PartialDate, PartnershipKind, Programme, SchoolKind,
};

/// The form of a noun after the number `n`: `forms` are for 1, for 2–4 and for 5–20
/// («школа», «школы», «школ»).
pub fn plural(n: i64, forms: [&str; 3]) -> &str {
    let (last, last_two) = (n.abs() % 10, n.abs() % 100);
    if last == 1 && last_two != 11 {
        forms[0]
    } else if (2..=4).contains(&last) && !(12..=14).contains(&last_two) {
        forms[1]
    } else {
        forms[2]
    }
}

/// A number with a decimal comma and `decimals` digits: `55,2`.
pub fn decimal(value: f64, decimals: usize) -> String {
    format!("{value:.decimals$}").replace('.', ",")
}

/// Shown where there is no value: not held, no participants, not known.
pub const MISSING: &str = "—";

const MONTHS: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];

/// A date as Russian documents print it, at the precision it has.
pub fn date(value: PartialDate) -> String {
    match value {
        PartialDate::Day(day) => day.format("%d.%m.%Y").to_string(),
        PartialDate::Month(year, month) => format!("{} {year}", MONTHS[month as usize - 1]),
        PartialDate::Year(year) => format!("{year} г."),
    }
}

/// The Russian name of a programme.
pub fn programme(p: Programme) -> &'static str {
    match p {
        Programme::LowResults => "ШНОР",
        Programme::UnfavourableConditions => "ШНСУ",
        Programme::Project500Plus => "500+",
    }
}

/// What a programme is, in full.
pub fn programme_title(p: Programme) -> &'static str {
    match p {
        Programme::LowResults => "Школы с низкими образовательными результатами (ШНОР)",
        Programme::UnfavourableConditions => {
            "Школы, функционирующие в неблагоприятных социальных условиях (ШНСУ)"
        }
        Programme::Project500Plus => "Проект «500+»",
    }
}

/// The Russian name of an agreement's kind.
pub fn partnership_kind(k: PartnershipKind) -> &'static str {
    match k {
        PartnershipKind::Mentoring => "Наставничество",
        PartnershipKind::BaseSite => "Базовая площадка",
        PartnershipKind::NetworkProgramme => "Сетевое партнёрство",
        PartnershipKind::MethodologicalSupport => "Методическое сопровождение",
    }
}

/// The Russian name of an appointment.
pub fn role(r: AppointmentRole) -> &'static str {
    match r {
        AppointmentRole::Director => "Директор",
        AppointmentRole::Curator => "Куратор",
        AppointmentRole::Coordinator => "Муниципальный координатор",
    }
}

/// What the staff of an organisation of this kind do in the programmes, for the people who
/// hold no appointment: «Орган управления образованием» for the department's head.
pub fn organisation_role(k: OrganisationKind) -> &'static str {
    match k {
        OrganisationKind::EducationAuthority => "Орган управления образованием",
        OrganisationKind::MethodologicalCentre => "Методическая служба",
        OrganisationKind::Institute => "Институт развития образования",
        OrganisationKind::FederalAgency => "Федеральная организация",
        OrganisationKind::Other => "Партнёр",
    }
}

/// The Russian name of a school type.
pub fn school_kind(k: SchoolKind) -> &'static str {
    match k {
        SchoolKind::Secondary => "Средняя общеобразовательная школа",
        SchoolKind::Basic => "Основная общеобразовательная школа",
        SchoolKind::PrimaryKindergarten => "Начальная школа — детский сад",
    }
}

/// A level in words, with the abbreviation the reports use: «ниже среднего (н/с)».
pub fn level(l: Level) -> String {
    let words = match l {
        Level::Low => "низкий",
        Level::BelowAverage => "ниже среднего",
        Level::Average => "средний",
        Level::AboveAverage => "выше среднего",
        Level::High => "высокий",
    };
    format!("{words} ({})", l.abbreviation())
}

/// A Latin slug for a Russian word or phrase, for file names: «оценка качества» is
/// `otsenka-kachestva`.
pub fn slug(text: &str) -> String {
    const LETTERS: [(char, &str); 33] = [
        ('а', "a"),
        ('б', "b"),
        ('в', "v"),
        ('г', "g"),
        ('д', "d"),
        ('е', "e"),
        ('ё', "e"),
        ('ж', "zh"),
        ('з', "z"),
        ('и', "i"),
        ('й', "y"),
        ('к', "k"),
        ('л', "l"),
        ('м', "m"),
        ('н', "n"),
        ('о', "o"),
        ('п', "p"),
        ('р', "r"),
        ('с', "s"),
        ('т', "t"),
        ('у', "u"),
        ('ф', "f"),
        ('х', "kh"),
        ('ц', "ts"),
        ('ч', "ch"),
        ('ш', "sh"),
        ('щ', "shch"),
        ('ъ', ""),
        ('ы', "y"),
        ('ь', ""),
        ('э', "e"),
        ('ю', "yu"),
        ('я', "ya"),
    ];
    let mut slug = String::new();
    for c in text.to_lowercase().chars() {
        if let Some((_, latin)) = LETTERS.iter().find(|(cyr, _)| *cyr == c) {
            slug.push_str(latin);
        } else if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHOOLS: [&str; 3] = ["школа", "школы", "школ"];

    #[test]
    fn plural_forms_follow_russian_grammar() {
        for (n, form) in [
            (0, "школ"),
            (1, "школа"),
            (2, "школы"),
            (3, "школы"),
            (5, "школ"),
            (11, "школ"),
            (12, "школ"),
            (14, "школ"),
            (21, "школа"),
            (22, "школы"),
            (25, "школ"),
            (101, "школа"),
            (111, "школ"),
        ] {
            assert_eq!(plural(n, SCHOOLS), form, "{n}");
        }
    }

    #[test]
    fn numbers_use_a_decimal_comma() {
        assert_eq!(decimal(55.2, 1), "55,2");
        assert_eq!(decimal(3.333, 2), "3,33");
    }

    #[test]
    fn dates_keep_their_precision() {
        assert_eq!(date("2021-05-20".parse().unwrap()), "20.05.2021");
        assert_eq!(date("2020-06".parse().unwrap()), "июнь 2020");
        assert_eq!(date("2020".parse().unwrap()), "2020 г.");
    }
}
