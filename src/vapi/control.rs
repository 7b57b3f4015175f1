//! VAPI's live call control: a `POST` to the `call.monitor.controlUrl` a message carries steers
//! the call while it runs. The service uses it for one thing, handing a call over to a person
//! (`{"type": "transfer", ...}`) when the tools keep failing.
//!
//! The URL comes in a message body, so it is only followed to VAPI itself: `https` on `vapi.ai`
//! or a subdomain, or the origin of `VAPI_API_URL` (a deployment pointed elsewhere, and the
//! tests' fake). Anything else is refused without a request, so a forged URL cannot make the
//! service call into its own network.

use std::time::Duration;

use reqwest::Url;
use serde_json::{Value, json};

/// How long a control request may take.
const TIMEOUT: Duration = Duration::from_secs(5);

/// Sends live-control requests to VAPI.
#[derive(Clone, Debug)]
pub struct LiveControl {
    http: reqwest::Client,
    /// `VAPI_API_URL`'s origin, also accepted.
    api_origin: Option<(String, String, Option<u16>)>,
}

/// What came of a control request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sent {
    /// VAPI took it.
    Taken,
    /// The URL is not VAPI's: nothing was sent.
    NotVapi,
    /// VAPI answered with an error, or could not be reached.
    Failed(String),
}

impl Sent {
    /// How the operator reads it.
    pub fn describe(&self) -> String {
        match self {
            Sent::Taken => "transfer sent to VAPI's live call control".to_owned(),
            Sent::NotVapi => "the call's control URL is not VAPI's: nothing sent".to_owned(),
            Sent::Failed(why) => format!("VAPI's live call control failed: {why}"),
        }
    }
}

fn origin(url: &Url) -> Option<(String, String, Option<u16>)> {
    Some((
        url.scheme().to_owned(),
        url.host_str()?.to_ascii_lowercase(),
        url.port_or_known_default(),
    ))
}

impl LiveControl {
    /// Control requests accepted on VAPI's hosts and on `api_url`'s origin.
    pub fn new(api_url: &str) -> Self {
        Self {
            http: reqwest::Client::builder()
                .timeout(TIMEOUT)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap_or_default(),
            api_origin: Url::parse(api_url).ok().as_ref().and_then(origin),
        }
    }

    /// Whether `url` is VAPI's.
    pub fn allows(&self, url: &str) -> Option<Url> {
        let url = Url::parse(url).ok()?;
        let (scheme, host, port) = origin(&url)?;
        let vapi_host = scheme == "https" && (host == "vapi.ai" || host.ends_with(".vapi.ai"));
        let configured = self.api_origin.as_ref() == Some(&(scheme, host, port));
        (vapi_host || configured).then_some(url)
    }

    /// Asks VAPI to transfer the call to `number`, saying `message` first.
    pub async fn transfer(&self, control_url: &str, number: &str, message: &str) -> Sent {
        let Some(url) = self.allows(control_url) else {
            return Sent::NotVapi;
        };
        let body = transfer_body(number, message);
        match self.http.post(url).json(&body).send().await {
            Ok(resp) if resp.status().is_success() => Sent::Taken,
            Ok(resp) => Sent::Failed(format!("HTTP {}", resp.status().as_u16())),
            Err(err) => Sent::Failed(if err.is_timeout() {
                "timed out".to_owned()
            } else {
                "unreachable".to_owned()
            }),
        }
    }
}

/// The live-control body that transfers a call to `number`.
pub fn transfer_body(number: &str, message: &str) -> Value {
    json!({
        "type": "transfer",
        "destination": {"type": "number", "number": number},
        "content": message,
    })
}

/// The control URL a message carries (`call.monitor.controlUrl`).
pub fn control_url(message: &Value) -> Option<&str> {
    message
        .pointer("/call/monitor/controlUrl")
        .and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_vapi_and_the_configured_api_are_followed() {
        let control = LiveControl::new("http://127.0.0.1:4010");
        assert!(control.allows("https://phone-call-websocket.aws-us-west-2-backend-production3.vapi.ai/abc/control").is_some());
        assert!(control.allows("https://vapi.ai/x").is_some());
        assert!(
            control
                .allows("http://127.0.0.1:4010/control/abc")
                .is_some()
        );
        for forged in [
            "http://phone.vapi.ai/x",
            "https://vapi.ai.evil.example/x",
            "https://evilvapi.ai/x",
            "http://127.0.0.1:4011/x",
            "http://169.254.169.254/latest/meta-data",
            "https://user@127.0.0.1:4010/x",
            "file:///etc/passwd",
            "not a url",
        ] {
            assert!(control.allows(forged).is_none(), "{forged}");
        }
    }
}
