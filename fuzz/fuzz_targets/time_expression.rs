//! The time expressions callers' words become ("tomorrow 3pm", "next tuesday 9:30 am", ISO
//! instants), resolved in zones with DST changes and far from UTC. Nothing may panic.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use vapi_cal::domain::local_time::{self, DateOrder};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let days = [(2026, 3, 8), (2026, 11, 1), (2026, 12, 31), (2024, 2, 29)];
    let zones = [
        chrono_tz::America::New_York,
        chrono_tz::Pacific::Auckland,
        chrono_tz::Asia::Kolkata,
        chrono_tz::Pacific::Kiritimati,
    ];
    for (y, m, d) in days {
        let Some(today) = NaiveDate::from_ymd_opt(y, m, d) else {
            continue;
        };
        let _ = local_time::parse_time_of_day(&text, today);
        for order in [None, Some(DateOrder::Mdy), Some(DateOrder::Dmy)] {
            let _ = local_time::resolve_date(&text, today, order);
            let _ = local_time::resolve_days(&text, today, order);
            for tz in zones {
                let _ = local_time::parse_start(&text, tz, today, order);
            }
        }
    }
    let _ = local_time::parse_zone(&text);
});
