//! Cal.com webhook deliveries: the `X-Cal-Signature-256` check and the mapping from each trigger
//! to [`Observation`]s of the bookings it concerns.
//!
//! Payload shapes differ by trigger: most use `{triggerEvent, createdAt, payload}`, MEETING_STARTED
//! and MEETING_ENDED are flat (the booking row at the root, `createdAt` being the booking's), and
//! statuses are upper-case. Times come as `…Z`, `…+00:00` or with milliseconds.

use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::trigger::Trigger;
use crate::domain::appointment::{self, Observation, Status};

/// Why a delivery was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// No signature header.
    #[error("missing X-Cal-Signature-256 header")]
    MissingSignature,
    /// The sender has no secret configured.
    #[error(
        "the webhook was sent without a secret (no-secret-provided); configure the subscription's secret"
    )]
    NoSecretProvided,
    /// The signature does not match any configured secret.
    #[error("the X-Cal-Signature-256 signature does not match")]
    BadSignature,
    /// The body is not JSON or lacks what the trigger needs.
    #[error("{0}")]
    Unusable(String),
}

/// What can be checked of `X-Cal-Signature-256` before the body is read: that there is one
/// (when secrets are configured) and that it is hex. `Ok(None)`: no secrets, nothing to check.
pub fn signature_from_header(
    secrets: &[SecretString],
    header: Option<&str>,
) -> Result<Option<Vec<u8>>, WebhookError> {
    if secrets.is_empty() {
        return Ok(None);
    }
    let header = header
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .ok_or(WebhookError::MissingSignature)?;
    if header == "no-secret-provided" {
        return Err(WebhookError::NoSecretProvided);
    }
    hex::decode(header.strip_prefix("sha256=").unwrap_or(header))
        .map(Some)
        .map_err(|_| WebhookError::BadSignature)
}

/// Verifies `X-Cal-Signature-256` (lowercase hex HMAC-SHA256 of the raw body) against any of the
/// secrets, in constant time. With no secrets configured every delivery passes (the operator
/// chose to accept unsigned webhooks).
pub fn verify_signature(
    secrets: &[SecretString],
    body: &[u8],
    header: Option<&str>,
) -> Result<(), WebhookError> {
    let Some(given) = signature_from_header(secrets, header)? else {
        return Ok(());
    };
    for secret in secrets {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.expose_secret().as_bytes()) else {
            continue;
        };
        mac.update(body);
        // verify_slice compares in constant time.
        if mac.verify_slice(&given).is_ok() {
            return Ok(());
        }
    }
    Err(WebhookError::BadSignature)
}

/// Signs a body the way Cal.com does (for our simulator-free tests and tools).
pub fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// De-duplication key of a delivery: sha256 of the raw body.
pub fn dedupe_key(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

/// A delivery understood.
#[derive(Debug, Clone)]
pub struct ParsedDelivery {
    /// The trigger as sent.
    pub trigger: String,
    /// The booking it is about.
    pub booking_uid: Option<String>,
    /// Changes to apply; empty for triggers we only log (PING, unknown ones).
    pub observations: Vec<Observation>,
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .filter(|s| !s.is_empty())
}

fn field_instant(v: &Value, key: &str) -> Option<DateTime<Utc>> {
    v.get(key)
        .and_then(Value::as_str)
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

/// The booking fields every booking trigger carries.
fn booking_fields(
    p: &Value,
    uid: String,
    observed_at: DateTime<Utc>,
    organizer_key: &str,
) -> Observation {
    let attendees = p.get("attendees").filter(|a| a.is_array()).cloned();
    let organizer = p.get(organizer_key);
    let metadata = p.get("metadata").filter(|m| m.is_object()).cloned();
    Observation {
        uid,
        observed_at,
        cal_id: p
            .get("bookingId")
            .or_else(|| p.get("id"))
            .and_then(Value::as_i64),
        event_type_id: p.get("eventTypeId").and_then(Value::as_i64),
        title: text(p, "title"),
        description: text(p, "description").or_else(|| text(p, "additionalNotes")),
        start_time: field_instant(p, "startTime"),
        end_time: field_instant(p, "endTime"),
        location: text(p, "location"),
        organizer_id: organizer.and_then(|o| o.get("id")).and_then(Value::as_i64),
        organizer_name: organizer.and_then(|o| text(o, "name")),
        organizer_email: organizer.and_then(|o| text(o, "email")),
        attendee_phone: appointment::primary_phone(
            attendees.as_ref(),
            p.get("responses"),
            p.get("smsReminderNumber"),
        ),
        attendee_email: appointment::primary_email(attendees.as_ref()),
        attendees,
        responses: p.get("responses").filter(|r| r.is_object()).cloned(),
        vapi_call_id: appointment::vapi_call_id(metadata.as_ref()),
        metadata,
        ..Observation::default()
    }
}

/// Understands a delivery's body (already verified).
pub fn parse_delivery(body: &[u8]) -> Result<ParsedDelivery, WebhookError> {
    let root: Value = serde_json::from_slice(&crate::domain::text::without_nul_escapes(body))
        .map_err(|e| WebhookError::Unusable(format!("the body is not valid JSON: {e}")))?;
    let trigger = text(&root, "triggerEvent")
        .ok_or_else(|| WebhookError::Unusable("the body has no triggerEvent".to_owned()))?;
    let kind = Trigger::parse(&trigger);
    let flat = kind.is_some_and(Trigger::is_flat);
    let payload = if flat {
        &root
    } else {
        root.get("payload").unwrap_or(&Value::Null)
    };
    let created_at = field_instant(&root, "createdAt");
    let uid_key = if kind == Some(Trigger::BookingNoShowUpdated) {
        "bookingUid"
    } else {
        "uid"
    };
    let uid = text(payload, uid_key);

    // A booking trigger we don't know yet still names its booking: its details are refreshed.
    let needs_uid = kind.map_or_else(|| trigger.starts_with("BOOKING_"), Trigger::names_a_booking);
    let Some(uid) = uid.filter(|_| needs_uid) else {
        if needs_uid {
            return Err(WebhookError::Unusable(format!(
                "{trigger} payload has no {uid_key}"
            )));
        }
        return Ok(ParsedDelivery {
            trigger,
            booking_uid: None,
            observations: Vec::new(),
        });
    };
    // MEETING_* carry the booking's creation time as createdAt; the event itself happens at
    // the meeting's start or end, which orders it correctly against other events.
    let observed_at = match kind {
        Some(Trigger::MeetingEnded) => field_instant(payload, "endTime"),
        Some(Trigger::MeetingStarted) => field_instant(payload, "startTime"),
        _ => created_at,
    }
    .or(created_at)
    .unwrap_or_else(Utc::now);

    let mut obs = booking_fields(
        payload,
        uid.clone(),
        observed_at,
        if flat { "user" } else { "organizer" },
    );
    let payload_status = text(payload, "status").map(|s| Status::parse(&s));
    let mut observations = Vec::new();
    match kind {
        Some(Trigger::BookingCreated) => {
            obs.status = Some(payload_status.unwrap_or(Status::Accepted))
        }
        Some(Trigger::BookingRequested) => obs.status = Some(Status::Pending),
        Some(Trigger::BookingCancelled) => {
            obs.status = Some(Status::Cancelled);
            obs.cancellation_reason = text(payload, "cancellationReason");
            obs.request_reschedule = payload.get("requestReschedule").and_then(Value::as_bool);
        }
        Some(Trigger::BookingRejected) => {
            obs.status = Some(Status::Rejected);
            obs.cancellation_reason = text(payload, "rejectionReason");
        }
        Some(Trigger::BookingRescheduled) => {
            obs.status = Some(
                payload_status
                    .filter(|s| *s == Status::Pending)
                    .unwrap_or(Status::Accepted),
            );
            if let Some(old_uid) = text(payload, "rescheduleUid") {
                obs.rescheduled_from_uid = Some(old_uid.clone());
                let old = Observation {
                    uid: old_uid,
                    status: Some(Status::Rescheduled),
                    cal_id: payload.get("rescheduleId").and_then(Value::as_i64),
                    start_time: field_instant(payload, "rescheduleStartTime"),
                    end_time: field_instant(payload, "rescheduleEndTime"),
                    rescheduled_to_uid: Some(uid.clone()),
                    event_type_id: obs.event_type_id,
                    title: obs.title.clone(),
                    attendees: obs.attendees.clone(),
                    attendee_phone: obs.attendee_phone.clone(),
                    attendee_email: obs.attendee_email.clone(),
                    organizer_id: obs.organizer_id,
                    organizer_name: obs.organizer_name.clone(),
                    organizer_email: obs.organizer_email.clone(),
                    observed_at,
                    ..Observation::default()
                };
                observations.push(old);
            }
        }
        Some(Trigger::BookingNoShowUpdated) => {
            let no_show = payload
                .get("attendees")
                .and_then(Value::as_array)
                .is_some_and(|a| {
                    a.iter()
                        .any(|x| x.get("noShow").and_then(Value::as_bool) == Some(true))
                });
            // This payload lists only the attendees whose flag changed: keep the stored list.
            obs = Observation {
                uid: uid.clone(),
                observed_at,
                no_show: Some(no_show),
                ..Observation::default()
            };
        }
        Some(Trigger::BookingPaid) => {
            obs.paid = Some(true);
            obs.payment_id = text(payload, "paymentId")
                .or_else(|| {
                    payload
                        .get("paymentId")
                        .and_then(Value::as_i64)
                        .map(|n| n.to_string())
                })
                .or_else(|| {
                    payload
                        .pointer("/payment/0/id")
                        .or_else(|| payload.pointer("/payment/id"))
                        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                });
        }
        Some(Trigger::MeetingEnded) => obs.status = Some(Status::Ended),
        // Other booking triggers only refresh the booking's details.
        Some(Trigger::MeetingStarted | Trigger::BookingPaymentInitiated | Trigger::Ping) | None => {
        }
    }
    observations.insert(0, obs);
    Ok(ParsedDelivery {
        trigger,
        booking_uid: Some(uid),
        observations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_accepts_any_configured_secret_and_rejects_the_rest() {
        let body = br#"{"triggerEvent":"PING"}"#;
        let secrets = vec![SecretString::from("old"), SecretString::from("new")];
        assert_eq!(
            verify_signature(&secrets, body, Some(&sign("new", body))),
            Ok(())
        );
        assert_eq!(
            verify_signature(&secrets, body, Some(&sign("old", body))),
            Ok(())
        );
        assert_eq!(
            verify_signature(&secrets, body, Some(&sign("other", body))),
            Err(WebhookError::BadSignature)
        );
        assert_eq!(
            verify_signature(&secrets, body, None),
            Err(WebhookError::MissingSignature)
        );
        assert_eq!(
            verify_signature(&secrets, body, Some("no-secret-provided")),
            Err(WebhookError::NoSecretProvided)
        );
        assert_eq!(
            verify_signature(&secrets, body, Some("zz")),
            Err(WebhookError::BadSignature)
        );
        // One changed byte of the body breaks it.
        assert_eq!(
            verify_signature(
                &secrets,
                br#"{"triggerEvent":"PING "}"#,
                Some(&sign("new", body))
            ),
            Err(WebhookError::BadSignature)
        );
    }
}
