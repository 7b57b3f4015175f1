//! The Calls page (newest first, filtered by day and number, a page at a time by cursor) and the
//! Call page (summary, outcome, cost, recording, the transcript with the tool calls placed in it
//! by time, and the appointments the call touched).

use crate::domain::language::Language;
use askama::Template;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

pub use super::call_filters::CallFilters;
use super::{
    Frame,
    call_filters::{SelectOption, ShownFilters, choice_options, reason_options},
    touched::TouchedAppointment,
    view::typed,
};
use crate::domain::text::percent_encode;
use crate::{
    db::{Db, DbError, call_records::CallCursor},
    domain::call::{Call, CallStatus},
    domain::call_search::{OutcomeFilter, StateFilter},
    domain::local_time,
};

/// Rows per page.
pub const PAGE_SIZE: u32 = 25;
/// How long a call may say it is going with no word about it before it is shown as stale. VAPI
/// ends a call at its assistant's `maxDurationSeconds` (10 minutes unless set; 12 hours at the
/// most), and messages arrive all through a call, so an hour of silence means its end message
/// most likely never reached us.
pub const STALE_AFTER: Duration = Duration::hours(1);

/// One call as a table row, in the business's zone.
#[derive(Debug, Clone)]
pub struct CallRow {
    /// The VAPI call id.
    pub id: String,
    /// Its page.
    pub href: String,
    /// "Sat, Nov 21, 9:20 AM".
    pub time: String,
    /// Start as RFC 3339 with the local offset, for `<time datetime>`.
    pub datetime: String,
    /// The caller's number ("" when unknown).
    pub caller: String,
    /// The name the caller gave for an appointment on this call ("" when none).
    pub name: String,
    /// "3 min 14 s" ("" when unknown).
    pub duration: String,
    /// `in-progress`, `completed`, ...
    pub status: &'static str,
    /// The call is still going (it says so, and was heard of lately).
    pub live: bool,
    /// "no word for 3 h" when it says it is going but nothing was heard of it for
    /// [`STALE_AFTER`] ("" otherwise).
    pub stale: String,
    /// The success evaluation, in words.
    pub outcome: String,
    /// "$0.14" ("" when unknown).
    pub cost: String,
}

impl CallRow {
    /// The row for `c` in `tz`, at `now`.
    pub fn new(c: &Call, tz: Tz, now: DateTime<Utc>) -> Self {
        let at = c.started_at.unwrap_or(c.sort_at);
        let silent = now.signed_duration_since(c.updated_at);
        let stale = is_live(c.status) && silent >= STALE_AFTER;
        Self {
            id: c.vapi_call_id.clone(),
            href: call_href(&c.vapi_call_id),
            time: call_time(at, tz),
            datetime: local_time::local_iso(at, tz),
            caller: c.customer_number.clone().unwrap_or_default(),
            name: String::new(),
            duration: c.duration_seconds.map(duration).unwrap_or_default(),
            status: c.status.as_str(),
            live: is_live(c.status) && !stale,
            stale: if stale {
                format!("no word for {}", silence(silent))
            } else {
                String::new()
            },
            outcome: outcome(c.success_evaluation.as_deref()),
            cost: c.cost.map(|v| format!("${v:.2}")).unwrap_or_default(),
        }
    }
}

/// The rows of `calls` at `now`, each with the name its caller gave, if any.
pub async fn rows(
    db: &Db,
    calls: &[Call],
    tz: Tz,
    now: DateTime<Utc>,
) -> Result<Vec<CallRow>, DbError> {
    let ids: Vec<String> = calls.iter().map(|c| c.vapi_call_id.clone()).collect();
    let mut names = db.names_on_calls(&ids).await?;
    Ok(calls
        .iter()
        .map(|c| CallRow {
            name: names.remove(&c.vapi_call_id).unwrap_or_default(),
            ..CallRow::new(c, tz, now)
        })
        .collect())
}

/// "Sat, Nov 21, 9:20 AM": when a call started, as lists show it.
pub fn call_time(at: DateTime<Utc>, tz: Tz) -> String {
    let local = at.with_timezone(&tz);
    format!(
        "{}, {}",
        local.format("%a, %b %-d"),
        local_time::speak_clock(&local, Language::En)
    )
}

/// The link to a call's page.
pub fn call_href(id: &str) -> String {
    format!("/dashboard/calls/{}", percent_encode(id))
}

/// The recording link VAPI sent with the call's report (http or https only), if any. It expires
/// after a while; the console asks VAPI for a fresh one when it can.
pub fn stored_recording(call: &Call) -> Option<String> {
    call.recording_url
        .clone()
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
}

/// `https://storage.vapi.ai` for a link on that host: what a page's `media-src` names so its
/// player may fetch from there. `None` when the link's host is not a plain host name.
pub fn origin(link: &str) -> Option<&str> {
    let rest = link
        .strip_prefix("https://")
        .or_else(|| link.strip_prefix("http://"))?;
    let host_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_len];
    let plain = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'));
    plain.then(|| &link[..link.len() - rest.len() + host_len])
}

/// The call has not ended yet.
pub fn is_live(status: CallStatus) -> bool {
    status.is_live()
}

/// "3 h", "2 days": how long nothing was heard, roughly.
fn silence(d: Duration) -> String {
    match (d.num_days(), d.num_hours()) {
        (0, h) => format!("{h} h"),
        (1, _) => "1 day".to_owned(),
        (days, _) => format!("{days} days"),
    }
}

/// "3 min 04 s", "41 s".
fn duration(seconds: f64) -> String {
    let s = seconds.round().max(0.0) as i64;
    if s < 60 {
        format!("{s} s")
    } else {
        format!("{} min {:02} s", s / 60, s % 60)
    }
}

/// The success evaluation in words: booleans as Success / No success, scores as "8/10".
fn outcome(evaluation: Option<&str>) -> String {
    match evaluation.map(str::trim) {
        None | Some("") => String::new(),
        Some(e) if e.eq_ignore_ascii_case("true") => "Success".to_owned(),
        Some(e) if e.eq_ignore_ascii_case("false") => "No success".to_owned(),
        Some(e) if e.parse::<f64>().is_ok() => format!("{e}/10"),
        Some(e) => e.to_owned(),
    }
}

/// The Calls page.
#[derive(Template, Debug)]
#[template(path = "dashboard/calls.html")]
pub struct CallsPage {
    /// What surrounds the content: navigation, title, the business shown and its zone.
    pub frame: Frame,
    /// The filters as the form shows them.
    pub shown: ShownFilters,
    /// The status choices.
    pub statuses: Vec<SelectOption>,
    /// The ended reasons of the stored calls.
    pub reasons: Vec<SelectOption>,
    /// The outcome choices.
    pub outcomes: Vec<SelectOption>,
    /// What was wrong with the filters, if anything.
    pub errors: Vec<String>,
    /// The rows, newest first.
    pub rows: Vec<CallRow>,
    /// This is not the first page.
    pub later_pages: bool,
    /// Link to the first page.
    pub first: String,
    /// Link to the next page.
    pub next: Option<String>,
    /// The CSV of every call these filters match (all pages, newest first).
    pub export: String,
}

impl CallsPage {
    /// Builds the page for `filters` at `now`.
    pub async fn load(
        db: &Db,
        tz: Tz,
        now: DateTime<Utc>,
        success_threshold: f64,
        filters: &CallFilters,
    ) -> Result<Self, DbError> {
        let mut errors = Vec::new();
        let (mut filter, shown) = filters.to_filter(tz, now, success_threshold, &mut errors);
        let after = typed(&filters.after);
        if !after.is_empty() {
            match CallCursor::decode(&after) {
                Some(cursor) => filter.after = Some(cursor),
                None => errors.push("That page link is not valid; showing the first page.".into()),
            }
        }
        let later_pages = filter.after.is_some();
        let page = db.list_calls(&filter).await?;
        let path = "/dashboard/calls";
        Ok(Self {
            frame: Frame::new(path, "Calls", tz, now),
            statuses: choice_options::<StateFilter>(&shown.status),
            reasons: reason_options(db.ended_reasons().await?, &shown.reason),
            outcomes: choice_options::<OutcomeFilter>(&shown.outcome),
            errors,
            rows: rows(db, &page.calls, tz, now).await?,
            later_pages,
            first: shown.link(path, None),
            next: page.next_cursor.as_ref().map(|c| shown.link(path, Some(c))),
            export: shown.link("/dashboard/calls.csv", None),
            shown,
        })
    }
}

/// One entry of a call's timeline: a transcript line or a tool call, placed by time.
#[derive(Debug, Clone)]
pub enum Entry {
    /// Something said.
    Line {
        /// `assistant` or `user`.
        role: String,
        /// "Assistant" or "Caller".
        who: &'static str,
        /// "0:05" from the start ("" when unknown).
        at: String,
        /// What was said.
        text: String,
    },
    /// A tool the assistant called.
    Tool {
        /// The tool's name.
        tool: String,
        /// "0:07" from the start, else the local clock time.
        at: String,
        /// The arguments, pretty-printed JSON.
        arguments: String,
        /// The answer, pretty-printed ("" on error).
        answer: String,
        /// The error the caller heard, if any.
        error: Option<String>,
        /// "182 ms".
        latency: String,
    },
}

/// The Call page.
#[derive(Template, Debug)]
#[template(path = "dashboard/call.html")]
pub struct CallPage {
    /// What surrounds the content: navigation, title, the business shown and its zone.
    pub frame: Frame,
    /// The call as a row (time, caller, duration, status, outcome, cost).
    pub row: CallRow,
    /// Why it ended.
    pub ended_reason: String,
    /// The analysis summary.
    pub summary: String,
    /// The success evaluation as sent.
    pub evaluation: String,
    /// The console's address of the recording (it redirects to a fresh link), when the call
    /// has one.
    pub recording: Option<String>,
    /// Where the recording is stored (`https://storage.vapi.ai`): the one place besides the
    /// console the page's player may fetch from.
    pub recording_host: Option<String>,
    /// Transcript lines and tool calls, in time order.
    pub entries: Vec<Entry>,
    /// How many transcript lines.
    pub line_count: usize,
    /// How many tool calls.
    pub tool_count: usize,
    /// Appointments the call touched.
    pub appointments: Vec<TouchedAppointment>,
}

impl CallPage {
    /// The page for call `id`; `None` when there is no such call.
    pub async fn load(
        db: &Db,
        tz: Tz,
        now: DateTime<Utc>,
        id: &str,
    ) -> Result<Option<Self>, DbError> {
        // A call first heard of through a tool call gets its record with that call's log row,
        // which this process may still hold queued: flush it, so a link just shown elsewhere
        // (an appointment's call) never finds no call.
        db.flush_tool_log().await;
        let Some((call, lines)) = db.call_with_lines(id).await? else {
            return Ok(None);
        };
        let tools = db.call_tool_invocations(id).await?;
        let start = call.started_at;
        let offset = |at: Option<f64>| at.map(clock_offset).unwrap_or_default();
        // Lines are placed at start + secondsFromStart; tool calls at when they were answered.
        // Without a start instant, lines keep their order and tool calls follow them.
        let mut timed: Vec<(Option<DateTime<Utc>>, usize, Entry)> = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let instant = start
                .zip(line.seconds_from_start)
                .map(|(s, secs)| s + Duration::milliseconds((secs * 1000.0) as i64));
            let (role, who) = match line.role.as_str() {
                "user" => ("user".to_owned(), "Caller"),
                other => (other.to_owned(), "Assistant"),
            };
            timed.push((
                instant,
                i,
                Entry::Line {
                    role,
                    who,
                    at: offset(line.seconds_from_start),
                    text: line.text.clone(),
                },
            ));
        }
        let tool_count = tools.len();
        for (i, t) in tools.iter().enumerate() {
            let created = DateTime::parse_from_rfc3339(&t.created_at)
                .ok()
                .map(|d| d.with_timezone(&Utc));
            let at = match (start, created) {
                (Some(s), Some(c)) if c >= s => {
                    clock_offset((c - s).num_milliseconds() as f64 / 1000.0)
                }
                (_, Some(c)) => local_time::speak_clock(&c.with_timezone(&tz), Language::En),
                _ => String::new(),
            };
            timed.push((
                created.filter(|_| start.is_some()),
                lines.len() + i,
                Entry::Tool {
                    tool: t.tool.clone(),
                    at,
                    arguments: pretty(&t.arguments),
                    answer: t.result.as_deref().map(pretty).unwrap_or_default(),
                    error: t.error.clone(),
                    latency: format!("{} ms", t.latency_ms),
                },
            ));
        }
        if timed.iter().all(|(at, _, _)| at.is_some()) {
            timed.sort_by_key(|(at, i, _)| (*at, *i));
        }
        let appointments = super::touched::load(db, id, tz, now).await?;
        let stored = stored_recording(&call);
        Ok(Some(Self {
            frame: Frame::new("/dashboard/calls", "Call", tz, now),
            row: rows(db, std::slice::from_ref(&call), tz, now)
                .await?
                .remove(0),
            ended_reason: call.ended_reason.clone().unwrap_or_default(),
            summary: call.summary.clone().unwrap_or_default(),
            evaluation: call.success_evaluation.clone().unwrap_or_default(),
            recording: stored
                .as_ref()
                .map(|_| format!("{}/recording", call_href(id))),
            recording_host: stored.as_deref().and_then(origin).map(str::to_owned),
            entries: timed.into_iter().map(|(_, _, e)| e).collect(),
            line_count: lines.len(),
            tool_count,
            appointments,
        }))
    }
}

/// "1:05" for 65.2 seconds.
fn clock_offset(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as i64;
    format!("{}:{:02}", s / 60, s % 60)
}

/// JSON pretty-printed when it is JSON, else as stored.
fn pretty(raw: &str) -> String {
    serde_json::from_str::<serde_json::Value>(raw)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| raw.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_outcomes_and_offsets_read_naturally() {
        assert_eq!(duration(41.4), "41 s");
        assert_eq!(duration(184.0), "3 min 04 s");
        assert_eq!(outcome(Some("true")), "Success");
        assert_eq!(outcome(Some("false")), "No success");
        assert_eq!(outcome(Some("8")), "8/10");
        assert_eq!(outcome(None), "");
        assert_eq!(clock_offset(65.2), "1:05");
        assert_eq!(silence(Duration::minutes(61)), "1 h");
        assert_eq!(silence(Duration::hours(30)), "1 day");
        assert_eq!(silence(Duration::hours(80)), "3 days");
        assert_eq!(call_href("a b/c"), "/dashboard/calls/a%20b%2Fc");
        assert_eq!(
            origin("https://storage.vapi.ai/x-mono.wav?sig=1"),
            Some("https://storage.vapi.ai")
        );
        assert_eq!(origin("http://127.0.0.1:9/a"), Some("http://127.0.0.1:9"));
        assert_eq!(origin("https://evil; script-src *"), None);
    }
}
