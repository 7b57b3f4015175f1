//! Calls the business makes: reminders placed through VAPI's `POST /call` (the fake validates
//! each body against VAPI's DTOs) the lead time before an appointment, inside calling hours,
//! once across processes, never to a number that opted out, never about an appointment that was
//! cancelled or moved; outcomes from the end-of-call report; retries after a voicemail.
//! Time moves with the test's clock: nothing here waits for a timer.

use chrono::Duration;
use secrecy::SecretString;
use serde_json::{Value, json};
use vapi_cal::{
    assistant::{self, AssistantSpec},
    config::{Settings, outbound::CallPolicy},
    domain::outbound::{OutboundOutcome, OutboundState},
};

use crate::support::*;
use crate::vapi_fake::{VapiFake, validate_assistant};

/// The business's world: the fake VAPI with the calling assistant and the business's line,
/// and the service making reminders with `window` calling hours.
struct World {
    app: TestApp,
    vapi: VapiFake,
    assistant_id: String,
    line_id: String,
}

/// The repository's assistants as `assistant push` defines them, with a hand-over number.
pub(crate) fn spec() -> AssistantSpec {
    AssistantSpec {
        name: "Scheduler".into(),
        public_url: "https://cal.example.com".into(),
        business_tz: chrono_tz::America::New_York,
        business_language: vapi_cal::domain::language::Language::En,
        webhook_secret: Some(SecretString::from(VAPI_SECRET)),
        webhook_hmac_secret: None,
        tool_deadline_ms: 9000,
        overrides: None,
        transfer_number: Some("+15550002222".into()),
    }
}

async fn world_with(window: &str, now: &str, tweak: impl FnOnce(&mut Options)) -> World {
    let vapi = VapiFake::spawn().await;
    // The calling assistant is pushed as `assistant push` does; the service finds it by name.
    let calling = spec().calling_definition().expect("the calling assistant");
    let pushed = assistant::push(Some(&vapi.client()), &calling, None, false)
        .await
        .expect("VAPI takes the calling assistant");
    let assistant_id = pushed.assistant_id.expect("created");
    let line_id = vapi.insert_phone_number(json!({"number": "+15550001111", "name": "Front desk"}));
    let mut outbound = Settings::defaults().outbound;
    outbound.reminders = CallPolicy::Call;
    outbound.reminder_lead_hours = 24.0;
    outbound.reminder_retries = 1;
    outbound.call_window = window.parse().expect("a window");
    outbound.outbound_max_concurrent = 2;
    outbound.business_name = Some("Demo Dental".to_owned());
    let mut opts = Options {
        now: at(now),
        vapi_api_url: Some(vapi.url.clone()),
        phone_number_id: Some(line_id.clone()),
        outbound: Some(outbound),
        ..Options::default()
    };
    tweak(&mut opts);
    let app = TestApp::spawn_with(opts).await;
    World {
        app,
        vapi,
        assistant_id,
        line_id,
    }
}

async fn world(window: &str) -> World {
    // Saturday, November 21, 2026, 10:00 in New York.
    world_with(window, "2026-11-21T15:00:00Z", |_| {}).await
}

impl World {
    /// One pass of the business's calls, as `serve` runs them.
    async fn pass(&self) -> vapi_cal::outbound::PassReport {
        self.app
            .outbound
            .run_once(false)
            .await
            .expect("the pass runs")
    }

    /// Calls VAPI was asked to place.
    fn placed(&self) -> Vec<Value> {
        self.vapi.placed_calls()
    }

    /// The end-of-call report of the placed call `call`, as VAPI sends it.
    async fn end(&self, call: &Value, reason: &str, outcome: Option<&str>) {
        let mut analysis = json!({"summary": "A reminder call."});
        if let Some(outcome) = outcome {
            analysis["structuredData"] = json!({"outcome": outcome});
        }
        let message = json!({
            "type": "end-of-call-report",
            "timestamp": 1_763_730_400_123_u64,
            "endedReason": reason,
            "startedAt": "2026-11-22T20:00:05.000Z",
            "endedAt": "2026-11-22T20:01:35.000Z",
            "call": {
                "id": call["id"],
                "type": "outboundPhoneCall",
                "assistantId": call["assistantId"],
                "phoneNumberId": call["phoneNumberId"],
                "customer": call["customer"],
            },
            "customer": call["customer"],
            "phoneNumber": {"id": call["phoneNumberId"], "number": "+15550001111"},
            "analysis": analysis,
            "artifact": {"transcript": "AI: Hi, this is Demo Dental.\nUser: Yes.\n", "messages": []},
        });
        let (status, body) = self.app.message(message).await;
        assert_eq!(status, 200, "{body}");
    }

    /// The planned calls about `uid`.
    async fn calls_of(&self, uid: &str) -> Vec<vapi_cal::domain::outbound::OutboundCall> {
        self.app
            .db
            .outbound_calls_of_booking(uid)
            .await
            .expect("read the planned calls")
    }
}

#[tokio::test]
async fn a_reminder_rings_the_lead_time_before_the_appointment_and_says_what_it_is_about() {
    let w = world("Mon-Sun 09:00-19:00").await;
    // Monday, November 23 at 3 PM New York is 20:00 UTC; its reminder is due Sunday at 20:00 UTC.
    let booked = w.app.book("Monday at 3pm", "Jamie Rivera").await;
    let report = w.pass().await;
    assert_eq!(report.planned.len(), 1, "{report:?}");
    assert!(report.placed.is_empty(), "nothing is due yet: {report:?}");

    w.app.clock.set(at("2026-11-22T19:59:00Z"));
    w.pass().await;
    assert!(w.placed().is_empty(), "a minute early");

    w.app.clock.set(at("2026-11-22T20:00:00Z"));
    let report = w.pass().await;
    assert_eq!(report.placed.len(), 1, "{report:?}");
    let placed = w.placed();
    assert_eq!(placed.len(), 1);
    let call = &placed[0];
    assert_eq!(call["assistantId"], w.assistant_id.as_str());
    assert_eq!(call["phoneNumberId"], w.line_id.as_str());
    assert_eq!(call["customer"]["number"], CALLER);
    let vars = &call["assistantOverrides"]["variableValues"];
    assert_eq!(vars["appointmentId"], booked.uid.as_str());
    assert_eq!(vars["callPurpose"], "reminder");
    assert_eq!(vars["callerName"], "Jamie Rivera");
    assert_eq!(vars["businessName"], "Demo Dental");
    let spoken = vars["appointmentTime"].as_str().unwrap_or_default();
    assert!(
        spoken.contains("November 23") && spoken.contains('3'),
        "the time as the business says it: {spoken}"
    );

    // Later passes never call again for the same appointment.
    w.app.clock.set(at("2026-11-22T20:30:00Z"));
    w.pass().await;
    assert_eq!(w.placed().len(), 1);
    let rows = w.calls_of(&booked.uid).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].state, OutboundState::Placed);
    assert_eq!(rows[0].vapi_call_id.as_deref(), call["id"].as_str());
}

#[tokio::test]
async fn two_processes_and_a_restart_place_each_reminder_once() {
    let w = world("Mon-Sun 09:00-19:00").await;
    w.app.book("Monday at 3pm", "Jamie Rivera").await;
    w.app.book("Monday at 4pm", "Jamie Rivera").await;
    let second = w.app.replica(replica_options(&w)).await;
    // Both plan at the same moment.
    let (a, b) = tokio::join!(
        w.app.outbound.run_once(false),
        second.outbound.run_once(false)
    );
    let planned = a.unwrap().planned.len() + b.unwrap().planned.len();
    assert!(
        planned <= 2,
        "each appointment is planned once, not {planned} times"
    );

    w.app.clock.set(at("2026-11-22T21:00:00Z"));
    for _ in 0..3 {
        let (a, b) = tokio::join!(
            w.app.outbound.run_once(false),
            second.outbound.run_once(false)
        );
        a.unwrap();
        b.unwrap();
    }
    assert_eq!(w.placed().len(), 2, "one call per appointment");
    // A process started afresh on the same database (a restart) calls nobody again.
    let restarted = w.app.replica(replica_options(&w)).await;
    restarted.outbound.run_once(false).await.unwrap();
    assert_eq!(w.placed().len(), 2);
    let mut about: Vec<String> = w
        .placed()
        .iter()
        .map(|c| c["assistantOverrides"]["variableValues"]["appointmentId"].to_string())
        .collect();
    about.sort();
    about.dedup();
    assert_eq!(about.len(), 2, "one call about each appointment: {about:?}");
}

fn replica_options(w: &World) -> Options {
    let mut outbound = Settings::defaults().outbound;
    outbound.reminders = CallPolicy::Call;
    outbound.call_window = "Mon-Sun 09:00-19:00".parse().unwrap();
    Options {
        vapi_api_url: Some(w.vapi.url.clone()),
        phone_number_id: Some(w.line_id.clone()),
        outbound: Some(outbound),
        ..Options::default()
    }
}

#[tokio::test]
async fn a_cancelled_appointment_is_not_called_and_a_moved_one_is_called_about_its_new_time() {
    let w = world("Mon-Sun 09:00-19:00").await;
    let cancelled = w.app.book("Monday at 3pm", "Jamie Rivera").await;
    let moved = w.app.book("Monday at 4pm", "Jamie Rivera").await;
    w.pass().await;
    w.app.cancel(&cancelled.uid).await;
    let new = w.app.move_to(&moved.uid, "Tuesday at 11am").await;
    let new_uid = new["appointment"]["appointmentId"]
        .as_str()
        .expect("the moved appointment's new id")
        .to_owned();

    // Monday's reminders are due on Sunday afternoon.
    w.app.clock.set(at("2026-11-22T22:00:00Z"));
    let report = w.pass().await;
    assert!(w.placed().is_empty(), "{report:?}");
    let why = |rows: &[vapi_cal::domain::outbound::OutboundCall]| {
        rows.iter()
            .map(|r| format!("{}: {}", r.state, r.detail.clone().unwrap_or_default()))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let rows = w.calls_of(&cancelled.uid).await;
    assert_eq!(rows[0].state, OutboundState::Skipped, "{}", why(&rows));
    assert!(why(&rows).contains("cancelled"), "{}", why(&rows));
    let rows = w.calls_of(&moved.uid).await;
    assert_eq!(rows[0].state, OutboundState::Skipped, "{}", why(&rows));
    assert!(why(&rows).contains("moved"), "{}", why(&rows));

    // Tuesday 11 AM New York (16:00 UTC) gets its own reminder on Monday at 16:00 UTC.
    w.app.clock.set(at("2026-11-23T16:00:00Z"));
    w.pass().await;
    let placed = w.placed();
    assert_eq!(placed.len(), 1, "{placed:?}");
    assert_eq!(
        placed[0]["assistantOverrides"]["variableValues"]["appointmentId"],
        new_uid.as_str()
    );
}

#[tokio::test]
async fn a_number_that_asked_not_to_be_called_is_never_called() {
    let w = world("Mon-Sun 09:00-19:00").await;
    w.app.book("Monday at 3pm", "Jamie Rivera").await;
    // "Please don't call me": the tool records the number the call comes from.
    let answer = w
        .app
        .answer("call_opt_out", json!({"reason": "no calls please"}))
        .await;
    assert!(summary(&answer).contains("will not call"), "{answer}");
    let again = w.app.answer("call_opt_out", json!({})).await;
    assert!(summary(&again).contains("already"), "{again}");
    // A call without a number has no number to stop calling.
    let refusal = w.app.refusal_as("call_opt_out", json!({}), None).await;
    assert!(refusal.contains("no phone number"), "{refusal}");

    w.app.clock.set(at("2026-11-22T20:00:00Z"));
    let report = w.pass().await;
    assert!(w.placed().is_empty(), "{report:?}");
    assert_eq!(report.skipped.len(), 1, "{report:?}");
    assert!(
        report.skipped[0]
            .detail
            .as_deref()
            .unwrap_or_default()
            .contains("asked not to be called")
    );
}

#[tokio::test]
async fn the_opt_out_of_one_number_leaves_other_numbers_called() {
    let w = world("Mon-Sun 09:00-19:00").await;
    w.app.book("Monday at 3pm", "Jamie Rivera").await;
    // Another caller opts out; nothing they say reaches the test caller's reminder.
    w.app
        .answer_as(
            "call_opt_out",
            json!({"reason": CALLER}),
            Some("+15557654321"),
        )
        .await;
    w.app.clock.set(at("2026-11-22T20:00:00Z"));
    w.pass().await;
    assert_eq!(w.placed().len(), 1);
    assert!(w.app.db.is_opted_out("+15557654321").await.unwrap());
    assert!(!w.app.db.is_opted_out(CALLER).await.unwrap());
}

#[tokio::test]
async fn calling_hours_are_local_across_the_spring_forward() {
    // Thursday, March 5, 2026 in New York; clocks spring forward on Sunday, March 8.
    let w = world_with("Mon-Sat 09:00-19:00", "2026-03-05T15:00:00Z", |_| {}).await;
    // Sunday, March 8 at 9:30 AM EDT is 13:30 UTC; 24 hours earlier is Saturday 08:30 EST,
    // before Saturday's opening, so the reminder moves to Friday 18:59 EST (23:59 UTC).
    let booked = w.app.book("Sunday March 8 at 9:30am", "Jamie Rivera").await;
    assert_eq!(booked.start_utc, "2026-03-08T13:30:00Z", "{booked:?}");
    w.pass().await;
    let rows = w.calls_of(&booked.uid).await;
    assert_eq!(rows[0].due_at, at("2026-03-06T23:59:00Z"), "{rows:?}");

    w.app.clock.set(at("2026-03-06T23:58:00Z"));
    w.pass().await;
    assert!(w.placed().is_empty());
    w.app.clock.set(at("2026-03-06T23:59:00Z"));
    w.pass().await;
    assert_eq!(w.placed().len(), 1);
}

#[tokio::test]
async fn a_voicemail_is_tried_again_an_hour_later_and_then_left_alone() {
    let w = world("Mon-Sun 09:00-19:00").await;
    let booked = w.app.book("Monday at 3pm", "Jamie Rivera").await;
    w.pass().await;
    w.app.clock.set(at("2026-11-22T20:00:00Z"));
    w.pass().await;
    let first = w.placed()[0].clone();
    w.end(&first, "voicemail", None).await;
    let rows = w.calls_of(&booked.uid).await;
    assert_eq!(rows[0].state, OutboundState::Scheduled, "{rows:?}");
    assert_eq!(rows[0].outcome, Some(OutboundOutcome::Voicemail));
    assert_eq!(rows[0].due_at, at("2026-11-22T21:00:00Z"));
    // The same report again (VAPI retries deliveries) changes nothing.
    w.end(&first, "voicemail", None).await;
    assert_eq!(
        w.calls_of(&booked.uid).await[0].due_at,
        at("2026-11-22T21:00:00Z")
    );

    w.app.clock.set(at("2026-11-22T20:59:00Z"));
    w.pass().await;
    assert_eq!(w.placed().len(), 1, "not before the hour is up");
    w.app.clock.set(at("2026-11-22T21:00:00Z"));
    w.pass().await;
    assert_eq!(w.placed().len(), 2, "one retry");
    let second = w.placed()[1].clone();
    w.end(&second, "customer-did-not-answer", None).await;
    let rows = w.calls_of(&booked.uid).await;
    assert_eq!(rows[0].state, OutboundState::Done, "{rows:?}");
    assert_eq!(rows[0].outcome, Some(OutboundOutcome::NoAnswer));
    assert_eq!(rows[0].attempts, 2);
    for hour in 22..=23 {
        w.app.clock.set(at(&format!("2026-11-22T{hour}:30:00Z")));
        w.pass().await;
    }
    assert_eq!(w.placed().len(), 2, "REMINDER_RETRIES=1: no third call");
}

#[tokio::test]
async fn the_outcome_is_what_the_call_did_to_the_appointment() {
    let w = world("Mon-Sun 09:00-19:00").await;
    let confirmed = w.app.book("Monday at 3pm", "Jamie Rivera").await;
    let cancelled = w.app.book("Monday at 4pm", "Jamie Rivera").await;
    w.pass().await;
    w.app.clock.set(at("2026-11-22T21:00:00Z"));
    w.pass().await;
    let placed = w.placed();
    assert_eq!(placed.len(), 2);
    let call_about = |uid: &str| {
        placed
            .iter()
            .find(|c| c["assistantOverrides"]["variableValues"]["appointmentId"] == uid)
            .cloned()
            .expect("a call about it")
    };
    let first = call_about(&confirmed.uid);
    w.end(&first, "customer-ended-call", Some("confirmed"))
        .await;
    // On the second call the person cancels with the tool, as the callee (their number is
    // the identity), and the model's summary says otherwise: the calendar wins.
    let second = call_about(&cancelled.uid);
    let call_id = second["id"].as_str().unwrap();
    let cancel = w
        .app
        .call_on(
            call_id,
            "appointment_cancel",
            json!({"appointmentId": cancelled.uid}),
            Some(CALLER),
        )
        .await
        .ok();
    assert!(
        summary(&cancel).to_lowercase().contains("cancel"),
        "{cancel}"
    );
    w.end(&second, "customer-ended-call", Some("confirmed"))
        .await;

    let rows = w.calls_of(&confirmed.uid).await;
    assert_eq!(
        (rows[0].state, rows[0].outcome),
        (OutboundState::Done, Some(OutboundOutcome::Confirmed))
    );
    let rows = w.calls_of(&cancelled.uid).await;
    assert_eq!(
        rows[0].outcome,
        Some(OutboundOutcome::Cancelled),
        "{rows:?}"
    );
}

#[tokio::test]
async fn vapi_refusals_put_the_call_off_without_losing_it() {
    let w = world("Mon-Sun 09:00-19:00").await;
    let booked = w.app.book("Monday at 3pm", "Jamie Rivera").await;
    w.pass().await;
    w.vapi.refuse_call_creates_with(&[429]);
    w.app.clock.set(at("2026-11-22T20:00:00Z"));
    let report = w.pass().await;
    assert!(w.placed().is_empty());
    assert_eq!(report.deferred.len(), 1, "{report:?}");
    let rows = w.calls_of(&booked.uid).await;
    assert_eq!(rows[0].state, OutboundState::Scheduled);
    assert_eq!(rows[0].attempts, 0, "a refused request is not a call");
    // The pass after the wait places it.
    w.app.clock.advance(Duration::minutes(1));
    w.pass().await;
    assert_eq!(w.placed().len(), 1);
}

#[tokio::test]
async fn no_more_calls_ring_at_once_than_the_business_allows() {
    let w = world_with("Mon-Sun 09:00-19:00", "2026-11-21T15:00:00Z", |opts| {
        opts.tweak = Some(unlimited);
    })
    .await;
    for time in ["Monday at 3pm", "Monday at 3:30pm", "Monday at 4pm"] {
        w.app.book(time, "Jamie Rivera").await;
    }
    w.pass().await;
    w.app.clock.set(at("2026-11-22T21:30:00Z"));
    let report = w.pass().await;
    assert_eq!(w.placed().len(), 2, "OUTBOUND_MAX_CONCURRENT=2: {report:?}");
    assert_eq!(report.waiting_for_a_line, 1);
    w.pass().await;
    assert_eq!(w.placed().len(), 2, "both lines still ringing");
    let first = w.placed()[0].clone();
    w.end(&first, "customer-ended-call", Some("confirmed"))
        .await;
    w.pass().await;
    assert_eq!(w.placed().len(), 3, "a line came free");
}

#[tokio::test]
async fn a_booking_made_inside_the_lead_time_gets_no_reminder() {
    let w = world("Mon-Sun 09:00-19:00").await;
    // Today at 3 PM is five hours away: less than the 24-hour lead.
    let booked = w.app.book("today at 3pm", "Jamie Rivera").await;
    let report = w.pass().await;
    assert_eq!(report.skipped.len(), 1, "{report:?}");
    let rows = w.calls_of(&booked.uid).await;
    assert_eq!(rows[0].state, OutboundState::Skipped);
    assert!(
        rows[0]
            .detail
            .as_deref()
            .unwrap_or_default()
            .contains("too close")
    );
    w.app.clock.set(at("2026-11-21T19:00:00Z"));
    w.pass().await;
    assert!(w.placed().is_empty());
}

#[tokio::test]
async fn reminders_are_off_unless_the_business_turns_them_on() {
    let w = world_with("Mon-Sun 09:00-19:00", "2026-11-21T15:00:00Z", |opts| {
        opts.outbound = None;
    })
    .await;
    w.app.book("Monday at 3pm", "Jamie Rivera").await;
    let report = w.pass().await;
    assert!(report.planned.is_empty());
    w.app.clock.set(at("2026-11-22T20:00:00Z"));
    w.pass().await;
    assert!(w.placed().is_empty());
    assert!(w.vapi.requests().iter().all(|r| r.path != "/call"));
}

#[tokio::test]
async fn the_calling_assistant_is_what_vapi_accepts_and_both_assistants_can_hand_over() {
    let calling = spec().calling_definition().unwrap();
    assert_eq!(validate_assistant(&calling), Vec::<String>::new());
    assert_eq!(calling["name"], "Scheduler (calls)");
    let first = calling["firstMessage"].as_str().unwrap();
    for variable in [
        "{{businessName}}",
        "{{appointmentTime}}",
        "callerName",
        "callPurpose",
    ] {
        assert!(first.contains(variable), "{variable} in {first}");
    }
    assert!(calling["voicemailMessage"].as_str().unwrap().len() <= 1000);
    let outcomes =
        &calling["analysisPlan"]["structuredDataPlan"]["schema"]["properties"]["outcome"]["enum"];
    for outcome in [
        "confirmed",
        "rescheduled",
        "cancelled",
        "no answer",
        "voicemail",
        "asked for a person",
    ] {
        assert!(
            outcomes.as_array().unwrap().contains(&json!(outcome)),
            "{outcome}"
        );
    }
    // Every structured outcome the assistant may state reads back as one, or is a waitlist
    // offer's yes or no.
    for offer in ["accepted", "declined"] {
        assert!(outcomes.as_array().unwrap().contains(&json!(offer)));
    }
    for outcome in outcomes.as_array().unwrap() {
        let word = outcome.as_str().unwrap();
        assert!(
            OutboundOutcome::parse(word).is_some() || ["accepted", "declined"].contains(&word),
            "{outcome}"
        );
    }
    for definition in [spec().definition().unwrap(), calling] {
        let tools = definition["model"]["tools"].as_array().unwrap();
        let transfer: Vec<&Value> = tools
            .iter()
            .filter(|t| t["type"] == "transferCall")
            .collect();
        assert_eq!(transfer.len(), 1, "{}", definition["name"]);
        assert_eq!(transfer[0]["destinations"][0]["number"], "+15550002222");
        assert!(
            tools
                .iter()
                .any(|t| t["function"]["name"] == "call_opt_out")
        );
        assert!(tools.iter().all(|t| t["function"]["name"] != "user_create"));
    }
    // Without TRANSFER_NUMBER nobody is handed over.
    let mut plain = spec();
    plain.transfer_number = None;
    let tools = plain.definition().unwrap()["model"]["tools"].clone();
    assert!(
        tools
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["type"] == "function")
    );
}

#[tokio::test]
async fn a_no_show_gets_a_follow_up_call_in_calling_hours() {
    let w = world_with("Mon-Sun 09:00-19:00", "2026-11-21T15:00:00Z", |opts| {
        let outbound = opts.outbound.as_mut().unwrap();
        outbound.reminders = CallPolicy::Off;
        outbound.no_show_follow_up = CallPolicy::Call;
    })
    .await;
    let booked = w.app.book("Monday at 3pm", "Jamie Rivera").await;
    w.app.clock.set(at("2026-11-23T20:45:00Z"));
    w.pass().await;
    assert!(
        w.placed().is_empty(),
        "no call before Cal.com says they missed it"
    );
    // Cal.com marks the no-show at 7:30 PM New York, after calling hours.
    w.app.clock.set(at("2026-11-24T00:30:00Z"));
    let (status, body) = w
        .app
        .deliver(
            &json!({"triggerEvent": "BOOKING_NO_SHOW_UPDATED", "createdAt": "2026-11-24T00:30:00.000Z", "payload": {
                "message": "marked as no-show", "attendees": [{"email": "jamie@example.com", "noShow": true}],
                "bookingUid": booked.uid}})
            .to_string(),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    w.pass().await;
    assert!(w.placed().is_empty(), "after hours");
    let rows = w.calls_of(&booked.uid).await;
    assert_eq!(rows.len(), 1);
    // 9 AM New York the next morning.
    assert_eq!(rows[0].due_at, at("2026-11-24T14:00:00Z"));
    w.app.clock.set(at("2026-11-24T14:00:00Z"));
    w.pass().await;
    let placed = w.placed();
    assert_eq!(placed.len(), 1);
    assert_eq!(
        placed[0]["assistantOverrides"]["variableValues"]["callPurpose"],
        "no_show"
    );
}

#[tokio::test]
async fn the_figures_count_reminders_hand_overs_and_no_shows() {
    let w = world("Mon-Sun 09:00-19:00").await;
    let confirmed = w.app.book("Monday at 3pm", "Jamie Rivera").await;
    let missed = w.app.book("Monday at 4pm", "Jamie Rivera").await;
    w.pass().await;
    w.app.clock.set(at("2026-11-22T21:00:00Z"));
    w.pass().await;
    let placed = w.placed();
    let about = |uid: &str| {
        placed
            .iter()
            .find(|c| c["assistantOverrides"]["variableValues"]["appointmentId"] == uid)
            .cloned()
            .unwrap()
    };
    w.end(
        &about(&confirmed.uid),
        "customer-ended-call",
        Some("confirmed"),
    )
    .await;
    // The second person asks for a person and is handed over.
    w.end(&about(&missed.uid), "assistant-forwarded-call", None)
        .await;
    w.app
        .deliver(
            &json!({"triggerEvent": "BOOKING_NO_SHOW_UPDATED", "createdAt": "2026-11-23T21:30:00.000Z", "payload": {
                "attendees": [{"email": "jamie@example.com", "noShow": true}], "bookingUid": missed.uid}})
            .to_string(),
        )
        .await;
    let (status, stats) = w
        .app
        .admin("/api/stats?from=2026-11-22&to=2026-11-23")
        .await;
    assert_eq!(status, 200, "{stats}");
    let sunday = &stats["days"][0];
    assert_eq!(sunday["day"], "2026-11-22");
    assert_eq!(sunday["remindersPlaced"], 2, "{sunday}");
    assert_eq!(sunday["remindersConfirmed"], 1);
    assert_eq!(
        sunday["transferred"], 1,
        "the hand-over is counted: {sunday}"
    );
    let monday = &stats["days"][1];
    assert_eq!(monday["appointmentsHeld"], 2, "{monday}");
    assert_eq!(monday["noShows"], 1);
    assert_eq!(monday["noShowRate"], 0.5);
    let rows = w.calls_of(&missed.uid).await;
    assert_eq!(rows[0].outcome, Some(OutboundOutcome::AskedForPerson));
}

fn summary(v: &Value) -> String {
    v["summary"].as_str().unwrap_or_default().to_owned()
}

/// The demo end to end: its appointment's reminder is placed through the demo's stand-in for
/// VAPI when due, the stand-in plays a confirmation back through the webhook, and the outcome
/// and the call (with its transcript) are stored. The demo's reminder is due five seconds after
/// the demo is ready here (up to a minute more), instead of the printed demo's twenty. Then the
/// printed cancellation frees tomorrow's 1:00 PM, and the demo's waiting caller is offered it
/// and takes it.
#[tokio::test]
async fn the_demo_calls_its_reminder_and_hears_a_confirmation() {
    use clap::Parser;
    let file = TempSqlite::new("demo-outbound");
    let settings = vapi_cal::cli::Cli::try_parse_from(["vapi-cal", "demo"])
        .expect("demo flags")
        .settings
        .without_empty_values();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let demo =
        vapi_cal::cli::demo::prepare_with(&settings, &file.url, listener, Duration::seconds(2))
            .await
            .expect("demo starts");
    let (addr, secret) = (demo.addr.clone(), demo.vapi_secret.clone());
    let vapi_cal::cli::demo::Demo {
        state,
        jobs,
        listener,
        vapi_calls,
        ..
    } = demo;
    let db = state.tenants.current().home().db.clone();
    let _jobs = jobs.start();
    tokio::spawn(vapi_cal::app::serve(
        listener,
        state,
        std::future::pending(),
    ));
    // Wait for the state asserted: the reminder's outcome stored.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(150);
    let row = loop {
        let rows = db
            .outbound_calls_of_booking(vapi_cal::cli::demo::DEMO_REMINDER_UID)
            .await
            .unwrap();
        if let Some(row) = rows.into_iter().find(|r| r.outcome.is_some()) {
            break row;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the demo's reminder got no outcome; placed: {:?}; planned: {:?}",
            vapi_calls.placed(),
            db.outbound_calls_of_booking(vapi_cal::cli::demo::DEMO_REMINDER_UID)
                .await
                .ok()
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert_eq!(row.state, OutboundState::Done);
    assert_eq!(row.outcome, Some(OutboundOutcome::Confirmed));
    let placed = vapi_calls.placed();
    assert_eq!(placed.len(), 1, "{placed:?}");
    assert_eq!(
        placed[0]["customer"]["number"],
        vapi_cal::cli::demo::DEMO_REMINDED
    );
    let call = db
        .call(row.vapi_call_id.as_deref().unwrap())
        .await
        .unwrap()
        .expect("the reminder call is on record");
    assert!(
        call.transcript
            .unwrap_or_default()
            .contains("Can you still make it?"),
        "the call's transcript is kept"
    );

    // The printed cancellation of tomorrow's 1:00 PM, as VAPI would send it.
    let (_, args) = vapi_cal::cli::demo::examples()
        .into_iter()
        .find(|(tool, _)| *tool == "appointment_cancel")
        .expect("the demo prints a cancellation");
    let message = json!({"message": {
        "type": "tool-calls",
        "call": {"id": "demo-call"},
        "customer": {"number": vapi_cal::cli::demo::DEMO_CALLER},
        "toolCallList": [{"id": "demo-cancel", "type": "function",
            "function": {"name": "appointment_cancel", "arguments": serde_json::from_str::<Value>(&args).unwrap()}}],
    }});
    let answer: Value = reqwest::Client::new()
        .post(format!("http://{addr}/vapi/webhook"))
        .header("x-vapi-secret", &secret)
        .json(&message)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(answer["results"][0]["result"].is_string(), "{answer}");
    // Wait for the state asserted: the waiting caller booked from the waitlist.
    let waiting = vapi_cal::cli::demo::DEMO_WAITING;
    let booked = loop {
        let done = db
            .waitlist_entries_of(waiting, vapi_cal::domain::waitlist::EntryState::Booked)
            .await
            .unwrap();
        if let Some(entry) = done.into_iter().next() {
            break entry;
        }
        assert!(
            std::time::Instant::now() < deadline + std::time::Duration::from_secs(60),
            "the demo's waiting caller was not booked; placed: {:?}",
            vapi_calls.placed()
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    let uid = booked.booked_uid.expect("the booking's uid");
    let offers = vapi_calls.placed();
    assert_eq!(offers.len(), 2, "{offers:?}");
    assert_eq!(offers[1]["customer"]["number"], waiting);
    assert_eq!(
        offers[1]["assistantOverrides"]["variableValues"]["callPurpose"],
        "waitlist_offer"
    );
    // The booking reaches the table through Cal.com's webhook.
    let appointment = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        loop {
            if let Some(a) = db.appointment(&uid).await.unwrap() {
                break a;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    })
    .await
    .expect("the waitlist's booking reaches the table");
    assert_eq!(appointment.attendee_phone.as_deref(), Some(waiting));
}

/// Runs the `vapi-cal` binary on the world's database and VAPI, with `env` on top.
async fn cli(w: &World, args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_vapi-cal"));
    command
        .args(args)
        .env_clear()
        .env("DATABASE_URL", &w.app.db_url)
        .env("BUSINESS_TIMEZONE", "America/New_York")
        .env("VAPI_API_URL", &w.vapi.url)
        .env("VAPI_API_KEY", crate::vapi_fake::VAPI_KEY)
        .env("VAPI_PHONE_NUMBER_ID", &w.line_id)
        .env("RUST_LOG", "off")
        .current_dir(std::env::temp_dir());
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().await.expect("the binary runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[tokio::test]
async fn the_commands_say_what_would_be_called_call_it_and_list_it() {
    // The commands run on the real clock: the world's booking was seen two days ago, for an
    // appointment ten hours from now, so its reminder is already due.
    let now = chrono::Utc::now();
    let seen = (now - Duration::days(2)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let w = world_with("Mon-Sun 00:00-23:59", &seen, |_| {}).await;
    let start = (now + Duration::hours(10)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    w.app.seed("cli-reminder", &start, Some(CALLER), None);
    w.app.reconcile().await;
    let on = [
        ("REMINDERS", "call"),
        ("CALL_WINDOW", "Mon-Sun 00:00-23:59"),
    ];

    let (ok, out) = cli(&w, &["outbound", "run", "--dry-run"], &on).await;
    assert!(ok, "{out}");
    assert!(out.contains("Would call (1)"), "{out}");
    assert!(
        out.contains(CALLER) && out.contains("cli-reminder"),
        "{out}"
    );
    assert!(w.placed().is_empty(), "a dry run calls nobody");
    assert!(
        w.calls_of("cli-reminder").await.is_empty(),
        "a dry run writes nothing"
    );

    let (ok, out) = cli(&w, &["outbound", "run"], &on).await;
    assert!(ok, "{out}");
    assert!(out.contains("Called (1)"), "{out}");
    assert_eq!(w.placed().len(), 1);

    let (ok, out) = cli(&w, &["outbound", "status"], &on).await;
    assert!(ok, "{out}");
    assert!(out.contains("Reminders: on"), "{out}");
    assert!(
        out.contains("cli-reminder") && out.contains("placed"),
        "{out}"
    );

    let (ok, out) = cli(&w, &["outbound", "opt-out", "+15557654321"], &on).await;
    assert!(ok && out.contains("will not be called again"), "{out}");
    assert!(w.app.db.is_opted_out("+15557654321").await.unwrap());
    let (ok, out) = cli(&w, &["outbound", "opt-out", "call me maybe"], &on).await;
    assert!(!ok && out.contains("E.164"), "{out}");

    // Off, the run says so and calls nobody.
    let (ok, out) = cli(&w, &["outbound", "run"], &[]).await;
    assert!(
        ok && out.contains("REMINDERS, NO_SHOW_FOLLOW_UP and WAITLIST are off"),
        "{out}"
    );
    assert_eq!(w.placed().len(), 1);
}

#[tokio::test]
async fn a_claim_whose_process_stopped_is_never_placed_twice() {
    let w = world("Mon-Sun 09:00-19:00").await;
    let booked = w.app.book("Monday at 3pm", "Jamie Rivera").await;
    w.pass().await;
    w.app.clock.set(at("2026-11-22T20:00:00Z"));
    // Another process claimed it and stopped before VAPI answered.
    let row = w.calls_of(&booked.uid).await.remove(0);
    assert!(
        w.app
            .db
            .claim_outbound_call(
                &row.key(),
                "a-process-that-stopped",
                at("2026-11-22T20:00:00Z")
            )
            .await
            .unwrap()
    );
    w.pass().await;
    assert!(w.placed().is_empty(), "the claim is the other process's");
    w.app.clock.set(at("2026-11-22T20:06:00Z"));
    w.pass().await;
    assert!(
        w.placed().is_empty(),
        "whether it rang is unknown: it is not placed again"
    );
    let rows = w.calls_of(&booked.uid).await;
    assert_eq!(rows[0].state, OutboundState::Failed);
    assert!(
        rows[0]
            .detail
            .as_deref()
            .unwrap_or_default()
            .contains("stopped")
    );
}

#[tokio::test]
async fn calls_placed_and_skipped_are_counted_in_the_metrics() {
    let w = world("Mon-Sun 09:00-19:00").await;
    w.app.book("Monday at 3pm", "Jamie Rivera").await;
    w.pass().await;
    w.app.clock.set(at("2026-11-22T20:00:00Z"));
    w.pass().await;
    let (status, _, text) = w.app.get_text("/metrics", &[]).await;
    assert_eq!(status, 200);
    assert!(
        text.contains(
            r#"vapi_cal_outbound_calls_total{tenant="default",kind="reminder",result="placed"}"#
        ),
        "{text}"
    );
}

#[tokio::test]
async fn one_business_never_sees_or_calls_anothers_rows() {
    use vapi_cal::domain::tenant::TenantSlug;
    let w = world("Mon-Sun 09:00-19:00").await;
    let booked = w.app.book("Monday at 3pm", "Jamie Rivera").await;
    w.pass().await;
    w.app.answer("call_opt_out", json!({})).await;
    let other = w.app.db.for_tenant(&TenantSlug::parse("salon").unwrap());
    assert!(
        other
            .outbound_calls_of_booking(&booked.uid)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        other
            .outbound_calls(&[], true, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(!other.is_opted_out(CALLER).await.unwrap());
    assert_eq!(other.opt_out_count().await.unwrap(), 0);
    let due = other
        .due_outbound_calls(at("2026-12-31T00:00:00Z"), 10)
        .await
        .unwrap();
    assert!(due.is_empty());
}

#[tokio::test]
async fn a_report_that_comes_before_vapis_answer_is_recorded_once() {
    let w = world("Mon-Sun 09:00-19:00").await;
    let booked = w.app.book("Monday at 3pm", "Jamie Rivera").await;
    w.pass().await;
    let due = at("2026-11-22T20:00:00Z");
    w.app.clock.set(due);
    // This process has claimed the call and is waiting for VAPI's answer to `POST /call`...
    let row = w.calls_of(&booked.uid).await.remove(0);
    assert!(
        w.app
            .db
            .claim_outbound_call(&row.key(), "this-process", due)
            .await
            .unwrap()
    );
    // ...when the call's report arrives: nobody answered.
    let message = json!({
        "type": "end-of-call-report",
        "endedReason": "customer-did-not-answer",
        "call": {
            "id": "vapi-call-early",
            "type": "outboundPhoneCall",
            "customer": {"number": CALLER},
            "assistantOverrides": {"variableValues": {"appointmentId": booked.uid}},
        },
        "customer": {"number": CALLER},
        "analysis": {},
        "artifact": {"transcript": "", "messages": []},
    });
    let (status, body) = w.app.message(message).await;
    assert_eq!(status, 200, "{body}");
    let rows = w.calls_of(&booked.uid).await;
    assert_eq!(rows[0].vapi_call_id.as_deref(), Some("vapi-call-early"));
    assert_eq!(rows[0].outcome, Some(OutboundOutcome::NoAnswer));
    assert_eq!(
        rows[0].state,
        OutboundState::Scheduled,
        "tried again: {rows:?}"
    );
    // VAPI's answer, late, changes nothing.
    assert!(
        !w.app
            .db
            .outbound_placed(&row.key(), "vapi-call-early", due)
            .await
            .unwrap()
    );
    assert_eq!(
        w.calls_of(&booked.uid).await[0].state,
        OutboundState::Scheduled
    );
    // A report naming someone else's appointment finds nothing to change.
    let stranger = json!({
        "type": "end-of-call-report",
        "endedReason": "customer-ended-call",
        "call": {"id": "vapi-call-other", "type": "outboundPhoneCall",
                 "assistantOverrides": {"variableValues": {"appointmentId": booked.uid}}},
        "customer": {"number": "+15557654321"},
        "analysis": {"structuredData": {"outcome": "cancelled"}},
        "artifact": {"transcript": "", "messages": []},
    });
    w.app.message(stranger).await;
    assert_eq!(
        w.calls_of(&booked.uid).await[0].outcome,
        Some(OutboundOutcome::NoAnswer)
    );
}
