//! The hand-over to a person when the tools keep failing: after the second fault in one call
//! (ours or the calendar's; a caller's mistake is conversation, not a failure) the call is
//! handed to the business's number (`TRANSFER_NUMBER`). The server decides, not the model: the
//! faults are counted per call in the database, and the hand-over is claimed once per call
//! whichever replica answers. Sending the transfer is VAPI's live call control, done by the
//! HTTP layer with what this returns.

use crate::domain::failure::{Failure, FailureKind};

use super::ToolContext;

/// Faults in one call before it is handed over.
pub const FAULTS_BEFORE_HAND_OVER: i64 = 2;

/// Counts the faults among one message's tool answers for the call `call_id`; the number to
/// hand the call to when this message is the one that reached [`FAULTS_BEFORE_HAND_OVER`].
pub async fn after_answers(
    ctx: &ToolContext,
    call_id: Option<&str>,
    failures: &[Option<Failure>],
) -> Option<String> {
    let faults = failures
        .iter()
        .flatten()
        .filter(|f| f.kind == FailureKind::Fault)
        .count();
    let (Some(call_id), Some(number), true) = (call_id, ctx.hand_over_to.as_deref(), faults > 0)
    else {
        return None;
    };
    let now = ctx.clock.now();
    let counted = ctx
        .db
        .count_tool_faults(call_id, i64::try_from(faults).unwrap_or(i64::MAX), now)
        .await;
    match counted {
        Ok(total) if total >= FAULTS_BEFORE_HAND_OVER => {}
        Ok(_) => return None,
        Err(err) => {
            tracing::warn!(%err, call_id, "could not count a call's tool faults");
            return None;
        }
    }
    match ctx
        .db
        .claim_hand_over(call_id, number, FAULTS_BEFORE_HAND_OVER, now)
        .await
    {
        Ok(true) => {
            tracing::warn!(
                call_id,
                "handing the call over to a person after repeated tool faults"
            );
            crate::telemetry::hand_over(ctx.db.tenant(), "claimed");
            Some(number.to_owned())
        }
        Ok(false) => None,
        Err(err) => {
            tracing::warn!(%err, call_id, "could not claim a call's hand-over");
            None
        }
    }
}
