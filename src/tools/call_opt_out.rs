//! `call_opt_out`: a caller asks the business not to call them again. It applies to the number
//! the call comes from (the one VAPI reports, never one the model names), so nobody can stop the
//! business calling someone else; reminders and follow-ups to that number are skipped from then
//! on, and the caller's appointments stay as they are.

use serde_json::Value;

use super::{CallContext, Say, ToolContext, ToolResult, params::CallOptOutParams, result_object};

/// `call_opt_out`: records that the caller's number asked not to be called.
pub(crate) async fn call_opt_out(
    ctx: &ToolContext,
    call: &CallContext,
    p: CallOptOutParams,
) -> ToolResult {
    let Some(phone) = call.caller_phone.as_deref() else {
        return Err(Say::OptOutNeedsNumber.into());
    };
    let now = ctx.clock.now();
    let new = ctx.db.opt_out(phone, "caller", now).await.map_err(|err| {
        tracing::error!(%err, "could not record an opt-out");
        Say::CannotWriteNow
    })?;
    if new {
        tracing::info!(
            call_id = call.call_id.as_deref().unwrap_or_default(),
            reason = p.reason.as_deref().unwrap_or_default(),
            "a caller asked not to be called"
        );
    }
    Ok(Value::Object(result_object(
        Say::OptedOut { already: !new },
        call,
        now,
        ctx.business_tz,
    )))
}
