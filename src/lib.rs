//! vapi-cal: runs a business's Cal.com calendar from a VAPI phone assistant.

pub mod calcom;
pub mod clock;
