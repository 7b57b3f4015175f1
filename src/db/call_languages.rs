//! The `call_languages` table: the language VAPI detected on each call, read when a tool call
//! names none, so a caller who switched to Spanish is answered in Spanish by every replica.

use chrono::{DateTime, Duration, Utc};

use super::{Db, DbError, ts};

/// How long a call's language is kept: longer than any call.
const KEEP: Duration = Duration::days(2);
/// Old rows pruned per write, so a prune never holds the writer long.
const PRUNE_BATCH: i64 = 100;

impl Db {
    /// Records `language` (a BCP 47 tag) as the call's language from `at` on; old rows of other
    /// calls are pruned on the way.
    pub async fn set_call_language(
        &self,
        call_id: &str,
        language: &str,
        at: DateTime<Utc>,
    ) -> Result<(), DbError> {
        sqlx::query(
            r#"insert into call_languages (tenant, vapi_call_id, language, updated_at) values ($4, $1, $2, $3)
               on conflict (vapi_call_id) do update
               set language = excluded.language, updated_at = excluded.updated_at
               where call_languages.tenant = excluded.tenant"#,
        )
        .bind(call_id.to_owned())
        .bind(language.to_owned())
        .bind(ts(at))
        .bind(self.t())
        .execute(self.writer())
        .await?;
        sqlx::query(
            r#"delete from call_languages where vapi_call_id in
               (select vapi_call_id from call_languages where updated_at < $1 limit $2)"#,
        )
        .bind(ts(at - KEEP))
        .bind(PRUNE_BATCH)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// The language last detected on the call, if any.
    pub async fn call_language(&self, call_id: &str) -> Result<Option<String>, DbError> {
        Ok(sqlx::query_scalar(
            "select language from call_languages where vapi_call_id = $1 and tenant = $2",
        )
        .bind(call_id.to_owned())
        .bind(self.t())
        .fetch_optional(self.pool())
        .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_latest_language_wins_and_old_calls_are_forgotten() {
        let (db, _file) = Db::temp_sqlite().await;
        let t0: DateTime<Utc> = "2026-12-01T10:00:00Z".parse().unwrap();
        assert_eq!(db.call_language("c1").await.unwrap(), None);
        db.set_call_language("c1", "es", t0).await.unwrap();
        assert_eq!(db.call_language("c1").await.unwrap().as_deref(), Some("es"));
        db.set_call_language("c1", "en", t0 + Duration::minutes(1))
            .await
            .unwrap();
        assert_eq!(db.call_language("c1").await.unwrap().as_deref(), Some("en"));
        db.set_call_language("c2", "es", t0 + Duration::days(3))
            .await
            .unwrap();
        assert_eq!(db.call_language("c1").await.unwrap(), None);
        assert_eq!(db.call_language("c2").await.unwrap().as_deref(), Some("es"));
    }
}
