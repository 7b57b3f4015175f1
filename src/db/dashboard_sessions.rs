//! The `dashboard_sessions` table: the dashboard sessions that are open. A signed cookie is only
//! half of a session; the other half is its row here, which signing out deletes. A row names the
//! one business the session may see, or none for an operator who may see every business.
//! Sessions belong to the deployment, not to a tenant: these queries read them by id alone.

use chrono::{DateTime, Utc};

use super::{Db, DbError, ts};
use crate::domain::tenant::TenantSlug;

impl Db {
    /// Records a session as open until `expires_at`, for the business `tenant` only (or every
    /// business).
    pub async fn open_dashboard_session(
        &self,
        id: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        tenant: Option<&TenantSlug>,
    ) -> Result<(), DbError> {
        sqlx::query(
            "insert into dashboard_sessions (id, created_at, expires_at, tenant) values ($1, $2, $3, $4)",
        )
        .bind(id.to_owned())
        .bind(ts(now))
        .bind(ts(expires_at))
        .bind(tenant.map(|t| t.as_str().to_owned()))
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// The session, if it is open (recorded, not signed out, not expired) at `now`: the
    /// business it may see (`Some(None)` for every business).
    pub async fn dashboard_session(
        &self,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Option<String>>, DbError> {
        let found: Option<(String, Option<String>)> = sqlx::query_as(
            "select id, tenant from dashboard_sessions where id = $1 and expires_at > $2",
        )
        .bind(id.to_owned())
        .bind(ts(now))
        .fetch_optional(self.pool())
        .await?;
        Ok(found.map(|(_, tenant)| tenant))
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
