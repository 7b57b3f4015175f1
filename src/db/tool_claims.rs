//! The `tool_claims` table: one row per write tool call, taken before any Cal.com request.
//!
//! The primary key (call id, tool-call id) makes the claim atomic on both databases and across
//! replicas: exactly one inserter wins. The winner stores its answer in the row, and everyone
//! else replays it. A claim whose owner died stops being renewed, expires, and may be taken over.

use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

use super::{Db, DbError, ts};
use crate::domain::tenant::TenantSlug;

/// Which tool call a claim is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimKey {
    /// VAPI call id, or empty when the message carried none.
    pub call_key: String,
    /// VAPI tool-call id.
    pub tool_call_id: String,
}

impl ClaimKey {
    /// The key of a tool call: (call id, tool-call id), or the tool-call id alone.
    pub fn new(call_id: Option<&str>, tool_call_id: &str) -> Self {
        Self {
            call_key: call_id.unwrap_or_default().to_owned(),
            tool_call_id: tool_call_id.to_owned(),
        }
    }
}

/// An answer stored with a finished claim: exactly one of result or error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClaimedAnswer {
    /// The result string.
    Result(String),
    /// The error sentence.
    Error(String),
}

/// What trying to claim a tool call found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClaimState {
    /// We hold a fresh claim: run the tool.
    Claimed,
    /// We took over a claim whose owner stopped before answering: the tool may have reached
    /// Cal.com already, so it must look before writing again.
    TakenOver,
    /// Another run holds a live claim: wait for its answer.
    Busy,
    /// The tool call was answered already.
    Done(ClaimedAnswer),
}

/// A claim to mark done with its answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimFinish {
    /// The tool call.
    pub key: ClaimKey,
    /// Who holds the claim: the answer is stored only if it still does.
    pub owner: String,
    /// What the tool call answered.
    pub answer: ClaimedAnswer,
}

/// Stores a claim's answer on a connection, inside whatever transaction it is in. False when the
/// claim was taken over meanwhile (the answer is then not stored).
pub(super) async fn finish_claim_on(
    conn: &mut AnyConnection,
    tenant: &TenantSlug,
    finish: &ClaimFinish,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let (result, error) = match &finish.answer {
        ClaimedAnswer::Result(r) => (Some(r.clone()), None),
        ClaimedAnswer::Error(e) => (None, Some(e.clone())),
    };
    let done = sqlx::query(
        r#"update tool_claims set state = 'done', result = $1, error = $2, finished_at = $3
           where call_key = $4 and tool_call_id = $5 and owner = $6 and state = 'running'
             and tenant = $7"#,
    )
    .bind(result)
    .bind(error)
    .bind(ts(now))
    .bind(finish.key.call_key.clone())
    .bind(finish.key.tool_call_id.clone())
    .bind(finish.owner.clone())
    .bind(tenant.as_str().to_owned())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(sqlx::FromRow)]
struct ClaimRow {
    owner: String,
    state: String,
    result: Option<String>,
    error: Option<String>,
    expires_at: String,
}

impl Db {
    /// Claims a write tool call for `owner` until `expires_at`, or says who has it.
    pub async fn claim_tool_call(
        &self,
        key: &ClaimKey,
        tool: &str,
        owner: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<ClaimState, DbError> {
        let inserted = sqlx::query(
            r#"insert into tool_claims
                 (call_key, tool_call_id, tool, owner, state, takeovers, claimed_at, expires_at, tenant)
               values ($1, $2, $3, $4, 'running', 0, $5, $6, $7)
               on conflict (call_key, tool_call_id) do nothing"#,
        )
        .bind(key.call_key.clone())
        .bind(key.tool_call_id.clone())
        .bind(tool.to_owned())
        .bind(owner.to_owned())
        .bind(ts(now))
        .bind(ts(expires_at))
        .bind(self.t())
        .execute(self.writer())
        .await?;
        if inserted.rows_affected() == 1 {
            return Ok(ClaimState::Claimed);
        }
        let Some(row) = self.claim_row(key).await? else {
            // Deleted between our insert and our read; the caller tries again.
            return Ok(ClaimState::Busy);
        };
        if row.state == "done" {
            return Ok(ClaimState::Done(answer_of(row.result, row.error)));
        }
        if row.expires_at.as_str() >= ts(now).as_str() {
            return Ok(ClaimState::Busy);
        }
        // The owner is gone: take the claim over, unless another replica just did.
        let taken = sqlx::query(
            r#"update tool_claims
               set owner = $1, claimed_at = $2, expires_at = $3, takeovers = takeovers + 1
               where call_key = $4 and tool_call_id = $5 and state = 'running' and owner = $6
                 and tenant = $7"#,
        )
        .bind(owner.to_owned())
        .bind(ts(now))
        .bind(ts(expires_at))
        .bind(key.call_key.clone())
        .bind(key.tool_call_id.clone())
        .bind(row.owner)
        .bind(self.t())
        .execute(self.writer())
        .await?;
        Ok(if taken.rows_affected() == 1 {
            ClaimState::TakenOver
        } else {
            ClaimState::Busy
        })
    }

    /// The stored answer of a claim, once it is done.
    pub async fn claimed_answer(&self, key: &ClaimKey) -> Result<Option<ClaimedAnswer>, DbError> {
        Ok(self
            .claim_row(key)
            .await?
            .filter(|row| row.state == "done")
            .map(|row| answer_of(row.result, row.error)))
    }

    /// Stores the answer of a claim we hold. Returns false if another run took it over meanwhile.
    pub async fn finish_claim(
        &self,
        key: &ClaimKey,
        owner: &str,
        answer: &ClaimedAnswer,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let finish = ClaimFinish {
            key: key.clone(),
            owner: owner.to_owned(),
            answer: answer.clone(),
        };
        let mut conn = self.writer().acquire().await?;
        finish_claim_on(&mut conn, self.tenant(), &finish, now).await
    }

    /// Deletes at most `limit` answered claims finished before `cutoff` (RFC 3339); returns how
    /// many. Claims still running are kept whatever their age.
    pub(crate) async fn delete_finished_claims_before(
        &self,
        cutoff: &str,
        limit: i64,
    ) -> Result<u64, DbError> {
        let done = sqlx::query(
            r#"delete from tool_claims where (call_key, tool_call_id) in
                 (select call_key, tool_call_id from tool_claims
                  where tenant = $3 and state = 'done' and finished_at < $1
                  order by finished_at limit $2)"#,
        )
        .bind(cutoff.to_owned())
        .bind(limit)
        .bind(self.t())
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected())
    }

    /// How many times a claim was taken over from a stopped owner (0 for a claim run once).
    pub async fn claim_takeovers(&self, key: &ClaimKey) -> Result<Option<i64>, DbError> {
        let n: Option<i64> = sqlx::query_scalar(
            "select takeovers from tool_claims where call_key = $1 and tool_call_id = $2 and tenant = $3",
        )
        .bind(key.call_key.clone())
        .bind(key.tool_call_id.clone())
        .bind(self.t())
        .fetch_optional(self.pool())
        .await?;
        Ok(n)
    }

    async fn claim_row(&self, key: &ClaimKey) -> Result<Option<ClaimRow>, DbError> {
        Ok(sqlx::query_as(
            r#"select owner, state, result, error, expires_at from tool_claims
               where call_key = $1 and tool_call_id = $2 and tenant = $3"#,
        )
        .bind(key.call_key.clone())
        .bind(key.tool_call_id.clone())
        .bind(self.t())
        .fetch_optional(self.pool())
        .await?)
    }
}

fn answer_of(result: Option<String>, error: Option<String>) -> ClaimedAnswer {
    match (result, error) {
        (Some(r), _) => ClaimedAnswer::Result(r),
        (None, e) => ClaimedAnswer::Error(e.unwrap_or_default()),
    }
}
