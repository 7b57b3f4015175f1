//! No code path reads across tenants: random writes by random tenants (sharing booking uids,
//! call ids and phone numbers, as businesses on one Cal.com account or a forged message would)
//! are read back through every tenant's handle, which sees exactly its own. And a database made
//! before tenants existed is migrated in place, its rows becoming the tenant `default`'s.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use proptest::{
    collection::vec,
    prelude::*,
    strategy::ValueTree,
    test_runner::{Config, TestRunner},
};
use serde_json::json;
use vapi_cal::{
    db::{
        Db,
        appointments::Contact,
        call_records::{CallFilter, LinkAction},
    },
    domain::{
        appointment::{Observation, Status},
        call::{CallObservation, CallStatus},
        tenant::TenantSlug,
    },
};

use crate::support::{TestDb, at};

const TENANTS: [&str; 3] = ["default", "smile", "cut"];
const PHONES: [&str; 2] = ["+15551230001", "+15551230002"];

/// One write by one tenant.
#[derive(Clone, Debug)]
enum Write {
    /// A booking `uid` for `phone` (uids collide across tenants on purpose).
    Booking {
        tenant: usize,
        uid: u8,
        phone: usize,
    },
    /// A call record, with a link to a booking of the same tenant.
    Call { tenant: usize, call: u8, uid: u8 },
    /// A sync value.
    Sync { tenant: usize, value: u8 },
}

fn arb_write() -> impl Strategy<Value = Write> {
    prop_oneof![
        (0..3usize, 0..4u8, 0..2usize).prop_map(|(tenant, uid, phone)| Write::Booking {
            tenant,
            uid,
            phone
        }),
        (0..3usize, 0..4u8, 0..4u8).prop_map(|(tenant, call, uid)| Write::Call {
            tenant,
            call,
            uid
        }),
        (0..3usize, 0..50u8).prop_map(|(tenant, value)| Write::Sync { tenant, value }),
    ]
}

fn slug(i: usize) -> TenantSlug {
    TenantSlug::parse(TENANTS[i]).expect("slug")
}

fn booking(tenant: usize, uid: u8, phone: usize, now: DateTime<Utc>) -> Observation {
    Observation {
        uid: format!("uid-{uid}"),
        observed_at: now,
        status: Some(Status::Accepted),
        start_time: Some(at("2026-11-23T15:00:00Z") + Duration::hours(i64::from(uid))),
        end_time: Some(at("2026-11-23T15:30:00Z") + Duration::hours(i64::from(uid))),
        // The name says whose row it is, so a row read by the wrong tenant shows.
        attendees: Some(json!([{"name": TENANTS[tenant], "phoneNumber": PHONES[phone]}])),
        attendee_phone: Some(PHONES[phone].to_owned()),
        title: Some(TENANTS[tenant].to_owned()),
        ..Observation::default()
    }
}

/// Property: after any sequence of writes, each tenant reads exactly what it wrote.
#[tokio::test]
async fn no_tenant_reads_another_tenants_rows() {
    let mut runner = TestRunner::new(Config {
        cases: 24,
        ..Config::default()
    });
    let plans = vec(arb_write(), 1..24);
    for _ in 0..24 {
        let plan = plans.new_tree(&mut runner).expect("a plan").current();
        check_plan(&plan).await;
    }
}

async fn check_plan(plan: &[Write]) {
    let test_db = TestDb::new().await;
    let dbs: Vec<Db> = (0..3)
        .map(|i| {
            if i == 0 {
                test_db.db.clone()
            } else {
                test_db.db.for_tenant(&slug(i))
            }
        })
        .collect();
    let now = at("2026-11-21T15:00:00Z");
    // What each tenant should see.
    let mut bookings: Vec<BTreeMap<String, usize>> = vec![BTreeMap::new(); 3];
    let mut calls: Vec<BTreeSet<String>> = vec![BTreeSet::new(); 3];
    let mut sync: Vec<Option<String>> = vec![None; 3];
    // Who recorded a call id first owns it: VAPI's ids are unique, so another tenant's message
    // naming it is forged and changes nothing.
    let mut call_owner: BTreeMap<String, usize> = BTreeMap::new();
    // Links likewise belong to the tenant that made them first.
    let mut link_owner: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (step, write) in plan.iter().enumerate() {
        let now = now + Duration::seconds(step as i64);
        match *write {
            Write::Booking { tenant, uid, phone } => {
                dbs[tenant]
                    .apply_observations(None, vec![booking(tenant, uid, phone, now)], now)
                    .await
                    .expect("apply");
                bookings[tenant].insert(format!("uid-{uid}"), phone);
            }
            Write::Call { tenant, call, uid } => {
                let id = format!("call-{call}");
                let obs = CallObservation {
                    vapi_call_id: id.clone(),
                    at: Some(now),
                    customer_number: Some(PHONES[0].to_owned()),
                    status: Some(CallStatus::InProgress),
                    assistant_id: Some(TENANTS[tenant].to_owned()),
                    ..CallObservation::default()
                };
                dbs[tenant].record_call(&obs, now).await.expect("record");
                dbs[tenant]
                    .link_call_appointment(
                        &id,
                        &format!("uid-{uid}"),
                        LinkAction::Booked,
                        None,
                        now,
                    )
                    .await
                    .expect("link");
                call_owner.entry(id.clone()).or_insert(tenant);
                link_owner
                    .entry((id.clone(), format!("uid-{uid}")))
                    .or_insert(tenant);
                if call_owner[&id] == tenant {
                    calls[tenant].insert(id);
                }
            }
            Write::Sync { tenant, value } => {
                dbs[tenant]
                    .set_sync_state("cursor", &value.to_string(), now)
                    .await
                    .expect("sync");
                sync[tenant] = Some(value.to_string());
            }
        }
    }
    for (t, db) in dbs.iter().enumerate() {
        let all = db.all_appointments().await.expect("all");
        let seen: BTreeMap<String, usize> = all
            .iter()
            .map(|a| {
                assert_eq!(a.title.as_deref(), Some(TENANTS[t]), "{plan:?}");
                let phone = PHONES
                    .iter()
                    .position(|p| Some(*p) == a.attendee_phone.as_deref())
                    .expect("a known phone");
                (a.uid.clone(), phone)
            })
            .collect();
        assert_eq!(
            seen, bookings[t],
            "tenant {} bookings, plan {plan:?}",
            TENANTS[t]
        );
        for (p, phone) in PHONES.iter().enumerate() {
            let found = db
                .active_appointments(Contact::Phone(phone), now - Duration::days(1), None)
                .await
                .expect("by phone");
            let expected: BTreeSet<&String> = bookings[t]
                .iter()
                .filter(|(_, ph)| **ph == p)
                .map(|(uid, _)| uid)
                .collect();
            let got: BTreeSet<&String> = found.iter().map(|a| &a.uid).collect();
            assert_eq!(
                got, expected,
                "tenant {} phone {phone}, plan {plan:?}",
                TENANTS[t]
            );
        }
        for uid in 0..4u8 {
            let one = db.appointment(&format!("uid-{uid}")).await.expect("one");
            assert_eq!(
                one.is_some(),
                bookings[t].contains_key(&format!("uid-{uid}")),
                "tenant {} uid-{uid}, plan {plan:?}",
                TENANTS[t]
            );
        }
        let listed = db
            .list_calls(&CallFilter {
                limit: 100,
                ..CallFilter::default()
            })
            .await
            .expect("calls");
        let got: BTreeSet<String> = listed
            .calls
            .iter()
            .map(|c| c.vapi_call_id.clone())
            .collect();
        assert_eq!(got, calls[t], "tenant {} calls, plan {plan:?}", TENANTS[t]);
        for call in &listed.calls {
            assert_eq!(call.assistant_id.as_deref(), Some(TENANTS[t]));
        }
        for call in 0..4u8 {
            let id = format!("call-{call}");
            let record = db.call(&id).await.expect("call");
            assert_eq!(
                record.is_some(),
                calls[t].contains(&id),
                "{id}, plan {plan:?}"
            );
            let links: BTreeSet<String> = db
                .call_appointments(&id)
                .await
                .expect("links")
                .into_iter()
                .map(|link| link.appointment_uid)
                .collect();
            let expected: BTreeSet<String> = link_owner
                .iter()
                .filter(|((call_id, _), owner)| *call_id == id && **owner == t)
                .map(|((_, uid), _)| uid.clone())
                .collect();
            assert_eq!(
                links, expected,
                "{id} links of tenant {}, plan {plan:?}",
                TENANTS[t]
            );
        }
        assert_eq!(
            db.sync_state("cursor").await.expect("sync"),
            sync[t],
            "tenant {} sync, plan {plan:?}",
            TENANTS[t]
        );
        let changed = !bookings[t].is_empty();
        assert_eq!(
            db.calendar_version().await.expect("version") > 0,
            changed,
            "each tenant's calendar counts its own changes, plan {plan:?}"
        );
    }
    test_db.db.close().await;
}

/// A database made before tenants (migrations up to 0015), with a booking, a call, a link and a
/// sync value, is migrated in place: nothing is lost, all of it is the tenant `default`'s, and
/// another tenant sees none of it.
#[tokio::test]
async fn a_database_from_before_tenants_migrates_in_place() {
    let (url, _file) = TestDb::unmigrated().await;
    sqlx::any::install_default_drivers();
    let dir = if url.starts_with("sqlite:") {
        "migrations/sqlite"
    } else {
        "migrations/postgres"
    };
    let mut before = sqlx::migrate::Migrator::new(std::path::Path::new(dir))
        .await
        .expect("the migrations");
    before.migrations = before
        .migrations
        .iter()
        .filter(|m| m.version <= 15)
        .cloned()
        .collect::<Vec<_>>()
        .into();
    let pool = sqlx::AnyPool::connect(&url).await.expect("connect");
    before.run(&pool).await.expect("the schema before tenants");
    let statements = [
        "insert into appointments (cal_uid, status, attendees, paid, request_reschedule, no_show, attendee_phone, start_time, end_time, title, last_event_at, created_at, updated_at) \
         values ('old-uid', 'accepted', '[{\"name\":\"Pat\"}]', 0, 0, 0, '+15551230001', '2026-11-23T15:00:00.000Z', '2026-11-23T15:30:00.000Z', 'Old booking', '2026-11-20T10:00:00.000Z', '2026-11-20T10:00:00.000Z', '2026-11-20T10:00:00.000Z')",
        "insert into calls (vapi_call_id, status, hang_count, sort_at, created_at, updated_at) values ('old-call', 'ended', 0, '2026-11-20T10:00:00.000Z', '2026-11-20T10:00:00.000Z', '2026-11-20T10:00:00.000Z')",
        "insert into call_appointments (vapi_call_id, appointment_uid, action, created_at) values ('old-call', 'old-uid', 'booked', '2026-11-20T10:00:00.000Z')",
        "insert into sync_state (name, value, updated_at) values ('bookings.updated_after', '2026-11-20T10:00:00.000Z', '2026-11-20T10:00:00.000Z')",
        "update calendar_version set version = 7 where id = 1",
    ];
    for sql in statements {
        sqlx::query(sql).execute(&pool).await.expect(sql);
    }
    pool.close().await;

    let db = Db::connect_and_migrate(&url)
        .await
        .expect("migrated in place");
    let booking = db
        .appointment("old-uid")
        .await
        .expect("read")
        .expect("kept");
    assert_eq!(booking.title.as_deref(), Some("Old booking"));
    assert_eq!(booking.attendee_phone.as_deref(), Some("+15551230001"));
    assert!(db.call("old-call").await.expect("read").is_some());
    assert_eq!(
        db.call_appointments("old-call").await.expect("links").len(),
        1
    );
    assert!(
        db.bookings_table_is_synced().await,
        "the reconcile cursor is kept"
    );
    assert_eq!(db.calendar_version().await.expect("version"), 7);
    let other = db.for_tenant(&TenantSlug::parse("smile").expect("slug"));
    assert!(other.appointment("old-uid").await.expect("read").is_none());
    assert!(other.call("old-call").await.expect("read").is_none());
    assert!(
        other
            .call_appointments("old-call")
            .await
            .expect("links")
            .is_empty()
    );
    assert!(!other.bookings_table_is_synced().await);
    db.close().await;
}
