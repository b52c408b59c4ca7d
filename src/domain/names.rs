//! School names: the seeds spell one school many ways (quotes, legal form, «№» spacing, «ё»,
//! case). Folding makes those spellings compare equal, and the search key lets a filter match any
//! of them, in SQLite too, whose `lower()` folds only ASCII.

use sea_orm::entity::prelude::*;

use super::InvalidValue;

/// Folds a name for comparison and search: lower case (Cyrillic included), «ё» as «е», no quotes,
/// «№ 3» as «№3», single spaces.
pub fn fold(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    for ch in name.chars().flat_map(char::to_lowercase) {
        match ch {
            '«' | '»' | '"' | '“' | '”' | '„' | '\'' => {}
            'ё' => folded.push('е'),
            c if c.is_whitespace() => {
                if !folded.is_empty() && !folded.ends_with([' ', '№']) {
                    folded.push(' ');
                }
            }
            c => folded.push(c),
        }
    }
    folded.trim_end().to_owned()
}

/// Legal forms (организационно-правовые формы) that may precede a school's name.
const LEGAL_FORMS: [&str; 10] = [
    "моу", "маоу", "мкоу", "мбоу", "мобу", "мбу", "мку", "гбоу", "гаоу", "чоу",
];

/// Latin letters that look like Cyrillic ones, as a keyboard left in the wrong layout types
/// them: `COШ` with Latin C and O is «СОШ» to every reader.
const LOOK_ALIKES: [(char, char); 19] = [
    ('A', 'А'),
    ('B', 'В'),
    ('C', 'С'),
    ('E', 'Е'),
    ('H', 'Н'),
    ('K', 'К'),
    ('M', 'М'),
    ('O', 'О'),
    ('P', 'Р'),
    ('T', 'Т'),
    ('X', 'Х'),
    ('Y', 'У'),
    ('a', 'а'),
    ('c', 'с'),
    ('e', 'е'),
    ('o', 'о'),
    ('p', 'р'),
    ('x', 'х'),
    ('y', 'у'),
];

/// Ways of writing the number sign «№» before a number: «N 4», «No. 4», «Nº 4»; longest first,
/// so that «no.4» is not read as «n» and «o.4».
const NUMBER_SIGNS: [&str; 5] = ["no.", "nº", "n°", "no", "n"];

/// «n4», «no.4»: a number sign written against its number, read as «№4».
fn joined_number(word: &str) -> Option<String> {
    NUMBER_SIGNS.iter().find_map(|sign| {
        word.strip_prefix(sign)
            .filter(|number| number.starts_with(|c: char| c.is_ascii_digit()))
            .map(|number| format!("№{number}"))
    })
}

/// What makes two spellings name the same school: the folded name without a leading legal form,
/// with Latin look-alikes read as the Cyrillic letters they imitate and «N»/«No.» read as «№».
/// So «МОУ «Стриганская ООШ»» and «Стриганская ООШ» are one school, and so are «СОШ № 4»,
/// «COШ № 4» (Latin C and O) and «СОШ No. 4».
pub fn identity(name: &str) -> String {
    let words: Vec<String> = fold(name).split(' ').map(str::to_owned).collect();
    let mut read = Vec::with_capacity(words.len());
    let mut words = words.into_iter().peekable();
    while let Some(word) = words.next() {
        let before_number = words
            .peek()
            .is_some_and(|next| next.starts_with(|c: char| c.is_ascii_digit()));
        if NUMBER_SIGNS.contains(&word.as_str()) && before_number {
            read.push(format!("№{}", words.next().expect("peeked")));
        } else {
            read.push(joined_number(&word).unwrap_or(word));
        }
    }
    let cyrillic: String = read
        .join(" ")
        .chars()
        .map(|c| {
            LOOK_ALIKES
                .iter()
                .find(|(latin, _)| latin.to_lowercase().eq(std::iter::once(c)))
                .map_or(c, |(_, cyrillic)| {
                    cyrillic.to_lowercase().next().expect("a letter")
                })
        })
        .collect();
    match cyrillic.split_once(' ') {
        Some((first, rest)) if LEGAL_FORMS.contains(&first) => rest.to_owned(),
        _ => cyrillic,
    }
}

/// The text a name filter searches: every spelling of a school, folded, one per line.
pub fn search_key<'a>(spellings: impl IntoIterator<Item = &'a str>) -> String {
    let mut folded: Vec<String> = spellings.into_iter().map(fold).collect();
    folded.dedup();
    folded.join("\n")
}

/// The type of a school, as its name says it (СОШ/СШ, ООШ, начальная школа-детский сад).
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
    serde::Serialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SchoolKind {
    /// Средняя общеобразовательная школа (СОШ, СШ): grades 1–11.
    #[sea_orm(string_value = "SECONDARY")]
    Secondary,
    /// Основная общеобразовательная школа (ООШ): grades 1–9.
    #[sea_orm(string_value = "BASIC")]
    Basic,
    /// Начальная школа — детский сад: primary grades with a kindergarten.
    #[sea_orm(string_value = "PRIMARY_KINDERGARTEN")]
    PrimaryKindergarten,
}

impl SchoolKind {
    /// Reads the type from a school's name, the way a reader of the seeds does.
    pub fn from_name(name: &str) -> Result<Self, InvalidValue> {
        let folded = fold(name);
        let words: Vec<&str> = folded.split([' ', '-', ',']).collect();
        if folded.contains("начальная школа") {
            Ok(SchoolKind::PrimaryKindergarten)
        } else if words.contains(&"оош") || folded.contains("основная общеобразовательная")
        {
            Ok(SchoolKind::Basic)
        } else if words.iter().any(|w| matches!(*w, "сош" | "сш"))
            || words
                .iter()
                .any(|w| w.starts_with("сош№") || w.starts_with("сш№"))
            || folded.contains("средняя общеобразовательная")
        {
            Ok(SchoolKind::Secondary)
        } else {
            Err(InvalidValue(format!(
                "cannot tell the school type from «{name}»: expected СОШ, СШ, ООШ or «начальная школа-детский сад»"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_school_fold_alike() {
        assert_eq!(
            fold("МОУ «Зайковская СОШ №1»"),
            fold("моу зайковская  сош № 1")
        );
        assert_eq!(fold("Ёлкинская"), "елкинская");
    }

    #[test]
    fn the_legal_form_does_not_change_identity() {
        assert_eq!(
            identity("МОУ «Стриганская ООШ»"),
            identity("Стриганская ООШ")
        );
        assert_ne!(identity("Стриганская СОШ"), identity("Стриганская ООШ"));
    }

    #[test]
    fn look_alikes_and_number_signs_do_not_make_a_new_school() {
        let school = identity("СОШ № 4");
        for twin in [
            "COШ № 4",
            "CОШ №4",
            "СОШ N 4",
            "СОШ No. 4",
            "СОШ No 4",
            "сош nº 4",
            "МОБУ COШ N4",
        ] {
            assert_eq!(identity(twin), school, "{twin}");
        }
        assert_ne!(identity("СОШ № 4"), identity("СОШ № 14"));
        assert_ne!(identity("СОШ N"), identity("СОШ №"));
    }

    #[test]
    fn school_kind_follows_the_name() {
        assert_eq!(
            SchoolKind::from_name("МОУ «Гаевская ООШ»").unwrap(),
            SchoolKind::Basic
        );
        assert_eq!(
            SchoolKind::from_name("МКОУ СШ № 3 г. Котельниково").unwrap(),
            SchoolKind::Secondary
        );
        assert_eq!(
            SchoolKind::from_name("СОШ№ 6 города Лабинска").unwrap(),
            SchoolKind::Secondary
        );
        assert_eq!(
            SchoolKind::from_name("МОУ «Чубаровская начальная школа-детский сад»").unwrap(),
            SchoolKind::PrimaryKindergarten
        );
        assert!(SchoolKind::from_name("Гимназия").is_err());
    }
}
