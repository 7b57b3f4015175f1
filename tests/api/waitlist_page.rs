//! The waitlist on the console's Calls out page and in the stats: the times offered from the
//! waitlist (latest first, with their state, how many callers each was offered to, the number
//! called now and the booking made), the callers waiting (first come first), names as text;
//! behind sign-in like every page; and a time filled from the waitlist counted on its day.

use crate::{
    dashboard::{assert_clean, page, sign_in},
    outbound_page::{assert_refused_without_session, section},
    waitlist::{ANA, BEN, World, world},
};

/// A name with markup.
pub(crate) const SCRIPT_NAME: &str = "<script>alert(1)</script>";

/// A business with the waitlist on, Monday's 3 PM booked then cancelled, Ana (first) and a
/// caller with markup for a name waiting for Monday, after a pass that offers the time to Ana.
pub(crate) async fn offering_world() -> World {
    let w = world().await;
    let booked = w.app.book("Monday at 3pm", "Jamie Rivera").await;
    w.join(ANA, "Ana Lima", "Monday", Some("afternoon")).await;
    w.join(BEN, SCRIPT_NAME, "Monday", None).await;
    w.app.cancel(&booked.uid).await;
    w.pass().await;
    assert_eq!(w.offers_placed().len(), 1, "offered to Ana");
    w
}

#[tokio::test]
async fn the_calls_out_page_shows_the_waitlist_as_text() {
    let w = offering_world().await;
    let cookie = sign_in(&w.app).await;
    let (status, body) = page(&w.app, "/dashboard/outbound", &cookie).await;
    assert_eq!(status, 200);
    assert_clean("/dashboard/outbound", &body);
    let policy = section(&body, "policy");
    assert!(policy.contains("Waitlist: on"), "{policy}");

    let openings = section(&body, "openings");
    assert!(
        openings.contains("Times offered from the waitlist (1)"),
        "{openings}"
    );
    assert!(
        openings.contains(r#"<time class="call-time" datetime="2026-11-23T15:00:00-05:00">Mon, Nov 23, 3:00 PM</time>"#),
        "the time in the business's zone: {openings}"
    );
    assert!(
        openings.contains(r#"<span class="status state-offering">offering</span>"#),
        "{openings}"
    );
    assert!(openings.contains("1 caller<"), "{openings}");
    assert!(openings.contains(ANA), "offered now to Ana: {openings}");

    let waiting = section(&body, "waiting");
    assert!(waiting.contains("Waiting (2)"), "{waiting}");
    let ana = waiting.find("Ana Lima").expect("Ana waits");
    let ben = waiting.find(BEN).expect("Ben waits");
    assert!(ana < ben, "first come first: {waiting}");
    assert!(waiting.contains("Mon, Nov 23"), "{waiting}");
    assert!(waiting.contains("afternoon"), "{waiting}");
    assert!(waiting.contains("any time"), "{waiting}");
    assert!(waiting.contains("<code>wl_"), "{waiting}");
    assert!(
        waiting.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "the name as text: {waiting}"
    );
    assert!(!body.contains(SCRIPT_NAME), "no markup of a caller's");

    // Ana takes it: the time is filled, its booking linked, and Ana waits no more.
    let offer = w.offers_placed()[0].clone();
    w.end(&offer, "customer-ended-call", Some("accepted")).await;
    let opening = w.opening(crate::waitlist::MONDAY_3PM).await;
    let uid = opening.booked_uid.expect("booked");
    let (_, body) = page(&w.app, "/dashboard/outbound", &cookie).await;
    let openings = section(&body, "openings");
    assert!(
        openings.contains(r#"<span class="status state-filled">filled</span>"#),
        "{openings}"
    );
    assert!(
        openings.contains(&format!(
            r#"<a class="call-time" href="/dashboard/appointments?when=upcoming&#38;day=2026-11-23"><code>{uid}</code></a>"#
        )),
        "{openings}"
    );
    let waiting = section(&body, "waiting");
    assert!(waiting.contains("Waiting (1)"), "{waiting}");
    assert!(!waiting.contains("Ana Lima"), "{waiting}");
}

#[tokio::test]
async fn the_waitlist_needs_a_session() {
    let w = offering_world().await;
    assert_refused_without_session(&w.app, "Ana Lima").await;
}

#[tokio::test]
async fn a_time_filled_from_the_waitlist_is_counted_on_its_day() {
    let w = offering_world().await;
    let offer = w.offers_placed()[0].clone();
    w.end(&offer, "customer-ended-call", Some("accepted")).await;

    // Filled at the test clock's Saturday, November 21.
    let (status, stats) = w
        .app
        .admin("/api/stats?from=2026-11-21&to=2026-11-23")
        .await;
    assert_eq!(status, 200, "{stats}");
    assert_eq!(stats["days"][0]["day"], "2026-11-21");
    assert_eq!(stats["days"][0]["waitlistFills"], 1, "{stats}");
    assert_eq!(stats["days"][1]["waitlistFills"], 0, "{stats}");
    assert_eq!(stats["totals"]["waitlistFills"], 1, "{stats}");

    let cookie = sign_in(&w.app).await;
    let (status, body) = page(
        &w.app,
        "/dashboard/stats?from=2026-11-21&to=2026-11-21",
        &cookie,
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        body.contains(r#"<th scope="col">Waitlist fills</th>"#),
        "{body}"
    );
    assert!(
        body.contains(r#"<td data-label="Waitlist fills">1</td>"#),
        "{body}"
    );
}
