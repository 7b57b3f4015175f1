//! Reading VAPI's call lifecycle payloads into [`CallObservation`]s: the server messages
//! (`status-update`, `transcript`, `conversation-update`, `end-of-call-report`, `hang`) and the
//! `Call` objects of `GET /call`.
//!
//! Payloads differ by age: `artifact.*` and `analysis.*` are read first, then the legacy
//! top-level `summary`, `transcript`, `recordingUrl`, `durationSeconds`, `costBreakdown`;
//! `timestamp` is epoch milliseconds or an ISO string.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::MessageKind;
use crate::domain::call::{CallObservation, CallReport, CallStatus, TranscriptLine};

/// The observation a lifecycle message carries, or `None` if it has no call id or says nothing
/// worth keeping (a partial transcript, an unknown status).
pub fn observation(kind: MessageKind, message: &Value) -> Option<CallObservation> {
    let call = message.get("call").unwrap_or(&Value::Null);
    let mut obs = common(message, call)?;
    obs.at = message.get("timestamp").and_then(json_instant);
    match kind {
        MessageKind::StatusUpdate => {
            // The message-level status is current; `call.status` is a stale snapshot.
            let status = message.get("status").and_then(Value::as_str)?;
            obs.ended_reason = text(message, "endedReason");
            obs.status = Some(CallStatus::from_vapi(status, obs.ended_reason.as_deref())?);
            match status {
                "in-progress" => obs.started_at = obs.started_at.or(obs.at),
                "ended" => obs.ended_at = obs.ended_at.or(obs.at),
                _ => {}
            }
        }
        MessageKind::EndOfCallReport => {
            obs.ended_reason = text(message, "endedReason");
            obs.status = Some(CallStatus::ended(obs.ended_reason.as_deref()));
            obs.started_at = time(message, "startedAt").or(obs.started_at);
            obs.ended_at = time(message, "endedAt").or(obs.ended_at);
            obs.report = Some(report(message));
        }
        MessageKind::ConversationUpdate => {
            let messages = message.get("messages").and_then(Value::as_array)?;
            let text = transcript_text(&lines(messages));
            obs.running_transcript = (!text.is_empty()).then_some(text);
        }
        MessageKind::Hang => obs.hang = true,
        MessageKind::Transcript { final_only } => {
            let kind_of = message.get("transcriptType").and_then(Value::as_str);
            if !(kind_of == Some("final") || (final_only && kind_of.is_none())) {
                return None;
            }
            let said = searched(text(message, "transcript")?);
            let role = match message.get("role").and_then(Value::as_str) {
                Some("user") => "user",
                _ => "assistant",
            };
            obs.line = Some(TranscriptLine {
                role: role.to_owned(),
                text: said,
                seconds_from_start: None,
            });
        }
        MessageKind::ToolCalls
        | MessageKind::FunctionCall
        | MessageKind::AssistantRequest
        | MessageKind::SpeechUpdate
        | MessageKind::LanguageChangeDetected
        | MessageKind::Other => return None,
    }
    Some(obs)
}

/// The observation a `Call` object from `GET /call` gives. An ended call carries its report.
pub fn from_call(call: &Value) -> Option<CallObservation> {
    let mut obs = common(call, call)?;
    obs.at = time(call, "updatedAt").or_else(|| time(call, "createdAt"));
    obs.ended_reason = text(call, "endedReason");
    let status = call.get("status").and_then(Value::as_str).unwrap_or("");
    obs.status = CallStatus::from_vapi(status, obs.ended_reason.as_deref());
    obs.started_at = time(call, "startedAt");
    obs.ended_at = time(call, "endedAt");
    if status == "ended" {
        obs.report = Some(report(call));
    }
    Some(obs)
}

/// When a `Call` object was created (the backfill's paging cursor).
pub fn created_at(call: &Value) -> Option<DateTime<Utc>> {
    time(call, "createdAt")
}

/// Fields every source has: call id, assistant, direction, numbers.
fn common(outer: &Value, call: &Value) -> Option<CallObservation> {
    let id = call.get("id").and_then(Value::as_str)?.trim();
    if id.is_empty() {
        return None;
    }
    let direction = match call.get("type").and_then(Value::as_str) {
        Some("inboundPhoneCall") => Some("inbound"),
        Some("outboundPhoneCall") => Some("outbound"),
        Some("webCall" | "vapi.websocketCall") => Some("web"),
        _ => None,
    };
    // The same reading as the tools' (first non-empty, strictly E.164): the number stored for a
    // call is the one its tools took for the caller.
    let customer = [
        outer.pointer("/customer/number"),
        call.pointer("/customer/number"),
    ]
    .into_iter()
    .flatten()
    .filter_map(Value::as_str)
    .find(|n| !n.trim().is_empty())
    .and_then(crate::domain::phone::caller_e164);
    let ours = outer
        .pointer("/phoneNumber/number")
        .or_else(|| call.pointer("/phoneNumber/number"))
        .and_then(Value::as_str)
        .map(|n| crate::domain::phone::to_e164(n).unwrap_or_else(|| n.to_owned()));
    let assistant = call
        .get("assistantId")
        .or_else(|| outer.pointer("/assistant/id"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    // VAPI names the version that served the call on every server message (a string, or a
    // number in older payloads).
    let version = [outer.get("assistantVersion"), call.get("assistantVersion")]
        .into_iter()
        .flatten()
        .find_map(|v| match v {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .map(|v| crate::domain::text::clean_line(&v, 64));
    Some(CallObservation {
        vapi_call_id: id.to_owned(),
        assistant_id: assistant,
        assistant_version: version,
        direction: direction.map(str::to_owned),
        customer_number: customer,
        phone_number: ours,
        started_at: time(call, "startedAt"),
        ..CallObservation::default()
    })
}

/// The report fields of an end-of-call report or an ended `Call`: `artifact.*` and `analysis.*`
/// first, then the legacy top-level fields.
fn report(source: &Value) -> CallReport {
    let artifact = source.get("artifact").unwrap_or(&Value::Null);
    let analysis = source.get("analysis").unwrap_or(&Value::Null);
    let recording = text(artifact, "recordingUrl")
        .or_else(|| {
            artifact
                .pointer("/recording/mono/combinedUrl")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .or_else(|| text(source, "recordingUrl"));
    let messages = artifact
        .get("messages")
        .and_then(Value::as_array)
        .or_else(|| source.get("messages").and_then(Value::as_array));
    let lines = messages.map(|m| lines(m)).unwrap_or_default();
    let transcript = text(artifact, "transcript")
        .or_else(|| text(source, "transcript"))
        .or_else(|| (!lines.is_empty()).then(|| transcript_text(&lines)));
    let duration = source
        .get("durationSeconds")
        .and_then(Value::as_f64)
        .or_else(|| {
            source
                .get("durationMs")
                .and_then(Value::as_f64)
                .map(|ms| ms / 1000.0)
        });
    let breakdown = source
        .get("costs")
        .filter(|c| c.as_array().is_some_and(|a| !a.is_empty()))
        .or_else(|| source.get("costBreakdown").filter(|c| c.is_object()))
        .cloned();
    let evaluation = match analysis.get("successEvaluation") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Some(v @ (Value::Bool(_) | Value::Number(_))) => Some(v.to_string()),
        _ => None,
    };
    CallReport {
        duration_seconds: duration,
        cost: source.get("cost").and_then(Value::as_f64),
        cost_breakdown: breakdown,
        recording_url: recording,
        summary: text(analysis, "summary")
            .or_else(|| text(source, "summary"))
            .map(searched),
        structured_data: analysis
            .get("structuredData")
            .filter(|v| !v.is_null())
            .cloned(),
        success_evaluation: evaluation,
        transcript,
        lines,
        raw: without_presigned(source),
    }
}

/// The user and assistant turns of a VAPI message list (tool and system entries left out).
fn lines(messages: &[Value]) -> Vec<TranscriptLine> {
    messages
        .iter()
        .filter_map(|m| {
            let role = match m.get("role").and_then(Value::as_str)? {
                "bot" | "assistant" => "assistant",
                "user" => "user",
                _ => return None,
            };
            let said = m
                .get("message")
                .or_else(|| m.get("content"))
                .and_then(Value::as_str)?
                .trim();
            (!said.is_empty()).then(|| TranscriptLine {
                role: role.to_owned(),
                text: searched(said.to_owned()),
                seconds_from_start: m.get("secondsFromStart").and_then(Value::as_f64),
            })
        })
        .collect()
}

/// "AI: …\nUser: …\n", the way VAPI writes `artifact.transcript`.
fn transcript_text(lines: &[TranscriptLine]) -> String {
    lines
        .iter()
        .map(|l| {
            let who = if l.role == "user" { "User" } else { "AI" };
            format!("{who}: {}\n", l.text)
        })
        .collect()
}

/// The raw report without presigned URLs: they change on every delivery, so keeping them would
/// make one report look like two and leak short-lived credentials into the database.
fn without_presigned(source: &Value) -> Value {
    let mut raw = source.clone();
    if let Some(artifact) = raw.get_mut("artifact").and_then(Value::as_object_mut) {
        artifact.retain(|k, _| !k.starts_with("presigned"));
    }
    raw
}

/// Characters kept of a text the Calls page searches (a summary, one transcript line). A spoken
/// line is a sentence and a summary a paragraph; PostgreSQL indexes at most 1 MB of words per
/// text and refuses the whole write beyond, which would lose the call's report.
pub const SEARCHED_TEXT_CHARS: usize = 32_768;

/// `text` cut to its first [`SEARCHED_TEXT_CHARS`] characters.
fn searched(mut text: String) -> String {
    if let Some((cut, _)) = text.char_indices().nth(SEARCHED_TEXT_CHARS) {
        text.truncate(cut);
    }
    text
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
}

fn time(v: &Value, key: &str) -> Option<DateTime<Utc>> {
    v.get(key).and_then(json_instant)
}

/// An instant as VAPI writes one: epoch milliseconds (integer or float) or an ISO 8601 string.
pub fn json_instant(v: &Value) -> Option<DateTime<Utc>> {
    match v {
        Value::Number(n) => {
            let ms = n.as_f64()?;
            DateTime::from_timestamp_millis(ms.round() as i64)
        }
        Value::String(s) => DateTime::parse_from_rfc3339(s.trim())
            .ok()
            .map(|t| t.with_timezone(&Utc)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn timestamps_are_epoch_ms_or_iso() {
        let a = json_instant(&json!(1_763_730_000_123_u64)).unwrap();
        let b = json_instant(&json!("2025-11-21T13:00:00.123Z")).unwrap();
        assert_eq!(a, b);
        assert_eq!(json_instant(&json!(1.763730000123e12)).unwrap(), a);
        assert!(json_instant(&json!("yesterday")).is_none());
    }

    #[test]
    fn partial_transcripts_are_not_recorded() {
        let m = json!({"type": "transcript", "role": "user", "transcriptType": "partial", "transcript": "I'd", "call": {"id": "c"}});
        assert!(observation(MessageKind::parse("transcript"), &m).is_none());
        let m = json!({"type": "transcript[transcriptType=\"final\"]", "role": "user", "transcript": "I'd like Tuesday", "call": {"id": "c"}});
        let obs = observation(
            MessageKind::parse("transcript[transcriptType=\"final\"]"),
            &m,
        )
        .unwrap();
        assert_eq!(obs.line.unwrap().text, "I'd like Tuesday");
    }
}
