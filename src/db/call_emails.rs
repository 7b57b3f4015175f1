//! The `call_emails` table: email addresses a caller gave during a call. On a call without a
//! caller number they are the only proof of which appointments are the caller's.

use chrono::{DateTime, Utc};

use super::{Db, DbError, ts};

impl Db {
    /// Remembers that the caller on `call_id` gave `email` (lower-cased by the caller).
    pub async fn record_call_email(
        &self,
        call_id: &str,
        email: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        sqlx::query(
            r#"insert into call_emails (call_id, email, created_at) values ($1, $2, $3)
               on conflict (call_id, email) do nothing"#,
        )
        .bind(call_id.to_owned())
        .bind(email.to_owned())
        .bind(ts(now))
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// The email addresses given on a call, lower-case.
    pub async fn call_emails(&self, call_id: &str) -> Result<Vec<String>, DbError> {
        Ok(
            sqlx::query_scalar("select email from call_emails where call_id = $1 order by email")
                .bind(call_id.to_owned())
                .fetch_all(self.pool())
                .await?,
        )
    }
}
