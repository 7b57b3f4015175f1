//! Days and times said back to a caller, in their language: "Wednesday, December 2 at 3:30 PM
//! EST" in English, "miércoles 2 de diciembre a las tres y media de la tarde (EST)" in Spanish.
//!
//! English keeps digits ("3:30 PM"), which every voice reads well; Spanish spells the time out the
//! way people say it ("las cuatro menos cuarto de la tarde"), because voices read "15:45" as a
//! number rather than as a time of day.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc, Weekday};
use chrono_tz::Tz;

use crate::domain::language::Language;

/// "Saturday, November 21, 2026" / "sábado 21 de noviembre de 2026".
pub fn speak_full_date(date: NaiveDate, lang: Language) -> String {
    match lang {
        Language::En => date.format("%A, %B %-d, %Y").to_string(),
        Language::Es => format!("{} de {}", speak_date(date, lang), date.year()),
    }
}

/// "Tuesday, November 24" / "martes 24 de noviembre".
pub fn speak_date(date: NaiveDate, lang: Language) -> String {
    match lang {
        Language::En => date.format("%A, %B %-d").to_string(),
        Language::Es => format!(
            "{} {} de {}",
            weekday_es(date.weekday()),
            date.day(),
            MONTHS_ES[date.month0() as usize]
        ),
    }
}

/// "3:00 PM" / "las tres de la tarde".
pub fn speak_clock(local: &DateTime<Tz>, lang: Language) -> String {
    speak_time(local.time(), lang)
}

/// A wall time alone: "3:00 PM" / "las tres de la tarde".
pub fn speak_time(time: chrono::NaiveTime, lang: Language) -> String {
    match lang {
        Language::En => time.format("%-I:%M %p").to_string(),
        Language::Es => clock_es(time.hour(), time.minute()),
    }
}

/// "Tuesday, November 24 at 3:00 PM EST" / "martes 24 de noviembre a las tres de la tarde (EST)".
pub fn speak_instant(at: DateTime<Utc>, tz: Tz, lang: Language) -> String {
    let local = at.with_timezone(&tz);
    let (date, clock, zone) = (
        speak_date(local.date_naive(), lang),
        speak_clock(&local, lang),
        local.format("%Z"),
    );
    match lang {
        Language::En => format!("{date} at {clock} {zone}"),
        Language::Es => format!("{date} a {clock} ({zone})"),
    }
}

/// "at 3:00 PM" / "a las tres de la tarde": a time as it follows a day.
pub fn speak_at(local: &DateTime<Tz>, lang: Language) -> String {
    match lang {
        Language::En => format!("at {}", speak_clock(local, lang)),
        Language::Es => format!("a {}", speak_clock(local, lang)),
    }
}

/// The weekday's name, capitalised as each language writes it mid-sentence.
pub fn weekday_name(day: Weekday, lang: Language) -> &'static str {
    match lang {
        Language::En => super::tokens::weekday_name(day),
        Language::Es => weekday_es(day),
    }
}

fn weekday_es(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "lunes",
        Weekday::Tue => "martes",
        Weekday::Wed => "miércoles",
        Weekday::Thu => "jueves",
        Weekday::Fri => "viernes",
        Weekday::Sat => "sábado",
        Weekday::Sun => "domingo",
    }
}

/// Spanish month names, lowercase as Spanish writes them.
pub(super) const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

/// Spanish numbers 0–29 as words (each one word); 30 and up are built from tens.
const NUMBERS_ES: [&str; 30] = [
    "cero",
    "uno",
    "dos",
    "tres",
    "cuatro",
    "cinco",
    "seis",
    "siete",
    "ocho",
    "nueve",
    "diez",
    "once",
    "doce",
    "trece",
    "catorce",
    "quince",
    "dieciséis",
    "diecisiete",
    "dieciocho",
    "diecinueve",
    "veinte",
    "veintiuno",
    "veintidós",
    "veintitrés",
    "veinticuatro",
    "veinticinco",
    "veintiséis",
    "veintisiete",
    "veintiocho",
    "veintinueve",
];

/// 0–59 in Spanish words: "treinta y cinco".
fn number_es(n: u32) -> String {
    match n {
        0..=29 => NUMBERS_ES[n as usize].to_owned(),
        _ => {
            let tens = ["treinta", "cuarenta", "cincuenta"][(n / 10 - 3) as usize];
            match n % 10 {
                0 => tens.to_owned(),
                unit => format!("{tens} y {}", NUMBERS_ES[unit as usize]),
            }
        }
    }
}

/// "la una", "las tres": an hour of the twelve-hour clock with its article.
fn hour_es(hour24: u32) -> String {
    match hour24 % 12 {
        1 => "la una".to_owned(),
        0 => "las doce".to_owned(),
        h => format!("las {}", NUMBERS_ES[h as usize]),
    }
}

/// The part of the day a Spanish speaker names with an hour.
fn period_es(hour24: u32) -> &'static str {
    match hour24 {
        0 => "de la noche",
        1..=5 => "de la madrugada",
        6..=11 => "de la mañana",
        12 => "del mediodía",
        13..=19 => "de la tarde",
        _ => "de la noche",
    }
}

/// "las tres y media de la tarde", "las cuatro menos cuarto de la tarde", "la una y diez".
fn clock_es(hour: u32, minute: u32) -> String {
    // The period follows the hour the time is in, not the one "menos" counts to: 11:45 is
    // "las doce menos cuarto de la mañana".
    let period = period_es(hour);
    let said = match minute {
        0 => hour_es(hour),
        15 => format!("{} y cuarto", hour_es(hour)),
        30 => format!("{} y media", hour_es(hour)),
        45 => format!("{} menos cuarto", hour_es(hour + 1)),
        40 | 50 | 55 => format!("{} menos {}", hour_es(hour + 1), number_es(60 - minute)),
        m => format!("{} y {}", hour_es(hour), number_es(m)),
    };
    format!("{said} {period}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    fn es(h: u32, m: u32) -> String {
        speak_time(NaiveTime::from_hms_opt(h, m, 0).unwrap(), Language::Es)
    }

    #[test]
    fn spanish_times_read_as_people_say_them() {
        assert_eq!(es(15, 30), "las tres y media de la tarde");
        assert_eq!(es(15, 45), "las cuatro menos cuarto de la tarde");
        assert_eq!(es(11, 45), "las doce menos cuarto de la mañana");
        assert_eq!(es(13, 0), "la una de la tarde");
        assert_eq!(es(12, 0), "las doce del mediodía");
        assert_eq!(es(9, 15), "las nueve y cuarto de la mañana");
        assert_eq!(es(10, 40), "las once menos veinte de la mañana");
        assert_eq!(es(16, 5), "las cuatro y cinco de la tarde");
        assert_eq!(es(17, 35), "las cinco y treinta y cinco de la tarde");
        assert_eq!(es(21, 0), "las nueve de la noche");
        assert_eq!(es(0, 0), "las doce de la noche");
        assert_eq!(es(2, 20), "las dos y veinte de la madrugada");
    }

    #[test]
    fn spanish_dates_have_lowercase_names_and_de() {
        let date = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        assert_eq!(speak_date(date, Language::Es), "miércoles 2 de diciembre");
        assert_eq!(
            speak_full_date(date, Language::Es),
            "miércoles 2 de diciembre de 2026"
        );
        assert_eq!(
            speak_full_date(date, Language::En),
            "Wednesday, December 2, 2026"
        );
    }

    #[test]
    fn instants_carry_the_zone_in_both_languages() {
        let tz: Tz = "America/New_York".parse().unwrap();
        let at = "2026-12-02T20:30:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            speak_instant(at, tz, Language::En),
            "Wednesday, December 2 at 3:30 PM EST"
        );
        assert_eq!(
            speak_instant(at, tz, Language::Es),
            "miércoles 2 de diciembre a las tres y media de la tarde (EST)"
        );
    }
}
