//! The console's Calls out page over HTTP: behind sign-in like every page, the business's
//! policy in a line, the next calls and the latest ones of the business shown only, hostile
//! names, numbers and details as text, calls linked only when the service has a record of them;
//! the empty state says which setting turns calls on; and each appointment row says where its
//! reminder stands, read in one query for the page.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use vapi_cal::{
    config::{Settings, outbound::CallPolicy},
    db::{Db, outbound::OutboundChange},
    domain::{
        outbound::{OutboundCall, OutboundKind, OutboundOutcome, OutboundState},
        tenant::TenantSlug,
    },
};

use crate::{
    dashboard::{assert_clean, page, sign_in},
    support::{CALLER, Options, TestApp, at},
    vapi_fake::VapiFake,
};

/// A name with markup, longer than any column.
pub const HOSTILE_NAME: &str =
    "<script>alert('name')</script> Maximiliana Wolfeschlegelsteinhausenbergerdorff";
/// A detail with markup and a 200-character word.
pub fn hostile_detail() -> String {
    format!(
        "<script>alert('detail')</script> {}",
        "Supercalifragilistic".repeat(10)
    )
}
/// A 40-character number.
pub fn long_phone() -> String {
    let phone = format!("+1555{}", "0123456789".repeat(3)) + "12345";
    assert_eq!(phone.len(), 40);
    phone
}
/// A booking uid with markup.
pub const HOSTILE_UID: &str = "uid-<script>alert(3)</script>";

/// The business with reminders a day ahead, one retry, Mon-Fri calling hours, two at once,
/// placing through the fake VAPI on its own line; at Saturday, November 21, 2026, 10 AM in New
/// York. The fake is returned so it lives as long as the app.
pub async fn calling_business() -> (TestApp, VapiFake) {
    let vapi = VapiFake::spawn().await;
    vapi.insert(json!({"name": "Scheduler (calls)"}));
    let line = vapi.insert_phone_number(json!({"number": "+15550001111", "name": "Front desk"}));
    let mut outbound = Settings::defaults().outbound;
    outbound.reminders = CallPolicy::Call;
    outbound.reminder_lead_hours = 24.0;
    outbound.reminder_retries = 1;
    outbound.call_window = "Mon-Sun 09:00-19:00".parse().expect("a window");
    outbound.outbound_max_concurrent = 2;
    outbound.business_name = Some("Demo Dental".to_owned());
    let app = TestApp::spawn_with(Options {
        vapi_api_url: Some(vapi.url.clone()),
        phone_number_id: Some(line),
        outbound: Some(outbound),
        ..Options::default()
    })
    .await;
    (app, vapi)
}

/// A planned call about `uid`, starting at `start`, due a day before.
fn planned(
    uid: &str,
    start: &str,
    phone: &str,
    name: Option<&str>,
    state: OutboundState,
) -> OutboundCall {
    let start: DateTime<Utc> = at(start);
    OutboundCall {
        kind: OutboundKind::Reminder,
        booking_uid: uid.to_owned(),
        appointment_start: start,
        lead_minutes: 1440,
        phone: phone.to_owned(),
        attendee_name: name.map(str::to_owned),
        due_at: start - Duration::hours(24),
        state,
        attempts: 0,
        vapi_call_id: None,
        outcome: None,
        detail: None,
        updated_at: at("2026-11-21T15:00:00Z"),
    }
}

/// Plans `call`, then, when `placed_as` is given, places it as that VAPI call and ends it in
/// `end` with `outcome` and `detail`.
async fn record(
    db: &Db,
    call: OutboundCall,
    placed_as: Option<&str>,
    end: Option<(OutboundState, Option<OutboundOutcome>, Option<String>)>,
) {
    let now = at("2026-11-21T15:00:00Z");
    assert!(db.plan_outbound_call(&call, now).await.expect("plan"));
    let key = call.key();
    if let Some(id) = placed_as {
        // As the service places one: claimed when due, then VAPI's id recorded.
        let due = call.due_at.max(now);
        assert!(
            db.claim_outbound_call(&key, "test", due)
                .await
                .expect("claim")
        );
        assert!(db.outbound_placed(&key, id, due).await.expect("placed"));
    }
    if let Some((state, outcome, detail)) = end {
        let change = OutboundChange {
            state,
            outcome,
            detail,
            due_at: None,
            attempts_delta: 0,
        };
        let from = [call.state, OutboundState::Placed];
        assert!(
            db.change_outbound_call(&key, &from, &change, now)
                .await
                .expect("change")
        );
    }
}

/// The business's calls, with every hostile text the page must show as text: a scheduled one
/// (long name, 40-character number, markup in the uid and the detail); one done and confirmed
/// on a call the service has a record of; one failed on a call it never heard of; one skipped
/// because the number opted out; two numbers opted out. Another business has a call and an
/// opt-out of its own, which this business's page never shows.
pub async fn seed_calls_out(app: &TestApp) {
    let mut next = planned(
        HOSTILE_UID,
        "2026-11-23T20:00:00Z",
        &long_phone(),
        Some(HOSTILE_NAME),
        OutboundState::Scheduled,
    );
    next.detail = Some(hostile_detail());
    record(&app.db, next, None, None).await;
    app.message(json!({
        "type": "status-update", "status": "in-progress",
        "timestamp": app.clock.now().timestamp_millis(),
        "call": {"id": "call-out-1", "type": "outboundPhoneCall"}, "customer": {"number": CALLER}
    }))
    .await;
    record(
        &app.db,
        planned(
            "booking-done",
            "2026-11-22T16:00:00Z",
            CALLER,
            Some("Jamie Rivera"),
            OutboundState::Scheduled,
        ),
        Some("call-out-1"),
        Some((OutboundState::Done, Some(OutboundOutcome::Confirmed), None)),
    )
    .await;
    record(
        &app.db,
        planned(
            "booking-failed",
            "2026-11-22T17:00:00Z",
            "+15557654321",
            None,
            OutboundState::Scheduled,
        ),
        Some("call-out-gone"),
        Some((
            OutboundState::Failed,
            Some(OutboundOutcome::Failed),
            Some("VAPI refused the call".to_owned()),
        )),
    )
    .await;
    let mut skipped = planned(
        "booking-skipped",
        "2026-11-22T18:00:00Z",
        "+15550002222",
        Some("Sam Lee"),
        OutboundState::Skipped,
    );
    skipped.detail = Some("opted out".to_owned());
    record(&app.db, skipped, None, None).await;
    let now = app.clock.now();
    for phone in ["+15550002222", "+15550003333"] {
        app.db.opt_out(phone, "staff", now).await.expect("opt out");
    }
    let elsewhere = app
        .db
        .for_tenant(&TenantSlug::parse("elsewhere").expect("a slug"));
    record(
        &elsewhere,
        planned(
            "booking-elsewhere",
            "2026-11-23T21:00:00Z",
            "+15559990000",
            Some("Elsewhere Person"),
            OutboundState::Scheduled,
        ),
        None,
        None,
    )
    .await;
    for phone in ["+15559990000", "+15559990001", "+15559990002"] {
        elsewhere
            .opt_out(phone, "staff", now)
            .await
            .expect("opt out");
    }
}

/// The part of `body` from the element with `id` to the end of its section.
pub(crate) fn section<'a>(body: &'a str, id: &str) -> &'a str {
    let start = body
        .find(&format!(r#"id="{id}""#))
        .unwrap_or_else(|| panic!("no #{id} in {body}"));
    let rest = &body[start..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

/// Asserts that the Calls out page of `app` is refused (sent to sign in) without a session and
/// with a forged one, and that the refusal does not show `secret`.
pub(crate) async fn assert_refused_without_session(app: &TestApp, secret: &str) {
    let (status, body) = page(app, "/dashboard/outbound", "").await;
    assert_eq!(status, 303);
    assert!(!body.contains(secret), "{body}");
    let (status, _) = page(
        app,
        "/dashboard/outbound",
        "vapi_cal_session=v1.9999999999.abc.forged",
    )
    .await;
    assert_eq!(status, 303);
}

#[tokio::test]
async fn the_outbound_page_needs_a_session() {
    let (app, _vapi) = calling_business().await;
    seed_calls_out(&app).await;
    assert_refused_without_session(&app, "Jamie").await;
}

#[tokio::test]
async fn the_outbound_page_shows_the_policy_and_this_businesss_calls_as_text() {
    let (app, _vapi) = calling_business().await;
    seed_calls_out(&app).await;
    let cookie = sign_in(&app).await;
    let (status, body) = page(&app, "/dashboard/outbound", &cookie).await;
    assert_eq!(status, 200);
    assert_clean("/dashboard/outbound", &body);
    assert!(
        body.contains(r#"<a href="/dashboard/outbound" aria-current="page">Calls out</a>"#),
        "in the navigation: {body}"
    );

    let policy = &body[body.find(r#"id="policy""#).expect("the policy")..];
    let policy = &policy[..policy.find("</ul>").expect("its end")];
    for part in [
        "Reminders: on, 24 hours before, 1 more try when nobody answers",
        "No-show follow-ups: off",
        "Calling hours: Mon-Sun 09:00-19:00 (America/New_York)",
        "At most 2 calls at once",
        "2 numbers asked not to be called",
    ] {
        assert!(policy.contains(part), "{part} in {policy}");
    }

    let next = section(&body, "next");
    assert!(next.contains("Next (1)"), "{next}");
    assert!(next.contains(&long_phone()), "{next}");
    assert!(next.contains("Sun, Nov 22, 3:00 PM"), "due, local: {next}");
    assert!(
        next.contains(r#"href="/dashboard/appointments?when=upcoming&#38;day=2026-11-23""#),
        "the appointment's day: {next}"
    );
    assert!(next.contains("scheduled"), "{next}");

    let latest = section(&body, "latest");
    assert!(latest.contains("Latest (3)"), "{latest}");
    // Newest due first: skipped (due 18:00 UTC), failed (17:00), done (16:00).
    let order: Vec<usize> = ["booking-skipped", "booking-failed", "booking-done"]
        .iter()
        .map(|uid| {
            latest
                .find(uid)
                .unwrap_or_else(|| panic!("{uid}: {latest}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(latest.contains("confirmed"), "{latest}");
    assert!(latest.contains("call failed"), "{latest}");
    assert!(latest.contains("VAPI refused the call"), "{latest}");
    assert!(latest.contains("opted out"), "{latest}");
    // A call with a record is linked; one the service never heard of is not.
    assert!(
        latest.contains(r#"href="/dashboard/calls/call-out-1""#),
        "{latest}"
    );
    assert!(latest.contains("call-out-gone"), "{latest}");
    assert!(
        !latest.contains(r#"href="/dashboard/calls/call-out-gone""#),
        "{latest}"
    );

    // Another business's call and opt-outs are not this one's.
    for theirs in ["Elsewhere", "booking-elsewhere", "+15559990000"] {
        assert!(!body.contains(theirs), "{theirs} shown: {body}");
    }

    // Markup is text.
    assert!(!body.contains("<script>alert"), "{body}");
    for escaped in [
        "&#60;script&#62;alert(&#39;name&#39;)",
        "&#60;script&#62;alert(&#39;detail&#39;)",
        "uid-&#60;script&#62;alert(3)",
    ] {
        assert!(body.contains(escaped), "{escaped} in {body}");
    }
}

#[tokio::test]
async fn an_outbound_page_without_calls_says_which_setting_turns_them_on() {
    let app = TestApp::spawn().await;
    let cookie = sign_in(&app).await;
    let (status, body) = page(&app, "/dashboard/outbound", &cookie).await;
    assert_eq!(status, 200);
    assert_clean("/dashboard/outbound", &body);
    assert!(body.contains("Reminders: off"), "{body}");
    let next = section(&body, "next");
    assert!(next.contains("Next (0)"), "{next}");
    assert!(next.contains("set REMINDERS=call"), "{next}");
    assert!(next.contains("NO_SHOW_FOLLOW_UP=call"), "{next}");
    assert!(
        section(&body, "latest").contains("No calls made yet"),
        "{body}"
    );
    assert!(body.contains("0 numbers asked not to be called"), "{body}");

    let (app, _vapi) = calling_business().await;
    let cookie = sign_in(&app).await;
    let (_, body) = page(&app, "/dashboard/outbound", &cookie).await;
    assert!(
        section(&body, "next").contains("a reminder is planned 24 hours before each upcoming"),
        "{body}"
    );
}

#[tokio::test]
async fn each_appointment_row_says_where_its_reminder_stands() {
    let (app, _vapi) = calling_business().await;
    // Each on a call of its own: one call books at most two.
    for (call, day) in [
        ("call-b1", "Monday"),
        ("call-b2", "Tuesday"),
        ("call-b3", "Wednesday"),
    ] {
        app.call_on(
            call,
            "appointment_create",
            json!({"start": format!("{day} at 3pm"), "attendeeName": "Jamie Rivera"}),
            Some(CALLER),
        )
        .await
        .ok();
    }
    let report = app.outbound.run_once(false).await.expect("a pass");
    assert_eq!(report.planned.len(), 3, "{report:?}");
    // The soonest due first: Monday's, Tuesday's, Wednesday's.
    let planned = app.db.outbound_calls(&[], false, 10).await.expect("read");
    let [due, confirmed, skipped] = [0, 1, 2].map(|i| planned[i].booking_uid.clone());
    let now = app.clock.now();
    for (uid, change) in [
        (
            &confirmed,
            OutboundChange {
                state: OutboundState::Done,
                outcome: Some(OutboundOutcome::Confirmed),
                detail: None,
                due_at: None,
                attempts_delta: 1,
            },
        ),
        (
            &skipped,
            OutboundChange {
                state: OutboundState::Skipped,
                outcome: None,
                detail: Some("opted out".to_owned()),
                due_at: None,
                attempts_delta: 0,
            },
        ),
    ] {
        let calls = app.db.outbound_calls_of_booking(uid).await.expect("read");
        let key = calls[0].key();
        assert!(
            app.db
                .change_outbound_call(&key, &[OutboundState::Scheduled], &change, now)
                .await
                .expect("change")
        );
    }
    // One read for the page, whoever's rows are in the table.
    let uids = vec![due, confirmed.clone(), skipped.clone()];
    let calls = app
        .db
        .outbound_calls_of_bookings(&uids)
        .await
        .expect("read");
    assert_eq!(calls.len(), 3);
    let elsewhere = app
        .db
        .for_tenant(&TenantSlug::parse("elsewhere").expect("a slug"));
    assert!(
        elsewhere
            .outbound_calls_of_bookings(&uids)
            .await
            .expect("read")
            .is_empty()
    );

    let cookie = sign_in(&app).await;
    let (status, body) = page(&app, "/dashboard/appointments", &cookie).await;
    assert_eq!(status, 200);
    assert_clean("/dashboard/appointments", &body);
    for note in [
        "reminder due Sun, Nov 22, 3:00 PM",
        "reminder: confirmed",
        "reminder skipped: opted out",
    ] {
        assert!(
            body.contains(&format!(r#"<span class="reminder">{note}</span>"#)),
            "{note} in {body}"
        );
    }
}
