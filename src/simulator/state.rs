//! The simulator's in-memory state: the owner, bookings, organization users, webhook subscriptions,
//! knob settings and the request log, with the lookups every handler shares.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::slots::candidate_slots;
use super::{DeliveredWebhook, EventTypeSpec, RecordedRequest};

#[derive(Clone, Debug)]
pub(super) struct Me {
    pub(super) id: i64,
    pub(super) username: String,
    pub(super) email: String,
    pub(super) name: String,
    pub(super) time_zone: String,
}

#[derive(Clone, Debug)]
pub(super) struct Attendee {
    pub(super) name: String,
    pub(super) email: Option<String>,
    pub(super) phone: Option<String>,
    pub(super) time_zone: String,
    pub(super) language: String,
}

impl Attendee {
    /// Cal.com fills phone-only bookings with a `<digits>@sms.cal.com` placeholder email.
    pub(super) fn email_or_placeholder(&self) -> String {
        match (&self.email, &self.phone) {
            (Some(e), _) => e.clone(),
            (None, Some(p)) => {
                let digits: String = p.chars().filter(char::is_ascii_digit).collect();
                format!("{digits}@sms.cal.com")
            }
            (None, None) => String::new(),
        }
    }
}

#[derive(Clone, Debug)]
pub(super) struct Booking {
    pub(super) id: i64,
    pub(super) uid: String,
    pub(super) event_type_id: i64,
    pub(super) title: String,
    pub(super) start: DateTime<Utc>,
    pub(super) end: DateTime<Utc>,
    /// Lower-case API status: accepted | cancelled | pending | rejected.
    pub(super) status: String,
    pub(super) attendee: Attendee,
    pub(super) guests: Vec<String>,
    pub(super) metadata: Map<String, Value>,
    /// Extra booking field responses (notes, custom fields…).
    pub(super) responses: Map<String, Value>,
    /// `None` = Cal Video (location is the video URL).
    pub(super) location: Option<String>,
    pub(super) cancellation_reason: Option<String>,
    pub(super) cancelled_by_email: Option<String>,
    pub(super) rescheduling_reason: Option<String>,
    pub(super) rescheduled_by_email: Option<String>,
    pub(super) rescheduled_from_uid: Option<String>,
    pub(super) rescheduled_to_uid: Option<String>,
    pub(super) created_at: DateTime<Utc>,
    pub(super) updated_at: DateTime<Utc>,
}

impl Booking {
    pub(super) fn is_active(&self) -> bool {
        self.status == "accepted" || self.status == "pending"
    }

    pub(super) fn video_url(&self) -> String {
        format!("https://app.cal.com/video/{}", self.uid)
    }

    /// What the API and webhooks show as `location`.
    pub(super) fn shown_location(&self) -> String {
        self.location.clone().unwrap_or_else(|| self.video_url())
    }
}

#[derive(Clone, Debug)]
pub(super) struct OrgUser {
    pub(super) id: i64,
    pub(super) org_id: i64,
    pub(super) email: String,
    pub(super) username: Option<String>,
    pub(super) name: Option<String>,
    pub(super) time_zone: String,
    pub(super) locale: String,
    pub(super) time_format: i64,
    pub(super) week_start: String,
    pub(super) created: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub(super) struct WebhookSub {
    pub(super) id: String,
    pub(super) subscriber_url: String,
    pub(super) active: bool,
    pub(super) triggers: Vec<String>,
    pub(super) payload_template: Option<String>,
    pub(super) secret: Option<String>,
}

#[derive(Default)]
pub(super) struct RateWindow {
    pub(super) start: Option<DateTime<Utc>>,
    pub(super) count: u32,
    pub(super) blocked_until: Option<DateTime<Utc>>,
}

pub(super) struct State {
    pub(super) me: Me,
    pub(super) event_types: Vec<EventTypeSpec>,
    pub(super) bookings: Vec<Booking>,
    pub(super) next_booking_id: i64,
    pub(super) orgs: Vec<i64>,
    pub(super) org_users: Vec<OrgUser>,
    pub(super) next_user_id: i64,
    pub(super) webhooks: Vec<WebhookSub>,
    pub(super) webhook_delivery: bool,
    pub(super) delivered: Vec<DeliveredWebhook>,
    pub(super) latency: Duration,
    pub(super) fail_remaining: usize,
    pub(super) fail_status: u16,
    pub(super) hang_remaining: usize,
    pub(super) hang_duration: Duration,
    pub(super) drop_remaining: usize,
    pub(super) rate_limit: Option<u32>,
    pub(super) rate: RateWindow,
    pub(super) requests: Vec<RecordedRequest>,
    /// Requests received since start (the log above may keep only the latest).
    pub(super) requests_received: u64,
    /// `Some(n)`: the log keeps the latest `n` requests.
    pub(super) request_log_limit: Option<usize>,
    /// Times held by `POST /v2/slots/reservations`.
    pub(super) reservations: Vec<super::reservations::Reservation>,
}

impl State {
    pub(super) fn booking(&self, uid: &str) -> Option<&Booking> {
        self.bookings.iter().find(|b| b.uid == uid)
    }

    pub(super) fn booking_mut(&mut self, uid: &str) -> Option<&mut Booking> {
        self.bookings.iter_mut().find(|b| b.uid == uid)
    }

    pub(super) fn event_type(&self, id: i64) -> Option<&EventTypeSpec> {
        self.event_types.iter().find(|e| e.id == id)
    }

    pub(super) fn title_for(&self, event_type_id: i64, attendee_name: &str) -> String {
        let et_title = self
            .event_type(event_type_id)
            .map(|e| e.title.clone())
            .unwrap_or_else(|| "Meeting".to_string());
        format!("{et_title} between {} and {attendee_name}", self.me.name)
    }

    pub(super) fn next_id(&mut self) -> i64 {
        let id = self.next_booking_id;
        self.next_booking_id += 1;
        id
    }

    /// Open slots `(start, end)` of an event type whose start lies in `[from, to]`.
    pub(super) fn open_slots(
        &self,
        et: &EventTypeSpec,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
        ignore_uid: Option<&str>,
    ) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let busy: Vec<(DateTime<Utc>, DateTime<Utc>)> = self
            .bookings
            .iter()
            .filter(|b| b.event_type_id == et.id && b.is_active())
            .filter(|b| ignore_uid != Some(b.uid.as_str()))
            .map(|b| (b.start, b.end))
            .collect();
        let earliest = now + chrono::Duration::minutes(et.minimum_notice_minutes);
        candidate_slots(et, from, to)
            .into_iter()
            .filter(|(s, e)| *s >= earliest && !busy.iter().any(|(bs, be)| bs < e && be > s))
            .collect()
    }

    pub(super) fn is_open_slot(
        &self,
        et: &EventTypeSpec,
        start: DateTime<Utc>,
        now: DateTime<Utc>,
        ignore_uid: Option<&str>,
    ) -> bool {
        self.open_slots(et, start, start, now, ignore_uid)
            .iter()
            .any(|(s, _)| *s == start)
    }

    pub(super) fn org_has_email(&self, email: &str) -> bool {
        self.me.email.eq_ignore_ascii_case(email)
            || self
                .org_users
                .iter()
                .any(|u| u.email.eq_ignore_ascii_case(email))
    }
}
