//! Text that people type: cleaned in one place before anything stores or compares it.
//!
//! The same name must not be two names because one copy was pasted from a PDF with a zero-width
//! space, a non-breaking space or a decomposed «й»; a justification made only of invisible
//! characters is no justification. So every text input is normalised (Unicode NFC, trimmed,
//! inner white space collapsed for names) and text with control, format (invisible), private-use
//! or unassigned characters is refused rather than silently stripped: the sender should see what
//! they pasted.

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// What a piece of text is, which decides how it is cleaned and how long it may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextKind {
    /// A name, title, label or short value on one line: white space runs become one space.
    Name,
    /// A paragraph (a justification, a description): line breaks are kept, other white space
    /// runs within a line become one space.
    Paragraph,
}

impl TextKind {
    /// The longest text of this kind, in characters: the longest full school name in the seeds
    /// is under 150 characters, the longest justification under 1,000.
    pub const fn max_chars(self) -> usize {
        match self {
            TextKind::Name => 300,
            TextKind::Paragraph => 5_000,
        }
    }
}

/// Why a text was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextError {
    /// Nothing but white space.
    Blank,
    /// Longer than the kind allows.
    TooLong {
        /// The limit, in characters.
        max: usize,
        /// The length given, in characters.
        chars: usize,
    },
    /// A character that has no place in text a person reads.
    Forbidden(char),
}

impl TextError {
    /// The reason, in English.
    pub fn en(&self) -> String {
        match self {
            TextError::Blank => "must not be blank".into(),
            TextError::TooLong { max, chars } => {
                format!("at most {max} characters, {chars} given")
            }
            TextError::Forbidden(ch) => format!(
                "contains the invisible or control character U+{:04X}; retype the text instead of pasting it",
                *ch as u32
            ),
        }
    }

    /// The reason, in Russian.
    pub fn ru(&self) -> String {
        match self {
            TextError::Blank => "не может быть пустым".into(),
            TextError::TooLong { max, chars } => {
                format!("не длиннее {max} символов, а здесь {chars}")
            }
            TextError::Forbidden(ch) => format!(
                "содержит невидимый или управляющий символ U+{:04X}; наберите текст заново, а не вставляйте его",
                *ch as u32
            ),
        }
    }
}

/// Letters that render as nothing although Unicode calls them letters (Hangul fillers).
const INVISIBLE_LETTERS: [char; 4] = ['\u{115F}', '\u{1160}', '\u{3164}', '\u{FFA0}'];

fn forbidden(ch: char) -> bool {
    INVISIBLE_LETTERS.contains(&ch)
        || matches!(
            ch.general_category(),
            GeneralCategory::Control
                | GeneralCategory::Format
                | GeneralCategory::Surrogate
                | GeneralCategory::PrivateUse
                | GeneralCategory::Unassigned
        )
}

/// Cleans `raw` as text of `kind`: NFC, trimmed, white space collapsed; refused when blank, too
/// long, or holding a control or invisible character.
pub fn clean(raw: &str, kind: TextKind) -> Result<String, TextError> {
    let max = kind.max_chars();
    // A cheap bound first, so that a megabyte of text is not normalised only to be refused.
    let raw_chars = raw.chars().count();
    if raw_chars > 4 * max {
        return Err(TextError::TooLong {
            max,
            chars: raw_chars,
        });
    }
    let mut cleaned = String::with_capacity(raw.len());
    let mut pending_space = false;
    let mut pending_breaks = 0;
    for ch in raw.nfc() {
        let line_break = matches!(ch, '\n' | '\u{2028}' | '\u{2029}');
        if line_break && kind == TextKind::Paragraph {
            pending_breaks += 1;
            pending_space = false;
            continue;
        }
        if ch.is_whitespace() {
            pending_space = pending_breaks == 0;
            continue;
        }
        if forbidden(ch) {
            return Err(TextError::Forbidden(ch));
        }
        if !cleaned.is_empty() {
            if pending_breaks > 0 {
                cleaned.push_str(if pending_breaks > 1 { "\n\n" } else { "\n" });
            } else if pending_space {
                cleaned.push(' ');
            }
        }
        pending_space = false;
        pending_breaks = 0;
        cleaned.push(ch);
    }
    let chars = cleaned.chars().count();
    if chars == 0 {
        Err(TextError::Blank)
    } else if chars > max {
        Err(TextError::TooLong { max, chars })
    } else {
        Ok(cleaned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(raw: &str) -> Result<String, TextError> {
        clean(raw, TextKind::Name)
    }

    #[test]
    fn names_are_trimmed_and_collapsed_to_single_spaces() {
        assert_eq!(
            name("  МОУ\u{a0}«Бердюгинская\t СОШ» \n").unwrap(),
            "МОУ «Бердюгинская СОШ»"
        );
    }

    #[test]
    fn decomposed_letters_are_composed() {
        // «й» typed as «и» + combining breve, as some PDF exports give it.
        assert_eq!(name("Краснои\u{306}"), Ok("Красной".into()));
    }

    #[test]
    fn invisible_and_control_characters_are_refused_not_stripped() {
        for raw in [
            "\u{200b}",
            "СОШ\u{200b} № 4",
            "СОШ\u{0} № 4",
            "\u{feff}СОШ",
            "СОШ\u{202e}4",
            "\u{3164}",
            "СОШ\u{e000}",
        ] {
            assert!(
                matches!(name(raw), Err(TextError::Forbidden(_))),
                "{raw:?}: {:?}",
                name(raw)
            );
        }
    }

    #[test]
    fn blank_and_over_long_text_is_refused() {
        assert_eq!(name(" \u{a0}\n "), Err(TextError::Blank));
        assert!(matches!(
            name(&"ш".repeat(301)),
            Err(TextError::TooLong {
                max: 300,
                chars: 301
            })
        ));
        assert!(matches!(
            name(&"ш".repeat(100_000)),
            Err(TextError::TooLong { .. })
        ));
        assert!(name(&"ш".repeat(300)).is_ok());
    }

    #[test]
    fn paragraphs_keep_their_line_breaks() {
        assert_eq!(
            clean(
                "  Школа показала\r\n  рост результатов.\n\n\n\nВПР  2021. ",
                TextKind::Paragraph
            )
            .unwrap(),
            "Школа показала\nрост результатов.\n\nВПР 2021."
        );
    }
}
