//! Everything that speaks Cal.com API v2: the client, its wire types, its request budget, the slot
//! cache and the webhook signature. The simulator of the API lives in [`crate::simulator`].

pub mod budget;
pub mod call_share;
pub mod client;
pub mod slot_cache;
pub mod trigger;
pub mod types;
pub mod webhook;

pub use client::{CalClient, CalError};
