//! The assistant's tools, as plain async functions over Cal.com and the database.
//!
//! Nothing here knows about HTTP: the VAPI handler extracts tool calls and hands them to
//! [`run_tool_call`], which deserializes the arguments into the tool's parameter type, runs it,
//! records the answer and returns either a one-line JSON result or a sentence the caller can hear.

mod appointments;
mod availability;
mod call_language;
mod call_opt_out;
mod caller;
mod exactly_once;
pub mod hand_over;
pub mod limits;
pub mod params;
pub mod schema;
pub mod speech;
mod tool;
mod users;
mod waitlist;

pub use call_language::CallLanguages;
pub use caller::StaffPolicy;
pub use speech::{Doing, Say};
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
        leases::HeldLease,
        tool_invocations::ToolInvocation,
    },
    domain::appointment::Observation,
    domain::failure::Failure,
    domain::language::Language,
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
    /// The language answers are spoken in when neither the tool call nor the call names one
    /// (`BUSINESS_LANGUAGE`).
    pub business_language: Language,
    /// How numeric dates are read (`BUSINESS_DATE_ORDER`); `None` asks when they are ambiguous.
    pub date_order: Option<local_time::DateOrder>,
    /// Sends the one-time codes of callers without a number (`SMTP_URL`); `None`: no codes, and
    /// such callers reach only what they book in the call.
    pub mailer: Option<crate::email::Mailer>,
    /// What one caller, call or message may do.
    pub limits: limits::Limits,
    /// Each call's share of the Cal.com request budget.
    pub call_shares: CallShares,
    /// The languages of recent calls, read from the database at most every few seconds.
    pub call_languages: CallLanguages,
    /// Serialises each caller's bookings from count to commit.
    pub booking_locks: limits::BookingLocks,
    /// Whether the business keeps a waitlist (`WAITLIST=call`).
    pub waitlist: bool,
    /// The number a call is handed to after repeated tool faults (`TRANSFER_NUMBER`).
    pub hand_over_to: Option<String>,
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
    /// The language the answer is spoken in (see [`run_tool_call`]).
    pub lang: Language,
    /// This run took over the claim of a run that stopped before answering: that run may have
    /// reached Cal.com, so a write looks for its result first.
    pub recovering: bool,
    /// Bookings this tool call changed in Cal.com, to store locally in the same commit as the
    /// call's answer (see [`run_tool_call`]).
    recorded: Arc<Mutex<Vec<Observation>>>,
    /// Callers held until that commit (a caller's booking hold, so the next booking counts this
    /// one, on any replica).
    held: Arc<Mutex<Vec<limits::BookingHold>>>,
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
            lang: Language::default(),
            recovering: false,
            recorded: Arc::default(),
            held: Arc::default(),
        }
    }

    /// Keeps `hold` until the tool call's changes are committed.
    pub(crate) fn hold(&self, hold: limits::BookingHold) {
        self.held
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(hold);
    }

    /// The database leases of what [`CallContext::hold`] kept, to give up in the commit.
    fn held_leases(&self) -> Vec<HeldLease> {
        self.held
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .map(|hold| hold.lease.clone())
            .collect()
    }

    /// Lets go of what [`CallContext::hold`] kept in this process (after the commit that gave
    /// up its leases).
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

/// A tool failure, worded for the caller in the call's language when the answer is sent.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ToolError {
    /// A message of the catalogue.
    #[error("{}", .0.text(Language::En))]
    Say(Say),
    /// A time the caller said that could not be used.
    #[error("{0}")]
    Time(TimeError),
}

impl From<TimeError> for ToolError {
    fn from(err: TimeError) -> Self {
        ToolError::Time(err)
    }
}

impl From<Say> for ToolError {
    fn from(say: Say) -> Self {
        ToolError::Say(say)
    }
}

impl ToolError {
    /// The sentence in `lang`.
    pub fn spoken(&self, lang: Language) -> String {
        match self {
            ToolError::Say(say) => say.text(lang),
            ToolError::Time(err) => err.spoken(lang),
        }
    }

    /// Whose the failure is and why, for the operator.
    pub fn failure(&self) -> Failure {
        match self {
            ToolError::Say(say) => say.failure(),
            ToolError::Time(TimeError::BadZone(_)) => Failure::mistake("unknown time zone"),
            ToolError::Time(err) if err.is_question() => Failure::mistake("time needs a question"),
            ToolError::Time(_) => Failure::mistake("time not understood"),
        }
    }

    /// A Cal.com failure while `doing` something.
    pub fn calendar(err: &CalError, doing: Doing) -> Self {
        ToolError::Say(Say::Calendar {
            fault: fault_of(err),
            doing,
        })
    }
}

/// How a Cal.com failure is told to a caller.
fn fault_of(err: &CalError) -> speech::Fault {
    use speech::Fault;
    match err {
        CalError::Timeout => Fault::Timeout,
        CalError::Unreachable(_) => Fault::Unreachable,
        CalError::Decode(_) => Fault::Unreadable,
        CalError::RateLimited { retry_after_secs } => Fault::RateLimited {
            retry_after_secs: *retry_after_secs,
        },
        CalError::Api { status: 429, .. } => Fault::Busy,
        CalError::Api {
            status: 401 | 403, ..
        } => Fault::Refused,
        CalError::Api { status, .. } if *status >= 500 => Fault::Broken { status: *status },
        CalError::Api { message, .. } => Fault::Rejected {
            message: message.clone(),
        },
        CalError::CallShareSpent => Fault::CallShareSpent,
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

/// Starts a result object with its summary (in the call's language), today's local date and the
/// language it speaks.
pub(crate) fn result_object(
    summary: Say,
    call: &CallContext,
    now: DateTime<Utc>,
    tz: Tz,
) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("summary".into(), Value::from(summary.text(call.lang)));
    map.insert(
        "today".into(),
        Value::from(local_time::speak_full_date(
            local_time::local_today(now, tz),
            call.lang,
        )),
    );
    map.insert("timeZone".into(), Value::from(tz.name()));
    map.insert("language".into(), Value::from(call.lang.code()));
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
    params::clean_arguments(&mut args).map_err(|why| Say::TooLong {
        tool: tool.to_owned(),
        why,
    })?;
    serde_json::from_value(Value::Object(args)).map_err(|e| {
        ToolError::Say(Say::BadDetails {
            tool: tool.to_owned(),
            why: e.to_string().replace('`', "'"),
        })
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
        return Err(unknown_tool(name, call.staff));
    };
    if tool.staff_only() && !call.staff {
        return Err(Say::StaffOnly(tool).into());
    }
    match tool {
        Tool::AvailabilityRead => {
            availability::availability_read(ctx, call, parse_params(name, args)?).await
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
        Tool::UserCreate => users::user_create(ctx, call, parse_params(name, args)?).await,
        Tool::CallerVerify => {
            appointments::caller_verify(ctx, call, parse_params(name, args)?).await
        }
        Tool::CallOptOut => call_opt_out::call_opt_out(ctx, call, parse_params(name, args)?).await,
        Tool::WaitlistJoin => waitlist::waitlist_join(ctx, call, parse_params(name, args)?).await,
        Tool::WaitlistLeave => waitlist::waitlist_leave(ctx, call, parse_params(name, args)?).await,
    }
}

/// The answer to a tool name the assistant does not have, naming the tools this call may use
/// (a caller never learns the staff tools' names).
fn unknown_tool(name: &str, staff: bool) -> ToolError {
    ToolError::Say(Say::UnknownTool {
        name: name.to_owned(),
        names: Tool::for_assistant(staff)
            .map(|tool| tool.name().to_owned())
            .collect(),
    })
}

/// One tool call's answer: `Ok(result)` or `Err(error)` as single-line strings, with whose the
/// failure was (none for a replayed answer) and the language it speaks.
#[derive(Debug, Clone)]
pub struct ToolAnswer {
    /// The result or the error.
    pub answer: Result<String, String>,
    /// Whose the failure is, when this run failed.
    pub failure: Option<Failure>,
    /// The language of the answer.
    pub lang: Language,
}

/// Runs a tool call end to end: claims a write (or replays the answer of the run that claimed it
/// first), runs the tool, records the invocation, and returns its answer.
pub async fn run_tool_call(
    ctx: &ToolContext,
    call: &CallContext,
    name: &str,
    mut arguments: Result<Map<String, Value>, String>,
    raw_arguments: &Value,
) -> ToolAnswer {
    let started = Instant::now();
    let created_at = ctx.clock.now();
    let ctx = &ctx.for_call(call);
    let tool = Tool::from_name(name);
    let mut call = call.clone();
    let asked = arguments
        .as_mut()
        .ok()
        .and_then(|args| args.remove("language"));
    call.lang = answer_language(ctx, &call, asked.as_ref()).await;
    let claim = if tool.is_some_and(Tool::writes) && !call.tool_call_id.is_empty() {
        match exactly_once::admit(ctx, &call, name).await {
            exactly_once::Admission::Run(claim) => Some(claim),
            exactly_once::Admission::Replay(answer) => {
                telemetry::tool_call(ctx.db.tenant(), name, "replayed", started.elapsed());
                return ToolAnswer {
                    answer,
                    failure: None,
                    lang: call.lang,
                };
            }
        }
    } else {
        None
    };
    call.recovering = claim.as_ref().is_some_and(|c| c.recovering);
    let outcome = match arguments {
        Ok(args) => run_tool(ctx, &call, name, args).await,
        Err(why) => Err(ToolError::Say(Say::UnreadableDetails {
            tool: name.to_owned(),
            why,
        })),
    };
    let links = match (&outcome, &call.call_id, tool.and_then(Tool::link_action)) {
        (Ok(value), Some(call_id), Some(action)) => {
            call_link(call_id, &call.tool_call_id, action, value)
                .into_iter()
                .collect()
        }
        _ => Vec::new(),
    };
    let failure = outcome.as_ref().err().map(ToolError::failure);
    let answer = match outcome {
        Ok(value) => Ok(crate::vapi::single_line(&value.to_string())),
        Err(err) => Err(crate::vapi::single_line(&err.spoken(call.lang))),
    };
    // What the call changed, its links and its answer are committed together, with the release
    // of the caller's booking lease: one commit after Cal.com answered, shared with other calls'
    // writes of the same moment.
    exactly_once::finish(
        ctx,
        claim.as_ref(),
        &answer,
        call.take_recorded(),
        links,
        call.held_leases(),
    )
    .await;
    call.release();
    let latency_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    let lang = call.lang;
    let invocation = ToolInvocation {
        call_id: call.call_id.clone(),
        caller_number: call.caller_phone.clone(),
        tool_call_id: call.tool_call_id.clone(),
        tool: name.to_owned(),
        arguments: params::for_the_record(raw_arguments).to_string(),
        result: answer.as_ref().ok().cloned(),
        error: answer.as_ref().err().cloned(),
        failure,
        latency_ms,
        created_at,
    };
    // A write's durable record is its claim (stored before Cal.com was called), so the audit row
    // is only needed eventually: it is written in a batch off the answer's path.
    ctx.db.record_tool_invocation_later(invocation).await;
    telemetry::tool_call(
        ctx.db.tenant(),
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
    ToolAnswer {
        answer,
        failure,
        lang,
    }
}

/// The language of a tool's answer: the `language` argument when it names one the service speaks,
/// else the language VAPI detected on the call, else the business's.
async fn answer_language(ctx: &ToolContext, call: &CallContext, asked: Option<&Value>) -> Language {
    if let Some(lang) = asked.and_then(Value::as_str).and_then(Language::from_tag) {
        return lang;
    }
    let Some(call_id) = &call.call_id else {
        return ctx.business_language;
    };
    ctx.call_languages
        .of(&ctx.db, call_id)
        .await
        .unwrap_or(ctx.business_language)
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
