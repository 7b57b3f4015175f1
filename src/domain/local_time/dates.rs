//! Calendar rules of the grammar: which year a month and day without one means, numeric dates
//! that read two ways, and holidays (fixed, regional, Thanksgiving, Easter by the computus).

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use chrono_tz::Tz;

use super::{TimeError, errors::DayName, tokens::Tok};

/// How a holiday's date is found each year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rule {
    /// The same month and day every year, wherever the business is.
    Fixed { month: u32, day: u32 },
    /// The same month and day every year, kept only in one country.
    FixedIn {
        month: u32,
        day: u32,
        region: Region,
    },
    /// US Thanksgiving: the fourth Thursday of November.
    Thanksgiving,
    /// Days from (Western) Easter Sunday: Good Friday −2, Easter Monday +1.
    Easter(i64),
}

/// A holiday a caller may name instead of a date; each language's tables give its words and its
/// name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holiday {
    /// December 31.
    NewYearsEve,
    /// January 1.
    NewYearsDay,
    /// January 6 (Día de Reyes).
    Epiphany,
    /// February 14.
    Valentines,
    /// December 24.
    ChristmasEve,
    /// December 25.
    ChristmasDay,
    /// December 26, kept in the UK.
    BoxingDay,
    /// July 4, kept in the US.
    IndependenceDay,
    /// The fourth Thursday of November, kept in the US.
    Thanksgiving,
    /// Two days before Easter Sunday.
    GoodFriday,
    /// Western Easter.
    EasterSunday,
    /// The day after Easter Sunday.
    EasterMonday,
    /// October 31.
    Halloween,
}

impl Holiday {
    /// Every holiday, for reading their keywords back.
    pub(super) const ALL: [Holiday; 13] = [
        Holiday::NewYearsEve,
        Holiday::NewYearsDay,
        Holiday::Epiphany,
        Holiday::Valentines,
        Holiday::ChristmasEve,
        Holiday::ChristmasDay,
        Holiday::BoxingDay,
        Holiday::IndependenceDay,
        Holiday::Thanksgiving,
        Holiday::GoodFriday,
        Holiday::EasterSunday,
        Holiday::EasterMonday,
        Holiday::Halloween,
    ];

    /// The one keyword a holiday's words are rewritten to, whatever the language said.
    pub(super) fn keyword(self) -> &'static str {
        match self {
            Holiday::NewYearsEve => "holiday:new-years-eve",
            Holiday::NewYearsDay => "holiday:new-years-day",
            Holiday::Epiphany => "holiday:epiphany",
            Holiday::Valentines => "holiday:valentines",
            Holiday::ChristmasEve => "holiday:christmas-eve",
            Holiday::ChristmasDay => "holiday:christmas-day",
            Holiday::BoxingDay => "holiday:boxing-day",
            Holiday::IndependenceDay => "holiday:independence-day",
            Holiday::Thanksgiving => "holiday:thanksgiving",
            Holiday::GoodFriday => "holiday:good-friday",
            Holiday::EasterSunday => "holiday:easter-sunday",
            Holiday::EasterMonday => "holiday:easter-monday",
            Holiday::Halloween => "holiday:halloween",
        }
    }

    /// The holiday a keyword stands for.
    pub(super) fn from_keyword(w: &str) -> Option<Holiday> {
        Holiday::ALL.into_iter().find(|h| h.keyword() == w)
    }

    /// How its date is found.
    pub(super) fn rule(self) -> Rule {
        let fixed = |month, day| Rule::Fixed { month, day };
        match self {
            Holiday::NewYearsEve => fixed(12, 31),
            Holiday::NewYearsDay => fixed(1, 1),
            Holiday::Epiphany => fixed(1, 6),
            Holiday::Valentines => fixed(2, 14),
            Holiday::ChristmasEve => fixed(12, 24),
            Holiday::ChristmasDay => fixed(12, 25),
            Holiday::Halloween => fixed(10, 31),
            Holiday::BoxingDay => Rule::FixedIn {
                month: 12,
                day: 26,
                region: Region::Uk,
            },
            Holiday::IndependenceDay => Rule::FixedIn {
                month: 7,
                day: 4,
                region: Region::Us,
            },
            Holiday::Thanksgiving => Rule::Thanksgiving,
            Holiday::GoodFriday => Rule::Easter(-2),
            Holiday::EasterSunday => Rule::Easter(0),
            Holiday::EasterMonday => Rule::Easter(1),
        }
    }
}

/// A country whose holidays the grammar knows, found from the business's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// The United States.
    Us,
    /// The United Kingdom.
    Uk,
}

/// A date this many days past or fewer is a slip to ask about, not next year's date.
const RECENTLY_PASSED_DAYS: i64 = 60;

/// The next date `on(year)` gives from today on. When this year's has passed only lately the
/// caller is asked: they may have meant another day, and next year's is far.
pub(super) fn upcoming(
    today: NaiveDate,
    input: &str,
    what: DayName,
    on: impl Fn(i32) -> Option<NaiveDate>,
) -> Result<NaiveDate, TimeError> {
    let this_year = on(today.year());
    if let Some(d) = this_year.filter(|d| *d >= today) {
        return Ok(d);
    }
    // February 29 comes round only in leap years: look a few years ahead.
    let next = (today.year() + 1..today.year() + 9).find_map(&on);
    match (this_year, next) {
        (Some(passed), Some(next)) if (today - passed).num_days() <= RECENTLY_PASSED_DAYS => {
            Err(TimeError::RecentlyPassed {
                input: input.trim().to_owned(),
                what,
                passed,
                next,
            })
        }
        (_, Some(next)) => Ok(next),
        (_, None) => Err(TimeError::NoSuchDate(what)),
    }
}

/// A month and day, with a year or the next one to come (see [`upcoming`]).
pub(super) fn calendar_date(
    m: u32,
    day: u32,
    year: Option<i32>,
    today: NaiveDate,
    input: &str,
) -> Result<NaiveDate, TimeError> {
    let what = DayName::MonthDay(m, day);
    match year {
        Some(y) => NaiveDate::from_ymd_opt(y, m, day).ok_or(TimeError::NoSuchDate(what)),
        None => upcoming(today, input, what, |y| NaiveDate::from_ymd_opt(y, m, day)),
    }
}

/// `a/b[/year]`: month/day or day/month. Taken when only one reading is possible and still to
/// come, or when the business's date order says; otherwise the caller is asked. A reading passed
/// only lately does not count as possible; one passed long ago means next year, as possible as
/// any other (12/03 said on December 1 may well be March 12).
pub(super) fn numeric_date(
    (a, b, year): (u32, u32, Option<i32>),
    today: NaiveDate,
    order: Option<super::DateOrder>,
    input: &str,
) -> Result<NaiveDate, TimeError> {
    use super::DateOrder;
    let exists =
        |m: u32, d: u32| (1..=12).contains(&m) && NaiveDate::from_ymd_opt(2028, m, d).is_some();
    let (mdy, dmy) = (exists(a, b), exists(b, a));
    let preferred = match order {
        Some(DateOrder::Mdy) if mdy => Some((a, b)),
        Some(DateOrder::Dmy) if dmy => Some((b, a)),
        Some(_) if mdy => Some((a, b)),
        Some(_) if dmy => Some((b, a)),
        _ => None,
    };
    if let Some((m, d)) = preferred {
        return calendar_date(m, d, year, today, input);
    }
    // Each possible reading, or None when it is impossible or passed.
    let reading = |m: u32, d: u32| -> Option<NaiveDate> {
        match year {
            Some(y) => NaiveDate::from_ymd_opt(y, m, d).filter(|date| *date >= today),
            None => calendar_date(m, d, None, today, input).ok(),
        }
    };
    let first = if mdy { reading(a, b) } else { None };
    let second = if dmy { reading(b, a) } else { None };
    match (first, second) {
        (Some(x), Some(y)) if x != y => Err(TimeError::Ambiguous {
            input: input.trim().to_owned(),
            first: x.min(y),
            second: x.max(y),
        }),
        (Some(x), _) | (None, Some(x)) => Ok(x),
        // Nothing possible: say why with the month-first reading, else the only one there is.
        (None, None) if mdy => calendar_date(a, b, year, today, input),
        (None, None) if dmy => calendar_date(b, a, year, today, input),
        (None, None) => Err(TimeError::NoSuchDate(DayName::Numeric(
            Tok::Numeric(a, b, year).text(),
        ))),
    }
}

/// The country whose holidays a business zone keeps, when the grammar knows them.
pub(super) fn region_of(tz: Option<Tz>) -> Option<Region> {
    let name = tz?.name();
    const US: [&str; 16] = [
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Los_Angeles",
        "America/Phoenix",
        "America/Anchorage",
        "America/Adak",
        "America/Boise",
        "America/Detroit",
        "America/Juneau",
        "America/Sitka",
        "America/Nome",
        "America/Menominee",
        "America/Indiana/",
        "America/Kentucky/",
        "America/North_Dakota/",
    ];
    if US.iter().any(|z| name.starts_with(z))
        || name.starts_with("US/")
        || name == "Pacific/Honolulu"
    {
        Some(Region::Us)
    } else if matches!(name, "Europe/London" | "Europe/Belfast" | "GB" | "GB-Eire") {
        Some(Region::Uk)
    } else {
        None
    }
}

/// Western Easter Sunday of `year` (the anonymous Gregorian computus).
pub(super) fn easter(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let (b, c) = (year / 100, year % 100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

/// The fourth Thursday of November.
fn thanksgiving(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, 11, Weekday::Thu, 4)
}

/// The date of a holiday named by the caller: its next one, or a question when the business's
/// country does not keep it (the caller is told the date it has where it is kept).
pub(super) fn holiday(
    h: Holiday,
    region: Option<Region>,
    today: NaiveDate,
    input: &str,
) -> Result<NaiveDate, TimeError> {
    let rule = h.rule();
    let kept_in = match rule {
        Rule::FixedIn { region, .. } => Some(region),
        Rule::Thanksgiving => Some(Region::Us),
        Rule::Fixed { .. } | Rule::Easter(_) => None,
    };
    let on = |y: i32| match rule {
        Rule::Fixed { month, day } | Rule::FixedIn { month, day, .. } => {
            NaiveDate::from_ymd_opt(y, month, day)
        }
        Rule::Thanksgiving => thanksgiving(y),
        Rule::Easter(offset) => easter(y).map(|e| e + Duration::days(offset)),
    };
    let date = upcoming(today, input, DayName::Holiday(h), on)?;
    match kept_in {
        Some(r) if region != Some(r) => Err(TimeError::RegionalHoliday {
            input: input.trim().to_owned(),
            name: h,
            date,
            region: r,
        }),
        _ => Ok(date),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easter_by_the_computus() {
        for (y, m, d) in [
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2038, 4, 25),
            (2285, 3, 22),
        ] {
            assert_eq!(easter(y), NaiveDate::from_ymd_opt(y, m, d), "{y}");
        }
        assert_eq!(thanksgiving(2026), NaiveDate::from_ymd_opt(2026, 11, 26));
        assert_eq!(thanksgiving(2027), NaiveDate::from_ymd_opt(2027, 11, 25));
    }
}
