//! Addresses holding a NUL character (`%00` in the path or the query) are refused with a 400
//! before any route sees them: no id, slug, search word or filter ever holds U+0000, and
//! PostgreSQL's text cannot hold one, so a query bound with it would fail instead of finding
//! nothing.

use axum::{extract::Request, middleware::Next, response::IntoResponse, response::Response};

use crate::error::ApiError;

/// Middleware: answers 400 to a request whose path or query holds `%00`.
pub async fn refuse_nul(request: Request, next: Next) -> Response {
    if holds_nul(request.uri().path()) || request.uri().query().is_some_and(holds_nul) {
        return ApiError::bad_request("nul_in_address", "the address holds a NUL character (%00)")
            .into_response();
    }
    next.run(request).await
}

/// Whether percent-decoding `part` would give a NUL byte (a raw one is not a valid URI byte).
fn holds_nul(part: &str) -> bool {
    memchr::memmem::find(part.as_bytes(), b"%00").is_some()
}

#[cfg(test)]
mod tests {
    use super::holds_nul;

    #[test]
    fn finds_only_an_encoded_nul() {
        assert!(holds_nul("/dashboard/calls/a%00b"));
        assert!(holds_nul("q=%00"));
        assert!(
            !holds_nul("q=%2500"),
            "an encoded percent sign before 00 is text"
        );
        assert!(!holds_nul("q=100%25&x=%0A"));
    }
}
