//! Retention of everything that grows per call: call records (with their transcript lines and
//! appointment links), transcripts, the email proofs of calls without a number, Cal.com webhook
//! deliveries, sync runs, the tool-call log, hand-overs and waitlist rows, and expired dashboard
//! sessions. Each is pruned by age in small batches, so a prune never holds the writer long.
//! Appointments are kept: they are the business's calendar, not a log.
//!
//! Retention is each tenant's: a handle prunes only its own tenant's rows, by that tenant's ages
//! (a business may keep calls longer than another), reading nothing but ids and instants.
//! Console sessions are the deployment's and are pruned on their own.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{Db, DbError, ts};
use crate::domain::tenant::TenantSlug;

/// Rows deleted per statement at most.
const BATCH: i64 = 500;
/// How often the retention jobs run (each also runs once at start).
const EVERY: Duration = Duration::from_secs(3600);

// Each delete takes the cutoff as `$1`, a batch size as `$2` and the tenant as `$3`.

/// One-time codes and email proofs of calls without a number, sent before the cutoff.
const DELETE_EMAIL_PROOFS: &str = r#"delete from email_proofs where id in
    (select id from email_proofs where tenant = $3 and sent_at < $1 limit $2)"#;
/// Webhook deliveries received before the cutoff.
const DELETE_WEBHOOK_EVENTS: &str = r#"delete from cal_webhook_events where id in
    (select id from cal_webhook_events where tenant = $3 and received_at < $1 limit $2)"#;
/// Sync runs started before the cutoff; the latest run of each kind and outcome stays, since it
/// says when a job last ran and last succeeded.
const DELETE_SYNC_RUNS: &str = r#"delete from sync_runs where id in
    (select s.id from sync_runs s where s.tenant = $3 and s.started_at < $1
       and s.started_at < (select max(t.started_at) from sync_runs t
                            where t.tenant = s.tenant and t.kind = s.kind and t.outcome = s.outcome)
     limit $2)"#;

/// Hand-overs of calls last changed before the cutoff (kept as long as call records).
const DELETE_HAND_OVERS: &str = r#"delete from call_hand_overs where tenant = $3 and vapi_call_id in
    (select vapi_call_id from call_hand_overs where tenant = $3 and updated_at < $1 limit $2)"#;
/// Waitlist offers of times before the cutoff (kept as long as call records), then the times
/// themselves, then entries no longer waiting.
const DELETE_WAITLIST_OFFERS: &str = r#"delete from waitlist_offers where tenant = $3 and slot_start < $1
    and entry_id in (select entry_id from waitlist_offers where tenant = $3 and slot_start < $1 limit $2)"#;
const DELETE_WAITLIST_OPENINGS: &str = r#"delete from waitlist_openings where tenant = $3 and slot_start in
    (select slot_start from waitlist_openings where tenant = $3 and slot_start < $1 limit $2)"#;
const DELETE_WAITLIST_ENTRIES: &str = r#"delete from waitlist_entries where id in
    (select id from waitlist_entries where tenant = $3 and state <> 'waiting' and updated_at < $1 limit $2)"#;
/// Console sessions that expired before `$1`, `$2` at a time (the deployment's, not a tenant's).
const DELETE_SESSIONS: &str = r#"delete from dashboard_sessions where id in
    (select id from dashboard_sessions where expires_at < $1 limit $2)"#;

/// Tables whose rows a business leaves behind, each indexed with its tenant first: the tenants
/// holding rows are found by stepping through the index, one lookup per tenant.
const TENANT_TABLES: [&str; 7] = [
    "calls",
    "tool_invocations",
    "email_proofs",
    "cal_webhook_events",
    "sync_runs",
    "call_hand_overs",
    "waitlist_entries",
];

/// Days each table keeps its rows; 0 keeps all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Retention {
    /// The tool-call log and answered claims (`TOOL_LOG_RETENTION_DAYS`).
    pub tool_log_days: u32,
    /// Call records, with their transcript lines and appointment links (`CALL_RETENTION_DAYS`).
    pub calls_days: u32,
    /// Transcript lines, transcript text and raw reports of calls (`TRANSCRIPT_RETENTION_DAYS`).
    pub transcripts_days: u32,
    /// Emails callers gave during calls (`CALL_EMAIL_RETENTION_DAYS`).
    pub email_proofs_days: u32,
    /// Accepted Cal.com webhook deliveries (`WEBHOOK_EVENT_RETENTION_DAYS`).
    pub webhook_events_days: u32,
    /// Sync-run rows, except the latest of each kind and outcome (`SYNC_RUN_RETENTION_DAYS`).
    pub sync_runs_days: u32,
}

/// Rows removed by one prune, per table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pruned {
    /// Tool-call log rows and answered claims.
    pub tool_log: u64,
    /// Call records (their lines and links went with them).
    pub calls: u64,
    /// Calls whose transcript was removed.
    pub transcripts: u64,
    /// Call emails.
    pub email_proofs: u64,
    /// Webhook deliveries.
    pub webhook_events: u64,
    /// Sync runs.
    pub sync_runs: u64,
    /// Expired dashboard sessions (only by [`Db::prune_sessions`]).
    pub sessions: u64,
    /// Hand-overs and waitlist rows as old as pruned call records.
    pub calls_out: u64,
}

impl Pruned {
    /// Rows removed in all.
    pub fn total(&self) -> u64 {
        self.tool_log
            + self.calls
            + self.transcripts
            + self.email_proofs
            + self.webhook_events
            + self.sync_runs
            + self.sessions
            + self.calls_out
    }
}

/// The cutoff `days` before `now`, as stored; `None` when `days` is 0 (keep all).
fn cutoff(days: u32, now: DateTime<Utc>) -> Option<String> {
    (days > 0).then(|| ts(now - chrono::Duration::days(i64::from(days))))
}

impl Db {
    /// Prunes this handle's tenant's rows of every table by `keep` (see [`Retention`]), as of
    /// `now`; other tenants' rows are not touched.
    pub async fn prune(&self, keep: Retention, now: DateTime<Utc>) -> Result<Pruned, DbError> {
        let mut pruned = Pruned::default();
        if keep.tool_log_days > 0 {
            pruned.tool_log = self.prune_tool_log(keep.tool_log_days, now).await?;
        }
        if let Some(before) = cutoff(keep.calls_days, now) {
            pruned.calls = self.prune_calls(&before).await?;
        }
        if let Some(before) = cutoff(keep.transcripts_days, now) {
            pruned.transcripts = self.prune_transcripts(&before).await?;
        }
        let deletes = [
            (
                keep.email_proofs_days,
                DELETE_EMAIL_PROOFS,
                &mut pruned.email_proofs,
            ),
            (
                keep.webhook_events_days,
                DELETE_WEBHOOK_EVENTS,
                &mut pruned.webhook_events,
            ),
            (keep.sync_runs_days, DELETE_SYNC_RUNS, &mut pruned.sync_runs),
        ];
        for (days, sql, count) in deletes {
            if let Some(before) = cutoff(days, now) {
                *count = self.delete_in_batches(sql, &before).await?;
            }
        }
        if let Some(before) = cutoff(keep.calls_days, now) {
            for sql in [
                DELETE_HAND_OVERS,
                DELETE_WAITLIST_OFFERS,
                DELETE_WAITLIST_OPENINGS,
                DELETE_WAITLIST_ENTRIES,
            ] {
                pruned.calls_out += self.delete_in_batches(sql, &before).await?;
            }
        }
        Ok(pruned)
    }

    /// The tenants that hold rows in the tables retention prunes, whether or not they are still
    /// served.
    pub async fn tenants_with_rows(&self) -> Result<Vec<TenantSlug>, DbError> {
        let mut found = std::collections::BTreeSet::new();
        for table in TENANT_TABLES {
            // The smallest tenant, then the smallest above it, and so on: an index step each,
            // where `select distinct` would read every row.
            let sql = format!(
                r#"with recursive t(tenant) as (
                       select min(tenant) from {table}
                       union all
                       select (select min(tenant) from {table} where tenant > t.tenant)
                         from t where t.tenant is not null)
                   select tenant from t where tenant is not null"#
            );
            let rows: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .fetch_all(self.pool())
                .await?;
            found.extend(rows.into_iter().map(|(tenant,)| tenant));
        }
        Ok(found
            .into_iter()
            .filter_map(|tenant| TenantSlug::parse(&tenant).ok())
            .collect())
    }

    /// Prunes, by `keep` (the deployment's ages), the rows of every tenant that holds rows but
    /// is not in `served`: a business removed from the tenants file runs no retention job of its
    /// own, and its calls would otherwise be kept for ever.
    pub async fn prune_departed(
        &self,
        served: &[TenantSlug],
        keep: Retention,
        now: DateTime<Utc>,
    ) -> Result<Vec<(TenantSlug, Pruned)>, DbError> {
        let mut pruned = Vec::new();
        for tenant in self.tenants_with_rows().await? {
            if served.contains(&tenant) {
                continue;
            }
            let rows = self
                .scoped_without_changes(&tenant)
                .prune(keep, now)
                .await?;
            pruned.push((tenant, rows));
        }
        Ok(pruned)
    }

    /// Deletes console sessions expired before `now` (every tenant's operators'); returns how
    /// many went.
    pub async fn prune_sessions(&self, now: DateTime<Utc>) -> Result<u64, DbError> {
        self.delete_in_batches_as(DELETE_SESSIONS, &ts(now), None)
            .await
    }

    /// Runs `sql` (a delete taking the cutoff as `$1`, a batch size as `$2` and this handle's
    /// tenant as `$3`) until it deletes less than a batch; returns the rows deleted.
    async fn delete_in_batches(&self, sql: &'static str, before: &str) -> Result<u64, DbError> {
        self.delete_in_batches_as(sql, before, Some(self.t())).await
    }

    /// [`Self::delete_in_batches`] with `tenant` as `$3`, or no third value for a statement of
    /// the deployment's own rows.
    async fn delete_in_batches_as(
        &self,
        sql: &'static str,
        before: &str,
        tenant: Option<String>,
    ) -> Result<u64, DbError> {
        let mut total = 0;
        loop {
            let mut query = sqlx::query(sql).bind(before.to_owned()).bind(BATCH);
            if let Some(tenant) = &tenant {
                query = query.bind(tenant.clone());
            }
            let done = query.execute(self.writer()).await?.rows_affected();
            total += done;
            if done < BATCH.unsigned_abs() {
                return Ok(total);
            }
            // Let other writers in between batches.
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Deletes calls that started before `before`, each with its transcript lines and
    /// appointment links.
    async fn prune_calls(&self, before: &str) -> Result<u64, DbError> {
        self.in_call_batches(
            "select vapi_call_id from calls where tenant = $3 and sort_at < $1 order by sort_at limit $2",
            before,
            &[
                "delete from call_transcript_lines where vapi_call_id in",
                "delete from call_appointments where vapi_call_id in",
                "delete from calls where vapi_call_id in",
            ],
        )
        .await
    }

    /// Removes the transcripts (lines, transcript text, raw end-of-call report) of calls that
    /// started before `before`; the call records stay. Returns how many calls lost theirs.
    async fn prune_transcripts(&self, before: &str) -> Result<u64, DbError> {
        self.in_call_batches(
            r#"select c.vapi_call_id from calls c where c.tenant = $3 and c.sort_at < $1
                 and (c.transcript is not null or c.last_report is not null
                      or exists (select 1 from call_transcript_lines l
                                 where l.vapi_call_id = c.vapi_call_id))
               order by c.sort_at limit $2"#,
            before,
            &[
                "delete from call_transcript_lines where vapi_call_id in",
                "update calls set transcript = null, last_report = null where vapi_call_id in",
            ],
        )
        .await
    }

    /// Takes the call ids `select` finds (cutoff `$1`, batch size `$2`, tenant `$3`) a batch at a
    /// time and runs
    /// each statement (ending in `vapi_call_id in`) on them in one transaction, until a batch
    /// comes back short; returns how many calls were handled.
    async fn in_call_batches(
        &self,
        select: &'static str,
        before: &str,
        statements: &[&'static str],
    ) -> Result<u64, DbError> {
        let mut total = 0;
        loop {
            let ids: Vec<String> = sqlx::query_scalar(select)
                .bind(before.to_owned())
                .bind(BATCH)
                .bind(self.t())
                .fetch_all(self.writer())
                .await?;
            if ids.is_empty() {
                return Ok(total);
            }
            let list = placeholders(ids.len());
            let mut tx = self.writer().begin().await?;
            for statement in statements {
                // Only fixed statements and numbered placeholders go into the text.
                let sql = format!("{statement} ({list})");
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for id in &ids {
                    query = query.bind(id.clone());
                }
                query.execute(&mut *tx).await?;
            }
            tx.commit().await?;
            total += ids.len() as u64;
            if ids.len() < BATCH.unsigned_abs() as usize {
                return Ok(total);
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// `$1, $2, …, $n`.
fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Prunes `db`'s tenant's rows every hour (and once at start) by `keep`, that tenant's ages.
pub async fn run(db: Db, clock: crate::clock::Clock, keep: Retention) {
    let mut tick = tokio::time::interval(EVERY);
    loop {
        tick.tick().await;
        match db.prune(keep, clock.now()).await {
            Ok(pruned) if pruned.total() == 0 => {}
            Ok(pruned) => tracing::info!(tenant = %db.tenant(), ?pruned, "pruned old rows"),
            Err(err) => tracing::warn!(tenant = %db.tenant(), %err, "could not prune old rows"),
        }
    }
}

/// Prunes the rows of businesses no longer served (not in `served`) by `keep`, the deployment's
/// ages, every hour (and once at start).
pub async fn run_departed(
    db: Db,
    clock: crate::clock::Clock,
    served: Vec<TenantSlug>,
    keep: Retention,
) {
    let mut tick = tokio::time::interval(EVERY);
    loop {
        tick.tick().await;
        match db.prune_departed(&served, keep, clock.now()).await {
            Ok(pruned) => {
                for (tenant, rows) in pruned.iter().filter(|(_, rows)| rows.total() > 0) {
                    tracing::info!(%tenant, ?rows, "pruned old rows of a business no longer served");
                }
            }
            Err(err) => tracing::warn!(%err, "could not prune rows of businesses no longer served"),
        }
    }
}

/// Deletes expired console sessions every hour (and once at start).
pub async fn run_sessions(db: Db, clock: crate::clock::Clock) {
    let mut tick = tokio::time::interval(EVERY);
    loop {
        tick.tick().await;
        match db.prune_sessions(clock.now()).await {
            Ok(0) => {}
            Ok(sessions) => tracing::info!(sessions, "pruned expired console sessions"),
            Err(err) => tracing::warn!(%err, "could not prune expired console sessions"),
        }
    }
}
