//! The `call_hand_overs` table: the tool faults each call has had, and the hand-over to a
//! person the service made once a call had enough of them (claimed by one conditional update,
//! so it happens once per call whichever replica answers).

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::{Db, DbError, parse_ts, ts};

/// A call the service handed over to a person.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HandOver {
    /// VAPI's id of the call.
    pub vapi_call_id: String,
    /// Tool faults the call had.
    pub faults: i64,
    /// When it was handed over (`None`: not handed over).
    pub handed_over_at: Option<DateTime<Utc>>,
    /// The number it was handed to.
    pub destination: Option<String>,
    /// What VAPI's live call control said, or why it was not asked.
    pub result: Option<String>,
}

#[derive(FromRow)]
struct HandOverRecord {
    vapi_call_id: String,
    faults: i64,
    handed_over_at: Option<String>,
    destination: Option<String>,
    result: Option<String>,
}

impl Db {
    /// Adds `faults` to the call's count; the count after.
    pub async fn count_tool_faults(
        &self,
        vapi_call_id: &str,
        faults: i64,
        now: DateTime<Utc>,
    ) -> Result<i64, DbError> {
        Ok(sqlx::query_scalar(
            r#"insert into call_hand_overs (tenant, vapi_call_id, faults, updated_at)
               values ($1, $2, $3, $4)
               on conflict (tenant, vapi_call_id) do update
               set faults = call_hand_overs.faults + excluded.faults, updated_at = excluded.updated_at
               returning faults"#,
        )
        .bind(self.t())
        .bind(vapi_call_id.to_owned())
        .bind(faults)
        .bind(ts(now))
        .fetch_one(self.writer())
        .await?)
    }

    /// Claims the call's hand-over to `destination` once it has `at_least` faults; true when
    /// this claimed it (it is claimed once per call).
    pub async fn claim_hand_over(
        &self,
        vapi_call_id: &str,
        destination: &str,
        at_least: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            "update call_hand_overs set handed_over_at = $3, destination = $4, updated_at = $3 \
             where tenant = $1 and vapi_call_id = $2 and handed_over_at is null and faults >= $5",
        )
        .bind(self.t())
        .bind(vapi_call_id.to_owned())
        .bind(ts(now))
        .bind(destination.to_owned())
        .bind(at_least)
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Stores what came of asking VAPI to transfer the call.
    pub async fn hand_over_result(
        &self,
        vapi_call_id: &str,
        result: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        sqlx::query(
            "update call_hand_overs set result = $3, updated_at = $4 \
             where tenant = $1 and vapi_call_id = $2",
        )
        .bind(self.t())
        .bind(vapi_call_id.to_owned())
        .bind(result.to_owned())
        .bind(ts(now))
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// The call's faults and hand-over, if it had any fault.
    pub async fn hand_over_of(&self, vapi_call_id: &str) -> Result<Option<HandOver>, DbError> {
        let row: Option<HandOverRecord> = sqlx::query_as(
            "select vapi_call_id, faults, handed_over_at, destination, result \
             from call_hand_overs where tenant = $1 and vapi_call_id = $2",
        )
        .bind(self.t())
        .bind(vapi_call_id.to_owned())
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            Ok(HandOver {
                handed_over_at: r.handed_over_at.as_deref().map(parse_ts).transpose()?,
                vapi_call_id: r.vapi_call_id,
                faults: r.faults,
                destination: r.destination,
                result: r.result,
            })
        })
        .transpose()
    }
}
