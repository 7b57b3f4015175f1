//! The dashboard over HTTP: 404 without ADMIN_TOKEN, sign-in with a strict cookie, every page
//! redirecting without a session, well-formed pages that show no secret, appointments by day in
//! the business's zone, filters and paging; calls with their transcript and tool calls in place,
//! today's calls and what is failing, and the stats as a table and SVG charts.

use serde_json::json;

use crate::{
    html,
    support::{ADMIN_TOKEN, API_KEY, CALLER, Options, TestApp, WEBHOOK_SECRET},
};

const PAGES: &[&str] = &[
    "/dashboard",
    "/dashboard/calls",
    "/dashboard/calls/call-1",
    "/dashboard/appointments",
    "/dashboard/stats",
    "/dashboard/failures",
    "/dashboard/outbound",
];

/// Seeds the call `call-1` from CALLER, as VAPI reports it: in progress, a booking tool call,
/// a cancel that fails, then the end-of-call report with its transcript; and `call-live` from
/// another number, still in progress. Returns the booked appointment's uid.
pub async fn seed_calls(app: &TestApp) -> String {
    let start = app.clock.now();
    let ms = |secs: i64| (start + chrono::Duration::seconds(secs)).timestamp_millis();
    let iso = |secs: i64| vapi_cal::db::ts(start + chrono::Duration::seconds(secs));
    app.message(
        json!({"type": "status-update", "status": "in-progress", "timestamp": ms(0),
        "call": {"id": "call-1", "type": "inboundPhoneCall"}, "customer": {"number": CALLER}}),
    )
    .await;
    app.clock.advance(chrono::Duration::seconds(10));
    let uid = app.book("2026-11-24T15:00", "Pat Caller").await.uid;
    app.clock.advance(chrono::Duration::seconds(5));
    app.refusal(
        "appointment_cancel",
        json!({"appointmentId": "no-such-booking"}),
    )
    .await;
    app.clock.advance(chrono::Duration::seconds(30));
    app.message(json!({
        "type": "end-of-call-report", "timestamp": ms(45), "endedReason": "customer-ended-call",
        "startedAt": iso(0), "endedAt": iso(45), "cost": 0.1432,
        "analysis": {"summary": "Booked a consultation for Tuesday at 3:00 PM.", "successEvaluation": "true"},
        "artifact": {
            "messages": [
                {"role": "bot", "message": "Thanks for calling, how can I help?", "secondsFromStart": 1.0},
                {"role": "user", "message": "I'd like to book Tuesday at three.", "secondsFromStart": 4.0},
                {"role": "bot", "message": "You're booked for Tuesday at 3:00 PM.", "secondsFromStart": 20.0},
                {"role": "user", "message": "Thanks, bye.", "secondsFromStart": 30.0}
            ],
            "recordingUrl": "https://storage.vapi.ai/call-1-mono.wav"
        },
        "call": {"id": "call-1", "type": "inboundPhoneCall"},
        "customer": {"number": CALLER}
    }))
    .await;
    app.message(json!({"type": "status-update", "status": "in-progress", "timestamp": ms(40),
        "call": {"id": "call-live", "type": "inboundPhoneCall"}, "customer": {"number": "+15557654321"}}))
        .await;
    uid
}

/// Seeds 30 upcoming appointments, `up-00` to `up-29`, ten a day from 2 PM UTC on November 22,
/// 23 and 24, all from CALLER but `up-07` (2026-11-22 21:00 UTC) from +15557654321.
pub fn seed_upcoming(app: &TestApp) {
    for i in 0..30 {
        let day = 22 + i / 10;
        let hour = 14 + i % 10;
        let phone = if i == 7 { "+15557654321" } else { CALLER };
        app.seed(
            &format!("up-{i:02}"),
            &format!("2026-11-{day}T{hour:02}:00:00Z"),
            Some(phone),
            None,
        );
    }
}

/// A client that shows redirects instead of following them.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub async fn post_token(app: &TestApp, token: &str) -> reqwest::Response {
    client()
        .post(format!("{}/dashboard/sign-in", app.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("token={token}"))
        .send()
        .await
        .unwrap()
}

/// Signs in and returns the `name=value` of the session cookie.
pub async fn sign_in(app: &TestApp) -> String {
    let resp = post_token(app, ADMIN_TOKEN).await;
    assert_eq!(resp.status(), 303);
    let set_cookie = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
    set_cookie.split(';').next().unwrap().to_owned()
}

pub async fn page(app: &TestApp, path: &str, cookie: &str) -> (u16, String) {
    let resp = client()
        .get(format!("{}{path}", app.url))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

/// The address of the first link of `body` whose opening tag ends in `start` (up to its
/// `href="`), as the browser follows it.
pub fn href_after(body: &str, start: &str) -> String {
    body.split(start)
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("a link {start}"))
        .replace("&#38;", "&")
}

/// The "Older" link of a list page, as the browser follows it.
pub fn next_link(body: &str) -> String {
    href_after(body, r#"rel="next" href=""#)
}

#[track_caller]
pub fn assert_clean(path: &str, body: &str) {
    if let Err(problem) = html::check(body) {
        panic!("{path} is not well-formed: {problem}\n{body}");
    }
    for secret in [ADMIN_TOKEN, API_KEY, WEBHOOK_SECRET, "whsec-previous"] {
        assert!(!body.contains(secret), "{path} shows a secret");
    }
}

#[tokio::test]
async fn without_admin_token_the_dashboard_is_404() {
    let app = TestApp::spawn_with(Options {
        admin_token: None,
        ..Options::default()
    })
    .await;
    for path in PAGES
        .iter()
        .chain(&["/dashboard/sign-in", "/dashboard/assets/style.css"])
    {
        let (status, _) = page(&app, path, "").await;
        assert_eq!(status, 404, "{path}");
    }
    assert_eq!(post_token(&app, ADMIN_TOKEN).await.status(), 404);
}

#[tokio::test]
async fn every_page_redirects_to_sign_in_without_a_valid_session() {
    let app = TestApp::spawn().await;
    for path in PAGES {
        for cookie in [
            "",
            "vapi_cal_session=v1.9999999999.abc.forged",
            "vapi_cal_session=",
        ] {
            let resp = client()
                .get(format!("{}{path}", app.url))
                .header("cookie", cookie)
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 303, "{path} with {cookie:?}");
            assert_eq!(resp.headers()["location"], "/dashboard/sign-in");
        }
    }
    let (status, body) = page(&app, "/dashboard/sign-in", "").await;
    assert_eq!(status, 200);
    assert_clean("/dashboard/sign-in", &body);
    assert!(body.contains(r#"<label for="token">Admin token</label>"#));
    assert!(
        body.contains(r#"method="post""#),
        "the token goes in a POST body, never a URL"
    );
}

#[tokio::test]
async fn a_wrong_token_is_refused_and_sets_no_cookie() {
    let app = TestApp::spawn().await;
    let resp = post_token(&app, "not-the-token").await;
    assert_eq!(resp.status(), 401);
    assert!(resp.headers().get("set-cookie").is_none());
    let body = resp.text().await.unwrap();
    assert!(body.contains("That is not the admin token."), "{body}");
    assert!(
        !body.contains("not-the-token"),
        "the typed token is not echoed"
    );
    assert_clean("sign-in error", &body);
}

#[tokio::test]
async fn sign_in_sets_a_strict_http_only_cookie_and_sign_out_ends_it() {
    let app = TestApp::spawn().await;
    let resp = post_token(&app, ADMIN_TOKEN).await;
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/dashboard");
    let set_cookie = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        set_cookie.starts_with("vapi_cal_session=v1."),
        "{set_cookie}"
    );
    for flag in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/dashboard",
        "Max-Age=43200",
    ] {
        assert!(set_cookie.contains(flag), "{flag} in {set_cookie}");
    }
    assert!(
        !set_cookie.contains("Secure"),
        "PUBLIC_URL is not https here: {set_cookie}"
    );
    assert!(!set_cookie.contains(ADMIN_TOKEN));
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    // A call's page needs a call; the calls tests open those.
    for path in PAGES.iter().filter(|p| !p.contains("/calls/")) {
        let (status, body) = page(&app, path, &cookie).await;
        assert_eq!(status, 200, "{path}");
        assert_clean(path, &body);
    }
    let out = client()
        .post(format!("{}/dashboard/sign-out", app.url))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    assert_eq!(out.headers()["location"], "/dashboard/sign-in");
    assert!(
        out.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
}

#[tokio::test]
async fn today_shows_the_local_days_appointments_and_the_last_reconcile() {
    // Saturday, November 21, 2026, 10:00 AM in New York.
    let app = TestApp::spawn().await;
    app.seed("today-late", "2026-11-21T21:30:00Z", Some(CALLER), None); // 4:30 PM
    app.seed(
        "today-early",
        "2026-11-21T14:00:00Z",
        Some("+15557654321"),
        None,
    ); // 9:00 AM
    app.seed(
        "tonight-utc-tomorrow",
        "2026-11-22T03:00:00Z",
        Some(CALLER),
        None,
    ); // 10 PM Sat
    app.seed("tomorrow", "2026-11-22T15:00:00Z", Some(CALLER), None);
    let cookie = sign_in(&app).await;
    let (_, before) = page(&app, "/dashboard", &cookie).await;
    assert!(before.contains("never: run"), "{before}");
    app.reconcile().await;
    let (status, body) = page(&app, "/dashboard", &cookie).await;
    assert_eq!(status, 200);
    assert_clean("/dashboard", &body);
    assert!(body.contains("Saturday, November 21, 2026"), "{body}");
    assert!(body.contains("America/New_York (EST)"), "{body}");
    assert!(body.contains("Appointments today (3)"), "{body}");
    let early = body.find("9:00 AM – 9:30 AM").expect("9 AM row");
    let late = body.find("4:30 PM – 5:00 PM").expect("4:30 PM row");
    assert!(early < late, "soonest first");
    assert!(
        body.contains("10:00 PM – 10:30 PM"),
        "a UTC-tomorrow evening is still today here"
    );
    assert!(!body.contains("<code>tomorrow</code>"));
    assert!(
        body.contains("Saturday, November 21, 2026 at 10:00 AM EST (0 min ago)"),
        "{body}"
    );
    assert!(body.contains(r#"id="calls""#));
}

#[tokio::test]
async fn appointments_are_listed_by_day_with_filters_and_paging() {
    let app = TestApp::spawn().await;
    // 30 upcoming appointments over three days, one of them cancelled, one for another number.
    seed_upcoming(&app);
    app.seed("gone-by", "2026-11-20T15:00:00Z", Some(CALLER), None);
    app.reconcile().await;
    let (status, _) = app
        .cal_api_post(
            "/v2/bookings/up-03/cancel",
            serde_json::json!({"cancellationReason": "ill"}),
        )
        .await;
    assert_eq!(status, 200);
    app.reconcile().await;
    let cookie = sign_in(&app).await;

    let (_, first) = page(&app, "/dashboard/appointments", &cookie).await;
    assert_clean("appointments", &first);
    assert_eq!(first.matches("<code>up-").count(), 25, "one page of 25");
    assert!(first.contains(r#"scope="rowgroup" colspan="6">Sunday, November 22, 2026</th>"#));
    assert!(first.contains("Monday, November 23, 2026"));
    assert!(!first.contains("gone-by"), "past ones are not upcoming");
    assert!(
        first.contains(r#"rel="next" href="/dashboard/appointments?when=upcoming&#38;page=2""#),
        "{first}"
    );
    let (_, second) = page(
        &app,
        "/dashboard/appointments?when=upcoming&page=2",
        &cookie,
    )
    .await;
    assert_eq!(second.matches("<code>up-").count(), 5);
    assert!(second.contains(r#"rel="prev""#) && !second.contains(r#"rel="next""#));

    let (_, past) = page(&app, "/dashboard/appointments?when=past", &cookie).await;
    assert!(past.contains("<code>gone-by</code>") && !past.contains("<code>up-"));
    assert!(past.contains("Friday, November 20, 2026"));

    let (_, cancelled) = page(&app, "/dashboard/appointments?status=cancelled", &cookie).await;
    assert_eq!(cancelled.matches("<code>up-").count(), 1);
    assert!(cancelled.contains("<code>up-03</code>"));
    assert!(cancelled.contains(r#"<option value="cancelled" selected>"#));

    let (_, by_phone) = page(
        &app,
        "/dashboard/appointments?phone=(555)%20765-4321",
        &cookie,
    )
    .await;
    assert_eq!(by_phone.matches("<code>up-").count(), 1, "{by_phone}");
    assert!(by_phone.contains("<code>up-07</code>"));

    let (_, one_day) = page(&app, "/dashboard/appointments?day=2026-11-24", &cookie).await;
    assert_eq!(one_day.matches("<code>up-").count(), 10);
    assert!(one_day.contains("Tuesday, November 24, 2026"));

    let (status, bad) = page(
        &app,
        "/dashboard/appointments?day=tomorrowish&status=lost",
        &cookie,
    )
    .await;
    assert_eq!(status, 200, "bad filters are explained, not an error page");
    assert_clean("bad filters", &bad);
    assert!(bad.contains("“tomorrowish” is not a date"), "{bad}");
    assert!(bad.contains("“lost” is not a status"));
}

#[tokio::test]
async fn the_stylesheet_is_embedded() {
    let app = TestApp::spawn().await;
    let resp = client()
        .get(format!("{}/dashboard/assets/style.css", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "text/css; charset=utf-8");
    assert!(resp.text().await.unwrap().contains(":root"));
    let (status, _) = page(&app, "/dashboard/assets/nothing.js", "").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn calls_are_listed_and_a_call_shows_its_transcript_with_tool_calls_in_place() {
    let app = TestApp::spawn().await;
    let booked = seed_calls(&app).await;
    let cookie = sign_in(&app).await;

    let (status, list) = page(&app, "/dashboard/calls", &cookie).await;
    assert_eq!(status, 200);
    assert_clean("/dashboard/calls", &list);
    assert!(list.contains(r#"<a href="/dashboard/calls" aria-current="page">Calls</a>"#));
    assert!(list.contains(r#"href="/dashboard/calls/call-1""#), "{list}");
    assert!(list.contains(r#"href="/dashboard/calls/call-live""#));
    // Saturday 10:00 AM in New York; 45 seconds; ended well; 14 cents.
    for expected in [
        "Sat, Nov 21, 10:00 AM",
        "45 s",
        "Success",
        "$0.14",
        "+15551234567",
    ] {
        assert!(list.contains(expected), "{expected} in {list}");
    }
    assert!(list.contains("America/New_York (EST)"));

    let (_, by_number) = page(&app, "/dashboard/calls?number=(555)%20765-4321", &cookie).await;
    assert!(by_number.contains("call-live") && !by_number.contains("call-1\""));
    assert!(
        !by_number.contains(r#"href="/dashboard/calls/call-1""#),
        "{by_number}"
    );
    let (_, other_day) = page(&app, "/dashboard/calls?day=2026-11-20", &cookie).await;
    assert!(other_day.contains("No calls match."), "{other_day}");
    let (_, that_day) = page(&app, "/dashboard/calls?day=2026-11-21", &cookie).await;
    assert_eq!(that_day.matches("<tr").count(), 3, "a header and two calls");
    let (status, bad) = page(&app, "/dashboard/calls?day=someday&after=zz", &cookie).await;
    assert_eq!(status, 200);
    assert_clean("bad call filters", &bad);
    assert!(bad.contains("“someday” is not a date"));
    assert!(bad.contains("That page link is not valid"));

    let (status, call) = page(&app, "/dashboard/calls/call-1", &cookie).await;
    assert_eq!(status, 200);
    assert_clean("/dashboard/calls/call-1", &call);
    assert!(call.contains("Booked a consultation for Tuesday at 3:00 PM."));
    assert!(call.contains(r#"<a href="/dashboard/calls/call-1/recording""#));
    assert!(
        call.contains("Transcript and tool calls (4 lines, 2 tool calls)"),
        "{call}"
    );
    // Placed by time: two lines, the booking (10 s), the failed cancel (15 s), two lines.
    let order = [
        "Thanks for calling, how can I help?",
        "I&#39;d like to book Tuesday at three.",
        "<code>appointment_create</code>",
        "<code>appointment_cancel</code>",
        "You&#39;re booked for Tuesday at 3:00 PM.",
        "Thanks, bye.",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|t| call.find(t).unwrap_or_else(|| panic!("{t} in {call}")))
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "{positions:?}\n{call}"
    );
    assert!(call.contains(r#"<span class="at">0:10</span>"#), "{call}");
    assert!(
        call.contains("&#34;attendeeName&#34;: &#34;Pat Caller&#34;"),
        "{call}"
    );
    assert!(call.contains(r#"class="tool tool-error""#));
    assert!(call.contains(" ms</span>"));
    assert!(
        call.contains(&format!("<code>{booked}</code>")),
        "the booked appointment is listed"
    );
    assert!(
        call.contains("/dashboard/appointments?when=upcoming&#38;day=2026-11-24"),
        "{call}"
    );

    let (status, _) = page(&app, "/dashboard/calls/nobody", &cookie).await;
    assert_eq!(status, 404);

    // The Appointments page links the appointment to its call.
    let (_, appointments) = page(&app, "/dashboard/appointments", &cookie).await;
    assert!(
        appointments.contains(
            r#"<a class="call-time" href="/dashboard/calls/call-1" title="Call call-1">Sat, Nov 21, 10:00 AM</a>"#
        ),
        "{appointments}"
    );
}

#[tokio::test]
async fn calls_are_paged_newest_first_with_a_stable_cursor() {
    let app = TestApp::spawn().await;
    for i in 0..27 {
        app.message(json!({"type": "status-update", "status": "ringing",
            "timestamp": app.clock.now().timestamp_millis(),
            "call": {"id": format!("c-{i:02}"), "type": "inboundPhoneCall"}}))
            .await;
        app.clock.advance(chrono::Duration::minutes(1));
    }
    let cookie = sign_in(&app).await;
    let (_, first) = page(&app, "/dashboard/calls", &cookie).await;
    assert_eq!(first.matches(r#"href="/dashboard/calls/c-"#).count(), 25);
    assert!(first.contains("/dashboard/calls/c-26") && !first.contains("/dashboard/calls/c-01\""));
    let next = next_link(&first);
    let (_, second) = page(&app, &next, &cookie).await;
    assert_eq!(
        second.matches(r#"href="/dashboard/calls/c-"#).count(),
        2,
        "{second}"
    );
    assert!(second.contains("/dashboard/calls/c-00") && second.contains("/dashboard/calls/c-01"));
    assert!(!second.contains(r#"rel="next""#) && second.contains("← Newest"));
}

#[tokio::test]
async fn today_lists_calls_in_progress_first_the_sync_runs_and_what_is_failing() {
    let app = TestApp::spawn().await;
    let cookie = sign_in(&app).await;
    let (_, quiet) = page(&app, "/dashboard", &cookie).await;
    assert!(quiet.contains("No calls today yet."));
    assert!(!quiet.contains(r#"id="failing""#));
    seed_calls(&app).await;
    let now = app.clock.now();
    let run = app.db.start_sync_run("vapi_calls", now).await.unwrap();
    app.db
        .finish_sync_run(&run, Err("VAPI answered 401"), now)
        .await
        .unwrap();
    app.reconcile().await;
    let (_, body) = page(&app, "/dashboard", &cookie).await;
    assert_clean("/dashboard", &body);
    assert!(body.contains("Calls today (2, 1 in progress)"), "{body}");
    let calls = &body[body.find(r#"id="calls""#).expect("calls section")..];
    let live = calls.find("/dashboard/calls/call-live").expect("live call");
    let done = calls
        .find("/dashboard/calls/call-1")
        .expect("finished call");
    assert!(live < done, "in progress first");
    assert!(
        body.contains("The last VAPI call backfill failed: VAPI answered 401"),
        "{body}"
    );
    // The failed cancel was the caller's mistake (not their appointment): counted, not in red.
    assert!(
        !body.contains("tool appointment_cancel answered with an error"),
        "{body}"
    );
    assert!(
        body.contains("Callers got something wrong 1 time today"),
        "{body}"
    );
    assert!(body.contains("Cal.com bookings reconcile"));
    assert!(body.contains(": ok (0 min ago)"), "{body}");
}

#[tokio::test]
async fn stats_show_a_table_and_accessible_svg_charts() {
    let app = TestApp::spawn().await;
    seed_calls(&app).await;
    let cookie = sign_in(&app).await;
    let (status, body) = page(&app, "/dashboard/stats", &cookie).await;
    assert_eq!(status, 200);
    assert_clean("/dashboard/stats", &body);
    for title in [
        "Calls per day",
        "Bookings per day",
        "Minutes on the phone per day",
        "Cost per day",
        "Booking conversion per day",
    ] {
        assert!(body.contains(&format!(">{title}</title>")), "{title}");
    }
    assert!(body.contains(r#"role="img" aria-labelledby="calls-title calls-desc""#));
    assert_eq!(
        body.matches(r#"<rect class="bar""#).count(),
        35,
        "7 days × 5 charts"
    );
    // call-1: 45 s and $0.14 on Saturday (call-live has neither yet).
    assert!(body.contains("11/21: 0.8 minutes"), "{body}");
    assert!(body.contains("11/21: $0.14 US dollars"), "{body}");
    // Saturday: two calls, one booking (call-1), so 50% conversion.
    assert!(body.contains("11/21: 2"), "{body}");
    assert!(
        body.contains(
            r#"<th scope="row"><time datetime="2026-11-21">Sat, Nov 21</time></th><td data-label="Calls">2</td>"#
        ),
        "{body}"
    );
    assert!(
        body.contains(r#"<td data-label="Conversion">50%</td>"#),
        "{body}"
    );
    let (_, range) = page(
        &app,
        "/dashboard/stats?from=2026-11-20&to=2026-11-21",
        &cookie,
    )
    .await;
    assert_eq!(range.matches(r#"<rect class="bar""#).count(), 10);
    let (status, bad) = page(
        &app,
        "/dashboard/stats?from=2026-11-22&to=2026-11-01",
        &cookie,
    )
    .await;
    assert_eq!(status, 200);
    assert_clean("bad range", &bad);
    assert!(bad.contains("must not be after"), "{bad}");
}

/// The `<svg>` of the chart `id` on a Stats page.
fn chart<'a>(body: &'a str, id: &str) -> &'a str {
    let start = body
        .find(&format!(r#"aria-labelledby="{id}-title"#))
        .unwrap_or_else(|| panic!("the {id} chart in {body}"));
    let end = body[start..].find("</svg>").unwrap() + start;
    &body[start..end]
}

#[tokio::test]
async fn stats_charts_read_well_over_any_range() {
    let app = TestApp::spawn().await;
    seed_calls(&app).await;
    let cookie = sign_in(&app).await;

    // Conversion is a share: its axis is 0–100%, so Saturday's 50% is a half-height bar.
    let (_, week) = page(&app, "/dashboard/stats", &cookie).await;
    let conversion = chart(&week, "conversion");
    assert!(
        conversion.contains(r#"text-anchor="end">100%</text>"#),
        "{conversion}"
    );
    assert!(
        conversion.contains(r#"<rect class="bar" x="286" y="80" width="28" height="60"/>"#),
        "{conversion}"
    );

    // Days after today (Saturday, November 21) are left out, and said to be.
    let (status, future) = page(
        &app,
        "/dashboard/stats?from=2026-11-15&to=2026-12-31",
        &cookie,
    )
    .await;
    assert_eq!(status, 200);
    assert_clean("a range into the future", &future);
    assert!(
        future.contains("Days after today (Saturday, November 21, 2026) are left out."),
        "{future}"
    );
    assert!(!future.contains(r#"datetime="2026-11-22""#), "{future}");
    assert_eq!(future.matches(r#"<rect class="bar""#).count(), 35);
    let (_, all_future) = page(
        &app,
        "/dashboard/stats?from=2026-12-01&to=2026-12-31",
        &cookie,
    )
    .await;
    assert!(all_future.contains("all after today"), "{all_future}");

    // Two months: a bar a week; a year: a bar a month. The table keeps every day.
    let (_, months) = page(
        &app,
        "/dashboard/stats?from=2026-09-21&to=2026-11-21",
        &cookie,
    )
    .await;
    assert!(months.contains(">Calls per week</title>"), "{months}");
    // Monday, September 21 to Saturday, November 21: nine weeks.
    assert_eq!(chart(&months, "calls").matches("<rect").count(), 9);
    assert!(months.contains("week of 11/16: 2 calls"), "{months}");
    let (_, year) = page(
        &app,
        "/dashboard/stats?from=2025-11-22&to=2026-11-21",
        &cookie,
    )
    .await;
    assert!(year.contains(">Calls per month</title>"), "{year}");
    assert_eq!(chart(&year, "calls").matches("<rect").count(), 13);
    assert!(year.contains("November 2026: 2 calls"), "{year}");
    assert!(
        chart(&year, "calls").contains(r#"width="552" height="164""#),
        "{}",
        chart(&year, "calls")
    );
    assert_eq!(year.matches(r#"<th scope="row"><time"#).count(), 365);
}

/// Opens the event stream with `cookie`, runs `change`, and waits for the stream to say
/// something changed; false when it did not within 30 seconds.
pub async fn announced<F: std::future::Future<Output = ()>>(
    app: &TestApp,
    cookie: &str,
    change: F,
) -> bool {
    let mut events = client()
        .get(format!("{}/dashboard/events", app.url))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(events.status(), 200);
    assert_eq!(events.headers()["content-type"], "text/event-stream");
    change.await;
    let mut heard = String::new();
    tokio::time::timeout(std::time::Duration::from_secs(30), async {
        while let Some(chunk) = events.chunk().await.unwrap() {
            heard.push_str(&String::from_utf8_lossy(&chunk));
            if heard.contains("event: changed") {
                return;
            }
        }
    })
    .await
    .is_ok()
}

#[tokio::test]
async fn open_pages_hear_when_calls_change() {
    let app = TestApp::spawn().await;
    let resp = client()
        .get(format!("{}/dashboard/events", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303, "no session, no events");
    let cookie = sign_in(&app).await;
    assert!(
        announced(&app, &cookie, async {
            app.message(json!({"type": "status-update", "status": "ringing",
                "call": {"id": "call-sse", "type": "inboundPhoneCall"}, "customer": {"number": CALLER}}))
                .await;
        })
        .await,
        "a new call is announced"
    );
    let (_, today) = page(&app, "/dashboard", &cookie).await;
    assert!(today.contains(r#"<script src="/dashboard/assets/live.js" defer></script>"#));
    assert!(today.contains("data-live"));
    let (status, script) = page(&app, "/dashboard/assets/live.js", "").await;
    assert_eq!(status, 200);
    assert!(script.contains("new EventSource(\"/dashboard/events\")"));
}

#[tokio::test]
async fn a_nul_character_in_any_address_is_never_a_server_error() {
    // PostgreSQL's text cannot hold U+0000: a `%00` reaching a query must not become a 500.
    let app = TestApp::spawn().await;
    app.seed("nul-a", "2026-11-24T16:00:00Z", Some(CALLER), None);
    let cookie = sign_in(&app).await;
    let pages = [
        "/dashboard",
        "/dashboard/appointments",
        "/dashboard/appointments.csv",
        "/dashboard/calls",
        "/dashboard/calls.csv",
        "/dashboard/stats",
        "/dashboard/stats.csv",
        "/dashboard/failures",
        "/dashboard/outbound",
        "/dashboard/calls/a%00b",
        "/dashboard/calls/a%00b/recording",
        "/dashboard/a%00b",
    ];
    let params = [
        "q", "phone", "email", "status", "reason", "language", "from", "to", "day", "date",
        "before", "after", "cursor", "page", "tool", "kind", "outcome", "tenant", "business",
    ];
    for path in pages {
        for param in params {
            let url = format!("{path}?{param}=a%00b");
            let (status, _) = page(&app, &url, &cookie).await;
            assert!(status < 500, "{status} for {url}");
        }
    }
    for path in [
        "/api/calls",
        "/api/calls/a%00b",
        "/api/appointments",
        "/api/stats",
    ] {
        for param in params {
            let url = format!("{path}?{param}=a%00b");
            let (status, answer) = app.admin(&url).await;
            assert!(status < 500, "{status} for {url}: {answer}");
        }
    }
    let (status, answer) = app.admin("/api/calls/a%00b").await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (400, Some("nul_in_address"))
    );
    let resp = client()
        .post(format!("{}/dashboard/sign-in", app.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("token=a%00b")
        .send()
        .await
        .unwrap();
    assert!(resp.status().as_u16() < 500, "sign-in: {}", resp.status());
}
