//! Several businesses on one deployment: a tenants file, routes per tenant, credentials that
//! belong to one tenant only, and data no tenant can see or change of another's. The world of
//! two businesses the tests share is here; the tests are by concern in the files below.

mod commands;
mod operators;
mod retention;
mod routing;

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
        Self::start_with(salon, "", "").await
    }

    /// Two businesses, the salon named `salon`, with more keys (TOML lines) for the clinic's
    /// table and the salon's.
    async fn start_with(salon: &str, smile_extra: &str, cut_extra: &str) -> Self {
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
{smile_extra}

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
{cut_extra}
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
        settings.metrics_token = Some(SecretString::from(crate::support::METRICS_TOKEN));
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

/// The fixed clock's now as VAPI's `x-timestamp` (seconds).
fn world_timestamp() -> String {
    at("2026-11-21T15:00:00Z").timestamp().to_string()
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
        self.call_at(slug, secret, id, summary, at("2026-11-21T14:00:00Z"))
            .await;
    }

    /// A finished three-minute call of `slug`'s that started at `started`, recorded through its
    /// own route.
    async fn call_at(
        &self,
        slug: &str,
        secret: &str,
        id: &str,
        summary: &str,
        started: chrono::DateTime<chrono::Utc>,
    ) {
        let report = json!({"message": {"type": "end-of-call-report", "endedReason": "customer-ended-call",
            "call": {"id": id, "type": "inboundPhoneCall", "customer": {"number": CALLER}},
            "customer": {"number": CALLER}, "summary": summary,
            "startedAt": vapi_cal::db::ts(started),
            "endedAt": vapi_cal::db::ts(started + chrono::Duration::minutes(3))}});
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
