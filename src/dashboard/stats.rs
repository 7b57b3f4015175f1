//! The Stats page: the per-day figures of `crate::analytics::stats` as a table (the accessible source) and
//! as bar charts of calls, bookings, minutes, cost and conversion, drawn as SVG on the server: a bar a day up to
//! a month, a week up to half a year, a month beyond. Days after today are left out: they have
//! nothing to show yet.

use askama::Template;
use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;
use serde::Deserialize;

use super::Frame;
use crate::{
    analytics::stats::{self, DayStats},
    db::{Db, DbError},
    domain::{
        language::Language,
        local_time::{local_today, speak_full_date},
    },
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
    /// Calls handed over to a person.
    pub handed_over: i64,
    /// "3 placed, 2 confirmed, 1 moved, 0 cancelled" or "—".
    pub reminders: String,
    /// "1 of 5 (20%)" or "—".
    pub no_shows: String,
    /// Times offered from the waitlist and booked.
    pub waitlist_fills: i64,
}

/// One bar chart, drawn as SVG.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Element id stem (for `aria-labelledby`).
    pub id: &'static str,
    /// "Calls per day".
    pub title: String,
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
    /// Where the plot starts: the axis label ends just left of it.
    pub left: u32,
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
    /// The period, as printed under the bar ("11/21", "Nov").
    pub day: String,
    /// The tooltip.
    pub tip: String,
}

/// The days a page's `from`/`to` ask for, as shown: the last seven days when none or bad ones are
/// given, never past today, with what was wrong and what was changed, in words.
#[derive(Debug, Clone)]
pub struct ChosenDays {
    /// First local day.
    pub from: NaiveDate,
    /// Last local day.
    pub to: NaiveDate,
    /// What was wrong with the range, if anything.
    pub errors: Vec<String>,
    /// How the range shown differs from the one asked for, if it does.
    pub notes: Vec<String>,
}

/// Reads `filters` as [`ChosenDays`] for the business day containing `now`.
pub fn chosen_days(filters: &StatsFilters, now: DateTime<Utc>, tz: Tz) -> ChosenDays {
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
    let today = local_today(now, tz);
    let mut notes = Vec::new();
    let (from, to) = match stats::range(from, to, now, tz) {
        Ok((from, _)) if from > today => {
            errors.push(format!(
                "Those days are all after today ({}); showing the last seven days.",
                speak_full_date(today, Language::En)
            ));
            stats::default_range(now, tz)
        }
        Ok((from, to)) if to > today => {
            notes.push(format!(
                "Days after today ({}) are left out.",
                speak_full_date(today, Language::En)
            ));
            (from, today)
        }
        Ok(r) => r,
        Err(message) => {
            errors.push(format!("{message}; showing the last seven days."));
            stats::default_range(now, tz)
        }
    };
    ChosenDays {
        from,
        to,
        errors,
        notes,
    }
}

/// The days form a page shows above what it lists (`_days_form.html`): where it submits, the
/// days as shown, what was wrong or changed, and the page's CSV, if it has one.
#[derive(Debug, Clone)]
pub struct DaysForm {
    /// The page the form submits to.
    pub action: &'static str,
    /// First day as shown (`YYYY-MM-DD`).
    pub from: String,
    /// Last day as shown.
    pub to: String,
    /// What was wrong with the range, if anything.
    pub errors: Vec<String>,
    /// How the range shown differs from the one asked for, if it does.
    pub notes: Vec<String>,
    /// The page's CSV download (empty: the form shows no link).
    pub export: String,
}

impl DaysForm {
    /// The form of the page at `action` for `days`, with a CSV download when `csv` is given.
    pub fn new(action: &'static str, days: ChosenDays, csv: Option<&str>) -> Self {
        let (from, to) = (days.from.to_string(), days.to.to_string());
        Self {
            action,
            export: csv.map_or_else(String::new, |path| format!("{path}?from={from}&to={to}")),
            from,
            to,
            errors: days.errors,
            notes: days.notes,
        }
    }
}

/// The Stats page.
#[derive(Template, Debug)]
#[template(path = "dashboard/stats.html")]
pub struct StatsPage {
    /// What surrounds the content: navigation, title, the business shown and its zone.
    pub frame: Frame,
    /// The days form: the range shown, what was wrong with it, the CSV.
    pub days: DaysForm,
    /// One row per day, oldest first.
    pub rows: Vec<StatsRow>,
    /// The totals row.
    pub totals: StatsRow,
    /// The charts.
    pub charts: Vec<Chart>,
}

const BAR_WIDTH: u32 = 28;
const GAP: u32 = 10;
/// Room left of the bars for the axis label ("$123.45" fits).
const LEFT: u32 = 48;
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
        let chosen = chosen_days(filters, now, tz);
        let (from, to) = (chosen.from, chosen.to);
        let report = stats::report(db, tz, from, to, success_threshold, None).await?;
        let rows: Vec<StatsRow> = report.days.iter().map(row).collect();
        let mut totals = row(&report.totals);
        totals.label = "Total".to_owned();
        let period = Period::for_days(report.days.len());
        let buckets = buckets(&report.days, period);
        let series = |f: &dyn Fn(&Bucket) -> f64| -> Vec<Point> {
            buckets
                .iter()
                .map(|b| Point {
                    short: b.short.clone(),
                    long: b.long.clone(),
                    value: f(b),
                })
                .collect()
        };
        let per = period.name();
        let charts = vec![
            chart(
                "calls",
                format!("Calls per {per}"),
                &series(&|b| b.calls as f64),
                None,
                |v| format!("{v:.0}"),
                "calls",
            ),
            chart(
                "bookings",
                format!("Bookings per {per}"),
                &series(&|b| b.booked as f64),
                None,
                |v| format!("{v:.0}"),
                "appointments booked by phone",
            ),
            chart(
                "minutes",
                format!("Minutes on the phone per {per}"),
                &series(&|b| b.minutes),
                None,
                |v| format!("{v:.1}"),
                "minutes",
            ),
            chart(
                "cost",
                format!("Cost per {per}"),
                &series(&|b| b.cost),
                None,
                |v| format!("${v:.2}"),
                "US dollars",
            ),
            // A share: the axis is 0–100%, so half the calls booking draws a half-height bar.
            chart(
                "conversion",
                format!("Booking conversion per {per}"),
                &series(&|b| b.conversion() * 100.0),
                Some(100.0),
                |v| format!("{v:.0}%"),
                "of calls ended with a booking",
            ),
        ];
        Ok(Self {
            frame: Frame::new("/dashboard/stats", "Stats", tz, now),
            days: DaysForm::new("/dashboard/stats", chosen, Some("/dashboard/stats.csv")),
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
        handed_over: f.transferred,
        reminders: if f.reminders_placed == 0 {
            "—".to_owned()
        } else {
            format!(
                "{} placed, {} confirmed, {} moved, {} cancelled",
                f.reminders_placed,
                f.reminders_confirmed,
                f.reminders_rescheduled,
                f.reminders_cancelled
            )
        },
        no_shows: d.no_show_rate.map_or_else(
            || "—".to_owned(),
            |rate| {
                format!(
                    "{} of {} ({:.0}%)",
                    f.no_shows,
                    f.appointments_held,
                    rate * 100.0
                )
            },
        ),
        waitlist_fills: f.waitlist_fills,
    }
}

/// What one bar stands for: a day, a week or a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Period {
    Day,
    Week,
    Month,
}

impl Period {
    /// A bar a day up to a month of days, a week up to half a year, else a month: the charts
    /// keep a readable number of bars whatever the range.
    fn for_days(days: usize) -> Self {
        match days {
            0..=31 => Period::Day,
            32..=182 => Period::Week,
            _ => Period::Month,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }

    /// The first day of the period `day` is in (weeks start on Monday).
    fn start(self, day: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => day,
            Period::Week => day.week(Weekday::Mon).first_day(),
            Period::Month => day.with_day(1).unwrap_or(day),
        }
    }
}

/// The figures of one bar's days.
#[derive(Debug, Clone)]
struct Bucket {
    /// Under the bar: "11/21", "11/16" (a week's first day shown), "Nov".
    short: String,
    /// In the tooltip and description: "11/21", "week of 11/16", "November 2026".
    long: String,
    calls: i64,
    booked: i64,
    calls_with_booking: i64,
    /// Dollars.
    cost: f64,
    /// Minutes on the phone (calls with a known duration).
    minutes: f64,
}

impl Bucket {
    /// Calls with a booking / calls (0 without calls).
    fn conversion(&self) -> f64 {
        if self.calls > 0 {
            self.calls_with_booking as f64 / self.calls as f64
        } else {
            0.0
        }
    }
}

/// The days summed by `period`, oldest first.
fn buckets(days: &[DayStats], period: Period) -> Vec<Bucket> {
    let mut out: Vec<(NaiveDate, Bucket)> = Vec::new();
    for d in days {
        let Ok(day) = NaiveDate::parse_from_str(&d.figures.day, "%Y-%m-%d") else {
            continue;
        };
        let key = period.start(day);
        if out.last().is_none_or(|(k, _)| *k != key) {
            let short = match period {
                Period::Month => day.format("%b").to_string(),
                _ => day.format("%-m/%-d").to_string(),
            };
            let long = match period {
                Period::Day => short.clone(),
                Period::Week => format!("week of {short}"),
                Period::Month => day.format("%B %Y").to_string(),
            };
            out.push((
                key,
                Bucket {
                    short,
                    long,
                    calls: 0,
                    booked: 0,
                    calls_with_booking: 0,
                    cost: 0.0,
                    minutes: 0.0,
                },
            ));
        }
        if let Some((_, b)) = out.last_mut() {
            b.calls += d.figures.calls;
            b.booked += d.figures.booked;
            b.calls_with_booking += d.figures.calls_with_booking;
            b.cost += d.figures.total_cost;
            b.minutes += d.figures.average_duration_seconds.unwrap_or(0.0)
                * d.figures.timed_calls as f64
                / 60.0;
        }
    }
    out.into_iter().map(|(_, b)| b).collect()
}

/// One bar's data: its labels and value.
#[derive(Debug, Clone)]
struct Point {
    short: String,
    long: String,
    value: f64,
}

/// A bar chart of `values`, scaled to `ceiling` when given (a share's 100%), else to the largest.
fn chart(
    id: &'static str,
    title: String,
    values: &[Point],
    ceiling: Option<f64>,
    show: fn(f64) -> String,
    unit: &str,
) -> Chart {
    let max = ceiling.unwrap_or_else(|| values.iter().map(|p| p.value).fold(0.0_f64, f64::max));
    let scale = if max > 0.0 {
        f64::from(PLOT_HEIGHT) / max
    } else {
        0.0
    };
    let base = TOP + PLOT_HEIGHT;
    let bars: Vec<Bar> = values
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let h = (p.value.min(max) * scale).round() as u32;
            let x = LEFT + GAP + i as u32 * (BAR_WIDTH + GAP);
            Bar {
                x,
                y: base - h,
                w: BAR_WIDTH,
                h,
                cx: x + BAR_WIDTH / 2,
                value: show(p.value),
                day: p.short.clone(),
                tip: format!("{}: {} {unit}", p.long, show(p.value)),
            }
        })
        .collect();
    let desc = values
        .iter()
        .map(|p| format!("{}: {}", p.long, show(p.value)))
        .collect::<Vec<_>>()
        .join("; ");
    Chart {
        id,
        desc: format!("{title} ({unit}). {desc}."),
        title,
        width: LEFT + GAP + values.len() as u32 * (BAR_WIDTH + GAP),
        height: base + 24,
        base,
        left: LEFT,
        max_label: show(max),
        bars,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(values: &[(&str, f64)]) -> Vec<Point> {
        values
            .iter()
            .map(|(day, value)| Point {
                short: (*day).to_owned(),
                long: (*day).to_owned(),
                value: *value,
            })
            .collect()
    }

    #[test]
    fn bars_scale_to_the_largest_value_or_to_the_ceiling() {
        let values = points(&[("11/20", 2.0), ("11/21", 4.0), ("11/22", 0.0)]);
        let c = chart(
            "calls",
            "Calls per day".into(),
            &values,
            None,
            |v| format!("{v:.0}"),
            "calls",
        );
        let heights: Vec<u32> = c.bars.iter().map(|b| b.h).collect();
        assert_eq!(heights, [PLOT_HEIGHT / 2, PLOT_HEIGHT, 0]);
        assert!(c.bars.iter().all(|b| b.y + b.h == c.base));
        assert_eq!(c.max_label, "4");
        assert!(c.desc.contains("11/21: 4"), "{}", c.desc);
        let empty = chart(
            "x",
            "X".into(),
            &points(&[("1/1", 0.0)]),
            None,
            |v| format!("{v}"),
            "x",
        );
        assert_eq!(empty.bars[0].h, 0, "no division by zero");
        let share = chart(
            "conversion",
            "Conversion".into(),
            &points(&[("11/21", 50.0)]),
            Some(100.0),
            |v| format!("{v:.0}%"),
            "of calls",
        );
        assert_eq!(share.bars[0].h, PLOT_HEIGHT / 2, "50% is half the axis");
        assert_eq!(share.max_label, "100%");
    }

    #[test]
    fn long_ranges_draw_a_bar_a_week_or_a_month() {
        assert_eq!(Period::for_days(31), Period::Day);
        assert_eq!(Period::for_days(32), Period::Week);
        assert_eq!(Period::for_days(183), Period::Month);
        let day = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        assert_eq!(
            Period::Week.start(day),
            NaiveDate::from_ymd_opt(2026, 11, 16).unwrap()
        );
        assert_eq!(
            Period::Month.start(day),
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
        );
    }
}
