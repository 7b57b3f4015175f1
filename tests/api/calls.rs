//! Call records: lifecycle server messages on /vapi/webhook, appointments linked to calls, the
//! operator API and its token, and per-day figures.

use serde_json::{Value, json};

use crate::support::{CALLER, Options, TestApp, at};

const CALL: &str = "b1223960-0001-4000-8000-000000000001";

fn report(timestamp: Value, summary: &str) -> Value {
    json!({
        "type": "end-of-call-report",
        "timestamp": timestamp,
        "endedReason": "customer-ended-call",
        "startedAt": "2026-11-21T14:20:49.101Z",
        "endedAt": "2026-11-21T14:24:02.877Z",
        "cost": 0.1432,
        "costs": [
            {"type": "transport", "provider": "twilio", "minutes": 3.23, "cost": 0.0},
            {"type": "model", "model": {"provider": "openai", "model": "gpt-4o"}, "promptTokens": 5120, "completionTokens": 311, "cost": 0.0161}
        ],
        "analysis": {"summary": summary, "structuredData": {"booked": true}, "successEvaluation": "true"},
        "artifact": {
            "transcript": "AI: Thanks for calling, how can I help?\nUser: I'd like to book a consultation.\n",
            "messages": [
                {"role": "system", "message": "You are a scheduler.", "time": 1795270849101_u64, "secondsFromStart": 0},
                {"role": "bot", "message": "Thanks for calling, how can I help?", "time": 1.7952708502e12, "endTime": 1795270852100_u64, "secondsFromStart": 1.1, "source": ""},
                {"role": "user", "message": "I'd like to book a consultation.", "time": 1795270855000_u64, "secondsFromStart": 5.9, "duration": 2.1},
                {"role": "tool_calls", "message": "", "toolCalls": [], "secondsFromStart": 7.0},
                {"role": "tool_call_result", "toolCallId": "x", "name": "availability_read", "result": "{}", "secondsFromStart": 8.0}
            ],
            "recordingUrl": "https://storage.vapi.ai/b1223960-mono.wav",
            "presignedMonoUrl": "https://storage.vapi.ai/b1223960-mono.wav?X-Amz-Signature=abc",
            "logUrl": "https://logs.vapi.ai/b1223960"
        },
        "call": {"id": CALL, "type": "inboundPhoneCall", "status": "ringing", "assistantId": "asst-1", "customer": {"number": CALLER}},
        "customer": {"number": CALLER},
        "phoneNumber": {"number": "+19254207621", "provider": "twilio"}
    })
}

fn status(status: &str, timestamp: Value) -> Value {
    json!({
        "type": "status-update", "status": status, "timestamp": timestamp,
        // VAPI's call snapshot lags behind; the message-level status is the current one.
        "call": {"id": CALL, "type": "inboundPhoneCall", "status": "queued", "assistantId": "asst-1"},
        "customer": {"number": "+1 (555) 123-4567"},
        "phoneNumber": {"number": "+19254207621"}
    })
}

fn transcript(kind: &str, role: &str, text: &str, timestamp: Value) -> Value {
    json!({"type": kind, "role": role, "transcriptType": "final", "transcript": text, "timestamp": timestamp, "call": {"id": CALL}})
}

async fn call(app: &TestApp, id: &str) -> Value {
    let (status, body) = app.admin(&format!("/api/calls/{id}")).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn lifecycle_messages_build_one_call_record() {
    let app = TestApp::spawn().await;
    for m in [
        status("queued", json!(1_795_270_840_000_u64)),
        status("ringing", json!("2026-11-21T14:20:45.000Z")),
        status("in-progress", json!(1_795_270_849_101_u64)),
    ] {
        let (code, body) = app.message(m).await;
        assert_eq!((code, body), (200, json!({})));
    }
    let c = call(&app, CALL).await;
    assert_eq!(c["status"], "in-progress");
    assert_eq!(c["direction"], "inbound");
    assert_eq!(c["customerNumber"], CALLER);
    assert_eq!(c["phoneNumber"], "+19254207621");
    assert_eq!(c["assistantId"], "asst-1");

    // A partial is not kept; finals are, whichever way the type is spelled.
    let partial = json!({"type": "transcript", "role": "user", "transcriptType": "partial", "transcript": "I'd", "call": {"id": CALL}});
    app.message(partial).await;
    app.message(transcript(
        "transcript",
        "assistant",
        "Thanks for calling, how can I help?",
        json!(1_795_270_850_200_u64),
    ))
    .await;
    app.message(transcript(
        "transcript[transcriptType=\"final\"]",
        "user",
        "I'd like to book a consultation.",
        json!("2026-11-21T14:20:55.000Z"),
    ))
    .await;
    app.message(
        json!({"type": "conversation-update", "call": {"id": CALL}, "messages": [
        {"role": "bot", "message": "Thanks for calling, how can I help?"},
        {"role": "user", "message": "I'd like to book a consultation."}
    ], "messagesOpenAIFormatted": []}),
    )
    .await;
    let c = call(&app, CALL).await;
    let lines = c["transcriptLines"].as_array().unwrap();
    assert_eq!(lines.len(), 2, "{c}");
    assert_eq!(lines[0]["role"], "assistant");
    assert_eq!(lines[0]["secondsFromStart"], 1.099);
    assert_eq!(lines[1]["text"], "I'd like to book a consultation.");
    assert_eq!(
        c["transcript"],
        "AI: Thanks for calling, how can I help?\nUser: I'd like to book a consultation.\n"
    );

    app.message(json!({"type": "hang", "timestamp": 1_795_270_860_000_u64, "call": {"id": CALL}}))
        .await;
    app.message(report(
        json!(1_795_270_900_123_u64),
        "Caller booked a consultation.",
    ))
    .await;
    let c = call(&app, CALL).await;
    assert_eq!(c["status"], "completed");
    assert_eq!(c["endedReason"], "customer-ended-call");
    assert_eq!(c["durationSeconds"], 193.776);
    assert_eq!(c["cost"], 0.1432);
    assert_eq!(c["costBreakdown"][1]["type"], "model");
    assert_eq!(c["summary"], "Caller booked a consultation.");
    assert_eq!(c["successEvaluation"], "true");
    assert_eq!(c["structuredData"], json!({"booked": true}));
    assert_eq!(
        c["recordingUrl"],
        "https://storage.vapi.ai/b1223960-mono.wav"
    );
    assert_eq!(c["hangCount"], 1);
    assert_eq!(c["startedAt"], "2026-11-21T14:20:49.101Z");
    // The report's turns replace the live lines; tool and system entries are left out.
    let lines = c["transcriptLines"].as_array().unwrap();
    assert_eq!(lines.len(), 2, "{c}");
    assert_eq!(lines[0]["secondsFromStart"], 1.1);
    assert_eq!(lines[1]["role"], "user");
}

#[tokio::test]
async fn legacy_report_fields_are_read_when_artifact_and_analysis_are_missing() {
    let app = TestApp::spawn().await;
    let legacy = json!({
        "type": "end-of-call-report",
        "timestamp": "2024-07-27T21:24:05.712Z",
        "endedReason": "assistant-ended-call",
        "call": {"id": "legacy-1", "type": "webCall"},
        "summary": "Asked about opening hours.",
        "transcript": "AI: Hello.\nUser: When are you open?\n",
        "messages": [
            {"role": "bot", "message": "Hello.", "secondsFromStart": 0.5},
            {"role": "user", "message": "When are you open?", "secondsFromStart": 2.0}
        ],
        "recordingUrl": "https://storage.vapi.ai/legacy-1.wav",
        "durationSeconds": 64.5,
        "cost": 0.05,
        "costBreakdown": {"transport": 0.01, "stt": 0.01, "llm": 0.02, "tts": 0.01, "vapi": 0.0, "total": 0.05}
    });
    let (code, _) = app.message(legacy).await;
    assert_eq!(code, 200);
    let c = call(&app, "legacy-1").await;
    assert_eq!(c["direction"], "web");
    assert_eq!(c["status"], "completed");
    assert_eq!(c["summary"], "Asked about opening hours.");
    assert_eq!(c["transcript"], "AI: Hello.\nUser: When are you open?\n");
    assert_eq!(c["recordingUrl"], "https://storage.vapi.ai/legacy-1.wav");
    assert_eq!(c["durationSeconds"], 64.5);
    assert_eq!(c["costBreakdown"]["total"], 0.05);
    assert_eq!(c["transcriptLines"].as_array().unwrap().len(), 2);
    assert_eq!(c["successEvaluation"], Value::Null);
}

#[tokio::test]
async fn duplicate_and_out_of_order_deliveries_change_nothing() {
    let app = TestApp::spawn().await;
    let newer = report(json!(1_795_270_900_123_u64), "The newer summary.");
    app.message(newer.clone()).await;
    let first = call(&app, CALL).await;
    // The same report again, a late status, an older report and a repeated line.
    app.message(newer).await;
    app.message(status("in-progress", json!(1_795_270_849_101_u64)))
        .await;
    app.message(status("ringing", json!(1_795_270_845_000_u64)))
        .await;
    let mut older = report(json!(1_795_270_800_000_u64), "An older summary.");
    older["cost"] = json!(9.99);
    app.message(older).await;
    let again = call(&app, CALL).await;
    assert_eq!(again, first, "nothing may change");
    assert_eq!(again["status"], "completed");
    assert_eq!(again["summary"], "The newer summary.");

    let other = "c-lines";
    for _ in 0..2 {
        app.message(json!({"type": "transcript", "role": "user", "transcriptType": "final", "transcript": "Hello?", "timestamp": 1_795_270_850_000_u64, "call": {"id": other}}))
            .await;
        app.message(
            json!({"type": "hang", "timestamp": 1_795_270_860_000_u64, "call": {"id": other}}),
        )
        .await;
    }
    let c = call(&app, other).await;
    assert_eq!(c["transcriptLines"].as_array().unwrap().len(), 1, "{c}");
    assert_eq!(c["hangCount"], 1);

    // A status-update that ended the call early gives the final state from its reason.
    let busy = "c-busy";
    app.message(json!({"type": "status-update", "status": "ended", "endedReason": "customer-busy", "call": {"id": busy, "type": "outboundPhoneCall"}}))
        .await;
    app.message(json!({"type": "status-update", "status": "ringing", "call": {"id": busy}}))
        .await;
    let c = call(&app, busy).await;
    assert_eq!(c["status"], "busy");
    assert_eq!(c["direction"], "outbound");
}

#[tokio::test]
async fn appointments_changed_during_a_call_are_linked_both_ways() {
    let app = TestApp::spawn().await;
    app.seed("move-me", "2026-11-23T16:00:00Z", Some(CALLER), None);
    app.seed("cancel-me", "2026-11-23T18:00:00Z", Some(CALLER), None);
    // VAPI reports the call as in progress before the first tool call (the support helper sends
    // its tool calls on call "call-1").
    app.message(json!({"type": "status-update", "status": "in-progress", "call": {"id": "call-1", "type": "inboundPhoneCall"}, "customer": {"number": CALLER}}))
        .await;
    let booked_id = app.book("2026-11-24T15:00", "Pat Caller").await.uid;
    app.clock.advance(chrono::Duration::minutes(1));
    let moved = app
        .answer(
            "appointment_update",
            json!({"appointmentId": "move-me", "start": "2026-11-25T10:00"}),
        )
        .await;
    let moved_id = moved["appointment"]["appointmentId"]
        .as_str()
        .unwrap()
        .to_owned();
    app.clock.advance(chrono::Duration::minutes(1));
    app.cancel("cancel-me").await;
    let c = call(&app, "call-1").await;
    let links: Vec<(String, String)> = c["appointments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["action"].as_str().unwrap().to_owned(),
                l["appointmentId"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        links,
        vec![
            ("booked".to_owned(), booked_id.clone()),
            ("moved".to_owned(), moved_id.clone()),
            ("cancelled".to_owned(), "cancel-me".to_owned()),
        ]
    );
    let tools: Vec<&str> = c["toolCalls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["tool"].as_str().unwrap())
        .collect();
    assert_eq!(
        tools,
        [
            "appointment_create",
            "appointment_update",
            "appointment_cancel"
        ]
    );
    assert_eq!(
        app.db
            .appointment_call(&booked_id)
            .await
            .unwrap()
            .as_deref(),
        Some("call-1")
    );
    let (status, body) = app
        .admin("/api/appointments?phone=%2B15551234567&status=cancelled")
        .await;
    assert_eq!(status, 200, "{body}");
    let list = body["appointments"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{body}");
    assert_eq!(list[0]["appointmentId"], "cancel-me");
    assert_eq!(list[0]["vapiCallId"], "call-1");
}

#[tokio::test]
async fn the_operator_api_needs_the_admin_token() {
    // Twelve wrong tokens from one address: more than AUTH_FAILURES_PER_MINUTE allows by default
    // (that limit has its own test, row_12_sign_in_failures_are_rate_limited).
    fn many_failures(settings: &mut vapi_cal::config::Settings) {
        settings.auth_failures_per_minute = 100;
    }
    let app = TestApp::spawn_with(Options {
        tweak: Some(many_failures),
        ..Options::default()
    })
    .await;
    for path in [
        "/api/calls",
        "/api/calls/x",
        "/api/appointments",
        "/api/stats",
    ] {
        let (status, body) = app.api(path, None).await;
        assert_eq!(status, 401, "{path}");
        assert_eq!(body["error"]["code"], "unauthorized");
        let (status, _) = app.api(path, Some("admin-test-tokem")).await;
        assert_eq!(status, 401, "{path}");
        let (status, _) = app.api(path, Some("admin")).await;
        assert_eq!(status, 401, "{path}");
    }
    let (status, body) = app.admin("/api/calls").await;
    assert_eq!(status, 200);
    assert_eq!(body["calls"], json!([]));
    let (status, body) = app.admin("/api/calls/nope").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");

    let closed = TestApp::spawn_with(Options {
        admin_token: None,
        ..Options::default()
    })
    .await;
    for token in [None, Some("anything")] {
        let (status, body) = closed.api("/api/calls", token).await;
        assert_eq!(status, 404);
        assert_eq!(body["error"]["code"], "not_found");
    }
}

#[tokio::test]
async fn bad_parameters_get_a_400_naming_them() {
    let app = TestApp::spawn().await;
    for (path, name) in [
        ("/api/calls?from=yesterday", "'from'"),
        ("/api/calls?to=2026-13-01", "'to'"),
        ("/api/calls?limit=0", "'limit'"),
        ("/api/calls?limit=5000", "'limit'"),
        ("/api/calls?cursor=zz", "'cursor'"),
        ("/api/appointments?status=lost", "'status'"),
        ("/api/appointments?phone=12", "'phone'"),
        ("/api/stats?from=2026-11-30&to=2026-11-01", "'from'"),
        ("/api/stats?from=2020-01-01&to=2026-11-01", "'to'"),
        ("/api/stats?to=11/01/2026", "'to'"),
    ] {
        let (status, body) = app.admin(path).await;
        assert_eq!(status, 400, "{path}: {body}");
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(name), "{path}: {message}");
    }
}

#[tokio::test]
async fn calls_are_listed_newest_first_with_a_stable_cursor() {
    let app = TestApp::spawn().await;
    for i in 0..5 {
        app.message(json!({
            "type": "status-update", "status": "in-progress",
            "timestamp": format!("2026-11-2{i}T15:00:00.000Z"),
            "call": {"id": format!("list-{i}")}
        }))
        .await;
    }
    let mut seen = Vec::new();
    let mut path = "/api/calls?limit=2".to_owned();
    loop {
        let (status, body) = app.admin(&path).await;
        assert_eq!(status, 200, "{body}");
        for c in body["calls"].as_array().unwrap() {
            seen.push(c["vapiCallId"].as_str().unwrap().to_owned());
        }
        // A call arriving between pages does not shift the pages already given out.
        app.message(json!({"type": "status-update", "status": "ringing", "timestamp": "2026-11-26T15:00:00.000Z", "call": {"id": "late"}}))
            .await;
        match body["nextCursor"].as_str() {
            Some(cursor) => path = format!("/api/calls?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, ["list-4", "list-3", "list-2", "list-1", "list-0"]);
    let (_, body) = app.admin("/api/calls?from=2026-11-21&to=2026-11-22").await;
    let ids: Vec<&str> = body["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["vapiCallId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["list-2", "list-1"]);
}

fn ended(
    id: &str,
    started: Option<&str>,
    ended: &str,
    reason: &str,
    success: &str,
    cost: f64,
) -> Value {
    let mut m = json!({
        "type": "end-of-call-report", "timestamp": ended, "endedReason": reason,
        "endedAt": ended, "cost": cost,
        "analysis": {"summary": "s", "successEvaluation": success}, "artifact": {},
        "call": {"id": id, "type": "inboundPhoneCall"}
    });
    if let Some(s) = started {
        m["startedAt"] = json!(s);
    }
    m
}

#[tokio::test]
async fn stats_per_local_day_match_hand_counts_across_a_dst_change() {
    // New York falls back on Sunday, November 1, 2026: that local day is 25 hours long,
    // 04:00Z on Nov 1 to 05:00Z on Nov 2.
    let app = TestApp::spawn_with(Options {
        now: at("2026-11-04T15:00:00Z"),
        ..Options::default()
    })
    .await;
    for m in [
        // Oct 31, 10:00 EDT: completed, successful, 100 s, $0.10.
        ended(
            "a",
            Some("2026-10-31T14:00:00.000Z"),
            "2026-10-31T14:01:40.000Z",
            "customer-ended-call",
            "true",
            0.10,
        ),
        // Nov 1, 00:30 EDT: failed, score 3, 50 s, $0.05.
        ended(
            "c",
            Some("2026-11-01T04:30:00.000Z"),
            "2026-11-01T04:30:50.000Z",
            "pipeline-error-openai-llm-failed",
            "3",
            0.05,
        ),
        // Nov 1, 23:30 EST (already Nov 2 in UTC-4): completed, score 8, 200 s, $0.20.
        ended(
            "b",
            Some("2026-11-02T04:30:00.000Z"),
            "2026-11-02T04:33:20.000Z",
            "customer-ended-call",
            "8",
            0.20,
        ),
        // Nov 3: the line was busy; no start, no duration, no cost.
        ended(
            "d",
            None,
            "2026-11-03T15:00:00.000Z",
            "customer-busy",
            "false",
            0.0,
        ),
    ] {
        let (code, _) = app.message(m).await;
        assert_eq!(code, 200);
    }
    use vapi_cal::db::call_records::LinkAction;
    app.db
        .link_call_appointment(
            "b",
            "booked-b",
            LinkAction::Booked,
            None,
            at("2026-11-02T04:32:00Z"),
        )
        .await
        .unwrap();
    app.db
        .link_call_appointment(
            "a",
            "cancelled-a",
            LinkAction::Cancelled,
            None,
            at("2026-10-31T14:01:00Z"),
        )
        .await
        .unwrap();

    let (status, body) = app.admin("/api/stats?from=2026-10-31&to=2026-11-03").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["timeZone"], "America/New_York");
    let days = body["days"].as_array().unwrap();
    let row = |i: usize| {
        let d = &days[i];
        (
            d["day"].as_str().unwrap().to_owned(),
            d["calls"].as_i64().unwrap(),
            d["completed"].as_i64().unwrap(),
            d["successful"].as_i64().unwrap(),
            d["averageDurationSeconds"].as_f64(),
            (d["totalCost"].as_f64().unwrap() * 100.0).round() as i64,
            (
                d["booked"].as_i64().unwrap(),
                d["moved"].as_i64().unwrap(),
                d["cancelled"].as_i64().unwrap(),
            ),
            d["bookingConversion"].as_f64(),
        )
    };
    assert_eq!(days.len(), 4);
    assert_eq!(
        row(0),
        (
            "2026-10-31".into(),
            1,
            1,
            1,
            Some(100.0),
            10,
            (0, 0, 1),
            Some(0.0)
        )
    );
    assert_eq!(
        row(1),
        (
            "2026-11-01".into(),
            2,
            1,
            1,
            Some(125.0),
            25,
            (1, 0, 0),
            Some(0.5)
        )
    );
    assert_eq!(
        row(2),
        ("2026-11-02".into(), 0, 0, 0, None, 0, (0, 0, 0), None)
    );
    assert_eq!(
        row(3),
        ("2026-11-03".into(), 1, 0, 0, None, 0, (0, 0, 0), Some(0.0))
    );
    let t = &body["totals"];
    assert_eq!(t["calls"], 4);
    assert_eq!(t["completed"], 2);
    assert_eq!(t["successful"], 2);
    assert_eq!(t["booked"], 1);
    assert_eq!(t["cancelled"], 1);
    assert_eq!(t["bookingConversion"], 0.25);
    let avg = t["averageDurationSeconds"].as_f64().unwrap();
    assert!((avg - 350.0 / 3.0).abs() < 1e-9, "{avg}");

    // The busy call counts as a call but not as completed.
    let (_, c) = app.admin("/api/calls/d").await;
    assert_eq!(c["status"], "busy");
}

#[tokio::test]
async fn each_reconcile_is_recorded_as_a_sync_run() {
    let app = TestApp::spawn().await;
    assert!(
        app.db
            .last_sync_run("cal_bookings")
            .await
            .unwrap()
            .is_none()
    );
    app.seed("r1", "2026-11-23T16:00:00Z", Some(CALLER), None);
    app.reconcile().await;
    let run = app.db.last_sync_run("cal_bookings").await.unwrap().unwrap();
    assert_eq!(run.outcome, "ok");
    assert!(run.finished_at.is_some());
    let counts: Value = serde_json::from_str(run.counts.as_deref().unwrap()).unwrap();
    assert_eq!(counts["bookings"], 1);
    let (_, stats) = app.admin("/api/stats").await;
    assert_eq!(stats["lastCalBookingsSync"]["outcome"], "ok");
    assert_eq!(stats["lastVapiCallsSync"], Value::Null);
    assert_eq!(stats["days"].as_array().unwrap().len(), 7);
}

#[tokio::test]
async fn a_tool_call_does_not_wait_for_a_blocked_call_record_write() {
    let app = std::sync::Arc::new(TestApp::spawn().await);
    // SQLite has one writer for the whole file; the separation shown here is PostgreSQL's.
    if !app.db_url.starts_with("postgres") {
        return;
    }
    use sqlx::Connection;
    let mut blocker = sqlx::AnyConnection::connect(&app.db_url)
        .await
        .expect("second connection");
    sqlx::query("begin").execute(&mut blocker).await.unwrap();
    sqlx::query("lock table calls in access exclusive mode")
        .execute(&mut blocker)
        .await
        .unwrap();
    // A report for the call now waits behind the lock...
    let waiting = {
        let app = app.clone();
        tokio::spawn(async move {
            let mut m = report(json!(1_795_270_900_123_u64), "Booked.");
            m["call"]["id"] = json!("call-1");
            app.message(m).await
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    // ...while a booking on the same call is answered.
    let booked = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        app.call(
            "appointment_create",
            json!({"start": "2026-11-24T15:00", "attendeeName": "Pat Caller"}),
        ),
    )
    .await
    .expect("the tool call is answered while the call record write waits")
    .ok();
    assert_eq!(booked["booked"], true);
    assert!(!waiting.is_finished(), "the report write was not blocked");
    sqlx::query("rollback").execute(&mut blocker).await.unwrap();
    let (code, _) = waiting.await.unwrap();
    assert_eq!(code, 200);
    let c = call(&app, "call-1").await;
    assert_eq!(c["summary"], "Booked.");
    assert_eq!(c["appointments"][0]["action"], "booked");
}

/// Every server message names the assistant version that served the call; the call record
/// keeps it (a number in older payloads, text kept to one short line).
#[tokio::test]
async fn a_call_keeps_the_assistant_version_that_served_it() {
    let app = TestApp::spawn().await;
    let mut first = status("in-progress", json!(1_763_730_000_000_u64));
    first["assistantVersion"] = json!(7);
    app.message(first).await;
    assert_eq!(call(&app, CALL).await["assistantVersion"], "7");
    let mut ended = report(json!(1_763_730_300_000_u64), "Booked.");
    ended["assistantVersion"] = json!("7");
    app.message(ended).await;
    let record = call(&app, CALL).await;
    assert_eq!(record["assistantVersion"], "7", "{record}");
    let other = "b1223960-0002-4000-8000-000000000002";
    let mut hostile = status("in-progress", json!(1_763_730_000_000_u64));
    hostile["call"]["id"] = json!(other);
    hostile["assistantVersion"] = json!(format!("v8\n\u{202e}{}", "x".repeat(500)));
    app.message(hostile).await;
    let version = call(&app, other).await["assistantVersion"]
        .as_str()
        .expect("kept")
        .to_owned();
    assert!(
        version.starts_with("v8 ") && version.chars().count() <= 64,
        "{version:?}"
    );
    assert!(
        !version.contains('\n') && !version.contains('\u{202e}'),
        "{version:?}"
    );
}

/// The day figures can be split by the assistant version that served the calls: each version's
/// calls, and what they booked, count for it alone.
#[tokio::test]
async fn stats_split_by_the_assistant_version() {
    let app = TestApp::spawn().await;
    for (id, version, booked) in [
        ("b1223960-0003-4000-8000-000000000003", "7", true),
        ("b1223960-0004-4000-8000-000000000004", "8", false),
        ("b1223960-0005-4000-8000-000000000005", "8", false),
    ] {
        let mut ended = report(json!(1_763_730_300_000_u64), "A call.");
        ended["call"]["id"] = json!(id);
        ended["assistantVersion"] = json!(version);
        app.message(ended).await;
        if booked {
            app.db
                .link_call_appointment(
                    id,
                    "booked-by-7",
                    vapi_cal::db::call_records::LinkAction::Booked,
                    None,
                    at("2026-11-21T14:23:00Z"),
                )
                .await
                .expect("link");
        }
    }
    let figures = async |query: &str| {
        let (status, body) = app
            .admin(&format!("/api/stats?from=2026-11-21&to=2026-11-21{query}"))
            .await;
        assert_eq!(status, 200, "{body}");
        (
            body["totals"]["calls"].clone(),
            body["totals"]["booked"].clone(),
        )
    };
    assert_eq!(figures("").await, (json!(3), json!(1)));
    assert_eq!(figures("&assistantVersion=7").await, (json!(1), json!(1)));
    assert_eq!(figures("&assistantVersion=8").await, (json!(2), json!(0)));
    assert_eq!(figures("&assistantVersion=9").await, (json!(0), json!(0)));
    let (status, body) = app
        .admin(&format!("/api/stats?assistantVersion={}", "x".repeat(65)))
        .await;
    assert_eq!(status, 400, "{body}");
}
