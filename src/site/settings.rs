//! Who publishes the site: the education authority's name, its responsible department, address,
//! phone and e-mail, for the footer of every page, the «Контакты» page and the datasets'
//! passports. They live in a TOML file beside the database (`site.toml`, or `--settings`), since
//! they belong to the site a district publishes, not to the data of its schools:
//!
//! ```toml
//! [publisher]
//! name = "Отдел образования администрации Котельниковского муниципального района"
//! department = "Районный методический кабинет"
//! address = "404354, Волгоградская область, г. Котельниково, ул. Ленина, 9"
//! phone = "+7 (84476) 3-12-34"
//! email = "edu@kotelnikovo.example.ru"
//! ```

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::domain::{TextKind, clean};

/// The publisher's details as the file gives them; any may be missing.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Publisher {
    /// The education authority: «Отдел образования администрации … района».
    pub name: Option<String>,
    /// The department that answers for the site: «Районный методический кабинет».
    pub department: Option<String>,
    /// The postal address.
    pub address: Option<String>,
    /// The phone, as it is dialled from elsewhere in Russia.
    pub phone: Option<String>,
    /// The e-mail address for questions about the site.
    pub email: Option<String>,
}

/// The settings of the published site.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SiteSettings {
    /// Who publishes it.
    #[serde(default)]
    pub publisher: Publisher,
}

/// Settings that cannot be used, with the file and the field.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The file could not be read.
    #[error("cannot read the site settings {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// A field is malformed.
    #[error("{path}: {field}: {reason}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The field: `publisher.email`.
        field: String,
        /// Why.
        reason: String,
    },
}

/// The fields a published site must have: who publishes it and how to reach them.
const REQUIRED: [&str; 4] = [
    "publisher.name",
    "publisher.address",
    "publisher.phone",
    "publisher.email",
];

impl SiteSettings {
    /// Reads and checks the settings in `path`.
    pub fn load(path: &Path) -> Result<Self, SettingsError> {
        let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Read {
            path: path.to_owned(),
            source,
        })?;
        let invalid = |field: &str, reason: String| SettingsError::Invalid {
            path: path.to_owned(),
            field: field.to_owned(),
            reason,
        };
        let raw: SiteSettings = toml::from_str(&text).map_err(|e| {
            invalid(
                "(file)",
                e.message().to_owned()
                    + &e.span()
                        .map_or(String::new(), |s| format!(" (at byte {})", s.start)),
            )
        })?;
        let p = raw.publisher;
        let field = |name: &str, value: Option<String>| -> Result<Option<String>, SettingsError> {
            value
                .map(|v| clean(&v, TextKind::Name).map_err(|e| invalid(name, e.en())))
                .transpose()
        };
        let publisher = Publisher {
            name: field("publisher.name", p.name)?,
            department: field("publisher.department", p.department)?,
            address: field("publisher.address", p.address)?,
            phone: field("publisher.phone", p.phone)?,
            email: field("publisher.email", p.email)?,
        };
        if let Some(phone) = &publisher.phone {
            let digits = phone.chars().filter(char::is_ascii_digit).count();
            let allowed = |c: char| c.is_ascii_digit() || " +-()".contains(c);
            if !phone.chars().all(allowed) || !(5..=15).contains(&digits) {
                return Err(invalid(
                    "publisher.phone",
                    format!(
                        "«{phone}» is not a phone number: 5 to 15 digits, with + - ( ) and spaces"
                    ),
                ));
            }
        }
        if let Some(email) = &publisher.email {
            let well_formed = email.split_once('@').is_some_and(|(user, host)| {
                !user.is_empty()
                    && host.contains('.')
                    && !host.starts_with('.')
                    && !host.ends_with('.')
            }) && !email.contains(char::is_whitespace);
            if !well_formed {
                return Err(invalid(
                    "publisher.email",
                    format!("«{email}» is not an e-mail address"),
                ));
            }
        }
        Ok(SiteSettings { publisher })
    }

    /// The required fields the settings lack, by name.
    pub fn missing(&self) -> Vec<&'static str> {
        let p = &self.publisher;
        let given = [&p.name, &p.address, &p.phone, &p.email];
        REQUIRED
            .into_iter()
            .zip(given)
            .filter(|(_, value)| value.is_none())
            .map(|(name, _)| name)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<SiteSettings, SettingsError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("site.toml");
        std::fs::write(&path, text).unwrap();
        SiteSettings::load(&path)
    }

    #[test]
    fn settings_are_read_cleaned_and_checked_field_by_field() {
        let settings = load(
            "[publisher]\nname = \"  Отдел   образования \"\nphone = \"+7 (84476) 3-12-34\"\nemail = \"edu@example.ru\"\n",
        )
        .unwrap();
        assert_eq!(
            settings.publisher.name.as_deref(),
            Some("Отдел образования")
        );
        assert_eq!(settings.missing(), ["publisher.address"]);
        for (text, field) in [
            (
                "[publisher]\nemail = \"edu at example.ru\"",
                "publisher.email",
            ),
            ("[publisher]\nphone = \"позвоните\"", "publisher.phone"),
            ("[publisher]\nname = \"\u{202e}Отдел\"", "publisher.name"),
            ("[publisher]\nfax = \"1\"", "(file)"),
        ] {
            match load(text) {
                Err(SettingsError::Invalid { field: f, .. }) => assert_eq!(f, field, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }
}
