//! Cal.com v2 request and response bodies the client reads and writes.
//!
//! Every response type tolerates unknown fields (Cal.com adds them freely) and optional ones.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `{status, data, pagination}` success envelope, or `{status:"error", error}`.
#[derive(Debug, Deserialize)]
pub struct Envelope<T> {
    /// "success" or "error".
    #[serde(default)]
    pub status: Option<String>,
    /// The payload on success.
    pub data: Option<T>,
    /// Present on paginated lists.
    #[serde(default)]
    pub pagination: Option<Pagination>,
}

/// Pagination block of list endpoints.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    /// Items matching the query.
    #[serde(default)]
    pub total_items: i64,
    /// Whether another page follows.
    #[serde(default)]
    pub has_next_page: bool,
}

/// Error body of a failed request (Nest filters), tolerant of the bare Nest default shape.
#[derive(Debug, Default, Deserialize)]
pub struct ErrorBody {
    /// `{code, message}` from Cal.com's filters.
    pub error: Option<ErrorDetail>,
    /// Nest's default `{statusCode, message}` or v1 `{message}`.
    pub message: Option<Value>,
}

/// The `error` object of an error envelope.
#[derive(Debug, Default, Deserialize)]
pub struct ErrorDetail {
    /// Exception name, e.g. `BadRequestException`.
    #[serde(default)]
    pub code: String,
    /// Human-readable message.
    #[serde(default)]
    pub message: String,
}

/// One open slot from `GET /v2/slots`.
#[derive(Debug, Clone, Deserialize)]
pub struct Slot {
    /// Slot start with the requested zone's offset.
    pub start: DateTime<FixedOffset>,
}

/// `GET /v2/slots` data: local date key → slots.
pub type SlotsByDay = BTreeMap<String, Vec<Slot>>;

/// A booking as API version 2024-08-13 returns it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Booking {
    /// Numeric id.
    #[serde(default)]
    pub id: Option<i64>,
    /// Opaque booking uid; changes on reschedule.
    pub uid: String,
    /// Booking title.
    #[serde(default)]
    pub title: String,
    /// Booker notes.
    #[serde(default)]
    pub description: Option<String>,
    /// `accepted`, `pending`, `cancelled`, `rejected`, …
    #[serde(default)]
    pub status: String,
    /// Start instant (UTC).
    pub start: DateTime<Utc>,
    /// End instant (UTC).
    pub end: DateTime<Utc>,
    /// Event type id (deprecated field, still sent).
    #[serde(default)]
    pub event_type_id: Option<i64>,
    /// Event type reference.
    #[serde(default)]
    pub event_type: Option<EventTypeRef>,
    /// Host(s).
    #[serde(default)]
    pub hosts: Vec<Host>,
    /// Attendees, booker first.
    #[serde(default)]
    pub attendees: Vec<Attendee>,
    /// Location or meeting URL.
    #[serde(default)]
    pub location: Option<String>,
    /// Metadata we sent when booking.
    #[serde(default)]
    pub metadata: Option<Value>,
    /// Booking field answers.
    #[serde(default)]
    pub booking_fields_responses: Option<Value>,
    /// Reason given on cancel ("" when none).
    #[serde(default)]
    pub cancellation_reason: Option<String>,
    /// The booking this one replaced.
    #[serde(default)]
    pub rescheduled_from_uid: Option<String>,
    /// The booking that replaced this one.
    #[serde(default)]
    pub rescheduled_to_uid: Option<String>,
    /// Creation time.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// Last change.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

impl Booking {
    /// The event type id from either field.
    pub fn event_type(&self) -> Option<i64> {
        self.event_type
            .as_ref()
            .map(|e| e.id)
            .or(self.event_type_id)
    }

    /// Whether the booking still holds its time.
    pub fn is_active(&self) -> bool {
        matches!(
            self.status.to_ascii_lowercase().as_str(),
            "accepted" | "pending" | "awaiting_host"
        )
    }
}

/// `{id, slug}` of a booking's event type.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct EventTypeRef {
    /// Event type id.
    pub id: i64,
    /// Event type slug.
    #[serde(default)]
    pub slug: Option<String>,
}

/// A booking host.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Host {
    /// User id.
    #[serde(default)]
    pub id: Option<i64>,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// Host zone.
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// A booking attendee.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attendee {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Email (may be a placeholder for phone-only bookings).
    #[serde(default)]
    pub email: Option<String>,
    /// Phone in international format.
    #[serde(default)]
    pub phone_number: Option<String>,
    /// Attendee zone.
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// Body of `POST /v2/bookings`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewBooking {
    /// Start, UTC with `Z`.
    pub start: String,
    /// Event type to book.
    pub event_type_id: i64,
    /// The booker.
    pub attendee: NewAttendee,
    /// Correlation data (call id, tool-call id), echoed in webhooks.
    pub metadata: BTreeMap<String, String>,
    /// Answers to booking fields (notes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub booking_fields_responses: Option<BTreeMap<String, String>>,
}

/// `attendee` of a new booking.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewAttendee {
    /// Name.
    pub name: String,
    /// Email, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// E.164 phone, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// IANA zone of the attendee.
    pub time_zone: String,
    /// Language code.
    pub language: String,
}

/// Query of `GET /v2/bookings`.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BookingQuery {
    /// Comma list: upcoming, past, cancelled, unconfirmed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Exact attendee email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attendee_email: Option<String>,
    /// Only this event type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_type_id: Option<i64>,
    /// Start at or after (ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_start: Option<String>,
    /// End at or before (ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before_end: Option<String>,
    /// Updated at or after (ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_updated_at: Option<String>,
    /// `asc` / `desc` by start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_start: Option<String>,
    /// `asc` / `desc` by last update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_updated_at: Option<String>,
    /// Page size (1–250).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub take: Option<u32>,
    /// Offset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip: Option<u32>,
}

/// One page of bookings.
#[derive(Debug, Clone)]
pub struct BookingPage {
    /// Bookings on this page.
    pub bookings: Vec<Booking>,
    /// Whether another page follows.
    pub has_next_page: bool,
}

/// A Cal.com user: `/v2/me` or an organization member.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// User id.
    pub id: i64,
    /// Username.
    #[serde(default)]
    pub username: Option<String>,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// User zone.
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// Body of `POST /v2/organizations/{orgId}/users`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewOrgUser {
    /// Email (required by Cal.com).
    pub email: String,
    /// Username.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Display name.
    pub name: String,
    /// IANA zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

/// A time held by `POST /v2/slots/reservations`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reservation {
    /// Cal.com's id of the hold, to let it go.
    pub reservation_uid: String,
    /// When the hold ends on its own.
    #[serde(default)]
    pub reservation_until: Option<String>,
}
