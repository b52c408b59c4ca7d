//! Collecting every broken rule of an input before refusing it, each named by its input field
//! and explained in English and Russian.

use crate::domain::{InvalidValue, fold};

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

    /// Requires text with more than white space.
    pub fn not_blank(&mut self, text: &str, field: &str) {
        self.require(
            !fold(text).is_empty(),
            field,
            "must not be blank",
            "не может быть пустым",
        );
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
