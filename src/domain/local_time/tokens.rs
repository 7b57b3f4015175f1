//! Tokens of the time grammar: how text is cut into numbers, clock times, ordinals, numeric
//! dates and words. The words themselves come from a language's tables (`en.rs`, `es.rs`).

use chrono::{NaiveDate, Weekday};

use super::words::Words;

/// One piece of the input.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    /// `2026-11-24`.
    Iso(NaiveDate),
    /// `12/03`, `12/03/2026`: (first, second, year).
    Numeric(u32, u32, Option<i32>),
    /// `15:30`, `3:30`; `h24` when written the 24-hour way (leading zero, 0 or 13+).
    Clock { hour: u32, minute: u32, h24: bool },
    /// `3`, `2026`, `three`; `h24` for a leading zero (`09`); `spelled` when said as a word.
    Num {
        value: u32,
        digits: usize,
        h24: bool,
        spelled: bool,
    },
    /// `3rd`, `third`.
    Ordinal(u32),
    /// `am` / `pm`.
    Meridiem(bool),
    /// Any other word.
    Word(String),
}

impl Tok {
    pub(super) fn word(&self) -> Option<&str> {
        match self {
            Tok::Word(w) => Some(w),
            _ => None,
        }
    }

    /// The text a caller would recognise, for refusals.
    pub(super) fn text(&self) -> String {
        match self {
            Tok::Iso(d) => d.to_string(),
            Tok::Numeric(a, b, None) => format!("{a}/{b}"),
            Tok::Numeric(a, b, Some(y)) => format!("{a}/{b}/{y}"),
            Tok::Clock { hour, minute, .. } => format!("{hour}:{minute:02}"),
            Tok::Num { value, .. } => value.to_string(),
            Tok::Ordinal(n) => format!("{n}{}", ordinal_suffix(*n)),
            Tok::Meridiem(true) => "pm".into(),
            Tok::Meridiem(false) => "am".into(),
            Tok::Word(w) => w.clone(),
        }
    }
}

pub(super) fn ordinal_suffix(n: u32) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

/// Lower-cases and evens out the spellings people and models use.
pub(super) fn normalise(input: &str) -> String {
    let mut t = input.trim().to_lowercase().replace(['’', '‘'], "'");
    for (from, to) in [
        // Spanish writes "p. m." with a space.
        ("a. m.", "am"),
        ("p. m.", "pm"),
        ("a.m.", "am"),
        ("p.m.", "pm"),
        ("a.m", "am"),
        ("p.m", "pm"),
        ("o'clock", " oclock"),
        ("o clock", " oclock"),
        ("@", " at "),
        ("'", ""),
    ] {
        t = t.replace(from, to);
    }
    t.chars()
        .map(|c| {
            if matches!(c, ',' | '?' | '!' | ';' | '¿' | '¡') {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .trim_end_matches('.')
        .to_owned()
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `3:30`, `15:30`, `3.30` → (hour, minute, written the 24-hour way).
fn clock(s: &str) -> Option<(u32, u32, bool)> {
    let (h, m) = s.split_once(':').or_else(|| s.split_once('.'))?;
    let (hour, minute) = (digits(h)?, digits(m)?);
    if h.len() > 2 || m.len() != 2 || hour > 23 || minute > 59 {
        return None;
    }
    Some((hour, minute, h.starts_with('0') || hour == 0 || hour > 12))
}

/// Cuts `text` into tokens after `out`, which may take a unit word into its last number ("forty"
/// then "five").
fn tokenize_into(text: &str, words: &Words, out: &mut Vec<Tok>) {
    for raw in text.split_whitespace() {
        let raw = raw.trim_end_matches('.');
        if raw.is_empty() {
            continue;
        }
        // "3ish", "noonish", "3pm-ish": the word and a mark that it is approximate.
        let approx = ["-ish", "ish"]
            .iter()
            .find_map(|s| raw.strip_suffix(s))
            .filter(|b| {
                !b.is_empty()
                    && (words.number(b).is_some()
                        || b.starts_with(|c: char| c.is_ascii_digit())
                        || *b == "noon"
                        || *b == "midday")
            });
        if let Some(body) = approx {
            tokenize_into(body, words, out);
            out.push(Tok::Word("ish".into()));
            continue;
        }
        let raw = words.keyword(raw);
        if let Ok(d) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            out.push(Tok::Iso(d));
            continue;
        }
        let parts: Vec<&str> = raw.split('/').collect();
        if (2..=3).contains(&parts.len()) && parts.iter().all(|p| digits(p).is_some()) {
            let year = parts
                .get(2)
                .and_then(|y| digits(y))
                .map(|y| if y < 100 { 2000 + y as i32 } else { y as i32 });
            if parts[0].len() <= 2 && parts[1].len() <= 2 {
                out.push(Tok::Numeric(
                    digits(parts[0]).unwrap_or(0),
                    digits(parts[1]).unwrap_or(0),
                    year,
                ));
                continue;
            }
        }
        // A trailing am/pm glued on: "3pm", "3:30pm".
        let (body, meridiem) = match (raw.strip_suffix("pm"), raw.strip_suffix("am")) {
            (Some(b), _) if !b.is_empty() => (b, Some(true)),
            (_, Some(b)) if !b.is_empty() => (b, Some(false)),
            _ => (raw, None),
        };
        let tok = if let Some((hour, minute, h24)) = clock(body) {
            Some(Tok::Clock { hour, minute, h24 })
        } else if let Some(value) = digits(body) {
            Some(Tok::Num {
                value,
                digits: body.len(),
                h24: body.len() == 2 && body.starts_with('0'),
                spelled: false,
            })
        } else if meridiem.is_some() {
            None
        } else if let Some(n) = ["st", "nd", "rd", "th"]
            .iter()
            .find_map(|s| body.strip_suffix(s).and_then(digits))
        {
            Some(Tok::Ordinal(n))
        } else if let Some(n) = words.ordinal(body) {
            Some(Tok::Ordinal(n))
        } else if let Some(value) = words.number(body) {
            // "forty five" said as two words is one number.
            if let Some(Tok::Num {
                value: tens,
                spelled: true,
                ..
            }) = out.last_mut()
                && words.tens.contains(tens)
                && (1..=9).contains(&value)
            {
                *tens += value;
                continue;
            }
            Some(Tok::Num {
                value,
                digits: if value < 10 { 1 } else { 2 },
                h24: false,
                spelled: true,
            })
        } else {
            match body {
                "am" => Some(Tok::Meridiem(false)),
                "pm" => Some(Tok::Meridiem(true)),
                _ => None,
            }
        };
        match (tok, meridiem) {
            (Some(t), m) => {
                out.push(t);
                if let Some(pm) = m {
                    out.push(Tok::Meridiem(pm));
                }
            }
            (None, _) => out.push(Tok::Word(raw.to_owned())),
        }
    }
}

/// Tokens of text rewritten by a language's tables (see `Words::rewrite`), each with the words
/// the caller said for it where they differ from the token's own text, so that a refusal names
/// what the caller said ("con el doctor"), not the keywords it was read as.
pub(super) fn tokenize_said(
    units: &[(String, String)],
    words: &Words,
) -> Vec<(Tok, Option<String>)> {
    let mut toks = Vec::new();
    let mut out = Vec::new();
    for (keywords, said) in units {
        let start = toks.len();
        tokenize_into(keywords, words, &mut toks);
        let made = &toks[start..];
        for (k, tok) in made.iter().enumerate() {
            let text = match k {
                0 if made.len() > 1 || tok.text() != *said => Some(said.clone()),
                0 => None,
                // The rest of what one word or phrase became is said with the first.
                _ => Some(String::new()),
            };
            out.push(text);
        }
        // A unit taken into the number before it ("forty" "five") is said with that number.
        if made.is_empty()
            && let Some(last) = out.last_mut()
        {
            let before = last.take().unwrap_or_else(|| toks[start - 1].text());
            *last = Some(format!("{before} {said}"));
        }
    }
    toks.into_iter().zip(out).collect()
}

pub(super) fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

pub(super) const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
