//! The shared Cal.com request budget, the slot cache and the reconcile lease.

use std::time::Duration;

use futures_util::future::join_all;
use serde_json::json;
use vapi_cal::sync::bookings::{self, Round};

use crate::support::{Options, Outcome, TestApp, slot_requests, unlimited};

/// A burst of `n` availability reads, each its own VAPI message, all at once, for days a week
/// apart from the `first_week`th week after tomorrow on (a read fetches a week, so the slot
/// cache cannot answer one of them from another).
async fn burst_from(app: &TestApp, first_week: usize, n: usize) -> Vec<Outcome> {
    let calls = (first_week..first_week + n).map(|i| {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date")
            + chrono::Duration::weeks(i64::try_from(i).expect("small"));
        app.call("availability_read", json!({"date": day.to_string()}))
    });
    join_all(calls).await
}

async fn burst(app: &TestApp, n: usize) -> Vec<Outcome> {
    burst_from(app, 0, n).await
}

#[tokio::test]
async fn a_burst_over_the_budget_gets_spoken_refusals_and_never_a_429() {
    let app = TestApp::spawn_with(Options {
        cal_rate_limit_per_min: 5,
        ..Options::default()
    })
    .await;
    // Cal.com allows this key 5 requests a minute, as our budget says.
    app.sim.set_rate_limit(Some(5));
    let outcomes = burst(&app, 12).await;
    let answered = outcomes.iter().filter(|o| o.result.is_some()).count();
    let refusals: Vec<&String> = outcomes.iter().filter_map(|o| o.error.as_ref()).collect();
    assert_eq!(answered, 5, "{refusals:?}");
    assert_eq!(refusals.len(), 7);
    for e in refusals {
        assert!(
            e.starts_with("The calendar is busy right now, so I couldn't finish checking open times. Please try again in about"),
            "{e}"
        );
    }
    // Only what the budget allowed reached Cal.com, so none was refused with a 429.
    assert_eq!(app.sim.request_count(), 5);
}

#[tokio::test]
async fn cal_com_saying_nothing_remains_holds_every_request_until_the_reset() {
    // Our budget thinks 120 a minute; Cal.com says 3 (someone else uses the key too).
    let app = TestApp::spawn().await;
    app.sim.set_rate_limit(Some(3));
    for day in 0..3 {
        let outcomes = burst_from(&app, day, 1).await;
        assert!(outcomes[0].result.is_some());
    }
    // The third answer said `X-RateLimit-Remaining-Default: 0`: nothing more is sent.
    let outcomes = burst_from(&app, 3, 6).await;
    for o in &outcomes {
        let e = o.error.as_deref().expect("refused");
        assert!(e.contains("Please try again in about a minute"), "{e}");
    }
    assert_eq!(
        app.sim.request_count(),
        3,
        "no request after Cal.com said 0 remain"
    );
}

#[tokio::test]
async fn a_429_blocks_the_key_and_is_not_retried_into_a_loop() {
    let app = TestApp::spawn().await;
    app.sim.fail_next(1, 429);
    let e = app
        .refusal("availability_read", json!({"date": "2026-11-24"}))
        .await;
    insta::assert_snapshot!("a_429_on_a_read", e);
    assert_eq!(app.sim.request_count(), 1, "a 429 is not retried");
    // The key is blocked until Cal.com's reset: the next tool call is refused without a request.
    let e = app
        .refusal("availability_read", json!({"date": "2026-11-25"}))
        .await;
    insta::assert_snapshot!("a_read_while_the_key_is_blocked", e);
    assert_eq!(app.sim.request_count(), 1);
}

#[tokio::test]
async fn a_burst_gets_every_token_of_the_budget_and_sends_nothing_beyond() {
    // 60 a minute: one token a second; a caller may wait up to 1.7 s (deadline less one request).
    let app = TestApp::spawn_with(Options {
        cal_rate_limit_per_min: 60,
        // The key's budget is under test, not a call's share of it.
        tweak: Some(unlimited),
        ..Options::default()
    })
    .await;
    // Spend the whole bucket.
    let first = burst_from(&app, 0, 40).await;
    let second = burst_from(&app, 40, 25).await;
    let answered = first
        .iter()
        .chain(&second)
        .filter(|o| o.result.is_some())
        .count();
    // 60 tokens at once, then one a second to callers who can wait that long: all 60 answered,
    // and every request sent was one the budget allowed (the refused ones sent nothing).
    assert!(answered >= 60, "{answered}");
    assert_eq!(app.sim.request_count(), answered);
}

#[tokio::test]
async fn background_work_leaves_the_reserve_to_tool_calls() {
    let app = TestApp::spawn_with(Options {
        cal_rate_limit_per_min: 8,
        ..Options::default()
    })
    .await;
    // Six tokens go to tool calls first; the reserve of two stays.
    let outcomes = burst(&app, 6).await;
    assert!(outcomes.iter().all(|o| o.result.is_some()));
    // A reconcile now waits instead of taking the reserve: it does not finish within a second.
    let background = app.cal.background();
    let reconcile = tokio::time::timeout(
        Duration::from_secs(1),
        bookings::sync_bookings(&background, &app.db, &app.clock, None),
    )
    .await;
    assert!(
        reconcile.is_err(),
        "background work must wait for the reserve"
    );
    // The reserve is still there for callers.
    let outcomes = burst_from(&app, 6, 2).await;
    assert!(outcomes.iter().all(|o| o.result.is_some()), "{outcomes:?}");
    assert_eq!(app.sim.request_count(), 8);
}

#[tokio::test]
async fn two_replicas_on_one_postgres_stay_within_one_budget() {
    if std::env::var("TEST_DATABASE_URL").map_or(true, |u| u.is_empty()) {
        println!("skipped: set TEST_DATABASE_URL to run the two-replica budget test on PostgreSQL");
        return;
    }
    let opts = || Options {
        cal_rate_limit_per_min: 10,
        ..Options::default()
    };
    let a = TestApp::spawn_with(opts()).await;
    let b = a.replica(opts()).await;
    a.sim.set_rate_limit(Some(10));
    let (from_a, from_b) = tokio::join!(burst_from(&a, 0, 15), burst_from(&b, 15, 15));
    let answered = from_a
        .iter()
        .chain(&from_b)
        .filter(|o| o.result.is_some())
        .count();
    let refused = from_a
        .iter()
        .chain(&from_b)
        .filter_map(|o| o.error.as_deref())
        .filter(|e| e.starts_with("The calendar is busy right now"))
        .count();
    // Each replica alone would spend 10; together they spend 10.
    assert_eq!(a.sim.request_count(), 10);
    assert_eq!(answered, 10);
    assert_eq!(refused, 20);
}

#[tokio::test]
async fn a_second_identical_availability_read_makes_no_cal_com_request() {
    let app = TestApp::spawn().await;
    let first = app.open_times("2026-11-24").await;
    assert_eq!(slot_requests(&app), 1);
    let second = app.open_times("2026-11-24").await;
    assert_eq!(slot_requests(&app), 1, "answered from the cache");
    assert_eq!(first["days"], second["days"]);
}

#[tokio::test]
async fn our_booking_drops_cached_open_times() {
    let app = TestApp::spawn().await;
    let before = app.open_times("2026-11-24").await;
    assert_eq!(before["totalOpenTimes"], 16);
    app.answer(
        "appointment_create",
        json!({"start": "2026-11-24T15:00", "attendeeName": "Jane Roe"}),
    )
    .await;
    let after = app.open_times("2026-11-24").await;
    assert_eq!(
        after["totalOpenTimes"], 15,
        "the booked time is gone: {after}"
    );
}

#[tokio::test]
async fn a_cal_com_webhook_drops_cached_open_times() {
    let app = TestApp::spawn().await;
    app.subscribe();
    let before = app.open_times("2026-11-24").await;
    assert_eq!(before["totalOpenTimes"], 16);
    // Someone books in Cal.com itself; Cal.com tells us by webhook.
    let (status, _) = app
        .cal_api_post(
            "/v2/bookings",
            json!({"start": "2026-11-24T20:00:00Z", "eventTypeId": crate::support::EVENT_TYPE,
                   "attendee": {"name": "Walk In", "email": "walk@example.com", "timeZone": "America/New_York"}}),
        )
        .await;
    assert_eq!(status, 201);
    let delivered = app.sim.wait_for_webhooks(1, Duration::from_secs(5)).await;
    assert_eq!(delivered.first().and_then(|d| d.status), Some(200));
    let after = app.open_times("2026-11-24").await;
    assert_eq!(after["totalOpenTimes"], 15, "{after}");
    assert_eq!(slot_requests(&app), 2);
}

#[tokio::test]
async fn concurrent_identical_queries_make_one_upstream_request() {
    let app = TestApp::spawn().await;
    // A slow Cal.com, so that all queries are in flight together.
    app.sim.set_latency(Duration::from_millis(300));
    let outcomes =
        join_all((0..8).map(|_| app.call("availability_read", json!({"date": "2026-11-24"}))))
            .await;
    for o in outcomes {
        assert_eq!(o.ok()["totalOpenTimes"], 16);
    }
    assert_eq!(slot_requests(&app), 1);
}

#[tokio::test]
async fn with_no_cache_lifetime_only_concurrent_queries_are_shared() {
    let app = TestApp::spawn_with(Options {
        slot_cache: Duration::ZERO,
        ..Options::default()
    })
    .await;
    app.open_times("2026-11-24").await;
    app.open_times("2026-11-24").await;
    assert_eq!(slot_requests(&app), 2);
}

#[tokio::test]
async fn only_one_replica_reconciles_a_round() {
    let app = TestApp::spawn().await;
    let interval = Duration::from_secs(600);
    let rounds = join_all((0..4).map(|i| {
        let holder = format!("replica-{i}");
        let cal = app.cal.background();
        let db = app.db.clone();
        let clock = app.clock.clone();
        async move { bookings::reconcile_round(&cal, &db, &clock, &holder, interval).await }
    }))
    .await;
    let ran = rounds.iter().filter(|r| matches!(r, Round::Ran(_))).count();
    let skipped = rounds
        .iter()
        .filter(|r| matches!(r, Round::Skipped))
        .count();
    assert_eq!((ran, skipped), (1, 3), "{rounds:?}");
    assert_eq!(app.sim.request_count(), 1, "one reconcile reached Cal.com");

    // Within the round the others keep skipping; once it is over, another replica may run.
    let other =
        bookings::reconcile_round(&app.cal, &app.db, &app.clock, "replica-x", interval).await;
    assert!(matches!(other, Round::Skipped), "{other:?}");
    app.clock.advance(chrono::Duration::seconds(601));
    let other =
        bookings::reconcile_round(&app.cal, &app.db, &app.clock, "replica-x", interval).await;
    assert!(matches!(other, Round::Ran(_)), "{other:?}");
}
