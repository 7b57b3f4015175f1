//! `availability_read`: open times for local days, grouped and capped so they can be spoken.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};

use chrono::NaiveTime;

use super::{
    Given, ToolContext, ToolError, ToolResult,
    params::{AvailabilityReadParams, PartOfDay},
    result_object, zone_or,
};
use crate::domain::local_time::{
    self, DayPart, DayWindow, local_days_bounds, local_today, resolve_days_said, speak_clock,
    speak_date, utc_iso,
};

/// Times read out per day before "and N more".
const TIMES_PER_DAY: usize = 6;
/// Days read out in one answer.
const DAYS_SPOKEN: usize = 4;
/// Longest range one call may ask for.
const MAX_RANGE_DAYS: i64 = 14;
/// Days after an empty range searched for the next open day.
const LOOKAHEAD_DAYS: i64 = 14;

/// Open times of one local day.
#[derive(Debug, Clone)]
pub(crate) struct DaySlots {
    pub date: NaiveDate,
    pub starts: Vec<DateTime<Tz>>,
}

/// The event type a call means: its own if it is bookable (`CAL_EVENT_TYPE_IDS`), else the
/// business default. Any other id is refused here, before it reaches Cal.com: hidden or internal
/// event types are not the callers' to read or book.
pub(crate) fn event_type_or(
    ctx: &ToolContext,
    event_type_id: Option<i64>,
) -> Result<i64, ToolError> {
    match event_type_id {
        Some(id) if ctx.bookable_event_type_ids.contains(&id) => Ok(id),
        Some(_) => Err(ToolError(
            "That appointment type can't be booked on this line; leave eventTypeId empty to use the business's appointment type."
                .into(),
        )),
        None => ctx.default_event_type_id.ok_or_else(|| {
            ToolError("No appointment type is set up for booking; the business needs to set CAL_EVENT_TYPE_ID.".into())
        }),
    }
}

/// Fetches open slots for the local days `first..=last` and groups them by local day in `tz`.
///
/// Cal.com reads `start`/`end` as UTC, so the local days are converted to UTC bounds first; the
/// grouping is recomputed from each instant rather than trusting Cal.com's date keys.
pub(crate) async fn open_days(
    ctx: &ToolContext,
    event_type_id: i64,
    first: NaiveDate,
    last: NaiveDate,
    tz: Tz,
    reschedule_uid: Option<&str>,
) -> Result<Vec<DaySlots>, ToolError> {
    let now = ctx.clock.now();
    let (mut start, end) = local_days_bounds(first, last, tz);
    if start < now {
        start = now;
    }
    if start >= end {
        return Ok(Vec::new());
    }
    let slots = ctx
        .cal
        .slots(
            event_type_id,
            &utc_iso(start),
            &utc_iso(end - Duration::seconds(1)),
            tz.name(),
            reschedule_uid,
        )
        .await
        .map_err(|e| ToolError::calendar(&e, "checking open times"))?;
    let mut by_day: BTreeMap<NaiveDate, Vec<DateTime<Tz>>> = BTreeMap::new();
    for slot in slots.into_values().flatten() {
        let at = slot.start.with_timezone(&Utc);
        if at < now {
            continue;
        }
        let local = at.with_timezone(&tz);
        let day = local.date_naive();
        if day >= first && day <= last {
            by_day.entry(day).or_default().push(local);
        }
    }
    Ok(by_day
        .into_iter()
        .map(|(date, mut starts)| {
            starts.sort();
            starts.dedup();
            DaySlots { date, starts }
        })
        .collect())
}

/// "Tuesday, November 24: 9:00 AM, 9:30 AM and 10 more".
fn speak_day(day: &DaySlots) -> String {
    let times: Vec<String> = day
        .starts
        .iter()
        .take(TIMES_PER_DAY)
        .map(speak_clock)
        .collect();
    let more = day.starts.len().saturating_sub(TIMES_PER_DAY);
    let listed = times.join(", ");
    if more > 0 {
        format!("{}: {listed} and {more} more", speak_date(day.date))
    } else {
        format!("{}: {listed}", speak_date(day.date))
    }
}

fn day_json(day: &DaySlots) -> Value {
    json!({
        "date": day.date.to_string(),
        "day": speak_date(day.date),
        "times": day.starts.iter().take(TIMES_PER_DAY).map(speak_clock).collect::<Vec<_>>(),
        "starts": day.starts.iter().take(TIMES_PER_DAY).map(|t| t.format("%Y-%m-%dT%H:%M:%S%:z").to_string()).collect::<Vec<_>>(),
        "more": day.starts.len().saturating_sub(TIMES_PER_DAY),
    })
}

/// Open times nearest a window named when nothing fits it.
const NEAREST_OUTSIDE: usize = 3;

/// A local time-of-day window `[from, to)`; `None` ends are open.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Window {
    from: Option<NaiveTime>,
    to: Option<NaiveTime>,
    /// The part of the day it came from, to say "in the afternoon".
    part: Option<PartOfDay>,
    /// The time it is around, to say "around 3:00 PM".
    around: Option<NaiveTime>,
}

/// An hour either side of a time said "around 3".
const AROUND: Duration = Duration::hours(1);

impl PartOfDay {
    fn from_said(part: DayPart) -> Self {
        match part {
            DayPart::Morning => PartOfDay::Morning,
            DayPart::Afternoon => PartOfDay::Afternoon,
            DayPart::Evening => PartOfDay::Evening,
        }
    }
}

impl Window {
    /// The window a part of the day, "after" and "before" describe together (their intersection).
    fn of(
        part: Option<PartOfDay>,
        after: Option<NaiveTime>,
        before: Option<NaiveTime>,
    ) -> Result<Self, ToolError> {
        let at = |h| NaiveTime::from_hms_opt(h, 0, 0);
        let (mut from, mut to) = match part {
            Some(PartOfDay::Morning) => (None, at(12)),
            Some(PartOfDay::Afternoon) => (at(12), at(17)),
            Some(PartOfDay::Evening) => (at(17), None),
            None => (None, None),
        };
        if let Some(t) = after {
            from = Some(from.map_or(t, |f| f.max(t)));
        }
        if let Some(t) = before {
            to = Some(to.map_or(t, |x| x.min(t)));
        }
        if let (Some(f), Some(t)) = (from, to)
            && f >= t
        {
            return Err(ToolError(format!(
                "There is no time after {} and before {}; please give a window that is open.",
                f.format("%-I:%M %p"),
                t.format("%-I:%M %p")
            )));
        }
        Ok(Window {
            from,
            to,
            part,
            around: None,
        })
    }

    /// The window the `date` phrase said ("tomorrow afternoon", "after 4 on Thursday", "around 3").
    fn said(w: &DayWindow) -> Result<Self, ToolError> {
        let mut window = Window::of(w.part.map(PartOfDay::from_said), w.after, w.before)?;
        if let Some(t) = w.around {
            let (from, to) = (t - AROUND, t + AROUND);
            // Near midnight the window is cut at the day's ends rather than wrapping round.
            window.from = Some(if from > t { NaiveTime::MIN } else { from });
            window.to = (to > t).then_some(to);
            window.around = Some(t);
        }
        Ok(window)
    }

    /// The window `after`, `before` and `partOfDay` describe, with the one said in `date`. When
    /// both say a window and they have no time in common, the caller is asked which they meant.
    fn from_params(
        p: &AvailabilityReadParams,
        today: NaiveDate,
        said: &DayWindow,
    ) -> Result<Self, ToolError> {
        let after = match p.after.given() {
            Some(expr) => Some(local_time::parse_time_of_day(expr, today)?),
            None => None,
        };
        let before = match p.before.given() {
            Some(expr) => Some(local_time::parse_time_of_day(expr, today)?),
            None => None,
        };
        let fields = Window::of(p.part_of_day, after, before)?;
        let said = Window::said(said)?;
        if said.is_open() {
            return Ok(fields);
        }
        if fields.is_open() {
            return Ok(said);
        }
        let from = match (said.from, fields.from) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let to = match (said.to, fields.to) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let (Some(f), Some(t)) = (from, to)
            && f >= t
        {
            return Err(ToolError(format!(
                "The date '{}' asks for times {}, but the other fields ask for times {}. Which did the caller mean?",
                p.date.given().unwrap_or_default().trim(),
                said.describe(),
                fields.describe()
            )));
        }
        let window = Window {
            from,
            to,
            part: fields.part.or(said.part),
            around: said.around,
        };
        Ok(window)
    }

    fn is_open(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }

    fn contains(&self, t: NaiveTime) -> bool {
        self.from.is_none_or(|f| t >= f) && self.to.is_none_or(|x| t < x)
    }

    /// Minutes from `t` to the window (0 inside it).
    fn distance(&self, t: NaiveTime) -> i64 {
        match (self.from, self.to) {
            (Some(f), _) if t < f => (f - t).num_minutes(),
            (_, Some(x)) if t >= x => (t - x).num_minutes() + 1,
            _ => 0,
        }
    }

    /// "in the afternoon", "around 3:00 PM", "after 2:00 PM", "between 2:00 PM and 4:00 PM".
    fn describe(&self) -> String {
        let clock = |t: NaiveTime| t.format("%-I:%M %p").to_string();
        if let Some(t) = self.around
            && Window::said(&DayWindow {
                around: Some(t),
                ..DayWindow::default()
            })
            .is_ok_and(|w| (w.from, w.to) == (self.from, self.to))
        {
            return format!("around {}", clock(t));
        }
        if let Some(part) = self.part {
            let standard = Window::of(Some(part), None, None).unwrap_or_default();
            if standard.from == self.from && standard.to == self.to {
                return format!("in the {}", part.as_str());
            }
        }
        match (self.from, self.to) {
            (Some(f), Some(t)) => format!("between {} and {}", clock(f), clock(t)),
            (Some(f), None) => format!("after {}", clock(f)),
            (None, Some(t)) => format!("before {}", clock(t)),
            (None, None) => String::new(),
        }
    }

    /// Keeps only the times inside the window; days left empty are dropped.
    fn filter(&self, days: &[DaySlots]) -> Vec<DaySlots> {
        days.iter()
            .map(|d| DaySlots {
                date: d.date,
                starts: d
                    .starts
                    .iter()
                    .filter(|t| self.contains(t.time()))
                    .copied()
                    .collect(),
            })
            .filter(|d| !d.starts.is_empty())
            .collect()
    }
}

/// Checks the calendar owner when the model names a host.
async fn check_host(ctx: &ToolContext, user_id: Option<i64>) -> Result<(), ToolError> {
    let Some(user_id) = user_id else {
        return Ok(());
    };
    let me = ctx
        .cal
        .me()
        .await
        .map_err(|e| ToolError::calendar(&e, "looking up the calendar owner"))?;
    if me.id == user_id {
        Ok(())
    } else {
        Err(ToolError(format!(
            "I can only check {}'s calendar (user {}), not user {user_id}.",
            me.name.unwrap_or_else(|| "the business".into()),
            me.id
        )))
    }
}

/// `availability_read`.
pub(crate) async fn availability_read(ctx: &ToolContext, p: AvailabilityReadParams) -> ToolResult {
    let tz = zone_or(ctx, p.time_zone.as_deref())?;
    let now = ctx.clock.now();
    let today = local_today(now, tz);
    let (first, last, said_window) = asked_days(ctx, &p, today, tz)?;
    let window = Window::from_params(&p, today, &said_window)?;
    let event_type_id = event_type_or(ctx, p.event_type_id)?;
    check_host(ctx, p.user_id).await?;
    let all_days = open_days(ctx, event_type_id, first, last, tz, None).await?;
    let days = window.filter(&all_days);
    let (summary, found) = if days.is_empty() && !all_days.is_empty() {
        nothing_in_window(&all_days, &window, first, last, tz)
    } else if days.is_empty() {
        nothing_open(ctx, event_type_id, &window, first, last, tz).await?
    } else {
        (speak_open_days(&days, &window, tz), Found::default())
    };
    let mut out = result_object(summary, now, tz);
    out.insert("eventTypeId".into(), json!(event_type_id));
    out.insert("from".into(), json!(first.to_string()));
    out.insert("to".into(), json!(last.to_string()));
    out.insert(
        "totalOpenTimes".into(),
        json!(days.iter().map(|d| d.starts.len()).sum::<usize>()),
    );
    out.insert(
        "days".into(),
        Value::Array(days.iter().map(day_json).collect()),
    );
    if let Some(next) = found.next_open {
        out.insert("nextOpenDay".into(), next);
    }
    if !window.is_open() {
        out.insert(
            "window".into(),
            json!({
                "after": window.from.map(|t| t.format("%H:%M").to_string()),
                "before": window.to.map(|t| t.format("%H:%M").to_string()),
                "partOfDay": window.part.map(PartOfDay::as_str),
                "around": window.around.map(|t| t.format("%H:%M").to_string()),
            }),
        );
    }
    if !found.nearest_outside.is_empty() {
        out.insert(
            "nearestOutsideWindow".into(),
            Value::Array(
                found
                    .nearest_outside
                    .iter()
                    .map(|t| {
                        json!({
                            "when": format!("{} at {}", speak_date(t.date_naive()), speak_clock(t)),
                            "start": t.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
                        })
                    })
                    .collect(),
            ),
        );
    }
    Ok(Value::Object(out))
}

/// The local days asked about, first to last, and the window of the day said with them:
/// "next week" or "this weekend" is a range on its own, a single day ends where it starts, and no
/// date means the next few days.
fn asked_days(
    ctx: &ToolContext,
    p: &AvailabilityReadParams,
    today: NaiveDate,
    tz: Tz,
) -> Result<(NaiveDate, NaiveDate, DayWindow), ToolError> {
    let (first, said_last, window) = match p.date.given() {
        Some(expr) => {
            let said = resolve_days_said(expr, today, ctx.date_order, tz)?;
            (said.first, Some(said.last), said.window)
        }
        None => (today, None, DayWindow::default()),
    };
    let last = match (p.end_date.given(), said_last) {
        (Some(expr), _) => resolve_days_said(expr, today, ctx.date_order, tz)?.last,
        (None, Some(last)) => last,
        (None, None) => first + Duration::days(3),
    };
    if last < first {
        return Err(ToolError(format!(
            "The end date {} is before the start date {}.",
            speak_date(last),
            speak_date(first)
        )));
    }
    if last < today {
        return Err(ToolError(format!(
            "{} has already passed; today is {}.",
            speak_date(last),
            local_time::speak_full_date(today)
        )));
    }
    let first = first.max(today);
    if (last - first).num_days() >= MAX_RANGE_DAYS {
        return Err(ToolError(format!(
            "That's too many days at once; please ask for at most {MAX_RANGE_DAYS} days."
        )));
    }
    Ok((first, last, window))
}

/// What an answer with no open time in the asked days points to instead.
#[derive(Default)]
struct Found {
    /// The next open day after the range.
    next_open: Option<Value>,
    /// The open times nearest to the window, on the asked days.
    nearest_outside: Vec<DateTime<Tz>>,
}

/// "Monday, November 23" or "Monday, November 23 to Wednesday, November 25".
fn speak_range(first: NaiveDate, last: NaiveDate) -> String {
    if first == last {
        speak_date(first)
    } else {
        format!("{} to {}", speak_date(first), speak_date(last))
    }
}

/// " in the afternoon", or nothing for the whole day.
fn speak_within(window: &Window) -> String {
    if window.is_open() {
        String::new()
    } else {
        format!(" {}", window.describe())
    }
}

/// Open times exist, just not in the window: name the ones closest to it.
fn nothing_in_window(
    all_days: &[DaySlots],
    window: &Window,
    first: NaiveDate,
    last: NaiveDate,
    tz: Tz,
) -> (String, Found) {
    let mut outside: Vec<DateTime<Tz>> = all_days
        .iter()
        .flat_map(|d| d.starts.iter().copied())
        .collect();
    outside.sort_by_key(|t| (window.distance(t.time()), *t));
    outside.truncate(NEAREST_OUTSIDE);
    outside.sort();
    let spoken: Vec<String> = outside
        .iter()
        .map(|t| format!("{} at {}", speak_date(t.date_naive()), speak_clock(t)))
        .collect();
    let summary = format!(
        "Nothing is open {} on {} ({}). The nearest open times outside that window are {}.",
        window.describe(),
        speak_range(first, last),
        local_time::zone_label(tz),
        spoken.join("; ")
    );
    (
        summary,
        Found {
            next_open: None,
            nearest_outside: outside,
        },
    )
}

/// Nothing open at all on the asked days: say something useful instead of a bare "nothing" by
/// finding the next open day.
async fn nothing_open(
    ctx: &ToolContext,
    event_type_id: i64,
    window: &Window,
    first: NaiveDate,
    last: NaiveDate,
    tz: Tz,
) -> Result<(String, Found), ToolError> {
    let from = last + Duration::days(1);
    let later = window.filter(
        &open_days(
            ctx,
            event_type_id,
            from,
            from + Duration::days(LOOKAHEAD_DAYS - 1),
            tz,
            None,
        )
        .await?,
    );
    let within = speak_within(window);
    let range = speak_range(first, last);
    let zone = local_time::zone_label(tz);
    Ok(match later.first() {
        Some(day) => (
            format!(
                "No open times{within} on {range} ({zone}). The next open day is {}.",
                speak_day(day)
            ),
            Found {
                next_open: Some(day_json(day)),
                nearest_outside: Vec::new(),
            },
        ),
        None => (
            format!(
                "No open times{within} on {range} ({zone}) or in the {LOOKAHEAD_DAYS} days after."
            ),
            Found::default(),
        ),
    })
}

/// The open times of the first days, and how many more days have some.
fn speak_open_days(days: &[DaySlots], window: &Window, tz: Tz) -> String {
    let spoken: Vec<String> = days.iter().take(DAYS_SPOKEN).map(speak_day).collect();
    let more_days = days.len().saturating_sub(DAYS_SPOKEN);
    let tail = if more_days > 0 {
        format!(" Open times on {more_days} more days too.")
    } else {
        String::new()
    };
    format!(
        "Open times{} ({}): {}.{tail}",
        speak_within(window),
        local_time::zone_label(tz),
        spoken.join(". ")
    )
}
