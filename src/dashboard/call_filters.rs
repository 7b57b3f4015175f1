//! The Calls page's filters, read from its query string: the day, part of the number, free-text
//! search, status, ended reason, outcome and "has booking". The page and its CSV export read
//! them through [`CallFilters::to_filter`], so both list the same calls; the page's links (next
//! page, first page, export) carry them through [`ShownFilters::link`].
//!
//! A value that cannot be a filter is explained on the page and filters nothing; the others
//! still apply.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use super::{
    call_pages::{PAGE_SIZE, STALE_AFTER},
    view::{day_filter, phone_digits, typed},
};
use crate::domain::text::percent_encode;
use crate::{
    db::call_records::{CallCursor, CallFilter},
    domain::{
        call_search::{Choice, MAX_TERMS, SearchTerms, is_ended_reason},
        local_time::local_days_bounds,
    },
};

/// Characters of the search text the page's links carry at most (the terms searched for come
/// from far fewer).
const LINKED_SEARCH_CHARS: usize = 300;
/// The value of the "has booking" box when ticked.
const BOOKING_ON: &str = "yes";

/// The Calls page's query string, as typed (checked here: a bad value is a message on the page).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CallFilters {
    /// A local date, `YYYY-MM-DD`.
    pub day: Option<String>,
    /// Part of the caller's number.
    pub number: Option<String>,
    /// Words to find in the transcript, summary or caller's name.
    pub q: Option<String>,
    /// `in-progress`, `ended` or `stale` ([`StateFilter`]).
    pub status: Option<String>,
    /// An ended reason, as VAPI writes it.
    pub reason: Option<String>,
    /// `success`, `booked`, `no-booking` or `failed-tool-call` ([`OutcomeFilter`]).
    pub outcome: Option<String>,
    /// `yes`: only calls with a booking still on the calendar.
    pub booking: Option<String>,
    /// A cursor from the previous page's "Next" link.
    pub after: Option<String>,
}

/// The filters the page shows in its form and keeps in its links: text as typed, choices by
/// their URL names ("" when not filtering, or when what was given is not a choice).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShownFilters {
    /// The day as typed.
    pub day: String,
    /// The number as typed.
    pub number: String,
    /// The search text as typed.
    pub q: String,
    /// The status's URL name.
    pub status: String,
    /// The ended reason.
    pub reason: String,
    /// The outcome's URL name.
    pub outcome: String,
    /// Only calls with a booking.
    pub booking: bool,
}

impl ShownFilters {
    /// `path` with these filters, and the page after `after` when given, as its query string.
    pub fn link(&self, path: &str, after: Option<&CallCursor>) -> String {
        let q: String = self.q.chars().take(LINKED_SEARCH_CHARS).collect();
        let booking = if self.booking { BOOKING_ON } else { "" };
        let mut params: Vec<String> = [
            ("q", q.as_str()),
            ("day", &self.day),
            ("number", &self.number),
            ("status", &self.status),
            ("reason", &self.reason),
            ("outcome", &self.outcome),
            ("booking", booking),
        ]
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{name}={}", percent_encode(value)))
        .collect();
        if let Some(c) = after {
            params.push(format!("after={}", c.encode()));
        }
        if params.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{}", params.join("&"))
        }
    }
}

/// The choice named `text` ("" is none); a name that is not one is explained in `errors`
/// (`what` names one choice, `plural` all of them).
fn choice<C: Choice>(
    text: &str,
    (what, plural): (&str, &str),
    errors: &mut Vec<String>,
) -> Option<C> {
    if text.is_empty() {
        return None;
    }
    let found = C::from_key(text);
    if found.is_none() {
        let names: Vec<&str> = C::ALL.iter().map(|c| c.label()).collect();
        errors.push(format!(
            "“{text}” is not one of the {plural} ({}); showing calls of any {what}.",
            names.join(", ")
        ));
    }
    found
}

impl CallFilters {
    /// The filters as a database filter of [`PAGE_SIZE`] rows from the newest, at `now`, with
    /// what the page shows of them; what was wrong with them goes in `errors` and filters
    /// nothing. The page and its export read the same calls through this.
    pub fn to_filter(
        &self,
        tz: Tz,
        now: DateTime<Utc>,
        success_threshold: f64,
        errors: &mut Vec<String>,
    ) -> (CallFilter, ShownFilters) {
        let mut filter = CallFilter {
            limit: PAGE_SIZE,
            stale_before: now - STALE_AFTER,
            success_threshold,
            ..CallFilter::default()
        };
        let mut shown = ShownFilters {
            day: typed(&self.day),
            number: typed(&self.number),
            q: typed(&self.q),
            ..ShownFilters::default()
        };
        if let Some(d) = day_filter(&shown.day, errors) {
            let (from, to) = local_days_bounds(d, d, tz);
            filter.from = Some(from);
            filter.to = Some(to);
        }
        filter.number_digits = phone_digits(&shown.number, errors);
        if !shown.q.is_empty() {
            // As typed, untrimmed: a space after the last word says it is whole.
            filter.search = SearchTerms::parse(self.q.as_deref().unwrap_or_default());
            match &filter.search {
                None => errors.push(format!(
                    "“{}” has no letters or digits to search for; showing every call.",
                    shown.q
                )),
                Some(s) if s.terms.len() == MAX_TERMS => errors.push(format!(
                    "Only the first {MAX_TERMS} different words are searched for."
                )),
                Some(_) => {}
            }
        }
        filter.state = choice(&typed(&self.status), ("status", "statuses"), errors);
        shown.status = filter.state.map(|s| s.key().to_owned()).unwrap_or_default();
        let reason = typed(&self.reason);
        if is_ended_reason(&reason) {
            filter.ended_reason = Some(reason.clone());
            shown.reason = reason;
        } else if !reason.is_empty() {
            errors.push(format!(
                "“{reason}” is not an ended reason (letters, digits and - _ . : only); \
                 showing calls that ended for any reason."
            ));
        }
        filter.outcome = choice(&typed(&self.outcome), ("outcome", "outcomes"), errors);
        shown.outcome = filter
            .outcome
            .map(|o| o.key().to_owned())
            .unwrap_or_default();
        match typed(&self.booking).as_str() {
            "" => {}
            BOOKING_ON => {
                filter.has_booking = true;
                shown.booking = true;
            }
            other => errors.push(format!(
                "“{other}” is not a booking filter (tick “Has booking” or leave it); \
                 showing calls with or without one."
            )),
        }
        (filter, shown)
    }
}

/// One option of a select: its value, its words, and whether it is chosen.
#[derive(Debug, Clone)]
pub struct SelectOption {
    /// The value sent.
    pub value: String,
    /// The words shown.
    pub label: String,
    /// It is the one chosen.
    pub selected: bool,
}

/// Options from (value, label) pairs, with `chosen` (a value, "" for none) selected.
fn options(pairs: impl Iterator<Item = (String, String)>, chosen: &str) -> Vec<SelectOption> {
    pairs
        .map(|(value, label)| SelectOption {
            selected: value == chosen,
            value,
            label,
        })
        .collect()
}

/// The options of a select of `C`, with `chosen` (a URL name, "" for none) selected; the page
/// puts one for "any" first.
pub fn choice_options<C: Choice>(chosen: &str) -> Vec<SelectOption> {
    let pairs = C::ALL
        .iter()
        .map(|c| (c.key().to_owned(), c.label().to_owned()));
    options(pairs, chosen)
}

/// The ended-reason options: the reasons stored, plus the chosen one when no stored call has it
/// (so the form still says what is being filtered by).
pub fn reason_options(mut reasons: Vec<String>, chosen: &str) -> Vec<SelectOption> {
    if !chosen.is_empty() && !reasons.iter().any(|r| r == chosen) {
        reasons.push(chosen.to_owned());
        reasons.sort();
    }
    options(reasons.into_iter().map(|r| (r.clone(), r)), chosen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::call_search::{OutcomeFilter, StateFilter};

    fn check(filters: CallFilters) -> (CallFilter, ShownFilters, Vec<String>) {
        let mut errors = Vec::new();
        let (filter, shown) = filters.to_filter(chrono_tz::UTC, Utc::now(), 7.0, &mut errors);
        (filter, shown, errors)
    }

    #[test]
    fn every_filter_is_kept_in_the_links() {
        let (filter, shown, errors) = check(CallFilters {
            q: Some(" Pat booked ".into()),
            status: Some("ended".into()),
            reason: Some("customer-ended-call".into()),
            outcome: Some("no-booking".into()),
            booking: Some("yes".into()),
            number: Some("555".into()),
            ..CallFilters::default()
        });
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(filter.state, Some(StateFilter::Ended));
        assert_eq!(filter.outcome, Some(OutcomeFilter::NoBooking));
        assert!(filter.has_booking);
        assert_eq!(filter.search.unwrap().terms, ["pat", "booked"]);
        assert_eq!(
            shown.link("/dashboard/calls.csv", None),
            "/dashboard/calls.csv?q=Pat%20booked&number=555&status=ended\
             &reason=customer-ended-call&outcome=no-booking&booking=yes"
        );
    }

    #[test]
    fn values_that_are_not_filters_are_explained_and_filter_nothing() {
        let (filter, shown, errors) = check(CallFilters {
            q: Some("*\"()".into()),
            status: Some("done".into()),
            reason: Some("<script>".into()),
            outcome: Some("Booked".into()),
            booking: Some("maybe".into()),
            ..CallFilters::default()
        });
        assert_eq!(errors.len(), 5, "{errors:?}");
        assert!(errors[1].contains("In progress, Ended"), "{}", errors[1]);
        assert!(filter.search.is_none() && filter.state.is_none());
        assert!(filter.ended_reason.is_none() && filter.outcome.is_none());
        assert!(!filter.has_booking);
        assert_eq!(shown.link("/p", None), "/p?q=%2A%22%28%29");
    }

    #[test]
    fn the_chosen_reason_is_listed_even_when_no_call_has_it() {
        let options = reason_options(vec!["b".into(), "d".into()], "c");
        let values: Vec<&str> = options.iter().map(|o| o.value.as_str()).collect();
        assert_eq!(values, ["b", "c", "d"]);
        assert!(options[1].selected);
        assert!(choice_options::<OutcomeFilter>("booked")[1].selected);
    }
}
