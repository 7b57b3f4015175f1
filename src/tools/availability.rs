//! `availability_read`: open times for local days, grouped and capped so they can be spoken.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};

use chrono::NaiveTime;

use super::{
    CallContext, Doing, Given, Say, ToolContext, ToolError, ToolResult,
    params::{AvailabilityReadParams, PartOfDay},
    result_object,
    speech::{DayTimes, Within, times_of},
    zone_or,
};
use crate::calcom::slot_cache::{CallAsking, SlotRange};
use crate::domain::{
    language::Language,
    local_time::{
        DayPart, DayWindow, local_days_bounds, local_today, parse_time_of_day, resolve_days_said,
        speak_at, speak_date, utc_iso,
    },
};

/// Times read out per day before "and N more".
const TIMES_PER_DAY: usize = 6;
/// Days read out in one answer.
const DAYS_SPOKEN: usize = 4;
/// Longest range one call may ask for.
const MAX_RANGE_DAYS: i64 = 14;
/// Days after an empty range searched for the next open day.
const LOOKAHEAD_DAYS: i64 = 14;

/// Days fetched from Cal.com at once, from the first day asked.
const FETCHED_DAYS: i64 = 7;

/// What lets the call keep the open times it fetches: its id, and a read of the calendar version
/// that the slot cache makes only when the version decides something. A call without an id, or
/// a database that does not answer, keeps nothing beyond the short TTL.
fn call_asking<'a>(ctx: &'a ToolContext, call: &CallContext) -> Option<CallAsking<'a>> {
    let call_id = call.call_id.clone()?;
    Some(CallAsking {
        call_id,
        version: Box::pin(async move {
            ctx.db
                .calendar_version()
                .await
                .inspect_err(|err| tracing::warn!(%err, "could not read the calendar version"))
                .ok()
        }),
    })
}

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
        Some(_) => Err(Say::NotBookableType.into()),
        None => ctx
            .default_event_type_id
            .ok_or(ToolError::Say(Say::NoEventType)),
    }
}

/// Fetches open slots for the local days `first..=last` and groups them by local day in `tz`.
///
/// Cal.com reads `start`/`end` as UTC, so the local days are converted to UTC bounds first; the
/// grouping is recomputed from each instant rather than trusting Cal.com's date keys.
///
/// At least a week from `first` is fetched, and kept for the call while the calendar is
/// unchanged (see [`crate::calcom::slot_cache`]): the days a caller asks about next are usually
/// in it, so a whole booking conversation costs one slots request.
pub(crate) async fn open_days(
    ctx: &ToolContext,
    call: &CallContext,
    event_type_id: i64,
    first: NaiveDate,
    last: NaiveDate,
    tz: Tz,
    reschedule_uid: Option<&str>,
) -> Result<Vec<DaySlots>, ToolError> {
    let now = ctx.clock.now();
    let fetched_last = last.max(first + Duration::days(FETCHED_DAYS - 1));
    let (start, end) = local_days_bounds(first, last, tz);
    let start = start.max(now);
    if start >= end {
        return Ok(Vec::new());
    }
    let fetch_end = local_days_bounds(first, fetched_last, tz).1;
    let range = SlotRange {
        start: utc_iso(start),
        end: utc_iso(end - Duration::seconds(1)),
        fetch_end: utc_iso(fetch_end - Duration::seconds(1)),
    };
    let slots = ctx
        .cal
        .slots(
            event_type_id,
            &range,
            tz.name(),
            reschedule_uid,
            call_asking(ctx, call),
        )
        .await
        .map_err(|e| ToolError::calendar(&e, Doing::CheckingOpenTimes))?;
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

/// The first open times of a day, as the answer reads them out.
fn day_times(day: &DaySlots) -> DayTimes {
    DayTimes {
        date: day.date,
        times: day
            .starts
            .iter()
            .take(TIMES_PER_DAY)
            .map(|t| t.time())
            .collect(),
        more: day.starts.len().saturating_sub(TIMES_PER_DAY),
    }
}

fn day_json(day: &DaySlots, lang: Language) -> Value {
    json!({
        "date": day.date.to_string(),
        "day": speak_date(day.date, lang),
        "times": times_of(&day_times(day), lang),
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
    /// The domain's name of the part, to say it back.
    fn said(self) -> DayPart {
        match self {
            PartOfDay::Morning => DayPart::Morning,
            PartOfDay::Afternoon => DayPart::Afternoon,
            PartOfDay::Evening => DayPart::Evening,
        }
    }

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
            return Err(Say::ClosedWindow { from: f, to: t }.into());
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
        lang: Language,
    ) -> Result<Self, ToolError> {
        let after = match p.after.given() {
            Some(expr) => Some(parse_time_of_day(expr, today, lang)?),
            None => None,
        };
        let before = match p.before.given() {
            Some(expr) => Some(parse_time_of_day(expr, today, lang)?),
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
            return Err(Say::WindowConflict {
                date: p.date.given().unwrap_or_default().trim().to_owned(),
                said: said.describe(),
                fields: fields.describe(),
            }
            .into());
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

    /// What the window is, to say back: "in the afternoon", "around 3:00 PM", "after 2:00 PM",
    /// "between 2:00 PM and 4:00 PM".
    fn describe(&self) -> Within {
        if let Some(t) = self.around
            && Window::said(&DayWindow {
                around: Some(t),
                ..DayWindow::default()
            })
            .is_ok_and(|w| (w.from, w.to) == (self.from, self.to))
        {
            return Within::Around(t);
        }
        if let Some(part) = self.part {
            let standard = Window::of(Some(part), None, None).unwrap_or_default();
            if standard.from == self.from && standard.to == self.to {
                return Within::Part(part.said());
            }
        }
        match (self.from, self.to) {
            (Some(f), Some(t)) => Within::Between(f, t),
            (Some(f), None) => Within::After(f),
            (None, Some(t)) => Within::Before(t),
            (None, None) => Within::WholeDay,
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

/// Checks the calendar owner when the model names a host. A caller's refusal names no user id:
/// ids are the staff's business.
async fn check_host(
    ctx: &ToolContext,
    call: &CallContext,
    user_id: Option<i64>,
) -> Result<(), ToolError> {
    let Some(user_id) = user_id else {
        return Ok(());
    };
    let me = ctx
        .cal
        .me()
        .await
        .map_err(|e| ToolError::calendar(&e, Doing::LookingUpOwner))?;
    if me.id == user_id {
        Ok(())
    } else {
        Err(Say::OtherHost {
            owner: me.name,
            owner_id: call.staff.then_some(me.id),
            asked: user_id,
        }
        .into())
    }
}

/// `availability_read`.
pub(crate) async fn availability_read(
    ctx: &ToolContext,
    call: &CallContext,
    p: AvailabilityReadParams,
) -> ToolResult {
    let tz = zone_or(ctx, p.time_zone.as_deref())?;
    let now = ctx.clock.now();
    let today = local_today(now, tz);
    let lang = call.lang;
    let (first, last, said_window) = asked_days(ctx, &p, today, tz, lang)?;
    let window = Window::from_params(&p, today, &said_window, lang)?;
    let event_type_id = event_type_or(ctx, p.event_type_id)?;
    check_host(ctx, call, p.user_id).await?;
    let all_days = open_days(ctx, call, event_type_id, first, last, tz, None).await?;
    let days = window.filter(&all_days);
    let (summary, found) = if days.is_empty() && !all_days.is_empty() {
        nothing_in_window(&all_days, &window, first, last, tz)
    } else if days.is_empty() {
        nothing_open(ctx, call, event_type_id, &window, first, last, tz).await?
    } else {
        (speak_open_days(&days, &window, tz), Found::default())
    };
    let mut out = result_object(summary, call, now, tz);
    out.insert("eventTypeId".into(), json!(event_type_id));
    out.insert("from".into(), json!(first.to_string()));
    out.insert("to".into(), json!(last.to_string()));
    out.insert(
        "totalOpenTimes".into(),
        json!(days.iter().map(|d| d.starts.len()).sum::<usize>()),
    );
    out.insert(
        "days".into(),
        Value::Array(days.iter().map(|d| day_json(d, lang)).collect()),
    );
    if let Some(next) = &found.next_open {
        out.insert("nextOpenDay".into(), day_json(next, lang));
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
                            "when": format!("{} {}", speak_date(t.date_naive(), lang), speak_at(t, lang)),
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
    lang: Language,
) -> Result<(NaiveDate, NaiveDate, DayWindow), ToolError> {
    let (first, said_last, window) = match p.date.given() {
        Some(expr) => {
            let said = resolve_days_said(expr, today, ctx.date_order, tz, lang)?;
            (said.first, Some(said.last), said.window)
        }
        None => (today, None, DayWindow::default()),
    };
    let last = match (p.end_date.given(), said_last) {
        (Some(expr), _) => resolve_days_said(expr, today, ctx.date_order, tz, lang)?.last,
        (None, Some(last)) => last,
        (None, None) => first + Duration::days(3),
    };
    if last < first {
        return Err(Say::EndBeforeStart { first, last }.into());
    }
    if last < today {
        return Err(Say::DaysPassed { last, today }.into());
    }
    let first = first.max(today);
    if (last - first).num_days() >= MAX_RANGE_DAYS {
        return Err(Say::TooManyDays {
            max: MAX_RANGE_DAYS,
        }
        .into());
    }
    Ok((first, last, window))
}

/// What an answer with no open time in the asked days points to instead.
#[derive(Default)]
struct Found {
    /// The next open day after the range.
    next_open: Option<DaySlots>,
    /// The open times nearest to the window, on the asked days.
    nearest_outside: Vec<DateTime<Tz>>,
}

/// Open times exist, just not in the window: name the ones closest to it.
fn nothing_in_window(
    all_days: &[DaySlots],
    window: &Window,
    first: NaiveDate,
    last: NaiveDate,
    tz: Tz,
) -> (Say, Found) {
    let mut outside: Vec<DateTime<Tz>> = all_days
        .iter()
        .flat_map(|d| d.starts.iter().copied())
        .collect();
    outside.sort_by_key(|t| (window.distance(t.time()), *t));
    outside.truncate(NEAREST_OUTSIDE);
    outside.sort();
    let summary = Say::NothingInWindow {
        within: window.describe(),
        first,
        last,
        zone: tz,
        nearest: outside.clone(),
    };
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
    call: &CallContext,
    event_type_id: i64,
    window: &Window,
    first: NaiveDate,
    last: NaiveDate,
    tz: Tz,
) -> Result<(Say, Found), ToolError> {
    let from = last + Duration::days(1);
    let later = window.filter(
        &open_days(
            ctx,
            call,
            event_type_id,
            from,
            from + Duration::days(LOOKAHEAD_DAYS - 1),
            tz,
            None,
        )
        .await?,
    );
    let within = window.describe();
    Ok(match later.into_iter().next() {
        Some(day) => (
            Say::NextOpenDay {
                within,
                first,
                last,
                zone: tz,
                next: day_times(&day),
            },
            Found {
                next_open: Some(day),
                nearest_outside: Vec::new(),
            },
        ),
        None => (
            Say::NothingOpenAhead {
                within,
                first,
                last,
                zone: tz,
                lookahead_days: LOOKAHEAD_DAYS,
            },
            Found::default(),
        ),
    })
}

/// The open times of the first days, and how many more days have some.
fn speak_open_days(days: &[DaySlots], window: &Window, tz: Tz) -> Say {
    Say::OpenTimes {
        within: window.describe(),
        zone: tz,
        days: days.iter().take(DAYS_SPOKEN).map(day_times).collect(),
        more_days: days.len().saturating_sub(DAYS_SPOKEN),
    }
}
