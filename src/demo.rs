//! `vapi-cal demo`: the whole service against the built-in Cal.com simulator, no keys needed.
//!
//! It seeds one appointment type and two appointments for a demo caller, serves on
//! `LISTEN_ADDR`, and prints a ready-to-paste curl command for every tool.

use anyhow::Context;
use chrono::{Duration, NaiveTime, Weekday};
use chrono_tz::Tz;
use secrecy::SecretString;
use tokio::net::TcpListener;

use crate::{
    app::{self, AppState},
    calcom::{
        CalClient,
        simulator::{EventTypeSpec, SeedBooking, Simulator},
    },
    clock::Clock,
    config::Settings,
    db::Db,
    local_time::{local_to_utc, local_today},
    sync,
    tools::ToolContext,
};

/// The demo's own database file, recreated on every run so old answers don't leak in.
const DEMO_DATABASE_URL: &str = "sqlite://vapi-cal-demo.db?mode=rwc";
/// The demo caller's number.
pub const DEMO_CALLER: &str = "+15551234567";
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

/// Seeds a simulator with the demo business: one 30-minute type open 9–17 every day, and two
/// appointments tomorrow for the demo caller.
pub fn seed(sim: &Simulator, tz: Tz, clock: &Clock) {
    let mut spec = EventTypeSpec::new(DEMO_EVENT_TYPE_ID, "Consultation", 30, tz);
    spec.weekdays = vec![
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    sim.add_event_type(spec);
    sim.add_organization(DEMO_ORG_ID);
    sim.set_me("Demo Owner", "owner@example.com", tz.name());
    let tomorrow = local_today(clock.now(), tz) + Duration::days(1);
    for (uid, hour) in [(DEMO_MOVE_UID, 11), (DEMO_CANCEL_UID, 13)] {
        let local =
            tomorrow.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN));
        if let Ok(start) = local_to_utc(local, tz) {
            sim.seed_booking(SeedBooking {
                uid: uid.to_owned(),
                event_type_id: DEMO_EVENT_TYPE_ID,
                start,
                attendee_name: "Jamie Demo".to_owned(),
                attendee_email: Some("jamie@example.com".to_owned()),
                attendee_phone: Some(DEMO_CALLER.to_owned()),
                attendee_time_zone: tz.name().to_owned(),
            });
        }
    }
}

/// The demo's example tool calls: (tool, arguments JSON).
pub fn examples() -> Vec<(&'static str, String)> {
    vec![
        ("availability_read", r#"{"date":"tomorrow"}"#.to_owned()),
        (
            "appointment_create",
            r#"{"start":"tomorrow 15:00","attendeeName":"Jamie Demo","attendeeEmail":"jamie@example.com"}"#.to_owned(),
        ),
        ("appointment_read", "{}".to_owned()),
        (
            "appointment_update",
            format!(r#"{{"appointmentId":"{DEMO_MOVE_UID}","start":"tomorrow 16:00","reason":"running late"}}"#),
        ),
        (
            "appointment_cancel",
            format!(r#"{{"appointmentId":"{DEMO_CANCEL_UID}","reason":"change of plans"}}"#),
        ),
        ("user_read", "{}".to_owned()),
        (
            "user_create",
            r#"{"email":"sam@example.com","name":"Sam Staff","timeZone":"America/Chicago"}"#.to_owned(),
        ),
    ]
}

/// A curl command that sends one tool call to `addr` the way VAPI does.
pub fn curl_for(addr: &str, tool: &str, args: &str) -> String {
    format!(
        "curl -s -X POST http://{addr}/vapi/webhook -H 'Content-Type: application/json' -d '{{\"message\":{{\"type\":\"tool-calls\",\"call\":{{\"id\":\"demo-call\"}},\"customer\":{{\"number\":\"{DEMO_CALLER}\"}},\"toolCallList\":[{{\"id\":\"demo-{tool}\",\"type\":\"function\",\"function\":{{\"name\":\"{tool}\",\"arguments\":{args}}}}}]}}}}'"
    )
}

/// A demo ready to serve: the simulator running and seeded, the database synced, Cal.com's
/// webhook subscribed to `addr`.
pub struct Demo {
    /// The app's state.
    pub state: AppState,
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
    _handle: crate::calcom::simulator::SimulatorHandle,
}

impl Demo {
    /// The settings a `vapi-cal doctor` run against this demo uses: the simulator, the demo's
    /// database, key, event type, organization and webhook secret, and `PUBLIC_URL` on the demo.
    pub fn doctor_settings(&self, base: &Settings) -> Settings {
        let mut settings = base.clone();
        settings.database_url = self.database_url.clone();
        settings.cal_api_url = self.cal_url.clone();
        settings.cal_api_key = Some(SecretString::from(DEMO_API_KEY));
        settings.cal_event_type_id = Some(DEMO_EVENT_TYPE_ID);
        settings.cal_organization_id = Some(DEMO_ORG_ID);
        settings.business_timezone = Some(self.state.tools.business_tz);
        settings.cal_webhook_secret = Some(SecretString::from(DEMO_WEBHOOK_SECRET));
        settings.public_url = Some(format!("http://{}", self.addr));
        settings.admin_token = Some(SecretString::from(self.admin_token.clone()));
        settings
    }

    /// The shell command that runs the doctor against this demo.
    pub fn doctor_command(&self) -> String {
        format!(
            "DATABASE_URL='{}' CAL_API_URL={} CAL_API_KEY={DEMO_API_KEY} CAL_EVENT_TYPE_ID={DEMO_EVENT_TYPE_ID} \\\n  CAL_ORGANIZATION_ID={DEMO_ORG_ID} BUSINESS_TIMEZONE={} CAL_WEBHOOK_SECRET={DEMO_WEBHOOK_SECRET} \\\n  PUBLIC_URL=http://{} cargo run --release -- doctor",
            self.database_url,
            self.cal_url,
            self.state.tools.business_tz.name(),
            self.addr
        )
    }
}

/// Starts the simulator, seeds it, opens a fresh database at `database_url` (a SQLite file is
/// deleted first) and reconciles it, and subscribes Cal.com's webhooks to `listener`'s address.
pub async fn prepare(
    settings: &Settings,
    database_url: &str,
    listener: TcpListener,
) -> anyhow::Result<Demo> {
    let tz = settings
        .business_timezone
        .unwrap_or(chrono_tz::America::New_York);
    // The demo signs in to its dashboard with ADMIN_TOKEN when set, else with a fresh token.
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
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    }
    let db = Db::connect_and_migrate(database_url)
        .await
        .context("could not open the demo database")?;
    let cal = CalClient::new(
        &handle.url,
        SecretString::from(DEMO_API_KEY),
        settings.cal_request_timeout(),
        settings.tool_deadline(),
    );
    let state = AppState {
        tools: ToolContext {
            cal,
            db,
            clock,
            business_tz: tz,
            default_event_type_id: Some(DEMO_EVENT_TYPE_ID),
            organization_id: Some(DEMO_ORG_ID),
        },
        cal_webhook_secrets: vec![SecretString::from(DEMO_WEBHOOK_SECRET)],
        dashboard: Some(crate::dashboard::session::Access::new(
            &SecretString::from(admin_token.clone()),
            None,
        )),
    };
    let addr = listener.local_addr()?.to_string();
    // Like production: a first reconcile fills the table, then Cal.com's webhooks keep it true.
    sync::sync_bookings(&state.tools.cal, &state.tools.db, &state.tools.clock, None)
        .await
        .context("could not sync the demo bookings")?;
    sim.subscribe_webhook(
        &format!("http://{addr}/cal/webhook"),
        Some(DEMO_WEBHOOK_SECRET),
        &sync::SUBSCRIBED_TRIGGERS,
    );
    Ok(Demo {
        state,
        listener,
        addr,
        cal_url: handle.url.clone(),
        database_url: database_url.to_owned(),
        sim,
        admin_token,
        _handle: handle,
    })
}

/// Runs the demo until Ctrl-C.
pub async fn run(settings: Settings) -> anyhow::Result<()> {
    let listener = TcpListener::bind(settings.listen_addr)
        .await
        .with_context(|| format!("could not listen on {}", settings.listen_addr))?;
    let demo = prepare(&settings, DEMO_DATABASE_URL, listener).await?;
    let addr = demo.addr.clone();
    let tz = demo.state.tools.business_tz;
    println!(
        "vapi-cal demo: serving on http://{addr} against a simulated Cal.com at {}",
        demo.cal_url
    );
    println!(
        "Business time zone {}; demo caller {DEMO_CALLER}; database vapi-cal-demo.db.",
        tz.name()
    );
    println!("Paste any of these into another terminal:\n");
    for (tool, args) in examples() {
        println!("# {tool}\n{}\n", curl_for(&addr, tool, &args));
    }
    println!("# Check the setup\n{}\n", demo.doctor_command());
    println!(
        "Operator console: http://{addr}/dashboard (sign in with the token {})\n",
        demo.admin_token
    );
    println!("Press Ctrl-C to stop.");
    let Demo {
        state,
        listener,
        _handle,
        ..
    } = demo;
    app::serve(listener, state, app::shutdown_signal()).await?;
    drop(_handle);
    Ok(())
}
