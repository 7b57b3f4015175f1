//! `POST /cal/webhook`: signed Cal.com booking webhooks, answered 2xx only after the change is committed.

use axum::{
    Json,
    extract::{Path, Request, State},
};
use serde_json::{Value, json};

use crate::{
    app::{AppState, tenants::Tenant},
    calcom::{
        trigger::Trigger,
        webhook::{self, WebhookError},
    },
    db::appointments::Applied,
    domain::tenant::TenantSlug,
    error::ApiError,
    http::body,
    sync::bookings::{self, DeliveryError},
    telemetry,
};

/// Receives one Cal.com delivery on the shared route, which belongs to the tenant `default`
/// (the only one without a tenants file); without such a tenant it is not found.
pub async fn webhook(
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<Value>, ApiError> {
    let Some(tenant) = state.tenants.current().get(TenantSlug::DEFAULT).cloned() else {
        telemetry::webhook(None, "cal", "unknown", "no_tenant");
        return Err(ApiError::NotFound(
            "no business takes Cal.com webhooks here: use /t/{slug}/cal/webhook".to_owned(),
        ));
    };
    deliver(&state, &tenant, request).await
}

/// Receives one Cal.com delivery for the tenant `slug` (`/t/{slug}/cal/webhook`), signed with
/// one of that tenant's secrets.
pub async fn tenant_webhook(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    request: Request,
) -> Result<Json<Value>, ApiError> {
    let Some(tenant) = state.tenants.current().get(&slug).cloned() else {
        telemetry::webhook(None, "cal", "unknown", "no_tenant");
        return Err(ApiError::NotFound("no business with that slug".to_owned()));
    };
    deliver(&state, &tenant, request).await
}

/// Applies one delivery to `tenant`. A delivery without a usable signature header is refused
/// before its body is read; the body is then read (at most [`body::CAL_LIMIT`]) and verified.
async fn deliver(
    state: &AppState,
    tenant: &Tenant,
    request: Request,
) -> Result<Json<Value>, ApiError> {
    let (parts, raw) = request.into_parts();
    let signature = parts
        .headers
        .get("x-cal-signature-256")
        .and_then(|v| v.to_str().ok());
    webhook::signature_from_header(&tenant.cal_webhook_secrets, signature)
        .map_err(|e| refused(DeliveryError::Rejected(e)))?;
    let body = body::read(
        &parts.headers,
        raw,
        body::CAL_LIMIT,
        state.transport.body_timeout,
    )
    .await?;
    let outcome = bookings::apply_delivery(
        &tenant.db,
        &state.clock,
        &tenant.cal_webhook_secrets,
        signature,
        &body,
    )
    .await
    .map_err(refused)?;
    if outcome.understood && matches!(outcome.applied, Applied::Changed(_)) {
        // A booking changed in Cal.com: open times we remembered may be wrong now.
        tenant.tools.cal.slots_changed();
    }
    let status = match (outcome.applied, outcome.understood) {
        (Applied::Duplicate, _) => "duplicate",
        (Applied::Changed(_), true) => "applied",
        (Applied::Changed(_), false) => {
            tracing::info!(trigger = %outcome.trigger, "Cal.com webhook logged; trigger needs no change");
            "ignored"
        }
    };
    telemetry::webhook(
        Some(&tenant.slug),
        "cal",
        Trigger::label(&outcome.trigger),
        status,
    );
    Ok(Json(
        json!({ "status": status, "trigger": outcome.trigger }),
    ))
}

/// The error answer of a delivery that was not applied, counted by why.
fn refused(err: DeliveryError) -> ApiError {
    match err {
        DeliveryError::Rejected(e @ WebhookError::Unusable(_)) => {
            telemetry::webhook(None, "cal", "unknown", "unusable");
            ApiError::bad_request("unusable_webhook", e.to_string())
        }
        DeliveryError::Rejected(e) => {
            tracing::warn!(error = %e, "Cal.com webhook refused");
            telemetry::auth_failure(
                "cal",
                match e {
                    WebhookError::MissingSignature => "missing",
                    WebhookError::NoSecretProvided => "no_secret_provided",
                    _ => "bad_signature",
                },
            );
            telemetry::webhook(None, "cal", "unknown", "unauthorized");
            ApiError::Unauthorized(e.to_string())
        }
        DeliveryError::Database(e) => {
            telemetry::webhook(None, "cal", "unknown", "failed");
            ApiError::Internal(e.to_string())
        }
    }
}
