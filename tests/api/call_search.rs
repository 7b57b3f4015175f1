//! The Calls page's search and filters: words found in a call's transcript, summary or caller's
//! name (any case, whenever each arrived, gone when retention removes the call); whatever is
//! typed answers 200 with the text shown back escaped; status, ended reason, outcome and "has
//! booking" narrow the list alone and together; the page's links keep every filter across pages,
//! and its CSV holds exactly the calls the page lists.

use serde_json::{Value, json};
use vapi_cal::db::retention::Retention;

use crate::{
    dashboard::{assert_clean, next_link, page, seed_calls, sign_in},
    dashboard_export::{call_ids, column, download_link, export},
    support::TestApp,
};

/// Sends the end-of-call report of `id`: its lines (caller and assistant in turn), summary,
/// evaluation and ended reason, 30 seconds long from now.
async fn report(
    app: &TestApp,
    id: &str,
    lines: &[&str],
    summary: &str,
    evaluation: &str,
    reason: &str,
) {
    let now = app.clock.now();
    let iso = |secs: i64| vapi_cal::db::ts(now + chrono::Duration::seconds(secs));
    let messages: Vec<Value> = lines
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let role = if i % 2 == 0 { "user" } else { "bot" };
            json!({"role": role, "message": text, "secondsFromStart": i as f64 * 5.0})
        })
        .collect();
    app.message(json!({
        "type": "end-of-call-report", "timestamp": now.timestamp_millis(), "endedReason": reason,
        "startedAt": iso(-30), "endedAt": iso(0),
        "analysis": {"summary": summary, "successEvaluation": evaluation},
        "artifact": {"messages": messages},
        "call": {"id": id, "type": "inboundPhoneCall"},
        "customer": {"number": "+34911222333"}
    }))
    .await;
}

/// A call starting now that says it is going, with no other word.
async fn going(app: &TestApp, id: &str) {
    app.message(json!({"type": "status-update", "status": "in-progress",
        "timestamp": app.clock.now().timestamp_millis(),
        "call": {"id": id, "type": "inboundPhoneCall"}, "customer": {"number": "+15550002222"}}))
        .await;
}

/// A final transcript line said now on call `id`.
async fn line(app: &TestApp, id: &str, text: &str) {
    app.message(
        json!({"type": "transcript", "role": "user", "transcriptType": "final",
        "transcript": text, "timestamp": app.clock.now().timestamp_millis(), "call": {"id": id}}),
    )
    .await;
}

/// The calls the Calls page lists at `query` (200 and well-formed).
async fn listed(app: &TestApp, cookie: &str, query: &str) -> Vec<String> {
    let path = format!("/dashboard/calls?{query}");
    let (status, body) = page(app, &path, cookie).await;
    assert_eq!(status, 200, "{path}");
    assert_clean(&path, &body);
    call_ids(&body)
}

/// Calls with words in every place a search looks, arriving at different times:
/// * `call-stale`: said it was going two hours ago, one line ("hello from the stale line");
/// * `call-1` (see `seed_calls`): Pat Caller booked, a tool call refused, success, transcript
///   "I'd like to book Tuesday at three", summary "Booked a consultation…";
/// * `call-live`: going, no word yet;
/// * `call-es`: Spanish, no booking, no success, ended by the assistant;
/// * `call-late`: report first, then Zoë Late's booking, so the name comes last.
async fn seed(app: &TestApp) {
    going(app, "call-stale").await;
    line(app, "call-stale", "Hello from the stale line").await;
    app.clock.advance(chrono::Duration::hours(2));
    seed_calls(app).await;
    app.clock.advance(chrono::Duration::minutes(1));
    report(
        app,
        "call-es",
        &["Quisiera una cita el miércoles", "¿A qué hora, señora?"],
        "La señora García no reservó: pidió el MIÉRCOLES por la tarde.",
        "false",
        "assistant-ended-call",
    )
    .await;
    app.clock.advance(chrono::Duration::minutes(1));
    report(
        app,
        "call-late",
        &["A haircut please"],
        "Wants a haircut.",
        "true",
        "customer-ended-call",
    )
    .await;
    app.call_on(
        "call-late",
        "appointment_create",
        json!({"start": "2026-11-26T10:00", "attendeeName": "Zoë Late"}),
        Some("+34911222333"),
    )
    .await
    .ok();
}

#[tokio::test]
async fn search_finds_a_call_by_a_word_of_its_transcript_summary_or_callers_name() {
    let app = TestApp::spawn().await;
    seed(&app).await;
    let cookie = sign_in(&app).await;
    let cases: &[(&str, &[&str])] = &[
        // Transcript only ("three"), summary only ("consultation"), name only ("Pat"), any case.
        ("q=THREE", &["call-1"]),
        ("q=Consultation", &["call-1"]),
        ("q=pAt", &["call-1"]),
        // Words from different places, all required.
        ("q=pat%20consultation%20three", &["call-1"]),
        ("q=pat%20haircut", &[]),
        // Spanish, accents kept, upper case typed and stored.
        ("q=mi%C3%A9rcoles", &["call-es"]),
        ("q=MI%C3%89RCOLES%20garc%C3%ADa", &["call-es"]),
        // The last word typed matches the start of a longer one.
        ("q=consult", &["call-1"]),
        ("q=consult%20", &[]),
        // A line heard live, two hours before the rest.
        ("q=stale%20line", &["call-stale"]),
        // A name that arrived after the call's report.
        ("q=zo%C3%AB", &["call-late"]),
        ("q=haircut", &["call-late"]),
        ("q=nobody%20said%20this", &[]),
    ];
    for (query, want) in cases {
        assert_eq!(listed(&app, &cookie, query).await, *want, "{query}");
    }
    let (_, body) = page(&app, "/dashboard/calls?q=nobody", &cookie).await;
    assert!(body.contains("No calls match."));
    assert!(body.contains(r#"name="q" type="search""#) && body.contains(r#"value="nobody""#));

    // A line said later is found; when retention removes a call, so does the search.
    line(&app, "call-live", "Is there parking on site?").await;
    assert_eq!(listed(&app, &cookie, "q=parking").await, ["call-live"]);
    let keep = Retention {
        calls_days: 1,
        ..Retention::default()
    };
    let pruned = app
        .db
        .prune(
            keep,
            app.clock.now() + chrono::Duration::days(1) - chrono::Duration::minutes(30),
        )
        .await
        .unwrap();
    assert_eq!(pruned.calls, 1, "{pruned:?}");
    // A day on, the session has expired (and was pruned too).
    let cookie = sign_in(&app).await;
    assert_eq!(listed(&app, &cookie, "q=stale").await, Vec::<String>::new());
    assert_eq!(listed(&app, &cookie, "q=parking").await, ["call-live"]);
}

#[tokio::test]
async fn whatever_is_typed_in_the_search_answers_200_and_is_shown_back_as_text() {
    let app = TestApp::spawn().await;
    seed(&app).await;
    let cookie = sign_in(&app).await;
    let long = "pat ".repeat(1250);
    let hostile = [
        "\"",
        "'",
        "*",
        "pat*",
        "\"pat",
        "NEAR(pat caller)",
        "pat NEAR/2 caller",
        "-pat",
        "pat -caller",
        "((pat)",
        "pat AND OR NOT",
        "caller:pat",
        "^pat",
        "pat:* & !caller | (x)",
        "'; drop table calls; --",
        "%_\\",
        "<script>alert(1)</script>",
        "🙂 pat",
        long.as_str(),
    ];
    for q in hostile {
        let path = format!(
            "/dashboard/calls?q={}",
            vapi_cal::domain::text::percent_encode(q)
        );
        let (status, body) = page(&app, &path, &cookie).await;
        assert_eq!(status, 200, "{q}");
        assert_clean(&path, &body);
        assert!(!body.contains("<script>alert"), "{q} is escaped");
        let csv = format!(
            "/dashboard/calls.csv?q={}",
            vapi_cal::domain::text::percent_encode(q)
        );
        assert_eq!(page(&app, &csv, &cookie).await.0, 200, "{csv}");
    }
    let (_, body) = page(
        &app,
        "/dashboard/calls?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        &cookie,
    )
    .await;
    assert!(
        body.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "shown back escaped"
    );
    // Operators are words: "pat*" is Pat, "-pat" too; nothing searchable is said so.
    assert_eq!(listed(&app, &cookie, "q=pat*").await, ["call-1"]);
    assert_eq!(listed(&app, &cookie, "q=-pat").await, ["call-1"]);
    let (_, body) = page(&app, "/dashboard/calls?q=*%22()", &cookie).await;
    assert!(
        body.contains("has no letters or digits to search for"),
        "{body}"
    );
    let (_, body) = page(
        &app,
        &format!(
            "/dashboard/calls?q={}",
            vapi_cal::domain::text::percent_encode(&long)
        ),
        &cookie,
    )
    .await;
    assert_eq!(
        call_ids(&body),
        ["call-1"],
        "the same word 1,250 times is one word"
    );
}

#[tokio::test]
async fn each_filter_narrows_the_calls_and_they_combine() {
    let app = TestApp::spawn().await;
    seed(&app).await;
    let cookie = sign_in(&app).await;
    let all = listed(&app, &cookie, "").await;
    assert_eq!(
        all,
        ["call-late", "call-es", "call-live", "call-1", "call-stale"]
    );
    let cases: &[(&str, &[&str])] = &[
        ("status=in-progress", &["call-live"]),
        ("status=stale", &["call-stale"]),
        ("status=ended", &["call-late", "call-es", "call-1"]),
        ("reason=assistant-ended-call", &["call-es"]),
        ("reason=customer-ended-call", &["call-late", "call-1"]),
        ("reason=silence-timed-out", &[]),
        ("outcome=success", &["call-late", "call-1"]),
        ("outcome=booked", &["call-late", "call-1"]),
        ("outcome=no-booking", &["call-es"]),
        ("outcome=failed-tool-call", &["call-1"]),
        ("booking=yes", &["call-late", "call-1"]),
        // Together, and with the search and the number.
        (
            "status=ended&outcome=no-booking&reason=assistant-ended-call",
            &["call-es"],
        ),
        (
            "outcome=success&reason=customer-ended-call&q=tuesday",
            &["call-1"],
        ),
        (
            "outcome=failed-tool-call&booking=yes&number=555123",
            &["call-1"],
        ),
        ("status=in-progress&q=tuesday", &[]),
        ("outcome=booked&q=haircut&status=ended", &["call-late"]),
    ];
    for (query, want) in cases {
        assert_eq!(listed(&app, &cookie, query).await, *want, "{query}");
    }
    // The reasons there are, as a select; the chosen ones stay chosen.
    let (_, body) = page(
        &app,
        "/dashboard/calls?reason=assistant-ended-call&status=stale&outcome=booked&booking=yes&q=x%22y",
        &cookie,
    )
    .await;
    for chosen in [
        r#"<option value="assistant-ended-call" selected>"#,
        r#"<option value="stale" selected>"#,
        r#"<option value="booked" selected>"#,
        r#"value="yes" checked>"#,
        r#"value="x&#34;y""#,
    ] {
        assert!(body.contains(chosen), "{chosen}");
    }
    assert!(body.contains(r#"<option value="customer-ended-call">"#));

    // A booking cancelled since no longer counts as one; the call still booked.
    let uid = app.db.call_appointments("call-1").await.unwrap()[0]
        .appointment_uid
        .clone();
    app.cancel(&uid).await;
    assert_eq!(listed(&app, &cookie, "booking=yes").await, ["call-late"]);
    assert_eq!(
        listed(&app, &cookie, "outcome=booked").await,
        ["call-late", "call-1"]
    );
}

#[tokio::test]
async fn values_that_are_not_filters_are_said_so_and_filter_nothing() {
    let app = TestApp::spawn().await;
    seed(&app).await;
    let cookie = sign_in(&app).await;
    let all = listed(&app, &cookie, "").await;
    let cases = [
        (
            "status=finished",
            "“finished” is not one of the statuses (In progress, Ended, Stale",
        ),
        (
            "outcome=Booked",
            "“Booked” is not one of the outcomes (Success, Booked, No booking",
        ),
        (
            "reason=%3Cb%3Ebad%3C%2Fb%3E",
            "“&#60;b&#62;bad&#60;/b&#62;” is not an ended reason",
        ),
        ("booking=maybe", "“maybe” is not a booking filter"),
    ];
    for (query, message) in cases {
        let path = format!("/dashboard/calls?{query}");
        let (status, body) = page(&app, &path, &cookie).await;
        assert_eq!(status, 200, "{path}");
        assert!(body.contains(message), "{path}: {message}\n{body}");
        assert_eq!(call_ids(&body), all, "{path} filters nothing");
    }
    // The other filters still apply.
    assert_eq!(
        listed(&app, &cookie, "status=finished&outcome=no-booking").await,
        ["call-es"]
    );
}

#[tokio::test]
async fn pages_and_the_csv_keep_every_filter() {
    let app = TestApp::spawn().await;
    seed(&app).await;
    for i in 0..27 {
        app.clock.advance(chrono::Duration::minutes(1));
        let id = format!("c-{i:02}");
        // Every third one is still going: the filter must leave them out on every page.
        if i % 3 == 2 {
            going(&app, &id).await;
            line(&app, &id, "Parking question").await;
        } else {
            report(
                &app,
                &id,
                &["Where do I park?"],
                "Asked about parking.",
                "false",
                "customer-ended-call",
            )
            .await;
        }
    }
    let cookie = sign_in(&app).await;
    let query = "q=Parking&status=ended&reason=customer-ended-call&outcome=no-booking";
    let (_, first) = page(&app, &format!("/dashboard/calls?{query}"), &cookie).await;
    let mut ids = call_ids(&first);
    assert_eq!(ids.len(), 18, "27 asked, 9 still going");
    assert_eq!(ids[0], "c-25");
    assert!(ids.iter().all(|id| id.starts_with("c-")), "{ids:?}");

    // 18 fit one page; make it two by adding 10 more.
    for i in 27..37 {
        app.clock.advance(chrono::Duration::minutes(1));
        report(
            &app,
            &format!("c-{i:02}"),
            &["Parking?"],
            "Parking.",
            "false",
            "customer-ended-call",
        )
        .await;
    }
    let (_, first) = page(&app, &format!("/dashboard/calls?{query}"), &cookie).await;
    ids = call_ids(&first);
    assert_eq!(ids.len(), 25);
    let next = next_link(&first);
    assert!(
        next.starts_with(
            "/dashboard/calls?q=Parking&status=ended&reason=customer-ended-call&outcome=no-booking&after="
        ),
        "{next}"
    );
    let (_, second) = page(&app, &next, &cookie).await;
    let rest = call_ids(&second);
    assert_eq!(rest.len(), 3, "{rest:?}");
    assert!(
        second.contains(r#"value="Parking""#),
        "the search stays in the box"
    );
    assert!(second.contains(r#"<option value="no-booking" selected>"#));
    ids.extend(rest);
    assert!(
        !ids.iter()
            .any(|id| ["c-02", "c-05", "c-26"].contains(&id.as_str())),
        "{ids:?}"
    );

    // The CSV the page links holds the same calls, in the same order, on any page.
    for body in [&first, &second] {
        let link = download_link(body);
        assert_eq!(link, format!("/dashboard/calls.csv?{query}"));
        let csv = export(&app, &link, &cookie, "calls-2026-11-21.csv").await;
        assert_eq!(column(&csv, "Call id"), ids);
    }
    for q in [
        "q=tuesday&outcome=success",
        "booking=yes",
        "status=stale",
        "q=%22%3Cscript%3E",
    ] {
        let (_, body) = page(&app, &format!("/dashboard/calls?{q}"), &cookie).await;
        let csv = export(&app, &download_link(&body), &cookie, "calls-2026-11-21.csv").await;
        assert_eq!(column(&csv, "Call id"), call_ids(&body), "{q}");
    }
}
