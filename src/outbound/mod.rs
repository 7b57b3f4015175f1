//! Calls the business makes: a reminder before each accepted appointment and, when the business
//! wants it, a follow-up after a no-show, placed through VAPI's `POST /call` with the calling
//! assistant.
//!
//! One pass ([`Outbound::run_once`]) plans what is new (one row per appointment, kind, start and
//! lead time; see [`crate::db::outbound`]) and places what is due: inside calling hours, at most
//! `OUTBOUND_MAX_CONCURRENT` at once, never to a number that opted out, never about an
//! appointment cancelled or moved since it was planned. Each tenant's pass runs under its
//! `outbound` lease, and each call is claimed before it is placed, so replicas and restarts
//! place it once. How it ended comes back with the call's end-of-call report ([`outcome`]).

pub mod outcome;
mod plan;
pub mod waitlist;

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use serde_json::{Value, json};

use crate::{
    calcom::CalClient,
    clock::Clock,
    config::outbound::OutboundSettings,
    db::{Db, DbError, outbound::OutboundChange},
    domain::{
        appointment::Status,
        call_window::CallWindow,
        language::Language,
        local_time::speak_instant,
        outbound::{OutboundCall, OutboundKind, OutboundState},
    },
    vapi::client::{VapiClient, VapiError},
};

/// Suffix of the calling assistant's name: "Scheduler (calls)".
pub const ASSISTANT_NAME_SUFFIX: &str = " (calls)";

/// A reminder is pointless this close to the appointment.
const MIN_NOTICE: Duration = Duration::minutes(15);
/// A placed call whose report never came stops counting as ringing after this long.
const RINGING_AT_MOST: Duration = Duration::minutes(30);
/// A claim older than this whose process never said VAPI took the call was interrupted.
const PLACING_AT_MOST: Duration = Duration::minutes(5);
/// How long one pass holds the tenant's `outbound` lease.
const LEASE_FOR: Duration = Duration::minutes(2);
/// Wait after VAPI refused with 429 or 5xx (doubled after each further refusal, capped).
const FIRST_BACKOFF: Duration = Duration::minutes(1);
/// Longest wait after refusals.
const MAX_BACKOFF: Duration = Duration::minutes(30);
/// Between a call nobody answered and the next try.
pub const RETRY_AFTER: Duration = Duration::hours(1);

/// What one business's calls follow.
#[derive(Clone, Debug)]
pub struct OutboundPolicy {
    /// Reminder calls before appointments.
    pub reminders: bool,
    /// How long before the start a reminder rings.
    pub lead: Duration,
    /// Further calls after no answer or a voicemail.
    pub retries: u32,
    /// A call after a no-show.
    pub no_show_follow_up: bool,
    /// Calls offering opened times to the waitlist.
    pub waitlist: bool,
    /// Calling hours.
    pub window: CallWindow,
    /// Calls ringing at once, at most.
    pub max_concurrent: u32,
    /// The business's zone.
    pub tz: Tz,
    /// The business's language (the spoken time the assistant reads out).
    pub language: Language,
    /// The business's name as the call says it.
    pub business_name: String,
    /// The business's line calls are placed from (VAPI phone-number id).
    pub phone_number_id: Option<String>,
    /// The calling assistant's id, when set; else it is found by `assistant_name`.
    pub assistant_id: Option<String>,
    /// The calling assistant's name on VAPI.
    pub assistant_name: String,
}

impl OutboundPolicy {
    /// The policy of `settings` for a business in `tz` speaking `language`.
    pub fn from_settings(
        settings: &OutboundSettings,
        tz: Tz,
        language: Language,
        phone_number_id: Option<String>,
        inbound_assistant_name: &str,
    ) -> Self {
        Self {
            reminders: settings.reminders.is_on(),
            lead: Duration::minutes(settings.lead_minutes()),
            retries: settings.reminder_retries,
            no_show_follow_up: settings.no_show_follow_up.is_on(),
            waitlist: settings.waitlist.is_on(),
            window: settings.call_window.clone(),
            max_concurrent: settings.outbound_max_concurrent,
            tz,
            language,
            business_name: settings
                .business_name
                .clone()
                .unwrap_or_else(|| "the business".to_owned()),
            phone_number_id,
            assistant_id: settings.vapi_outbound_assistant_id.clone(),
            assistant_name: calling_assistant_name(inbound_assistant_name),
        }
    }

    /// Whether the business makes any call.
    pub fn any_on(&self) -> bool {
        self.reminders || self.no_show_follow_up || self.waitlist
    }
}

/// The calling assistant's name for the inbound assistant `name`, within VAPI's 40 characters.
pub fn calling_assistant_name(name: &str) -> String {
    let room = crate::assistant::MAX_NAME_LEN - ASSISTANT_NAME_SUFFIX.len();
    let base: String = name.chars().take(room).collect();
    format!("{}{ASSISTANT_NAME_SUFFIX}", base.trim_end())
}

/// One business's outbound calls: its policy, its database, VAPI.
#[derive(Clone, Debug)]
pub struct Outbound {
    db: Db,
    clock: Clock,
    vapi: Option<VapiClient>,
    /// Cal.com, to hold a time offered from the waitlist and book it.
    cal: Option<CalClient>,
    policy: OutboundPolicy,
    /// This process, as the holder of leases and claims.
    holder: String,
    /// Shared by clones: the assistant id once found, and the back-off after VAPI refusals.
    memory: Arc<Mutex<Memory>>,
}

#[derive(Debug, Default)]
struct Memory {
    assistant_id: Option<String>,
    paused_until: Option<DateTime<Utc>>,
    refusals: u32,
}

/// What one pass did (or, dry, would do).
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PassReport {
    /// Nothing was written or called.
    pub dry_run: bool,
    /// Another process holds the business's `outbound` lease and made this pass.
    pub not_leader: bool,
    /// Calls planned in this pass.
    pub planned: Vec<OutboundCall>,
    /// Calls placed (dry: that would be placed now).
    pub placed: Vec<OutboundCall>,
    /// Calls skipped, each with why.
    pub skipped: Vec<OutboundCall>,
    /// Calls whose time moved (outside calling hours, or VAPI asked to wait).
    pub deferred: Vec<OutboundCall>,
    /// Calls VAPI refused.
    pub failed: Vec<OutboundCall>,
    /// Due calls left waiting because enough are ringing.
    pub waiting_for_a_line: usize,
    /// What the pass did with the waitlist: times found, offered, given up.
    pub waitlist: Vec<waitlist::Step>,
}

impl Outbound {
    /// The outbound calls of the business on `db`.
    pub fn new(
        db: Db,
        clock: Clock,
        vapi: Option<VapiClient>,
        cal: Option<CalClient>,
        policy: OutboundPolicy,
    ) -> Self {
        Self {
            db,
            clock,
            vapi,
            cal,
            policy,
            holder: format!("outbound-{}", uuid::Uuid::new_v4().simple()),
            memory: Arc::default(),
        }
    }

    /// The policy.
    pub fn policy(&self) -> &OutboundPolicy {
        &self.policy
    }

    /// One pass: plans new calls and places due ones (see the module docs). `dry_run` reports
    /// what would happen now without writing or calling anything.
    pub async fn run_once(&self, dry_run: bool) -> Result<PassReport, DbError> {
        let now = self.clock.now();
        let mut report = PassReport {
            dry_run,
            ..PassReport::default()
        };
        if !self.policy.any_on() {
            return Ok(report);
        }
        if !dry_run {
            if !self
                .db
                .try_lease("outbound", &self.holder, now, now + LEASE_FOR)
                .await?
            {
                report.not_leader = true;
                return Ok(report);
            }
            self.fail_interrupted(now).await?;
        }
        let planned = plan::plan(self, now, dry_run).await?;
        // Dry, nothing planned was written: what would be due at once is looked at here too.
        let mut fresh = Vec::new();
        for call in planned {
            if call.state == OutboundState::Skipped {
                report.skipped.push(call.clone());
            } else if dry_run && call.due_at <= now {
                fresh.push(call.clone());
            }
            report.planned.push(call);
        }
        self.place_due(now, dry_run, fresh, &mut report).await?;
        waitlist::pass(self, now, dry_run, &mut report).await?;
        if !dry_run {
            self.db.release_lease("outbound", &self.holder).await?;
        }
        Ok(report)
    }

    /// Calls claimed by a process that stopped before VAPI answered: VAPI may or may not have
    /// placed them, so they are not placed again (nobody is called twice).
    async fn fail_interrupted(&self, now: DateTime<Utc>) -> Result<(), DbError> {
        for call in self
            .db
            .interrupted_outbound_calls(now - PLACING_AT_MOST)
            .await?
        {
            self.fail_placing(
                &call,
                "the process placing it stopped before VAPI answered; not placed again, so nobody is called twice",
                now,
            )
            .await?;
        }
        Ok(())
    }

    /// A claimed call that will not be placed: failed, with why.
    async fn fail_placing(
        &self,
        call: &OutboundCall,
        why: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let change = OutboundChange {
            state: OutboundState::Failed,
            outcome: None,
            detail: Some(why.to_owned()),
            due_at: None,
            attempts_delta: 0,
        };
        self.db
            .change_outbound_call(&call.key(), &[OutboundState::Placing], &change, now)
            .await?;
        crate::telemetry::outbound(self.db.tenant(), call.kind.as_str(), "failed");
        Ok(())
    }

    /// Places the due calls there is a line for.
    async fn place_due(
        &self,
        now: DateTime<Utc>,
        dry_run: bool,
        fresh: Vec<OutboundCall>,
        report: &mut PassReport,
    ) -> Result<(), DbError> {
        if let Some(until) = self.paused_until()
            && until > now
        {
            return Ok(());
        }
        let ringing = self.ringing(now).await?;
        let mut free = i64::from(self.policy.max_concurrent) - ringing;
        let mut due = self.db.due_outbound_calls(now, 200).await?;
        due.extend(fresh);
        for call in due {
            if let Some(reason) = self.reason_to_skip(&call, now).await? {
                let skipped = self
                    .settle(&call, OutboundState::Skipped, reason, None, now, dry_run)
                    .await?;
                report.skipped.push(skipped);
                continue;
            }
            if !self.policy.window.contains(now, self.policy.tz) {
                let next = self.policy.window.earliest_at_or_after(now, self.policy.tz);
                match next.filter(|next| self.still_useful_at(&call, *next)) {
                    Some(next) => {
                        let detail =
                            format!("outside calling hours; moved to {}", next.to_rfc3339());
                        let moved = self
                            .settle(
                                &call,
                                OutboundState::Scheduled,
                                detail,
                                Some(next),
                                now,
                                dry_run,
                            )
                            .await?;
                        report.deferred.push(moved);
                    }
                    None => {
                        let skipped = self
                            .settle(
                                &call,
                                OutboundState::Skipped,
                                "no calling hours left before the appointment".to_owned(),
                                None,
                                now,
                                dry_run,
                            )
                            .await?;
                        report.skipped.push(skipped);
                    }
                }
                continue;
            }
            if free <= 0 {
                report.waiting_for_a_line += 1;
                continue;
            }
            if dry_run {
                report.placed.push(call);
                free -= 1;
                continue;
            }
            if !self
                .db
                .claim_outbound_call(&call.key(), &self.holder, now)
                .await?
            {
                // Another process took it.
                continue;
            }
            free -= 1;
            match self.place(&call).await {
                Ok(id) => {
                    // False when the call's report came first and recorded it already.
                    self.db.outbound_placed(&call.key(), &id, now).await?;
                    self.remember_success();
                    crate::telemetry::outbound(self.db.tenant(), call.kind.as_str(), "placed");
                    let mut placed = call.clone();
                    placed.state = OutboundState::Placed;
                    placed.vapi_call_id = Some(id);
                    placed.attempts += 1;
                    report.placed.push(placed);
                }
                Err(PlaceError::Vapi(err)) if err.is_retryable() => {
                    let wait = self.remember_refusal(now);
                    let detail = format!("{err}; trying again after {}", wait.to_rfc3339());
                    let change = OutboundChange {
                        state: OutboundState::Scheduled,
                        outcome: None,
                        detail: Some(detail.clone()),
                        due_at: Some(wait),
                        attempts_delta: -1,
                    };
                    self.db
                        .change_outbound_call(&call.key(), &[OutboundState::Placing], &change, now)
                        .await?;
                    crate::telemetry::outbound(self.db.tenant(), call.kind.as_str(), "deferred");
                    let mut deferred = call.clone();
                    deferred.due_at = wait;
                    deferred.detail = Some(detail);
                    report.deferred.push(deferred);
                    // VAPI asked us to wait: the rest waits too.
                    break;
                }
                Err(err) => {
                    self.fail_placing(&call, &err.to_string(), now).await?;
                    tracing::warn!(booking = %call.booking_uid, %err, "could not place a call");
                    let mut failed = call.clone();
                    failed.state = OutboundState::Failed;
                    failed.detail = Some(err.to_string());
                    report.failed.push(failed);
                }
            }
        }
        Ok(())
    }

    /// Calls ringing or about to: reminders and follow-ups placed, and times being offered.
    async fn ringing(&self, now: DateTime<Utc>) -> Result<i64, DbError> {
        Ok(self.db.outbound_in_progress(now, RINGING_AT_MOST).await?
            + self.db.offers_in_progress().await?)
    }

    /// Why a due call must not be placed: its appointment is gone, cancelled, moved or about
    /// to start, or the number opted out.
    async fn reason_to_skip(
        &self,
        call: &OutboundCall,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, DbError> {
        let Some(appointment) = self.db.appointment(&call.booking_uid).await? else {
            return Ok(Some(
                "the appointment is no longer in the calendar".to_owned(),
            ));
        };
        if appointment.rescheduled_to_uid.is_some() {
            return Ok(Some(
                "the appointment was moved; the new time gets its own call".to_owned(),
            ));
        }
        let reminded_state = match call.kind {
            OutboundKind::Reminder => appointment.status == Status::Accepted,
            OutboundKind::NoShow => appointment.status != Status::Cancelled,
        };
        if !reminded_state {
            return Ok(Some(format!(
                "the appointment is {}",
                appointment.status.as_str()
            )));
        }
        if appointment.start_time != Some(call.appointment_start) {
            return Ok(Some(
                "the appointment was moved; the new time gets its own call".to_owned(),
            ));
        }
        if call.kind == OutboundKind::Reminder && !self.still_useful_at(call, now) {
            return Ok(Some("too late: the appointment starts soon".to_owned()));
        }
        if self.db.is_opted_out(&call.phone).await? {
            return Ok(Some("the number asked not to be called".to_owned()));
        }
        Ok(None)
    }

    /// Whether a call placed at `at` still serves its purpose.
    fn still_useful_at(&self, call: &OutboundCall, at: DateTime<Utc>) -> bool {
        match call.kind {
            OutboundKind::Reminder => at + MIN_NOTICE < call.appointment_start,
            // A follow-up offers a new time: any time within a week of the missed one.
            OutboundKind::NoShow => at < call.appointment_start + Duration::days(7),
        }
    }

    /// Records a call's new state (not when dry) and returns the call as it now stands.
    async fn settle(
        &self,
        call: &OutboundCall,
        state: OutboundState,
        detail: String,
        due_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
        dry_run: bool,
    ) -> Result<OutboundCall, DbError> {
        if !dry_run {
            let change = OutboundChange {
                state,
                outcome: None,
                detail: Some(detail.clone()),
                due_at,
                attempts_delta: 0,
            };
            self.db
                .change_outbound_call(&call.key(), &[OutboundState::Scheduled], &change, now)
                .await?;
            let what = match state {
                OutboundState::Skipped => "skipped",
                _ => "deferred",
            };
            crate::telemetry::outbound(self.db.tenant(), call.kind.as_str(), what);
        }
        let mut settled = call.clone();
        settled.state = state;
        settled.detail = Some(detail);
        if let Some(due) = due_at {
            settled.due_at = due;
        }
        Ok(settled)
    }

    /// Asks VAPI to place `call`; VAPI's id for it.
    async fn place(&self, call: &OutboundCall) -> Result<String, PlaceError> {
        self.create_call(|assistant_id, phone_number_id| {
            self.call_body(call, assistant_id, phone_number_id)
        })
        .await
    }

    /// The `CreateCallDTO` of `call`.
    pub fn call_body(
        &self,
        call: &OutboundCall,
        assistant_id: &str,
        phone_number_id: &str,
    ) -> Value {
        let spoken = speak_instant(call.appointment_start, self.policy.tz, self.policy.language);
        let variables = json!({
            "callPurpose": call.kind.as_str(),
            "appointmentId": call.booking_uid,
            "appointmentTime": spoken,
        });
        self.create_call_body(
            CallTarget {
                assistant_id,
                phone_number_id,
                phone: &call.phone,
                name: call.attendee_name.as_deref(),
                label: &format!("{} {}", call.kind.label(), call.booking_uid),
            },
            variables,
        )
    }

    /// A `CreateCallDTO` to `target` with the assistant's `variables` and the ones every call
    /// carries (the callee's name, the business's name).
    fn create_call_body(&self, target: CallTarget<'_>, mut variables: Value) -> Value {
        let mut customer = json!({"number": target.phone});
        if let Some(name) = target.name {
            customer["name"] = json!(crate::domain::text::clean_line(name, 40));
        }
        // Data from a booking or a caller, never instructions: one short clean line.
        variables["callerName"] = json!(
            target
                .name
                .map(|n| crate::domain::text::clean_line(n, 60))
                .unwrap_or_default()
        );
        variables["businessName"] = json!(self.policy.business_name);
        json!({
            "assistantId": target.assistant_id,
            "phoneNumberId": target.phone_number_id,
            "customer": customer,
            "name": target.label.chars().take(40).collect::<String>(),
            "assistantOverrides": { "variableValues": variables }
        })
    }

    /// Asks VAPI to place a call with `body` built by `build` from the assistant and line;
    /// VAPI's id for it.
    async fn create_call(
        &self,
        build: impl FnOnce(&str, &str) -> Value,
    ) -> Result<String, PlaceError> {
        let vapi = self.vapi.as_ref().ok_or(PlaceError::NoVapiKey)?;
        let phone_number_id = self
            .policy
            .phone_number_id
            .clone()
            .ok_or(PlaceError::NoLine)?;
        let assistant_id = self.assistant_id(vapi).await?;
        let body = build(&assistant_id, &phone_number_id);
        let created = vapi.create_call(&body).await.map_err(PlaceError::Vapi)?;
        created
            .get("id")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| {
                PlaceError::Vapi(VapiError::Decode(
                    "POST /call answered without an id".to_owned(),
                ))
            })
    }

    /// The calling assistant's id: the setting, else found once by its name.
    async fn assistant_id(&self, vapi: &VapiClient) -> Result<String, PlaceError> {
        if let Some(id) = &self.policy.assistant_id {
            return Ok(id.clone());
        }
        if let Some(id) = self.lock().assistant_id.clone() {
            return Ok(id);
        }
        let found = crate::assistant::find_assistant(vapi, None, &self.policy.assistant_name)
            .await
            .map_err(|e| PlaceError::Lookup(e.to_string()))?;
        let id = found
            .and_then(|a| a.get("id").and_then(Value::as_str).map(str::to_owned))
            .ok_or_else(|| PlaceError::NoAssistant(self.policy.assistant_name.clone()))?;
        self.lock().assistant_id = Some(id.clone());
        Ok(id)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Memory> {
        self.memory.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn paused_until(&self) -> Option<DateTime<Utc>> {
        self.lock().paused_until
    }

    fn remember_success(&self) {
        let mut memory = self.lock();
        memory.refusals = 0;
        memory.paused_until = None;
    }

    /// VAPI refused for now: waits longer after each refusal in a row; returns until when.
    fn remember_refusal(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let mut memory = self.lock();
        memory.refusals = memory.refusals.saturating_add(1);
        let factor = 1i32 << memory.refusals.saturating_sub(1).min(8);
        let wait = (FIRST_BACKOFF * factor).min(MAX_BACKOFF);
        let until = now + wait;
        memory.paused_until = Some(until);
        until
    }

    /// Records how one of the business's calls ended, from an ended call's message: a reminder
    /// or follow-up, else a waitlist offer. `None` when the call is none of them (or its
    /// outcome is stored already).
    pub async fn record_ended(
        &self,
        ended: outcome::Ended<'_>,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, DbError> {
        if let Some(done) = outcome::record(&self.db, &self.policy, ended, now).await? {
            return Ok(Some(match done.retry_at {
                Some(at) => format!("{}; calling again at {}", done.outcome, at.to_rfc3339()),
                None => done.outcome.to_string(),
            }));
        }
        Ok(waitlist::record_ended(self, &ended, now)
            .await?
            .map(|outcome| format!("waitlist offer: {}", outcome.as_str())))
    }

    /// Runs a pass every `every` until stopped; failures are logged and the next pass tries again.
    pub async fn run_periodic(self, every: std::time::Duration) {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match self.run_once(false).await {
                Ok(report) if !report.placed.is_empty() || !report.failed.is_empty() => {
                    tracing::info!(
                        placed = report.placed.len(),
                        failed = report.failed.len(),
                        skipped = report.skipped.len(),
                        "outbound calls"
                    );
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(%err, "outbound pass failed"),
            }
        }
    }
}

/// Whom a call goes to, from which line, with which assistant.
struct CallTarget<'a> {
    assistant_id: &'a str,
    phone_number_id: &'a str,
    phone: &'a str,
    name: Option<&'a str>,
    /// The call's name on VAPI (cut to 40 characters).
    label: &'a str,
}

/// Why a call could not be placed.
#[derive(Debug, thiserror::Error)]
enum PlaceError {
    #[error("VAPI_API_KEY is not set: calls cannot be placed")]
    NoVapiKey,
    #[error("no VAPI phone number to call from (VAPI_PHONE_NUMBER_ID or vapi_phone_number_ids)")]
    NoLine,
    #[error("the calling assistant '{0}' is not on VAPI: run `vapi-cal assistant push`")]
    NoAssistant(String),
    #[error("could not look up the calling assistant: {0}")]
    Lookup(String),
    #[error(transparent)]
    Vapi(VapiError),
}
