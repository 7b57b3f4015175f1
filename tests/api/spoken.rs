//! What the caller hears: every tool's answer and every kind of refusal, question and calendar
//! failure, as readable lists in snapshots (`tests/api/snapshots/api__spoken__*.snap`), in the
//! pinned world of the tests (Saturday, November 21, 2026, 10:00 AM in New York).

use std::{fmt::Write, time::Duration};

use serde_json::{Value, json};

use crate::support::{CALLER, Options, Outcome, TestApp};

/// A numbered list of what a caller did and the sentence they heard.
#[derive(Default)]
pub(crate) struct Transcript(pub(crate) String);

impl Transcript {
    pub(crate) fn heard(&mut self, what: &str, sentence: &str) {
        writeln!(self.0, "{what}\n    {sentence}\n").expect("write to a string");
    }

    /// The summary of a successful answer, with `id` (new each run) as `[id]`.
    pub(crate) fn answered(&mut self, what: &str, answer: &Value, id: Option<&str>) {
        let summary = Outcome::summary(answer);
        let sentence = id.map_or_else(|| summary.to_owned(), |id| summary.replace(id, "[id]"));
        self.heard(what, &sentence);
    }
}

#[tokio::test]
async fn each_tool_answers_in_one_sentence() {
    let app = TestApp::spawn().await;
    app.seed("mine", "2026-11-24T20:00:00Z", Some(CALLER), None);
    app.seed("later", "2026-11-25T14:00:00Z", Some(CALLER), None);
    let mut t = Transcript::default();

    t.answered(
        "open times on a day",
        &app.open_times("2026-11-24").await,
        None,
    );
    let afternoon = app
        .answer(
            "availability_read",
            json!({"date": "tomorrow", "partOfDay": "afternoon"}),
        )
        .await;
    t.answered("open times tomorrow afternoon", &afternoon, None);
    let evening = app
        .answer(
            "availability_read",
            json!({"date": "2026-11-24", "partOfDay": "evening"}),
        )
        .await;
    t.answered("open times in an evening with none", &evening, None);
    t.answered(
        "the caller's appointments",
        &app.appointments_of(Some(CALLER)).await,
        None,
    );
    let booked = app.book("2026-11-26T11:00", "Jane Roe").await;
    t.heard("a booking", &booked.spoken());
    let again = app.book("thursday at 11am", "Jane Roe").await;
    t.heard("the same booking asked for again", &again.spoken());
    t.answered(
        "appointments of a number with none",
        &app.appointments_of(Some("+15550001111")).await,
        None,
    );
    let moved = app.move_to("mine", "2026-11-27T10:00").await;
    let new_id = moved["appointment"]["appointmentId"].as_str();
    t.answered("a move", &moved, new_id);
    t.answered("a cancel", &app.cancel("later").await, None);
    t.answered("a cancel again", &app.cancel("later").await, None);
    t.answered(
        "the business, to a caller",
        &app.answer("user_read", json!({})).await,
        None,
    );

    // The member tools are staff's: these calls come from a staff number.
    const STAFF: &str = "+15550007777";
    let org = TestApp::spawn_with(Options {
        organization_id: Some(42),
        staff_numbers: Some(STAFF.to_owned()),
        ..Options::default()
    })
    .await;
    t.answered(
        "the calendar owner, to staff",
        &org.answer_as("user_read", json!({}), Some(STAFF)).await,
        None,
    );
    let made = org
        .answer_as(
            "user_create",
            json!({"email": "sam@example.com", "name": "Sam Staff"}),
            Some(STAFF),
        )
        .await;
    t.answered("a new staff member", &made, None);
    insta::assert_snapshot!("answers", t.0);
}

#[tokio::test]
async fn each_refusal_and_question_is_one_sentence() {
    let app = TestApp::spawn().await;
    app.seed("mine", "2026-11-24T20:00:00Z", Some(CALLER), None);
    app.seed("theirs", "2026-11-24T16:00:00Z", Some("+15559999999"), None);
    let mut t = Transcript::default();

    let create = |start: &str| json!({"start": start, "attendeeName": "Jane Roe"});
    t.heard(
        "booking a time that has passed",
        &app.booking_refusal("2026-11-20T15:00", "Jane Roe").await,
    );
    t.heard(
        "booking a taken time",
        &app.booking_refusal("2026-11-24T15:00", "Jane Roe").await,
    );
    t.heard(
        "booking a time that does not exist (spring forward)",
        &app.booking_refusal("2027-03-14T02:30", "Jane Roe").await,
    );
    t.heard(
        "booking a time said with extra words",
        &app.booking_refusal("tomorrow at 3 with Dr Smith", "Jane Roe")
            .await,
    );
    t.heard(
        "booking with an email that is not one",
        &app.refusal(
            "appointment_create",
            json!({"start": "2026-11-24T11:00", "attendeeName": "Jane", "attendeeEmail": "jane at example"}),
        )
        .await,
    );
    t.heard(
        "booking from a withheld number without an email",
        &app.refusal_as("appointment_create", create("2026-11-24T11:00"), None)
            .await,
    );
    t.heard(
        "open times on an ambiguous numeric date",
        &app.refusal("availability_read", json!({"date": "3/12/2027"}))
            .await,
    );
    t.heard(
        "open times on a date not understood",
        &app.refusal("availability_read", json!({"date": "someday"}))
            .await,
    );
    t.heard(
        "open times in a zone that is not one",
        &app.refusal("availability_read", json!({"timeZone": "Mars/Olympus"}))
            .await,
    );
    t.heard(
        "open times in a window that ends before it starts",
        &app.refusal(
            "availability_read",
            json!({"date": "2026-11-24", "after": "5pm", "before": "9am"}),
        )
        .await,
    );
    t.heard(
        "moving an unknown appointment",
        &app.move_refusal("nope", "2026-11-25T10:00").await,
    );
    t.heard(
        "moving someone else's appointment",
        &app.move_refusal("theirs", "2026-11-25T10:00").await,
    );
    t.heard(
        "cancelling someone else's appointment",
        &app.cancel_refusal("theirs").await,
    );
    t.heard(
        "reading an appointment by id from a withheld number",
        &app.refusal_as("appointment_read", json!({"appointmentId": "mine"}), None)
            .await,
    );
    t.heard(
        "a tool that does not exist",
        &app.refusal("make_coffee", json!({})).await,
    );
    t.heard(
        "arguments that are not JSON",
        &app.refusal("availability_read", json!("{not json")).await,
    );
    t.heard(
        "an argument of the wrong type",
        &app.refusal("appointment_cancel", json!({"appointmentId": 5}))
            .await,
    );
    t.heard(
        "a required argument missing",
        &app.refusal("appointment_update", json!({"appointmentId": "mine"}))
            .await,
    );
    t.heard(
        "adding staff without an organization",
        &app.refusal(
            "user_create",
            json!({"email": "sam@example.com", "name": "Sam"}),
        )
        .await,
    );
    insta::assert_snapshot!("refusals", t.0);
}

#[tokio::test]
async fn each_calendar_failure_is_one_sentence() {
    let app = TestApp::spawn().await;
    app.seed("mine", "2026-11-24T20:00:00Z", Some(CALLER), None);
    let mut t = Transcript::default();
    // Each failure on its own day, so that no cached answer stands in for Cal.com.
    let read = |day: &str| json!({"date": day});

    app.sim.fail_next(10, 500);
    t.heard(
        "open times while the calendar answers 500",
        &app.refusal("availability_read", read("2026-11-24")).await,
    );
    t.heard(
        "a cancel while the calendar answers 500",
        &app.cancel_refusal("mine").await,
    );
    app.sim.fail_next(1, 502);
    t.heard(
        "a booking the calendar answers with 502",
        &app.booking_refusal("2026-11-26T11:00", "Jane Roe").await,
    );
    app.sim.fail_next(0, 500);

    app.sim.drop_next(10);
    t.heard(
        "open times while every connection drops",
        &app.refusal("availability_read", read("2026-11-25")).await,
    );
    app.sim.drop_next(0);

    app.sim.hang_next(10, Duration::from_secs(5));
    t.heard(
        "open times while the calendar hangs",
        &app.refusal("availability_read", read("2026-11-27")).await,
    );
    app.sim.hang_next(0, Duration::ZERO);

    app.sim.fail_next(1, 429);
    t.heard(
        "open times the calendar answers with 429",
        &app.refusal("availability_read", read("2026-11-28")).await,
    );
    t.heard(
        "a booking while the key waits for the calendar's reset",
        &app.booking_refusal("2026-11-26T11:00", "Jane Roe").await,
    );
    insta::assert_snapshot!("calendar_failures", t.0);
}
