//! Everything that speaks VAPI: the server-message wire format we receive and the answers we send.
//!
//! VAPI's payloads vary by age and SDK (arguments as an object or a JSON string, `toolCallList` or
//! only `toolWithToolCallList`), so extraction is lenient and works on `serde_json::Value`.

pub mod auth;
pub mod call_payloads;
pub mod client;
pub mod control;
pub mod message_kind;

pub use message_kind::MessageKind;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::domain::text;

/// One tool call to run.
#[derive(Debug, Clone)]
pub struct ToolCallRequest {
    /// Tool-call id to echo back.
    pub id: String,
    /// Function name.
    pub name: String,
    /// Arguments as an object, or why they could not be read.
    pub arguments: Result<Map<String, Value>, String>,
    /// The arguments exactly as received, for the audit log.
    pub raw_arguments: Value,
}

/// Who is calling and on which call.
#[derive(Debug, Clone, Default)]
pub struct CallInfo {
    /// VAPI call id.
    pub call_id: Option<String>,
    /// The caller's number as VAPI reports it (absent on web calls), not yet checked.
    pub caller_number: Option<String>,
    /// The VAPI phone number the call came in on (absent on web calls).
    pub phone_number_id: Option<String>,
    /// The VAPI assistant on the call, when the message names it.
    pub assistant_id: Option<String>,
}

/// One entry of a tool-calls answer: exactly one of `result` / `error`, both single-line strings.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ToolCallResult {
    /// Echo of the tool-call id.
    pub tool_call_id: String,
    /// Function name.
    pub name: String,
    /// Success payload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// Failure text the assistant can speak.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The answer to a `tool-calls` message.
#[derive(Debug, Clone, Serialize)]
pub struct ToolCallsResponse {
    /// One result per call, in the order of the request.
    pub results: Vec<ToolCallResult>,
}

/// Reads the caller, the call id and the line from a server message. Each is the first
/// non-empty of the places VAPI puts it: an empty `customer.number` does not hide the call's.
pub fn call_info(message: &Value) -> CallInfo {
    let first = |paths: &[&str]| {
        paths
            .iter()
            .filter_map(|path| message.pointer(path).and_then(Value::as_str))
            .map(str::trim)
            .find(|s| !s.is_empty())
            .map(str::to_owned)
    };
    CallInfo {
        call_id: first(&["/call/id"]),
        caller_number: first(&["/customer/number", "/call/customer/number"]),
        phone_number_id: first(&["/phoneNumber/id", "/call/phoneNumberId"]),
        assistant_id: first(&["/assistant/id", "/call/assistantId"]),
    }
}

/// The tool calls of a `tool-calls` message: `toolCallList`, else `toolWithToolCallList[].toolCall`.
pub fn tool_calls(message: &Value) -> Vec<ToolCallRequest> {
    let direct = message.get("toolCallList").and_then(Value::as_array);
    let entries: Vec<&Value> = match direct {
        Some(list) if !list.is_empty() => list.iter().collect(),
        _ => message
            .get("toolWithToolCallList")
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(|t| t.get("toolCall")).collect())
            .unwrap_or_default(),
    };
    entries.into_iter().map(tool_call).collect()
}

fn tool_call(tc: &Value) -> ToolCallRequest {
    let function = tc.get("function");
    let name = function
        .and_then(|f| f.get("name"))
        .or_else(|| tc.get("name"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let raw = function
        .and_then(|f| f.get("arguments").or_else(|| f.get("parameters")))
        .or_else(|| tc.get("arguments"))
        .or_else(|| tc.get("parameters"))
        .cloned()
        .unwrap_or(Value::Null);
    ToolCallRequest {
        id: tc
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        name,
        arguments: arguments_object(&raw),
        raw_arguments: raw,
    }
}

/// Normalises arguments: an object as is, a JSON-encoded string parsed, nothing as `{}`.
pub fn arguments_object(raw: &Value) -> Result<Map<String, Value>, String> {
    match raw {
        Value::Object(map) => Ok(map.clone()),
        Value::Null => Ok(Map::new()),
        Value::String(s) if s.trim().is_empty() => Ok(Map::new()),
        Value::String(s) => {
            match serde_json::from_slice::<Value>(&text::without_nul_escapes(s.as_bytes())) {
                Ok(Value::Object(map)) => Ok(map),
                Ok(_) => Err("the arguments must be a JSON object".to_owned()),
                Err(e) => Err(format!("the arguments are not valid JSON ({e})")),
            }
        }
        _ => Err("the arguments must be a JSON object".to_owned()),
    }
}

/// The legacy `function-call` message: (name, arguments).
pub fn function_call(message: &Value) -> Option<(String, Value)> {
    let fc = message.get("functionCall")?;
    let name = fc
        .get("name")
        .or_else(|| fc.get("functionName"))
        .and_then(Value::as_str)?
        .to_owned();
    Some((name, fc.get("parameters").cloned().unwrap_or(Value::Null)))
}

/// Makes a string safe for VAPI's single-line result rule.
pub fn single_line(text: &str) -> String {
    if !text.contains(['\n', '\r']) {
        return text.to_owned();
    }
    text.split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
