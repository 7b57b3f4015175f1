//! Live updates: what the dashboard watches to tell an open page that calls changed.
//!
//! The server-sent-event stream (`crate::http::dashboard::events`) polls this every
//! [`POLL_INTERVAL`]. Polling the database, rather than listening inside one process, sees a
//! status message that reached any replica.

use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::{
    db::{Db, DbError},
    domain::local_time::{local_days_bounds, local_today},
};

/// How often an open page's stream looks for changed calls.
pub const POLL_INTERVAL: Duration = Duration::from_secs(1);

/// The state of today's calls (id, status, last change), to compare with the last one seen.
pub async fn call_states(
    db: &Db,
    tz: Tz,
    now: DateTime<Utc>,
) -> Result<Vec<(String, String, String)>, DbError> {
    let today = local_today(now, tz);
    let (from, _) = local_days_bounds(today, today, tz);
    db.call_states_since(from).await
}
