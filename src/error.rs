//! HTTP errors of our own endpoints: a status and a JSON body that names the problem.
//!
//! Tool failures are not HTTP errors (VAPI ignores non-200 answers); they travel in-band as
//! `results[i].error`. This type is for requests that are malformed or unauthorised.

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::json;

/// An error answer: `{"error":{"code","message"}}` with a status.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed.
    #[error("{message}")]
    BadRequest {
        /// Machine-readable code.
        code: &'static str,
        /// What is wrong, for a person.
        message: String,
    },
    /// Missing or wrong credentials or signature.
    #[error("{0}")]
    Unauthorized(String),
    /// No such thing (or the route is turned off).
    #[error("{0}")]
    NotFound(String),
    /// Something broke on our side; details are logged, not returned.
    #[error("internal error: {0}")]
    Internal(String),
    /// A dependency (the database) is not available.
    #[error("{0}")]
    Unavailable(String),
    /// The body is larger than the route accepts.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The body did not arrive in time.
    #[error("{0}")]
    RequestTimeout(String),
    /// Too many failed attempts from this client; try again after `retry_after_secs`.
    #[error("{message}")]
    TooManyRequests {
        /// Seconds until the client may try again (the `Retry-After` header).
        retry_after_secs: u64,
        /// What happened, for a person.
        message: String,
    },
}

impl ApiError {
    /// A 400 with a code and message.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::BadRequest {
            code,
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = match &self {
            ApiError::BadRequest { code, message } => {
                (StatusCode::BAD_REQUEST, *code, message.clone())
            }
            ApiError::Unauthorized(m) => (StatusCode::UNAUTHORIZED, "unauthorized", m.clone()),
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, "not_found", m.clone()),
            ApiError::Unavailable(m) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable", m.clone()),
            ApiError::PayloadTooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, "too_large", m.clone()),
            ApiError::RequestTimeout(m) => (StatusCode::REQUEST_TIMEOUT, "body_timeout", m.clone()),
            ApiError::TooManyRequests { message, .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_failures",
                message.clone(),
            ),
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "something went wrong on our side".to_owned(),
                )
            }
        };
        let mut response = (
            status,
            Json(json!({ "error": { "code": code, "message": message } })),
        )
            .into_response();
        if let ApiError::TooManyRequests {
            retry_after_secs, ..
        } = self
        {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response
    }
}
