//! Group commit of appointment changes: webhook deliveries, the bookings our tools just made (with
//! their call links and their claim's answer) and reconcile pages are queued to one task that
//! applies whatever has gathered in one transaction.
//!
//! Each caller still waits for the commit that holds its change, so a webhook is acknowledged
//! only once its row is durable: nothing is kept in a queue that a crash could lose. Under load
//! many deliveries share one commit (and one statement per table), which is what lets ingest keep
//! up; alone, a change costs one queue hop more than before. When a group fails, each change in it
//! is applied again on its own, so one bad change never fails the others.

use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, oneshot};

use super::{
    Db, DbError,
    appointments::{Applied, WebhookDelivery},
    call_records::CallLink,
    leases::HeldLease,
    tool_claims::ClaimFinish,
};
use crate::domain::appointment::Observation;

/// Changes waiting before callers apply theirs themselves.
const QUEUE_CAPACITY: usize = 4_096;
/// Changes applied in one transaction at most.
const GROUP_CHANGES: usize = 256;

/// One change to apply: observations, and the delivery that brought them (if any).
#[derive(Debug)]
pub(crate) struct Change {
    /// The webhook delivery to log and deduplicate on, or `None` for our own writes.
    pub delivery: Option<WebhookDelivery>,
    /// What to merge into the table.
    pub observations: Vec<Observation>,
    /// Calls to link to the appointments a tool call changed.
    pub links: Vec<CallLink>,
    /// The claim of the tool call that made this change, to mark done with its answer.
    pub finish: Option<ClaimFinish>,
    /// Leases the tool call held until this change is committed (a caller's booking hold).
    pub releases: Vec<HeldLease>,
    /// When it was received.
    pub now: DateTime<Utc>,
}

/// What applying one change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Outcome {
    /// What happened to the appointments.
    pub applied: Applied,
    /// Whether the claim's answer was stored (`None` without a claim; `Some(false)` when another
    /// run had taken the claim over).
    pub claim_stored: Option<bool>,
}

/// A queued change and where its outcome goes.
pub(crate) struct Job {
    change: Change,
    done: oneshot::Sender<Result<Outcome, DbError>>,
}

/// Starts the group-commit task for `db` (a handle without a queue) and returns its queue.
pub(crate) fn spawn(db: Db) -> mpsc::Sender<Job> {
    let (tx, mut rx) = mpsc::channel::<Job>(QUEUE_CAPACITY);
    tokio::spawn(async move {
        let mut jobs = Vec::with_capacity(GROUP_CHANGES);
        while rx.recv_many(&mut jobs, GROUP_CHANGES).await > 0 {
            let changes: Vec<&Change> = jobs.iter().map(|j| &j.change).collect();
            match db.apply_changes(&changes).await {
                Ok(outcomes) => {
                    crate::telemetry::change_group("committed", outcomes.len());
                    for (job, outcome) in jobs.drain(..).zip(outcomes) {
                        let _ = job.done.send(Ok(outcome));
                    }
                }
                Err(err) if jobs.len() == 1 => {
                    if let Some(job) = jobs.pop() {
                        let _ = job.done.send(Err(err));
                    }
                }
                Err(err) => {
                    crate::telemetry::change_group("split", jobs.len());
                    tracing::warn!(%err, changes = jobs.len(), "a group of appointment changes failed; applying them one by one");
                    for job in jobs.drain(..) {
                        let outcome = db.apply_change(&job.change).await;
                        let _ = job.done.send(outcome);
                    }
                }
            }
        }
    });
    tx
}

impl Db {
    /// Applies observations (and logs the delivery that brought them) and returns once they are
    /// committed, sharing the commit with whatever else is being applied at the same moment.
    pub async fn apply_observations(
        &self,
        delivery: Option<&WebhookDelivery>,
        observations: Vec<Observation>,
        now: DateTime<Utc>,
    ) -> Result<Applied, DbError> {
        let change = Change {
            delivery: delivery.cloned(),
            observations,
            links: Vec::new(),
            finish: None,
            releases: Vec::new(),
            now,
        };
        Ok(self.commit_change(change).await?.applied)
    }

    /// Commits what a write tool call leaves behind, all or nothing: the bookings it changed, the
    /// links to its call, its claim's answer, and the release of the leases it held until then.
    /// Returns whether the answer was stored (`None` without a claim).
    pub async fn commit_tool_writes(
        &self,
        observations: Vec<Observation>,
        links: Vec<CallLink>,
        finish: Option<ClaimFinish>,
        releases: Vec<HeldLease>,
        now: DateTime<Utc>,
    ) -> Result<Option<bool>, DbError> {
        let change = Change {
            delivery: None,
            observations,
            links,
            finish,
            releases,
            now,
        };
        Ok(self.commit_change(change).await?.claim_stored)
    }

    /// Queues a change for the next group commit and waits for it.
    async fn commit_change(&self, change: Change) -> Result<Outcome, DbError> {
        let Some(queue) = self.change_queue() else {
            return self.apply_change(&change).await;
        };
        let (done, outcome) = oneshot::channel();
        match queue.try_send(Job { change, done }) {
            Ok(()) => match outcome.await {
                Ok(result) => result,
                Err(_) => Err(DbError::Group("the change writer stopped".to_owned())),
            },
            // Full or stopped: apply it here rather than drop it or wait without bound.
            Err(mpsc::error::TrySendError::Full(job) | mpsc::error::TrySendError::Closed(job)) => {
                self.apply_change(&job.change).await
            }
        }
    }

    /// Applies one change in a transaction of its own.
    async fn apply_change(&self, change: &Change) -> Result<Outcome, DbError> {
        let mut outcomes = self.apply_changes(&[change]).await?;
        Ok(outcomes.remove(0))
    }
}
