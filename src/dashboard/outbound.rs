//! The Calls out page: what the business's calls policy is (reminders, follow-ups, calling
//! hours, how many at once, how many numbers opted out), the calls planned next and the latest
//! ones made, with their states and outcomes; and the short reminder note each appointment row
//! shows elsewhere in the console. The same figures `vapi-cal outbound status` prints.

use askama::Template;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use super::{
    Frame,
    call_pages::{call_href, call_time},
};
use crate::domain::text::percent_encode;
use crate::{
    db::{Db, DbError},
    domain::{
        local_time,
        outbound::{OutboundCall, OutboundKind, OutboundState},
        waitlist::{Entry, Opening},
    },
    outbound::OutboundPolicy,
};

/// Rows of each table: the page is a look at what is happening, not an archive.
pub const ROWS: u32 = 50;

/// Longest detail a reminder note shows in an appointment row (the whole one is in its title).
const NOTE_DETAIL_CHARS: usize = 60;

/// One planned or made call as a table row, in the business's zone.
#[derive(Debug, Clone)]
pub struct OutboundRow {
    /// When it is or was due, "Sun, Nov 22, 3:00 PM".
    pub due: String,
    /// The same as RFC 3339 with the local offset, for `<time datetime>`.
    pub due_iso: String,
    /// "reminder", "no-show follow-up".
    pub kind: &'static str,
    /// The name on the booking ("" when none).
    pub name: String,
    /// The number called.
    pub phone: String,
    /// The appointment's start, as its link reads.
    pub appointment: String,
    /// The Appointments page on the appointment's day.
    pub appointment_href: String,
    /// The Cal.com booking uid.
    pub booking_uid: String,
    /// The stored state word (also its CSS class).
    pub state: &'static str,
    /// How the latest call ended ("" when it has not).
    pub outcome: String,
    /// Calls placed for it so far.
    pub attempts: i64,
    /// VAPI's id of the latest call placed.
    pub call: Option<String>,
    /// That call's page ("" when the service has no record of the call: a link would lead
    /// nowhere).
    pub call_href: String,
    /// Why it was skipped or failed, or what happened last ("" when nothing).
    pub detail: String,
}

/// One time offered from the waitlist as a table row, in the business's zone.
#[derive(Debug, Clone)]
pub struct OpeningRow {
    /// The time, "Sun, Nov 22, 3:00 PM".
    pub when: String,
    /// The same as RFC 3339 with the local offset, for `<time datetime>`.
    pub when_iso: String,
    /// The stored state word (also its CSS class).
    pub state: &'static str,
    /// Callers it was offered to so far.
    pub offers: i64,
    /// The number it is being offered to now ("" when none).
    pub phone: String,
    /// The booking made for it from the waitlist.
    pub booked_uid: Option<String>,
    /// The Appointments page on the time's day.
    pub appointment_href: String,
    /// Why it stands where it does ("" when nothing).
    pub detail: String,
}

/// One waiting caller as a table row.
#[derive(Debug, Clone)]
pub struct EntryRow {
    /// Its id (`wl_…`).
    pub id: String,
    /// The name to book under.
    pub name: String,
    /// The number to call.
    pub phone: String,
    /// The first local day wanted, "Mon, Nov 23".
    pub first_day: String,
    /// The last one, when it is another day.
    pub last_day: Option<String>,
    /// "morning", "afternoon", "evening" or "any time".
    pub part: &'static str,
    /// When the caller joined.
    pub joined: String,
    /// The same as RFC 3339 with the local offset, for `<time datetime>`.
    pub joined_iso: String,
}

/// The Calls out page.
#[derive(Template, Debug)]
#[template(path = "dashboard/outbound.html")]
pub struct OutboundPage {
    /// What surrounds the content: navigation, title, the business shown and its zone.
    pub frame: Frame,
    /// The policy, a short sentence each: reminders, follow-ups, hours, at once, opted out.
    pub policy: Vec<String>,
    /// Scheduled and being placed, the soonest first.
    pub next: Vec<OutboundRow>,
    /// What to do, or why nothing is there, when `next` is empty.
    pub next_empty: String,
    /// Placed, done, skipped and failed, the latest first.
    pub latest: Vec<OutboundRow>,
    /// Whether the waitlist sections show: the waitlist is on, or there is waitlist data.
    pub waitlist: bool,
    /// Times offered from the waitlist, the latest first.
    pub openings: Vec<OpeningRow>,
    /// Callers waiting, first come first.
    pub waiting: Vec<EntryRow>,
}

impl OutboundPage {
    /// Builds the page of the business `db` reads, whose calls follow `policy`, at `now`.
    pub async fn load(
        db: &Db,
        policy: &OutboundPolicy,
        tz: Tz,
        now: DateTime<Utc>,
    ) -> Result<Self, DbError> {
        let next = db
            .outbound_calls(&OutboundState::PENDING, false, ROWS)
            .await?;
        let latest = db
            .outbound_calls(&OutboundState::SETTLED, true, ROWS)
            .await?;
        let mut ids: Vec<String> = next
            .iter()
            .chain(&latest)
            .filter_map(|c| c.vapi_call_id.clone())
            .collect();
        ids.sort();
        ids.dedup();
        let recorded = db.recorded_call_starts(&ids).await?;
        let row = |c: &OutboundCall| {
            let mut r = row(c, tz, now);
            if r.call.as_ref().is_some_and(|id| recorded.contains_key(id)) {
                r.call_href = r.call.as_deref().map(call_href).unwrap_or_default();
            }
            r
        };
        let opted_out = db.opt_out_count().await?;
        let openings = db.openings(&[], true, ROWS).await?;
        let waiting = db.waiting_entries(ROWS).await?;
        Ok(Self {
            frame: Frame::new("/dashboard/outbound", "Calls out", tz, now),
            policy: policy_lines(policy, opted_out),
            next_empty: next_empty(policy),
            next: next.iter().map(row).collect(),
            latest: latest.iter().map(row).collect(),
            waitlist: policy.waitlist || !openings.is_empty() || !waiting.is_empty(),
            openings: openings.iter().map(|o| opening_row(o, tz, now)).collect(),
            waiting: waiting.iter().map(|e| entry_row(e, tz)).collect(),
        })
    }
}

/// The policy as the operator reads it, one short sentence a part.
fn policy_lines(policy: &OutboundPolicy, opted_out: i64) -> Vec<String> {
    let reminders = if policy.reminders {
        format!(
            "Reminders: on, {} before, {} more {} when nobody answers",
            lead_text(policy.lead),
            policy.retries,
            if policy.retries == 1 { "try" } else { "tries" }
        )
    } else {
        "Reminders: off".to_owned()
    };
    vec![
        reminders,
        format!(
            "No-show follow-ups: {}",
            if policy.no_show_follow_up {
                "on"
            } else {
                "off"
            }
        ),
        format!("Waitlist: {}", if policy.waitlist { "on" } else { "off" }),
        format!("Calling hours: {} ({})", policy.window, policy.tz.name()),
        format!(
            "At most {} {} at once",
            policy.max_concurrent,
            if policy.max_concurrent == 1 {
                "call"
            } else {
                "calls"
            }
        ),
        format!(
            "{opted_out} {} asked not to be called",
            if opted_out == 1 { "number" } else { "numbers" }
        ),
    ]
}

/// "24 hours", "90 minutes".
fn lead_text(lead: Duration) -> String {
    let minutes = lead.num_minutes();
    match minutes {
        60 => "1 hour".to_owned(),
        m if m % 60 == 0 => format!("{} hours", m / 60),
        1 => "1 minute".to_owned(),
        m => format!("{m} minutes"),
    }
}

/// Why "Next" is empty, saying which setting turns calls on when they are off.
fn next_empty(policy: &OutboundPolicy) -> String {
    match (policy.reminders, policy.no_show_follow_up) {
        (false, false) => {
            "No calls are made: reminders are off (set REMINDERS=call to call before \
             appointments) and so are no-show follow-ups (set NO_SHOW_FOLLOW_UP=call)."
                .to_owned()
        }
        (false, true) => "Reminders are off: set REMINDERS=call. A no-show follow-up is planned \
             when Cal.com marks an appointment a no-show."
            .to_owned(),
        (true, _) => format!(
            "Nothing planned: a reminder is planned {} before each upcoming appointment that \
             has a phone number, at the next pass.",
            lead_text(policy.lead)
        ),
    }
}

/// The Appointments page on the local day of `start`, past or upcoming as of `now`.
fn appointment_href(start: DateTime<Utc>, tz: Tz, now: DateTime<Utc>) -> String {
    let day = start.with_timezone(&tz).date_naive();
    let when = if start < now { "past" } else { "upcoming" };
    format!(
        "/dashboard/appointments?when={when}&day={}",
        percent_encode(&day.format("%Y-%m-%d").to_string())
    )
}

fn opening_row(o: &Opening, tz: Tz, now: DateTime<Utc>) -> OpeningRow {
    OpeningRow {
        when: call_time(o.slot_start, tz),
        when_iso: local_time::local_iso(o.slot_start, tz),
        state: o.state.as_str(),
        offers: o.offers,
        phone: o.phone.clone().unwrap_or_default(),
        booked_uid: o.booked_uid.clone(),
        appointment_href: appointment_href(o.slot_start, tz, now),
        detail: o.detail.clone().unwrap_or_default(),
    }
}

fn entry_row(e: &Entry, tz: Tz) -> EntryRow {
    let day = |d: NaiveDate| d.format("%a, %b %-d").to_string();
    EntryRow {
        id: e.id.clone(),
        name: e.name.clone(),
        phone: e.phone.clone(),
        first_day: day(e.first_day),
        last_day: (e.last_day != e.first_day).then(|| day(e.last_day)),
        part: e.part.map(|p| p.as_str()).unwrap_or("any time"),
        joined: call_time(e.created_at, tz),
        joined_iso: local_time::local_iso(e.created_at, tz),
    }
}

fn row(c: &OutboundCall, tz: Tz, now: DateTime<Utc>) -> OutboundRow {
    OutboundRow {
        due: call_time(c.due_at, tz),
        due_iso: local_time::local_iso(c.due_at, tz),
        kind: c.kind.label(),
        name: c.attendee_name.clone().unwrap_or_default(),
        phone: c.phone.clone(),
        appointment: call_time(c.appointment_start, tz),
        appointment_href: appointment_href(c.appointment_start, tz, now),
        booking_uid: c.booking_uid.clone(),
        state: c.state.as_str(),
        outcome: c.outcome.map(|o| o.label().to_owned()).unwrap_or_default(),
        attempts: c.attempts,
        call: c.vapi_call_id.clone(),
        call_href: String::new(),
        detail: c.detail.clone().unwrap_or_default(),
    }
}

/// The short note an appointment row shows about the calls planned for it ("" when none):
/// per kind, the call about the appointment's current start if there is one (a moved
/// appointment gets a call of its own), else the latest; e.g. "reminder: confirmed",
/// "reminder due Sun, Nov 22, 3:00 PM", "reminder skipped: opted out". `calls` are the
/// appointment's, earliest first.
pub fn reminder_note(calls: &[OutboundCall], start: Option<DateTime<Utc>>, tz: Tz) -> String {
    let mut notes = Vec::new();
    for kind in [OutboundKind::Reminder, OutboundKind::NoShow] {
        // Latest first: the last planned of each is the one to name.
        let of_kind = || calls.iter().rev().filter(move |c| c.kind == kind);
        let Some(call) = of_kind()
            .find(|c| Some(c.appointment_start) == start)
            .or_else(|| of_kind().next())
        else {
            continue;
        };
        notes.push(note(call, tz));
    }
    notes.join("; ")
}

fn note(c: &OutboundCall, tz: Tz) -> String {
    let label = c.kind.label();
    let detail = c
        .detail
        .as_deref()
        .map(short)
        .unwrap_or_else(|| "no reason kept".to_owned());
    match c.state {
        OutboundState::Scheduled => format!("{label} due {}", call_time(c.due_at, tz)),
        OutboundState::Placing => format!("{label} calling now"),
        OutboundState::Placed => format!("{label} placed, no outcome yet"),
        OutboundState::Done => format!(
            "{label}: {}",
            c.outcome.map(|o| o.label()).unwrap_or("ended")
        ),
        OutboundState::Skipped => format!("{label} skipped: {detail}"),
        OutboundState::Failed => format!("{label} failed: {detail}"),
    }
}

/// `text` cut to [`NOTE_DETAIL_CHARS`] characters, "…" marking a cut.
fn short(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= NOTE_DETAIL_CHARS {
        return text.to_owned();
    }
    let cut: String = text.chars().take(NOTE_DETAIL_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::outbound::OutboundOutcome;
    use chrono::TimeZone;

    fn call(kind: OutboundKind, start: &str, state: OutboundState) -> OutboundCall {
        let start: DateTime<Utc> = start.parse().unwrap();
        OutboundCall {
            kind,
            booking_uid: "b-1".to_owned(),
            appointment_start: start,
            lead_minutes: 1440,
            phone: "+15551234567".to_owned(),
            attendee_name: None,
            due_at: start - Duration::hours(24),
            state,
            attempts: 0,
            vapi_call_id: None,
            outcome: None,
            detail: None,
            updated_at: Utc.with_ymd_and_hms(2026, 11, 21, 15, 0, 0).unwrap(),
        }
    }

    #[test]
    fn a_note_names_the_call_about_the_current_start() {
        let tz = chrono_tz::America::New_York;
        let mut moved = call(
            OutboundKind::Reminder,
            "2026-11-23T20:00:00Z",
            OutboundState::Skipped,
        );
        moved.detail = Some("the appointment moved".to_owned());
        let current = call(
            OutboundKind::Reminder,
            "2026-11-24T20:00:00Z",
            OutboundState::Scheduled,
        );
        let start = Some(current.appointment_start);
        assert_eq!(
            reminder_note(&[current.clone(), moved.clone()], start, tz),
            "reminder due Mon, Nov 23, 3:00 PM"
        );
        assert_eq!(
            reminder_note(&[moved], start, tz),
            "reminder skipped: the appointment moved"
        );
        let mut done = current;
        done.state = OutboundState::Done;
        done.outcome = Some(OutboundOutcome::Confirmed);
        assert_eq!(reminder_note(&[done], start, tz), "reminder: confirmed");
        assert_eq!(reminder_note(&[], start, tz), "");
    }

    #[test]
    fn long_details_are_cut_in_a_note() {
        let cut = short(&"x".repeat(200));
        assert_eq!(cut.chars().count(), NOTE_DETAIL_CHARS);
        assert!(cut.ends_with('…'));
        assert_eq!(short(" opted out "), "opted out");
        assert_eq!(lead_text(Duration::hours(24)), "24 hours");
        assert_eq!(lead_text(Duration::minutes(90)), "90 minutes");
        assert_eq!(lead_text(Duration::hours(1)), "1 hour");
    }
}
