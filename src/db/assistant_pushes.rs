//! The `assistant_pushes` table: what `assistant push` last sent for each of this tenant's
//! assistants, secrets masked, so the next push can see edits made on VAPI since.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{Db, DbError, ts};

impl Db {
    /// What was last pushed for `assistant_id`, if anything.
    pub async fn last_assistant_push(&self, assistant_id: &str) -> Result<Option<Value>, DbError> {
        let body: Option<String> = sqlx::query_scalar(
            "select body from assistant_pushes where tenant = $1 and assistant_id = $2",
        )
        .bind(self.t())
        .bind(assistant_id.to_owned())
        .fetch_optional(self.pool())
        .await?;
        Ok(body.and_then(|b| serde_json::from_str(&b).ok()))
    }

    /// Remembers `body` (secrets masked) as what was pushed for `assistant_id` at `now`.
    pub async fn remember_assistant_push(
        &self,
        assistant_id: &str,
        body: &Value,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        sqlx::query(
            r#"insert into assistant_pushes (tenant, assistant_id, body, pushed_at) values ($1, $2, $3, $4)
               on conflict (tenant, assistant_id) do update set body = excluded.body, pushed_at = excluded.pushed_at"#,
        )
        .bind(self.t())
        .bind(assistant_id.to_owned())
        .bind(body.to_string())
        .bind(ts(now))
        .execute(self.writer())
        .await?;
        Ok(())
    }
}
