//! Shared pieces of the pages: navigation items and appointment rows grouped by local day, each
//! with where the calls planned about it stand.

use std::collections::HashMap;

use crate::domain::language::Language;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::{
    db::{Db, DbError},
    domain::appointment::Appointment,
    domain::local_time,
    domain::outbound::OutboundCall,
};

/// What every page shows around its content: the navigation, the title, the business shown
/// (named in the header, with the switcher) and the zone its times are in (named in the footer).
#[derive(Debug, Clone)]
pub struct Frame {
    /// Navigation, the page shown marked.
    pub nav: Vec<NavItem>,
    /// Page title.
    pub title: &'static str,
    /// The business zone, named.
    pub zone: String,
    /// The business shown, and the others an admin may switch to (set by the HTTP layer, which
    /// knows who is viewing).
    pub business: Business,
}

impl Frame {
    /// The frame of the page at `current` (`""` for none in the navigation) titled `title`.
    pub fn new(current: &str, title: &'static str, tz: Tz, now: DateTime<Utc>) -> Self {
        Self {
            nav: super::PAGES
                .iter()
                .map(|(href, label)| NavItem {
                    href,
                    label,
                    current: *href == current,
                })
                .collect(),
            title,
            zone: zone_named(tz, now),
            business: Business::default(),
        }
    }
}

/// A console page: a template with a [`Frame`] around it.
pub trait Page: askama::Template {
    /// The page's frame, to name the business being viewed.
    fn frame_mut(&mut self) -> &mut Frame;
}

/// Implements [`Page`] for page types whose frame is their `frame` field.
macro_rules! pages {
    ($($page:ty),* $(,)?) => {
        $(impl Page for $page {
            fn frame_mut(&mut self) -> &mut Frame {
                &mut self.frame
            }
        })*
    };
}

pages!(
    super::today::TodayPage,
    super::appointments::AppointmentsPage,
    super::call_pages::CallsPage,
    super::call_pages::CallPage,
    super::stats::StatsPage,
    super::failures::FailuresPage,
    super::outbound::OutboundPage,
    super::not_found::NotFoundPage,
);

/// One navigation link.
#[derive(Debug, Clone)]
pub struct NavItem {
    /// Where it goes.
    pub href: &'static str,
    /// What it says.
    pub label: &'static str,
    /// It is the page shown.
    pub current: bool,
}

/// One appointment as a table row, in the business's zone.
#[derive(Debug, Clone)]
pub struct AppointmentRow {
    /// "9:00 AM – 9:30 AM".
    pub time: String,
    /// Start as RFC 3339 with the local offset, for `<time datetime>`.
    pub datetime: String,
    /// The attendee's name.
    pub who: String,
    /// The attendee's phone ("" when none).
    pub phone: String,
    /// The attendee's email ("" when none).
    pub email: String,
    /// `accepted`, `cancelled`, ...
    pub status: &'static str,
    /// The event's title.
    pub title: String,
    /// The Cal.com booking uid.
    pub uid: String,
    /// The VAPI call that last booked, moved or cancelled it, else the one named when it was
    /// booked, when known.
    pub call: Option<String>,
    /// That call's page ("" when the service has no record of the call).
    pub call_href: String,
    /// When that call started, as its link reads ("" when there is no record of it).
    pub call_time: String,
    /// Where the calls the business planned about it stand, e.g. "reminder: confirmed" (""
    /// when none were planned).
    pub reminder: String,
}

/// Appointments of one local day.
#[derive(Debug, Clone)]
pub struct DayGroup {
    /// "Tuesday, November 24, 2026".
    pub label: String,
    /// The rows, in the order given.
    pub rows: Vec<AppointmentRow>,
}

impl AppointmentRow {
    /// The row for `a` in `tz`; `call` is the call to name, with when it started if the service
    /// has a record of it.
    pub fn new(a: &Appointment, call: Option<(&str, Option<DateTime<Utc>>)>, tz: Tz) -> Self {
        let start = a.start_time.map(|t| t.with_timezone(&tz));
        let end = a.end_time.map(|t| t.with_timezone(&tz));
        let time = match (&start, &end) {
            (Some(s), Some(e)) => format!(
                "{} – {}",
                local_time::speak_clock(s, Language::En),
                local_time::speak_clock(e, Language::En)
            ),
            (Some(s), None) => local_time::speak_clock(s, Language::En),
            _ => "—".to_owned(),
        };
        let who = a
            .attendees
            .get(0)
            .and_then(|p| p.get("name"))
            .and_then(serde_json::Value::as_str)
            .unwrap_or("—")
            .to_owned();
        Self {
            time,
            datetime: a
                .start_time
                .map(|t| local_time::local_iso(t, tz))
                .unwrap_or_default(),
            who,
            phone: a.attendee_phone.clone().unwrap_or_default(),
            email: a
                .attendee_email
                .clone()
                .filter(|e| !e.ends_with("@sms.cal.com"))
                .unwrap_or_default(),
            status: a.status.as_str(),
            title: a.title.clone().unwrap_or_default(),
            uid: a.uid.clone(),
            call: call.map(|(id, _)| id.to_owned()),
            call_href: call
                .filter(|(_, started)| started.is_some())
                .map(|(id, _)| super::call_pages::call_href(id))
                .unwrap_or_default(),
            call_time: call
                .and_then(|(_, started)| started)
                .map(|at| super::call_pages::call_time(at, tz))
                .unwrap_or_default(),
            reminder: String::new(),
        }
    }
}

/// Groups appointments by their local start date, keeping their order. Each row names the call
/// that last booked, moved or cancelled it (what its Call page says it did), else the call its
/// booking names, and links it when that call has a record.
pub async fn by_day(
    db: &Db,
    appointments: &[Appointment],
    tz: Tz,
) -> Result<Vec<DayGroup>, DbError> {
    let uids: Vec<String> = appointments.iter().map(|a| a.uid.clone()).collect();
    // Oldest first, so the last one written per appointment is its latest.
    let latest: HashMap<String, String> = db
        .links_of_appointments(&uids)
        .await?
        .into_iter()
        .map(|l| (l.appointment_uid, l.vapi_call_id))
        .collect();
    let call_of = |a: &Appointment| latest.get(&a.uid).or(a.vapi_call_id.as_ref()).cloned();
    let mut named: Vec<String> = appointments.iter().filter_map(call_of).collect();
    named.sort();
    named.dedup();
    let starts = db.recorded_call_starts(&named).await?;
    // One read for the page's reminder notes; by appointment, earliest first.
    let mut planned: HashMap<String, Vec<OutboundCall>> = HashMap::new();
    for call in db.outbound_calls_of_bookings(&uids).await? {
        planned
            .entry(call.booking_uid.clone())
            .or_default()
            .push(call);
    }
    let mut groups: Vec<(NaiveDate, DayGroup)> = Vec::new();
    for a in appointments {
        let Some(start) = a.start_time else { continue };
        let date = start.with_timezone(&tz).date_naive();
        let call = call_of(a);
        let mut row = AppointmentRow::new(
            a,
            call.as_deref().map(|id| (id, starts.get(id).copied())),
            tz,
        );
        if let Some(calls) = planned.get(&a.uid) {
            row.reminder = super::outbound::reminder_note(calls, a.start_time, tz);
        }
        match groups.last_mut() {
            Some((d, group)) if *d == date => group.rows.push(row),
            _ => groups.push((
                date,
                DayGroup {
                    label: local_time::speak_full_date(date, Language::En),
                    rows: vec![row],
                },
            )),
        }
    }
    Ok(groups.into_iter().map(|(_, g)| g).collect())
}

/// "America/New_York (EST)": the zone's name and its abbreviation at `now`.
pub fn zone_named(tz: Tz, now: DateTime<Utc>) -> String {
    format!("{} ({})", tz.name(), now.with_timezone(&tz).format("%Z"))
}

/// "Monday, November 23, 2026 at 8:12 AM EST".
pub fn local_moment(at: DateTime<Utc>, tz: Tz) -> String {
    let local = at.with_timezone(&tz);
    format!(
        "{} at {} {}",
        local_time::speak_full_date(local.date_naive(), Language::En),
        local_time::speak_clock(&local, Language::En),
        local.format("%Z")
    )
}

/// A typed query value, trimmed ("" when absent).
pub fn typed(value: &Option<String>) -> String {
    value
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_owned()
}

/// The day filter: a local date `YYYY-MM-DD`, or `None` (blank, or not a date, which is
/// explained in `errors`).
pub fn day_filter(text: &str, errors: &mut Vec<String>) -> Option<NaiveDate> {
    if text.is_empty() {
        return None;
    }
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    if day.is_none() {
        errors.push(format!(
            "“{text}” is not a date (YYYY-MM-DD); showing every day."
        ));
    }
    day
}

/// The digits of a phone filter. Only what a number is written with counts as one (digits,
/// spaces, `+ - . ( )`): anything else, or no digits at all, is explained in `errors` and filters
/// nothing, rather than quietly searching for whatever digits it happened to hold.
pub fn phone_digits(text: &str, errors: &mut Vec<String>) -> Option<String> {
    if text.is_empty() {
        return None;
    }
    let written_as_number = text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '.' | '(' | ')'));
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if !written_as_number {
        errors.push(format!(
            "“{text}” is not a phone number (digits, spaces and + - . ( ) only); showing every number."
        ));
        return None;
    }
    if digits.is_empty() {
        errors.push(format!("“{text}” has no digits; showing every number."));
    }
    (!digits.is_empty()).then_some(digits)
}

/// The business a page shows, named in its header, and the businesses an operator who may see
/// every one can switch to (none for one business's own operator, or with a single business).
#[derive(Debug, Clone, Default)]
pub struct Business {
    /// Its name ("" with a single business that has none: the header then shows only the
    /// service's name).
    pub name: String,
    /// The businesses to switch to, this one marked.
    pub choices: Vec<BusinessChoice>,
}

/// One business in the switcher.
#[derive(Debug, Clone)]
pub struct BusinessChoice {
    /// Its slug (the value sent).
    pub slug: String,
    /// Its name.
    pub name: String,
    /// It is the one shown.
    pub current: bool,
}
