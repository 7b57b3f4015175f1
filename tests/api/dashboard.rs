//! The dashboard over HTTP: 404 without ADMIN_TOKEN, sign-in with a strict cookie, every page
//! redirecting without a session, well-formed pages that show no secret, appointments by day in
//! the business's zone, filters and paging.

use crate::{
    html,
    support::{ADMIN_TOKEN, API_KEY, CALLER, Options, TestApp, WEBHOOK_SECRET},
};

const PAGES: &[&str] = &["/dashboard", "/dashboard/appointments"];

/// A client that shows redirects instead of following them.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn post_token(app: &TestApp, token: &str) -> reqwest::Response {
    client()
        .post(format!("{}/dashboard/sign-in", app.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("token={token}"))
        .send()
        .await
        .unwrap()
}

/// Signs in and returns the `name=value` of the session cookie.
async fn sign_in(app: &TestApp) -> String {
    let resp = post_token(app, ADMIN_TOKEN).await;
    assert_eq!(resp.status(), 303);
    let set_cookie = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
    set_cookie.split(';').next().unwrap().to_owned()
}

async fn page(app: &TestApp, path: &str, cookie: &str) -> (u16, String) {
    let resp = client()
        .get(format!("{}{path}", app.url))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

#[track_caller]
fn assert_clean(path: &str, body: &str) {
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
    for path in PAGES {
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
