//! `vapi-cal doctor`: checks a deployment end to end and says, for each failure, how to fix it.
//!
//! Checks are grouped by concern (settings, database, Cal.com, VAPI, reachability), one module
//! each. They only read: nothing is created, migrated or pushed. Every remote request has its own
//! timeout and the groups run side by side, so a remote that never answers costs one timeout,
//! not the whole run. Every detail is passed through [`Report::redact`] before it is shown, so
//! no secret can reach the output even inside an error message.

mod calcom;
mod database;
mod reach;
mod settings;
mod vapi;

use std::{fmt, future::Future, time::Duration};

use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde_json::{Value, json};

use crate::config::Settings;

/// How long one remote check may take. Checks that depend on another (the event type on the
/// key) wait for it first, so the slowest chain is two of these, well inside 20 seconds.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(6);

/// The outcome of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Works.
    Pass,
    /// Not checked, or works with a caveat the operator should know about.
    Warn,
    /// Broken: the service will misbehave until it is fixed.
    Fail,
}

impl Status {
    /// The mark printed before the check.
    pub fn mark(self) -> &'static str {
        match self {
            Status::Pass => "✓",
            Status::Warn => "!",
            Status::Fail => "✗",
        }
    }
}

/// One check's line.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    /// Stable id, e.g. `cal.webhook_secret`.
    pub id: &'static str,
    /// What is checked, e.g. "Cal.com webhook secret".
    pub name: &'static str,
    /// Outcome.
    pub status: Status,
    /// What was found.
    pub detail: String,
    /// The fix, in one sentence (always present on a failure).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Check {
    /// A passing check.
    pub fn pass(id: &'static str, name: &'static str, detail: impl Into<String>) -> Self {
        Self {
            id,
            name,
            status: Status::Pass,
            detail: detail.into(),
            fix: None,
        }
    }

    /// A check not run, or a caveat; `fix` is optional advice.
    pub fn warn(
        id: &'static str,
        name: &'static str,
        detail: impl Into<String>,
        fix: Option<String>,
    ) -> Self {
        Self {
            id,
            name,
            status: Status::Warn,
            detail: detail.into(),
            fix,
        }
    }

    /// A failing check with its fix.
    pub fn fail(
        id: &'static str,
        name: &'static str,
        detail: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            id,
            name,
            status: Status::Fail,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }

    /// A check skipped because the one it depends on failed.
    pub fn skipped(id: &'static str, name: &'static str, because: &str) -> Self {
        Self::warn(id, name, format!("not checked: {because}"), None)
    }
}

/// Everything the doctor found.
#[derive(Clone, Debug)]
pub struct Report {
    /// The checks, in the order they are shown.
    pub checks: Vec<Check>,
}

impl Report {
    /// True when no check failed (warnings allowed): the exit status is 0 exactly then.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.status != Status::Fail)
    }

    /// The check with this id.
    pub fn get(&self, id: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.id == id)
    }

    /// Counts of (passed, warnings, failed).
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |s| self.checks.iter().filter(|c| c.status == s).count();
        (
            count(Status::Pass),
            count(Status::Warn),
            count(Status::Fail),
        )
    }

    /// The report as JSON: `{"ok", "passed", "warnings", "failed", "checks": [...]}`.
    pub fn to_json(&self) -> Value {
        let (passed, warnings, failed) = self.counts();
        json!({
            "ok": self.passed(),
            "passed": passed,
            "warnings": warnings,
            "failed": failed,
            "checks": self.checks,
        })
    }

    /// Replaces every occurrence of a secret value in details and fixes with `***`.
    fn redact(&mut self, secrets: &[String]) {
        for check in &mut self.checks {
            for text in std::iter::once(&mut check.detail).chain(check.fix.as_mut()) {
                for secret in secrets {
                    if text.contains(secret.as_str()) {
                        *text = text.replace(secret.as_str(), "***");
                    }
                }
            }
        }
    }
}

impl fmt::Display for Report {
    /// One line per check: mark, name, what was found and, on failure, the fix.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for check in &self.checks {
            write!(
                f,
                "{} {}: {}",
                check.status.mark(),
                check.name,
                check.detail
            )?;
            match &check.fix {
                Some(fix) if check.status == Status::Fail => write!(f, " Fix: {fix}")?,
                Some(fix) => write!(f, " ({fix})")?,
                None => {}
            }
            writeln!(f)?;
        }
        let (passed, warnings, failed) = self.counts();
        writeln!(
            f,
            "\n{passed} passed, {warnings} warning(s), {failed} failed."
        )
    }
}

/// Tunables, so tests can shorten the wait.
#[derive(Clone, Debug)]
pub struct Options {
    /// Timeout of one remote check.
    pub check_timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            check_timeout: CHECK_TIMEOUT,
        }
    }
}

/// Runs every check (reading only) and returns the report, secrets redacted.
pub async fn run(settings: &Settings, options: &Options) -> Report {
    let mut checks = settings::checks(settings);
    let (db, cal, vapi, reach) = tokio::join!(
        database::checks(settings, options),
        calcom::checks(settings, options),
        vapi::checks(settings, options),
        reach::checks(settings, options),
    );
    checks.extend(db);
    checks.extend(cal);
    checks.extend(vapi);
    checks.extend(reach);
    let mut report = Report { checks };
    report.redact(&secret_values(settings));
    report
}

/// Runs `fut` with the check timeout; `Err` carries a sentence saying it did not answer.
async fn within<T>(limit: Duration, what: &str, fut: impl Future<Output = T>) -> Result<T, String> {
    tokio::time::timeout(limit, fut)
        .await
        .map_err(|_| format!("{what} did not answer within {} s", limit.as_secs_f32()))
}

/// Every secret value the output must not contain (including a database password).
fn secret_values(settings: &Settings) -> Vec<String> {
    let mut values: Vec<String> = [
        &settings.cal_api_key,
        &settings.vapi_api_key,
        &settings.vapi_webhook_secret,
        &settings.cal_webhook_secret,
        &settings.admin_token,
    ]
    .into_iter()
    .flatten()
    .map(|s: &SecretString| s.expose_secret().to_owned())
    .collect();
    values.extend(
        settings
            .cal_webhook_secrets()
            .iter()
            .map(|s| s.expose_secret().to_owned()),
    );
    if let Ok(url) = reqwest::Url::parse(&settings.database_url)
        && let Some(password) = url.password()
    {
        values.push(password.to_owned());
    }
    // Short values would blank out ordinary words; they are still never printed on purpose.
    values.retain(|v| v.len() >= 4);
    values.sort_by_key(|v| std::cmp::Reverse(v.len()));
    values
}

/// Whether a URL's host is this machine (skip the reachability check, relax HTTPS).
fn is_loopback(url: &reqwest::Url) -> bool {
    url.host_str().is_some_and(|host| {
        host.eq_ignore_ascii_case("localhost")
            || host
                .trim_matches(['[', ']'])
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    })
}
