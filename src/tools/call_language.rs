//! The language each call speaks, as VAPI detected it, kept in the process so that tool calls do
//! not each ask the database.
//!
//! The database (`call_languages`) is the truth every replica shares. This process reads from it
//! only the changes numbered after the last one it saw, at most once every [`FRESH`], whichever
//! call asks: a switch recorded on this replica is seen at once, one recorded on another replica
//! within [`FRESH`]. Each call keeps the language of its latest change (by number), so a change
//! this replica recorded and one read from another replica apply in the order they were made.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use crate::{db::Db, domain::language::Language};

/// How long what was read from the database is trusted without reading the changes again.
pub const FRESH: Duration = Duration::from_secs(3);
/// How long a call's language is kept after its last change: longer than any call.
const KEEP: Duration = Duration::from_secs(2 * 24 * 60 * 60);
/// Calls kept before those past [`KEEP`] are looked for.
const KEPT: usize = 4096;

/// A call's language (`None`: one the answers do not speak), its change's number, and when it
/// was learnt.
type Kept = (Option<Language>, i64, Instant);

/// The calls' languages known to this process.
#[derive(Clone, Debug, Default)]
pub struct CallLanguages {
    known: Arc<Mutex<Known>>,
    /// Held while the changes are read, so concurrent tool calls read them once.
    reading: Arc<tokio::sync::Mutex<()>>,
}

#[derive(Debug)]
struct Known {
    by_call: HashMap<String, Kept>,
    /// The number of the last change read from the database.
    seen: i64,
    /// When the database was last read (`None`: never).
    read_at: Option<Instant>,
    /// The size at which calls past [`KEEP`] are next dropped.
    sweep_at: usize,
}

impl Default for Known {
    fn default() -> Self {
        Self {
            by_call: HashMap::new(),
            // Rows written before changes were numbered carry 0.
            seen: -1,
            read_at: None,
            sweep_at: KEPT,
        }
    }
}

impl Known {
    /// Takes a change in, unless the call already has a later one.
    fn apply(&mut self, call_id: &str, lang: Option<Language>, version: i64, now: Instant) {
        if self.by_call.len() >= self.sweep_at && !self.by_call.contains_key(call_id) {
            self.by_call
                .retain(|_, (_, _, at)| now.duration_since(*at) < KEEP);
            // Sweep again only once the kept calls have doubled, not for every new one.
            self.sweep_at = (self.by_call.len() * 2).max(KEPT);
        }
        let kept = self
            .by_call
            .entry(call_id.to_owned())
            .or_insert((lang, version, now));
        if kept.1 <= version {
            *kept = (lang, version, now);
        }
    }

    fn fresh(&self) -> bool {
        self.read_at.is_some_and(|at| at.elapsed() < FRESH)
    }
}

impl CallLanguages {
    fn known(&self) -> std::sync::MutexGuard<'_, Known> {
        self.known.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The call's language, `None` when none the answers speak was detected. Reads the changes
    /// made since the last read first when that read is older than [`FRESH`].
    pub async fn of(&self, db: &Db, call_id: &str) -> Option<Language> {
        if !self.known().fresh() {
            self.read_changes(db).await;
        }
        self.known().by_call.get(call_id).and_then(|kept| kept.0)
    }

    /// Reads the changes after the last one seen (once, however many tool calls wait for it).
    async fn read_changes(&self, db: &Db) {
        let _reading = self.reading.lock().await;
        let after = {
            let known = self.known();
            if known.fresh() {
                return;
            }
            known.seen
        };
        let changes = db.call_language_changes(after).await;
        let now = Instant::now();
        let mut known = self.known();
        // A failed read is not retried for every tool call: answers fall back to what is known.
        known.read_at = Some(now);
        match changes {
            Ok(changes) => {
                for (call_id, tag, version) in changes {
                    known.apply(&call_id, Language::from_tag(&tag), version, now);
                    known.seen = known.seen.max(version);
                }
            }
            Err(err) => tracing::warn!(%err, "could not read the calls' languages"),
        }
    }

    /// Keeps a change this process just recorded (change number `version`).
    pub fn remember(&self, call_id: &str, lang: Option<Language>, version: i64) {
        self.known().apply(call_id, lang, version, Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn changes_are_read_once_in_a_while_and_the_latest_change_wins() {
        let (db, _file) = Db::temp_sqlite().await;
        let at: chrono::DateTime<chrono::Utc> = "2026-12-01T10:00:00Z".parse().unwrap();
        let kept = CallLanguages::default();
        assert_eq!(kept.of(&db, "c1").await, None);
        // Recorded here: seen at once.
        let v1 = db.set_call_language("c1", "es", at).await.unwrap();
        kept.remember("c1", Some(Language::Es), v1);
        assert_eq!(kept.of(&db, "c1").await, Some(Language::Es));
        // Recorded by another replica: seen once the last read is older than FRESH.
        let v2 = db.set_call_language("c1", "en", at).await.unwrap();
        db.set_call_language("c2", "es", at).await.unwrap();
        assert_eq!(kept.of(&db, "c2").await, None);
        kept.known().read_at = Some(Instant::now() - FRESH);
        assert_eq!(kept.of(&db, "c1").await, Some(Language::En));
        assert_eq!(kept.of(&db, "c2").await, Some(Language::Es));
        // An older change remembered late does not undo a newer one.
        kept.remember("c1", Some(Language::Es), v2 - 1);
        assert_eq!(kept.of(&db, "c1").await, Some(Language::En));
    }
}
