//! Reading request bodies: only after the route has checked what it can from the headers, never
//! more than the route's limit, and never for longer than `HTTP_BODY_TIMEOUT_SECS`.
//!
//! The webhooks read their bodies through [`read`] once the credential in the headers is
//! accepted; every other route gets its (small) body buffered by [`buffer_small`].

use std::time::Duration;

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{HeaderMap, header::CONTENT_LENGTH},
    middleware::Next,
    response::{IntoResponse, Response},
};
use futures_util::StreamExt;

use crate::{app::AppState, error::ApiError};

/// Largest VAPI message accepted (authenticated only): it carries the whole conversation so far.
pub const VAPI_LIMIT: usize = 4 * 1024 * 1024;
/// Largest Cal.com webhook accepted: one booking's payload is a few KB.
pub const CAL_LIMIT: usize = 256 * 1024;
/// Largest body of every other route (the sign-in form is a few dozen bytes).
pub const SMALL_LIMIT: usize = 16 * 1024;

/// Reads `body` whole: 413 when it is (or says it is) over `limit`, 408 when it takes longer
/// than `timeout`, 400 when the connection breaks.
pub async fn read(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    timeout: Duration,
) -> Result<Bytes, ApiError> {
    let too_large = || ApiError::PayloadTooLarge(format!("the body is larger than {limit} bytes"));
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|len| len > limit as u64) {
        return Err(too_large());
    }
    let collect = async {
        let mut stream = body.into_data_stream();
        let mut buffer = Vec::with_capacity(declared.map_or(0, |len| len as usize));
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| {
                ApiError::bad_request(
                    "unreadable_body",
                    format!("the body could not be read: {e}"),
                )
            })?;
            if buffer.len() + chunk.len() > limit {
                return Err(too_large());
            }
            buffer.extend_from_slice(&chunk);
        }
        Ok(Bytes::from(buffer))
    };
    tokio::time::timeout(timeout, collect)
        .await
        .unwrap_or_else(|_| {
            Err(ApiError::RequestTimeout(format!(
                "the body did not arrive within {} s",
                timeout.as_secs()
            )))
        })
}

/// Middleware: buffers the body of a route that takes at most [`SMALL_LIMIT`] bytes, so a slow
/// or oversized body is refused before the handler runs.
pub async fn buffer_small(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    match read(
        &parts.headers,
        body,
        SMALL_LIMIT,
        state.transport.body_timeout,
    )
    .await
    {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(err) => err.into_response(),
    }
}
