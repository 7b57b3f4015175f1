//! The `waitlist_entries`, `waitlist_openings` and `waitlist_offers` tables: who waits for a
//! time, the times that opened up, and whom each was offered to.
//!
//! A freed time is recorded once per appointment type and start (`on conflict do nothing`). It is
//! offered by one conditional update (`open` → `offering`, naming the entry) in the same
//! transaction as the offer's row, whose key (time, entry) makes each caller offered a time at
//! most once; every later step changes the opening only while it is still offered to that
//! entry, so two processes never both settle one offer.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

use super::{Db, DbError, parse_ts, ts};
use crate::domain::waitlist::{
    Entry, EntryState, Offer, OfferOutcome, Opening, OpeningKey, OpeningState, parse_part,
};

const ENTRY_COLUMNS: &str = "id, phone, name, event_type_id, first_day, last_day, part_of_day, \
     state, booked_uid, created_at";

const OPENING_COLUMNS: &str = "event_type_id, slot_start, duration_minutes, source_uid, state, \
     entry_id, phone, reservation_uid, held_until, vapi_call_id, booked_uid, offers, detail, \
     created_at, updated_at";

const OFFER_COLUMNS: &str =
    "event_type_id, slot_start, entry_id, phone, outcome, vapi_call_id, created_at";

/// A decode error naming the stored word this version does not know.
fn unknown(what: &str, word: &str) -> DbError {
    DbError::Sqlx(sqlx::Error::Decode(
        format!("unknown waitlist {what} '{word}'").into(),
    ))
}

fn parse_day(text: &str) -> Result<NaiveDate, DbError> {
    text.parse().map_err(|_| unknown("day", text))
}

#[derive(FromRow)]
struct EntryRecord {
    id: String,
    phone: String,
    name: String,
    event_type_id: i64,
    first_day: String,
    last_day: String,
    part_of_day: Option<String>,
    state: String,
    booked_uid: Option<String>,
    created_at: String,
}

impl TryFrom<EntryRecord> for Entry {
    type Error = DbError;

    fn try_from(r: EntryRecord) -> Result<Self, DbError> {
        Ok(Entry {
            part: match r.part_of_day.as_deref() {
                None => None,
                Some(word) => Some(parse_part(word).ok_or_else(|| unknown("part", word))?),
            },
            state: EntryState::parse(&r.state).ok_or_else(|| unknown("state", &r.state))?,
            id: r.id,
            phone: r.phone,
            name: r.name,
            event_type_id: r.event_type_id,
            first_day: parse_day(&r.first_day)?,
            last_day: parse_day(&r.last_day)?,
            booked_uid: r.booked_uid,
            created_at: parse_ts(&r.created_at)?,
        })
    }
}

#[derive(FromRow)]
struct OpeningRecord {
    event_type_id: i64,
    slot_start: String,
    duration_minutes: i64,
    source_uid: String,
    state: String,
    entry_id: Option<String>,
    phone: Option<String>,
    reservation_uid: Option<String>,
    held_until: Option<String>,
    vapi_call_id: Option<String>,
    booked_uid: Option<String>,
    offers: i64,
    detail: Option<String>,
    created_at: String,
    updated_at: String,
}

impl TryFrom<OpeningRecord> for Opening {
    type Error = DbError;

    fn try_from(r: OpeningRecord) -> Result<Self, DbError> {
        Ok(Opening {
            event_type_id: r.event_type_id,
            slot_start: parse_ts(&r.slot_start)?,
            duration_minutes: r.duration_minutes,
            source_uid: r.source_uid,
            state: OpeningState::parse(&r.state).ok_or_else(|| unknown("state", &r.state))?,
            entry_id: r.entry_id,
            phone: r.phone,
            reservation_uid: r.reservation_uid,
            held_until: r.held_until.as_deref().map(parse_ts).transpose()?,
            vapi_call_id: r.vapi_call_id,
            booked_uid: r.booked_uid,
            offers: r.offers,
            detail: r.detail,
            created_at: parse_ts(&r.created_at)?,
            updated_at: parse_ts(&r.updated_at)?,
        })
    }
}

#[derive(FromRow)]
struct OfferRecord {
    event_type_id: i64,
    slot_start: String,
    entry_id: String,
    phone: String,
    outcome: String,
    vapi_call_id: Option<String>,
    created_at: String,
}

impl TryFrom<OfferRecord> for Offer {
    type Error = DbError;

    fn try_from(r: OfferRecord) -> Result<Self, DbError> {
        Ok(Offer {
            event_type_id: r.event_type_id,
            slot_start: parse_ts(&r.slot_start)?,
            outcome: OfferOutcome::parse(&r.outcome)
                .ok_or_else(|| unknown("outcome", &r.outcome))?,
            entry_id: r.entry_id,
            phone: r.phone,
            vapi_call_id: r.vapi_call_id,
            created_at: parse_ts(&r.created_at)?,
        })
    }
}

/// How an offer ends, for [`Db::settle_offer`].
#[derive(Clone, Debug)]
pub struct OfferEnd {
    /// How it ended for the caller.
    pub outcome: OfferOutcome,
    /// Where the time goes next: `open` for the next caller, or `closed`.
    pub next: OpeningState,
    /// Why, for the operator.
    pub detail: String,
}

impl Db {
    /// Adds `entry` to the waitlist.
    pub async fn join_waitlist(&self, entry: &Entry, now: DateTime<Utc>) -> Result<(), DbError> {
        sqlx::query(
            r#"insert into waitlist_entries (tenant, id, seq, phone, name, event_type_id, first_day,
                   last_day, part_of_day, state, booked_uid, created_at, updated_at)
               values ($1, $2, (select coalesce(max(seq), 0) + 1 from waitlist_entries
                   where tenant = $1), $3, $4, $5, $6, $7, $8, $9, null, $10, $10)"#,
        )
        .bind(self.t())
        .bind(entry.id.clone())
        .bind(entry.phone.clone())
        .bind(entry.name.clone())
        .bind(entry.event_type_id)
        .bind(entry.first_day.to_string())
        .bind(entry.last_day.to_string())
        .bind(entry.part.map(|p| p.as_str()))
        .bind(entry.state.as_str())
        .bind(ts(now))
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// The entries of `phone` in `state`, oldest first.
    pub async fn waitlist_entries_of(
        &self,
        phone: &str,
        state: EntryState,
    ) -> Result<Vec<Entry>, DbError> {
        let sql = format!(
            "select {ENTRY_COLUMNS} from waitlist_entries where tenant = $1 and phone = $2 \
             and state = $3 order by seq, id"
        );
        let rows: Vec<EntryRecord> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(self.t())
            .bind(phone.to_owned())
            .bind(state.as_str())
            .fetch_all(self.writer())
            .await?;
        rows.into_iter().map(Entry::try_from).collect()
    }

    /// The entry `id` of `phone` still waiting.
    pub async fn waiting_entry(&self, phone: &str, id: &str) -> Result<Option<Entry>, DbError> {
        let sql = format!(
            "select {ENTRY_COLUMNS} from waitlist_entries where tenant = $1 and phone = $2 \
             and id = $3 and state = 'waiting'"
        );
        let row: Option<EntryRecord> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(self.t())
            .bind(phone.to_owned())
            .bind(id.to_owned())
            .fetch_optional(self.writer())
            .await?;
        row.map(Entry::try_from).transpose()
    }

    /// Takes `phone`'s entry `id` off the waitlist; true when it was waiting. Another number's
    /// entry is never touched.
    pub async fn leave_waitlist(
        &self,
        phone: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            "update waitlist_entries set state = 'left', updated_at = $4 \
             where tenant = $1 and phone = $2 and id = $3 and state = 'waiting'",
        )
        .bind(self.t())
        .bind(phone.to_owned())
        .bind(id.to_owned())
        .bind(ts(now))
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Entries whose last day is before `today` stop waiting.
    pub async fn expire_waitlist(
        &self,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<u64, DbError> {
        let done = sqlx::query(
            "update waitlist_entries set state = 'expired', updated_at = $3 \
             where tenant = $1 and state = 'waiting' and last_day < $2",
        )
        .bind(self.t())
        .bind(today.to_string())
        .bind(ts(now))
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected())
    }

    /// Waiting entries, first come first, at most `limit`.
    pub async fn waiting_entries(&self, limit: u32) -> Result<Vec<Entry>, DbError> {
        let sql = format!(
            "select {ENTRY_COLUMNS} from waitlist_entries where tenant = $1 and state = 'waiting' \
             order by seq, id limit {}",
            limit.max(1)
        );
        let rows: Vec<EntryRecord> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(self.t())
            .fetch_all(self.writer())
            .await?;
        rows.into_iter().map(Entry::try_from).collect()
    }

    /// Waiting entries for `key`'s type whose days include `day` and who were not offered that
    /// time yet, first come first.
    pub async fn candidates_for(
        &self,
        key: &OpeningKey,
        day: NaiveDate,
    ) -> Result<Vec<Entry>, DbError> {
        let sql = format!(
            "select {ENTRY_COLUMNS} from waitlist_entries e where e.tenant = $1 \
             and e.state = 'waiting' and e.event_type_id = $2 and e.first_day <= $4 \
             and e.last_day >= $4 and not exists (select 1 from waitlist_offers o \
             where o.tenant = e.tenant and o.event_type_id = $2 and o.slot_start = $3 \
             and o.entry_id = e.id) order by e.seq, e.id limit 50"
        );
        let rows: Vec<EntryRecord> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind_opening(self, key)
            .bind(day.to_string())
            .fetch_all(self.writer())
            .await?;
        rows.into_iter().map(Entry::try_from).collect()
    }

    /// Records a freed time unless it is known already; true when this recorded it.
    pub async fn add_opening(&self, opening: &Opening) -> Result<bool, DbError> {
        let done = sqlx::query(
            r#"insert into waitlist_openings (tenant, event_type_id, slot_start, duration_minutes,
                   source_uid, state, offers, detail, created_at, updated_at)
               values ($1, $2, $3, $4, $5, $6, 0, $7, $8, $8)
               on conflict (tenant, event_type_id, slot_start) do nothing"#,
        )
        .bind(self.t())
        .bind(opening.event_type_id)
        .bind(ts(opening.slot_start))
        .bind(opening.duration_minutes)
        .bind(opening.source_uid.clone())
        .bind(opening.state.as_str())
        .bind(opening.detail.clone())
        .bind(ts(opening.created_at))
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Openings in `states` (all when empty), by start, the latest first when `newest_first`.
    pub async fn openings(
        &self,
        states: &[OpeningState],
        newest_first: bool,
        limit: u32,
    ) -> Result<Vec<Opening>, DbError> {
        let filter = super::state_filter(states.iter().map(|s| s.as_str()));
        let sql = format!(
            "select {OPENING_COLUMNS} from waitlist_openings where tenant = $1{filter} \
             order by slot_start {}, event_type_id limit {}",
            if newest_first { "desc" } else { "asc" },
            limit.max(1)
        );
        let rows: Vec<OpeningRecord> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(self.t())
            .fetch_all(self.writer())
            .await?;
        rows.into_iter().map(Opening::try_from).collect()
    }

    /// The opening at `key`.
    pub async fn opening(&self, key: &OpeningKey) -> Result<Option<Opening>, DbError> {
        let sql = format!(
            "select {OPENING_COLUMNS} from waitlist_openings where tenant = $1 \
             and event_type_id = $2 and slot_start = $3"
        );
        let row: Option<OpeningRecord> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind_opening(self, key)
            .fetch_optional(self.pool())
            .await?;
        row.map(Opening::try_from).transpose()
    }

    /// The opening a call from VAPI (`vapi_call_id`) is offering, or, while VAPI's answer to
    /// `POST /call` is not stored yet, the one being offered to `phone`.
    pub async fn opening_of_call(
        &self,
        vapi_call_id: Option<&str>,
        phone: Option<&str>,
    ) -> Result<Option<Opening>, DbError> {
        if let Some(id) = vapi_call_id {
            let sql = format!(
                "select {OPENING_COLUMNS} from waitlist_openings where tenant = $1 \
                 and vapi_call_id = $2"
            );
            let row: Option<OpeningRecord> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(self.t())
                .bind(id.to_owned())
                .fetch_optional(self.writer())
                .await?;
            if let Some(row) = row {
                return Opening::try_from(row).map(Some);
            }
        }
        let Some(phone) = phone else {
            return Ok(None);
        };
        let sql = format!(
            "select {OPENING_COLUMNS} from waitlist_openings where tenant = $1 \
             and state = 'offering' and phone = $2 and vapi_call_id is null"
        );
        let row: Option<OpeningRecord> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(self.t())
            .bind(phone.to_owned())
            .fetch_optional(self.writer())
            .await?;
        row.map(Opening::try_from).transpose()
    }

    /// Offers the open time `key` to `entry`, holding it until `held_until`: the opening and
    /// the offer's row change together, and only when the time is still open and the entry was
    /// never offered it. True when this process made the offer.
    pub async fn offer_opening(
        &self,
        key: &OpeningKey,
        entry: &Entry,
        held_until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let mut tx = self.writer().begin().await?;
        let taken = sqlx::query(
            "update waitlist_openings set state = 'offering', entry_id = $4, phone = $5, \
             held_until = $6, reservation_uid = null, vapi_call_id = null, offers = offers + 1, \
             detail = null, updated_at = $7 \
             where tenant = $1 and event_type_id = $2 and slot_start = $3 and state = 'open'",
        )
        .bind_opening(self, key)
        .bind(entry.id.clone())
        .bind(entry.phone.clone())
        .bind(ts(held_until))
        .bind(ts(now))
        .execute(&mut *tx)
        .await?;
        if taken.rows_affected() != 1 {
            return Ok(false);
        }
        let offered = sqlx::query(
            r#"insert into waitlist_offers (tenant, event_type_id, slot_start, entry_id, phone,
                   outcome, vapi_call_id, created_at, updated_at)
               values ($1, $2, $3, $4, $5, 'calling', null, $6, $6)
               on conflict (tenant, event_type_id, slot_start, entry_id) do nothing"#,
        )
        .bind_opening(self, key)
        .bind(entry.id.clone())
        .bind(entry.phone.clone())
        .bind(ts(now))
        .execute(&mut *tx)
        .await?;
        if offered.rows_affected() != 1 {
            // Offered to this caller before: the transaction is dropped, the time stays open.
            return Ok(false);
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Cal.com's reservation now holds the time offered to `entry_id`.
    pub async fn opening_reserved(
        &self,
        key: &OpeningKey,
        entry_id: &str,
        reservation_uid: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            "update waitlist_openings set reservation_uid = $5, updated_at = $6 \
             where tenant = $1 and event_type_id = $2 and slot_start = $3 and entry_id = $4 \
             and state = 'offering'",
        )
        .bind_offer(self, key, entry_id)
        .bind(reservation_uid.to_owned())
        .bind(ts(now))
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// VAPI took the call offering the time to `entry_id`: its id, on the opening and the offer.
    pub async fn offer_call_placed(
        &self,
        key: &OpeningKey,
        entry_id: &str,
        vapi_call_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let mut tx = self.writer().begin().await?;
        for table in ["waitlist_openings", "waitlist_offers"] {
            let sql = format!(
                "update {table} set vapi_call_id = $5, updated_at = $6 where tenant = $1 \
                 and event_type_id = $2 and slot_start = $3 and entry_id = $4"
            );
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind_offer(self, key, entry_id)
                .bind(vapi_call_id.to_owned())
                .bind(ts(now))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Takes back the offer of `key` to `entry_id` that never reached them (Cal.com or VAPI
    /// could not take it now): the time is open again and the caller keeps their turn.
    pub async fn withdraw_offer(
        &self,
        key: &OpeningKey,
        entry_id: &str,
        detail: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let mut tx = self.writer().begin().await?;
        let reopened = sqlx::query(
            "update waitlist_openings set state = 'open', entry_id = null, phone = null, \
             reservation_uid = null, held_until = null, vapi_call_id = null, \
             offers = offers - 1, detail = $5, updated_at = $6 where tenant = $1 \
             and event_type_id = $2 and slot_start = $3 and entry_id = $4 and state = 'offering'",
        )
        .bind_offer(self, key, entry_id)
        .bind(detail.to_owned())
        .bind(ts(now))
        .execute(&mut *tx)
        .await?;
        if reopened.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query(
            "delete from waitlist_offers where tenant = $1 and event_type_id = $2 \
             and slot_start = $3 and entry_id = $4",
        )
        .bind_offer(self, key, entry_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Ends the offer of `key` to `entry_id` (when it is still that entry's): the offer's
    /// outcome is stored and the time moves to `end.next`. True when this ended it.
    pub async fn settle_offer(
        &self,
        key: &OpeningKey,
        entry_id: &str,
        end: &OfferEnd,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let mut tx = self.writer().begin().await?;
        let moved = sqlx::query(
            "update waitlist_openings set state = $5, entry_id = null, phone = null, \
             reservation_uid = null, held_until = null, vapi_call_id = null, detail = $6, \
             updated_at = $7 where tenant = $1 and event_type_id = $2 and slot_start = $3 \
             and entry_id = $4 and state = 'offering'",
        )
        .bind_offer(self, key, entry_id)
        .bind(end.next.as_str())
        .bind(end.detail.clone())
        .bind(ts(now))
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() != 1 {
            return Ok(false);
        }
        self.offer_outcome(&mut tx, key, entry_id, end.outcome, now)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The time offered to `entry_id` was booked for them as `booked_uid`: the opening is
    /// filled, the offer booked and the entry done, together. True when this recorded it.
    pub async fn fill_opening(
        &self,
        key: &OpeningKey,
        entry_id: &str,
        booked_uid: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let mut tx = self.writer().begin().await?;
        let filled = sqlx::query(
            "update waitlist_openings set state = 'filled', booked_uid = $5, reservation_uid = null, \
             held_until = null, detail = null, updated_at = $6 where tenant = $1 \
             and event_type_id = $2 and slot_start = $3 and entry_id = $4 and state = 'offering'",
        )
        .bind_offer(self, key, entry_id)
        .bind(booked_uid.to_owned())
        .bind(ts(now))
        .execute(&mut *tx)
        .await?;
        if filled.rows_affected() != 1 {
            return Ok(false);
        }
        self.offer_outcome(&mut tx, key, entry_id, OfferOutcome::Booked, now)
            .await?;
        sqlx::query(
            "update waitlist_entries set state = 'booked', booked_uid = $3, updated_at = $4 \
             where tenant = $1 and id = $2",
        )
        .bind(self.t())
        .bind(entry_id.to_owned())
        .bind(booked_uid.to_owned())
        .bind(ts(now))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Gives up an opening nobody is being called for (`open`): taken by someone else, nobody
    /// left to offer it to, or too close to its start. True when this closed it.
    pub async fn close_opening(
        &self,
        key: &OpeningKey,
        detail: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            "update waitlist_openings set state = 'closed', detail = $4, updated_at = $5 \
             where tenant = $1 and event_type_id = $2 and slot_start = $3 and state = 'open'",
        )
        .bind_opening(self, key)
        .bind(detail.to_owned())
        .bind(ts(now))
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Notes on an open time why nobody is called for it yet.
    pub async fn note_opening(
        &self,
        key: &OpeningKey,
        detail: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        sqlx::query(
            "update waitlist_openings set detail = $4, updated_at = $5 where tenant = $1 \
             and event_type_id = $2 and slot_start = $3 and state = 'open' \
             and (detail is null or detail <> $4)",
        )
        .bind_opening(self, key)
        .bind(detail.to_owned())
        .bind(ts(now))
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// Times being offered right now (each is a call ringing or about to).
    pub async fn offers_in_progress(&self) -> Result<i64, DbError> {
        Ok(sqlx::query_scalar(
            "select count(*) from waitlist_openings where tenant = $1 and state = 'offering'",
        )
        .bind(self.t())
        .fetch_one(self.writer())
        .await?)
    }

    /// Whom `key` was offered to, first first.
    pub async fn offers_of(&self, key: &OpeningKey) -> Result<Vec<Offer>, DbError> {
        let sql = format!(
            "select {OFFER_COLUMNS} from waitlist_offers o where tenant = $1 and event_type_id = $2 \
             and slot_start = $3 order by created_at, (select e.seq from waitlist_entries e \
             where e.tenant = o.tenant and e.id = o.entry_id), entry_id"
        );
        let rows: Vec<OfferRecord> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind_opening(self, key)
            .fetch_all(self.writer())
            .await?;
        rows.into_iter().map(Offer::try_from).collect()
    }

    /// Stores an offer's outcome inside `tx`.
    async fn offer_outcome(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        key: &OpeningKey,
        entry_id: &str,
        outcome: OfferOutcome,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        sqlx::query(
            "update waitlist_offers set outcome = $5, updated_at = $6 where tenant = $1 \
             and event_type_id = $2 and slot_start = $3 and entry_id = $4",
        )
        .bind_offer(self, key, entry_id)
        .bind(outcome.as_str())
        .bind(ts(now))
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

/// Binds an opening's or an offer's key: the tenant and the time as `$1`..`$3`, then the entry
/// as `$4`.
trait BindKey<'q>: Sized {
    fn bind_opening(self, db: &Db, key: &OpeningKey) -> Self;
    fn bind_offer(self, db: &Db, key: &OpeningKey, entry_id: &str) -> Self;
}

/// Both query kinds bind a key the same way.
macro_rules! bind_key_for {
    ($([$($generic:ident),*] $query:ty),+) => {$(
        impl<'q, $($generic),*> BindKey<'q> for $query {
            fn bind_opening(self, db: &Db, key: &OpeningKey) -> Self {
                self.bind(db.t())
                    .bind(key.event_type_id)
                    .bind(ts(key.slot_start))
            }

            fn bind_offer(self, db: &Db, key: &OpeningKey, entry_id: &str) -> Self {
                self.bind_opening(db, key).bind(entry_id.to_owned())
            }
        }
    )+};
}

bind_key_for!(
    [O] sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments>,
    [] sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>
);
