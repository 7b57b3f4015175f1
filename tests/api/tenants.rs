//! Several businesses on one deployment: a tenants file, routes per tenant, credentials that
//! belong to one tenant only, and data no tenant can see or change of another's.

use std::time::Duration;

use clap::Parser;
use secrecy::SecretString;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use vapi_cal::{
    app,
    clock::Clock,
    db::Db,
    domain::tenant::TenantSlug,
    simulator::{EventTypeSpec, Simulator},
};

use crate::support::{CALLER, Options, TestDb, at, settings_for};

const SMILE_KEY: &str = "cal_key_smile";
const CUT_KEY: &str = "cal_key_cut";
const SMILE_VAPI: &str = "smile-vapi-secret-0123456789";
const CUT_VAPI: &str = "cut-vapi-secret-0123456789ab";
const CUT_HMAC: &str = "cut-hmac-secret-0123456789ab";
const SMILE_CAL_SECRET: &str = "smile-cal-secret-0123456789";
const CUT_CAL_SECRET: &str = "cut-cal-secret-0123456789ab";
/// The salon's own operator token: it signs in to the salon only.
const CUT_OPERATOR: &str = "cut-operator-token-0123456789";
const SMILE_EVENT: i64 = 11;
const CUT_EVENT: i64 = 21;

/// Two businesses served by one process: a dental clinic in New York (English) and a salon in
/// London (Spanish by default), each with its own simulated Cal.com.
struct TwoBusinesses {
    url: String,
    smile: Simulator,
    cut: Simulator,
    db: Db,
    http: reqwest::Client,
    test_db: TestDb,
    file: TempFile,
    reloader: app::reload::Reloader,
    jobs: app::RunningJobs,
}

/// A file removed when the test ends.
struct TempFile(std::path::PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        // Already gone is fine.
        let _ = std::fs::remove_file(&self.0);
    }
}

impl TwoBusinesses {
    async fn start() -> Self {
        Self::start_named("Cut & Colour").await
    }

    /// Two businesses, the salon named `salon` (written into the file as a TOML literal).
    async fn start_named(salon: &str) -> Self {
        let clock = Clock::fixed(at("2026-11-21T15:00:00Z"));
        let smile = Simulator::new(SMILE_KEY, clock.clone());
        smile.add_event_type(EventTypeSpec::new(
            SMILE_EVENT,
            "Check-up",
            30,
            chrono_tz::America::New_York,
        ));
        let cut = Simulator::new(CUT_KEY, clock.clone());
        cut.add_event_type(EventTypeSpec::new(
            CUT_EVENT,
            "Haircut",
            30,
            chrono_tz::Europe::London,
        ));
        let smile_url = serve_forever(&smile).await;
        let cut_url = serve_forever(&cut).await;
        let path = std::env::temp_dir().join(format!(
            "vapi-cal-tenants-{}.toml",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::write(
            &path,
            format!(
                r#"
[[tenant]]
slug = "smile"
name = "Smile Dental"
time_zone = "America/New_York"
cal_api_url = "{smile_url}"
cal_api_key = "{SMILE_KEY}"
event_type_ids = [{SMILE_EVENT}]
cal_webhook_secrets = ["{SMILE_CAL_SECRET}"]
vapi_webhook_secrets = ["{SMILE_VAPI}"]
vapi_assistant_ids = ["asst-smile"]
vapi_phone_number_ids = ["pn-smile"]

[[tenant]]
slug = "cut"
name = '{salon}'
time_zone = "Europe/London"
language = "es"
cal_api_url = "{cut_url}"
cal_api_key = "{CUT_KEY}"
event_type_ids = [{CUT_EVENT}]
cal_webhook_secrets = ["{CUT_CAL_SECRET}"]
vapi_webhook_secrets = ["{CUT_VAPI}"]
vapi_hmac_secrets = ["{CUT_HMAC}"]
vapi_assistant_ids = ["asst-cut"]
vapi_phone_number_ids = ["pn-cut"]
admin_tokens = ["{CUT_OPERATOR}"]
"#
            ),
        )
        .expect("write the tenants file");
        let file = TempFile(path.clone());
        // The environment's single-business settings are present too: the file wins.
        let mut settings = settings_for(&Options::default(), "http://127.0.0.1:9");
        settings.tenants_file = Some(path);
        settings.max_bookings_per_caller_per_day = 10;
        settings.admin_token = Some(SecretString::from(crate::support::ADMIN_TOKEN));
        let test_db = TestDb::new().await;
        let app::Service {
            state,
            jobs,
            reloader,
        } = app::build(&settings, clock, test_db.db.clone())
            .await
            .expect("two tenants build");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(app::serve(listener, state, std::future::pending()));
        for (sim, slug, secret) in [
            (&smile, "smile", SMILE_CAL_SECRET),
            (&cut, "cut", CUT_CAL_SECRET),
        ] {
            sim.subscribe_webhook(
                &format!("{url}/t/{slug}/cal/webhook"),
                Some(secret),
                &vapi_cal::sync::bookings::SUBSCRIBED_TRIGGERS,
            );
        }
        TwoBusinesses {
            url,
            smile,
            cut,
            db: test_db.db.clone(),
            http: reqwest::Client::new(),
            test_db,
            file,
            reloader: reloader.expect("a tenants file is read again on SIGHUP"),
            jobs: jobs.start(),
        }
    }

    /// The database as tenant `slug` sees it.
    fn db_of(&self, slug: &str) -> Db {
        self.db.for_tenant(&TenantSlug::parse(slug).expect("slug"))
    }

    async fn post(&self, path: &str, body: &Value, headers: &[(&str, &str)]) -> (u16, Value) {
        let mut req = self
            .http
            .post(format!("{}{path}", self.url))
            .header("content-type", "application/json")
            .body(body.to_string());
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let resp = req.send().await.expect("app answers");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }
}

/// Serves a simulator for the rest of the test; returns its URL.
async fn serve_forever(sim: &Simulator) -> String {
    let handle = sim.spawn().await.expect("simulator starts");
    let url = handle.url.clone();
    std::mem::forget(handle);
    url
}

/// A tool-calls message of call `call_id` from `caller`, on the VAPI number `phone_number_id`.
fn tool_call(call_id: &str, phone_number_id: Option<&str>, name: &str, args: Value) -> Value {
    let mut message = json!({
        "type": "tool-calls",
        "call": {"id": call_id, "type": "inboundPhoneCall", "customer": {"number": CALLER}},
        "customer": {"number": CALLER},
        "toolCallList": [{"id": format!("tc-{call_id}"), "type": "function",
                          "function": {"name": name, "arguments": args}}],
    });
    if let Some(id) = phone_number_id {
        message["phoneNumber"] = json!({"id": id});
        message["call"]["phoneNumberId"] = json!(id);
    }
    json!({ "message": message })
}

fn result_text(body: &Value) -> String {
    let entry = &body["results"][0];
    entry["result"]
        .as_str()
        .or(entry["error"].as_str())
        .unwrap_or_default()
        .to_owned()
}

fn slot_reads(sim: &Simulator) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.path == "/v2/slots")
        .count()
}

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

/// The fixed clock's now as VAPI's `x-timestamp` (seconds).
fn world_timestamp() -> String {
    at("2026-11-21T15:00:00Z").timestamp().to_string()
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

/// `serve` refuses a bad tenants file before it listens, naming every problem with its line;
/// `tenants check` says the same, and says what a good file gives each business.
#[tokio::test]
async fn a_bad_tenants_file_is_refused_with_every_problem_named() {
    let path = std::env::temp_dir().join(format!(
        "vapi-cal-bad-tenants-{}.toml",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::write(
        &path,
        "[[tenant]]\nslug = \"smile\"\nname = \"Smile\"\ntime_zone = \"Mars/Base\"\ncal_api_key = \"env:VAPI_CAL_TEST_UNSET_KEY\"\nevent_type_ids = [1]\ncal_webhook_secrets = [\"a-long-cal-secret-0123\"]\nvapi_webhook_secrets = [\"a-long-vapi-secret-0123\"]\nfavourite_colour = \"blue\"\n",
    )
    .expect("write");
    let _file = TempFile(path.clone());
    let run = |args: &[&str]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_vapi-cal"));
        command
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("TENANTS_FILE", &path)
            .env("LISTEN_ADDR", "127.0.0.1:0")
            .env("DATABASE_URL", "sqlite::memory:");
        command.output().expect("the binary runs")
    };
    for args in [&["tenants", "check"][..], &["serve"][..]] {
        let output = run(args);
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!output.status.success(), "{args:?}: {said}");
        for needle in [
            "line 4: tenant 'smile': time_zone: 'Mars/Base' is not an IANA time zone",
            "line 5: tenant 'smile': cal_api_key: the environment variable VAPI_CAL_TEST_UNSET_KEY is not set",
            "line 9: unknown key 'favourite_colour'",
        ] {
            assert!(said.contains(needle), "{args:?} lacks {needle}: {said}");
        }
    }
    std::fs::write(
        &path,
        "[[tenant]]\nslug = \"smile\"\nname = \"Smile\"\ntime_zone = \"Asia/Kolkata\"\ncal_api_key = \"inline-cal-key\"\nevent_type_ids = [1, 2]\ncal_webhook_secrets = [\"a-long-cal-secret-0123\"]\nvapi_webhook_secrets = [\"a-long-vapi-secret-0123\"]\n",
    )
    .expect("write");
    let output = run(&["tenants", "check"]);
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{said}");
    assert!(
        said.contains("smile (Smile): Asia/Kolkata, en, 2 event type(s)"),
        "{said}"
    );
    assert!(said.contains("/t/smile/vapi/webhook"), "{said}");
    assert!(
        said.contains("warning: line 5: tenant 'smile': cal_api_key is written inline"),
        "{said}"
    );
    assert!(
        !said.contains("inline-cal-key"),
        "secrets are never printed: {said}"
    );
}

impl TwoBusinesses {
    /// A client that shows redirects instead of following them.
    fn manual() -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// Signs in to the console with `token`; the session cookie.
    async fn sign_in(&self, token: &str) -> String {
        let resp = Self::manual()
            .post(format!("{}/dashboard/sign-in", self.url))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("token={token}"))
            .send()
            .await
            .expect("sign in");
        assert_eq!(resp.status(), 303, "signed in");
        let cookie = resp.headers()["set-cookie"].to_str().expect("cookie");
        cookie.split(';').next().expect("name=value").to_owned()
    }

    async fn page(&self, path: &str, cookie: &str) -> (u16, String) {
        let resp = Self::manual()
            .get(format!("{}{path}", self.url))
            .header("cookie", cookie)
            .send()
            .await
            .expect("page");
        (resp.status().as_u16(), resp.text().await.expect("text"))
    }

    async fn api(&self, path: &str, token: &str) -> (u16, Value) {
        let resp = self
            .http
            .get(format!("{}{path}", self.url))
            .bearer_auth(token)
            .send()
            .await
            .expect("api");
        (
            resp.status().as_u16(),
            resp.json().await.unwrap_or(Value::Null),
        )
    }

    /// A finished call of `slug`'s, recorded through its own route.
    async fn call_of(&self, slug: &str, secret: &str, id: &str, summary: &str) {
        let report = json!({"message": {"type": "end-of-call-report", "endedReason": "customer-ended-call",
            "call": {"id": id, "type": "inboundPhoneCall", "customer": {"number": CALLER}},
            "customer": {"number": CALLER}, "summary": summary,
            "startedAt": "2026-11-21T14:00:00Z", "endedAt": "2026-11-21T14:03:00Z"}});
        let (status, body) = self
            .post(
                &format!("/t/{slug}/vapi/webhook"),
                &report,
                &[("x-vapi-secret", secret)],
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
}

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

/// The commands that concern a business act on every business of the file, or the one
/// `--tenant` names, each with its own Cal.com, table and routes.
#[tokio::test]
async fn commands_act_on_each_business_or_the_one_named() {
    let world = TwoBusinesses::start().await;
    world.smile.seed_booking(vapi_cal::simulator::SeedBooking {
        uid: "smile-seeded".to_owned(),
        event_type_id: SMILE_EVENT,
        start: at("2026-11-24T15:00:00Z"),
        attendee_name: "Pat Caller".to_owned(),
        attendee_email: None,
        attendee_phone: Some(CALLER.to_owned()),
        attendee_time_zone: "America/New_York".to_owned(),
    });
    // The simulators answer on this test's runtime: the command is awaited, never blocked on.
    let run = async |args: &[&str]| {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_vapi-cal"));
        command
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("TENANTS_FILE", &world.file.0)
            .env("DATABASE_URL", &world.test_db.url)
            .env("PUBLIC_URL", "https://voice.example.com");
        let output = command.output().await.expect("the binary runs");
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (
            output.status.success(),
            said,
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    };

    let (ok, said, _) = run(&["sync", "bookings", "--tenant", "cut"]).await;
    assert!(ok, "{said}");
    assert!(said.contains("Synced 0 bookings"), "{said}");
    assert!(
        world
            .db_of("smile")
            .appointment("smile-seeded")
            .await
            .expect("read")
            .is_none()
    );
    let (ok, said, _) = run(&["sync", "bookings"]).await;
    assert!(ok, "{said}");
    assert!(
        said.contains("== Smile Dental (smile)") && said.contains("== Cut & Colour (cut)"),
        "{said}"
    );
    assert!(
        world
            .db_of("smile")
            .appointment("smile-seeded")
            .await
            .expect("read")
            .is_some()
    );
    assert!(
        world
            .db_of("cut")
            .appointment("smile-seeded")
            .await
            .expect("read")
            .is_none()
    );

    let (ok, said, _) = run(&["calcom", "register-webhook", "--dry-run", "--tenant", "cut"]).await;
    assert!(ok, "{said}");
    assert!(
        said.contains("https://voice.example.com/t/cut/cal/webhook"),
        "{said}"
    );
    assert!(!said.contains("/t/smile/"), "{said}");

    let (ok, said, out) = run(&[
        "stats",
        "--json",
        "--tenant",
        "smile",
        "--from",
        "2026-11-20",
        "--to",
        "2026-11-21",
    ])
    .await;
    assert!(ok, "{said}");
    let report: Value = serde_json::from_str(out.trim()).expect("one report");
    assert!(
        report.get("smile").is_none() && report.get("cut").is_none(),
        "one business's report: {report}"
    );
    let (ok, said, out) = run(&[
        "stats",
        "--json",
        "--from",
        "2026-11-20",
        "--to",
        "2026-11-21",
    ])
    .await;
    assert!(ok, "{said}");
    let both: Value = serde_json::from_str(out.trim()).expect("one report per business");
    assert!(
        both.get("smile").is_some() && both.get("cut").is_some(),
        "{both}"
    );

    let (ok, said, _) = run(&["stats", "--tenant", "nobody"]).await;
    assert!(!ok);
    assert!(
        said.contains("--tenant nobody: no such business") && said.contains("smile, cut"),
        "{said}"
    );
}

/// Reading the file again replaces the businesses served: a business added answers on its
/// route, one removed is gone, the others keep serving; a bad file is refused and the running
/// set kept.
#[tokio::test]
async fn reading_the_file_again_replaces_the_businesses_served() {
    let mut world = TwoBusinesses::start().await;
    let ask = |call: &str| tool_call(call, None, "user_read", json!({}));
    let original = std::fs::read_to_string(&world.file.0).expect("read");
    let cut_start = original
        .find("[[tenant]]\nslug = \"cut\"")
        .expect("the salon's table");
    let third = r#"[[tenant]]
slug = "third"
name = "Third Place"
time_zone = "Asia/Kolkata"
cal_api_key = "cal_key_third"
event_type_ids = [31]
cal_webhook_secrets = ["third-cal-secret-0123456789"]
vapi_webhook_secrets = ["third-vapi-secret-0123456789"]
"#;
    std::fs::write(&world.file.0, format!("{}{third}", &original[..cut_start])).expect("write");
    let reloaded = world.reloader.reload(&mut world.jobs);
    assert_eq!(
        reloaded,
        app::reload::Reloaded::Serving(vec!["smile".to_owned(), "third".to_owned()])
    );
    let (status, body) = world
        .post(
            "/t/third/vapi/webhook",
            &ask("call-t1"),
            &[("x-vapi-secret", "third-vapi-secret-0123456789")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = world
        .post(
            "/t/cut/vapi/webhook",
            &ask("call-c9"),
            &[("x-vapi-secret", CUT_VAPI)],
        )
        .await;
    assert_eq!(status, 404, "the salon is no longer served");
    let (status, _) = world
        .post(
            "/t/smile/vapi/webhook",
            &ask("call-s9"),
            &[("x-vapi-secret", SMILE_VAPI)],
        )
        .await;
    assert_eq!(status, 200, "the clinic still is");

    // A bad file changes nothing.
    std::fs::write(&world.file.0, "[[tenant]]\nslug = \"broken\"\ncolour = 1\n").expect("write");
    match world.reloader.reload(&mut world.jobs) {
        app::reload::Reloaded::Refused(why) => {
            assert!(why.contains("line 3: unknown key 'colour'"), "{why}");
        }
        other => panic!("refused, not {other:?}"),
    }
    let (status, _) = world
        .post(
            "/t/third/vapi/webhook",
            &ask("call-t2"),
            &[("x-vapi-secret", "third-vapi-secret-0123456789")],
        )
        .await;
    assert_eq!(status, 200, "the running set is kept");
}

/// `serve` reads the tenants file again on SIGHUP.
#[cfg(unix)]
#[tokio::test]
async fn serve_reads_the_tenants_file_again_on_sighup() {
    let dir = std::env::temp_dir();
    let path = dir.join(format!(
        "vapi-cal-hup-{}.toml",
        uuid::Uuid::new_v4().simple()
    ));
    let _file = TempFile(path.clone());
    let db = crate::support::TempSqlite::new("hup");
    let business = |slug: &str| {
        format!(
            "[[tenant]]\nslug = \"{slug}\"\nname = \"{slug}\"\ntime_zone = \"UTC\"\ncal_api_key = \"key-{slug}\"\nevent_type_ids = [1]\ncal_webhook_secrets = [\"{slug}-cal-secret-0123456789\"]\nvapi_webhook_secrets = [\"{slug}-vapi-secret-0123456789\"]\n"
        )
    };
    std::fs::write(&path, business("first")).expect("write");
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
        probe.local_addr().expect("addr").port()
    };
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_vapi-cal"))
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("TENANTS_FILE", &path)
        .env("DATABASE_URL", &db.url)
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env("CAL_SYNC_INTERVAL_SECS", "0")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("serve starts");
    let url = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let status_of = |slug: &'static str| {
        let (client, url) = (client.clone(), url.clone());
        async move {
            let body = json!({"message": {"type": "status-update", "status": "ringing",
                "call": {"id": format!("hup-{slug}")}}});
            client
                .post(format!("{url}/t/{slug}/vapi/webhook"))
                .header("x-vapi-secret", format!("{slug}-vapi-secret-0123456789"))
                .json(&body)
                .send()
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0)
        }
    };
    // Wait for the state asserted: serving, then serving the second business.
    let until = |slug: &'static str, want: u16| {
        let status_of = &status_of;
        async move {
            for _ in 0..300 {
                if status_of(slug).await == want {
                    return true;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            false
        }
    };
    assert!(
        until("first", 200).await,
        "serve answers for the first business"
    );
    assert_eq!(status_of("second").await, 404);
    std::fs::write(
        &path,
        format!("{}{}", business("first"), business("second")),
    )
    .expect("write");
    let pid = child.id().expect("pid").to_string();
    let hup = tokio::process::Command::new("kill")
        .args(["-HUP", &pid])
        .status()
        .await
        .expect("kill runs");
    assert!(hup.success());
    assert!(
        until("second", 200).await,
        "the second business is served after SIGHUP"
    );
    assert_eq!(status_of("first").await, 200);
    child.kill().await.expect("stop serve");
}
