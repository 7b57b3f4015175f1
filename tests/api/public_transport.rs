//! Issue 16, the transport and operator rows: bodies are read only after the credential in the
//! headers is accepted, slow clients are cut, metric labels and request ids are bounded, failed
//! credentials are rate-limited, short secrets are refused, sign-out ends the session, and what
//! grows per call is pruned. Loopback only; every loop is bounded.

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use serde_json::{Value, json};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};
use vapi_cal::config::Settings;

use crate::dashboard::{client, post_token};
use crate::support::{ADMIN_TOKEN, CALLER, EVENT_TYPE, Options, TestApp, VAPI_SECRET};

/// The test process's resident memory, in KB (the server runs in this process).
fn rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("procfs");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

fn host_port(app: &TestApp) -> String {
    app.url.trim_start_matches("http://").to_owned()
}

/// Reads what the server sends until it closes the connection (or `within` passes: `None`).
async fn read_until_closed(stream: &mut TcpStream, within: Duration) -> Option<String> {
    let mut seen = Vec::new();
    let mut buf = [0_u8; 4096];
    let read_all = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(within, read_all).await.ok()?;
    Some(String::from_utf8_lossy(&seen).into_owned())
}

/// Sends only a request's head and returns the whole answer, which must come without the body.
async fn answer_to_head(addr: &str, head: &str) -> String {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream
        .write_all(head.as_bytes())
        .await
        .expect("send the head");
    read_until_closed(&mut stream, Duration::from_secs(10))
        .await
        .expect("answered without the body")
}

/// A request that declares a 3.9 MB body without a credential.
const UNAUTHENTICATED_HEAD: &str = "POST /vapi/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 3900000\r\n\r\n";

#[tokio::test]
async fn row_06_unauthenticated_large_bodies_are_refused_before_being_read() {
    let app = TestApp::spawn().await;
    let addr = host_port(&app);

    // The headers alone get the 401: nothing of the declared body was sent, none is waited for.
    let answer = answer_to_head(&addr, UNAUTHENTICATED_HEAD).await;
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(answer.contains("missing VAPI credential"), "{answer}");
    // A signature without a fresh timestamp is refused the same way, and so is a Cal.com
    // delivery without a signature.
    for head in [
        UNAUTHENTICATED_HEAD.replace("\r\n\r\n", "\r\nx-signature: 00ff\r\n\r\n"),
        UNAUTHENTICATED_HEAD.replace("/vapi/webhook", "/cal/webhook"),
    ] {
        let answer = answer_to_head(&addr, &head).await;
        assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    }

    // Fifty clients each pushing 3.9 MB without a credential: memory stays flat.
    let before = rss_kb();
    let chunk = vec![b' '; 64 * 1024];
    let peak = std::sync::atomic::AtomicU64::new(before);
    let pushes = (0..50).map(|_| {
        let addr = addr.clone();
        let chunk = &chunk;
        let peak = &peak;
        async move {
            let mut stream = TcpStream::connect(&addr).await.expect("connect");
            let _ = stream.write_all(UNAUTHENTICATED_HEAD.as_bytes()).await;
            let mut sent = 0;
            while sent < 3_900_000 {
                let n = chunk.len().min(3_900_000 - sent);
                if stream.write_all(&chunk[..n]).await.is_err() {
                    break;
                }
                sent += n;
                peak.fetch_max(rss_kb(), std::sync::atomic::Ordering::Relaxed);
            }
            let _ = read_until_closed(&mut stream, Duration::from_secs(10)).await;
            peak.fetch_max(rss_kb(), std::sync::atomic::Ordering::Relaxed);
        }
    });
    tokio::time::timeout(Duration::from_secs(60), join_all(pushes))
        .await
        .expect("every client is done within a minute");
    let grown_mb = peak.into_inner().saturating_sub(before) / 1024;
    // Buffered, the bodies alone would be 195 MB; refused from the headers, a few buffers.
    assert!(grown_mb < 100, "memory grew by {grown_mb} MB");

    // An authenticated message over the limit gets a 413 from its declared length, one under
    // it runs.
    let head = UNAUTHENTICATED_HEAD.replace("3900000", "4200000").replace(
        "\r\n\r\n",
        &format!("\r\nx-vapi-secret: {VAPI_SECRET}\r\n\r\n"),
    );
    let answer = answer_to_head(&addr, &head).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let (status, _) = app.message(json!({"type": "hang"})).await;
    assert_eq!(status, 200);
}

/// The status of `GET /healthz`, which must answer within `within`.
async fn healthz(app: &TestApp, within: Duration) -> u16 {
    reqwest::Client::builder()
        .timeout(within)
        .build()
        .unwrap()
        .get(format!("{}/healthz", app.url))
        .send()
        .await
        .expect("healthz answers in time")
        .status()
        .as_u16()
}

fn short_timeouts(settings: &mut Settings) {
    settings.http_header_timeout_secs = 1;
    settings.http_body_timeout_secs = 1;
}

#[tokio::test]
async fn row_06_slow_clients_are_cut_while_healthz_keeps_answering() {
    let app = TestApp::spawn_with(Options {
        tweak: Some(short_timeouts),
        ..Options::default()
    })
    .await;
    let addr = host_port(&app);
    // 500 slow clients: headers never finished, a VAPI body never finished (with a valid
    // secret), a sign-in form never finished.
    let heads = [
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ".to_owned(),
        format!(
            "POST /vapi/webhook HTTP/1.1\r\nHost: x\r\nx-vapi-secret: {VAPI_SECRET}\r\nContent-Length: 1000\r\n\r\n{{\"message\":"
        ),
        "POST /dashboard/sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ntoken=".to_owned(),
    ];
    let started = Instant::now();
    let mut slow = Vec::new();
    for i in 0..500 {
        let mut stream = TcpStream::connect(&addr).await.expect("connect");
        stream
            .write_all(heads[i % heads.len()].as_bytes())
            .await
            .expect("send a start");
        slow.push(stream);
    }
    // While they are open, /healthz answers.
    assert_eq!(healthz(&app, Duration::from_secs(5)).await, 200);
    // Every slow client is cut within the timeouts (1 s) and some slack, not left open.
    let cuts = slow
        .iter_mut()
        .map(|stream| read_until_closed(stream, Duration::from_secs(20)));
    let answers = join_all(cuts).await;
    let still_open = answers.iter().filter(|a| a.is_none()).count();
    assert_eq!(still_open, 0, "slow connections left open");
    let timed_out = answers
        .iter()
        .flatten()
        .filter(|a| a.starts_with("HTTP/1.1 408"))
        .count();
    assert!(timed_out >= 300, "slow bodies get a 408: {timed_out}");
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[tokio::test]
async fn row_06_connections_are_capped_and_freed_when_slow_ones_are_cut() {
    fn capped(settings: &mut Settings) {
        short_timeouts(settings);
        settings.max_connections = 5;
    }
    let app = TestApp::spawn_with(Options {
        tweak: Some(capped),
        ..Options::default()
    })
    .await;
    let addr = host_port(&app);
    let mut idle = Vec::new();
    for _ in 0..5 {
        let mut stream = TcpStream::connect(&addr).await.expect("connect");
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\n")
            .await
            .unwrap();
        idle.push(stream);
    }
    // The sixth waits for a free connection; once the idle ones are cut it is served.
    let started = Instant::now();
    assert_eq!(healthz(&app, Duration::from_secs(15)).await, 200);
    assert!(
        started.elapsed() >= Duration::from_millis(500),
        "the sixth connection waited for the cap: {:?}",
        started.elapsed()
    );
    for mut stream in idle {
        assert!(
            read_until_closed(&mut stream, Duration::from_secs(10))
                .await
                .is_some()
        );
    }
}

#[tokio::test]
async fn row_10_metric_labels_stay_bounded() {
    let app = TestApp::spawn().await;
    let marker = uuid::Uuid::new_v4().simple().to_string();
    for i in 0..20 {
        let name = format!("made_up_{marker}_{i}_{}", "x".repeat(1024));
        let out = app.call(&name, json!({})).await;
        assert!(out.error.is_some(), "an unknown tool is an error");
    }
    let (status, _, metrics) = app.get_text("/metrics", &[]).await;
    assert_eq!(status, 200);
    assert!(
        !metrics.contains(&marker),
        "a made-up tool name became a label"
    );
    assert!(metrics.contains("tool=\"unknown\""), "{metrics}");
}

#[tokio::test]
async fn row_10_serve_warns_when_metrics_are_open_on_a_public_address() {
    let file = std::env::temp_dir().join(format!(
        "vapi-cal-serve-{}.db",
        uuid::Uuid::new_v4().simple()
    ));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_vapi-cal"))
        .arg("serve")
        .env_clear()
        .envs(serve_env(&file, "a-secret-that-is-long-enough"))
        .env("LISTEN_ADDR", "0.0.0.0:0")
        .env("RUST_LOG", "vapi_cal=info")
        .current_dir(std::env::temp_dir())
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("binary runs");
    let stderr = child.stderr.take().expect("stderr");
    let lines = tokio::task::spawn_blocking(move || {
        use std::io::BufRead;
        let mut seen = Vec::new();
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let done = line.contains("vapi-cal serving");
            seen.push(line);
            if done || seen.len() > 200 {
                break;
            }
        }
        seen
    });
    let lines = tokio::time::timeout(Duration::from_secs(60), lines).await;
    let _ = child.kill();
    let _ = child.wait();
    let lines = lines
        .expect("serve starts")
        .expect("read stderr")
        .join("\n");
    assert!(lines.contains("vapi-cal serving"), "{lines}");
    assert!(lines.contains("/metrics is OPEN"), "{lines}");
}

/// What `serve` needs, every secret set to `secret`.
fn serve_env(db: &std::path::Path, secret: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "DATABASE_URL",
            format!("sqlite://{}?mode=rwc", db.display()),
        ),
        ("CAL_API_KEY", "cal_key".to_owned()),
        ("CAL_API_URL", "http://127.0.0.1:9".to_owned()),
        ("CAL_EVENT_TYPE_ID", EVENT_TYPE.to_string()),
        ("CAL_SYNC_INTERVAL_SECS", "0".to_owned()),
        ("BUSINESS_TIMEZONE", "America/New_York".to_owned()),
        ("VAPI_WEBHOOK_SECRET", secret.to_owned()),
        ("CAL_WEBHOOK_SECRET", secret.to_owned()),
        ("ADMIN_TOKEN", secret.to_owned()),
    ]
}

#[tokio::test]
async fn row_11_a_crafted_request_id_is_replaced() {
    let app = TestApp::spawn().await;
    let id_of = |headers: &reqwest::header::HeaderMap| {
        headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (_, headers, _) = app
        .get_text("/healthz", &[("x-request-id", "edge-7f3a.b_c-01")])
        .await;
    assert_eq!(id_of(&headers), "edge-7f3a.b_c-01", "a plain id is kept");
    let long = "a".repeat(65);
    for crafted in [
        "req-1 method=POST path=/vapi/webhook status=200",
        "req-1\" request_id=\"req-2",
        long.as_str(),
        "",
    ] {
        let (_, headers, _) = app.get_text("/healthz", &[("x-request-id", crafted)]).await;
        let given = id_of(&headers);
        assert_ne!(given, crafted);
        assert!(
            uuid::Uuid::parse_str(&given).is_ok(),
            "a new id for {crafted:?}: {given:?}"
        );
    }
}

/// Signs in and returns the session cookie (`name=value`) and the whole `Set-Cookie`.
async fn session(app: &TestApp) -> (String, String) {
    let resp = post_token(app, ADMIN_TOKEN).await;
    assert_eq!(resp.status(), 303);
    let set = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
    (set.split(';').next().unwrap().to_owned(), set)
}

async fn dashboard_status(app: &TestApp, cookie: &str) -> u16 {
    client()
        .get(format!("{}/dashboard", app.url))
        .header("cookie", cookie)
        .send()
        .await
        .expect("app answers")
        .status()
        .as_u16()
}

#[tokio::test]
async fn row_12_sign_in_failures_are_rate_limited() {
    let app = TestApp::spawn().await;
    for _ in 0..10 {
        assert_eq!(post_token(&app, "guess").await.status(), 401);
    }
    let refused = post_token(&app, "guess").await;
    assert_eq!(refused.status(), 429);
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // Refused whatever it sends now, so guessing on gains nothing.
    assert_eq!(post_token(&app, ADMIN_TOKEN).await.status(), 429);

    let api = TestApp::spawn().await;
    for _ in 0..10 {
        assert_eq!(api.api("/api/calls", Some("guess")).await.0, 401);
    }
    let (status, body) = api.api("/api/calls", Some("guess")).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["error"]["code"], "too_many_failures");
    assert_eq!(api.admin("/api/calls").await.0, 429);
}

#[tokio::test]
async fn row_12_serve_refuses_short_secrets() {
    let file = std::env::temp_dir().join(format!(
        "vapi-cal-serve-{}.db",
        uuid::Uuid::new_v4().simple()
    ));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_vapi-cal"))
        .arg("serve")
        .env_clear()
        .envs(serve_env(&file, "x"))
        .env("LISTEN_ADDR", "127.0.0.1:0")
        .env("METRICS_TOKEN", "0123456789abcdef")
        .env("VAPI_WEBHOOK_HMAC_SECRET", "short-hmac")
        .env("RUST_LOG", "off")
        .current_dir(std::env::temp_dir())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("binary runs");
    // It must exit on its own; one that starts serving is stopped and fails the test.
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().expect("wait").is_none() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let exited = child.try_wait().expect("wait").is_some();
    if !exited {
        let _ = child.kill();
    }
    let output = child.wait_with_output().expect("output");
    assert!(exited, "serve started with short secrets");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    for name in [
        "VAPI_WEBHOOK_SECRET",
        "VAPI_WEBHOOK_HMAC_SECRET",
        "CAL_WEBHOOK_SECRET",
        "ADMIN_TOKEN",
    ] {
        assert!(stderr.contains(name), "{name} named: {stderr}");
    }
    assert!(!stderr.contains("METRICS_TOKEN"), "{stderr}");
    assert!(stderr.contains("at least 16 characters"), "{stderr}");
}

#[tokio::test]
async fn row_13_sign_out_ends_the_session() {
    let app = TestApp::spawn().await;
    let replica = app.replica(Options::default()).await;
    let (cookie, _) = session(&app).await;
    assert_eq!(dashboard_status(&app, &cookie).await, 200);
    assert_eq!(dashboard_status(&replica, &cookie).await, 200);
    let out = client()
        .post(format!("{}/dashboard/sign-out", app.url))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    // The old cookie, replayed, no longer opens the dashboard, here or on another replica.
    assert_eq!(dashboard_status(&app, &cookie).await, 303);
    assert_eq!(dashboard_status(&replica, &cookie).await, 303);
    // A new sign-in works again.
    let (again, _) = session(&app).await;
    assert_eq!(dashboard_status(&app, &again).await, 200);
}

#[tokio::test]
async fn row_13_a_new_admin_token_ends_every_session() {
    let app = TestApp::spawn().await;
    let (cookie, _) = session(&app).await;
    assert_eq!(dashboard_status(&app, &cookie).await, 200);
    let rotated = app
        .replica(Options {
            admin_token: Some("a-brand-new-admin-token-0123456789".to_owned()),
            ..Options::default()
        })
        .await;
    assert_eq!(dashboard_status(&rotated, &cookie).await, 303);
}

#[tokio::test]
async fn row_13_the_cookie_is_secure_unless_plainly_on_loopback_http() {
    fn public_http(settings: &mut Settings) {
        settings.public_url = Some("http://voice.example.com".to_owned());
    }
    fn public_https(settings: &mut Settings) {
        settings.public_url = Some("https://voice.example.com".to_owned());
    }
    fn loopback_http(settings: &mut Settings) {
        settings.public_url = Some("http://localhost:8080".to_owned());
    }
    for (tweak, secure) in [
        (public_http as fn(&mut Settings), true),
        (public_https, true),
        (loopback_http, false),
    ] {
        let app = TestApp::spawn_with(Options {
            tweak: Some(tweak),
            ..Options::default()
        })
        .await;
        let (_, set) = session(&app).await;
        assert_eq!(set.contains("; Secure"), secure, "{set}");
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"));
    }
    // Unset PUBLIC_URL on a loopback listen address (the test default): not Secure, so the
    // browser on http://127.0.0.1 sends it back.
    let (_, set) = session(&TestApp::spawn().await).await;
    assert!(!set.contains("Secure"), "{set}");
}

/// An end-of-call report of `call` started at `started` (RFC 3339), with two spoken lines.
fn report(call: &str, started: &str) -> Value {
    json!({
        "type": "end-of-call-report",
        "endedReason": "customer-ended-call",
        "startedAt": started,
        "endedAt": started,
        "analysis": {"summary": "Booked."},
        "artifact": {
            "transcript": "AI: Hello.\nUser: Hi.\n",
            "messages": [
                {"role": "bot", "message": "Hello.", "secondsFromStart": 1.0},
                {"role": "user", "message": "Hi.", "secondsFromStart": 2.0}
            ]
        },
        "call": {"id": call, "type": "inboundPhoneCall", "customer": {"number": CALLER}},
        "customer": {"number": CALLER}
    })
}

fn booking_created(uid: &str, at: &str) -> String {
    json!({
        "triggerEvent": "BOOKING_CREATED",
        "createdAt": at,
        "payload": {
            "title": "Consultation", "startTime": "2026-12-01T15:00:00Z", "endTime": "2026-12-01T15:30:00Z",
            "eventTypeId": EVENT_TYPE, "uid": uid, "status": "ACCEPTED",
            "attendees": [{"email": "pat@example.com", "name": "Pat Caller", "phoneNumber": CALLER}]
        }
    })
    .to_string()
}

#[tokio::test]
async fn row_15_retention_prunes_what_grows_per_call() {
    let app = TestApp::spawn().await;
    let now = app.clock.now();
    let days_ago = |days: i64| now - chrono::Duration::days(days);
    // A call from two years ago, one from 200 days ago, one from yesterday.
    for (call, days) in [("call-old", 730), ("call-mid", 200), ("call-new", 1)] {
        app.clock.set(days_ago(days));
        let started = vapi_cal::db::ts(days_ago(days));
        let (status, body) = app.message(report(call, &started)).await;
        assert_eq!(status, 200, "{body}");
        let proof = vapi_cal::db::email_proofs::NewEmailProof {
            id: format!("proof-{call}"),
            call_id: call.to_owned(),
            email: "pat@example.com".to_owned(),
            code_hash: None,
            sent_at: days_ago(days),
            expires_at: days_ago(days) + chrono::Duration::minutes(10),
        };
        assert!(app.db.insert_email_proof(&proof, 10).await.unwrap());
        app.db.prove_email(&proof.id, days_ago(days)).await.unwrap();
        let (status, body) = app
            .deliver(&booking_created(&format!("uid-{call}"), &started))
            .await;
        assert_eq!(status, 200, "{body}");
        // A tool fault (a hand-over's count) and a time freed for the waitlist on that day.
        app.db
            .count_tool_faults(call, 1, days_ago(days))
            .await
            .unwrap();
        let opening = vapi_cal::domain::waitlist::Opening::freed(
            EVENT_TYPE,
            days_ago(days),
            30,
            &format!("uid-{call}"),
            days_ago(days),
        );
        assert!(app.db.add_opening(&opening).await.unwrap());
        for _ in 0..2 {
            let run = app
                .db
                .start_sync_run("cal_bookings", days_ago(days))
                .await
                .unwrap();
            app.db
                .finish_sync_run(&run, Ok(&json!({})), days_ago(days))
                .await
                .unwrap();
        }
    }
    app.clock.set(now);
    let mut settings = Settings::defaults();
    settings.tool_log_retention_days = 0;
    let pruned = app
        .db
        .prune(vapi_cal::app::retention(&settings), now)
        .await
        .expect("prune");
    assert_eq!(pruned.calls, 1, "{pruned:?}");
    assert_eq!(pruned.transcripts, 1, "{pruned:?}");
    assert_eq!(pruned.email_proofs, 2, "{pruned:?}");
    assert_eq!(pruned.webhook_events, 2, "{pruned:?}");
    assert_eq!(pruned.sync_runs, 4, "{pruned:?}");
    assert_eq!(
        pruned.calls_out, 2,
        "a hand-over count and a freed time: {pruned:?}"
    );
    assert!(app.db.hand_over_of("call-old").await.unwrap().is_none());
    assert!(app.db.hand_over_of("call-mid").await.unwrap().is_some());

    // The old call is gone with its lines; the mid one keeps its record but not its transcript.
    assert_eq!(app.admin("/api/calls/call-old").await.0, 404);
    let (_, mid) = app.admin("/api/calls/call-mid").await;
    assert_eq!(mid["transcriptLines"], json!([]), "{mid}");
    assert_eq!(mid["transcript"], Value::Null, "{mid}");
    assert_eq!(mid["summary"], "Booked.");
    let (_, new) = app.admin("/api/calls/call-new").await;
    assert_eq!(new["transcriptLines"].as_array().unwrap().len(), 2, "{new}");
    assert!(app.db.proven_emails("call-old").await.unwrap().is_empty());
    assert_eq!(app.db.proven_emails("call-new").await.unwrap().len(), 1);
    assert_eq!(app.db.webhook_event_count().await.unwrap(), 1);
    // The latest runs stay; appointments are kept whatever their age.
    let last = app.db.last_sync_run("cal_bookings").await.unwrap().unwrap();
    assert!(
        last.started_at
            .starts_with(&vapi_cal::db::ts(days_ago(1))[..10])
    );
    for call in ["call-old", "call-mid", "call-new"] {
        assert!(
            app.db
                .appointment(&format!("uid-{call}"))
                .await
                .unwrap()
                .is_some()
        );
    }
    // Nothing more to prune.
    let again = app
        .db
        .prune(vapi_cal::app::retention(&settings), now)
        .await
        .unwrap();
    assert_eq!(again.total(), 0, "{again:?}");
}
