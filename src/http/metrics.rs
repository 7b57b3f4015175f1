//! `GET /metrics`: the Prometheus text exposition of every metric the service emits.
//!
//! Who reads what:
//! - `METRICS_TOKEN` (`Authorization: Bearer <token>`) or `ADMIN_TOKEN` reads every series;
//!   `?tenant=slug` narrows it to that business's (an unknown slug is 404).
//! - A business's own `admin_tokens` read that business's series only (`tenant="slug"`): never
//!   another's, nor the deployment's as a whole. Asking for another business is 404.
//! - Without `METRICS_TOKEN` the page is open, as Prometheus scrapes usually are on a private
//!   network; a business's token still narrows it to that business.
//!
//! Wrong tokens count towards the client address's limit of failed credentials, as on `/api`.

use axum::{
    extract::{Query, State, rejection::QueryRejection},
    http::{HeaderMap, header},
    response::{IntoResponse, Response},
};
use secrecy::ExposeSecret;
use subtle::ConstantTimeEq;

use crate::{
    app::AppState, dashboard::session::Grant, domain::tenant::TenantSlug, error::ApiError,
    http::throttle::ClientAddress, telemetry,
};

/// The query `/metrics` takes.
#[derive(Debug, Default, serde::Deserialize)]
pub struct MetricsQuery {
    /// Only this business's series.
    tenant: Option<String>,
}

/// Renders the metrics the caller may read.
pub async fn metrics(
    State(state): State<AppState>,
    client: ClientAddress,
    query: Result<Query<MetricsQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let asked = query
        .map_err(|e| ApiError::bad_request("bad_query", e.body_text()))?
        .0
        .tenant;
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if given.is_some() || state.metrics_token.is_some() {
        // An address with too many wrong tokens this minute is refused whatever it sends, so
        // guessing on stays fruitless.
        state.auth_failures.check(client.0)?;
    }
    let tenants = state.tenants.current();
    let is_metrics_token = |given: &str| -> bool {
        state.metrics_token.as_ref().is_some_and(|token| {
            token
                .expose_secret()
                .as_bytes()
                .ct_eq(given.as_bytes())
                .into()
        })
    };
    let operator = given.and_then(|g| tenants.operators().and_then(|access| access.grant(g)));
    let grant = match (given, operator) {
        (_, Some(grant)) => grant,
        (Some(g), None) if is_metrics_token(g) => Grant::Every,
        _ if state.metrics_token.is_none() => Grant::Every,
        _ => {
            state.auth_failures.failed(client.0);
            telemetry::auth_failure("metrics", "wrong_token");
            return Err(ApiError::Unauthorized(
                "GET /metrics needs Authorization: Bearer <METRICS_TOKEN>".to_owned(),
            ));
        }
    };
    // Every business's figures, unless one is asked for or the token is one business's.
    let only: Option<TenantSlug> = match (&grant, asked.as_deref()) {
        (Grant::Every, None) => None,
        (grant, asked) => Some(
            tenants
                .visible(grant, asked)
                .map(|tenant| tenant.slug.clone())
                .ok_or_else(|| ApiError::NotFound("no business with that slug".to_owned()))?,
        ),
    };
    let (open, idle, max) = state.db.pool_use();
    telemetry::db_pool(open, idle, max);
    let rendered = telemetry::metrics_handle().render();
    let body = match &only {
        None => rendered,
        Some(slug) => telemetry::render_for(&rendered, slug),
    };
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
        .into_response())
}
