//! The shape of one language's word tables, the lookups the grammar makes in them, and the
//! phrase rewrites that bring a language's own word order onto the grammar's keywords.
//!
//! The grammar reads canonical keywords ("tomorrow", "next", "past", "to", "after", ...). A
//! language maps what its callers say onto them in two steps, both driven by its tables: first
//! whole phrases are rewritten ("pasado mañana" → "day after tomorrow", "el martes que viene" →
//! "next martes", "las cuatro menos cuarto" → "quarter to 4"), then single words are looked up
//! (synonyms, numbers, months, weekdays, ...). Every comparison ignores accents, because callers'
//! transcripts drop them ("manana", "miercoles").
//!
//! Adding a language to the grammar: a table of this shape in its own file (see `es.rs`), its
//! arm in [`words_for`], and its sentences in `errors.rs` (the compiler names each `match` on
//! the language that lacks it); then a case table like `cases_es.rs` to hold it to.

use chrono::Weekday;

use super::{
    DayPart,
    dates::{Holiday, Region},
    en::EN,
    es::ES,
};
use crate::domain::language::Language;

/// One language's word tables.
pub(super) struct Words {
    /// Words skipped wherever they stand.
    pub fillers: &'static [&'static str],
    /// Spellings of a keyword: (said, keyword).
    pub synonyms: &'static [(&'static str, &'static str)],
    /// Phrases said in the language's own order, rewritten onto keywords before the words are
    /// looked up: (said, keywords). A slot in the said phrase matches one kind of word: `{n}` a
    /// number (digits or words), `{m}` a number of minutes (written back with two digits), `{d}`
    /// a weekday's name. `{1}`, `{2}` in the keywords are the slots' words, in the order said.
    /// Where several phrases match at one place, the longest wins.
    pub phrases: &'static [(&'static str, &'static str)],
    /// Numbers said as words: units, teens and tens (compounds such as "forty-five" are summed).
    pub numbers: &'static [(&'static str, u32)],
    /// The tens that take a unit after them ("forty five").
    pub tens: &'static [u32],
    /// The word that joins a ten and a unit ("treinta y cinco"), if the language has one.
    pub number_joiner: Option<&'static str>,
    /// Ordinals said as words (compounds such as "twenty-first" are summed).
    pub ordinals: &'static [(&'static str, u32)],
    /// Month names and abbreviations.
    pub months: &'static [(&'static str, u32)],
    /// Weekday names and abbreviations.
    pub weekdays: &'static [(&'static str, Weekday)],
    /// Parts of the day.
    pub parts: &'static [(&'static str, DayPart)],
    /// Words that make a time approximate ("around 3", "3ish").
    pub approximate: &'static [&'static str],
    /// Holidays by their words (apostrophes removed), longest first.
    pub holidays: &'static [(&'static [&'static str], Holiday)],
    /// Each holiday's name, as it starts a sentence.
    pub holiday_names: &'static [(Holiday, &'static str)],
    /// Where a regional holiday is kept: "in the US".
    pub regions: &'static [(Region, &'static str)],
}

/// The tables of `lang`.
pub(super) fn words_for(lang: Language) -> &'static Words {
    match lang {
        Language::En => &EN,
        Language::Es => &ES,
    }
}

/// A letter without its accent: "á" → "a", "ñ" → "n".
fn bare(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        other => other,
    }
}

/// The same word, accents aside.
pub(super) fn same(a: &str, b: &str) -> bool {
    a.chars().map(bare).eq(b.chars().map(bare))
}

fn lookup<T: Copy>(table: &[(&str, T)], w: &str) -> Option<T> {
    table.iter().find(|(k, _)| same(k, w)).map(|(_, v)| *v)
}

impl Words {
    /// The keyword a word stands for (itself when it has no other spelling).
    pub(super) fn keyword<'a>(&self, w: &'a str) -> &'a str {
        self.synonyms
            .iter()
            .find(|(said, _)| same(said, w))
            .map_or(w, |(_, k)| k)
    }

    pub(super) fn month(&self, w: &str) -> Option<u32> {
        lookup(self.months, w)
    }

    pub(super) fn weekday(&self, w: &str) -> Option<Weekday> {
        lookup(self.weekdays, w)
    }

    pub(super) fn part(&self, w: &str) -> Option<DayPart> {
        lookup(self.parts, w)
    }

    /// A number word, or a compound of a ten and a unit ("forty-five").
    pub(super) fn number(&self, w: &str) -> Option<u32> {
        if let Some(n) = lookup(self.numbers, w) {
            return Some(n);
        }
        let (tens, unit) = w.split_once('-')?;
        let (t, u) = (lookup(self.numbers, tens)?, lookup(self.numbers, unit)?);
        (self.tens.contains(&t) && (1..=9).contains(&u)).then_some(t + u)
    }

    /// An ordinal word, or a compound ("twenty-first", "thirty first" said as one word).
    pub(super) fn ordinal(&self, w: &str) -> Option<u32> {
        if let Some(n) = lookup(self.ordinals, w) {
            return Some(n);
        }
        for (tens, t) in [("twenty", 20), ("thirty", 30)] {
            if let Some(rest) = w.strip_prefix(tens) {
                let rest = rest.strip_prefix('-').unwrap_or(rest);
                if let Some(u) = lookup(&self.ordinals[..9.min(self.ordinals.len())], rest) {
                    return Some(t + u).filter(|n| *n <= 31);
                }
            }
        }
        None
    }

    pub(super) fn is_filler(&self, w: &str) -> bool {
        self.fillers.iter().any(|f| same(f, w))
    }

    pub(super) fn is_approximate(&self, w: &str) -> bool {
        self.approximate.iter().any(|a| same(a, w))
    }

    /// The holiday whose words start at `said[0]`, and how many words it takes.
    fn holiday(&self, said: &[&str]) -> Option<(Holiday, usize)> {
        self.holidays.iter().find_map(|(words, h)| {
            (said.len() >= words.len() && words.iter().zip(said).all(|(w, s)| same(w, s)))
                .then_some((*h, words.len()))
        })
    }

    /// The holiday's name, as it starts a sentence.
    pub(super) fn holiday_name(&self, h: Holiday) -> &'static str {
        self.holiday_names
            .iter()
            .find(|(k, _)| *k == h)
            .map_or("", |(_, name)| name)
    }

    /// Where a regional holiday is kept: "in the US".
    pub(super) fn region(&self, r: Region) -> &'static str {
        self.regions
            .iter()
            .find(|(k, _)| *k == r)
            .map_or("", |(_, name)| name)
    }

    /// A number at the start of `said`: digits (one or two), a number word, or a ten, the joiner
    /// and a unit ("treinta y cinco"). Its value and how many words it takes.
    fn number_at(&self, said: &[&str]) -> Option<(u32, usize)> {
        let first = said.first()?;
        let value =
            if !first.is_empty() && first.len() <= 2 && first.bytes().all(|b| b.is_ascii_digit()) {
                first.parse().ok()?
            } else {
                self.number(first)?
            };
        if let (Some(joiner), Some(and), Some(unit)) =
            (self.number_joiner, said.get(1), said.get(2))
            && self.tens.contains(&value)
            && same(joiner, and)
            && let Some(u @ 1..=9) = self.number(unit)
        {
            return Some((value + u, 3));
        }
        Some((value, 1))
    }

    /// How `pattern` matches at the start of `said`: the words it takes and its slots' words.
    fn matches(&self, pattern: &str, said: &[&str]) -> Option<(usize, Vec<String>)> {
        let mut at = 0;
        let mut slots = Vec::new();
        for p in pattern.split_whitespace() {
            match p {
                "{n}" | "{m}" => {
                    let (value, used) = self.number_at(&said[at.min(said.len())..])?;
                    if p == "{m}" {
                        if !(1..=59).contains(&value) {
                            return None;
                        }
                        slots.push(format!("{value:02}"));
                    } else {
                        slots.push(value.to_string());
                    }
                    at += used;
                }
                "{d}" => {
                    let w = said.get(at)?;
                    self.weekday(w)?;
                    slots.push((*w).to_owned());
                    at += 1;
                }
                word => {
                    if !said.get(at).is_some_and(|s| same(word, s)) {
                        return None;
                    }
                    at += 1;
                }
            }
        }
        Some((at, slots))
    }

    /// The text with this language's phrases and holidays rewritten onto keywords, and its
    /// compound numbers ("treinta y cinco") written as digits: a list of (keywords, the words
    /// said for them).
    pub(super) fn rewrite(&self, text: &str) -> Vec<(String, String)> {
        let said: Vec<&str> = text.split_whitespace().collect();
        let mut out = Vec::with_capacity(said.len());
        let mut i = 0;
        while i < said.len() {
            let mut best: Option<(usize, &str, Vec<String>)> = None;
            for (pattern, keywords) in self.phrases {
                if let Some((used, slots)) = self.matches(pattern, &said[i..])
                    && best.as_ref().is_none_or(|(most, ..)| used > *most)
                {
                    best = Some((used, keywords, slots));
                }
            }
            let (keywords, used) = match (self.holiday(&said[i..]), best) {
                // A holiday's words become its one keyword ("noche buena" → Christmas Eve).
                (Some((h, used)), best) if best.as_ref().is_none_or(|(most, ..)| used > *most) => {
                    (h.keyword().to_owned(), used)
                }
                (_, Some((used, keywords, slots))) => {
                    let mut filled = keywords.to_owned();
                    for (k, slot) in slots.iter().enumerate() {
                        filled = filled.replace(&format!("{{{}}}", k + 1), slot);
                    }
                    (filled, used)
                }
                _ => match self.number_at(&said[i..]) {
                    Some((value, used @ 3)) => (value.to_string(), used),
                    _ => (said[i].to_owned(), 1),
                },
            };
            out.push((keywords, said[i..i + used].join(" ")));
            i += used;
        }
        out
    }
}
