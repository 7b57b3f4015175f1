//! Exactly-once write tool calls: a write is claimed in the database before any Cal.com request,
//! and every copy of the same tool call (a VAPI retry, a second replica) gets the first one's
//! answer instead of changing the calendar again.
//!
//! A copy that arrives while the first still runs waits for its answer, within the tool
//! deadline. A claim whose owner stopped (a crash, a kill) expires and is taken over; the tool
//! then looks in Cal.com for what the stopped run may have done before writing anything.

use std::time::{Duration, Instant};

use crate::{
    db::{
        call_records::CallLink,
        leases::HeldLease,
        tool_claims::{ClaimFinish, ClaimKey, ClaimState, ClaimedAnswer},
    },
    domain::appointment::Observation,
    telemetry,
};

use super::{CallContext, Say, ToolContext};

/// First pause between looks at a claim held by another run; it doubles up to [`MAX_POLL`].
const FIRST_POLL: Duration = Duration::from_millis(20);
const MAX_POLL: Duration = Duration::from_millis(250);

/// What to do with a write tool call.
pub(crate) enum Admission {
    /// Run the tool; the claim is ours. `recovering` is set when a stopped run held it before.
    Run(Claim),
    /// Answer with what the first run answered.
    Replay(Result<String, String>),
}

/// A claim we hold, to be finished with the answer.
pub(crate) struct Claim {
    key: ClaimKey,
    owner: String,
    /// A stopped run held this claim before us and may have reached Cal.com.
    pub(crate) recovering: bool,
}

/// How long a claim lives without being finished: long enough for any run that is still alive
/// (the Cal.com deadline covers the write and the follow-up lookups), short enough that a
/// caller retrying after a crash is served.
pub(crate) fn lease(ctx: &ToolContext) -> Duration {
    ctx.cal.deadline() * 2 + Duration::from_secs(5)
}

/// Claims the tool call, or waits for the run that holds it and returns its answer.
pub(crate) async fn admit(ctx: &ToolContext, call: &CallContext, tool: &str) -> Admission {
    let key = ClaimKey::new(call.call_id.as_deref(), &call.tool_call_id);
    let owner = uuid::Uuid::now_v7().to_string();
    let started = Instant::now();
    let wait_limit = ctx.cal.deadline();
    let mut pause = FIRST_POLL;
    let mut waited = false;
    loop {
        let now = ctx.clock.now();
        let expires =
            now + chrono::TimeDelta::from_std(lease(ctx)).unwrap_or(chrono::TimeDelta::seconds(30));
        match ctx
            .db
            .claim_tool_call(&key, tool, &owner, now, expires)
            .await
        {
            Ok(ClaimState::Claimed) => {
                return Admission::Run(Claim {
                    key,
                    owner,
                    recovering: false,
                });
            }
            Ok(ClaimState::TakenOver) => {
                tracing::warn!(
                    tool,
                    tool_call_id = %call.tool_call_id,
                    "took over the claim of a run that stopped before answering"
                );
                telemetry::takeover(ctx.db.tenant(), tool);
                return Admission::Run(Claim {
                    key,
                    owner,
                    recovering: true,
                });
            }
            Ok(ClaimState::Done(answer)) => {
                tracing::info!(tool, tool_call_id = %call.tool_call_id, waited, "repeated tool call answered from its claim");
                telemetry::replay(
                    ctx.db.tenant(),
                    tool,
                    if waited { "waited" } else { "stored" },
                );
                return Admission::Replay(match answer {
                    ClaimedAnswer::Result(r) => Ok(r),
                    ClaimedAnswer::Error(e) => Err(e),
                });
            }
            Ok(ClaimState::Busy) => {}
            Err(err) => {
                tracing::error!(%err, tool, "could not claim a write tool call");
                // Without a claim a write could happen twice; the caller can safely ask again.
                return Admission::Replay(Err(Say::CannotWriteNow.text(call.lang)));
            }
        }
        if started.elapsed() + pause > wait_limit {
            tracing::warn!(tool, tool_call_id = %call.tool_call_id, "gave up waiting for a concurrent copy of the tool call");
            return Admission::Replay(Err(Say::StillWorking.text(call.lang)));
        }
        waited = true;
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(MAX_POLL);
    }
}

/// Commits what the tool call changed (bookings, call links) together with its answer in the
/// claim, so every later copy gets the answer and the local table already shows the change, and
/// gives up the leases it held until then (`releases`).
pub(crate) async fn finish(
    ctx: &ToolContext,
    claim: Option<&Claim>,
    answer: &Result<String, String>,
    observations: Vec<Observation>,
    links: Vec<CallLink>,
    releases: Vec<HeldLease>,
) {
    let finish = claim.map(|claim| ClaimFinish {
        key: claim.key.clone(),
        owner: claim.owner.clone(),
        answer: match answer {
            Ok(r) => ClaimedAnswer::Result(r.clone()),
            Err(e) => ClaimedAnswer::Error(e.clone()),
        },
    });
    if finish.is_none() && observations.is_empty() && links.is_empty() && releases.is_empty() {
        return;
    }
    match ctx
        .db
        .commit_tool_writes(observations, links, finish, releases, ctx.clock.now())
        .await
    {
        Ok(Some(true) | None) => {}
        Ok(Some(false)) => tracing::warn!(
            tool_call_id = claim.map_or("", |c| c.key.tool_call_id.as_str()),
            "the claim was taken over before this run finished; its answer is not stored"
        ),
        // Cal.com has the change; the webhook or the next reconcile brings it here, and a copy of
        // the call finds the claim expired and looks in Cal.com before writing again.
        Err(err) => tracing::error!(%err, "could not store a tool call's answer and changes"),
    }
}
