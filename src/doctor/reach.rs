//! Reachability: `PUBLIC_URL/healthz` answers over HTTPS, as VAPI and Cal.com will call it.

use std::time::Instant;

use super::{Check, Options, is_loopback, within};
use crate::config::Settings;

const ID: &str = "reach.healthz";
const NAME: &str = "Public URL reachable";

/// The reachability check (skipped with a note for loopback URLs).
pub(super) async fn checks(settings: &Settings, options: &Options) -> Vec<Check> {
    let Some(public_url) = settings.public_url.as_deref() else {
        return vec![Check::skipped(ID, NAME, "PUBLIC_URL is not set")];
    };
    let Ok(url) = reqwest::Url::parse(public_url.trim()) else {
        return vec![Check::skipped(ID, NAME, "PUBLIC_URL is not a URL")];
    };
    if is_loopback(&url) {
        return vec![Check::warn(
            ID,
            NAME,
            format!(
                "skipped: {public_url} is a loopback address, which VAPI and Cal.com cannot reach"
            ),
            None,
        )];
    }
    if url.scheme() != "https" {
        return vec![Check::fail(
            ID,
            NAME,
            format!("{public_url} is not HTTPS; VAPI and Cal.com send to HTTPS URLs only"),
            "Serve behind HTTPS (a reverse proxy with a certificate) and set PUBLIC_URL to the https:// URL.",
        )];
    }
    let healthz = format!("{}/healthz", public_url.trim().trim_end_matches('/'));
    let http = reqwest::Client::builder()
        .timeout(options.check_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_default();
    let started = Instant::now();
    let fix = "Check that the service runs, that DNS and the proxy point PUBLIC_URL at it, and that its certificate is valid.";
    vec![
        match within(options.check_timeout, &healthz, http.get(&healthz).send()).await {
            Ok(Ok(resp)) if resp.status().is_success() => Check::pass(
                ID,
                NAME,
                format!(
                    "{healthz} answered {} in {} ms",
                    resp.status().as_u16(),
                    started.elapsed().as_millis()
                ),
            ),
            Ok(Ok(resp)) => Check::fail(
                ID,
                NAME,
                format!("{healthz} answered {}", resp.status()),
                fix,
            ),
            Ok(Err(e)) => Check::fail(
                ID,
                NAME,
                format!("{healthz} could not be reached: {e}"),
                fix,
            ),
            Err(e) => Check::fail(ID, NAME, e, fix),
        },
    ]
}
