//! The local copy of Cal.com bookings and the rules that keep it true.
//!
//! Cal.com is the source of truth, but its webhooks arrive once, unordered and sometimes twice, and
//! our own writes and the reconcile job see the same bookings again. Every source is turned into a
//! [`Observation`] and folded into the stored [`Appointment`] by [`Appointment::merge`], which
//! is idempotent and order-independent:
//! - status only moves forward (pending → accepted → ended → cancelled/rejected → rescheduled),
//!   because Cal.com never revives a cancelled or rescheduled booking;
//! - descriptive fields come from the newest observation, older ones only fill gaps;
//! - links (`rescheduled_from_uid` / `rescheduled_to_uid`) and payment are never cleared.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::{calcom::types::Booking, domain::phone};

/// Lifecycle of an appointment, normalised from webhook (UPPER) and API (lower) spellings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Known only from an event that carried no status (e.g. a no-show update first).
    Unknown,
    /// Awaiting the host's confirmation.
    Pending,
    /// Confirmed.
    Accepted,
    /// The meeting's end time has passed (MEETING_ENDED).
    Ended,
    /// Cancelled.
    Cancelled,
    /// Declined by the host.
    Rejected,
    /// Replaced by a booking with a new uid.
    Rescheduled,
}

impl Status {
    /// Parses either spelling; unknown words map to `Unknown`.
    pub fn parse(raw: &str) -> Self {
        match raw.trim().to_ascii_lowercase().as_str() {
            "pending" | "awaiting_host" | "unconfirmed" => Status::Pending,
            "accepted" => Status::Accepted,
            "ended" => Status::Ended,
            "cancelled" | "canceled" => Status::Cancelled,
            "rejected" => Status::Rejected,
            "rescheduled" => Status::Rescheduled,
            _ => Status::Unknown,
        }
    }

    /// Every status a stored appointment can have, in lifecycle order.
    pub const KNOWN: [Status; 6] = [
        Status::Pending,
        Status::Accepted,
        Status::Ended,
        Status::Cancelled,
        Status::Rejected,
        Status::Rescheduled,
    ];

    /// The status whose stored spelling is `name` (any case), if it is one of [`Status::KNOWN`].
    pub fn from_stored(name: &str) -> Option<Self> {
        let name = name.trim().to_ascii_lowercase();
        Self::KNOWN.into_iter().find(|s| s.as_str() == name)
    }

    /// Stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unknown => "unknown",
            Status::Pending => "pending",
            Status::Accepted => "accepted",
            Status::Ended => "ended",
            Status::Cancelled => "cancelled",
            Status::Rejected => "rejected",
            Status::Rescheduled => "rescheduled",
        }
    }

    /// How far along the lifecycle: a status never moves to a lower rank.
    fn rank(self) -> u8 {
        match self {
            Status::Unknown => 0,
            Status::Pending => 1,
            Status::Accepted => 2,
            Status::Ended => 3,
            Status::Cancelled | Status::Rejected => 4,
            Status::Rescheduled => 5,
        }
    }

    /// Whether the appointment still holds its time.
    pub fn is_active(self) -> bool {
        matches!(self, Status::Pending | Status::Accepted)
    }
}

/// What one source (a webhook, a tool write, a reconcile page) says about one booking.
/// `None` means "this source does not say", never "clear it".
#[derive(Clone, Debug, Default)]
pub struct Observation {
    /// Booking uid.
    pub uid: String,
    /// When Cal.com produced this information (webhook `createdAt`, booking `updatedAt`).
    pub observed_at: DateTime<Utc>,
    /// New status, if this source states one.
    pub status: Option<Status>,
    /// Numeric Cal.com id.
    pub cal_id: Option<i64>,
    /// Event type id.
    pub event_type_id: Option<i64>,
    /// Title.
    pub title: Option<String>,
    /// Description / notes.
    pub description: Option<String>,
    /// Start instant.
    pub start_time: Option<DateTime<Utc>>,
    /// End instant.
    pub end_time: Option<DateTime<Utc>>,
    /// Location or meeting URL.
    pub location: Option<String>,
    /// Organizer id.
    pub organizer_id: Option<i64>,
    /// Organizer name.
    pub organizer_name: Option<String>,
    /// Organizer email.
    pub organizer_email: Option<String>,
    /// Attendees as JSON array.
    pub attendees: Option<Value>,
    /// Booking field responses as JSON.
    pub responses: Option<Value>,
    /// Metadata as JSON.
    pub metadata: Option<Value>,
    /// Paid (only ever set to true).
    pub paid: Option<bool>,
    /// Payment id.
    pub payment_id: Option<String>,
    /// Cancellation or rejection reason.
    pub cancellation_reason: Option<String>,
    /// The host asked the attendee to rebook (cancel with request-reschedule).
    pub request_reschedule: Option<bool>,
    /// Primary attendee's phone, E.164.
    pub attendee_phone: Option<String>,
    /// Primary attendee's email, lower-cased.
    pub attendee_email: Option<String>,
    /// The booking this one replaced.
    pub rescheduled_from_uid: Option<String>,
    /// The booking that replaced this one.
    pub rescheduled_to_uid: Option<String>,
    /// VAPI call that booked it.
    pub vapi_call_id: Option<String>,
    /// The attendee did not show up.
    pub no_show: Option<bool>,
}

/// A stored appointment: the merge of every observation of one uid.
#[derive(Clone, Debug, PartialEq)]
pub struct Appointment {
    /// Booking uid.
    pub uid: String,
    /// Current status.
    pub status: Status,
    /// Numeric Cal.com id.
    pub cal_id: Option<i64>,
    /// Event type id.
    pub event_type_id: Option<i64>,
    /// Title.
    pub title: Option<String>,
    /// Description / notes.
    pub description: Option<String>,
    /// Start instant.
    pub start_time: Option<DateTime<Utc>>,
    /// End instant.
    pub end_time: Option<DateTime<Utc>>,
    /// Location or meeting URL.
    pub location: Option<String>,
    /// Organizer id.
    pub organizer_id: Option<i64>,
    /// Organizer name.
    pub organizer_name: Option<String>,
    /// Organizer email.
    pub organizer_email: Option<String>,
    /// Attendees as JSON array.
    pub attendees: Value,
    /// Booking field responses.
    pub responses: Option<Value>,
    /// Metadata.
    pub metadata: Option<Value>,
    /// Paid.
    pub paid: bool,
    /// Payment id.
    pub payment_id: Option<String>,
    /// Cancellation or rejection reason.
    pub cancellation_reason: Option<String>,
    /// The host asked the attendee to rebook.
    pub request_reschedule: bool,
    /// Primary attendee's phone, E.164.
    pub attendee_phone: Option<String>,
    /// Primary attendee's email, lower-cased.
    pub attendee_email: Option<String>,
    /// The booking this one replaced.
    pub rescheduled_from_uid: Option<String>,
    /// The booking that replaced this one.
    pub rescheduled_to_uid: Option<String>,
    /// VAPI call that booked it.
    pub vapi_call_id: Option<String>,
    /// The attendee did not show up.
    pub no_show: bool,
    /// Newest observation applied.
    pub last_event_at: DateTime<Utc>,
    /// When the row was first written.
    pub created_at: DateTime<Utc>,
    /// When the row last changed.
    pub updated_at: DateTime<Utc>,
}

/// Newer value wins when the observation is newer; otherwise it only fills a gap.
fn pick<T>(current: Option<T>, seen: Option<T>, newer: bool) -> Option<T> {
    if newer {
        seen.or(current)
    } else {
        current.or(seen)
    }
}

impl Appointment {
    /// The first attendee's name, if it has one.
    pub fn attendee_name(&self) -> Option<String> {
        self.attendees
            .get(0)
            .and_then(|x| x.get("name"))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
    }

    /// Folds an observation into the stored appointment (or creates it). `now` stamps the row.
    pub fn merge(
        current: Option<Appointment>,
        obs: Observation,
        now: DateTime<Utc>,
    ) -> Appointment {
        let Some(cur) = current else {
            return Appointment {
                uid: obs.uid,
                status: obs.status.unwrap_or(Status::Unknown),
                cal_id: obs.cal_id,
                event_type_id: obs.event_type_id,
                title: obs.title,
                description: obs.description,
                start_time: obs.start_time,
                end_time: obs.end_time,
                location: obs.location,
                organizer_id: obs.organizer_id,
                organizer_name: obs.organizer_name,
                organizer_email: obs.organizer_email,
                attendees: obs.attendees.unwrap_or_else(|| Value::Array(Vec::new())),
                responses: obs.responses,
                metadata: obs.metadata,
                paid: obs.paid.unwrap_or(false),
                payment_id: obs.payment_id,
                cancellation_reason: obs.cancellation_reason,
                request_reschedule: obs.request_reschedule.unwrap_or(false),
                attendee_phone: obs.attendee_phone,
                attendee_email: obs.attendee_email,
                rescheduled_from_uid: obs.rescheduled_from_uid,
                rescheduled_to_uid: obs.rescheduled_to_uid,
                vapi_call_id: obs.vapi_call_id,
                no_show: obs.no_show.unwrap_or(false),
                last_event_at: obs.observed_at,
                created_at: now,
                updated_at: now,
            };
        };
        let newer = obs.observed_at >= cur.last_event_at;
        let (status, reason, request_reschedule) = match obs.status {
            Some(s) if s.rank() > cur.status.rank() || (s.rank() == cur.status.rank() && newer) => {
                (
                    s,
                    obs.cancellation_reason.or(cur.cancellation_reason),
                    obs.request_reschedule.unwrap_or(cur.request_reschedule),
                )
            }
            _ => (
                cur.status,
                cur.cancellation_reason.or(obs.cancellation_reason),
                cur.request_reschedule,
            ),
        };
        let attendees = match (newer, obs.attendees) {
            (true, Some(a)) => a,
            (false, Some(a)) if cur.attendees.as_array().is_none_or(Vec::is_empty) => a,
            _ => cur.attendees,
        };
        let merged = Appointment {
            uid: cur.uid,
            status,
            cal_id: cur.cal_id.or(obs.cal_id),
            event_type_id: pick(cur.event_type_id, obs.event_type_id, newer),
            title: pick(cur.title, obs.title, newer),
            description: pick(cur.description, obs.description, newer),
            start_time: pick(cur.start_time, obs.start_time, newer),
            end_time: pick(cur.end_time, obs.end_time, newer),
            location: pick(cur.location, obs.location, newer),
            organizer_id: pick(cur.organizer_id, obs.organizer_id, newer),
            organizer_name: pick(cur.organizer_name, obs.organizer_name, newer),
            organizer_email: pick(cur.organizer_email, obs.organizer_email, newer),
            attendees,
            responses: pick(cur.responses, obs.responses, newer),
            metadata: pick(cur.metadata, obs.metadata, newer),
            paid: cur.paid || obs.paid.unwrap_or(false),
            payment_id: cur.payment_id.or(obs.payment_id),
            cancellation_reason: reason,
            request_reschedule,
            attendee_phone: pick(cur.attendee_phone, obs.attendee_phone, newer),
            attendee_email: pick(cur.attendee_email, obs.attendee_email, newer),
            rescheduled_from_uid: cur.rescheduled_from_uid.or(obs.rescheduled_from_uid),
            rescheduled_to_uid: cur.rescheduled_to_uid.or(obs.rescheduled_to_uid),
            vapi_call_id: cur.vapi_call_id.or(obs.vapi_call_id),
            no_show: if newer {
                obs.no_show.unwrap_or(cur.no_show)
            } else {
                cur.no_show
            },
            last_event_at: cur.last_event_at.max(obs.observed_at),
            created_at: cur.created_at,
            updated_at: cur.updated_at,
        };
        Appointment {
            updated_at: now,
            ..merged
        }
    }

    /// Whether the appointment still holds its time.
    pub fn is_active(&self) -> bool {
        self.status.is_active()
    }

    /// Whether it was made from `phone`: booked by a call from that number (the booking's
    /// metadata `vapiCallerNumber`, which the tools set from the verified caller), or booked
    /// outside any call (in Cal.com itself, no `vapiCallId`). A booking a call made from another
    /// number or from none is not the number owner's, whatever phone it names.
    pub fn booked_from(&self, phone: &str) -> bool {
        let meta = |key: &str| {
            self.metadata
                .as_ref()
                .and_then(|m| m.get(key))
                .and_then(Value::as_str)
        };
        match meta(CALL_ID_KEY) {
            None => self.vapi_call_id.is_none(),
            Some(_) => meta(CALLER_NUMBER_KEY) == Some(phone),
        }
    }
}

/// The primary attendee's phone: attendee field, then booking responses, then SMS reminder number.
pub fn primary_phone(
    attendees: Option<&Value>,
    responses: Option<&Value>,
    sms: Option<&Value>,
) -> Option<String> {
    let from_attendee = attendees
        .and_then(|a| a.get(0))
        .and_then(|a| a.get("phoneNumber"))
        .and_then(Value::as_str);
    let from_responses = responses
        .and_then(|r| r.get("attendeePhoneNumber"))
        .and_then(|v| {
            // Webhook responses wrap values as {label, value}; API responses are plain.
            v.get("value")
                .and_then(Value::as_str)
                .or_else(|| v.as_str())
        });
    [from_attendee, from_responses, sms.and_then(Value::as_str)]
        .into_iter()
        .flatten()
        .find_map(phone::to_e164)
}

/// The primary attendee's email, lower-cased.
pub fn primary_email(attendees: Option<&Value>) -> Option<String> {
    attendees
        .and_then(|a| a.get(0))
        .and_then(|a| a.get("email"))
        .and_then(Value::as_str)
        .map(|e| e.trim().to_ascii_lowercase())
        .filter(|e| !e.is_empty())
}

/// The VAPI call id we put in a booking's metadata.
/// Booking metadata key: the VAPI call a tool booked it in.
pub const CALL_ID_KEY: &str = "vapiCallId";
/// Booking metadata key: the verified number of the caller who booked it (absent: no number).
pub const CALLER_NUMBER_KEY: &str = "vapiCallerNumber";

pub fn vapi_call_id(metadata: Option<&Value>) -> Option<String> {
    metadata
        .and_then(|m| m.get(CALL_ID_KEY))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

impl Observation {
    /// What a Cal.com API booking says (tool writes and reconcile), observed at its `updatedAt`.
    pub fn from_booking(b: &Booking, fallback_time: DateTime<Utc>) -> Observation {
        let attendees = serde_json::to_value(&b.attendees).ok();
        let mut status = Status::parse(&b.status);
        if b.rescheduled_to_uid.is_some() {
            // The API shows a rescheduled booking as "cancelled" with a link to its successor.
            status = Status::Rescheduled;
        }
        let host = b.hosts.first();
        Observation {
            uid: b.uid.clone(),
            observed_at: b.updated_at.unwrap_or(fallback_time),
            status: Some(status),
            cal_id: b.id,
            event_type_id: b.event_type(),
            title: Some(b.title.clone()),
            description: b.description.clone(),
            start_time: Some(b.start),
            end_time: Some(b.end),
            location: b.location.clone(),
            organizer_id: host.and_then(|h| h.id),
            organizer_name: host.and_then(|h| h.name.clone()),
            organizer_email: host.and_then(|h| h.email.clone()),
            attendee_phone: primary_phone(
                attendees.as_ref(),
                b.booking_fields_responses.as_ref(),
                None,
            ),
            attendee_email: primary_email(attendees.as_ref()),
            attendees,
            responses: b.booking_fields_responses.clone(),
            vapi_call_id: vapi_call_id(b.metadata.as_ref()),
            metadata: b.metadata.clone(),
            cancellation_reason: b.cancellation_reason.clone().filter(|r| !r.is_empty()),
            rescheduled_from_uid: b.rescheduled_from_uid.clone(),
            rescheduled_to_uid: b.rescheduled_to_uid.clone(),
            ..Observation::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn obs(status: Status, at: &str, title: &str) -> Observation {
        Observation {
            uid: "u1".into(),
            observed_at: t(at),
            status: Some(status),
            title: Some(title.into()),
            ..Observation::default()
        }
    }

    fn fold(events: &[Observation]) -> Appointment {
        let now = t("2026-11-21T00:00:00Z");
        events
            .iter()
            .cloned()
            .fold(None, |cur, o| Some(Appointment::merge(cur, o, now)))
            .unwrap()
    }

    #[test]
    fn order_does_not_matter() {
        let created = obs(Status::Accepted, "2026-11-21T10:00:00Z", "first");
        let cancelled = Observation {
            cancellation_reason: Some("sick".into()),
            ..obs(Status::Cancelled, "2026-11-21T11:00:00Z", "second")
        };
        let a = fold(&[created.clone(), cancelled.clone()]);
        let b = fold(&[cancelled.clone(), created.clone()]);
        assert_eq!(a, b);
        assert_eq!(a.status, Status::Cancelled);
        assert_eq!(a.title.as_deref(), Some("second"));
        assert_eq!(a.cancellation_reason.as_deref(), Some("sick"));
        // Replays change nothing.
        let c = fold(&[created.clone(), cancelled.clone(), created, cancelled]);
        assert_eq!(a, c);
    }

    #[test]
    fn pending_then_accepted_moves_forward_but_not_back() {
        let requested = obs(Status::Pending, "2026-11-21T10:00:00Z", "t");
        let created = obs(Status::Accepted, "2026-11-21T10:05:00Z", "t");
        assert_eq!(
            fold(&[requested.clone(), created.clone()]).status,
            Status::Accepted
        );
        assert_eq!(fold(&[created, requested]).status, Status::Accepted);
    }
}
