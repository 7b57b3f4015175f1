//! What the Calls page can narrow calls by, free of I/O: free text made into plain search terms
//! (whatever was typed), and the closed sets of the status, outcome and booking filters.
//!
//! The search box takes anything a person or a script may type — quotes, `*`, `NEAR`, `-`,
//! parentheses, markup, pages of text. None of it reaches a full-text engine as syntax: the text
//! is cut into words (letters and digits), each searched for as a plain term, all of them
//! required; the last word also matches as the start of a longer one, as the person may still be
//! typing it.

/// Terms kept from one search at most: the rest of a pasted page is dropped, so a query costs a
/// bounded amount of work.
pub const MAX_TERMS: usize = 8;
/// Characters kept of one term at most (no word said on a call is longer).
pub const MAX_TERM_CHARS: usize = 40;

/// A search as plain, lower-case terms, every one required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTerms {
    /// The words, in the order typed, without repeats; never empty, each only letters and digits.
    pub terms: Vec<String>,
    /// The last word also matches words it begins (it was typed last, at the end of the text,
    /// and has at least two characters).
    pub last_is_prefix: bool,
}

impl SearchTerms {
    /// The terms of `text`; `None` when it has no letters or digits at all.
    pub fn parse(text: &str) -> Option<Self> {
        let words: Vec<&str> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let mut terms: Vec<String> = Vec::new();
        for word in &words {
            let term = word
                .chars()
                .take(MAX_TERM_CHARS)
                .collect::<String>()
                .to_lowercase();
            if !terms.contains(&term) {
                terms.push(term);
            }
            if terms.len() == MAX_TERMS {
                break;
            }
        }
        let last = terms.last()?;
        // "pat" at the very end of the box may be "patricia" half typed; "pat " is a word. A
        // word cut short, or one after the kept terms, is not what is being typed.
        let typing = words.last().is_some_and(|w| {
            text.ends_with(char::is_alphanumeric)
                && w.chars().count() <= MAX_TERM_CHARS
                && w.to_lowercase() == *last
        });
        let last_is_prefix = typing && last.chars().count() >= 2;
        Some(Self {
            terms,
            last_is_prefix,
        })
    }

    /// The terms with whether each matches as a prefix (only the last may).
    pub fn each(&self) -> impl Iterator<Item = (&str, bool)> {
        let last = self.terms.len() - 1;
        self.terms
            .iter()
            .enumerate()
            .map(move |(i, t)| (t.as_str(), i == last && self.last_is_prefix))
    }

    /// One term as an SQLite FTS5 query: quoted (so `NEAR`, `AND` or `*` are words, not
    /// operators), with `*` when it is a prefix.
    pub fn fts5(term: &str, prefix: bool) -> String {
        let quoted = format!("\"{}\"", term.replace('"', "\"\""));
        if prefix { quoted + "*" } else { quoted }
    }

    /// One term as a PostgreSQL `to_tsquery` text: the term, with `:*` when it is a prefix. A
    /// term holds only letters and digits, so it carries no tsquery operator.
    pub fn tsquery(term: &str, prefix: bool) -> String {
        if prefix {
            format!("{term}:*")
        } else {
            term.to_owned()
        }
    }
}

/// Where a call stands, as the Calls page filters it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateFilter {
    /// It says it is going, and was heard of within the stale limit.
    InProgress,
    /// It has ended (any end: completed, failed, busy, ...).
    Ended,
    /// It says it is going, but nothing was heard of it for longer than the stale limit.
    Stale,
}

/// What came of a call, as the Calls page filters it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeFilter {
    /// Its evaluation says it succeeded (`true`, or a score at or above the threshold).
    Success,
    /// An appointment was booked during it.
    Booked,
    /// It ended without an appointment booked during it.
    NoBooking,
    /// At least one of its tool calls failed.
    FailedToolCall,
}

/// A closed set of choices named in URLs and shown in a select.
pub trait Choice: Sized + Copy + 'static {
    /// Every choice, in the order a select lists them.
    const ALL: &'static [Self];
    /// The name in the URL.
    fn key(self) -> &'static str;
    /// The words shown.
    fn label(self) -> &'static str;
    /// The choice named `key`, if any.
    fn from_key(key: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.key() == key)
    }
}

impl Choice for StateFilter {
    const ALL: &'static [Self] = &[Self::InProgress, Self::Ended, Self::Stale];

    fn key(self) -> &'static str {
        match self {
            Self::InProgress => "in-progress",
            Self::Ended => "ended",
            Self::Stale => "stale",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::InProgress => "In progress",
            Self::Ended => "Ended",
            Self::Stale => "Stale (no word for an hour)",
        }
    }
}

impl Choice for OutcomeFilter {
    const ALL: &'static [Self] = &[
        Self::Success,
        Self::Booked,
        Self::NoBooking,
        Self::FailedToolCall,
    ];

    fn key(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Booked => "booked",
            Self::NoBooking => "no-booking",
            Self::FailedToolCall => "failed-tool-call",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Success => "Success",
            Self::Booked => "Booked",
            Self::NoBooking => "No booking",
            Self::FailedToolCall => "Failed tool call",
        }
    }
}

/// An ended reason as VAPI writes them (`customer-ended-call`,
/// `call.in-progress.error-vapifault-...`): letters, digits and `- _ . :`, at most 120
/// characters. Anything else cannot be one, and is not looked for.
pub fn is_ended_reason(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 120
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anything_typed_becomes_plain_terms() {
        let s = SearchTerms::parse("  \"Pat\" NEAR(booked*) -Tuesday <script>").unwrap();
        assert_eq!(s.terms, ["pat", "near", "booked", "tuesday", "script"]);
        assert!(!s.last_is_prefix);
        assert_eq!(SearchTerms::fts5("near", false), "\"near\"");
        assert_eq!(SearchTerms::parse("*\"()-<>").map(|s| s.terms), None);
        assert_eq!(SearchTerms::parse(""), None);
    }

    #[test]
    fn the_last_word_typed_is_a_prefix() {
        let s = SearchTerms::parse("Señora Garcí").unwrap();
        assert_eq!(s.terms, ["señora", "garcí"]);
        assert!(s.last_is_prefix);
        assert_eq!(
            s.each()
                .map(|(t, p)| SearchTerms::fts5(t, p))
                .collect::<Vec<_>>(),
            ["\"señora\"", "\"garcí\"*"]
        );
        assert_eq!(
            s.each()
                .map(|(t, p)| SearchTerms::tsquery(t, p))
                .collect::<Vec<_>>(),
            ["señora", "garcí:*"]
        );
        assert!(!SearchTerms::parse("pat ").unwrap().last_is_prefix);
        assert!(!SearchTerms::parse("a").unwrap().last_is_prefix);
    }

    #[test]
    fn a_pasted_page_keeps_a_few_short_terms() {
        let page = "word ".repeat(100) + &"x".repeat(5000) + " a b c d e f g h i j";
        let s = SearchTerms::parse(&page).unwrap();
        assert_eq!(s.terms.len(), MAX_TERMS);
        assert_eq!(s.terms[1].len(), MAX_TERM_CHARS);
        assert!(!s.last_is_prefix, "the word cut off is not the last typed");
    }

    #[test]
    fn choices_read_their_url_names() {
        for s in StateFilter::ALL {
            assert_eq!(StateFilter::from_key(s.key()), Some(*s));
        }
        for o in OutcomeFilter::ALL {
            assert_eq!(OutcomeFilter::from_key(o.key()), Some(*o));
        }
        assert_eq!(OutcomeFilter::from_key("Booked"), None);
        assert!(is_ended_reason("call.in-progress.error-vapifault-x"));
        assert!(!is_ended_reason("<script>"));
        assert!(!is_ended_reason(&"a".repeat(121)));
    }
}
