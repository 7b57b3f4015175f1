//! The operator dashboard (`/dashboard`): page view models rendered by compile-time-checked
//! askama templates (`templates/dashboard/`), the embedded stylesheet, and sign-in sessions.
//!
//! Everything here only reads. Times are shown in the business's zone, with the zone named.
//! The HTTP side (routes, cookies on responses, redirects) lives in `crate::http::dashboard`.

pub mod appointments;
pub mod assets;
pub mod call_filters;
pub mod call_pages;
pub mod export;
pub mod failures;
pub mod live;
pub mod not_found;
pub mod outbound;
pub mod session;
pub mod sign_in;
pub mod stats;
pub mod today;
pub mod touched;
mod view;

pub use view::{AppointmentRow, Business, BusinessChoice, DayGroup, Frame, NavItem, Page};

/// The pages in the navigation, in order: (path, label).
pub const PAGES: &[(&str, &str)] = &[
    ("/dashboard", "Today"),
    ("/dashboard/calls", "Calls"),
    ("/dashboard/appointments", "Appointments"),
    ("/dashboard/stats", "Stats"),
    ("/dashboard/failures", "Failures"),
    ("/dashboard/outbound", "Calls out"),
];
