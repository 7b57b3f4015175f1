//! Our HTTP endpoints: thin handlers that read the request, call into `tools` or `db`, and answer.

pub mod address;
pub mod api;
pub mod body;
pub mod cal;
pub mod dashboard;
pub mod health;
pub mod metrics;
pub mod throttle;
pub mod vapi;
