//! The console's links lead somewhere and agree with each other: every link on every page answers
//! 200 (a recording's address redirects to it); a call heard of only through its tool calls has a
//! Call page; an unknown address gets a not-found page inside the console; the Appointments page
//! names the call that last changed each appointment, as that call's page says; a Call page shows
//! what became of what it booked; a call shows the name its caller gave; filters that are not
//! numbers say so; calls that went silent are marked stale; Today's failures and appointments are
//! live.

use std::collections::{BTreeSet, VecDeque};

use serde_json::json;

use crate::{
    dashboard::{announced, assert_clean, client, page, seed_calls, sign_in},
    support::{CALLER, Options, TestApp, unlimited},
};

/// The `href`s of a page, unescaped, in order.
fn hrefs(body: &str) -> Vec<String> {
    body.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|h| h.replace("&#38;", "&").replace("&amp;", "&"))
        .collect()
}

/// Books `start` for Pat Caller on the VAPI call `call_id`, as CALLER; the new uid.
async fn book_on(app: &TestApp, call_id: &str, start: &str) -> String {
    let answer = app
        .call_on(
            call_id,
            "appointment_create",
            json!({"start": start, "attendeeName": "Pat Caller"}),
            Some(CALLER),
        )
        .await
        .ok();
    answer["appointment"]["appointmentId"]
        .as_str()
        .unwrap_or_else(|| panic!("a booking: {answer}"))
        .to_owned()
}

/// Cancels `uid` on the VAPI call `call_id`, as CALLER.
async fn cancel_on(app: &TestApp, call_id: &str, uid: &str) {
    app.call_on(
        call_id,
        "appointment_cancel",
        json!({"appointmentId": uid}),
        Some(CALLER),
    )
    .await
    .ok();
}

#[tokio::test]
async fn every_link_on_every_page_answers_200() {
    let app = TestApp::spawn_with(Options {
        tweak: Some(unlimited),
        ..Options::default()
    })
    .await;
    app.seed("walk-in", "2026-11-23T15:00:00Z", Some(CALLER), None);
    app.seed("yesterday", "2026-11-20T15:00:00Z", Some(CALLER), None);
    app.reconcile().await;
    seed_calls(&app).await;
    // A call VAPI sent no status message for: only its tool calls.
    book_on(&app, "call-quiet", "2026-11-25T15:00").await;
    cancel_on(&app, "call-quiet", "walk-in").await;
    let cookie = sign_in(&app).await;

    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<(String, String)> = [
        "/dashboard",
        "/dashboard/calls",
        "/dashboard/appointments",
        "/dashboard/appointments?when=past",
        "/dashboard/stats",
    ]
    .into_iter()
    .map(|p| (p.to_owned(), "start".to_owned()))
    .collect();
    while let Some((path, from)) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        assert!(seen.len() < 300, "the console's links keep going: {seen:?}");
        let (status, body) = page(&app, &path, &cookie).await;
        // A recording address sends the player on to the recording's storage (see the
        // recording tests); the rest are pages and files here.
        if path.ends_with("/recording") {
            assert_eq!(status, 307, "{path} (linked from {from})");
            continue;
        }
        assert_eq!(status, 200, "{path} (linked from {from}) answers {status}");
        // Files, not pages: nothing in them to check as HTML or follow.
        if path.starts_with("/dashboard/assets/")
            || path == "/favicon.ico"
            || path.split('?').next().is_some_and(|p| p.ends_with(".csv"))
        {
            continue;
        }
        assert_clean(&path, &body);
        for href in hrefs(&body) {
            if href.starts_with('/') {
                queue.push_back((href, path.clone()));
            } else {
                assert!(
                    href.starts_with("https://") || href.starts_with('#'),
                    "{path} links to {href}"
                );
            }
        }
    }
    for expected in [
        "/dashboard/calls/call-1",
        "/dashboard/calls/call-live",
        "/dashboard/calls/call-quiet",
        "/dashboard/assets/style.css",
        "/dashboard/assets/icon.svg",
        "/dashboard/calls.csv",
        "/dashboard/appointments.csv?when=past",
        "/dashboard/calls/call-1/recording",
    ] {
        assert!(seen.contains(expected), "{expected} is linked: {seen:?}");
    }
}

#[tokio::test]
async fn a_call_heard_of_only_through_its_tool_calls_has_a_call_page() {
    let app = TestApp::spawn().await;
    let uid = book_on(&app, "call-quiet", "2026-11-24T15:00").await;
    let cookie = sign_in(&app).await;

    let (status, call) = page(&app, "/dashboard/calls/call-quiet", &cookie).await;
    assert_eq!(status, 200, "{call}");
    assert_clean("/dashboard/calls/call-quiet", &call);
    assert!(call.contains("<code>appointment_create</code>"), "{call}");
    assert!(call.contains(CALLER), "the caller's number: {call}");
    assert!(call.contains(&format!("<code>{uid}</code>")), "{call}");

    let (_, calls) = page(&app, "/dashboard/calls", &cookie).await;
    assert!(
        calls.contains(r#"href="/dashboard/calls/call-quiet""#),
        "{calls}"
    );
    let (_, appointments) = page(&app, "/dashboard/appointments", &cookie).await;
    assert!(
        appointments
            .contains(r#"<a class="call-time" href="/dashboard/calls/call-quiet" title="Call call-quiet">Sat, Nov 21, 10:00 AM</a>"#),
        "{appointments}"
    );

    // The status messages that arrive later fill the same record in.
    app.message(
        json!({"type": "status-update", "status": "ended", "endedReason": "customer-ended-call",
        "call": {"id": "call-quiet", "type": "inboundPhoneCall"}, "customer": {"number": CALLER}}),
    )
    .await;
    let (_, call) = page(&app, "/dashboard/calls/call-quiet", &cookie).await;
    assert!(call.contains("customer-ended-call"), "{call}");
    assert!(call.contains("<code>appointment_create</code>"), "{call}");
}

#[tokio::test]
async fn an_unknown_address_gets_the_not_found_page_and_the_favicon_is_served() {
    let app = TestApp::spawn().await;
    let cookie = sign_in(&app).await;

    for (path, sentence) in [
        (
            "/dashboard/calls/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "There is no record of a call with the id “&#60;script&#62;alert(1)&#60;/script&#62;”.",
        ),
        (
            "/dashboard/no-such-page",
            "There is no page at this address.",
        ),
        ("/dashboard/calls/x/y", "There is no page at this address."),
    ] {
        let resp = client()
            .get(format!("{}{path}", app.url))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 404, "{path}");
        assert!(
            resp.headers()["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("default-src 'none'")
        );
        let body = resp.text().await.unwrap();
        assert_clean(path, &body);
        assert!(body.contains(r#"data-page="not-found""#), "{body}");
        assert!(body.contains("<h1>Not found</h1>"), "{body}");
        assert!(body.contains(sentence), "{sentence} in {body}");
        assert!(!body.contains("<script>"), "{body}");
        assert!(
            body.contains(r#"<a href="/dashboard/calls">Calls</a>"#),
            "the navigation"
        );
    }

    // Without a session, an unknown address is the sign-in page's business like any other.
    let resp = client()
        .get(format!("{}/dashboard/no-such-page", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/dashboard/sign-in");

    let (_, today) = page(&app, "/dashboard", &cookie).await;
    assert!(
        today.contains(
            r#"<link rel="icon" href="/dashboard/assets/icon.svg" type="image/svg+xml">"#
        ),
        "{today}"
    );
    for path in ["/favicon.ico", "/dashboard/assets/icon.svg"] {
        let resp = client()
            .get(format!("{}{path}", app.url))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{path}");
        assert_eq!(resp.headers()["content-type"], "image/svg+xml", "{path}");
        assert!(resp.text().await.unwrap().starts_with("<svg"));
    }
}

#[tokio::test]
async fn the_appointments_call_column_names_the_call_that_last_changed_each_appointment() {
    let app = TestApp::spawn().await;
    app.seed("walk-in", "2026-11-23T15:00:00Z", Some(CALLER), None);
    app.reconcile().await;
    let booked = book_on(&app, "call-a", "2026-11-24T15:00").await;
    // Another call cancels both: the one call-a booked, and one booked in Cal.com directly.
    cancel_on(&app, "call-b", &booked).await;
    cancel_on(&app, "call-b", "walk-in").await;
    let cookie = sign_in(&app).await;

    let (_, call_b) = page(&app, "/dashboard/calls/call-b", &cookie).await;
    for uid in [booked.as_str(), "walk-in"] {
        assert!(call_b.contains(&format!("<code>{uid}</code>")), "{call_b}");
    }
    let (_, appointments) = page(&app, "/dashboard/appointments", &cookie).await;
    let row_of = |uid: &str| -> String {
        let at = appointments
            .find(&format!("<code>{uid}</code>"))
            .unwrap_or_else(|| panic!("{uid} listed: {appointments}"));
        let end = appointments[at..].find("</tr>").unwrap() + at;
        appointments[at..end].to_owned()
    };
    for uid in [booked.as_str(), "walk-in"] {
        assert!(
            row_of(uid).contains(
                r#"<a class="call-time" href="/dashboard/calls/call-b" title="Call call-b">"#
            ),
            "{uid}'s row names call-b: {}",
            row_of(uid)
        );
    }
}

#[tokio::test]
async fn a_call_page_shows_what_became_of_what_it_booked() {
    let app = TestApp::spawn().await;
    let uid = seed_calls(&app).await;
    let cookie = sign_in(&app).await;
    let (_, before) = page(&app, "/dashboard/calls/call-1", &cookie).await;
    assert!(!before.contains("cancelled later"), "{before}");
    // Named by its title and time, the booking id beside it.
    assert!(
        before.contains(&format!(
            ", Tuesday, November 24, 2026 at 3:00 PM EST</a> <code>{uid}</code>"
        )),
        "{before}"
    );

    app.clock.advance(chrono::Duration::days(1));
    cancel_on(&app, "call-2", &uid).await;
    // A day on, the first session has expired.
    let cookie = sign_in(&app).await;
    let (status, after) = page(&app, "/dashboard/calls/call-1", &cookie).await;
    assert_eq!(status, 200, "{after}");
    assert!(
        after.contains(
            r#"<span class="status status-booked">booked</span> → <span class="status status-cancelled">cancelled later</span>"#
        ),
        "{after}"
    );
    assert!(
        after.contains(
            r#"Cancelled on Sunday, November 22, 2026 at 10:00 AM EST, by <a href="/dashboard/calls/call-2">another call</a>."#
        ),
        "{after}"
    );
    // The call that cancelled it says just that.
    let (_, call_2) = page(&app, "/dashboard/calls/call-2", &cookie).await;
    assert!(
        call_2.contains(r#"<span class="status status-cancelled">cancelled</span> <a"#),
        "{call_2}"
    );
    assert!(!call_2.contains("later"), "{call_2}");
}

#[tokio::test]
async fn the_call_page_counts_lines_and_tool_calls() {
    let app = TestApp::spawn().await;
    seed_calls(&app).await;
    let cookie = sign_in(&app).await;
    let (_, call) = page(&app, "/dashboard/calls/call-1", &cookie).await;
    assert!(
        call.contains("Transcript and tool calls (4 lines, 2 tool calls)"),
        "{call}"
    );
    let (_, live) = page(&app, "/dashboard/calls/call-live", &cookie).await;
    assert!(
        live.contains("Transcript and tool calls (0 lines, 0 tool calls)"),
        "{live}"
    );
}

#[tokio::test]
async fn a_number_filter_that_is_not_a_number_is_refused_visibly() {
    let app = TestApp::spawn().await;
    seed_calls(&app).await;
    let cookie = sign_in(&app).await;
    for (path, field) in [
        ("/dashboard/calls", "number"),
        ("/dashboard/appointments", "phone"),
    ] {
        let url = format!("{path}?{field}=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
        let (status, body) = page(&app, &url, &cookie).await;
        assert_eq!(status, 200);
        assert_clean(&url, &body);
        assert!(
            body.contains(
                "“&#60;script&#62;alert(1)&#60;/script&#62;” is not a phone number (digits, spaces and + - . ( ) only); showing every number."
            ),
            "{body}"
        );
        assert!(!body.contains("<script>"), "{body}");
    }
    let (_, calls) = page(
        &app,
        "/dashboard/calls?number=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        &cookie,
    )
    .await;
    assert!(
        calls.contains(r#"href="/dashboard/calls/call-1""#)
            && calls.contains(r#"href="/dashboard/calls/call-live""#),
        "every call, unfiltered: {calls}"
    );
    // A number as people write it still filters.
    let (_, by_number) = page(
        &app,
        "/dashboard/calls?number=%2B1%20(555)%20765-4321",
        &cookie,
    )
    .await;
    assert!(by_number.contains(r#"href="/dashboard/calls/call-live""#));
    assert!(!by_number.contains(r#"href="/dashboard/calls/call-1""#));
    assert!(!by_number.contains("is not a phone number"), "{by_number}");
}

#[tokio::test]
async fn a_call_in_progress_with_no_word_for_an_hour_is_marked_stale() {
    let app = TestApp::spawn().await;
    seed_calls(&app).await;
    let cookie = sign_in(&app).await;
    let (_, fresh) = page(&app, "/dashboard", &cookie).await;
    assert!(fresh.contains("Calls today (2, 1 in progress)"), "{fresh}");
    assert!(!fresh.contains("stale"), "{fresh}");

    app.clock.advance(chrono::Duration::minutes(150));
    let (_, today) = page(&app, "/dashboard", &cookie).await;
    assert!(today.contains("Calls today (2)"), "{today}");
    assert!(
        today.contains(r#"<span class="stale">stale: no word for 2 h</span>"#),
        "{today}"
    );
    let (_, call) = page(&app, "/dashboard/calls/call-live", &cookie).await;
    assert!(call.contains("stale: no word for 2 h"), "{call}");
    let (_, ended) = page(&app, "/dashboard/calls/call-1", &cookie).await;
    assert!(!ended.contains("stale"), "an ended call is never stale");
}

#[tokio::test]
async fn calls_show_the_name_the_caller_gave() {
    let app = TestApp::spawn().await;
    seed_calls(&app).await;
    let cookie = sign_in(&app).await;
    for path in ["/dashboard", "/dashboard/calls"] {
        let (_, body) = page(&app, path, &cookie).await;
        assert!(
            body.contains(
                r#"<td class="free" data-label="Caller">Pat Caller<br>+15551234567</td>"#
            ),
            "{path}: {body}"
        );
        // call-live booked nothing: its number alone.
        assert!(
            body.contains(r#"<td class="free" data-label="Caller">+15557654321</td>"#),
            "{path}: {body}"
        );
    }
    let (_, call) = page(&app, "/dashboard/calls/call-1", &cookie).await;
    assert!(
        call.contains("<dt>Caller</dt><dd>Pat Caller, +15551234567</dd>"),
        "{call}"
    );
}

#[tokio::test]
async fn todays_failures_and_appointments_are_live() {
    let app = TestApp::spawn().await;
    seed_calls(&app).await;
    let cookie = sign_in(&app).await;
    let (_, today) = page(&app, "/dashboard", &cookie).await;
    for part in [
        r#"<div id="failing-live" data-live"#,
        r#"<section id="calls" data-live"#,
        r#"<section id="appointments-today" data-live"#,
    ] {
        assert!(today.contains(part), "{part} in {today}");
    }

    // A tool call fails on a call already listed: the call itself does not change.
    assert!(
        announced(&app, &cookie, async {
            app.cancel_refusal("no-such-booking").await;
        })
        .await,
        "a failed tool call is announced"
    );
    // An appointment for today arrives from Cal.com.
    assert!(
        announced(&app, &cookie, async {
            app.seed("walk-in", "2026-11-21T20:00:00Z", Some(CALLER), None);
            app.reconcile().await;
        })
        .await,
        "a new appointment today is announced"
    );
    let (_, today) = page(&app, "/dashboard", &cookie).await;
    assert!(today.contains("Appointments today (1)"), "{today}");
    // Both failed tool calls were the caller's mistakes: counted live, not listed as failing.
    assert!(
        today.contains("Callers got something wrong 2 times today"),
        "{today}"
    );
}
