//! Test harness: spawns a simulator and the app, and sends VAPI-shaped requests.

use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use secrecy::SecretString;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use vapi_cal::{
    app,
    calcom::CalClient,
    clock::Clock,
    config::Settings,
    db::Db,
    simulator::{EventTypeSpec, SeedBooking, Simulator, smtp::SmtpSink},
};

pub const API_KEY: &str = "cal_test_key";
pub const CALLER: &str = "+15551234567";
pub const EVENT_TYPE: i64 = 7;
/// Secrets are at least 16 characters: `serve` (run as a binary by some tests) refuses shorter.
pub const WEBHOOK_SECRET: &str = "whsec-test-0123456789";
/// The VAPI shared secret every helper sends (the new one of a rotation).
pub const VAPI_SECRET: &str = "vapi-secret-new-0123456789";
/// The old VAPI shared secret, still accepted during the rotation.
pub const VAPI_SECRET_OLD: &str = "vapi-secret-old-0123456789";
/// The VAPI HMAC key.
pub const VAPI_HMAC_SECRET: &str = "vapi-hmac-key-0123456789";
/// The token `GET /metrics` requires when a test turns it on.
pub const METRICS_TOKEN: &str = "metrics-test-token";

/// The slots requests the simulator has seen from `app`.
pub fn slot_requests(app: &TestApp) -> usize {
    app.sim
        .requests()
        .iter()
        .filter(|r| r.path == "/v2/slots")
        .count()
}

/// Booking requests (POSTs) the simulator received: each one could book.
pub fn booking_posts(sim: &Simulator) -> usize {
    sim.requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .count()
}
/// The status Cal.com holds for a booking ("" when it has none).
pub fn status_at_calcom(app: &TestApp, uid: &str) -> String {
    app.sim
        .bookings()
        .into_iter()
        .find(|b| b["uid"] == uid)
        .and_then(|b| b["status"].as_str().map(str::to_owned))
        .unwrap_or_default()
}
/// Opens the operator API and signs in to the test app's dashboard.
pub const ADMIN_TOKEN: &str = "admin-token-for-tests-0123456789";
/// The assistant `assistant-request` answers with (`VAPI_ASSISTANT_ID`).
pub const ASSISTANT_ID: &str = "asst-test";

/// How a test wants its world.
pub struct Options {
    pub business_tz: Tz,
    pub now: DateTime<Utc>,
    pub organization_id: Option<i64>,
    /// Weekdays the event type is open (default: every day).
    pub weekdays: Vec<chrono::Weekday>,
    /// The Cal.com request budget (CAL_RATE_LIMIT_PER_MIN).
    pub cal_rate_limit_per_min: u32,
    /// How long slot answers are reused (SLOT_CACHE_SECS).
    pub slot_cache: Duration,
    /// STAFF_LINE.
    pub staff_line: bool,
    /// STAFF_NUMBERS (comma-separated).
    pub staff_numbers: Option<String>,
    /// STAFF_PHONE_NUMBER_IDS (comma-separated).
    pub staff_phone_number_ids: Option<String>,
    /// CAL_EVENT_TYPE_IDS (comma-separated; default: only EVENT_TYPE).
    pub event_type_ids: Option<String>,
    /// Require METRICS_TOKEN on /metrics.
    pub metrics_token: bool,
    /// Stops the server (gracefully) when it resolves; by default it runs until the test ends.
    pub shutdown: Option<tokio::sync::oneshot::Receiver<()>>,
    /// ADMIN_TOKEN of the operator API (None: the API answers 404).
    pub admin_token: Option<String>,
    /// `BUSINESS_DATE_ORDER` (default: unset, ambiguous numeric dates are asked about).
    pub date_order: Option<vapi_cal::domain::local_time::DateOrder>,
    /// `SMTP_URL` on a local mail sink (default: on); off, callers without a number get no codes.
    pub smtp: bool,
    /// Last changes to the settings, for a test that needs one no other option covers.
    pub tweak: Option<fn(&mut Settings)>,
    /// `VAPI_API_URL` with `VAPI_API_KEY` set to the fake's key (default: no VAPI key).
    pub vapi_api_url: Option<String>,
    /// `VAPI_PHONE_NUMBER_ID`: the business's line (default: none).
    pub phone_number_id: Option<String>,
    /// The calls the business makes (default: none; the periodic pass is always off, a test
    /// runs passes itself).
    pub outbound: Option<vapi_cal::config::outbound::OutboundSettings>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            business_tz: chrono_tz::America::New_York,
            // Saturday, November 21, 2026, 10:00 AM in New York.
            now: at("2026-11-21T15:00:00Z"),
            organization_id: None,
            weekdays: ALL_DAYS.to_vec(),
            cal_rate_limit_per_min: 120,
            slot_cache: Duration::from_secs(30),
            staff_line: false,
            staff_numbers: None,
            staff_phone_number_ids: None,
            event_type_ids: None,
            metrics_token: false,
            shutdown: None,
            admin_token: Some(ADMIN_TOKEN.to_owned()),
            date_order: None,
            smtp: true,
            tweak: None,
            vapi_api_url: None,
            phone_number_id: None,
            outbound: None,
        }
    }
}

pub const ALL_DAYS: [chrono::Weekday; 7] = [
    chrono::Weekday::Mon,
    chrono::Weekday::Tue,
    chrono::Weekday::Wed,
    chrono::Weekday::Thu,
    chrono::Weekday::Fri,
    chrono::Weekday::Sat,
    chrono::Weekday::Sun,
];

pub fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("valid test instant")
        .with_timezone(&Utc)
}

pub struct TestApp {
    pub url: String,
    pub sim: Simulator,
    pub clock: Clock,
    pub db: Db,
    pub tz: Tz,
    pub cal: CalClient,
    /// The database URL, for a second instance on the same database.
    pub db_url: String,
    /// The test's SQLite file, removed with the app (None on PostgreSQL and for replicas).
    _db_file: Option<std::sync::Arc<TempSqlite>>,
    /// The mailbox `SMTP_URL` delivers to, when the test has one.
    pub mail: Option<SmtpSink>,
    http: reqwest::Client,
    /// The business's outbound calls (a test runs passes with `run_once`).
    pub outbound: vapi_cal::outbound::Outbound,
    /// The app's background jobs, stopped with the last clone of the app.
    _jobs: std::sync::Arc<app::RunningJobs>,
}

/// The service's settings for a test: the simulator's Cal.com, both VAPI credential modes with
/// two shared secrets (as during a rotation), two Cal.com webhook secrets, and the test's options.
/// Reconcile and every retention prune stay off: a test runs them when it means to.
pub fn settings_for(opts: &Options, sim_url: &str) -> Settings {
    let mut settings = Settings::defaults();
    settings.cal_api_url = sim_url.to_owned();
    settings.cal_api_key = Some(SecretString::from(API_KEY));
    settings.cal_request_timeout_ms = 800;
    settings.tool_deadline_ms = 2500;
    settings.cal_rate_limit_per_min = opts.cal_rate_limit_per_min;
    settings.slot_cache_secs = opts.slot_cache.as_secs();
    settings.cal_event_type_id = Some(EVENT_TYPE);
    settings.cal_organization_id = opts.organization_id;
    settings.business_timezone = Some(opts.business_tz);
    settings.business_date_order = opts.date_order;
    settings.staff_line = opts.staff_line;
    settings.staff_numbers = opts.staff_numbers.clone();
    settings.staff_phone_number_ids = opts.staff_phone_number_ids.clone();
    settings.cal_event_type_ids = opts.event_type_ids.clone();
    settings.cal_webhook_secret = Some(SecretString::from(format!(
        "whsec-previous,{WEBHOOK_SECRET}"
    )));
    settings.vapi_webhook_secret = Some(SecretString::from(format!(
        "{VAPI_SECRET_OLD},{VAPI_SECRET}"
    )));
    settings.vapi_webhook_hmac_secret = Some(SecretString::from(VAPI_HMAC_SECRET));
    settings.metrics_token = opts
        .metrics_token
        .then(|| SecretString::from(METRICS_TOKEN));
    settings.admin_token = opts.admin_token.clone().map(SecretString::from);
    if let Some(url) = &opts.vapi_api_url {
        settings.vapi_api_url = url.clone();
        settings.vapi_api_key = Some(SecretString::from(crate::vapi_fake::VAPI_KEY));
    }
    settings.vapi_phone_number_id = opts.phone_number_id.clone();
    if let Some(outbound) = &opts.outbound {
        settings.outbound = outbound.clone();
    }
    settings.outbound.outbound_interval_secs = 0;
    settings.call_success_threshold = 7.0;
    settings.vapi_assistant_id = Some(ASSISTANT_ID.to_owned());
    settings.cal_sync_interval_secs = 0;
    settings.tool_log_retention_days = 0;
    settings.call_retention_days = 0;
    settings.transcript_retention_days = 0;
    settings.call_email_retention_days = 0;
    settings.webhook_event_retention_days = 0;
    settings.sync_run_retention_days = 0;
    settings
}

/// Lifts the public line's limits, for tests about something else that book or call a lot
/// from one number in one call (`tweak: Some(unlimited)`).
pub fn unlimited(settings: &mut Settings) {
    settings.max_bookings_per_call = 1000;
    settings.max_bookings_per_caller_per_day = 1000;
    settings.max_tool_calls_per_message = 1000;
    settings.cal_requests_per_call = 100_000;
}

/// A SQLite file for one test, removed with its `-wal` and `-shm` files when dropped. Not
/// migrated: for a test whose program under test opens the file itself (the demo, the CLI).
pub struct TempSqlite {
    pub path: std::path::PathBuf,
    /// `sqlite://PATH?mode=rwc`.
    pub url: String,
}

impl TempSqlite {
    /// A new file name in the temp folder, `vapi-cal-{purpose}-{unique}.db`.
    pub fn new(purpose: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "vapi-cal-{purpose}-{}.db",
            uuid::Uuid::new_v4().simple()
        ));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        TempSqlite { path, url }
    }
}

impl Drop for TempSqlite {
    fn drop(&mut self) {
        vapi_cal::db::remove_sqlite_files(&self.path);
    }
}

/// A migrated database for one test: a temp SQLite file, or a fresh schema on
/// TEST_DATABASE_URL when it is set.
pub struct TestDb {
    pub db: Db,
    /// The URL another pool or process opens the same database with.
    pub url: String,
    /// The SQLite file, removed when the test is done (None on PostgreSQL).
    pub file: Option<TempSqlite>,
}

impl TestDb {
    pub async fn new() -> Self {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(base) if !base.is_empty() => {
                let url = fresh_postgres_schema(&base).await;
                let db = Db::connect_and_migrate(&url)
                    .await
                    .expect("migrate postgres test schema");
                TestDb {
                    db,
                    url,
                    file: None,
                }
            }
            _ => {
                let file = TempSqlite::new("test");
                let db = Db::connect_and_migrate(&file.url)
                    .await
                    .expect("migrate sqlite test db");
                TestDb {
                    db,
                    url: file.url.clone(),
                    file: Some(file),
                }
            }
        }
    }
}

impl TestDb {
    /// An empty database, not migrated: the URL to open it with (a temp SQLite file, or a fresh
    /// schema on TEST_DATABASE_URL), and the file to remove when done.
    pub async fn unmigrated() -> (String, Option<TempSqlite>) {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(base) if !base.is_empty() => (fresh_postgres_schema(&base).await, None),
            _ => {
                let file = TempSqlite::new("unmigrated");
                (file.url.clone(), Some(file))
            }
        }
    }
}

/// Makes an empty schema `t_<epoch seconds>_<unique>` on the PostgreSQL at `base` and returns the
/// URL that uses it; schemas older than an hour go first, once per test process.
async fn fresh_postgres_schema(base: &str) -> String {
    let admin = Db::connect(base)
        .await
        .expect("TEST_DATABASE_URL reachable");
    static CLEANED: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    CLEANED
        .get_or_init(|| async {
            admin
                .drop_schemas_older_than("t_", chrono::Utc::now().timestamp() - 3600)
                .await
                .expect("drop old test schemas");
        })
        .await;
    // Named by when it was made, so a run drops only old ones and never a concurrent run's.
    let schema = format!(
        "t_{}_{}",
        chrono::Utc::now().timestamp(),
        uuid::Uuid::new_v4().simple()
    );
    admin
        .create_schema(&schema)
        .await
        .expect("create test schema");
    admin.close().await;
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-c%20search_path%3D{schema}")
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(Options::default()).await
    }

    pub async fn spawn_with(opts: Options) -> Self {
        let clock = Clock::fixed(opts.now);
        let sim = Simulator::new(API_KEY, clock.clone());
        let mut spec = EventTypeSpec::new(EVENT_TYPE, "Consultation", 30, opts.business_tz);
        spec.weekdays = opts.weekdays.clone();
        sim.add_event_type(spec);
        if let Some(org) = opts.organization_id {
            sim.add_organization(org);
        }
        let handle = sim.spawn().await.expect("simulator starts");
        let TestDb { db, url, file } = TestDb::new().await;
        // Keep the simulator server alive for the test's lifetime.
        let sim_url = handle.url.clone();
        std::mem::forget(handle);
        let mut app = Self::start(opts, sim, &sim_url, clock, db, url).await;
        app._db_file = file.map(std::sync::Arc::new);
        app
    }

    /// A second instance of the service (a replica) on the same simulator and database, with its
    /// own connection pool, budget and slot cache.
    pub async fn replica(&self, opts: Options) -> TestApp {
        let db = Db::connect(&self.db_url).await.expect("second pool");
        Self::start(
            opts,
            self.sim.clone(),
            self.cal.base_url(),
            self.clock.clone(),
            db,
            self.db_url.clone(),
        )
        .await
        .sharing_the_file_of(self)
    }

    /// Keeps the first instance's SQLite file for as long as this replica runs too.
    fn sharing_the_file_of(mut self, first: &TestApp) -> Self {
        self._db_file = first._db_file.clone();
        self
    }

    async fn start(
        opts: Options,
        sim: Simulator,
        sim_url: &str,
        clock: Clock,
        db: Db,
        db_url: String,
    ) -> TestApp {
        let mut settings = settings_for(&opts, sim_url);
        let mail = if opts.smtp {
            let sink = SmtpSink::spawn().await.expect("mail sink starts");
            settings.smtp_url = Some(SecretString::from(sink.url()));
            settings.smtp_from = Some("Bookings <bookings@example.com>".to_owned());
            Some(sink)
        } else {
            None
        };
        if let Some(tweak) = opts.tweak {
            tweak(&mut settings);
        }
        let app::Service { state, jobs, .. } = app::build(&settings, clock.clone(), db.clone())
            .await
            .expect("the test app builds");
        let cal = state.tenants.current().home().tools.cal.clone();
        let outbound = state.tenants.current().home().outbound.clone();
        let jobs = std::sync::Arc::new(jobs.start());
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind app");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        match opts.shutdown {
            Some(stop) => tokio::spawn(app::serve_with_grace(
                listener,
                state,
                async move {
                    let _ = stop.await;
                },
                Duration::from_secs(5),
            )),
            None => tokio::spawn(app::serve(listener, state, std::future::pending())),
        };
        TestApp {
            url,
            sim,
            clock,
            db,
            tz: opts.business_tz,
            cal,
            db_url,
            _db_file: None,
            mail,
            http: reqwest::Client::new(),
            outbound,
            _jobs: jobs,
        }
    }

    /// Seeds an accepted booking for a caller at a UTC instant.
    pub fn seed(&self, uid: &str, start: &str, phone: Option<&str>, email: Option<&str>) {
        self.sim.seed_booking(SeedBooking {
            uid: uid.to_owned(),
            event_type_id: EVENT_TYPE,
            start: at(start),
            attendee_name: "Pat Caller".to_owned(),
            attendee_email: email.map(str::to_owned),
            attendee_phone: phone.map(str::to_owned),
            attendee_time_zone: self.tz.name().to_owned(),
        });
    }

    /// Sends any body to /vapi/webhook as VAPI does (with the VAPI secret): for tests of the
    /// transport itself (malformed bodies, odd shapes); tool tests use the domain verbs.
    pub async fn send_message_raw(&self, body: &str) -> (u16, Value) {
        self.send_message_with(body, &[("x-vapi-secret", VAPI_SECRET)])
            .await
    }

    /// Sends a body to /vapi/webhook with exactly these extra headers (credentials or none).
    pub async fn send_message_with(&self, body: &str, headers: &[(&str, &str)]) -> (u16, Value) {
        let (status, _, body) = self.send_message_full(body, headers).await;
        (status, body)
    }

    /// Like `send_message_with`, also returning the response headers.
    pub async fn send_message_full(
        &self,
        body: &str,
        headers: &[(&str, &str)],
    ) -> (u16, reqwest::header::HeaderMap, Value) {
        let mut req = self
            .http
            .post(format!("{}/vapi/webhook", self.url))
            .header("content-type", "application/json")
            .body(body.to_owned());
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let resp = req.send().await.expect("app answers");
        let status = resp.status().as_u16();
        let response_headers = resp.headers().clone();
        let body = resp.json::<Value>().await.unwrap_or(Value::Null);
        (status, response_headers, body)
    }

    /// Sends a body to /vapi/webhook signed the way VAPI's HMAC credential signs it.
    pub async fn send_message_signed(
        &self,
        body: &str,
        key: &str,
        timestamp: &str,
    ) -> (u16, Value) {
        let signature = vapi_cal::vapi::auth::sign(key, timestamp, body.as_bytes());
        self.send_message_with(
            body,
            &[("x-signature", &signature), ("x-timestamp", timestamp)],
        )
        .await
    }

    /// GETs a path with extra headers, returning status, headers and the body as text.
    pub async fn get_text(
        &self,
        path: &str,
        headers: &[(&str, &str)],
    ) -> (u16, reqwest::header::HeaderMap, String) {
        let mut req = self.http.get(format!("{}{path}", self.url));
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let resp = req.send().await.expect("app answers");
        let status = resp.status().as_u16();
        let response_headers = resp.headers().clone();
        (
            status,
            response_headers,
            resp.text().await.unwrap_or_default(),
        )
    }

    /// Delivers a Cal.com webhook body with the given signature header (None: no header).
    pub async fn deliver_signed_as(&self, body: &str, signature: Option<&str>) -> (u16, Value) {
        let mut req = self
            .http
            .post(format!("{}/cal/webhook", self.url))
            .header("content-type", "application/json")
            .body(body.to_owned());
        if let Some(sig) = signature {
            req = req.header("X-Cal-Signature-256", sig);
        }
        let resp = req.send().await.expect("app answers");
        let status = resp.status().as_u16();
        (status, resp.json::<Value>().await.unwrap_or(Value::Null))
    }

    /// Posts a Cal.com webhook signed with the test secret.
    pub async fn deliver(&self, body: &str) -> (u16, Value) {
        let sig = vapi_cal::calcom::webhook::sign(WEBHOOK_SECRET, body.as_bytes());
        self.deliver_signed_as(body, Some(&sig)).await
    }

    /// Delivers a signed Cal.com webhook; `None` when the server no longer accepts connections.
    pub async fn try_deliver(&self, body: &str) -> Option<u16> {
        let sig = vapi_cal::calcom::webhook::sign(WEBHOOK_SECRET, body.as_bytes());
        let resp = self
            .http
            .post(format!("{}/cal/webhook", self.url))
            .header("content-type", "application/json")
            .header("X-Cal-Signature-256", sig)
            .body(body.to_owned())
            .send()
            .await
            .ok()?;
        Some(resp.status().as_u16())
    }

    /// Subscribes the app's /cal/webhook to the simulator's booking events.
    pub fn subscribe(&self) {
        self.sim.subscribe_webhook(
            &format!("{}/cal/webhook", self.url),
            Some(WEBHOOK_SECRET),
            &vapi_cal::sync::bookings::SUBSCRIBED_TRIGGERS,
        );
    }

    /// Calls the simulated Cal.com API directly, as a change made in Cal.com itself would.
    pub async fn cal_api_post(&self, path: &str, body: Value) -> (u16, Value) {
        let resp = self
            .http
            .post(format!("{}{path}", self.cal.base_url()))
            .bearer_auth(API_KEY)
            .header("cal-api-version", "2024-08-13")
            .json(&body)
            .send()
            .await
            .expect("simulator answers");
        let status = resp.status().as_u16();
        (status, resp.json::<Value>().await.unwrap_or(Value::Null))
    }

    /// Runs a reconcile against the simulator.
    pub async fn reconcile(&self) -> vapi_cal::sync::bookings::SyncReport {
        vapi_cal::sync::bookings::sync_bookings(&self.cal, &self.db, &self.clock, None)
            .await
            .expect("reconcile")
    }

    /// Posts one server message of any type (`{"message": message}`) to /vapi/webhook.
    pub async fn message(&self, message: Value) -> (u16, Value) {
        self.send_message_raw(&json!({ "message": message }).to_string())
            .await
    }

    /// GETs an operator API path with `Authorization: Bearer <token>` (None: no header).
    pub async fn api(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        let mut req = self.http.get(format!("{}{path}", self.url));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        let resp = req.send().await.expect("app answers");
        let status = resp.status().as_u16();
        (status, resp.json::<Value>().await.unwrap_or(Value::Null))
    }

    /// GETs an operator API path with the test's ADMIN_TOKEN.
    pub async fn admin(&self, path: &str) -> (u16, Value) {
        self.api(path, Some(ADMIN_TOKEN)).await
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let resp = self
            .http
            .get(format!("{}{path}", self.url))
            .send()
            .await
            .expect("app answers");
        let status = resp.status().as_u16();
        (status, resp.json::<Value>().await.unwrap_or(Value::Null))
    }

    /// Sends a tool-calls message with several calls from the test caller.
    pub async fn tool_calls(&self, calls: &[(&str, &str, Value)], caller: Option<&str>) -> Value {
        self.tool_calls_on("call-1", calls, caller).await
    }

    /// Sends a tool-calls message with several calls made during the VAPI call `call_id`.
    pub async fn tool_calls_on(
        &self,
        call_id: &str,
        calls: &[(&str, &str, Value)],
        caller: Option<&str>,
    ) -> Value {
        let list: Vec<Value> = calls
            .iter()
            .map(|(id, name, args)| json!({"id": id, "type": "function", "function": {"name": name, "arguments": args}}))
            .collect();
        let mut message = json!({
            "type": "tool-calls",
            "timestamp": 1_763_730_000_123_u64,
            "call": {"id": call_id, "type": "inboundPhoneCall", "status": "ringing"},
            "toolCallList": list,
        });
        if let Some(number) = caller {
            message["customer"] = json!({"number": number});
            message["call"]["customer"] = json!({"number": number});
        }
        let (status, body) = self
            .send_message_raw(&json!({ "message": message }).to_string())
            .await;
        assert_eq!(status, 200, "tool-calls must answer 200: {body}");
        body
    }

    /// Sends an `assistant-request` for an inbound call from `caller` (None: number withheld).
    pub async fn assistant_request(&self, caller: Option<&str>) -> (u16, Value) {
        let mut message = json!({
            "type": "assistant-request",
            "timestamp": 1_763_730_000_123_u64,
            "call": {"id": "call-inbound", "type": "inboundPhoneCall", "status": "ringing"},
            "phoneNumber": {"id": "pn-1", "number": "+15550009999"},
        });
        if let Some(number) = caller {
            message["customer"] = json!({"number": number});
            message["call"]["customer"] = json!({"number": number});
        }
        self.send_message_raw(&json!({ "message": message }).to_string())
            .await
    }

    /// Proves `email` on the helpers' call (`call-1`, without a number) as a caller would: asks
    /// for a one-time code, reads it from the mail, and reads it back.
    pub async fn prove_email(&self, email: &str) {
        let sink = self.mail.as_ref().expect("the test has a mailbox");
        let before = sink.mails().len();
        self.call_as("caller_verify", json!({"email": email}), None)
            .await
            .ok();
        let mails = tokio::time::timeout(Duration::from_secs(20), sink.wait_for(before + 1))
            .await
            .expect("the code's mail arrives");
        let code = mails[before].code(6).expect("a code in the mail");
        let r = self
            .call_as("caller_verify", json!({"email": email, "code": code}), None)
            .await
            .ok();
        assert_eq!(r["verified"], true, "{r}");
    }

    /// One tool call from the test caller; returns (result JSON, error text).
    pub async fn call(&self, name: &str, args: Value) -> Outcome {
        self.call_as(name, args, Some(CALLER)).await
    }

    pub async fn call_as(&self, name: &str, args: Value, caller: Option<&str>) -> Outcome {
        self.call_on("call-1", name, args, caller).await
    }

    /// One tool call made during the VAPI call `call_id`, from `caller`.
    pub async fn call_on(
        &self,
        call_id: &str,
        name: &str,
        args: Value,
        caller: Option<&str>,
    ) -> Outcome {
        let id = format!("tc-{}", uuid::Uuid::new_v4().simple());
        let body = self
            .tool_calls_on(call_id, &[(&id, name, args)], caller)
            .await;
        Outcome::from_result(&body["results"][0], &id, name)
    }

    /// The answer of a tool call from the test caller that must succeed; panics with the
    /// sentence the caller would hear if it was refused.
    pub async fn answer(&self, tool: &str, args: Value) -> Value {
        self.call(tool, args).await.ok()
    }

    /// Like `answer`, from `caller` (None: a call without a number).
    pub async fn answer_as(&self, tool: &str, args: Value, caller: Option<&str>) -> Value {
        self.call_as(tool, args, caller).await.ok()
    }

    /// The sentence the test caller hears when a tool call is refused; panics if it succeeded.
    pub async fn refusal(&self, tool: &str, args: Value) -> String {
        self.call(tool, args).await.err()
    }

    /// Like `refusal`, from `caller` (None: a call without a number).
    pub async fn refusal_as(&self, tool: &str, args: Value, caller: Option<&str>) -> String {
        self.call_as(tool, args, caller).await.err()
    }

    /// Books `start` (as a caller says it) for `name` through `appointment_create` as the test
    /// caller; panics with the spoken refusal if nothing was booked.
    pub async fn book(&self, start: &str, name: &str) -> Booked {
        Booked::from_answer(
            self.answer(
                "appointment_create",
                json!({"start": start, "attendeeName": name}),
            )
            .await,
        )
    }

    /// The sentence the test caller hears when booking `start` for `name` is refused.
    pub async fn booking_refusal(&self, start: &str, name: &str) -> String {
        self.refusal(
            "appointment_create",
            json!({"start": start, "attendeeName": name}),
        )
        .await
    }

    /// The open times on `date` (as a caller says it), as `availability_read` answers them.
    pub async fn open_times(&self, date: &str) -> Value {
        self.answer("availability_read", json!({"date": date}))
            .await
    }

    /// The upcoming appointments `caller` has (None: a call without a number).
    pub async fn appointments_of(&self, caller: Option<&str>) -> Value {
        self.answer_as("appointment_read", json!({}), caller).await
    }

    /// Moves the test caller's appointment `uid` to `start`; panics with the spoken refusal.
    pub async fn move_to(&self, uid: &str, start: &str) -> Value {
        self.answer(
            "appointment_update",
            json!({"appointmentId": uid, "start": start}),
        )
        .await
    }

    /// The sentence the test caller hears when moving `uid` to `start` is refused.
    pub async fn move_refusal(&self, uid: &str, start: &str) -> String {
        self.refusal(
            "appointment_update",
            json!({"appointmentId": uid, "start": start}),
        )
        .await
    }

    /// Cancels appointment `uid` as the test caller; panics with the spoken refusal.
    pub async fn cancel(&self, uid: &str) -> Value {
        self.answer("appointment_cancel", json!({"appointmentId": uid}))
            .await
    }

    /// The sentence the test caller hears when cancelling `uid` is refused.
    pub async fn cancel_refusal(&self, uid: &str) -> String {
        self.refusal("appointment_cancel", json!({"appointmentId": uid}))
            .await
    }
}

/// A booking `appointment_create` made.
#[derive(Debug)]
pub struct Booked {
    /// The appointment id (the Cal.com booking uid).
    pub uid: String,
    /// The start in UTC, RFC 3339.
    pub start_utc: String,
    /// The sentence the caller hears.
    pub summary: String,
}

impl Booked {
    /// The sentence the caller hears, with the appointment id (new each run) as `[id]`.
    pub fn spoken(&self) -> String {
        self.summary.replace(&self.uid, "[id]")
    }

    fn from_answer(answer: Value) -> Self {
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        let uid = answer["appointment"]["appointmentId"]
            .as_str()
            .unwrap_or_else(|| panic!("the booking answer names its appointment: {answer}"))
            .to_owned();
        Booked {
            uid,
            start_utc: text(&answer["appointment"]["startUtc"]),
            summary: text(&answer["summary"]),
        }
    }
}

/// One tool call's answer.
#[derive(Debug)]
pub struct Outcome {
    pub result: Option<Value>,
    pub error: Option<String>,
}

impl Outcome {
    pub fn from_result(entry: &Value, id: &str, name: &str) -> Self {
        assert_eq!(entry["toolCallId"], id, "toolCallId echoed: {entry}");
        assert_eq!(entry["name"], name, "name echoed: {entry}");
        let result = entry["result"].as_str().map(|s| {
            assert!(!s.contains('\n'), "result must be one line: {s}");
            serde_json::from_str::<Value>(s).expect("result is JSON")
        });
        let error = entry["error"].as_str().map(|s| {
            assert!(!s.contains('\n'), "error must be one line: {s}");
            s.to_owned()
        });
        assert!(
            result.is_some() != error.is_some(),
            "exactly one of result/error: {entry}"
        );
        Outcome { result, error }
    }

    #[track_caller]
    pub fn ok(self) -> Value {
        match (self.result, self.error) {
            (Some(r), None) => r,
            (_, e) => panic!("expected a result, got error {e:?}"),
        }
    }

    #[track_caller]
    pub fn err(self) -> String {
        match (self.result, self.error) {
            (None, Some(e)) => e,
            (r, _) => panic!("expected an error, got result {r:?}"),
        }
    }

    pub fn summary(v: &Value) -> &str {
        v["summary"].as_str().expect("summary")
    }
}
