//! The demo's second business: a hair salon in London that answers in Spanish, served by the
//! same process as the demo clinic, with its own simulated Cal.com, secrets and routes
//! (`/t/salon/...`), so the demo shows how one deployment keeps several businesses apart.

use chrono::{Duration, NaiveTime};
use secrecy::SecretString;

use crate::{
    clock::Clock,
    config::tenants::{TenantDef, TenantLimits},
    domain::{
        language::Language,
        local_time::{local_to_utc, local_today},
        tenant::TenantSlug,
    },
    simulator::{EventTypeSpec, SeedBooking, Simulator},
};

/// The salon's slug: its routes are `/t/salon/vapi/webhook` and `/t/salon/cal/webhook`.
pub const SLUG: &str = "salon";
/// Its name.
pub const NAME: &str = "Cut & Colour (London)";
/// Its zone.
pub const TZ: chrono_tz::Tz = chrono_tz::Europe::London;
/// Its simulated Cal.com's API key.
const API_KEY: &str = "cal_demo_salon_key";
/// The secret its Cal.com signs webhooks with.
pub const WEBHOOK_SECRET: &str = "demo-salon-webhook-secret";
/// Its appointment type.
pub const EVENT_TYPE_ID: i64 = 2;
/// Its assistant.
const ASSISTANT_ID: &str = "demo-salon-assistant";
/// A caller of the salon, with a trim booked tomorrow.
pub const CALLER: &str = "+447700900123";
/// The trim booked for [`CALLER`].
pub const BOOKING_UID: &str = "demo-salon-trim";

/// The salon's simulated Cal.com: one 45-minute haircut, Tuesday to Saturday 9–17 London time,
/// and a trim tomorrow at 10:00 for [`CALLER`].
pub fn simulator(clock: &Clock) -> Simulator {
    let sim = Simulator::new(API_KEY, clock.clone());
    let mut spec = EventTypeSpec::new(EVENT_TYPE_ID, "Corte de pelo", 45, TZ);
    spec.weekdays = vec![
        chrono::Weekday::Tue,
        chrono::Weekday::Wed,
        chrono::Weekday::Thu,
        chrono::Weekday::Fri,
        chrono::Weekday::Sat,
    ];
    sim.add_event_type(spec);
    sim.set_me("Salon Owner", "owner@salon.example", TZ.name());
    let tomorrow = local_today(clock.now(), TZ) + Duration::days(1);
    let ten = tomorrow.and_time(NaiveTime::from_hms_opt(10, 0, 0).unwrap_or(NaiveTime::MIN));
    if let Ok(start) = local_to_utc(ten, TZ) {
        sim.seed_booking(SeedBooking {
            uid: BOOKING_UID.to_owned(),
            event_type_id: EVENT_TYPE_ID,
            start,
            attendee_name: "Lucía Demo".to_owned(),
            attendee_email: Some("lucia@example.com".to_owned()),
            attendee_phone: Some(CALLER.to_owned()),
            attendee_time_zone: TZ.name().to_owned(),
        });
    }
    sim
}

/// The salon as a tenant, its Cal.com at `cal_url` and its VAPI messages carrying
/// `vapi_secret`.
pub fn tenant(cal_url: &str, vapi_secret: &str) -> TenantDef {
    TenantDef {
        slug: TenantSlug::parse(SLUG).unwrap_or_default(),
        name: NAME.to_owned(),
        time_zone: TZ,
        language: Language::Es,
        cal_api_url: cal_url.to_owned(),
        cal_api_key: SecretString::from(API_KEY),
        event_type_ids: vec![EVENT_TYPE_ID],
        organization_id: None,
        cal_webhook_secrets: vec![SecretString::from(WEBHOOK_SECRET)],
        vapi_webhook_secrets: vec![SecretString::from(vapi_secret.to_owned())],
        vapi_hmac_secrets: Vec::new(),
        vapi_api_key: None,
        vapi_assistant_ids: vec![ASSISTANT_ID.to_owned()],
        vapi_phone_number_ids: Vec::new(),
        admin_tokens: Vec::new(),
        staff_numbers: Vec::new(),
        staff_phone_number_ids: Vec::new(),
        date_order: Some(crate::domain::local_time::DateOrder::Dmy),
        limits: TenantLimits::default(),
        retention: Default::default(),
        assistant_overrides: None,
        // The salon makes no calls in the demo: it has no line of its own.
        outbound: crate::config::outbound::TenantOutbound {
            reminders: Some(crate::config::outbound::CallPolicy::Off),
            waitlist: Some(crate::config::outbound::CallPolicy::Off),
            ..Default::default()
        },
        line: 0,
    }
}

/// A curl command that sends one tool call from the salon's caller to the salon's own route.
pub fn curl(addr: &str, secret: &str, tool: &str, args: &str) -> String {
    format!(
        "curl -s -X POST http://{addr}/t/{SLUG}/vapi/webhook -H 'Content-Type: application/json' -H 'X-Vapi-Secret: {secret}' -d '{{\"message\":{{\"type\":\"tool-calls\",\"call\":{{\"id\":\"demo-salon-call\"}},\"customer\":{{\"number\":\"{CALLER}\"}},\"toolCallList\":[{{\"id\":\"demo-salon-{tool}\",\"type\":\"function\",\"function\":{{\"name\":\"{tool}\",\"arguments\":{args}}}}}]}}}}'"
    )
}
