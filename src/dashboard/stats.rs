//! The Stats page: the per-day figures of `crate::analytics::stats` as a table (the accessible source) and
//! as bar charts of calls, bookings and conversion per day, drawn as SVG on the server.

use askama::Template;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use super::{NavItem, nav, view::zone_named};
use crate::{
    analytics::stats::{self, DayStats},
    db::{Db, DbError},
};

/// The page's query string, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StatsFilters {
    /// First local day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Last local day, `YYYY-MM-DD`.
    pub to: Option<String>,
}

/// One day as a table row.
#[derive(Debug, Clone)]
pub struct StatsRow {
    /// "Sat, Nov 21".
    pub label: String,
    /// `2026-11-21`.
    pub day: String,
    /// Calls.
    pub calls: i64,
    /// Completed calls.
    pub completed: i64,
    /// Successful calls.
    pub successful: i64,
    /// "2 min 10 s" or "—".
    pub average_duration: String,
    /// "$0.24".
    pub cost: String,
    /// Appointments booked by voice.
    pub booked: i64,
    /// Moved by voice.
    pub moved: i64,
    /// Cancelled by voice.
    pub cancelled: i64,
    /// "50%" or "—".
    pub conversion: String,
}

/// One bar chart, drawn as SVG.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Element id stem (for `aria-labelledby`).
    pub id: &'static str,
    /// "Calls per day".
    pub title: &'static str,
    /// A sentence describing the data.
    pub desc: String,
    /// Bars, one per day.
    pub bars: Vec<Bar>,
    /// Width of the drawing.
    pub width: u32,
    /// Height of the drawing.
    pub height: u32,
    /// The axis baseline's y.
    pub base: u32,
    /// The largest value, labelled on the axis.
    pub max_label: String,
}

/// One bar of a chart.
#[derive(Debug, Clone)]
pub struct Bar {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub w: u32,
    /// Height.
    pub h: u32,
    /// Centre, for the labels.
    pub cx: u32,
    /// The value, as printed above the bar.
    pub value: String,
    /// The day, as printed under the bar ("11/21").
    pub day: String,
    /// The tooltip.
    pub tip: String,
}

/// The Stats page.
#[derive(Template, Debug)]
#[template(path = "dashboard/stats.html")]
pub struct StatsPage {
    /// Navigation.
    pub nav: Vec<NavItem>,
    /// Page title.
    pub title: &'static str,
    /// The business zone, named.
    pub zone: String,
    /// First day as typed / shown.
    pub from: String,
    /// Last day as typed / shown.
    pub to: String,
    /// What was wrong with the range, if anything.
    pub errors: Vec<String>,
    /// One row per day, oldest first.
    pub rows: Vec<StatsRow>,
    /// The totals row.
    pub totals: StatsRow,
    /// The charts.
    pub charts: Vec<Chart>,
}

const BAR_WIDTH: u32 = 28;
const GAP: u32 = 10;
const LEFT: u32 = 36;
const TOP: u32 = 20;
const PLOT_HEIGHT: u32 = 120;

impl StatsPage {
    /// Builds the page for the range asked for (the last seven days by default).
    pub async fn load(
        db: &Db,
        tz: Tz,
        now: DateTime<Utc>,
        success_threshold: f64,
        filters: &StatsFilters,
    ) -> Result<Self, DbError> {
        let mut errors = Vec::new();
        let mut date = |name: &str, raw: &Option<String>| {
            let text = raw.as_deref().map(str::trim).unwrap_or_default();
            if text.is_empty() {
                return None;
            }
            let parsed = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
            if parsed.is_none() {
                errors.push(format!("“{text}” is not a date (YYYY-MM-DD) for {name}."));
            }
            parsed
        };
        let from = date("From", &filters.from);
        let to = date("To", &filters.to);
        let (from, to) = match stats::range(from, to, now, tz) {
            Ok(r) => r,
            Err(message) => {
                errors.push(format!("{message}; showing the last seven days."));
                stats::default_range(now, tz)
            }
        };
        let report = stats::report(db, tz, from, to, success_threshold).await?;
        let rows: Vec<StatsRow> = report.days.iter().map(row).collect();
        let mut totals = row(&report.totals);
        totals.label = "Total".to_owned();
        let day_label = |d: &DayStats| {
            NaiveDate::parse_from_str(&d.figures.day, "%Y-%m-%d")
                .map(|n| n.format("%-m/%-d").to_string())
                .unwrap_or_else(|_| d.figures.day.clone())
        };
        let series = |f: &dyn Fn(&DayStats) -> f64| -> Vec<(String, f64)> {
            report.days.iter().map(|d| (day_label(d), f(d))).collect()
        };
        let charts = vec![
            chart(
                "calls",
                "Calls per day",
                &series(&|d| d.figures.calls as f64),
                |v| format!("{v:.0}"),
                "calls",
            ),
            chart(
                "bookings",
                "Bookings per day",
                &series(&|d| d.figures.booked as f64),
                |v| format!("{v:.0}"),
                "appointments booked by phone",
            ),
            chart(
                "conversion",
                "Booking conversion per day",
                &series(&|d| d.booking_conversion.unwrap_or(0.0) * 100.0),
                |v| format!("{v:.0}%"),
                "of calls ended with a booking",
            ),
        ];
        Ok(Self {
            nav: nav("/dashboard/stats"),
            title: "Stats",
            zone: zone_named(tz, now),
            from: from.format("%Y-%m-%d").to_string(),
            to: to.format("%Y-%m-%d").to_string(),
            errors,
            rows,
            totals,
            charts,
        })
    }
}

fn row(d: &DayStats) -> StatsRow {
    let f = &d.figures;
    let label = NaiveDate::parse_from_str(&f.day, "%Y-%m-%d")
        .map(|n| n.format("%a, %b %-d").to_string())
        .unwrap_or_else(|_| f.day.clone());
    StatsRow {
        label,
        day: f.day.clone(),
        calls: f.calls,
        completed: f.completed,
        successful: f.successful,
        average_duration: f
            .average_duration_seconds
            .map(|s| {
                let s = s.round() as i64;
                format!("{} min {:02} s", s / 60, s % 60)
            })
            .unwrap_or_else(|| "—".to_owned()),
        cost: format!("${:.2}", f.total_cost),
        booked: f.booked,
        moved: f.moved,
        cancelled: f.cancelled,
        conversion: d
            .booking_conversion
            .map(|c| format!("{:.0}%", c * 100.0))
            .unwrap_or_else(|| "—".to_owned()),
    }
}

/// A bar chart of `values` (label, value) scaled to the largest one.
fn chart(
    id: &'static str,
    title: &'static str,
    values: &[(String, f64)],
    show: fn(f64) -> String,
    unit: &str,
) -> Chart {
    let max = values.iter().map(|(_, v)| *v).fold(0.0_f64, f64::max);
    let scale = if max > 0.0 {
        f64::from(PLOT_HEIGHT) / max
    } else {
        0.0
    };
    let base = TOP + PLOT_HEIGHT;
    let bars: Vec<Bar> = values
        .iter()
        .enumerate()
        .map(|(i, (day, v))| {
            let h = (v * scale).round() as u32;
            let x = LEFT + GAP + i as u32 * (BAR_WIDTH + GAP);
            Bar {
                x,
                y: base - h,
                w: BAR_WIDTH,
                h,
                cx: x + BAR_WIDTH / 2,
                value: show(*v),
                day: day.clone(),
                tip: format!("{day}: {} {unit}", show(*v)),
            }
        })
        .collect();
    let desc = values
        .iter()
        .map(|(day, v)| format!("{day}: {}", show(*v)))
        .collect::<Vec<_>>()
        .join("; ");
    Chart {
        id,
        title,
        desc: format!("{title} ({unit}). {desc}."),
        width: LEFT + GAP + values.len() as u32 * (BAR_WIDTH + GAP),
        height: base + 24,
        base,
        max_label: show(max),
        bars,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_value() {
        let c = chart(
            "calls",
            "Calls per day",
            &[
                ("11/20".into(), 2.0),
                ("11/21".into(), 4.0),
                ("11/22".into(), 0.0),
            ],
            |v| format!("{v:.0}"),
            "calls",
        );
        let heights: Vec<u32> = c.bars.iter().map(|b| b.h).collect();
        assert_eq!(heights, [PLOT_HEIGHT / 2, PLOT_HEIGHT, 0]);
        assert!(c.bars.iter().all(|b| b.y + b.h == c.base));
        assert_eq!(c.max_label, "4");
        assert!(c.desc.contains("11/21: 4"), "{}", c.desc);
        let empty = chart("x", "X", &[("1/1".into(), 0.0)], |v| format!("{v}"), "x");
        assert_eq!(empty.bars[0].h, 0, "no division by zero");
    }
}
