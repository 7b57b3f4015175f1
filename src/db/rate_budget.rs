//! The `cal_rate_budget` table: one token-bucket row per Cal.com API key, shared by every replica.
//!
//! The bucket's arithmetic lives with the Cal.com client ([`crate::calcom::budget`]); this module
//! only reads and writes the row inside one transaction holding the row's lock, which keeps
//! concurrent replicas from spending the same token twice.

use chrono::{DateTime, Utc};

use super::{Backend, Db, DbError, ts};

/// A bucket as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetRow {
    /// Tokens left, in thousandths (may be negative: tokens promised to callers already waiting).
    pub tokens_milli: i64,
    /// When `tokens_milli` was last brought up to date.
    pub refilled_at: DateTime<Utc>,
    /// Cal.com asked us to send nothing before this instant.
    pub blocked_until: Option<DateTime<Utc>>,
    /// Bumped by every update.
    pub version: i64,
}

impl Db {
    /// Runs `change` on the bucket of `key_hash` (created as `fresh` if missing) while holding
    /// its row lock, and writes the result back when `change` says so. Replicas queue on the lock
    /// instead of retrying, so a burst costs one short transaction per request.
    pub async fn with_budget_row<T>(
        &self,
        key_hash: &str,
        fresh: &BudgetRow,
        change: impl FnOnce(&mut BudgetRow) -> (bool, T),
    ) -> Result<T, DbError> {
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            r#"insert into cal_rate_budget (key_hash, tokens_milli, refilled_at, blocked_until, version)
               values ($1, $2, $3, $4, 0) on conflict (key_hash) do nothing"#,
        )
        .bind(key_hash.to_owned())
        .bind(fresh.tokens_milli)
        .bind(ts(fresh.refilled_at))
        .bind(fresh.blocked_until.map(ts))
        .execute(&mut *tx)
        .await?;
        // PostgreSQL locks the row until commit; SQLite has one writer at a time anyway.
        let sql = match self.backend() {
            Backend::Postgres => {
                "select tokens_milli, refilled_at, blocked_until, version from cal_rate_budget where key_hash = $1 for update"
            }
            Backend::Sqlite => {
                "select tokens_milli, refilled_at, blocked_until, version from cal_rate_budget where key_hash = $1"
            }
        };
        let (tokens_milli, refilled_at, blocked_until, version): (
            i64,
            String,
            Option<String>,
            i64,
        ) = sqlx::query_as(sql)
            .bind(key_hash.to_owned())
            .fetch_one(&mut *tx)
            .await?;
        let mut row = BudgetRow {
            tokens_milli,
            refilled_at: super::parse_ts(&refilled_at)?,
            blocked_until: blocked_until.as_deref().map(super::parse_ts).transpose()?,
            version,
        };
        let (write, out) = change(&mut row);
        if write {
            sqlx::query(
                r#"update cal_rate_budget
                   set tokens_milli = $1, refilled_at = $2, blocked_until = $3, version = version + 1
                   where key_hash = $4"#,
            )
            .bind(row.tokens_milli)
            .bind(ts(row.refilled_at))
            .bind(row.blocked_until.map(ts))
            .bind(key_hash.to_owned())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(out)
    }
}
