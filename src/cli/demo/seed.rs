//! What the demo starts with: the clinic's appointment type and bookings, a few finished calls
//! with their transcripts and tool calls, the appointment whose reminder rings first, and a
//! caller on the waitlist.

use super::*;

/// Seeds a simulator with the demo business: one 30-minute type open 9–17 every day, and two
/// appointments tomorrow for the demo caller.
pub fn seed(sim: &Simulator, tz: Tz, clock: &Clock) {
    let mut spec = EventTypeSpec::new(DEMO_EVENT_TYPE_ID, "Consultation", 30, tz);
    spec.weekdays = vec![
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    sim.add_event_type(spec);
    sim.add_organization(DEMO_ORG_ID);
    sim.set_me("Demo Owner", "owner@example.com", tz.name());
    let tomorrow = local_today(clock.now(), tz) + Duration::days(1);
    for (uid, hour) in [(DEMO_MOVE_UID, 11), (DEMO_CANCEL_UID, 13)] {
        let local =
            tomorrow.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN));
        if let Ok(start) = local_to_utc(local, tz) {
            sim.seed_booking(SeedBooking {
                uid: uid.to_owned(),
                event_type_id: DEMO_EVENT_TYPE_ID,
                start,
                attendee_name: "Jamie Demo".to_owned(),
                attendee_email: Some("jamie@example.com".to_owned()),
                attendee_phone: Some(DEMO_CALLER.to_owned()),
                attendee_time_zone: tz.name().to_owned(),
            });
        }
    }
}

/// Seeds a few finished calls (yesterday and earlier today) so `stats` and `/api/calls` show
/// something: they go through the same end-of-call-report reading and merging as real ones.
/// The 1:00 PM booking call also gets its whole transcript, the tool calls it made, and a
/// recording at `recording` (the simulator's, so the Call page's player plays in the demo).
pub async fn seed_calls(db: &Db, clock: &Clock, tz: Tz, recording: &str) -> anyhow::Result<()> {
    let now = clock.now();
    let calls = [
        // (id, minutes ago, seconds long, ended reason, success, cost, summary)
        (
            "demo-call-1",
            26 * 60,
            184,
            "customer-ended-call",
            "true",
            0.14,
            "Booked a consultation for tomorrow at 11:00 AM.",
        ),
        (
            "demo-call-2",
            25 * 60,
            95,
            "assistant-ended-call",
            "8",
            0.07,
            "Asked for open times; will call back.",
        ),
        (
            "demo-call-3",
            3 * 60,
            41,
            "customer-busy",
            "false",
            0.01,
            "The line was busy.",
        ),
        (
            "demo-call-4",
            90,
            132,
            "customer-ended-call",
            "true",
            0.10,
            "Booked a consultation for tomorrow at 1:00 PM.",
        ),
    ];
    for (id, ago, secs, reason, success, cost, summary) in calls {
        let started = now - Duration::minutes(ago);
        let ended = started + Duration::seconds(secs);
        let report = json!({
            "type": "end-of-call-report",
            "timestamp": ended.timestamp_millis(),
            "endedReason": reason,
            "startedAt": crate::db::ts(started),
            "endedAt": crate::db::ts(ended),
            "cost": cost,
            "costs": [{"type": "vapi", "cost": cost}],
            "analysis": {"summary": summary, "successEvaluation": success},
            "artifact": {
                "messages": transcript(id),
                "recordingUrl": (id == "demo-call-4").then_some(recording),
            },
            "call": {"id": id, "type": "inboundPhoneCall"},
            "customer": {"number": DEMO_CALLER},
        });
        if let Some(obs) = crate::vapi::call_payloads::observation(
            crate::vapi::MessageKind::EndOfCallReport,
            &report,
        ) {
            db.record_call(&obs, now).await?;
        }
    }
    db.link_call_appointment(
        "demo-call-1",
        DEMO_MOVE_UID,
        LinkAction::Booked,
        None,
        now - Duration::minutes(26 * 60 - 2),
    )
    .await?;
    // demo-call-4 booked its appointment with the tool call 24 s into the call.
    let started = now - Duration::minutes(90);
    db.link_call_appointment(
        "demo-call-4",
        DEMO_CANCEL_UID,
        LinkAction::Booked,
        None,
        started + Duration::seconds(24),
    )
    .await?;
    db.record_tool_invocations(&booking_tool_calls(started, tz, clock))
        .await?;
    Ok(())
}

/// What was said in a demo call: the booking call (demo-call-4) in full, the others in brief.
fn transcript(id: &str) -> serde_json::Value {
    if id != "demo-call-4" {
        return json!([
            {"role": "bot", "message": "Thanks for calling, how can I help?", "secondsFromStart": 0.8},
            {"role": "user", "message": "I'd like to book a consultation.", "secondsFromStart": 4.2},
        ]);
    }
    json!([
        {"role": "bot", "message": "Thanks for calling, how can I help?", "secondsFromStart": 0.8},
        {"role": "user", "message": "I'd like a consultation tomorrow afternoon.", "secondsFromStart": 4.2},
        // availability_read at 9 s
        {"role": "bot", "message": "Tomorrow afternoon I have 12:00, 12:30 and 1:00 PM, and later times too. Which suits you?", "secondsFromStart": 11.5},
        {"role": "user", "message": "One o'clock, please. It's Jamie Demo, jamie@example.com.", "secondsFromStart": 18.0},
        // appointment_create at 24 s
        {"role": "bot", "message": "You're booked for tomorrow at 1:00 PM. Anything else?", "secondsFromStart": 27.5},
        {"role": "user", "message": "No, that's all. Thanks!", "secondsFromStart": 31.0},
        {"role": "bot", "message": "Thanks, bye.", "secondsFromStart": 33.2},
    ])
}

/// The tool calls the assistant made in demo-call-4 (started at `started`): it read tomorrow
/// afternoon's open times, then booked the 1:00 PM one, the seeded [`DEMO_CANCEL_UID`].
fn booking_tool_calls(started: DateTime<Utc>, tz: Tz, clock: &Clock) -> Vec<ToolInvocation> {
    let tomorrow = local_today(clock.now(), tz) + Duration::days(1);
    let at = |hour, minute| {
        tomorrow
            .and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN))
            .and_local_timezone(tz)
            .earliest()
    };
    let clock_of = |hour, minute| {
        at(hour, minute)
            .map(|t| speak_clock(&t, Language::En))
            .unwrap_or_default()
    };
    let booked = at(13, 0).map(|t| t.with_timezone(&Utc));
    let zone = at(13, 0)
        .map(|t| t.format("%Z").to_string())
        .unwrap_or_default();
    let day = speak_date(tomorrow, Language::En);
    let today = local_time::speak_full_date(local_today(started, tz), Language::En);
    let availability = json!({
        "summary": format!(
            "Open times in the afternoon ({zone}): {day}: {}, {}, {} and 7 more.",
            clock_of(12, 0),
            clock_of(12, 30),
            clock_of(13, 0)
        ),
        "today": today,
        "timeZone": tz.name(),
        "eventTypeId": DEMO_EVENT_TYPE_ID,
        "from": tomorrow.to_string(),
        "to": tomorrow.to_string(),
        "totalOpenTimes": 10,
    });
    let appointment = json!({
        "summary": format!("Booked the Consultation on {day} at {} {zone}.", clock_of(13, 0)),
        "today": today,
        "timeZone": tz.name(),
        "appointment": {
            "appointmentId": DEMO_CANCEL_UID,
            "title": "Consultation",
            "status": "accepted",
            "when": booked.map(|t| speak_instant(t, tz, Language::En)),
            "start": booked.map(|t| local_iso(t, tz)),
            "end": booked.map(|t| local_iso(t + Duration::minutes(30), tz)),
            "startUtc": booked.map(utc_iso),
            "attendee": {"name": "Jamie Demo", "email": "jamie@example.com", "phone": DEMO_CALLER},
            "eventTypeId": DEMO_EVENT_TYPE_ID,
        },
    });
    let row = |n: &str,
               tool: &str,
               arguments: serde_json::Value,
               result: serde_json::Value,
               latency_ms,
               secs| {
        ToolInvocation {
            call_id: Some("demo-call-4".to_owned()),
            caller_number: Some(DEMO_CALLER.to_owned()),
            tool_call_id: format!("demo-call-4-{n}"),
            tool: tool.to_owned(),
            arguments: arguments.to_string(),
            result: Some(result.to_string()),
            error: None,
            failure: None,
            latency_ms,
            created_at: started + Duration::seconds(secs),
        }
    };
    vec![
        row(
            "1",
            "availability_read",
            json!({"date": "tomorrow", "partOfDay": "afternoon"}),
            availability,
            184,
            9,
        ),
        row(
            "2",
            "appointment_create",
            json!({
                "start": "tomorrow 13:00",
                "attendeeName": "Jamie Demo",
                "attendeeEmail": "jamie@example.com",
            }),
            appointment,
            412,
            24,
        ),
    ]
}

/// Seeds the appointment whose reminder the demo places, for [`DEMO_REMINDED`]: starting the
/// demo's lead time plus `reminder_in` from now (rounded up to the minute), so its reminder is
/// due that soon.
pub(super) fn seed_reminder(sim: &Simulator, tz: Tz, clock: &Clock, reminder_in: Duration) {
    let due = clock.now() + reminder_in;
    let start = due + DEMO_REMINDER_LEAD;
    let start = start
        .duration_round_up(Duration::minutes(1))
        .unwrap_or(start);
    sim.seed_booking(SeedBooking {
        uid: DEMO_REMINDER_UID.to_owned(),
        event_type_id: DEMO_EVENT_TYPE_ID,
        start,
        attendee_name: "Riley Demo".to_owned(),
        attendee_email: Some("riley@example.com".to_owned()),
        attendee_phone: Some(DEMO_REMINDED.to_owned()),
        attendee_time_zone: tz.name().to_owned(),
    });
}

/// Puts [`DEMO_WAITING`] on the waitlist for tomorrow afternoon.
pub(super) async fn seed_waitlist(db: &Db, clock: &Clock, tz: Tz) -> anyhow::Result<()> {
    let now = clock.now();
    let tomorrow = local_today(now, tz) + Duration::days(1);
    let entry = crate::domain::waitlist::Entry {
        id: "wl_demo".to_owned(),
        phone: DEMO_WAITING.to_owned(),
        name: "Sam Waiting".to_owned(),
        event_type_id: DEMO_EVENT_TYPE_ID,
        first_day: tomorrow,
        last_day: tomorrow,
        part: Some(crate::domain::local_time::DayPart::Afternoon),
        state: crate::domain::waitlist::EntryState::Waiting,
        booked_uid: None,
        created_at: now,
    };
    db.join_waitlist(&entry, now).await?;
    Ok(())
}
