//! The appointments a call booked, moved or cancelled, as they are now: an appointment booked on
//! the call and cancelled, moved or declined since says so, with when (and the call that did it,
//! when another call did).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::view::local_moment;
use crate::{
    db::{Db, DbError, call_records::CallAppointment},
    domain::appointment::{Appointment, Status},
};

/// What happened to an appointment after this call booked or moved it.
#[derive(Debug, Clone)]
pub struct Since {
    /// `cancelled`, `moved` or `declined`.
    pub action: &'static str,
    /// When, local ("" when unknown).
    pub when: String,
    /// The other call that did it, when one did: its page.
    pub call_href: Option<String>,
}

/// An appointment the call booked, moved or cancelled.
#[derive(Debug, Clone)]
pub struct TouchedAppointment {
    /// The Cal.com booking uid.
    pub uid: String,
    /// The event's title ("Appointment" when unknown).
    pub title: String,
    /// `booked`, `moved`, `cancelled`: what this call did.
    pub action: String,
    /// When it starts, local ("" when unknown).
    pub when: String,
    /// Its row on the Appointments page.
    pub href: String,
    /// What became of it since, when that undid what this call did.
    pub since: Option<Since>,
}

/// The appointments call `id` touched, oldest action first, each with what became of it.
pub async fn load(
    db: &Db,
    id: &str,
    tz: Tz,
    now: DateTime<Utc>,
) -> Result<Vec<TouchedAppointment>, DbError> {
    let own = db.call_appointments(id).await?;
    let uids: Vec<String> = own.iter().map(|l| l.appointment_uid.clone()).collect();
    let every_link = db.links_of_appointments(&uids).await?;
    let mut touched = Vec::with_capacity(own.len());
    for link in &own {
        let appointment = db.appointment(&link.appointment_uid).await?;
        let start = appointment.as_ref().and_then(|a| a.start_time);
        let end = appointment.as_ref().and_then(|a| a.end_time).or(start);
        let href = match start {
            Some(s) => format!(
                "/dashboard/appointments?when={}&day={}",
                if end.is_some_and(|e| e <= now) {
                    "past"
                } else {
                    "upcoming"
                },
                s.with_timezone(&tz).format("%Y-%m-%d")
            ),
            None => "/dashboard/appointments".to_owned(),
        };
        touched.push(TouchedAppointment {
            uid: link.appointment_uid.clone(),
            title: appointment
                .as_ref()
                .and_then(|a| a.title.clone())
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| "Appointment".to_owned()),
            action: link.action.clone(),
            when: start.map(|s| local_moment(s, tz)).unwrap_or_default(),
            href,
            since: appointment
                .as_ref()
                .and_then(|a| since(link, a, &every_link, tz)),
        });
    }
    Ok(touched)
}

/// What undid `link` (a booking or a move) since: the appointment is no longer on. `None` when it
/// still is, when the link was itself a cancellation, or when this same call undid it (the page
/// lists that action too).
fn since(
    link: &CallAppointment,
    appointment: &Appointment,
    every_link: &[CallAppointment],
    tz: Tz,
) -> Option<Since> {
    if link.action == "cancelled" {
        return None;
    }
    let action = match appointment.status {
        Status::Cancelled => "cancelled",
        Status::Rescheduled => "moved",
        Status::Rejected => "declined",
        _ => return None,
    };
    // The call that cancelled it, if a call did: the first cancellation after this link.
    let by_call = every_link.iter().find(|l| {
        l.appointment_uid == link.appointment_uid
            && l.action == "cancelled"
            && l.created_at >= link.created_at
    });
    match by_call {
        Some(l) if l.vapi_call_id == link.vapi_call_id => None,
        Some(l) => Some(Since {
            action,
            when: moment(&l.created_at, tz),
            call_href: Some(super::call_pages::call_href(&l.vapi_call_id)),
        }),
        // Cancelled in Cal.com (or by its reconcile): when the service heard of it.
        None => Some(Since {
            action,
            when: local_moment(appointment.last_event_at, tz),
            call_href: None,
        }),
    }
}

/// A stored RFC 3339 instant, local ("" when it does not read).
fn moment(stored: &str, tz: Tz) -> String {
    DateTime::parse_from_rfc3339(stored)
        .map(|t| local_moment(t.with_timezone(&Utc), tz))
        .unwrap_or_default()
}
