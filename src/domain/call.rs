//! Call records: what one VAPI call looked like (status, times, cost, report, transcript) and the
//! rules that merge what VAPI tells us about it, in whatever order and however often it arrives.
//!
//! VAPI never retries server messages and the call API may be read long after, so every source
//! (status updates, transcripts, end-of-call reports, `GET /call`) becomes a [`CallObservation`]
//! and [`Call::merge`] folds it into the stored row: a late status never moves an ended call
//! backwards, and an older report never replaces a newer one.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

/// Where a call is in its life. VAPI's `ended` becomes one of the final states, read from the
/// ended reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CallStatus {
    /// Scheduled or queued, not ringing yet.
    Initiated,
    /// Ringing.
    Ringing,
    /// Connected.
    InProgress,
    /// Being forwarded.
    Forwarding,
    /// Ended normally.
    Completed,
    /// Ended by an error on the way (VAPI, a provider, the pipeline).
    Failed,
    /// The customer's line was busy.
    Busy,
    /// Nobody answered.
    NoAnswer,
    /// Cancelled before it connected.
    Cancelled,
}

impl CallStatus {
    /// The statuses of a call that has not ended yet.
    pub const LIVE: [CallStatus; 4] = [
        CallStatus::Initiated,
        CallStatus::Ringing,
        CallStatus::InProgress,
        CallStatus::Forwarding,
    ];

    /// The call has not ended yet.
    pub fn is_live(self) -> bool {
        Self::LIVE.contains(&self)
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            CallStatus::Initiated => "initiated",
            CallStatus::Ringing => "ringing",
            CallStatus::InProgress => "in-progress",
            CallStatus::Forwarding => "forwarding",
            CallStatus::Completed => "completed",
            CallStatus::Failed => "failed",
            CallStatus::Busy => "busy",
            CallStatus::NoAnswer => "no-answer",
            CallStatus::Cancelled => "cancelled",
        }
    }

    /// Reads a stored name; unknown text counts as `initiated`.
    pub fn parse(text: &str) -> Self {
        match text {
            "ringing" => CallStatus::Ringing,
            "in-progress" => CallStatus::InProgress,
            "forwarding" => CallStatus::Forwarding,
            "completed" => CallStatus::Completed,
            "failed" => CallStatus::Failed,
            "busy" => CallStatus::Busy,
            "no-answer" => CallStatus::NoAnswer,
            "cancelled" => CallStatus::Cancelled,
            _ => CallStatus::Initiated,
        }
    }

    /// VAPI's status (`scheduled`, `queued`, `ringing`, `in-progress`, `forwarding`, `ended`);
    /// `None` for statuses that say nothing about the call (`not-found`, `deletion-failed`).
    pub fn from_vapi(status: &str, ended_reason: Option<&str>) -> Option<Self> {
        match status {
            "scheduled" | "queued" => Some(CallStatus::Initiated),
            "ringing" => Some(CallStatus::Ringing),
            "in-progress" => Some(CallStatus::InProgress),
            "forwarding" => Some(CallStatus::Forwarding),
            "ended" => Some(Self::ended(ended_reason)),
            _ => None,
        }
    }

    /// The final state an ended reason stands for. VAPI adds reasons often, so this reads their
    /// shape rather than a list: anything not recognised as a failure is a completed call.
    pub fn ended(reason: Option<&str>) -> Self {
        let Some(reason) = reason else {
            return CallStatus::Completed;
        };
        if reason == "customer-busy" || reason.ends_with("-busy") {
            CallStatus::Busy
        } else if reason.contains("did-not-answer") || reason.contains("no-answer") {
            CallStatus::NoAnswer
        } else if reason.contains("cancel") {
            CallStatus::Cancelled
        } else if reason.contains("error") || reason.contains("failed") || reason.contains("fault")
        {
            CallStatus::Failed
        } else {
            CallStatus::Completed
        }
    }

    /// Position in the call's life; a status never moves to a lower rank.
    pub fn rank(self) -> u8 {
        match self {
            CallStatus::Initiated => 0,
            CallStatus::Ringing => 1,
            CallStatus::InProgress => 2,
            CallStatus::Forwarding => 3,
            _ => 4,
        }
    }

    /// Whether the call is over.
    pub fn is_ended(self) -> bool {
        self.rank() == 4
    }
}

/// One final line of the transcript.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TranscriptLine {
    /// `assistant` or `user`.
    pub role: String,
    /// What was said.
    pub text: String,
    /// Seconds from the start of the call, when known.
    pub seconds_from_start: Option<f64>,
}

/// What only a finished call's report carries.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallReport {
    /// Duration in seconds (`endedAt − startedAt`, else the legacy `durationSeconds`).
    pub duration_seconds: Option<f64>,
    /// Total cost in USD.
    pub cost: Option<f64>,
    /// `costs[]` (or the legacy `costBreakdown`).
    pub cost_breakdown: Option<Value>,
    /// A stable recording URL (never a presigned one).
    pub recording_url: Option<String>,
    /// The analysis summary.
    pub summary: Option<String>,
    /// The analysis structured data.
    pub structured_data: Option<Value>,
    /// The success evaluation as VAPI sends it (`"true"`, `"8"`, ...).
    pub success_evaluation: Option<String>,
    /// The whole transcript as text.
    pub transcript: Option<String>,
    /// The transcript line by line (user and assistant turns only).
    pub lines: Vec<TranscriptLine>,
    /// The report as received.
    pub raw: Value,
}

/// One thing VAPI told us about a call.
#[derive(Debug, Clone, Default)]
pub struct CallObservation {
    /// VAPI call id.
    pub vapi_call_id: String,
    /// When VAPI sent it (message `timestamp`, or the call's `updatedAt`).
    pub at: Option<DateTime<Utc>>,
    /// Assistant that took the call.
    pub assistant_id: Option<String>,
    /// The assistant's version that served the call (`assistantVersion`), when VAPI says.
    pub assistant_version: Option<String>,
    /// `inbound`, `outbound` or `web`.
    pub direction: Option<String>,
    /// The customer's number, E.164.
    pub customer_number: Option<String>,
    /// Our number.
    pub phone_number: Option<String>,
    /// Status, if the source states one.
    pub status: Option<CallStatus>,
    /// Why the call ended.
    pub ended_reason: Option<String>,
    /// When it connected.
    pub started_at: Option<DateTime<Utc>>,
    /// When it ended.
    pub ended_at: Option<DateTime<Utc>>,
    /// The final report, if this is one.
    pub report: Option<CallReport>,
    /// The running transcript of a `conversation-update`.
    pub running_transcript: Option<String>,
    /// One final transcript line.
    pub line: Option<TranscriptLine>,
    /// A `hang` notice (the assistant went quiet too long).
    pub hang: bool,
}

/// A stored call.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Call {
    /// VAPI call id.
    pub vapi_call_id: String,
    /// Assistant that took the call.
    pub assistant_id: Option<String>,
    /// The assistant's version that served the call, when VAPI said.
    pub assistant_version: Option<String>,
    /// `inbound`, `outbound` or `web`.
    pub direction: Option<String>,
    /// The customer's number, E.164.
    pub customer_number: Option<String>,
    /// Our number.
    pub phone_number: Option<String>,
    /// Where the call is in its life.
    pub status: CallStatus,
    /// Why it ended (free text).
    pub ended_reason: Option<String>,
    /// When it connected.
    pub started_at: Option<DateTime<Utc>>,
    /// When it ended.
    pub ended_at: Option<DateTime<Utc>>,
    /// Duration in seconds.
    pub duration_seconds: Option<f64>,
    /// Cost in USD.
    pub cost: Option<f64>,
    /// Cost breakdown.
    pub cost_breakdown: Option<Value>,
    /// Recording URL.
    pub recording_url: Option<String>,
    /// Summary.
    pub summary: Option<String>,
    /// Structured data.
    pub structured_data: Option<Value>,
    /// Success evaluation as sent.
    pub success_evaluation: Option<String>,
    /// The success evaluation as a number, when it is one (a score).
    #[serde(skip)]
    pub success_score: Option<f64>,
    /// The full transcript text.
    pub transcript: Option<String>,
    /// The last report applied, as received.
    #[serde(skip)]
    pub last_report: Option<Value>,
    /// When the applied report was sent (orders reports).
    #[serde(skip)]
    pub report_at: Option<DateTime<Utc>>,
    /// When the current status was sent.
    #[serde(skip)]
    pub status_at: Option<DateTime<Utc>>,
    /// How many times the assistant went quiet too long.
    pub hang_count: i64,
    /// The last such time.
    #[serde(skip)]
    pub last_hang_at: Option<DateTime<Utc>>,
    /// Listing order: when the call started, else when we first heard of it.
    #[serde(skip)]
    pub sort_at: DateTime<Utc>,
    /// First recorded.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl Call {
    /// Folds an observation into the stored call (or starts one). Applying the same observation
    /// twice gives the same row; the order of observations does not matter for the final state.
    pub fn merge(current: Option<Call>, obs: &CallObservation, now: DateTime<Utc>) -> Call {
        let mut call = current.unwrap_or_else(|| Call {
            vapi_call_id: obs.vapi_call_id.clone(),
            assistant_id: None,
            assistant_version: None,
            direction: None,
            customer_number: None,
            phone_number: None,
            status: CallStatus::Initiated,
            ended_reason: None,
            started_at: None,
            ended_at: None,
            duration_seconds: None,
            cost: None,
            cost_breakdown: None,
            recording_url: None,
            summary: None,
            structured_data: None,
            success_evaluation: None,
            success_score: None,
            transcript: None,
            last_report: None,
            report_at: None,
            status_at: None,
            hang_count: 0,
            last_hang_at: None,
            sort_at: obs.started_at.or(obs.at).unwrap_or(now),
            created_at: now,
            updated_at: now,
        });
        fill(&mut call.assistant_id, &obs.assistant_id);
        fill(&mut call.assistant_version, &obs.assistant_version);
        fill(&mut call.direction, &obs.direction);
        fill(&mut call.customer_number, &obs.customer_number);
        fill(&mut call.phone_number, &obs.phone_number);

        let report_applies = obs.report.is_some() && report_is_newer(call.report_at, obs.at);
        if report_applies {
            // The report is the most complete account of the call: its times win.
            call.started_at = obs.started_at.or(call.started_at);
            call.ended_at = obs.ended_at.or(call.ended_at);
        } else {
            call.started_at = call.started_at.or(obs.started_at);
            call.ended_at = call.ended_at.or(obs.ended_at);
        }

        if let Some(status) = obs.status {
            if status.rank() > call.status.rank() {
                call.status = status;
                call.status_at = obs.at;
                if status.is_ended() {
                    fill(&mut call.ended_reason, &obs.ended_reason);
                }
            } else if status.is_ended() && call.status.is_ended() {
                // A second "ended" may bring the reason the first lacked; the report's wins.
                if report_applies && obs.ended_reason.is_some() {
                    call.ended_reason.clone_from(&obs.ended_reason);
                } else {
                    fill(&mut call.ended_reason, &obs.ended_reason);
                }
                call.status = CallStatus::ended(call.ended_reason.as_deref());
            }
        }

        if let (true, Some(report)) = (report_applies, &obs.report) {
            call.duration_seconds = match (call.started_at, call.ended_at) {
                (Some(s), Some(e)) if e >= s => Some((e - s).num_milliseconds() as f64 / 1000.0),
                _ => report.duration_seconds.or(call.duration_seconds),
            };
            set(&mut call.cost, report.cost);
            set(&mut call.cost_breakdown, report.cost_breakdown.clone());
            set(&mut call.recording_url, report.recording_url.clone());
            set(&mut call.summary, report.summary.clone());
            set(&mut call.structured_data, report.structured_data.clone());
            set(
                &mut call.success_evaluation,
                report.success_evaluation.clone(),
            );
            call.success_score = call
                .success_evaluation
                .as_deref()
                .and_then(|s| s.trim().parse::<f64>().ok())
                .filter(|v| v.is_finite());
            set(&mut call.transcript, report.transcript.clone());
            call.last_report = Some(report.raw.clone());
            call.report_at = obs.at.or(call.report_at).or(Some(now));
        } else if call.duration_seconds.is_none()
            && let (Some(s), Some(e)) = (call.started_at, call.ended_at)
            && e >= s
        {
            call.duration_seconds = Some((e - s).num_milliseconds() as f64 / 1000.0);
        }

        // A running transcript only stands in until the report brings the final one.
        if call.report_at.is_none()
            && let Some(text) = &obs.running_transcript
        {
            call.transcript = Some(text.clone());
        }

        if obs.hang {
            let fresh = match (call.last_hang_at, obs.at) {
                (Some(last), Some(at)) => at > last,
                _ => true,
            };
            if fresh {
                call.hang_count += 1;
                call.last_hang_at = obs.at.or(call.last_hang_at);
            }
        }

        if let Some(start) = call.started_at {
            call.sort_at = start;
        }
        call
    }

    /// Whether the observation's report would replace the stored one (it is at least as new).
    pub fn report_applies(current: Option<&Call>, obs: &CallObservation) -> bool {
        obs.report.is_some() && report_is_newer(current.and_then(|c| c.report_at), obs.at)
    }

    /// Whether two rows hold the same figures (ignoring when they were written).
    pub fn same_as(&self, other: &Call) -> bool {
        let mut a = self.clone();
        a.updated_at = other.updated_at;
        a.created_at = other.created_at;
        &a == other
    }
}

fn fill<T: Clone>(slot: &mut Option<T>, value: &Option<T>) {
    if slot.is_none() {
        slot.clone_from(value);
    }
}

fn set<T>(slot: &mut Option<T>, value: Option<T>) {
    if value.is_some() {
        *slot = value;
    }
}

/// Whether a report sent at `at` may replace the one sent at `stored`. A report without a time
/// only fills a call that has none.
fn report_is_newer(stored: Option<DateTime<Utc>>, at: Option<DateTime<Utc>>) -> bool {
    match (stored, at) {
        (None, _) => true,
        (Some(s), Some(a)) => a >= s,
        (Some(_), None) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn status(id: &str, s: CallStatus, when: &str) -> CallObservation {
        CallObservation {
            vapi_call_id: id.into(),
            at: Some(at(when)),
            status: Some(s),
            ..CallObservation::default()
        }
    }

    #[test]
    fn ended_reasons_map_to_final_states() {
        assert_eq!(
            CallStatus::ended(Some("customer-ended-call")),
            CallStatus::Completed
        );
        assert_eq!(CallStatus::ended(Some("customer-busy")), CallStatus::Busy);
        assert_eq!(
            CallStatus::ended(Some("customer-did-not-answer")),
            CallStatus::NoAnswer
        );
        assert_eq!(
            CallStatus::ended(Some("manually-canceled")),
            CallStatus::Cancelled
        );
        assert_eq!(
            CallStatus::ended(Some("twilio-failed-to-connect-call")),
            CallStatus::Failed
        );
        assert_eq!(
            CallStatus::ended(Some("pipeline-error-openai-llm-failed")),
            CallStatus::Failed
        );
        assert_eq!(
            CallStatus::ended(Some("a-reason-vapi-added-later")),
            CallStatus::Completed
        );
    }

    #[test]
    fn a_late_status_never_moves_an_ended_call_back() {
        let now = at("2026-11-21T15:00:00Z");
        let ended = CallObservation {
            ended_reason: Some("customer-ended-call".into()),
            ..status("c", CallStatus::Completed, "2026-11-21T14:05:00Z")
        };
        let call = Call::merge(None, &ended, now);
        let call = Call::merge(
            Some(call),
            &status("c", CallStatus::InProgress, "2026-11-21T14:01:00Z"),
            now,
        );
        assert_eq!(call.status, CallStatus::Completed);
        assert_eq!(call.ended_reason.as_deref(), Some("customer-ended-call"));
    }
}
