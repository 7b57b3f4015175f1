//! temporary stub, replaced by the real simulator
#![allow(missing_docs, unused)]
use chrono::{DateTime, Utc};
use crate::clock::Clock;
#[derive(Clone)]
pub struct Simulator;
#[derive(Clone, Debug)]
pub struct EventTypeSpec { pub id: i64, pub slug: String, pub title: String, pub length_minutes: i64, pub time_zone: chrono_tz::Tz, pub weekdays: Vec<chrono::Weekday>, pub start_hour: u32, pub end_hour: u32, pub minimum_notice_minutes: i64 }
impl EventTypeSpec { pub fn new(id: i64, title: &str, length_minutes: i64, time_zone: chrono_tz::Tz) -> Self { unimplemented!() } }
#[derive(Clone, Debug)]
pub struct SeedBooking { pub uid: String, pub event_type_id: i64, pub start: DateTime<Utc>, pub attendee_name: String, pub attendee_email: Option<String>, pub attendee_phone: Option<String>, pub attendee_time_zone: String }
pub struct SimulatorHandle { pub url: String }
impl Simulator {
    pub fn new(api_key: impl Into<String>, clock: Clock) -> Self { Simulator }
    pub fn set_me(&self, name: &str, email: &str, time_zone: &str) {}
    pub fn add_event_type(&self, spec: EventTypeSpec) {}
    pub fn add_organization(&self, org_id: i64) {}
    pub fn seed_booking(&self, seed: SeedBooking) {}
    pub async fn spawn(&self) -> std::io::Result<SimulatorHandle> { unimplemented!() }
}
