//! End-to-end tests: the real service on a loopback port, the Cal.com simulator on another,
//! SQLite by default and PostgreSQL when TEST_DATABASE_URL is set.

mod assistant;
mod assistant_request;
mod auth;
mod browser;
mod browser_layout;
mod budget;
mod cal_webhooks;
mod call_sync;
mod caller_checks;
mod calls;
mod conversation_cost;
mod dashboard;
mod dashboard_export;
mod dashboard_links;
mod doctor;
mod exactly_once;
mod faults;
mod health;
mod html;
mod languages;
mod messages;
mod operations;
mod properties;
mod public_identity;
mod public_limits;
mod public_transport;
mod replicas;
mod schemas;
mod spoken;
mod support;
mod time_phrases;
mod time_windows;
mod time_zones;
mod tool_calls;
mod vapi_fake;
