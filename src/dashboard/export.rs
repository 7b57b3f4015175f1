//! CSV exports of the Calls, Appointments and Stats pages: the rows a page lists, with the same
//! filters (read through the same code as the page), every page of them, in the business's zone.
//!
//! Calls and appointments are read and written [`BATCH`] rows at a time, so an export of any
//! size holds one batch in memory. Every cell that a spreadsheet would read as a formula gets a
//! leading apostrophe (see [`cell`]): callers' names, numbers and words are data, never formulas.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use futures_util::{Stream, stream};

use super::{
    appointments::AppointmentFilters,
    call_pages::{self, CallFilters, CallRow},
    stats::{StatsFilters, StatsPage, StatsRow},
    view::{AppointmentRow, by_day},
};
use crate::{
    db::{Db, DbError},
    domain::local_time::local_today,
};

/// Rows read from the database per chunk written.
pub const BATCH: u32 = 200;

/// An export: its file name and its chunks of CSV, the first with the header row.
pub struct Export<S> {
    /// `calls-2026-11-21.csv`.
    pub filename: String,
    /// The CSV, a chunk per batch of rows.
    pub chunks: S,
}

const CALL_HEADER: &[&str] = &[
    "Started", "Time", "Caller", "Name", "Duration", "Status", "Outcome", "Cost", "Call id",
];

const APPOINTMENT_HEADER: &[&str] = &[
    "Day",
    "Time",
    "Starts",
    "Name",
    "Phone",
    "Email",
    "Status",
    "Title",
    "Booking uid",
    "Call id",
    "Call started",
];

const STATS_HEADER: &[&str] = &[
    "Day",
    "Calls",
    "Completed",
    "Successful",
    "Average length",
    "Cost",
    "Booked",
    "Moved",
    "Cancelled",
    "Conversion",
    "Handed over",
    "Reminders",
    "No-shows",
    "Waitlist fills",
];

/// A cell as written: one a spreadsheet would take for a formula (it starts with `=`, `+`, `-`,
/// `@`, a tab or a carriage return) gets a leading apostrophe, so it shows as the text it is.
pub fn cell(value: &str) -> Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// `records` as CSV, after the header row when one is given.
fn write<I>(header: Option<&[&str]>, records: I) -> Vec<u8>
where
    I: IntoIterator<Item = Vec<String>>,
{
    let mut out = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail; a record the writer refused would only be left out.
    if let Some(h) = header {
        let _ = out.write_record(h);
    }
    for record in records {
        let cells: Vec<Cow<'_, str>> = record.iter().map(|v| cell(v)).collect();
        let _ = out.write_record(cells.iter().map(|c| c.as_bytes()));
    }
    out.into_inner().unwrap_or_default()
}

fn call_record(r: &CallRow) -> Vec<String> {
    vec![
        r.datetime.clone(),
        r.time.clone(),
        r.caller.clone(),
        r.name.clone(),
        r.duration.clone(),
        r.status.to_owned(),
        r.outcome.clone(),
        r.cost.clone(),
        r.id.clone(),
    ]
}

fn appointment_record(r: &AppointmentRow) -> Vec<String> {
    vec![
        r.datetime.get(..10).unwrap_or_default().to_owned(),
        r.time.clone(),
        r.datetime.clone(),
        r.who.clone(),
        r.phone.clone(),
        r.email.clone(),
        r.status.to_owned(),
        r.title.clone(),
        r.uid.clone(),
        r.call.clone().unwrap_or_default(),
        r.call_time.clone(),
    ]
}

fn stats_record(r: &StatsRow, day: &str) -> Vec<String> {
    vec![
        day.to_owned(),
        r.calls.to_string(),
        r.completed.to_string(),
        r.successful.to_string(),
        r.average_duration.clone(),
        r.cost.clone(),
        r.booked.to_string(),
        r.moved.to_string(),
        r.cancelled.to_string(),
        r.conversion.clone(),
        r.handed_over.to_string(),
        r.reminders.clone(),
        r.no_shows.clone(),
        r.waitlist_fills.to_string(),
    ]
}

/// Every call the Calls page's filters and search match, newest first, as its rows read (the
/// page's cursor is not an export filter: the export starts from the newest).
pub fn calls(
    db: Db,
    tz: Tz,
    now: DateTime<Utc>,
    success_threshold: f64,
    filters: &CallFilters,
) -> Export<impl Stream<Item = Result<Vec<u8>, DbError>> + Send + 'static> {
    let (mut filter, _) = filters.to_filter(tz, now, success_threshold, &mut Vec::new());
    filter.limit = BATCH;
    let chunks = stream::unfold(Some((filter, true)), move |state| {
        let db = db.clone();
        async move {
            let (mut filter, first) = state?;
            let batch = async {
                let list = db.list_calls(&filter).await?;
                let rows = call_pages::rows(&db, &list.calls, tz, now).await?;
                Ok::<_, DbError>((list.next_cursor, rows))
            };
            match batch.await {
                Ok((next, rows)) => {
                    let chunk = write(first.then_some(CALL_HEADER), rows.iter().map(call_record));
                    filter.after = next;
                    let rest = filter.after.is_some().then_some((filter, false));
                    Some((Ok(chunk), rest))
                }
                Err(err) => Some((Err(err), None)),
            }
        }
    });
    Export {
        filename: format!("calls-{}.csv", local_today(now, tz)),
        chunks,
    }
}

/// Every appointment the Appointments page's filters match (upcoming or past, day, status,
/// phone), in the page's order, as its rows read.
pub fn appointments(
    db: Db,
    tz: Tz,
    now: DateTime<Utc>,
    filters: &AppointmentFilters,
) -> Export<impl Stream<Item = Result<Vec<u8>, DbError>> + Send + 'static> {
    let (mut query, shown) = filters.to_query(tz, now, &mut Vec::new());
    query.limit = BATCH;
    let chunks = stream::unfold(Some((query, true)), move |state| {
        let db = db.clone();
        async move {
            let (mut query, first) = state?;
            let batch = async {
                let (appointments, more) = db.query_appointments(&query).await?;
                let groups = by_day(&db, &appointments, tz).await?;
                Ok::<_, DbError>((more, groups))
            };
            match batch.await {
                Ok((more, groups)) => {
                    let rows = groups.iter().flat_map(|g| g.rows.iter());
                    let chunk = write(
                        first.then_some(APPOINTMENT_HEADER),
                        rows.map(appointment_record),
                    );
                    query.offset += BATCH;
                    Some((Ok(chunk), more.then_some((query, false))))
                }
                Err(err) => Some((Err(err), None)),
            }
        }
    });
    Export {
        filename: format!("appointments-{}-{}.csv", shown.when, local_today(now, tz)),
        chunks,
    }
}

/// The Stats page's table for the same range: a row a day, then the total. A range is at most a
/// few hundred days, so it is written as one chunk.
pub async fn stats(
    db: &Db,
    tz: Tz,
    now: DateTime<Utc>,
    success_threshold: f64,
    filters: &StatsFilters,
) -> Result<Export<impl Stream<Item = Result<Vec<u8>, DbError>> + Send + 'static>, DbError> {
    let page = StatsPage::load(db, tz, now, success_threshold, filters).await?;
    let records = page
        .rows
        .iter()
        .map(|r| stats_record(r, &r.day))
        .chain([stats_record(&page.totals, "Total")]);
    let chunk = write(Some(STATS_HEADER), records);
    Ok(Export {
        filename: format!("stats-{}-to-{}.csv", page.days.from, page.days.to),
        chunks: stream::iter([Ok(chunk)]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_are_written_as_text() {
        for hostile in ["=1+1", "+1555", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(cell(hostile), format!("'{hostile}"));
        }
        assert_eq!(cell("Pat = Caller"), "Pat = Caller");
        assert_eq!(cell(""), "");
        let csv = write(
            Some(&["A", "B"]),
            [vec!["=HYPERLINK(\"x\")".into(), "a,b".into()]],
        );
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "A,B\n\"'=HYPERLINK(\"\"x\"\")\",\"a,b\"\n"
        );
    }
}
