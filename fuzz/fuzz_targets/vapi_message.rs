//! A VAPI server message body, as `POST /vapi/webhook` reads it: the envelope, the call facts and
//! every tool call with its arguments. Nothing may panic, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use vapi_cal::vapi;

fuzz_target!(|data: &[u8]| {
    let Ok(envelope) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let Some(message) = envelope.get("message") else {
        return;
    };
    let _ = vapi::call_info(message);
    for call in vapi::tool_calls(message) {
        let _ = vapi::arguments_object(&call.raw_arguments);
        let _ = vapi::single_line(&call.name);
    }
    if let Some((_, params)) = vapi::function_call(message) {
        let _ = vapi::arguments_object(&params);
    }
});
