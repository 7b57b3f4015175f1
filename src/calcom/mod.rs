//! Everything that speaks Cal.com API v2.

pub mod simulator;
