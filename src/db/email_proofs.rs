//! The `email_proofs` table: one-time codes sent to the email a booking was made with, for
//! callers without a phone number, and the emails they proved by reading a code back. A proof
//! holds for one call only; only a hash of each code is stored.

use chrono::{DateTime, Utc};

use super::{Db, DbError, ts};

/// A code about to be sent (or a send that sends nothing, which counts all the same).
#[derive(Clone, Debug)]
pub struct NewEmailProof {
    /// Row id, also the salt of the code's hash.
    pub id: String,
    /// The VAPI call the code is for.
    pub call_id: String,
    /// The email, lower-case.
    pub email: String,
    /// Hash of the code; `None` when no code was sent.
    pub code_hash: Option<String>,
    /// When it was sent.
    pub sent_at: DateTime<Utc>,
    /// When the code stops working.
    pub expires_at: DateTime<Utc>,
}

/// The code a caller may still read back.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LiveEmailProof {
    /// Row id (the hash's salt).
    pub id: String,
    /// Hash of the code; `None` when no code was sent.
    pub code_hash: Option<String>,
}

impl Db {
    /// Stores a send unless the call already has `max_per_call` of them; false when it has.
    /// Rows older than a day (calls are long over) are pruned on the way.
    pub async fn insert_email_proof(
        &self,
        proof: &NewEmailProof,
        max_per_call: i64,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            r#"insert into email_proofs (id, call_id, email, code_hash, attempts, sent_at, expires_at, tenant)
               select $1, $2, $3, $4, 0, $5, $6, $8
               where (select count(*) from email_proofs where call_id = $2 and tenant = $8) < $7"#,
        )
        .bind(proof.id.clone())
        .bind(proof.call_id.clone())
        .bind(proof.email.clone())
        .bind(proof.code_hash.clone())
        .bind(ts(proof.sent_at))
        .bind(ts(proof.expires_at))
        .bind(max_per_call)
        .bind(self.t())
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The newest code of `email` on `call_id` that has not expired or been used.
    pub async fn live_email_proof(
        &self,
        call_id: &str,
        email: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<LiveEmailProof>, DbError> {
        Ok(sqlx::query_as(
            r#"select id, code_hash from email_proofs
               where call_id = $1 and email = $2 and proven_at is null and expires_at > $3
                 and tenant = $4
               order by sent_at desc limit 1"#,
        )
        .bind(call_id.to_owned())
        .bind(email.to_owned())
        .bind(ts(now))
        .bind(self.t())
        .fetch_optional(self.writer())
        .await?)
    }

    /// Counts one try against the code `id`, unless the call already used `max_tries`; false
    /// when it had (the call is locked out of codes).
    pub async fn take_email_proof_try(
        &self,
        id: &str,
        call_id: &str,
        max_tries: i64,
    ) -> Result<bool, DbError> {
        let done = sqlx::query(
            r#"update email_proofs set attempts = attempts + 1
               where id = $1 and tenant = $4
                 and (select coalesce(sum(attempts), 0) from email_proofs
                      where call_id = $2 and tenant = $4) < $3"#,
        )
        .bind(id.to_owned())
        .bind(call_id.to_owned())
        .bind(max_tries)
        .bind(self.t())
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Wrong codes tried on a call so far.
    pub async fn email_proof_tries(&self, call_id: &str) -> Result<i64, DbError> {
        Ok(sqlx::query_scalar(
            "select coalesce(sum(attempts), 0) from email_proofs where call_id = $1 and tenant = $2",
        )
        .bind(call_id.to_owned())
        .bind(self.t())
        .fetch_one(self.writer())
        .await?)
    }

    /// Marks the code `id` as read back: its email is proven for its call. The try it took was
    /// not a wrong one, so it is given back.
    pub async fn prove_email(&self, id: &str, now: DateTime<Utc>) -> Result<(), DbError> {
        sqlx::query(
            "update email_proofs set proven_at = $2, attempts = attempts - 1 where id = $1 and tenant = $3 and proven_at is null",
        )
        .bind(id.to_owned())
        .bind(ts(now))
        .bind(self.t())
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// The emails proven on `call_id`, lower-case.
    pub async fn proven_emails(&self, call_id: &str) -> Result<Vec<String>, DbError> {
        Ok(sqlx::query_scalar(
            "select distinct email from email_proofs where call_id = $1 and tenant = $2 and proven_at is not null order by email",
        )
        .bind(call_id.to_owned())
        .bind(self.t())
        .fetch_all(self.writer())
        .await?)
    }
}
