//! Accepting connections and serving each one (HTTP/1.1, and HTTP/2 with prior knowledge)
//! within the connection limits: a cap on open connections, past which new ones are closed
//! on arrival, and the header and idle timeouts that close a connection whose client is too
//! slow. Requests on open connections are served whatever the cap.

mod activity;
mod limit;

pub use limit::default_max_connections;

use crate::metrics::{Metrics, TooSlow};
use activity::{Activity, Expired, Timeouts, Tracked, Watched};
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};

/// How long accepting pauses after an error such as `EMFILE`: the pending connection stays
/// queued, and retrying at once would spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// The connection limits.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections: usize,
    pub http2_max_concurrent_streams: u32,
}

/// Serves connections from `listener` until `shutdown` resolves, then stops accepting, lets
/// every connection finish its requests, and returns once all are closed.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    metrics: Arc<Metrics>,
    shutdown: impl Future<Output = ()>,
) {
    // A semaphore's permits are a u32 when taken all at once, at shutdown.
    let max_connections = limits
        .max_connections
        .clamp(1, u32::MAX as usize)
        .min(Semaphore::MAX_PERMITS);
    metrics.connections.set_limit(max_connections);
    let slots = Arc::new(Semaphore::new(max_connections));
    let (stop, stopping) = watch::channel(());
    let builder = Arc::new(builder(&limits));
    let timeouts = Timeouts {
        header: limits.header_timeout,
        idle: limits.idle_timeout,
    };
    // Turns every route into its final form once, not once per connection.
    let router = router.with_state(());
    let mut failing = false;
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) if is_connection_error(&e) => continue,
            Err(e) => {
                if !failing {
                    tracing::error!(error = %e, "cannot accept connections; retrying");
                    failing = true;
                }
                tokio::select! {
                    () = tokio::time::sleep(ACCEPT_BACKOFF) => continue,
                    () = &mut shutdown => break,
                }
            }
        };
        if failing {
            tracing::info!("accepting connections again");
            failing = false;
        }
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            metrics.connections.refused();
            drop(stream);
            continue;
        };
        metrics.connections.opened();
        tokio::spawn(serve_connection(
            stream,
            Connection {
                router: router.clone(),
                builder: builder.clone(),
                timeouts,
                stopping: stopping.clone(),
                metrics: metrics.clone(),
                _slot: slot,
            },
        ));
    }
    drop(listener);
    let _ = stop.send(());
    // Every connection holds a slot until it is closed.
    let _ = slots.acquire_many(max_connections as u32).await;
}

fn builder(limits: &Limits) -> Builder<TokioExecutor> {
    let mut builder = Builder::new(TokioExecutor::new());
    // Headers are timed by the connection's own deadline, which also knows idleness.
    builder.http1().header_read_timeout(None);
    builder
        .http2()
        .max_concurrent_streams(limits.http2_max_concurrent_streams);
    builder
}

/// Errors of one connection that never reached us; the listener is fine.
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// What serving one connection needs.
struct Connection {
    router: Router,
    builder: Arc<Builder<TokioExecutor>>,
    timeouts: Timeouts,
    stopping: watch::Receiver<()>,
    metrics: Arc<Metrics>,
    /// Its place under the cap, given back when it is closed.
    _slot: OwnedSemaphorePermit,
}

/// Serves one connection until its client closes it, a deadline passes, or the server
/// stops and its requests are answered (a connection still awaiting a request's headers is
/// closed at once).
async fn serve_connection(stream: TcpStream, mut this: Connection) {
    let activity = Activity::new();
    let io = TokioIo::new(Watched::new(stream, activity.clone()));
    let connection = this
        .builder
        .serve_connection(io, Tracked::new(this.router.clone(), activity.clone()));
    tokio::pin!(connection);
    let mut draining = false;
    loop {
        tokio::select! {
            served = connection.as_mut() => {
                if let Err(e) = served {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
                break;
            }
            _ = this.stopping.changed(), if !draining => {
                // No request of this connection has been received: none is lost.
                if activity.awaiting_headers() {
                    break;
                }
                draining = true;
                connection.as_mut().graceful_shutdown();
            }
            expired = activity.expired(&this.timeouts) => {
                this.metrics.connections.timed_out(match expired {
                    Expired::Headers => TooSlow::Headers,
                    Expired::Idle => TooSlow::Idle,
                });
                tracing::debug!(?expired, "closing a connection whose client is too slow");
                break;
            }
        }
    }
    this.metrics.connections.closed();
}
