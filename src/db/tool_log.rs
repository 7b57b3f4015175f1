//! The tool-call log written off the answer's path, and its retention.
//!
//! Rows of tools that change nothing are queued (bounded) and written in batches by one task, so
//! a read-only tool call answers without waiting for a commit. Every business's handle shares the
//! one queue: a row goes with its tenant, and a batch writes the rows of every business in one
//! commit; when the queue is full the row is
//! written synchronously instead, so nothing is dropped. Readers of the log flush the queue
//! first, and [`Db::close`] flushes it on shutdown. Old rows are pruned in small batches.

use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use super::Db;
use super::tool_invocations::ToolInvocation;
use crate::domain::tenant::TenantSlug;

/// Rows waiting to be written before callers write their own row synchronously.
const QUEUE_CAPACITY: usize = 2_048;
/// Rows written per transaction at most.
const BATCH_ROWS: usize = 512;
/// Rows deleted per pruning statement: small, so a prune never holds the writer long.
const PRUNE_BATCH: i64 = 1_000;

/// What the log writer task receives.
#[derive(Debug)]
pub(crate) enum LogMessage {
    /// A row to write, for the tenant named.
    Row(Box<(TenantSlug, ToolInvocation)>),
    /// Answer once every row received before this is committed.
    Flush(oneshot::Sender<()>),
}

/// Starts the writer task for `db` (a handle without a queue of its own) and returns its queue.
pub(crate) fn spawn_writer(db: Db) -> mpsc::Sender<LogMessage> {
    let (tx, mut rx) = mpsc::channel::<LogMessage>(QUEUE_CAPACITY);
    tokio::spawn(async move {
        let mut rows: Vec<(TenantSlug, ToolInvocation)> = Vec::with_capacity(BATCH_ROWS);
        let mut flushed = Vec::new();
        while let Some(first) = rx.recv().await {
            let mut next = Some(first);
            // Take what is already waiting: under load, rows arriving during a commit form the
            // next batch.
            while let Some(msg) = next.take() {
                match msg {
                    LogMessage::Row(row) => rows.push(*row),
                    LogMessage::Flush(done) => flushed.push(done),
                }
                if rows.len() < BATCH_ROWS {
                    next = rx.try_recv().ok();
                }
            }
            if !rows.is_empty() {
                if let Err(err) = db.record_tool_invocations_of(&by_tenant(&mut rows)).await {
                    tracing::error!(%err, rows = rows.len(), "could not record tool invocations");
                }
                rows.clear();
            }
            for done in flushed.drain(..) {
                let _ = done.send(());
            }
        }
    });
    tx
}

/// The rows grouped by tenant, each group in the order received; `rows` is left empty.
fn by_tenant(
    rows: &mut Vec<(TenantSlug, ToolInvocation)>,
) -> Vec<(TenantSlug, Vec<ToolInvocation>)> {
    let mut groups: Vec<(TenantSlug, Vec<ToolInvocation>)> = Vec::new();
    for (tenant, row) in rows.drain(..) {
        match groups.iter_mut().find(|(t, _)| *t == tenant) {
            Some((_, group)) => group.push(row),
            None => groups.push((tenant, vec![row])),
        }
    }
    groups
}

impl Db {
    /// Records a tool call without waiting for the commit (see the module docs).
    pub async fn record_tool_invocation_later(&self, inv: ToolInvocation) {
        let Some(queue) = self.tool_log_queue() else {
            self.record_now(&inv).await;
            return;
        };
        if let Err(
            mpsc::error::TrySendError::Full(LogMessage::Row(row))
            | mpsc::error::TrySendError::Closed(LogMessage::Row(row)),
        ) = queue.try_send(LogMessage::Row(Box::new((self.tenant().clone(), inv))))
        {
            self.record_now(&row.1).await;
        }
    }

    async fn record_now(&self, inv: &ToolInvocation) {
        if let Err(err) = self.record_tool_invocation(inv).await {
            tracing::error!(%err, tool = %inv.tool, "could not record tool invocation");
        }
    }

    /// Waits until every queued tool-call row is committed.
    pub async fn flush_tool_log(&self) {
        if let Some(queue) = self.tool_log_queue() {
            let (done, wait) = oneshot::channel();
            if queue.send(LogMessage::Flush(done)).await.is_ok() {
                let _ = wait.await;
            }
        }
    }

    /// Deletes tool-call rows, and the claims of write tool calls answered, older than `days`,
    /// in small batches; returns how many rows went. A claim is only needed while its call can
    /// still be repeated, which is minutes, so it goes with the log.
    pub async fn prune_tool_log(
        &self,
        days: u32,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<u64, super::DbError> {
        let cutoff = super::ts(now - chrono::Duration::days(i64::from(days)));
        let mut total = 0;
        for claims in [false, true] {
            loop {
                let deleted = if claims {
                    self.delete_finished_claims_before(&cutoff, PRUNE_BATCH)
                        .await?
                } else {
                    self.delete_tool_invocations_before(&cutoff, PRUNE_BATCH)
                        .await?
                };
                total += deleted;
                if deleted < u64::try_from(PRUNE_BATCH).unwrap_or(u64::MAX) {
                    break;
                }
                // Let other writers in between batches.
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, Utc};

    use super::super::{Db, tool_invocations::ToolInvocation};

    fn row(id: &str, days_ago: i64) -> ToolInvocation {
        ToolInvocation {
            call_id: Some("call-1".to_owned()),
            caller_number: None,
            tool_call_id: id.to_owned(),
            tool: "availability_read".to_owned(),
            arguments: "{}".to_owned(),
            result: Some(format!("answer {id}")),
            error: None,
            failure: None,
            latency_ms: 1,
            created_at: Utc::now() - Duration::days(days_ago),
        }
    }

    #[tokio::test]
    async fn queued_rows_are_there_for_readers_and_after_close() {
        let (db, file) = Db::temp_sqlite().await;
        for i in 0..50 {
            db.record_tool_invocation_later(row(&format!("tc-{i}"), 0))
                .await;
        }
        // A reader flushes the queue first, so it sees every answered call.
        let rows = db.tool_invocations_for_call("call-1").await.expect("read");
        assert_eq!(rows.len(), 50);
        // Closing (as on shutdown) writes what is still queued.
        db.record_tool_invocation_later(row("tc-last", 0)).await;
        db.close().await;
        let reopened = Db::connect(&file.url).await.expect("reopen");
        let rows = reopened
            .tool_invocations_for_call("call-1")
            .await
            .expect("read");
        assert_eq!(rows.len(), 51);
    }
}
