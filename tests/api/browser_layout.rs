//! The console's layout in a real headless Chromium at a laptop's width (1366 px) and a phone's
//! (390 px): a 50,000-character summary, outcome and transcript line wrap instead of widening
//! any page, the caller's bubble stays on screen with its label; on a phone the tables become
//! cards that show time, caller, status and outcome without a sideways swipe; the Stats day
//! column stays on one line; when the system prefers dark, so does the console. Screenshots of every page at both widths go to
//! `target/screenshots/layout-*.png`.
//!
//! Runs like the other browser tests (see `browser.rs`): skipped without Chromium unless
//! `VAPI_CAL_BROWSER_TESTS=required`.

use fantoccini::Client;
use serde_json::{Value, json};

use crate::{
    browser::{leaving, screenshot, sign_in_with, start, start_with, wait_for_page},
    dashboard::seed_calls,
    support::{ADMIN_TOKEN, CALLER, TestApp},
};

/// The widths the console must fit: a laptop and a phone (height, then a name for files).
pub const WIDTHS: [(u32, u32, &str); 2] = [(1366, 900, "desktop"), (390, 844, "phone")];

/// Signs in to `app` and waits for the Today page.
pub async fn signed_in(client: &Client, app: &TestApp) {
    client
        .goto(&format!("{}/dashboard", app.url))
        .await
        .unwrap();
    sign_in_with(client, ADMIN_TOKEN).await;
    wait_for_page(client, "today").await;
}

/// Opens `path` and waits for its page (marked `page`), also when it is the page on screen.
pub async fn open(client: &Client, base: &str, path: &str, page: &str) {
    leaving(client).await;
    client.goto(&format!("{base}{path}")).await.unwrap();
    wait_for_page(client, page).await;
}

/// The page's full width and the width it is shown in (without a vertical scrollbar).
pub async fn widths(client: &Client) -> (f64, f64) {
    let v = client
        .execute(
            "const e = document.documentElement; return [e.scrollWidth, e.clientWidth];",
            vec![],
        )
        .await
        .unwrap();
    (v[0].as_f64().unwrap(), v[1].as_f64().unwrap())
}

/// `[left, right, width, height]` of the element `selector` finds (the last match when `last`),
/// or `null` when there is none.
async fn rect(client: &Client, selector: &str, last: bool) -> Value {
    client
        .execute(
            "const all = document.querySelectorAll(arguments[0]); \
             const e = arguments[1] ? all[all.length - 1] : all[0]; \
             if (!e) return null; const r = e.getBoundingClientRect(); \
             return [r.left, r.right, r.width, r.height];",
            vec![json!(selector), json!(last)],
        )
        .await
        .unwrap()
}

/// Asserts that what `selector` finds is on screen horizontally, with a size.
pub async fn assert_in_view(client: &Client, selector: &str, last: bool, what: &str) {
    let r = rect(client, selector, last).await;
    let (_, shown) = widths(client).await;
    let n = |i: usize| {
        r[i].as_f64()
            .unwrap_or_else(|| panic!("{what}: {selector} is there"))
    };
    assert!(
        n(0) >= 0.0 && n(1) <= shown + 0.5 && n(2) > 0.0 && n(3) > 0.0,
        "{what}: {selector} at {r} within 0..{shown}"
    );
}

/// Asserts that the cells `columns` (counted from 1) of the first row `row` finds are on screen.
async fn assert_columns_in_view(client: &Client, row: &str, columns: &[usize]) {
    for column in columns {
        let cell = format!("{row} td:nth-child({column})");
        assert_in_view(client, &cell, false, "a card").await;
    }
}

/// Scrolls the first element `selector` finds into view (for a screenshot of it).
async fn scroll_to(client: &Client, selector: &str) {
    client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView();",
            vec![json!(selector)],
        )
        .await
        .unwrap();
}

/// The page's background and its text colour, as computed.
async fn colours(client: &Client) -> Value {
    client
        .execute(
            "return [getComputedStyle(document.documentElement).backgroundColor, \
                     getComputedStyle(document.querySelector('main')).color];",
            vec![],
        )
        .await
        .unwrap()
}

/// Ends call `id` from CALLER with a report whose summary, outcome and caller's line are each
/// 50,000 characters without a space.
async fn long_call(app: &TestApp, id: &str) {
    let long = "Supercalifragilistic".repeat(2_500);
    assert_eq!(long.len(), 50_000);
    let start = app.clock.now();
    let iso = |secs: i64| vapi_cal::db::ts(start + chrono::Duration::seconds(secs));
    app.message(json!({
        "type": "end-of-call-report", "timestamp": (start + chrono::Duration::seconds(60)).timestamp_millis(),
        "endedReason": "customer-ended-call", "startedAt": iso(0), "endedAt": iso(60), "cost": 0.2,
        "analysis": {"summary": long, "successEvaluation": long},
        "artifact": {"messages": [
            {"role": "bot", "message": "Thanks for calling, how can I help?", "secondsFromStart": 1.0},
            {"role": "user", "message": long, "secondsFromStart": 4.0},
        ]},
        "call": {"id": id, "type": "inboundPhoneCall"},
        "customer": {"number": CALLER}
    }))
    .await;
}

#[tokio::test]
async fn a_50000_character_line_widens_no_page_at_laptop_or_phone_width() {
    let Some(browser) = start().await else {
        return;
    };
    let client = &browser.client;
    let app = TestApp::spawn().await;
    app.seed("morning-visit", "2026-11-21T16:00:00Z", Some(CALLER), None);
    app.reconcile().await;
    seed_calls(&app).await;
    long_call(&app, "call-long").await;
    signed_in(client, &app).await;
    assert_eq!(
        colours(client).await,
        json!(["rgb(255, 255, 255)", "rgb(27, 31, 36)"]),
        "dark text on white unless the system prefers dark"
    );

    for (width, height, name) in WIDTHS {
        client.set_window_size(width, height).await.unwrap();
        for (path, page, file) in [
            ("/dashboard", "today", "today"),
            ("/dashboard/calls", "calls", "calls"),
            ("/dashboard/calls/call-long", "call", "call-long-line"),
            ("/dashboard/calls/call-1", "call", "call"),
            ("/dashboard/appointments", "appointments", "appointments"),
            ("/dashboard/stats", "stats", "stats"),
            (
                "/dashboard/stats?from=2026-10-22&to=2026-11-21",
                "stats",
                "stats-31-days",
            ),
            ("/dashboard/failures", "failures", "failures"),
            ("/dashboard/calls/no-such-call", "not-found", "not-found"),
        ] {
            open(client, &app.url, path, page).await;
            let (full, shown) = widths(client).await;
            assert!(
                full <= shown,
                "{path} at {width} px is {full} px wide, shown in {shown} px"
            );
            screenshot(client, &format!("layout-{file}-{name}")).await;
        }
        // The caller's 50,000-character line: its bubble and its label are on screen.
        open(client, &app.url, "/dashboard/calls/call-long", "call").await;
        assert_in_view(client, "li.line-user", true, name).await;
        assert_in_view(client, "li.line-user .who", true, name).await;
        assert_in_view(client, "p.summary", false, name).await;
        scroll_to(client, "li.line-user").await;
        screenshot(client, &format!("layout-call-long-line-bubble-{name}")).await;
    }
    browser.close().await;
}

#[tokio::test]
async fn on_a_phone_tables_become_cards_showing_what_matters() {
    let Some(browser) = start().await else {
        return;
    };
    let client = &browser.client;
    let app = TestApp::spawn().await;
    app.seed(
        "cancelled-visit",
        "2026-11-23T15:00:00Z",
        Some(CALLER),
        None,
    );
    app.reconcile().await;
    seed_calls(&app).await;
    app.cancel("cancelled-visit").await;
    signed_in(client, &app).await;

    // A laptop: the Stats day column keeps each day on one line.
    client.set_window_size(1366, 900).await.unwrap();
    open(client, &app.url, "/dashboard/stats", "stats").await;
    let one_line = client
        .execute(
            "return [...document.querySelectorAll('table.stats tbody th')].every(th => \
               th.getBoundingClientRect().height < 2 * parseFloat(getComputedStyle(th).lineHeight));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(one_line, json!(true), "each day on one line");

    client.set_window_size(390, 844).await.unwrap();
    open(client, &app.url, "/dashboard/calls", "calls").await;
    // By column, as a reader counts them: time, caller, status, outcome.
    assert_columns_in_view(client, "table.calls tbody tr", &[1, 2, 4, 5]).await;
    let card = crate::browser::text_of(client, "table.calls tbody tr").await;
    for expected in ["+15557654321", "in-progress"] {
        assert!(card.contains(expected), "{expected} on the card: {card}");
    }
    screenshot(client, "layout-cards-calls-phone").await;

    open(
        client,
        &app.url,
        "/dashboard/appointments?status=cancelled",
        "appointments",
    )
    .await;
    // Time, caller, status, call.
    assert_columns_in_view(
        client,
        "table.appointments tbody tr:not(.day)",
        &[1, 2, 4, 6],
    )
    .await;
    let card = crate::browser::text_of(client, "table.appointments tbody tr:not(.day)").await;
    assert!(card.contains("cancelled"), "the status shows: {card}");
    screenshot(client, "layout-cards-appointments-phone").await;

    open(client, &app.url, "/dashboard/stats", "stats").await;
    let (full, shown) = widths(client).await;
    assert!(full <= shown, "stats at 390 px: {full} > {shown}");
    assert_in_view(
        client,
        "table.stats tbody td:last-child",
        false,
        "a day's card",
    )
    .await;
    scroll_to(client, "table.stats").await;
    screenshot(client, "layout-cards-stats-phone").await;
    browser.close().await;
}

#[tokio::test]
async fn the_console_follows_a_dark_system_setting() {
    let Some(browser) = start_with(&["--force-dark-mode"]).await else {
        return;
    };
    let client = &browser.client;
    let app = TestApp::spawn().await;
    seed_calls(&app).await;
    signed_in(client, &app).await;
    for (width, height, name) in WIDTHS {
        client.set_window_size(width, height).await.unwrap();
        for (path, page, file) in [
            ("/dashboard", "today", "today"),
            ("/dashboard/calls/call-1", "call", "call"),
            ("/dashboard/stats", "stats", "stats"),
        ] {
            open(client, &app.url, path, page).await;
            assert_eq!(
                colours(client).await,
                json!(["rgb(13, 17, 23)", "rgb(230, 237, 243)"]),
                "{path}: light text on a dark ground"
            );
            screenshot(client, &format!("layout-dark-{file}-{name}")).await;
        }
    }
    browser.close().await;
}
