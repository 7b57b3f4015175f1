//! The Calls page's search and filters in a real headless Chromium at a laptop's width (1366 px)
//! and a phone's (390 px): typing a word, choosing an outcome and ticking "Has booking" lists
//! the matching call with all three in the address; the form fits the screen with no sideways
//! scroll, also with a 120-character ended reason chosen and markup typed in the box (shown back
//! as text). Screenshots go to `target/screenshots/search-*.png`.
//!
//! Runs like the other browser tests (see `browser.rs`): skipped without Chromium unless
//! `VAPI_CAL_BROWSER_TESTS=required`.

use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use crate::{
    browser::{click_to, screenshot, start},
    browser_layout::{WIDTHS, assert_in_view, open, signed_in, widths},
    dashboard::seed_calls,
    support::{CALLER, TestApp},
};

/// The longest ended reason the page filters by.
fn long_reason() -> String {
    let reason = format!("call.in-progress.error-vapifault-{}", "x".repeat(87));
    assert_eq!(reason.len(), 120);
    reason
}

/// The calls the list on screen links, in order.
async fn listed(client: &Client) -> Value {
    client
        .execute(
            "return [...document.querySelectorAll('table.calls tbody td[data-label=Time] a')]\
               .map(a => a.getAttribute('href'));",
            vec![],
        )
        .await
        .unwrap()
}

/// Asserts that nothing is wider than the screen and that the form and its parts are on it.
async fn assert_form_fits(client: &Client, what: &str) {
    let (full, shown) = widths(client).await;
    assert!(full <= shown, "{what}: {full} px wide, shown in {shown} px");
    for part in [
        "form.filters",
        "#q",
        "#status",
        "#reason",
        "#outcome",
        "form.filters button",
        "a.export",
    ] {
        assert_in_view(client, part, false, what).await;
    }
}

#[tokio::test]
async fn searching_and_filtering_by_hand_at_laptop_and_phone_width() {
    let Some(browser) = start().await else {
        return;
    };
    let client = &browser.client;
    let app = TestApp::spawn().await;
    seed_calls(&app).await;
    let now = app.clock.now();
    app.message(json!({
        "type": "end-of-call-report", "timestamp": now.timestamp_millis(),
        "endedReason": long_reason(),
        "analysis": {"summary": "Script alert (1): asked for a consultation"},
        "call": {"id": "call-odd", "type": "inboundPhoneCall"}, "customer": {"number": CALLER}
    }))
    .await;
    signed_in(client, &app).await;

    for (width, height, name) in WIDTHS {
        client.set_window_size(width, height).await.unwrap();
        open(client, &app.url, "/dashboard/calls", "calls").await;
        assert_form_fits(client, name).await;
        screenshot(client, &format!("search-form-{name}")).await;

        // "consult" is in both summaries; only call-1 booked.
        let field = client.find(Locator::Id("q")).await.unwrap();
        field.send_keys("CONSULT").await.unwrap();
        client
            .find(Locator::Css("#outcome option[value='booked']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        client
            .find(Locator::Css("input[name='booking']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        click_to(client, Locator::Css("form.filters button"), "calls").await;
        let url = client.current_url().await.unwrap().to_string();
        assert!(
            url.ends_with(
                "/dashboard/calls?q=CONSULT&day=&number=&status=&reason=&outcome=booked&booking=yes"
            ),
            "{url}"
        );
        assert_eq!(listed(client).await, json!(["/dashboard/calls/call-1"]));
        assert_form_fits(client, name).await;
        screenshot(client, &format!("search-booked-{name}")).await;

        // The longest reason chosen, markup typed: shown back as typed, its words searched
        // for, nothing widens.
        let path = format!(
            "/dashboard/calls?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&reason={}",
            long_reason()
        );
        open(client, &app.url, &path, "calls").await;
        let typed = client
            .execute("return document.getElementById('q').value;", vec![])
            .await
            .unwrap();
        assert_eq!(typed, json!("<script>alert(1)</script>"));
        assert_eq!(listed(client).await, json!(["/dashboard/calls/call-odd"]));
        assert_form_fits(client, name).await;
        screenshot(client, &format!("search-long-reason-{name}")).await;
    }
    browser.close().await;
}
