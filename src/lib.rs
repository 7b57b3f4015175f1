//! vapi-cal: runs a business's Cal.com calendar from a VAPI phone assistant.
//!
//! VAPI sends server messages to `POST /vapi/webhook`; tool calls are answered by [`tools`]
//! against Cal.com API v2 ([`calcom`]) in words the assistant can speak, and every answer,
//! booking and call is kept in the database ([`db`]).
//!
//! # Map
//! Layers go downwards only: `http` → `tools`, `sync`, `outbound`, `assistant`, `analytics` → `calcom`,
//! `vapi`, `email`, `db` → `domain`.
//!
//! | module | what it holds |
//! |---|---|
//! | [`app`] | the one builder of the service (state and background jobs), the router, the server loop |
//! | [`cli`] | the commands: `serve`, `demo`, `simulator`, `assistant`, `sync`, `stats`, `doctor`, … |
//! | [`config`] | settings from the environment and flags |
//! | [`http`] | thin HTTP handlers: VAPI and Cal.com webhooks, operator API, console, health, metrics |
//! | [`tools`] | the assistant's tools as plain async functions, their parameters and schemas |
//! | [`sync`] | keeping local tables true: Cal.com bookings, VAPI call history |
//! | [`outbound`] | calls the business makes: reminders, no-show follow-ups, their outcomes |
//! | [`assistant`] | the assistant as code: definition, comparison, VAPI registration, caller context, phone number |
//! | [`analytics`] | per-day figures |
//! | [`dashboard`] | the operator console's pages and sessions |
//! | [`doctor`] | `vapi-cal doctor`: checks of a deployment |
//! | [`calcom`] | the Cal.com API v2 client, wire types, request budget, slot cache, webhook signatures |
//! | [`vapi`] | VAPI's wire formats, credentials and REST client |
//! | [`email`] | outbound email over SMTP: the callers' one-time codes |
//! | [`db`] | all SQL: one pool over SQLite or PostgreSQL |
//! | [`domain`] | appointments, calls, phone numbers, local time: rules without I/O |
//! | [`simulator`] | a Cal.com API simulator and an SMTP sink for the demo, the tests and the benchmark |
//! | [`clock`], [`error`], [`telemetry`] | the clock, HTTP errors, logs and metrics |

pub mod analytics;
pub mod app;
pub mod assistant;
pub mod calcom;
pub mod cli;
pub mod clock;
pub mod config;
pub mod dashboard;
pub mod db;
pub mod doctor;
pub mod domain;
pub mod email;
pub mod error;
pub mod http;
pub mod outbound;
pub mod simulator;
pub mod sync;
pub mod telemetry;
pub mod tools;
pub mod vapi;
