//! Connecting a VAPI phone number so that its inbound calls ask vapi-cal which assistant answers
//! (`assistant-request`), which is how a caller is recognised before the first word.
//!
//! VAPI sends `assistant-request` to the phone number's server URL only when the number has no
//! fixed assistant, squad or workflow, so those are cleared and the server is pointed at us.

use std::fmt;

use anyhow::Context;
use serde_json::{Map, Value};

use crate::{assistant::masked, vapi::client::VapiClient};

/// Fields that, when set on a phone number, make VAPI skip `assistant-request`.
const FIXED_HANDLERS: [&str; 3] = ["assistantId", "squadId", "workflowId"];

/// What connecting the phone number did (or, in a dry run, would do).
#[derive(Debug, Clone)]
pub struct PhoneNumberReport {
    /// VAPI phone number id.
    pub id: String,
    /// The PATCH body, secrets masked; `None` when the number was already connected.
    pub body: Option<Value>,
    /// Nothing was written.
    pub dry_run: bool,
    /// Where the number sends its server messages.
    pub url: String,
}

impl fmt::Display for PhoneNumberReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.body, self.dry_run) {
            (None, _) => writeln!(
                f,
                "Phone number {} already asks {} for its assistant: nothing sent.",
                self.id, self.url
            ),
            (Some(body), dry_run) => writeln!(
                f,
                "{} phone number {} to ask {} for its assistant (assistant-request): PATCH /phone-number/{} {}",
                if dry_run {
                    "Would connect"
                } else {
                    "Connected"
                },
                self.id,
                self.url,
                self.id,
                serde_json::to_string(body).unwrap_or_default()
            ),
        }
    }
}

/// Points phone number `id` at `server` (the assistant's server object) and clears a fixed
/// assistant, squad or workflow on it. Sends nothing when it is already so, or with `dry_run`.
pub async fn connect(
    client: &VapiClient,
    id: &str,
    server: &Value,
    dry_run: bool,
) -> anyhow::Result<PhoneNumberReport> {
    let live = client
        .get_phone_number(id)
        .await
        .with_context(|| format!("could not read VAPI phone number {id}"))?;
    let mut body = Map::new();
    let same_server = ["url", "headers", "timeoutSeconds"]
        .iter()
        .all(|k| live.pointer(&format!("/server/{k}")) == server.get(*k));
    if !same_server {
        body.insert("server".into(), server.clone());
    }
    for field in FIXED_HANDLERS {
        if live.get(field).is_some_and(|v| !v.is_null()) {
            body.insert(field.into(), Value::Null);
        }
    }
    let url = server
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if body.is_empty() {
        return Ok(PhoneNumberReport {
            id: id.to_owned(),
            body: None,
            dry_run,
            url,
        });
    }
    let body = Value::Object(body);
    if !dry_run {
        client
            .update_phone_number(id, &body)
            .await
            .with_context(|| format!("VAPI refused to update phone number {id}"))?;
    }
    Ok(PhoneNumberReport {
        id: id.to_owned(),
        body: Some(masked(&body)),
        dry_run,
        url,
    })
}
