//! The `tool_invocations` table: one row per tool call answered.

use chrono::{DateTime, Utc};

use crate::domain::{
    failure::{Failure, FailureKind},
    tenant::TenantSlug,
};

use super::{
    Db, DbError,
    call_records::{FirstSight, insert_first_sightings},
    ts,
};

/// A tool call and what we answered.
#[derive(Debug, Clone)]
pub struct ToolInvocation {
    /// VAPI call id, if the message carried one.
    pub call_id: Option<String>,
    /// The caller's number (E.164) VAPI gave with the tool call: the call's record starts with
    /// it when this is the first the service hears of the call. Not stored with the row.
    pub caller_number: Option<String>,
    /// VAPI tool-call id.
    pub tool_call_id: String,
    /// Tool name as called.
    pub tool: String,
    /// Arguments as received (JSON text).
    pub arguments: String,
    /// The result string, on success.
    pub result: Option<String>,
    /// The error string, on failure.
    pub error: Option<String>,
    /// Whose the failure is and why, on failure.
    pub failure: Option<Failure>,
    /// Time spent answering.
    pub latency_ms: i64,
    /// When the call arrived.
    pub created_at: DateTime<Utc>,
}

/// A tool call that answered with an error.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct FailedToolCall {
    /// The VAPI call it was made in, when known.
    pub call_id: Option<String>,
    /// Tool name as called.
    pub tool: String,
    /// The error string.
    pub error: Option<String>,
    /// `mistake` or `fault` (see [`FailureKind::parse`]).
    pub failure_kind: Option<String>,
    /// When the call arrived (RFC 3339 UTC).
    pub created_at: String,
}

impl FailedToolCall {
    /// Whose the failure is.
    pub fn kind(&self) -> FailureKind {
        FailureKind::parse(self.failure_kind.as_deref())
    }
}

/// Failed tool calls of one tool, kind and cause over a range of time.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct FailureGroup {
    /// Tool name as called.
    pub tool: String,
    /// `mistake` or `fault` (see [`FailureKind::parse`]).
    pub failure_kind: Option<String>,
    /// The cause label; none on rows from before causes were kept.
    pub failure_cause: Option<String>,
    /// How many.
    pub count: i64,
    /// The latest (RFC 3339 UTC).
    pub latest_at: String,
    /// The call of the latest one, when known.
    pub latest_call_id: Option<String>,
    /// The error the latest one answered.
    pub latest_error: Option<String>,
}

impl FailureGroup {
    /// Whose these failures are.
    pub fn kind(&self) -> FailureKind {
        FailureKind::parse(self.failure_kind.as_deref())
    }
}

/// A recorded tool call as an operator sees it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct ToolInvocationRow {
    /// VAPI tool-call id.
    pub tool_call_id: String,
    /// Tool name as called.
    pub tool: String,
    /// Arguments as received (JSON text).
    pub arguments: String,
    /// The result string, on success.
    pub result: Option<String>,
    /// The error string, on failure.
    pub error: Option<String>,
    /// Time spent answering.
    pub latency_ms: i64,
    /// When the call arrived (RFC 3339 UTC).
    pub created_at: String,
}

/// A stored answer: exactly one of result or error.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredAnswer {
    /// The result string, on success.
    pub result: Option<String>,
    /// The error string, on failure.
    pub error: Option<String>,
}

/// Binds one row's twelve values, in the column order of the inserts below.
fn bind_row<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    tenant: &str,
    inv: &ToolInvocation,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    query
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(tenant.to_owned())
        .bind(inv.call_id.clone())
        .bind(inv.tool_call_id.clone())
        .bind(inv.tool.clone())
        .bind(inv.arguments.clone())
        .bind(inv.result.clone())
        .bind(inv.error.clone())
        .bind(inv.failure.map(|f| f.kind.as_str()))
        .bind(inv.failure.map(|f| f.cause))
        .bind(inv.latency_ms)
        .bind(ts(inv.created_at))
}

impl Db {
    /// Records one answered tool call (and its call's record if there is none yet).
    pub async fn record_tool_invocation(&self, inv: &ToolInvocation) -> Result<(), DbError> {
        self.record_tool_invocations(std::slice::from_ref(inv))
            .await
    }

    /// Records many answered tool calls in one transaction (multi-row inserts), with a record for
    /// each call not recorded yet (see [`insert_first_sightings`]): a call whose status messages
    /// never came still has its Call page. This runs off the answer's path, so a tool call never
    /// waits for a call record.
    pub async fn record_tool_invocations(&self, rows: &[ToolInvocation]) -> Result<(), DbError> {
        let mut tx = self.writer().begin().await?;
        insert_tool_rows(&mut tx, self.tenant(), rows).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the rows of several businesses in one transaction, each group under its tenant
    /// (the shared tool-call log writer's batches).
    pub(crate) async fn record_tool_invocations_of(
        &self,
        groups: &[(TenantSlug, Vec<ToolInvocation>)],
    ) -> Result<(), DbError> {
        let mut tx = self.writer().begin().await?;
        for (tenant, rows) in groups {
            insert_tool_rows(&mut tx, tenant, rows).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Inserts `tenant`'s `rows` and the first sightings of their calls, inside `tx`.
async fn insert_tool_rows(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    tenant: &TenantSlug,
    rows: &[ToolInvocation],
) -> Result<(), DbError> {
    {
        let sightings: Vec<FirstSight> = rows
            .iter()
            .filter_map(|inv| {
                Some(FirstSight {
                    vapi_call_id: inv.call_id.clone()?,
                    customer_number: inv.caller_number.clone(),
                    at: inv.created_at,
                })
            })
            .collect();
        insert_first_sightings(tx, tenant, &sightings).await?;
        for chunk in super::ladder_chunks_within(rows, super::WIDE_STATEMENT_PARAMS / 12) {
            let sql = format!(
                "insert into tool_invocations \
                 (id, tenant, call_id, tool_call_id, tool, arguments, result, error, failure_kind, \
                 failure_cause, latency_ms, created_at) values {}",
                super::values_list(chunk.len(), 12)
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for inv in chunk {
                query = bind_row(query, tenant.as_str(), inv);
            }
            query.execute(&mut **tx).await?;
        }
        Ok(())
    }
}

impl Db {
    /// Deletes at most `limit` rows created before `cutoff` (RFC 3339); returns how many.
    pub(crate) async fn delete_tool_invocations_before(
        &self,
        cutoff: &str,
        limit: i64,
    ) -> Result<u64, DbError> {
        let done = sqlx::query(
            r#"delete from tool_invocations where id in
                 (select id from tool_invocations where tenant = $3 and created_at < $1
                  order by created_at limit $2)"#,
        )
        .bind(cutoff.to_owned())
        .bind(limit)
        .bind(self.t())
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected())
    }

    /// Every tool call of a VAPI call with its arguments, answer and latency, oldest first.
    pub async fn call_tool_invocations(
        &self,
        call_id: &str,
    ) -> Result<Vec<ToolInvocationRow>, DbError> {
        self.flush_tool_log().await;
        Ok(sqlx::query_as(
            r#"select tool_call_id, tool, arguments, result, error, latency_ms, created_at
               from tool_invocations where call_id = $1 and tenant = $2 order by created_at, id"#,
        )
        .bind(call_id.to_owned())
        .bind(self.t())
        .fetch_all(self.pool())
        .await?)
    }

    /// Every answer recorded for a call, oldest first (tool, result, error).
    pub async fn tool_invocations_for_call(
        &self,
        call_id: &str,
    ) -> Result<Vec<(String, StoredAnswer)>, DbError> {
        self.flush_tool_log().await;
        let rows: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
            r#"select tool, result, error from tool_invocations
               where call_id = $1 and tenant = $2 order by created_at, id"#,
        )
        .bind(call_id.to_owned())
        .bind(self.t())
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(tool, result, error)| (tool, StoredAnswer { result, error }))
            .collect())
    }

    /// Tool calls that answered with an error at or after `since`, newest first (at most `limit`).
    pub async fn tool_errors_since(
        &self,
        since: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<FailedToolCall>, DbError> {
        self.flush_tool_log().await;
        let sql = format!(
            "select call_id, tool, error, failure_kind, created_at from tool_invocations \
             where error is not null and created_at >= $1 and tenant = $2 \
             order by created_at desc, id desc limit {}",
            limit.max(1)
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(ts(since))
            .bind(self.t())
            .fetch_all(self.pool())
            .await?)
    }

    /// Failed tool calls between `from` and `to`, grouped by tool, kind and cause, most
    /// frequent first, each with its latest occurrence.
    pub async fn failure_groups(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<FailureGroup>, DbError> {
        self.flush_tool_log().await;
        // The latest row of each group is found by its (created_at, id), the newest pair.
        Ok(sqlx::query_as(
            r#"with failed as (
                 select id, call_id, tool, error, failure_kind, failure_cause, created_at
                 from tool_invocations
                 where error is not null and created_at >= $1 and created_at < $2 and tenant = $3
               ),
               grouped as (
                 select tool, failure_kind, failure_cause, count(*) as count,
                        max(created_at) as latest_at
                 from failed group by tool, failure_kind, failure_cause
               )
               select g.tool, g.failure_kind, g.failure_cause, g.count, g.latest_at,
                      (select f.call_id from failed f
                        where f.tool = g.tool
                          and coalesce(f.failure_kind, '') = coalesce(g.failure_kind, '')
                          and coalesce(f.failure_cause, '') = coalesce(g.failure_cause, '')
                        order by f.created_at desc, f.id desc limit 1) as latest_call_id,
                      (select f.error from failed f
                        where f.tool = g.tool
                          and coalesce(f.failure_kind, '') = coalesce(g.failure_kind, '')
                          and coalesce(f.failure_cause, '') = coalesce(g.failure_cause, '')
                        order by f.created_at desc, f.id desc limit 1) as latest_error
               from grouped g
               order by g.count desc, g.latest_at desc, g.tool"#,
        )
        .bind(ts(from))
        .bind(ts(to))
        .bind(self.t())
        .fetch_all(self.pool())
        .await?)
    }
}
