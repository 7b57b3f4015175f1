//! What the figures say: per-day call and booking statistics in the business's time zone.

pub mod stats;
