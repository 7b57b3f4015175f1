//! The tenants file (`TENANTS_FILE`): one `[[tenant]]` table per business served by this
//! deployment, reviewed in git like the assistant definition.
//!
//! The whole file is checked before anything is served, and every problem is named with its
//! line, so one run reports them all: an unknown key, a duplicate slug, a phone number or
//! assistant claimed by two tenants, a bad zone, a secret whose environment variable is unset.
//! Secrets are written `env:VAR_NAME` (read from the environment when the file is read) or
//! inline, which is allowed with a warning.

use std::{
    collections::{BTreeMap, HashMap},
    fmt,
};

use chrono_tz::Tz;
use secrecy::{ExposeSecret, SecretString};
use toml::{
    Spanned,
    de::{DeTable, DeValue},
};

use super::{
    MIN_SECRET_CHARS,
    outbound::{CallPolicy, TenantOutbound, parse_window},
    parse_tz,
};
use crate::domain::{
    language::Language,
    local_time::DateOrder,
    phone::caller_e164,
    tenant::{SlugError, TenantSlug},
};

/// One business as the file defines it, its secrets read.
#[derive(Clone, Debug)]
pub struct TenantDef {
    /// URL-safe, unique name (`/t/{slug}/…`).
    pub slug: TenantSlug,
    /// The business's name, as pages and the assistant say it.
    pub name: String,
    /// The business's zone.
    pub time_zone: Tz,
    /// The language answers use when a call names none.
    pub language: Language,
    /// Cal.com's API base URL.
    pub cal_api_url: String,
    /// The Cal.com API key.
    pub cal_api_key: SecretString,
    /// Event types callers may book, the default first.
    pub event_type_ids: Vec<i64>,
    /// Cal.com organization, for member lookups.
    pub organization_id: Option<i64>,
    /// Secrets Cal.com signs this business's webhooks with.
    pub cal_webhook_secrets: Vec<SecretString>,
    /// VAPI shared secrets of this business's messages.
    pub vapi_webhook_secrets: Vec<SecretString>,
    /// VAPI HMAC keys of this business's messages.
    pub vapi_hmac_secrets: Vec<SecretString>,
    /// The VAPI private key of the organisation this business's assistants, numbers and calls
    /// belong to; `None` uses the deployment's `VAPI_API_KEY`.
    pub vapi_api_key: Option<SecretString>,
    /// The business's VAPI assistants (the first answers `assistant-request`).
    pub vapi_assistant_ids: Vec<String>,
    /// The business's VAPI phone numbers.
    pub vapi_phone_number_ids: Vec<String>,
    /// Tokens that sign in to this business's console and API only.
    pub admin_tokens: Vec<SecretString>,
    /// Staff numbers, E.164.
    pub staff_numbers: Vec<String>,
    /// Staff lines.
    pub staff_phone_number_ids: Vec<String>,
    /// How `12/03` is read.
    pub date_order: Option<DateOrder>,
    /// The per-caller limits this business sets (the deployment's where it sets none).
    pub limits: TenantLimits,
    /// How long this business keeps what grows per call (the deployment's where it sets none).
    pub retention: TenantRetention,
    /// Per-tenant assistant overrides file, relative to the working directory.
    pub assistant_overrides: Option<String>,
    /// The calls this business makes, where it sets them.
    pub outbound: TenantOutbound,
    /// The line of its `[[tenant]]` header.
    pub line: usize,
}

/// Limits a tenant may set for itself; `None` keeps the deployment's setting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TenantLimits {
    /// `MAX_BOOKINGS_PER_CALLER_PER_DAY`.
    pub bookings_per_caller_per_day: Option<u32>,
    /// `MAX_BOOKINGS_PER_CALL`.
    pub bookings_per_call: Option<u32>,
    /// `MAX_TOOL_CALLS_PER_MESSAGE`.
    pub tool_calls_per_message: Option<u32>,
    /// `CAL_REQUESTS_PER_CALL`.
    pub cal_requests_per_call: Option<u32>,
}

/// Retention ages (days, 0 keeps all) a tenant may set for itself; `None` keeps the deployment's
/// `*_RETENTION_DAYS` setting of the same name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TenantRetention {
    /// `TOOL_LOG_RETENTION_DAYS`.
    pub tool_log_days: Option<u32>,
    /// `CALL_RETENTION_DAYS`.
    pub calls_days: Option<u32>,
    /// `TRANSCRIPT_RETENTION_DAYS`.
    pub transcripts_days: Option<u32>,
    /// `CALL_EMAIL_RETENTION_DAYS`.
    pub email_proofs_days: Option<u32>,
    /// `WEBHOOK_EVENT_RETENTION_DAYS`.
    pub webhook_events_days: Option<u32>,
    /// `SYNC_RUN_RETENTION_DAYS`.
    pub sync_runs_days: Option<u32>,
}

/// A checked tenants file.
#[derive(Clone, Debug)]
pub struct TenantsFile {
    /// The tenants, in the file's order.
    pub tenants: Vec<TenantDef>,
    /// What is allowed but worth saying at start (inline secrets).
    pub warnings: Vec<Problem>,
}

/// One thing wrong (or worth a warning) in the file, at a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line; 0 when the problem is the file's as a whole.
    pub line: usize,
    /// What is wrong, naming the tenant and key.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            f.write_str(&self.message)
        } else {
            write!(f, "line {}: {}", self.line, self.message)
        }
    }
}

/// Every key a `[[tenant]]` table may have.
pub const KEYS: [&str; 38] = [
    "slug",
    "name",
    "time_zone",
    "language",
    "cal_api_url",
    "cal_api_key",
    "event_type_ids",
    "organization_id",
    "cal_webhook_secrets",
    "vapi_webhook_secrets",
    "vapi_hmac_secrets",
    "vapi_api_key",
    "vapi_assistant_ids",
    "vapi_phone_number_ids",
    "admin_tokens",
    "staff_numbers",
    "staff_phone_number_ids",
    "date_order",
    "max_bookings_per_caller_per_day",
    "max_bookings_per_call",
    "max_tool_calls_per_message",
    "cal_requests_per_call",
    "assistant_overrides",
    "reminders",
    "reminder_lead_hours",
    "reminder_retries",
    "no_show_follow_up",
    "waitlist",
    "call_window",
    "outbound_max_concurrent",
    "transfer_number",
    "vapi_outbound_assistant_id",
    "tool_log_retention_days",
    "call_retention_days",
    "transcript_retention_days",
    "call_email_retention_days",
    "webhook_event_retention_days",
    "sync_run_retention_days",
];

/// Cal.com's API when a tenant names none.
pub const DEFAULT_CAL_API_URL: &str = "https://api.cal.com";

/// Reads and checks the file at `path`, secrets from the process environment.
pub fn load(path: &std::path::Path) -> Result<TenantsFile, Vec<Problem>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![Problem {
            line: 0,
            message: format!("cannot read {}: {e}", path.display()),
        }]
    })?;
    parse(&text, &|name| std::env::var(name).ok())
}

/// Checks the text of a tenants file; `env` answers `env:VAR` secrets. Every problem found is
/// returned, in line order.
pub fn parse(
    text: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<TenantsFile, Vec<Problem>> {
    let root = DeTable::parse(text).map_err(|e| {
        vec![Problem {
            line: 0,
            message: format!("not a TOML file: {e}"),
        }]
    })?;
    let mut reader = Reader {
        text,
        env,
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    let mut tenants = Vec::new();
    for (key, value) in root.get_ref().iter() {
        if key.get_ref().as_ref() != "tenant" {
            let line = reader.line(key.span().start);
            reader.problem(
                line,
                format!(
                    "unknown key '{}': the file holds [[tenant]] tables only",
                    key.get_ref()
                ),
            );
            continue;
        }
        let Some(list) = value.get_ref().as_array() else {
            let line = reader.line(value.span().start);
            reader.problem(
                line,
                "'tenant' must be a list of tables: write [[tenant]]".into(),
            );
            continue;
        };
        for entry in list.iter() {
            let line = reader.line(entry.span().start);
            match entry.get_ref().as_table() {
                Some(table) => {
                    if let Some(def) = reader.tenant(table, line) {
                        tenants.push(def);
                    }
                }
                None => reader.problem(line, "each [[tenant]] must be a table".into()),
            }
        }
    }
    if tenants.is_empty() && reader.problems.is_empty() {
        reader.problem(0, "the file defines no [[tenant]]".into());
    }
    reader.cross_checks(&tenants);
    if reader.problems.is_empty() {
        Ok(TenantsFile {
            tenants,
            warnings: reader.warnings,
        })
    } else {
        reader.problems.sort_by_key(|p| p.line);
        Err(reader.problems)
    }
}

/// Walks the parsed file, collecting problems instead of stopping at the first.
struct Reader<'a> {
    text: &'a str,
    env: &'a dyn Fn(&str) -> Option<String>,
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
}

/// One `[[tenant]]` table's values by key, each with where it is.
type Fields<'t, 'i> = BTreeMap<&'t str, &'t Spanned<DeValue<'i>>>;

impl Reader<'_> {
    fn line(&self, offset: usize) -> usize {
        self.text
            .get(..offset)
            .map_or(0, |before| before.matches('\n').count())
            + 1
    }

    fn problem(&mut self, line: usize, message: String) {
        self.problems.push(Problem { line, message });
    }

    fn tenant(&mut self, table: &DeTable<'_>, line: usize) -> Option<TenantDef> {
        let mut fields: Fields<'_, '_> = BTreeMap::new();
        for (key, value) in table.iter() {
            let name = key.get_ref().as_ref();
            if KEYS.contains(&name) {
                fields.insert(name, value);
            } else {
                let at = self.line(key.span().start);
                self.problem(
                    at,
                    format!("unknown key '{name}' (known: {})", KEYS.join(", ")),
                );
            }
        }
        let slug_text = self.string(&fields, "slug", true, line);
        let label = slug_text.clone().unwrap_or_else(|| "?".to_owned());
        let who = format!("tenant '{label}'");
        let slug = slug_text.and_then(|text| match TenantSlug::parse(&text) {
            Ok(slug) => Some(slug),
            Err(err) => {
                let at = self.at(&fields, "slug", line);
                self.problem(at, format!("{who}: slug: {}", slug_message(err)));
                None
            }
        });
        let name = match self.string(&fields, "name", true, line) {
            Some(name) if name.trim().is_empty() => {
                let at = self.at(&fields, "name", line);
                self.problem(at, format!("{who}: name must not be empty"));
                None
            }
            name => name.map(|n| n.trim().to_owned()),
        };
        let time_zone = self
            .string(&fields, "time_zone", true, line)
            .and_then(|zone| {
                parse_tz(&zone)
                    .map_err(|err| {
                        let at = self.at(&fields, "time_zone", line);
                        self.problem(at, format!("{who}: time_zone: {err}"));
                    })
                    .ok()
            });
        let language = match self.string(&fields, "language", false, line) {
            None => Some(Language::En),
            Some(tag) => Language::from_tag(&tag).or_else(|| {
                let at = self.at(&fields, "language", line);
                let spoken: Vec<&str> = Language::ALL.iter().map(|l| l.code()).collect();
                self.problem(
                    at,
                    format!(
                        "{who}: language '{tag}' is not spoken here (one of {})",
                        spoken.join(", ")
                    ),
                );
                None
            }),
        };
        let cal_api_url = self
            .string(&fields, "cal_api_url", false, line)
            .unwrap_or_else(|| DEFAULT_CAL_API_URL.to_owned());
        let cal_api_key = self
            .secrets(&fields, "cal_api_key", &who, 1)
            .into_iter()
            .next();
        if cal_api_key.is_none() && !fields.contains_key("cal_api_key") {
            self.problem(line, format!("{who}: cal_api_key is required"));
        }
        let event_type_ids = self.integers(&fields, "event_type_ids", &who);
        if event_type_ids.is_empty() && !fields.contains_key("event_type_ids") {
            self.problem(
                line,
                format!("{who}: event_type_ids is required (the first is the default)"),
            );
        }
        let organization_id = self.integer(&fields, "organization_id", &who);
        let cal_webhook_secrets =
            self.secrets(&fields, "cal_webhook_secrets", &who, MIN_SECRET_CHARS);
        if cal_webhook_secrets.is_empty() && !fields.contains_key("cal_webhook_secrets") {
            self.problem(line, format!("{who}: cal_webhook_secrets is required (Cal.com signs each business's webhooks)"));
        }
        let vapi_webhook_secrets =
            self.secrets(&fields, "vapi_webhook_secrets", &who, MIN_SECRET_CHARS);
        let vapi_hmac_secrets = self.secrets(&fields, "vapi_hmac_secrets", &who, MIN_SECRET_CHARS);
        if vapi_webhook_secrets.is_empty()
            && vapi_hmac_secrets.is_empty()
            && !fields.contains_key("vapi_webhook_secrets")
            && !fields.contains_key("vapi_hmac_secrets")
        {
            self.problem(
                line,
                format!("{who}: vapi_webhook_secrets or vapi_hmac_secrets is required"),
            );
        }
        let vapi_api_key = self
            .secrets(&fields, "vapi_api_key", &who, 1)
            .into_iter()
            .next();
        let vapi_assistant_ids = self.strings(&fields, "vapi_assistant_ids", &who);
        let vapi_phone_number_ids = self.strings(&fields, "vapi_phone_number_ids", &who);
        let admin_tokens = self.secrets(&fields, "admin_tokens", &who, MIN_SECRET_CHARS);
        let staff_numbers = self
            .strings(&fields, "staff_numbers", &who)
            .into_iter()
            .filter_map(|raw| {
                caller_e164(&raw).or_else(|| {
                    let at = self.at(&fields, "staff_numbers", line);
                    self.problem(
                        at,
                        format!("{who}: staff_numbers: '{raw}' is not a phone number in E.164 (+15551234567)"),
                    );
                    None
                })
            })
            .collect();
        let staff_phone_number_ids = self.strings(&fields, "staff_phone_number_ids", &who);
        let date_order = self
            .string(&fields, "date_order", false, line)
            .and_then(|raw| {
                raw.parse::<DateOrder>()
                    .map_err(|err| {
                        let at = self.at(&fields, "date_order", line);
                        self.problem(at, format!("{who}: date_order: {err}"));
                    })
                    .ok()
            });
        let limits = TenantLimits {
            bookings_per_caller_per_day: self.count(
                &fields,
                "max_bookings_per_caller_per_day",
                &who,
            ),
            bookings_per_call: self.count(&fields, "max_bookings_per_call", &who),
            tool_calls_per_message: self.count(&fields, "max_tool_calls_per_message", &who),
            cal_requests_per_call: self.count(&fields, "cal_requests_per_call", &who),
        };
        let retention = TenantRetention {
            tool_log_days: self.count(&fields, "tool_log_retention_days", &who),
            calls_days: self.count(&fields, "call_retention_days", &who),
            transcripts_days: self.count(&fields, "transcript_retention_days", &who),
            email_proofs_days: self.count(&fields, "call_email_retention_days", &who),
            webhook_events_days: self.count(&fields, "webhook_event_retention_days", &who),
            sync_runs_days: self.count(&fields, "sync_run_retention_days", &who),
        };
        let assistant_overrides = self.string(&fields, "assistant_overrides", false, line);
        let outbound = self.outbound(&fields, &who, line);
        Some(TenantDef {
            slug: slug?,
            name: name?,
            time_zone: time_zone?,
            language: language?,
            cal_api_url,
            cal_api_key: cal_api_key?,
            event_type_ids,
            organization_id,
            cal_webhook_secrets,
            vapi_webhook_secrets,
            vapi_hmac_secrets,
            vapi_api_key,
            vapi_assistant_ids,
            vapi_phone_number_ids,
            admin_tokens,
            staff_numbers,
            staff_phone_number_ids,
            date_order,
            limits,
            retention,
            assistant_overrides,
            outbound,
            line,
        })
    }

    /// The outbound keys of one table, each checked as its setting is.
    fn outbound(&mut self, fields: &Fields<'_, '_>, who: &str, line: usize) -> TenantOutbound {
        let policy = |reader: &mut Self, key: &str| {
            reader.string(fields, key, false, line).and_then(|word| {
                CallPolicy::parse(&word)
                    .map_err(|err| {
                        let at = reader.at(fields, key, line);
                        reader.problem(at, format!("{who}: {key}: {err}"));
                    })
                    .ok()
            })
        };
        let reminders = policy(self, "reminders");
        let no_show_follow_up = policy(self, "no_show_follow_up");
        let waitlist = policy(self, "waitlist");
        let call_window = self
            .string(fields, "call_window", false, line)
            .and_then(|text| {
                parse_window(&text)
                    .map_err(|err| {
                        let at = self.at(fields, "call_window", line);
                        self.problem(at, format!("{who}: call_window: {err}"));
                    })
                    .ok()
            });
        let transfer_number = self
            .string(fields, "transfer_number", false, line)
            .and_then(|raw| {
                caller_e164(&raw).or_else(|| {
                    let at = self.at(fields, "transfer_number", line);
                    self.problem(
                        at,
                        format!("{who}: transfer_number: '{raw}' is not a phone number in E.164 (+15551234567)"),
                    );
                    None
                })
            });
        TenantOutbound {
            reminders,
            reminder_lead_hours: self.count(fields, "reminder_lead_hours", who),
            reminder_retries: self.count(fields, "reminder_retries", who),
            no_show_follow_up,
            waitlist,
            call_window,
            outbound_max_concurrent: self.count(fields, "outbound_max_concurrent", who),
            transfer_number,
            vapi_outbound_assistant_id: self.string(
                fields,
                "vapi_outbound_assistant_id",
                false,
                line,
            ),
        }
    }

    /// The line of `key`'s value, else of the table.
    fn at(&self, fields: &Fields<'_, '_>, key: &str, table_line: usize) -> usize {
        fields
            .get(key)
            .map_or(table_line, |v| self.line(v.span().start))
    }

    /// A string value; `required` reports its absence.
    fn string(
        &mut self,
        fields: &Fields<'_, '_>,
        key: &str,
        required: bool,
        table_line: usize,
    ) -> Option<String> {
        match fields.get(key) {
            None => {
                if required {
                    self.problem(table_line, format!("a [[tenant]] needs '{key}'"));
                }
                None
            }
            Some(value) => match value.get_ref().as_str() {
                Some(text) => Some(text.to_owned()),
                None => {
                    let line = self.line(value.span().start);
                    self.problem(
                        line,
                        format!(
                            "'{key}' must be a string, not {}",
                            value.get_ref().type_str()
                        ),
                    );
                    None
                }
            },
        }
    }

    /// Each item of `key` (one value or a list) as `read` takes it, a problem at the value's
    /// line for each item it refuses; with that line. `None` when the key is absent.
    fn each<T>(
        &mut self,
        fields: &Fields<'_, '_>,
        key: &str,
        read: impl Fn(&DeValue<'_>) -> Result<T, String>,
    ) -> Option<(usize, Vec<T>)> {
        let value = fields.get(key)?;
        let line = self.line(value.span().start);
        let mut out = Vec::new();
        for item in one_or_many(value.get_ref()) {
            match read(item) {
                Ok(v) => out.push(v),
                Err(why) => self.problem(line, why),
            }
        }
        Some((line, out))
    }

    /// A string or a list of strings.
    fn strings(&mut self, fields: &Fields<'_, '_>, key: &str, who: &str) -> Vec<String> {
        self.each(fields, key, |item| match item.as_str().map(str::trim) {
            Some(text) if !text.is_empty() => Ok(text.to_owned()),
            _ => Err(format!(
                "{who}: '{key}' must hold non-empty strings, not {}",
                item.type_str()
            )),
        })
        .map_or_else(Vec::new, |(_, items)| items)
    }

    /// Secrets: strings, each `env:VAR` or inline (a warning), at least `min_chars` long.
    fn secrets(
        &mut self,
        fields: &Fields<'_, '_>,
        key: &str,
        who: &str,
        min_chars: usize,
    ) -> Vec<SecretString> {
        let Some(value) = fields.get(key) else {
            return Vec::new();
        };
        let line = self.line(value.span().start);
        let mut out = Vec::new();
        for raw in self.strings(fields, key, who) {
            let secret = match raw.strip_prefix("env:") {
                Some(var) => match (self.env)(var.trim()) {
                    Some(v) if !v.trim().is_empty() => v.trim().to_owned(),
                    _ => {
                        self.problem(
                            line,
                            format!(
                                "{who}: {key}: the environment variable {} is not set",
                                var.trim()
                            ),
                        );
                        continue;
                    }
                },
                None => {
                    self.warnings.push(Problem {
                        line,
                        message: format!(
                            "{who}: {key} is written inline; prefer env:VAR_NAME so the file holds no secret"
                        ),
                    });
                    raw
                }
            };
            if secret.chars().count() < min_chars {
                self.problem(
                    line,
                    format!("{who}: {key}: a secret needs at least {min_chars} characters"),
                );
                continue;
            }
            out.push(SecretString::from(secret));
        }
        if out.is_empty() && self.problems.iter().all(|p| p.line != line) {
            self.problem(line, format!("{who}: {key} is empty"));
        }
        out
    }

    /// An integer or a list of integers.
    fn integers(&mut self, fields: &Fields<'_, '_>, key: &str, who: &str) -> Vec<i64> {
        let Some((line, out)) = self.each(fields, key, |item| match integer_of(item) {
            Some(n) if n > 0 => Ok(n),
            _ => Err(format!("{who}: '{key}' must hold positive whole numbers")),
        }) else {
            return Vec::new();
        };
        if out.is_empty() && self.problems.iter().all(|p| p.line != line) {
            self.problem(line, format!("{who}: '{key}' is empty"));
        }
        out
    }

    /// One optional positive integer.
    fn integer(&mut self, fields: &Fields<'_, '_>, key: &str, who: &str) -> Option<i64> {
        let value = fields.get(key)?;
        match integer_of(value.get_ref()) {
            Some(n) if n > 0 => Some(n),
            _ => {
                let line = self.line(value.span().start);
                self.problem(
                    line,
                    format!("{who}: '{key}' must be a positive whole number"),
                );
                None
            }
        }
    }

    /// One optional count (a limit), 0 to 10,000.
    fn count(&mut self, fields: &Fields<'_, '_>, key: &str, who: &str) -> Option<u32> {
        let value = fields.get(key)?;
        match integer_of(value.get_ref()).and_then(|n| u32::try_from(n).ok()) {
            Some(n) if n <= 10_000 => Some(n),
            _ => {
                let line = self.line(value.span().start);
                self.problem(
                    line,
                    format!("{who}: '{key}' must be a whole number from 0 to 10000"),
                );
                None
            }
        }
    }

    /// What no tenant may share with another: slugs, phone numbers, assistants, VAPI secrets
    /// (a secret names the tenant a message is for) and console tokens.
    fn cross_checks(&mut self, tenants: &[TenantDef]) {
        let mut slugs: HashMap<&str, &TenantDef> = HashMap::new();
        let mut claims: HashMap<(&str, String), &TenantDef> = HashMap::new();
        for t in tenants {
            if let Some(first) = slugs.insert(t.slug.as_str(), t) {
                self.problem(
                    t.line,
                    format!(
                        "tenant '{}' is defined twice (first at line {})",
                        t.slug, first.line
                    ),
                );
            }
            let owned = t
                .vapi_phone_number_ids
                .iter()
                .chain(&t.staff_phone_number_ids)
                .map(|id| ("phone number id", id.clone()))
                .chain(
                    t.vapi_assistant_ids
                        .iter()
                        .map(|id| ("assistant id", id.clone())),
                )
                .chain(
                    t.vapi_webhook_secrets
                        .iter()
                        .chain(&t.vapi_hmac_secrets)
                        .map(|s| ("VAPI secret", s.expose_secret().to_owned())),
                )
                .chain(
                    t.admin_tokens
                        .iter()
                        .map(|s| ("admin token", s.expose_secret().to_owned())),
                );
            for (what, value) in owned {
                let secret = what.contains("secret") || what.contains("token");
                if let Some(first) = claims.get(&(what, value.clone())) {
                    if first.line != t.line {
                        let shown = if secret {
                            String::new()
                        } else {
                            format!(" {value}")
                        };
                        self.problem(
                            t.line,
                            format!(
                                "{what}{shown} is claimed by tenant '{}' (line {}) and tenant '{}'",
                                first.slug, first.line, t.slug
                            ),
                        );
                    }
                } else {
                    claims.insert((what, value), t);
                }
            }
        }
    }
}

/// A value written as one item or as a list of them.
fn one_or_many<'v, 'i>(value: &'v DeValue<'i>) -> Vec<&'v DeValue<'i>> {
    match value {
        DeValue::Array(list) => list.iter().map(Spanned::get_ref).collect(),
        one => vec![one],
    }
}

fn integer_of(value: &DeValue<'_>) -> Option<i64> {
    let int = value.as_integer()?;
    i64::from_str_radix(&int.as_str().replace('_', ""), int.radix()).ok()
}

fn slug_message(err: SlugError) -> String {
    err.to_string()
}

#[cfg(test)]
mod tests;
