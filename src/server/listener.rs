//! Accepting connections: a cap on how many are open at once, and a time
//! limit on each request's headers.
//!
//! `axum::serve` sets neither: its hyper connections have no timer, so a
//! client that opens a connection and trickles a header byte now and then
//! (or never sends one) holds a task and a file descriptor for as long as
//! it likes, and enough of them exhaust the server. This loop is
//! `axum::serve` with those two limits: hyper's HTTP/1 `header_read_timeout`
//! (which, from the second request on a connection, also bounds the idle
//! wait for it: one timer for both), and a semaphore that stops accepting
//! while `max_connections` are open, leaving new ones in the kernel's
//! backlog until a slot frees. HTTP/1.1 only: pump's clients and reverse
//! proxies speak it, and an HTTP/2 connection would sit in protocol
//! detection with no timer at all.

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tower::ServiceExt;

/// How connections are let in.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Connections open at once; more wait to be accepted.
    pub max_connections: usize,
    /// How long a request's headers may take to arrive, counted from the
    /// connection's opening or the previous answer.
    pub header_timeout: Duration,
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets every
/// open connection finish its request in flight and returns.
pub async fn serve(listener: TcpListener, app: Router, limits: ConnectionLimits, shutdown: impl Future<Output = ()>) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    // Every connection holds a receiver; `closed()` resolves when all are gone.
    let (stop, stopped) = watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot,
            () = &mut shutdown => break,
        };
        let Ok(slot) = slot else { break };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, most often: wait instead of spinning.
                    eprintln!("cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Small answers go out at once instead of waiting for more to send.
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let mut stopping = stopped.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                app.clone().oneshot(request)
            });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                // A connection that ends in error (a timeout, a reset) has
                // nothing left to say: it is simply closed.
                _ = connection.as_mut() => return,
                _ = stopping.changed() => connection.as_mut().graceful_shutdown(),
            }
            let _ = connection.await;
        });
    }
    drop(stopped);
    let _ = stop.send(());
    stop.closed().await;
}

/// The peer a request came in from, when it came through [`serve`] (tests
/// that call the router in-process have none).
pub fn peer_of(extensions: &axum::http::Extensions) -> Option<SocketAddr> {
    extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0)
}
