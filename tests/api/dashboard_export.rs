//! The console's CSV exports: behind the same sign-in as the pages, a download named for what it
//! holds, the rows the page lists for the same filters (every page of them), times in the
//! business's zone, and hostile values written as text a spreadsheet will not run.

use serde_json::json;

use crate::{
    dashboard::{client, href_after, page, seed_calls, seed_upcoming, sign_in},
    support::{CALLER, Options, TestApp},
};

const EXPORTS: &[&str] = &[
    "/dashboard/calls.csv",
    "/dashboard/appointments.csv",
    "/dashboard/stats.csv",
];

/// A name a spreadsheet would run as a formula if it were written as is.
const HOSTILE: &str = "=HYPERLINK(\"http://evil.example\",\"Pat\")";

/// `path` fetched with `cookie`, redirects not followed.
async fn get(app: &TestApp, path: &str, cookie: &str) -> reqwest::Response {
    client()
        .get(format!("{}{path}", app.url))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
}

/// The export at `path`: its headers checked, then its records (header row first).
pub async fn export(app: &TestApp, path: &str, cookie: &str, filename: &str) -> Vec<Vec<String>> {
    let resp = get(app, path, cookie).await;
    assert_eq!(resp.status(), 200, "{path}");
    let headers = resp.headers().clone();
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8", "{path}");
    assert_eq!(
        headers["content-disposition"],
        format!("attachment; filename=\"{filename}\""),
        "{path}"
    );
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let body = resp.bytes().await.unwrap();
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&body[..])
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// The column `name` of `records` (after the header row).
pub fn column(records: &[Vec<String>], name: &str) -> Vec<String> {
    let i = records[0]
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {:?}", records[0]));
    records[1..].iter().map(|r| r[i].clone()).collect()
}

/// Every `<time datetime="...">` of a page's list, in order.
fn datetimes(body: &str) -> Vec<String> {
    body.split(r#"<time datetime=""#)
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_owned())
        .collect()
}

/// Every call a Calls page links, in order.
pub fn call_ids(body: &str) -> Vec<String> {
    body.split(r#"<td data-label="Time"><a href="/dashboard/calls/"#)
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_owned())
        .collect()
}

/// The "Download CSV" link of a page, as the browser follows it.
pub fn download_link(body: &str) -> String {
    href_after(body, r#"<a class="export" href=""#)
}

#[tokio::test]
async fn exports_answer_like_the_pages_without_a_session_or_without_the_console() {
    let app = TestApp::spawn().await;
    for path in EXPORTS {
        for cookie in ["", "vapi_cal_session=v1.9999999999.abc.forged"] {
            let resp = get(&app, path, cookie).await;
            assert_eq!(resp.status(), 303, "{path} with {cookie:?}");
            assert_eq!(resp.headers()["location"], "/dashboard/sign-in");
            assert!(resp.headers().get("content-disposition").is_none());
        }
    }
    let off = TestApp::spawn_with(Options {
        admin_token: None,
        ..Options::default()
    })
    .await;
    for path in EXPORTS {
        assert_eq!(page(&off, path, "").await.0, 404, "{path}");
    }
}

#[tokio::test]
async fn the_calls_export_holds_every_call_the_filters_match_as_the_page_lists_them() {
    let app = TestApp::spawn().await;
    seed_calls(&app).await;
    // A caller who gives a name that would be a formula in a spreadsheet.
    let booked = app
        .call_on(
            "call-hostile",
            "appointment_create",
            json!({"start": "2026-11-25T15:00", "attendeeName": HOSTILE}),
            Some("+15559990000"),
        )
        .await;
    booked.ok();
    for i in 0..26 {
        app.clock.advance(chrono::Duration::minutes(1));
        app.message(json!({"type": "status-update", "status": "ringing",
            "timestamp": app.clock.now().timestamp_millis(),
            "call": {"id": format!("c-{i:02}"), "type": "inboundPhoneCall"},
            "customer": {"number": "+15550001111"}}))
            .await;
    }
    let cookie = sign_in(&app).await;
    let file = "calls-2026-11-21.csv";

    // Unfiltered: the page shows 25, the export every call, newest first, in the same order.
    let (_, first) = page(&app, "/dashboard/calls", &cookie).await;
    assert_eq!(download_link(&first), "/dashboard/calls.csv");
    let all = export(&app, "/dashboard/calls.csv", &cookie, file).await;
    assert_eq!(
        all[0],
        [
            "Started", "Time", "Caller", "Name", "Duration", "Status", "Outcome", "Cost", "Call id"
        ]
    );
    let ids = column(&all, "Call id");
    assert_eq!(ids.len(), 29, "every page: {ids:?}");
    assert_eq!(ids[..25], call_ids(&first)[..], "the page's order");
    assert_eq!(ids[28], "call-1");

    // Filtered by number: the same rows as the page, cell for cell where the page shows them.
    let path = "/dashboard/calls?number=(555)%20123";
    let (_, filtered) = page(&app, path, &cookie).await;
    let link = download_link(&filtered);
    assert_eq!(link, "/dashboard/calls.csv?number=%28555%29%20123");
    let rows = export(&app, &link, &cookie, file).await;
    assert_eq!(column(&rows, "Call id"), call_ids(&filtered));
    assert_eq!(column(&rows, "Call id"), ["call-1"]);
    let call_1 = &rows[1];
    let page_row = |cell: &str| filtered.contains(&format!(">{cell}<"));
    // In the business's zone (New York), as on the page.
    assert_eq!(column(&rows, "Started"), datetimes(&filtered));
    assert!(call_1[0].ends_with("-05:00"), "{call_1:?}");
    for cell in &call_1[1..8] {
        // The page shows a number as typed; the file with the apostrophe that keeps it text.
        let shown = cell.strip_prefix('\'').unwrap_or(cell);
        assert!(page_row(shown) || cell.is_empty(), "{cell} is on the page");
    }
    assert_eq!(column(&rows, "Caller"), [format!("'{CALLER}")]);
    assert_eq!(column(&rows, "Name"), ["Pat Caller"]);
    assert_eq!(column(&rows, "Cost"), ["$0.14"]);

    // Hostile cells are text.
    let by_id = |id: &str| all.iter().find(|r| r[8] == id).unwrap().clone();
    assert_eq!(by_id("call-hostile")[3], format!("'{HOSTILE}"));
    assert_eq!(
        by_id("c-00")[2],
        "'+15550001111",
        "a leading + is a formula too"
    );
}

#[tokio::test]
async fn the_appointments_export_holds_the_pages_appointments_for_the_same_filters() {
    let app = TestApp::spawn().await;
    let hostile = app.book("2026-11-27T15:00", HOSTILE).await.uid;
    seed_upcoming(&app);
    app.reconcile().await;
    let cookie = sign_in(&app).await;
    let file = "appointments-upcoming-2026-11-21.csv";

    let (_, first) = page(&app, "/dashboard/appointments", &cookie).await;
    let link = download_link(&first);
    assert_eq!(link, "/dashboard/appointments.csv?when=upcoming");
    let all = export(&app, &link, &cookie, file).await;
    let uids = column(&all, "Booking uid");
    assert_eq!(uids.len(), 31, "every page: {uids:?}");
    let page_uids: Vec<String> = first
        .split("<code>")
        .skip(1)
        .map(|s| s.split('<').next().unwrap().to_owned())
        .collect();
    assert_eq!(uids[..25], page_uids[..], "the page's order");
    assert_eq!(column(&all, "Starts")[..25], datetimes(&first)[..]);

    // The same filters as the page: one day, one status, one phone.
    let path = "/dashboard/appointments?day=2026-11-22&phone=(555)%20765-4321";
    let (_, filtered) = page(&app, path, &cookie).await;
    let link = download_link(&filtered);
    let rows = export(&app, &link, &cookie, file).await;
    assert_eq!(column(&rows, "Booking uid"), ["up-07"]);
    assert!(filtered.contains("<code>up-07</code>"));
    // 2026-11-22T21:00Z is 4:00 PM in New York, the day the page groups it under.
    let row = &rows[1];
    assert_eq!(row[0], "2026-11-22", "{row:?}");
    assert_eq!(row[1], "4:00 PM – 4:30 PM");
    assert_eq!(row[2], "2026-11-22T16:00:00-05:00");
    assert!(filtered.contains(&format!(">{}</time>", row[1])));
    assert_eq!(row[4], "'+15557654321");
    let past = export(
        &app,
        "/dashboard/appointments.csv?when=past",
        &cookie,
        "appointments-past-2026-11-21.csv",
    )
    .await;
    assert_eq!(past.len(), 1, "only the header: nothing is past");

    // A name that is a formula stays text.
    // Booking uids are random and may begin with '-': those get the apostrophe too.
    let booked = all
        .iter()
        .find(|r| r[8].trim_start_matches('\'') == hostile)
        .unwrap_or_else(|| panic!("{hostile} in {all:?}"));
    assert_eq!(booked[3], format!("'{HOSTILE}"));
}

#[tokio::test]
async fn the_stats_export_is_the_pages_table_for_the_same_days() {
    let app = TestApp::spawn().await;
    seed_calls(&app).await;
    let cookie = sign_in(&app).await;
    let (_, body) = page(
        &app,
        "/dashboard/stats?from=2026-11-19&to=2026-11-21",
        &cookie,
    )
    .await;
    let link = download_link(&body);
    assert_eq!(link, "/dashboard/stats.csv?from=2026-11-19&to=2026-11-21");
    let rows = export(&app, &link, &cookie, "stats-2026-11-19-to-2026-11-21.csv").await;
    // The table's columns, in its order.
    let columns: Vec<&str> = body
        .split(r#"<th scope="col">"#)
        .skip(1)
        .map(|s| s.split('<').next().unwrap())
        .collect();
    assert_eq!(rows[0], columns);
    assert_eq!(
        column(&rows, "Day"),
        ["2026-11-19", "2026-11-20", "2026-11-21", "Total"]
    );
    // Saturday the 21st: two calls, one booked, $0.14, 50% (as the page's table says).
    assert_eq!(
        rows[3],
        [
            "2026-11-21",
            "2",
            "1",
            "1",
            "0 min 45 s",
            "$0.14",
            "1",
            "0",
            "0",
            "50%",
            "0",
            "—",
            "—",
            "0"
        ]
    );
    for cell in &rows[3][1..] {
        assert!(
            body.contains(&format!(">{cell}</td>")),
            "{cell} is in the page's table"
        );
    }
}
