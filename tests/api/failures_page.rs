//! The Failures page and Today's "Failing": what callers got wrong is kept apart from faults, each
//! failed tool call is sorted when it is answered, and groups link to their latest call.

use serde_json::json;

use crate::{
    dashboard::{assert_clean, page, sign_in},
    support::{CALLER, TestApp},
};

/// The part of `body` from the element with `id` to the end of its section.
fn section<'a>(body: &'a str, id: &str) -> &'a str {
    let start = body
        .find(&format!(r#"id="{id}""#))
        .unwrap_or_else(|| panic!("no #{id} in {body}"));
    let rest = &body[start..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

/// A failing read (Cal.com answers 500 until told otherwise) and two mistakes, on their calls.
async fn failures(app: &TestApp) {
    app.sim.fail_next(10, 500);
    app.call_on(
        "call-fault",
        "availability_read",
        json!({"date": "2026-11-24"}),
        Some(CALLER),
    )
    .await
    .err();
    app.sim.fail_next(0, 500);
    for call in ["call-past-1", "call-past-2"] {
        app.call_on(
            call,
            "appointment_create",
            json!({"start": "2026-11-20T15:00", "attendeeName": "Pat"}),
            Some(CALLER),
        )
        .await
        .err();
    }
    app.call_on(
        "call-hostile",
        "appointment_create",
        json!({"start": "2026-11-24T11:00", "attendeeName": "Pat", "attendeeEmail": "<script>alert(1)</script>"}),
        Some(CALLER),
    )
    .await
    .err();
}

#[tokio::test]
async fn faults_and_callers_mistakes_are_grouped_apart_and_link_to_their_calls() {
    let app = TestApp::spawn().await;
    failures(&app).await;
    let cookie = sign_in(&app).await;
    let (status, body) = page(&app, "/dashboard/failures", &cookie).await;
    assert_eq!(status, 200);
    assert_clean("/dashboard/failures", &body);
    let faults = section(&body, "faults");
    assert!(faults.contains("Faults (1)"), "{faults}");
    assert!(faults.contains("availability_read"), "{faults}");
    assert!(faults.contains("calendar error"), "{faults}");
    assert!(
        faults.contains(r#"href="/dashboard/calls/call-fault""#),
        "{faults}"
    );
    assert!(!faults.contains("time has passed"), "{faults}");
    let mistakes = section(&body, "mistakes");
    assert!(
        mistakes.contains("What callers got wrong (3)"),
        "{mistakes}"
    );
    assert!(mistakes.contains("time has passed"), "{mistakes}");
    assert!(
        mistakes.contains("<td data-label=\"How many\">2</td>"),
        "{mistakes}"
    );
    // The latest of a group is the one linked.
    assert!(
        mistakes.contains(r#"href="/dashboard/calls/call-past-2""#),
        "{mistakes}"
    );
    assert!(mistakes.contains("phone or email not valid"), "{mistakes}");
    // What a caller said stays text.
    assert!(!body.contains("<script>alert(1)</script>"), "{body}");
    assert!(body.contains("&#60;script&#62;alert(1)"), "{body}");

    // A range before any of them shows none; a bad date is said and the default shown.
    let (_, earlier) = page(
        &app,
        "/dashboard/failures?from=2026-10-01&to=2026-10-07",
        &cookie,
    )
    .await;
    assert!(
        section(&earlier, "faults").contains("Faults (0)"),
        "{earlier}"
    );
    let (status, bad) = page(&app, "/dashboard/failures?from=soon", &cookie).await;
    assert_eq!(status, 200);
    assert!(bad.contains("is not a date"), "{bad}");
    assert!(section(&bad, "faults").contains("Faults (1)"), "{bad}");
}

#[tokio::test]
async fn today_lists_faults_in_red_and_only_counts_callers_mistakes() {
    let app = TestApp::spawn().await;
    failures(&app).await;
    let cookie = sign_in(&app).await;
    let (_, body) = page(&app, "/dashboard", &cookie).await;
    let failing = section(&body, "failing");
    assert!(failing.contains("Failing (1)"), "{failing}");
    assert!(
        failing.contains("tool availability_read answered with an error"),
        "{failing}"
    );
    assert!(!failing.contains("appointment_create"), "{failing}");
    assert!(
        body.contains("Callers got something wrong 3 times today"),
        "{body}"
    );
    assert!(body.contains(r#"<a href="/dashboard/failures">see Failures</a>"#));
}

#[tokio::test]
async fn the_failures_page_needs_a_session() {
    let app = TestApp::spawn().await;
    let (status, _) = page(&app, "/dashboard/failures", "").await;
    assert_eq!(status, 303);
}
