//! An in-process fake of VAPI's assistant API, strict the way the real one is: Bearer auth, and
//! NestJS validation that rejects unknown properties with
//! `400 {"message":["property X should not exist"],"error":"Bad Request","statusCode":400}`.
//! Property lists come from the SDK types (CreateAssistantDto, OpenAIModel, CreateFunctionToolDto,
//! Server, OpenAIFunction, OpenAIFunctionParameters, JsonSchema, ToolMessage*, ToolParameter).
//! Stored assistants get `id`, `orgId`, `createdAt`, `updatedAt` and a few defaults VAPI fills in.
//! It also serves `GET /call` the way VAPI does: a plain array, newest first, filtered by
//! `assistantId` and `createdAtGt`/`createdAtLt`, at most `limit` (default 100, up to 1000), and
//! can be told to answer the next requests with 429 / 5xx and a `Retry-After`; and
//! `GET /call/{id}/mono-recording` as VAPI does: a 302 to a short-lived presigned link on its
//! storage host (a new one on each request), 404 for a call without a recording.

use std::sync::{Arc, Mutex};

use axum::{
    Json, Router,
    extract::{Path, State},
    http::{HeaderMap, Method, StatusCode, Uri},
    response::{IntoResponse, Response},
    routing::get,
};
use secrecy::SecretString;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use vapi_cal::vapi::client::VapiClient;

mod outbound;
mod validation;

pub use validation::validate_assistant;
use validation::*;

pub const VAPI_KEY: &str = "vapi_private_test_key";
/// The private key of a second organisation: it sees its own assistants and numbers only.
pub const OTHER_ORG_KEY: &str = "vapi_private_other_org_key";
/// The organisations of the two keys.
pub const ORG: &str = "11111111-1111-4111-8111-111111111111";
pub const OTHER_ORG: &str = "22222222-2222-4222-8222-222222222222";

/// The organisation whose private key the request carries, if it carries one of the two.
fn org_of(headers: &HeaderMap) -> Option<&'static str> {
    match headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        Some(VAPI_KEY) => Some(ORG),
        Some(OTHER_ORG_KEY) => Some(OTHER_ORG),
        _ => None,
    }
}

/// Whether `item` belongs to the organisation of `headers`' key (an item stored without one is
/// the first organisation's).
fn in_org(item: &Value, headers: &HeaderMap) -> bool {
    org_of(headers).is_some_and(|org| match item["orgId"].as_str() {
        Some(owner) => owner == org,
        None => org == ORG,
    })
}

/// One request the fake received.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub body: Option<Value>,
    /// The query string, if any.
    pub query: Option<String>,
    /// The organisation whose key sent it (`None`: no key of either).
    pub org: Option<&'static str>,
}

#[derive(Default)]
struct FakeState {
    assistants: Vec<Value>,
    phone_numbers: Vec<Value>,
    requests: Vec<Recorded>,
    counter: u64,
    calls: Vec<Value>,
    /// Statuses to answer the next `GET /call` requests with, in order.
    call_failures: Vec<u16>,
    /// Calls with a recording.
    recordings: Vec<String>,
    /// Statuses to answer the next `POST /call` requests with, in order.
    create_failures: Vec<u16>,
    /// Calls placed through `POST /call`.
    placed: Vec<Value>,
}

/// A running fake; it serves until the test's runtime ends.
#[derive(Clone)]
pub struct VapiFake {
    pub url: String,
    state: Arc<Mutex<FakeState>>,
}

impl VapiFake {
    pub async fn spawn() -> Self {
        let state = Arc::new(Mutex::new(FakeState::default()));
        let app = Router::new()
            .route("/assistant", get(list).post(create))
            .route("/assistant/{id}", get(read).patch(update))
            .route("/call", get(list_calls).post(outbound::create_call))
            .route("/call/{id}/mono-recording", get(mono_recording))
            .route(
                "/phone-number/{id}",
                get(read_phone_number).patch(update_phone_number),
            )
            .route("/phone-number", get(list_phone_numbers))
            // A call's live control URL (VAPI serves these on its own hosts; the fake here).
            .route("/control/{id}", axum::routing::post(outbound::control))
            .with_state(state.clone());
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind fake");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { url, state }
    }

    pub fn client(&self) -> VapiClient {
        self.client_with_key(VAPI_KEY)
    }

    pub fn client_with_key(&self, key: &str) -> VapiClient {
        VapiClient::new(
            &self.url,
            SecretString::from(key),
            std::time::Duration::from_secs(5),
        )
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().requests.clone()
    }

    /// POST and PATCH requests.
    pub fn writes(&self) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.method == "POST" || r.method == "PATCH")
            .collect()
    }

    pub fn assistants(&self) -> Vec<Value> {
        self.state.lock().unwrap().assistants.clone()
    }

    /// Stores an assistant as if created elsewhere (e.g. in the dashboard); returns its id.
    pub fn insert(&self, body: Value) -> String {
        let mut state = self.state.lock().unwrap();
        stored(&mut state, body, ORG)
    }

    /// Stores a phone number as bought in the dashboard; returns its id.
    pub fn insert_phone_number(&self, mut body: Value) -> String {
        let mut state = self.state.lock().unwrap();
        state.counter += 1;
        let id = format!("22222222-0000-4000-8000-{:012}", state.counter);
        body["id"] = json!(id);
        body["provider"] = json!("vapi");
        body["orgId"] = json!(ORG);
        state.phone_numbers.push(body);
        id
    }

    pub fn phone_numbers(&self) -> Vec<Value> {
        self.state.lock().unwrap().phone_numbers.clone()
    }

    /// Changes a live assistant behind our back, as a dashboard edit would.
    pub fn edit(&self, id: &str, pointer: &str, value: Value) {
        let mut state = self.state.lock().unwrap();
        let assistant = state
            .assistants
            .iter_mut()
            .find(|a| a["id"] == id)
            .expect("assistant exists");
        *assistant.pointer_mut(pointer).expect("path exists") = value;
    }
}

impl VapiFake {
    /// Stores calls as VAPI would hold them (each needs `id` and `createdAt`).
    pub fn add_calls(&self, calls: Vec<Value>) {
        self.state.lock().unwrap().calls.extend(calls);
    }

    /// The next `GET /call` requests answer these statuses (with `Retry-After: 1`) before
    /// answering normally again.
    pub fn fail_calls_with(&self, statuses: &[u16]) {
        self.state.lock().unwrap().call_failures = statuses.to_vec();
    }

    /// The call `id` has a mono recording.
    pub fn add_recording(&self, id: &str) {
        self.state.lock().unwrap().recordings.push(id.to_owned());
    }

    /// `GET /call` requests received.
    pub fn call_requests(&self) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.path == "/call")
            .collect()
    }
}

/// `GET /call/{id}/mono-recording`: a redirect to a fresh presigned link, signed anew each time.
async fn mono_recording(
    State(state): State<Arc<Mutex<FakeState>>>,
    Path(id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if let Some(refused) = recorded_and_refused(&state, &method, &uri, &headers, None) {
        return refused;
    }
    let mut s = state.lock().unwrap();
    if !s.recordings.contains(&id) {
        return error(
            StatusCode::NOT_FOUND,
            json!("Artifact not found."),
            "Not Found",
        );
    }
    s.counter += 1;
    let link = format!(
        "https://storage.vapi.ai/{id}-mono.wav?X-Amz-Expires=300&X-Amz-Signature=sig{}",
        s.counter
    );
    (StatusCode::FOUND, [(axum::http::header::LOCATION, link)]).into_response()
}

/// Records a request (with its body, if any) and answers 401 when its key is wrong, as VAPI
/// does before anything else.
fn recorded_and_refused(
    state: &Arc<Mutex<FakeState>>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Option<&Value>,
) -> Option<Response> {
    record(state, method, uri, headers, body);
    denied(headers)
}

async fn list_calls(
    State(state): State<Arc<Mutex<FakeState>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if let Some(refused) = recorded_and_refused(&state, &method, &uri, &headers, None) {
        return refused;
    }
    let mut state = state.lock().unwrap();
    if !state.call_failures.is_empty() {
        return refusal(state.call_failures.remove(0));
    }
    let query: Vec<(String, String)> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.replace("%3A", ":")))
        .collect();
    let get = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let limit = match get("limit").map(|l| l.parse::<usize>()) {
        None => 100,
        Some(Ok(l)) if l <= 1000 => l,
        _ => {
            return error(
                StatusCode::BAD_REQUEST,
                json!(["limit must not be greater than 1000"]),
                "Bad Request",
            );
        }
    };
    let created = |c: &Value| c["createdAt"].as_str().unwrap_or("").to_owned();
    let mut calls: Vec<Value> = state
        .calls
        .iter()
        .filter(|c| in_org(c, &headers))
        .filter(|c| get("assistantId").is_none_or(|a| c["assistantId"] == a.as_str()))
        .filter(|c| get("createdAtGt").is_none_or(|t| created(c) > t))
        .filter(|c| get("createdAtLt").is_none_or(|t| created(c) < t))
        .cloned()
        .collect();
    calls.sort_by_key(|c| std::cmp::Reverse(created(c)));
    calls.truncate(limit);
    Json(Value::Array(calls)).into_response()
}

fn stored(state: &mut FakeState, body: Value, org: &str) -> String {
    state.counter += 1;
    let id = format!("00000000-0000-4000-8000-{:012}", state.counter);
    let mut assistant = body;
    let now = "2026-11-21T15:00:00.000Z";
    assistant["id"] = json!(id);
    assistant["orgId"] = json!(org);
    assistant["createdAt"] = json!(now);
    assistant["updatedAt"] = json!(now);
    // VAPI versions assistants: each write makes the next version.
    assistant["latestVersion"] = json!(1);
    add_defaults(&mut assistant);
    state.assistants.push(assistant);
    id
}

/// Defaults the real API fills in for fields a client did not send.
fn add_defaults(assistant: &mut Value) {
    let Some(map) = assistant.as_object_mut() else {
        return;
    };
    map.entry("firstMessageMode")
        .or_insert(json!("assistant-speaks-first"));
    map.entry("backgroundSound").or_insert(json!("office"));
    map.entry("isServerUrlSecretSet").or_insert(json!(false));
    if let Some(model) = map.get_mut("model").and_then(Value::as_object_mut) {
        model.entry("maxTokens").or_insert(json!(250));
        if let Some(tools) = model.get_mut("tools").and_then(Value::as_array_mut) {
            for tool in tools {
                for message in tool
                    .get_mut("messages")
                    .and_then(Value::as_array_mut)
                    .into_iter()
                    .flatten()
                {
                    if let Some(m) = message.as_object_mut() {
                        m.entry("blocking").or_insert(json!(false));
                    }
                }
            }
        }
    }
}

/// A refusal with `status` (429 or 5xx) and `Retry-After: 1`, as VAPI sends under load.
fn refusal(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap();
    let mut response = error(
        status,
        json!("Too many requests, please slow down."),
        status.canonical_reason().unwrap_or("Error"),
    );
    response
        .headers_mut()
        .insert("retry-after", "1".parse().unwrap());
    response
}

fn error(status: StatusCode, messages: Value, error: &str) -> Response {
    (
        status,
        Json(json!({"message": messages, "error": error, "statusCode": status.as_u16()})),
    )
        .into_response()
}

fn record(
    state: &Arc<Mutex<FakeState>>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Option<&Value>,
) {
    state.lock().unwrap().requests.push(Recorded {
        method: method.to_string(),
        path: uri.path().to_owned(),
        body: body.cloned(),
        query: uri.query().map(str::to_owned),
        org: org_of(headers),
    });
}

impl VapiFake {
    /// Attaches a phone number to an assistant, as the dashboard's Phone Numbers page does.
    pub fn attach_phone_number(&self, number: &str, label: &str, assistant_id: &str) {
        self.insert_phone_number(json!({
            "number": number,
            "name": label,
            "assistantId": assistant_id,
            "status": "active",
            "createdAt": "2026-11-21T15:00:00.000Z",
            "updatedAt": "2026-11-21T15:00:00.000Z",
        }));
    }
}

/// `GET /phone-number`: the organization's numbers, as a bare list.
async fn list_phone_numbers(
    State(state): State<Arc<Mutex<FakeState>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    list_all(&state, &method, &uri, &headers, |s| &s.phone_numbers)
}

/// The 401 answer when the Bearer key is wrong or missing.
fn denied(headers: &HeaderMap) -> Option<Response> {
    match org_of(headers) {
        Some(_) => None,
        None => Some(error(
            StatusCode::UNAUTHORIZED,
            json!(
                "Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa."
            ),
            "Unauthorized",
        )),
    }
}

async fn list(
    State(state): State<Arc<Mutex<FakeState>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    list_all(&state, &method, &uri, &headers, |s| &s.assistants)
}

/// Records a list request and answers it as VAPI does: 401 without the key, else a bare array.
fn list_all(
    state: &Arc<Mutex<FakeState>>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    items: impl Fn(&FakeState) -> &Vec<Value>,
) -> Response {
    if let Some(refused) = recorded_and_refused(state, method, uri, headers, None) {
        return refused;
    }
    let state = state.lock().unwrap();
    let mine: Vec<Value> = items(&state)
        .iter()
        .filter(|item| in_org(item, headers))
        .cloned()
        .collect();
    Json(Value::Array(mine)).into_response()
}

async fn read(
    State(state): State<Arc<Mutex<FakeState>>>,
    Path(id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    read_one(&state, &method, &uri, &headers, |s| &s.assistants, &id).unwrap_or_else(not_found)
}

/// Records a read and answers it: 401 without the key, else the stored item with `id` (`None`
/// when there is none, for the caller's own 404).
fn read_one(
    state: &Arc<Mutex<FakeState>>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    items: fn(&FakeState) -> &Vec<Value>,
    id: &str,
) -> Option<Response> {
    if let Some(refused) = recorded_and_refused(state, method, uri, headers, None) {
        return Some(refused);
    }
    let state = state.lock().unwrap();
    items(&state)
        .iter()
        .find(|item| item["id"] == id && in_org(item, headers))
        .map(|item| Json(item.clone()).into_response())
}

fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        json!("Couldn't Get Assistant. `assistant` Not Found."),
        "Not Found",
    )
}

/// Records a write, then refuses it as VAPI would: bad auth, or a body outside the DTO.
fn admit_assistant_write(
    state: &Arc<Mutex<FakeState>>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Value,
) -> Option<Response> {
    if let Some(refused) = recorded_and_refused(state, method, uri, headers, Some(body)) {
        return Some(refused);
    }
    let problems = validate_assistant(body);
    (!problems.is_empty()).then(|| error(StatusCode::BAD_REQUEST, json!(problems), "Bad Request"))
}

async fn create(
    State(state): State<Arc<Mutex<FakeState>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(refused) = admit_assistant_write(&state, &method, &uri, &headers, &body) {
        return refused;
    }
    let mut state = state.lock().unwrap();
    let id = stored(&mut state, body, org_of(&headers).unwrap_or(ORG));
    let created = state
        .assistants
        .iter()
        .find(|a| a["id"] == id.as_str())
        .cloned();
    (StatusCode::CREATED, Json(created)).into_response()
}

async fn update(
    State(state): State<Arc<Mutex<FakeState>>>,
    Path(id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(refused) = admit_assistant_write(&state, &method, &uri, &headers, &body) {
        return refused;
    }
    let mut state = state.lock().unwrap();
    let Some(assistant) = state
        .assistants
        .iter_mut()
        .find(|a| a["id"] == id.as_str() && in_org(a, &headers))
    else {
        return not_found();
    };
    if let (Some(live), Some(patch)) = (assistant.as_object_mut(), body.as_object()) {
        for (key, value) in patch {
            live.insert(key.clone(), value.clone());
        }
        live.insert("updatedAt".into(), json!("2026-11-21T15:05:00.000Z"));
        let next = live
            .get("latestVersion")
            .and_then(Value::as_i64)
            .unwrap_or(0)
            + 1;
        live.insert("latestVersion".into(), json!(next));
    }
    add_defaults(assistant);
    Json(assistant.clone()).into_response()
}
// Phone numbers: `GET` / `PATCH /phone-number/{id}`, validated against `UpdateVapiPhoneNumberDTO`.

const PHONE_NUMBER_UPDATE_KEYS: &[&str] = &[
    "fallbackDestination",
    "hooks",
    "provider",
    "name",
    "assistantId",
    "workflowId",
    "squadId",
    "server",
    "sipUri",
    "authentication",
];

async fn read_phone_number(
    State(state): State<Arc<Mutex<FakeState>>>,
    Path(id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    read_one(&state, &method, &uri, &headers, |s| &s.phone_numbers, &id)
        .unwrap_or_else(phone_number_not_found)
}

fn phone_number_not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        json!("Couldn't Get Phone Number. `phoneNumber` Not Found."),
        "Not Found",
    )
}

async fn update_phone_number(
    State(state): State<Arc<Mutex<FakeState>>>,
    Path(id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Some(refused) = recorded_and_refused(&state, &method, &uri, &headers, Some(&body)) {
        return refused;
    }
    let mut problems = Vec::new();
    match body.as_object() {
        Some(map) => {
            unknown(map, PHONE_NUMBER_UPDATE_KEYS, "", &mut problems);
            if let Some(server) = map.get("server") {
                check_server(server, "server.", &mut problems);
            }
            for key in ["assistantId", "squadId", "workflowId"] {
                if map.get(key).is_some_and(|v| !v.is_null() && !v.is_string()) {
                    problems.push(format!("{key} must be a string"));
                }
            }
        }
        None => problems.push("body must be an object".into()),
    }
    if !problems.is_empty() {
        return error(StatusCode::BAD_REQUEST, json!(problems), "Bad Request");
    }
    let mut state = state.lock().unwrap();
    let Some(number) = state
        .phone_numbers
        .iter_mut()
        .find(|p| p["id"] == id.as_str() && in_org(p, &headers))
    else {
        return phone_number_not_found();
    };
    if let (Some(live), Some(patch)) = (number.as_object_mut(), body.as_object()) {
        for (key, value) in patch {
            live.insert(key.clone(), value.clone());
        }
    }
    Json(number.clone()).into_response()
}
