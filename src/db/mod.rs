//! The database layer: one `AnyPool` over SQLite (embedded default) or PostgreSQL, picked by URL.
//!
//! All SQL of the service lives in this module and its children. Queries are written once in
//! portable SQL with `$n` placeholders; instants are RFC 3339 UTC text written by the service.

pub mod appointments;
pub mod assistant_pushes;
pub mod call_figures;
pub mod call_languages;
pub mod call_links;
pub mod call_records;
pub mod call_search;
pub mod dashboard_sessions;
pub mod email_proofs;
mod group_commit;
pub mod hand_overs;
pub mod inspect;
pub mod leases;
pub mod outbound;
pub mod rate_budget;
pub mod retention;
pub mod sync_runs;
pub mod tool_claims;
pub mod tool_invocations;
pub mod tool_log;
pub mod waitlist;

use std::{
    collections::HashMap,
    str::FromStr,
    sync::{Arc, Mutex},
    time::Duration,
};

use crate::domain::tenant::TenantSlug;
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::{
    AnyPool, Executor,
    any::{AnyConnectOptions, AnyPoolOptions},
    migrate::Migrator,
};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// Which database the URL selected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

impl Backend {
    /// Picks the backend from a `DATABASE_URL`.
    pub fn from_url(url: &str) -> Result<Self, DbError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            Err(DbError::UnsupportedUrl)
        }
    }
}

/// Database failures.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The URL names neither SQLite nor PostgreSQL.
    #[error("DATABASE_URL must start with sqlite:// or postgres://")]
    UnsupportedUrl,
    /// Applying migrations failed.
    #[error("migrating the database failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    /// The task that commits appointment changes stopped before answering.
    #[error("database error: {0}")]
    Group(String),
}

/// Handle to the service's database.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    /// Where writes go. SQLite: one connection, so writers queue here in order instead of
    /// sleeping in SQLite's busy handler; readers use `pool` beside it (WAL). PostgreSQL: `pool`.
    writer: AnyPool,
    backend: Backend,
    /// `sync_state` values seen (they only move forward; a reconcile updates them here too).
    sync_cache: Arc<Mutex<HashMap<String, String>>>,
    /// Queue of the tool-call log writer (see [`tool_log`]); `None` in the writer's own handle.
    tool_log: Option<tokio::sync::mpsc::Sender<tool_log::LogMessage>>,
    /// Queue of the appointment change group commit (see [`group_commit`]); `None` in its own
    /// handle.
    changes: Option<tokio::sync::mpsc::Sender<group_commit::Job>>,
    /// The tenant every query of this handle reads and writes (see [`Db::for_tenant`]).
    tenant: TenantSlug,
}

impl Db {
    /// Connects (creating a SQLite file if the URL says `mode=rwc`) without migrating.
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let pool = open_pool(
            url,
            backend,
            match backend {
                Backend::Sqlite => 4,
                Backend::Postgres => 10,
            },
        )
        .await?;
        let writer = match backend {
            Backend::Sqlite => {
                // WAL lets readers run beside the writer; it is a property of the file, set once.
                pool.execute("pragma journal_mode = wal").await?;
                open_pool(url, backend, 1).await?
            }
            Backend::Postgres => pool.clone(),
        };
        let mut db = Self {
            pool,
            writer,
            backend,
            sync_cache: Arc::default(),
            tool_log: None,
            changes: None,
            tenant: TenantSlug::default_tenant(),
        };
        if backend == Backend::Sqlite {
            spawn_checkpointer(db.pool.clone());
        }
        db.changes = Some(group_commit::spawn(db.clone()));
        db.tool_log = Some(tool_log::spawn_writer(db.clone()));
        Ok(db)
    }

    /// Connects without changing anything: a SQLite file is opened read-only (and must exist),
    /// and no pragma that writes is run. For `vapi-cal doctor`.
    pub async fn connect_read_only(url: &str) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let url = match backend {
            Backend::Sqlite => read_only_sqlite_url(url),
            Backend::Postgres => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(2)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await?;
        // Nothing is written through this handle: no separate writer, no tool-log queue.
        Ok(Self {
            writer: pool.clone(),
            pool,
            backend,
            sync_cache: Arc::default(),
            tool_log: None,
            changes: None,
            tenant: TenantSlug::default_tenant(),
        })
    }

    /// A handle on the same database that reads and writes only `tenant`'s rows. It has its own
    /// change writer (a group of changes is one tenant's), and shares the tool-call log queue,
    /// whose rows carry their tenant. A read-only handle stays read-only.
    pub fn for_tenant(&self, tenant: &TenantSlug) -> Self {
        let mut db = self.scoped_without_changes(tenant);
        if self.changes.is_some() {
            db.changes = Some(group_commit::spawn(db.clone()));
        }
        db
    }

    /// [`Self::for_tenant`] without a change writer of its own (its appointment changes are
    /// applied by the caller's task): for a short errand such as one prune, which writes no
    /// appointment and should not start a task to do so.
    pub(crate) fn scoped_without_changes(&self, tenant: &TenantSlug) -> Self {
        Self {
            pool: self.pool.clone(),
            writer: self.writer.clone(),
            backend: self.backend,
            sync_cache: Arc::default(),
            tool_log: self.tool_log.clone(),
            changes: None,
            tenant: tenant.clone(),
        }
    }

    /// The tenant this handle is scoped to.
    pub fn tenant(&self) -> &TenantSlug {
        &self.tenant
    }

    /// The tenant as a bind value.
    pub(crate) fn t(&self) -> String {
        self.tenant.as_str().to_owned()
    }

    /// Connects and applies pending migrations.
    pub async fn connect_and_migrate(url: &str) -> Result<Self, DbError> {
        let db = Self::connect(url).await?;
        db.migrate().await?;
        Ok(db)
    }

    /// Applies the migrations of this backend.
    pub async fn migrate(&self) -> Result<(), DbError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool, for the query modules.
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The pool writes go through (one connection on SQLite).
    pub(crate) fn writer(&self) -> &AnyPool {
        &self.writer
    }

    /// The tool-call log queue, if this handle has one.
    pub(crate) fn tool_log_queue(
        &self,
    ) -> Option<&tokio::sync::mpsc::Sender<tool_log::LogMessage>> {
        self.tool_log.as_ref()
    }

    /// The appointment change queue, if this handle has one.
    pub(crate) fn change_queue(&self) -> Option<&tokio::sync::mpsc::Sender<group_commit::Job>> {
        self.changes.as_ref()
    }

    /// A cached `sync_state` value.
    pub(crate) fn cached_sync_state(&self, name: &str) -> Option<String> {
        self.sync_cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(name)
            .cloned()
    }

    /// Remembers a `sync_state` value read or written.
    pub(crate) fn cache_sync_state(&self, name: &str, value: &str) {
        self.sync_cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(name.to_owned(), value.to_owned());
    }

    /// Pool use: (open connections, idle connections, maximum).
    pub fn pool_use(&self) -> (u32, usize, u32) {
        (
            self.pool.size(),
            self.pool.num_idle(),
            self.pool.options().get_max_connections(),
        )
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> Result<(), DbError> {
        sqlx::query("select 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Creates an empty PostgreSQL schema, so each test (or tenant) gets its own tables.
    /// The name must be a plain identifier; it is checked because it cannot be a bind parameter.
    pub async fn create_schema(&self, name: &str) -> Result<(), DbError> {
        if !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(DbError::Sqlx(sqlx::Error::Protocol(format!(
                "invalid schema name {name}"
            ))));
        }
        let sql = format!("create schema if not exists {name}");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Drops the PostgreSQL schemas named `{prefix}{epoch seconds}_…` that were made before
    /// `made_before` (epoch seconds), and those named `{prefix}…` in no such form: test and
    /// benchmark runs leave theirs behind, and runs going on at the same time on the same
    /// database keep theirs. Returns how many were dropped.
    pub async fn drop_schemas_older_than(
        &self,
        prefix: &str,
        made_before: i64,
    ) -> Result<usize, DbError> {
        let names: Vec<String> =
            sqlx::query_scalar("select schema_name::text from information_schema.schemata where starts_with(schema_name, $1)")
                .bind(prefix.to_owned())
                .fetch_all(&self.pool)
                .await?;
        let mut dropped = 0;
        for name in &names {
            let made = name[prefix.len()..]
                .split('_')
                .next()
                .and_then(|epoch| epoch.parse::<i64>().ok());
            let safe = name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if safe && made.is_none_or(|made| made < made_before) {
                let sql = format!("drop schema if exists {name} cascade");
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                    .execute(&self.pool)
                    .await?;
                dropped += 1;
            }
        }
        Ok(dropped)
    }

    /// Writes what the tool-call log has queued, then closes the pools.
    pub async fn close(&self) {
        self.flush_tool_log().await;
        self.pool.close().await;
        self.writer.close().await;
    }
}

/// Opens a pool of `size` connections with the per-connection settings of the backend.
async fn open_pool(url: &str, backend: Backend, size: u32) -> Result<AnyPool, DbError> {
    let options = AnyConnectOptions::from_str(url)?;
    Ok(AnyPoolOptions::new()
        .max_connections(size)
        .acquire_timeout(Duration::from_secs(5))
        // No ping before every use: it is a round trip (a thread hop on SQLite) on each query, and
        // a connection that broke meanwhile fails its query, which is reported like any other.
        .test_before_acquire(false)
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    // Writers wait for each other instead of failing with "database is locked".
                    conn.execute("pragma busy_timeout = 5000").await?;
                    conn.execute("pragma foreign_keys = on").await?;
                    // In WAL mode NORMAL stays consistent after a crash and syncs at checkpoints,
                    // not on every commit (a power cut may lose the last commits, never corrupt).
                    conn.execute("pragma synchronous = normal").await?;
                    // A checkpoint syncs the file, which would stall the commit that triggers it;
                    // the checkpointer task runs them beside the writer instead.
                    conn.execute("pragma wal_autocheckpoint = 0").await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await?)
}

/// How often the SQLite write-ahead log is copied back into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// Frames (pages) the write-ahead log may hold before a checkpoint starts it again from the
/// beginning and truncates it: about 64 MB of 4 KiB pages.
const WAL_RESTART_FRAMES: i64 = 16_384;

/// Checkpoints the SQLite write-ahead log in the background, so commits never pay for a
/// checkpoint. Stops when the pool is closed.
///
/// A passive checkpoint never waits: it copies the frames no reader still needs. But it never
/// starts the log again either: the log restarts only when a write begins right after a
/// checkpoint that copied every frame, which steady writes beside steady reads never leave room
/// for. The log then grew without bound (12 GB in a few minutes of a bulk reconcile beside a
/// running server), and with it the shared-memory index every connection maps and searches on
/// each read. So once the log holds [`WAL_RESTART_FRAMES`], the checkpoint waits (writers wait
/// on their busy timeout meanwhile) to copy what is left, start the log again and truncate it.
fn spawn_checkpointer(pool: AnyPool) {
    spawn_checkpointer_at(pool, CHECKPOINT_EVERY, WAL_RESTART_FRAMES);
}

/// [`spawn_checkpointer`] with its period and log length.
fn spawn_checkpointer_at(pool: AnyPool, every: Duration, restart_frames: i64) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if pool.is_closed() {
                return;
            }
            // (busy, frames in the log, frames copied)
            let passive: Result<(i64, i64, i64), _> =
                sqlx::query_as("pragma wal_checkpoint(passive)")
                    .fetch_one(&pool)
                    .await;
            let result = match passive {
                Ok((_, frames, _)) if frames > restart_frames => {
                    tracing::debug!(frames, "write-ahead log long; restarting it");
                    pool.execute("pragma wal_checkpoint(truncate)")
                        .await
                        .map(drop)
                }
                other => other.map(drop),
            };
            if let Err(err) = result {
                tracing::debug!(%err, "write-ahead log checkpoint skipped");
            }
        }
    });
}

/// The SQLite URL with `mode=ro` in place of any other mode, so opening it creates nothing.
fn read_only_sqlite_url(url: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut params: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("mode="))
        .collect();
    params.push("mode=ro");
    format!("{base}?{}", params.join("&"))
}

/// Sizes of multi-row statements, largest first: a fixed ladder, so such statements come in a few
/// shapes only. Each shape is prepared once per connection and kept; with one shape per row count
/// the statement cache would hold up to a hundred large programs per table.
const STATEMENT_ROWS: [usize; 4] = [64, 16, 4, 1];

/// Bind parameters a statement of rows that are written all the time (the tool-call log) should
/// stay under. The SQLite driver looks each parameter's name up in a list as long as the
/// statement's parameters, so binding costs the square of their number: 64 rows of 11 columns
/// took a tenth of the server's time under load.
pub(crate) const WIDE_STATEMENT_PARAMS: usize = 200;

/// Splits `items` into slices whose lengths are on the statement ladder.
pub(crate) fn ladder_chunks<T>(items: &[T]) -> impl Iterator<Item = &[T]> {
    ladder_chunks_within(items, usize::MAX)
}

/// Splits `items` into slices whose lengths are on the statement ladder, each at most
/// `max_rows` long (at least one row).
pub(crate) fn ladder_chunks_within<T>(
    mut items: &[T],
    max_rows: usize,
) -> impl Iterator<Item = &[T]> {
    std::iter::from_fn(move || {
        let size = STATEMENT_ROWS
            .into_iter()
            .find(|size| *size <= items.len() && (*size <= max_rows || *size == 1))?;
        let (chunk, rest) = items.split_at(size);
        items = rest;
        Some(chunk)
    })
}

/// `($1, $2), ($3, $4)`: the values of a multi-row insert of `rows` rows of `columns` each.
pub(crate) fn values_list(rows: usize, columns: usize) -> String {
    let mut out = String::with_capacity(rows * columns * 5);
    for row in 0..rows {
        out.push_str(if row == 0 { "(" } else { ", (" });
        for col in 0..columns {
            if col > 0 {
                out.push_str(", ");
            }
            out.push('$');
            out.push_str(&(row * columns + col + 1).to_string());
        }
        out.push(')');
    }
    out
}

/// ` and state in ('a', 'b')` for the stored words of `states`, or nothing when there are none
/// (every state). The words are a closed set of fixed strings, never outside text.
pub(crate) fn state_filter<'a>(states: impl IntoIterator<Item = &'a str>) -> String {
    let words: Vec<String> = states.into_iter().map(|s| format!("'{s}'")).collect();
    if words.is_empty() {
        String::new()
    } else {
        format!(" and state in ({})", words.join(", "))
    }
}

/// Instants as stored: RFC 3339 UTC, milliseconds, `Z` — sortable as text on both databases.
pub fn ts(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Reads an instant as stored; a malformed one is a decode error naming it.
pub(crate) fn parse_ts(text: &str) -> Result<DateTime<Utc>, DbError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            DbError::Sqlx(sqlx::Error::Decode(
                format!("bad instant {text}: {e}").into(),
            ))
        })
}

/// Removes a SQLite database file with its `-wal` and `-shm` companions; a file already gone is
/// no error. The demo starts afresh with it, and tests clean up with it.
pub fn remove_sqlite_files(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        // Already gone, or never made: nothing to remove.
        let _ = std::fs::remove_file(file);
    }
}

/// A SQLite file for one unit test: migrated on open, removed with its `-wal` and `-shm` files
/// when the guard drops.
#[cfg(test)]
pub(crate) struct TempSqlite {
    /// The database file.
    pub path: std::path::PathBuf,
    /// Its `sqlite://` URL, to open it again.
    pub url: String,
}

#[cfg(test)]
impl Drop for TempSqlite {
    fn drop(&mut self) {
        remove_sqlite_files(&self.path);
    }
}

#[cfg(test)]
impl Db {
    /// A fresh, migrated SQLite database in the temp folder, and the guard that removes it.
    pub(crate) async fn temp_sqlite() -> (Db, TempSqlite) {
        let path = std::env::temp_dir().join(format!(
            "vapi-cal-unit-{}.db",
            uuid::Uuid::new_v4().simple()
        ));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let db = Db::connect_and_migrate(&url).await.expect("temp sqlite");
        (db, TempSqlite { path, url })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{Db, ladder_chunks};

    /// Multi-row statements come in four shapes whatever the row count, and cover every row once.
    #[test]
    fn multi_row_statements_take_few_shapes() {
        let mut shapes = std::collections::BTreeSet::new();
        for n in 0..=700 {
            let items: Vec<usize> = (0..n).collect();
            let chunks: Vec<&[usize]> = ladder_chunks(&items).collect();
            assert_eq!(chunks.concat(), items, "{n} rows, in order, once each");
            shapes.extend(chunks.iter().map(|c| c.len()));
        }
        assert_eq!(shapes.into_iter().collect::<Vec<_>>(), [1, 4, 16, 64]);
        let items: Vec<usize> = (0..100).collect();
        let sizes: Vec<usize> = ladder_chunks(&items).map(<[usize]>::len).collect();
        assert_eq!(sizes, [64, 16, 16, 4]);
        let sizes: Vec<usize> = super::ladder_chunks_within(&items, 18)
            .map(<[usize]>::len)
            .collect();
        assert_eq!(sizes, [16, 16, 16, 16, 16, 16, 4]);
    }

    /// Commits never run a checkpoint themselves; the background checkpointer copies the
    /// write-ahead log into the database file on its own.
    #[tokio::test]
    async fn the_write_ahead_log_is_checkpointed_in_the_background() {
        let (db, file) = Db::temp_sqlite().await;
        let path = &file.path;
        let autocheckpoint: i64 = sqlx::query_scalar("pragma wal_autocheckpoint")
            .fetch_one(db.writer())
            .await
            .expect("pragma");
        assert_eq!(autocheckpoint, 0, "commits leave checkpoints to the task");
        let size = || std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        // Let the first checkpoint after the migrations land, then write.
        tokio::time::sleep(Duration::from_millis(1_200)).await;
        let before = size();
        sqlx::query("insert into sync_state (tenant, name, value, updated_at) values ('default', $1, $2, $3)")
            .bind("bulk")
            .bind("x".repeat(200_000))
            .bind("2026-11-23T00:00:00.000Z")
            .execute(db.writer())
            .await
            .expect("insert");
        let mut grown = false;
        for _ in 0..40 {
            if size() > before + 100_000 {
                grown = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(grown, "the database file received the committed pages");
        db.close().await;
    }

    /// Steady writes beside steady reads never leave a passive checkpoint the moment it needs to
    /// start the write-ahead log again, so the log only grew; once it is long, the checkpointer
    /// starts it again and truncates it, load or not.
    #[tokio::test]
    async fn a_long_write_ahead_log_is_started_again_under_steady_writes_and_reads() {
        use std::sync::{
            Arc,
            atomic::{AtomicBool, Ordering},
        };
        let (db, file) = Db::temp_sqlite().await;
        let wal = file.path.with_extension("db-wal");
        super::spawn_checkpointer_at(db.pool.clone(), Duration::from_millis(50), 64);
        let stop = Arc::new(AtomicBool::new(false));
        let writer = tokio::spawn({
            let (db, stop) = (db.clone(), stop.clone());
            async move {
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    sqlx::query("insert into sync_state (tenant, name, value, updated_at) values ('default', $1, $2, $3)")
                        .bind(format!("steady-{n}"))
                        .bind("x".repeat(4_000))
                        .bind("2026-11-23T00:00:00.000Z")
                        .execute(db.writer())
                        .await
                        .expect("insert");
                }
            }
        });
        let reader = tokio::spawn({
            let (db, stop) = (db.clone(), stop.clone());
            async move {
                while !stop.load(Ordering::Relaxed) {
                    let _: i64 = sqlx::query_scalar("select count(*) from sync_state")
                        .fetch_one(&db.pool)
                        .await
                        .expect("read");
                }
            }
        });
        // A passive checkpoint never makes the file smaller: seeing it shrink while the load runs
        // is seeing the log started again and truncated.
        let size = || std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        let (mut largest, mut shrank) = (0, false);
        for _ in 0..600 {
            let now = size();
            if largest > 64 * 4096 && now < largest / 2 {
                shrank = true;
                break;
            }
            largest = largest.max(now);
            if largest > 256 << 20 {
                // Not started again: stop before the disk fills.
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        stop.store(true, Ordering::Relaxed);
        writer.await.expect("writer");
        reader.await.expect("reader");
        assert!(
            shrank,
            "the log was started again under load (largest {largest} bytes)"
        );
        db.close().await;
    }
}
