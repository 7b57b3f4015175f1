//! The Today page: the local business day's appointments and the last reconcile.

use askama::Template;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{
    NavItem, nav,
    view::{DayGroup, by_day, local_moment, zone_named},
};
use crate::{
    db::{Db, DbError, appointments::AppointmentQuery},
    local_time::{local_days_bounds, local_today, speak_full_date},
    sync::BOOKINGS_CURSOR,
};

/// Most appointments listed on one day.
const DAY_LIMIT: u32 = 200;

/// The Today page.
#[derive(Template, Debug)]
#[template(path = "dashboard/today.html")]
pub struct TodayPage {
    /// Navigation.
    pub nav: Vec<NavItem>,
    /// Page title.
    pub title: &'static str,
    /// The business zone, named.
    pub zone: String,
    /// "Monday, November 23, 2026".
    pub date_label: String,
    /// Today's appointments, soonest first (one group: today).
    pub groups: Vec<DayGroup>,
    /// How many.
    pub count: usize,
    /// When the appointments were last reconciled with Cal.com, in words.
    pub last_reconcile: String,
}

impl TodayPage {
    /// Builds the page for the local day containing `now`.
    pub async fn load(db: &Db, tz: Tz, now: DateTime<Utc>) -> Result<Self, DbError> {
        let today = local_today(now, tz);
        let (from, to) = local_days_bounds(today, today, tz);
        let (appointments, _) = db
            .query_appointments(&AppointmentQuery {
                starts_from: Some(from),
                starts_before: Some(to),
                limit: DAY_LIMIT,
                ..AppointmentQuery::default()
            })
            .await?;
        let groups = by_day(&appointments, tz);
        let last_reconcile = match db.sync_state_entry(BOOKINGS_CURSOR).await? {
            Some(entry) => {
                let minutes = now.signed_duration_since(entry.updated_at).num_minutes();
                format!(
                    "{} ({} min ago)",
                    local_moment(entry.updated_at, tz),
                    minutes.max(0)
                )
            }
            None => "never: run `vapi-cal sync bookings`".to_owned(),
        };
        Ok(Self {
            nav: nav("/dashboard"),
            title: "Today",
            zone: zone_named(tz, now),
            date_label: speak_full_date(today),
            count: appointments.len(),
            groups,
            last_reconcile,
        })
    }
}
