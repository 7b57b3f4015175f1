//! Per-day call figures for operators (`vapi-cal stats`, `GET /api/stats`): calls, completed,
//! successful, average duration, cost, appointments booked / moved / cancelled by voice, and
//! booking conversion, per local business day.
//!
//! Days are the business's local days: their UTC bounds are worked out here with the zone's DST
//! rules (a day can be 23 or 25 hours long), and the counting is done in SQL.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::{
    db::{
        Db, DbError,
        call_figures::{DayBounds, DayFigures},
        sync_runs::{KIND_CAL_BOOKINGS, KIND_VAPI_CALLS, SyncRun},
    },
    domain::local_time::{local_day_start, local_today},
};

/// Longest range one report covers.
pub const MAX_DAYS: i64 = 366;
/// Days covered when no range is given (today and the six before).
pub const DEFAULT_DAYS: i64 = 7;

/// One day's figures with its conversion.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DayStats {
    /// The counted figures.
    #[serde(flatten)]
    pub figures: DayFigures,
    /// Calls with a booking / calls, when there were calls.
    pub booking_conversion: Option<f64>,
    /// No-shows / appointments held, when there were appointments.
    pub no_show_rate: Option<f64>,
}

/// The figures of a range of days.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatsReport {
    /// Business time zone the days are counted in.
    pub time_zone: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day (inclusive).
    pub to: NaiveDate,
    /// One entry per day, zeros included.
    pub days: Vec<DayStats>,
    /// Sums over the range (the average is over all calls with a duration).
    pub totals: DayStats,
    /// Last run of the Cal.com bookings reconcile.
    pub last_cal_bookings_sync: Option<SyncRun>,
    /// Last run of the VAPI call backfill.
    pub last_vapi_calls_sync: Option<SyncRun>,
}

/// The range when none is given: the last [`DEFAULT_DAYS`] local days, today included.
pub fn default_range(now: DateTime<Utc>, tz: Tz) -> (NaiveDate, NaiveDate) {
    let today = local_today(now, tz);
    (today - Duration::days(DEFAULT_DAYS - 1), today)
}

/// Checks a stats range: ordered and at most [`MAX_DAYS`] long.
pub fn range(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    now: DateTime<Utc>,
    tz: Tz,
) -> Result<(NaiveDate, NaiveDate), String> {
    let (default_from, default_to) = default_range(now, tz);
    let to = to.unwrap_or(default_to);
    let from = from.unwrap_or_else(|| {
        to.checked_sub_signed(chrono::Duration::days(DEFAULT_DAYS - 1))
            .unwrap_or(default_from)
    });
    if from > to {
        return Err("'from' must not be after 'to'".to_owned());
    }
    if (to - from).num_days() >= MAX_DAYS {
        return Err(format!(
            "'to' is too far from 'from': at most {MAX_DAYS} days"
        ));
    }
    Ok((from, to))
}

/// The UTC bounds of each local day `from..=to`.
pub fn day_bounds(from: NaiveDate, to: NaiveDate, tz: Tz) -> Vec<DayBounds> {
    from.iter_days()
        .take_while(|d| *d <= to)
        .map(|d| DayBounds {
            day: d.format("%Y-%m-%d").to_string(),
            start: local_day_start(d, tz),
            end: local_day_start(d.succ_opt().unwrap_or(d), tz),
        })
        .collect()
}

fn conversion(f: &DayFigures) -> Option<f64> {
    (f.calls > 0).then(|| f.calls_with_booking as f64 / f.calls as f64)
}

fn no_show_rate(f: &DayFigures) -> Option<f64> {
    (f.appointments_held > 0).then(|| f.no_shows as f64 / f.appointments_held as f64)
}

/// Computes the report for `from..=to` (the caller checks the range is at most [`MAX_DAYS`]),
/// of every call or of those one assistant version served.
pub async fn report(
    db: &Db,
    tz: Tz,
    from: NaiveDate,
    to: NaiveDate,
    success_threshold: f64,
    assistant_version: Option<&str>,
) -> Result<StatsReport, DbError> {
    let figures = db
        .day_figures(
            &day_bounds(from, to, tz),
            success_threshold,
            assistant_version,
        )
        .await?;
    let mut total = DayFigures {
        day: format!("{from}..{to}"),
        calls: 0,
        completed: 0,
        successful: 0,
        average_duration_seconds: None,
        total_cost: 0.0,
        booked: 0,
        moved: 0,
        cancelled: 0,
        calls_with_booking: 0,
        transferred: 0,
        reminders_placed: 0,
        reminders_confirmed: 0,
        reminders_rescheduled: 0,
        reminders_cancelled: 0,
        appointments_held: 0,
        no_shows: 0,
        waitlist_fills: 0,
        timed_calls: 0,
    };
    let mut duration_sum = 0.0;
    for f in &figures {
        total.calls += f.calls;
        total.completed += f.completed;
        total.successful += f.successful;
        total.total_cost += f.total_cost;
        total.booked += f.booked;
        total.moved += f.moved;
        total.cancelled += f.cancelled;
        total.calls_with_booking += f.calls_with_booking;
        total.timed_calls += f.timed_calls;
        total.transferred += f.transferred;
        total.reminders_placed += f.reminders_placed;
        total.reminders_confirmed += f.reminders_confirmed;
        total.reminders_rescheduled += f.reminders_rescheduled;
        total.reminders_cancelled += f.reminders_cancelled;
        total.appointments_held += f.appointments_held;
        total.no_shows += f.no_shows;
        total.waitlist_fills += f.waitlist_fills;
        duration_sum += f.average_duration_seconds.unwrap_or(0.0) * f.timed_calls as f64;
    }
    total.average_duration_seconds =
        (total.timed_calls > 0).then(|| duration_sum / total.timed_calls as f64);
    let days = figures
        .into_iter()
        .map(|figures| DayStats {
            booking_conversion: conversion(&figures),
            no_show_rate: no_show_rate(&figures),
            figures,
        })
        .collect();
    Ok(StatsReport {
        time_zone: tz.name().to_owned(),
        from,
        to,
        days,
        totals: DayStats {
            booking_conversion: conversion(&total),
            no_show_rate: no_show_rate(&total),
            figures: total,
        },
        last_cal_bookings_sync: db.last_sync_run(KIND_CAL_BOOKINGS).await?,
        last_vapi_calls_sync: db.last_sync_run(KIND_VAPI_CALLS).await?,
    })
}

/// Each day with its label, then the totals labelled `total`.
fn labelled_rows(r: &StatsReport) -> impl Iterator<Item = (&str, &DayStats)> {
    r.days
        .iter()
        .map(|d| (d.figures.day.as_str(), d))
        .chain(std::iter::once(("total", &r.totals)))
}

/// The report as a table for the terminal.
pub fn render_text(r: &StatsReport) -> String {
    let mut out = format!(
        "Calls per day in {} from {} to {}\n\n{:<12} {:>6} {:>9} {:>10} {:>9} {:>9} {:>6} {:>5} {:>9} {:>10}\n",
        r.time_zone,
        r.from,
        r.to,
        "day",
        "calls",
        "completed",
        "successful",
        "avg secs",
        "cost USD",
        "booked",
        "moved",
        "cancelled",
        "conversion"
    );
    for (label, d) in labelled_rows(r) {
        let f = &d.figures;
        out.push_str(&format!(
            "{:<12} {:>6} {:>9} {:>10} {:>9} {:>9.2} {:>6} {:>5} {:>9} {:>10}\n",
            label,
            f.calls,
            f.completed,
            f.successful,
            f.average_duration_seconds
                .map_or_else(|| "-".to_owned(), |s| format!("{s:.1}")),
            f.total_cost,
            f.booked,
            f.moved,
            f.cancelled,
            d.booking_conversion
                .map_or_else(|| "-".to_owned(), |c| format!("{:.0}%", c * 100.0)),
        ));
    }
    out.push_str(&format!(
        "\n{:<12} {:>11} {:>9} {:>9} {:>5} {:>9} {:>8} {:>12} {:>14}\n",
        "day",
        "handed over",
        "reminders",
        "confirmed",
        "moved",
        "cancelled",
        "no-shows",
        "no-show rate",
        "waitlist fills"
    ));
    for (label, d) in labelled_rows(r) {
        let f = &d.figures;
        out.push_str(&format!(
            "{:<12} {:>11} {:>9} {:>9} {:>5} {:>9} {:>8} {:>12} {:>14}\n",
            label,
            f.transferred,
            f.reminders_placed,
            f.reminders_confirmed,
            f.reminders_rescheduled,
            f.reminders_cancelled,
            f.no_shows,
            d.no_show_rate
                .map_or_else(|| "-".to_owned(), |c| format!("{:.0}%", c * 100.0)),
            f.waitlist_fills,
        ));
    }
    for (name, run) in [
        ("Cal.com bookings reconcile", &r.last_cal_bookings_sync),
        ("VAPI call sync", &r.last_vapi_calls_sync),
    ] {
        out.push_str(&match run {
            Some(run) => format!(
                "\n{name}: last run {} ({}){}",
                run.started_at,
                run.outcome,
                run.error
                    .as_deref()
                    .map(|e| format!(": {e}"))
                    .unwrap_or_default()
            ),
            None => format!("\n{name}: never run"),
        });
    }
    out.push('\n');
    out
}
