//! The `calls`, `call_transcript_lines` and `call_appointments` tables: all SQL for call records,
//! their transcripts and the appointments a call changed (the per-day figures built on them are
//! in [`super::call_figures`]).
//!
//! A write reads the stored call, merges the observation ([`Call::merge`]) and writes it back in
//! one transaction. Writers of the same call are serialised (SQLite `begin immediate`, a
//! PostgreSQL advisory lock keyed by the call id), so writers of other calls and tool calls never
//! queue behind them on PostgreSQL.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use sqlx::{Any, AnyConnection, Transaction};

use super::{
    Backend, Db, DbError,
    call_search::{Arg, Where},
    parse_ts, ts,
};
use crate::domain::{
    call::{Call, CallObservation, CallStatus, TranscriptLine},
    call_search::{OutcomeFilter, SearchTerms, StateFilter},
    tenant::TenantSlug,
};

/// Namespace of the per-call advisory locks (PostgreSQL).
const CALL_LOCK_NAMESPACE: i64 = 0x7661_7069_6361_6c02;

const CALL_COLUMNS: &str = "vapi_call_id, assistant_id, direction, customer_number, phone_number, status, \
     ended_reason, started_at, ended_at, duration_seconds, cost, cost_breakdown, recording_url, summary, \
     structured_data, success_evaluation, success_score, transcript, last_report, report_at, status_at, \
     hang_count, last_hang_at, sort_at, created_at, updated_at, assistant_version";

/// What recording an observation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Recorded {
    /// A new call row.
    Created,
    /// The call or its transcript changed.
    Updated,
    /// Nothing new.
    Unchanged,
}

/// What a tool call did to an appointment during a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkAction {
    /// `appointment_create` booked it.
    Booked,
    /// `appointment_update` moved an appointment to it (it is the new booking).
    Moved,
    /// `appointment_cancel` cancelled it.
    Cancelled,
}

impl LinkAction {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkAction::Booked => "booked",
            LinkAction::Moved => "moved",
            LinkAction::Cancelled => "cancelled",
        }
    }
}

/// A link to write: the appointment a tool call booked, moved or cancelled during a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallLink {
    /// VAPI call id.
    pub vapi_call_id: String,
    /// Cal.com booking uid.
    pub appointment_uid: String,
    /// What the tool did.
    pub action: LinkAction,
    /// The tool call that did it.
    pub tool_call_id: Option<String>,
}

/// Writes a link (idempotent) on a connection, inside whatever transaction it is in.
pub(super) async fn insert_call_link(
    conn: &mut AnyConnection,
    tenant: &TenantSlug,
    link: &CallLink,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    sqlx::query(
        r#"insert into call_appointments (vapi_call_id, appointment_uid, action, tool_call_id, created_at, tenant)
           values ($1, $2, $3, $4, $5, $6)
           on conflict (vapi_call_id, appointment_uid, action) do nothing"#,
    )
    .bind(link.vapi_call_id.clone())
    .bind(link.appointment_uid.clone())
    .bind(link.action.as_str())
    .bind(link.tool_call_id.clone())
    .bind(ts(now))
    .bind(tenant.as_str().to_owned())
    .execute(conn)
    .await?;
    Ok(())
}

/// A call first heard of through a tool call (no status message has arrived, or none will):
/// its id, the caller's number VAPI gave with the tool call, and when that tool call came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstSight {
    /// VAPI call id.
    pub vapi_call_id: String,
    /// The caller's number, E.164, when known.
    pub customer_number: Option<String>,
    /// When the tool call arrived.
    pub at: DateTime<Utc>,
}

/// Creates the record of each call not recorded yet, as in progress (a tool call means someone
/// was on the line), so that a call's tool calls and the appointments it changed always have a
/// Call page. An existing record is left as it is: status messages and reports merge into
/// either. Rows go in id order, so two writers never wait on each other crosswise.
pub(super) async fn insert_first_sightings(
    conn: &mut AnyConnection,
    tenant: &TenantSlug,
    sightings: &[FirstSight],
) -> Result<(), DbError> {
    let mut sorted: Vec<&FirstSight> = sightings.iter().collect();
    sorted.sort_by(|a, b| a.vapi_call_id.cmp(&b.vapi_call_id).then(a.at.cmp(&b.at)));
    sorted.dedup_by(|later, first| later.vapi_call_id == first.vapi_call_id);
    for chunk in super::ladder_chunks_within(&sorted, super::WIDE_STATEMENT_PARAMS / 8) {
        let sql = format!(
            "insert into calls (vapi_call_id, customer_number, status, hang_count, sort_at, created_at, updated_at, tenant) \
             values {} on conflict (vapi_call_id) do nothing",
            super::values_list(chunk.len(), 8)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for s in chunk {
            query = query
                .bind(s.vapi_call_id.clone())
                .bind(s.customer_number.clone())
                .bind(CallStatus::InProgress.as_str())
                .bind(0_i64)
                .bind(ts(s.at))
                .bind(ts(s.at))
                .bind(ts(s.at))
                .bind(tenant.as_str().to_owned());
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// One link between a call and an appointment.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct CallAppointment {
    /// VAPI call id.
    pub vapi_call_id: String,
    /// Booking uid.
    pub appointment_uid: String,
    /// `booked`, `moved` or `cancelled`.
    pub action: String,
    /// The tool call that did it.
    pub tool_call_id: Option<String>,
    /// When (RFC 3339 UTC).
    pub created_at: String,
}

/// Which calls a listing returns.
#[derive(Debug, Clone, Default)]
pub struct CallFilter {
    /// Calls that started at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Calls that started before this instant.
    pub to: Option<DateTime<Utc>>,
    /// Page size.
    pub limit: u32,
    /// Continue after this position (from [`CallList::next_cursor`]).
    pub after: Option<CallCursor>,
    /// Calls whose customer number contains these digits.
    pub number_digits: Option<String>,
    /// Calls with every one of these words in their transcript, summary or attendees' names.
    pub search: Option<SearchTerms>,
    /// Calls going, ended, or going but silent (see `stale_before`).
    pub state: Option<StateFilter>,
    /// A going call not heard of since this instant is stale.
    pub stale_before: DateTime<Utc>,
    /// Calls that ended for this reason.
    pub ended_reason: Option<String>,
    /// Calls with this outcome.
    pub outcome: Option<OutcomeFilter>,
    /// The score at or above which a call succeeded (for [`OutcomeFilter::Success`]).
    pub success_threshold: f64,
    /// Calls with an appointment booked during them that is still on the calendar.
    pub has_booking: bool,
}

/// A position in the newest-first listing: the call's sort instant and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallCursor {
    /// The listed call's sort instant, as stored.
    pub sort_at: String,
    /// The listed call's id (breaks ties).
    pub vapi_call_id: String,
}

impl CallCursor {
    /// The cursor as an opaque token for a URL (hex of `sort_at|id`).
    pub fn encode(&self) -> String {
        hex::encode(format!("{}|{}", self.sort_at, self.vapi_call_id))
    }

    /// A token from [`CallCursor::encode`]; `None` when it is not one.
    pub fn decode(raw: &str) -> Option<Self> {
        let text = String::from_utf8(hex::decode(raw.trim()).ok()?).ok()?;
        let (sort_at, id) = text.split_once('|')?;
        DateTime::parse_from_rfc3339(sort_at).ok()?;
        (!id.is_empty()).then(|| Self {
            sort_at: sort_at.to_owned(),
            vapi_call_id: id.to_owned(),
        })
    }
}

/// One page of calls, newest first.
#[derive(Debug, Clone)]
pub struct CallList {
    /// The calls.
    pub calls: Vec<Call>,
    /// Where the next page starts, if there may be one.
    pub next_cursor: Option<CallCursor>,
}

#[derive(Debug, sqlx::FromRow)]
struct CallRecord {
    vapi_call_id: String,
    assistant_id: Option<String>,
    direction: Option<String>,
    customer_number: Option<String>,
    phone_number: Option<String>,
    status: String,
    ended_reason: Option<String>,
    started_at: Option<String>,
    ended_at: Option<String>,
    duration_seconds: Option<f64>,
    cost: Option<f64>,
    cost_breakdown: Option<String>,
    recording_url: Option<String>,
    summary: Option<String>,
    structured_data: Option<String>,
    success_evaluation: Option<String>,
    success_score: Option<f64>,
    transcript: Option<String>,
    last_report: Option<String>,
    report_at: Option<String>,
    status_at: Option<String>,
    hang_count: i64,
    last_hang_at: Option<String>,
    sort_at: String,
    created_at: String,
    updated_at: String,
    assistant_version: Option<String>,
}

fn maybe_instant(text: Option<String>) -> Result<Option<DateTime<Utc>>, DbError> {
    text.as_deref().map(parse_ts).transpose()
}

fn json(text: Option<String>) -> Option<Value> {
    text.and_then(|t| serde_json::from_str(&t).ok())
}

impl TryFrom<CallRecord> for Call {
    type Error = DbError;

    fn try_from(r: CallRecord) -> Result<Self, DbError> {
        Ok(Call {
            vapi_call_id: r.vapi_call_id,
            assistant_id: r.assistant_id,
            assistant_version: r.assistant_version,
            direction: r.direction,
            customer_number: r.customer_number,
            phone_number: r.phone_number,
            status: CallStatus::parse(&r.status),
            ended_reason: r.ended_reason,
            started_at: maybe_instant(r.started_at)?,
            ended_at: maybe_instant(r.ended_at)?,
            duration_seconds: r.duration_seconds,
            cost: r.cost,
            cost_breakdown: json(r.cost_breakdown),
            recording_url: r.recording_url,
            summary: r.summary,
            structured_data: json(r.structured_data),
            success_evaluation: r.success_evaluation,
            success_score: r.success_score,
            transcript: r.transcript,
            last_report: json(r.last_report),
            report_at: maybe_instant(r.report_at)?,
            status_at: maybe_instant(r.status_at)?,
            hang_count: r.hang_count,
            last_hang_at: maybe_instant(r.last_hang_at)?,
            sort_at: parse_ts(&r.sort_at)?,
            created_at: parse_ts(&r.created_at)?,
            updated_at: parse_ts(&r.updated_at)?,
        })
    }
}

/// A stable 64-bit key for a call id (FNV-1a), so one call's writers share one advisory lock.
fn lock_key(id: &str) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in id.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    i64::from_ne_bytes((hash ^ CALL_LOCK_NAMESPACE as u64).to_ne_bytes())
}

impl Db {
    async fn begin_call_write(&self, id: &str) -> Result<Transaction<'static, Any>, DbError> {
        match self.backend() {
            Backend::Sqlite => Ok(self.writer().begin_with("begin immediate").await?),
            Backend::Postgres => {
                let mut tx = self.pool().begin().await?;
                sqlx::query("select pg_advisory_xact_lock($1)")
                    .bind(lock_key(id))
                    .execute(&mut *tx)
                    .await?;
                Ok(tx)
            }
        }
    }

    /// Records one observation of a call: merges it into the stored row and its transcript.
    pub async fn record_call(
        &self,
        obs: &CallObservation,
        now: DateTime<Utc>,
    ) -> Result<Recorded, DbError> {
        let mut tx = self.begin_call_write(&obs.vapi_call_id).await?;
        let current = match fetch_call(&mut tx, &obs.vapi_call_id).await? {
            // Another tenant's call: VAPI's ids are unique, so this is a forged or misrouted
            // message, and it changes nothing of theirs.
            Some((owner, _)) if owner != self.tenant().as_str() => {
                tx.rollback().await?;
                return Ok(Recorded::Unchanged);
            }
            found => found.map(|(_, call)| call),
        };
        let existed = current.is_some();
        let report_applies = Call::report_applies(current.as_ref(), obs);
        let mut merged = Call::merge(current.clone(), obs, now);
        let mut changed = current.as_ref().is_none_or(|c| !merged.same_as(c));
        if let Some(report) = obs
            .report
            .as_ref()
            .filter(|r| report_applies && !r.lines.is_empty())
        {
            changed |=
                replace_lines(&mut tx, self.tenant(), &obs.vapi_call_id, &report.lines).await?;
        } else if let Some(line) = obs.line.as_ref().filter(|_| merged.report_at.is_none()) {
            let seconds = match (obs.at, merged.started_at) {
                (Some(at), Some(start)) if at >= start => {
                    Some((at - start).num_milliseconds() as f64 / 1000.0)
                }
                _ => None,
            };
            changed |= add_line(&mut tx, self.tenant(), &obs.vapi_call_id, line, seconds).await?;
        }
        if !changed {
            tx.rollback().await?;
            return Ok(Recorded::Unchanged);
        }
        if let Some(c) = &current
            && merged.same_as(c)
        {
            merged.updated_at = c.updated_at;
        }
        upsert_call(&mut tx, self.tenant(), &merged).await?;
        tx.commit().await?;
        Ok(if existed {
            Recorded::Updated
        } else {
            Recorded::Created
        })
    }

    /// What [`Db::record_call`] would do, without writing anything (dry runs).
    pub async fn preview_call(
        &self,
        obs: &CallObservation,
        now: DateTime<Utc>,
    ) -> Result<Recorded, DbError> {
        let current = self.call(&obs.vapi_call_id).await?;
        let Some(current) = current else {
            return Ok(Recorded::Created);
        };
        let report_applies = Call::report_applies(Some(&current), obs);
        let merged = Call::merge(Some(current.clone()), obs, now);
        let lines_differ = match obs.report.as_ref().filter(|_| report_applies) {
            Some(report) if !report.lines.is_empty() => {
                self.call_lines(&obs.vapi_call_id).await? != report.lines
            }
            _ => false,
        };
        Ok(if merged.same_as(&current) && !lines_differ {
            Recorded::Unchanged
        } else {
            Recorded::Updated
        })
    }

    /// One call by VAPI id.
    pub async fn call(&self, vapi_call_id: &str) -> Result<Option<Call>, DbError> {
        let sql =
            format!("select {CALL_COLUMNS} from calls where vapi_call_id = $1 and tenant = $2");
        let row: Option<CallRecord> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(vapi_call_id.to_owned())
            .bind(self.t())
            .fetch_optional(self.pool())
            .await?;
        row.map(Call::try_from).transpose()
    }

    /// A call's transcript lines, in order.
    pub async fn call_lines(&self, vapi_call_id: &str) -> Result<Vec<TranscriptLine>, DbError> {
        let rows: Vec<(String, String, Option<f64>)> = sqlx::query_as(
            "select role, text, seconds_from_start from call_transcript_lines where vapi_call_id = $1 and tenant = $2 order by seq",
        )
        .bind(vapi_call_id.to_owned())
        .bind(self.t())
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(role, text, seconds_from_start)| TranscriptLine {
                role,
                text,
                seconds_from_start,
            })
            .collect())
    }

    /// One call with its transcript lines.
    pub async fn call_with_lines(
        &self,
        vapi_call_id: &str,
    ) -> Result<Option<(Call, Vec<TranscriptLine>)>, DbError> {
        let Some(call) = self.call(vapi_call_id).await? else {
            return Ok(None);
        };
        let lines = self.call_lines(vapi_call_id).await?;
        Ok(Some((call, lines)))
    }

    /// Calls newest first (by start, else first sight), filtered, one page at a time.
    pub async fn list_calls(&self, filter: &CallFilter) -> Result<CallList, DbError> {
        if filter.outcome == Some(OutcomeFilter::FailedToolCall) {
            // Tool calls are logged in batches: one answered a moment ago counts.
            self.flush_tool_log().await;
        }
        let mut w = Where::default();
        let tenant = w.text(self.t());
        w.and(&format!("c.tenant = {tenant}"));
        if let Some(from) = filter.from {
            let p = w.text(ts(from));
            w.and(&format!("c.sort_at >= {p}"));
        }
        if let Some(to) = filter.to {
            let p = w.text(ts(to));
            w.and(&format!("c.sort_at < {p}"));
        }
        if let Some(digits) = filter.number_digits.as_deref().filter(|d| !d.is_empty()) {
            let p = w.text(format!("%{digits}%"));
            w.and(&format!("c.customer_number like {p}"));
        }
        w.narrow(filter, self.backend());
        if let Some(after) = &filter.after {
            let s = w.text(after.sort_at.clone());
            let i = w.text(after.vapi_call_id.clone());
            w.and(&format!(
                "(c.sort_at < {s} or (c.sort_at = {s} and c.vapi_call_id < {i}))"
            ));
        }
        let limit = filter.limit.max(1);
        // Only fixed text and numbered placeholders go into the statement.
        let sql = format!(
            "select {CALL_COLUMNS} from calls c where 1 = 1{} \
             order by c.sort_at desc, c.vapi_call_id desc limit {}",
            w.sql,
            limit + 1
        );
        let mut query = sqlx::query_as::<_, CallRecord>(sqlx::AssertSqlSafe(sql));
        for arg in w.args {
            query = match arg {
                Arg::Text(t) => query.bind(t),
                Arg::Real(r) => query.bind(r),
            };
        }
        let rows = query.fetch_all(self.pool()).await?;
        let more = rows.len() > limit as usize;
        let calls: Vec<Call> = rows
            .into_iter()
            .take(limit as usize)
            .map(Call::try_from)
            .collect::<Result<_, _>>()?;
        let next_cursor = more.then(|| calls.last()).flatten().map(|c| CallCursor {
            sort_at: ts(c.sort_at),
            vapi_call_id: c.vapi_call_id.clone(),
        });
        Ok(CallList { calls, next_cursor })
    }

    /// The id, status and last change of every call listed at or after `from`, by id: what the
    /// dashboard's live view compares to see that a call arrived or changed.
    pub async fn call_states_since(
        &self,
        from: DateTime<Utc>,
    ) -> Result<Vec<(String, String, String)>, DbError> {
        Ok(sqlx::query_as(
            "select vapi_call_id, status, updated_at from calls where tenant = $2 and sort_at >= $1 order by vapi_call_id",
        )
        .bind(ts(from))
        .bind(self.t())
        .fetch_all(self.pool())
        .await?)
    }

    /// Links an appointment to the call during which a tool changed it (idempotent).
    pub async fn link_call_appointment(
        &self,
        vapi_call_id: &str,
        appointment_uid: &str,
        action: LinkAction,
        tool_call_id: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let link = CallLink {
            vapi_call_id: vapi_call_id.to_owned(),
            appointment_uid: appointment_uid.to_owned(),
            action,
            tool_call_id: tool_call_id.map(str::to_owned),
        };
        let mut conn = self.writer().acquire().await?;
        insert_call_link(&mut conn, self.tenant(), &link, now).await
    }

    /// The appointments a call booked, moved or cancelled, oldest action first.
    pub async fn call_appointments(
        &self,
        vapi_call_id: &str,
    ) -> Result<Vec<CallAppointment>, DbError> {
        Ok(sqlx::query_as(
            r#"select vapi_call_id, appointment_uid, action, tool_call_id, created_at
               from call_appointments where vapi_call_id = $1 and tenant = $2
               order by created_at, appointment_uid"#,
        )
        .bind(vapi_call_id.to_owned())
        .bind(self.t())
        .fetch_all(self.pool())
        .await?)
    }

    /// The call during which an appointment was last booked, moved or cancelled; else the call
    /// named in the booking's metadata.
    pub async fn appointment_call(&self, appointment_uid: &str) -> Result<Option<String>, DbError> {
        let linked: Option<String> = sqlx::query_scalar(
            r#"select vapi_call_id from call_appointments where appointment_uid = $1 and tenant = $2
               order by created_at desc limit 1"#,
        )
        .bind(appointment_uid.to_owned())
        .bind(self.t())
        .fetch_optional(self.pool())
        .await?;
        if linked.is_some() {
            return Ok(linked);
        }
        Ok(sqlx::query_scalar::<_, Option<String>>(
            "select vapi_call_id from appointments where cal_uid = $1 and tenant = $2",
        )
        .bind(appointment_uid.to_owned())
        .bind(self.t())
        .fetch_optional(self.pool())
        .await?
        .flatten())
    }
}

/// The stored call `id` with the tenant that owns it, whichever tenant that is (the caller
/// compares it with its own before using the row).
async fn fetch_call(
    tx: &mut Transaction<'static, Any>,
    id: &str,
) -> Result<Option<(String, Call)>, DbError> {
    #[derive(sqlx::FromRow)]
    struct Owned {
        tenant: String,
        #[sqlx(flatten)]
        record: CallRecord,
    }
    let sql = format!("select tenant, {CALL_COLUMNS} from calls where vapi_call_id = $1");
    let row: Option<Owned> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id.to_owned())
        .fetch_optional(&mut **tx)
        .await?;
    row.map(|o| Ok((o.tenant, Call::try_from(o.record)?)))
        .transpose()
}

/// Replaces a call's lines with the report's; returns whether they differed.
async fn replace_lines(
    tx: &mut Transaction<'static, Any>,
    tenant: &TenantSlug,
    id: &str,
    lines: &[TranscriptLine],
) -> Result<bool, DbError> {
    let stored: Vec<(String, String, Option<f64>)> = sqlx::query_as(
        "select role, text, seconds_from_start from call_transcript_lines where vapi_call_id = $1 and tenant = $2 order by seq",
    )
    .bind(id.to_owned())
    .bind(tenant.as_str().to_owned())
    .fetch_all(&mut **tx)
    .await?;
    let same = stored.len() == lines.len()
        && stored
            .iter()
            .zip(lines)
            .all(|((r, t, s), l)| *r == l.role && *t == l.text && *s == l.seconds_from_start);
    if same {
        return Ok(false);
    }
    sqlx::query("delete from call_transcript_lines where vapi_call_id = $1 and tenant = $2")
        .bind(id.to_owned())
        .bind(tenant.as_str().to_owned())
        .execute(&mut **tx)
        .await?;
    for (i, line) in lines.iter().enumerate() {
        insert_line(tx, tenant, id, i as i64 + 1, line, line.seconds_from_start).await?;
    }
    Ok(true)
}

/// Appends a live final line unless the same line is already there; returns whether it was added.
async fn add_line(
    tx: &mut Transaction<'static, Any>,
    tenant: &TenantSlug,
    id: &str,
    line: &TranscriptLine,
    seconds: Option<f64>,
) -> Result<bool, DbError> {
    let existing: Vec<(String, String, Option<f64>)> = sqlx::query_as(
        "select role, text, seconds_from_start from call_transcript_lines where vapi_call_id = $1 and role = $2 and text = $3 and tenant = $4",
    )
    .bind(id.to_owned())
    .bind(line.role.clone())
    .bind(line.text.clone())
    .bind(tenant.as_str().to_owned())
    .fetch_all(&mut **tx)
    .await?;
    // The same words from the same speaker at the same moment (or with no moment) are one line.
    if existing
        .iter()
        .any(|(_, _, s)| s.is_none() || seconds.is_none() || *s == seconds)
    {
        return Ok(false);
    }
    let next: i64 = sqlx::query_scalar(
        "select coalesce(max(seq), 0) + 1 from call_transcript_lines where vapi_call_id = $1 and tenant = $2",
    )
    .bind(id.to_owned())
    .bind(tenant.as_str().to_owned())
    .fetch_one(&mut **tx)
    .await?;
    insert_line(tx, tenant, id, next, line, seconds).await?;
    Ok(true)
}

async fn insert_line(
    tx: &mut Transaction<'static, Any>,
    tenant: &TenantSlug,
    id: &str,
    seq: i64,
    line: &TranscriptLine,
    seconds: Option<f64>,
) -> Result<(), DbError> {
    sqlx::query(
        r#"insert into call_transcript_lines (vapi_call_id, seq, role, text, seconds_from_start, tenant)
           values ($1, $2, $3, $4, $5, $6)"#,
    )
    .persistent(false)
    .bind(id.to_owned())
    .bind(seq)
    .bind(line.role.clone())
    .bind(line.text.clone())
    .bind(seconds)
    .bind(tenant.as_str().to_owned())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn upsert_call(
    tx: &mut Transaction<'static, Any>,
    tenant: &TenantSlug,
    c: &Call,
) -> Result<(), DbError> {
    let json = |v: &Option<Value>| v.as_ref().map(Value::to_string);
    let sql = format!(
        r#"insert into calls ({CALL_COLUMNS}, tenant)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
                   $20, $21, $22, $23, $24, $25, $26, $27, $28)
           on conflict (vapi_call_id) do update set
               assistant_id = excluded.assistant_id, direction = excluded.direction,
               customer_number = excluded.customer_number, phone_number = excluded.phone_number,
               status = excluded.status, ended_reason = excluded.ended_reason,
               started_at = excluded.started_at, ended_at = excluded.ended_at,
               duration_seconds = excluded.duration_seconds, cost = excluded.cost,
               cost_breakdown = excluded.cost_breakdown, recording_url = excluded.recording_url,
               summary = excluded.summary, structured_data = excluded.structured_data,
               success_evaluation = excluded.success_evaluation, success_score = excluded.success_score,
               transcript = excluded.transcript, last_report = excluded.last_report,
               report_at = excluded.report_at, status_at = excluded.status_at,
               hang_count = excluded.hang_count, last_hang_at = excluded.last_hang_at,
               sort_at = excluded.sort_at, updated_at = excluded.updated_at,
               assistant_version = excluded.assistant_version
           where calls.tenant = excluded.tenant"#
    );
    // Not cached: the `Any` driver types a NULL float parameter differently from a present one,
    // and PostgreSQL rejects a float bound to a statement prepared with that NULL's type.
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .persistent(false)
        .bind(c.vapi_call_id.clone())
        .bind(c.assistant_id.clone())
        .bind(c.direction.clone())
        .bind(c.customer_number.clone())
        .bind(c.phone_number.clone())
        .bind(c.status.as_str())
        .bind(c.ended_reason.clone())
        .bind(c.started_at.map(ts))
        .bind(c.ended_at.map(ts))
        .bind(c.duration_seconds)
        .bind(c.cost)
        .bind(json(&c.cost_breakdown))
        .bind(c.recording_url.clone())
        .bind(c.summary.clone())
        .bind(json(&c.structured_data))
        .bind(c.success_evaluation.clone())
        .bind(c.success_score)
        .bind(c.transcript.clone())
        .bind(json(&c.last_report))
        .bind(c.report_at.map(ts))
        .bind(c.status_at.map(ts))
        .bind(c.hang_count)
        .bind(c.last_hang_at.map(ts))
        .bind(ts(c.sort_at))
        .bind(ts(c.created_at))
        .bind(ts(c.updated_at))
        .bind(c.assistant_version.clone())
        .bind(tenant.as_str().to_owned())
        .execute(&mut **tx)
        .await?;
    Ok(())
}
