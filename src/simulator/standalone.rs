//! The simulator served on its own (`vapi-cal simulator`), with two introspection routes outside
//! Cal.com's API for load tools: `GET /_simulator/stats` (requests received so far) and
//! `GET /_simulator/requests?since=N` (the recorded requests from number `N` on).

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use super::Simulator;

/// Requests kept for `/_simulator/requests` when served standalone (the count is kept in full).
pub const STANDALONE_REQUEST_LOG: usize = 1_000;

impl Simulator {
    /// The simulated API plus the introspection routes.
    pub fn standalone_router(&self) -> Router {
        Router::new()
            .route("/_simulator/stats", get(stats))
            .route("/_simulator/requests", get(recorded))
            .with_state(self.clone())
            .merge(self.router())
    }
}

async fn stats(State(sim): State<Simulator>) -> Json<Value> {
    Json(json!({ "requests": sim.requests_received() }))
}

async fn recorded(
    State(sim): State<Simulator>,
    Query(q): Query<BTreeMap<String, String>>,
) -> Json<Value> {
    let since = q.get("since").and_then(|s| s.parse().ok()).unwrap_or(0);
    let requests: Vec<Value> = sim
        .requests_since(since)
        .into_iter()
        .map(|r| {
            let headers: serde_json::Map<String, Value> = r
                .headers
                .into_iter()
                .map(|(k, v)| (k, Value::from(v)))
                .collect();
            json!({
                "method": r.method,
                "path": r.path,
                "query": r.query,
                "headers": headers,
                "body": r.body,
            })
        })
        .collect();
    Json(json!({ "requests": requests }))
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::super::Simulator;
    use crate::clock::Clock;

    #[tokio::test]
    async fn standalone_counts_every_request_and_keeps_the_latest() {
        let sim = Simulator::new("k", Clock::system());
        sim.set_request_log_limit(Some(2));
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let app = sim.standalone_router();
        tokio::spawn(async move { axum::serve(listener, app).await });
        let http = reqwest::Client::new();
        for path in ["/v2/me", "/v2/event-types", "/v2/webhooks"] {
            let status = http
                .get(format!("{url}{path}"))
                .bearer_auth("k")
                .send()
                .await
                .expect("request")
                .status();
            assert_ne!(status.as_u16(), 0);
        }
        let get = |path: String| {
            let http = http.clone();
            async move {
                http.get(path)
                    .send()
                    .await
                    .expect("request")
                    .json::<Value>()
                    .await
                    .expect("json")
            }
        };
        // Introspection requests are not Cal.com requests: they are not counted.
        assert_eq!(get(format!("{url}/_simulator/stats")).await["requests"], 3);
        let since_one = get(format!("{url}/_simulator/requests?since=1")).await;
        let paths: Vec<&str> = since_one["requests"]
            .as_array()
            .expect("list")
            .iter()
            .map(|r| r["path"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(paths, ["/v2/event-types", "/v2/webhooks"]);
        let since_two = get(format!("{url}/_simulator/requests?since=2")).await;
        assert_eq!(since_two["requests"][0]["path"], "/v2/webhooks");
        assert_eq!(
            since_two["requests"][0]["headers"]["authorization"],
            "Bearer k"
        );
        // The oldest one fell out of the bounded log; the count did not.
        assert_eq!(sim.requests().len(), 2);
        assert_eq!(sim.requests_received(), 3);
    }
}
