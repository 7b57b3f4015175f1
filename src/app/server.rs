//! The server loop: accepts connections up to a cap, serves each with HTTP/1.1 under a header
//! read timeout, hands every request its client's address, and shuts down gracefully.
//!
//! axum's own `serve` has no header timeout and no connection cap, and a slow client could
//! otherwise hold a connection (and its buffers) for as long as it likes. Body read timeouts are
//! per route (see `crate::http::body`), because only the route knows how much it will read.

use std::{future::Future, net::SocketAddr, pin::pin, sync::Arc, time::Duration};

use axum::{Router, body::Body, extract::ConnectInfo, http::Request};
use hyper::body::Incoming;
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    service::TowerToHyperService,
};
use tokio::{
    net::TcpListener,
    sync::{Semaphore, watch},
};
use tower::ServiceExt;

/// How the server treats connections.
#[derive(Clone, Debug)]
pub struct Transport {
    /// Time a client has to send a request's headers; also how long an idle keep-alive
    /// connection waits for the next request (`HTTP_HEADER_TIMEOUT_SECS`).
    pub header_timeout: Duration,
    /// Time a client has to send a whole request body (`HTTP_BODY_TIMEOUT_SECS`).
    pub body_timeout: Duration,
    /// Connections served at once (`MAX_CONNECTIONS`); more wait in the listen queue.
    pub max_connections: usize,
}

impl Default for Transport {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(15),
            body_timeout: Duration::from_secs(30),
            max_connections: 1024,
        }
    }
}

/// Serves `router` on `listener` until `stop` resolves; then stops accepting, asks every open
/// connection to finish its request in flight, and resolves once they all have.
pub(crate) async fn run(
    listener: TcpListener,
    router: Router,
    transport: &Transport,
    stop: impl Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(transport.max_connections.max(1)));
    // Connections watch `stopping`; each holds a clone of `open`, so `open_tx.closed()`
    // resolves when the last one is done.
    let (stopping_tx, stopping) = watch::channel(false);
    let (open_tx, open) = watch::channel(());
    let mut stop = pin!(stop);
    loop {
        let accepted = tokio::select! {
            () = &mut stop => break,
            accepted = accept(&listener, &permits) => accepted,
        };
        let Some((stream, addr, permit)) = accepted else {
            continue;
        };
        let service = router
            .clone()
            .map_request(move |mut request: Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(addr));
                request.map(Body::new)
            });
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(transport.header_timeout);
        let mut stopping = stopping.clone();
        let open = open.clone();
        tokio::spawn(async move {
            let connection =
                builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
            let mut connection = pin!(connection);
            tokio::select! {
                served = connection.as_mut() => {
                    if let Err(err) = served {
                        tracing::debug!(%err, %addr, "connection ended");
                    }
                }
                () = async {
                    let _ = stopping.wait_for(|stop| *stop).await;
                } => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
            drop((permit, open));
        });
    }
    drop(listener);
    let _ = stopping_tx.send(true);
    drop(open);
    open_tx.closed().await;
}

/// The next connection, once a permit is free; `None` after a failed accept (already waited on).
async fn accept(
    listener: &TcpListener,
    permits: &Arc<Semaphore>,
) -> Option<(
    tokio::net::TcpStream,
    SocketAddr,
    tokio::sync::OwnedSemaphorePermit,
)> {
    // The semaphore is never closed, so this only waits.
    let permit = Arc::clone(permits).acquire_owned().await.ok()?;
    match listener.accept().await {
        Ok((stream, addr)) => {
            // Small answers go out at once rather than waiting for more to send.
            let _ = stream.set_nodelay(true);
            Some((stream, addr, permit))
        }
        Err(err) => {
            // Out of file descriptors and the like: wait a little rather than spin.
            tracing::warn!(%err, "could not accept a connection");
            tokio::time::sleep(Duration::from_millis(100)).await;
            None
        }
    }
}
