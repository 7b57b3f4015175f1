//! The eight assistant tools, as plain async functions over Cal.com and the database.
//!
//! Nothing here knows about HTTP: the VAPI handler extracts tool calls and hands them to
//! [`run_tool_call`], which deserializes the arguments into the tool's parameter type, runs it,
//! records the answer and returns either a one-line JSON result or a sentence the caller can hear.

mod appointments;
mod availability;
mod caller;
mod exactly_once;
pub mod limits;
pub mod params;
pub mod schema;
mod tool;
mod users;

pub use caller::StaffPolicy;
pub use tool::Tool;

use std::{
    sync::{Arc, Mutex},
    time::Instant,
};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::{
    calcom::{CalClient, CalError, call_share::CallShares},
    clock::Clock,
    db::{
        Db,
        call_records::{CallLink, LinkAction},
        tool_invocations::ToolInvocation,
    },
    domain::appointment::Observation,
    domain::local_time::{self, TimeError},
    telemetry,
};

/// What every tool needs: the calendar, the database, the clock and the business's settings.
#[derive(Clone, Debug)]
pub struct ToolContext {
    /// Cal.com client.
    pub cal: CalClient,
    /// Database.
    pub db: Db,
    /// Source of "now".
    pub clock: Clock,
    /// The business's zone, used when a call names none.
    pub business_tz: Tz,
    /// Event type used when a call names none (the first bookable one).
    pub default_event_type_id: Option<i64>,
    /// The event types callers may read and book (`CAL_EVENT_TYPE_IDS`); no other id reaches
    /// Cal.com from a tool call.
    pub bookable_event_type_ids: Vec<i64>,
    /// Cal.com organization, for organization users.
    pub organization_id: Option<i64>,
    /// Which calls are staff's: they may use the staff tools and reach any appointment by id.
    pub staff: StaffPolicy,
    /// How numeric dates are read (`BUSINESS_DATE_ORDER`); `None` asks when they are ambiguous.
    pub date_order: Option<local_time::DateOrder>,
    /// Sends the one-time codes of callers without a number (`SMTP_URL`); `None`: no codes, and
    /// such callers reach only what they book in the call.
    pub mailer: Option<crate::email::Mailer>,
    /// What one caller, call or message may do.
    pub limits: limits::Limits,
    /// Each call's share of the Cal.com request budget.
    pub call_shares: CallShares,
    /// Serialises each caller's bookings from count to commit.
    pub booking_locks: limits::BookingLocks,
}

impl ToolContext {
    /// The context for one tool call: its Cal.com requests are taken from its call's share.
    fn for_call(&self, call: &CallContext) -> Self {
        Self {
            cal: self
                .cal
                .for_call(self.call_shares.of(call.call_id.as_deref())),
            ..self.clone()
        }
    }
}

/// Facts about the call a tool runs in, taken from VAPI's message, not from the model.
#[derive(Clone, Debug, Default)]
pub struct CallContext {
    /// VAPI call id.
    pub call_id: Option<String>,
    /// VAPI tool-call id.
    pub tool_call_id: String,
    /// The caller's number in E.164, when VAPI reported a valid one (read strictly).
    pub caller_phone: Option<String>,
    /// Whether the call is staff's (see [`StaffPolicy`]), decided from the message, never from
    /// arguments.
    pub staff: bool,
    /// This run took over the claim of a run that stopped before answering: that run may have
    /// reached Cal.com, so a write looks for its result first.
    pub recovering: bool,
    /// Bookings this tool call changed in Cal.com, to store locally in the same commit as the
    /// call's answer (see [`run_tool_call`]).
    recorded: Arc<Mutex<Vec<Observation>>>,
    /// Locks held until that commit (a caller's booking lock, so the next booking counts this one).
    held: Arc<Mutex<Vec<tokio::sync::OwnedMutexGuard<()>>>>,
}

impl CallContext {
    /// Builds the context from a verified caller number (see [`ToolContext::call_context`]).
    pub fn new(
        call_id: Option<String>,
        tool_call_id: String,
        caller_phone: Option<String>,
        staff: bool,
    ) -> Self {
        Self {
            call_id,
            tool_call_id,
            caller_phone,
            staff,
            recovering: false,
            recorded: Arc::default(),
            held: Arc::default(),
        }
    }

    /// Keeps `guard` until the tool call's changes are committed.
    pub(crate) fn hold(&self, guard: tokio::sync::OwnedMutexGuard<()>) {
        self.held
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(guard);
    }

    /// Lets go of what [`CallContext::hold`] kept.
    fn release(&self) {
        self.held.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// Notes bookings a tool changed in Cal.com, so reads see them before the webhook arrives.
    pub(crate) fn record(&self, observations: Vec<Observation>) {
        self.recorded
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend(observations);
    }

    /// The bookings noted so far, leaving none behind.
    fn take_recorded(&self) -> Vec<Observation> {
        std::mem::take(&mut *self.recorded.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// A tool failure, worded for the caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ToolError(pub String);

impl From<TimeError> for ToolError {
    fn from(err: TimeError) -> Self {
        ToolError(err.to_string())
    }
}

impl ToolError {
    /// Words a Cal.com failure for the caller, saying what we were doing.
    pub fn calendar(err: &CalError, doing: &str) -> Self {
        let sentence = match err {
            CalError::Timeout => format!(
                "The calendar took too long to answer while {doing}. Please try again in a moment."
            ),
            CalError::Unreachable(_) => format!(
                "I couldn't reach the calendar while {doing}. Please try again in a moment."
            ),
            CalError::Decode(_) => {
                format!("The calendar sent an answer I couldn't read while {doing}.")
            }
            CalError::RateLimited { retry_after_secs } => format!(
                "The calendar is busy right now, so I couldn't finish {doing}. Please try again in about {}.",
                speak_wait(*retry_after_secs)
            ),
            CalError::Api { status: 429, .. } => {
                format!(
                    "The calendar is too busy right now while {doing}. Please try again in a minute."
                )
            }
            CalError::Api {
                status: 401 | 403, ..
            } => {
                format!(
                    "The calendar refused access while {doing}; the business needs to check its Cal.com connection."
                )
            }
            CalError::Api { status, .. } if *status >= 500 => {
                format!(
                    "The calendar had a problem (error {status}) while {doing}. Please try again in a moment."
                )
            }
            CalError::Api { message, .. } => {
                format!("The calendar could not do that while {doing}: {message}")
            }
            CalError::CallShareSpent => format!(
                "This call has made too many calendar lookups, so I couldn't finish {doing}. Please settle on a day and time from what I already found, or call again later."
            ),
        };
        ToolError(sentence)
    }
}

/// "20 seconds", "a minute", "3 minutes": a wait as a caller would say it.
fn speak_wait(secs: u64) -> String {
    match secs {
        0..=1 => "a second".to_owned(),
        2..=59 => format!("{secs} seconds"),
        60..=89 => "a minute".to_owned(),
        _ => format!("{} minutes", secs.div_ceil(60)),
    }
}

/// An optional text argument that was actually given: trimmed, and empty counts as absent
/// (models often send `""` for "no value").
pub(crate) trait Given {
    /// The trimmed text, or `None` when missing or blank.
    fn given(&self) -> Option<&str>;
}

impl Given for Option<String> {
    fn given(&self) -> Option<&str> {
        self.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
}

/// A tool's result: a one-line JSON object that starts with a `summary` sentence.
pub type ToolResult = Result<Value, ToolError>;

/// Starts a result object with its summary and today's local date.
pub(crate) fn result_object(summary: String, now: DateTime<Utc>, tz: Tz) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("summary".into(), Value::from(summary));
    map.insert(
        "today".into(),
        Value::from(local_time::speak_full_date(local_time::local_today(
            now, tz,
        ))),
    );
    map.insert("timeZone".into(), Value::from(tz.name()));
    map
}

/// Resolves an optional zone argument, defaulting to the business's zone.
pub(crate) fn zone_or(ctx: &ToolContext, time_zone: Option<&str>) -> Result<Tz, ToolError> {
    match time_zone.map(str::trim).filter(|s| !s.is_empty()) {
        Some(name) => Ok(local_time::parse_zone(name)?),
        None => Ok(ctx.business_tz),
    }
}

/// Reads a tool's parameters, with an error the model can correct from. Text arguments are
/// cleaned and their lengths checked here, once for every tool (see [`params::clean_arguments`]):
/// an argument over its limit is refused before anything reaches Cal.com or the tables.
fn parse_params<T: DeserializeOwned>(
    tool: &str,
    mut args: Map<String, Value>,
) -> Result<T, ToolError> {
    params::clean_arguments(&mut args).map_err(|why| {
        ToolError(format!(
            "I couldn't use the details given to {tool}: {why}. Please shorten it and try again."
        ))
    })?;
    serde_json::from_value(Value::Object(args)).map_err(|e| {
        ToolError(format!(
            "I couldn't use the details given to {tool}: {}. Please check them and try again.",
            e.to_string().replace('`', "'")
        ))
    })
}

/// Runs one tool by name. Unknown names and bad arguments become errors, never panics.
pub async fn run_tool(
    ctx: &ToolContext,
    call: &CallContext,
    name: &str,
    args: Map<String, Value>,
) -> ToolResult {
    let Some(tool) = Tool::from_name(name) else {
        return Err(unknown_tool(name));
    };
    if tool.staff_only() && !call.staff {
        return Err(ToolError(format!(
            "Sorry, {} is only for the business's staff, so I can't do that on this call.",
            tool.spoken()
        )));
    }
    match tool {
        Tool::AvailabilityRead => {
            availability::availability_read(ctx, parse_params(name, args)?).await
        }
        Tool::AppointmentCreate => {
            appointments::appointment_create(ctx, call, parse_params(name, args)?).await
        }
        Tool::AppointmentRead => {
            appointments::appointment_read(ctx, call, parse_params(name, args)?).await
        }
        Tool::AppointmentUpdate => {
            appointments::appointment_update(ctx, call, parse_params(name, args)?).await
        }
        Tool::AppointmentCancel => {
            appointments::appointment_cancel(ctx, call, parse_params(name, args)?).await
        }
        Tool::UserRead => users::user_read(ctx, call, parse_params(name, args)?).await,
        Tool::UserCreate => users::user_create(ctx, parse_params(name, args)?).await,
        Tool::CallerVerify => {
            appointments::caller_verify(ctx, call, parse_params(name, args)?).await
        }
    }
}

/// The answer to a tool name the assistant does not have.
fn unknown_tool(name: &str) -> ToolError {
    let names: Vec<&str> = Tool::ALL.iter().map(|tool| tool.name()).collect();
    ToolError(format!(
        "There is no tool called '{name}'. The tools are: {}.",
        names.join(", ")
    ))
}

/// Runs a tool call end to end: claims a write (or replays the answer of the run that claimed it
/// first), runs the tool, records the invocation, and returns `Ok(result)` or `Err(error)` as
/// single-line strings.
pub async fn run_tool_call(
    ctx: &ToolContext,
    call: &CallContext,
    name: &str,
    arguments: Result<Map<String, Value>, String>,
    raw_arguments: &Value,
) -> Result<String, String> {
    let started = Instant::now();
    let created_at = ctx.clock.now();
    let ctx = &ctx.for_call(call);
    let tool = Tool::from_name(name);
    let claim = if tool.is_some_and(Tool::writes) && !call.tool_call_id.is_empty() {
        match exactly_once::admit(ctx, call, name).await {
            exactly_once::Admission::Run(claim) => Some(claim),
            exactly_once::Admission::Replay(answer) => {
                telemetry::tool_call(name, "replayed", started.elapsed());
                return answer;
            }
        }
    } else {
        None
    };
    let mut call = call.clone();
    call.recovering = claim.as_ref().is_some_and(|c| c.recovering);
    let outcome = match arguments {
        Ok(args) => run_tool(ctx, &call, name, args).await,
        Err(why) => Err(ToolError(format!(
            "I couldn't read the details given to {name}: {why}."
        ))),
    };
    let links = match (&outcome, &call.call_id, tool.and_then(Tool::link_action)) {
        (Ok(value), Some(call_id), Some(action)) => {
            call_link(call_id, &call.tool_call_id, action, value)
                .into_iter()
                .collect()
        }
        _ => Vec::new(),
    };
    let answer = match outcome {
        Ok(value) => Ok(crate::vapi::single_line(&value.to_string())),
        Err(err) => Err(crate::vapi::single_line(&err.0)),
    };
    // What the call changed, its links and its answer are committed together: one commit after
    // Cal.com answered, shared with other calls' writes of the same moment.
    exactly_once::finish(ctx, claim.as_ref(), &answer, call.take_recorded(), links).await;
    call.release();
    let latency_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    let invocation = ToolInvocation {
        call_id: call.call_id.clone(),
        caller_number: call.caller_phone.clone(),
        tool_call_id: call.tool_call_id.clone(),
        tool: name.to_owned(),
        arguments: params::for_the_record(raw_arguments).to_string(),
        result: answer.as_ref().ok().cloned(),
        error: answer.as_ref().err().cloned(),
        latency_ms,
        created_at,
    };
    // A write's durable record is its claim (stored before Cal.com was called), so the audit row
    // is only needed eventually: it is written in a batch off the answer's path.
    ctx.db.record_tool_invocation_later(invocation).await;
    telemetry::tool_call(
        name,
        if answer.is_ok() { "ok" } else { "error" },
        started.elapsed(),
    );
    tracing::info!(
        tool = name,
        call_id = call.call_id.as_deref().unwrap_or(""),
        latency_ms,
        ok = answer.is_ok(),
        "tool call answered"
    );
    answer
}

/// The link from the call to the appointment a write tool booked, moved or cancelled, so a call
/// lists its appointments and an appointment names its call.
fn call_link(
    call_id: &str,
    tool_call_id: &str,
    action: LinkAction,
    result: &Value,
) -> Option<CallLink> {
    let uid = result
        .pointer("/appointment/appointmentId")
        .and_then(Value::as_str)?;
    Some(CallLink {
        vapi_call_id: call_id.to_owned(),
        appointment_uid: uid.to_owned(),
        action,
        tool_call_id: (!tool_call_id.is_empty()).then(|| tool_call_id.to_owned()),
    })
}
