//! What one caller or one call may do, whatever the model sends: bookings per caller number per
//! local day and per call, tool calls per message, and Cal.com requests per call.
//!
//! Bookings are counted in the local appointments table, where a tool's booking is committed
//! with the tool call's answer. Several tool calls of one message run at once, and two messages
//! of one caller may reach two replicas on one database at the same instant, so a booking holds
//! its caller from the count until that commit ([`CallContext::hold`]): the next booking of the
//! same caller, on any replica, counts the first one.
//!
//! The hold is two locks, taken in this order: the caller's lock in this process (tool calls of
//! one replica queue there, without touching the database), then the caller's lease in the
//! database (`leases`, named [`booking_lease_name`]), which one replica at a time may hold. The
//! lease is given up in the transaction that commits the booking, so no other replica counts
//! between the two; a replica that dies holding it lets it expire (after the claim lease of
//! `exactly_once`, which outlasts any live booking). A booking that cannot get the hold within
//! the tool deadline is answered with a request to ask again, never booked past the limit.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

use super::{CallContext, Say, ToolContext, ToolError, exactly_once};
use crate::{
    config::Settings,
    db::{DbError, leases::HeldLease},
    domain::language::Language,
    domain::local_time::{local_days_bounds, local_today},
};

/// First pause before looking at a caller's lease held by another replica again; it doubles up
/// to [`MAX_POLL`].
const FIRST_POLL: Duration = Duration::from_millis(10);
const MAX_POLL: Duration = Duration::from_millis(200);

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

/// One lock per caller (their number, or the call on a call without one), and this process's
/// name as the holder of callers' leases in the database.
#[derive(Clone, Debug)]
pub struct BookingLocks {
    locks: Arc<Mutex<HashMap<String, Arc<AsyncMutex<()>>>>>,
    /// Holds the leases of this process. One name for the whole process: the lock in front of
    /// the lease lets only one of its tool calls hold a caller's lease at a time, so a lease left
    /// by a tool call that was dropped is simply taken again by the next one.
    holder: Arc<str>,
}

impl Default for BookingLocks {
    fn default() -> Self {
        Self {
            locks: Arc::default(),
            holder: uuid::Uuid::new_v4().to_string().into(),
        }
    }
}

/// The name of the database lease that holds `caller`'s bookings (their number, or the call id
/// on a call without one).
pub fn booking_lease_name(caller: &str) -> String {
    format!("booking:{caller}")
}

/// A caller held for one booking, from the count until the commit of the tool call.
#[derive(Debug)]
pub(crate) struct BookingHold {
    /// The caller's lock in this process; let go after the commit.
    _guard: OwnedMutexGuard<()>,
    /// The caller's lease, given up in the commit.
    pub(crate) lease: HeldLease,
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

/// Takes `lease` in the database, waiting while another replica holds it until `deadline`.
async fn take_lease(
    ctx: &ToolContext,
    lease: &HeldLease,
    deadline: tokio::time::Instant,
) -> Result<(), ToolError> {
    let lasts = chrono::TimeDelta::from_std(exactly_once::lease(ctx))
        .unwrap_or(chrono::TimeDelta::seconds(30));
    let mut pause = FIRST_POLL;
    loop {
        let now = ctx.clock.now();
        let taken = ctx
            .db
            .try_lease(&lease.name, &lease.holder, now, now + lasts)
            .await
            .map_err(|err| cannot_hold(err, "take the caller's booking lease"))?;
        if taken {
            return Ok(());
        }
        if tokio::time::Instant::now() + pause > deadline {
            tracing::warn!(lease = %lease.name, "another replica held the caller's booking lease past the deadline");
            return Err(Say::StillBookingOther.into());
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(MAX_POLL);
    }
}

/// A database failure while holding or counting: nothing is booked, the caller may ask again.
fn cannot_hold(err: DbError, doing: &str) -> ToolError {
    tracing::error!(%err, "could not {doing}");
    ToolError::Say(Say::CannotBookNow)
}

/// Lets a booking go ahead only while the caller and the call are under their limits, and holds
/// the caller (see the module) until the booking is committed. Nothing is sent to Cal.com when
/// refused.
pub(crate) async fn admit_booking(ctx: &ToolContext, call: &CallContext) -> Result<(), ToolError> {
    let Some(key) = call.caller_phone.as_deref().or(call.call_id.as_deref()) else {
        return Ok(());
    };
    let deadline = tokio::time::Instant::now() + ctx.cal.deadline();
    let guard = tokio::time::timeout_at(deadline, ctx.booking_locks.lock(key))
        .await
        .map_err(|_| ToolError::Say(Say::StillBookingOther))?;
    let lease = HeldLease {
        name: booking_lease_name(key),
        holder: ctx.booking_locks.holder.to_string(),
    };
    take_lease(ctx, &lease, deadline).await?;
    // From here the lease is ours: it goes with the hold, whose commit gives it up. A refusal
    // below commits nothing else, but the tool call's answer (and so the release) still is.
    call.hold(BookingHold {
        _guard: guard,
        lease,
    });
    let limits = ctx.limits;
    let today = local_today(ctx.clock.now(), ctx.business_tz);
    let day_start = local_days_bounds(today, today, ctx.business_tz).0;
    // Both limits from one read.
    let counts = ctx
        .db
        .booking_counts(
            call.call_id.as_deref(),
            call.caller_phone.as_deref(),
            day_start,
        )
        .await
        .map_err(|err| cannot_hold(err, "count the caller's bookings"))?;
    if call.call_id.is_some() && counts.in_call >= i64::from(limits.bookings_per_call) {
        return Err(Say::CallBookingCap {
            max: limits.bookings_per_call,
        }
        .into());
    }
    if call.caller_phone.is_some()
        && counts.made_since >= i64::from(limits.bookings_per_caller_per_day)
    {
        return Err(Say::CallerDailyCap {
            max: limits.bookings_per_caller_per_day,
        }
        .into());
    }
    Ok(())
}
