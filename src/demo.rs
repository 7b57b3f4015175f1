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
/// The assistant id the demo answers `assistant-request` with.
const DEMO_ASSISTANT_ID: &str = "demo-assistant";

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
            "availability_read",
            r#"{"date":"tomorrow","partOfDay":"afternoon"}"#.to_owned(),
        ),
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

/// A curl command that sends the `assistant-request` VAPI sends when the demo caller rings.
pub fn assistant_request_curl(addr: &str) -> String {
    format!(
        "curl -s -X POST http://{addr}/vapi/webhook -H 'Content-Type: application/json' -d '{{\"message\":{{\"type\":\"assistant-request\",\"call\":{{\"id\":\"demo-call\",\"type\":\"inboundPhoneCall\"}},\"customer\":{{\"number\":\"{DEMO_CALLER}\"}}}}}}'"
    )
}

/// Runs the demo until Ctrl-C.
pub async fn run(settings: Settings) -> anyhow::Result<()> {
    let tz = settings
        .business_timezone
        .unwrap_or(chrono_tz::America::New_York);
    let clock = Clock::system();
    let sim = Simulator::new(DEMO_API_KEY, clock.clone());
    seed(&sim, tz, &clock);
    let handle = sim
        .spawn()
        .await
        .context("could not start the Cal.com simulator")?;

    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("vapi-cal-demo.db{suffix}"));
    }
    let db = Db::connect_and_migrate(DEMO_DATABASE_URL)
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
            date_order: None,
        },
        cal_webhook_secrets: vec![SecretString::from(DEMO_WEBHOOK_SECRET)],
        vapi_assistant_id: Some(DEMO_ASSISTANT_ID.to_owned()),
    };
    let listener = TcpListener::bind(settings.listen_addr)
        .await
        .with_context(|| format!("could not listen on {}", settings.listen_addr))?;
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

    println!(
        "vapi-cal demo: serving on http://{addr} against a simulated Cal.com at {}",
        handle.url
    );
    println!(
        "Business time zone {}; demo caller {DEMO_CALLER}; database vapi-cal-demo.db.",
        tz.name()
    );
    println!("Paste any of these into another terminal:\n");
    for (tool, args) in examples() {
        println!("# {tool}\n{}\n", curl_for(&addr, tool, &args));
    }
    println!(
        "# assistant-request: the assistant and what is known about the demo caller\n{}\n",
        assistant_request_curl(&addr)
    );
    println!("Press Ctrl-C to stop.");
    app::serve(listener, state, app::shutdown_signal()).await?;
    Ok(())
}
