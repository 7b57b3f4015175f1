//! Live updates: what the dashboard watches to tell an open page that what it shows changed.
//!
//! The server-sent-event stream (`crate::http::dashboard::events`) polls this every
//! [`POLL_INTERVAL`]: today's calls, today's failed tool calls and today's appointments, the
//! parts of the pages marked `data-live`. Polling the database, rather than listening inside one
//! process, sees a message or a webhook that reached any replica.

use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::today::{ERROR_LIMIT, appointments_between};
use crate::{
    db::{Db, DbError, tool_invocations::FailedToolCall},
    domain::local_time::{local_days_bounds, local_today},
};

/// How often an open page's stream looks for changes.
pub const POLL_INTERVAL: Duration = Duration::from_secs(1);

/// The state of what the live parts show, to compare with the last one seen.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveState {
    /// Today's calls: id, status, last change.
    calls: Vec<(String, String, String)>,
    /// Today's failed tool calls, newest first.
    failures: Vec<FailedToolCall>,
    /// Today's appointments: uid, status, last change.
    appointments: Vec<(String, &'static str, DateTime<Utc>)>,
}

/// What the live parts of the pages show now, for the business day containing `now`.
pub async fn state(db: &Db, tz: Tz, now: DateTime<Utc>) -> Result<LiveState, DbError> {
    let today = local_today(now, tz);
    let (from, to) = local_days_bounds(today, today, tz);
    // The same rows Today shows, so what the stream compares is what the page would change.
    Ok(LiveState {
        calls: db.call_states_since(from).await?,
        failures: db.tool_errors_since(from, ERROR_LIMIT).await?,
        appointments: appointments_between(db, from, to)
            .await?
            .into_iter()
            .map(|a| (a.uid, a.status.as_str(), a.updated_at))
            .collect(),
    })
}
