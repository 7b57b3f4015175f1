//! Real `vapi-cal serve` processes sharing one database: the same tool call given to two
//! replicas at once books once, and a call claimed by a process that is killed is recovered.

use std::{
    process::{Child, Command, Stdio},
    time::Duration,
};

use chrono::{Duration as Days, NaiveTime};
use futures_util::future::join_all;
use serde_json::{Value, json};
use vapi_cal::{
    clock::Clock,
    domain::local_time::{local_to_utc, local_today},
    simulator::{EventTypeSpec, Simulator},
};

use crate::support::{
    ALL_DAYS, API_KEY, CALLER, EVENT_TYPE, TestDb, VAPI_SECRET, WEBHOOK_SECRET, booking_posts,
};

/// One `vapi-cal serve` child process, killed when dropped.
struct Replica {
    child: Child,
    url: String,
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Replica {
    async fn start(database_url: &str, cal_url: &str, deadline_ms: u64) -> Replica {
        Self::start_with(database_url, cal_url, deadline_ms, &[], Stdio::null()).await
    }

    /// Starts with extra settings, its log (standard error) going to `log`.
    async fn start_with(
        database_url: &str,
        cal_url: &str,
        deadline_ms: u64,
        extra_env: &[(&str, &str)],
        log: Stdio,
    ) -> Replica {
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
            probe.local_addr().expect("addr").port()
        };
        // An empty working directory: no `.env` of the developer's leaks in.
        let dir = std::env::temp_dir().join(format!("vapi-cal-replica-{port}"));
        std::fs::create_dir_all(&dir).expect("replica dir");
        let child = Command::new(env!("CARGO_BIN_EXE_vapi-cal"))
            .arg("serve")
            .current_dir(&dir)
            .env("DATABASE_URL", database_url)
            .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
            .env("CAL_API_KEY", API_KEY)
            .env("CAL_API_URL", cal_url)
            .env("CAL_EVENT_TYPE_ID", EVENT_TYPE.to_string())
            .env("BUSINESS_TIMEZONE", "America/New_York")
            .env("CAL_WEBHOOK_SECRET", WEBHOOK_SECRET)
            .env("VAPI_WEBHOOK_SECRET", VAPI_SECRET)
            .env("CAL_SYNC_INTERVAL_SECS", "0")
            .env("TOOL_DEADLINE_MS", deadline_ms.to_string())
            .env("CAL_REQUEST_TIMEOUT_MS", deadline_ms.to_string())
            .env("RUST_LOG", "vapi_cal=warn")
            .envs(extra_env.iter().copied())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("vapi-cal serve starts");
        let replica = Replica {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        for _ in 0..200 {
            if reqwest::get(format!("{}/readyz", replica.url))
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return replica;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("vapi-cal serve did not become ready at {}", replica.url);
    }

    /// Sends a VAPI message as VAPI does; `None` if the process is gone.
    async fn post(&self, body: &str) -> Option<Value> {
        let resp = reqwest::Client::new()
            .post(format!("{}/vapi/webhook", self.url))
            .header("content-type", "application/json")
            .header("x-vapi-secret", VAPI_SECRET)
            .body(body.to_owned())
            .send()
            .await
            .ok()?;
        resp.json().await.ok()
    }
}

/// A simulator on the real clock (the replicas use it) and a booking message three days ahead.
async fn world() -> (Simulator, String, String) {
    let clock = Clock::system();
    let tz = chrono_tz::America::New_York;
    let sim = Simulator::new(API_KEY, clock.clone());
    let mut spec = EventTypeSpec::new(EVENT_TYPE, "Consultation", 30, tz);
    spec.weekdays = ALL_DAYS.to_vec();
    sim.add_event_type(spec);
    let handle = sim.spawn().await.expect("simulator starts");
    let url = handle.url.clone();
    std::mem::forget(handle);
    let day = local_today(clock.now(), tz) + Days::days(3);
    let start = local_to_utc(
        day.and_time(NaiveTime::from_hms_opt(15, 0, 0).expect("time")),
        tz,
    )
    .expect("15:00 exists");
    let body = json!({"message": {
        "type": "tool-calls",
        "call": {"id": "call-replicas", "customer": {"number": CALLER}},
        "customer": {"number": CALLER},
        "toolCallList": [{"id": "tc-replicas", "type": "function", "function": {
            "name": "appointment_create",
            "arguments": {"start": start.to_rfc3339(), "attendeeName": "Jane Roe"}
        }}]
    }})
    .to_string();
    (sim, url, body)
}

#[tokio::test]
async fn two_replicas_given_the_same_tool_call_at_once_book_once() {
    if std::env::var("TEST_DATABASE_URL").is_err() {
        println!("skipped: two replicas need PostgreSQL; set TEST_DATABASE_URL to run this test");
        return;
    }
    let test_db = TestDb::new().await;
    let database_url = test_db.url.clone();
    let (sim, cal_url, body) = world().await;
    sim.set_latency(Duration::from_millis(150));
    let (a, b) = tokio::join!(
        Replica::start(&database_url, &cal_url, 4000),
        Replica::start(&database_url, &cal_url, 4000)
    );
    // Three copies to each replica, all at the same moment.
    let sends = (0..6).map(|i| {
        if i % 2 == 0 {
            a.post(&body)
        } else {
            b.post(&body)
        }
    });
    let answers: Vec<Value> = join_all(sends)
        .await
        .into_iter()
        .map(|a| a.expect("replica answers"))
        .collect();
    let first = &answers[0]["results"][0];
    assert!(first["result"].is_string(), "{first}");
    for answer in &answers {
        assert_eq!(
            &answer["results"][0], first,
            "same answer from both replicas"
        );
    }
    assert_eq!(sim.bookings().len(), 1);
    assert_eq!(booking_posts(&sim), 1, "Cal.com was asked to book once");
}

#[tokio::test]
async fn a_tool_call_claimed_by_a_killed_process_is_recovered_without_booking_twice() {
    let test_db = TestDb::new().await;
    let database_url = test_db.url.clone();
    let (sim, cal_url, body) = world().await;
    // Cal.com books at once but answers only after a long time: the process is killed meanwhile.
    sim.hang_next(1, Duration::from_secs(30));
    let deadline_ms = 2000;
    let first = Replica::start(&database_url, &cal_url, deadline_ms).await;
    let in_flight = {
        let body = body.clone();
        let url = first.url.clone();
        tokio::spawn(async move {
            reqwest::Client::new()
                .post(format!("{url}/vapi/webhook"))
                .header("x-vapi-secret", VAPI_SECRET)
                .body(body)
                .send()
                .await
                .ok();
        })
    };
    for _ in 0..100 {
        if !sim.bookings().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(sim.bookings().len(), 1, "the first process reached Cal.com");
    drop(first); // SIGKILL: it never answers and never finishes its claim.
    in_flight.abort();

    let second = Replica::start(&database_url, &cal_url, deadline_ms).await;
    // The claim is live for 2 x deadline + 5 s after the first process took it.
    let early = second.post(&body).await.expect("answers");
    let early = early["results"][0]["error"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        early.contains("still working on that same request"),
        "{early}"
    );
    let mut answer = Value::Null;
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        answer = second.post(&body).await.expect("answers");
        if answer["results"][0]["result"].is_string() {
            break;
        }
    }
    let result: Value = serde_json::from_str(
        answer["results"][0]["result"]
            .as_str()
            .unwrap_or_else(|| panic!("recovered with a result: {answer}")),
    )
    .expect("result JSON");
    assert_eq!(
        result["appointment"]["appointmentId"],
        sim.bookings()[0]["uid"],
        "answered with the booking the killed process made"
    );
    assert_eq!(sim.bookings().len(), 1);
    assert_eq!(booking_posts(&sim), 1, "never booked a second time");
}

#[tokio::test]
async fn json_logs_name_the_request_id_on_every_line_of_the_request() {
    let test_db = TestDb::new().await;
    let database_url = test_db.url.clone();
    let (_sim, cal_url, body) = world().await;
    let log_path = std::env::temp_dir().join(format!(
        "vapi-cal-log-{}.jsonl",
        uuid::Uuid::new_v4().simple()
    ));
    let log = std::fs::File::create(&log_path).expect("log file");
    let replica = Replica::start_with(
        &database_url,
        &cal_url,
        4000,
        &[("LOG_FORMAT", "json"), ("RUST_LOG", "vapi_cal=info")],
        Stdio::from(log),
    )
    .await;
    let resp = reqwest::Client::new()
        .post(format!("{}/vapi/webhook", replica.url))
        .header("x-vapi-secret", VAPI_SECRET)
        .header("x-request-id", "req-json-log-1")
        .body(body)
        .send()
        .await
        .expect("answers");
    assert_eq!(resp.headers()["x-request-id"], "req-json-log-1");
    drop(replica);
    let text = std::fs::read_to_string(&log_path).expect("log written");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let answered = lines
        .iter()
        .find(|l| l["fields"]["message"] == "tool call answered")
        .unwrap_or_else(|| panic!("no tool call line in {text}"));
    assert_eq!(
        answered["span"]["request_id"], "req-json-log-1",
        "{answered}"
    );
    assert!(!text.contains(VAPI_SECRET), "the secret is never logged");
}

#[tokio::test]
async fn serve_refuses_to_start_without_a_vapi_credential_unless_told_to() {
    let test_db = TestDb::new().await;
    let database_url = test_db.url.clone();
    let run = |accept: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_vapi-cal"));
        command
            .arg("serve")
            .env_clear()
            .current_dir(std::env::temp_dir())
            .env("DATABASE_URL", &database_url)
            .env("LISTEN_ADDR", "127.0.0.1:0")
            .env("CAL_API_KEY", API_KEY)
            .env("CAL_API_URL", "http://127.0.0.1:9")
            .env("CAL_EVENT_TYPE_ID", EVENT_TYPE.to_string())
            .env("BUSINESS_TIMEZONE", "America/New_York")
            .env("CAL_WEBHOOK_SECRET", WEBHOOK_SECRET)
            .env("CAL_SYNC_INTERVAL_SECS", "0");
        if accept {
            command.arg("--accept-unauthenticated-vapi");
        }
        command
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("binary runs")
    };
    let refused = run(false).wait_with_output().expect("exits");
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains(
            "VAPI_WEBHOOK_SECRET or VAPI_WEBHOOK_HMAC_SECRET (or --accept-unauthenticated-vapi)"
        ),
        "{err}"
    );

    // With the flag it serves, and says loudly that anyone may call it.
    let mut child = run(true);
    let stderr = child.stderr.take().expect("stderr");
    let (lines_tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufRead::lines(std::io::BufReader::new(stderr)).map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    while let Ok(line) = lines.recv_timeout(Duration::from_secs(20)) {
        let found = line.contains("ACCEPTING UNAUTHENTICATED VAPI MESSAGES");
        seen.push(line);
        if found {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        seen.iter()
            .any(|l| l.contains("ACCEPTING UNAUTHENTICATED VAPI MESSAGES")),
        "{seen:?}"
    );
}
