//! Outbound email over SMTP (`SMTP_URL`, `SMTP_FROM`): the one-time codes that let a caller
//! without a phone number prove they own the email a booking was made with.
//!
//! `smtps://` wraps the connection in TLS; `smtp://` uses STARTTLS, required for any host but
//! loopback (so a password never crosses the network in the clear), and plain text on loopback
//! for a local relay or the simulator's sink ([`crate::simulator::smtp`]).

use std::{sync::Arc, time::Duration};

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, header::ContentType},
};
use secrecy::{ExposeSecret, SecretString};

/// Longest one message may take to hand over.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a mailer could not be built or a message not sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// `SMTP_URL` cannot be used.
    #[error("SMTP_URL is not usable: {0}")]
    Url(String),
    /// An address is not an email address.
    #[error("'{0}' is not an email address")]
    Address(String),
    /// The message could not be built.
    #[error("the message could not be built: {0}")]
    Build(String),
    /// The server refused the message or could not be reached.
    #[error("sending the email failed: {0}")]
    Send(String),
}

/// Sends mail through one SMTP server; cheap to clone.
#[derive(Clone)]
pub struct Mailer {
    transport: Arc<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
    /// The server's host, for logs (never the credentials).
    host: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("host", &self.host)
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// A mailer for `url` (`smtp://` or `smtps://`, credentials in the URL) sending as `from`.
    pub fn new(url: &SecretString, from: &str) -> Result<Self, MailError> {
        let from: Mailbox = from
            .parse()
            .map_err(|_| MailError::Address(from.to_owned()))?;
        let url = url.expose_secret();
        let parsed = reqwest::Url::parse(url).map_err(|e| MailError::Url(e.to_string()))?;
        let host = parsed
            .host_str()
            .ok_or_else(|| MailError::Url("it names no host".to_owned()))?
            .to_owned();
        let names_tls = parsed.query_pairs().any(|(k, _)| k == "tls");
        // Plain SMTP only to this machine: anywhere else STARTTLS is required.
        let url = if parsed.scheme() == "smtp" && !names_tls && !is_loopback(&host) {
            let sep = if parsed.query().is_some() { '&' } else { '?' };
            format!("{url}{sep}tls=required")
        } else {
            url.to_owned()
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
            .map_err(|e| MailError::Url(e.to_string()))?
            .timeout(Some(SEND_TIMEOUT))
            .build();
        Ok(Self {
            transport: Arc::new(transport),
            from,
            host,
        })
    }

    /// The server's host name, for logs.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Sends one plain-text message to `to`.
    pub async fn send(&self, to: &str, subject: &str, body: String) -> Result<(), MailError> {
        let to: Mailbox = to.parse().map_err(|_| MailError::Address(to.to_owned()))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| MailError::Build(e.to_string()))?;
        self.transport
            .send(message)
            .await
            .map(drop)
            .map_err(|e| MailError::Send(e.to_string()))
    }
}

/// Whether `host` is this machine.
fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_may_be_plain() {
        assert!(is_loopback("127.0.0.1"));
        assert!(is_loopback("[::1]"));
        assert!(is_loopback("localhost"));
        assert!(!is_loopback("mail.example.com"));
        assert!(!is_loopback("10.0.0.1"));
    }

    #[test]
    fn a_bad_url_or_sender_is_named() {
        let url = SecretString::from("smtp://127.0.0.1:2525");
        assert!(matches!(
            Mailer::new(&url, "not an address"),
            Err(MailError::Address(_))
        ));
        let bad = SecretString::from("ftp://example.com");
        assert!(matches!(
            Mailer::new(&bad, "a@example.com"),
            Err(MailError::Url(_))
        ));
        assert!(Mailer::new(&url, "Bookings <a@example.com>").is_ok());
        let remote = SecretString::from("smtp://u:p@mail.example.com:587");
        assert!(Mailer::new(&remote, "a@example.com").is_ok());
    }
}
