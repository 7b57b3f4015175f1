//! The application: shared state, the router (assembled here and only here) and the server loop.

use std::future::Future;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    routing::{get, post},
};
use tokio::net::TcpListener;
use tower_http::{catch_panic::CatchPanicLayer, trace::TraceLayer};

use crate::{http, tools::ToolContext};

/// Largest request body accepted: VAPI messages carry the whole conversation so far.
const BODY_LIMIT_BYTES: usize = 4 * 1024 * 1024;

/// State every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    /// Everything the tools need (Cal.com client, database, clock, business settings).
    pub tools: ToolContext,
    /// Secrets Cal.com webhooks may be signed with (several during rotation); empty means the
    /// operator explicitly accepts unsigned webhooks.
    pub cal_webhook_secrets: Vec<secrecy::SecretString>,
    /// Who may sign in to `/dashboard` (from `ADMIN_TOKEN`); `None` turns the dashboard off.
    pub dashboard: Option<crate::dashboard::session::Access>,
}

/// All routes of the service.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(http::health::healthz))
        .route("/readyz", get(http::health::readyz))
        .route("/vapi/webhook", post(http::vapi::webhook))
        .route("/cal/webhook", post(http::cal::webhook))
        .route("/dashboard", get(http::dashboard::today))
        .route(
            "/dashboard/appointments",
            get(http::dashboard::appointments),
        )
        .route(
            "/dashboard/sign-in",
            get(http::dashboard::sign_in_form).post(http::dashboard::sign_in),
        )
        .route("/dashboard/sign-out", post(http::dashboard::sign_out))
        .route("/dashboard/assets/{name}", get(http::dashboard::asset))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(CatchPanicLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves the router on `listener` until `shutdown` resolves, then drains in-flight requests.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
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
