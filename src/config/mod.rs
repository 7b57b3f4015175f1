//! Settings read from the environment (and `.env`), each also a command-line flag.
//!
//! Secrets are `SecretString`s with `hide_env_values`, so neither `--help` nor `Debug` prints them.

pub mod outbound;
pub mod tenants;

use std::{net::SocketAddr, time::Duration};

use chrono_tz::Tz;
use clap::Args;
use secrecy::SecretString;

use crate::domain::{language::Language, local_time::DateOrder};

/// Default SQLite file, created on first use.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://vapi-cal.db?mode=rwc";

/// Settings shared by every subcommand.
#[derive(Args, Clone, Debug)]
pub struct Settings {
    /// Database: `sqlite://FILE?mode=rwc` (embedded default) or `postgres://user@host/db`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true, hide_env_values = true)]
    pub database_url: String,

    /// Address the HTTP server listens on.
    #[arg(
        long,
        env = "LISTEN_ADDR",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub listen_addr: SocketAddr,

    /// Cal.com API key (secret).
    #[arg(long, env = "CAL_API_KEY", global = true, hide_env_values = true)]
    pub cal_api_key: Option<SecretString>,

    /// Cal.com API base URL: cal.com, cal.eu or a self-hosted instance.
    #[arg(
        long,
        env = "CAL_API_URL",
        default_value = "https://api.cal.com",
        global = true
    )]
    pub cal_api_url: String,

    /// Cal.com event type booked and searched when a tool call names none.
    #[arg(long, env = "CAL_EVENT_TYPE_ID", global = true)]
    pub cal_event_type_id: Option<i64>,

    /// The Cal.com event types callers may read and book, comma-separated; the first is the
    /// default. Any other eventTypeId from a tool call is refused. Default: CAL_EVENT_TYPE_ID.
    #[arg(long, env = "CAL_EVENT_TYPE_IDS", global = true)]
    pub cal_event_type_ids: Option<String>,

    /// IANA time zone of the business, e.g. America/New_York (required by `serve`).
    #[arg(long, env = "BUSINESS_TIMEZONE", global = true, value_parser = parse_tz)]
    pub business_timezone: Option<Tz>,

    /// Cal.com organization id; enables organization users for user_read and user_create.
    #[arg(long, env = "CAL_ORGANIZATION_ID", global = true)]
    pub cal_organization_id: Option<i64>,

    /// Shared secret VAPI sends with server messages (secret).
    #[arg(
        long,
        env = "VAPI_WEBHOOK_SECRET",
        global = true,
        hide_env_values = true
    )]
    pub vapi_webhook_secret: Option<SecretString>,

    /// Secret(s) Cal.com signs webhooks with; comma-separated to accept old and new during rotation (secret).
    #[arg(
        long,
        env = "CAL_WEBHOOK_SECRET",
        global = true,
        hide_env_values = true
    )]
    pub cal_webhook_secret: Option<SecretString>,

    /// Accept unsigned Cal.com webhooks when no CAL_WEBHOOK_SECRET is set (not for production).
    #[arg(long, env = "ACCEPT_UNSIGNED_CAL_WEBHOOKS", global = true)]
    pub accept_unsigned_cal_webhooks: bool,

    /// Seconds between reconciles of the appointments table with Cal.com (0 turns it off).
    #[arg(
        long,
        env = "CAL_SYNC_INTERVAL_SECS",
        default_value_t = 600,
        global = true
    )]
    pub cal_sync_interval_secs: u64,

    /// Per-request timeout for Cal.com, in milliseconds.
    #[arg(
        long,
        env = "CAL_REQUEST_TIMEOUT_MS",
        default_value_t = 4000,
        global = true
    )]
    pub cal_request_timeout_ms: u64,

    /// Overall deadline for one tool call's Cal.com work (retries included), in milliseconds.
    /// Keep it well under VAPI's tool timeout (20 s by default) so the caller hears an answer.
    #[arg(long, env = "TOOL_DEADLINE_MS", default_value_t = 9000, global = true)]
    pub tool_deadline_ms: u64,

    /// Cal.com requests a minute for this API key, shared by every replica on PostgreSQL.
    #[arg(
        long,
        env = "CAL_RATE_LIMIT_PER_MIN",
        default_value_t = 120,
        global = true
    )]
    pub cal_rate_limit_per_min: u32,

    /// Seconds an open-times answer from Cal.com is reused (0: only identical concurrent queries share one).
    #[arg(long, env = "SLOT_CACHE_SECS", default_value_t = 30, global = true)]
    pub slot_cache_secs: u64,
    /// HMAC key(s) VAPI signs server messages with (`x-signature` over `{x-timestamp}.{body}`);
    /// comma-separated to accept old and new during rotation (secret).
    #[arg(
        long,
        env = "VAPI_WEBHOOK_HMAC_SECRET",
        global = true,
        hide_env_values = true
    )]
    pub vapi_webhook_hmac_secret: Option<SecretString>,

    /// Serve VAPI messages without any credential when no VAPI secret is set (not for production).
    #[arg(long, env = "ACCEPT_UNAUTHENTICATED_VAPI", global = true)]
    pub accept_unauthenticated_vapi: bool,

    /// Deprecated: makes EVERY call a staff call (any appointment by id, user_create, member
    /// lookups). Use STAFF_NUMBERS or STAFF_PHONE_NUMBER_IDS instead.
    #[arg(long, env = "STAFF_LINE", global = true)]
    pub staff_line: bool,

    /// Staff phone numbers in E.164, comma-separated: calls from them may create users, look up
    /// members and reach any appointment by id.
    #[arg(long, env = "STAFF_NUMBERS", global = true)]
    pub staff_numbers: Option<String>,

    /// VAPI phone-number ids of staff lines, comma-separated: every call that comes in on one of
    /// them is a staff call.
    #[arg(long, env = "STAFF_PHONE_NUMBER_IDS", global = true)]
    pub staff_phone_number_ids: Option<String>,

    /// Bearer token `GET /metrics` requires; unset means the metrics are open (secret).
    #[arg(long, env = "METRICS_TOKEN", global = true, hide_env_values = true)]
    pub metrics_token: Option<SecretString>,

    /// Log format: `text` (human-readable) or `json` (one JSON object per line).
    #[arg(long, env = "LOG_FORMAT", default_value = "text", global = true)]
    pub log_format: LogFormat,

    /// Seconds `serve` waits at shutdown for in-flight tool calls and webhooks to finish.
    #[arg(long, env = "SHUTDOWN_GRACE_SECS", default_value_t = 15, global = true)]
    pub shutdown_grace_secs: u64,

    /// VAPI private API key, used by `assistant push/pull/diff` (secret).
    #[arg(long, env = "VAPI_API_KEY", global = true, hide_env_values = true)]
    pub vapi_api_key: Option<SecretString>,

    /// VAPI REST API base URL.
    #[arg(
        long,
        env = "VAPI_API_URL",
        default_value = "https://api.vapi.ai",
        global = true
    )]
    pub vapi_api_url: String,

    /// Public HTTPS base URL of this service, e.g. https://cal.example.com; VAPI calls
    /// PUBLIC_URL/vapi/webhook and Cal.com PUBLIC_URL/cal/webhook (required by `assistant` and
    /// `calcom register-webhook`).
    #[arg(long, env = "PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// Name of the VAPI assistant; `assistant push` finds it by this name unless VAPI_ASSISTANT_ID is set.
    #[arg(
        long,
        env = "VAPI_ASSISTANT_NAME",
        default_value = "Scheduler",
        global = true
    )]
    pub vapi_assistant_name: String,

    /// Id of the VAPI assistant to manage (optional; otherwise found by name).
    #[arg(long, env = "VAPI_ASSISTANT_ID", global = true)]
    pub vapi_assistant_id: Option<String>,

    /// JSON file deep-merged over the repository's assistant definition (optional).
    // A string, not a PathBuf: an empty `VAPI_ASSISTANT_OVERRIDES_FILE=` line means "none".
    #[arg(long, env = "VAPI_ASSISTANT_OVERRIDES_FILE", global = true)]
    pub vapi_assistant_overrides_file: Option<String>,

    /// Token of the operator API (`/api/*`, as a Bearer token) and of the dashboard's sign-in
    /// (`/dashboard`); without it both answer 404 (secret).
    #[arg(long, env = "ADMIN_TOKEN", global = true, hide_env_values = true)]
    pub admin_token: Option<SecretString>,

    /// Seconds between backfills of call records from VAPI's call API in `serve` (0 turns it off).
    #[arg(
        long,
        env = "VAPI_CALL_SYNC_INTERVAL_SECS",
        default_value_t = 0,
        global = true
    )]
    pub vapi_call_sync_interval_secs: u64,

    /// A call is successful when its success evaluation is "true" or a score at least this high.
    #[arg(
        long,
        env = "CALL_SUCCESS_THRESHOLD",
        default_value_t = 7.0,
        global = true
    )]
    pub call_success_threshold: f64,

    /// Days the tool-call log keeps its rows; older ones are pruned in the background (0 keeps all).
    #[arg(
        long,
        env = "TOOL_LOG_RETENTION_DAYS",
        default_value_t = 90,
        global = true
    )]
    pub tool_log_retention_days: u32,
    /// Days call records are kept; older calls go with their transcript lines and appointment
    /// links, in the background (0 keeps all). Appointments are kept.
    #[arg(
        long,
        env = "CALL_RETENTION_DAYS",
        default_value_t = 365,
        global = true
    )]
    pub call_retention_days: u32,

    /// Days a call's transcript (its lines, the transcript text and the raw end-of-call report)
    /// is kept; the call record itself follows CALL_RETENTION_DAYS (0 keeps all).
    #[arg(
        long,
        env = "TRANSCRIPT_RETENTION_DAYS",
        default_value_t = 90,
        global = true
    )]
    pub transcript_retention_days: u32,

    /// Days the one-time codes and email proofs of calls without a number are kept (0 keeps all).
    #[arg(
        long,
        env = "CALL_EMAIL_RETENTION_DAYS",
        default_value_t = 1,
        global = true
    )]
    pub call_email_retention_days: u32,

    /// Days accepted Cal.com webhook deliveries are kept for audit and de-duplication (0 keeps all).
    #[arg(
        long,
        env = "WEBHOOK_EVENT_RETENTION_DAYS",
        default_value_t = 30,
        global = true
    )]
    pub webhook_event_retention_days: u32,

    /// Days sync-run rows are kept; the latest run of each kind and outcome always stays (0 keeps all).
    #[arg(
        long,
        env = "SYNC_RUN_RETENTION_DAYS",
        default_value_t = 30,
        global = true
    )]
    pub sync_run_retention_days: u32,

    /// Seconds a client has to send a request's headers (and an idle keep-alive connection
    /// waits for the next request) before the connection is closed.
    #[arg(
        long,
        env = "HTTP_HEADER_TIMEOUT_SECS",
        default_value_t = 15,
        global = true
    )]
    pub http_header_timeout_secs: u64,

    /// Seconds a client has to send a whole request body before it is refused (408).
    #[arg(
        long,
        env = "HTTP_BODY_TIMEOUT_SECS",
        default_value_t = 30,
        global = true
    )]
    pub http_body_timeout_secs: u64,

    /// Open connections served at once; further clients wait in the listen queue.
    #[arg(long, env = "MAX_CONNECTIONS", default_value_t = 1024, global = true)]
    pub max_connections: usize,

    /// Failed dashboard sign-ins and `/api` tokens allowed per client address per minute; then
    /// 429 with Retry-After (counted per replica, in memory).
    #[arg(
        long,
        env = "AUTH_FAILURES_PER_MINUTE",
        default_value_t = 10,
        global = true
    )]
    pub auth_failures_per_minute: u32,

    /// How numeric dates such as 12/03 are read: MDY (December 3) or DMY (March 12). Unset: the
    /// caller is asked when both readings are possible.
    #[arg(long, env = "BUSINESS_DATE_ORDER", global = true)]
    pub business_date_order: Option<DateOrder>,

    /// The language tool answers speak when neither the tool call (`language`) nor the call
    /// (VAPI's detected language) names one: `en` or `es` (BCP 47; `es-MX` is Spanish).
    #[arg(long, env = "BUSINESS_LANGUAGE", default_value = "en", global = true)]
    pub business_language: Language,

    /// SMTP server the one-time codes for callers without a number are sent through, e.g.
    /// `smtps://user:pass@mail.example.com` or `smtp://user:pass@mail.example.com:587` (STARTTLS
    /// is required unless the host is loopback). Unset: such callers cannot reach bookings made
    /// earlier and are told to call from their own phone (secret).
    #[arg(long, env = "SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<SecretString>,

    /// Sender of the one-time codes, e.g. `Bookings <bookings@example.com>` (required with SMTP_URL).
    #[arg(long, env = "SMTP_FROM", global = true)]
    pub smtp_from: Option<String>,

    /// Bookings one caller number may make in one local business day (counted by the day they
    /// were made, so one call cannot fill a run of slots on several days either).
    #[arg(
        long,
        env = "MAX_BOOKINGS_PER_CALLER_PER_DAY",
        default_value_t = 3,
        global = true
    )]
    pub max_bookings_per_caller_per_day: u32,

    /// Bookings one call may make, with or without a caller number.
    #[arg(
        long,
        env = "MAX_BOOKINGS_PER_CALL",
        default_value_t = 2,
        global = true
    )]
    pub max_bookings_per_call: u32,

    /// Tool calls run from one VAPI message; the rest are each answered with an error.
    #[arg(
        long,
        env = "MAX_TOOL_CALLS_PER_MESSAGE",
        default_value_t = 10,
        global = true
    )]
    pub max_tool_calls_per_message: usize,

    /// Cal.com requests one call may send (its share of the key's budget; cached open times
    /// cost nothing). Over it the caller hears that the call made too many lookups.
    #[arg(
        long,
        env = "CAL_REQUESTS_PER_CALL",
        default_value_t = 40,
        global = true
    )]
    pub cal_requests_per_call: u32,

    /// Id of the VAPI phone number whose inbound calls ask vapi-cal for the assistant
    /// (`assistant-request`); `assistant push` points its server URL here (optional).
    #[arg(long, env = "VAPI_PHONE_NUMBER_ID", global = true)]
    pub vapi_phone_number_id: Option<String>,

    /// Several businesses on one deployment: a TOML file with one `[[tenant]]` table each
    /// (see the README's "Several businesses"). With it, the single-business settings
    /// (`CAL_API_KEY`, `BUSINESS_TIMEZONE`, the webhook secrets, ...) are not needed.
    #[arg(long, env = "TENANTS_FILE", global = true)]
    pub tenants_file: Option<std::path::PathBuf>,

    /// Calls the business makes (reminders, no-show follow-ups, the hand-over number).
    #[command(flatten)]
    pub outbound: outbound::OutboundSettings,
}

impl Settings {
    /// Every setting at its default, whatever the environment holds: the starting point of the
    /// demo's and the tests' settings, which then set what they need.
    pub fn defaults() -> Self {
        use clap::FromArgMatches;
        let command = <Self as Args>::augment_args(clap::Command::new("vapi-cal"))
            .mut_args(|arg| arg.env(None));
        let matches = command
            .try_get_matches_from(["vapi-cal"])
            .unwrap_or_else(|err| {
                unreachable!("every setting has a default or is optional: {err}")
            });
        Self::from_arg_matches(&matches)
            .unwrap_or_else(|err| unreachable!("the defaults parse: {err}"))
    }

    /// These settings as one tenant of a tenants file sees them: the tenant's own Cal.com,
    /// zone, language, secrets, staff, limits and retention ages over the deployment's settings
    /// (timeouts and the listening address stay the deployment's).
    pub fn for_tenant(&self, def: &tenants::TenantDef) -> Self {
        use secrecy::ExposeSecret;
        let joined = |secrets: &[SecretString]| {
            (!secrets.is_empty()).then(|| {
                SecretString::from(
                    secrets
                        .iter()
                        .map(|s| s.expose_secret().to_owned())
                        .collect::<Vec<_>>()
                        .join(","),
                )
            })
        };
        let list = |items: &[String]| (!items.is_empty()).then(|| items.join(","));
        let mut s = self.clone();
        s.cal_api_key = Some(def.cal_api_key.clone());
        s.cal_api_url = def.cal_api_url.clone();
        s.cal_event_type_id = def.event_type_ids.first().copied();
        s.cal_event_type_ids = list(
            &def.event_type_ids
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>(),
        );
        s.business_timezone = Some(def.time_zone);
        s.cal_organization_id = def.organization_id;
        s.cal_webhook_secret = joined(&def.cal_webhook_secrets);
        s.accept_unsigned_cal_webhooks = false;
        s.vapi_webhook_secret = joined(&def.vapi_webhook_secrets);
        s.vapi_webhook_hmac_secret = joined(&def.vapi_hmac_secrets);
        s.accept_unauthenticated_vapi = false;
        s.staff_line = false;
        s.staff_numbers = list(&def.staff_numbers);
        s.staff_phone_number_ids = list(&def.staff_phone_number_ids);
        if let Some(key) = &def.vapi_api_key {
            s.vapi_api_key = Some(key.clone());
        }
        s.vapi_assistant_id = def.vapi_assistant_ids.first().cloned();
        s.vapi_phone_number_id = def.vapi_phone_number_ids.first().cloned();
        s.vapi_assistant_overrides_file = def.assistant_overrides.clone();
        s.business_date_order = def.date_order.or(self.business_date_order);
        s.business_language = def.language;
        let limits = def.limits;
        if let Some(n) = limits.bookings_per_caller_per_day {
            s.max_bookings_per_caller_per_day = n;
        }
        if let Some(n) = limits.bookings_per_call {
            s.max_bookings_per_call = n;
        }
        if let Some(n) = limits.tool_calls_per_message {
            s.max_tool_calls_per_message = n as usize;
        }
        if let Some(n) = limits.cal_requests_per_call {
            s.cal_requests_per_call = n;
        }
        let keep = def.retention;
        for (own, setting) in [
            (keep.tool_log_days, &mut s.tool_log_retention_days),
            (keep.calls_days, &mut s.call_retention_days),
            (keep.transcripts_days, &mut s.transcript_retention_days),
            (keep.email_proofs_days, &mut s.call_email_retention_days),
            (
                keep.webhook_events_days,
                &mut s.webhook_event_retention_days,
            ),
            (keep.sync_runs_days, &mut s.sync_run_retention_days),
        ] {
            if let Some(days) = own {
                *setting = days;
            }
        }
        def.outbound.apply(&mut s.outbound);
        s.outbound.business_name = Some(def.name.clone());
        s
    }

    /// Per-request timeout for Cal.com.
    pub fn cal_request_timeout(&self) -> Duration {
        Duration::from_millis(self.cal_request_timeout_ms)
    }

    /// Overall deadline for one tool call.
    pub fn tool_deadline(&self) -> Duration {
        Duration::from_millis(self.tool_deadline_ms)
    }

    /// Treats empty values (an `X=` line in `.env`) as unset, so a copied `.env.example` means
    /// "not configured" rather than "configured as empty".
    pub fn without_empty_values(mut self) -> Self {
        use secrecy::ExposeSecret;
        fn secret(v: Option<SecretString>) -> Option<SecretString> {
            v.filter(|s| !s.expose_secret().trim().is_empty())
        }
        fn text(v: Option<String>) -> Option<String> {
            v.filter(|s| !s.trim().is_empty())
        }
        self.cal_api_key = secret(self.cal_api_key);
        self.vapi_webhook_secret = secret(self.vapi_webhook_secret);
        self.vapi_webhook_hmac_secret = secret(self.vapi_webhook_hmac_secret);
        self.metrics_token = secret(self.metrics_token);
        self.cal_webhook_secret = secret(self.cal_webhook_secret);
        self.vapi_api_key = secret(self.vapi_api_key);
        self.admin_token = secret(self.admin_token);
        self.public_url = text(self.public_url);
        self.vapi_assistant_id = text(self.vapi_assistant_id);
        self.tenants_file = self.tenants_file.filter(|p| !p.as_os_str().is_empty());
        self.vapi_assistant_overrides_file = text(self.vapi_assistant_overrides_file);
        self.admin_token = secret(self.admin_token);
        self.vapi_phone_number_id = text(self.vapi_phone_number_id);
        self.smtp_url = secret(self.smtp_url);
        self.smtp_from = text(self.smtp_from);
        self.outbound.transfer_number = text(self.outbound.transfer_number);
        self.outbound.business_name = text(self.outbound.business_name);
        self.outbound.vapi_outbound_assistant_id = text(self.outbound.vapi_outbound_assistant_id);
        self
    }

    /// The webhook secrets, split on commas.
    pub fn cal_webhook_secrets(&self) -> Vec<SecretString> {
        split_secrets(self.cal_webhook_secret.as_ref())
    }

    /// The VAPI shared secrets, split on commas (the first is the one `assistant push` registers).
    pub fn vapi_webhook_secrets(&self) -> Vec<SecretString> {
        split_secrets(self.vapi_webhook_secret.as_ref())
    }

    /// The VAPI HMAC keys, split on commas (the first is the one `assistant push` registers).
    pub fn vapi_webhook_hmac_secrets(&self) -> Vec<SecretString> {
        split_secrets(self.vapi_webhook_hmac_secret.as_ref())
    }

    /// Time `serve` gives in-flight requests at shutdown.
    pub fn shutdown_grace(&self) -> Duration {
        Duration::from_secs(self.shutdown_grace_secs)
    }

    /// The event types callers may book, the default first: `CAL_EVENT_TYPE_IDS`, else
    /// `CAL_EVENT_TYPE_ID`. An error names a part that is not a number, or a `CAL_EVENT_TYPE_ID`
    /// missing from the list.
    pub fn bookable_event_type_ids(&self) -> Result<Vec<i64>, String> {
        let listed = comma_list(self.cal_event_type_ids.as_deref())
            .into_iter()
            .map(|part| {
                part.parse::<i64>()
                    .map_err(|_| format!("CAL_EVENT_TYPE_IDS: '{part}' is not an event type id"))
            })
            .collect::<Result<Vec<i64>, String>>()?;
        match (listed.is_empty(), self.cal_event_type_id) {
            (true, single) => Ok(single.into_iter().collect()),
            (false, Some(id)) if !listed.contains(&id) => Err(format!(
                "CAL_EVENT_TYPE_ID {id} is not in CAL_EVENT_TYPE_IDS; list it there (first, to make it the default)"
            )),
            (false, _) => Ok(listed),
        }
    }

    /// Staff numbers (`STAFF_NUMBERS`) in E.164; an error names one that is not.
    pub fn staff_numbers(&self) -> Result<Vec<String>, String> {
        comma_list(self.staff_numbers.as_deref())
            .into_iter()
            .map(|part| {
                crate::domain::phone::caller_e164(part).ok_or_else(|| {
                    format!("STAFF_NUMBERS: '{part}' is not a phone number in E.164 (+15551234567)")
                })
            })
            .collect()
    }

    /// Staff lines (`STAFF_PHONE_NUMBER_IDS`).
    pub fn staff_phone_number_ids(&self) -> Vec<String> {
        comma_list(self.staff_phone_number_ids.as_deref())
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    /// Names every setting `serve` needs that is missing, so one run reports them all.
    pub fn missing_for_serve(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.cal_api_key.is_none() {
            missing.push("CAL_API_KEY");
        }
        if self.cal_event_type_id.is_none()
            && self
                .bookable_event_type_ids()
                .is_ok_and(|ids| ids.is_empty())
        {
            missing.push("CAL_EVENT_TYPE_ID (or CAL_EVENT_TYPE_IDS)");
        }
        if self.business_timezone.is_none() {
            missing.push("BUSINESS_TIMEZONE");
        }
        if self.cal_webhook_secrets().is_empty() && !self.accept_unsigned_cal_webhooks {
            missing.push("CAL_WEBHOOK_SECRET (or --accept-unsigned-cal-webhooks)");
        }
        if self.vapi_webhook_secrets().is_empty()
            && self.vapi_webhook_hmac_secrets().is_empty()
            && !self.accept_unauthenticated_vapi
        {
            missing.push(
                "VAPI_WEBHOOK_SECRET or VAPI_WEBHOOK_HMAC_SECRET (or --accept-unauthenticated-vapi)",
            );
        }
        missing
    }

    /// Names every secret `serve` refuses because it (or one of its comma-separated values) is
    /// shorter than [`MIN_SECRET_CHARS`].
    pub fn short_secrets_for_serve(&self) -> Vec<&'static str> {
        use secrecy::ExposeSecret;
        let named = [
            ("VAPI_WEBHOOK_SECRET", self.vapi_webhook_secrets()),
            ("VAPI_WEBHOOK_HMAC_SECRET", self.vapi_webhook_hmac_secrets()),
            ("CAL_WEBHOOK_SECRET", self.cal_webhook_secrets()),
            // These two are single tokens: a comma is part of the token.
            ("ADMIN_TOKEN", self.admin_token.iter().cloned().collect()),
            (
                "METRICS_TOKEN",
                self.metrics_token.iter().cloned().collect(),
            ),
        ];
        named
            .into_iter()
            .filter(|(_, values)| {
                values
                    .iter()
                    .any(|v| v.expose_secret().trim().chars().count() < MIN_SECRET_CHARS)
            })
            .map(|(name, _)| name)
            .collect()
    }

    /// How long a client may take to send a request's headers.
    pub fn http_header_timeout(&self) -> Duration {
        Duration::from_secs(self.http_header_timeout_secs.max(1))
    }

    /// How long a client may take to send a request's body.
    pub fn http_body_timeout(&self) -> Duration {
        Duration::from_secs(self.http_body_timeout_secs.max(1))
    }
}

/// Shortest secret `serve` accepts: anything shorter can be guessed.
pub const MIN_SECRET_CHARS: usize = 16;

/// The non-empty, trimmed parts of a comma-separated setting.
fn comma_list(value: Option<&str>) -> Vec<&str> {
    value
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// Splits a comma-separated secret into its non-empty parts (several during a rotation).
fn split_secrets(value: Option<&SecretString>) -> Vec<SecretString> {
    use secrecy::ExposeSecret;
    value
        .map(|s| {
            s.expose_secret()
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(SecretString::from)
                .collect()
        })
        .unwrap_or_default()
}

/// How log lines are written.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Parses an IANA zone name into a `Tz`, with an error that names the input.
pub fn parse_tz(name: &str) -> Result<Tz, String> {
    name.trim()
        .parse::<Tz>()
        .map_err(|_| format!("'{name}' is not an IANA time zone (e.g. America/New_York)"))
}
