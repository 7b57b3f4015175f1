//! Keeping the local tables true to the systems we mirror: Cal.com bookings (webhooks, reconcile,
//! the webhook subscription) and VAPI call records (server messages and backfill).

pub mod bookings;
pub mod call_history;
