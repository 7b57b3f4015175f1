//! The `cal_rate_budget` table: one token-bucket row per Cal.com API key, shared by every replica.
//!
//! The bucket's arithmetic lives with the Cal.com client ([`crate::calcom::budget`]); this module
//! only loads a row and swaps it for a new one when nobody changed it in between (the `version`
//! column), which keeps concurrent replicas from spending the same token twice.

use chrono::{DateTime, Utc};

use super::{Db, DbError, ts};

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

fn parse_instant(text: &str) -> Result<DateTime<Utc>, DbError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| DbError::Sqlx(sqlx::Error::Decode(Box::new(e))))
}

impl Db {
    /// The bucket of `key_hash`, if it exists.
    pub async fn budget_row(&self, key_hash: &str) -> Result<Option<BudgetRow>, DbError> {
        let row: Option<(i64, String, Option<String>, i64)> = sqlx::query_as(
            "select tokens_milli, refilled_at, blocked_until, version from cal_rate_budget where key_hash = $1",
        )
        .bind(key_hash.to_owned())
        .fetch_optional(self.pool())
        .await?;
        row.map(|(tokens_milli, refilled_at, blocked_until, version)| {
            Ok(BudgetRow {
                tokens_milli,
                refilled_at: parse_instant(&refilled_at)?,
                blocked_until: blocked_until.as_deref().map(parse_instant).transpose()?,
                version,
            })
        })
        .transpose()
    }

    /// Creates the bucket unless another replica just did; true when this call created it.
    pub async fn insert_budget_row(
        &self,
        key_hash: &str,
        row: &BudgetRow,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            r#"insert into cal_rate_budget (key_hash, tokens_milli, refilled_at, blocked_until, version)
               values ($1, $2, $3, $4, $5) on conflict (key_hash) do nothing"#,
        )
        .bind(key_hash.to_owned())
        .bind(row.tokens_milli)
        .bind(ts(row.refilled_at))
        .bind(row.blocked_until.map(ts))
        .bind(row.version)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Replaces the bucket with `row` (whose version must be `expected_version + 1`) only if it
    /// still has `expected_version`; false means another replica changed it first.
    pub async fn swap_budget_row(
        &self,
        key_hash: &str,
        expected_version: i64,
        row: &BudgetRow,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            r#"update cal_rate_budget
               set tokens_milli = $1, refilled_at = $2, blocked_until = $3, version = $4
               where key_hash = $5 and version = $6"#,
        )
        .bind(row.tokens_milli)
        .bind(ts(row.refilled_at))
        .bind(row.blocked_until.map(ts))
        .bind(row.version)
        .bind(key_hash.to_owned())
        .bind(expected_version)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
