//! The Calls out page and the appointments' reminder notes in a real headless Chromium at a
//! laptop's width (1366 px) and a phone's (390 px): a long name, a 40-character number and
//! markup in a name, a uid and a detail are shown as text and widen nothing; on a phone the
//! tables become cards with the due time, the state and the outcome on screen. Screenshots go to
//! `target/screenshots/outbound-*.png`.
//!
//! Runs like the other browser tests (see `browser.rs`): skipped without Chromium unless
//! `VAPI_CAL_BROWSER_TESTS=required`.

use fantoccini::Client;
use serde_json::{Value, json};

use crate::{
    browser::{screenshot, start, text_of},
    browser_layout::{WIDTHS, assert_in_view, open, signed_in, widths},
    outbound_page::{HOSTILE_NAME, HOSTILE_UID, calling_business, long_phone, seed_calls_out},
};

/// The text of every element `css` finds, in order.
pub(crate) async fn texts(client: &Client, css: &str) -> Value {
    client
        .execute(
            "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent);",
            vec![json!(css)],
        )
        .await
        .unwrap()
}

/// Asserts that no markup of the page's text became an element (a script or an image).
pub(crate) async fn assert_no_markup(client: &Client) {
    let scripts = client
        .execute(
            "return document.querySelectorAll('main script, main img').length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(scripts, json!(0));
}

/// Scrolls the first element `css` finds into view.
pub(crate) async fn scroll_to(client: &Client, css: &str) {
    client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView();",
            vec![json!(css)],
        )
        .await
        .unwrap();
}

/// Asserts that nothing is wider than the screen.
pub(crate) async fn assert_fits(client: &Client, what: &str) {
    let (full, shown) = widths(client).await;
    assert!(full <= shown, "{what}: {full} px wide, shown in {shown} px");
}

#[tokio::test]
async fn calls_out_with_hostile_text_fit_a_laptop_and_a_phone() {
    let Some(browser) = start().await else {
        return;
    };
    let client = &browser.client;
    let (app, _vapi) = calling_business().await;
    seed_calls_out(&app).await;
    signed_in(client, &app).await;

    for (width, height, name) in WIDTHS {
        client.set_window_size(width, height).await.unwrap();
        open(client, &app.url, "/dashboard/outbound", "outbound").await;
        assert_fits(client, name).await;
        let policy = text_of(client, "#policy").await;
        assert!(policy.contains("At most 2 calls at once"), "{policy}");

        // The hostile row: markup as text, no script of it in the page.
        let who = texts(client, "#next td[data-label=Who]").await;
        let who = who[0].as_str().unwrap_or_default();
        assert!(who.contains(HOSTILE_NAME), "{who}");
        assert!(who.contains(&long_phone()), "{who}");
        let uid = texts(client, "#next td[data-label=Appointment] code").await;
        assert_eq!(uid, json!([HOSTILE_UID]));
        assert_no_markup(client).await;

        // What matters of each row is on screen, however long its neighbours are.
        for cell in [
            "#next td[data-label=Due]",
            "#next td[data-label=Who]",
            "#next td[data-label=State]",
            "#next td[data-label=Detail]",
            "#latest td[data-label=Due]",
            "#latest td[data-label=Outcome]",
            "#latest td[data-label=Call] a",
        ] {
            assert_in_view(client, cell, false, name).await;
        }
        assert_eq!(
            texts(client, "#latest td[data-label=Outcome]").await,
            json!([
                "—0 calls placed",
                "call failed1 call placed",
                "confirmed1 call placed"
            ])
        );
        if name == "desktop" {
            // On a laptop the tables fit the page: no sideways scroll inside them either.
            let scrolls = client
                .execute(
                    "return [...document.querySelectorAll('.table-wrap')]\
                       .filter(w => w.scrollWidth > w.clientWidth).length;",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(scrolls, json!(0), "a table scrolls sideways");
        }
        assert_eq!(
            texts(client, "#latest td[data-label=Call] a").await,
            json!(["call-out-1"])
        );
        screenshot(client, &format!("outbound-{name}")).await;
        scroll_to(client, "#latest").await;
        screenshot(client, &format!("outbound-latest-{name}")).await;
    }
    browser.close().await;
}

#[tokio::test]
async fn appointment_rows_show_their_reminder_at_laptop_and_phone_width() {
    let Some(browser) = start().await else {
        return;
    };
    let client = &browser.client;
    let (app, _vapi) = calling_business().await;
    app.book("Monday at 3pm", "Jamie Rivera").await;
    app.outbound.run_once(false).await.expect("a pass");
    signed_in(client, &app).await;

    for (width, height, name) in WIDTHS {
        client.set_window_size(width, height).await.unwrap();
        open(client, &app.url, "/dashboard/appointments", "appointments").await;
        assert_fits(client, name).await;
        let note = text_of(client, "table.appointments span.reminder").await;
        assert_eq!(note, "reminder due Sun, Nov 22, 3:00 PM");
        assert_in_view(client, "table.appointments span.reminder", false, name).await;
        screenshot(client, &format!("outbound-appointments-{name}")).await;
    }
    browser.close().await;
}
