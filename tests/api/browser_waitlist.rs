//! The waitlist on the Calls out page, and the stats table with its waitlist fills, in a real
//! headless Chromium at a laptop's width (1280 px) and a phone's (390 px): a time being offered,
//! the callers waiting with markup and a very long word in their names, shown as text and
//! widening nothing; the stats table scrolls inside its own box when it is wider than the
//! screen, never the page. Screenshots go to `target/screenshots/waitlist-*.png`.
//!
//! Runs like the other browser tests (see `browser.rs`): skipped without Chromium unless
//! `VAPI_CAL_BROWSER_TESTS=required`.

use serde_json::json;

use crate::{
    browser::{screenshot, start, text_of},
    browser_layout::{assert_in_view, open, signed_in},
    browser_outbound::{assert_fits, assert_no_markup, scroll_to, texts},
    outbound_page::HOSTILE_NAME,
    waitlist_page::{SCRIPT_NAME, offering_world},
};

/// A laptop's and a phone's screens.
const SCREENS: [(u32, u32, &str); 2] = [(1280, 800, "desktop"), (390, 844, "phone")];

#[tokio::test]
async fn the_waitlist_fits_a_laptop_and_a_phone() {
    let Some(browser) = start().await else {
        return;
    };
    let client = &browser.client;
    let w = offering_world().await;
    w.join("+15550005555", HOSTILE_NAME, "Monday", Some("afternoon"))
        .await;
    signed_in(client, &w.app).await;

    for (width, height, name) in SCREENS {
        client.set_window_size(width, height).await.unwrap();
        open(client, &w.app.url, "/dashboard/outbound", "outbound").await;
        assert_fits(client, name).await;
        let policy = text_of(client, "#policy").await;
        assert!(policy.contains("Waitlist: on"), "{policy}");
        assert_eq!(
            texts(client, "#openings td[data-label=State]").await,
            json!(["offering"])
        );
        assert_eq!(
            texts(client, "#openings td[data-label=Offered]").await,
            json!(["1 caller"])
        );
        let who = texts(client, "#waiting td[data-label=Who]").await;
        assert!(
            who[1].as_str().unwrap_or_default().contains(SCRIPT_NAME),
            "{who}"
        );
        assert!(
            who[2].as_str().unwrap_or_default().contains(HOSTILE_NAME),
            "{who}"
        );
        assert_no_markup(client).await;
        for cell in [
            "#openings td[data-label=Time]",
            "#openings td[data-label=State]",
            "#openings td[data-label=Detail]",
            "#waiting td[data-label=Who]",
            "#waiting td[data-label=Days]",
            "#waiting td[data-label=Joined]",
        ] {
            assert_in_view(client, cell, true, name).await;
        }
        scroll_to(client, "#openings").await;
        screenshot(client, &format!("waitlist-{name}")).await;
    }

    // Filled: the stats table counts it, and however many columns it has, the page keeps the
    // screen's width (the table scrolls in its own box).
    let offer = w.offers_placed()[0].clone();
    w.end(&offer, "customer-ended-call", Some("accepted")).await;
    for (width, height, name) in SCREENS {
        client.set_window_size(width, height).await.unwrap();
        open(
            client,
            &w.app.url,
            "/dashboard/stats?from=2026-11-15&to=2026-11-21",
            "stats",
        )
        .await;
        assert_fits(client, &format!("stats {name}")).await;
        let fills = texts(client, "table.stats td[data-label='Waitlist fills']").await;
        assert_eq!(fills.as_array().and_then(|f| f.last()), Some(&json!("1")));
        scroll_to(client, "table.stats").await;
        screenshot(client, &format!("waitlist-stats-{name}")).await;
        // Its last columns, scrolled to inside the table's own box when it is wider.
        client
            .execute(
                "const t = document.querySelector('table.stats'); \
                 t.closest('.table-wrap').scrollLeft = t.scrollWidth; \
                 t.querySelector('tfoot td:last-child').scrollIntoView({block: 'nearest'});",
                vec![],
            )
            .await
            .unwrap();
        assert_in_view(client, "table.stats tfoot td:last-child", false, name).await;
        screenshot(client, &format!("waitlist-stats-end-{name}")).await;
    }
    browser.close().await;
}
