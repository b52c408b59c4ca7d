//! Collecting every broken rule of an input before refusing it, each named by its input field
//! and explained in English and Russian.

use crate::domain::{InvalidValue, PartialDate, TextKind, clean};

/// One broken rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The input field path: `input.members[2]`.
    pub field: String,
    /// The reason, in English.
    pub en: String,
    /// The reason, in Russian.
    pub ru: String,
}

/// The broken rules of one input.
#[derive(Default)]
pub struct Rules(Vec<Violation>);

impl Rules {
    /// Starts an empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a violation of `field` unless `holds`.
    pub fn require(
        &mut self,
        holds: bool,
        field: impl Into<String>,
        en: impl Into<String>,
        ru: impl Into<String>,
    ) {
        if !holds {
            self.0.push(Violation {
                field: field.into(),
                en: en.into(),
                ru: ru.into(),
            });
        }
    }

    /// Cleans a text input (see `domain::clean`): the cleaned text, or the text as given with
    /// the reason it is refused recorded against `field`.
    pub fn text(&mut self, raw: String, field: &str, kind: TextKind) -> String {
        match clean(&raw, kind) {
            Ok(cleaned) => cleaned,
            Err(error) => {
                self.require(false, field, error.en(), error.ru());
                raw
            }
        }
    }

    /// Cleans an optional text input like [`Rules::text`].
    pub fn optional_text(
        &mut self,
        raw: Option<String>,
        field: &str,
        kind: TextKind,
    ) -> Option<String> {
        raw.map(|raw| self.text(raw, field, kind))
    }

    /// Cleans a list of text inputs (`input.aliases[2]` names a bad one); more than `max_items`
    /// is refused, and a repeated item is kept once.
    pub fn text_list(
        &mut self,
        raw: Vec<String>,
        field: &str,
        kind: TextKind,
        max_items: usize,
    ) -> Vec<String> {
        self.require(
            raw.len() <= max_items,
            field,
            format!("at most {max_items} items, {} given", raw.len()),
            format!("не больше {max_items} элементов, а здесь {}", raw.len()),
        );
        let mut cleaned: Vec<String> = Vec::with_capacity(raw.len());
        for (i, item) in raw.into_iter().take(max_items).enumerate() {
            let item = self.text(item, &format!("{field}[{i}]"), kind);
            if !cleaned.contains(&item) {
                cleaned.push(item);
            }
        }
        cleaned
    }

    /// Requires that a period does not end before it starts: with dates of reduced precision,
    /// only when every day of the end precedes every day of the start.
    pub fn period(&mut self, starts: Option<PartialDate>, ends: Option<PartialDate>, field: &str) {
        if let (Some(starts), Some(ends)) = (starts, ends) {
            self.require(
                !ends.wholly_before(starts),
                field,
                format!("ends ({ends}) before it starts ({starts})"),
                format!("окончание ({ends}) раньше начала ({starts})"),
            );
        }
    }

    /// Other spellings of a name (`input.aliases`): cleaned, at most 20.
    pub fn aliases(&mut self, raw: Vec<String>) -> Vec<String> {
        self.text_list(raw, "input.aliases", TextKind::Name, 20)
    }

    /// Records a value that failed to parse.
    pub fn parsed<T>(
        &mut self,
        result: Result<T, InvalidValue>,
        field: &str,
        ru: &str,
    ) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(InvalidValue(en)) => {
                self.require(false, field, en, ru);
                None
            }
        }
    }

    /// Succeeds when no rule was broken.
    pub fn check(self) -> Result<(), Vec<Violation>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}
