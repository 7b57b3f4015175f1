//! The SQL that narrows the Calls listing: the free-text search (SQLite FTS5 indexes of the
//! transcript lines and of each call's summary and attendees' names, kept by triggers;
//! PostgreSQL tsvector GIN indexes on the lines, summaries and attendees' names where they are
//! stored) and the status,
//! ended reason, outcome and booking filters. Also the ended reasons there are to choose from.

use chrono::{DateTime, Utc};

use super::{Backend, Db, DbError, call_records::CallFilter, ts};
use crate::domain::{
    appointment::Status,
    call::CallStatus,
    call_search::{OutcomeFilter, SearchTerms, StateFilter},
};

/// Ended reasons listed at most (VAPI has a few dozen).
const MAX_REASONS: i64 = 200;

/// A bound value of a listing.
#[derive(Debug, Clone)]
pub(super) enum Arg {
    /// Text.
    Text(String),
    /// A number.
    Real(f64),
}

/// A where clause being built, with its numbered arguments (`$1`, `$2`, …).
#[derive(Debug, Default)]
pub(super) struct Where {
    /// `and …` conditions, on the calls table as `c`.
    pub sql: String,
    /// The values of its placeholders, in order.
    pub args: Vec<Arg>,
}

impl Where {
    /// Binds `value` and returns its placeholder.
    pub fn text(&mut self, value: impl Into<String>) -> String {
        self.args.push(Arg::Text(value.into()));
        format!("${}", self.args.len())
    }

    /// Binds `value` and returns its placeholder.
    fn real(&mut self, value: f64) -> String {
        self.args.push(Arg::Real(value));
        format!("${}", self.args.len())
    }

    /// Adds ` and <condition>`.
    pub fn and(&mut self, condition: &str) {
        self.sql.push_str(" and ");
        self.sql.push_str(condition);
    }

    /// `(p1, p2, …)` of the statuses of a call that has not ended.
    fn live_statuses(&mut self) -> String {
        let list: Vec<String> = CallStatus::LIVE
            .iter()
            .map(|s| self.text(s.as_str()))
            .collect();
        format!("({})", list.join(", "))
    }

    /// Adds the search, state, ended reason, outcome and booking conditions of `filter`.
    pub fn narrow(&mut self, filter: &CallFilter, backend: Backend) {
        if let Some(search) = &filter.search {
            self.search(search, backend);
        }
        if let Some(state) = filter.state {
            self.state(state, filter.stale_before);
        }
        if let Some(reason) = &filter.ended_reason {
            let p = self.text(reason.clone());
            self.and(&format!("c.ended_reason = {p}"));
        }
        if let Some(outcome) = filter.outcome {
            self.outcome(outcome, filter.success_threshold);
        }
        if filter.has_booking {
            let kept: Vec<String> = [Status::Cancelled, Status::Rejected, Status::Rescheduled]
                .iter()
                .map(|s| self.text(s.as_str()))
                .collect();
            // Booked or moved to during the call, and still on the calendar.
            self.and(&format!(
                "exists (select 1 from call_appointments b \
                 join appointments a on a.tenant = b.tenant and a.cal_uid = b.appointment_uid \
                 where b.tenant = c.tenant and b.vapi_call_id = c.vapi_call_id and b.action in ('booked', 'moved') \
                 and a.status not in ({}))",
                kept.join(", ")
            ));
        }
    }

    /// Every term in the call's transcript, summary or attendees' names. One term at a time:
    /// each may be in a different place (a name in the booking, a word in the summary), and
    /// each place has its own index.
    fn search(&mut self, search: &SearchTerms, backend: Backend) {
        for (term, prefix) in search.each() {
            let condition = match backend {
                Backend::Sqlite => {
                    let p = self.text(SearchTerms::fts5(term, prefix));
                    format!(
                        "c.vapi_call_id in (\
                         select l.vapi_call_id from call_lines_fts f \
                          join call_transcript_lines l on l.id = f.rowid where call_lines_fts match {p} \
                         union select s.vapi_call_id from call_search_fts f \
                          join call_search s on s.id = f.rowid where call_search_fts match {p})"
                    )
                }
                // As `exists` per place rather than one `in (… union …)`, so the planner may
                // either hash the few calls a rare word is in, or walk the newest calls and stop
                // at a page of them when a word is everywhere (1 ms rather than 3.8 s for a
                // word in each of a million lines).
                Backend::Postgres => {
                    let p = self.text(SearchTerms::tsquery(term, prefix));
                    let q = format!("to_tsquery('simple', {p})");
                    format!(
                        "(exists (select 1 from call_transcript_lines l \
                          where l.tenant = c.tenant and l.vapi_call_id = c.vapi_call_id \
                          and to_tsvector('simple', l.text) @@ {q}) \
                         or to_tsvector('simple', coalesce(c.summary, '')) @@ {q} \
                         or exists (select 1 from call_appointments ca \
                          join appointments a on a.tenant = ca.tenant and a.cal_uid = ca.appointment_uid \
                          where ca.tenant = c.tenant and ca.vapi_call_id = c.vapi_call_id \
                          and to_tsvector('simple', coalesce(call_search_names(a.attendees), '')) @@ {q}))"
                    )
                }
            };
            self.and(&condition);
        }
    }

    /// Going and heard of since `stale_before`, going but silent since, or ended.
    fn state(&mut self, state: StateFilter, stale_before: DateTime<Utc>) {
        let live = self.live_statuses();
        let condition = match state {
            StateFilter::Ended => format!("c.status not in {live}"),
            StateFilter::InProgress => {
                format!(
                    "c.status in {live} and c.updated_at >= {}",
                    self.text(ts(stale_before))
                )
            }
            StateFilter::Stale => {
                format!(
                    "c.status in {live} and c.updated_at < {}",
                    self.text(ts(stale_before))
                )
            }
        };
        self.and(&condition);
    }

    /// What came of the call (success as the Stats page counts it).
    fn outcome(&mut self, outcome: OutcomeFilter, threshold: f64) {
        let booked = "exists (select 1 from call_appointments b \
                      where b.tenant = c.tenant and b.vapi_call_id = c.vapi_call_id and b.action = 'booked')";
        let condition = match outcome {
            OutcomeFilter::Success => format!(
                "(lower(c.success_evaluation) = 'true' or c.success_score >= {})",
                self.real(threshold)
            ),
            OutcomeFilter::Booked => booked.to_owned(),
            OutcomeFilter::NoBooking => {
                format!("c.status not in {} and not {booked}", self.live_statuses())
            }
            OutcomeFilter::FailedToolCall => "exists (select 1 from tool_invocations t \
                 where t.tenant = c.tenant and t.call_id = c.vapi_call_id and t.error is not null)"
                .to_owned(),
        };
        self.and(&condition);
    }
}

impl Db {
    /// The ended reasons of the stored calls, alphabetically (the first [`MAX_REASONS`]).
    pub async fn ended_reasons(&self) -> Result<Vec<String>, DbError> {
        Ok(sqlx::query_scalar(
            "select distinct ended_reason from calls where tenant = $2 and ended_reason is not null \
             and ended_reason <> '' order by ended_reason limit $1",
        )
        .bind(MAX_REASONS)
        .bind(self.t())
        .fetch_all(self.pool())
        .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{SQLITE_MIGRATIONS, TempSqlite};

    /// Calls stored before the search existed are found once the database is migrated.
    #[tokio::test]
    async fn the_migration_indexes_the_calls_already_stored() {
        let path = std::env::temp_dir().join(format!(
            "vapi-cal-unit-{}.db",
            uuid::Uuid::new_v4().simple()
        ));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let _guard = TempSqlite {
            path,
            url: url.clone(),
        };
        let db = Db::connect(&url).await.unwrap();
        SQLITE_MIGRATIONS.run_to(15, db.pool()).await.unwrap();
        let at = "2026-11-21T15:00:00.000Z";
        for sql in [
            "insert into calls (vapi_call_id, status, summary, hang_count, sort_at, created_at, updated_at) \
             values ('old-1', 'completed', 'Asked for a Saturday', 0, $1, $1, $1), \
                    ('old-2', 'completed', null, 0, $1, $1, $1)",
            "insert into call_transcript_lines (vapi_call_id, seq, role, text) \
             values ('old-1', 1, 'user', 'Hola, soy yo'), ('old-2', 1, 'user', 'Quiero una cita')",
            "insert into appointments (cal_uid, status, attendees, paid, request_reschedule, no_show, \
             last_event_at, created_at, updated_at) \
             values ('uid-1', 'accepted', '[{\"name\": \"Zoë Old\"}]', 0, 0, 0, $1, $1, $1), \
                    ('uid-2', 'accepted', 'not json', 0, 0, 0, $1, $1, $1)",
            "insert into call_appointments (vapi_call_id, appointment_uid, action, created_at) \
             values ('old-2', 'uid-1', 'booked', $1), ('old-1', 'uid-2', 'booked', $1)",
        ] {
            sqlx::query(sql).bind(at).execute(db.pool()).await.unwrap();
        }
        db.migrate().await.unwrap();
        let found = |text: &str| {
            let filter = CallFilter {
                limit: 10,
                search: SearchTerms::parse(text),
                ..CallFilter::default()
            };
            let db = db.clone();
            async move {
                let list = db.list_calls(&filter).await.unwrap();
                list.calls
                    .into_iter()
                    .map(|c| c.vapi_call_id)
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(found("saturday").await, ["old-1"]);
        assert_eq!(found("HOLA").await, ["old-1"]);
        assert_eq!(found("zoë cita").await, ["old-2"]);
        assert_eq!(found("json").await, Vec::<String>::new());
    }
}
