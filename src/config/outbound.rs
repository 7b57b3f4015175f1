//! Settings of the calls the business makes: reminders before appointments, a follow-up after a
//! no-show, calling hours, how many calls at once, and the number a caller is handed over to.
//! Each is also a key of a `[[tenant]]` table, so every business sets its own policy.

use clap::Args;

use crate::domain::call_window::{CallWindow, DEFAULT_CALL_WINDOW};

/// Whether the business makes a kind of call.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CallPolicy {
    /// No such calls.
    #[default]
    Off,
    /// Place them through VAPI.
    Call,
}

impl CallPolicy {
    /// Reads `off` or `call`.
    pub fn parse(word: &str) -> Result<Self, String> {
        match word.trim().to_ascii_lowercase().as_str() {
            "off" => Ok(CallPolicy::Off),
            "call" => Ok(CallPolicy::Call),
            other => Err(format!("'{other}' is neither off nor call")),
        }
    }

    /// Whether calls are placed.
    pub const fn is_on(self) -> bool {
        matches!(self, CallPolicy::Call)
    }
}

/// The outbound settings (`REMINDERS`, `REMINDER_LEAD_HOURS`, `CALL_WINDOW`, ...).
#[derive(Args, Clone, Debug)]
pub struct OutboundSettings {
    /// Reminder calls before appointments: `off` or `call`.
    #[arg(long, env = "REMINDERS", default_value = "off", global = true)]
    pub reminders: CallPolicy,

    /// Hours before an appointment its reminder call rings.
    #[arg(
        long,
        env = "REMINDER_LEAD_HOURS",
        default_value_t = 24.0,
        global = true
    )]
    pub reminder_lead_hours: f64,

    /// Further calls when a reminder reaches nobody or a voicemail, an hour apart.
    #[arg(long, env = "REMINDER_RETRIES", default_value_t = 1, global = true)]
    pub reminder_retries: u32,

    /// A call offering a new time after Cal.com marks a no-show: `off` or `call`.
    #[arg(long, env = "NO_SHOW_FOLLOW_UP", default_value = "off", global = true)]
    pub no_show_follow_up: CallPolicy,

    /// A waitlist for full days: `call` gives callers `waitlist_join` and calls the first one
    /// waiting when a matching time opens up; `off` refuses joining.
    #[arg(long, env = "WAITLIST", default_value = "off", global = true)]
    pub waitlist: CallPolicy,

    /// When the business may call, in its zone: days then hours, e.g. `Mon-Fri 09:00-19:00`.
    #[arg(long, env = "CALL_WINDOW", default_value = DEFAULT_CALL_WINDOW, global = true, value_parser = parse_window)]
    pub call_window: CallWindow,

    /// Calls the business has ringing at once, at most (across replicas).
    #[arg(
        long,
        env = "OUTBOUND_MAX_CONCURRENT",
        default_value_t = 2,
        global = true
    )]
    pub outbound_max_concurrent: u32,

    /// Seconds between looks for calls to place (0: only `vapi-cal outbound run` places them).
    #[arg(
        long,
        env = "OUTBOUND_INTERVAL_SECS",
        default_value_t = 30,
        global = true
    )]
    pub outbound_interval_secs: u64,

    /// The number (E.164) a caller who asks for a person is handed over to; both assistants get
    /// VAPI's transfer tool with it. Unset: no hand-over.
    #[arg(long, env = "TRANSFER_NUMBER", global = true)]
    pub transfer_number: Option<String>,

    /// The business's name as the calls say it ("this is {name} calling").
    #[arg(long, env = "BUSINESS_NAME", global = true)]
    pub business_name: Option<String>,

    /// Id of the VAPI assistant that makes the calls (optional: found by its name, the
    /// assistant's name followed by " (calls)", as `assistant push` registers it).
    #[arg(long, env = "VAPI_OUTBOUND_ASSISTANT_ID", global = true)]
    pub vapi_outbound_assistant_id: Option<String>,
}

impl OutboundSettings {
    /// Whether the business makes any call at all.
    pub fn any_on(&self) -> bool {
        self.reminders.is_on() || self.no_show_follow_up.is_on() || self.waitlist.is_on()
    }

    /// The reminder lead time, in whole minutes (at least one).
    pub fn lead_minutes(&self) -> i64 {
        let minutes = (self.reminder_lead_hours * 60.0).round();
        if minutes.is_finite() && minutes >= 1.0 {
            minutes as i64
        } else {
            1
        }
    }
}

/// Parses `CALL_WINDOW`.
pub fn parse_window(text: &str) -> Result<CallWindow, String> {
    text.parse::<CallWindow>().map_err(|e| e.to_string())
}

/// The outbound settings a `[[tenant]]` table sets for its business; `None` keeps the
/// deployment's.
#[derive(Clone, Debug, Default)]
pub struct TenantOutbound {
    /// `reminders`.
    pub reminders: Option<CallPolicy>,
    /// `reminder_lead_hours`.
    pub reminder_lead_hours: Option<u32>,
    /// `reminder_retries`.
    pub reminder_retries: Option<u32>,
    /// `no_show_follow_up`.
    pub no_show_follow_up: Option<CallPolicy>,
    /// `waitlist`.
    pub waitlist: Option<CallPolicy>,
    /// `call_window`.
    pub call_window: Option<CallWindow>,
    /// `outbound_max_concurrent`.
    pub outbound_max_concurrent: Option<u32>,
    /// `transfer_number`, E.164.
    pub transfer_number: Option<String>,
    /// `vapi_outbound_assistant_id`.
    pub vapi_outbound_assistant_id: Option<String>,
}

impl TenantOutbound {
    /// Lays what the tenant sets over the deployment's `settings`.
    pub fn apply(&self, settings: &mut OutboundSettings) {
        if let Some(v) = self.reminders {
            settings.reminders = v;
        }
        if let Some(v) = self.reminder_lead_hours {
            settings.reminder_lead_hours = f64::from(v);
        }
        if let Some(v) = self.reminder_retries {
            settings.reminder_retries = v;
        }
        if let Some(v) = self.no_show_follow_up {
            settings.no_show_follow_up = v;
        }
        if let Some(v) = self.waitlist {
            settings.waitlist = v;
        }
        if let Some(v) = &self.call_window {
            settings.call_window = v.clone();
        }
        if let Some(v) = self.outbound_max_concurrent {
            settings.outbound_max_concurrent = v;
        }
        // The hand-over number and the calling assistant are the business's own: never the
        // deployment's.
        settings.transfer_number = self.transfer_number.clone();
        settings.vapi_outbound_assistant_id = self.vapi_outbound_assistant_id.clone();
    }
}
