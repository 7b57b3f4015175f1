//! `calls sync`: backfilling call records from VAPI's `GET /call` (the in-process fake), paging
//! backwards, backing off on 429, dry runs, and never replacing a newer report.

use serde_json::{Value, json};
use vapi_cal::sync::call_history::{CallSyncOptions, CallSyncReport, sync_calls};

use crate::{
    support::{TestApp, at},
    vapi_fake::VapiFake,
};

/// An ended call as `GET /call` returns it, created on day `day` of November 2026.
fn vapi_call(n: u32, assistant: &str) -> Value {
    json!({
        "id": format!("sync-{n}"),
        "orgId": "11111111-1111-4111-8111-111111111111",
        "type": "inboundPhoneCall",
        "status": "ended",
        "endedReason": "customer-ended-call",
        "assistantId": assistant,
        "customer": {"number": "+15551234567"},
        "createdAt": format!("2026-11-{n:02}T14:00:00.000Z"),
        "updatedAt": format!("2026-11-{n:02}T14:10:00.000Z"),
        "startedAt": format!("2026-11-{n:02}T14:00:05.000Z"),
        "endedAt": format!("2026-11-{n:02}T14:02:05.000Z"),
        "cost": 0.12,
        "costs": [{"type": "vapi", "cost": 0.12}],
        "analysis": {"summary": format!("Call {n}."), "successEvaluation": "true"},
        "artifact": {"transcript": "AI: Hi.\n", "messages": [{"role": "bot", "message": "Hi.", "secondsFromStart": 0.4}]}
    })
}

fn opts(page_size: u32) -> CallSyncOptions {
    CallSyncOptions {
        page_size,
        ..CallSyncOptions::default()
    }
}

async fn run(app: &TestApp, fake: &VapiFake, o: &CallSyncOptions) -> CallSyncReport {
    sync_calls(&fake.client(), &app.db, &app.clock, o, |_| {})
        .await
        .expect("sync")
}

#[tokio::test]
async fn calls_sync_pages_backwards_and_a_second_run_changes_nothing() {
    let app = TestApp::spawn().await;
    let fake = VapiFake::spawn().await;
    fake.add_calls((1..=5).map(|n| vapi_call(n, "asst-1")).collect());
    fake.add_calls(vec![vapi_call(6, "asst-other")]);
    let o = CallSyncOptions {
        assistant_id: Some("asst-1".into()),
        ..opts(2)
    };
    let report = run(&app, &fake, &o).await;
    assert_eq!((report.fetched, report.created, report.pages), (5, 5, 3));
    let queries: Vec<String> = fake
        .call_requests()
        .iter()
        .map(|r| r.query.clone().unwrap_or_default())
        .collect();
    assert_eq!(queries.len(), 3);
    assert!(queries.iter().all(|q| q.contains("assistantId=asst-1")));
    assert!(!queries[0].contains("createdAtLt"));
    assert!(
        queries[1].contains("createdAtLt=2026-11-04T14%3A00%3A00.000Z"),
        "{}",
        queries[1]
    );
    assert!(
        queries[2].contains("createdAtLt=2026-11-02T14%3A00%3A00.000Z"),
        "{}",
        queries[2]
    );

    let c = app.db.call("sync-3").await.unwrap().expect("stored");
    assert_eq!(c.duration_seconds, Some(120.0));
    assert_eq!(c.summary.as_deref(), Some("Call 3."));
    assert_eq!(app.db.call_lines("sync-3").await.unwrap().len(), 1);
    assert!(app.db.call("sync-6").await.unwrap().is_none());
    let runs = app.db.last_sync_run("vapi_calls").await.unwrap().unwrap();
    assert_eq!(runs.outcome, "ok");
    let counts: Value = serde_json::from_str(runs.counts.as_deref().unwrap()).unwrap();
    assert_eq!(counts["created"], 5);

    let again = run(&app, &fake, &o).await;
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 5));

    // --limit stops early; --since stops at the given creation time.
    let limited = run(
        &app,
        &fake,
        &CallSyncOptions {
            limit: Some(3),
            ..opts(2)
        },
    )
    .await;
    assert_eq!(limited.fetched, 3);
    let since = run(
        &app,
        &fake,
        &CallSyncOptions {
            since: Some(at("2026-11-04T00:00:00Z")),
            ..opts(1000)
        },
    )
    .await;
    assert_eq!((since.fetched, since.unchanged), (3, 3));
}

#[tokio::test]
async fn calls_sync_backs_off_on_429_and_5xx_then_succeeds() {
    let app = TestApp::spawn().await;
    let fake = VapiFake::spawn().await;
    fake.add_calls(vec![vapi_call(1, "asst-1")]);
    fake.fail_calls_with(&[429, 503]);
    let started = std::time::Instant::now();
    let report = run(&app, &fake, &opts(100)).await;
    assert_eq!(report.created, 1);
    assert_eq!(fake.call_requests().len(), 3);
    // Retry-After: 1 was honoured twice.
    assert!(started.elapsed() >= std::time::Duration::from_secs(2));

    // A refusal that is not worth retrying fails the run, and the run says so.
    let wrong = sync_calls(
        &fake.client_with_key("wrong"),
        &app.db,
        &app.clock,
        &opts(100),
        |_| {},
    )
    .await
    .expect_err("bad key");
    assert!(wrong.to_string().contains("401"), "{wrong}");
    let last = app.db.last_sync_run("vapi_calls").await.unwrap().unwrap();
    assert_eq!(last.outcome, "error");
    assert!(last.error.unwrap().contains("Invalid Key"));
}

#[tokio::test]
async fn a_dry_run_writes_nothing_and_says_what_would_change() {
    let app = TestApp::spawn().await;
    let fake = VapiFake::spawn().await;
    fake.add_calls((1..=3).map(|n| vapi_call(n, "asst-1")).collect());
    // One call is already known from its webhook, with a report newer than the API's copy.
    let mut message = vapi_call(2, "asst-1");
    message["type"] = json!("end-of-call-report");
    message["timestamp"] = json!("2026-11-02T14:20:00.000Z");
    message["analysis"]["summary"] = json!("From the webhook.");
    let mut envelope = message.clone();
    envelope["call"] = json!({"id": "sync-2", "type": "inboundPhoneCall", "assistantId": "asst-1"});
    app.message(envelope).await;

    let dry = run(
        &app,
        &fake,
        &CallSyncOptions {
            dry_run: true,
            ..opts(100)
        },
    )
    .await;
    assert_eq!((dry.created, dry.updated, dry.unchanged), (2, 0, 1));
    assert!(app.db.call("sync-1").await.unwrap().is_none());
    assert!(app.db.last_sync_run("vapi_calls").await.unwrap().is_none());

    let real = run(&app, &fake, &opts(100)).await;
    assert_eq!((real.created, real.updated, real.unchanged), (2, 0, 1));
    // The backfill's older copy did not replace the webhook's newer report.
    let kept = app.db.call("sync-2").await.unwrap().unwrap();
    assert_eq!(kept.summary.as_deref(), Some("From the webhook."));
}

/// Runs the `vapi-cal` binary off the runtime thread (the fake serves on this runtime).
async fn cli(args: &[&str], env: Vec<(&'static str, String)>) -> std::process::Output {
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_vapi-cal"));
        command
            .args(&args)
            .env_clear()
            .env("BUSINESS_TIMEZONE", "America/New_York")
            .env("RUST_LOG", "off")
            .current_dir(std::env::temp_dir());
        for (key, value) in env {
            command.env(key, value);
        }
        command.output().expect("binary runs")
    })
    .await
    .expect("binary finished")
}

#[tokio::test]
async fn the_calls_sync_and_stats_commands_work_end_to_end() {
    let fake = VapiFake::spawn().await;
    fake.add_calls((1..=3).map(|n| vapi_call(n, "asst-1")).collect());
    let file = crate::support::TempSqlite::new("cli");
    let env = || {
        vec![
            ("DATABASE_URL", file.url.clone()),
            ("VAPI_API_URL", fake.url.clone()),
            ("VAPI_API_KEY", crate::vapi_fake::VAPI_KEY.to_owned()),
        ]
    };
    let dry = cli(
        &["calls", "sync", "--dry-run", "--assistant-id", "asst-1"],
        env(),
    )
    .await;
    let out = String::from_utf8_lossy(&dry.stdout);
    assert!(
        dry.status.success(),
        "{out} {}",
        String::from_utf8_lossy(&dry.stderr)
    );
    assert!(out.contains("3 would be created"), "{out}");
    assert!(out.contains("nothing was written"), "{out}");
    let real = cli(&["calls", "sync", "--limit", "2"], env()).await;
    let out = String::from_utf8_lossy(&real.stdout);
    assert!(
        out.contains("2 calls read from VAPI in 1 pages: 2 created"),
        "{out}"
    );
    assert!(!out.contains(crate::vapi_fake::VAPI_KEY));

    let stats = cli(
        &[
            "stats",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-04",
            "--json",
        ],
        env(),
    )
    .await;
    assert!(
        stats.status.success(),
        "{}",
        String::from_utf8_lossy(&stats.stderr)
    );
    let report: Value = serde_json::from_slice(&stats.stdout).expect("JSON");
    let calls: Vec<i64> = report["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["calls"].as_i64().unwrap())
        .collect();
    // The two newest calls (Nov 3 and Nov 2) were synced; Nov 1 and Nov 4 have none.
    assert_eq!(calls, [0, 1, 1, 0]);
    assert_eq!(report["lastVapiCallsSync"]["outcome"], "ok");
    let table = cli(
        &["stats", "--from", "2026-11-01", "--to", "2026-11-04"],
        env(),
    )
    .await;
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("2026-11-03"), "{text}");
    assert!(text.contains("VAPI call sync: last run"), "{text}");

    let missing = cli(
        &["calls", "sync"],
        vec![("DATABASE_URL", env()[0].1.clone())],
    )
    .await;
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("VAPI_API_KEY is required"));
}

#[tokio::test]
async fn help_names_the_new_settings_without_their_values() {
    let help = cli(
        &["--help"],
        vec![("ADMIN_TOKEN", "s3cret-admin-token".to_owned())],
    )
    .await;
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(text.contains("ADMIN_TOKEN"), "{text}");
    assert!(text.contains("VAPI_CALL_SYNC_INTERVAL_SECS"), "{text}");
    assert!(text.contains("CALL_SUCCESS_THRESHOLD"), "{text}");
    assert!(!text.contains("s3cret-admin-token"), "{text}");
}
