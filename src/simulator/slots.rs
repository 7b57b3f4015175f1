//! `GET /v2/slots` (version 2024-09-04): schedule slots of an event type minus bookings and notice,
//! in UTC or a requested zone, across DST changes.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value, json};

use super::EventTypeSpec;
use super::routing::{Ctx, HandlerResult};
use super::state::State;
use super::text::{iso_ms, parse_iso};

/// All schedule slots (ignoring bookings and notice) whose start lies in `[from, to]`.
pub(super) fn candidate_slots(
    et: &EventTypeSpec,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut out = Vec::new();
    if et.length_minutes <= 0 || to < from {
        return out;
    }
    let tz = et.time_zone;
    let len = chrono::Duration::minutes(et.length_minutes);
    let first = from.with_timezone(&tz).date_naive() - chrono::Duration::days(1);
    let last = to.with_timezone(&tz).date_naive() + chrono::Duration::days(1);
    // Guard against absurd ranges (a decade of slots is not useful to anyone).
    let last = last.min(first + chrono::Duration::days(1500));
    let day_start = i64::from(et.start_hour) * 60;
    let day_end = i64::from(et.end_hour.min(24)) * 60;
    let mut date = first;
    while date <= last {
        if et.weekdays.contains(&date.weekday()) {
            let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
            let mut minute = day_start;
            while minute + et.length_minutes <= day_end {
                let local = midnight + chrono::Duration::minutes(minute);
                // Nonexistent local times (spring-forward gap) are skipped; ambiguous ones take
                // the earlier instant.
                if let Some(start) = tz.from_local_datetime(&local).earliest() {
                    let start = start.with_timezone(&Utc);
                    if start >= from && start <= to {
                        out.push((start, start + len));
                    }
                }
                minute += et.length_minutes;
            }
        }
        match date.succ_opt() {
            Some(d) => date = d,
            None => break,
        }
    }
    out
}

pub(super) fn get_slots(st: &State, ctx: &Ctx<'_>) -> HandlerResult {
    let et_id = match (ctx.q("eventTypeId"), ctx.q("eventTypeSlug")) {
        (Some(raw), _) => raw
            .trim()
            .parse::<i64>()
            .map_err(|_| ctx.err(400, "eventTypeId must be an integer number"))?,
        (None, Some(slug)) => {
            let username = ctx.q("username").unwrap_or_default();
            st.event_types
                .iter()
                .find(|e| e.slug == slug && username == st.me.username)
                .map(|e| e.id)
                .ok_or_else(|| ctx.err(404, "Event Type not found"))?
        }
        (None, None) => {
            return Err(ctx.err(
                400,
                "Either eventTypeId or eventTypeSlug + username or eventTypeSlug + teamSlug or usernames must be provided",
            ));
        }
    };
    let raw_start = ctx
        .q("start")
        .ok_or_else(|| ctx.err(400, "start must be a valid ISO 8601 date string"))?;
    let raw_end = ctx
        .q("end")
        .ok_or_else(|| ctx.err(400, "end must be a valid ISO 8601 date string"))?;
    // The UTC-day trap: date-only bounds are whole *UTC* days, whatever `timeZone` says.
    let start = parse_slot_bound(raw_start, false)
        .ok_or_else(|| ctx.err(400, "start must be a valid ISO 8601 date string"))?;
    let end = parse_slot_bound(raw_end, true)
        .ok_or_else(|| ctx.err(400, "end must be a valid ISO 8601 date string"))?;
    let out_tz = match ctx.q("timeZone").filter(|s| !s.trim().is_empty()) {
        Some(name) => Some(
            name.trim()
                .parse::<Tz>()
                .map_err(|_| ctx.err(400, "timeZone must be a valid IANA time-zone"))?,
        ),
        None => None,
    };
    let range = match ctx.q("format") {
        None | Some("time") => false,
        Some("range") => true,
        Some(_) => {
            return Err(ctx.err(
                400,
                "format must be one of the following values: range, time",
            ));
        }
    };
    if end < start {
        return Err(ctx.err(
            400,
            "Invalid time range given - check the 'start' and 'end' query parameters.",
        ));
    }
    let et = st
        .event_type(et_id)
        .ok_or_else(|| ctx.err(404, "Event Type not found"))?;
    // Held times are left out of the listing (not out of bookings: see `reservations`).
    let slots: Vec<_> = st
        .open_slots(et, start, end, ctx.now, ctx.q("bookingUidToReschedule"))
        .into_iter()
        .filter(|(s, e)| !st.is_held(et.id, *s, *e, ctx.now))
        .collect();
    let mut data = Map::new();
    for (s, e) in slots {
        let key = match out_tz {
            Some(tz) => s.with_timezone(&tz).format("%Y-%m-%d").to_string(),
            None => s.format("%Y-%m-%d").to_string(),
        };
        let mut slot = Map::new();
        slot.insert("start".into(), json!(fmt_in_zone(s, out_tz)));
        if range {
            slot.insert("end".into(), json!(fmt_in_zone(e, out_tz)));
        }
        if let Value::Array(list) = data.entry(key).or_insert_with(|| json!([])) {
            list.push(Value::Object(slot));
        }
    }
    Ok((200, json!({"status": "success", "data": data})))
}

pub(super) fn parse_slot_bound(raw: &str, is_end: bool) -> Option<DateTime<Utc>> {
    let raw = raw.trim().replace(' ', "+");
    if let Ok(date) = NaiveDate::parse_from_str(&raw, "%Y-%m-%d") {
        let time = if is_end {
            date.and_hms_opt(23, 59, 59)?
        } else {
            date.and_hms_opt(0, 0, 0)?
        };
        return Some(time.and_utc());
    }
    parse_iso(&raw)
}

pub(super) fn is_utc_zone(tz: Tz) -> bool {
    matches!(
        tz.name(),
        "UTC"
            | "Etc/UTC"
            | "Etc/UCT"
            | "UCT"
            | "Etc/Universal"
            | "Universal"
            | "Etc/Zulu"
            | "Zulu"
            | "Etc/GMT"
            | "GMT"
            | "Etc/GMT0"
            | "GMT0"
            | "Etc/GMT+0"
            | "Etc/GMT-0"
            | "GMT+0"
            | "GMT-0"
            | "Etc/Greenwich"
            | "Greenwich"
    )
}

/// Luxon-style ISO with milliseconds: `…Z` for UTC, otherwise the zone's offset.
pub(super) fn fmt_in_zone(t: DateTime<Utc>, tz: Option<Tz>) -> String {
    match tz {
        Some(tz) if !is_utc_zone(tz) => t
            .with_timezone(&tz)
            .format("%Y-%m-%dT%H:%M:%S%.3f%:z")
            .to_string(),
        _ => iso_ms(t),
    }
}
