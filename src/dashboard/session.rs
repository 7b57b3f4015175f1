//! Operator sign-in: the token check (the console's and the operator API's), what a token
//! grants, and the signed, expiring session cookie.
//!
//! `ADMIN_TOKEN` grants every business; a tenant's `admin_tokens` grant that business only.
//! The cookie is `v1.<expires unix>.<session id>.<hmac>`, where the HMAC-SHA256 key is derived
//! from every operator token: changing one signs everyone out. The session id must also be open in
//! the `dashboard_sessions` table, which every replica reads, so signing out ends the session
//! everywhere. The token itself is never stored in the cookie.

use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::domain::tenant::TenantSlug;

/// Name of the session cookie.
pub const COOKIE_NAME: &str = "vapi_cal_session";
/// How long a session lasts.
pub const SESSION_SECONDS: i64 = 12 * 60 * 60;
/// Path the cookie is sent on (the dashboard only).
pub const COOKIE_PATH: &str = "/dashboard";

/// What an operator's token lets them see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Grant {
    /// Every business (`ADMIN_TOKEN`).
    Every,
    /// One business (one of its `admin_tokens`).
    Tenant(TenantSlug),
}

impl Grant {
    /// The tenant a session row records (`None` for every business).
    pub fn tenant(&self) -> Option<&TenantSlug> {
        match self {
            Grant::Every => None,
            Grant::Tenant(slug) => Some(slug),
        }
    }
}

/// Who may sign in, and how sessions are signed.
#[derive(Clone)]
pub struct Access {
    /// Digests of the tokens, each with what it grants.
    tokens: Vec<([u8; 32], Grant)>,
    key: [u8; 32],
    secure: bool,
}

impl std::fmt::Debug for Access {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Access")
            .field("secure", &self.secure)
            .finish_non_exhaustive()
    }
}

impl Access {
    /// Access for `ADMIN_TOKEN` alone; cookies are `Secure` when `secure` (see `app::build`:
    /// always, unless the service is plainly on loopback http).
    pub fn new(admin_token: &SecretString, secure: bool) -> Self {
        Self::for_operators(Some(admin_token), &[], secure)
            .unwrap_or_else(|| unreachable!("one token is given"))
    }

    /// Access for `ADMIN_TOKEN` (if set) and each tenant's tokens; `None` when there is no
    /// token at all (the console and the operator API are then off).
    pub fn for_operators(
        admin_token: Option<&SecretString>,
        tenant_tokens: &[(TenantSlug, SecretString)],
        secure: bool,
    ) -> Option<Self> {
        let mut tokens = Vec::new();
        // The session key depends on every token, the admin's first (so a deployment with only
        // ADMIN_TOKEN keeps the key it had).
        let mut mac: Option<Hmac<Sha256>> = None;
        let granted = admin_token.map(|t| (t, Grant::Every)).into_iter().chain(
            tenant_tokens
                .iter()
                .map(|(slug, t)| (t, Grant::Tenant(slug.clone()))),
        );
        for (token, grant) in granted {
            let token = token.expose_secret().trim().as_bytes();
            tokens.push((Sha256::digest(token).into(), grant));
            mac = Some(match mac {
                None => <Hmac<Sha256> as KeyInit>::new_from_slice(token)
                    .expect("HMAC takes any key length"),
                Some(mut mac) => {
                    mac.update(b"\0");
                    mac.update(token);
                    mac
                }
            });
        }
        let mut mac = mac?;
        mac.update(b"vapi-cal dashboard session key v1");
        let key: [u8; 32] = mac.finalize().into_bytes().into();
        Some(Self {
            tokens,
            key,
            secure,
        })
    }

    /// What `candidate` grants, if it is an operator token (constant time over every token;
    /// digests hide the length).
    pub fn grant(&self, candidate: &str) -> Option<Grant> {
        let digest: [u8; 32] = Sha256::digest(candidate.trim().as_bytes()).into();
        let mut found = None;
        for (expected, grant) in &self.tokens {
            if bool::from(digest[..].ct_eq(&expected[..])) && found.is_none() {
                found = Some(grant.clone());
            }
        }
        found
    }

    /// Whether `candidate` is an operator token.
    pub fn token_matches(&self, candidate: &str) -> bool {
        self.grant(candidate).is_some()
    }

    /// A new session: its id (to record as open) and its cookie value, valid until
    /// [`Self::expires`].
    pub fn issue(&self, now: DateTime<Utc>) -> (String, String) {
        let expires = Self::expires(now).timestamp();
        let nonce = uuid::Uuid::new_v4().simple().to_string();
        let payload = format!("v1.{expires}.{nonce}");
        let value = format!("{payload}.{}", self.sign(&payload));
        (nonce, value)
    }

    /// The session id of a cookie value that is one of ours and not expired. Whether the
    /// session is still open (not signed out) is the database's to say.
    pub fn verify<'a>(&self, value: &'a str, now: DateTime<Utc>) -> Option<&'a str> {
        let (payload, signature) = value.rsplit_once('.')?;
        let mut parts = payload.split('.');
        let (Some("v1"), Some(expires), Some(nonce), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let signed = bool::from(self.sign(payload).as_bytes().ct_eq(signature.as_bytes()));
        (signed && expires.parse::<i64>().is_ok_and(|e| e > now.timestamp())).then_some(nonce)
    }

    /// When a session issued at `now` expires.
    pub fn expires(now: DateTime<Utc>) -> DateTime<Utc> {
        now + chrono::Duration::seconds(SESSION_SECONDS)
    }

    /// The `Set-Cookie` value that starts a session.
    pub fn set_cookie(&self, value: &str) -> String {
        format!(
            "{COOKIE_NAME}={value}; Path={COOKIE_PATH}; Max-Age={SESSION_SECONDS}; HttpOnly; SameSite=Strict{}",
            if self.secure { "; Secure" } else { "" }
        )
    }

    /// The `Set-Cookie` value keeping the admin's choice of business (a slug, checked by the
    /// caller), for as long as a session lasts.
    pub fn choice_cookie(&self, name: &str, slug: &str) -> String {
        format!(
            "{name}={slug}; Path={COOKIE_PATH}; Max-Age={SESSION_SECONDS}; HttpOnly; SameSite=Strict{}",
            if self.secure { "; Secure" } else { "" }
        )
    }

    /// The `Set-Cookie` value that ends a session.
    pub fn clear_cookie(&self) -> String {
        format!(
            "{COOKIE_NAME}=; Path={COOKIE_PATH}; Max-Age=0; HttpOnly; SameSite=Strict{}",
            if self.secure { "; Secure" } else { "" }
        )
    }

    fn sign(&self, payload: &str) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key)
            .expect("HMAC takes any key length");
        mac.update(payload.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// The session cookie's value from a `Cookie` header.
pub fn cookie_value(header: &str) -> Option<&str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn sessions_verify_until_they_expire_and_across_replicas() {
        let token = SecretString::from("a-long-admin-token-0123456789");
        let one = Access::new(&token, true);
        let other_replica = Access::new(&token, true);
        let now = at("2026-11-23T12:00:00Z");
        let (id, cookie) = one.issue(now);
        assert_eq!(other_replica.verify(&cookie, now), Some(id.as_str()));
        assert!(one.verify(&cookie, at("2026-11-23T23:59:00Z")).is_some());
        assert!(
            one.verify(&cookie, at("2026-11-24T00:00:01Z")).is_none(),
            "expired"
        );
        let rotated = Access::new(&SecretString::from("another-token-0123456789"), false);
        assert!(
            rotated.verify(&cookie, now).is_none(),
            "a new token signs everyone out"
        );
        let mut forged = cookie.clone();
        forged.replace_range(3..4, if &cookie[3..4] == "9" { "8" } else { "9" });
        assert!(
            one.verify(&forged, now).is_none(),
            "a changed expiry breaks the signature"
        );
        assert!(one.verify("v1.9999999999.x.deadbeef", now).is_none());
        assert!(!cookie.contains("a-long-admin-token"));
    }

    #[test]
    fn tokens_grant_every_business_or_one() {
        let admin = SecretString::from("a-long-admin-token-0123456789");
        let smile = TenantSlug::parse("smile").expect("slug");
        let tenants = [(
            smile.clone(),
            SecretString::from("smile-operator-token-0123"),
        )];
        let access = Access::for_operators(Some(&admin), &tenants, true).expect("tokens");
        assert_eq!(
            access.grant("a-long-admin-token-0123456789"),
            Some(Grant::Every)
        );
        assert_eq!(
            access.grant(" smile-operator-token-0123 "),
            Some(Grant::Tenant(smile.clone()))
        );
        assert_eq!(access.grant("smile-operator-token"), None);
        let only_tenants = Access::for_operators(None, &tenants, true).expect("tokens");
        assert_eq!(only_tenants.grant("a-long-admin-token-0123456789"), None);
        assert!(Access::for_operators(None, &[], true).is_none());
        // Adding a tenant's token signs everyone out, like changing ADMIN_TOKEN.
        let (_, cookie) = Access::new(&admin, true).issue(at("2026-11-23T12:00:00Z"));
        assert!(access.verify(&cookie, at("2026-11-23T12:00:00Z")).is_none());
    }

    #[test]
    fn cookie_flags() {
        let token = SecretString::from("a-long-admin-token-0123456789");
        let secure = Access::new(&token, true).set_cookie("v");
        assert!(secure.contains("HttpOnly") && secure.contains("SameSite=Strict"));
        assert!(secure.ends_with("; Secure"), "{secure}");
        let loopback = Access::new(&token, false).set_cookie("v");
        assert!(!loopback.contains("Secure"), "{loopback}");
        assert!(Access::new(&token, false).token_matches(" a-long-admin-token-0123456789 "));
        assert!(!Access::new(&token, false).token_matches("a-long-admin-token"));
    }

    #[test]
    fn the_cookie_is_found_among_others() {
        assert_eq!(
            cookie_value("theme=dark; vapi_cal_session=v1.1.n.s; x=y"),
            Some("v1.1.n.s")
        );
        assert_eq!(cookie_value("theme=dark"), None);
    }
}
