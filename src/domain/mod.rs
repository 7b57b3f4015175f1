//! The service's own vocabulary, free of I/O: appointments and calls with the rules that merge
//! what we learn about them, phone numbers, outside text made safe, and local time (the grammar callers speak, and how
//! instants are said back).

pub mod appointment;
pub mod call;
pub mod call_search;
pub mod call_window;
pub mod failure;
pub mod language;
pub mod local_time;
pub mod outbound;
pub mod phone;
pub mod tenant;
pub mod text;
pub mod waitlist;
