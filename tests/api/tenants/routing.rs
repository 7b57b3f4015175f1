//! Routes per business: each route serves its own business with its own credential, the shared
//! route finds the business from the message, bookings stay with their business, and the demo's
//! two businesses answer their curls.

use std::time::Duration;

use clap::Parser;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use vapi_cal::app;

use super::*;
use crate::support::CALLER;

/// Each tenant's route runs that tenant's tools against its own Cal.com, in its language, and
/// takes only its own credential.
#[tokio::test]
async fn each_tenant_route_serves_its_own_business_with_its_own_credential() {
    let world = TwoBusinesses::start().await;
    let ask = |call: &str| {
        tool_call(
            call,
            None,
            "availability_read",
            json!({"date": "2026-11-23"}),
        )
    };

    let (status, body) = world
        .post(
            "/t/smile/vapi/webhook",
            &ask("call-s1"),
            &[("x-vapi-secret", SMILE_VAPI)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(
        result_text(&body).contains("Monday"),
        "English, New York: {body}"
    );
    assert_eq!((slot_reads(&world.smile), slot_reads(&world.cut)), (1, 0));

    let (status, body) = world
        .post(
            "/t/cut/vapi/webhook",
            &ask("call-c1"),
            &[("x-vapi-secret", CUT_VAPI)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(
        result_text(&body).contains("lunes"),
        "Spanish by default: {body}"
    );
    assert_eq!((slot_reads(&world.smile), slot_reads(&world.cut)), (1, 1));

    // One tenant's credential on the other's route is refused before anything runs.
    for (path, secret) in [
        ("/t/cut/vapi/webhook", SMILE_VAPI),
        ("/t/smile/vapi/webhook", CUT_VAPI),
    ] {
        let (status, body) = world
            .post(path, &ask("call-x"), &[("x-vapi-secret", secret)])
            .await;
        assert_eq!(status, 401, "{path}: {body}");
    }
    let signed = ask("call-x").to_string();
    let timestamp = world_timestamp();
    let signature_now = vapi_cal::vapi::auth::sign(CUT_HMAC, &timestamp, signed.as_bytes());
    let (status, _) = world
        .post(
            "/t/smile/vapi/webhook",
            &ask("call-x"),
            &[("x-signature", &signature_now), ("x-timestamp", &timestamp)],
        )
        .await;
    assert_eq!(
        status, 401,
        "the salon's HMAC key signs nothing for the clinic"
    );
    assert_eq!((slot_reads(&world.smile), slot_reads(&world.cut)), (1, 1));
    let (status, body) = world
        .post(
            "/t/nobody/vapi/webhook",
            &ask("call-y"),
            &[("x-vapi-secret", SMILE_VAPI)],
        )
        .await;
    assert_eq!(status, 404, "{body}");
    assert!(body.is_object(), "a JSON error: {body}");
}

/// On the shared route the message names its tenant (its phone number, else its assistant),
/// and it must carry that tenant's credential; a message no tenant claims writes nothing.
#[tokio::test]
async fn the_shared_route_finds_the_tenant_from_the_message() {
    let world = TwoBusinesses::start().await;
    let body = tool_call(
        "call-c2",
        Some("pn-cut"),
        "availability_read",
        json!({"date": "2026-11-23"}),
    );
    let (status, answer) = world
        .post("/vapi/webhook", &body, &[("x-vapi-secret", CUT_VAPI)])
        .await;
    assert_eq!(status, 200, "{answer}");
    assert!(result_text(&answer).contains("lunes"), "{answer}");
    assert_eq!(slot_reads(&world.cut), 1);

    // The clinic's secret on the salon's number: refused, nothing runs.
    let (status, answer) = world
        .post("/vapi/webhook", &body, &[("x-vapi-secret", SMILE_VAPI)])
        .await;
    assert_eq!(status, 401, "{answer}");
    assert_eq!(slot_reads(&world.cut), 1);

    // Found by the assistant when the number is absent.
    let mut by_assistant = tool_call(
        "call-s2",
        None,
        "availability_read",
        json!({"date": "2026-11-23"}),
    );
    by_assistant["message"]["assistant"] = json!({"id": "asst-smile"});
    let (status, answer) = world
        .post(
            "/vapi/webhook",
            &by_assistant,
            &[("x-vapi-secret", SMILE_VAPI)],
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(slot_reads(&world.smile), 1);

    // Nobody's number: a 4xx naming why, and nothing written anywhere.
    let stray = tool_call(
        "call-z",
        Some("pn-stranger"),
        "availability_read",
        json!({"date": "2026-11-23"}),
    );
    let (status, answer) = world
        .post("/vapi/webhook", &stray, &[("x-vapi-secret", SMILE_VAPI)])
        .await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer.to_string().contains("pn-stranger"), "{answer}");
    // Without any known credential it is refused before the body is read.
    let (status, _) = world
        .post(
            "/vapi/webhook",
            &stray,
            &[("x-vapi-secret", "guess-guess-guess-guess")],
        )
        .await;
    assert_eq!(status, 401);
    for slug in ["smile", "cut"] {
        let calls = world.db_of(slug).call("call-z").await.expect("read");
        assert!(calls.is_none(), "{slug} recorded nothing of the stray call");
    }

    // assistant-request answers with the tenant's own assistant.
    let request = json!({"message": {"type": "assistant-request",
        "call": {"id": "call-in", "type": "inboundPhoneCall", "customer": {"number": CALLER}},
        "customer": {"number": CALLER}, "phoneNumber": {"id": "pn-cut"}}});
    let (status, answer) = world
        .post("/vapi/webhook", &request, &[("x-vapi-secret", CUT_VAPI)])
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["assistantId"], "asst-cut", "{answer}");
}

/// A booking made for one business is that business's alone: its Cal.com, its table, its
/// caller's reads; the other business, asked by the same phone number, sees nothing of it.
#[tokio::test]
async fn two_tenants_cannot_see_or_change_each_others_bookings() {
    let world = TwoBusinesses::start().await;
    let book = tool_call(
        "call-s3",
        None,
        "appointment_create",
        json!({"start": "2026-11-23T15:00:00Z", "attendeeName": "Pat Caller", "attendeeEmail": "pat@example.com"}),
    );
    let (status, answer) = world
        .post(
            "/t/smile/vapi/webhook",
            &book,
            &[("x-vapi-secret", SMILE_VAPI)],
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert!(
        answer["results"][0]["result"].is_string(),
        "booked: {answer}"
    );
    assert_eq!(world.smile.bookings().len(), 1);
    assert!(
        world.cut.bookings().is_empty(),
        "the salon's Cal.com got nothing"
    );
    let uid = world.smile.bookings()[0]["uid"]
        .as_str()
        .expect("uid")
        .to_owned();

    // Cal.com's own webhook for it lands on the clinic's route; wait until it is applied.
    let smile_db = world.db_of("smile");
    let cut_db = world.db_of("cut");
    for _ in 0..100 {
        if smile_db.webhook_event_count().await.expect("count") > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        smile_db.webhook_event_count().await.expect("count") > 0,
        "the clinic's webhook arrived"
    );
    assert!(smile_db.appointment(&uid).await.expect("read").is_some());
    assert!(cut_db.appointment(&uid).await.expect("read").is_none());
    assert_eq!(cut_db.webhook_event_count().await.expect("count"), 0);

    // The same phone number asking the salon hears of no appointment, and cannot cancel it.
    let read = tool_call("call-c3", None, "appointment_read", json!({}));
    let (_, answer) = world
        .post("/t/cut/vapi/webhook", &read, &[("x-vapi-secret", CUT_VAPI)])
        .await;
    assert!(!answer.to_string().contains(&uid), "{answer}");
    let cancel = tool_call(
        "call-c4",
        None,
        "appointment_cancel",
        json!({"appointmentId": uid}),
    );
    let (_, answer) = world
        .post(
            "/t/cut/vapi/webhook",
            &cancel,
            &[("x-vapi-secret", CUT_VAPI)],
        )
        .await;
    assert!(answer["results"][0]["error"].is_string(), "{answer}");
    assert_eq!(
        world.smile.bookings()[0]["status"],
        "accepted",
        "still booked"
    );

    // The clinic's caller reads it back.
    let read = tool_call("call-s4", None, "appointment_read", json!({}));
    let (_, answer) = world
        .post(
            "/t/smile/vapi/webhook",
            &read,
            &[("x-vapi-secret", SMILE_VAPI)],
        )
        .await;
    assert!(result_text(&answer).contains("Monday"), "{answer}");

    // A Cal.com delivery signed for one tenant is refused on the other's route; the shared
    // Cal.com route belongs to the tenant `default`, which this deployment does not have.
    let delivery = json!({"triggerEvent": "BOOKING_CANCELLED", "createdAt": "2026-11-21T15:01:00Z",
        "payload": {"uid": uid, "status": "CANCELLED", "eventTypeId": SMILE_EVENT}})
    .to_string();
    let signature = vapi_cal::calcom::webhook::sign(SMILE_CAL_SECRET, delivery.as_bytes());
    let body: Value = serde_json::from_str(&delivery).expect("json");
    let (status, _) = world
        .post(
            "/t/cut/cal/webhook",
            &body,
            &[("x-cal-signature-256", &signature)],
        )
        .await;
    assert_eq!(status, 401);
    let (status, answer) = world
        .post(
            "/cal/webhook",
            &body,
            &[("x-cal-signature-256", &signature)],
        )
        .await;
    assert_eq!(status, 404, "{answer}");
    let stored = smile_db
        .appointment(&uid)
        .await
        .expect("read")
        .expect("kept");
    assert_eq!(stored.status.as_str(), "accepted");
}

/// The demo serves two businesses: the clinic on the shared routes (every printed command as
/// before) and a Spanish-speaking salon in London on its own, each answering its own curls.
#[tokio::test]
async fn the_demos_two_businesses_answer_their_curls() {
    use vapi_cal::cli::demo::{self, salon};
    let file = crate::support::TempSqlite::new("demo-tenants");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let settings = vapi_cal::cli::Cli::try_parse_from(["vapi-cal", "demo"])
        .expect("demo flags")
        .settings
        .without_empty_values();
    let started = demo::prepare(&settings, &file.url, listener)
        .await
        .expect("demo starts");
    let addr = started.addr.clone();
    let (clinic_secret, salon_secret) = (
        started.vapi_secret.clone(),
        started.salon_vapi_secret.clone(),
    );
    tokio::spawn(app::serve(
        started.listener,
        started.state,
        std::future::pending(),
    ));
    let run = |curl: String| async move {
        let body = curl
            .split_once("-d '")
            .and_then(|(_, rest)| rest.strip_suffix('\''))
            .expect("a -d body")
            .to_owned();
        let url = curl.split_whitespace().nth(4).expect("the URL").to_owned();
        let secret = curl
            .split("X-Vapi-Secret: ")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .expect("a secret")
            .to_owned();
        let resp = reqwest::Client::new()
            .post(url)
            .header("content-type", "application/json")
            .header("x-vapi-secret", secret)
            .body(body)
            .send()
            .await
            .expect("demo answers");
        (
            resp.status().as_u16(),
            resp.json::<Value>().await.unwrap_or(Value::Null),
        )
    };

    let (status, answer) = run(salon::curl(
        &addr,
        &salon_secret,
        "availability_read",
        r#"{"date":"mañana"}"#,
    ))
    .await;
    assert_eq!(status, 200, "{answer}");
    let text = result_text(&answer);
    assert!(
        text.contains("Horas libres") && text.contains("Europe/London"),
        "{text}"
    );
    let (status, answer) = run(salon::curl(&addr, &salon_secret, "appointment_read", "{}")).await;
    assert_eq!(status, 200, "{answer}");
    assert!(
        result_text(&answer).contains(salon::BOOKING_UID),
        "{answer}"
    );
    // The clinic's caller and secret reach nothing of the salon's.
    let (status, _) = run(salon::curl(&addr, &clinic_secret, "appointment_read", "{}")).await;
    assert_eq!(status, 401);
    // The clinic's printed commands still work on the shared route, and know nothing of the salon.
    let (status, answer) = run(demo::curl_for(
        &addr,
        &clinic_secret,
        "appointment_read",
        "{}",
    ))
    .await;
    assert_eq!(status, 200, "{answer}");
    let text = result_text(&answer);
    assert!(
        text.contains(demo::DEMO_MOVE_UID) && !text.contains(salon::BOOKING_UID),
        "{text}"
    );
}

/// Two businesses on one Cal.com API key share its request budget: what one spends, the other
/// cannot spend again.
#[tokio::test]
async fn businesses_sharing_a_cal_com_key_share_its_budget() {
    let clock = vapi_cal::clock::Clock::fixed(at("2026-11-21T15:00:00Z"));
    let sim = Simulator::new("shared_key", clock.clone());
    sim.add_event_type(EventTypeSpec::new(5, "Visit", 30, chrono_tz::UTC));
    let sim_url = serve_forever(&sim).await;
    let business = |slug: &str| {
        format!(
            "[[tenant]]\nslug = \"{slug}\"\nname = \"{slug}\"\ntime_zone = \"UTC\"\ncal_api_url = \"{sim_url}\"\ncal_api_key = \"shared_key\"\nevent_type_ids = [5]\ncal_webhook_secrets = [\"{slug}-cal-secret-0123456789\"]\nvapi_webhook_secrets = [\"{slug}-vapi-secret-0123456789\"]\n"
        )
    };
    let path = std::env::temp_dir().join(format!(
        "vapi-cal-shared-{}.toml",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::write(&path, format!("{}{}", business("one"), business("two"))).expect("write");
    let _file = TempFile(path.clone());
    let mut settings = settings_for(&crate::support::Options::default(), &sim_url);
    settings.tenants_file = Some(path);
    // One request a minute for the key, and no answers kept between reads.
    settings.cal_rate_limit_per_min = 1;
    settings.slot_cache_secs = 0;
    let test_db = TestDb::new().await;
    let app::Service { state, jobs, .. } = app::build(&settings, clock, test_db.db.clone())
        .await
        .expect("builds");
    let _jobs = jobs.start();
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(app::serve(listener, state, std::future::pending()));
    let ask = |slug: &'static str| {
        let url = url.clone();
        async move {
            let body = tool_call(
                &format!("call-{slug}"),
                None,
                "availability_read",
                json!({"date": "2026-11-23"}),
            );
            let resp = reqwest::Client::new()
                .post(format!("{url}/t/{slug}/vapi/webhook"))
                .header("x-vapi-secret", format!("{slug}-vapi-secret-0123456789"))
                .json(&body)
                .send()
                .await
                .expect("answers");
            resp.json::<Value>().await.expect("json")
        }
    };
    let first = ask("one").await;
    assert!(
        first["results"][0]["result"].is_string(),
        "the first read is served: {first}"
    );
    let second = ask("two").await;
    assert!(
        second["results"][0]["error"].is_string(),
        "the key's budget is spent for both businesses: {second}"
    );
    assert_eq!(slot_reads(&sim), 1, "Cal.com saw one request");
}
