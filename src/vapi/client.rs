//! A small client for VAPI's REST API (`https://api.vapi.ai`): the assistant endpoints that
//! `vapi-cal assistant push/pull/diff` needs, and `GET /call` for `vapi-cal calls sync`.
//!
//! VAPI's API is NestJS: errors come back as `{"message":[...],"error":"Bad Request","statusCode":400}`
//! (`message` is sometimes a single string); [`VapiError`] turns that into one readable sentence.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use crate::domain::text;

/// What went wrong talking to VAPI.
#[derive(Debug, Clone, thiserror::Error)]
pub enum VapiError {
    /// VAPI answered with an error status.
    #[error("VAPI answered {status} {error}: {message}")]
    Api {
        /// HTTP status.
        status: u16,
        /// Short error name (`Bad Request`, `Unauthorized`, ...).
        error: String,
        /// The validation or error messages, joined with "; ".
        message: String,
    },
    /// No answer within the request timeout.
    #[error("VAPI did not answer within the timeout")]
    Timeout,
    /// The request could not be sent (DNS, connection refused, TLS).
    #[error("VAPI could not be reached: {0}")]
    Unreachable(String),
    /// The answer was not the JSON we expected.
    #[error("VAPI sent an answer we could not read: {0}")]
    Decode(String),
}

impl VapiError {
    /// Whether trying again later may work: VAPI asked us to slow down (429), failed itself
    /// (5xx), or could not be reached in time. A 4xx other than 429 is a refusal.
    pub fn is_retryable(&self) -> bool {
        match self {
            VapiError::Api { status, .. } => *status == 429 || *status >= 500,
            VapiError::Timeout | VapiError::Unreachable(_) => true,
            VapiError::Decode(_) => false,
        }
    }
}

/// VAPI REST client with Bearer authentication.
#[derive(Clone)]
pub struct VapiClient {
    http: reqwest::Client,
    /// The same, but a redirect is an answer: recording downloads answer with one.
    no_redirects: reqwest::Client,
    base_url: String,
    api_key: SecretString,
}

impl std::fmt::Debug for VapiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VapiClient")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl VapiClient {
    /// A client for `base_url` (e.g. `https://api.vapi.ai`) with a per-request timeout.
    pub fn new(base_url: &str, api_key: SecretString, timeout: Duration) -> Self {
        let builder = || {
            reqwest::Client::builder()
                .timeout(timeout)
                .connect_timeout(timeout.min(Duration::from_secs(5)))
                .user_agent(concat!("vapi-cal/", env!("CARGO_PKG_VERSION")))
        };
        let http = builder().build().unwrap_or_default();
        let no_redirects = builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        Self {
            http,
            no_redirects,
            base_url: base_url.trim_end_matches('/').to_owned(),
            api_key,
        }
    }

    /// `GET /assistant`: the organization's assistants (up to 1000).
    pub async fn list_assistants(&self) -> Result<Vec<Value>, VapiError> {
        let value = self
            .send(Method::GET, "/assistant?limit=1000", None)
            .await?;
        match value {
            Value::Array(items) => Ok(items),
            other => Err(VapiError::Decode(format!(
                "GET /assistant returned {} instead of a list",
                kind(&other)
            ))),
        }
    }

    /// `GET /assistant/{id}`.
    pub async fn get_assistant(&self, id: &str) -> Result<Value, VapiError> {
        self.send(Method::GET, &format!("/assistant/{id}"), None)
            .await
    }

    /// `GET /call/{id}/mono-recording`: a fresh, short-lived link to the call's mono recording
    /// (VAPI answers with a redirect to it), or `None` when VAPI has no recording of the call
    /// (404). The stored `recordingUrl` expires; this one is made on asking.
    pub async fn recording_link(&self, call_id: &str) -> Result<Option<String>, VapiError> {
        let path = format!(
            "/call/{}/mono-recording",
            crate::domain::text::percent_encode(call_id)
        );
        let response = self
            .no_redirects
            .get(format!("{}{path}", self.base_url))
            .bearer_auth(self.api_key.expose_secret())
            .send()
            .await
            .map_err(unanswered)?;
        let status = response.status();
        if status == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if status.is_redirection() {
            return match response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
            {
                Some(link) if link.starts_with("https://") || link.starts_with("http://") => {
                    Ok(Some(link.to_owned()))
                }
                _ => Err(VapiError::Decode(format!(
                    "GET {path} answered {status} without a link"
                ))),
            };
        }
        let bytes = response.bytes().await.unwrap_or_default();
        if status.is_success() {
            return Err(VapiError::Decode(format!(
                "GET {path} answered {status} instead of a link"
            )));
        }
        Err(api_error(status, &bytes))
    }

    /// `POST /assistant`: creates an assistant and returns it (with its id).
    pub async fn create_assistant(&self, body: &Value) -> Result<Value, VapiError> {
        self.send(Method::POST, "/assistant", Some(body)).await
    }

    /// `PATCH /assistant/{id}`: replaces the given top-level fields and returns the assistant.
    pub async fn update_assistant(&self, id: &str, body: &Value) -> Result<Value, VapiError> {
        self.send(Method::PATCH, &format!("/assistant/{id}"), Some(body))
            .await
    }

    /// `POST /call`: asks VAPI to place a call (a `CreateCallDTO`) and returns the call, with
    /// its id. One try: the caller decides when to try again (see [`VapiError::is_retryable`]).
    pub async fn create_call(&self, body: &Value) -> Result<Value, VapiError> {
        self.send(Method::POST, "/call", Some(body)).await
    }

    /// `GET /call`: one page of calls (VAPI answers a plain array, newest first). Backs off and
    /// retries on 429 and 5xx, waiting as long as `Retry-After` asks (capped), and on timeouts.
    pub async fn list_calls(&self, query: &CallListQuery) -> Result<Vec<Value>, VapiError> {
        let mut params: Vec<(&str, String)> = vec![("limit", query.limit.min(1000).to_string())];
        if let Some(id) = &query.assistant_id {
            params.push(("assistantId", id.clone()));
        }
        if let Some(t) = query.created_at_gt {
            params.push(("createdAtGt", iso(t)));
        }
        if let Some(t) = query.created_at_lt {
            params.push(("createdAtLt", iso(t)));
        }
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let sent = self
                .http
                .get(format!("{}/call", self.base_url))
                .bearer_auth(self.api_key.expose_secret())
                .query(&params)
                .send()
                .await;
            let wait = match sent {
                Ok(response) => {
                    let status = response.status();
                    let retry_after = retry_after(response.headers());
                    let bytes = response
                        .bytes()
                        .await
                        .map_err(|e| VapiError::Unreachable(without_url(&e)))?;
                    if status.is_success() {
                        return match serde_json::from_slice::<Value>(&text::without_nul_escapes(
                            &bytes,
                        )) {
                            Ok(Value::Array(items)) => Ok(items),
                            Ok(other) => Err(VapiError::Decode(format!(
                                "GET /call returned {} instead of a list",
                                kind(&other)
                            ))),
                            Err(e) => Err(VapiError::Decode(e.to_string())),
                        };
                    }
                    let retryable =
                        status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
                    if !retryable || attempt >= LIST_CALLS_ATTEMPTS {
                        return Err(api_error(status, &bytes));
                    }
                    retry_after.unwrap_or_else(|| backoff(attempt))
                }
                Err(e) if attempt < LIST_CALLS_ATTEMPTS && (e.is_timeout() || e.is_connect()) => {
                    backoff(attempt)
                }
                Err(e) if e.is_timeout() => return Err(VapiError::Timeout),
                Err(e) => return Err(VapiError::Unreachable(without_url(&e))),
            };
            tracing::info!(
                attempt,
                wait_ms = wait.as_millis() as u64,
                "VAPI asked us to slow down; retrying GET /call"
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// `GET /phone-number/{id}`.
    pub async fn get_phone_number(&self, id: &str) -> Result<Value, VapiError> {
        self.send(Method::GET, &format!("/phone-number/{id}"), None)
            .await
    }

    /// `PATCH /phone-number/{id}`: changes the given fields and returns the phone number.
    pub async fn update_phone_number(&self, id: &str, body: &Value) -> Result<Value, VapiError> {
        self.send(Method::PATCH, &format!("/phone-number/{id}"), Some(body))
            .await
    }

    /// `GET /phone-number`: the organization's phone numbers (up to 1000), for `doctor`.
    pub async fn list_phone_numbers(&self) -> Result<Vec<Value>, VapiError> {
        match self
            .send(Method::GET, "/phone-number?limit=1000", None)
            .await?
        {
            Value::Array(items) => Ok(items),
            other => Err(VapiError::Decode(format!(
                "GET /phone-number returned {} instead of a list",
                kind(&other)
            ))),
        }
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, VapiError> {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base_url))
            .bearer_auth(self.api_key.expose_secret());
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(unanswered)?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(unanswered)?;
        if !status.is_success() {
            return Err(api_error(status, &bytes));
        }
        serde_json::from_slice(&text::without_nul_escapes(&bytes))
            .map_err(|e| VapiError::Decode(e.to_string()))
    }
}

/// A request VAPI did not answer: a timeout, or why it could not be sent (without the URL).
fn unanswered(e: reqwest::Error) -> VapiError {
    if e.is_timeout() {
        VapiError::Timeout
    } else {
        VapiError::Unreachable(without_url(&e))
    }
}

/// Tries of one `GET /call` page before giving up.
const LIST_CALLS_ATTEMPTS: u32 = 6;
/// Longest wait between tries, whatever `Retry-After` says.
const MAX_RETRY_WAIT: Duration = Duration::from_secs(60);

/// Filters of `GET /call`.
#[derive(Debug, Clone, Default)]
pub struct CallListQuery {
    /// Only this assistant's calls.
    pub assistant_id: Option<String>,
    /// Page size (VAPI allows up to 1000).
    pub limit: u32,
    /// Calls created after this instant.
    pub created_at_gt: Option<chrono::DateTime<chrono::Utc>>,
    /// Calls created before this instant (the paging cursor).
    pub created_at_lt: Option<chrono::DateTime<chrono::Utc>>,
}

fn iso(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// `Retry-After` in seconds (the form VAPI and its proxies send), capped.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let secs: f64 = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs).min(MAX_RETRY_WAIT))
}

/// 0.5 s, 1 s, 2 s, ... capped.
fn backoff(attempt: u32) -> Duration {
    (Duration::from_millis(500) * 2u32.saturating_pow(attempt.saturating_sub(1).min(10)))
        .min(MAX_RETRY_WAIT)
}

/// Reads VAPI's error body: `message` (array or string), `error`; falls back to the raw text.
fn api_error(status: StatusCode, body: &[u8]) -> VapiError {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let message = match parsed.as_ref().and_then(|v| v.get("message")) {
        Some(Value::Array(items)) => items
            .iter()
            .map(|m| m.as_str().map_or_else(|| m.to_string(), str::to_owned))
            .collect::<Vec<_>>()
            .join("; "),
        Some(Value::String(s)) => s.clone(),
        _ => {
            let text = String::from_utf8_lossy(body).trim().to_owned();
            if text.is_empty() {
                "(no details)".to_owned()
            } else {
                text.chars().take(500).collect()
            }
        }
    };
    let error = parsed
        .as_ref()
        .and_then(|v| v.get("error"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("Error").to_owned());
    VapiError::Api {
        status: status.as_u16(),
        error,
        message,
    }
}

/// The error and its causes (e.g. "connection refused"), with the URL cut to its path.
fn without_url(err: &reqwest::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    if let Some(url) = err.url() {
        text = text.replace(url.as_str(), url.path());
    }
    text
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nest_validation_errors_read_as_one_sentence() {
        let err = api_error(
            StatusCode::BAD_REQUEST,
            br#"{"message":["property foo should not exist","name must be shorter than or equal to 40 characters"],"error":"Bad Request","statusCode":400}"#,
        );
        assert_eq!(
            err.to_string(),
            "VAPI answered 400 Bad Request: property foo should not exist; name must be shorter than or equal to 40 characters"
        );
        let err = api_error(StatusCode::UNAUTHORIZED, b"");
        assert_eq!(
            err.to_string(),
            "VAPI answered 401 Unauthorized: (no details)"
        );
    }
}
