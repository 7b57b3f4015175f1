//! Times as callers say them, end to end: the grammar through the tools, time-of-day windows
//! for availability, and alternatives in the same part of the day.

use serde_json::json;

use crate::support::{Options, Outcome, TestApp, unlimited};

// The default world: Saturday, November 21, 2026, 10:00 AM in New York; open 9:00 to 17:00 in
// 30-minute slots every day.

#[tokio::test]
async fn bookings_accept_times_as_callers_say_them() {
    // Four bookings in one call: past the per-call limit, which is not under test here.
    let app = TestApp::spawn_with(Options {
        tweak: Some(unlimited),
        ..Options::default()
    })
    .await;
    for (said, utc) in [
        ("3pm tomorrow", "2026-11-22T20:00:00Z"),
        ("noon tomorrow", "2026-11-22T17:00:00Z"),
        ("December 3 at 2pm", "2026-12-03T19:00:00Z"),
        ("in 2 days at 9", "2026-11-23T14:00:00Z"),
    ] {
        let booked = app.book(said, "Jane Roe").await;
        assert_eq!(booked.start_utc, utc, "{said}: {booked:?}");
    }
    // A refusal names what was understood and offers two phrasings.
    let e = app
        .booking_refusal("tomorrow at 3 with Dr Smith", "Jane Roe")
        .await;
    assert_eq!(
        e,
        "I understood 'tomorrow at 3 with Dr Smith' as Sunday, November 22, 2026 at 3:00 PM, but not 'with dr smith'. Please say a date and time like 'tomorrow at 3pm' or 'December 3 at 10:30am'."
    );
    assert_eq!(app.sim.bookings().len(), 4, "the refusal booked nothing");
}

#[tokio::test]
async fn numeric_dates_are_asked_about_unless_the_business_says_its_order() {
    let app = TestApp::spawn().await;
    let e = app
        .refusal("availability_read", json!({"date": "3/12/2027"}))
        .await;
    assert_eq!(
        e,
        "'3/12/2027' could mean Friday, March 12, 2027 or Friday, December 3, 2027. Which one did the caller mean?"
    );
    let dmy = TestApp::spawn_with(Options {
        date_order: Some(vapi_cal::domain::local_time::DateOrder::Dmy),
        ..Options::default()
    })
    .await;
    let r = dmy
        .answer("availability_read", json!({"date": "3/12/2027"}))
        .await;
    assert_eq!(r["from"], "2027-12-03");
}

#[tokio::test]
async fn availability_takes_ranges_as_said() {
    let app = TestApp::spawn().await;
    let r = app.open_times("this weekend").await;
    assert_eq!(
        (&r["from"], &r["to"]),
        (&json!("2026-11-21"), &json!("2026-11-22"))
    );
    let r = app.open_times("next week").await;
    assert_eq!(
        (&r["from"], &r["to"]),
        (&json!("2026-11-23"), &json!("2026-11-29"))
    );
    let r = app.open_times("December 1").await;
    assert_eq!(
        (&r["from"], &r["to"]),
        (&json!("2026-12-01"), &json!("2026-12-01"))
    );
}

#[tokio::test]
async fn availability_in_the_afternoon_lists_only_afternoon_times() {
    let app = TestApp::spawn().await;
    let r = app
        .answer(
            "availability_read",
            json!({"date": "tomorrow", "partOfDay": "afternoon"}),
        )
        .await;
    let summary = Outcome::summary(&r);
    assert!(
        summary.starts_with(
            "Open times in the afternoon (New York time): Sunday, November 22: 12:00 PM, 12:30 PM, 1:00 PM"
        ),
        "{summary}"
    );
    assert_eq!(r["totalOpenTimes"], 10, "12:00 to 16:30: {r}");
    assert_eq!(r["window"]["after"], "12:00");
    assert_eq!(r["window"]["before"], "17:00");
    let morning = app
        .answer(
            "availability_read",
            json!({"date": "tomorrow", "partOfDay": "morning"}),
        )
        .await;
    assert_eq!(morning["totalOpenTimes"], 6, "9:00 to 11:30: {morning}");
}

#[tokio::test]
async fn availability_between_two_times_said_in_words() {
    let app = TestApp::spawn().await;
    let r = app
        .answer(
            "availability_read",
            json!({"date": "2026-11-24", "after": "2pm", "before": "4"}),
        )
        .await;
    assert_eq!(r["totalOpenTimes"], 4, "{r}");
    assert_eq!(
        r["days"][0]["times"],
        json!(["2:00 PM", "2:30 PM", "3:00 PM", "3:30 PM"])
    );
    assert!(
        Outcome::summary(&r).starts_with("Open times between 2:00 PM and 4:00 PM"),
        "{r}"
    );
    let e = app
        .refusal(
            "availability_read",
            json!({"date": "2026-11-24", "after": "5pm", "before": "9am"}),
        )
        .await;
    insta::assert_snapshot!("a_window_that_ends_before_it_starts", e);
    let e = app
        .refusal("availability_read", json!({"after": "soonish"}))
        .await;
    insta::assert_snapshot!("a_time_of_day_not_understood", e);
    let e = app
        .refusal("availability_read", json!({"partOfDay": "night"}))
        .await;
    insta::assert_snapshot!("an_unknown_part_of_the_day", e);
}

#[tokio::test]
async fn an_empty_window_names_the_nearest_open_times_outside_it() {
    let app = TestApp::spawn().await;
    let r = app
        .answer(
            "availability_read",
            json!({"date": "2026-11-24", "partOfDay": "evening"}),
        )
        .await;
    assert_eq!(
        Outcome::summary(&r),
        "Nothing is open in the evening on Tuesday, November 24 (New York time). The nearest open times outside that window are Tuesday, November 24 at 3:30 PM; Tuesday, November 24 at 4:00 PM; Tuesday, November 24 at 4:30 PM."
    );
    assert_eq!(r["totalOpenTimes"], 0);
    assert_eq!(
        r["nearestOutsideWindow"][2]["start"],
        "2026-11-24T16:30:00-05:00"
    );
}

#[tokio::test]
async fn a_taken_time_offers_alternatives_in_the_same_part_of_the_day() {
    let app = TestApp::spawn().await;
    // Noon is taken; 11:30 is as near as 12:30, but the caller asked for the afternoon.
    app.seed("taken", "2026-11-24T17:00:00Z", Some("+15550000000"), None);
    let e = app.booking_refusal("tuesday at noon", "Jane Roe").await;
    // 12:30, 1:00 and 1:30 PM are offered, no morning time.
    insta::assert_snapshot!("afternoon_alternatives_to_a_taken_noon", e);
}
