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
        let summary = "No code is needed: this call comes from a phone number, and the caller's appointments booked under it can be looked up directly.".to_owned();
        return Ok(Value::Object(result_object(summary, ctx.clock.now(), tz)));
    }
    let email = p.email.trim().to_ascii_lowercase();
    if !looks_like_email(&email) {
        return Err(ToolError(format!(
            "'{}' doesn't look like an email address; please spell it again.",
            p.email.trim()
        )));
    }
    let Some(call_id) = call.call_id.as_deref() else {
        return Err(ToolError("I can't confirm an email outside a call.".into()));
    };
    let Some(mailer) = &ctx.mailer else {
        return Err(ToolError(no_code_sentence()));
    };
    match p.code.given() {
        None => send_code(ctx, mailer, call_id, &email).await,
        Some(code) => check_code(ctx, call_id, &email, code).await,
    }
}

/// Why appointments booked earlier are out of reach on a line that cannot send codes.
pub(super) fn no_code_sentence() -> String {
    "I can't confirm an email on this line, so appointments booked earlier can't be reached from a call without a phone number. Please ask the caller to call again from the phone number the appointment was booked with; then I can find it.".to_owned()
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
        return Err(ToolError(format!(
            "I can't send more codes on this call (at most {SENDS_PER_CALL}). Please ask the caller to use a code already sent, or to call again from the phone number the appointment was booked with."
        )));
    }
    if has_bookings {
        // Off the answer's path: the answer takes as long whether or not a mail goes out.
        let mailer = mailer.clone();
        let to = email.to_owned();
        tokio::spawn(async move {
            let body = format!(
                "Your confirmation code is {code}.\r\n\r\nRead it to the assistant on the phone to reach your appointments. It works for {CODE_LIFETIME_MINUTES} minutes, on this call only. If you did not ask for it, ignore this email.\r\n"
            );
            if let Err(err) = mailer.send(&to, "Your confirmation code", body).await {
                tracing::warn!(%err, host = mailer.host(), "could not send a one-time code");
            }
        });
    }
    let summary = format!(
        "If {email} has an appointment with us, a {CODE_DIGITS}-digit code is on its way to it; it works for {CODE_LIFETIME_MINUTES} minutes. Ask the caller to read the code out, then call caller_verify again with the email and the code."
    );
    let mut out = result_object(summary, now, ctx.business_tz);
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
async fn check_code(ctx: &ToolContext, call_id: &str, email: &str, code: &str) -> ToolResult {
    let now = ctx.clock.now();
    let code: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if code.len() != CODE_DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ToolError(format!(
            "The code is {CODE_DIGITS} digits; please ask the caller to read it again."
        )));
    }
    let failed = |e: crate::db::DbError| local_lookup_failed(&e);
    let locked = || {
        ToolError(
            "Too many wrong codes on this call, so I can't confirm an email any more. Please ask the caller to call again from the phone number the appointment was booked with.".to_owned(),
        )
    };
    if ctx.db.email_proof_tries(call_id).await.map_err(failed)? >= TRIES_PER_CALL {
        return Err(locked());
    }
    let Some(live) = ctx
        .db
        .live_email_proof(call_id, email, now)
        .await
        .map_err(failed)?
    else {
        return Err(ToolError(
            "That code isn't right, or it has expired. I can send a new one with caller_verify and the email alone.".into(),
        ));
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
            ToolError(format!(
                "That code isn't right. Please ask the caller to read it again ({left} tries left)."
            ))
        });
    }
    ctx.db.prove_email(&live.id, now).await.map_err(failed)?;
    let summary = format!(
        "Thank you: {email} is confirmed for this call. Its appointments can now be looked up with appointment_read, and moved or cancelled."
    );
    let mut out = result_object(summary, now, ctx.business_tz);
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
