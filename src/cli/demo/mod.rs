//! `vapi-cal demo`: the whole service against the built-in Cal.com simulator, no keys needed.
//!
//! It seeds one appointment type, two appointments for a demo caller and a few finished calls
//! (one with its whole transcript and the tool calls it made), serves on `LISTEN_ADDR`, and prints a ready-to-paste curl command for every tool, carrying the VAPI
//! secret the demo requires (its own random one unless `VAPI_WEBHOOK_SECRET` is set).

mod curls;
pub mod salon;
mod seed;

use curls::DEMO_VERIFY_ARGS;
pub use curls::{assistant_request_curl, curl_for, curl_without_number, examples};
pub use seed::{seed, seed_calls};
use seed::{seed_reminder, seed_waitlist};

use crate::domain::language::Language;
use anyhow::Context;
use chrono::{DateTime, Duration, DurationRound, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use secrecy::SecretString;
use serde_json::json;
use tokio::net::TcpListener;

use crate::{
    app::{self, AppState},
    clock::Clock,
    config::{
        Settings,
        tenants::{TenantDef, TenantLimits, TenantsFile},
    },
    db::{Db, call_records::LinkAction, tool_invocations::ToolInvocation},
    domain::local_time::{
        self, local_iso, local_to_utc, local_today, speak_clock, speak_date, speak_instant, utc_iso,
    },
    domain::tenant::TenantSlug,
    simulator::{EventTypeSpec, SeedBooking, Simulator, smtp::SmtpSink},
    sync::bookings,
};

/// The demo's own database file, recreated on every run so old answers don't leak in.
const DEMO_DATABASE_URL: &str = "sqlite://vapi-cal-demo.db?mode=rwc";
/// The demo caller's number.
pub const DEMO_CALLER: &str = "+15551234567";
/// The demo's staff number (`STAFF_NUMBERS`): the staff-only tools' examples call from it.
pub const DEMO_STAFF: &str = "+15550000100";
/// Appointment the update example moves.
pub const DEMO_MOVE_UID: &str = "demo-move-me";
/// Appointment the cancel example cancels.
pub const DEMO_CANCEL_UID: &str = "demo-cancel-me";
/// The simulator's API key (it only accepts this one).
const DEMO_API_KEY: &str = "cal_demo_key";
/// Secret the simulator signs its webhooks with.
const DEMO_WEBHOOK_SECRET: &str = "demo-webhook-secret";
/// The demo appointment type.
pub const DEMO_EVENT_TYPE_ID: i64 = 1;
/// The demo organization, so user_read / user_create work.
const DEMO_ORG_ID: i64 = 10;
/// The assistant id the demo answers `assistant-request` with.
const DEMO_ASSISTANT_ID: &str = "demo-assistant";
/// The key the demo's stand-in for VAPI's call API accepts.
const DEMO_VAPI_KEY: &str = "vapi_demo_key";
/// The demo clinic's line on VAPI: reminder calls are placed from it.
const DEMO_LINE_ID: &str = "demo-line";
/// The demo's calling assistant on VAPI.
const DEMO_CALLING_ASSISTANT_ID: &str = "demo-calling-assistant";
/// The person whose appointment gets the demo's reminder call.
pub const DEMO_REMINDED: &str = "+15557770000";
/// That appointment.
pub const DEMO_REMINDER_UID: &str = "demo-reminder";
/// Someone on the demo clinic's waitlist for tomorrow afternoon: cancelling the demo's 1:00 PM
/// appointment offers them the time.
pub const DEMO_WAITING: &str = "+15557770001";
/// The demo calls at any hour, so its reminder rings whenever it is run.
const DEMO_CALL_WINDOW: &str = "Mon-Sun 00:00-23:59";
/// How soon after the demo starts its reminder call is due (up to a minute more: the
/// appointment starts on a whole minute).
const DEMO_REMINDER_IN: Duration = Duration::seconds(20);
/// How long before an appointment its reminder rings in the demo (REMINDER_LEAD_HOURS).
const DEMO_REMINDER_LEAD: Duration = Duration::minutes(30);
/// Sender of the demo's one-time codes.
const DEMO_MAIL_FROM: &str = "Demo Bookings <bookings@demo.example>";

/// A demo ready to serve: the simulator running and seeded, the database synced, Cal.com's
/// webhook subscribed to `addr`.
pub struct Demo {
    /// The app's state.
    pub state: AppState,
    /// The background jobs, started by [`run`] as `serve` starts them.
    pub jobs: app::Jobs,
    /// The listener the app serves on.
    pub listener: TcpListener,
    /// `host:port` of the app.
    pub addr: String,
    /// The simulated Cal.com's base URL.
    pub cal_url: String,
    /// The database URL.
    pub database_url: String,
    /// The simulator (kept alive with the demo).
    pub sim: Simulator,
    /// The token that signs in to the demo's dashboard (printed: it guards only demo data).
    pub admin_token: String,
    /// The secret VAPI messages to the demo must carry (printed in the curl examples).
    pub vapi_secret: String,
    /// The mailbox the one-time codes go to (`SMTP_URL` points at it).
    pub mail: SmtpSink,
    /// The second business's simulated Cal.com.
    pub salon_sim: Simulator,
    /// The secret the second business's VAPI messages carry.
    pub salon_vapi_secret: String,
    /// The stand-in for VAPI's call API the reminder calls go through.
    pub vapi_calls: crate::simulator::vapi_calls::VapiCalls,
    /// How long before an appointment its reminder rings in the demo.
    pub reminder_lead: Duration,
    _handle: crate::simulator::SimulatorHandle,
    _salon_handle: crate::simulator::SimulatorHandle,
}

impl Demo {
    /// The settings a `vapi-cal doctor` run against this demo uses: the simulator, the demo's
    /// database, key, event type, organization and webhook secret, and `PUBLIC_URL` on the demo.
    pub fn doctor_settings(&self, base: &Settings) -> Settings {
        let mut settings = demo_settings(
            base,
            &self.cal_url,
            self.state.tenants.current().home().business_tz,
            &self.admin_token,
            &self.vapi_secret,
        );
        settings.database_url = self.database_url.clone();
        settings.public_url = Some(format!("http://{}", self.addr));
        // Only what the printed command sets (see [`Demo::doctor_command`]) differs from `base`.
        settings.vapi_webhook_hmac_secret = base.vapi_webhook_hmac_secret.clone();
        settings.vapi_assistant_id = base.vapi_assistant_id.clone();
        settings.vapi_call_sync_interval_secs = base.vapi_call_sync_interval_secs;
        settings
    }

    /// The shell command that runs the doctor against this demo (the settings of
    /// [`Demo::doctor_settings`], as environment variables).
    pub fn doctor_command(&self) -> String {
        format!(
            "DATABASE_URL='{}' CAL_API_URL={} CAL_API_KEY={DEMO_API_KEY} CAL_EVENT_TYPE_ID={DEMO_EVENT_TYPE_ID} \\\n  CAL_ORGANIZATION_ID={DEMO_ORG_ID} BUSINESS_TIMEZONE={} CAL_WEBHOOK_SECRET={DEMO_WEBHOOK_SECRET} \\\n  VAPI_WEBHOOK_SECRET={} PUBLIC_URL=http://{} cargo run --release -- doctor",
            self.database_url,
            self.cal_url,
            self.state.tenants.current().home().business_tz.name(),
            self.vapi_secret,
            self.addr
        )
    }
}

/// The demo's settings: the operator's, pointed at the simulator and the demo business. Like
/// `serve`, every credential is required; reconcile runs on its usual interval after the first
/// one `prepare` does.
fn demo_settings(
    base: &Settings,
    cal_url: &str,
    tz: Tz,
    admin_token: &str,
    vapi_secret: &str,
) -> Settings {
    let mut settings = base.clone();
    settings.cal_api_url = cal_url.to_owned();
    settings.cal_api_key = Some(SecretString::from(DEMO_API_KEY));
    settings.cal_event_type_id = Some(DEMO_EVENT_TYPE_ID);
    settings.cal_organization_id = Some(DEMO_ORG_ID);
    settings.staff_numbers = Some(DEMO_STAFF.to_owned());
    settings.business_timezone = Some(tz);
    settings.cal_webhook_secret = Some(SecretString::from(DEMO_WEBHOOK_SECRET));
    settings.vapi_webhook_secret = Some(SecretString::from(vapi_secret.to_owned()));
    settings.vapi_webhook_hmac_secret = None;
    settings.admin_token = Some(SecretString::from(admin_token.to_owned()));
    settings.vapi_assistant_id = Some(DEMO_ASSISTANT_ID.to_owned());
    // The demo has no VAPI account to backfill calls from.
    settings.vapi_call_sync_interval_secs = 0;
    settings
}

/// The demo clinic as a tenant (`default`): exactly the demo's settings, so the shared routes
/// and every printed command serve it as before there were two businesses.
fn clinic(settings: &Settings) -> TenantDef {
    TenantDef {
        slug: TenantSlug::default_tenant(),
        name: "Demo Dental".to_owned(),
        time_zone: settings
            .business_timezone
            .unwrap_or(chrono_tz::America::New_York),
        language: settings.business_language,
        cal_api_url: settings.cal_api_url.clone(),
        cal_api_key: SecretString::from(DEMO_API_KEY),
        event_type_ids: vec![DEMO_EVENT_TYPE_ID],
        organization_id: Some(DEMO_ORG_ID),
        cal_webhook_secrets: settings.cal_webhook_secrets(),
        vapi_webhook_secrets: settings.vapi_webhook_secrets(),
        vapi_hmac_secrets: settings.vapi_webhook_hmac_secrets(),
        vapi_api_key: None,
        vapi_assistant_ids: vec![DEMO_ASSISTANT_ID.to_owned()],
        vapi_phone_number_ids: vec![DEMO_LINE_ID.to_owned()],
        admin_tokens: Vec::new(),
        staff_numbers: vec![DEMO_STAFF.to_owned()],
        staff_phone_number_ids: Vec::new(),
        date_order: settings.business_date_order,
        limits: TenantLimits::default(),
        retention: Default::default(),
        assistant_overrides: None,
        // Its calls come from its line, with the calling assistant of the demo's VAPI.
        outbound: crate::config::outbound::TenantOutbound {
            vapi_outbound_assistant_id: Some(DEMO_CALLING_ASSISTANT_ID.to_owned()),
            ..Default::default()
        },
        line: 0,
    }
}

/// Starts the simulator, seeds it, opens a fresh database at `database_url` (a SQLite file is
/// deleted first) and reconciles it, and subscribes Cal.com's webhooks to `listener`'s address.
pub async fn prepare(
    settings: &Settings,
    database_url: &str,
    listener: TcpListener,
) -> anyhow::Result<Demo> {
    prepare_with(settings, database_url, listener, DEMO_REMINDER_IN).await
}

/// [`prepare`], with the demo's reminder call due `reminder_in` (up to a minute more) after
/// the demo is ready.
pub async fn prepare_with(
    settings: &Settings,
    database_url: &str,
    listener: TcpListener,
    reminder_in: Duration,
) -> anyhow::Result<Demo> {
    let tz = settings
        .business_timezone
        .unwrap_or(chrono_tz::America::New_York);
    // The demo opens its operator API and dashboard with ADMIN_TOKEN when set, else with a fresh
    // token, and prints it.
    let admin_token = settings.admin_token.as_ref().map_or_else(
        || format!("demo-{}", uuid::Uuid::new_v4().simple()),
        |t| secrecy::ExposeSecret::expose_secret(t).to_owned(),
    );
    let clock = Clock::system();
    let sim = Simulator::new(DEMO_API_KEY, clock.clone());
    seed(&sim, tz, &clock);
    let handle = sim
        .spawn()
        .await
        .context("could not start the Cal.com simulator")?;

    if let Some(path) = database_url
        .strip_prefix("sqlite://")
        .and_then(|rest| rest.split('?').next())
    {
        crate::db::remove_sqlite_files(std::path::Path::new(path));
    }
    let db = Db::connect_and_migrate(database_url)
        .await
        .context("could not open the demo database")?;
    // Like production, VAPI messages need a credential: VAPI_WEBHOOK_SECRET's first value if
    // set, otherwise a fresh random secret, printed with the examples.
    let vapi_secret = settings
        .vapi_webhook_secrets()
        .into_iter()
        .next()
        .map(|s| secrecy::ExposeSecret::expose_secret(&s).to_owned())
        .unwrap_or_else(|| format!("demo-{}", uuid::Uuid::new_v4().simple()));
    let mut demo_settings = demo_settings(settings, &handle.url, tz, &admin_token, &vapi_secret);
    // One-time codes go to an in-process mailbox, shown in the terminal.
    let mail = SmtpSink::spawn()
        .await
        .context("could not start the demo's mail sink")?;
    demo_settings.smtp_url = Some(SecretString::from(mail.url()));
    demo_settings.smtp_from = Some(DEMO_MAIL_FROM.to_owned());
    // Reminder calls go through a stand-in for VAPI's call API, which plays each call back to
    // this service: one appointment's reminder is due within a minute of the start.
    let vapi_listener = TcpListener::bind("127.0.0.1:0")
        .await
        .context("could not start the demo's VAPI")?;
    let recording = format!(
        "{}{}",
        handle.url,
        crate::simulator::recording::RECORDING_PATH
    );
    let vapi_calls = crate::simulator::vapi_calls::VapiCalls::serve(
        vapi_listener,
        DEMO_VAPI_KEY,
        &format!("http://{}/vapi/webhook", listener.local_addr()?),
        &vapi_secret,
        Some(recording.clone()),
        clock.clone(),
    );
    let reminder_lead = DEMO_REMINDER_LEAD;
    demo_settings.vapi_api_url = vapi_calls.url.clone();
    demo_settings.vapi_api_key = Some(SecretString::from(DEMO_VAPI_KEY));
    demo_settings.outbound.reminders = crate::config::outbound::CallPolicy::Call;
    demo_settings.outbound.waitlist = crate::config::outbound::CallPolicy::Call;
    demo_settings.outbound.reminder_lead_hours = reminder_lead.num_seconds() as f64 / 3600.0;
    demo_settings.outbound.call_window = DEMO_CALL_WINDOW
        .parse()
        .context("the demo's calling hours")?;
    demo_settings.outbound.outbound_interval_secs = 5;
    demo_settings.outbound.vapi_outbound_assistant_id = Some(DEMO_CALLING_ASSISTANT_ID.to_owned());
    // A second business on the same process: its own Cal.com, secrets and routes.
    let salon_sim = salon::simulator(&clock);
    let salon_handle = salon_sim
        .spawn()
        .await
        .context("could not start the second business's Cal.com simulator")?;
    let salon_vapi_secret = format!("demo-salon-{}", uuid::Uuid::new_v4().simple());
    let businesses = TenantsFile {
        tenants: vec![
            clinic(&demo_settings),
            salon::tenant(&salon_handle.url, &salon_vapi_secret),
        ],
        warnings: Vec::new(),
    };
    let app::Service { state, jobs, .. } =
        app::build_tenants(&demo_settings, &businesses, clock, db).await?;
    let addr = listener.local_addr()?.to_string();
    // Like production: a first reconcile fills each business's table, then Cal.com's webhooks
    // keep it true.
    for tenant in state.tenants.current().all() {
        bookings::sync_bookings(&tenant.tools.cal, &tenant.db, &state.clock, None)
            .await
            .with_context(|| format!("could not sync the bookings of {}", tenant.name))?;
    }
    seed_calls(&state.db, &state.clock, tz, &recording)
        .await
        .context("could not seed the demo calls")?;
    // Booked now, as if in Cal.com: the appointment whose reminder rings first.
    seed_reminder(&sim, tz, &state.clock, reminder_in);
    let clinic = state.tenants.current().home().clone();
    bookings::sync_bookings(&clinic.tools.cal, &clinic.db, &state.clock, None)
        .await
        .context("could not sync the demo's reminder appointment")?;
    seed_waitlist(&clinic.db, &state.clock, tz)
        .await
        .context("could not seed the demo's waitlist")?;
    sim.subscribe_webhook(
        &format!("http://{addr}/cal/webhook"),
        Some(DEMO_WEBHOOK_SECRET),
        &bookings::SUBSCRIBED_TRIGGERS,
    );
    salon_sim.subscribe_webhook(
        &format!("http://{addr}/t/{}/cal/webhook", salon::SLUG),
        Some(salon::WEBHOOK_SECRET),
        &bookings::SUBSCRIBED_TRIGGERS,
    );
    Ok(Demo {
        state,
        jobs,
        listener,
        addr,
        cal_url: handle.url.clone(),
        database_url: database_url.to_owned(),
        sim,
        admin_token,
        vapi_secret,
        mail,
        salon_sim,
        salon_vapi_secret,
        vapi_calls,
        reminder_lead,
        _handle: handle,
        _salon_handle: salon_handle,
    })
}

/// Runs the demo until Ctrl-C.
pub async fn run(settings: Settings) -> anyhow::Result<()> {
    let listener = TcpListener::bind(settings.listen_addr)
        .await
        .with_context(|| format!("could not listen on {}", settings.listen_addr))?;
    let demo = prepare(&settings, DEMO_DATABASE_URL, listener).await?;
    let addr = demo.addr.clone();
    let tz = demo.state.tenants.current().home().business_tz;
    let (admin_token, vapi_secret) = (&demo.admin_token, &demo.vapi_secret);
    println!(
        "vapi-cal demo: serving on http://{addr} against a simulated Cal.com at {}",
        demo.cal_url
    );
    println!(
        "Business time zone {}; demo caller {DEMO_CALLER}; database vapi-cal-demo.db.",
        tz.name()
    );
    println!(
        "VAPI messages must carry the secret {vapi_secret} (X-Vapi-Secret or Authorization: Bearer)."
    );
    println!("Paste any of these into another terminal:\n");
    for (tool, args) in examples() {
        println!("# {tool}\n{}\n", curl_for(&addr, vapi_secret, tool, &args));
    }
    println!("Operator API (ADMIN_TOKEN={admin_token}):\n");
    for path in [
        "/api/calls",
        "/api/calls/demo-call-1",
        "/api/stats",
        "/api/appointments",
    ] {
        println!("curl -s -H 'Authorization: Bearer {admin_token}' http://{addr}{path}");
    }
    println!();
    println!(
        "# assistant-request: the assistant and what is known about the demo caller\n{}\n",
        assistant_request_curl(&addr, vapi_secret)
    );
    println!("# Check the setup\n{}\n", demo.doctor_command());
    println!("Operator console: http://{addr}/dashboard (sign in with the token {admin_token})\n");
    println!(
        "# A call without a number (web call): ask for a one-time code, then read it back\n{}\n",
        curl_without_number(&addr, vapi_secret, "caller_verify", DEMO_VERIFY_ARGS)
    );
    println!(
        "One-time codes are mailed to an in-process mailbox at {}; each code is printed here.\n",
        demo.mail.url()
    );
    let _mail_log = demo.mail.on_each(|mail| {
        println!(
            "[mail to {}] one-time code {}",
            mail.to.join(", "),
            mail.code(6).unwrap_or_else(|| "(none)".to_owned())
        );
    });
    println!(
        "A second business is served by the same process: {} ({}, answers in Spanish). Its routes are /t/{}/..., and its VAPI messages carry {}:\n",
        salon::NAME,
        salon::TZ.name(),
        salon::SLUG,
        demo.salon_vapi_secret
    );
    println!(
        "# availability_read at the salon\n{}\n",
        salon::curl(
            &addr,
            &demo.salon_vapi_secret,
            "availability_read",
            r#"{"date":"mañana"}"#
        )
    );
    println!(
        "# appointment_read: the salon's caller hears their trim (the clinic's caller is a stranger here)\n{}\n",
        salon::curl(&addr, &demo.salon_vapi_secret, "appointment_read", "{}")
    );
    println!(
        "Calls the business makes: a reminder {} minutes before each appointment (REMINDER_LEAD_HOURS), placed through a stand-in for VAPI's call API at {} that plays each call back. Riley Demo ({DEMO_REMINDED}) gets one within a minute; watch it at http://{addr}/dashboard/outbound, or run:\n",
        demo.reminder_lead.num_minutes(),
        demo.vapi_calls.url
    );
    println!(
        "The waitlist: Sam Waiting ({DEMO_WAITING}) waits for tomorrow afternoon. Cancel the 1:00 PM appointment with the appointment_cancel curl above and within seconds Sam is called, the time is held for them, and they take it.\n"
    );
    println!(
        "DATABASE_URL='sqlite://vapi-cal-demo.db?mode=rwc' BUSINESS_TIMEZONE={} REMINDERS=call WAITLIST=call REMINDER_LEAD_HOURS={:.4} CALL_WINDOW='{DEMO_CALL_WINDOW}' cargo run --release -- outbound status\n",
        tz.name(),
        demo.reminder_lead.num_seconds() as f64 / 3600.0
    );
    println!("Press Ctrl-C to stop.");
    let Demo {
        state,
        jobs,
        listener,
        _handle,
        ..
    } = demo;
    let _jobs = jobs.start();
    app::serve(listener, state, app::shutdown_signal()).await?;
    drop(_handle);
    Ok(())
}

/// What `vapi-cal simulator` starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SimulatorSeed {
    /// The demo business (see [`seed`]).
    Demo,
    /// Only the owner; no event types, organization or bookings.
    Empty,
}

/// `vapi-cal simulator`: serves the Cal.com simulator alone until Ctrl-C.
pub async fn run_simulator(
    settings: &Settings,
    listen: std::net::SocketAddr,
    latency: std::time::Duration,
    seed_with: SimulatorSeed,
) -> anyhow::Result<()> {
    let tz = settings
        .business_timezone
        .unwrap_or(chrono_tz::America::New_York);
    let clock = Clock::system();
    let sim = Simulator::new(DEMO_API_KEY, clock.clone());
    if seed_with == SimulatorSeed::Demo {
        seed(&sim, tz, &clock);
    }
    sim.set_latency(latency);
    // Served for hours under load: keep the count of requests but only the latest ones.
    sim.set_request_log_limit(Some(crate::simulator::STANDALONE_REQUEST_LOG));
    let listener = TcpListener::bind(listen)
        .await
        .with_context(|| format!("could not listen on {listen}"))?;
    let url = format!("http://{}", listener.local_addr()?);
    println!("Cal.com simulator listening on {url}");
    println!("API key: {DEMO_API_KEY}");
    if seed_with == SimulatorSeed::Demo {
        println!(
            "Event type {DEMO_EVENT_TYPE_ID}: Consultation, 30 minutes, 9:00-17:00 every day ({})",
            tz.name()
        );
        println!(
            "Organization {DEMO_ORG_ID}; demo caller {DEMO_CALLER} has two appointments tomorrow."
        );
        println!(
            "Use it: CAL_API_URL={url} CAL_API_KEY={DEMO_API_KEY} CAL_EVENT_TYPE_ID={DEMO_EVENT_TYPE_ID} CAL_ORGANIZATION_ID={DEMO_ORG_ID}"
        );
    } else {
        println!("No event types (empty seed).");
    }
    println!("Introspection: GET {url}/_simulator/stats, GET {url}/_simulator/requests?since=N");
    axum::serve(listener, sim.standalone_router())
        .with_graceful_shutdown(app::shutdown_signal())
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_shows_the_commands_the_demo_prints() {
        let readme = include_str!("../../../README.md");
        for (tool, args) in examples() {
            let curl = curl_for("127.0.0.1:8080", "demo-secret", tool, &args);
            assert!(readme.contains(&curl), "README lacks: {curl}");
        }
    }
}
