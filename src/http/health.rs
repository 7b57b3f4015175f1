//! `GET /healthz` (process up) and `GET /readyz` (database reachable).

use axum::{Json, extract::State};
use serde_json::{Value, json};

use crate::{app::AppState, error::ApiError};

/// The process is up.
pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// The database answers.
pub async fn readyz(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    state
        .db
        .ping()
        .await
        .map_err(|e| ApiError::Unavailable(format!("database not reachable: {e}")))?;
    Ok(Json(
        json!({ "status": "ready", "database": format!("{:?}", state.db.backend()).to_lowercase() }),
    ))
}
