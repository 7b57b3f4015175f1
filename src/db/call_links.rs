//! Reads across calls and the appointments they changed, for the console's cross-links: which
//! calls booked, moved or cancelled a page's appointments, and which of a page's calls have a
//! record (a link to a call without one would lead nowhere).

use std::collections::HashSet;

use super::{Db, DbError, call_records::CallAppointment};

/// `$1, $2, ...`: the placeholders of an `in (...)` list of `n` values.
fn placeholders(n: usize) -> String {
    (1..=n)
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
             from call_appointments where appointment_uid in ({}) \
             order by created_at, vapi_call_id, action",
            placeholders(uids.len())
        );
        let mut query = sqlx::query_as::<_, CallAppointment>(sqlx::AssertSqlSafe(sql));
        for uid in uids {
            query = query.bind(uid.clone());
        }
        Ok(query.fetch_all(self.pool()).await?)
    }

    /// Which of the calls `ids` have a record.
    pub async fn recorded_calls(&self, ids: &[String]) -> Result<HashSet<String>, DbError> {
        if ids.is_empty() {
            return Ok(HashSet::new());
        }
        let sql = format!(
            "select vapi_call_id from calls where vapi_call_id in ({})",
            placeholders(ids.len())
        );
        let mut query = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql));
        for id in ids {
            query = query.bind(id.clone());
        }
        Ok(query.fetch_all(self.pool()).await?.into_iter().collect())
    }
}
