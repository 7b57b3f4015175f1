//! Per-day figures of calls and the appointments they changed, counted in SQL over local
//! business days whose UTC bounds the caller gives (it knows the zone and its DST changes).

use serde::Serialize;

use chrono::{DateTime, Utc};

use super::{Db, DbError, ts};

/// Figures of one local business day.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct DayFigures {
    /// The local date, `YYYY-MM-DD`.
    pub day: String,
    /// Calls that started that day.
    pub calls: i64,
    /// Of which completed.
    pub completed: i64,
    /// Of which successful (evaluation `true` or a score at or above the threshold).
    pub successful: i64,
    /// Average duration in seconds of the calls with a duration.
    pub average_duration_seconds: Option<f64>,
    /// Total cost in USD.
    pub total_cost: f64,
    /// Appointments booked by voice that day.
    pub booked: i64,
    /// Appointments moved by voice that day.
    pub moved: i64,
    /// Appointments cancelled by voice that day.
    pub cancelled: i64,
    /// Calls of that day during which an appointment was booked.
    pub calls_with_booking: i64,
    /// Calls of that day handed over to a person (VAPI's transfer).
    pub transferred: i64,
    /// Reminder calls placed for that day (by when they were due).
    pub reminders_placed: i64,
    /// Of which the person confirmed.
    pub reminders_confirmed: i64,
    /// Of which the person moved the appointment.
    pub reminders_rescheduled: i64,
    /// Of which the person cancelled it.
    pub reminders_cancelled: i64,
    /// Appointments of that day (starting that day, not cancelled or moved).
    pub appointments_held: i64,
    /// Of which Cal.com marked the attendee a no-show.
    pub no_shows: i64,
    /// Times offered from the waitlist that were booked that day (filled openings, by when
    /// they were filled).
    pub waitlist_fills: i64,
    /// Calls of that day with a known duration (weights the average when days are summed).
    #[serde(skip)]
    pub timed_calls: i64,
}

/// A local day as the UTC interval `[start, end)` it covers (23 or 25 hours on DST days).
#[derive(Debug, Clone)]
pub struct DayBounds {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// First instant of the day.
    pub start: DateTime<Utc>,
    /// First instant of the next day.
    pub end: DateTime<Utc>,
}

impl Db {
    /// Figures per local day: one row per entry of `days`, zeros where nothing happened.
    /// The days' UTC bounds come from the caller (who knows the business's zone and its DST
    /// changes); grouping and counting happen here, in SQL. With `assistant_version`, only the
    /// calls that version of the assistant served (and what they booked, moved or cancelled).
    pub async fn day_figures(
        &self,
        days: &[DayBounds],
        success_threshold: f64,
        assistant_version: Option<&str>,
    ) -> Result<Vec<DayFigures>, DbError> {
        if days.is_empty() {
            return Ok(Vec::new());
        }
        let mut values = Vec::with_capacity(days.len());
        for i in 0..days.len() {
            let b = 3 * i + 3;
            values.push(format!("(${}, ${}, ${})", b, b + 1, b + 2));
        }
        // `$1` is the success threshold, `$2` the tenant; each day brings (day, start, end); the
        // version, when asked for, comes last.
        let (calls_of_version, links_of_version) = match assistant_version {
            None => (String::new(), String::new()),
            Some(_) => {
                let v = 3 * days.len() + 3;
                (
                    format!(" and c.assistant_version = ${v}"),
                    format!(
                        " and exists (select 1 from calls v where v.tenant = $2 \
                         and v.vapi_call_id = a.vapi_call_id and v.assistant_version = ${v})"
                    ),
                )
            }
        };
        let sql = format!(
            r#"with days (day, day_start, day_end) as (values {values})
            select d.day as day,
                   count(c.vapi_call_id) as calls,
                   coalesce(sum(case when c.status = 'completed' then 1 else 0 end), 0) as completed,
                   coalesce(sum(case when lower(c.success_evaluation) = 'true' or c.success_score >= $1
                                     then 1 else 0 end), 0) as successful,
                   avg(c.duration_seconds) as average_duration_seconds,
                   coalesce(sum(c.cost), 0.0) as total_cost,
                   (select count(*) from call_appointments a
                     where a.tenant = $2 and a.action = 'booked' and a.created_at >= d.day_start and a.created_at < d.day_end{links_of_version}) as booked,
                   (select count(*) from call_appointments a
                     where a.tenant = $2 and a.action = 'moved' and a.created_at >= d.day_start and a.created_at < d.day_end{links_of_version}) as moved,
                   (select count(*) from call_appointments a
                     where a.tenant = $2 and a.action = 'cancelled' and a.created_at >= d.day_start and a.created_at < d.day_end{links_of_version}) as cancelled,
                   coalesce(sum(case when exists (select 1 from call_appointments b
                                                   where b.tenant = $2 and b.vapi_call_id = c.vapi_call_id and b.action = 'booked')
                                     then 1 else 0 end), 0) as calls_with_booking,
                   coalesce(sum(case when c.ended_reason = 'assistant-forwarded-call' then 1 else 0 end), 0) as transferred,
                   (select count(*) from outbound_calls o where o.tenant = $2 and o.kind = 'reminder'
                     and o.attempts > 0 and o.due_at >= d.day_start and o.due_at < d.day_end) as reminders_placed,
                   (select count(*) from outbound_calls o where o.tenant = $2 and o.kind = 'reminder'
                     and o.outcome = 'confirmed' and o.due_at >= d.day_start and o.due_at < d.day_end) as reminders_confirmed,
                   (select count(*) from outbound_calls o where o.tenant = $2 and o.kind = 'reminder'
                     and o.outcome = 'rescheduled' and o.due_at >= d.day_start and o.due_at < d.day_end) as reminders_rescheduled,
                   (select count(*) from outbound_calls o where o.tenant = $2 and o.kind = 'reminder'
                     and o.outcome = 'cancelled' and o.due_at >= d.day_start and o.due_at < d.day_end) as reminders_cancelled,
                   (select count(*) from appointments p where p.tenant = $2 and p.status in ('accepted', 'ended')
                     and p.start_time >= d.day_start and p.start_time < d.day_end) as appointments_held,
                   (select count(*) from appointments p where p.tenant = $2 and p.no_show = 1 and p.status <> 'cancelled'
                     and p.start_time >= d.day_start and p.start_time < d.day_end) as no_shows,
                   (select count(*) from waitlist_openings w where w.tenant = $2 and w.state = 'filled'
                     and w.updated_at >= d.day_start and w.updated_at < d.day_end) as waitlist_fills,
                   count(c.duration_seconds) as timed_calls
            from days d
            left join calls c on c.tenant = $2 and c.sort_at >= d.day_start and c.sort_at < d.day_end{calls_of_version}
            group by d.day, d.day_start, d.day_end
            order by d.day"#,
            values = values.join(", ")
        );
        let mut query = sqlx::query_as::<_, DayFigures>(sqlx::AssertSqlSafe(sql))
            .bind(success_threshold)
            .bind(self.t());
        for d in days {
            query = query.bind(d.day.clone()).bind(ts(d.start)).bind(ts(d.end));
        }
        if let Some(version) = assistant_version {
            query = query.bind(version.to_owned());
        }
        Ok(query.fetch_all(self.pool()).await?)
    }
}
