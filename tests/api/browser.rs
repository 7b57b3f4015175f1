//! The dashboard in a real headless Chromium, driven through chromedriver (WebDriver): sign in,
//! see the appointments, open the calls and one call's transcript with its tool calls, the stats,
//! sign out; a wrong token is refused. A screenshot of each page is saved
//! under `target/screenshots/`.
//!
//! Every step waits for the page it expects (`<main data-page="...">` in a document that is not
//! the one just left), never reading whatever heading happens to be on screen, so a slow,
//! busy machine only makes the tests slower. chromedriver and its Chromium run in a process
//! group of their own, killed when the test ends, also when it fails.
//!
//! Needs Debian's `chromium` and `chromium-driver`. Without them the test prints a note and
//! passes, unless `VAPI_CAL_BROWSER_TESTS=required` (set by `.ci/run`), which makes it fail.

use std::{
    io::{Read, Write},
    net::{SocketAddr, TcpStream},
    path::{Path, PathBuf},
    process::Stdio,
    time::{Duration, Instant},
};

use fantoccini::{Client, ClientBuilder, Locator, elements::Element, error::CmdError};
use serde_json::json;
use tokio::process::{Child, Command};

use crate::{
    dashboard::seed_calls,
    support::{ADMIN_TOKEN, CALLER, TestApp},
};

/// Chromium flags for a quiet, sandbox-free, network-free run in a container.
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
];

/// How long a page may take to arrive, or an element to appear, on a busy machine.
const PAGE_WAIT: Duration = Duration::from_secs(20);
/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(100);

/// A running chromedriver and a browser session; both end when dropped, also when a test panics.
pub struct Browser {
    pub client: Client,
    // Dropped in this order: the session and every browser process, then the profile.
    driver: Driver,
    _profile: TempDir,
}

impl Browser {
    /// Ends the session politely; dropping the browser then only stops chromedriver.
    pub async fn close(mut self) {
        self.driver.session = None;
        self.client
            .clone()
            .close()
            .await
            .expect("close the session");
    }
}

/// chromedriver, started in a process group of its own, with the Chromium it starts inside that
/// group. Dropping it (at a test's end or while a failed test unwinds) ends the WebDriver session
/// if it is still open, then kills the whole group, so no browser outlives its test.
struct Driver {
    child: Child,
    /// chromedriver's pid, which is also its process group's id.
    group: u32,
    port: u16,
    /// The open session, until it is closed.
    session: Option<String>,
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Some(session) = self.session.take() {
            // Blocking: drop cannot await, and may run while a failed test unwinds.
            delete_session(self.port, &session);
        }
        let _ = std::process::Command::new("kill")
            .args(["-s", "KILL", "--", &format!("-{}", self.group)])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.start_kill();
    }
}

/// `DELETE /session/<id>` to chromedriver, which quits that Chromium; best effort, a few seconds
/// at most.
fn delete_session(port: u16, session: &str) {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(1)) else {
        return;
    };
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request = format!(
        "DELETE /session/{session} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Content-Length: 0\r\nConnection: close\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).is_ok() {
        let _ = stream.read_to_end(&mut Vec::new());
    }
}

/// A directory removed when dropped (a fresh Chromium profile).
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .chain([
                PathBuf::from("/usr/lib/chromium"),
                PathBuf::from("/usr/bin"),
            ])
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// Starts chromedriver on a free loopback port and opens a session, or explains why not.
pub async fn start() -> Option<Browser> {
    start_with(&[]).await
}

/// Like [`start`], with more Chromium flags (`--force-dark-mode`: the system prefers dark).
pub async fn start_with(flags: &[&str]) -> Option<Browser> {
    let required = std::env::var("VAPI_CAL_BROWSER_TESTS").is_ok_and(|v| v == "required");
    let chromium = find_program(&["chromium", "chromium-browser", "google-chrome"]);
    let driver = find_program(&["chromedriver"]);
    let (Some(chromium), Some(driver)) = (chromium, driver) else {
        let note = "browser test SKIPPED: chromium and chromedriver are not installed \
                    (apt-get install chromium chromium-driver)";
        assert!(!required, "{note}; VAPI_CAL_BROWSER_TESTS=required");
        println!("{note}");
        return None;
    };
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
        probe.local_addr().expect("addr").port()
    };
    let child = Command::new(&driver)
        .arg(format!("--port={port}"))
        .arg("--allowed-ips=127.0.0.1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .kill_on_drop(true)
        .spawn()
        .expect("chromedriver starts");
    // From here on a panic kills chromedriver and anything it started.
    let mut guard = Driver {
        group: child.id().expect("chromedriver's pid"),
        child,
        port,
        session: None,
    };
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + PAGE_WAIT;
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not listen on port {port} within {PAGE_WAIT:?}"
        );
        tokio::time::sleep(POLL).await;
    }
    let profile = TempDir(std::env::temp_dir().join(format!(
        "vapi-cal-chromium-{}",
        uuid::Uuid::new_v4().simple()
    )));
    let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|s| (*s).to_owned()).collect();
    args.push(format!("--user-data-dir={}", profile.0.display()));
    args.push("--window-size=1280,900".to_owned());
    args.extend(flags.iter().map(|f| (*f).to_owned()));
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_owned(),
        json!({"binary": chromium.display().to_string(), "args": args}),
    );
    let client = ClientBuilder::rustls()
        .expect("TLS roots")
        .capabilities(caps)
        .connect(&url)
        .await
        .expect("a Chromium session through chromedriver");
    guard.session = client.session_id().await.expect("the session's id");
    Some(Browser {
        client,
        driver: guard,
        _profile: profile,
    })
}

/// `target/screenshots/<name>.png`.
pub async fn screenshot(client: &Client, name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    let path = dir.join(format!("{name}.png"));
    let png = client.screenshot().await.expect("screenshot");
    std::fs::write(&path, png).expect("write screenshot");
    path
}

/// A dashboard page once it has arrived: its heading and the text of its `<main>`.
pub struct Page {
    /// The `<h1>`'s text.
    pub heading: String,
    /// The text of `<main>`.
    pub text: String,
}

/// Marks the document on screen as one being left: call it just before a click or a submit
/// that navigates, so that waiting for the next page cannot mistake this one for it (the next
/// page may well be the same page again, as after a filter or a refused sign-in).
pub async fn leaving(client: &Client) {
    client
        .execute(
            "document.documentElement.setAttribute('data-leaving', '');",
            vec![],
        )
        .await
        .expect("mark the page being left");
}

/// Waits until the browser shows the dashboard page `page` (its `<main data-page="...">`, in a
/// document not marked by [`leaving`]) and reads it. An element read just as the page goes away
/// is stale: look again. Panics after [`PAGE_WAIT`] with where the browser is instead.
pub async fn wait_for_page(client: &Client, page: &str) -> Page {
    let selector = format!(r#"html:not([data-leaving]) main[data-page="{page}"]"#);
    let deadline = Instant::now() + PAGE_WAIT;
    loop {
        let error = match client.find(Locator::Css(&selector)).await {
            Ok(main) => match read_page(&main).await {
                Ok(found) => return found,
                Err(e) => e,
            },
            Err(e) => e,
        };
        if Instant::now() >= deadline {
            panic!(
                "the {page} page did not arrive within {PAGE_WAIT:?}; the browser shows {}; \
                 last error: {error}",
                where_am_i(client).await
            );
        }
        tokio::time::sleep(POLL).await;
    }
}

async fn read_page(main: &Element) -> Result<Page, CmdError> {
    let heading = main.find(Locator::Css("h1")).await?.text().await?;
    let text = main.text().await?;
    Ok(Page { heading, text })
}

/// The current URL, page marker and heading, for a failure message.
async fn where_am_i(client: &Client) -> String {
    let url = match client.current_url().await {
        Ok(url) => url.to_string(),
        Err(e) => format!("(no URL: {e})"),
    };
    let (marker, heading) = match client.find(Locator::Css("main")).await {
        Ok(main) => (
            main.attr("data-page").await.ok().flatten(),
            match main.find(Locator::Css("h1")).await {
                Ok(h1) => h1.text().await.ok(),
                Err(_) => None,
            },
        ),
        Err(_) => (None, None),
    };
    format!("URL {url}, page {marker:?}, heading {heading:?}")
}

/// The text of the first element matching `css`, once there is one; an element that goes stale
/// (live updates replace parts of the page) is looked up again. Call it once
/// [`wait_for_page`] has shown that the expected page is the one on screen.
pub async fn text_of(client: &Client, css: &str) -> String {
    let deadline = Instant::now() + PAGE_WAIT;
    loop {
        let error = match client.find(Locator::Css(css)).await {
            Ok(element) => match element.text().await {
                Ok(text) => return text,
                Err(e) => e,
            },
            Err(e) => e,
        };
        if Instant::now() >= deadline {
            panic!(
                "{css} did not appear within {PAGE_WAIT:?}; the browser shows {}; \
                 last error: {error}",
                where_am_i(client).await
            );
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Clicks what `locator` finds on the current page, which navigates, and waits for `page`.
pub async fn click_to(client: &Client, locator: Locator<'_>, page: &str) -> Page {
    let target = client
        .find(locator)
        .await
        .unwrap_or_else(|e| panic!("{locator:?} on the page: {e}"));
    leaving(client).await;
    target
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {locator:?}: {e}"));
    wait_for_page(client, page).await
}

/// Signs in from the sign-in page; the caller waits for the page that follows.
pub async fn sign_in_with(client: &Client, token: &str) {
    wait_for_page(client, "sign-in").await;
    let field = client
        .find(Locator::Id("token"))
        .await
        .expect("token field");
    field.send_keys(token).await.expect("type the token");
    let button = client
        .find(Locator::Css("form[action='/dashboard/sign-in'] button"))
        .await
        .expect("sign-in button");
    leaving(client).await;
    button.click().await.expect("click sign in");
}

#[tokio::test]
async fn operator_signs_in_sees_the_appointments_and_signs_out() {
    let Some(browser) = start().await else {
        return;
    };
    let client = &browser.client;
    // Saturday, November 21, 2026, 10:00 AM in New York.
    let app = TestApp::spawn().await;
    app.seed(
        "morning-visit",
        "2026-11-21T16:00:00Z",
        Some(CALLER),
        Some("jamie@example.com"),
    );
    app.seed(
        "afternoon-visit",
        "2026-11-21T19:30:00Z",
        Some("+15557654321"),
        None,
    );
    app.seed("monday-visit", "2026-11-23T15:00:00Z", Some(CALLER), None);
    app.reconcile().await;
    seed_calls(&app).await;

    client
        .goto(&format!("{}/dashboard", app.url))
        .await
        .unwrap();
    let heading = wait_for_page(client, "sign-in").await.heading;
    assert_eq!(heading, "vapi-cal", "no session: the sign-in page");
    assert!(
        client
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/dashboard/sign-in")
    );
    screenshot(client, "sign-in").await;

    sign_in_with(client, "a-wrong-token").await;
    wait_for_page(client, "sign-in").await;
    let error = text_of(client, "p.error").await;
    assert_eq!(error, "That is not the admin token.");
    screenshot(client, "sign-in-refused").await;
    assert!(
        client.get_named_cookie("vapi_cal_session").await.is_err(),
        "no session cookie"
    );

    sign_in_with(client, ADMIN_TOKEN).await;
    let Page {
        heading,
        text: today,
    } = wait_for_page(client, "today").await;
    assert!(heading.starts_with("Today"), "{heading}");
    assert!(
        !client
            .current_url()
            .await
            .unwrap()
            .as_str()
            .contains(ADMIN_TOKEN)
    );
    let cookie = client
        .get_named_cookie("vapi_cal_session")
        .await
        .expect("session cookie");
    assert_eq!(cookie.http_only(), Some(true));
    assert_eq!(format!("{:?}", cookie.same_site()), "Some(Strict)");
    assert!(today.contains("Appointments today (2)"), "{today}");
    assert!(today.contains("11:00 AM – 11:30 AM"), "{today}");
    assert!(today.contains("2:30 PM – 3:00 PM"), "{today}");
    assert!(today.contains("America/New_York (EST)"), "{today}");
    screenshot(client, "today").await;

    // A call starts while the page is open: it appears without a reload.
    app.message(json!({"type": "status-update", "status": "in-progress",
        "call": {"id": "call-new", "type": "inboundPhoneCall"}, "customer": {"number": "+15550001111"}}))
        .await;
    let live = text_of(client, r#"#calls a[href="/dashboard/calls/call-new"]"#).await;
    assert!(live.contains("10:00 AM"), "{live}");
    assert!(text_of(client, "#calls h2").await.contains("2 in progress"));

    click_to(client, Locator::LinkText("Appointments"), "appointments").await;
    let table = text_of(client, "table.appointments").await;
    for expected in [
        "Saturday, November 21, 2026",
        "Monday, November 23, 2026",
        "morning-visit",
        "monday-visit",
    ] {
        assert!(table.contains(expected), "{expected} in {table}");
    }
    screenshot(client, "appointments").await;

    // The phone filter, by keyboard.
    let phone = client.find(Locator::Id("phone")).await.unwrap();
    leaving(client).await;
    phone.send_keys("765-4321\u{E007}").await.unwrap();
    wait_for_page(client, "appointments").await;
    let filtered = text_of(client, "table.appointments").await;
    assert!(
        filtered.contains("afternoon-visit") && !filtered.contains("morning-visit"),
        "{filtered}"
    );

    // Calls: the list, then one call with its transcript and the tool calls in place.
    click_to(client, Locator::LinkText("Calls"), "calls").await;
    let calls = text_of(client, "table.calls").await;
    assert!(
        calls.contains("Success") && calls.contains("$0.14"),
        "{calls}"
    );
    assert!(calls.contains("in-progress"), "{calls}");
    screenshot(client, "calls").await;
    click_to(
        client,
        Locator::Css(r#"a[href="/dashboard/calls/call-1"]"#),
        "call",
    )
    .await;
    let transcript = text_of(client, "ol.transcript").await;
    for expected in [
        "Thanks for calling, how can I help?",
        "appointment_create",
        "appointment_cancel",
        "Thanks, bye.",
    ] {
        assert!(transcript.contains(expected), "{expected} in {transcript}");
    }
    assert!(
        transcript.find("appointment_create") < transcript.find("You're booked"),
        "the tool call sits before the answer that followed it: {transcript}"
    );
    client
        .find(Locator::Css("li.tool summary"))
        .await
        .expect("arguments toggle")
        .click()
        .await
        .unwrap();
    let arguments = text_of(client, "li.tool pre").await;
    assert!(arguments.contains("Pat Caller"), "{arguments}");
    // A player of the console's recording address (it redirects to a fresh link), with controls.
    let player = client
        .find(Locator::Css("audio.recording"))
        .await
        .expect("a recording player");
    assert_eq!(
        player.attr("src").await.unwrap().as_deref(),
        Some("/dashboard/calls/call-1/recording")
    );
    assert!(player.attr("controls").await.unwrap().is_some());
    assert!(player.is_displayed().await.unwrap());
    // Tall enough to show the whole call, from its facts to the end of the transcript.
    client.set_window_size(1280, 1800).await.unwrap();
    screenshot(client, "call").await;
    client.set_window_size(1280, 900).await.unwrap();

    click_to(client, Locator::LinkText("Stats"), "stats").await;
    let table = text_of(client, "table.stats").await;
    assert!(table.contains("Sat, Nov 21"), "{table}");
    assert_eq!(
        client
            .find_all(Locator::Css("svg rect.bar"))
            .await
            .unwrap()
            .len(),
        35,
        "7 days × 5 charts"
    );
    screenshot(client, "stats").await;

    // A phone-sized window.
    client.set_window_size(390, 844).await.unwrap();
    client
        .goto(&format!("{}/dashboard", app.url))
        .await
        .unwrap();
    wait_for_page(client, "today").await;
    screenshot(client, "today-phone").await;
    client
        .goto(&format!("{}/dashboard/calls/call-1", app.url))
        .await
        .unwrap();
    wait_for_page(client, "call").await;
    text_of(client, "ol.transcript").await;
    screenshot(client, "call-phone").await;
    client.set_window_size(1280, 900).await.unwrap();

    let signed_out = click_to(client, Locator::Css("form.sign-out button"), "sign-in").await;
    assert_eq!(signed_out.heading, "vapi-cal");
    client
        .goto(&format!("{}/dashboard/appointments", app.url))
        .await
        .unwrap();
    wait_for_page(client, "sign-in").await;
    assert!(
        client
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/dashboard/sign-in"),
        "signed out: back to the sign-in page"
    );
    browser.close().await;
}

/// The README's pictures: `vapi-cal demo`'s Today page, its booking call, with the transcript,
/// the tool calls the assistant made and its recording (which loads in the player), and its
/// Stats page. Saved as
/// `target/screenshots/demo-today.png`, `demo-call.png` and `demo-stats.png`; copy them to
/// `tests/screenshots/` to update the README.
#[tokio::test]
async fn the_demo_console_shows_today_and_a_booking_call() {
    use clap::Parser;

    let Some(browser) = start().await else {
        return;
    };
    let client = &browser.client;
    let file = crate::support::TempSqlite::new("demo");
    let url = &file.url;
    let settings = vapi_cal::cli::Cli::try_parse_from(["vapi-cal", "demo"])
        .expect("demo flags")
        .settings
        .without_empty_values();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let demo = vapi_cal::cli::demo::prepare(&settings, url, listener)
        .await
        .expect("demo starts");
    let base = format!("http://{}", demo.addr);
    let token = demo.admin_token.clone();
    let vapi_cal::cli::demo::Demo {
        state,
        listener,
        sim,
        ..
    } = demo;
    tokio::spawn(vapi_cal::app::serve(
        listener,
        state,
        std::future::pending(),
    ));

    client.goto(&format!("{base}/dashboard")).await.unwrap();
    sign_in_with(client, &token).await;
    let Page {
        heading,
        text: today,
    } = wait_for_page(client, "today").await;
    assert!(heading.starts_with("Today"), "{heading}");
    // The caller's seeded appointments are tomorrow's; Riley's, whose reminder the demo places,
    // starts about half an hour from now: today's unless today ends before then. The 1:00 PM
    // booking call (90 minutes ago) is today's unless today began less than 90 minutes ago.
    let zone = chrono_tz::America::New_York;
    let now = chrono::Utc::now();
    let day_of = |at: chrono::DateTime<chrono::Utc>| at.with_timezone(&zone).date_naive();
    if day_of(now + chrono::Duration::minutes(33)) == day_of(now) {
        assert!(today.contains("Appointments today (1)"), "{today}");
        assert!(today.contains("Riley Demo"), "{today}");
    } else if day_of(now + chrono::Duration::minutes(29)) != day_of(now) {
        assert!(today.contains("Appointments today (0)"), "{today}");
    }
    if (now - chrono::Duration::minutes(90))
        .with_timezone(&zone)
        .date_naive()
        == now.with_timezone(&zone).date_naive()
    {
        let row = text_of(client, r#"#calls a[href="/dashboard/calls/demo-call-4"]"#).await;
        assert!(!row.is_empty(), "the booking call's row");
        assert!(today.contains("+15551234567"), "{today}");
    }
    screenshot(client, "demo-today").await;

    client
        .goto(&format!("{base}/dashboard/calls/demo-call-4"))
        .await
        .unwrap();
    wait_for_page(client, "call").await;
    // Its recording plays: the simulator's WAV, through the console's redirect, as the page's
    // CSP allows.
    client
        .execute(
            "const a = document.querySelector('audio.recording'); a.preload = 'auto'; a.load();",
            vec![],
        )
        .await
        .unwrap();
    let deadline = Instant::now() + PAGE_WAIT;
    loop {
        let seconds = client
            .execute(
                "return document.querySelector('audio.recording').duration;",
                vec![],
            )
            .await
            .unwrap();
        if seconds.as_f64().is_some_and(|s| (s - 1.2).abs() < 0.05) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the recording did not load: {seconds}"
        );
        tokio::time::sleep(POLL).await;
    }
    let transcript = text_of(client, "ol.transcript").await;
    for expected in [
        "I'd like a consultation tomorrow afternoon.",
        "availability_read",
        "appointment_create",
        "You're booked for tomorrow at 1:00 PM.",
        "Thanks, bye.",
    ] {
        assert!(transcript.contains(expected), "{expected} in {transcript}");
    }
    assert!(
        transcript.find("availability_read") < transcript.find("Which suits you?")
            && transcript.find("appointment_create") < transcript.find("You're booked"),
        "each tool call sits before the answer it gave: {transcript}"
    );
    let page = wait_for_page(client, "call").await.text;
    assert!(
        page.contains("demo-cancel-me"),
        "the booked appointment: {page}"
    );
    // Open the booking's arguments: what the assistant sent to book.
    let toggles = client
        .find_all(Locator::Css("li.tool summary"))
        .await
        .unwrap();
    assert_eq!(toggles.len(), 4, "arguments and answer of two tool calls");
    toggles[2].click().await.unwrap();
    let arguments = text_of(client, "li.tool details[open] pre").await;
    assert!(
        arguments.contains("tomorrow 13:00") && arguments.contains("Jamie Demo"),
        "{arguments}"
    );
    // Full height: the call's facts down to the end of the transcript.
    let height = client
        .execute("return document.documentElement.scrollHeight;", vec![])
        .await
        .unwrap()
        .as_u64()
        .unwrap_or(1800);
    client
        .set_window_size(1280, u32::try_from(height + 200).unwrap_or(1800))
        .await
        .unwrap();
    screenshot(client, "demo-call").await;

    client.set_window_size(1280, 900).await.unwrap();
    client
        .goto(&format!("{base}/dashboard/stats"))
        .await
        .unwrap();
    wait_for_page(client, "stats").await;
    let table = text_of(client, "table.stats tfoot").await;
    assert!(
        table.starts_with("Total 4"),
        "the demo's four calls: {table}"
    );
    screenshot(client, "demo-stats").await;
    browser.close().await;
    drop(sim);
    drop(file);
}
