//! `POST /call` as VAPI answers it: Bearer auth, NestJS validation of the `CreateCallDTO`
//! (property lists from VAPI's OpenAPI: the call, `customer` and `assistantOverrides`), then a
//! `201` call queued for the customer. It can be told to refuse the next creates with 429 or
//! 5xx, as VAPI does under load.

use super::*;

/// Properties of `CreateCallDTO`.
const CREATE_CALL_KEYS: &[&str] = &[
    "assistantVersion",
    "transport",
    "customers",
    "name",
    "schedulePlan",
    "assistantId",
    "assistant",
    "assistantOverrides",
    "squadId",
    "squad",
    "squadOverrides",
    "workflowId",
    "workflow",
    "workflowOverrides",
    "phoneNumberId",
    "phoneNumber",
    "customerId",
    "customer",
];

/// Properties of `CreateCustomerDTO`.
const CUSTOMER_KEYS: &[&str] = &[
    "numberE164CheckEnabled",
    "extension",
    "assistantOverrides",
    "squadOverrides",
    "number",
    "sipUri",
    "name",
    "email",
    "externalId",
];

/// Properties of `AssistantOverrides`.
const OVERRIDES_KEYS: &[&str] = &[
    "transcriber",
    "model",
    "voice",
    "firstMessage",
    "firstMessageInterruptionsEnabled",
    "firstMessageMode",
    "voicemailDetection",
    "clientMessages",
    "serverMessages",
    "maxDurationSeconds",
    "backgroundSound",
    "modelOutputInMessagesEnabled",
    "transportConfigurations",
    "observabilityPlan",
    "credentials",
    "hooks",
    "tools:append",
    "variableValues",
    "name",
    "voicemailMessage",
    "endCallMessage",
    "endCallPhrases",
    "compliancePlan",
    "metadata",
    "backgroundSpeechDenoisingPlan",
    "analysisPlan",
    "artifactPlan",
    "startSpeakingPlan",
    "stopSpeakingPlan",
    "monitorPlan",
    "credentialIds",
    "server",
    "keypadInputPlan",
];

/// The problems VAPI would report for a `POST /call` body.
pub fn validate_call(body: &Value, assistant_known: bool, number_known: bool) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(map) = body.as_object() else {
        return vec!["body must be an object".into()];
    };
    unknown(map, CREATE_CALL_KEYS, "", &mut problems);
    if map
        .get("name")
        .is_some_and(|n| n.as_str().is_none_or(|n| n.chars().count() > 40))
    {
        problems.push("name must be shorter than or equal to 40 characters".into());
    }
    match map.get("customer").and_then(Value::as_object) {
        Some(customer) => {
            unknown(customer, CUSTOMER_KEYS, "customer.", &mut problems);
            let number = customer.get("number").and_then(Value::as_str);
            if !number.is_some_and(|n| (3..=40).contains(&n.len())) {
                problems
                    .push("customer.number must be longer than or equal to 3 characters".into());
            }
            if customer
                .get("name")
                .is_some_and(|n| n.as_str().is_none_or(|n| n.chars().count() > 40))
            {
                problems
                    .push("customer.name must be shorter than or equal to 40 characters".into());
            }
        }
        None => problems.push("customer must be an object".into()),
    }
    if let Some(overrides) = map.get("assistantOverrides") {
        match overrides.as_object() {
            Some(o) => {
                unknown(o, OVERRIDES_KEYS, "assistantOverrides.", &mut problems);
                if o.get("variableValues").is_some_and(|v| !v.is_object()) {
                    problems.push("assistantOverrides.variableValues must be an object".into());
                }
            }
            None => problems.push("assistantOverrides must be an object".into()),
        }
    }
    if !assistant_known {
        problems.push("Couldn't Get Assistant. `assistantId` not found.".into());
    }
    if !number_known {
        problems.push("Couldn't Get Phone Number. `phoneNumberId` not found.".into());
    }
    problems
}

impl VapiFake {
    /// The next `POST /call` requests answer these statuses (with `Retry-After: 1`).
    pub fn refuse_call_creates_with(&self, statuses: &[u16]) {
        self.state.lock().unwrap().create_failures = statuses.to_vec();
    }

    /// Live-control requests received, by call id, in order.
    pub fn control_messages(&self) -> Vec<(String, Value)> {
        self.state
            .lock()
            .unwrap()
            .requests
            .iter()
            .filter_map(|r| {
                let id = r.path.strip_prefix("/control/")?;
                Some((id.to_owned(), r.body.clone().unwrap_or_default()))
            })
            .collect()
    }

    /// Calls placed through `POST /call`, in order.
    pub fn placed_calls(&self) -> Vec<Value> {
        self.state.lock().unwrap().placed.clone()
    }
}

/// `POST /call`.
pub(super) async fn create_call(
    State(state): State<Arc<Mutex<FakeState>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(refused) = recorded_and_refused(&state, &method, &uri, &headers, Some(&body)) {
        return refused;
    }
    let mut s = state.lock().unwrap();
    if !s.create_failures.is_empty() {
        return refusal(s.create_failures.remove(0));
    }
    // Another organisation's assistant or number is unknown to this key.
    let assistant_known = body["assistantId"].as_str().is_some_and(|id| {
        s.assistants
            .iter()
            .any(|a| a["id"] == id && in_org(a, &headers))
    });
    let number_known = body["phoneNumberId"].as_str().is_some_and(|id| {
        s.phone_numbers
            .iter()
            .any(|p| p["id"] == id && in_org(p, &headers))
    });
    let problems = validate_call(&body, assistant_known, number_known);
    if !problems.is_empty() {
        return error(StatusCode::BAD_REQUEST, json!(problems), "Bad Request");
    }
    s.counter += 1;
    let id = format!("33333333-0000-4000-8000-{:012}", s.counter);
    let now = "2026-11-21T15:00:00.000Z";
    let mut call = body.clone();
    call["id"] = json!(id);
    call["orgId"] = json!(org_of(&headers).unwrap_or(super::ORG));
    call["type"] = json!("outboundPhoneCall");
    call["status"] = json!("queued");
    call["createdAt"] = json!(now);
    call["updatedAt"] = json!(now);
    s.placed.push(call.clone());
    s.calls.push(call.clone());
    (StatusCode::CREATED, Json(call)).into_response()
}

/// `POST /control/{id}`: a call's live control. No credential: the URL itself is the call's
/// (as VAPI's is). Only `transfer` and the other documented types are taken.
pub(super) async fn control(
    State(state): State<Arc<Mutex<FakeState>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    record(&state, &method, &uri, &headers, Some(&body));
    let known = ["say", "add-message", "end-call", "transfer", "control"];
    let kind = body["type"].as_str().unwrap_or_default();
    if !known.contains(&kind) {
        return (
            axum::http::StatusCode::BAD_REQUEST,
            Json(serde_json::json!({"message": format!("unknown control type '{kind}'")})),
        )
            .into_response();
    }
    if kind == "transfer"
        && body
            .pointer("/destination/number")
            .and_then(Value::as_str)
            .is_none()
    {
        return (
            axum::http::StatusCode::BAD_REQUEST,
            Json(serde_json::json!({"message": "transfer needs destination.number"})),
        )
            .into_response();
    }
    Json(serde_json::json!({"ok": true})).into_response()
}
