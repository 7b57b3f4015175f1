//! The application: shared state, the router (assembled here and only here) and the server loop.
//! [`build`] makes the state and the background jobs from the settings, the same way for
//! `serve`, `demo` and the tests.

mod build;
pub mod reload;
mod server;
pub mod tenants;

pub use server::Transport;

pub use build::{
    Jobs, RunningJobs, Service, VAPI_TIMEOUT, build, build_tenants, cal_client, load_tenants_file,
    outbound_calls, retention, shared_budget, vapi_client,
};

use std::{future::Future, time::Duration};

use axum::{
    Router,
    body::Body,
    extract::DefaultBodyLimit,
    http::Request,
    middleware,
    routing::{get, post},
};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::{
    catch_panic::CatchPanicLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    trace::TraceLayer,
};

use crate::{clock::Clock, db::Db, http};

/// How long in-flight requests get to finish at shutdown when the caller names no limit.
pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(15);

/// State every handler can reach: what the deployment shares. What belongs to one business
/// (its Cal.com client, tools, zone, credentials, assistant, scoped database handle) is in
/// [`tenants`], found per request.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database, for what belongs to the deployment (console sessions, health, pool use);
    /// a business's rows are read through its tenant's handle.
    pub db: Db,
    /// Source of "now".
    pub clock: Clock,
    /// Bearer token `GET /metrics` requires, if any.
    pub metrics_token: Option<secrecy::SecretString>,
    /// Operator API (`/api/*`) settings.
    pub operator: OperatorSettings,
    /// Timeouts and the connection cap of the server loop.
    pub transport: Transport,
    /// Failed sign-ins and `/api` tokens per client address.
    pub auth_failures: std::sync::Arc<crate::http::throttle::FailureLimiter>,
    /// Every business served (replaced as a whole when the tenants file is read again).
    pub tenants: std::sync::Arc<tenants::Tenants>,
}

/// Settings of the operator API.
#[derive(Clone, Debug, Default)]
pub struct OperatorSettings {
    /// Success evaluation score counted as a successful call.
    pub success_threshold: f64,
}

/// All routes of the service.
pub fn router(state: AppState) -> Router {
    // The recorder must be in place before the first request records anything.
    crate::telemetry::metrics_handle();
    // Outermost first: every request gets an id (the caller's `x-request-id` when it is a plain
    // token, or a new one), a span carrying it (so every log line of the request names it), and
    // the id on its response.
    let request_ids = ServiceBuilder::new()
        .map_request(drop_unusable_request_id)
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(PropagateRequestIdLayer::x_request_id());
    // The webhooks read their own bodies, after checking the credential in the headers.
    let webhooks = Router::new()
        .route("/vapi/webhook", post(http::vapi::webhook))
        .route("/cal/webhook", post(http::cal::webhook))
        .route("/t/{slug}/vapi/webhook", post(http::vapi::tenant_webhook))
        .route("/t/{slug}/cal/webhook", post(http::cal::tenant_webhook));
    let others = Router::new()
        .route("/healthz", get(http::health::healthz))
        .route("/readyz", get(http::health::readyz))
        .route("/metrics", get(http::metrics::metrics))
        .nest("/api", http::api::routes(state.clone()))
        .route("/dashboard", get(http::dashboard::today))
        .route(
            "/dashboard/appointments",
            get(http::dashboard::appointments),
        )
        .route("/dashboard/calls", get(http::dashboard::calls))
        .route("/dashboard/calls.csv", get(http::dashboard::calls_csv))
        .route(
            "/dashboard/appointments.csv",
            get(http::dashboard::appointments_csv),
        )
        .route("/dashboard/stats.csv", get(http::dashboard::stats_csv))
        .route("/dashboard/calls/{id}", get(http::dashboard::call))
        .route(
            "/dashboard/calls/{id}/recording",
            get(http::dashboard::recording),
        )
        .route("/dashboard/stats", get(http::dashboard::stats))
        .route("/dashboard/failures", get(http::dashboard::failures))
        .route("/dashboard/outbound", get(http::dashboard::outbound))
        .route("/dashboard/events", get(http::dashboard::events))
        .route(
            "/dashboard/sign-in",
            get(http::dashboard::sign_in_form).post(http::dashboard::sign_in),
        )
        .route("/dashboard/sign-out", post(http::dashboard::sign_out))
        .route(
            "/dashboard/business",
            post(http::dashboard::choose_business),
        )
        .route("/dashboard/assets/{name}", get(http::dashboard::asset))
        .route("/dashboard/{*rest}", get(http::dashboard::not_found))
        .route("/favicon.ico", get(http::dashboard::favicon))
        .layer(DefaultBodyLimit::max(http::body::SMALL_LIMIT))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            http::body::buffer_small,
        ));
    webhooks
        .merge(others)
        .layer(middleware::from_fn(http::address::refuse_nul))
        .layer(CatchPanicLayer::new())
        .layer(request_ids)
        .with_state(state)
}

/// Removes an `x-request-id` that is not 1 to 64 of `[A-Za-z0-9._-]`, so a crafted id (a line
/// break, another request's id with text around it) never reaches a log line; the request then
/// gets a new id like any request without one.
fn drop_unusable_request_id(mut request: Request<Body>) -> Request<Body> {
    let usable = request
        .headers()
        .get_all(REQUEST_ID)
        .iter()
        .map(|value| value.as_bytes())
        .collect::<Vec<_>>();
    let keep = matches!(usable.as_slice(), [one] if is_plain_request_id(one));
    if !keep {
        request.headers_mut().remove(REQUEST_ID);
    }
    request
}

/// Whether `id` is 1 to 64 of `[A-Za-z0-9._-]`.
pub fn is_plain_request_id(id: &[u8]) -> bool {
    (1..=64).contains(&id.len())
        && id
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// The request id header.
const REQUEST_ID: &str = "x-request-id";

/// The span of one request: its id, method and path.
fn request_span<B>(request: &Request<B>) -> tracing::Span {
    let id = request
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or_default();
    tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        path = %request.uri().path(),
    )
}

/// Serves the router on `listener` until `shutdown` resolves, then drains in-flight requests
/// for at most [`DEFAULT_SHUTDOWN_GRACE`].
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with_grace(listener, state, shutdown, DEFAULT_SHUTDOWN_GRACE).await
}

/// Serves until `shutdown` resolves, then stops accepting connections and lets in-flight tool
/// calls and webhooks finish (their answers sent, their rows committed) for at most `grace`.
pub async fn serve_with_grace(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> std::io::Result<()> {
    let (stopping_tx, mut stopping) = tokio::sync::watch::channel(false);
    let signal = async move {
        shutdown.await;
        let _ = stopping_tx.send(true);
    };
    let db = state.db.clone();
    let tenants = state.tenants.clone();
    let transport = state.transport.clone();
    let server = server::run(listener, router(state), &transport, signal);
    let deadline = async move {
        if stopping.wait_for(|stop| *stop).await.is_err() {
            // The shutdown future was dropped without resolving: serve forever.
            std::future::pending::<()>().await;
        }
        tokio::time::sleep(grace).await;
    };
    tokio::select! {
        () = server => {
            tracing::info!("in-flight requests finished; stopped");
        }
        () = deadline => {
            tracing::warn!(grace_secs = grace.as_secs_f64(), "in-flight requests still running after the shutdown grace; stopping anyway");
        }
    };
    // Answered calls whose audit rows are still queued get them written before we exit: each
    // business's handle has its own queue.
    db.flush_tool_log().await;
    for tenant in tenants.current().all() {
        tenant.db.flush_tool_log().await;
    }
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sig) => {
                sig.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
