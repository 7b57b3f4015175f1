//! The one way to build the service from its settings: `serve`, `demo` and the tests all call
//! [`build`], so they run the same state and the same background jobs, started from one place
//! ([`Jobs::start`]).
//!
//! The clock and the database are handed in rather than made here: `serve` opens
//! `DATABASE_URL` on the system clock, the demo a fresh file, and a test its own schema on a
//! pinned clock. Everything else comes from [`Settings`].

use std::{sync::Arc, time::Duration};

use anyhow::{Context, bail};
use secrecy::SecretString;
use tokio::task::JoinHandle;

use crate::{
    app::{
        AppState, OperatorSettings,
        reload::Reloader,
        tenants::{Tenant, TenantSet, Tenants},
    },
    calcom::{CalClient, budget::Budget, call_share::CallShares},
    clock::Clock,
    config::{Settings, tenants::TenantsFile},
    dashboard::session::Access,
    db::{Backend, Db, retention::Retention},
    domain::tenant::TenantSlug,
    email::Mailer,
    outbound::{Outbound, OutboundPolicy},
    sync::{bookings, call_history},
    tools::{
        CallLanguages, StaffPolicy, ToolContext,
        limits::{BookingLocks, Limits},
    },
    vapi::{auth::VapiAuth, client::VapiClient},
};

/// Per-request timeout of the VAPI REST API.
pub const VAPI_TIMEOUT: Duration = Duration::from_secs(20);

/// How often histogram memory is trimmed between scrapes of `/metrics`: every latency is kept
/// as a raw sample until then (about 4 MB over 10 s at 15,000 tool calls a second, which the
/// allocator then keeps), and folding them into the buckets costs the same whenever it is done.
const METRICS_UPKEEP_EVERY: Duration = Duration::from_secs(1);

/// The service as built from its settings: the state every handler reaches and the background
/// jobs that keep it true, not yet started.
#[derive(Debug)]
pub struct Service {
    /// What the router serves.
    pub state: AppState,
    /// The background jobs the settings turn on.
    pub jobs: Jobs,
    /// Reads `TENANTS_FILE` again on `SIGHUP` (none without a tenants file).
    pub reloader: Option<Reloader>,
}

/// Background jobs of one process, as the settings ask for them.
#[derive(Debug)]
pub struct Jobs {
    db: Db,
    clock: Clock,
    /// Each tenant's own jobs.
    tenants: Vec<TenantJobs>,
    /// The deployment's retention ages, for the rows of businesses no longer served.
    departed: Retention,
}

/// The jobs of one tenant: its reconcile with its Cal.com, its call backfill, its retention.
#[derive(Debug)]
pub(super) struct TenantJobs {
    db: Db,
    cal: CalClient,
    /// How long each of its tables that grow per call keeps its rows (`*_RETENTION_DAYS`, or the
    /// tenant's own ages).
    retention: Retention,
    /// Reconcile interval (`CAL_SYNC_INTERVAL_SECS`; `None` is off).
    reconcile_every: Option<Duration>,
    /// Call backfill from VAPI (`VAPI_CALL_SYNC_INTERVAL_SECS`; `None` is off).
    call_backfill: Option<CallBackfill>,
    /// Reminders and follow-ups, with how often to look for calls to place (`None` is off).
    outbound: Option<(Outbound, Duration)>,
}

/// The call-history backfill job's settings.
#[derive(Debug)]
struct CallBackfill {
    client: VapiClient,
    every: Duration,
    assistant_id: Option<String>,
}

/// Jobs running in the background; they stop when this is dropped.
#[derive(Debug, Default)]
pub struct RunningJobs {
    handles: Vec<(&'static str, JoinHandle<()>)>,
    /// The tenants' own jobs, replaced when the tenants file is read again.
    tenant_handles: Vec<(&'static str, JoinHandle<()>)>,
    clock: Option<Clock>,
    /// The deployment's database and retention ages, for the rows of businesses no longer
    /// served (a job restarted with the tenants' jobs, since the served set changes with them).
    departed: Option<(Db, Retention)>,
}

impl RunningJobs {
    /// Names of the jobs running, in the order they were started.
    pub fn names(&self) -> Vec<&'static str> {
        self.handles
            .iter()
            .chain(&self.tenant_handles)
            .map(|(name, _)| *name)
            .collect()
    }

    /// Stops the tenants' jobs and starts `jobs` in their place (the tenants file was read
    /// again).
    pub(super) fn restart_tenant_jobs(&mut self, jobs: Vec<TenantJobs>) {
        for (_, handle) in self.tenant_handles.drain(..) {
            handle.abort();
        }
        let clock = self.clock.clone().unwrap_or_else(Clock::system);
        self.tenant_handles = start_tenant_jobs(jobs, &clock, self.departed.as_ref());
    }
}

impl Drop for RunningJobs {
    fn drop(&mut self) {
        for (_, handle) in self.handles.iter().chain(&self.tenant_handles) {
            handle.abort();
        }
    }
}

/// Starts each tenant's reconcile and call backfill, as its settings ask.
fn start_tenant_jobs(
    jobs: Vec<TenantJobs>,
    clock: &Clock,
    departed: Option<&(Db, Retention)>,
) -> Vec<(&'static str, JoinHandle<()>)> {
    let mut handles = Vec::new();
    if let Some((db, keep)) = departed {
        // A business removed from the file runs no retention of its own; its rows age out by
        // the deployment's ages instead.
        let served = jobs.iter().map(|t| t.db.tenant().clone()).collect();
        handles.push((
            "retention of departed businesses",
            tokio::spawn(crate::db::retention::run_departed(
                db.clone(),
                clock.clone(),
                served,
                *keep,
            )),
        ));
    }
    for tenant in jobs {
        // Each tenant prunes its own rows by its own ages.
        handles.push((
            "retention",
            tokio::spawn(crate::db::retention::run(
                tenant.db.clone(),
                clock.clone(),
                tenant.retention,
            )),
        ));
        // Each tenant's reconcile has its own leader (its leases are the tenant's).
        if let Some(every) = tenant.reconcile_every {
            handles.push((
                "reconcile",
                tokio::spawn(bookings::run_periodic(
                    tenant.cal.clone(),
                    tenant.db.clone(),
                    clock.clone(),
                    every,
                )),
            ));
        }
        if let Some((outbound, every)) = tenant.outbound {
            handles.push(("outbound calls", tokio::spawn(outbound.run_periodic(every))));
        }
        if let Some(backfill) = tenant.call_backfill {
            handles.push((
                "call backfill",
                tokio::spawn(call_history::run_periodic(
                    backfill.client,
                    tenant.db.clone(),
                    clock.clone(),
                    backfill.every,
                    backfill.assistant_id,
                )),
            ));
        }
    }
    handles
}

impl Jobs {
    /// Starts every job the settings turn on. The returned handle stops them when dropped.
    pub fn start(self) -> RunningJobs {
        let mut running = RunningJobs::default();
        // Expired dashboard sessions are always pruned, so the job always runs.
        running.handles.push((
            "session expiry",
            tokio::spawn(crate::db::retention::run_sessions(
                self.db.clone(),
                self.clock.clone(),
            )),
        ));
        running.departed = Some((self.db.clone(), self.departed));
        running.tenant_handles =
            start_tenant_jobs(self.tenants, &self.clock, running.departed.as_ref());
        running.clock = Some(self.clock.clone());
        // Metrics are recorded from the first request on; upkeep keeps histogram memory bounded
        // between scrapes.
        let metrics = crate::telemetry::metrics_handle();
        running.handles.push((
            "metrics upkeep",
            tokio::spawn(async move {
                let mut every = tokio::time::interval(METRICS_UPKEEP_EVERY);
                loop {
                    every.tick().await;
                    metrics.run_upkeep();
                }
            }),
        ));
        running
    }
}

/// Builds the service from `settings` on `db` with `clock`: each tenant (those of
/// `TENANTS_FILE`, else one made of the environment's settings) with its Cal.com client, shared
/// request budget and slot cache, the credentials its routes require; the operator settings and
/// the background jobs. Fails naming every problem of the tenants file, or the first setting
/// that is missing or inconsistent.
pub async fn build(settings: &Settings, clock: Clock, db: Db) -> anyhow::Result<Service> {
    match &settings.tenants_file {
        Some(path) => {
            let file = load_tenants_file(path)?;
            if settings.cal_api_key.is_some() || settings.business_timezone.is_some() {
                tracing::info!(
                    file = %path.display(),
                    "TENANTS_FILE is set: it defines every business; CAL_API_KEY, BUSINESS_TIMEZONE and the other single-business settings are not used"
                );
            }
            build_tenants(settings, &file, clock, db).await
        }
        None => assemble(settings, clock, db, None),
    }
}

/// Builds the service for the businesses of a checked tenants file (the demo makes one in
/// code), over the deployment's `settings`.
pub async fn build_tenants(
    settings: &Settings,
    file: &TenantsFile,
    clock: Clock,
    db: Db,
) -> anyhow::Result<Service> {
    assemble(settings, clock, db, Some(file))
}

/// The service of `file`'s tenants, or of the one tenant the environment defines.
fn assemble(
    settings: &Settings,
    clock: Clock,
    db: Db,
    file: Option<&TenantsFile>,
) -> anyhow::Result<Service> {
    let (tenants, tenant_jobs) = build_set(settings, &clock, &db, file, None)?;
    let state = AppState {
        // The deployment's own rows (console sessions) are read through the unscoped handle.
        db: db.clone(),
        clock: clock.clone(),
        metrics_token: settings.metrics_token.clone(),
        operator: OperatorSettings {
            success_threshold: settings.call_success_threshold,
        },
        transport: super::Transport {
            header_timeout: settings.http_header_timeout(),
            body_timeout: settings.http_body_timeout(),
            max_connections: settings.max_connections,
        },
        auth_failures: std::sync::Arc::new(crate::http::throttle::FailureLimiter::new(
            settings.auth_failures_per_minute,
        )),
        tenants: Arc::new(Tenants::new(tenants)),
    };
    let reloader = Reloader::new(settings, clock.clone(), db.clone(), state.tenants.clone());
    let jobs = Jobs {
        db,
        clock,
        tenants: tenant_jobs,
        departed: retention(settings),
    };
    Ok(Service {
        state,
        jobs,
        reloader,
    })
}

/// The businesses of `file` (or the one the environment defines) with their jobs, and who may
/// sign in to read them. A business already served in `previous` keeps its database handle
/// (and the writers behind it).
pub(super) fn build_set(
    settings: &Settings,
    clock: &Clock,
    db: &Db,
    file: Option<&TenantsFile>,
    previous: Option<&TenantSet>,
) -> anyhow::Result<(TenantSet, Vec<TenantJobs>)> {
    let clock = clock.clone();
    // One request budget per Cal.com API key: businesses sharing a key share its budget.
    let mut budgets = Budgets::default();
    let mut tenants = Vec::new();
    let mut tenant_jobs = Vec::new();
    match file {
        None => {
            let claims = Claims {
                assistant_ids: settings.vapi_assistant_id.iter().cloned().collect(),
                phone_number_ids: settings.vapi_phone_number_id.iter().cloned().collect(),
            };
            let (tenant, jobs) = build_tenant(
                settings,
                TenantSlug::default_tenant(),
                TenantSlug::DEFAULT.to_owned(),
                claims,
                &clock,
                db.clone(),
                &mut budgets,
            )?;
            tenants.push(tenant);
            tenant_jobs.push(jobs);
        }
        Some(file) => {
            for def in &file.tenants {
                let tenant_db = match previous.and_then(|set| set.get(def.slug.as_str())) {
                    Some(served) => served.db.clone(),
                    None if def.slug.is_default() => db.clone(),
                    None => db.for_tenant(&def.slug),
                };
                let claims = Claims {
                    assistant_ids: def.vapi_assistant_ids.clone(),
                    phone_number_ids: def
                        .vapi_phone_number_ids
                        .iter()
                        .chain(&def.staff_phone_number_ids)
                        .cloned()
                        .collect(),
                };
                let (tenant, jobs) = build_tenant(
                    &settings.for_tenant(def),
                    def.slug.clone(),
                    def.name.clone(),
                    claims,
                    &clock,
                    tenant_db,
                    &mut budgets,
                )
                .with_context(|| format!("tenant '{}'", def.slug))?;
                tenants.push(tenant);
                tenant_jobs.push(jobs);
            }
            tracing::info!(tenants = file.tenants.len(), "serving several businesses");
        }
    }
    // Each tenant's own operators sign in to that tenant only.
    let operator_tokens: Vec<(TenantSlug, secrecy::SecretString)> = file
        .iter()
        .flat_map(|f| &f.tenants)
        .flat_map(|def| {
            def.admin_tokens
                .iter()
                .map(|token| (def.slug.clone(), token.clone()))
        })
        .collect();
    let operators = Access::for_operators(
        settings.admin_token.as_ref(),
        &operator_tokens,
        secure_cookies(settings),
    );
    Ok((TenantSet::new(tenants, operators), tenant_jobs))
}

/// Reads and checks `TENANTS_FILE`, saying its warnings; an error lists every problem.
pub fn load_tenants_file(path: &std::path::Path) -> anyhow::Result<TenantsFile> {
    let file = crate::config::tenants::load(path).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
        anyhow::anyhow!(
            "the tenants file {} has {} problem(s):\n{}",
            path.display(),
            problems.len(),
            lines.join("\n")
        )
    })?;
    for warning in &file.warnings {
        tracing::warn!(file = %path.display(), "{warning}");
    }
    Ok(file)
}

/// The request budgets made so far, by Cal.com API key.
#[derive(Default)]
struct Budgets(std::collections::HashMap<String, Budget>);

impl Budgets {
    /// The budget of `settings`' API key: the one already made for that key, else a new one.
    fn for_key(&mut self, settings: &Settings, db: &Db) -> anyhow::Result<Budget> {
        use secrecy::ExposeSecret;
        let key = cal_api_key(settings)?.expose_secret().to_owned();
        if let Some(budget) = self.0.get(&key) {
            return Ok(budget.clone());
        }
        let budget = shared_budget(settings, db)?;
        self.0.insert(key, budget.clone());
        Ok(budget)
    }
}

/// The VAPI assistants and phone numbers a tenant's messages name.
struct Claims {
    assistant_ids: Vec<String>,
    phone_number_ids: Vec<String>,
}

/// Builds one tenant from its settings (the environment's, or a tenants file entry laid over
/// them) on its own database handle.
fn build_tenant(
    settings: &Settings,
    slug: TenantSlug,
    name: String,
    claims: Claims,
    clock: &Clock,
    db: Db,
    budgets: &mut Budgets,
) -> anyhow::Result<(Tenant, TenantJobs)> {
    let Some(business_tz) = settings.business_timezone else {
        bail!("BUSINESS_TIMEZONE is required");
    };
    // The slot cache runs on the service's clock, so a call's kept answers age with it.
    let cal = cal_client(settings)?
        .with_budget(budgets.for_key(settings, &db)?)
        .with_slot_cache(Duration::from_secs(settings.slot_cache_secs), clock.clone())
        .for_tenant(&slug);
    tracing::info!(
        tenant = %slug,
        per_minute = settings.cal_rate_limit_per_min,
        shared = db.backend() == Backend::Postgres,
        slot_cache_secs = settings.slot_cache_secs,
        "Cal.com request budget and slot cache"
    );
    let cal_webhook_secrets = settings.cal_webhook_secrets();
    if cal_webhook_secrets.is_empty() {
        tracing::warn!(
            "accepting UNSIGNED Cal.com webhooks: anyone who can reach /cal/webhook can change the appointments table"
        );
    }
    let vapi_auth = VapiAuth {
        shared_secrets: settings.vapi_webhook_secrets(),
        hmac_secrets: settings.vapi_webhook_hmac_secrets(),
    };
    log_vapi_auth(&vapi_auth);
    let staff = staff_policy(settings)?;
    let bookable_event_type_ids = settings
        .bookable_event_type_ids()
        .map_err(anyhow::Error::msg)?;
    let call_backfill = match settings.vapi_call_sync_interval_secs {
        0 => None,
        secs => match vapi_client(settings) {
            Ok(client) => Some(CallBackfill {
                client,
                every: Duration::from_secs(secs),
                assistant_id: settings.vapi_assistant_id.clone(),
            }),
            Err(err) => bail!("VAPI_CALL_SYNC_INTERVAL_SECS is set but {err}"),
        },
    };
    let mailer = mailer(settings)?;
    let outbound = outbound_calls(settings, business_tz, &db, clock, Some(cal.background()))?;
    say_outbound(&outbound, settings);
    let limits = Limits::from_settings(settings);
    let tools = ToolContext {
        cal: cal.clone(),
        db: db.clone(),
        clock: clock.clone(),
        business_tz,
        default_event_type_id: bookable_event_type_ids.first().copied(),
        bookable_event_type_ids,
        organization_id: settings.cal_organization_id,
        staff,
        date_order: settings.business_date_order,
        business_language: settings.business_language,
        mailer,
        limits,
        call_shares: CallShares::new(limits.cal_requests_per_call),
        call_languages: CallLanguages::default(),
        booking_locks: BookingLocks::default(),
        waitlist: settings.outbound.waitlist.is_on(),
        hand_over_to: settings.outbound.transfer_number.clone(),
    };
    let tenant = Tenant {
        slug,
        name,
        db: db.clone(),
        business_tz,
        tools,
        cal_webhook_secrets,
        vapi_auth,
        vapi_assistant_id: settings.vapi_assistant_id.clone(),
        assistant_ids: claims.assistant_ids,
        phone_number_ids: claims.phone_number_ids,
        outbound: outbound.clone(),
        control: crate::vapi::control::LiveControl::new(&settings.vapi_api_url),
        vapi: vapi_client(settings).ok(),
    };
    let jobs = TenantJobs {
        retention: retention(settings),
        db,
        cal,
        reconcile_every: (settings.cal_sync_interval_secs > 0)
            .then(|| Duration::from_secs(settings.cal_sync_interval_secs)),
        call_backfill,
        outbound: (outbound.policy().any_on() && settings.outbound.outbound_interval_secs > 0)
            .then(|| {
                (
                    outbound,
                    Duration::from_secs(settings.outbound.outbound_interval_secs),
                )
            }),
    };
    Ok((tenant, jobs))
}

/// How long each table that grows per call keeps its rows, from the `*_RETENTION_DAYS` settings.
pub fn retention(settings: &Settings) -> Retention {
    Retention {
        tool_log_days: settings.tool_log_retention_days,
        calls_days: settings.call_retention_days,
        transcripts_days: settings.transcript_retention_days,
        email_proofs_days: settings.call_email_retention_days,
        webhook_events_days: settings.webhook_event_retention_days,
        sync_runs_days: settings.sync_run_retention_days,
    }
}

/// Whether the session cookie is `Secure`: always, unless the service is plainly on loopback
/// http (`PUBLIC_URL` is http on 127.0.0.1, ::1 or localhost, or unset while listening on a
/// loopback address), where browsers would not send a `Secure` cookie back.
fn secure_cookies(settings: &Settings) -> bool {
    match settings.public_url.as_deref().map(str::trim) {
        Some(url) => {
            let Some(rest) = url.strip_prefix("http://") else {
                return true;
            };
            let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
            let host = match authority.strip_prefix('[') {
                Some(v6) => v6.split(']').next().unwrap_or_default(),
                None => authority.split(':').next().unwrap_or_default(),
            };
            let loopback = host.eq_ignore_ascii_case("localhost")
                || host
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback());
            !loopback
        }
        None => !settings.listen_addr.ip().is_loopback(),
    }
}

/// Says at start which VAPI credentials are required, loudly when none is.
fn log_vapi_auth(vapi_auth: &VapiAuth) {
    if vapi_auth.is_configured() {
        tracing::info!(
            shared_secrets = vapi_auth.shared_secrets.len(),
            hmac_secrets = vapi_auth.hmac_secrets.len(),
            "VAPI messages must carry a credential"
        );
    } else {
        tracing::warn!(
            "ACCEPTING UNAUTHENTICATED VAPI MESSAGES (--accept-unauthenticated-vapi): anyone who can reach /vapi/webhook can book, move and cancel appointments"
        );
    }
}

/// Which calls are staff's, from `STAFF_NUMBERS`, `STAFF_PHONE_NUMBER_IDS` and the deprecated
/// `STAFF_LINE` (said loudly at start, since it makes every caller staff).
fn staff_policy(settings: &Settings) -> anyhow::Result<StaffPolicy> {
    let policy = StaffPolicy {
        numbers: settings.staff_numbers().map_err(anyhow::Error::msg)?,
        phone_number_ids: settings.staff_phone_number_ids(),
        every_call: settings.staff_line,
    };
    if policy.every_call {
        tracing::warn!(
            "STAFF_LINE is deprecated and makes EVERY call a staff call (user_create, member lookups, any appointment by id); use STAFF_NUMBERS or STAFF_PHONE_NUMBER_IDS"
        );
    } else {
        tracing::info!(
            staff_numbers = policy.numbers.len(),
            staff_lines = policy.phone_number_ids.len(),
            "caller checks on: callers reach only the bookings of their own number (or, without a number, what the call booked and emails proven by a one-time code); staff tools only on staff calls"
        );
    }
    Ok(policy)
}

/// The mailer of the one-time codes (`SMTP_URL`, `SMTP_FROM`), or `None` without `SMTP_URL`.
fn mailer(settings: &Settings) -> anyhow::Result<Option<Mailer>> {
    let Some(url) = &settings.smtp_url else {
        tracing::info!(
            "SMTP_URL is not set: callers without a number can reach only what they book in the call"
        );
        return Ok(None);
    };
    let Some(from) = settings.smtp_from.as_deref() else {
        bail!("SMTP_FROM is required with SMTP_URL");
    };
    let mailer = Mailer::new(url, from)?;
    tracing::info!(
        host = mailer.host(),
        "one-time codes for callers without a number go out by email"
    );
    Ok(Some(mailer))
}

/// A Cal.com client from the settings (a budget of its own, in this process), or an error
/// naming what is missing. [`build`] gives it the budget shared through the database.
pub fn cal_client(settings: &Settings) -> anyhow::Result<CalClient> {
    let api_key = cal_api_key(settings)?;
    Ok(CalClient::new(
        &settings.cal_api_url,
        api_key.clone(),
        settings.cal_request_timeout(),
        settings.tool_deadline(),
    )
    .with_budget(Budget::local(api_key, settings.cal_rate_limit_per_min))
    .with_slot_cache(
        Duration::from_secs(settings.slot_cache_secs),
        Clock::system(),
    ))
}

/// The Cal.com request budget every process on this database shares (in process on SQLite).
pub fn shared_budget(settings: &Settings, db: &Db) -> anyhow::Result<Budget> {
    Ok(Budget::for_db(
        db,
        cal_api_key(settings)?,
        settings.cal_rate_limit_per_min,
    ))
}

/// `CAL_API_KEY`, or an error naming it.
fn cal_api_key(settings: &Settings) -> anyhow::Result<&SecretString> {
    settings
        .cal_api_key
        .as_ref()
        .context("CAL_API_KEY is required")
}

/// A VAPI REST client from the settings, or an error naming what is missing.
pub fn vapi_client(settings: &Settings) -> anyhow::Result<VapiClient> {
    let Some(key) = settings.vapi_api_key.clone() else {
        bail!("VAPI_API_KEY is required");
    };
    Ok(VapiClient::new(&settings.vapi_api_url, key, VAPI_TIMEOUT))
}

/// The business's outbound calls from its settings, said at start; refuses a hand-over number
/// that is not E.164.
pub fn outbound_calls(
    settings: &Settings,
    tz: chrono_tz::Tz,
    db: &Db,
    clock: &Clock,
    cal: Option<CalClient>,
) -> anyhow::Result<Outbound> {
    if let Some(number) = &settings.outbound.transfer_number
        && crate::domain::phone::caller_e164(number).as_deref() != Some(number.trim())
    {
        bail!("TRANSFER_NUMBER '{number}' is not a phone number in E.164 (+15551234567)");
    }
    let policy = OutboundPolicy::from_settings(
        &settings.outbound,
        tz,
        settings.business_language,
        settings.vapi_phone_number_id.clone(),
        &settings.vapi_assistant_name,
    );
    let vapi = vapi_client(settings).ok();
    Ok(Outbound::new(db.clone(), clock.clone(), vapi, cal, policy))
}

/// Says at start what calls the business makes, loudly when they cannot be placed.
fn say_outbound(outbound: &Outbound, settings: &Settings) {
    let policy = outbound.policy();
    if !policy.any_on() {
        return;
    }
    if settings.vapi_api_key.is_none() {
        tracing::warn!(
            "REMINDERS, NO_SHOW_FOLLOW_UP or WAITLIST is on but VAPI_API_KEY is not set: no call can be placed"
        );
    }
    if policy.phone_number_id.is_none() {
        tracing::warn!(
            "REMINDERS, NO_SHOW_FOLLOW_UP or WAITLIST is on but no VAPI phone number is set to call from (VAPI_PHONE_NUMBER_ID)"
        );
    }
    tracing::info!(
        reminders = policy.reminders,
        lead_minutes = policy.lead.num_minutes(),
        no_show_follow_up = policy.no_show_follow_up,
        waitlist = policy.waitlist,
        window = %policy.window,
        max_concurrent = policy.max_concurrent,
        "the business makes calls"
    );
}
