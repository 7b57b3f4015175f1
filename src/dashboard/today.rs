//! The Today page: the local business day's calls (in progress first) and appointments, the last
//! sync run of each kind, and anything failing (a failed sync run, tool calls that erred today).

use crate::domain::language::Language;
use askama::Template;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{
    Frame,
    call_pages::{CallRow, call_href, rows as call_rows},
    view::{DayGroup, by_day, local_moment},
};
use crate::{
    db::{
        Db, DbError,
        appointments::AppointmentQuery,
        call_records::CallFilter,
        sync_runs::{KIND_CAL_BOOKINGS, KIND_VAPI_CALLS, SyncRun},
    },
    domain::{
        appointment::Appointment,
        failure::FailureKind,
        local_time::{local_days_bounds, local_today, speak_clock, speak_full_date},
    },
    sync::bookings::BOOKINGS_CURSOR,
};

/// Most appointments listed on one day.
const DAY_LIMIT: u32 = 200;
/// Most calls listed on one day (the Calls page has them all).
const CALL_LIMIT: u32 = 100;
/// Most tool errors listed.
pub(super) const ERROR_LIMIT: u32 = 20;

/// The last run of one kind of sync, in words.
#[derive(Debug, Clone)]
pub struct SyncLine {
    /// "Cal.com bookings reconcile".
    pub name: &'static str,
    /// "Monday, ... at 8:12 AM EST: ok (3 min ago)" or "never".
    pub text: String,
    /// It failed.
    pub failed: bool,
}

/// Something failing, in words.
#[derive(Debug, Clone)]
pub struct Failure {
    /// What failed.
    pub text: String,
    /// Where to see more, if anywhere.
    pub href: Option<String>,
}

/// The Today page.
#[derive(Template, Debug)]
#[template(path = "dashboard/today.html")]
pub struct TodayPage {
    /// What surrounds the content: navigation, title, the business shown and its zone.
    pub frame: Frame,
    /// "Monday, November 23, 2026".
    pub date_label: String,
    /// Today's appointments, soonest first (one group: today).
    pub groups: Vec<DayGroup>,
    /// How many.
    pub count: usize,
    /// When the appointments were last reconciled with Cal.com, in words.
    pub last_reconcile: String,
    /// Today's calls, in progress first, then newest first (named for the shared calls table).
    pub rows: Vec<CallRow>,
    /// How many calls are in progress.
    pub live: usize,
    /// The last run of each kind of sync.
    pub syncs: Vec<SyncLine>,
    /// What is failing: failed syncs and today's faults.
    pub failures: Vec<Failure>,
    /// How many tool calls today failed on what a caller got wrong (see the Failures page).
    pub mistakes: i64,
}

impl TodayPage {
    /// Builds the page for the local day containing `now`.
    pub async fn load(db: &Db, tz: Tz, now: DateTime<Utc>) -> Result<Self, DbError> {
        let today = local_today(now, tz);
        let (from, to) = local_days_bounds(today, today, tz);
        let appointments = appointments_between(db, from, to).await?;
        let groups = by_day(db, &appointments, tz).await?;
        let last_reconcile = match db.sync_state_entry(BOOKINGS_CURSOR).await? {
            Some(entry) => {
                let minutes = now.signed_duration_since(entry.updated_at).num_minutes();
                format!(
                    "{} ({} min ago)",
                    local_moment(entry.updated_at, tz),
                    minutes.max(0)
                )
            }
            None => "never: run `vapi-cal sync bookings`".to_owned(),
        };
        let page = db
            .list_calls(&CallFilter {
                from: Some(from),
                to: Some(to),
                limit: CALL_LIMIT,
                ..CallFilter::default()
            })
            .await?;
        let mut calls: Vec<CallRow> = call_rows(db, &page.calls, tz, now).await?;
        // Stable: in progress first, each part still newest first.
        calls.sort_by_key(|c| !c.live);
        let live = calls.iter().filter(|c| c.live).count();
        let mut syncs = Vec::new();
        let mut failures = Vec::new();
        for (kind, name) in [
            (KIND_CAL_BOOKINGS, "Cal.com bookings reconcile"),
            (KIND_VAPI_CALLS, "VAPI call backfill"),
        ] {
            let run = db.last_sync_run(kind).await?;
            let failed = run.as_ref().is_some_and(|r| r.outcome == "error");
            if let Some(r) = run.as_ref().filter(|_| failed) {
                failures.push(Failure {
                    text: format!(
                        "The last {name} failed: {}",
                        r.error.as_deref().unwrap_or("no error recorded")
                    ),
                    href: None,
                });
            }
            syncs.push(SyncLine {
                name,
                text: sync_text(run.as_ref(), tz, now),
                failed,
            });
        }
        // Callers' mistakes are not failures of the service: counted, not listed in red.
        for e in db
            .tool_errors_since(from, ERROR_LIMIT)
            .await?
            .into_iter()
            .filter(|e| e.kind() == FailureKind::Fault)
        {
            let at = DateTime::parse_from_rfc3339(&e.created_at)
                .map(|d| speak_clock(&d.with_timezone(&tz), Language::En))
                .unwrap_or_default();
            failures.push(Failure {
                text: format!(
                    "{at}: tool {} answered with an error: {}",
                    e.tool,
                    e.error.as_deref().unwrap_or_default()
                ),
                href: e.call_id.as_deref().map(call_href),
            });
        }
        let mistakes = db
            .failure_groups(from, to)
            .await?
            .iter()
            .filter(|g| g.kind() == FailureKind::Mistake)
            .map(|g| g.count)
            .sum();
        Ok(Self {
            rows: calls,
            live,
            syncs,
            failures,
            mistakes,
            frame: Frame::new("/dashboard", "Today", tz, now),
            date_label: speak_full_date(today, Language::En),
            count: appointments.len(),
            groups,
            last_reconcile,
        })
    }
}

/// The appointments starting in `[from, to)` (a day), soonest first, as many as Today lists.
pub(super) async fn appointments_between(
    db: &Db,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Appointment>, DbError> {
    let (appointments, _) = db
        .query_appointments(&AppointmentQuery {
            starts_from: Some(from),
            starts_before: Some(to),
            limit: DAY_LIMIT,
            ..AppointmentQuery::default()
        })
        .await?;
    Ok(appointments)
}

/// A sync run in words: when it started, its outcome, and how long ago.
fn sync_text(run: Option<&SyncRun>, tz: Tz, now: DateTime<Utc>) -> String {
    let Some(run) = run else {
        return "never".to_owned();
    };
    let Ok(started) = DateTime::parse_from_rfc3339(&run.started_at) else {
        return run.outcome.clone();
    };
    let started = started.with_timezone(&Utc);
    let minutes = now.signed_duration_since(started).num_minutes().max(0);
    format!(
        "{}: {} ({minutes} min ago)",
        local_moment(started, tz),
        run.outcome
    )
}
