//! Times as callers say them, end to end (issue 19, English): relative weeks, week qualifiers,
//! British and spelled-out times, holidays; approximations and guesses asked about, never booked;
//! the window said inside `availability_read`'s `date`.

use serde_json::json;

use crate::support::{Options, Outcome, TestApp, unlimited};

// The default world: Saturday, November 21, 2026, 10:00 AM in New York; open 9:00 to 17:00 in
// 30-minute slots every day.

#[tokio::test]
async fn time_phrases_book_the_time_the_caller_meant() {
    // Six bookings from one caller in one call: the public line's caps are not what this tests.
    let app = TestApp::spawn_with(Options {
        tweak: Some(unlimited),
        ..Options::default()
    })
    .await;
    for (said, utc) in [
        ("tomorrow at ten thirty", "2026-11-22T15:30:00Z"),
        ("a week from Monday at 10", "2026-11-30T15:00:00Z"),
        ("half two on Tuesday", "2026-11-24T19:30:00Z"),
        ("Friday next week at 11", "2026-11-27T16:00:00Z"),
        ("Christmas Eve at 10", "2026-12-24T15:00:00Z"),
        ("Weds at three thirty", "2026-11-25T20:30:00Z"),
    ] {
        let r = app
            .call(
                "appointment_create",
                json!({"start": said, "attendeeName": "Jane Roe"}),
            )
            .await
            .ok();
        assert_eq!(r["appointment"]["startUtc"], utc, "{said}: {r}");
    }
}

#[tokio::test]
async fn time_guesses_and_approximations_are_asked_not_booked() {
    let app = TestApp::spawn().await;
    for (said, question) in [
        (
            "around 3 tomorrow",
            "'around 3 tomorrow' is only approximate (Sunday, November 22, 2026 at about 3:00 PM). Did the caller mean 3:00 PM exactly? If not, offer the open times around then.",
        ),
        (
            "12/03 at 10am",
            "'12/03 at 10am' could mean Thursday, December 3, 2026 or Friday, March 12, 2027. Which one did the caller mean?",
        ),
        (
            "November 20 at 10am",
            "November 20 has already passed this year (it was Friday, November 20, 2026). Did the caller mean next year's, Saturday, November 20, 2027, or another day?",
        ),
        (
            "last Friday at 10",
            "'last Friday at 10' would be Friday, November 20, 2026, which has already passed. Which day did the caller mean?",
        ),
        (
            "Boxing Day at 10",
            "Boxing Day is Saturday, December 26, 2026 in the UK. Is that the day the caller meant?",
        ),
    ] {
        let e = app
            .call(
                "appointment_create",
                json!({"start": said, "attendeeName": "Jane Roe"}),
            )
            .await
            .err();
        assert_eq!(e, question, "{said}");
    }
    assert!(app.sim.bookings().is_empty(), "no question booked anything");
}

#[tokio::test]
async fn time_windows_said_in_the_date_are_kept() {
    let app = TestApp::spawn().await;
    let r = app
        .call("availability_read", json!({"date": "tomorrow afternoon"}))
        .await
        .ok();
    assert!(
        Outcome::summary(&r).starts_with(
            "Open times in the afternoon (New York time): Sunday, November 22: 12:00 PM"
        ),
        "{r}"
    );
    assert_eq!(r["totalOpenTimes"], 10, "12:00 to 16:30: {r}");

    // Tonight is the evening: no morning times offered, the nearest ones named as outside it.
    let r = app
        .call("availability_read", json!({"date": "tonight"}))
        .await
        .ok();
    assert_eq!(r["days"], json!([]), "{r}");
    assert!(
        Outcome::summary(&r).starts_with("Nothing is open in the evening on Saturday, November 21"),
        "{r}"
    );

    let r = app
        .call("availability_read", json!({"date": "around 3 tomorrow"}))
        .await
        .ok();
    assert!(
        Outcome::summary(&r).starts_with(
            "Open times around 3:00 PM (New York time): Sunday, November 22: 2:00 PM, 2:30 PM, 3:00 PM, 3:30 PM."
        ),
        "{r}"
    );
    assert_eq!(r["window"]["around"], "15:00");

    let r = app
        .call("availability_read", json!({"date": "after 4 on Monday"}))
        .await
        .ok();
    assert_eq!(
        (&r["from"], &r["totalOpenTimes"]),
        (&json!("2026-11-23"), &json!(2))
    );

    let r = app
        .call("availability_read", json!({"date": "early next week"}))
        .await
        .ok();
    assert_eq!(
        (&r["from"], &r["to"]),
        (&json!("2026-11-23"), &json!("2026-11-25"))
    );

    // The split form still works, and agrees with a window said in the date.
    let r = app
        .call(
            "availability_read",
            json!({"date": "tomorrow afternoon", "after": "3pm"}),
        )
        .await
        .ok();
    assert_eq!(r["totalOpenTimes"], 4, "15:00 to 16:30: {r}");
    let e = app
        .call(
            "availability_read",
            json!({"date": "tomorrow morning", "partOfDay": "afternoon"}),
        )
        .await
        .err();
    assert_eq!(
        e,
        "The date 'tomorrow morning' asks for times in the morning, but the other fields ask for times in the afternoon. Which did the caller mean?"
    );
}
