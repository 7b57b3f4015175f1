//! Database checks: reachable, migrations current, when the appointments were last reconciled,
//! and how the last backfill of call records from VAPI went (from the sync runs).

use chrono::Utc;

use super::{Check, Options, within};
use crate::{
    config::Settings,
    db::sync_runs::KIND_VAPI_CALLS,
    db::{Backend, Db},
    sync::bookings::BOOKINGS_CURSOR,
};

/// The database checks. The database is opened read-only: the doctor never creates or migrates.
pub(super) async fn checks(settings: &Settings, options: &Options) -> Vec<Check> {
    let url = settings.database_url.as_str();
    let backend = match Backend::from_url(url) {
        Ok(b) => b,
        Err(e) => {
            return vec![Check::fail(
                "db.reachable",
                "Database",
                e.to_string(),
                "Set DATABASE_URL to sqlite://FILE?mode=rwc or postgres://user:pass@host/db.",
            )];
        }
    };
    if backend == Backend::Sqlite
        && let Some(path) = sqlite_path(url)
        && !std::path::Path::new(&path).exists()
    {
        return vec![
            Check::fail(
                "db.reachable",
                "Database",
                format!("the SQLite file {path} does not exist"),
                "Run `vapi-cal migrate` (or start `vapi-cal serve`) with this DATABASE_URL to create it.",
            ),
            Check::skipped("db.migrations", "Database migrations", "no database"),
            Check::skipped("db.reconcile", "Last reconcile", "no database"),
            Check::skipped("db.backfill", BACKFILL, "no database"),
        ];
    }
    let db = match within(
        options.check_timeout,
        "the database",
        Db::connect_read_only(url),
    )
    .await
    {
        Ok(Ok(db)) => db,
        Ok(Err(e)) => return unreachable(e.to_string()),
        Err(e) => return unreachable(e),
    };
    let reachable = match within(options.check_timeout, "the database", db.ping()).await {
        Ok(Ok(())) => Check::pass(
            "db.reachable",
            "Database",
            match backend {
                Backend::Sqlite => format!(
                    "SQLite file {} answers",
                    sqlite_path(url).unwrap_or_default()
                ),
                Backend::Postgres => "PostgreSQL answers".to_owned(),
            },
        ),
        Ok(Err(e)) => return unreachable(e.to_string()),
        Err(e) => return unreachable(e),
    };
    let migrations = match within(options.check_timeout, "the database", db.migration_status())
        .await
    {
        Ok(Ok(status)) if !status.pending.is_empty() => Check::fail(
            "db.migrations",
            "Database migrations",
            format!(
                "{} of {} applied; pending: {}",
                status.applied,
                status.known,
                status.pending.join(", ")
            ),
            "Run `vapi-cal migrate` (serve also migrates at start).",
        ),
        Ok(Ok(status)) if !status.unknown.is_empty() => Check::warn(
            "db.migrations",
            "Database migrations",
            format!(
                "the database has migration(s) {:?} this binary does not know: it was migrated by a newer version",
                status.unknown
            ),
            Some("run the newest vapi-cal against this database".to_owned()),
        ),
        Ok(Ok(status)) => Check::pass(
            "db.migrations",
            "Database migrations",
            format!("all {} applied", status.known),
        ),
        Ok(Err(e)) => Check::fail(
            "db.migrations",
            "Database migrations",
            format!("could not read them: {e}"),
            "Run `vapi-cal migrate` and check the database user may read _sqlx_migrations.",
        ),
        Err(e) => Check::fail(
            "db.migrations",
            "Database migrations",
            e,
            "Check the database's load and connection.",
        ),
    };
    let reconcile = last_reconcile(&db, settings, options).await;
    let backfill = last_backfill(&db, settings, options).await;
    db.close().await;
    vec![reachable, migrations, reconcile, backfill]
}

fn unreachable(detail: String) -> Vec<Check> {
    vec![
        Check::fail(
            "db.reachable",
            "Database",
            detail,
            "Check DATABASE_URL and that the database server is running and reachable from here.",
        ),
        Check::skipped(
            "db.migrations",
            "Database migrations",
            "the database did not answer",
        ),
        Check::skipped(
            "db.reconcile",
            "Last reconcile",
            "the database did not answer",
        ),
        Check::skipped("db.backfill", BACKFILL, "the database did not answer"),
    ]
}

/// The last successful reconcile of the appointments table (its cursor's write time).
async fn last_reconcile(db: &Db, settings: &Settings, options: &Options) -> Check {
    const ID: &str = "db.reconcile";
    const NAME: &str = "Last reconcile";
    match within(
        options.check_timeout,
        "the database",
        db.sync_state_entry(BOOKINGS_CURSOR),
    )
    .await
    {
        Ok(Ok(Some(entry))) => {
            let age = Utc::now().signed_duration_since(entry.updated_at);
            let minutes = age.num_minutes().max(0);
            let detail = format!(
                "appointments reconciled with Cal.com {} ({minutes} min ago), succeeded",
                crate::db::ts(entry.updated_at)
            );
            // Two missed intervals in a row means the periodic reconcile is not running.
            let interval = i64::try_from(settings.cal_sync_interval_secs).unwrap_or(i64::MAX);
            if interval > 0 && age.num_seconds() > interval.saturating_mul(2).max(3600) {
                Check::warn(
                    ID,
                    NAME,
                    detail,
                    Some("it is older than two reconcile intervals: check that `vapi-cal serve` is running, or run `vapi-cal sync bookings`".to_owned()),
                )
            } else {
                Check::pass(ID, NAME, detail)
            }
        }
        Ok(Ok(None)) => Check::warn(
            ID,
            NAME,
            "the appointments table has never been reconciled with Cal.com",
            Some("run `vapi-cal sync bookings` once; `serve` reconciles at start".to_owned()),
        ),
        Ok(Err(e)) => Check::fail(
            ID,
            NAME,
            format!("could not read it: {e}"),
            "Run `vapi-cal migrate`.",
        ),
        Err(e) => Check::fail(ID, NAME, e, "Check the database's load and connection."),
    }
}

const BACKFILL: &str = "Last call backfill";

/// The last backfill of call records from VAPI's call API (sync runs of kind `vapi_calls`).
async fn last_backfill(db: &Db, settings: &Settings, options: &Options) -> Check {
    const ID: &str = "db.backfill";
    let run = match within(
        options.check_timeout,
        "the database",
        db.last_sync_run(KIND_VAPI_CALLS),
    )
    .await
    {
        Ok(Ok(run)) => run,
        Ok(Err(e)) => {
            return Check::fail(
                ID,
                BACKFILL,
                format!("could not read it: {e}"),
                "Run `vapi-cal migrate`.",
            );
        }
        Err(e) => return Check::fail(ID, BACKFILL, e, "Check the database's load and connection."),
    };
    let Some(run) = run else {
        return if settings.vapi_call_sync_interval_secs == 0 {
            Check::pass(
                ID,
                BACKFILL,
                "off (VAPI_CALL_SYNC_INTERVAL_SECS=0): calls are recorded from webhooks only",
            )
        } else {
            Check::warn(
                ID,
                BACKFILL,
                "call records have never been backfilled from VAPI",
                Some("run `vapi-cal calls sync` once; `serve` then backfills every VAPI_CALL_SYNC_INTERVAL_SECS".to_owned()),
            )
        };
    };
    let when = run.finished_at.as_deref().unwrap_or(&run.started_at);
    match run.outcome.as_str() {
        "error" => Check::fail(
            ID,
            BACKFILL,
            format!(
                "the backfill at {when} failed: {}",
                run.error.as_deref().unwrap_or("no error recorded")
            ),
            "Check VAPI_API_KEY and that api.vapi.ai is reachable; the next backfill retries.",
        ),
        "running" => Check::pass(ID, BACKFILL, format!("running since {}", run.started_at)),
        outcome => Check::pass(
            ID,
            BACKFILL,
            format!(
                "call records backfilled from VAPI {when}, {outcome}{}",
                run.counts
                    .as_deref()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default()
            ),
        ),
    }
}

/// The file of a `sqlite://FILE?...` URL (`None` for in-memory databases).
fn sqlite_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| path.to_owned())
}
