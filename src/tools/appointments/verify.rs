//! `caller_verify`: a caller without a phone number proves they own the email a booking was
//! made with by reading back a one-time code sent to it. The proof holds for this call only
//! ([`proven_emails`]).
//!
//! The answer never says whether the email has bookings (a code goes out only if it has, but the
//! answer and its timing are the same either way), never contains the code, and the code is
//! stored only as a hash. A call may ask for a few codes and try a few wrong ones, then it is
//! locked out of codes.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::*;
use crate::{db::email_proofs::NewEmailProof, tools::params::CallerVerifyParams};

/// Digits in a code.
const CODE_DIGITS: usize = 6;
/// How long a code works.
const CODE_LIFETIME_MINUTES: i64 = 10;
/// Codes one call may ask for.
const SENDS_PER_CALL: i64 = 3;
/// Wrong codes one call may try before it is locked out.
const TRIES_PER_CALL: i64 = 5;

/// `caller_verify`: sends a code (email only) or checks one (email and code).
pub(crate) async fn caller_verify(
    ctx: &ToolContext,
    call: &CallContext,
    p: CallerVerifyParams,
) -> ToolResult {
    let tz = ctx.business_tz;
    if call.caller_phone.is_some() {
        return Ok(Value::Object(result_object(
            Say::NoCodeNeeded,
            call,
            ctx.clock.now(),
            tz,
        )));
    }
    let email = p.email.trim().to_ascii_lowercase();
    if !looks_like_email(&email) {
        return Err(Say::BadEmail {
            email: p.email.trim().to_owned(),
        }
        .into());
    }
    let Some(call_id) = call.call_id.as_deref() else {
        return Err(Say::NoCallToConfirmIn.into());
    };
    let Some(mailer) = &ctx.mailer else {
        return Err(Say::NoCodesOnThisLine.into());
    };
    match p.code.given() {
        None => send_code(ctx, call, mailer, call_id, &email).await,
        Some(code) => check_code(ctx, call, call_id, &email, code).await,
    }
}

/// A plausible address: one `@`, a dot in the domain, no spaces, not absurdly long.
fn looks_like_email(email: &str) -> bool {
    email.len() <= 254
        && !email.contains(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && !domain.contains('@') && domain.contains('.')
        })
}

/// Stores and (if the email has bookings) mails a new code; the answer is the same either way.
async fn send_code(
    ctx: &ToolContext,
    call: &CallContext,
    mailer: &crate::email::Mailer,
    call_id: &str,
    email: &str,
) -> ToolResult {
    let now = ctx.clock.now();
    let has_bookings = email_has_bookings(ctx, email).await?;
    let id = uuid::Uuid::now_v7().to_string();
    let code = new_code();
    let proof = NewEmailProof {
        id: id.clone(),
        call_id: call_id.to_owned(),
        email: email.to_owned(),
        code_hash: has_bookings.then(|| code_hash(&id, &code)),
        sent_at: now,
        expires_at: now + Duration::minutes(CODE_LIFETIME_MINUTES),
    };
    let stored = ctx
        .db
        .insert_email_proof(&proof, SENDS_PER_CALL)
        .await
        .map_err(|e| local_lookup_failed(&e))?;
    if !stored {
        return Err(Say::TooManyCodes {
            max: SENDS_PER_CALL,
        }
        .into());
    }
    if has_bookings {
        // Off the answer's path: the answer takes as long whether or not a mail goes out.
        let mailer = mailer.clone();
        let to = email.to_owned();
        // The mail speaks the caller's language, like the call.
        let subject = Say::CodeEmailSubject.text(call.lang);
        let body = Say::CodeEmailBody {
            code,
            minutes: CODE_LIFETIME_MINUTES,
        }
        .text(call.lang);
        tokio::spawn(async move {
            if let Err(err) = mailer.send(&to, &subject, body).await {
                tracing::warn!(%err, host = mailer.host(), "could not send a one-time code");
            }
        });
    }
    let summary = Say::CodeSent {
        email: email.to_owned(),
        digits: CODE_DIGITS,
        minutes: CODE_LIFETIME_MINUTES,
    };
    let mut out = result_object(summary, call, now, ctx.business_tz);
    out.insert("codeRequested".into(), json!(true));
    Ok(Value::Object(out))
}

/// Whether `email` has an active upcoming booking (the local table once synced, else Cal.com).
async fn email_has_bookings(ctx: &ToolContext, email: &str) -> Result<bool, ToolError> {
    let now = ctx.clock.now();
    let found = if ctx.db.bookings_table_is_synced().await {
        ctx.db
            .active_appointments(Contact::Email(email), now, None)
            .await
            .map_err(|e| local_lookup_failed(&e))?
    } else {
        read::bookings_by_email(ctx, email, now, None).await?
    };
    Ok(found.iter().any(Appointment::is_active))
}

/// Checks a code read back; on success the email is proven for this call.
async fn check_code(
    ctx: &ToolContext,
    call: &CallContext,
    call_id: &str,
    email: &str,
    code: &str,
) -> ToolResult {
    let now = ctx.clock.now();
    let code: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if code.len() != CODE_DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Say::CodeDigits {
            digits: CODE_DIGITS,
        }
        .into());
    }
    let failed = |e: crate::db::DbError| local_lookup_failed(&e);
    let locked = || ToolError::Say(Say::TooManyWrongCodes);
    if ctx.db.email_proof_tries(call_id).await.map_err(failed)? >= TRIES_PER_CALL {
        return Err(locked());
    }
    let Some(live) = ctx
        .db
        .live_email_proof(call_id, email, now)
        .await
        .map_err(failed)?
    else {
        return Err(Say::CodeExpired.into());
    };
    if !ctx
        .db
        .take_email_proof_try(&live.id, call_id, TRIES_PER_CALL)
        .await
        .map_err(failed)?
    {
        return Err(locked());
    }
    let matches = live.code_hash.as_deref().is_some_and(|stored| {
        bool::from(
            stored
                .as_bytes()
                .ct_eq(code_hash(&live.id, &code).as_bytes()),
        )
    });
    if !matches {
        let used = ctx.db.email_proof_tries(call_id).await.map_err(failed)?;
        let left = (TRIES_PER_CALL - used).max(0);
        return Err(if left == 0 {
            locked()
        } else {
            ToolError::Say(Say::CodeWrong { left })
        });
    }
    ctx.db.prove_email(&live.id, now).await.map_err(failed)?;
    let summary = Say::EmailConfirmed {
        email: email.to_owned(),
    };
    let mut out = result_object(summary, call, now, ctx.business_tz);
    out.insert("verified".into(), json!(true));
    Ok(Value::Object(out))
}

/// A random code of [`CODE_DIGITS`] digits, leading zeros kept (from the OS's random source
/// through a v4 UUID's 122 random bits).
fn new_code() -> String {
    let random = u128::from_le_bytes(*uuid::Uuid::new_v4().as_bytes());
    format!("{:06}", random % 1_000_000)
}

/// The stored form of a code: SHA-256 of the row id (a salt) and the code.
fn code_hash(id: &str, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{id}:{code}").as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_vary() {
        let codes: Vec<String> = (0..50).map(|_| new_code()).collect();
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit()))
        );
        let mut distinct = codes.clone();
        distinct.sort();
        distinct.dedup();
        assert!(distinct.len() > 40, "{codes:?}");
    }

    #[test]
    fn the_hash_depends_on_the_salt() {
        assert_ne!(code_hash("a", "123456"), code_hash("b", "123456"));
        assert_eq!(code_hash("a", "123456"), code_hash("a", "123456"));
        assert!(!code_hash("a", "123456").contains("123456"));
    }

    #[test]
    fn emails_are_checked_loosely() {
        assert!(looks_like_email("pat@example.com"));
        assert!(!looks_like_email("pat@example"));
        assert!(!looks_like_email("pat example@x.com"));
        assert!(!looks_like_email("@x.com"));
    }
}
