//! The waitlist: callers wait for a full time; when one opens (a cancellation or a move) the
//! first caller waiting is called, the time is held for them in Cal.com during the call, and it
//! is booked for them if they take it; otherwise the next caller waiting is tried. One caller
//! at a time per time, each at most once, across processes. Entries belong to the number that
//! called: nobody reads, leaves or is booked into someone else's.

use serde_json::{Value, json};
use vapi_cal::{
    assistant,
    config::{Settings, outbound::CallPolicy},
    domain::waitlist::{OfferOutcome, OpeningKey, OpeningState},
};

use crate::support::*;
use crate::vapi_fake::VapiFake;

/// First to join.
pub(crate) const ANA: &str = "+15550003333";
/// Second to join.
pub(crate) const BEN: &str = "+15550004444";
/// Someone who never joined.
const CARL: &str = "+15550005555";

pub(crate) struct World {
    pub(crate) app: TestApp,
    pub(crate) vapi: VapiFake,
    line_id: String,
}

fn outbound_settings() -> vapi_cal::config::outbound::OutboundSettings {
    let mut outbound = Settings::defaults().outbound;
    outbound.waitlist = CallPolicy::Call;
    outbound.call_window = "Mon-Sun 08:00-20:00".parse().unwrap();
    outbound.outbound_max_concurrent = 2;
    outbound.business_name = Some("Demo Dental".to_owned());
    outbound
}

async fn world_with(tweak: impl FnOnce(&mut Options)) -> World {
    let vapi = VapiFake::spawn().await;
    let calling = super::outbound::spec()
        .calling_definition()
        .expect("the calling assistant");
    assistant::push(Some(&vapi.client()), &calling, None, false)
        .await
        .expect("VAPI takes the calling assistant");
    let line_id = vapi.insert_phone_number(json!({"number": "+15550001111", "name": "Front desk"}));
    let mut opts = Options {
        vapi_api_url: Some(vapi.url.clone()),
        phone_number_id: Some(line_id.clone()),
        outbound: Some(outbound_settings()),
        ..Options::default()
    };
    tweak(&mut opts);
    World {
        app: TestApp::spawn_with(opts).await,
        vapi,
        line_id,
    }
}

pub(crate) async fn world() -> World {
    world_with(|_| {}).await
}

impl World {
    pub(crate) async fn pass(&self) -> vapi_cal::outbound::PassReport {
        self.app
            .outbound
            .run_once(false)
            .await
            .expect("the pass runs")
    }

    pub(crate) fn offers_placed(&self) -> Vec<Value> {
        self.vapi
            .placed_calls()
            .into_iter()
            .filter(|c| {
                c["assistantOverrides"]["variableValues"]["callPurpose"] == "waitlist_offer"
            })
            .collect()
    }

    /// `number` joins the waitlist for `date` with `args` on top.
    pub(crate) async fn join(
        &self,
        number: &str,
        name: &str,
        date: &str,
        part: Option<&str>,
    ) -> Value {
        let mut args = json!({"date": date, "attendeeName": name});
        if let Some(part) = part {
            args["partOfDay"] = json!(part);
        }
        self.app
            .answer_as("waitlist_join", args, Some(number))
            .await
    }

    /// The end-of-call report of the placed call `call`.
    pub(crate) async fn end(&self, call: &Value, reason: &str, outcome: Option<&str>) {
        let mut analysis = json!({"summary": "A waitlist offer."});
        if let Some(outcome) = outcome {
            analysis["structuredData"] = json!({"outcome": outcome});
        }
        let message = json!({
            "type": "end-of-call-report",
            "timestamp": 1_763_730_400_123_u64,
            "endedReason": reason,
            "call": {
                "id": call["id"],
                "type": "outboundPhoneCall",
                "assistantId": call["assistantId"],
                "phoneNumberId": call["phoneNumberId"],
                "customer": call["customer"],
                "assistantOverrides": call["assistantOverrides"],
            },
            "customer": call["customer"],
            "analysis": analysis,
            "artifact": {"transcript": "AI: Hi.\nUser: Hm.\n", "messages": []},
        });
        let (status, body) = self.app.message(message).await;
        assert_eq!(status, 200, "{body}");
    }

    pub(crate) async fn opening(&self, start: &str) -> vapi_cal::domain::waitlist::Opening {
        self.app
            .db
            .opening(&OpeningKey {
                event_type_id: EVENT_TYPE,
                slot_start: at(start),
            })
            .await
            .expect("read the opening")
            .expect("the time is known to the waitlist")
    }
}

/// Monday, November 23, 2026 at 3 PM in New York.
pub(crate) const MONDAY_3PM: &str = "2026-11-23T20:00:00Z";

fn times_listed(answer: &Value) -> String {
    answer.to_string()
}

#[tokio::test]
async fn entries_belong_to_the_number_that_called() {
    let w = world().await;
    let joined = w.join(ANA, "Ana Lima", "Monday", Some("afternoon")).await;
    let id = joined["waitlist"]["waitlistId"]
        .as_str()
        .expect("an id")
        .to_owned();
    let summary = joined["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains("waitlist") && summary.contains("November 23"),
        "{summary}"
    );
    assert_eq!(joined["waitlist"]["partOfDay"], "afternoon");

    // The same wish again changes nothing.
    let again = w.join(ANA, "Ana Lima", "Monday", Some("afternoon")).await;
    assert_eq!(again["waitlist"]["waitlistId"], id.as_str());
    assert!(
        again["summary"]
            .as_str()
            .unwrap_or_default()
            .contains("already"),
        "{again}"
    );

    // Ana hears her entry; Ben does not, and cannot take it off with its id.
    let ana = w
        .app
        .answer_as("appointment_read", json!({}), Some(ANA))
        .await;
    assert_eq!(ana["waitlist"][0]["waitlistId"], id.as_str(), "{ana}");
    let ben = w
        .app
        .answer_as("appointment_read", json!({}), Some(BEN))
        .await;
    assert!(ben.get("waitlist").is_none(), "{ben}");
    assert!(!ben.to_string().contains(&id), "{ben}");
    let refused = w
        .app
        .refusal_as("waitlist_leave", json!({"waitlistId": id}), Some(BEN))
        .await;
    assert!(refused.contains("no waitlist entry"), "{refused}");
    let still = w
        .app
        .answer_as("appointment_read", json!({}), Some(ANA))
        .await;
    assert_eq!(still["waitlist"][0]["waitlistId"], id.as_str());

    // Without a number there is nobody to call back.
    let anonymous = w
        .app
        .refusal_as(
            "waitlist_join",
            json!({"date": "Monday", "attendeeName": "X"}),
            None,
        )
        .await;
    assert!(anonymous.contains("no phone number"), "{anonymous}");

    // Ana leaves her only entry without naming it.
    let left = w
        .app
        .answer_as("waitlist_leave", json!({}), Some(ANA))
        .await;
    assert_eq!(left["waitlistId"], id.as_str());
    let after = w
        .app
        .answer_as("appointment_read", json!({}), Some(ANA))
        .await;
    assert!(after.get("waitlist").is_none(), "{after}");
}

#[tokio::test]
async fn one_number_waits_for_a_few_times_within_reach() {
    let w = world().await;
    for day in ["Monday", "Tuesday", "Wednesday"] {
        w.join(ANA, "Ana Lima", day, None).await;
    }
    let full = w
        .app
        .refusal_as(
            "waitlist_join",
            json!({"date": "Thursday", "attendeeName": "Ana"}),
            Some(ANA),
        )
        .await;
    assert!(
        full.contains("at most") || full.contains("most it may"),
        "{full}"
    );
    let far = w
        .app
        .refusal_as(
            "waitlist_join",
            json!({"date": "2027-06-01", "attendeeName": "Ben"}),
            Some(BEN),
        )
        .await;
    assert!(far.contains("90 days"), "{far}");
    // Several entries: leaving asks which.
    let which = w
        .app
        .refusal_as("waitlist_leave", json!({}), Some(ANA))
        .await;
    assert!(which.contains("several"), "{which}");
    // A name is needed when the number has booked nothing yet.
    let nameless = w
        .app
        .refusal_as("waitlist_join", json!({"date": "Monday"}), Some(CARL))
        .await;
    assert!(nameless.to_lowercase().contains("name"), "{nameless}");
}

#[tokio::test]
async fn a_business_without_a_waitlist_refuses_joining() {
    let w = world_with(|o| {
        let mut outbound = outbound_settings();
        outbound.waitlist = CallPolicy::Off;
        o.outbound = Some(outbound);
    })
    .await;
    let refused = w
        .app
        .refusal_as(
            "waitlist_join",
            json!({"date": "Monday", "attendeeName": "Ana"}),
            Some(ANA),
        )
        .await;
    assert!(refused.contains("no waitlist"), "{refused}");
}

#[tokio::test]
async fn a_freed_time_goes_to_one_caller_at_a_time_and_is_booked_for_the_one_who_takes_it() {
    let w = world().await;
    let booked = w.app.book("Monday at 3pm", "Jamie Rivera").await;
    w.join(ANA, "Ana Lima", "Monday", Some("afternoon")).await;
    w.join(BEN, "Ben Ode", "Monday", None).await;
    // Someone waiting for the morning only is never called about 3 PM.
    w.join(CARL, "Carl Moss", "Monday", Some("morning")).await;
    let report = w.pass().await;
    assert!(
        w.offers_placed().is_empty(),
        "nothing freed yet: {report:?}"
    );

    w.app.cancel(&booked.uid).await;
    let report = w.pass().await;
    let offers = w.offers_placed();
    assert_eq!(offers.len(), 1, "{report:?}");
    let first = &offers[0];
    assert_eq!(first["customer"]["number"], ANA, "first come, first called");
    let vars = &first["assistantOverrides"]["variableValues"];
    assert_eq!(vars["callerName"], "Ana Lima");
    assert_eq!(vars["eventTypeId"], EVENT_TYPE.to_string());
    let offered_start = vars["offeredStart"]
        .as_str()
        .expect("the start to book")
        .to_owned();
    assert_eq!(offered_start, "2026-11-23T15:00:00-05:00");
    assert!(
        vars["appointmentTime"]
            .as_str()
            .unwrap_or_default()
            .contains("November 23")
    );

    // Held in Cal.com: nobody else sees it, and nobody else can book it.
    let holds = w.app.sim.held_slots();
    assert_eq!(holds.len(), 1, "{holds:?}");
    assert_eq!(holds[0].1, at(MONDAY_3PM));
    let open = w
        .app
        .answer_as("availability_read", json!({"date": "Monday"}), Some(CARL))
        .await;
    assert!(
        !times_listed(&open).contains("3:00 PM"),
        "a held time is not offered: {open}"
    );
    let taken = w
        .app
        .refusal_as(
            "appointment_create",
            json!({"start": "Monday at 3pm", "attendeeName": "Carl Moss"}),
            Some(CARL),
        )
        .await;
    assert!(taken.contains("waitlist"), "{taken}");

    // Further passes call nobody else while Ana's offer runs.
    w.pass().await;
    assert_eq!(w.offers_placed().len(), 1);

    // Ana says no: the hold is let go and Ben is called next.
    w.end(first, "customer-ended-call", Some("declined")).await;
    assert!(w.app.sim.held_slots().is_empty(), "Ana's hold is let go");
    w.pass().await;
    let offers = w.offers_placed();
    assert_eq!(offers.len(), 2);
    let second = &offers[1];
    assert_eq!(second["customer"]["number"], BEN);
    assert_eq!(w.app.sim.held_slots().len(), 1, "held again, for Ben");

    // Ben takes it during the call: the assistant books the offered start.
    let call_id = second["id"].as_str().expect("VAPI's call id");
    let got = w
        .app
        .call_on(
            call_id,
            "appointment_create",
            json!({"start": offered_start, "eventTypeId": EVENT_TYPE}),
            Some(BEN),
        )
        .await
        .ok();
    let uid = got["appointment"]["appointmentId"]
        .as_str()
        .expect("booked")
        .to_owned();
    assert_eq!(status_at_calcom(&w.app, &uid), "accepted");
    let opening = w.opening(MONDAY_3PM).await;
    assert_eq!(opening.state, OpeningState::Filled);
    assert_eq!(opening.booked_uid.as_deref(), Some(uid.as_str()));
    w.end(second, "customer-ended-call", Some("accepted")).await;

    // Nobody else is called, Ana keeps waiting, Ben's wish is done.
    w.pass().await;
    assert_eq!(w.offers_placed().len(), 2);
    let ana = w
        .app
        .answer_as("appointment_read", json!({}), Some(ANA))
        .await;
    assert_eq!(ana["waitlist"].as_array().map(Vec::len), Some(1), "{ana}");
    let ben = w
        .app
        .answer_as("appointment_read", json!({}), Some(BEN))
        .await;
    assert!(ben.get("waitlist").is_none(), "{ben}");
    // Staff see it with `outbound status`.
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_vapi-cal"))
        .args(["outbound", "status"])
        .env_clear()
        .env("DATABASE_URL", &w.app.db_url)
        .env("BUSINESS_TIMEZONE", "America/New_York")
        .env("WAITLIST", "call")
        .env("RUST_LOG", "off")
        .current_dir(std::env::temp_dir())
        .output()
        .await
        .expect("the binary runs");
    let status = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{status}");
    assert!(status.contains("waitlist: on"), "{status}");
    assert!(
        status.contains(&format!(
            "filled  offered 2 time(s)  booked {uid} for {BEN}"
        )),
        "{status}"
    );
    assert!(
        status.contains("Waiting (2)") && status.contains(ANA) && status.contains(CARL),
        "{status}"
    );
    let offers = w.app.db.offers_of(&opening.key()).await.unwrap();
    let outcomes: Vec<(String, OfferOutcome)> = offers
        .iter()
        .map(|o| (o.phone.clone(), o.outcome))
        .collect();
    assert_eq!(
        outcomes,
        vec![
            (ANA.to_owned(), OfferOutcome::Declined),
            (BEN.to_owned(), OfferOutcome::Booked)
        ]
    );
}

#[tokio::test]
async fn a_hold_that_runs_out_passes_the_time_to_the_next_caller() {
    let w = world().await;
    let booked = w.app.book("Monday at 3pm", "Jamie Rivera").await;
    w.join(ANA, "Ana Lima", "Monday", None).await;
    w.join(BEN, "Ben Ode", "Monday", None).await;
    w.app.cancel(&booked.uid).await;
    w.pass().await;
    assert_eq!(w.offers_placed().len(), 1);
    let first_hold = w.app.sim.held_slots();
    assert_eq!(first_hold.len(), 1);

    // No report ever comes for Ana's call; 21 minutes later her hold has run out.
    w.app.clock.advance(chrono::Duration::minutes(21));
    assert!(w.app.sim.held_slots().is_empty(), "Cal.com's hold lapsed");
    let report = w.pass().await;
    let offers = w.offers_placed();
    assert_eq!(offers.len(), 2, "{report:?}");
    assert_eq!(offers[1]["customer"]["number"], BEN);
    let opening = w.opening(MONDAY_3PM).await;
    assert_eq!(opening.state, OpeningState::Offering);
    assert_eq!(opening.phone.as_deref(), Some(BEN));
    let offers = w.app.db.offers_of(&opening.key()).await.unwrap();
    assert_eq!(offers[0].outcome, OfferOutcome::NoAnswer);

    // Ana's late report changes nothing for Ben.
    let ana_call = w.offers_placed()[0].clone();
    w.end(&ana_call, "customer-did-not-answer", None).await;
    let opening = w.opening(MONDAY_3PM).await;
    assert_eq!(opening.phone.as_deref(), Some(BEN));

    // Ben does not answer either, and nobody is left: the time stays free for anyone.
    w.end(
        &w.offers_placed()[1].clone(),
        "customer-did-not-answer",
        None,
    )
    .await;
    w.pass().await;
    assert_eq!(
        w.offers_placed().len(),
        2,
        "nobody is called twice about one time"
    );
    let opening = w.opening(MONDAY_3PM).await;
    assert_eq!(opening.state, OpeningState::Open);
    assert!(w.app.sim.held_slots().is_empty());
    w.app.book("Monday at 3pm", "Jamie Rivera").await;
}

#[tokio::test]
async fn a_yes_in_the_report_books_the_time_when_the_call_did_not() {
    let w = world().await;
    let booked = w.app.book("Monday at 3pm", "Jamie Rivera").await;
    w.join(ANA, "Ana Lima", "Monday", None).await;
    w.app.cancel(&booked.uid).await;
    w.pass().await;
    let offer = w.offers_placed()[0].clone();
    w.end(&offer, "customer-ended-call", Some("accepted")).await;
    let opening = w.opening(MONDAY_3PM).await;
    assert_eq!(opening.state, OpeningState::Filled, "{opening:?}");
    let uid = opening.booked_uid.expect("booked");
    assert_eq!(status_at_calcom(&w.app, &uid), "accepted");
    assert!(w.app.sim.held_slots().is_empty());
}

#[tokio::test]
async fn a_time_booked_again_before_the_offer_is_not_offered() {
    let w = world().await;
    let booked = w.app.book("Monday at 3pm", "Jamie Rivera").await;
    w.join(ANA, "Ana Lima", "Monday", None).await;
    w.app.cancel(&booked.uid).await;
    // Someone books it again before the next pass.
    w.app
        .answer_as(
            "appointment_create",
            json!({"start": "Monday at 3pm", "attendeeName": "Carl Moss"}),
            Some(CARL),
        )
        .await;
    let report = w.pass().await;
    assert!(w.offers_placed().is_empty(), "{report:?}");
    let opening = w.opening(MONDAY_3PM).await;
    assert_eq!(opening.state, OpeningState::Closed);
    assert!(opening.detail.unwrap_or_default().contains("booked again"));
}

#[tokio::test]
async fn two_processes_offer_a_time_to_one_caller() {
    let w = world().await;
    let booked = w.app.book("Monday at 3pm", "Jamie Rivera").await;
    w.join(ANA, "Ana Lima", "Monday", None).await;
    w.join(BEN, "Ben Ode", "Monday", None).await;
    w.app.cancel(&booked.uid).await;
    let second = w
        .app
        .replica(Options {
            vapi_api_url: Some(w.vapi.url.clone()),
            phone_number_id: Some(w.line_id.clone()),
            outbound: Some(outbound_settings()),
            ..Options::default()
        })
        .await;
    for _ in 0..3 {
        let (a, b) = tokio::join!(
            w.app.outbound.run_once(false),
            second.outbound.run_once(false)
        );
        a.unwrap();
        b.unwrap();
    }
    let offers = w.offers_placed();
    assert_eq!(offers.len(), 1, "one caller at a time: {offers:?}");
    assert_eq!(w.app.sim.held_slots().len(), 1);
}

#[tokio::test]
async fn a_dry_run_says_who_would_be_called_and_changes_nothing() {
    let w = world().await;
    let booked = w.app.book("Monday at 3pm", "Jamie Rivera").await;
    w.join(ANA, "Ana Lima", "Monday", None).await;
    w.app.cancel(&booked.uid).await;
    let report = w.app.outbound.run_once(true).await.unwrap();
    let said = serde_json::to_string(&report.waitlist).unwrap();
    assert!(said.contains(ANA), "{said}");
    assert!(w.offers_placed().is_empty());
    assert!(w.app.sim.held_slots().is_empty());
    assert!(
        w.app
            .db
            .opening(&OpeningKey {
                event_type_id: EVENT_TYPE,
                slot_start: at(MONDAY_3PM)
            })
            .await
            .unwrap()
            .is_none()
    );
}
