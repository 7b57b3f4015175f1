//! The Failures page: the tool calls that answered with an error over a range of days, grouped by
//! tool and cause, with what the callers got wrong kept apart from the faults someone should look
//! at (see [`FailureKind`]), each group linking to the call of its latest occurrence.

use askama::Template;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{
    Frame,
    call_pages::call_href,
    stats::{DaysForm, StatsFilters, chosen_days},
    view::local_moment,
};
use crate::{
    db::{Db, DbError, tool_invocations::FailureGroup},
    domain::{failure::FailureKind, local_time::local_days_bounds},
};

/// One group as a table row.
#[derive(Debug, Clone)]
pub struct GroupRow {
    /// Tool name as called.
    pub tool: String,
    /// The cause, or a word for rows from before causes were kept.
    pub cause: String,
    /// How many.
    pub count: i64,
    /// When the latest happened, local.
    pub latest: String,
    /// The latest one's call page, when the call is known.
    pub href: Option<String>,
    /// What the latest one answered.
    pub error: String,
}

/// The Failures page.
#[derive(Template, Debug)]
#[template(path = "dashboard/failures.html")]
pub struct FailuresPage {
    /// What surrounds the content: navigation, title, the business shown and its zone.
    pub frame: Frame,
    /// The days form: the range shown and what was wrong with it.
    pub days: DaysForm,
    /// Faults, most frequent first.
    pub faults: Vec<GroupRow>,
    /// How many faults in all.
    pub fault_count: i64,
    /// Callers' mistakes, most frequent first.
    pub mistakes: Vec<GroupRow>,
    /// How many mistakes in all.
    pub mistake_count: i64,
}

impl FailuresPage {
    /// Builds the page for the days asked for (the last seven by default), read as Stats reads
    /// them.
    pub async fn load(
        db: &Db,
        tz: Tz,
        now: DateTime<Utc>,
        filters: &StatsFilters,
    ) -> Result<Self, DbError> {
        let days = chosen_days(filters, now, tz);
        let (from, to) = local_days_bounds(days.from, days.to, tz);
        let groups = db.failure_groups(from, to).await?;
        let rows = |kind: FailureKind| -> Vec<GroupRow> {
            groups
                .iter()
                .filter(|g| g.kind() == kind)
                .map(|g| row(g, tz))
                .collect()
        };
        let (faults, mistakes) = (rows(FailureKind::Fault), rows(FailureKind::Mistake));
        Ok(Self {
            frame: Frame::new("/dashboard/failures", "Failures", tz, now),
            days: DaysForm::new("/dashboard/failures", days, None),
            fault_count: faults.iter().map(|r| r.count).sum(),
            mistake_count: mistakes.iter().map(|r| r.count).sum(),
            faults,
            mistakes,
        })
    }
}

fn row(g: &FailureGroup, tz: Tz) -> GroupRow {
    GroupRow {
        tool: g.tool.clone(),
        cause: g
            .failure_cause
            .clone()
            .unwrap_or_else(|| "not sorted (recorded before causes were kept)".to_owned()),
        count: g.count,
        latest: DateTime::parse_from_rfc3339(&g.latest_at)
            .map(|t| local_moment(t.with_timezone(&Utc), tz))
            .unwrap_or_else(|_| g.latest_at.clone()),
        href: g.latest_call_id.as_deref().map(call_href),
        error: g.latest_error.clone().unwrap_or_default(),
    }
}
