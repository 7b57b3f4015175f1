//! Everything that speaks Cal.com API v2: the client, its wire types, and a simulator of the
//! API used by `demo`, the tests and the benchmarks.

pub mod budget;
pub mod client;
pub mod simulator;
pub mod slot_cache;
pub mod types;
pub mod webhook;

pub use client::{CalClient, CalError};
