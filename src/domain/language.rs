//! The languages callers are answered in.
//!
//! A language is named by its BCP 47 tag (`en`, `es`); regional variants (`es-MX`, `en-GB`) are
//! the same language here, because the sentences are the same. Adding a language means adding a
//! variant here, its word tables in `local_time`, and its message catalogue in the tools; the
//! compiler then names every place that still lacks it (every `match` on [`Language`] is
//! exhaustive).

use std::{fmt, str::FromStr};

/// A language the service speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    /// English.
    #[default]
    En,
    /// Spanish.
    Es,
}

impl Language {
    /// Every language, in the order the README lists them.
    pub const ALL: [Language; 2] = [Language::En, Language::Es];

    /// The BCP 47 primary tag: `en`, `es`.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Es => "es",
        }
    }

    /// The language's name in English, for logs and the README.
    pub fn name(self) -> &'static str {
        match self {
            Language::En => "English",
            Language::Es => "Spanish",
        }
    }

    /// Reads a tag or a name leniently: `es`, `es-MX`, `es_419`, `spa`, `Spanish`, `español`.
    /// `None` for a language the service does not speak.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let lowered = tag.trim().to_lowercase();
        let primary = lowered.split(['-', '_']).next().unwrap_or_default().trim();
        match primary {
            "en" | "eng" | "english" | "inglés" | "ingles" => Some(Language::En),
            "es" | "spa" | "spanish" | "español" | "espanol" | "castellano" => Some(Language::Es),
            _ => None,
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Language {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Language::from_tag(s).ok_or_else(|| {
            let known: Vec<&str> = Language::ALL.iter().map(|l| l.code()).collect();
            format!(
                "'{}' is not a language this service speaks; use one of {}",
                s.trim(),
                known.join(", ")
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_names_are_read_leniently() {
        for (said, wanted) in [
            ("en", Some(Language::En)),
            ("en-US", Some(Language::En)),
            ("EN_gb", Some(Language::En)),
            ("es", Some(Language::Es)),
            ("es-419", Some(Language::Es)),
            ("es_MX", Some(Language::Es)),
            (" Spanish ", Some(Language::Es)),
            ("Español", Some(Language::Es)),
            ("fr", None),
            ("", None),
            ("e", None),
        ] {
            assert_eq!(Language::from_tag(said), wanted, "{said:?}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for language in Language::ALL {
            assert_eq!(language.code().parse::<Language>(), Ok(language));
        }
        assert!(
            "klingon"
                .parse::<Language>()
                .unwrap_err()
                .contains("en, es")
        );
    }
}
