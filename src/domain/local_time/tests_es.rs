//! Unit tests of the Spanish half of the time module: days, windows and times of day read from
//! Spanish, every refusal and question said in Spanish, and the examples offered in each language
//! read back by the grammar of that language.

use super::*;
use crate::domain::language::Language;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn zone(name: &str) -> Tz {
    name.parse().unwrap()
}

const ES: Language = Language::Es;

#[test]
fn spanish_days_and_ranges() {
    let monday = d("2026-11-23");
    for (said, first, last) in [
        ("la semana que viene", "2026-11-30", "2026-12-06"),
        ("la próxima semana", "2026-11-30", "2026-12-06"),
        ("la semana próxima", "2026-11-30", "2026-12-06"),
        ("esta semana", "2026-11-23", "2026-11-29"),
        ("este fin de semana", "2026-11-28", "2026-11-29"),
        ("el fin de semana", "2026-11-28", "2026-11-29"),
        ("el fin de semana que viene", "2026-12-05", "2026-12-06"),
        ("el próximo fin de semana", "2026-12-05", "2026-12-06"),
        (
            "a principios de la semana que viene",
            "2026-11-30",
            "2026-12-02",
        ),
        ("mañana", "2026-11-24", "2026-11-24"),
        ("manana", "2026-11-24", "2026-11-24"),
        ("pasado mañana", "2026-11-25", "2026-11-25"),
        ("hoy", "2026-11-23", "2026-11-23"),
        ("el viernes", "2026-11-27", "2026-11-27"),
        ("el martes que viene", "2026-11-24", "2026-11-24"),
        ("dentro de dos semanas", "2026-12-07", "2026-12-07"),
        ("en una semana", "2026-11-30", "2026-11-30"),
        ("de hoy en ocho", "2026-11-30", "2026-11-30"),
        ("el tres", "2026-12-03", "2026-12-03"),
        ("el 3 de diciembre", "2026-12-03", "2026-12-03"),
        (
            "el lunes de la semana que viene",
            "2026-11-30",
            "2026-11-30",
        ),
        ("mañana por la tarde", "2026-11-24", "2026-11-24"),
        ("Nochebuena", "2026-12-24", "2026-12-24"),
        ("el día de Reyes", "2027-01-06", "2027-01-06"),
    ] {
        assert_eq!(
            resolve_days(said, monday, None, ES),
            Ok((d(first), d(last))),
            "{said}"
        );
    }
    let err = resolve_days("cuando sea", monday, None, ES).unwrap_err();
    assert_eq!(
        err.spoken(ES),
        "No entendí 'cuando sea' como una fecha. Dígalo así: 'mañana' o '3 de diciembre'."
    );
}

#[test]
fn spanish_windows_said_with_the_days() {
    let monday = d("2026-11-23");
    let ny = zone("America/New_York");
    let read = |said: &str| resolve_days_said(said, monday, None, ny, ES).unwrap();
    let tonight = read("esta noche");
    assert_eq!(
        (tonight.first, tonight.window.part),
        (monday, Some(DayPart::Evening))
    );
    let after = read("después de las 4 el jueves");
    assert_eq!(
        (after.first, after.window.after),
        (d("2026-11-26"), Some(t(16, 0)))
    );
    let before = read("antes del mediodía mañana");
    assert_eq!(
        (before.first, before.window.before),
        (d("2026-11-24"), Some(t(12, 0)))
    );
    assert_eq!(
        read("alrededor de las 3 mañana").window.around,
        Some(t(15, 0))
    );
    let any = read("cualquier tarde de la semana que viene");
    assert_eq!(
        (any.first, any.last, any.window.part),
        (d("2026-11-30"), d("2026-12-06"), Some(DayPart::Afternoon))
    );
    let morning = read("el sábado por la mañana");
    assert_eq!(
        (morning.first, morning.window.part),
        (d("2026-11-28"), Some(DayPart::Morning))
    );
    for said in [
        "entre las 2 y las 4 el jueves",
        "de 2 a 4 el jueves",
        "el jueves de las 2 a las 4",
    ] {
        let between = read(said);
        assert_eq!(
            (between.first, between.window.after, between.window.before),
            (d("2026-11-26"), Some(t(14, 0)), Some(t(16, 0))),
            "{said}"
        );
    }
    let from = read("mañana a partir de las 4");
    assert_eq!(
        (from.first, from.window.after),
        (d("2026-11-24"), Some(t(16, 0)))
    );
    let mid = read("el viernes a media mañana");
    assert_eq!(
        (mid.first, mid.window.part, mid.window.after),
        (d("2026-11-27"), Some(DayPart::Morning), Some(t(10, 0)))
    );
    assert!(read("mañana a las 3").window.is_whole_day());
}

#[test]
fn spanish_times_of_day_alone() {
    let today = d("2026-11-23");
    for (said, want) in [
        ("las 3 de la tarde", t(15, 0)),
        ("a las 3", t(15, 0)),
        ("las 9", t(9, 0)),
        ("15:30", t(15, 30)),
        ("mediodía", t(12, 0)),
        ("medianoche", t(0, 0)),
        ("las tres y media", t(15, 30)),
        ("las cinco menos cuarto", t(16, 45)),
        ("las 10 de la mañana", t(10, 0)),
        ("después de las 4", t(16, 0)),
        ("las diez y cuarto", t(10, 15)),
        ("las once y veinte", t(11, 20)),
        ("la una", t(13, 0)),
        ("las 8 de la noche", t(20, 0)),
        ("las nueve en punto", t(9, 0)),
    ] {
        assert_eq!(parse_time_of_day(said, today, ES), Ok(want), "{said}");
    }
    let err = parse_time_of_day("mañana a las 3", today, ES).unwrap_err();
    assert_eq!(
        err.spoken(ES),
        "Entendí 'mañana a las 3' como el martes 24 de noviembre de 2026 a las tres de la tarde, pero no una hora sin fecha. Diga una hora del día así: 'las 3 de la tarde' o 'las 10 y media'."
    );
}

/// The business in London: its holidays, and its clocks going forward (singular "la una").
#[test]
fn spanish_in_london() {
    let london = zone("Europe/London");
    let at = |said: &str, today: &str| {
        parse_start(said, london, d(today), None, ES)
            .map(utc_iso)
            .map_err(|e| e.spoken(ES))
    };
    assert_eq!(
        at("mañana a las 3 de la tarde", "2026-11-23"),
        Ok("2026-11-24T15:00:00Z".into())
    );
    assert_eq!(
        at("el Boxing Day a las 10", "2026-11-23"),
        Ok("2026-12-26T10:00:00Z".into())
    );
    assert_eq!(
        at("mañana a la una y media de la madrugada", "2027-03-27"),
        Err("La una y media de la madrugada del domingo 28 de marzo (hora de London) no existe porque esa noche se adelantan los relojes; elija otra hora.".into())
    );
    assert_eq!(
        at("Acción de Gracias a las 10", "2026-11-23"),
        Err("El Día de Acción de Gracias es el jueves 26 de noviembre de 2026 en Estados Unidos. ¿Es ese el día que quiso decir el cliente?".into())
    );
}

/// The examples offered with a refusal are read by the grammar of their own language.
#[test]
fn the_examples_read_in_their_language() {
    let today = d("2026-11-23");
    let ny = zone("America/New_York");
    for lang in Language::ALL {
        for wanted in [Wanted::Time, Wanted::Date, Wanted::TimeOfDay] {
            let (a, b) = wanted.examples(lang);
            for example in [a, b] {
                let read = match wanted {
                    Wanted::Time => parse_start(example, ny, today, None, lang).map(|_| ()),
                    Wanted::Date => resolve_days(example, today, None, lang).map(|_| ()),
                    Wanted::TimeOfDay => parse_time_of_day(example, today, lang).map(|_| ()),
                };
                assert_eq!(read, Ok(()), "{lang} {wanted:?} {example}");
            }
        }
    }
}

/// One of every error, with every kind of value it carries.
fn every_error() -> Vec<TimeError> {
    let date = d("2026-12-03");
    let understood = Understood {
        days: Some(Days::One(date)),
        part: Some(DayPart::Afternoon),
        after: Some(t(14, 0)),
        before: Some(t(16, 0)),
        time: Some(t(15, 0)),
        approx: true,
    };
    let mut errors = vec![
        TimeError::Ambiguous {
            input: "el 12/03".into(),
            first: date,
            second: d("2027-03-12"),
        },
        TimeError::NoSuchDate(DayName::MonthDay(2, 30)),
        TimeError::NoSuchDate(DayName::DayOfMonth(32)),
        TimeError::NoSuchDate(DayName::Numeric("31/02".into())),
        TimeError::WrongWeekday {
            date,
            said: chrono::Weekday::Fri,
        },
        TimeError::Nonexistent {
            time: t(2, 30),
            date: d("2027-03-28"),
            zone: zone("Europe/Madrid"),
        },
        TimeError::Past {
            input: "ayer".into(),
            date: Passed::Day(d("2026-11-22")),
        },
        TimeError::Past {
            input: "la semana pasada".into(),
            date: Passed::WeekOf(d("2026-11-16")),
        },
        TimeError::RecentlyPassed {
            input: "el 30 de noviembre".into(),
            what: DayName::MonthDay(11, 30),
            passed: d("2026-11-30"),
            next: d("2027-11-30"),
        },
        TimeError::Approximate {
            input: "sobre las 3".into(),
            understood,
            exact: t(15, 0),
        },
        TimeError::BadZone("Marte/Olimpo".into()),
    ];
    for region in [Region::Us, Region::Uk] {
        errors.push(TimeError::RegionalHoliday {
            input: "ese día".into(),
            name: Holiday::IndependenceDay,
            date,
            region,
        });
    }
    for h in Holiday::ALL {
        errors.push(TimeError::RecentlyPassed {
            input: "ese día".into(),
            what: DayName::Holiday(h),
            passed: d("2026-11-30"),
            next: d("2027-11-30"),
        });
    }
    let understood = [
        None,
        Some(understood),
        Some(Understood {
            days: Some(Days::Range(date, d("2026-12-06"))),
            ..Understood::default()
        }),
        Some(Understood {
            after: Some(t(9, 0)),
            ..Understood::default()
        }),
        Some(Understood {
            before: Some(t(12, 0)),
            part: Some(DayPart::Morning),
            ..Understood::default()
        }),
        Some(Understood {
            part: Some(DayPart::Evening),
            time: Some(t(20, 0)),
            ..Understood::default()
        }),
    ];
    let missing = [
        Missing::Words("con pedro".into()),
        Missing::TheRest,
        Missing::WhichDay,
        Missing::ExactTime,
        Missing::TimeOfDay,
        Missing::TimeAlone,
        Missing::ADay,
    ];
    for wanted in [Wanted::Time, Wanted::Date, Wanted::TimeOfDay] {
        for u in understood {
            for m in &missing {
                errors.push(TimeError::Unparseable {
                    wanted,
                    input: "mañana".into(),
                    understood: u,
                    missing: m.clone(),
                });
            }
        }
    }
    errors
}

/// Words of the English sentences that Spanish never uses.
const ENGLISH: &[&str] = &[
    "the",
    "is",
    "at",
    "on",
    "and",
    "or",
    "not",
    "which",
    "caller",
    "mean",
    "meant",
    "please",
    "day",
    "days",
    "time",
    "date",
    "understood",
    "understand",
    "would",
    "has",
    "have",
    "already",
    "passed",
    "there",
    "of",
    "in",
    "it",
    "like",
    "say",
    "exactly",
    "around",
    "about",
    "open",
    "times",
    "could",
    "week",
    "before",
    "after",
    "between",
    "morning",
    "afternoon",
    "evening",
    "tomorrow",
    "pm",
    "am",
    "this",
    "next",
    "year",
    "years",
    "was",
    "that",
    "check",
    "doesn",
    "exist",
    "clocks",
    "forward",
    "night",
    "pick",
    "another",
    "only",
    "approximate",
    "offer",
    "zone",
    "know",
    "name",
    "us",
    "uk",
    "couldn",
    "but",
    "rest",
    "own",
    "its",
    "christmas",
    "eve",
    "new",
    "valentine",
    "easter",
    "good",
    "friday",
    "thanksgiving",
    "independence",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "december",
    "november",
];

/// Every error says a Spanish sentence in Spanish, with no English word left but the names
/// Spanish keeps (Boxing Day, Halloween, the zone's IANA name), and differs from its English.
#[test]
fn every_error_speaks_spanish() {
    for e in every_error() {
        let es = e.spoken(ES);
        assert_ne!(es, e.to_string(), "{e:?}");
        assert_eq!(e.spoken(Language::En), e.to_string(), "{e:?}");
        let kept = es
            .replace("Boxing Day", "")
            .replace("America/New_York", "")
            .to_lowercase();
        let english: Vec<&str> = kept
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| ENGLISH.contains(w))
            .collect();
        assert!(english.is_empty(), "{english:?} in {es:?}");
    }
}

proptest::proptest! {
    /// No input, however odd, makes the Spanish grammar panic.
    #[test]
    fn no_spanish_input_panics(input in "\\PC{0,40}", words in proptest::collection::vec(
        proptest::sample::select(vec![
            "a", "las", "la", "el", "de", "del", "y", "menos", "media", "cuarto", "mañana",
            "pasado", "que", "viene", "próximo", "este", "dentro", "en", "una", "semana", "días",
            "fin", "por", "tarde", "noche", "mediodía", "tres", "treinta", "cinco", "99", "0",
            "martes", "diciembre", "entre", "hasta", "sobre", "Navidad", "año", "nuevo", "12/13",
            "15:30", "hoy", "ocho", "día", "primero", "24:00", "4294967295",
        ]),
        0..8,
    )) {
        let tz = zone("Pacific/Auckland");
        for today in [d("2026-11-23"), d("2026-12-31"), d("2028-02-29")] {
            for text in [input.as_str(), &words.join(" ")] {
                let _ = parse_start(text, tz, today, None, ES).map_err(|e| e.spoken(ES));
                let _ = resolve_days(text, today, None, ES);
                let _ = parse_time_of_day(text, today, ES);
            }
        }
    }
}
