//! vapi-cal: runs a business's Cal.com calendar from a VAPI phone assistant.
//!
//! VAPI sends tool calls to `POST /vapi/webhook`; [`tools`] answers them against Cal.com API v2
//! ([`calcom`]) in words the assistant can speak, recording every answer in the database ([`db`]).

pub mod app;
pub mod appointments;
pub mod assistant;
pub mod calcom;
pub mod call_sync;
pub mod callers;
pub mod calls;
pub mod cli;
pub mod clock;
pub mod config;
pub mod dashboard;
pub mod db;
pub mod demo;
pub mod doctor;
pub mod error;
pub mod http;
pub mod local_time;
pub mod phone;
pub mod phone_number;
pub mod stats;
pub mod sync;
pub mod telemetry;
pub mod tools;
pub mod vapi;
