//! The `appointments`, `cal_webhook_events` and `sync_state` tables.
//!
//! Changes are applied in one transaction that also records the webhook deliveries (if any), so a
//! delivery is either fully applied and logged, or not at all; a replay finds its dedupe key and
//! changes nothing. Concurrent changes share that transaction ([`super::group_commit`]). Writers are serialised (SQLite `begin immediate`, a PostgreSQL advisory lock)
//! because each change reads the stored row before merging into it.

use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

use sqlx::{Any, Transaction};

use super::{
    Backend, Db, DbError,
    call_records::insert_call_link,
    group_commit::{Change, Outcome},
    ladder_chunks,
    leases::release_lease_on,
    parse_ts,
    tool_claims::finish_claim_on,
    ts, values_list,
};
use crate::domain::{
    appointment::{Appointment, Status},
    outbound::OutboundKind,
    tenant::TenantSlug,
};

/// The sync value holding where the next reconcile of bookings starts (Cal.com's
/// `afterUpdatedAt`); present once a reconcile has filled the table.
pub const BOOKINGS_CURSOR: &str = "bookings.updated_after";

/// Advisory lock key that serialises appointment writers across PostgreSQL connections and instances.
const APPOINTMENTS_LOCK_KEY: i64 = 0x7661_7069_6361_6c01;

macro_rules! select_appointments {
    ($rest:literal) => {
        concat!(
            "select cal_uid, cal_id, event_type_id, title, description, start_time, end_time, location, status, ",
            "organizer_id, organizer_name, organizer_email, attendees, responses, metadata, paid, payment_id, ",
            "cancellation_reason, request_reschedule, attendee_phone, attendee_email, rescheduled_from_uid, ",
            "rescheduled_to_uid, vapi_call_id, no_show, last_event_at, created_at, updated_at from appointments ",
            $rest
        )
    };
}

/// One row as stored: text instants, integer flags, JSON as text.
#[derive(Debug, sqlx::FromRow)]
struct AppointmentRecord {
    cal_uid: String,
    cal_id: Option<i64>,
    event_type_id: Option<i64>,
    title: Option<String>,
    description: Option<String>,
    start_time: Option<String>,
    end_time: Option<String>,
    location: Option<String>,
    status: String,
    organizer_id: Option<i64>,
    organizer_name: Option<String>,
    organizer_email: Option<String>,
    attendees: String,
    responses: Option<String>,
    metadata: Option<String>,
    paid: i64,
    payment_id: Option<String>,
    cancellation_reason: Option<String>,
    request_reschedule: i64,
    attendee_phone: Option<String>,
    attendee_email: Option<String>,
    rescheduled_from_uid: Option<String>,
    rescheduled_to_uid: Option<String>,
    vapi_call_id: Option<String>,
    no_show: i64,
    last_event_at: String,
    created_at: String,
    updated_at: String,
}

fn json_text(text: Option<String>) -> Option<Value> {
    text.and_then(|t| serde_json::from_str(&t).ok())
}

impl TryFrom<AppointmentRecord> for Appointment {
    type Error = DbError;

    fn try_from(r: AppointmentRecord) -> Result<Self, DbError> {
        Ok(Appointment {
            uid: r.cal_uid,
            status: Status::parse(&r.status),
            cal_id: r.cal_id,
            event_type_id: r.event_type_id,
            title: r.title,
            description: r.description,
            start_time: r.start_time.as_deref().map(parse_ts).transpose()?,
            end_time: r.end_time.as_deref().map(parse_ts).transpose()?,
            location: r.location,
            organizer_id: r.organizer_id,
            organizer_name: r.organizer_name,
            organizer_email: r.organizer_email,
            attendees: serde_json::from_str(&r.attendees).unwrap_or(Value::Array(Vec::new())),
            responses: json_text(r.responses),
            metadata: json_text(r.metadata),
            paid: r.paid != 0,
            payment_id: r.payment_id,
            cancellation_reason: r.cancellation_reason,
            request_reschedule: r.request_reschedule != 0,
            attendee_phone: r.attendee_phone,
            attendee_email: r.attendee_email,
            rescheduled_from_uid: r.rescheduled_from_uid,
            rescheduled_to_uid: r.rescheduled_to_uid,
            vapi_call_id: r.vapi_call_id,
            no_show: r.no_show != 0,
            last_event_at: parse_ts(&r.last_event_at)?,
            created_at: parse_ts(&r.created_at)?,
            updated_at: parse_ts(&r.updated_at)?,
        })
    }
}

/// A Cal.com webhook delivery to log with the changes it caused.
#[derive(Debug, Clone)]
pub struct WebhookDelivery {
    /// sha256 of the raw body, hex.
    pub dedupe_key: String,
    /// `triggerEvent`.
    pub trigger_event: String,
    /// The booking it is about, if any.
    pub booking_uid: Option<String>,
    /// The raw body.
    pub body: String,
}

/// How a caller is identified in the table.
#[derive(Debug, Clone, Copy)]
pub enum Contact<'a> {
    /// E.164 phone of the primary attendee.
    Phone(&'a str),
    /// Lower-cased email of the primary attendee.
    Email(&'a str),
}

/// What applying a batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The changes were committed; the number of appointments written.
    Changed(usize),
    /// This delivery was applied before; nothing changed.
    Duplicate,
}

fn flag(b: bool) -> i64 {
    i64::from(b)
}

/// Bookings a caller's limits count (see [`Db::booking_counts`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BookingCounts {
    /// Active bookings of the call.
    pub in_call: i64,
    /// Active bookings made for the caller's number since the day began.
    pub made_since: i64,
}

impl Db {
    async fn begin_appointment_write(&self) -> Result<Transaction<'static, Any>, DbError> {
        match self.backend() {
            // Take the write lock up front: a read-then-write deferred transaction can fail with
            // SQLITE_BUSY instead of waiting when another writer commits in between.
            Backend::Sqlite => Ok(self.writer().begin_with("begin immediate").await?),
            Backend::Postgres => {
                let mut tx = self.pool().begin().await?;
                sqlx::query("select pg_advisory_xact_lock($1)")
                    .bind(APPOINTMENTS_LOCK_KEY)
                    .execute(&mut *tx)
                    .await?;
                Ok(tx)
            }
        }
    }

    /// Applies changes in one transaction and returns what each did, in order: the same result
    /// as applying them one after another (a repeated delivery is a duplicate, observations of
    /// one booking merge in order), with one statement per table for the whole group.
    pub(crate) async fn apply_changes(&self, changes: &[&Change]) -> Result<Vec<Outcome>, DbError> {
        let mut tx = self.begin_appointment_write().await?;
        // Deliveries already logged, or repeated within the group, change nothing.
        let mut seen = HashSet::new();
        let fresh: Vec<(&WebhookDelivery, DateTime<Utc>)> = changes
            .iter()
            .filter_map(|c| c.delivery.as_ref().map(|d| (d, c.now)))
            .filter(|(d, _)| seen.insert(d.dedupe_key.as_str()))
            .collect();
        let logged = insert_deliveries(&mut tx, self.tenant(), &fresh).await?;
        let mut claimed = HashSet::new();
        let applies: Vec<bool> = changes
            .iter()
            .map(|c| match &c.delivery {
                None => true,
                Some(d) => logged.contains(&d.dedupe_key) && claimed.insert(d.dedupe_key.as_str()),
            })
            .collect();
        let uids: Vec<&str> = changes
            .iter()
            .zip(&applies)
            .filter(|(_, applies)| **applies)
            .flat_map(|(c, _)| c.observations.iter().map(|o| o.uid.as_str()))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let mut rows = fetch_appointments(&mut tx, self.tenant(), &uids).await?;
        let mut touched = HashSet::new();
        let mut outcomes = Vec::with_capacity(changes.len());
        for (change, applies) in changes.iter().zip(applies) {
            if !applies {
                outcomes.push(Applied::Duplicate);
                continue;
            }
            for obs in &change.observations {
                let uid = obs.uid.clone();
                // Each uid is written once, with everything the group says about it merged in.
                touched.insert(uid.clone());
                let merged = Appointment::merge(rows.remove(&uid), obs.clone(), change.now);
                rows.insert(uid, merged);
            }
            outcomes.push(Applied::Changed(change.observations.len()));
        }
        let merged: Vec<&Appointment> = touched.iter().filter_map(|uid| rows.get(uid)).collect();
        upsert_appointments(&mut tx, self.tenant(), &merged).await?;
        if !merged.is_empty() {
            bump_calendar_version(&mut tx, self.tenant()).await?;
        }
        let mut claims = Vec::with_capacity(changes.len());
        for change in changes {
            for link in &change.links {
                insert_call_link(&mut tx, self.tenant(), link, change.now).await?;
            }
            for lease in &change.releases {
                release_lease_on(&mut tx, self.tenant(), lease).await?;
            }
            claims.push(match &change.finish {
                Some(finish) => {
                    Some(finish_claim_on(&mut tx, self.tenant(), finish, change.now).await?)
                }
                None => None,
            });
        }
        tx.commit().await?;
        Ok(outcomes
            .into_iter()
            .zip(claims)
            .map(|(applied, claim_stored)| Outcome {
                applied,
                claim_stored,
            })
            .collect())
    }

    /// One appointment by uid.
    pub async fn appointment(&self, uid: &str) -> Result<Option<Appointment>, DbError> {
        let row: Option<AppointmentRecord> =
            sqlx::query_as(select_appointments!("where tenant = $2 and cal_uid = $1"))
                .bind(uid.to_owned())
                .bind(self.t())
                .fetch_optional(self.pool())
                .await?;
        row.map(Appointment::try_from).transpose()
    }

    /// Active appointments of a contact that end after `from` and start before `to`, soonest first.
    pub async fn active_appointments(
        &self,
        contact: Contact<'_>,
        from: DateTime<Utc>,
        to: Option<DateTime<Utc>>,
    ) -> Result<Vec<Appointment>, DbError> {
        let (sql, value) = match contact {
            Contact::Phone(p) => (
                select_appointments!(
                    "where tenant = $4 and attendee_phone = $1 and status in ('accepted', 'pending') and end_time > $2 and start_time < $3 order by start_time"
                ),
                p,
            ),
            Contact::Email(e) => (
                select_appointments!(
                    "where tenant = $4 and attendee_email = $1 and status in ('accepted', 'pending') and end_time > $2 and start_time < $3 order by start_time"
                ),
                e,
            ),
        };
        let rows: Vec<AppointmentRecord> = sqlx::query_as(sql)
            .bind(value.to_owned())
            .bind(ts(from))
            .bind(to.map_or_else(|| "9999".to_owned(), ts))
            .bind(self.t())
            .fetch_all(self.pool())
            .await?;
        rows.into_iter().map(Appointment::try_from).collect()
    }

    /// What a caller's limits count, in one statement: the active bookings of the VAPI call
    /// `call_id`, and the active bookings made for `phone` since `since` (by when they were first
    /// seen here, which for the tools' own bookings is when they were made; moves are not new
    /// bookings). Either is 0 when not given. Read through the writer, so a booking committed a
    /// moment ago by another tool call of the caller is counted.
    pub async fn booking_counts(
        &self,
        call_id: Option<&str>,
        phone: Option<&str>,
        since: DateTime<Utc>,
    ) -> Result<BookingCounts, DbError> {
        let (in_call, made_since): (i64, i64) = sqlx::query_as(
            r#"select
                 (select count(*) from appointments
                   where tenant = $1 and vapi_call_id = $2 and status in ('accepted', 'pending')),
                 (select count(*) from appointments
                   where tenant = $1 and attendee_phone = $3 and created_at >= $4
                     and status in ('accepted', 'pending') and rescheduled_from_uid is null)"#,
        )
        .bind(self.t())
        .bind(call_id.map(str::to_owned))
        .bind(phone.map(str::to_owned))
        .bind(ts(since))
        .fetch_one(self.writer())
        .await?;
        Ok(BookingCounts {
            in_call,
            made_since,
        })
    }

    /// Appointments our tools booked during one VAPI call, soonest first.
    pub async fn appointments_of_call(&self, call_id: &str) -> Result<Vec<Appointment>, DbError> {
        let rows: Vec<AppointmentRecord> = sqlx::query_as(select_appointments!(
            "where tenant = $2 and vapi_call_id = $1 order by start_time"
        ))
        .bind(call_id.to_owned())
        .bind(self.t())
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(Appointment::try_from).collect()
    }

    /// Appointments starting in `[from, to)`, optionally of one status and one attendee phone,
    /// soonest first, at most `limit` (the operator API).
    pub async fn list_appointments(
        &self,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        status: Option<Status>,
        phone: Option<&str>,
        limit: u32,
    ) -> Result<Vec<Appointment>, DbError> {
        let mut sql = select_appointments!("where tenant = $1").to_owned();
        let mut binds: Vec<String> = vec![self.t()];
        for (column, op, value) in [
            ("start_time", ">=", from.map(ts)),
            ("start_time", "<", to.map(ts)),
            ("status", "=", status.map(|s| s.as_str().to_owned())),
            ("attendee_phone", "=", phone.map(str::to_owned)),
        ] {
            if let Some(v) = value {
                binds.push(v);
                sql.push_str(&format!(" and {column} {op} ${}", binds.len()));
            }
        }
        sql.push_str(&format!(
            " order by start_time, cal_uid limit {}",
            limit.max(1)
        ));
        let mut query = sqlx::query_as::<_, AppointmentRecord>(sqlx::AssertSqlSafe(sql));
        for b in binds {
            query = query.bind(b);
        }
        let rows = query.fetch_all(self.pool()).await?;
        rows.into_iter().map(Appointment::try_from).collect()
    }

    /// The most recent accepted appointment booked under a phone number, and made from that
    /// number (see [`Appointment::booked_from`]): the name and email the caller last gave.
    /// Cancelled, rejected, pending and moved bookings never count, nor one a call from another
    /// number (or from none) made, so a booking planted under someone's number cannot become
    /// their profile. Reads only the appointments table: a tool call never waits on call records.
    pub async fn latest_appointment_by_phone(
        &self,
        phone: &str,
    ) -> Result<Option<Appointment>, DbError> {
        let rows: Vec<AppointmentRecord> = sqlx::query_as(select_appointments!(
            "where tenant = $2 and attendee_phone = $1 and status in ('accepted', 'ended')
             order by created_at desc, start_time desc limit 20"
        ))
        .bind(phone.to_owned())
        .bind(self.t())
        .fetch_all(self.pool())
        .await?;
        for row in rows {
            let appointment = Appointment::try_from(row)?;
            if appointment.booked_from(phone) {
                return Ok(Some(appointment));
            }
        }
        Ok(None)
    }

    /// Appointments with a phone that have no `kind` call of `lead_minutes` planned for their
    /// start yet, starting in `[from, to)`: accepted ones for reminders, no-shows for
    /// follow-ups. Soonest first, at most `limit`.
    pub async fn appointments_to_call(
        &self,
        kind: OutboundKind,
        lead_minutes: i64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Appointment>, DbError> {
        let which = match kind {
            OutboundKind::Reminder => "a.status = 'accepted'",
            OutboundKind::NoShow => "a.no_show = 1 and a.status <> 'cancelled'",
        };
        let sql = format!(
            "{} a where a.tenant = $1 and {which} and a.attendee_phone is not null \
             and a.start_time >= $2 and a.start_time < $3 and not exists (select 1 from outbound_calls o \
             where o.tenant = a.tenant and o.kind = $4 and o.booking_uid = a.cal_uid \
             and o.appointment_start = a.start_time and o.lead_minutes = $5) \
             order by a.start_time limit {}",
            select_appointments!(""),
            limit.max(1)
        );
        let rows: Vec<AppointmentRecord> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(self.t())
            .bind(ts(from))
            .bind(ts(to))
            .bind(kind.as_str())
            .bind(lead_minutes)
            .fetch_all(self.pool())
            .await?;
        rows.into_iter().map(Appointment::try_from).collect()
    }

    /// Appointments cancelled or moved away from a start in `[from, to)` whose time is not yet
    /// known to the waitlist, earliest first: the times that opened up.
    pub async fn freed_appointments(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Appointment>, DbError> {
        let sql = format!(
            "{} a where a.tenant = $1 and (a.status in ('cancelled', 'rescheduled') or a.rescheduled_to_uid is not null) \
             and a.event_type_id is not null and a.start_time >= $2 and a.start_time < $3 \
             and not exists (select 1 from waitlist_openings w where w.tenant = a.tenant \
             and w.event_type_id = a.event_type_id and w.slot_start = a.start_time) \
             order by a.start_time limit {}",
            select_appointments!(""),
            limit.max(1)
        );
        let rows: Vec<AppointmentRecord> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(self.t())
            .bind(ts(from))
            .bind(ts(to))
            .fetch_all(self.pool())
            .await?;
        rows.into_iter().map(Appointment::try_from).collect()
    }

    /// Whether an accepted or pending appointment of `event_type_id` starts at `start` (the
    /// time was booked again).
    pub async fn booked_at(
        &self,
        event_type_id: i64,
        start: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let found: Option<i64> = sqlx::query_scalar(
            "select 1 from appointments where tenant = $1 and event_type_id = $2 \
             and start_time = $3 and status in ('accepted', 'pending') \
             and rescheduled_to_uid is null limit 1",
        )
        .bind(self.t())
        .bind(event_type_id)
        .bind(ts(start))
        .fetch_optional(self.writer())
        .await?;
        Ok(found.is_some())
    }

    /// Every appointment, by uid (for reports and tests).
    pub async fn all_appointments(&self) -> Result<Vec<Appointment>, DbError> {
        let rows: Vec<AppointmentRecord> =
            sqlx::query_as(select_appointments!("where tenant = $1 order by cal_uid"))
                .bind(self.t())
                .fetch_all(self.pool())
                .await?;
        rows.into_iter().map(Appointment::try_from).collect()
    }

    /// How many webhook deliveries have been logged.
    pub async fn webhook_event_count(&self) -> Result<i64, DbError> {
        Ok(
            sqlx::query_scalar("select count(*) from cal_webhook_events where tenant = $1")
                .bind(self.t())
                .fetch_one(self.pool())
                .await?,
        )
    }

    /// How many times the appointments table has changed, on any replica: an answer about open
    /// times kept across a call is reused only while this is the number it was fetched at.
    pub async fn calendar_version(&self) -> Result<i64, DbError> {
        Ok(
            sqlx::query_scalar::<_, i64>("select version from calendar_versions where tenant = $1")
                .bind(self.t())
                .fetch_optional(self.pool())
                .await?
                .unwrap_or_default(),
        )
    }

    /// Whether the table has been filled by at least one reconcile, so it can answer lookups
    /// alone.
    pub async fn bookings_table_is_synced(&self) -> bool {
        matches!(self.sync_state(BOOKINGS_CURSOR).await, Ok(Some(_)))
    }

    /// A named value kept between runs. Values once seen are answered from memory (every tool
    /// read asks whether the table is synced); [`Db::set_sync_state`] updates the memory too.
    pub async fn sync_state(&self, name: &str) -> Result<Option<String>, DbError> {
        if let Some(value) = self.cached_sync_state(name) {
            return Ok(Some(value));
        }
        let value: Option<String> =
            sqlx::query_scalar("select value from sync_state where tenant = $2 and name = $1")
                .bind(name.to_owned())
                .bind(self.t())
                .fetch_optional(self.pool())
                .await?;
        if let Some(v) = &value {
            self.cache_sync_state(name, v);
        }
        Ok(value)
    }

    /// Stores a named value.
    pub async fn set_sync_state(
        &self,
        name: &str,
        value: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        sqlx::query(
            r#"insert into sync_state (tenant, name, value, updated_at) values ($4, $1, $2, $3)
               on conflict (tenant, name) do update set value = excluded.value, updated_at = excluded.updated_at"#,
        )
        .bind(name.to_owned())
        .bind(value.to_owned())
        .bind(ts(now))
        .bind(self.t())
        .execute(self.writer())
        .await?;
        self.cache_sync_state(name, value);
        Ok(())
    }
}

/// Logs deliveries (skipping those logged before) and returns the dedupe keys logged now.
async fn insert_deliveries(
    tx: &mut Transaction<'static, Any>,
    tenant: &TenantSlug,
    deliveries: &[(&WebhookDelivery, DateTime<Utc>)],
) -> Result<HashSet<String>, DbError> {
    let mut logged = HashSet::new();
    for chunk in ladder_chunks(deliveries) {
        let sql = format!(
            "insert into cal_webhook_events (id, tenant, dedupe_key, trigger_event, booking_uid, received_at, body) \
             values {} on conflict (tenant, dedupe_key) do nothing returning dedupe_key",
            values_list(chunk.len(), 7)
        );
        let mut query = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql));
        for (d, now) in chunk {
            query = query
                .bind(uuid::Uuid::now_v7().to_string())
                .bind(tenant.as_str().to_owned())
                .bind(d.dedupe_key.clone())
                .bind(d.trigger_event.clone())
                .bind(d.booking_uid.clone())
                .bind(ts(*now))
                .bind(d.body.clone());
        }
        logged.extend(query.fetch_all(&mut **tx).await?);
    }
    Ok(logged)
}

/// The stored appointments among `uids`, by uid.
async fn fetch_appointments(
    tx: &mut Transaction<'static, Any>,
    tenant: &TenantSlug,
    uids: &[&str],
) -> Result<HashMap<String, Appointment>, DbError> {
    let mut found = HashMap::with_capacity(uids.len());
    for chunk in ladder_chunks(uids) {
        let list: Vec<String> = (2..=chunk.len() + 1).map(|n| format!("${n}")).collect();
        let sql = format!(
            "{} where tenant = $1 and cal_uid in ({})",
            select_appointments!(""),
            list.join(", ")
        );
        let mut query = sqlx::query_as::<_, AppointmentRecord>(sqlx::AssertSqlSafe(sql))
            .bind(tenant.as_str().to_owned());
        for uid in chunk {
            query = query.bind((*uid).to_owned());
        }
        for row in query.fetch_all(&mut **tx).await? {
            let a = Appointment::try_from(row)?;
            found.insert(a.uid.clone(), a);
        }
    }
    Ok(found)
}

/// Inserts or replaces appointments, many rows per statement (each uid at most once).
/// Counts one more change of the calendar (see [`Db::calendar_version`]).
async fn bump_calendar_version(
    tx: &mut Transaction<'static, Any>,
    tenant: &TenantSlug,
) -> Result<(), DbError> {
    sqlx::query(
        r#"insert into calendar_versions (tenant, version) values ($1, 1)
           on conflict (tenant) do update set version = calendar_versions.version + 1"#,
    )
    .bind(tenant.as_str().to_owned())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn upsert_appointments(
    tx: &mut Transaction<'static, Any>,
    tenant: &TenantSlug,
    rows: &[&Appointment],
) -> Result<(), DbError> {
    let json = |v: &Option<Value>| v.as_ref().map(Value::to_string);
    for chunk in ladder_chunks(rows) {
        let sql = format!(
            r#"insert into appointments (
               tenant, cal_uid, cal_id, event_type_id, title, description, start_time, end_time, location, status,
               organizer_id, organizer_name, organizer_email, attendees, responses, metadata, paid, payment_id,
               cancellation_reason, request_reschedule, attendee_phone, attendee_email, rescheduled_from_uid,
               rescheduled_to_uid, vapi_call_id, no_show, last_event_at, created_at, updated_at)
           values {}
           on conflict (tenant, cal_uid) do update set
               cal_id = excluded.cal_id, event_type_id = excluded.event_type_id, title = excluded.title,
               description = excluded.description, start_time = excluded.start_time, end_time = excluded.end_time,
               location = excluded.location, status = excluded.status, organizer_id = excluded.organizer_id,
               organizer_name = excluded.organizer_name, organizer_email = excluded.organizer_email,
               attendees = excluded.attendees, responses = excluded.responses, metadata = excluded.metadata,
               paid = excluded.paid, payment_id = excluded.payment_id,
               cancellation_reason = excluded.cancellation_reason, request_reschedule = excluded.request_reschedule,
               attendee_phone = excluded.attendee_phone, attendee_email = excluded.attendee_email,
               rescheduled_from_uid = excluded.rescheduled_from_uid, rescheduled_to_uid = excluded.rescheduled_to_uid,
               vapi_call_id = excluded.vapi_call_id, no_show = excluded.no_show,
               last_event_at = excluded.last_event_at, updated_at = excluded.updated_at"#,
            values_list(chunk.len(), 29)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for a in chunk {
            query = query
                .bind(tenant.as_str().to_owned())
                .bind(a.uid.clone())
                .bind(a.cal_id)
                .bind(a.event_type_id)
                .bind(a.title.clone())
                .bind(a.description.clone())
                .bind(a.start_time.map(ts))
                .bind(a.end_time.map(ts))
                .bind(a.location.clone())
                .bind(a.status.as_str())
                .bind(a.organizer_id)
                .bind(a.organizer_name.clone())
                .bind(a.organizer_email.clone())
                .bind(a.attendees.to_string())
                .bind(json(&a.responses))
                .bind(json(&a.metadata))
                .bind(flag(a.paid))
                .bind(a.payment_id.clone())
                .bind(a.cancellation_reason.clone())
                .bind(flag(a.request_reschedule))
                .bind(a.attendee_phone.clone())
                .bind(a.attendee_email.clone())
                .bind(a.rescheduled_from_uid.clone())
                .bind(a.rescheduled_to_uid.clone())
                .bind(a.vapi_call_id.clone())
                .bind(flag(a.no_show))
                .bind(ts(a.last_event_at))
                .bind(ts(a.created_at))
                .bind(ts(a.updated_at));
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Which appointments an operator list shows (the dashboard's filters).
#[derive(Debug, Clone, Default)]
pub struct AppointmentQuery {
    /// Only those ending after this instant (upcoming).
    pub ends_after: Option<DateTime<Utc>>,
    /// Only those ended by this instant (past).
    pub ended_by: Option<DateTime<Utc>>,
    /// Only those starting at or after this instant.
    pub starts_from: Option<DateTime<Utc>>,
    /// Only those starting before this instant.
    pub starts_before: Option<DateTime<Utc>>,
    /// Only this status (`accepted`, `cancelled`, ...).
    pub status: Option<String>,
    /// Only those whose attendee phone contains these digits.
    pub phone_digits: Option<String>,
    /// Latest first (past lists) instead of soonest first.
    pub newest_first: bool,
    /// Page size.
    pub limit: u32,
    /// Rows skipped.
    pub offset: u32,
}

impl Db {
    /// Appointments matching `query`, ordered by start; one page of at most `limit`, and whether
    /// more follow.
    pub async fn query_appointments(
        &self,
        query: &AppointmentQuery,
    ) -> Result<(Vec<Appointment>, bool), DbError> {
        let mut binds: Vec<String> = vec![self.t()];
        let mut clauses = vec![
            "tenant = $1".to_owned(),
            "start_time is not null".to_owned(),
        ];
        let mut push = |clause: &str, value: String| {
            binds.push(value);
            clauses.push(format!("{clause} ${}", binds.len()));
        };
        if let Some(t) = query.ends_after {
            push("end_time >", ts(t));
        }
        if let Some(t) = query.ended_by {
            push("end_time <=", ts(t));
        }
        if let Some(t) = query.starts_from {
            push("start_time >=", ts(t));
        }
        if let Some(t) = query.starts_before {
            push("start_time <", ts(t));
        }
        if let Some(status) = &query.status {
            push("status =", status.clone());
        }
        if let Some(digits) = &query.phone_digits {
            push("attendee_phone like", format!("%{digits}%"));
        }
        // Numbers are formatted, never user text, so the statement stays parameterised.
        let sql = format!(
            "{}where {} order by start_time {}, cal_uid limit {} offset {}",
            select_appointments!(""),
            clauses.join(" and "),
            if query.newest_first { "desc" } else { "asc" },
            u64::from(query.limit) + 1,
            query.offset
        );
        let mut statement = sqlx::query_as::<_, AppointmentRecord>(sqlx::AssertSqlSafe(sql));
        for value in binds {
            statement = statement.bind(value);
        }
        let mut rows = statement.fetch_all(self.pool()).await?;
        let more = rows.len() > query.limit as usize;
        rows.truncate(query.limit as usize);
        let appointments = rows
            .into_iter()
            .map(Appointment::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        Ok((appointments, more))
    }
}
