//! Call records in and out of the service: recording VAPI's lifecycle server messages as they
//! arrive, and backfilling from VAPI's `GET /call` what was missed (VAPI never retries a server
//! message). Both paths turn their input into [`CallObservation`]s and merge them with the same
//! rules, so a backfill never overwrites a newer report with an older one.

use std::{collections::HashSet, time::Duration};

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Value, json};

use crate::{
    clock::Clock,
    db::{
        Db, DbError,
        call_records::Recorded,
        sync_runs::{KIND_VAPI_CALLS, SyncRun},
    },
    domain::language::Language,
    vapi::{
        CallInfo, MessageKind, call_payloads,
        client::{CallListQuery, VapiClient, VapiError},
    },
};

/// Page size of `GET /call` when none is given (VAPI allows up to 1000).
pub const DEFAULT_PAGE_SIZE: u32 = 1000;

/// Records a lifecycle server message. Messages without a call id or anything to keep are
/// ignored; a failed write is logged (VAPI would not resend it; the backfill will find the call).
pub async fn record_message(
    db: &Db,
    clock: &Clock,
    kind: MessageKind,
    message: &Value,
) -> Option<Recorded> {
    let obs = call_payloads::observation(kind, message)?;
    let kind = kind.label();
    match db.record_call(&obs, clock.now()).await {
        Ok(done) => {
            tracing::debug!(kind, call_id = %obs.vapi_call_id, ?done, "call message recorded");
            Some(done)
        }
        Err(err) => {
            tracing::warn!(%err, kind, call_id = %obs.vapi_call_id, "could not record a call message");
            None
        }
    }
}

/// Records the language VAPI detected on a call (`language-change-detected`), so the call's
/// later tool answers speak it, and returns the call, the language as the answers will read it
/// (`None`: one the service does not speak; it is kept as said, answers then fall back to the
/// business language, and it is logged) and the change's number.
pub async fn record_language(
    db: &Db,
    clock: &Clock,
    info: &CallInfo,
    message: &Value,
) -> Option<(String, Option<Language>, i64)> {
    let call_id = info.call_id.as_deref()?;
    let tag = message
        .get("language")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 35)?;
    let language = Language::from_tag(tag);
    if language.is_none() {
        tracing::info!(
            call_id,
            tag,
            "the caller speaks a language the answers do not"
        );
    }
    let stored = language.map_or_else(|| tag.to_owned(), |l| l.code().to_owned());
    match db.set_call_language(call_id, &stored, clock.now()).await {
        Ok(version) => Some((call_id.to_owned(), language, version)),
        Err(err) => {
            tracing::warn!(%err, call_id, "could not record the call's language");
            None
        }
    }
}

/// What `calls sync` should fetch.
#[derive(Debug, Clone)]
pub struct CallSyncOptions {
    /// Only this assistant's calls.
    pub assistant_id: Option<String>,
    /// Stop after this many calls.
    pub limit: Option<usize>,
    /// Only calls created after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Say what would change; write nothing.
    pub dry_run: bool,
    /// Calls per request.
    pub page_size: u32,
}

impl Default for CallSyncOptions {
    fn default() -> Self {
        Self {
            assistant_id: None,
            limit: None,
            since: None,
            dry_run: false,
            page_size: DEFAULT_PAGE_SIZE,
        }
    }
}

/// What a backfill did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallSyncReport {
    /// Requests made.
    pub pages: usize,
    /// Calls received.
    pub fetched: usize,
    /// New call rows.
    pub created: usize,
    /// Calls that changed.
    pub updated: usize,
    /// Calls already up to date.
    pub unchanged: usize,
    /// Entries without a usable id.
    pub skipped: usize,
}

impl CallSyncReport {
    /// The counts stored with the run.
    pub fn counts(&self) -> Value {
        json!({
            "pages": self.pages,
            "fetched": self.fetched,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
        })
    }
}

/// Why a backfill failed.
#[derive(Debug, thiserror::Error)]
pub enum CallSyncError {
    /// VAPI failed (after backing off).
    #[error(transparent)]
    Vapi(#[from] VapiError),
    /// Storing failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

/// Pages backwards through `GET /call` (newest first, `createdAtLt` = the oldest `createdAt` seen)
/// until `since`, `limit` or the end, merging each call. `progress` is called after every page.
/// A real run is recorded in `sync_runs`; a dry run writes nothing at all.
pub async fn sync_calls(
    client: &VapiClient,
    db: &Db,
    clock: &Clock,
    opts: &CallSyncOptions,
    mut progress: impl FnMut(&CallSyncReport),
) -> Result<CallSyncReport, CallSyncError> {
    let run = if opts.dry_run {
        None
    } else {
        Some(db.start_sync_run(KIND_VAPI_CALLS, clock.now()).await?)
    };
    let outcome = backfill(client, db, clock, opts, &mut progress).await;
    if let Some(id) = run {
        let result = match &outcome {
            Ok(report) => {
                db.finish_sync_run(&id, Ok(&report.counts()), clock.now())
                    .await
            }
            Err(err) => {
                db.finish_sync_run(&id, Err(&err.to_string()), clock.now())
                    .await
            }
        };
        if let Err(err) = result {
            tracing::warn!(%err, "could not record the end of the call sync run");
        }
    }
    outcome
}

async fn backfill(
    client: &VapiClient,
    db: &Db,
    clock: &Clock,
    opts: &CallSyncOptions,
    progress: &mut impl FnMut(&CallSyncReport),
) -> Result<CallSyncReport, CallSyncError> {
    let mut report = CallSyncReport::default();
    let mut cursor: Option<DateTime<Utc>> = None;
    let mut seen: HashSet<String> = HashSet::new();
    let page_size = opts.page_size.clamp(1, 1000);
    loop {
        let wanted = opts.limit.map_or(page_size as usize, |l| {
            l.saturating_sub(report.fetched).min(page_size as usize)
        });
        if wanted == 0 {
            break;
        }
        let query = CallListQuery {
            assistant_id: opts.assistant_id.clone(),
            limit: u32::try_from(wanted).unwrap_or(page_size),
            created_at_gt: opts.since,
            created_at_lt: cursor,
        };
        let page = client.list_calls(&query).await?;
        report.pages += 1;
        let mut oldest = cursor;
        let mut fresh = 0;
        for call in &page {
            if let Some(created) = call_payloads::created_at(call) {
                oldest = Some(oldest.map_or(created, |o| o.min(created)));
            }
            let Some(obs) = call_payloads::from_call(call) else {
                report.skipped += 1;
                continue;
            };
            if !seen.insert(obs.vapi_call_id.clone()) {
                continue;
            }
            fresh += 1;
            report.fetched += 1;
            let now = clock.now();
            let done = if opts.dry_run {
                db.preview_call(&obs, now).await?
            } else {
                db.record_call(&obs, now).await?
            };
            match done {
                Recorded::Created => report.created += 1,
                Recorded::Updated => report.updated += 1,
                Recorded::Unchanged => report.unchanged += 1,
            }
        }
        progress(&report);
        // A short page is the last one; a page with nothing new or no older cursor would loop.
        if page.len() < wanted || fresh == 0 || oldest == cursor {
            break;
        }
        cursor = oldest;
    }
    Ok(report)
}

/// Backfills now and then every `interval` until the process ends, each time from an hour before
/// the last successful run began (calls that were still going then are fetched again).
pub async fn run_periodic(
    client: VapiClient,
    db: Db,
    clock: Clock,
    interval: Duration,
    assistant_id: Option<String>,
) {
    loop {
        let last: Option<SyncRun> = db.last_ok_sync_run(KIND_VAPI_CALLS).await.ok().flatten();
        let since = last
            .and_then(|r| DateTime::parse_from_rfc3339(&r.started_at).ok())
            .map(|t| t.with_timezone(&Utc) - chrono::Duration::hours(1));
        let opts = CallSyncOptions {
            assistant_id: assistant_id.clone(),
            since,
            ..CallSyncOptions::default()
        };
        match sync_calls(&client, &db, &clock, &opts, |_| {}).await {
            Ok(r) => tracing::info!(
                fetched = r.fetched,
                created = r.created,
                updated = r.updated,
                "synced calls from VAPI"
            ),
            Err(err) => tracing::warn!(%err, "call sync failed; will try again"),
        }
        tokio::time::sleep(interval).await;
    }
}
