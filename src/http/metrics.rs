//! `GET /metrics`: the Prometheus text exposition of every metric the service emits, optionally
//! behind `METRICS_TOKEN` (`Authorization: Bearer <token>`).

use axum::{
    extract::State,
    http::{HeaderMap, header},
    response::{IntoResponse, Response},
};
use secrecy::ExposeSecret;
use subtle::ConstantTimeEq;

use crate::{app::AppState, error::ApiError, telemetry};

/// Renders the metrics.
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = &state.metrics_token {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        let ok: bool = token
            .expose_secret()
            .as_bytes()
            .ct_eq(given.trim().as_bytes())
            .into();
        if !ok {
            telemetry::auth_failure("metrics", "wrong_token");
            return ApiError::Unauthorized(
                "GET /metrics needs Authorization: Bearer <METRICS_TOKEN>".to_owned(),
            )
            .into_response();
        }
    }
    let (open, idle, max) = state.db.pool_use();
    telemetry::db_pool(open, idle, max);
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        telemetry::metrics_handle().render(),
    )
        .into_response()
}
