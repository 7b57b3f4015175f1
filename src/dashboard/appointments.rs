//! The Appointments page: upcoming or past, grouped by local day, filtered by day, status and
//! phone, a page at a time.

use askama::Template;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use super::{
    Frame,
    view::{DayGroup, by_day, day_filter, phone_digits, typed},
};
use crate::domain::text::percent_encode;
use crate::{
    db::{Db, DbError, appointments::AppointmentQuery},
    domain::local_time::local_days_bounds,
};

/// Rows per page.
pub const PAGE_SIZE: u32 = 25;
/// Statuses offered in the filter: (value, label).
pub const STATUSES: &[(&str, &str)] = &[
    ("", "Any status"),
    ("accepted", "Accepted"),
    ("pending", "Pending"),
    ("cancelled", "Cancelled"),
    ("rescheduled", "Rescheduled"),
    ("rejected", "Rejected"),
    ("ended", "Ended"),
];

/// The page's query string, as typed: every field is optional and checked here, so a bad value
/// becomes a message on the page rather than an error page.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AppointmentFilters {
    /// `upcoming` (default) or `past`.
    pub when: Option<String>,
    /// A local date, `YYYY-MM-DD`.
    pub day: Option<String>,
    /// A status from [`STATUSES`].
    pub status: Option<String>,
    /// Part of a phone number.
    pub phone: Option<String>,
    /// 1-based page number.
    pub page: Option<String>,
}

/// The filters as shown back on the page: `when`, and the day, status and phone as typed (an
/// unknown status cleared).
#[derive(Debug, Clone)]
pub struct Shown {
    /// `upcoming` or `past`.
    pub when: &'static str,
    /// The day as typed.
    pub day_text: String,
    /// The status kept.
    pub status: String,
    /// The phone as typed.
    pub phone: String,
}

impl AppointmentFilters {
    /// The filters as a database query of the first [`PAGE_SIZE`] rows, and as shown back; what
    /// was wrong with them goes in `errors` and filters nothing. The page and its export read the
    /// same appointments through this.
    pub fn to_query(
        &self,
        tz: Tz,
        now: DateTime<Utc>,
        errors: &mut Vec<String>,
    ) -> (AppointmentQuery, Shown) {
        let text = typed;
        let when = if text(&self.when) == "past" {
            "past"
        } else {
            "upcoming"
        };
        let day_text = text(&self.day);
        let day = day_filter(&day_text, errors);
        let mut status = text(&self.status);
        if !STATUSES.iter().any(|(v, _)| *v == status) {
            errors.push(format!("“{status}” is not a status; showing every status."));
            status.clear();
        }
        let phone = text(&self.phone);
        let digits = phone_digits(&phone, errors);
        let mut query = AppointmentQuery {
            status: (!status.is_empty()).then(|| status.clone()),
            phone_digits: digits,
            newest_first: when == "past",
            limit: PAGE_SIZE,
            ..AppointmentQuery::default()
        };
        if when == "past" {
            query.ended_by = Some(now);
        } else {
            query.ends_after = Some(now);
        }
        if let Some(d) = day {
            let (from, to) = local_days_bounds(d, d, tz);
            query.starts_from = Some(from);
            query.starts_before = Some(to);
        }
        let shown = Shown {
            when,
            day_text,
            status,
            phone,
        };
        (query, shown)
    }
}

/// The Appointments page.
#[derive(Template, Debug)]
#[template(path = "dashboard/appointments.html")]
pub struct AppointmentsPage {
    /// What surrounds the content: navigation, title, the business shown and its zone.
    pub frame: Frame,
    /// `upcoming` or `past`.
    pub when: &'static str,
    /// The day filter as typed.
    pub day: String,
    /// The status filter.
    pub status: String,
    /// The phone filter as typed.
    pub phone: String,
    /// Status choices.
    pub statuses: &'static [(&'static str, &'static str)],
    /// What was wrong with the filters, if anything.
    pub errors: Vec<String>,
    /// The rows, by local day.
    pub groups: Vec<DayGroup>,
    /// Page number.
    pub page: u32,
    /// Link to the previous page.
    pub prev: Option<String>,
    /// Link to the next page.
    pub next: Option<String>,
    /// The CSV of every appointment these filters match (all pages).
    pub export: String,
}

impl AppointmentsPage {
    /// Builds the page for `filters` at `now`.
    pub async fn load(
        db: &Db,
        tz: Tz,
        now: DateTime<Utc>,
        filters: &AppointmentFilters,
    ) -> Result<Self, DbError> {
        let mut errors = Vec::new();
        let text = typed;
        let page = text(&filters.page)
            .parse::<u32>()
            .unwrap_or(1)
            .clamp(1, 10_000);
        let (mut query, shown) = filters.to_query(tz, now, &mut errors);
        query.offset = (page - 1) * PAGE_SIZE;
        let Shown {
            when,
            day_text,
            status,
            phone,
        } = shown;
        let (appointments, more) = db.query_appointments(&query).await?;
        let mut params = vec![format!("when={when}")];
        for (name, value) in [("day", &day_text), ("status", &status), ("phone", &phone)] {
            if !value.is_empty() {
                params.push(format!("{name}={}", percent_encode(value)));
            }
        }
        let filters = params.join("&");
        let link = |p: u32| format!("/dashboard/appointments?{filters}&page={p}");
        Ok(Self {
            frame: Frame::new("/dashboard/appointments", "Appointments", tz, now),
            when,
            day: day_text.clone(),
            status: status.clone(),
            phone: phone.clone(),
            statuses: STATUSES,
            errors,
            groups: by_day(db, &appointments, tz).await?,
            page,
            prev: (page > 1).then(|| link(page - 1)),
            next: more.then(|| link(page + 1)),
            export: format!("/dashboard/appointments.csv?{filters}"),
        })
    }
}
