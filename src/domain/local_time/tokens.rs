//! Words and tokens of the time grammar: how text is cut into numbers, clock times, ordinals,
//! numeric dates and words, and the names of months and weekdays.

use chrono::{NaiveDate, Weekday};

/// One piece of the input.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    /// `2026-11-24`.
    Iso(NaiveDate),
    /// `12/03`, `12/03/2026`: (first, second, year).
    Numeric(u32, u32, Option<i32>),
    /// `15:30`, `3:30`; `h24` when written the 24-hour way (leading zero, 0 or 13+).
    Clock { hour: u32, minute: u32, h24: bool },
    /// `3`, `2026`, `three`; `h24` for a leading zero (`09`).
    Num {
        value: u32,
        digits: usize,
        h24: bool,
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

pub(super) const FILLERS: [&str; 9] = [
    "at", "on", "the", "of", "for", "around", "about", "please", "-",
];

const NUMBER_WORDS: [&str; 12] = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve",
];

const ORDINAL_WORDS: [&str; 19] = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
];

fn ordinal_word(w: &str) -> Option<u32> {
    if let Some(i) = ORDINAL_WORDS.iter().position(|o| *o == w) {
        return Some(i as u32 + 1);
    }
    match w {
        "twentieth" => return Some(20),
        "thirtieth" => return Some(30),
        "thirty-first" | "thirtyfirst" => return Some(31),
        _ => {}
    }
    let rest = w
        .strip_prefix("twenty-")
        .or_else(|| w.strip_prefix("twenty"))?;
    let unit = ORDINAL_WORDS[..9].iter().position(|o| *o == rest)?;
    Some(21 + unit as u32)
}

pub(super) fn month(w: &str) -> Option<u32> {
    let m = match w {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    };
    Some(m)
}

pub(super) fn weekday(w: &str) -> Option<Weekday> {
    let d = match w {
        "monday" | "mon" => Weekday::Mon,
        "tuesday" | "tue" | "tues" => Weekday::Tue,
        "wednesday" | "wed" => Weekday::Wed,
        "thursday" | "thu" | "thur" | "thurs" => Weekday::Thu,
        "friday" | "fri" => Weekday::Fri,
        "saturday" | "sat" => Weekday::Sat,
        "sunday" | "sun" => Weekday::Sun,
        _ => return None,
    };
    Some(d)
}

/// Lower-cases and evens out the spellings people and models use.
pub(super) fn normalise(input: &str) -> String {
    let mut t = input.trim().to_lowercase().replace(['’', '‘'], "'");
    for (from, to) in [
        ("a.m.", "am"),
        ("p.m.", "pm"),
        ("a.m", "am"),
        ("p.m", "pm"),
        ("o'clock", " oclock"),
        ("o clock", " oclock"),
        ("@", " at "),
    ] {
        t = t.replace(from, to);
    }
    t.chars()
        .map(|c| {
            if matches!(c, ',' | '?' | '!' | ';') {
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

pub(super) fn tokenize(text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    for raw in text.split_whitespace() {
        let raw = raw.trim_end_matches('.');
        if raw.is_empty() {
            continue;
        }
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
            })
        } else if meridiem.is_some() {
            None
        } else if let Some(n) = ["st", "nd", "rd", "th"]
            .iter()
            .find_map(|s| body.strip_suffix(s).and_then(digits))
        {
            Some(Tok::Ordinal(n))
        } else if let Some(n) = ordinal_word(body) {
            Some(Tok::Ordinal(n))
        } else if let Some(i) = NUMBER_WORDS.iter().position(|w| *w == body) {
            Some(Tok::Num {
                value: i as u32 + 1,
                digits: 1,
                h24: false,
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
    out
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
