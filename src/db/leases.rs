//! The `leases` table: background work that only one replica may run at a time.
//!
//! A lease is a row (name, holder, expiry). Taking it is one upsert that succeeds only when the
//! row is missing, expired, or already ours, so two replicas can never both hold it; a holder that
//! dies simply lets it expire. The same statement works on SQLite and PostgreSQL.
//!
//! Leases are per tenant: the stored name is `{tenant}/{name}`, so each business has its own
//! leader for its own work.
//!
//! Besides the periodic reconcile, a caller's booking holds a lease from the count of their
//! bookings until the booking is committed (see `tools::limits`); that lease is given up in the
//! same transaction as the booking ([`HeldLease`]), so no replica counts in between.

use chrono::{DateTime, Utc};
use sqlx::{Any, Transaction};

use super::{Db, DbError, ts};
use crate::domain::tenant::TenantSlug;

/// A lease taken by `holder`, to give up in the commit of what it protected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldLease {
    /// The lease's name.
    pub name: String,
    /// Who took it.
    pub holder: String,
}

impl Db {
    /// Takes or renews the lease `name` for `holder` until `expires_at`; false when another holder
    /// has it and it has not expired at `now`.
    pub async fn try_lease(
        &self,
        name: &str,
        holder: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            r#"insert into leases (name, holder, expires_at) values ($1, $2, $3)
               on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at
               where leases.expires_at <= $4 or leases.holder = excluded.holder"#,
        )
        .bind(self.lease_name(name))
        .bind(holder.to_owned())
        .bind(ts(expires_at))
        .bind(ts(now))
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives the lease up early if `holder` still has it (so another replica need not wait).
    pub async fn release_lease(&self, name: &str, holder: &str) -> Result<(), DbError> {
        sqlx::query(RELEASE)
            .bind(self.lease_name(name))
            .bind(holder.to_owned())
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// The stored name of this tenant's lease `name`.
    fn lease_name(&self, name: &str) -> String {
        stored_name(self.tenant(), name)
    }
}

const RELEASE: &str = "delete from leases where name = $1 and holder = $2";

/// The stored name of `tenant`'s lease `name`.
fn stored_name(tenant: &TenantSlug, name: &str) -> String {
    format!("{tenant}/{name}")
}

/// Gives `tenant`'s `lease` up inside `tx`, if its holder still has it: with the changes it
/// protected.
pub(crate) async fn release_lease_on(
    tx: &mut Transaction<'static, Any>,
    tenant: &TenantSlug,
    lease: &HeldLease,
) -> Result<(), DbError> {
    sqlx::query(RELEASE)
        .bind(stored_name(tenant, &lease.name))
        .bind(lease.holder.clone())
        .execute(&mut **tx)
        .await?;
    Ok(())
}
