//! Load benchmark of `vapi-cal serve` (release build) against the Cal.com simulator running as its
//! own process, both on loopback.
//!
//! ```text
//! cargo bench --bench load                       # SQLite; PostgreSQL too when TEST_DATABASE_URL is set
//! cargo bench --bench load -- --quick            # short durations and small data, to try it out
//! cargo bench --bench load -- --duration-secs 5 --database-url postgres://postgres@127.0.0.1/test --json
//! cargo bench --bench load -- --quick --only webhooks --database-url postgres://postgres@127.0.0.1/test
//! ```
//!
//! For each database it measures, in one run: the floor (`GET /healthz`), tool calls (each tool
//! alone and a mix) at several concurrencies, the bare round trip to the simulator for the same
//! upstream requests (and so the overhead the service adds), signed Cal.com webhooks, one whole
//! booking conversation's Cal.com requests, growth with data, and the server's peak RSS. Traffic
//! goes only to 127.0.0.1 and every phase stops after its duration.
//!
//! PostgreSQL runs twice, with `sslmode=disable` and with `sslmode=require` (whatever `sslmode` the
//! URL gave), and the two are printed side by side with a `WARNING` line for every path where TLS
//! costs more than 1.5x; `--no-tls-compare` runs the URL once, as given.

mod drive;
mod payloads;
mod procs;
mod tenants;
mod tls;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use serde::Serialize;
use serde_json::{Value, json};
use vapi_cal::db::Db;

use drive::Summary;
use payloads::{Slots, WebhookTemplates};
use procs::{Proc, ServeSettings};

/// Load benchmark of vapi-cal.
#[derive(Parser, Debug, Clone)]
struct Args {
    /// Seconds each measured phase runs.
    #[arg(long, default_value_t = 3.0)]
    duration_secs: f64,
    /// Concurrencies of the tool-call phases.
    #[arg(long, value_delimiter = ',', default_value = "1,50,200")]
    concurrency: Vec<usize>,
    /// Concurrencies of the webhook phases.
    #[arg(long, value_delimiter = ',', default_value = "1,50")]
    webhook_concurrency: Vec<usize>,
    /// PostgreSQL URL to run on as well (default: TEST_DATABASE_URL); a fresh schema is used.
    #[arg(long)]
    database_url: Option<String>,
    /// Only SQLite, even when a PostgreSQL URL is known.
    #[arg(long)]
    sqlite_only: bool,
    /// Run PostgreSQL once, with the URL as given, instead of with `sslmode=disable` and with
    /// `sslmode=require` side by side (halves the PostgreSQL time).
    #[arg(long)]
    no_tls_compare: bool,
    /// Appointments stored for the small-data figures.
    #[arg(long, default_value_t = 1_000)]
    base_appointments: u64,
    /// Appointments stored for the large-data figures.
    #[arg(long, default_value_t = 100_000)]
    grown_appointments: u64,
    /// Rows added to the tool-call log for the large-log figure.
    #[arg(long, default_value_t = 1_000_000)]
    tool_log_rows: u64,
    /// Latency the simulator adds to every Cal.com response, in ms.
    #[arg(long, default_value_t = 0)]
    cal_latency_ms: u64,
    /// Short phases and small data (0.5 s, 10,000 appointments, 50,000 log rows).
    #[arg(long)]
    quick: bool,
    /// Print JSON instead of tables.
    #[arg(long)]
    json: bool,
    /// Run only the phases whose name contains one of these (e.g. `--only webhooks` to profile
    /// one path); the others are skipped and left out of the tables.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// Businesses served by the many-businesses server (0 skips those phases).
    #[arg(long, default_value_t = 100)]
    tenants: usize,
    /// Appointments each of those businesses holds.
    #[arg(long, default_value_t = 1_000)]
    tenant_appointments: u64,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    bench: bool,
}

const VAPI_SECRET: &str = "bench-vapi-secret";
const CAL_SECRET: &str = "bench-cal-webhook-secret";
/// Upper bound of requests per phase, whatever the duration.
const MAX_REQUESTS: u64 = 5_000_000;

/// Overhead of a Cal.com-reaching tool over the bare upstream round trip.
#[derive(Debug, Serialize)]
struct Overhead {
    scenario: String,
    concurrency: usize,
    ours_p50_ms: f64,
    ours_p99_ms: f64,
    bare_p50_ms: f64,
    bare_p99_ms: f64,
    overhead_p50_ms: f64,
    overhead_p99_ms: f64,
    floor_p99_ms: f64,
    overhead_p99_over_floor_p99: f64,
}

/// Everything measured on one database.
#[derive(Debug, Serialize)]
struct Run {
    database: String,
    phases: Vec<Summary>,
    overhead: Vec<Overhead>,
    conversation_cal_requests: u64,
    growth: Vec<(String, f64, f64, f64)>,
    server_peak_rss_mib: Option<f64>,
    /// One business against many, on one deployment.
    tenants: Option<tenants::TenantsRun>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = Args::parse();
    if args.quick {
        args.duration_secs = args.duration_secs.min(0.5);
        args.grown_appointments = args.grown_appointments.min(10_000);
        args.tool_log_rows = args.tool_log_rows.min(50_000);
        args.tenants = args.tenants.min(10);
        args.tenant_appointments = args.tenant_appointments.min(100);
    }
    let pg = args
        .database_url
        .clone()
        .or_else(|| std::env::var("TEST_DATABASE_URL").ok())
        .filter(|u| !u.is_empty() && !args.sqlite_only);
    let mut runs = vec![run_database(&args, "sqlite", None).await?];
    let mut comparisons = Vec::new();
    if let Some(url) = pg {
        if args.no_tls_compare {
            runs.push(run_database(&args, "postgres", Some(&url)).await?);
        } else {
            let no_tls = tls::with_sslmode(&url, "disable");
            let with_tls = tls::with_sslmode(&url, "require");
            runs.push(run_database(&args, "postgres (no TLS)", Some(&no_tls)).await?);
            runs.push(run_database(&args, "postgres (TLS)", Some(&with_tls)).await?);
            comparisons = tls::compare(&runs[1], &runs[2]);
        }
    }
    if args.json {
        let date = chrono::Utc::now().to_rfc3339();
        println!(
            "{}",
            serde_json::to_string_pretty(
                &json!({"date": date, "runs": runs, "tls_comparison": comparisons})
            )?
        );
        for w in tls::warnings(&comparisons) {
            eprintln!("{w}");
        }
    } else {
        for run in &runs {
            print_run(run);
        }
        if !comparisons.is_empty() {
            tls::print(&comparisons);
        }
    }
    Ok(())
}

/// A database for one run and a way to drop it afterwards.
async fn prepare_database(pg: Option<&str>) -> anyhow::Result<(String, Option<Db>)> {
    let unique = uuid::Uuid::new_v4().simple().to_string();
    match pg {
        None => {
            let path = std::env::temp_dir().join(format!("vapi-cal-bench-{unique}.db"));
            Ok((format!("sqlite://{}?mode=rwc", path.display()), None))
        }
        Some(base) => {
            let admin = Db::connect(base).await.context("PostgreSQL reachable")?;
            let schema = format!("bench_{unique}");
            admin.create_schema(&schema).await?;
            let sep = if base.contains('?') { '&' } else { '?' };
            Ok((
                format!("{base}{sep}options=-c%20search_path%3D{schema}"),
                Some(admin),
            ))
        }
    }
}

/// One run on one database; `name` labels its tables (`sqlite`, `postgres (TLS)`, ...).
async fn run_database(args: &Args, name: &str, pg: Option<&str>) -> anyhow::Result<Run> {
    let (url, admin) = prepare_database(pg).await?;
    eprintln!("== {name}: preparing");
    let (sim, info) = procs::start_simulator(args.cal_latency_ms).await?;
    let slug: String = name
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => Some(c.to_ascii_lowercase()),
            ' ' => Some('-'),
            _ => None,
        })
        .collect();
    let log_file = std::env::temp_dir().join(format!("vapi-cal-bench-{slug}.log"));
    let settings = ServeSettings {
        database_url: &url,
        cal_url: &sim.url,
        cal_api_key: &info.api_key,
        vapi_secret: VAPI_SECRET,
        cal_webhook_secret: CAL_SECRET,
        log_file: &log_file,
        tenants_file: None,
    };
    procs::run_once(&["migrate"], &settings).await?;
    // A first reconcile marks the table synced, so reads are answered locally.
    procs::run_once(&["sync", "bookings"], &settings).await?;
    let db = Db::connect(&url).await?;
    let templates = Arc::new(WebhookTemplates::new(CAL_SECRET).await?);
    payloads::grow_appointments(&db, &templates, 0, args.base_appointments).await?;
    let server = procs::start_server(&settings).await?;
    let idle_single = server.rss_mib();
    let mut result = measure(args, name, &server, &sim, &db, &templates).await;
    let wants_tenants =
        args.only.is_empty() || args.only.iter().any(|o| "tenants".contains(o.as_str()));
    if let (Ok(run), true, true) = (&mut result, args.tenants > 0, wants_tenants) {
        let bench = Bench::new(args, name, &server, &sim)?;
        let (mut many, phases) = tenants::measure(
            &bench,
            &server,
            &settings,
            &db,
            &templates,
            args.tenants,
            args.tenant_appointments,
        )
        .await?;
        many.idle_rss_mib.0 = idle_single;
        run.phases.extend(phases);
        run.tenants = Some(many);
    }
    let rss = server.peak_rss_mib();
    server.stop(Duration::from_secs(10)).await;
    sim.stop(Duration::from_secs(2)).await;
    db.close().await;
    if let Some(admin) = admin {
        let _ = admin.drop_schemas_older_than("bench_", i64::MAX).await;
        admin.close().await;
    }
    let mut run = result?;
    run.server_peak_rss_mib = rss;
    Ok(run)
}

/// Shared context of one run's phases.
struct Bench {
    client: reqwest::Client,
    server: String,
    sim: String,
    database: String,
    duration: Duration,
    slots: Arc<Slots>,
    only: Vec<String>,
    /// The server's process id, to say its peak RSS after each phase (where it grows).
    server_pid: Option<u32>,
}

impl Bench {
    fn new(args: &Args, database: &str, server: &Proc, sim: &Proc) -> anyhow::Result<Self> {
        Ok(Bench {
            client: reqwest::Client::builder()
                .pool_max_idle_per_host(1024)
                .build()?,
            server: server.url.clone(),
            sim: sim.url.clone(),
            database: database.to_owned(),
            duration: Duration::from_secs_f64(args.duration_secs),
            slots: Arc::new(Slots::new()),
            only: args.only.clone(),
            server_pid: server.pid(),
        })
    }

    async fn sim_requests(&self) -> u64 {
        let stats: Value = match self
            .client
            .get(format!("{}/_simulator/stats", self.sim))
            .send()
            .await
        {
            Ok(r) => r.json().await.unwrap_or_default(),
            Err(_) => Value::Null,
        };
        stats["requests"].as_u64().unwrap_or(0)
    }

    /// Runs a phase and summarises it, counting the Cal.com requests it caused.
    async fn phase<F, Fut>(&self, scenario: &str, concurrency: usize, send: F) -> Summary
    where
        F: Fn(u64) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = bool> + Send,
    {
        if !self.only.is_empty() && !self.only.iter().any(|o| scenario.contains(o.as_str())) {
            return drive::Measured::skipped().summary(&self.database, scenario, concurrency);
        }
        let before = self.sim_requests().await;
        let measured = drive::run(concurrency, self.duration, MAX_REQUESTS, send).await;
        let after = self.sim_requests().await;
        let mut s = measured.summary(&self.database, scenario, concurrency);
        if s.requests > 0 {
            s.cal_requests_per_call = Some((after - before) as f64 / s.requests as f64);
        }
        let peak = self
            .server_pid
            .and_then(procs::peak_rss_mib_of)
            .map_or_else(String::new, |mib| {
                format!(" (server peak RSS {mib:.1} MiB)")
            });
        eprintln!(
            "   {scenario:<28} c={concurrency:<3} {:>8.0}/s p50 {:.2} ms p99 {:.2} ms errors {}{peak}",
            s.requests_per_sec, s.p50_ms, s.p99_ms, s.errors
        );
        s
    }

    /// A phase of tool calls; `args(seq)` gives the tool and its arguments.
    async fn tools<A>(
        &self,
        scenario: &str,
        concurrency: usize,
        expect_error: bool,
        args: A,
    ) -> Summary
    where
        A: Fn(u64, &Slots) -> (&'static str, Value) + Send + Sync + 'static,
    {
        let client = self.client.clone();
        let url = format!("{}/vapi/webhook", self.server);
        let slots = self.slots.clone();
        self.phase(scenario, concurrency, move |seq| {
            let (tool, arguments) = args(seq, &slots);
            let body = payloads::tool_message(seq, tool, &arguments);
            let request = client
                .post(&url)
                .bearer_auth(VAPI_SECRET)
                .header("content-type", "application/json")
                .body(body);
            async move { tool_ok(request, expect_error).await }
        })
        .await
    }

    /// The upstream requests one tool call makes, as the simulator recorded them.
    async fn upstream_of(
        &self,
        tool: &'static str,
        seq: u64,
        arguments: Value,
    ) -> anyhow::Result<Vec<Value>> {
        let before = self.sim_requests().await;
        let body = payloads::tool_message(seq, tool, &arguments);
        self.client
            .post(format!("{}/vapi/webhook", self.server))
            .bearer_auth(VAPI_SECRET)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await?;
        let recorded: Value = self
            .client
            .get(format!("{}/_simulator/requests?since={before}", self.sim))
            .send()
            .await?
            .json()
            .await?;
        Ok(recorded["requests"].as_array().cloned().unwrap_or_default())
    }

    /// The same upstream requests sent straight to the simulator (new slots for bookings).
    async fn bare(&self, scenario: &str, concurrency: usize, upstream: Vec<Value>) -> Summary {
        let client = self.client.clone();
        let sim = self.sim.clone();
        let slots = self.slots.clone();
        let upstream = Arc::new(upstream);
        self.phase(scenario, concurrency, move |_| {
            let client = client.clone();
            let sim = sim.clone();
            let slots = slots.clone();
            let upstream = upstream.clone();
            async move {
                let mut ok = true;
                for r in upstream.iter() {
                    ok &= replay(&client, &sim, r, &slots).await;
                }
                ok
            }
        })
        .await
    }
}

/// Whether a tool-call answer came back with a result (or, for `expect_error`, with an error).
async fn tool_ok(request: reqwest::RequestBuilder, expect_error: bool) -> bool {
    let Ok(response) = request.send().await else {
        return false;
    };
    if !response.status().is_success() {
        return false;
    }
    let Ok(text) = response.text().await else {
        return false;
    };
    text.contains("\"error\"") == expect_error
}

/// Sends one recorded upstream request again.
async fn replay(client: &reqwest::Client, sim: &str, r: &Value, slots: &Slots) -> bool {
    let method = r["method"].as_str().unwrap_or("GET");
    let mut url = format!("{sim}{}", r["path"].as_str().unwrap_or("/"));
    if let Some(q) = r["query"].as_str() {
        url = format!("{url}?{q}");
    }
    let mut request = client.request(method.parse().unwrap_or(reqwest::Method::GET), url);
    for name in ["authorization", "cal-api-version", "content-type"] {
        if let Some(v) = r["headers"][name].as_str() {
            request = request.header(name, v);
        }
    }
    let mut body = r["body"].as_str().unwrap_or("").to_owned();
    if method == "POST"
        && let Ok(mut v) = serde_json::from_str::<Value>(&body)
        && v.get("start").is_some()
    {
        v["start"] = Value::from(slots.take().1);
        body = v.to_string();
    }
    match request.body(body).send().await {
        Ok(resp) => {
            let ok = resp.status().is_success();
            let _ = resp.bytes().await;
            ok
        }
        Err(_) => false,
    }
}

fn create_args(seq: u64, slots: &Slots) -> (&'static str, Value) {
    (
        "appointment_create",
        // Booked by other people calling from their own number, so the main caller's reads stay small.
        json!({
            "start": slots.take().0,
            "attendeeName": format!("Bench Caller {seq}"),
            "attendeePhone": payloads::other_phone(5_000_000 + seq),
        }),
    )
}

fn mix_args(seq: u64, slots: &Slots) -> (&'static str, Value) {
    // Per 20 calls: 10 availability checks, 7 reads, 3 bookings.
    match seq % 20 {
        0..=9 => ("availability_read", json!({"date": "tomorrow"})),
        10..=16 => ("appointment_read", json!({})),
        _ => create_args(seq, slots),
    }
}

async fn measure(
    args: &Args,
    database: &str,
    server: &Proc,
    sim: &Proc,
    db: &Db,
    templates: &Arc<WebhookTemplates>,
) -> anyhow::Result<Run> {
    let bench = Bench::new(args, database, server, sim)?;
    eprintln!(
        "== {database}: measuring ({} s per phase)",
        args.duration_secs
    );
    let mut phases = Vec::new();
    let mut overhead = Vec::new();
    for &c in &args.concurrency {
        let client = bench.client.clone();
        let url = format!("{}/healthz", bench.server);
        let floor = bench
            .phase("floor: GET /healthz", c, move |_| {
                let r = client.get(&url);
                async move { matches!(r.send().await, Ok(resp) if resp.status().is_success()) }
            })
            .await;
        phases.push(floor.clone());
        phases.push(
            bench
                .tools("unknown tool", c, true, |_, _| ("no_such_tool", json!({})))
                .await,
        );
        phases.push(
            bench
                .tools("appointment_read (local)", c, false, |_, _| {
                    ("appointment_read", json!({}))
                })
                .await,
        );
        type ArgsFn = fn(u64, &Slots) -> (&'static str, Value);
        let reaching: [(&str, ArgsFn); 3] = [
            ("availability_read", |_, _| {
                ("availability_read", json!({"date": "tomorrow"}))
            }),
            ("appointment_create", create_args),
            ("user_read", |_, _| ("user_read", json!({}))),
        ];
        for (name, make) in reaching {
            let ours = bench.tools(name, c, false, make).await;
            // A fresh tool-call id per probe: a repeated write id is answered from the log.
            let probe = u64::MAX / 3 + c as u64;
            let (tool, probe_args) = make(probe, &bench.slots);
            let upstream = bench.upstream_of(tool, probe, probe_args).await?;
            anyhow::ensure!(
                !upstream.is_empty(),
                "{name} made no Cal.com request to compare with"
            );
            let bare = bench
                .bare(&format!("bare Cal.com for {name}"), c, upstream)
                .await;
            let over_p99 = (ours.p99_ms - bare.p99_ms).max(0.0);
            overhead.push(Overhead {
                scenario: name.to_owned(),
                concurrency: c,
                ours_p50_ms: ours.p50_ms,
                ours_p99_ms: ours.p99_ms,
                bare_p50_ms: bare.p50_ms,
                bare_p99_ms: bare.p99_ms,
                overhead_p50_ms: (ours.p50_ms - bare.p50_ms).max(0.0),
                overhead_p99_ms: over_p99,
                floor_p99_ms: floor.p99_ms,
                overhead_p99_over_floor_p99: over_p99 / floor.p99_ms.max(1e-6),
            });
            phases.push(ours);
            phases.push(bare);
        }
        phases.push(
            bench
                .tools("mix (avail/read/create)", c, false, mix_args)
                .await,
        );
    }
    for &c in &args.webhook_concurrency {
        phases.push(
            webhooks(
                &bench,
                templates,
                &format!("w{c}"),
                "webhooks (create/move/cancel)",
                c,
            )
            .await,
        );
    }

    // One booking conversation: two availability checks, a booking, a read-back.
    let before = bench.sim_requests().await;
    let slot = bench.slots.take().0;
    let day = slot.split('T').next().unwrap_or("tomorrow").to_owned();
    for (i, (tool, a)) in [
        ("availability_read", json!({"date": "tomorrow"})),
        ("availability_read", json!({"date": day})),
        (
            "appointment_create",
            json!({"start": slot, "attendeeName": "Jamie Demo"}),
        ),
        ("appointment_read", json!({})),
    ]
    .into_iter()
    .enumerate()
    {
        // One call: `tool_message` puts four consecutive numbers from a multiple of 4 on one id.
        let body = payloads::tool_message(((u64::MAX / 5) & !3) + i as u64, tool, &a);
        let request = bench
            .client
            .post(format!("{}/vapi/webhook", bench.server))
            .bearer_auth(VAPI_SECRET)
            .body(body);
        if !tool_ok(request, false).await {
            eprintln!("   conversation: {tool} answered with an error");
        }
    }
    let conversation_cal_requests = bench.sim_requests().await - before;

    // Growth: the same local read and ingest at base and at grown size, tool calls with a big log.
    let mut growth = Vec::new();
    let c = 50;
    let read_small = bench
        .tools("read @ base appointments", c, false, |_, _| {
            ("appointment_read", json!({}))
        })
        .await;
    let ingest_small = webhooks(&bench, templates, "gs", "ingest @ base appointments", c).await;
    eprintln!("   growing to {} appointments", args.grown_appointments);
    payloads::grow_appointments(
        db,
        templates,
        args.base_appointments,
        args.grown_appointments,
    )
    .await?;
    let read_big = bench
        .tools("read @ grown appointments", c, false, |_, _| {
            ("appointment_read", json!({}))
        })
        .await;
    let ingest_big = webhooks(&bench, templates, "gb", "ingest @ grown appointments", c).await;
    let log_small = bench
        .tools("unknown tool @ small log", c, true, |_, _| {
            ("no_such_tool", json!({}))
        })
        .await;
    eprintln!("   adding {} rows to the tool-call log", args.tool_log_rows);
    payloads::grow_tool_log(db, args.tool_log_rows).await?;
    let log_big = bench
        .tools("unknown tool @ grown log", c, true, |_, _| {
            ("no_such_tool", json!({}))
        })
        .await;
    for (what, small, big) in [
        (
            format!(
                "appointment_read rps, {} → {} appointments",
                args.base_appointments, args.grown_appointments
            ),
            &read_small,
            &read_big,
        ),
        (
            format!(
                "webhook ingest rps, {} → {} appointments",
                args.base_appointments, args.grown_appointments
            ),
            &ingest_small,
            &ingest_big,
        ),
        (
            format!("tool call rps, + {} log rows", args.tool_log_rows),
            &log_small,
            &log_big,
        ),
    ] {
        let ratio = small.requests_per_sec / big.requests_per_sec.max(1e-9);
        growth.push((what, small.requests_per_sec, big.requests_per_sec, ratio));
    }
    phases.extend([
        read_small,
        ingest_small,
        read_big,
        ingest_big,
        log_small,
        log_big,
    ]);
    Ok(Run {
        database: database.to_owned(),
        phases,
        overhead,
        conversation_cal_requests,
        growth,
        server_peak_rss_mib: None,
        tenants: None,
    })
}

/// A phase of signed Cal.com webhooks (create, reschedule, cancel in turn).
async fn webhooks(
    bench: &Bench,
    templates: &Arc<WebhookTemplates>,
    run: &str,
    scenario: &str,
    c: usize,
) -> Summary {
    let client = bench.client.clone();
    let url = format!("{}/cal/webhook", bench.server);
    let templates = templates.clone();
    let run = format!("{run}{}", uuid::Uuid::new_v4().simple());
    bench
        .phase(scenario, c, move |seq| {
            let body = templates.body(&run, seq, &payloads::other_phone(seq / 3));
            let request = client
                .post(&url)
                .header("content-type", "application/json")
                .header("x-cal-signature-256", templates.sign(&body))
                .body(body);
            async move { matches!(request.send().await, Ok(r) if r.status().is_success()) }
        })
        .await
}

fn print_run(run: &Run) {
    println!(
        "\n## {} ({})",
        run.database,
        chrono::Utc::now().format("%Y-%m-%d")
    );
    println!(
        "\n| phase | conns | requests/s | p50 ms | p90 ms | p99 ms | max ms | errors | Cal.com req/call |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for p in run.phases.iter().filter(|p| !p.skipped) {
        println!(
            "| {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {} | {} |",
            p.scenario,
            p.concurrency,
            p.requests_per_sec,
            p.p50_ms,
            p.p90_ms,
            p.p99_ms,
            p.max_ms,
            p.errors,
            p.cal_requests_per_call
                .map_or("-".to_owned(), |v| format!("{v:.2}"))
        );
    }
    println!(
        "\n| overhead over bare Cal.com | conns | ours p50/p99 ms | bare p50/p99 ms | overhead p50/p99 ms | floor p99 ms | overhead p99 / floor p99 |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for o in &run.overhead {
        println!(
            "| {} | {} | {:.2} / {:.2} | {:.2} / {:.2} | {:.2} / {:.2} | {:.2} | {:.1}× |",
            o.scenario,
            o.concurrency,
            o.ours_p50_ms,
            o.ours_p99_ms,
            o.bare_p50_ms,
            o.bare_p99_ms,
            o.overhead_p50_ms,
            o.overhead_p99_ms,
            o.floor_p99_ms,
            o.overhead_p99_over_floor_p99
        );
    }
    println!("\n| growth | before /s | after /s | before ÷ after |");
    println!("|---|---:|---:|---:|");
    for (what, small, big, ratio) in &run.growth {
        println!("| {what} | {small:.0} | {big:.0} | {ratio:.2} |");
    }
    println!(
        "\nBooking conversation (2 × availability, create, read-back): {} Cal.com requests.",
        run.conversation_cal_requests
    );
    if let Some(t) = &run.tenants {
        println!(
            "\n| {} businesses × {} appointments, 50 conns | 1 business /s | {} businesses /s | 1 ÷ {} |",
            t.tenants, t.appointments_each, t.tenants, t.tenants
        );
        println!("|---|---:|---:|---:|");
        for (what, one, many, ratio) in &t.paths {
            println!("| {what} | {one:.0} | {many:.0} | {ratio:.3} |");
        }
        let mib = |v: Option<f64>| v.map_or("?".to_owned(), |m| format!("{m:.1} MiB"));
        println!(
            "Idle RSS: 1 business {}, {} businesses {}; an idle business costs {}.",
            mib(t.idle_rss_mib.0),
            t.tenants,
            mib(t.idle_rss_mib.1),
            t.per_tenant_mib()
                .map_or("?".to_owned(), |m| format!("{:.0} KiB", m * 1024.0))
        );
    }
    match run.server_peak_rss_mib {
        Some(mib) => println!("Server peak RSS: {mib:.1} MiB."),
        None => println!("Server peak RSS: not available on this platform."),
    }
}
