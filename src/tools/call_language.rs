//! The language each call speaks, as VAPI detected it, kept briefly in the process so that the
//! tool calls of one turn do not each ask the database.
//!
//! The database (`call_languages`) is the truth every replica shares; this only saves repeated
//! reads. A switch recorded on this replica is seen at once; one recorded on another replica is
//! seen within [`FRESH`].

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use crate::domain::language::Language;

/// How long a language read from the database is trusted without reading it again.
pub const FRESH: Duration = Duration::from_secs(3);
/// Calls kept before the stale ones are dropped.
const KEPT: usize = 4096;

/// A call's language (`None`: none recorded) and when it was read.
type Kept = (Option<Language>, Instant);

/// Recently read languages by VAPI call id.
#[derive(Clone, Debug, Default)]
pub struct CallLanguages {
    calls: Arc<Mutex<HashMap<String, Kept>>>,
}

impl CallLanguages {
    /// The call's language if it was read or recorded within [`FRESH`]; `None` when it must be
    /// read again.
    pub fn fresh(&self, call_id: &str) -> Option<Option<Language>> {
        let calls = self.calls.lock().unwrap_or_else(|p| p.into_inner());
        calls
            .get(call_id)
            .filter(|(_, at)| at.elapsed() < FRESH)
            .map(|(lang, _)| *lang)
    }

    /// Keeps what was just read or recorded for the call.
    pub fn remember(&self, call_id: &str, lang: Option<Language>) {
        let mut calls = self.calls.lock().unwrap_or_else(|p| p.into_inner());
        if calls.len() >= KEPT && !calls.contains_key(call_id) {
            calls.retain(|_, (_, at)| at.elapsed() < FRESH);
        }
        calls.insert(call_id.to_owned(), (lang, Instant::now()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recorded_language_is_seen_at_once_and_forgotten_after_a_while() {
        let kept = CallLanguages::default();
        assert_eq!(kept.fresh("c1"), None);
        kept.remember("c1", Some(Language::Es));
        assert_eq!(kept.fresh("c1"), Some(Some(Language::Es)));
        kept.remember("c1", None);
        assert_eq!(kept.fresh("c1"), Some(None));
        assert_eq!(kept.fresh("c2"), None);
    }
}
