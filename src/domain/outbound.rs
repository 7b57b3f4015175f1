//! Calls the business makes: what each one is for, where it stands, and how it ended, as closed
//! sets with their stored words; and how a VAPI end-of-call report becomes an outcome.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

/// What a call the business makes is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboundKind {
    /// Before an appointment: confirm, move or cancel it.
    Reminder,
    /// After a missed appointment: offer a new time.
    NoShow,
}

impl OutboundKind {
    /// The stored word.
    pub const fn as_str(self) -> &'static str {
        match self {
            OutboundKind::Reminder => "reminder",
            OutboundKind::NoShow => "no_show",
        }
    }

    /// Reads the stored word.
    pub fn parse(word: &str) -> Option<Self> {
        match word {
            "reminder" => Some(OutboundKind::Reminder),
            "no_show" => Some(OutboundKind::NoShow),
            _ => None,
        }
    }

    /// How an operator reads it.
    pub const fn label(self) -> &'static str {
        match self {
            OutboundKind::Reminder => "reminder",
            OutboundKind::NoShow => "no-show follow-up",
        }
    }
}

/// Where one planned call stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboundState {
    /// Waiting for its time.
    Scheduled,
    /// Claimed by one process, which is asking VAPI to place it.
    Placing,
    /// VAPI took it; the outcome comes with the end-of-call report.
    Placed,
    /// The call ended; its outcome is recorded.
    Done,
    /// Not placed, and never will be (the detail says why).
    Skipped,
    /// VAPI refused it, or it could not be placed in time (the detail says why).
    Failed,
}

impl OutboundState {
    /// Every state, in the order a call goes through them.
    pub const ALL: [OutboundState; 6] = [
        OutboundState::Scheduled,
        OutboundState::Placing,
        OutboundState::Placed,
        OutboundState::Done,
        OutboundState::Skipped,
        OutboundState::Failed,
    ];

    /// The states of calls still to come (the "next" lists).
    pub const PENDING: [OutboundState; 2] = [OutboundState::Scheduled, OutboundState::Placing];

    /// The states of calls made or given up (the "latest" lists).
    pub const SETTLED: [OutboundState; 4] = [
        OutboundState::Placed,
        OutboundState::Done,
        OutboundState::Skipped,
        OutboundState::Failed,
    ];

    /// The stored word.
    pub const fn as_str(self) -> &'static str {
        match self {
            OutboundState::Scheduled => "scheduled",
            OutboundState::Placing => "placing",
            OutboundState::Placed => "placed",
            OutboundState::Done => "done",
            OutboundState::Skipped => "skipped",
            OutboundState::Failed => "failed",
        }
    }

    /// Reads the stored word.
    pub fn parse(word: &str) -> Option<Self> {
        OutboundState::ALL.into_iter().find(|s| s.as_str() == word)
    }
}

impl fmt::Display for OutboundState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a placed call ended, for the appointment and the figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboundOutcome {
    /// They will come.
    Confirmed,
    /// They moved the appointment during the call.
    Rescheduled,
    /// They cancelled it during the call.
    Cancelled,
    /// Nobody picked up (or the line was busy).
    NoAnswer,
    /// A voicemail answered; the assistant left its short message.
    Voicemail,
    /// They asked for a person (the call was handed over, or they asked for it).
    AskedForPerson,
    /// They asked not to be called again.
    OptedOut,
    /// They talked, but the call ended without any of the above.
    Answered,
    /// The call failed on VAPI's or the carrier's side.
    Failed,
}

impl OutboundOutcome {
    /// Every outcome.
    pub const ALL: [OutboundOutcome; 9] = [
        OutboundOutcome::Confirmed,
        OutboundOutcome::Rescheduled,
        OutboundOutcome::Cancelled,
        OutboundOutcome::NoAnswer,
        OutboundOutcome::Voicemail,
        OutboundOutcome::AskedForPerson,
        OutboundOutcome::OptedOut,
        OutboundOutcome::Answered,
        OutboundOutcome::Failed,
    ];

    /// The stored word (also the value the reminder assistant's structured data uses, with
    /// spaces for underscores).
    pub const fn as_str(self) -> &'static str {
        match self {
            OutboundOutcome::Confirmed => "confirmed",
            OutboundOutcome::Rescheduled => "rescheduled",
            OutboundOutcome::Cancelled => "cancelled",
            OutboundOutcome::NoAnswer => "no_answer",
            OutboundOutcome::Voicemail => "voicemail",
            OutboundOutcome::AskedForPerson => "asked_for_person",
            OutboundOutcome::OptedOut => "opted_out",
            OutboundOutcome::Answered => "answered",
            OutboundOutcome::Failed => "failed",
        }
    }

    /// Reads a stored word, or the words a model wrote in the structured data (`no answer`,
    /// `asked for a person`), in any case.
    pub fn parse(word: &str) -> Option<Self> {
        let word = word.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        let word = match word.as_str() {
            "asked_for_a_person" => "asked_for_person",
            "asked_not_to_be_called" | "opt_out" => "opted_out",
            "call_failed" => "failed",
            "rescheduled_appointment" | "moved" => "rescheduled",
            "canceled" => "cancelled",
            other => other,
        };
        OutboundOutcome::ALL
            .into_iter()
            .find(|o| o.as_str() == word)
    }

    /// How an operator reads it.
    pub const fn label(self) -> &'static str {
        match self {
            OutboundOutcome::Confirmed => "confirmed",
            OutboundOutcome::Rescheduled => "rescheduled",
            OutboundOutcome::Cancelled => "cancelled",
            OutboundOutcome::NoAnswer => "no answer",
            OutboundOutcome::Voicemail => "voicemail",
            OutboundOutcome::AskedForPerson => "asked for a person",
            OutboundOutcome::OptedOut => "asked not to be called",
            OutboundOutcome::Answered => "answered",
            OutboundOutcome::Failed => "call failed",
        }
    }

    /// Whether the call is worth trying again later (nobody was reached).
    pub const fn retryable(self) -> bool {
        matches!(self, OutboundOutcome::NoAnswer | OutboundOutcome::Voicemail)
    }

    /// The outcome of an ended call: what the call's own tools did to the appointment wins (the
    /// calendar is the truth), then how VAPI says the call ended (nobody answered, a voicemail,
    /// a hand-over), then the outcome the assistant's structured data states.
    pub fn of_report(
        ended_reason: Option<&str>,
        structured_data: Option<&Value>,
        call_changed: Option<OutboundOutcome>,
    ) -> OutboundOutcome {
        if let Some(changed) = call_changed {
            return changed;
        }
        let reason = ended_reason.unwrap_or_default();
        match reason {
            "customer-did-not-answer"
            | "customer-busy"
            | "customer-did-not-give-microphone-permission" => {
                return OutboundOutcome::NoAnswer;
            }
            "voicemail" => return OutboundOutcome::Voicemail,
            "assistant-forwarded-call" => return OutboundOutcome::AskedForPerson,
            _ => {}
        }
        let stated = structured_data
            .and_then(|data| data.get("outcome"))
            .and_then(Value::as_str)
            .and_then(OutboundOutcome::parse);
        if let Some(stated) = stated {
            return stated;
        }
        if reason.contains("error") || reason.contains("failed") || reason.contains("fault") {
            OutboundOutcome::Failed
        } else {
            OutboundOutcome::Answered
        }
    }
}

impl fmt::Display for OutboundOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One call the business plans to make, or made.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboundCall {
    /// What it is for.
    pub kind: OutboundKind,
    /// The appointment it is about.
    pub booking_uid: String,
    /// The appointment's start when the call was planned; a moved appointment gets a call of
    /// its own.
    pub appointment_start: DateTime<Utc>,
    /// How long before the start it was meant to ring (0 for follow-ups).
    pub lead_minutes: i64,
    /// Who is called, E.164.
    pub phone: String,
    /// The name on the booking.
    pub attendee_name: Option<String>,
    /// When it is (or was) to be placed.
    pub due_at: DateTime<Utc>,
    /// Where it stands.
    pub state: OutboundState,
    /// Calls placed for it so far.
    pub attempts: i64,
    /// VAPI's id of the latest call placed.
    pub vapi_call_id: Option<String>,
    /// How the latest call ended.
    pub outcome: Option<OutboundOutcome>,
    /// Why it was skipped or failed, or what happened last.
    pub detail: Option<String>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl OutboundCall {
    /// The row's identity.
    pub fn key(&self) -> OutboundKey {
        OutboundKey {
            kind: self.kind,
            booking_uid: self.booking_uid.clone(),
            appointment_start: self.appointment_start,
            lead_minutes: self.lead_minutes,
        }
    }
}

/// What makes a planned call one of a kind: the appointment, its start, the lead time.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OutboundKey {
    /// What it is for.
    pub kind: OutboundKind,
    /// The appointment.
    pub booking_uid: String,
    /// The appointment's start when planned.
    pub appointment_start: DateTime<Utc>,
    /// The lead time, in minutes.
    pub lead_minutes: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn words_round_trip() {
        for state in OutboundState::ALL {
            assert_eq!(OutboundState::parse(state.as_str()), Some(state));
        }
        for outcome in OutboundOutcome::ALL {
            assert_eq!(OutboundOutcome::parse(outcome.as_str()), Some(outcome));
            assert_eq!(
                OutboundOutcome::parse(outcome.label()),
                Some(outcome),
                "{outcome}"
            );
        }
        assert_eq!(
            OutboundOutcome::parse("No Answer"),
            Some(OutboundOutcome::NoAnswer)
        );
        assert_eq!(
            OutboundOutcome::parse("asked for a person"),
            Some(OutboundOutcome::AskedForPerson)
        );
        assert_eq!(OutboundOutcome::parse("maybe"), None);
    }

    #[test]
    fn what_the_call_did_wins_over_what_the_model_says() {
        let said = json!({"outcome": "confirmed"});
        assert_eq!(
            OutboundOutcome::of_report(
                Some("customer-ended-call"),
                Some(&said),
                Some(OutboundOutcome::Cancelled)
            ),
            OutboundOutcome::Cancelled
        );
        assert_eq!(
            OutboundOutcome::of_report(Some("customer-ended-call"), Some(&said), None),
            OutboundOutcome::Confirmed
        );
        assert_eq!(
            OutboundOutcome::of_report(Some("voicemail"), Some(&said), None),
            OutboundOutcome::Voicemail
        );
        assert_eq!(
            OutboundOutcome::of_report(Some("customer-did-not-answer"), None, None),
            OutboundOutcome::NoAnswer
        );
        assert_eq!(
            OutboundOutcome::of_report(Some("assistant-forwarded-call"), None, None),
            OutboundOutcome::AskedForPerson
        );
        assert_eq!(
            OutboundOutcome::of_report(
                Some("customer-ended-call"),
                Some(&json!({"outcome": 7})),
                None
            ),
            OutboundOutcome::Answered
        );
        assert_eq!(
            OutboundOutcome::of_report(Some("twilio-failed-to-connect-call"), None, None),
            OutboundOutcome::Failed
        );
    }
}
