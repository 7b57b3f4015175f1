//! Proof that a server message comes from VAPI: a shared secret (`X-Vapi-Secret` or
//! `Authorization: Bearer`) or an HMAC signature (`x-signature` over `{x-timestamp}.{raw body}`).
//!
//! The check is split in two so that the body is read only for a message whose headers pass:
//! [`VapiAuth::check_headers`] settles a shared secret and a signature's timestamp, and
//! [`VapiAuth::verify_signature`] then checks the signature over the body.
//!
//! Every comparison is constant-time, and several values of each secret may be configured so that
//! a rotation never locks VAPI out. Errors never contain a secret.

use chrono::{DateTime, TimeDelta, Utc};
use hmac::{Hmac, KeyInit, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// How far the `x-timestamp` of a signed message may be from our clock, either way.
pub const MAX_SKEW: TimeDelta = TimeDelta::minutes(5);

/// Timestamps above this are milliseconds (as seconds it would be the year 5138).
const MILLIS_THRESHOLD: i64 = 100_000_000_000;

/// The credentials the service accepts from VAPI.
#[derive(Clone, Debug, Default)]
pub struct VapiAuth {
    /// Shared secrets, accepted as `X-Vapi-Secret: <s>` or `Authorization: Bearer <s>`.
    pub shared_secrets: Vec<SecretString>,
    /// HMAC-SHA256 keys for `x-signature`.
    pub hmac_secrets: Vec<SecretString>,
}

/// The request headers the check reads, as text.
#[derive(Clone, Copy, Debug, Default)]
pub struct Presented<'a> {
    /// `X-Vapi-Secret`.
    pub vapi_secret: Option<&'a str>,
    /// `Authorization`.
    pub authorization: Option<&'a str>,
    /// `x-signature`.
    pub signature: Option<&'a str>,
    /// `x-timestamp`.
    pub timestamp: Option<&'a str>,
}

/// Why a message was refused (worded for the 401 body and the log; never holds a secret).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// No credential header at all.
    #[error(
        "missing VAPI credential: send X-Vapi-Secret, Authorization: Bearer, or x-signature with x-timestamp"
    )]
    Missing,
    /// A shared secret that matches none configured.
    #[error("the VAPI secret does not match")]
    WrongSecret,
    /// A signature without a usable timestamp.
    #[error("x-timestamp is missing or not a number of seconds or milliseconds")]
    BadTimestamp,
    /// A signature whose timestamp is too old or too far ahead.
    #[error("x-timestamp is more than 5 minutes from the server's clock")]
    StaleTimestamp,
    /// A signature that matches none of the keys.
    #[error("the x-signature does not match")]
    BadSignature,
}

impl AuthError {
    /// A short label for metrics and logs.
    pub fn reason(self) -> &'static str {
        match self {
            AuthError::Missing => "missing",
            AuthError::WrongSecret => "wrong_secret",
            AuthError::BadTimestamp => "bad_timestamp",
            AuthError::StaleTimestamp => "stale_timestamp",
            AuthError::BadSignature => "bad_signature",
        }
    }
}

impl VapiAuth {
    /// Whether any credential is configured; without one every message is accepted (the operator
    /// started the service with `--accept-unauthenticated-vapi`).
    pub fn is_configured(&self) -> bool {
        !self.shared_secrets.is_empty() || !self.hmac_secrets.is_empty()
    }

    /// Checks the presented credentials against the raw body. A signature is checked when HMAC is
    /// configured and one is present; otherwise a shared secret must match.
    pub fn verify(
        &self,
        presented: Presented<'_>,
        body: &[u8],
        now: DateTime<Utc>,
    ) -> Result<(), AuthError> {
        match self.check_headers(presented, now)? {
            Admission::Accepted => Ok(()),
            Admission::NeedsBody(signed) => self.verify_signature(signed, body),
        }
    }

    /// Everything that can be checked before the body is read: a shared secret completely; a
    /// signature's presence and its timestamp's freshness. A message this refuses is refused
    /// without reading a byte of its body.
    pub fn check_headers<'a>(
        &self,
        presented: Presented<'a>,
        now: DateTime<Utc>,
    ) -> Result<Admission<'a>, AuthError> {
        if !self.is_configured() {
            return Ok(Admission::Accepted);
        }
        let signature = presented.signature.map(str::trim).filter(|s| !s.is_empty());
        if let (false, Some(signature)) = (self.hmac_secrets.is_empty(), signature) {
            let timestamp = fresh_timestamp(presented.timestamp, now)?;
            return Ok(Admission::NeedsBody(Signed {
                signature,
                timestamp,
            }));
        }
        let given = presented
            .vapi_secret
            .map(str::trim)
            .or_else(|| {
                presented
                    .authorization
                    .map(str::trim)
                    .and_then(|a| a.strip_prefix("Bearer ").or(a.strip_prefix("bearer ")))
                    .map(str::trim)
            })
            .filter(|s| !s.is_empty());
        let Some(given) = given else {
            return Err(AuthError::Missing);
        };
        // Compare with every secret, so the time taken does not say which one matched.
        let matched = self.shared_secrets.iter().fold(false, |found, secret| {
            let equal: bool = secret
                .expose_secret()
                .as_bytes()
                .ct_eq(given.as_bytes())
                .into();
            found | equal
        });
        if matched {
            Ok(Admission::Accepted)
        } else {
            Err(AuthError::WrongSecret)
        }
    }

    /// Checks a signature whose headers [`Self::check_headers`] accepted against the raw body.
    pub fn verify_signature(&self, signed: Signed<'_>, body: &[u8]) -> Result<(), AuthError> {
        let hex_sig = signed
            .signature
            .strip_prefix("sha256=")
            .unwrap_or(signed.signature);
        let given = hex::decode(hex_sig).map_err(|_| AuthError::BadSignature)?;
        let matched = self.hmac_secrets.iter().fold(false, |found, secret| {
            let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.expose_secret().as_bytes())
            else {
                return found;
            };
            mac.update(signed.timestamp.as_bytes());
            mac.update(b".");
            mac.update(body);
            // verify_slice compares in constant time.
            found | mac.verify_slice(&given).is_ok()
        });
        if matched {
            Ok(())
        } else {
            Err(AuthError::BadSignature)
        }
    }
}

/// What the headers of a message settle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission<'a> {
    /// The message is authenticated (or no credential is configured): read and run it.
    Accepted,
    /// A signed message with a fresh timestamp: read the body and verify the signature.
    NeedsBody(Signed<'a>),
}

/// A signature and its timestamp, as presented.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signed<'a> {
    signature: &'a str,
    timestamp: &'a str,
}

/// The `x-timestamp` text when it is a time (seconds or milliseconds) within [`MAX_SKEW`].
fn fresh_timestamp(timestamp: Option<&str>, now: DateTime<Utc>) -> Result<&str, AuthError> {
    let raw_ts = timestamp
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(AuthError::BadTimestamp)?;
    let number: i64 = raw_ts.parse().map_err(|_| AuthError::BadTimestamp)?;
    let at = if number.abs() >= MILLIS_THRESHOLD {
        DateTime::from_timestamp_millis(number)
    } else {
        DateTime::from_timestamp(number, 0)
    }
    .ok_or(AuthError::BadTimestamp)?;
    if (now - at).abs() > MAX_SKEW {
        return Err(AuthError::StaleTimestamp);
    }
    Ok(raw_ts)
}

/// Signs a body the way VAPI's HMAC credential does: hex HMAC-SHA256 of `{timestamp}.{body}`.
pub fn sign(secret: &str, timestamp: &str, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth() -> VapiAuth {
        VapiAuth {
            shared_secrets: vec![SecretString::from("old"), SecretString::from("new")],
            hmac_secrets: vec![SecretString::from("hk")],
        }
    }

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).expect("valid")
    }

    #[test]
    fn shared_secret_in_either_header_and_either_rotation_value() {
        let a = auth();
        for (vapi_secret, authorization) in [
            (Some("old"), None),
            (Some("new"), None),
            (None, Some("Bearer new")),
        ] {
            let p = Presented {
                vapi_secret,
                authorization,
                ..Presented::default()
            };
            assert_eq!(a.verify(p, b"{}", now()), Ok(()));
        }
        let wrong = Presented {
            authorization: Some("Bearer newer"),
            ..Presented::default()
        };
        assert_eq!(a.verify(wrong, b"{}", now()), Err(AuthError::WrongSecret));
        assert_eq!(
            a.verify(Presented::default(), b"{}", now()),
            Err(AuthError::Missing)
        );
    }

    #[test]
    fn signatures_in_seconds_or_milliseconds_within_five_minutes() {
        let a = auth();
        let body = br#"{"message":{}}"#;
        for ts in [
            now().timestamp().to_string(),
            now().timestamp_millis().to_string(),
            (now().timestamp() - 299).to_string(),
        ] {
            let sig = sign("hk", &ts, body);
            let p = Presented {
                signature: Some(&sig),
                timestamp: Some(&ts),
                ..Presented::default()
            };
            assert_eq!(a.verify(p, body, now()), Ok(()), "{ts}");
        }
        for (ts, want) in [
            (
                (now().timestamp() - 301).to_string(),
                AuthError::StaleTimestamp,
            ),
            (
                (now().timestamp() + 301).to_string(),
                AuthError::StaleTimestamp,
            ),
            ("yesterday".to_owned(), AuthError::BadTimestamp),
        ] {
            let sig = sign("hk", &ts, body);
            let p = Presented {
                signature: Some(&sig),
                timestamp: Some(&ts),
                ..Presented::default()
            };
            assert_eq!(a.verify(p, body, now()), Err(want), "{ts}");
        }
        let ts = now().timestamp().to_string();
        let sig = sign("hk", &ts, b"{\"message\":{ }}");
        let p = Presented {
            signature: Some(&sig),
            timestamp: Some(&ts),
            ..Presented::default()
        };
        assert_eq!(a.verify(p, body, now()), Err(AuthError::BadSignature));
    }

    #[test]
    fn nothing_configured_accepts_everything() {
        assert_eq!(
            VapiAuth::default().verify(Presented::default(), b"", now()),
            Ok(())
        );
    }
}
