//! VAPI checks: the key, the assistant, where its tools send requests, the credential they send,
//! drift from the repository's definition, and the phone number attached to it.

use secrecy::ExposeSecret;
use serde_json::Value;
use subtle::ConstantTimeEq;

use super::{Check, Options, within};
use crate::{
    assistant::{self, AssistantSpec},
    config::Settings,
    vapi::client::{VapiClient, VapiError},
};

const KEY: (&str, &str) = ("vapi.key", "VAPI API key");
const ASSISTANT: (&str, &str) = ("vapi.assistant", "VAPI assistant");
const SERVER_URL: (&str, &str) = ("vapi.server_url", "VAPI tools' server URL");
const CREDENTIAL: (&str, &str) = ("vapi.credential", "VAPI credential");
const DRIFT: (&str, &str) = ("vapi.drift", "VAPI assistant drift");
const PHONE: (&str, &str) = ("vapi.phone", "VAPI phone number");

const PUSH: &str = "Run `vapi-cal assistant push` (try --dry-run first).";

/// The VAPI checks; without `VAPI_API_KEY` one warning says they were not run.
pub(super) async fn checks(settings: &Settings, options: &Options) -> Vec<Check> {
    let Some(key) = settings.vapi_api_key.clone() else {
        return vec![Check::warn(
            "vapi",
            "VAPI",
            "not checked: VAPI_API_KEY is not set",
            Some(
                "set it to check the assistant, its webhook, its credential and its phone number"
                    .to_owned(),
            ),
        )];
    };
    let limit = options.check_timeout;
    let client = VapiClient::new(&settings.vapi_api_url, key, limit);
    let dependents = [ASSISTANT, SERVER_URL, CREDENTIAL, DRIFT, PHONE];
    let listed = match within(limit, "VAPI", client.list_assistants()).await {
        Ok(Ok(list)) => list,
        failed => {
            let (detail, rejected) = match failed {
                Ok(Err(
                    e @ VapiError::Api {
                        status: 401 | 403, ..
                    },
                )) => (e.to_string(), true),
                Ok(Err(e)) => (e.to_string(), false),
                Err(e) => (e, false),
                Ok(Ok(_)) => (String::new(), false),
            };
            let fix = if rejected {
                "Set VAPI_API_KEY to a private key from the VAPI dashboard (Organization → API Keys).".to_owned()
            } else {
                format!(
                    "Check VAPI_API_URL ({}) and that this host can reach it.",
                    settings.vapi_api_url
                )
            };
            let mut out = vec![Check::fail(KEY.0, KEY.1, detail, fix)];
            out.extend(
                dependents
                    .map(|(id, name)| Check::skipped(id, name, "the VAPI API key check failed")),
            );
            return out;
        }
    };
    let mut out = vec![Check::pass(
        KEY.0,
        KEY.1,
        format!("works ({} assistants)", listed.len()),
    )];
    let name = settings.vapi_assistant_name.trim();
    let live = match find(
        &client,
        &listed,
        settings.vapi_assistant_id.as_deref(),
        name,
        options,
    )
    .await
    {
        Ok(live) => live,
        Err(failed) => {
            out.push(failed);
            out.extend(
                dependents[1..]
                    .iter()
                    .map(|&(id, n)| Check::skipped(id, n, "the assistant was not found")),
            );
            return out;
        }
    };
    let assistant_id = live
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    out.push(Check::pass(
        ASSISTANT.0,
        ASSISTANT.1,
        format!("{name:?} ({assistant_id})"),
    ));
    match AssistantSpec::from_settings(settings).and_then(|spec| Ok((spec.definition()?, spec))) {
        Ok((desired, spec)) => {
            out.push(server_url(&live, &spec.webhook_url()));
            out.push(credential(&live, settings));
            let changes = assistant::diff(&live, &desired);
            out.push(if changes.is_empty() {
                Check::pass(DRIFT.0, DRIFT.1, "the live assistant matches the repository's definition")
            } else {
                let paths: Vec<&str> = changes.iter().take(4).map(|c| c.path.as_str()).collect();
                let more = changes.len().saturating_sub(paths.len());
                Check::fail(
                    DRIFT.0,
                    DRIFT.1,
                    format!(
                        "{} field(s) differ from the repository: {}{}",
                        changes.len(),
                        paths.join(", "),
                        if more > 0 { format!(" and {more} more") } else { String::new() }
                    ),
                    "Run `vapi-cal assistant diff` to see the changes and `vapi-cal assistant push` to apply the repository's version.",
                )
            });
        }
        Err(e) => {
            let because = format!("{e:#}");
            for (id, n) in [SERVER_URL, CREDENTIAL, DRIFT] {
                out.push(Check::skipped(id, n, &because));
            }
        }
    }
    out.push(phone(&client, &assistant_id, options).await);
    out
}

/// The live assistant by `VAPI_ASSISTANT_ID`, else by exact name.
async fn find(
    client: &VapiClient,
    listed: &[Value],
    id: Option<&str>,
    name: &str,
    options: &Options,
) -> Result<Value, Check> {
    let (id_, label) = ASSISTANT;
    if let Some(id) = id.map(str::trim).filter(|s| !s.is_empty()) {
        if let Some(found) = listed
            .iter()
            .find(|a| a.get("id").and_then(Value::as_str) == Some(id))
        {
            return Ok(found.clone());
        }
        return match within(options.check_timeout, "VAPI", client.get_assistant(id)).await {
            Ok(Ok(found)) => Ok(found),
            Ok(Err(e)) => Err(Check::fail(
                id_,
                label,
                format!("assistant {id} (VAPI_ASSISTANT_ID): {e}"),
                "Set VAPI_ASSISTANT_ID to an existing assistant's id, or unset it to find the assistant by VAPI_ASSISTANT_NAME.",
            )),
            Err(e) => Err(Check::fail(
                id_,
                label,
                e,
                "Check that VAPI is up and try again.",
            )),
        };
    }
    let named: Vec<&Value> = listed
        .iter()
        .filter(|a| a.get("name").and_then(Value::as_str) == Some(name))
        .collect();
    match named.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(Check::fail(
            id_,
            label,
            format!("there is no assistant named {name:?} on VAPI"),
            PUSH,
        )),
        several => Err(Check::fail(
            id_,
            label,
            format!("{} assistants are named {name:?}", several.len()),
            "Set VAPI_ASSISTANT_ID to the one vapi-cal should manage.",
        )),
    }
}

/// Every `server` object of the assistant and its tools, with where it sits.
fn servers(live: &Value) -> Vec<(String, Option<&Value>)> {
    let mut out = vec![("the assistant".to_owned(), live.get("server"))];
    for tool in live
        .pointer("/model/tools")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = tool
            .pointer("/function/name")
            .and_then(Value::as_str)
            .unwrap_or("a tool");
        out.push((format!("tool {name}"), tool.get("server")));
    }
    out
}

fn server_url(live: &Value, expected: &str) -> Check {
    let wrong: Vec<String> = servers(live)
        .into_iter()
        .filter_map(|(whose, server)| {
            let url = server.and_then(|s| s.get("url")).and_then(Value::as_str);
            (url != Some(expected)).then(|| format!("{whose} → {}", url.unwrap_or("(none)")))
        })
        .collect();
    if wrong.is_empty() {
        Check::pass(
            SERVER_URL.0,
            SERVER_URL.1,
            format!("the assistant and its tools send to {expected}"),
        )
    } else {
        Check::fail(
            SERVER_URL.0,
            SERVER_URL.1,
            format!("not {expected}: {}", wrong.join(", ")),
            "Set PUBLIC_URL to this service's public URL and run `vapi-cal assistant push`.",
        )
    }
}

fn credential(live: &Value, settings: &Settings) -> Check {
    let Some(secret) = &settings.vapi_webhook_secret else {
        return Check::warn(
            CREDENTIAL.0,
            CREDENTIAL.1,
            "VAPI_WEBHOOK_SECRET is not set, so /vapi/webhook cannot tell VAPI from anyone else",
            Some("set VAPI_WEBHOOK_SECRET and run `vapi-cal assistant push`".to_owned()),
        );
    };
    let expected = format!("Bearer {}", secret.expose_secret());
    let wrong: Vec<String> = servers(live)
        .into_iter()
        .filter(|(_, server)| {
            let sent = server
                .and_then(|s| s.pointer("/headers/Authorization"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            !bool::from(sent.as_bytes().ct_eq(expected.as_bytes()))
        })
        .map(|(whose, _)| whose)
        .collect();
    if wrong.is_empty() {
        Check::pass(
            CREDENTIAL.0,
            CREDENTIAL.1,
            "every request carries VAPI_WEBHOOK_SECRET",
        )
    } else {
        Check::fail(
            CREDENTIAL.0,
            CREDENTIAL.1,
            format!("not sending VAPI_WEBHOOK_SECRET: {}", wrong.join(", ")),
            "Run `vapi-cal assistant push` so VAPI sends the current VAPI_WEBHOOK_SECRET.",
        )
    }
}

async fn phone(client: &VapiClient, assistant_id: &str, options: &Options) -> Check {
    let (id_, name) = PHONE;
    match within(options.check_timeout, "VAPI", client.list_phone_numbers()).await {
        Ok(Ok(numbers)) => {
            let ours: Vec<String> = numbers
                .iter()
                .filter(|n| n.get("assistantId").and_then(Value::as_str) == Some(assistant_id))
                .map(|n| {
                    let number = n
                        .get("number")
                        .and_then(Value::as_str)
                        .unwrap_or("(no number)");
                    match n.get("name").and_then(Value::as_str) {
                        Some(label) => format!("{number} ({label})"),
                        None => number.to_owned(),
                    }
                })
                .collect();
            if ours.is_empty() {
                Check::warn(
                    id_,
                    name,
                    "no phone number is attached to the assistant, so nobody can call it",
                    Some(
                        "attach one in the VAPI dashboard (Phone Numbers → Inbound → Assistant)"
                            .to_owned(),
                    ),
                )
            } else {
                Check::pass(
                    id_,
                    name,
                    format!("callers reach it on {}", ours.join(", ")),
                )
            }
        }
        Ok(Err(e)) => Check::fail(
            id_,
            name,
            format!("could not list phone numbers: {e}"),
            "Check that the VAPI key may read phone numbers.",
        ),
        Err(e) => Check::fail(id_, name, e, "Check that VAPI is up and try again."),
    }
}
