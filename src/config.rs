//! Settings read from the environment (and `.env`), each also a command-line flag.
//!
//! Secrets are `SecretString`s with `hide_env_values`, so neither `--help` nor `Debug` prints them.

use std::{net::SocketAddr, time::Duration};

use chrono_tz::Tz;
use clap::Args;
use secrecy::SecretString;

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

    /// Token that signs in to the operator dashboard (/dashboard); without it the dashboard
    /// answers 404 (secret).
    #[arg(long, env = "ADMIN_TOKEN", global = true, hide_env_values = true)]
    pub admin_token: Option<SecretString>,
}

impl Settings {
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
        self.cal_webhook_secret = secret(self.cal_webhook_secret);
        self.vapi_api_key = secret(self.vapi_api_key);
        self.admin_token = secret(self.admin_token);
        self.public_url = text(self.public_url);
        self.vapi_assistant_id = text(self.vapi_assistant_id);
        self.vapi_assistant_overrides_file = text(self.vapi_assistant_overrides_file);
        self
    }

    /// The webhook secrets, split on commas.
    pub fn cal_webhook_secrets(&self) -> Vec<SecretString> {
        use secrecy::ExposeSecret;
        self.cal_webhook_secret
            .as_ref()
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

    /// Names every setting `serve` needs that is missing, so one run reports them all.
    pub fn missing_for_serve(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.cal_api_key.is_none() {
            missing.push("CAL_API_KEY");
        }
        if self.cal_event_type_id.is_none() {
            missing.push("CAL_EVENT_TYPE_ID");
        }
        if self.business_timezone.is_none() {
            missing.push("BUSINESS_TIMEZONE");
        }
        if self.cal_webhook_secrets().is_empty() && !self.accept_unsigned_cal_webhooks {
            missing.push("CAL_WEBHOOK_SECRET (or --accept-unsigned-cal-webhooks)");
        }
        missing
    }
}

/// Parses an IANA zone name into a `Tz`, with an error that names the input.
pub fn parse_tz(name: &str) -> Result<Tz, String> {
    name.trim()
        .parse::<Tz>()
        .map_err(|_| format!("'{name}' is not an IANA time zone (e.g. America/New_York)"))
}
