//! The `call_languages` table: the language VAPI detected on each call, read when a tool call
//! names none, so a caller who switched to Spanish is answered in Spanish by every replica.
//!
//! Each change is numbered from the `call_language_version` counter in its own transaction, so
//! the counter's row lock makes the numbers commit in order, and a replica that has seen every
//! change up to a number needs only the ones after it ([`Db::call_language_changes`]).

use chrono::{DateTime, Duration, Utc};

use super::{Backend, Db, DbError, ts};

/// How long a call's language is kept: longer than any call.
const KEEP: Duration = Duration::days(2);
/// Old rows pruned per write, so a prune never holds the writer long.
const PRUNE_BATCH: i64 = 100;

impl Db {
    /// Records `language` (a BCP 47 tag) as the call's language from `at` on and returns the
    /// change's number; old rows of other calls are pruned on the way.
    pub async fn set_call_language(
        &self,
        call_id: &str,
        language: &str,
        at: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        let mut tx = match self.backend() {
            Backend::Sqlite => self.writer().begin_with("begin immediate").await?,
            Backend::Postgres => self.pool().begin().await?,
        };
        let version: i64 = sqlx::query_scalar(
            "update call_language_version set version = version + 1 where id = 1 returning version",
        )
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            r#"insert into call_languages (vapi_call_id, language, updated_at, version, tenant)
               values ($1, $2, $3, $4, $5)
               on conflict (vapi_call_id) do update
               set language = excluded.language, updated_at = excluded.updated_at,
                   version = excluded.version
               where call_languages.tenant = excluded.tenant"#,
        )
        .bind(call_id.to_owned())
        .bind(language.to_owned())
        .bind(ts(at))
        .bind(version)
        .bind(self.t())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        sqlx::query(
            r#"delete from call_languages where vapi_call_id in
               (select vapi_call_id from call_languages where updated_at < $1 limit $2)"#,
        )
        .bind(ts(at - KEEP))
        .bind(PRUNE_BATCH)
        .execute(self.writer())
        .await?;
        Ok(version)
    }

    /// The calls' languages changed after change number `after`, in the order they changed: (call
    /// id, language tag, change number).
    pub async fn call_language_changes(
        &self,
        after: i64,
    ) -> Result<Vec<(String, String, i64)>, DbError> {
        Ok(sqlx::query_as(
            "select vapi_call_id, language, version from call_languages where version > $1 and tenant = $2 order by version",
        )
        .bind(after)
        .bind(self.t())
        .fetch_all(self.pool())
        .await?)
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
        let last = db
            .set_call_language("c2", "es", t0 + Duration::days(3))
            .await
            .unwrap();
        assert_eq!(db.call_language("c1").await.unwrap(), None);
        assert_eq!(db.call_language("c2").await.unwrap().as_deref(), Some("es"));
        // Only what changed after a number is read again.
        assert_eq!(db.call_language_changes(last).await.unwrap(), vec![]);
        assert_eq!(
            db.call_language_changes(last - 1).await.unwrap(),
            vec![("c2".to_owned(), "es".to_owned(), last)]
        );
    }
}
