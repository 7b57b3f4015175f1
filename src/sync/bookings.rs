//! Keeping the local appointments table true: applying verified Cal.com webhooks, recording our
//! own writes, reconciling from `GET /v2/bookings`, and registering our webhook subscription.

use std::time::Duration;

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};

use crate::{
    calcom::{
        CalClient, CalError,
        types::BookingQuery,
        webhook::{self, ParsedDelivery, WebhookError},
    },
    clock::Clock,
    db::{
        Db, DbError,
        appointments::{Applied, WebhookDelivery},
        sync_runs::KIND_CAL_BOOKINGS,
    },
    domain::appointment::Observation,
};

/// `sync_state` key: the newest `updatedAt` a reconcile has seen.
pub use crate::db::appointments::BOOKINGS_CURSOR;
/// Page size of reconcile requests (Cal.com allows up to 250).
const PAGE_SIZE: u32 = 100;
/// Triggers our subscription asks for.
pub const SUBSCRIBED_TRIGGERS: [&str; 8] = crate::calcom::trigger::SUBSCRIBED_NAMES;

/// Why a webhook delivery failed.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// Signature or body problem: the sender's fault.
    #[error(transparent)]
    Rejected(#[from] WebhookError),
    /// Storing failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

/// What a delivery did.
#[derive(Debug)]
pub struct DeliveryOutcome {
    /// The trigger.
    pub trigger: String,
    /// Applied, or a replay.
    pub applied: Applied,
    /// Whether the trigger changes appointments at all (PING and unknown ones do not).
    pub understood: bool,
}

/// Verifies, parses and applies one Cal.com delivery; returns only after the change is committed.
pub async fn apply_delivery(
    db: &Db,
    clock: &Clock,
    secrets: &[SecretString],
    signature: Option<&str>,
    body: &[u8],
) -> Result<DeliveryOutcome, DeliveryError> {
    webhook::verify_signature(secrets, body, signature)?;
    let ParsedDelivery {
        trigger,
        booking_uid,
        observations,
    } = webhook::parse_delivery(body)?;
    let understood = !observations.is_empty();
    let delivery = WebhookDelivery {
        dedupe_key: webhook::dedupe_key(body),
        trigger_event: trigger.clone(),
        booking_uid,
        body: String::from_utf8_lossy(body).into_owned(),
    };
    let applied = db
        .apply_observations(Some(&delivery), observations, clock.now())
        .await?;
    Ok(DeliveryOutcome {
        trigger,
        applied,
        understood,
    })
}

/// What a reconcile did.
#[derive(Debug, Clone, Default)]
pub struct SyncReport {
    /// Bookings received from Cal.com.
    pub bookings: usize,
    /// Pages requested.
    pub pages: usize,
    /// The cursor stored for the next run.
    pub cursor: Option<String>,
}

/// Why a reconcile failed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// Cal.com failed.
    #[error(transparent)]
    Cal(#[from] CalError),
    /// Storing failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

/// Pulls bookings updated since the stored cursor (or `since`), page by page, and upserts them.
/// Covers webhooks Cal.com dropped: it delivers each once, without retries. Each run is recorded
/// in `sync_runs` (kind `cal_bookings`).
pub async fn sync_bookings(
    cal: &CalClient,
    db: &Db,
    clock: &Clock,
    since: Option<DateTime<Utc>>,
) -> Result<SyncReport, SyncError> {
    let run = db.start_sync_run(KIND_CAL_BOOKINGS, clock.now()).await?;
    let outcome = reconcile(cal, db, clock, since).await;
    let recorded = match &outcome {
        Ok(r) => {
            let counts = json!({"bookings": r.bookings, "pages": r.pages});
            db.finish_sync_run(&run, Ok(&counts), clock.now()).await
        }
        Err(err) => {
            db.finish_sync_run(&run, Err(&err.to_string()), clock.now())
                .await
        }
    };
    if let Err(err) = recorded {
        tracing::warn!(%err, "could not record the end of the reconcile run");
    }
    outcome
}

async fn reconcile(
    cal: &CalClient,
    db: &Db,
    clock: &Clock,
    since: Option<DateTime<Utc>>,
) -> Result<SyncReport, SyncError> {
    let stored = db.sync_state(BOOKINGS_CURSOR).await?;
    let from = since
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .or(stored);
    let mut report = SyncReport::default();
    let mut newest: Option<DateTime<Utc>> = from
        .as_deref()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc));
    let mut skip = 0;
    loop {
        let query = BookingQuery {
            after_updated_at: from.clone(),
            sort_updated_at: Some("asc".into()),
            take: Some(PAGE_SIZE),
            skip: Some(skip),
            ..BookingQuery::default()
        };
        let page = cal.list_bookings(&query).await?;
        report.pages += 1;
        report.bookings += page.bookings.len();
        let now = clock.now();
        let observations: Vec<Observation> = page
            .bookings
            .iter()
            .map(|b| Observation::from_booking(b, now))
            .collect();
        for b in &page.bookings {
            if let Some(updated) = b.updated_at {
                newest = Some(newest.map_or(updated, |n| n.max(updated)));
            }
        }
        db.apply_observations(None, observations, now).await?;
        if !page.has_next_page || page.bookings.is_empty() {
            break;
        }
        skip += PAGE_SIZE;
    }
    // Keep the cursor inclusive: a booking updated in the same millisecond is fetched again and
    // merged idempotently rather than missed.
    let cursor = newest
        .unwrap_or_else(|| clock.now())
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    db.set_sync_state(BOOKINGS_CURSOR, &cursor, clock.now())
        .await?;
    report.cursor = Some(cursor);
    Ok(report)
}

/// Lease the periodic reconcile runs under: one replica per round.
pub const RECONCILE_LEASE: &str = "reconcile";

/// What one periodic round did.
#[derive(Debug)]
pub enum Round {
    /// This replica held the lease and reconciled.
    Ran(SyncReport),
    /// This replica held the lease, but the reconcile failed.
    Failed(String),
    /// Another replica holds the lease for this round.
    Skipped,
}

/// One round of the periodic reconcile: takes the lease for `lease_for` (until about when the next
/// round is due), and reconciles only if this replica (`holder`) got it. The lease is kept, not
/// released, so the other replicas skip the rest of this round too; a replica that dies simply
/// lets it expire.
pub async fn reconcile_round(
    cal: &CalClient,
    db: &Db,
    clock: &Clock,
    holder: &str,
    lease_for: Duration,
) -> Round {
    let now = clock.now();
    let until = now + chrono::Duration::from_std(lease_for).unwrap_or(chrono::Duration::MAX);
    let round = match db.try_lease(RECONCILE_LEASE, holder, now, until).await {
        Ok(false) => {
            tracing::info!("another replica holds the reconcile lease; skipping this round");
            Round::Skipped
        }
        Err(err) => Round::Failed(format!("could not take the reconcile lease: {err}")),
        Ok(true) => match sync_bookings(cal, db, clock, None).await {
            Ok(report) => {
                tracing::info!(
                    bookings = report.bookings,
                    pages = report.pages,
                    "reconciled bookings"
                );
                Round::Ran(report)
            }
            Err(err) => Round::Failed(err.to_string()),
        },
    };
    let outcome = match &round {
        Round::Ran(_) => "ok",
        Round::Failed(why) => {
            tracing::warn!(error = %why, "reconcile failed; will try again");
            "failed"
        }
        Round::Skipped => "skipped",
    };
    metrics::counter!(
        "reconcile_runs_total",
        crate::telemetry::TENANT_LABEL => db.tenant().shared(),
        "outcome" => outcome
    )
    .increment(1);
    round
}

/// Reconciles now and then every `interval` until the process ends, one replica at a time, as
/// background work that leaves the Cal.com budget's reserve to tool calls.
pub async fn run_periodic(cal: CalClient, db: Db, clock: Clock, interval: Duration) {
    let holder = uuid::Uuid::new_v4().to_string();
    let cal = cal.background();
    loop {
        reconcile_round(&cal, &db, &clock, &holder, interval).await;
        tokio::time::sleep(interval).await;
    }
}

/// What `register-webhook` decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegisterAction {
    /// No subscription for our URL: create one.
    Create,
    /// A subscription exists but differs: update it.
    Update(String),
    /// It already matches.
    Unchanged(String),
}

/// Creates or updates our subscription (`PUBLIC_URL/cal/webhook`, our triggers, the secret).
/// With `dry_run` it only reads and says what it would do. Returns the action and the body.
pub async fn register_webhook(
    cal: &CalClient,
    public_url: &str,
    secret: &SecretString,
    dry_run: bool,
) -> Result<(RegisterAction, Value), CalError> {
    let url = format!("{}/cal/webhook", public_url.trim_end_matches('/'));
    let body = json!({
        "subscriberUrl": url,
        "active": true,
        "triggers": SUBSCRIBED_TRIGGERS,
        "secret": secret.expose_secret(),
    });
    let existing = cal
        .list_webhooks()
        .await?
        .into_iter()
        .find(|w| w.subscriber_url == url);
    let action = match &existing {
        None => RegisterAction::Create,
        Some(w) => {
            let mut have: Vec<&str> = w.triggers.iter().map(String::as_str).collect();
            let mut want: Vec<&str> = SUBSCRIBED_TRIGGERS.to_vec();
            have.sort_unstable();
            want.sort_unstable();
            // The secret is not readable back, so it is always re-sent on update; an otherwise
            // identical subscription is left alone.
            if w.active && have == want {
                RegisterAction::Unchanged(w.id_text())
            } else {
                RegisterAction::Update(w.id_text())
            }
        }
    };
    if !dry_run {
        match &action {
            RegisterAction::Create => {
                cal.create_webhook(&body).await?;
            }
            RegisterAction::Update(id) => {
                cal.update_webhook(id, &body).await?;
            }
            RegisterAction::Unchanged(_) => {}
        }
    }
    let mut shown = body;
    shown["secret"] = Value::from("***");
    Ok((action, shown))
}
