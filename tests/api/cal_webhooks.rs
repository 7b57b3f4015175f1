//! Cal.com webhook sync: signatures, every trigger, replays, disorder, reconcile, local reads.

use std::time::Duration;

use futures_util::future::join_all;
use serde_json::json;
use vapi_cal::domain::appointment::{Appointment, Status};

use crate::support::{CALLER, EVENT_TYPE, Outcome, TestApp, WEBHOOK_SECRET};

fn created(uid: &str, start: &str, end: &str, phone: &str, at: &str) -> String {
    json!({
        "triggerEvent": "BOOKING_CREATED",
        "createdAt": at,
        "payload": {
            "title": "Consultation between Demo Owner and Pat Caller", "type": "consultation",
            "startTime": start, "endTime": end, "eventTypeId": EVENT_TYPE,
            "organizer": {"id": 1, "name": "Demo Owner", "email": "owner@example.com", "username": "owner",
                          "timeZone": "America/New_York", "language": {"locale": "en"}, "timeFormat": "h:mma", "utcOffset": -300},
            "attendees": [{"email": "Pat@Example.com", "name": "Pat Caller", "firstName": "Pat", "lastName": "Caller",
                           "timeZone": "America/New_York", "phoneNumber": phone, "language": {"locale": "en"}, "utcOffset": -300}],
            "responses": {"name": {"label": "your_name", "value": "Pat Caller", "isHidden": false},
                          "attendeePhoneNumber": {"label": "phone_number", "value": phone}},
            "location": "integrations:daily", "uid": uid, "bookingId": 100, "length": 30,
            "metadata": {"videoCallUrl": "https://app.cal.com/video/x", "vapiCallId": "call-77"}, "status": "ACCEPTED"
        }
    })
    .to_string()
}

fn rescheduled(old: &str, new: &str, at: &str) -> String {
    json!({
        "triggerEvent": "BOOKING_RESCHEDULED",
        "createdAt": at,
        "payload": {
            "title": "Consultation between Demo Owner and Pat Caller", "eventTypeId": EVENT_TYPE,
            "startTime": "2026-11-25T15:00:00Z", "endTime": "2026-11-25T15:30:00Z",
            "attendees": [{"email": "pat@example.com", "name": "Pat Caller", "phoneNumber": CALLER}],
            "uid": new, "bookingId": 101, "rescheduleId": 100, "rescheduleUid": old,
            "rescheduleStartTime": "2026-11-24T20:00:00Z", "rescheduleEndTime": "2026-11-24T20:30:00Z",
            "metadata": {}, "status": "ACCEPTED"
        }
    })
    .to_string()
}

fn cancelled(uid: &str, at: &str) -> String {
    json!({
        "triggerEvent": "BOOKING_CANCELLED",
        "createdAt": at,
        "payload": {
            "startTime": "2026-11-25T15:00:00+00:00", "endTime": "2026-11-25T15:30:00+00:00", "uid": uid,
            "bookingId": 101, "eventTypeId": EVENT_TYPE, "cancellationReason": "I am no longer able to attend.",
            "attendees": [{"name": "Pat Caller", "email": "pat@example.com", "timeZone": "UTC", "phoneNumber": CALLER}],
            "status": "CANCELLED", "requestReschedule": false
        }
    })
    .to_string()
}

/// A booking's whole life: created as "old", moved to "new", then cancelled.
fn lifecycle() -> [String; 3] {
    [
        created(
            "old",
            "2026-11-24T20:00:00Z",
            "2026-11-24T20:30:00Z",
            CALLER,
            "2026-11-21T15:00:00.000Z",
        ),
        rescheduled("old", "new", "2026-11-21T16:00:00.000Z"),
        cancelled("new", "2026-11-21T17:00:00.000Z"),
    ]
}

async fn row(app: &TestApp, uid: &str) -> Appointment {
    app.db
        .appointment(uid)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("no row for {uid}"))
}

#[tokio::test]
async fn signatures_are_checked_before_anything_is_written() {
    let app = TestApp::spawn().await;
    let body = created(
        "u1",
        "2026-11-24T20:00:00Z",
        "2026-11-24T20:30:00Z",
        CALLER,
        "2026-11-21T15:00:00.000Z",
    );
    let wrong = vapi_cal::calcom::webhook::sign("not-the-secret", body.as_bytes());
    for sig in [
        None,
        Some("no-secret-provided"),
        Some(wrong.as_str()),
        Some("zz"),
    ] {
        let (status, answer) = app.deliver_signed_as(&body, sig).await;
        assert_eq!(status, 401, "{sig:?}: {answer}");
        assert!(answer["error"]["message"].is_string());
    }
    assert!(app.db.all_appointments().await.expect("query").is_empty());
    assert_eq!(app.db.webhook_event_count().await.expect("count"), 0);

    // A signature over different bytes fails even if the JSON means the same.
    let sig = vapi_cal::calcom::webhook::sign(WEBHOOK_SECRET, body.as_bytes());
    let (status, _) = app.deliver_signed_as(&format!("{body} "), Some(&sig)).await;
    assert_eq!(status, 401);

    // The previous secret of a rotation is still accepted.
    let old = vapi_cal::calcom::webhook::sign("whsec-previous", body.as_bytes());
    let (status, answer) = app.deliver_signed_as(&body, Some(&old)).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(row(&app, "u1").await.status, Status::Accepted);
}

#[tokio::test]
async fn unusable_bodies_and_unknown_triggers() {
    let app = TestApp::spawn().await;
    let (status, answer) = app.deliver("{not json").await;
    assert_eq!(status, 400);
    assert_eq!(answer["error"]["code"], "unusable_webhook");
    let (status, _) = app.deliver(r#"{"payload": {}}"#).await;
    assert_eq!(status, 400);
    let (status, _) = app
        .deliver(
            r#"{"triggerEvent":"BOOKING_CREATED","createdAt":"2026-11-21T15:00:00Z","payload":{}}"#,
        )
        .await;
    assert_eq!(status, 400, "a booking trigger without uid is unusable");

    let ping = json!({"triggerEvent": "PING", "createdAt": "2026-11-21T12:00:00.000Z",
        "payload": {"type": "Test", "title": "Test trigger event", "startTime": "2026-11-21T12:00:00.000Z",
                    "endTime": "2026-11-21T12:00:00.000Z", "attendees": [], "organizer": {"name": "Cal"}}});
    let (status, answer) = app.deliver(&ping.to_string()).await;
    assert_eq!((status, answer["status"].as_str()), (200, Some("ignored")));
    let future = json!({"triggerEvent": "SOMETHING_NEW", "createdAt": "2026-11-21T12:00:00.000Z", "payload": {}});
    let (status, _) = app.deliver(&future.to_string()).await;
    assert_eq!(status, 200);
    assert!(app.db.all_appointments().await.expect("query").is_empty());
}

#[tokio::test]
async fn every_booking_trigger_maps_to_the_right_state() {
    let app = TestApp::spawn().await;
    let at = "2026-11-21T15:00:00.000Z";
    let send = |body: String| {
        let app = &app;
        async move {
            let (status, answer) = app.deliver(&body).await;
            assert_eq!(status, 200, "{answer}");
        }
    };
    send(created(
        "c1",
        "2026-11-24T20:00:00Z",
        "2026-11-24T20:30:00Z",
        "+1 555 123 4567",
        at,
    ))
    .await;
    let c1 = row(&app, "c1").await;
    assert_eq!(c1.status, Status::Accepted);
    assert_eq!(c1.attendee_phone.as_deref(), Some(CALLER));
    assert_eq!(c1.attendee_email.as_deref(), Some("pat@example.com"));
    assert_eq!(c1.vapi_call_id.as_deref(), Some("call-77"));
    assert_eq!(c1.organizer_email.as_deref(), Some("owner@example.com"));
    assert_eq!(
        c1.start_time.map(|t| t.to_rfc3339()),
        Some("2026-11-24T20:00:00+00:00".into())
    );

    send(json!({"triggerEvent": "BOOKING_REQUESTED", "createdAt": at, "payload": {
        "uid": "r1", "bookingId": 200, "requiresConfirmation": true, "metadata": {}, "status": "PENDING",
        "startTime": "2026-11-26T15:00:00Z", "endTime": "2026-11-26T15:30:00Z",
        "attendees": [{"email": "a@example.com", "name": "A", "phoneNumber": null}]}}).to_string()).await;
    assert_eq!(row(&app, "r1").await.status, Status::Pending);

    send(json!({"triggerEvent": "BOOKING_REJECTED", "createdAt": "2026-11-21T16:00:00.000Z", "payload": {
        "uid": "r1", "bookingId": 200, "startTime": "2026-11-26T15:00:00.000Z",
        "rejectionReason": "The organizer is no longer available at this time.", "status": "REJECTED"}}).to_string()).await;
    let r1 = row(&app, "r1").await;
    assert_eq!(r1.status, Status::Rejected);
    assert_eq!(
        r1.cancellation_reason.as_deref(),
        Some("The organizer is no longer available at this time.")
    );

    send(rescheduled("c1", "c2", "2026-11-21T16:00:00.000Z")).await;
    let (c1, c2) = (row(&app, "c1").await, row(&app, "c2").await);
    assert_eq!(c1.status, Status::Rescheduled);
    assert_eq!(c1.rescheduled_to_uid.as_deref(), Some("c2"));
    assert_eq!(c2.status, Status::Accepted);
    assert_eq!(c2.rescheduled_from_uid.as_deref(), Some("c1"));

    send(json!({"triggerEvent": "BOOKING_NO_SHOW_UPDATED", "createdAt": "2026-11-21T17:00:00.000Z", "payload": {
        "message": "pat@example.com marked as no-show", "attendees": [{"email": "pat@example.com", "noShow": true}],
        "bookingUid": "c2", "bookingId": 101}}).to_string()).await;
    let c2 = row(&app, "c2").await;
    assert!(c2.no_show);
    assert_eq!(
        c2.attendee_phone.as_deref(),
        Some(CALLER),
        "the no-show payload does not wipe attendees"
    );

    send(json!({"triggerEvent": "BOOKING_PAID", "createdAt": "2026-11-21T17:30:00.000Z", "payload": {
        "uid": "c2", "bookingId": 101, "paymentId": 555, "status": "ACCEPTED"}}).to_string()).await;
    let c2 = row(&app, "c2").await;
    assert!(c2.paid);
    assert_eq!(c2.payment_id.as_deref(), Some("555"));

    // MEETING_ENDED is flat and its createdAt is the booking's own creation time.
    send(json!({"triggerEvent": "MEETING_ENDED", "id": 101, "uid": "c2", "eventTypeId": EVENT_TYPE,
        "startTime": "2026-11-25T15:00:00.000Z", "endTime": "2026-11-25T15:30:00.000Z", "status": "ACCEPTED",
        "createdAt": "2026-11-21T09:45:00.000Z", "user": {"email": "owner@example.com"},
        "attendees": [{"id": 101, "email": "pat@example.com", "name": "Pat Caller", "timeZone": "UTC",
                       "phoneNumber": CALLER, "locale": "en", "bookingId": 101, "noShow": false}]}).to_string()).await;
    assert_eq!(row(&app, "c2").await.status, Status::Ended);

    send(created(
        "x1",
        "2026-11-27T20:00:00Z",
        "2026-11-27T20:30:00Z",
        CALLER,
        at,
    ))
    .await;
    send(cancelled("x1", "2026-11-21T18:00:00.000Z")).await;
    let x1 = row(&app, "x1").await;
    assert_eq!(x1.status, Status::Cancelled);
    assert_eq!(
        x1.cancellation_reason.as_deref(),
        Some("I am no longer able to attend.")
    );
}

#[tokio::test]
async fn the_same_delivery_a_hundred_times_gives_one_state() {
    let app = TestApp::spawn().await;
    let body = created(
        "u1",
        "2026-11-24T20:00:00Z",
        "2026-11-24T20:30:00Z",
        CALLER,
        "2026-11-21T15:00:00.000Z",
    );
    let (_, first) = app.deliver(&body).await;
    assert_eq!(first["status"], "applied");
    let once = row(&app, "u1").await;
    for _ in 0..99 {
        let (status, answer) = app.deliver(&body).await;
        assert_eq!(
            (status, answer["status"].as_str()),
            (200, Some("duplicate"))
        );
    }
    assert_eq!(row(&app, "u1").await, once);
    assert_eq!(app.db.webhook_event_count().await.expect("count"), 1);
}

/// A burst of deliveries arriving together shares commits, yet each is answered for itself: a
/// copy racing its original in the same group is a duplicate, and a booking's whole lifecycle
/// sent at once ends as Cal.com has it.
#[tokio::test]
async fn a_burst_of_deliveries_is_applied_each_once_and_in_full() {
    let app = TestApp::spawn().await;
    let bookings: Vec<String> = (0..60)
        .map(|i| {
            created(
                &format!("burst-{i}"),
                "2026-11-24T20:00:00Z",
                "2026-11-24T20:30:00Z",
                &format!("+1415555{i:04}"),
                "2026-11-21T15:00:00.000Z",
            )
        })
        .collect();
    let lifecycle = lifecycle();
    // Every booking twice, all at the same moment, with the lifecycle in among them.
    let bodies: Vec<&String> = bookings
        .iter()
        .chain(bookings.iter())
        .chain(lifecycle.iter())
        .collect();
    let answers = join_all(bodies.iter().map(|b| app.deliver(b))).await;
    for (status, answer) in &answers {
        assert_eq!(*status, 200, "{answer}");
    }
    for i in 0..60 {
        let mut statuses = [
            answers[i].1["status"].as_str(),
            answers[i + 60].1["status"].as_str(),
        ];
        statuses.sort_unstable();
        assert_eq!(
            statuses,
            [Some("applied"), Some("duplicate")],
            "booking {i}"
        );
        let stored = row(&app, &format!("burst-{i}")).await;
        assert_eq!(
            stored.attendee_phone.as_deref(),
            Some(format!("+1415555{i:04}").as_str())
        );
        assert_eq!(stored.status, Status::Accepted);
    }
    let (old, new) = (row(&app, "old").await, row(&app, "new").await);
    assert_eq!(old.status, Status::Rescheduled);
    assert_eq!(old.rescheduled_to_uid.as_deref(), Some("new"));
    assert_eq!(new.status, Status::Cancelled);
    assert_eq!(
        app.db.webhook_event_count().await.expect("count"),
        60 + 3,
        "each distinct delivery is logged once"
    );
    // The copies and the lifecycle's repeated uids shared groups without failing them.
    let (_, _, metrics) = app.get_text("/metrics", &[]).await;
    assert!(
        metrics.contains("vapi_cal_db_change_groups_total{outcome=\"committed\"}"),
        "{metrics}"
    );
    assert!(
        !metrics.contains("vapi_cal_db_change_groups_total{outcome=\"split\"}"),
        "no group had to be split: {metrics}"
    );
}

/// All orders of a lifecycle end in the state Cal.com has.
#[tokio::test]
async fn any_order_ends_in_the_same_state() {
    let events = lifecycle();
    let orders = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ];
    let mut finals = Vec::new();
    for order in orders {
        let app = TestApp::spawn().await;
        for i in order {
            let (status, answer) = app.deliver(&events[i]).await;
            assert_eq!(status, 200, "{answer}");
        }
        let (old, new) = (row(&app, "old").await, row(&app, "new").await);
        assert_eq!(old.status, Status::Rescheduled, "order {order:?}");
        assert_eq!(old.rescheduled_to_uid.as_deref(), Some("new"));
        assert_eq!(
            old.title.as_deref(),
            Some("Consultation between Demo Owner and Pat Caller")
        );
        assert_eq!(new.status, Status::Cancelled, "order {order:?}");
        assert_eq!(new.rescheduled_from_uid.as_deref(), Some("old"));
        let strip = |a: Appointment| Appointment {
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
            ..a
        };
        finals.push((strip(old), strip(new)));
    }
    assert!(
        finals.windows(2).all(|w| w[0] == w[1]),
        "every order ends the same"
    );
}

#[tokio::test]
async fn a_booking_made_in_calcom_arrives_by_signed_webhook() {
    let app = TestApp::spawn().await;
    app.subscribe();
    // Someone books on the Cal.com page directly (through its API here).
    let (status, answer) = app
        .cal_api_post(
            "/v2/bookings",
            json!({"start": "2026-11-24T20:00:00Z", "eventTypeId": EVENT_TYPE,
                   "attendee": {"name": "Web Booker", "email": "web@example.com", "timeZone": "America/New_York",
                                "phoneNumber": "+15557654321"}}),
        )
        .await;
    assert_eq!(status, 201, "{answer}");
    let uid = answer["data"]["uid"].as_str().expect("uid").to_owned();
    let delivered = app.sim.wait_for_webhooks(1, Duration::from_secs(3)).await;
    assert_eq!(
        delivered[0].status,
        Some(200),
        "our endpoint accepted the signed delivery"
    );
    let a = row(&app, &uid).await;
    assert_eq!(a.status, Status::Accepted);
    assert_eq!(a.attendee_phone.as_deref(), Some("+15557654321"));
}

#[tokio::test]
async fn our_own_tool_writes_land_at_once_and_the_webhook_confirms() {
    let app = TestApp::spawn().await;
    app.subscribe();
    app.reconcile().await;
    let uid = app.book("2026-11-24T15:00", "Jane Roe").await.uid;
    assert_eq!(row(&app, &uid).await.status, Status::Accepted);
    assert_eq!(
        row(&app, &uid).await.vapi_call_id.as_deref(),
        Some("call-1")
    );

    let r = app
        .answer(
            "appointment_update",
            json!({"appointmentId": uid, "start": "2026-11-25T10:00"}),
        )
        .await;
    let new_uid = r["appointment"]["appointmentId"]
        .as_str()
        .expect("uid")
        .to_owned();
    assert_eq!(row(&app, &uid).await.status, Status::Rescheduled);
    assert_eq!(row(&app, &new_uid).await.status, Status::Accepted);

    app.cancel(&new_uid).await;
    assert_eq!(row(&app, &new_uid).await.status, Status::Cancelled);

    // created, rescheduled, cancelled: three signed deliveries, each accepted and logged.
    let delivered = app.sim.wait_for_webhooks(3, Duration::from_secs(3)).await;
    assert!(
        delivered.iter().all(|d| d.status == Some(200)),
        "{delivered:?}"
    );
    for _ in 0..50 {
        if app.db.webhook_event_count().await.expect("count") == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(app.db.webhook_event_count().await.expect("count"), 3);
    assert_eq!(row(&app, &uid).await.status, Status::Rescheduled);
    assert_eq!(row(&app, &new_uid).await.status, Status::Cancelled);
}

#[tokio::test]
async fn reconcile_recovers_webhooks_that_were_dropped() {
    let app = TestApp::spawn().await;
    app.subscribe();
    app.sim.set_webhook_delivery(false);
    app.seed("seeded", "2026-11-26T20:00:00Z", Some(CALLER), None);
    let uid = app.book("2026-11-24T15:00", "Jane Roe").await.uid;
    // Cancelled in Cal.com by the business; the webhook is lost.
    let (status, _) = app
        .cal_api_post(
            &format!("/v2/bookings/{uid}/cancel"),
            json!({"cancellationReason": "closed that day"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        row(&app, &uid).await.status,
        Status::Accepted,
        "the table missed the cancel"
    );
    assert!(app.db.appointment("seeded").await.expect("query").is_none());

    let report = app.reconcile().await;
    assert_eq!(report.bookings, 2);
    let a = row(&app, &uid).await;
    assert_eq!(a.status, Status::Cancelled);
    assert_eq!(a.cancellation_reason.as_deref(), Some("closed that day"));
    assert_eq!(row(&app, "seeded").await.status, Status::Accepted);

    // The cursor moves on: a later run asks only for what changed since.
    app.clock.advance(chrono::Duration::minutes(5));
    app.answer(
        "appointment_create",
        json!({"start": "2026-11-27T15:00", "attendeeName": "Later"}),
    )
    .await;
    app.sim.clear_requests();
    let report = app.reconcile().await;
    let q = app.sim.requests()[0].query.clone().unwrap_or_default();
    assert!(
        q.contains("afterUpdatedAt=2026-11-21T15%3A00%3A00.000Z")
            && q.contains("sortUpdatedAt=asc"),
        "{q}"
    );
    assert_eq!(report.cursor.as_deref(), Some("2026-11-21T15:05:00.000Z"));
    assert_eq!(app.db.all_appointments().await.expect("query").len(), 3);
}

#[tokio::test]
async fn appointment_read_is_served_from_the_table_with_no_calcom_request() {
    let app = TestApp::spawn().await;
    app.seed(
        "mine",
        "2026-11-24T20:00:00Z",
        Some("(555) 123-4567"),
        Some("Pat@Example.com"),
    );
    app.seed("theirs", "2026-11-24T16:00:00Z", Some("+15559999999"), None);
    app.reconcile().await;
    app.sim.clear_requests();

    let r = app.answer("appointment_read", json!({})).await;
    assert!(
        Outcome::summary(&r)
            .starts_with("1 upcoming appointment: Tuesday, November 24 at 3:00 PM EST (id mine)")
    );
    // Without a number, an email is no proof: nothing is listed.
    let r = app
        .answer_as(
            "appointment_read",
            json!({"email": "pat@example.com"}),
            None,
        )
        .await;
    assert_eq!(r["count"], 0, "{r}");
    let r = app
        .answer("appointment_read", json!({"appointmentId": "mine"}))
        .await;
    assert_eq!(
        r["appointments"][0]["when"],
        "Tuesday, November 24 at 3:00 PM EST"
    );
    let e = app
        .refusal("appointment_read", json!({"appointmentId": "theirs"}))
        .await;
    insta::assert_snapshot!("someone_elses_appointment_from_the_local_table", e);
    assert_eq!(app.sim.request_count(), 0, "{:?}", app.sim.requests());
}

#[tokio::test]
async fn register_webhook_creates_once_and_then_leaves_it_alone() {
    use secrecy::SecretString;
    use vapi_cal::sync::bookings::{RegisterAction, register_webhook};

    let app = TestApp::spawn().await;
    let secret = SecretString::from(WEBHOOK_SECRET);
    let public = "https://voice.example.com/";

    let (action, shown) = register_webhook(&app.cal, public, &secret, true)
        .await
        .expect("dry run");
    assert_eq!(action, RegisterAction::Create);
    assert_eq!(shown["secret"], "***", "the secret is never shown");
    assert!(
        app.sim.requests().iter().all(|r| r.method == "GET"),
        "a dry run only reads"
    );

    let (action, _) = register_webhook(&app.cal, public, &secret, false)
        .await
        .expect("create");
    assert_eq!(action, RegisterAction::Create);
    let posted = app
        .sim
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .expect("POST /v2/webhooks");
    let body: serde_json::Value = serde_json::from_str(&posted.body).expect("json");
    assert_eq!(
        body["subscriberUrl"],
        "https://voice.example.com/cal/webhook"
    );
    assert_eq!(body["secret"], WEBHOOK_SECRET);
    assert_eq!(body["triggers"].as_array().map(Vec::len), Some(8));

    let (action, _) = register_webhook(&app.cal, public, &secret, false)
        .await
        .expect("again");
    assert!(matches!(action, RegisterAction::Unchanged(_)), "{action:?}");
    let writes = app
        .sim
        .requests()
        .iter()
        .filter(|r| r.method != "GET")
        .count();
    assert_eq!(writes, 1, "the second run changes nothing");
}

#[tokio::test]
async fn nul_characters_in_a_booking_are_dropped_not_a_failed_write() {
    // PostgreSQL's text cannot hold U+0000; a booking form can send one.
    let app = TestApp::spawn().await;
    let mut body: serde_json::Value = serde_json::from_str(&created(
        "nul-1",
        "2026-11-24T20:00:00Z",
        "2026-11-24T20:30:00Z",
        CALLER,
        "2026-11-21T15:00:00.000Z",
    ))
    .expect("JSON");
    body["payload"]["title"] = json!("Consul\u{0}tation");
    body["payload"]["location"] = json!("\u{0}Room 4");
    body["payload"]["description"] = json!("bring\u{0} the form");
    body["payload"]["attendees"][0]["name"] = json!("Pat\u{0} Caller");
    body["payload"]["responses"]["notes"] = json!({"label": "notes", "value": "a\u{0}b"});
    body["payload"]["metadata"]["extra\u{0}"] = json!("\u{0}");
    let (status, answer) = app.deliver(&body.to_string()).await;
    assert_eq!(status, 200, "{answer}");
    let stored = row(&app, "nul-1").await;
    assert_eq!(stored.title.as_deref(), Some("Consultation"));
    assert_eq!(stored.location.as_deref(), Some("Room 4"));
    assert_eq!(stored.description.as_deref(), Some("bring the form"));
    assert!(
        !serde_json::to_string(&stored.attendees)
            .expect("JSON")
            .contains("\\u0000"),
        "{:?}",
        stored.attendees
    );
    assert_eq!(stored.status, Status::Accepted);
}
