//! Store UTC, speak local: DST changes, zones far from UTC, and "today" when UTC is tomorrow.

use serde_json::json;

use crate::support::{Options, Outcome, TestApp, at};

fn world(tz: chrono_tz::Tz, now: &str) -> Options {
    Options {
        business_tz: tz,
        now: at(now),
        ..Options::default()
    }
}

#[tokio::test]
async fn new_york_spring_forward_day() {
    let app =
        TestApp::spawn_with(world(chrono_tz::America::New_York, "2026-03-01T15:00:00Z")).await;
    let r = app.open_times("2026-03-08").await;
    assert_eq!(
        r["days"][0]["starts"][0], "2026-03-08T09:00:00-04:00",
        "EDT after the change: {r}"
    );
    // The week before is still EST: the same wall time is a different UTC hour.
    let r = app.book("2026-03-08T09:00", "A").await;
    assert_eq!(r.start_utc, "2026-03-08T13:00:00Z");
    let r = app.book("2026-03-07T09:00", "B").await;
    assert_eq!(r.start_utc, "2026-03-07T14:00:00Z");
    let e = app.booking_refusal("2026-03-08T02:30", "C").await;
    insta::assert_snapshot!("a_time_in_the_spring_forward_gap", e);
}

#[tokio::test]
async fn new_york_fall_back_day() {
    let app =
        TestApp::spawn_with(world(chrono_tz::America::New_York, "2026-10-25T15:00:00Z")).await;
    let r = app.open_times("2026-11-01").await;
    assert_eq!(
        r["days"][0]["starts"][0], "2026-11-01T09:00:00-05:00",
        "EST after the change: {r}"
    );
    assert_eq!(r["totalOpenTimes"], 16);
    let r = app.book("2026-11-01T09:00", "A").await;
    assert_eq!(r.start_utc, "2026-11-01T14:00:00Z");
    insta::assert_snapshot!("booked_on_the_fall_back_day", r.spoken());
}

#[tokio::test]
async fn kolkata_half_hour_offset() {
    let app = TestApp::spawn_with(world(chrono_tz::Asia::Kolkata, "2026-11-21T03:00:00Z")).await;
    let r = app.open_times("tomorrow").await;
    assert_eq!(r["days"][0]["date"], "2026-11-22");
    assert_eq!(r["days"][0]["starts"][0], "2026-11-22T09:00:00+05:30");
    let r = app.book("tomorrow 3pm", "A").await;
    assert_eq!(r.start_utc, "2026-11-22T09:30:00Z");
    insta::assert_snapshot!("booked_in_kolkata", r.spoken());
}

#[tokio::test]
async fn lord_howe_half_hour_dst() {
    // Lord Howe moves by 30 minutes: +10:30 in winter, +11:00 in summer (from 2026-10-04).
    let app = TestApp::spawn_with(world(
        chrono_tz::Australia::Lord_Howe,
        "2026-09-30T00:00:00Z",
    ))
    .await;
    let r = app.open_times("2026-10-03").await;
    assert_eq!(r["days"][0]["starts"][0], "2026-10-03T09:00:00+10:30");
    let r = app.open_times("2026-10-05").await;
    assert_eq!(r["days"][0]["starts"][0], "2026-10-05T09:00:00+11:00");
    let r = app.book("2026-10-05T09:00", "A").await;
    assert_eq!(r.start_utc, "2026-10-04T22:00:00Z");
}

#[tokio::test]
async fn auckland_is_already_tomorrow() {
    // 19:30 UTC on Saturday is 8:30 AM Sunday in Auckland (NZDT, +13).
    let app =
        TestApp::spawn_with(world(chrono_tz::Pacific::Auckland, "2026-11-21T19:30:00Z")).await;
    let r = app.open_times("today").await;
    assert_eq!(r["today"], "Sunday, November 22, 2026");
    assert_eq!(r["days"][0]["date"], "2026-11-22");
    assert_eq!(r["days"][0]["starts"][0], "2026-11-22T09:00:00+13:00");
    let slots = app
        .sim
        .requests()
        .into_iter()
        .find(|r| r.path == "/v2/slots")
        .expect("slots");
    let q = slots.query.unwrap_or_default();
    // From now (19:30Z) to local midnight a week on (11:00Z, the end of Saturday, November 28 in
    // Auckland): local days, not UTC ones.
    assert!(q.contains("start=2026-11-21T19%3A30%3A00Z"), "{q}");
    assert!(q.contains("end=2026-11-28T10%3A59%3A59Z"), "{q}");
}

#[tokio::test]
async fn late_evening_call_when_utc_is_already_tomorrow() {
    // 10:30 PM Saturday in New York is 03:30 Sunday UTC; "today" is still Saturday for the caller.
    let app =
        TestApp::spawn_with(world(chrono_tz::America::New_York, "2026-11-22T03:30:00Z")).await;
    let r = app.open_times("tomorrow").await;
    assert_eq!(r["today"], "Saturday, November 21, 2026");
    assert_eq!(r["days"][0]["date"], "2026-11-22");
    assert_eq!(r["days"][0]["starts"][0], "2026-11-22T09:00:00-05:00");
    let r = app.open_times("today").await;
    insta::assert_snapshot!("nothing_open_late_in_the_evening", Outcome::summary(&r));
    let r = app.book("tomorrow 9:00 am", "A").await;
    assert_eq!(r.start_utc, "2026-11-22T14:00:00Z");
}

#[tokio::test]
async fn caller_zone_differs_from_business_zone() {
    let app = TestApp::spawn().await; // business in New York
    let r = app
        .answer(
            "availability_read",
            json!({"date": "2026-11-24", "timeZone": "America/Los_Angeles"}),
        )
        .await;
    assert_eq!(r["timeZone"], "America/Los_Angeles");
    assert_eq!(
        r["days"][0]["starts"][0], "2026-11-24T06:00:00-08:00",
        "9 AM New York is 6 AM in LA"
    );
    let r = app
        .answer(
            "appointment_create",
            json!({"start": "2026-11-24T07:00", "timeZone": "America/Los_Angeles", "attendeeName": "A"}),
        )
        .await;
    assert_eq!(r["appointment"]["startUtc"], "2026-11-24T15:00:00Z");
    let id = r["appointment"]["appointmentId"].as_str().expect("id");
    insta::assert_snapshot!(
        "booked_in_the_callers_zone",
        Outcome::summary(&r).replace(id, "[id]")
    );
}
