//! The public line's limits (issue "The public phone line", rows 5, 7 and 15): a call without a
//! number reaches a booking made earlier only with a one-time code sent to the booking's email;
//! a caller cannot book without bounds, even through several replicas on one database; one
//! message cannot run without bounds or spend the shared Cal.com budget.

use std::time::Duration;

use serde_json::{Value, json};
use vapi_cal::simulator::smtp::Mail;

use crate::support::{CALLER, Options, Outcome, TestApp, booking_posts};

const PAT_PHONE: &str = "+15557654321";
const PAT_EMAIL: &str = "pat@example.com";

/// A tool-calls message of call `call_id` from `caller` (None: a call without a number); the
/// body's `results`.
async fn message_in(
    app: &TestApp,
    call_id: &str,
    caller: Option<&str>,
    calls: &[(String, &str, Value)],
) -> Vec<Value> {
    let list: Vec<Value> = calls
        .iter()
        .map(|(id, name, args)| json!({"id": id, "type": "function", "function": {"name": name, "arguments": args}}))
        .collect();
    let mut message = json!({
        "type": "tool-calls",
        "call": {"id": call_id, "type": "webCall"},
        "toolCallList": list,
    });
    if let Some(number) = caller {
        message["customer"] = json!({"number": number});
        message["call"]["customer"] = json!({"number": number});
    }
    let (status, body) = app.message(message).await;
    assert_eq!(status, 200, "{body}");
    body["results"].as_array().expect("results").clone()
}

/// One tool call of call `call_id`.
async fn call_in(
    app: &TestApp,
    call_id: &str,
    caller: Option<&str>,
    name: &str,
    args: Value,
) -> Outcome {
    let id = format!("tc-{}", uuid::Uuid::new_v4().simple());
    let results = message_in(app, call_id, caller, &[(id.clone(), name, args)]).await;
    Outcome::from_result(&results[0], &id, name)
}

/// One tool call on the web call `web-1`, which has no caller number.
async fn on_web_call(app: &TestApp, name: &str, args: Value) -> Outcome {
    call_in(app, "web-1", None, name, args).await
}

/// The answer as a caller would hear it (result or error), for checks on what it reveals.
fn spoken(outcome: &Outcome) -> String {
    outcome
        .result
        .as_ref()
        .map(Value::to_string)
        .or_else(|| outcome.error.clone())
        .unwrap_or_default()
}

async fn app_with_pats_booking(opts: Options) -> TestApp {
    let app = TestApp::spawn_with(opts).await;
    app.seed(
        "pats",
        "2026-11-24T20:00:00Z",
        Some(PAT_PHONE),
        Some(PAT_EMAIL),
    );
    app
}

/// Waits for the `n`th mail of the test's mailbox.
async fn nth_mail(app: &TestApp, n: usize) -> Mail {
    let sink = app.mail.as_ref().expect("the test has a mailbox");
    let mails = tokio::time::timeout(Duration::from_secs(20), sink.wait_for(n))
        .await
        .expect("the code's mail arrives");
    mails[n - 1].clone()
}

/// Asks for a code for `email` on `call_id` and returns it, read from the mail.
async fn code_for(app: &TestApp, call_id: &str, email: &str, nth: usize) -> String {
    let sent = call_in(app, call_id, None, "caller_verify", json!({"email": email}))
        .await
        .ok();
    assert_eq!(sent["codeRequested"], true, "{sent}");
    let mail = nth_mail(app, nth).await;
    assert_eq!(mail.to, vec![email.to_owned()]);
    mail.code(6).expect("a 6-digit code in the mail")
}

fn status_at_calcom(app: &TestApp, uid: &str) -> String {
    app.sim
        .bookings()
        .into_iter()
        .find(|b| b["uid"] == uid)
        .and_then(|b| b["status"].as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[tokio::test]
async fn row_05_a_call_without_a_number_needs_a_code_sent_to_the_booking_email() {
    let app = app_with_pats_booking(Options::default()).await;
    // Knowing the email (even naming it in an earlier tool call) proves nothing.
    let read = on_web_call(&app, "appointment_read", json!({"email": PAT_EMAIL})).await;
    let listed = read.ok();
    assert_eq!(listed["count"], 0, "{listed}");
    let refused = Outcome::summary(&listed);
    assert!(refused.contains("caller_verify"), "{refused}");
    assert!(!refused.contains("pats"), "{refused}");
    let by_phone = on_web_call(&app, "appointment_read", json!({"phone": PAT_PHONE}))
        .await
        .ok();
    assert_eq!(by_phone["count"], 0, "{by_phone}");
    assert!(!by_phone.to_string().contains("pats"), "{by_phone}");
    let cancel = on_web_call(&app, "appointment_cancel", json!({"appointmentId": "pats"}))
        .await
        .err();
    assert!(cancel.contains("caller_verify"), "{cancel}");
    assert_eq!(status_at_calcom(&app, "pats"), "accepted");

    // The code mailed to the booking's email, read back, opens the booking on this call.
    let code = code_for(&app, "web-1", PAT_EMAIL, 1).await;
    let verified = on_web_call(
        &app,
        "caller_verify",
        json!({"email": PAT_EMAIL, "code": code}),
    )
    .await
    .ok();
    assert_eq!(verified["verified"], true, "{verified}");
    // Another call (another web caller) gains nothing from it.
    let other = call_in(
        &app,
        "web-2",
        None,
        "appointment_cancel",
        json!({"appointmentId": "pats"}),
    )
    .await
    .err();
    assert!(other.contains("caller_verify"), "{other}");
    let listed = on_web_call(&app, "appointment_read", json!({})).await.ok();
    assert_eq!(
        listed["appointments"][0]["appointmentId"], "pats",
        "{listed}"
    );
    let cancelled = on_web_call(&app, "appointment_cancel", json!({"appointmentId": "pats"}))
        .await
        .ok();
    assert_eq!(cancelled["cancelled"], true, "{cancelled}");
    assert_eq!(status_at_calcom(&app, "pats"), "cancelled");
}

#[tokio::test]
async fn the_answer_never_says_whether_an_email_has_bookings() {
    let app = app_with_pats_booking(Options::default()).await;
    let none = on_web_call(
        &app,
        "caller_verify",
        json!({"email": "nobody@example.com"}),
    )
    .await
    .ok();
    let some = on_web_call(&app, "caller_verify", json!({"email": PAT_EMAIL}))
        .await
        .ok();
    let shape = |v: &Value| {
        let summary = v["summary"].as_str().unwrap_or_default();
        summary
            .replace("nobody@example.com", "EMAIL")
            .replace(PAT_EMAIL, "EMAIL")
    };
    assert_eq!(shape(&none), shape(&some));
    assert!(
        shape(&none).starts_with("If EMAIL has an appointment"),
        "{none}"
    );
    // Only the email with a booking gets a mail.
    let mail = nth_mail(&app, 1).await;
    assert_eq!(mail.to, vec![PAT_EMAIL.to_owned()]);
    let all = app.mail.as_ref().unwrap().mails();
    assert!(
        all.iter()
            .all(|m| m.to != vec!["nobody@example.com".to_owned()])
    );
    // A made-up code for the email without bookings never proves it.
    let e = on_web_call(
        &app,
        "caller_verify",
        json!({"email": "nobody@example.com", "code": "123456"}),
    )
    .await
    .err();
    assert!(e.contains("isn't right"), "{e}");
}

#[tokio::test]
async fn the_code_is_never_in_a_tool_answer() {
    let app = app_with_pats_booking(Options::default()).await;
    let asked = on_web_call(&app, "caller_verify", json!({"email": PAT_EMAIL})).await;
    let code = nth_mail(&app, 1).await.code(6).expect("code");
    let mut answers = vec![spoken(&asked)];
    for args in [
        json!({"email": PAT_EMAIL, "code": if code == "000000" { "111111" } else { "000000" }}),
        json!({"email": PAT_EMAIL, "code": code}),
    ] {
        answers.push(spoken(&on_web_call(&app, "caller_verify", args).await));
    }
    answers.push(spoken(
        &on_web_call(&app, "appointment_read", json!({})).await,
    ));
    for answer in &answers {
        assert!(!answer.contains(&code), "the code leaked: {answer}");
    }
    // Only a hash is stored: the code is in no row of the proofs table.
    let proven = app.db.proven_emails("web-1").await.expect("proofs");
    assert_eq!(proven, vec![PAT_EMAIL.to_owned()]);
}

#[tokio::test]
async fn a_code_expires_after_ten_minutes() {
    let app = app_with_pats_booking(Options::default()).await;
    let code = code_for(&app, "web-1", PAT_EMAIL, 1).await;
    app.clock.advance(chrono::Duration::minutes(11));
    let e = on_web_call(
        &app,
        "caller_verify",
        json!({"email": PAT_EMAIL, "code": code}),
    )
    .await
    .err();
    assert!(e.contains("expired"), "{e}");
    let still = on_web_call(&app, "appointment_cancel", json!({"appointmentId": "pats"}))
        .await
        .err();
    assert!(still.contains("caller_verify"), "{still}");
    assert_eq!(status_at_calcom(&app, "pats"), "accepted");
}

#[tokio::test]
async fn five_wrong_codes_lock_the_call_out() {
    let app = app_with_pats_booking(Options::default()).await;
    let code = code_for(&app, "web-1", PAT_EMAIL, 1).await;
    let wrong = if code == "999999" { "111111" } else { "999999" };
    for left in (1..=4).rev() {
        let e = on_web_call(
            &app,
            "caller_verify",
            json!({"email": PAT_EMAIL, "code": wrong}),
        )
        .await
        .err();
        assert!(e.contains(&format!("{left} tries left")), "{e}");
    }
    let fifth = on_web_call(
        &app,
        "caller_verify",
        json!({"email": PAT_EMAIL, "code": wrong}),
    )
    .await
    .err();
    assert!(fifth.contains("Too many wrong codes"), "{fifth}");
    // The right code no longer helps, nor does a fresh one.
    let right = on_web_call(
        &app,
        "caller_verify",
        json!({"email": PAT_EMAIL, "code": code}),
    )
    .await
    .err();
    assert!(right.contains("Too many wrong codes"), "{right}");
    assert!(app.db.proven_emails("web-1").await.unwrap().is_empty());
    // At most three codes a call.
    for _ in 0..2 {
        on_web_call(&app, "caller_verify", json!({"email": PAT_EMAIL}))
            .await
            .ok();
    }
    let fourth = on_web_call(&app, "caller_verify", json!({"email": PAT_EMAIL}))
        .await
        .err();
    assert!(fourth.contains("can't send more codes"), "{fourth}");
}

#[tokio::test]
async fn without_smtp_the_caller_is_told_to_call_from_their_own_phone() {
    let app = app_with_pats_booking(Options {
        smtp: false,
        ..Options::default()
    })
    .await;
    for (tool, args) in [
        ("caller_verify", json!({"email": PAT_EMAIL})),
        ("appointment_read", json!({"email": PAT_EMAIL})),
        ("appointment_cancel", json!({"appointmentId": "pats"})),
    ] {
        // A refusal, or (reading) an empty list whose summary says the same.
        let e = match on_web_call(&app, tool, args).await {
            Outcome {
                result: Some(r), ..
            } => Outcome::summary(&r).to_owned(),
            other => other.err(),
        };
        assert!(
            e.contains("call again from the phone number the appointment was booked with"),
            "{tool}: {e}"
        );
        assert!(!e.contains("Pat Caller"), "{tool}: {e}");
    }
    assert_eq!(status_at_calcom(&app, "pats"), "accepted");
    // What the call books itself stays reachable.
    let booked = on_web_call(&app, "appointment_create",
        json!({"start": "2026-11-24T10:00", "attendeeName": "Web Caller", "attendeeEmail": "web@example.com"}),
    )
    .await
    .ok();
    let uid = booked["appointment"]["appointmentId"]
        .as_str()
        .unwrap()
        .to_owned();
    let listed = on_web_call(&app, "appointment_read", json!({})).await.ok();
    assert_eq!(
        listed["appointments"][0]["appointmentId"],
        uid.as_str(),
        "{listed}"
    );
    let cancelled = on_web_call(&app, "appointment_cancel", json!({"appointmentId": uid}))
        .await
        .ok();
    assert_eq!(cancelled["cancelled"], true, "{cancelled}");
}

/// `n` booking tool calls for consecutive half-hour slots from 9:00 on `day` (local).
fn bookings(day: &str, n: usize) -> Vec<(String, &'static str, Value)> {
    (0..n)
        .map(|i| {
            let start = format!("{day}T{:02}:{:02}", 9 + i / 2, (i % 2) * 30);
            (
                format!("tc-{}", uuid::Uuid::new_v4().simple()),
                "appointment_create",
                json!({"start": start, "attendeeName": format!("Name {i}")}),
            )
        })
        .collect()
}

fn booked(results: &[Value]) -> usize {
    results.iter().filter(|r| r["result"].is_string()).count()
}

#[tokio::test]
async fn row_07_one_caller_cannot_book_ten_slots() {
    let app = TestApp::spawn().await;
    // One message, ten slots: the call's two bookings go through, nothing else reaches Cal.com.
    let results = message_in(&app, "call-a", Some(CALLER), &bookings("2026-11-24", 10)).await;
    assert_eq!(results.len(), 10);
    assert_eq!(booked(&results), 2, "{results:?}");
    assert_eq!(booking_posts(&app.sim), 2);
    for refused in results.iter().filter(|r| r["error"].is_string()) {
        let e = refused["error"].as_str().unwrap();
        assert!(e.contains("at most 2 bookings"), "{e}");
    }
    // Another call from the same number: one more today, then the day's limit of three.
    let results = message_in(&app, "call-b", Some(CALLER), &bookings("2026-11-25", 2)).await;
    assert_eq!(booked(&results), 1, "{results:?}");
    let e = results
        .iter()
        .find_map(|r| r["error"].as_str())
        .expect("one refused");
    assert!(e.contains("at most 3 bookings a day"), "{e}");
    // Booked for another day, made today: still today's. Tomorrow the caller may book again.
    let results = message_in(&app, "call-c", Some(CALLER), &bookings("2026-11-30", 1)).await;
    assert_eq!(booked(&results), 0, "{results:?}");
    assert_eq!(booking_posts(&app.sim), 3);
    app.clock.advance(chrono::Duration::days(1));
    let results = message_in(&app, "call-d", Some(CALLER), &bookings("2026-11-30", 1)).await;
    assert_eq!(booked(&results), 1, "{results:?}");
}

/// One booking a day per caller, on every instance.
fn one_booking_a_day() -> Options {
    Options {
        tweak: Some(|s| s.max_bookings_per_caller_per_day = 1),
        ..Options::default()
    }
}

#[tokio::test]
async fn row_07_two_replicas_on_one_database_book_the_caller_once_in_all() {
    let app = TestApp::spawn_with(one_booking_a_day()).await;
    let other = app.replica(one_booking_a_day()).await;
    // Slow bookings, so every count below happens while another booking is still in flight.
    app.sim.set_latency(Duration::from_millis(300));
    let slots = bookings("2026-11-24", 6);
    let sent = slots.iter().enumerate().map(|(i, slot)| {
        let replica = if i % 2 == 0 { &app } else { &other };
        let call_id = format!("call-{i}");
        async move { message_in(replica, &call_id, Some(CALLER), std::slice::from_ref(slot)).await }
    });
    let results: Vec<Value> = futures_util::future::join_all(sent)
        .await
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(booked(&results), 1, "{results:?}");
    assert_eq!(booking_posts(&app.sim), 1);
    for refused in results.iter().filter_map(|r| r["error"].as_str()) {
        assert!(
            refused.contains("at most 1 booking") || refused.contains("ask me again"),
            "{refused}"
        );
    }
}

#[tokio::test]
async fn row_07_a_hold_left_by_a_stopped_replica_expires_by_itself() {
    let app = TestApp::spawn_with(one_booking_a_day()).await;
    // A replica stopped between counting this caller's bookings and committing one.
    let now = app.clock.now();
    let taken = app
        .db
        .try_lease(
            &vapi_cal::tools::limits::booking_lease_name(CALLER),
            "a stopped replica",
            now,
            now + chrono::Duration::seconds(60),
        )
        .await
        .expect("lease");
    assert!(taken);
    let results = message_in(&app, "call-a", Some(CALLER), &bookings("2026-11-24", 1)).await;
    let e = results[0]["error"].as_str().expect("refused");
    assert!(e.contains("ask me again"), "{e}");
    assert_eq!(booking_posts(&app.sim), 0);
    // Once its lease has run out, the caller books, once.
    app.clock.advance(chrono::Duration::seconds(61));
    let results = message_in(&app, "call-b", Some(CALLER), &bookings("2026-11-24", 2)).await;
    assert_eq!(booked(&results), 1, "{results:?}");
    assert_eq!(booking_posts(&app.sim), 1);
}

#[tokio::test]
async fn tool_calls_past_the_limit_are_each_answered_with_an_error_in_order() {
    let app = TestApp::spawn().await;
    let calls: Vec<(String, &str, Value)> = (0..12)
        .map(|i| (format!("tc-{i}"), "appointment_read", json!({})))
        .collect();
    let results = message_in(&app, "call-a", Some(CALLER), &calls).await;
    assert_eq!(results.len(), 12);
    for (i, r) in results.iter().enumerate() {
        assert_eq!(r["toolCallId"], format!("tc-{i}"), "{r}");
        assert_eq!(r["name"], "appointment_read");
        if i < 10 {
            assert!(r["result"].is_string(), "{r}");
        } else {
            let e = r["error"].as_str().expect("an error");
            assert!(e.contains("at most 10 tool calls"), "{e}");
        }
    }
}

#[tokio::test]
async fn row_15_one_message_cannot_drain_the_calendar_budget() {
    let app = TestApp::spawn_with(Options {
        slot_cache: Duration::ZERO,
        tweak: Some(|s| s.cal_requests_per_call = 5),
        ..Options::default()
    })
    .await;
    // 154 availability reads for different days in one message.
    let calls: Vec<(String, &str, Value)> = (0..154)
        .map(|i| {
            let day =
                chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap() + chrono::Duration::days(i);
            (
                format!("tc-{i}"),
                "availability_read",
                json!({"date": day.to_string()}),
            )
        })
        .collect();
    let before = app.sim.request_count();
    let results = message_in(&app, "call-greedy", Some(CALLER), &calls).await;
    assert_eq!(results.len(), 154);
    let sent = app.sim.request_count() - before;
    assert!(sent <= 5, "the call sent {sent} Cal.com requests");
    let over_share = results
        .iter()
        .filter_map(|r| r["error"].as_str())
        .filter(|e| e.contains("too many calendar lookups"))
        .count();
    assert_eq!(over_share, 10 - sent, "{results:?}");
    let over_message = results
        .iter()
        .filter_map(|r| r["error"].as_str())
        .filter(|e| e.contains("at most 10 tool calls"))
        .count();
    assert_eq!(over_message, 144);
    // Everyone else's calls still get answers.
    let other = call_in(
        &app,
        "call-other",
        Some("+15550002222"),
        "availability_read",
        json!({"date": "2026-11-24"}),
    )
    .await
    .ok();
    assert!(other["summary"].is_string(), "{other}");
}
