//! The not-found page: an address under `/dashboard` that names no page, or a call the service
//! has no record of, answers 404 inside the console's layout, with the way back.

use askama::Template;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::Frame;

/// The not-found page.
#[derive(Template, Debug)]
#[template(path = "dashboard/not_found.html")]
pub struct NotFoundPage {
    /// What surrounds the content: navigation, title, the business shown and its zone.
    pub frame: Frame,
    /// What was not found, in a sentence.
    pub what: String,
    /// What may explain it, when something does.
    pub hint: Option<&'static str>,
}

impl NotFoundPage {
    /// No page at this address.
    pub fn no_page(tz: Tz, now: DateTime<Utc>) -> Self {
        Self::saying(
            "There is no page at this address.".to_owned(),
            None,
            tz,
            now,
        )
    }

    /// No record of the call `id`.
    pub fn no_call(id: &str, tz: Tz, now: DateTime<Utc>) -> Self {
        Self::saying(
            format!("There is no record of a call with the id “{id}”."),
            Some(
                "A call is recorded from its first status message or tool call; one that has just started may take a moment to appear.",
            ),
            tz,
            now,
        )
    }

    /// The call `id` has no recording.
    pub fn no_recording(id: &str, tz: Tz, now: DateTime<Utc>) -> Self {
        Self::saying(
            format!("The call “{id}” has no recording."),
            Some(
                "A recording arrives with the call's end-of-call report, when recording is on for the assistant.",
            ),
            tz,
            now,
        )
    }

    fn saying(what: String, hint: Option<&'static str>, tz: Tz, now: DateTime<Utc>) -> Self {
        Self {
            frame: Frame::new("", "Not found", tz, now),
            what,
            hint,
        }
    }
}
