//! The `outbound_calls` and `outbound_opt_outs` tables: calls the business plans and makes, and
//! the numbers that asked not to be called.
//!
//! Planning inserts a row once per appointment, kind, start and lead time (`on conflict do
//! nothing`); placing claims a due row with one conditional update (`scheduled` → `placing`),
//! so two replicas, or a restarted process, never both place it.

use chrono::{DateTime, Duration, Utc};
use sqlx::FromRow;

use super::{Db, DbError, parse_ts, ts};
use crate::domain::outbound::{
    OutboundCall, OutboundKey, OutboundKind, OutboundOutcome, OutboundState,
};

/// The columns every read selects, in [`OutboundRecord`]'s order.
const COLUMNS: &str = "kind, booking_uid, appointment_start, lead_minutes, phone, attendee_name, \
     due_at, state, attempts, vapi_call_id, outcome, detail, updated_at";

/// The key's columns, as a where clause starting at `$2` (`$1` is the tenant).
const KEY_WHERE: &str = "tenant = $1 and kind = $2 and booking_uid = $3 and appointment_start = $4 and lead_minutes = $5";

#[derive(FromRow)]
struct OutboundRecord {
    kind: String,
    booking_uid: String,
    appointment_start: String,
    lead_minutes: i64,
    phone: String,
    attendee_name: Option<String>,
    due_at: String,
    state: String,
    attempts: i64,
    vapi_call_id: Option<String>,
    outcome: Option<String>,
    detail: Option<String>,
    updated_at: String,
}

impl TryFrom<OutboundRecord> for OutboundCall {
    type Error = DbError;

    fn try_from(r: OutboundRecord) -> Result<Self, DbError> {
        let bad = |what: &str, word: &str| {
            DbError::Sqlx(sqlx::Error::Decode(
                format!("unknown outbound {what} '{word}'").into(),
            ))
        };
        Ok(OutboundCall {
            kind: OutboundKind::parse(&r.kind).ok_or_else(|| bad("kind", &r.kind))?,
            booking_uid: r.booking_uid,
            appointment_start: parse_ts(&r.appointment_start)?,
            lead_minutes: r.lead_minutes,
            phone: r.phone,
            attendee_name: r.attendee_name,
            due_at: parse_ts(&r.due_at)?,
            state: OutboundState::parse(&r.state).ok_or_else(|| bad("state", &r.state))?,
            attempts: r.attempts,
            vapi_call_id: r.vapi_call_id,
            // An outcome word this version does not know reads as none rather than failing the
            // whole list.
            outcome: r.outcome.as_deref().and_then(OutboundOutcome::parse),
            detail: r.detail,
            updated_at: parse_ts(&r.updated_at)?,
        })
    }
}

/// How one planned call changes.
#[derive(Clone, Debug)]
pub struct OutboundChange {
    /// The new state.
    pub state: OutboundState,
    /// The outcome to record (kept when `None`).
    pub outcome: Option<OutboundOutcome>,
    /// Why, for the operator (kept when `None`).
    pub detail: Option<String>,
    /// A new time to place it (kept when `None`).
    pub due_at: Option<DateTime<Utc>>,
    /// Added to the calls placed so far (-1 takes back a claim that placed nothing).
    pub attempts_delta: i64,
}

impl Db {
    /// Plans `call` unless a call of the same key is already planned; true when this planned it.
    pub async fn plan_outbound_call(
        &self,
        call: &OutboundCall,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            r#"insert into outbound_calls (tenant, kind, booking_uid, appointment_start, lead_minutes,
                   phone, attendee_name, due_at, state, attempts, vapi_call_id, outcome, detail,
                   created_at, updated_at)
               values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, null, null, $10, $11, $11)
               on conflict (tenant, kind, booking_uid, appointment_start, lead_minutes) do nothing"#,
        )
        .bind(self.t())
        .bind(call.kind.as_str())
        .bind(call.booking_uid.clone())
        .bind(ts(call.appointment_start))
        .bind(call.lead_minutes)
        .bind(call.phone.clone())
        .bind(call.attendee_name.clone())
        .bind(ts(call.due_at))
        .bind(call.state.as_str())
        .bind(call.detail.clone())
        .bind(ts(now))
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Scheduled calls whose time has come, earliest first, at most `limit`.
    pub async fn due_outbound_calls(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<OutboundCall>, DbError> {
        let sql = format!(
            "select {COLUMNS} from outbound_calls where tenant = $1 and state = 'scheduled' \
             and due_at <= $2 order by due_at, booking_uid limit {}",
            limit.max(1)
        );
        let rows: Vec<OutboundRecord> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(self.t())
            .bind(ts(now))
            .fetch_all(self.pool())
            .await?;
        rows.into_iter().map(OutboundCall::try_from).collect()
    }

    /// Calls being placed or in progress: placed ones count until their report arrives or, when
    /// it never does, until `stale_after` has passed since they were placed.
    pub async fn outbound_in_progress(
        &self,
        now: DateTime<Utc>,
        stale_after: Duration,
    ) -> Result<i64, DbError> {
        Ok(sqlx::query_scalar(
            r#"select count(*) from outbound_calls where tenant = $1
               and (state = 'placing' or (state = 'placed' and updated_at > $2))"#,
        )
        .bind(self.t())
        .bind(ts(now - stale_after))
        .fetch_one(self.writer())
        .await?)
    }

    /// Claims a due call for `holder`: true when this process is the one to place it.
    pub async fn claim_outbound_call(
        &self,
        key: &OutboundKey,
        holder: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let sql = format!(
            "update outbound_calls set state = 'placing', claimed_by = $6, attempts = attempts + 1, \
             updated_at = $7 where {KEY_WHERE} and state = 'scheduled' and due_at <= $7"
        );
        let done = self
            .bind_key(sqlx::query(sqlx::AssertSqlSafe(sql)), key)
            .bind(holder.to_owned())
            .bind(ts(now))
            .execute(self.writer())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// VAPI took the call: its id, so the report finds the row. Only a call still being
    /// placed changes: when the call's report got here first, it already recorded both.
    pub async fn outbound_placed(
        &self,
        key: &OutboundKey,
        vapi_call_id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let sql = format!(
            "update outbound_calls set state = 'placed', vapi_call_id = $6, updated_at = $7, \
             detail = null where {KEY_WHERE} and state = 'placing'"
        );
        let done = self
            .bind_key(sqlx::query(sqlx::AssertSqlSafe(sql)), key)
            .bind(vapi_call_id.to_owned())
            .bind(ts(now))
            .execute(self.writer())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The call about `booking_uid` to `phone` being placed right now (claimed, VAPI's answer
    /// not recorded yet).
    pub async fn outbound_call_being_placed(
        &self,
        booking_uid: &str,
        phone: &str,
    ) -> Result<Option<OutboundCall>, DbError> {
        let sql = format!(
            "select {COLUMNS} from outbound_calls where tenant = $1 and booking_uid = $2 \
             and phone = $3 and state = 'placing'"
        );
        let row: Option<OutboundRecord> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(self.t())
            .bind(booking_uid.to_owned())
            .bind(phone.to_owned())
            .fetch_optional(self.writer())
            .await?;
        row.map(OutboundCall::try_from).transpose()
    }

    /// Moves a planned call to `change`'s state, when it is still in `from`; true when it was.
    pub async fn change_outbound_call(
        &self,
        key: &OutboundKey,
        from: &[OutboundState],
        change: &OutboundChange,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        // States are a closed set of fixed words, never outside text.
        let states: Vec<String> = from.iter().map(|s| format!("'{}'", s.as_str())).collect();
        let sql = format!(
            "update outbound_calls set state = $6, outcome = coalesce($7, outcome), \
             detail = coalesce($8, detail), due_at = coalesce($9, due_at), updated_at = $10, \
             attempts = attempts + $11 where {KEY_WHERE} and state in ({})",
            states.join(", ")
        );
        let done = self
            .bind_key(sqlx::query(sqlx::AssertSqlSafe(sql)), key)
            .bind(change.state.as_str())
            .bind(change.outcome.map(OutboundOutcome::as_str))
            .bind(change.detail.clone())
            .bind(change.due_at.map(ts))
            .bind(ts(now))
            .bind(change.attempts_delta)
            .execute(self.writer())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The planned call whose latest call VAPI knows as `vapi_call_id`.
    pub async fn outbound_call_by_vapi_id(
        &self,
        vapi_call_id: &str,
    ) -> Result<Option<OutboundCall>, DbError> {
        let sql =
            format!("select {COLUMNS} from outbound_calls where tenant = $1 and vapi_call_id = $2");
        let row: Option<OutboundRecord> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(self.t())
            .bind(vapi_call_id.to_owned())
            .fetch_optional(self.writer())
            .await?;
        row.map(OutboundCall::try_from).transpose()
    }

    /// Calls claimed longer ago than `since` and never handed to VAPI (their process stopped):
    /// whether VAPI placed them is unknown.
    pub async fn interrupted_outbound_calls(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<OutboundCall>, DbError> {
        let sql = format!(
            "select {COLUMNS} from outbound_calls where tenant = $1 and state = 'placing' \
             and updated_at < $2"
        );
        let rows: Vec<OutboundRecord> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(self.t())
            .bind(ts(since))
            .fetch_all(self.writer())
            .await?;
        rows.into_iter().map(OutboundCall::try_from).collect()
    }

    /// Planned calls in `states` (every state when empty), by when they are or were due, the
    /// latest first when `newest_first`; at most `limit`.
    pub async fn outbound_calls(
        &self,
        states: &[OutboundState],
        newest_first: bool,
        limit: u32,
    ) -> Result<Vec<OutboundCall>, DbError> {
        let filter = super::state_filter(states.iter().map(|s| s.as_str()));
        let sql = format!(
            "select {COLUMNS} from outbound_calls where tenant = $1{filter} order by due_at {}, \
             booking_uid limit {}",
            if newest_first { "desc" } else { "asc" },
            limit.max(1)
        );
        let rows: Vec<OutboundRecord> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(self.t())
            .fetch_all(self.pool())
            .await?;
        rows.into_iter().map(OutboundCall::try_from).collect()
    }

    /// Every call planned about one appointment, earliest first.
    pub async fn outbound_calls_of_booking(
        &self,
        booking_uid: &str,
    ) -> Result<Vec<OutboundCall>, DbError> {
        let sql = format!(
            "select {COLUMNS} from outbound_calls where tenant = $1 and booking_uid = $2 \
             order by due_at"
        );
        let rows: Vec<OutboundRecord> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(self.t())
            .bind(booking_uid.to_owned())
            .fetch_all(self.pool())
            .await?;
        rows.into_iter().map(OutboundCall::try_from).collect()
    }

    /// Every call planned about the appointments `uids`, by appointment then earliest first: one
    /// read for a page of appointments rather than one per row.
    pub async fn outbound_calls_of_bookings(
        &self,
        uids: &[String],
    ) -> Result<Vec<OutboundCall>, DbError> {
        if uids.is_empty() {
            return Ok(Vec::new());
        }
        // `$2, $3, ...` after the tenant: the values are bound, never written into the text.
        let marks: Vec<String> = (2..=uids.len() + 1).map(|i| format!("${i}")).collect();
        let sql = format!(
            "select {COLUMNS} from outbound_calls where tenant = $1 and booking_uid in ({}) \
             order by booking_uid, due_at, kind",
            marks.join(", ")
        );
        let mut query =
            sqlx::query_as::<_, OutboundRecord>(sqlx::AssertSqlSafe(sql)).bind(self.t());
        for uid in uids {
            query = query.bind(uid.clone());
        }
        let rows = query.fetch_all(self.pool()).await?;
        rows.into_iter().map(OutboundCall::try_from).collect()
    }

    /// Records that `phone` asked not to be called (`source` says how); true when it is new.
    pub async fn opt_out(
        &self,
        phone: &str,
        source: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            r#"insert into outbound_opt_outs (tenant, phone, source, created_at)
               values ($1, $2, $3, $4) on conflict (tenant, phone) do nothing"#,
        )
        .bind(self.t())
        .bind(phone.to_owned())
        .bind(source.to_owned())
        .bind(ts(now))
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Whether `phone` asked not to be called.
    pub async fn is_opted_out(&self, phone: &str) -> Result<bool, DbError> {
        let found: Option<i64> =
            sqlx::query_scalar("select 1 from outbound_opt_outs where tenant = $1 and phone = $2")
                .bind(self.t())
                .bind(phone.to_owned())
                .fetch_optional(self.writer())
                .await?;
        Ok(found.is_some())
    }

    /// How many numbers asked not to be called.
    pub async fn opt_out_count(&self) -> Result<i64, DbError> {
        Ok(
            sqlx::query_scalar("select count(*) from outbound_opt_outs where tenant = $1")
                .bind(self.t())
                .fetch_one(self.pool())
                .await?,
        )
    }

    /// Binds the tenant and `key` as `$1`..`$5`.
    fn bind_key<'q>(
        &self,
        query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
        key: &OutboundKey,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
        query
            .bind(self.t())
            .bind(key.kind.as_str())
            .bind(key.booking_uid.clone())
            .bind(ts(key.appointment_start))
            .bind(key.lead_minutes)
    }
}
