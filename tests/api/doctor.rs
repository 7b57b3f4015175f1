//! `vapi-cal doctor` against the Cal.com simulator and the VAPI fake: all green, then each fault
//! turns exactly its own check red with its fix, and a remote that hangs still ends in time.

use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::Value;
use tokio::net::TcpListener;
use vapi_cal::{
    assistant::{self, AssistantSpec},
    cli::{Cli, Command},
    config::Settings,
    doctor::{self, Options, Report, Status},
};

use crate::{
    support::{API_KEY, EVENT_TYPE, TestApp},
    vapi_fake::{VAPI_KEY, VapiFake},
};

/// Long enough not to be flagged as guessable.
const CAL_SECRET: &str = "whsec-doctor-0123456789abcdef";
const VAPI_SECRET: &str = "vapi-secret-0123456789abcdef";

/// A deployment that is set up right: the webhook subscribed with our secret, the assistant
/// pushed from the same settings, a phone number attached, the table reconciled.
struct World {
    app: TestApp,
    vapi: VapiFake,
    assistant_id: String,
}

fn settings(args: &[(&str, &str)]) -> Settings {
    let mut argv = vec!["vapi-cal".to_owned(), "doctor".to_owned()];
    for (flag, value) in args {
        argv.push(format!("--{flag}={value}"));
    }
    Cli::try_parse_from(argv)
        .expect("valid flags")
        .settings
        .without_empty_values()
}

impl World {
    async fn new() -> Self {
        let app = TestApp::spawn().await;
        app.sim.subscribe_webhook(
            &format!("{}/cal/webhook", app.url),
            Some(CAL_SECRET),
            &vapi_cal::sync::bookings::SUBSCRIBED_TRIGGERS,
        );
        app.reconcile().await;
        let vapi = VapiFake::spawn().await;
        let world = World {
            app,
            vapi,
            assistant_id: String::new(),
        };
        let desired = AssistantSpec::from_settings(&world.settings(&[]))
            .and_then(|s| s.definition())
            .expect("definition");
        assistant::push(Some(&world.vapi.client()), &desired, None, false)
            .await
            .expect("push");
        let assistant_id = world.vapi.assistants()[0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        world
            .vapi
            .attach_phone_number("+19254207621", "Main line", &assistant_id);
        World {
            assistant_id,
            ..world
        }
    }

    /// The deployment's settings, with `overrides` replacing or adding flags.
    fn settings(&self, overrides: &[(&str, &str)]) -> Settings {
        let event_type = EVENT_TYPE.to_string();
        let mut args: Vec<(&str, &str)> = vec![
            ("database-url", self.app.db_url.as_str()),
            ("cal-api-url", self.app.cal.base_url()),
            ("cal-api-key", API_KEY),
            ("cal-event-type-id", event_type.as_str()),
            ("business-timezone", "America/New_York"),
            ("cal-webhook-secret", CAL_SECRET),
            ("public-url", self.app.url.as_str()),
            ("vapi-api-url", self.vapi.url.as_str()),
            ("vapi-api-key", VAPI_KEY),
            ("vapi-webhook-secret", VAPI_SECRET),
            // The test clock is days behind the wall clock; no staleness warning for that.
            ("cal-sync-interval-secs", "0"),
        ];
        args.retain(|(k, _)| !overrides.iter().any(|(o, _)| o == k));
        args.extend_from_slice(overrides);
        settings(&args)
    }

    async fn doctor(&self, overrides: &[(&str, &str)]) -> Report {
        doctor::run(&self.settings(overrides), &quick()).await
    }
}

fn quick() -> Options {
    Options {
        check_timeout: Duration::from_secs(3),
    }
}

fn failed(report: &Report) -> Vec<&'static str> {
    report
        .checks
        .iter()
        .filter(|c| c.status == Status::Fail)
        .map(|c| c.id)
        .collect()
}

#[track_caller]
fn assert_only_red(report: &Report, id: &str, fix_contains: &str) {
    assert_eq!(failed(report), vec![id], "exactly {id} fails:\n{report}");
    let check = report.get(id).expect("check present");
    let fix = check.fix.as_deref().expect("a failure carries its fix");
    assert!(fix.contains(fix_contains), "fix of {id}: {fix}");
    assert!(
        !fix.trim_end_matches('.').contains(". "),
        "the fix is one sentence: {fix}"
    );
}

#[track_caller]
fn assert_no_secret(text: &str) {
    for secret in [API_KEY, CAL_SECRET, VAPI_KEY, VAPI_SECRET] {
        assert!(!text.contains(secret), "secret {secret} printed:\n{text}");
    }
}

#[tokio::test]
async fn doctor_is_green_against_the_simulator_and_the_vapi_fake() {
    let world = World::new().await;
    let writes_before = world.vapi.writes().len();
    let cal_writes_before = world
        .app
        .sim
        .requests()
        .iter()
        .filter(|r| r.method != "GET")
        .count();
    let report = world.doctor(&[]).await;
    let text = report.to_string();
    assert!(report.passed(), "{text}");
    for id in [
        "settings.required",
        "settings.urls",
        "settings.secrets",
        "db.reachable",
        "db.migrations",
        "db.reconcile",
        "cal.key",
        "cal.zone",
        "cal.rate",
        "cal.event_type",
        "cal.webhook",
        "cal.webhook_secret",
        "cal.webhook_triggers",
        "vapi.key",
        "vapi.assistant",
        "vapi.server_url",
        "vapi.credential",
        "vapi.drift",
        "vapi.phone",
    ] {
        let check = report
            .get(id)
            .unwrap_or_else(|| panic!("{id} missing:\n{text}"));
        assert_eq!(check.status, Status::Pass, "{id}:\n{text}");
    }
    // Loopback PUBLIC_URL: reachability is skipped with a note, not failed.
    assert_eq!(report.get("reach.healthz").unwrap().status, Status::Warn);
    assert!(
        text.contains("✓ Cal.com event type: Consultation (id 7), 30 minutes, bookable"),
        "{text}"
    );
    assert!(text.contains("+19254207621 (Main line)"), "{text}");
    assert!(text.contains(&world.assistant_id), "{text}");
    assert!(text.contains("120 requests left"), "{text}");
    assert_no_secret(&text);
    assert_no_secret(&report.to_json().to_string());
    // Read only: nothing was written to VAPI or Cal.com.
    assert_eq!(world.vapi.writes().len(), writes_before);
    let cal_writes = world
        .app
        .sim
        .requests()
        .iter()
        .filter(|r| r.method != "GET")
        .count();
    assert_eq!(cal_writes, cal_writes_before);
}

#[tokio::test]
async fn a_bad_cal_key_turns_only_the_key_check_red() {
    let world = World::new().await;
    let report = world
        .doctor(&[("cal-api-key", "cal_live_wrong_key_123456")])
        .await;
    assert_only_red(&report, "cal.key", "CAL_API_KEY");
    assert!(
        report.get("cal.key").unwrap().detail.contains("401"),
        "{report}"
    );
    assert!(!report.to_string().contains("cal_live_wrong_key_123456"));
}

#[tokio::test]
async fn a_missing_event_type_turns_only_its_check_red() {
    let world = World::new().await;
    let report = world.doctor(&[("cal-event-type-id", "999")]).await;
    assert_only_red(&report, "cal.event_type", "CAL_EVENT_TYPE_ID");
    assert!(
        report
            .get("cal.event_type")
            .unwrap()
            .detail
            .contains("999 does not exist")
    );
}

#[tokio::test]
async fn a_webhook_pointing_elsewhere_turns_only_the_webhook_check_red() {
    let world = World::new().await;
    // Someone re-pointed the subscription at an old host in Cal.com's settings.
    let list = world.app.cal.list_webhooks().await.unwrap();
    world
        .app
        .cal
        .update_webhook(
            &list[0].id_text(),
            &serde_json::json!({"subscriberUrl": "https://old.example.com/cal/webhook"}),
        )
        .await
        .unwrap();
    let report = world.doctor(&[]).await;
    assert_only_red(&report, "cal.webhook", "register-webhook");
    let detail = &report.get("cal.webhook").unwrap().detail;
    let ours = format!("no subscription posts to {}/cal/webhook", world.app.url);
    assert!(detail.contains(&ours), "{detail}");
    assert!(
        detail.contains("found one for https://old.example.com/cal/webhook"),
        "{detail}"
    );
}

#[tokio::test]
async fn a_webhook_without_secret_turns_only_the_secret_check_red() {
    let world = World::new().await;
    // The same subscription, re-registered by hand without a secret.
    let list = world.app.cal.list_webhooks().await.unwrap();
    world
        .app
        .cal
        .update_webhook(&list[0].id_text(), &serde_json::json!({"secret": null}))
        .await
        .unwrap();
    let report = world.doctor(&[]).await;
    assert_only_red(&report, "cal.webhook_secret", "CAL_WEBHOOK_SECRET");
}

#[tokio::test]
async fn assistant_drift_turns_only_the_drift_check_red() {
    let world = World::new().await;
    world.vapi.edit(
        &world.assistant_id,
        "/firstMessage",
        Value::from("Hello from the dashboard"),
    );
    let report = world.doctor(&[]).await;
    assert_only_red(&report, "vapi.drift", "assistant push");
    assert!(
        report
            .get("vapi.drift")
            .unwrap()
            .detail
            .contains("firstMessage")
    );
}

#[tokio::test]
async fn an_unreachable_vapi_turns_only_the_vapi_key_check_red() {
    let world = World::new().await;
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let report = world.doctor(&[("vapi-api-url", closed.as_str())]).await;
    assert_only_red(&report, "vapi.key", "VAPI_API_URL");
    for id in ["vapi.assistant", "vapi.drift", "vapi.phone"] {
        assert_eq!(
            report.get(id).unwrap().status,
            Status::Warn,
            "{id} is skipped:\n{report}"
        );
    }
}

#[tokio::test]
async fn the_last_call_backfill_is_reported_from_the_sync_runs() {
    let world = World::new().await;
    let db = &world.app.db;
    let report = world.doctor(&[]).await;
    let check = report.get("db.backfill").expect("backfill line");
    assert_eq!(check.status, Status::Pass, "{report}");
    assert!(check.detail.contains("off"), "{report}");
    let report = world
        .doctor(&[("vapi-call-sync-interval-secs", "300")])
        .await;
    assert_eq!(report.get("db.backfill").unwrap().status, Status::Warn);
    assert!(
        report.to_string().contains("never been backfilled"),
        "{report}"
    );

    let now = world.app.clock.now();
    let ok = db.start_sync_run("vapi_calls", now).await.unwrap();
    db.finish_sync_run(&ok, Ok(&serde_json::json!({"calls": 4})), now)
        .await
        .unwrap();
    let report = world.doctor(&[]).await;
    let text = report.to_string();
    assert!(report.passed(), "{text}");
    assert!(
        text.contains("✓ Last call backfill: call records backfilled from VAPI"),
        "{text}"
    );
    assert!(text.contains(r#"{"calls":4}"#), "{text}");

    let later = now + chrono::Duration::minutes(5);
    let bad = db.start_sync_run("vapi_calls", later).await.unwrap();
    db.finish_sync_run(&bad, Err("VAPI answered 401"), later)
        .await
        .unwrap();
    let report = world.doctor(&[]).await;
    assert_only_red(&report, "db.backfill", "VAPI_API_KEY");
    assert!(report.to_string().contains("failed: VAPI answered 401"));
    assert!(
        report.get("db.reconcile").unwrap().status == Status::Pass,
        "the reconcile line stands next to it, unchanged"
    );
}

#[tokio::test]
async fn remotes_that_never_answer_still_end_within_twenty_seconds() {
    let world = World::new().await;
    // Accepts connections and never answers, as a hung upstream does.
    let hole = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hole_url = format!("http://{}", hole.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = hole.accept().await {
            held.push(socket);
        }
    });
    let settings = world.settings(&[
        ("cal-api-url", hole_url.as_str()),
        ("vapi-api-url", hole_url.as_str()),
    ]);
    let started = Instant::now();
    let report = doctor::run(&settings, &Options::default()).await;
    let took = started.elapsed();
    println!("doctor with two hung remotes took {took:?}");
    assert!(took < Duration::from_secs(20), "took {took:?}");
    assert_eq!(failed(&report), vec!["cal.key", "vapi.key"], "{report}");
    assert!(
        report
            .get("cal.key")
            .unwrap()
            .detail
            .contains("did not answer"),
        "{report}"
    );
}

#[tokio::test]
async fn doctor_passes_against_the_demo_setup() {
    let file = crate::support::TempSqlite::new("demo");
    let url = &file.url;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = settings(&[]);
    let demo = vapi_cal::cli::demo::prepare(&base, url, listener)
        .await
        .expect("demo starts");
    let report = doctor::run(&demo.doctor_settings(&base), &quick()).await;
    assert!(report.passed(), "{report}");
    // Without a VAPI key the VAPI checks are one warning with a note, not failures.
    let vapi = report.get("vapi").expect("VAPI line");
    assert_eq!(vapi.status, Status::Warn);
    assert!(vapi.detail.contains("VAPI_API_KEY is not set"));
    assert_eq!(
        report.get("cal.webhook").unwrap().status,
        Status::Pass,
        "{report}"
    );
    // The command the demo prints passes too: run the binary with exactly its variables.
    let printed = demo.doctor_command().replace("\\\n", " ");
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_vapi-cal"));
    command
        .arg("doctor")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    for word in printed.split_whitespace().take_while(|w| *w != "cargo") {
        let (key, value) = word.split_once('=').expect("KEY=value before the command");
        command.env(key, value.trim_matches('\''));
    }
    let output = command.output().await.expect("binary runs");
    assert!(
        output.status.success(),
        "{printed}\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn the_doctor_command_takes_json() {
    let cli = Cli::try_parse_from(["vapi-cal", "doctor", "--json"]).unwrap();
    assert!(matches!(cli.command, Command::Doctor { json: true }));
}

#[tokio::test]
async fn the_binary_exits_nonzero_on_a_failure_and_prints_json() {
    let world = World::new().await;
    let command = |key: &str| {
        let s = world.settings(&[]);
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_vapi-cal"));
        command
            .args(["doctor", "--json"])
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", &s.database_url)
            .env("CAL_API_URL", &s.cal_api_url)
            .env("CAL_API_KEY", key)
            .env("CAL_EVENT_TYPE_ID", EVENT_TYPE.to_string())
            .env("BUSINESS_TIMEZONE", "America/New_York")
            .env("CAL_WEBHOOK_SECRET", CAL_SECRET)
            .env("PUBLIC_URL", &world.app.url)
            .env("VAPI_API_URL", &world.vapi.url)
            .env("VAPI_API_KEY", VAPI_KEY)
            .env("VAPI_WEBHOOK_SECRET", VAPI_SECRET)
            .env("CAL_SYNC_INTERVAL_SECS", "0");
        command
    };
    let good = command(API_KEY).output().await.expect("binary runs");
    let stdout = String::from_utf8_lossy(&good.stdout);
    assert!(
        good.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&good.stderr)
    );
    let json: Value = serde_json::from_str(&stdout).expect("JSON on stdout");
    assert_eq!(json["ok"], true);
    assert_eq!(json["failed"], 0);
    assert_no_secret(&stdout);
    let bad = command("cal_live_wrong_key_123456")
        .output()
        .await
        .expect("binary runs");
    assert_eq!(bad.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&bad.stdout).expect("JSON on stdout");
    assert_eq!(json["ok"], false);
}
