//! Every tool through POST /vapi/webhook against the simulator: successes and failures.

use serde_json::{Value, json};

use crate::support::{CALLER, EVENT_TYPE, Options, Outcome, TestApp};

#[tokio::test]
async fn availability_lists_local_times_grouped_by_day() {
    let app = TestApp::spawn().await;
    let r = app.open_times("2026-11-24").await;
    // 16 slots, 6 spoken.
    insta::assert_snapshot!("open_times_on_a_day", Outcome::summary(&r));
    assert_eq!(r["today"], "Saturday, November 21, 2026");
    assert_eq!(r["timeZone"], "America/New_York");
    assert_eq!(r["totalOpenTimes"], 16);
    assert_eq!(r["days"][0]["starts"][0], "2026-11-24T09:00:00-05:00");

    // The request carried the slots version and local days' UTC bounds: from the day asked, a
    // week of them, which the call keeps for its later questions.
    let slots = app
        .sim
        .requests()
        .into_iter()
        .find(|r| r.path == "/v2/slots")
        .expect("slots requested");
    let query = slots.query.unwrap_or_default();
    assert!(query.contains("start=2026-11-24T05%3A00%3A00Z"), "{query}");
    assert!(query.contains("end=2026-12-01T04%3A59%3A59Z"), "{query}");
    let version = slots
        .headers
        .iter()
        .find(|(k, _)| k == "cal-api-version")
        .map(|(_, v)| v.as_str());
    assert_eq!(version, Some("2024-09-04"));
}

#[tokio::test]
async fn availability_defaults_to_today_onward_and_skips_past_times() {
    let app = TestApp::spawn_with(Options {
        now: crate::support::at("2026-11-21T15:05:00Z"), // 10:05 AM Saturday in New York
        ..Options::default()
    })
    .await;
    let r = app.answer("availability_read", json!({})).await;
    assert_eq!(r["from"], "2026-11-21");
    assert_eq!(r["to"], "2026-11-24");
    assert_eq!(r["days"][0]["date"], "2026-11-21");
    assert_eq!(r["days"][0]["times"][0], "10:30 AM", "10:00 has begun: {r}");
}

#[tokio::test]
async fn availability_with_nothing_open_names_the_next_open_day() {
    let app = TestApp::spawn_with(Options {
        weekdays: vec![chrono::Weekday::Mon],
        ..Options::default()
    })
    .await;
    let r = app
        .answer(
            "availability_read",
            json!({"date": "tuesday", "endDate": "wednesday"}),
        )
        .await;
    insta::assert_snapshot!("nothing_open_names_the_next_open_day", Outcome::summary(&r));
}

#[tokio::test]
async fn availability_rejects_bad_dates_and_zones_in_words() {
    let app = TestApp::spawn().await;
    let e = app
        .refusal("availability_read", json!({"date": "someday"}))
        .await;
    assert_eq!(
        e,
        "I couldn't understand 'someday' as a date. Please say it like 'tomorrow' or 'December 3'."
    );
    let e = app
        .refusal("availability_read", json!({"timeZone": "Mars/Olympus"}))
        .await;
    insta::assert_snapshot!("not_a_time_zone", e);
    let e = app
        .refusal("availability_read", json!({"date": "2026-11-01"}))
        .await;
    insta::assert_snapshot!("open_times_on_a_past_day", e);
    let e = app
        .refusal("availability_read", json!({"eventTypeId": 999}))
        .await;
    insta::assert_snapshot!("unknown_event_type", e);
}

#[tokio::test]
async fn create_books_in_utc_with_call_metadata_and_the_callers_phone() {
    let app = TestApp::spawn().await;
    let r = app
        .answer(
            "appointment_create",
            json!({"start": "2026-11-24T15:00", "attendeeName": "Jane Roe", "attendeeEmail": "Jane@Example.com", "notes": "first visit"}),
        )
        .await;
    let uid = r["appointment"]["appointmentId"]
        .as_str()
        .expect("uid")
        .to_owned();
    let summary = Outcome::summary(&r);
    assert!(summary.contains(&uid));
    insta::assert_snapshot!(
        "booked_with_an_email_and_notes",
        summary.replace(&uid, "[id]")
    );

    let bookings = app.sim.bookings();
    let b = bookings
        .iter()
        .find(|b| b["uid"] == uid.as_str())
        .expect("booking exists in Cal.com");
    assert_eq!(b["start"], "2026-11-24T20:00:00.000Z");
    assert_eq!(b["attendees"][0]["phoneNumber"], CALLER);
    assert_eq!(b["attendees"][0]["email"], "jane@example.com");
    assert_eq!(b["metadata"]["vapiCallId"], "call-1");
    assert!(
        b["metadata"]["vapiToolCallId"]
            .as_str()
            .is_some_and(|s| s.starts_with("tc-"))
    );

    let post = app
        .sim
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .expect("POST sent");
    let body: Value = serde_json::from_str(&post.body).expect("json body");
    assert_eq!(body["start"], "2026-11-24T20:00:00Z");
    assert_eq!(body["attendee"]["timeZone"], "America/New_York");
    let version = post
        .headers
        .iter()
        .find(|(k, _)| k == "cal-api-version")
        .map(|(_, v)| v.as_str());
    assert_eq!(version, Some("2024-08-13"));
}

#[tokio::test]
async fn create_on_a_taken_time_offers_the_nearest_open_times() {
    let app = TestApp::spawn().await;
    app.seed("taken", "2026-11-24T20:00:00Z", Some("+15550000000"), None);
    let e = app.booking_refusal("2026-11-24T15:00", "Jane Roe").await;
    // The neighbours are offered.
    insta::assert_snapshot!("a_taken_time_offers_the_nearest_open_times", e);
    assert_eq!(app.sim.bookings().len(), 1, "nothing booked");
}

#[tokio::test]
async fn create_refuses_past_times_bad_contacts_and_missing_fields() {
    let app = TestApp::spawn().await;
    let e = app.booking_refusal("2026-11-20T15:00", "Jane").await;
    insta::assert_snapshot!("booking_a_past_time", e);
    let e = app
        .refusal("appointment_create", json!({"attendeeName": "Jane"}))
        .await;
    insta::assert_snapshot!("booking_without_a_start", e);
    let e = app
        .refusal("appointment_create", json!({"start": "2026-11-24T15:00", "attendeeName": "Jane", "attendeeEmail": "jane at example"}))
        .await;
    insta::assert_snapshot!("booking_with_a_bad_email", e);
    // A web call has no caller number: without email or phone there is no way to reach the attendee.
    let e = app
        .refusal_as(
            "appointment_create",
            json!({"start": "2026-11-24T15:00", "attendeeName": "Jane"}),
            None,
        )
        .await;
    insta::assert_snapshot!("booking_with_no_way_to_reach_the_attendee", e);
    assert!(app.sim.bookings().is_empty());
}

#[tokio::test]
async fn a_repeated_tool_call_id_books_once() {
    let app = TestApp::spawn().await;
    let args = json!({"start": "2026-11-24T15:00", "attendeeName": "Jane Roe"});
    let first = app
        .tool_calls(
            &[("same-id", "appointment_create", args.clone())],
            Some(CALLER),
        )
        .await;
    let second = app
        .tool_calls(&[("same-id", "appointment_create", args)], Some(CALLER))
        .await;
    assert_eq!(
        first["results"][0]["result"],
        second["results"][0]["result"]
    );
    assert_eq!(app.sim.bookings().len(), 1);
}

#[tokio::test]
async fn read_finds_the_callers_appointments_by_number_email_or_id() {
    let app = TestApp::spawn().await;
    app.seed(
        "mine-1",
        "2026-11-24T20:00:00Z",
        Some("(555) 123-4567"),
        Some("pat@example.com"),
    );
    app.seed("mine-2", "2026-11-25T14:00:00Z", Some(CALLER), None);
    app.seed(
        "theirs",
        "2026-11-24T16:00:00Z",
        Some("+15559999999"),
        Some("other@example.com"),
    );
    app.seed("past", "2026-11-20T16:00:00Z", Some(CALLER), None);

    let r = app.appointments_of(Some(CALLER)).await;
    insta::assert_snapshot!("the_callers_appointments", Outcome::summary(&r));

    // An email narrows, never widens: neither a phone caller nor a call without a number
    // gets a stranger's booking by their email.
    for caller in [Some(CALLER), None] {
        let r = app
            .call_as(
                "appointment_read",
                json!({"email": "Other@Example.com"}),
                caller,
            )
            .await
            .ok();
        assert_eq!(r["count"], 0, "{r}");
    }

    // Without a number, by an email proven with a one-time code (any letter case).
    app.prove_email("other@example.com").await;
    let r = app
        .answer("appointment_read", json!({"appointmentId": "mine-2"}))
        .await;
    assert_eq!(
        r["appointments"][0]["when"],
        "Wednesday, November 25 at 9:00 AM EST"
    );

    let e = app
        .refusal("appointment_read", json!({"appointmentId": "theirs"}))
        .await;
    insta::assert_snapshot!("reading_someone_elses_appointment", e);

    let r = app.appointments_of(Some("+15550001111")).await;
    insta::assert_snapshot!("no_appointments_for_a_number", Outcome::summary(&r));

    // Without a number and without arguments: the emails proven on the call, nothing else.
    let r = app.call_as("appointment_read", json!({}), None).await.ok();
    assert_eq!(r["count"], 1, "{r}");
    assert_eq!(r["appointments"][0]["appointmentId"], "theirs");
}

#[tokio::test]
async fn update_moves_the_appointment_to_a_new_uid() {
    let app = TestApp::spawn().await;
    app.seed("old-uid", "2026-11-24T20:00:00Z", Some(CALLER), None);
    let r = app
        .answer(
            "appointment_update",
            json!({"appointmentId": "old-uid", "start": "2026-11-25T10:00", "reason": "conflict"}),
        )
        .await;
    let new_uid = r["appointment"]["appointmentId"]
        .as_str()
        .expect("new uid")
        .to_owned();
    assert_ne!(new_uid, "old-uid");
    assert_eq!(r["previousAppointmentId"], "old-uid");
    let summary = Outcome::summary(&r);
    assert!(summary.contains(&new_uid));
    insta::assert_snapshot!(
        "moved_from_one_time_to_another",
        summary.replace(&new_uid, "[new id]")
    );
    let bookings = app.sim.bookings();
    let old = bookings
        .iter()
        .find(|b| b["uid"] == "old-uid")
        .expect("old kept");
    assert_eq!(old["status"], "cancelled");
    let new = bookings
        .iter()
        .find(|b| b["uid"] == new_uid.as_str())
        .expect("new exists");
    assert_eq!(new["start"], "2026-11-25T15:00:00.000Z");

    // Moving the old uid again points at the new one.
    let e = app.move_refusal("old-uid", "2026-11-26T10:00").await;
    assert!(e.contains(&format!("its new id is {new_uid}")), "{e}");
}

#[tokio::test]
async fn update_failures_are_spoken() {
    let app = TestApp::spawn().await;
    app.seed("mine", "2026-11-24T20:00:00Z", Some(CALLER), None);
    app.seed(
        "blocker",
        "2026-11-25T15:00:00Z",
        Some("+15550000000"),
        None,
    );
    let e = app.move_refusal("nope", "2026-11-25T10:00").await;
    insta::assert_snapshot!("moving_an_unknown_appointment", e);
    let e = app.move_refusal("mine", "2026-11-25T10:00").await;
    insta::assert_snapshot!("moving_to_a_taken_time", e);
    let e = app.move_refusal("blocker", "2026-11-26T10:00").await;
    insta::assert_snapshot!("moving_someone_elses_appointment", e);
    let e = app
        .refusal("appointment_update", json!({"appointmentId": "mine"}))
        .await;
    insta::assert_snapshot!("moving_without_a_start", e);
}

#[tokio::test]
async fn cancel_cancels_only_the_callers_own_appointment() {
    let app = TestApp::spawn().await;
    app.seed("mine", "2026-11-24T20:00:00Z", Some(CALLER), None);
    app.seed("theirs", "2026-11-24T16:00:00Z", Some("+15559999999"), None);

    let e = app.cancel_refusal("theirs").await;
    insta::assert_snapshot!("cancelling_someone_elses_appointment", e);

    let r = app
        .answer(
            "appointment_cancel",
            json!({"appointmentId": "mine", "reason": "sick"}),
        )
        .await;
    assert_eq!(
        Outcome::summary(&r),
        "Cancelled the appointment on Tuesday, November 24 at 3:00 PM EST."
    );
    let bookings = app.sim.bookings();
    let mine = bookings.iter().find(|b| b["uid"] == "mine").expect("kept");
    assert_eq!(mine["status"], "cancelled");
    assert_eq!(mine["cancellationReason"], "sick");
    let theirs = bookings
        .iter()
        .find(|b| b["uid"] == "theirs")
        .expect("kept");
    assert_eq!(theirs["status"], "accepted");

    let r = app.cancel("mine").await;
    insta::assert_snapshot!("cancelling_again", Outcome::summary(&r));
    let e = app.cancel_refusal("ghost").await;
    insta::assert_snapshot!("cancelling_an_unknown_appointment", e);
}

#[tokio::test]
async fn users_owner_and_organization() {
    // The member tools are staff's: these calls come from a staff number.
    const STAFF: &str = "+15550007777";
    let app = TestApp::spawn_with(Options {
        staff_numbers: Some(STAFF.to_owned()),
        ..Options::default()
    })
    .await;
    let app = StaffCaller(&app, STAFF);
    let r = app.call("user_read", json!({})).await.ok();
    assert_eq!(r["users"][0]["userId"], 1);
    insta::assert_snapshot!("the_calendar_owner", Outcome::summary(&r));
    let e = app
        .refusal("user_read", json!({"email": "someone@example.com"}))
        .await;
    insta::assert_snapshot!("reading_users_without_an_organization", e);
    let e = app
        .refusal(
            "user_create",
            json!({"email": "sam@example.com", "name": "Sam"}),
        )
        .await;
    insta::assert_snapshot!("creating_users_without_an_organization", e);

    let org = TestApp::spawn_with(Options {
        organization_id: Some(42),
        staff_numbers: Some(STAFF.to_owned()),
        ..Options::default()
    })
    .await;
    let org = StaffCaller(&org, STAFF);
    let r = org
        .answer(
            "user_create",
            json!({"email": "Sam@Example.com", "name": "Sam Staff", "timeZone": "Asia/Kolkata"}),
        )
        .await;
    assert_eq!(r["user"]["email"], "sam@example.com");
    assert_eq!(r["user"]["timeZone"], "Asia/Kolkata");
    let e = org
        .refusal(
            "user_create",
            json!({"email": "sam@example.com", "name": "Sam"}),
        )
        .await;
    insta::assert_snapshot!("creating_a_user_twice", e);
    let r = org
        .answer("user_read", json!({"email": "sam@example.com"}))
        .await;
    assert_eq!(r["users"][0]["name"], "Sam Staff");
}

#[tokio::test]
async fn calcom_errors_are_retried_for_reads_and_spoken_when_they_persist() {
    let app = TestApp::spawn().await;
    app.sim.fail_next(1, 500);
    let r = app.open_times("2026-11-24").await;
    assert_eq!(r["totalOpenTimes"], 16, "one 500 is retried away");

    app.sim.fail_next(10, 500);
    // A day outside the week the first read fetched (and keeps for the call).
    let e = app
        .refusal("availability_read", json!({"date": "2026-12-02"}))
        .await;
    insta::assert_snapshot!("a_500_that_persists_on_a_read", e);
    app.sim.fail_next(0, 500);

    // A booking POST is never retried: one 503 means one attempt and a spoken error.
    app.sim.clear_requests();
    app.sim.fail_next(1, 503);
    let e = app.booking_refusal("2026-11-24T15:00", "Jane").await;
    insta::assert_snapshot!("a_503_on_a_booking", e);
    assert_eq!(crate::support::booking_posts(&app.sim), 1);
    assert!(app.sim.bookings().is_empty());
}

#[tokio::test]
async fn a_calcom_that_hangs_gets_a_spoken_timeout_within_the_deadline() {
    let app = TestApp::spawn().await;
    app.sim.hang_next(10, std::time::Duration::from_secs(5));
    let started = std::time::Instant::now();
    let e = app
        .refusal("availability_read", json!({"date": "2026-11-24"}))
        .await;
    insta::assert_snapshot!("a_read_that_hangs", e);
    // Not a speed target: the deadline (2.5 s in tests) must cut the 5 s hangs short.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn unknown_tools_and_unreadable_arguments_are_errors() {
    let app = TestApp::spawn().await;
    let e = app.refusal("make_coffee", json!({})).await;
    insta::assert_snapshot!("an_unknown_tool", e);
    let e = app.refusal("availability_read", json!("{not json")).await;
    insta::assert_snapshot!("arguments_that_are_not_json", e);
    let e = app
        .refusal("appointment_cancel", json!({"appointmentId": 5}))
        .await;
    insta::assert_snapshot!("an_argument_of_the_wrong_type", e);
}

#[tokio::test]
async fn arguments_as_a_json_string_work_like_an_object() {
    let app = TestApp::spawn().await;
    let as_string =
        json!(json!({"date": "2026-11-24", "eventTypeId": EVENT_TYPE.to_string()}).to_string());
    let r = app.answer("availability_read", as_string).await;
    assert_eq!(r["totalOpenTimes"], 16);
}

#[tokio::test]
async fn several_calls_in_one_message_answer_in_order() {
    let app = TestApp::spawn().await;
    app.seed("mine", "2026-11-24T20:00:00Z", Some(CALLER), None);
    let body = app
        .tool_calls(
            &[
                ("a", "availability_read", json!({"date": "2026-11-25"})),
                ("b", "appointment_read", json!({})),
                ("c", "nonexistent", json!({})),
                ("d", "user_read", json!({})),
            ],
            Some(CALLER),
        )
        .await;
    let results = body["results"].as_array().expect("results");
    let ids: Vec<&str> = results
        .iter()
        .map(|r| r["toolCallId"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
    assert!(results[0]["result"].is_string());
    assert!(results[1]["result"].as_str().unwrap_or("").contains("mine"));
    assert!(results[2]["error"].is_string());
    assert!(results[3]["result"].is_string());

    // Every call is in the audit table, with its answer.
    let logged = app
        .db
        .tool_invocations_for_call("call-1")
        .await
        .expect("query");
    assert_eq!(logged.len(), 4);
    assert!(
        logged
            .iter()
            .any(|(tool, a)| tool == "nonexistent" && a.error.is_some())
    );
}

#[tokio::test]
async fn tool_with_tool_call_list_is_used_when_tool_call_list_is_absent() {
    let app = TestApp::spawn().await;
    let body = json!({"message": {
        "type": "tool-calls",
        "toolWithToolCallList": [{
            "type": "function",
            "function": {"name": "user_read"},
            "toolCall": {"id": "w1", "type": "function", "function": {"name": "user_read", "arguments": {}}}
        }]
    }});
    let (status, answer) = app.send_message_raw(&body.to_string()).await;
    assert_eq!(status, 200);
    assert_eq!(answer["results"][0]["toolCallId"], "w1");
    assert!(answer["results"][0]["result"].is_string(), "{answer}");
}

#[tokio::test]
async fn the_caller_number_also_comes_from_the_call_object() {
    let app = TestApp::spawn().await;
    app.seed("mine", "2026-11-24T20:00:00Z", Some(CALLER), None);
    let body = json!({"message": {
        "type": "tool-calls",
        "call": {"id": "c9", "customer": {"number": CALLER}},
        "toolCallList": [{"id": "x", "type": "function", "function": {"name": "appointment_read", "arguments": {}}}]
    }});
    let (_, answer) = app.send_message_raw(&body.to_string()).await;
    assert!(
        answer["results"][0]["result"]
            .as_str()
            .unwrap_or("")
            .contains("mine"),
        "{answer}"
    );
}

#[tokio::test]
async fn a_booking_that_lands_after_a_timeout_is_reported_as_booked() {
    let app = TestApp::spawn().await;
    // Cal.com books, then answers too late for the 800 ms request timeout of the tests.
    app.sim.hang_next(1, std::time::Duration::from_millis(1500));
    let booked = app.book("2026-11-24T15:00", "Jane Roe").await;
    assert!(
        booked
            .summary
            .starts_with("Booked Tuesday, November 24 at 3:00 PM EST"),
        "{booked:?}"
    );
    assert_eq!(app.sim.bookings().len(), 1);
    assert_eq!(
        crate::support::booking_posts(&app.sim),
        1,
        "the booking POST is never repeated"
    );
}

#[tokio::test]
async fn a_timeout_that_booked_nothing_says_so() {
    let app = TestApp::spawn().await;
    app.seed(
        "blocker",
        "2026-11-24T20:00:00Z",
        Some("+15550000000"),
        None,
    );
    // The slot is taken, but the 400 comes too late: the caller must hear that nothing was booked.
    app.sim.hang_next(1, std::time::Duration::from_millis(1500));
    let e = app.booking_refusal("2026-11-24T15:00", "Jane Roe").await;
    insta::assert_snapshot!("a_timeout_that_booked_nothing", e);
    assert_eq!(app.sim.bookings().len(), 1, "only the blocker");
}

/// The test app as called from one number (a staff number, in the tests of member tools).
struct StaffCaller<'a>(&'a TestApp, &'a str);

impl StaffCaller<'_> {
    async fn call(&self, name: &str, args: Value) -> crate::support::Outcome {
        self.0.call_as(name, args, Some(self.1)).await
    }

    async fn answer(&self, name: &str, args: Value) -> Value {
        self.0.answer_as(name, args, Some(self.1)).await
    }

    async fn refusal(&self, name: &str, args: Value) -> String {
        self.0.refusal_as(name, args, Some(self.1)).await
    }
}
