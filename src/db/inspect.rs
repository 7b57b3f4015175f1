//! Read-only questions about the database itself, for `vapi-cal doctor`: which migrations are
//! applied, and when a named sync value was last written.

use chrono::{DateTime, Utc};

use super::{Backend, Db, DbError, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

/// How the applied migrations compare with the ones this binary carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    /// Migrations this binary carries.
    pub known: usize,
    /// Known migrations applied successfully.
    pub applied: usize,
    /// Known migrations not applied yet, as `version description`.
    pub pending: Vec<String>,
    /// Applied versions this binary does not know (the database is newer than the binary).
    pub unknown: Vec<i64>,
}

/// A `sync_state` row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncStateEntry {
    /// The stored value.
    pub value: String,
    /// When it was written.
    pub updated_at: DateTime<Utc>,
}

impl Db {
    /// Compares `_sqlx_migrations` with this binary's migrations; a database never migrated
    /// (no table yet) has every migration pending.
    pub async fn migration_status(&self) -> Result<MigrationStatus, DbError> {
        let migrator = match self.backend() {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        let has_table: i64 = match self.backend() {
            Backend::Sqlite => {
                sqlx::query_scalar(
                    "select count(*) from sqlite_master where type = 'table' and name = '_sqlx_migrations'",
                )
                .fetch_one(self.pool())
                .await?
            }
            Backend::Postgres => {
                sqlx::query_scalar(
                    "select count(*) from information_schema.tables where table_name = '_sqlx_migrations' and table_schema = current_schema()",
                )
                .fetch_one(self.pool())
                .await?
            }
        };
        let applied: Vec<i64> = if has_table > 0 {
            sqlx::query_scalar(
                "select version from _sqlx_migrations where success order by version",
            )
            .fetch_all(self.pool())
            .await?
        } else {
            Vec::new()
        };
        let known: Vec<(i64, String)> = migrator
            .iter()
            .filter(|m| m.migration_type.is_up_migration())
            .map(|m| (m.version, m.description.to_string()))
            .collect();
        Ok(MigrationStatus {
            known: known.len(),
            applied: known.iter().filter(|(v, _)| applied.contains(v)).count(),
            pending: known
                .iter()
                .filter(|(v, _)| !applied.contains(v))
                .map(|(v, d)| format!("{v:04} {d}"))
                .collect(),
            unknown: applied
                .iter()
                .copied()
                .filter(|v| !known.iter().any(|(k, _)| k == v))
                .collect(),
        })
    }

    /// A named sync value with the time it was written.
    pub async fn sync_state_entry(&self, name: &str) -> Result<Option<SyncStateEntry>, DbError> {
        let row: Option<(String, String)> = sqlx::query_as(
            "select value, updated_at from sync_state where name = $1 and tenant = $2",
        )
        .bind(name.to_owned())
        .bind(self.t())
        .fetch_optional(self.pool())
        .await?;
        row.map(|(value, updated_at)| {
            let updated_at = DateTime::parse_from_rfc3339(&updated_at)
                .map_err(|e| {
                    DbError::Sqlx(sqlx::Error::Decode(
                        format!("bad instant {updated_at}: {e}").into(),
                    ))
                })?
                .with_timezone(&Utc);
            Ok(SyncStateEntry { value, updated_at })
        })
        .transpose()
    }
}
