//! Unit tests of the time module: zone rules, speaking, and the grammar table.

use super::*;
use crate::domain::language::Language;

fn parse_start_t(s: &str, tz: Tz, today: NaiveDate) -> Result<DateTime<Utc>, TimeError> {
    parse_start(s, tz, today, None, Language::En)
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn local_wall_time_becomes_utc_across_dst() {
    let ny: Tz = "America/New_York".parse().unwrap();
    let today = d("2026-11-21");
    assert_eq!(
        utc_iso(parse_start_t("2026-11-24T15:00", ny, today).unwrap()),
        "2026-11-24T20:00:00Z"
    );
    assert_eq!(
        utc_iso(parse_start_t("2026-07-01T15:00", ny, today).unwrap()),
        "2026-07-01T19:00:00Z"
    );
    // 2:30 AM does not exist on 2026-03-08 in New York.
    let err = parse_start_t("2026-03-08T02:30", ny, today).unwrap_err();
    assert!(matches!(err, TimeError::Nonexistent { .. }), "{err:?}");
    // 1:30 AM happens twice on 2026-11-01: the first (EDT) one is meant.
    assert_eq!(
        utc_iso(parse_start_t("2026-11-01T01:30", ny, today).unwrap()),
        "2026-11-01T05:30:00Z"
    );
}

#[test]
fn offsets_and_relative_words() {
    let kolkata: Tz = "Asia/Kolkata".parse().unwrap();
    let today = d("2026-11-21"); // a Saturday
    assert_eq!(
        utc_iso(parse_start_t("2026-11-24T15:00:00-05:00", kolkata, today).unwrap()),
        "2026-11-24T20:00:00Z"
    );
    assert_eq!(
        utc_iso(parse_start_t("2026-11-24T20:00Z", kolkata, today).unwrap()),
        "2026-11-24T20:00:00Z"
    );
    assert_eq!(
        utc_iso(parse_start_t("tomorrow 3pm", kolkata, today).unwrap()),
        "2026-11-22T09:30:00Z"
    );
    assert_eq!(
        utc_iso(parse_start_t("next tuesday at 9:30 am", kolkata, today).unwrap()),
        "2026-11-24T04:00:00Z"
    );
    assert_eq!(
        resolve_date("saturday", today, None, Language::En).unwrap(),
        today
    );
    assert_eq!(
        resolve_date("next saturday", today, None, Language::En).unwrap(),
        d("2026-11-28")
    );
    assert!(parse_start_t("someday", kolkata, today).is_err());
}

#[test]
fn day_bounds_follow_the_local_day() {
    let ny: Tz = "America/New_York".parse().unwrap();
    let (start, end) = local_days_bounds(d("2026-11-01"), d("2026-11-01"), ny);
    assert_eq!(utc_iso(start), "2026-11-01T04:00:00Z");
    assert_eq!(utc_iso(end), "2026-11-02T05:00:00Z"); // 25-hour day
    let lord_howe: Tz = "Australia/Lord_Howe".parse().unwrap();
    let (start, _) = local_days_bounds(d("2026-11-24"), d("2026-11-24"), lord_howe);
    assert_eq!(utc_iso(start), "2026-11-23T13:00:00Z"); // +11:00 in summer
    // Santiago skips midnight when DST starts (2026-09-06): the day starts at 01:00.
    let santiago: Tz = "America/Santiago".parse().unwrap();
    let (start, _) = local_days_bounds(d("2026-09-06"), d("2026-09-06"), santiago);
    assert_eq!(
        start.with_timezone(&santiago).format("%H:%M").to_string(),
        "01:00"
    );
}

#[test]
fn speaks_local_times() {
    let auckland: Tz = "Pacific/Auckland".parse().unwrap();
    let at = DateTime::parse_from_rfc3339("2026-11-24T20:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    assert_eq!(
        speak_instant(at, auckland, Language::En),
        "Wednesday, November 25 at 9:00 AM NZDT"
    );
    assert_eq!(zone_label(auckland, Language::En), "Auckland time");
    assert_eq!(zone_label(auckland, Language::Es), "hora de Auckland");
}

fn zone(name: &str) -> Tz {
    name.parse().unwrap()
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// Reads every case of a table in every zone; the readings that differ from the expected instant
/// or sentence (said in `lang`), one a line.
fn table_failures(cases: &[cases::Case], lang: Language) -> Vec<String> {
    use cases::{Expect, SCENARIOS, ZONES};
    let mut failures = Vec::new();
    for case in cases {
        let scenario = &SCENARIOS[case.scenario];
        for (z, expect) in ZONES.iter().zip(&case.expect) {
            let tz = zone(z);
            let today = local_today(utc(scenario.now), tz);
            // The pinned clock falls on the same local date everywhere, so one table serves all zones.
            assert_eq!(today.to_string(), scenario.today, "{}", scenario.name);
            let got = parse_start(case.input, tz, today, None, lang);
            let ok = match (expect, &got) {
                (Expect::At(want), Ok(at)) => utc_iso(*at) == *want,
                (Expect::Says(want), Err(e)) => e.spoken(lang) == *want,
                _ => false,
            };
            if !ok {
                let want = match expect {
                    Expect::At(s) | Expect::Says(s) => s,
                };
                let got = got.map(utc_iso).map_err(|e| e.spoken(lang));
                failures.push(format!(
                    "[{}] {:?} (local {}) in {z}: want {want}, got {got:?}",
                    scenario.name, case.input, case.local
                ));
            }
        }
    }
    failures
}

/// Every expression of the table, in every zone, gives exactly the expected instant or sentence.
#[test]
fn the_grammar_table_reads_as_expected_in_three_zones() {
    assert!(
        cases::CASES.len() >= 150,
        "the table has {} cases",
        cases::CASES.len()
    );
    let failures = table_failures(cases::CASES, Language::En);
    assert!(
        failures.is_empty(),
        "{} of {} readings differ:\n{}",
        failures.len(),
        cases::CASES.len() * 3,
        failures.join("\n")
    );
}

/// The same for the Spanish table, read with the Spanish tables and answered in Spanish.
#[test]
fn the_spanish_table_reads_as_expected_in_three_zones() {
    let cases = cases_es::CASES_ES;
    assert!(cases.len() >= 100, "the table has {} cases", cases.len());
    let failures = table_failures(cases, Language::Es);
    assert!(
        failures.is_empty(),
        "{} of {} readings differ:\n{}",
        failures.len(),
        cases.len() * 3,
        failures.join("\n")
    );
}

#[test]
fn numeric_dates_follow_the_business_date_order() {
    let ny = zone("America/New_York");
    let today = d("2026-11-23");
    let ask = parse_start("12/03/2027 at 2pm", ny, today, None, Language::En).unwrap_err();
    assert!(matches!(ask, TimeError::Ambiguous { .. }), "{ask:?}");
    assert_eq!(
        utc_iso(
            parse_start(
                "12/03/2027 at 2pm",
                ny,
                today,
                Some(DateOrder::Mdy),
                Language::En
            )
            .unwrap()
        ),
        "2027-12-03T19:00:00Z"
    );
    assert_eq!(
        utc_iso(
            parse_start(
                "12/03/2027 at 2pm",
                ny,
                today,
                Some(DateOrder::Dmy),
                Language::En
            )
            .unwrap()
        ),
        "2027-03-12T19:00:00Z"
    );
    // The configured order cannot make an impossible reading: 13/03 is March 13 either way.
    assert_eq!(
        resolve_date("13/03/2027", today, Some(DateOrder::Mdy), Language::En).unwrap(),
        d("2027-03-13")
    );
    assert_eq!("dmy".parse::<DateOrder>(), Ok(DateOrder::Dmy));
    assert!("YMD".parse::<DateOrder>().is_err());
}

#[test]
fn ranges_of_days_for_availability() {
    let monday = d("2026-11-23");
    let cases = [
        ("next week", "2026-11-30", "2026-12-06"),
        ("this week", "2026-11-23", "2026-11-29"),
        ("this weekend", "2026-11-28", "2026-11-29"),
        ("the weekend", "2026-11-28", "2026-11-29"),
        ("next weekend", "2026-12-05", "2026-12-06"),
        ("December 1", "2026-12-01", "2026-12-01"),
        ("tomorrow", "2026-11-24", "2026-11-24"),
        ("friday", "2026-11-27", "2026-11-27"),
        ("in 2 weeks", "2026-12-07", "2026-12-07"),
        ("the 3rd", "2026-12-03", "2026-12-03"),
        ("12/13", "2026-12-13", "2026-12-13"),
        ("early next week", "2026-11-30", "2026-12-02"),
        ("the week after next", "2026-12-07", "2026-12-13"),
        ("tomorrow afternoon", "2026-11-24", "2026-11-24"),
    ];
    for (expr, first, last) in cases {
        assert_eq!(
            resolve_days(expr, monday, None, Language::En),
            Ok((d(first), d(last))),
            "{expr}"
        );
    }
    // On a Sunday "this weekend" is what is left of it: today.
    let sunday = d("2026-11-29");
    assert_eq!(
        resolve_days("this weekend", sunday, None, Language::En),
        Ok((sunday, sunday))
    );
    assert_eq!(
        resolve_days("next weekend", sunday, None, Language::En),
        Ok((d("2026-12-05"), d("2026-12-06")))
    );
    // New Year's Eve: next week is in the new year.
    assert_eq!(
        resolve_days("next week", d("2026-12-31"), None, Language::En),
        Ok((d("2027-01-04"), d("2027-01-10")))
    );
    let err = resolve_days("whenever", monday, None, Language::En).unwrap_err();
    assert_eq!(
        err.to_string(),
        "I couldn't understand 'whenever' as a date. Please say it like 'tomorrow' or 'December 3'."
    );
}

/// Holidays kept in one country: a date where the business is, a question elsewhere.
#[test]
fn regional_holidays_follow_the_business_zone() {
    let monday = d("2026-11-23");
    let at =
        |said: &str, z: &str| parse_start(said, zone(z), monday, None, Language::En).map(utc_iso);
    assert_eq!(
        at("Boxing Day at 10", "Europe/London"),
        Ok("2026-12-26T10:00:00Z".into())
    );
    assert_eq!(
        at("Thanksgiving at 10", "America/Chicago"),
        Ok("2026-11-26T16:00:00Z".into())
    );
    assert_eq!(
        at("Thanksgiving at 10", "America/Los_Angeles"),
        Ok("2026-11-26T18:00:00Z".into())
    );
    let asked = at("Thanksgiving at 10", "Europe/London")
        .unwrap_err()
        .to_string();
    assert_eq!(
        asked,
        "Thanksgiving is Thursday, November 26, 2026 in the US. Is that the day the caller meant?"
    );
    // Without a zone (a day asked about by the date alone) a regional holiday is a question too.
    let err = resolve_days("boxing day", monday, None, Language::En).unwrap_err();
    assert!(err.is_question(), "{err}");
}

/// The window said with the days, for availability.
#[test]
fn windows_said_with_the_days() {
    let monday = d("2026-11-23");
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0);
    let ny = zone("America/New_York");
    let read = |said: &str| resolve_days_said(said, monday, None, ny, Language::En).unwrap();
    let tonight = read("tonight");
    assert_eq!(
        (tonight.first, tonight.window.part),
        (monday, Some(DayPart::Evening))
    );
    let after = read("after 4 on Thursday");
    assert_eq!(
        (after.first, after.window.after),
        (d("2026-11-26"), t(16, 0))
    );
    let before = read("before noon tomorrow");
    assert_eq!(
        (before.first, before.window.before),
        (d("2026-11-24"), t(12, 0))
    );
    let around = read("around 3 tomorrow");
    assert_eq!(around.window.around, t(15, 0));
    let any = read("any afternoon next week");
    assert_eq!(
        (any.first, any.last, any.window.part),
        (d("2026-11-30"), d("2026-12-06"), Some(DayPart::Afternoon))
    );
    // An exact time leaves the whole day, as the date field always did.
    assert!(read("tomorrow at 3").window.is_whole_day());
}

#[test]
fn times_of_day_alone() {
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    for (expr, want) in [
        ("3pm", t(15, 0)),
        ("3", t(15, 0)),
        ("9", t(9, 0)),
        ("15:30", t(15, 30)),
        ("noon", t(12, 0)),
        ("half past 3", t(15, 30)),
        ("quarter to 5", t(16, 45)),
        ("5:30 pm", t(17, 30)),
        ("10 in the morning", t(10, 0)),
        ("after 4", t(16, 0)),
        ("three thirty", t(15, 30)),
        ("half two", t(14, 30)),
    ] {
        assert_eq!(
            parse_time_of_day(expr, d("2026-11-23"), Language::En),
            Ok(want),
            "{expr}"
        );
    }
    let err = parse_time_of_day("tomorrow at 3", d("2026-11-23"), Language::En).unwrap_err();
    assert_eq!(
        err.to_string(),
        "I understood 'tomorrow at 3' as Tuesday, November 24, 2026 at 3:00 PM, but not a time of day on its own. Please say a time of day like '3pm' or 'half past 10'."
    );
}

proptest::proptest! {
    /// No input, however odd, makes the grammar panic.
    #[test]
    fn no_input_panics(input in "\\PC{0,40}", words in proptest::collection::vec(
        proptest::sample::select(vec![
            "at", "the", "next", "this", "in", "days", "weeks", "of", "past", "to", "half", "quarter",
            "noon", "midnight", "pm", "am", "o'clock", "december", "feb", "29th", "31", "0", "00:00",
            "12/13", "99/99/99", "2026-02-29", "tomorrow", "weekend", "week", "tonight", "morning",
            "friday", "4294967295", "-1", "3.30", "24:00", "twenty-first", "a",
        ]),
        0..8,
    )) {
        let tz = zone("Pacific/Auckland");
        for today in [d("2026-11-23"), d("2026-12-31"), d("2028-02-29")] {
            for text in [input.as_str(), &words.join(" ")] {
                let _ = parse_start(text, tz, today, None, Language::En);
                let _ = parse_start(text, tz, today, Some(DateOrder::Dmy), Language::En);
                let _ = resolve_days(text, today, None, Language::En);
                let _ = parse_time_of_day(text, today, Language::En);
            }
        }
    }
}
