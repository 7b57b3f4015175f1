//! End-to-end tests: the real service on a loopback port, the Cal.com simulator on another,
//! SQLite by default and PostgreSQL when TEST_DATABASE_URL is set.

mod assistant;
mod browser;
mod cal_webhooks;
mod dashboard;
mod doctor;
mod health;
mod html;
mod messages;
mod schemas;
mod support;
mod time_zones;
mod tool_calls;
mod vapi_fake;
