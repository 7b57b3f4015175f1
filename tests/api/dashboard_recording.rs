//! Recordings on the Call page: a player whose source is the console's
//! `/dashboard/calls/{id}/recording`, which redirects to a fresh link from VAPI
//! (`GET /call/{id}/mono-recording`) when `VAPI_API_KEY` is set, else to the stored one; the
//! page's CSP lets media come from there only.

use crate::{
    dashboard::{client, page, seed_calls, sign_in},
    support::{Options, TestApp},
    vapi_fake::VapiFake,
};

const PLAYER: &str =
    r#"<audio class="recording" controls preload="none" src="/dashboard/calls/call-1/recording""#;

/// The recording address of `id`, fetched with `cookie`: its status and `Location`.
async fn recording(app: &TestApp, id: &str, cookie: &str) -> (u16, String, String) {
    let resp = client()
        .get(format!("{}/dashboard/calls/{id}/recording", app.url))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    let location = resp
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (resp.status().as_u16(), location, resp.text().await.unwrap())
}

#[tokio::test]
async fn with_a_vapi_key_the_recording_is_a_fresh_link_from_vapi() {
    let vapi = VapiFake::spawn().await;
    let app = TestApp::spawn_with(Options {
        vapi_api_url: Some(vapi.url.clone()),
        ..Options::default()
    })
    .await;
    seed_calls(&app).await;
    vapi.add_recording("call-1");
    let cookie = sign_in(&app).await;

    let (status, first, _) = recording(&app, "call-1", &cookie).await;
    assert_eq!(status, 307);
    assert!(
        first.starts_with("https://storage.vapi.ai/call-1-mono.wav?X-Amz-Expires=300"),
        "{first}"
    );
    let (_, second, _) = recording(&app, "call-1", &cookie).await;
    assert_ne!(
        first, second,
        "asked afresh each time, not the expired one kept"
    );
    let asked: Vec<String> = vapi.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        asked,
        ["/call/call-1/mono-recording", "/call/call-1/mono-recording"]
    );

    // Signed out: the sign-in page, and VAPI is not asked.
    let (status, location, _) = recording(&app, "call-1", "").await;
    assert_eq!((status, location.as_str()), (303, "/dashboard/sign-in"));
    assert_eq!(vapi.requests().len(), 2);

    // VAPI has no recording of a call whose report named one: nothing to play.
    let other = app.clock.now().timestamp_millis();
    app.message(
        serde_json::json!({"type": "end-of-call-report", "timestamp": other,
        "endedReason": "customer-ended-call",
        "artifact": {"recordingUrl": "https://storage.vapi.ai/gone-mono.wav"},
        "call": {"id": "call-gone", "type": "inboundPhoneCall"}}),
    )
    .await;
    let (status, _, body) = recording(&app, "call-gone", &cookie).await;
    assert_eq!(status, 404);
    assert!(body.contains("has no recording"), "{body}");
}

#[tokio::test]
async fn the_call_page_plays_the_recording_and_allows_media_from_its_host_only() {
    let app = TestApp::spawn().await;
    seed_calls(&app).await;
    let cookie = sign_in(&app).await;

    let resp = client()
        .get(format!("{}/dashboard/calls/call-1", app.url))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    let csp = resp.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("media-src 'self' https://storage.vapi.ai;"),
        "{csp}"
    );
    assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"));
    let body = resp.text().await.unwrap();
    assert!(body.contains(PLAYER), "{body}");
    // Other pages play nothing.
    let calls = client()
        .get(format!("{}/dashboard/calls", app.url))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert!(
        calls.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("media-src 'none';")
    );

    // Without VAPI_API_KEY: the link the call's report gave.
    let (status, location, _) = recording(&app, "call-1", &cookie).await;
    assert_eq!(status, 307);
    assert_eq!(location, "https://storage.vapi.ai/call-1-mono.wav");

    // A call without a recording: the page says none, the address is not found.
    let (_, live) = page(&app, "/dashboard/calls/call-live", &cookie).await;
    assert!(live.contains("<dt>Recording</dt><dd>None</dd>"), "{live}");
    assert!(!live.contains("<audio"));
    let (status, _, body) = recording(&app, "call-live", &cookie).await;
    assert_eq!(status, 404);
    assert!(
        body.contains("The call “call-live” has no recording."),
        "{body}"
    );
    assert!(
        body.contains(r#"data-page="#),
        "the console's not-found page"
    );

    // An unknown call: the console's not-found page.
    let (status, _, body) = recording(&app, "no-such-call", &cookie).await;
    assert_eq!(status, 404);
    assert!(
        body.contains("There is no record of a call with the id “no-such-call”."),
        "{body}"
    );
}
