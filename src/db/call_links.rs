//! Reads across calls and the appointments they changed, for the console's cross-links: which
//! calls booked, moved or cancelled a page's appointments, which of a page's calls have a
//! record (a link to a call without one would lead nowhere), and the names callers gave.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{Db, DbError, call_records::CallAppointment, parse_ts};

/// `$2, $3, ...`: the placeholders of an `in (...)` list of `n` values, after the tenant (`$1`).
fn placeholders(n: usize) -> String {
    (2..=n + 1)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Db {
    /// Every link of the appointments `uids` to the calls that changed them, whichever call,
    /// oldest first.
    pub async fn links_of_appointments(
        &self,
        uids: &[String],
    ) -> Result<Vec<CallAppointment>, DbError> {
        if uids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "select vapi_call_id, appointment_uid, action, tool_call_id, created_at \
             from call_appointments where tenant = $1 and appointment_uid in ({}) \
             order by created_at, vapi_call_id, action",
            placeholders(uids.len())
        );
        let mut query =
            sqlx::query_as::<_, CallAppointment>(sqlx::AssertSqlSafe(sql)).bind(self.t());
        for uid in uids {
            query = query.bind(uid.clone());
        }
        Ok(query.fetch_all(self.pool()).await?)
    }

    /// When each of the calls `ids` that have a record started (else was first heard of).
    pub async fn recorded_call_starts(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, DateTime<Utc>>, DbError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "select vapi_call_id, coalesce(started_at, sort_at) from calls where tenant = $1 and vapi_call_id in ({})",
            placeholders(ids.len())
        );
        let mut query =
            sqlx::query_as::<_, (String, String)>(sqlx::AssertSqlSafe(sql)).bind(self.t());
        for id in ids {
            query = query.bind(id.clone());
        }
        query
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .map(|(id, at)| Ok((id, parse_ts(&at)?)))
            .collect()
    }

    /// The name each of the calls `ids` gave for an appointment it booked, moved or cancelled
    /// (the first attendee's, from the call's first such action), for the calls that have one.
    pub async fn names_on_calls(&self, ids: &[String]) -> Result<HashMap<String, String>, DbError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "select l.vapi_call_id, a.attendees from call_appointments l \
             join appointments a on a.tenant = l.tenant and a.cal_uid = l.appointment_uid \
             where l.tenant = $1 and l.vapi_call_id in ({}) order by l.created_at desc, l.appointment_uid desc",
            placeholders(ids.len())
        );
        let mut query =
            sqlx::query_as::<_, (String, String)>(sqlx::AssertSqlSafe(sql)).bind(self.t());
        for id in ids {
            query = query.bind(id.clone());
        }
        // Newest first, so the last one kept per call is its first action's.
        Ok(query
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .filter_map(|(call, attendees)| {
                let list: serde_json::Value = serde_json::from_str(&attendees).ok()?;
                let name = list.get(0)?.get("name")?.as_str()?.trim().to_owned();
                (!name.is_empty()).then_some((call, name))
            })
            .collect())
    }
}
