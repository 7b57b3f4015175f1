//! The `dashboard_sessions` table: the dashboard sessions that are open. A signed cookie is only
//! half of a session; the other half is its row here, which signing out deletes.

use chrono::{DateTime, Utc};

use super::{Db, DbError, ts};

impl Db {
    /// Records a session as open until `expires_at`.
    pub async fn open_dashboard_session(
        &self,
        id: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<(), DbError> {
        sqlx::query(
            "insert into dashboard_sessions (id, created_at, expires_at) values ($1, $2, $3)",
        )
        .bind(id.to_owned())
        .bind(ts(now))
        .bind(ts(expires_at))
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// Whether the session is open (recorded, not signed out, not expired) at `now`.
    pub async fn dashboard_session_open(
        &self,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let found: Option<String> = sqlx::query_scalar(
            "select id from dashboard_sessions where id = $1 and expires_at > $2",
        )
        .bind(id.to_owned())
        .bind(ts(now))
        .fetch_optional(self.pool())
        .await?;
        Ok(found.is_some())
    }

    /// Ends a session (signing out).
    pub async fn close_dashboard_session(&self, id: &str) -> Result<(), DbError> {
        sqlx::query("delete from dashboard_sessions where id = $1")
            .bind(id.to_owned())
            .execute(self.writer())
            .await?;
        Ok(())
    }
}
