//! A tenant: one business served by the deployment, named by its slug. Every row a business owns
//! carries the slug, and every database handle is scoped to one.

use std::{fmt, sync::Arc};

/// A tenant's slug: lower-case ASCII letters, digits and `-`, starting with a letter or digit, at
/// most 63 characters, so it is safe in a URL path (`/t/{slug}/…`) and in a log line as it is.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TenantSlug(Arc<str>);

/// The longest slug accepted.
pub const MAX_SLUG_LEN: usize = 63;

impl TenantSlug {
    /// The tenant the single-business settings define, and the owner of every row written
    /// before tenants existed.
    pub const DEFAULT: &'static str = "default";

    /// The `default` tenant.
    pub fn default_tenant() -> Self {
        Self(Arc::from(Self::DEFAULT))
    }

    /// Parses a slug, or says what is wrong with it.
    pub fn parse(text: &str) -> Result<Self, SlugError> {
        if text.is_empty() {
            return Err(SlugError::Empty);
        }
        if text.len() > MAX_SLUG_LEN {
            return Err(SlugError::TooLong);
        }
        let mut chars = text.chars();
        let first_ok = chars
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        let rest_ok = text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !first_ok || !rest_ok {
            return Err(SlugError::Characters);
        }
        Ok(Self(Arc::from(text)))
    }

    /// The slug as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The slug as shared text, for a label that outlives the request (no copy is made).
    pub fn shared(&self) -> Arc<str> {
        Arc::clone(&self.0)
    }

    /// Whether this is the `default` tenant.
    pub fn is_default(&self) -> bool {
        &*self.0 == Self::DEFAULT
    }
}

impl Default for TenantSlug {
    fn default() -> Self {
        Self::default_tenant()
    }
}

impl fmt::Display for TenantSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for TenantSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", &*self.0)
    }
}

/// What is wrong with a slug.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    /// Nothing was given.
    #[error("a slug must not be empty")]
    Empty,
    /// Over [`MAX_SLUG_LEN`] characters.
    #[error("a slug has at most 63 characters")]
    TooLong,
    /// A character outside `a-z`, `0-9` and `-`, or a leading `-`.
    #[error(
        "a slug has only lower-case letters, digits and '-', and starts with a letter or digit"
    )]
    Characters,
}

#[cfg(test)]
mod tests {
    use super::{SlugError, TenantSlug};

    #[test]
    fn slugs_are_url_safe_names() {
        for ok in ["default", "smile", "salon-london", "a", "9lives"] {
            assert_eq!(TenantSlug::parse(ok).expect(ok).as_str(), ok);
        }
        assert_eq!(TenantSlug::parse(""), Err(SlugError::Empty));
        assert_eq!(TenantSlug::parse(&"a".repeat(64)), Err(SlugError::TooLong));
        for bad in [
            "-smile",
            "Smile",
            "smile/../x",
            "smile clinic",
            "café",
            "a_b",
            "<b>",
        ] {
            assert_eq!(TenantSlug::parse(bad), Err(SlugError::Characters), "{bad}");
        }
        assert!(TenantSlug::default_tenant().is_default());
    }
}
