//! What one caller or one call may do, whatever the model sends: bookings per caller number per
//! local day and per call, tool calls per message, and Cal.com requests per call.
//!
//! Bookings are counted in the local appointments table, where a tool's booking is committed
//! with the tool call's answer. Several tool calls of one message run at once, so a booking
//! holds its caller's lock from the count until that commit ([`CallContext::hold`]): the next
//! booking of the same caller counts the first one. The lock is in this process; VAPI sends a
//! message to one replica, so a message's bookings are serialised; two messages of one caller
//! reaching two replicas at the same instant could each book once past the limit.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

use super::{CallContext, Say, ToolContext, ToolError};
use crate::{
    config::Settings,
    domain::language::Language,
    domain::local_time::{local_days_bounds, local_today},
};

/// The limits, from the settings.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Bookings one caller number may make in one local business day.
    pub bookings_per_caller_per_day: u32,
    /// Bookings one call may make.
    pub bookings_per_call: u32,
    /// Tool calls run from one message.
    pub tool_calls_per_message: usize,
    /// Cal.com requests one call may send.
    pub cal_requests_per_call: u32,
}

impl Limits {
    /// The limits the settings ask for.
    pub fn from_settings(settings: &Settings) -> Self {
        Self {
            bookings_per_caller_per_day: settings.max_bookings_per_caller_per_day,
            bookings_per_call: settings.max_bookings_per_call,
            tool_calls_per_message: settings.max_tool_calls_per_message,
            cal_requests_per_call: settings.cal_requests_per_call,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::from_settings(&Settings::defaults())
    }
}

/// One lock per caller (their number, or the call on a call without one).
#[derive(Clone, Debug, Default)]
pub struct BookingLocks {
    locks: Arc<Mutex<HashMap<String, Arc<AsyncMutex<()>>>>>,
}

impl BookingLocks {
    /// Waits for the lock of `key`.
    async fn lock(&self, key: &str) -> OwnedMutexGuard<()> {
        let lock = {
            let mut locks = self.locks.lock().unwrap_or_else(|p| p.into_inner());
            // Forget locks nobody holds or waits for, so the map stays as small as the traffic.
            if locks.len() > 256 {
                locks.retain(|_, lock| Arc::strong_count(lock) > 1);
            }
            locks.entry(key.to_owned()).or_default().clone()
        };
        lock.lock_owned().await
    }
}

/// The answer to the tool calls of a message past `MAX_TOOL_CALLS_PER_MESSAGE`, in `lang`.
pub fn too_many_tool_calls(limit: usize, lang: Language) -> String {
    Say::TooManyToolCalls { limit }.text(lang)
}

/// Lets a booking go ahead only while the caller and the call are under their limits, and keeps
/// the caller's lock until the booking is committed. Nothing is sent to Cal.com when refused.
pub(crate) async fn admit_booking(ctx: &ToolContext, call: &CallContext) -> Result<(), ToolError> {
    let Some(key) = call.caller_phone.as_deref().or(call.call_id.as_deref()) else {
        return Ok(());
    };
    let wait = ctx.cal.deadline();
    let guard = tokio::time::timeout(wait, ctx.booking_locks.lock(key))
        .await
        .map_err(|_| ToolError::Say(Say::StillBookingOther))?;
    let failed = |err: crate::db::DbError| {
        tracing::error!(%err, "could not count the caller's bookings");
        ToolError::Say(Say::CannotBookNow)
    };
    let limits = ctx.limits;
    if let Some(call_id) = &call.call_id {
        let in_call = ctx
            .db
            .appointments_of_call(call_id)
            .await
            .map_err(failed)?
            .iter()
            .filter(|a| a.is_active())
            .count();
        if in_call >= limits.bookings_per_call as usize {
            return Err(Say::CallBookingCap {
                max: limits.bookings_per_call,
            }
            .into());
        }
    }
    if let Some(phone) = &call.caller_phone {
        let today = local_today(ctx.clock.now(), ctx.business_tz);
        let day_start = local_days_bounds(today, today, ctx.business_tz).0;
        let made = ctx
            .db
            .bookings_made_for_phone_since(phone, day_start)
            .await
            .map_err(failed)?;
        if made >= i64::from(limits.bookings_per_caller_per_day) {
            return Err(Say::CallerDailyCap {
                max: limits.bookings_per_caller_per_day,
            }
            .into());
        }
    }
    call.hold(guard);
    Ok(())
}
