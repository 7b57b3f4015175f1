//! The `sync_runs` table: one row per run of a sync job (the Cal.com bookings reconcile, the VAPI
//! call backfill), so operators can see when each last ran, how it ended and what it did.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use super::{Db, DbError, ts};

/// `kind` of the Cal.com bookings reconcile.
pub const KIND_CAL_BOOKINGS: &str = "cal_bookings";
/// `kind` of the VAPI call backfill.
pub const KIND_VAPI_CALLS: &str = "vapi_calls";

/// One run as stored.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct SyncRun {
    /// Row id.
    pub id: String,
    /// `cal_bookings` or `vapi_calls`.
    pub kind: String,
    /// When it started (RFC 3339 UTC).
    pub started_at: String,
    /// When it finished, unless it is still running.
    pub finished_at: Option<String>,
    /// `running`, `ok` or `error`.
    pub outcome: String,
    /// What it did, as JSON text (e.g. `{"created":3,"updated":1,"unchanged":20}`).
    pub counts: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
}

impl Db {
    /// Records the start of a run; returns its id.
    pub async fn start_sync_run(&self, kind: &str, now: DateTime<Utc>) -> Result<String, DbError> {
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "insert into sync_runs (id, kind, started_at, outcome, tenant) values ($1, $2, $3, 'running', $4)",
        )
        .bind(id.clone())
        .bind(kind.to_owned())
        .bind(ts(now))
        .bind(self.t())
        .execute(self.writer())
        .await?;
        Ok(id)
    }

    /// Records how a run ended: `Ok(counts)` or `Err(error text)`.
    pub async fn finish_sync_run(
        &self,
        id: &str,
        result: Result<&Value, &str>,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let (outcome, counts, error) = match result {
            Ok(counts) => ("ok", Some(counts.to_string()), None),
            Err(e) => ("error", None, Some(e.to_owned())),
        };
        sqlx::query(
            "update sync_runs set finished_at = $1, outcome = $2, counts = $3, error = $4 where id = $5 and tenant = $6",
        )
        .bind(ts(now))
        .bind(outcome)
        .bind(counts)
        .bind(error)
        .bind(id.to_owned())
        .bind(self.t())
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// The most recent run of a kind, finished or not.
    pub async fn last_sync_run(&self, kind: &str) -> Result<Option<SyncRun>, DbError> {
        Ok(sqlx::query_as(
            r#"select id, kind, started_at, finished_at, outcome, counts, error from sync_runs
               where kind = $1 and tenant = $2 order by started_at desc, id desc limit 1"#,
        )
        .bind(kind.to_owned())
        .bind(self.t())
        .fetch_optional(self.pool())
        .await?)
    }

    /// The most recent successful run of a kind.
    pub async fn last_ok_sync_run(&self, kind: &str) -> Result<Option<SyncRun>, DbError> {
        Ok(sqlx::query_as(
            r#"select id, kind, started_at, finished_at, outcome, counts, error from sync_runs
               where kind = $1 and outcome = 'ok' and tenant = $2 order by started_at desc, id desc limit 1"#,
        )
        .bind(kind.to_owned())
        .bind(self.t())
        .fetch_optional(self.pool())
        .await?)
    }
}
