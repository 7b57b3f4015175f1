//! Operators of several businesses: a business's own tokens see that business only, in the
//! console and the operator API; the admin switches between businesses, in the browser too.

use super::*;

/// A business's own operator sees that business only, in the console and the operator API;
/// the admin sees every business, one at a time, and names the one shown.
#[tokio::test]
async fn each_businesss_operators_see_only_their_business() {
    let world = TwoBusinesses::start().await;
    world
        .call_of(
            "smile",
            SMILE_VAPI,
            "call-smile-1",
            "Smile call about a filling",
        )
        .await;
    world
        .call_of("cut", CUT_VAPI, "call-cut-1", "Salon call about a fringe")
        .await;
    let admin = crate::support::ADMIN_TOKEN;

    // The operator API.
    let (status, body) = world.api("/api/calls", CUT_OPERATOR).await;
    assert_eq!(status, 200, "{body}");
    let text = body.to_string();
    assert!(
        text.contains("call-cut-1") && !text.contains("call-smile-1"),
        "{text}"
    );
    for path in [
        "/api/calls?tenant=smile",
        "/api/calls?tenant=nobody",
        "/api/calls/call-smile-1",
    ] {
        let (status, body) = world.api(path, CUT_OPERATOR).await;
        assert_eq!(status, 404, "{path}: {body}");
        assert!(!body.to_string().contains("filling"), "{path}: {body}");
    }
    let (_, body) = world.api("/api/calls?tenant=smile", admin).await;
    assert!(
        body.to_string().contains("call-smile-1") && !body.to_string().contains("call-cut-1"),
        "{body}"
    );
    let (_, body) = world.api("/api/calls?tenant=cut", admin).await;
    assert!(
        body.to_string().contains("call-cut-1") && !body.to_string().contains("call-smile-1"),
        "{body}"
    );
    let (status, _) = world.api("/api/calls?tenant=nobody", admin).await;
    assert_eq!(status, 404);

    // The console, as the salon's operator: the salon's name, its calls, nothing else.
    let cookie = world.sign_in(CUT_OPERATOR).await;
    let (status, page) = world.page("/dashboard/calls", &cookie).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Cut &amp; Colour") || page.contains("Cut &#38; Colour"),
        "names the business: {page}"
    );
    assert!(
        page.contains("call-cut-1") && !page.contains("call-smile-1"),
        "{page}"
    );
    assert!(
        !page.contains("Smile Dental"),
        "no switcher for one business's operator"
    );
    for path in [
        "/dashboard/calls?tenant=smile",
        "/dashboard/calls/call-smile-1",
        "/dashboard/calls.csv?tenant=smile",
    ] {
        let (status, page) = world.page(path, &cookie).await;
        assert_eq!(status, 404, "{path}");
        assert!(!page.contains("filling"), "{path}");
    }
    // Every page names the business it shows, the not-found pages too (a call of another
    // business, an address that is no page, a recording the call does not have).
    for (path, expected) in [
        ("/dashboard", 200),
        ("/dashboard/appointments", 200),
        ("/dashboard/calls", 200),
        ("/dashboard/calls/call-cut-1", 200),
        ("/dashboard/stats", 200),
        ("/dashboard/failures", 200),
        ("/dashboard/outbound", 200),
        ("/dashboard/no-such-page", 404),
        ("/dashboard/calls/call-smile-1", 404),
        ("/dashboard/calls/call-cut-1/recording", 404),
    ] {
        let (status, page) = world.page(path, &cookie).await;
        assert_eq!(status, expected, "{path}: {page}");
        assert!(
            page.contains(r#"<span class="business">Cut &amp; Colour</span>"#)
                || page.contains(r#"<span class="business">Cut &#38; Colour</span>"#),
            "{path} names the business: {page}"
        );
    }
    // Searching finds the salon's own calls only, whatever the words.
    for q in ["filling", "smile", "fringe"] {
        let (status, page) = world
            .page(&format!("/dashboard/calls?q={q}"), &cookie)
            .await;
        assert_eq!(status, 200);
        assert!(!page.contains("call-smile-1"), "{q}: {page}");
        assert_eq!(page.contains("call-cut-1"), q == "fringe", "{q}");
    }
    let (status, csv) = world.page("/dashboard/calls.csv", &cookie).await;
    assert_eq!(status, 200);
    assert!(
        csv.contains("call-cut-1") && !csv.contains("call-smile-1"),
        "{csv}"
    );
    // Choosing another business is the admin's alone.
    let resp = TwoBusinesses::manual()
        .post(format!("{}/dashboard/business", world.url))
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("tenant=smile")
        .send()
        .await
        .expect("post");
    assert_eq!(resp.status(), 404);

    // The admin: the home business first (the file's first), a switcher, and a choice kept.
    let cookie = world.sign_in(admin).await;
    let (_, page) = world.page("/dashboard/calls", &cookie).await;
    assert!(
        page.contains("call-smile-1") && !page.contains("call-cut-1"),
        "{page}"
    );
    assert!(
        page.contains(r#"<option value="cut">"#),
        "a switcher: {page}"
    );
    let resp = TwoBusinesses::manual()
        .post(format!("{}/dashboard/business", world.url))
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("tenant=cut")
        .send()
        .await
        .expect("post");
    assert_eq!(resp.status(), 303);
    let choice = resp.headers()["set-cookie"].to_str().expect("cookie");
    assert!(
        choice.contains("HttpOnly") && choice.contains("SameSite=Strict"),
        "{choice}"
    );
    let choice = choice.split(';').next().expect("name=value");
    let both = format!("{cookie}; {choice}");
    let (_, page) = world.page("/dashboard/calls", &both).await;
    assert!(
        page.contains("call-cut-1") && !page.contains("call-smile-1"),
        "{page}"
    );
    let (_, page) = world.page("/dashboard/calls?tenant=smile", &both).await;
    assert!(
        page.contains("call-smile-1"),
        "the URL wins over the choice: {page}"
    );
}

/// The console's header names the business and, for the admin, offers the others: at a laptop's
/// and a phone's width, with a long and hostile name, the page never widens and the name stays
/// text; switching shows the other business's calls.
#[tokio::test]
async fn the_admin_switches_business_in_the_browser() {
    use crate::browser::{leaving, screenshot, sign_in_with, start, wait_for_page};
    use fantoccini::Locator;
    let Some(browser) = start().await else {
        return;
    };
    let client = &browser.client;
    let long = format!(
        "<script>alert(1)</script> Cut & Colour <b>Peluquería</b> {} de Londres",
        "Peluqueríayestéticaunisex".repeat(6)
    );
    let world = TwoBusinesses::start_named(&long).await;
    world
        .call_of(
            "smile",
            SMILE_VAPI,
            "call-smile-1",
            "Smile call about a filling",
        )
        .await;
    world
        .call_of("cut", CUT_VAPI, "call-cut-1", "Salon call about a fringe")
        .await;
    client
        .goto(&format!("{}/dashboard", world.url))
        .await
        .expect("goto");
    sign_in_with(client, crate::support::ADMIN_TOKEN).await;
    wait_for_page(client, "today").await;
    leaving(client).await;
    client
        .goto(&format!("{}/dashboard/calls", world.url))
        .await
        .expect("goto");
    wait_for_page(client, "calls").await;
    assert_eq!(
        links_to_calls(client).await,
        ["/dashboard/calls/call-smile-1"]
    );
    // Choose the salon in the switcher.
    let option = client
        .find(Locator::Css(r#"#business-choice option[value="cut"]"#))
        .await
        .expect("the salon is offered");
    option.click().await.expect("choose");
    let show = client
        .find(Locator::Css("form.switch button"))
        .await
        .expect("show button");
    leaving(client).await;
    show.click().await.expect("show");
    wait_for_page(client, "today").await;
    leaving(client).await;
    client
        .goto(&format!("{}/dashboard/calls", world.url))
        .await
        .expect("goto");
    wait_for_page(client, "calls").await;
    assert_eq!(
        links_to_calls(client).await,
        ["/dashboard/calls/call-cut-1"]
    );
    let header = client
        .find(Locator::Css(".top .business"))
        .await
        .expect("the business is named")
        .text()
        .await
        .expect("text");
    assert!(
        header.starts_with("<script>alert(1)</script> Cut & Colour <b>"),
        "shown as text: {header}"
    );
    for (width, height, name) in [(1366, 900, "desktop"), (390, 844, "phone")] {
        client.set_window_size(width, height).await.expect("size");
        let fits = client
            .execute(
                "const e = document.documentElement; return e.scrollWidth <= e.clientWidth;",
                vec![],
            )
            .await
            .expect("measure");
        screenshot(client, &format!("tenants-switcher-{name}")).await;
        assert_eq!(
            fits,
            serde_json::json!(true),
            "the {name} page does not widen"
        );
    }
    browser.close().await;
}

/// The calls a Calls page on screen links to.
async fn links_to_calls(client: &fantoccini::Client) -> Vec<String> {
    let found = client
        .execute(
            "return [...new Set([...document.querySelectorAll('main a[href^=\"/dashboard/calls/\"]')].map(a => a.getAttribute('href')))];",
            vec![],
        )
        .await
        .expect("links");
    serde_json::from_value(found).expect("a list")
}

/// The Calls out page shows the business shown only: its calls, its opt-outs, its zone; a
/// business's own operator cannot ask for another's.
#[tokio::test]
async fn calls_out_are_each_businesss_own() {
    use vapi_cal::domain::outbound::{OutboundCall, OutboundKind, OutboundState};

    let world = TwoBusinesses::start().await;
    let now = at("2026-11-21T15:00:00Z");
    for (slug, uid, name, phone) in [
        ("smile", "booking-smile", "Filling Patient", "+15550001234"),
        ("cut", "booking-cut", "Fringe Client", "+447700900123"),
    ] {
        let start = at("2026-11-23T15:00:00Z");
        let call = OutboundCall {
            kind: OutboundKind::Reminder,
            booking_uid: uid.to_owned(),
            appointment_start: start,
            lead_minutes: 1440,
            phone: phone.to_owned(),
            attendee_name: Some(name.to_owned()),
            due_at: start - chrono::Duration::hours(24),
            state: OutboundState::Scheduled,
            attempts: 0,
            vapi_call_id: None,
            outcome: None,
            detail: None,
            updated_at: now,
        };
        let db = world.db_of(slug);
        assert!(db.plan_outbound_call(&call, now).await.expect("plan"));
        db.opt_out(phone, "staff", now).await.expect("opt out");
    }
    world
        .db_of("smile")
        .opt_out("+15550009999", "staff", now)
        .await
        .expect("opt out");

    let admin = world.sign_in(crate::support::ADMIN_TOKEN).await;
    let (status, page) = world.page("/dashboard/outbound?tenant=smile", &admin).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("booking-smile") && !page.contains("booking-cut"),
        "{page}"
    );
    assert!(page.contains("2 numbers asked not to be called"), "{page}");
    assert!(page.contains("(America/New_York)"), "{page}");
    let (_, page) = world.page("/dashboard/outbound?tenant=cut", &admin).await;
    assert!(
        page.contains("booking-cut") && !page.contains("booking-smile"),
        "{page}"
    );
    assert!(page.contains("1 number asked not to be called"), "{page}");
    assert!(page.contains("Europe/London"), "{page}");

    let salon = world.sign_in(CUT_OPERATOR).await;
    let (status, page) = world.page("/dashboard/outbound", &salon).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Fringe Client") && !page.contains("Filling"),
        "{page}"
    );
    let (status, page) = world.page("/dashboard/outbound?tenant=smile", &salon).await;
    assert_eq!(status, 404);
    assert!(!page.contains("Filling"), "{page}");
}

/// `/metrics` by business: each series about a business carries its slug; a business's own
/// token reads its series only (not another's, not the deployment's), the metrics and admin
/// tokens read everything or one business, and a wrong token reads nothing.
#[tokio::test]
async fn each_business_reads_only_its_own_figures_on_metrics() {
    let world = TwoBusinesses::start().await;
    for (slug, secret, call) in [("smile", SMILE_VAPI, "m-smile"), ("cut", CUT_VAPI, "m-cut")] {
        let (status, body) = world
            .post(
                &format!("/t/{slug}/vapi/webhook"),
                &tool_call(call, None, "user_read", json!({})),
                &[("x-vapi-secret", secret)],
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
    // A refused credential is the deployment's, not a business's.
    let (status, _) = world
        .post(
            "/t/cut/vapi/webhook",
            &tool_call("m-forged", None, "user_read", json!({})),
            &[("x-vapi-secret", SMILE_VAPI)],
        )
        .await;
    assert_eq!(status, 401);

    let scrape = |token: &'static str, query: &'static str| {
        let http = world.http.clone();
        let url = format!("{}/metrics{query}", world.url);
        async move {
            let resp = http
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .expect("scrape");
            (resp.status().as_u16(), resp.text().await.expect("text"))
        }
    };
    let samples = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(str::to_owned)
            .collect()
    };
    let tool_calls_of = |slug: &str| {
        format!(
            "vapi_cal_tool_call_duration_seconds_count{{tenant=\"{slug}\",tool=\"user_read\",outcome=\"ok\"}}"
        )
    };

    // The salon's own token: the salon's series, each labelled with it, and nothing else.
    let (status, text) = scrape(CUT_OPERATOR, "").await;
    assert_eq!(status, 200, "{text}");
    assert!(text.contains(&tool_calls_of("cut")), "{text}");
    let lines = samples(&text);
    assert!(!lines.is_empty());
    for line in &lines {
        assert!(line.contains("tenant=\"cut\""), "not the salon's: {line}");
    }
    for absent in ["smile", "vapi_cal_db_pool", "vapi_cal_auth_failures_total"] {
        assert!(
            !text.contains(absent),
            "{absent} shown to the salon:\n{text}"
        );
    }
    // … the same when it names itself; another business, or one that does not exist, is 404.
    let (status, named) = scrape(CUT_OPERATOR, "?tenant=cut").await;
    assert_eq!(status, 200, "{named}");
    assert!(named.contains(&tool_calls_of("cut")), "{named}");
    assert!(!named.contains("smile"), "{named}");
    for other in ["?tenant=smile", "?tenant=nobody"] {
        let (status, text) = scrape(CUT_OPERATOR, other).await;
        assert_eq!(status, 404, "{other}: {text}");
        assert!(!text.contains("vapi_cal"), "{text}");
    }

    // The metrics token and the admin token read everything, or one business.
    for token in [crate::support::METRICS_TOKEN, crate::support::ADMIN_TOKEN] {
        let (status, all) = scrape(token, "").await;
        assert_eq!(status, 200, "{all}");
        for expected in [
            tool_calls_of("smile"),
            tool_calls_of("cut"),
            "vapi_cal_db_pool_max_connections".to_owned(),
            "vapi_cal_auth_failures_total{source=\"vapi\"".to_owned(),
        ] {
            assert!(all.contains(&expected), "{expected} in:\n{all}");
        }
        let (status, clinic) = scrape(token, "?tenant=smile").await;
        assert_eq!(status, 200, "{clinic}");
        assert!(clinic.contains(&tool_calls_of("smile")), "{clinic}");
        assert!(
            samples(&clinic)
                .iter()
                .all(|l| l.contains("tenant=\"smile\"")),
            "{clinic}"
        );
        assert_eq!(scrape(token, "?tenant=nobody").await.0, 404);
    }

    // A wrong token, or none, reads nothing.
    for token in ["wrong-token-0123456789", ""] {
        let (status, text) = scrape(token, "").await;
        assert_eq!(status, 401, "{text}");
        assert!(!text.contains("vapi_cal"), "{text}");
    }
}
