//! What one connection is doing, and the deadline that follows: its client has
//! `header_timeout` to send a request's headers (from the connection, or from the request's
//! first byte on a connection kept alive) and `idle_timeout` between requests; while a
//! request is in flight the connection has no deadline of its own (the body and request
//! time limits apply).
//!
//! The socket and the service report to one [`Activity`]: bytes read, requests started and
//! answered. The connection's task waits on [`Activity::expired`] beside the connection.

use axum::Router;
use axum::body::Body;
use axum::response::Response;
use hyper::body::Incoming;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::Notify;
use tokio::time::Instant;

/// How long a client may take, by phase.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timeouts {
    /// To send a request's headers.
    pub header: Duration,
    /// Between requests.
    pub idle: Duration,
}

/// Why a connection's deadline passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expired {
    /// Its client did not finish a request's headers in time.
    Headers,
    /// Its client sent no new request in time.
    Idle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Waiting for a request's headers, since `since`.
    Headers,
    /// At least one request in flight.
    Busy,
    /// Nothing in flight and nothing received, since `since`.
    Idle,
}

#[derive(Debug)]
struct State {
    phase: Phase,
    since: Instant,
    in_flight: usize,
    /// HTTP/2 frames other than a request's (pings, settings, window updates) may arrive at
    /// any time: on such a connection only requests end the idle phase.
    http2: bool,
}

/// The shared record of one connection's activity.
#[derive(Debug)]
pub(crate) struct Activity {
    state: Mutex<State>,
    /// Wakes [`Activity::expired`] when the deadline may have moved earlier or appeared.
    changed: Notify,
}

impl Activity {
    /// A connection just accepted: its first request's headers are due.
    pub(crate) fn new() -> Arc<Activity> {
        Arc::new(Activity {
            state: Mutex::new(State {
                phase: Phase::Headers,
                since: Instant::now(),
                in_flight: 0,
                http2: false,
            }),
            changed: Notify::new(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Bytes arrived: on an idle HTTP/1 connection they start the next request's headers.
    fn received(&self) {
        let mut state = self.lock();
        if state.phase == Phase::Idle && !state.http2 {
            state.phase = Phase::Headers;
            state.since = Instant::now();
            drop(state);
            self.changed.notify_one();
        }
    }

    /// A request's headers are in; the connection is busy until the guard is dropped.
    fn request_started(self: &Arc<Self>, http2: bool) -> InFlight {
        let mut state = self.lock();
        state.in_flight += 1;
        state.phase = Phase::Busy;
        state.http2 |= http2;
        InFlight(self.clone())
    }

    fn request_finished(&self) {
        let mut state = self.lock();
        state.in_flight = state.in_flight.saturating_sub(1);
        if state.in_flight == 0 {
            state.phase = Phase::Idle;
            state.since = Instant::now();
            drop(state);
            self.changed.notify_one();
        }
    }

    /// Whether nothing is in flight and a request's headers are awaited, or arriving.
    pub(crate) fn awaiting_headers(&self) -> bool {
        self.lock().phase == Phase::Headers
    }

    fn deadline(&self, timeouts: &Timeouts) -> Option<(Instant, Expired)> {
        let state = self.lock();
        match state.phase {
            Phase::Headers => Some((state.since + timeouts.header, Expired::Headers)),
            Phase::Idle => Some((state.since + timeouts.idle, Expired::Idle)),
            Phase::Busy => None,
        }
    }

    /// Resolves once the connection's current deadline has passed.
    pub(crate) async fn expired(&self, timeouts: &Timeouts) -> Expired {
        loop {
            // Created before the state is read, so that no change is missed.
            let changed = self.changed.notified();
            match self.deadline(timeouts) {
                Some((at, why)) if at <= Instant::now() => return why,
                Some((at, _)) => {
                    tokio::select! {
                        () = tokio::time::sleep_until(at) => {}
                        () = changed => {}
                    }
                }
                None => changed.await,
            }
        }
    }
}

/// A request in flight; dropped when its response is ready or the request is abandoned.
#[derive(Debug)]
struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.request_finished();
    }
}

/// The connection's socket, reporting the bytes it receives.
#[derive(Debug)]
pub(crate) struct Watched {
    stream: TcpStream,
    activity: Arc<Activity>,
}

impl Watched {
    pub(crate) fn new(stream: TcpStream, activity: Arc<Activity>) -> Watched {
        Watched { stream, activity }
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let poll = Pin::new(&mut this.stream).poll_read(cx, buf);
        if matches!(poll, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            this.activity.received();
        }
        poll
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

/// The router as the connection's service, reporting each request's start and answer.
#[derive(Debug, Clone)]
pub(crate) struct Tracked {
    router: Router,
    activity: Arc<Activity>,
}

impl Tracked {
    pub(crate) fn new(router: Router, activity: Arc<Activity>) -> Tracked {
        Tracked { router, activity }
    }
}

impl hyper::service::Service<http::Request<Incoming>> for Tracked {
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn call(&self, request: http::Request<Incoming>) -> Self::Future {
        let in_flight = self
            .activity
            .request_started(request.version() == http::Version::HTTP_2);
        // The router is always ready (axum's `Router::poll_ready` is `Ready(Ok(()))`).
        let response = tower::Service::call(&mut self.router.clone(), request.map(Body::new));
        Box::pin(async move {
            let response = response.await;
            drop(in_flight);
            response
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIMEOUTS: Timeouts = Timeouts {
        header: Duration::from_secs(10),
        idle: Duration::from_secs(60),
    };

    #[tokio::test(start_paused = true)]
    async fn a_silent_connection_has_the_header_timeout() {
        let activity = Activity::new();
        let started = Instant::now();
        assert_eq!(activity.expired(&TIMEOUTS).await, Expired::Headers);
        assert_eq!(started.elapsed(), TIMEOUTS.header);
    }

    #[tokio::test(start_paused = true)]
    async fn an_answered_connection_idles_then_its_next_bytes_start_headers() {
        let activity = Activity::new();
        drop(activity.request_started(false));
        let started = Instant::now();
        let waiting = tokio::spawn({
            let activity = activity.clone();
            async move { activity.expired(&TIMEOUTS).await }
        });
        tokio::time::sleep(Duration::from_secs(30)).await;
        activity.received();
        assert_eq!(waiting.await.ok(), Some(Expired::Headers));
        assert_eq!(started.elapsed(), Duration::from_secs(40));
    }

    #[tokio::test(start_paused = true)]
    async fn a_busy_connection_has_no_deadline_until_answered() {
        let activity = Activity::new();
        let request = activity.request_started(true);
        let waiting = tokio::spawn({
            let activity = activity.clone();
            async move { activity.expired(&TIMEOUTS).await }
        });
        tokio::time::sleep(Duration::from_secs(600)).await;
        assert!(!waiting.is_finished());
        // HTTP/2 control frames do not end the idle phase.
        drop(request);
        activity.received();
        let answered = Instant::now();
        assert_eq!(waiting.await.ok(), Some(Expired::Idle));
        assert_eq!(answered.elapsed(), TIMEOUTS.idle);
    }
}
