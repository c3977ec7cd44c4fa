//! The replay: each worker owns a pool of requests signed before the measured time and a
//! keep-alive connection it writes them to, so that the load generator spends per request
//! a write, a read and a scan of the answer, far less than the server it measures.

use crate::{Res, raw};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Pools older than this are signed again. A SigV4 signature carries no nonce and is
/// accepted for 15 minutes after its time; the 5 minutes spare cover clock skew between
/// the two hosts and a request in flight.
pub const RESIGN_AFTER: Duration = Duration::from_secs(10 * 60);

/// Whether requests signed at `signed_at` must be signed again before being sent at `now`.
pub fn needs_signing(signed_at: Instant, now: Instant) -> bool {
    now.saturating_duration_since(signed_at) >= RESIGN_AFTER
}

/// Signs the `n`th request of a worker into wire bytes.
pub type Signer<'a> = &'a (dyn Fn(u64) -> Res<Vec<u8>> + Sync);

/// One worker's signed requests, numbered from `first`.
#[derive(Debug)]
pub struct Pool {
    first: u64,
    requests: Vec<Vec<u8>>,
    next: usize,
    signed_at: Instant,
    /// Each request is sent once (it creates something); otherwise the pool repeats.
    unique: bool,
}

impl Pool {
    /// Requests `first..first + count`, signed now.
    pub fn sign(first: u64, count: usize, unique: bool, now: Instant, sign: Signer) -> Res<Pool> {
        let requests = (first..first + count as u64)
            .map(sign)
            .collect::<Res<Vec<_>>>()?;
        Ok(Pool {
            first,
            requests,
            next: 0,
            signed_at: now,
            unique,
        })
    }

    /// The next request to send at `now` (signing the pool again first if its signatures
    /// are about to expire); `None` once a unique pool is used up.
    pub fn next(&mut self, now: Instant, sign: Signer) -> Res<Option<&[u8]>> {
        if needs_signing(self.signed_at, now) {
            // A unique pool signs only what it has not sent; a repeating one all of it.
            let from = if self.unique { self.next } else { 0 };
            let first = self.first + from as u64;
            let count = self.requests.len() - from;
            let next = self.next - from;
            *self = Pool::sign(first, count, self.unique, now, sign)?;
            self.next = next;
        }
        if self.next >= self.requests.len() {
            if self.unique || self.requests.is_empty() {
                return Ok(None);
            }
            self.next = 0;
        }
        let i = self.next;
        self.next += 1;
        Ok(self.requests.get(i).map(Vec::as_slice))
    }

    /// Requests in the pool.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.requests.len()
    }
}

/// A keep-alive HTTP/1.1 connection with one request in flight, reopened when the server
/// closes it.
#[derive(Debug)]
pub struct Conn {
    addr: String,
    stream: Option<TcpStream>,
    buf: Vec<u8>,
}

impl Conn {
    /// A connection to `addr` (`127.0.0.1:4750`), opened on first use.
    pub fn new(addr: &str) -> Conn {
        Conn {
            addr: addr.to_owned(),
            stream: None,
            buf: Vec::with_capacity(64 * 1024),
        }
    }

    /// Writes `request` and reads its answer: `Ok` for a 2xx, the status and the start of
    /// the answer otherwise. It sets no timer of its own (one per request would cost the
    /// load generator more than the rest of the exchange): the run bounds its workers.
    pub async fn exchange(&mut self, request: &[u8]) -> Result<(), String> {
        let stream = match &mut self.stream {
            Some(s) => s,
            None => {
                let s = TcpStream::connect(&self.addr)
                    .await
                    .map_err(|e| format!("connect {}: {e}", self.addr))?;
                s.set_nodelay(true).map_err(|e| e.to_string())?;
                self.buf.clear();
                self.stream.insert(s)
            }
        };
        if let Err(e) = stream.write_all(request).await {
            self.stream = None;
            return Err(format!("write: {e}"));
        }
        loop {
            match raw::parse_response(&self.buf) {
                Ok(Some(answer)) => {
                    let outcome = if (200..300).contains(&answer.status) {
                        Ok(())
                    } else {
                        let shown = answer.len.min(400);
                        Err(String::from_utf8_lossy(&self.buf[..shown]).into_owned())
                    };
                    self.buf.drain(..answer.len);
                    if answer.close {
                        self.stream = None;
                        self.buf.clear();
                    }
                    return outcome;
                }
                Ok(None) => {}
                Err(e) => {
                    self.stream = None;
                    self.buf.clear();
                    return Err(e);
                }
            }
            if self.buf.capacity() - self.buf.len() < 4096 {
                self.buf.reserve(64 * 1024);
            }
            match stream.read_buf(&mut self.buf).await {
                Ok(0) => {
                    self.stream = None;
                    self.buf.clear();
                    return Err("the server closed the connection".to_owned());
                }
                Ok(_) => {}
                Err(e) => {
                    self.stream = None;
                    self.buf.clear();
                    return Err(format!("read: {e}"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    /// A signer that writes the request's number and the how-manieth signing it was.
    fn counting(signings: &AtomicU64) -> impl Fn(u64) -> Res<Vec<u8>> + Sync + '_ {
        move |n| {
            let k = signings.fetch_add(1, Ordering::Relaxed);
            Ok(format!("{n}#{k}").into_bytes())
        }
    }

    fn text(bytes: Option<&[u8]>) -> Option<String> {
        bytes.map(|b| String::from_utf8_lossy(b).into_owned())
    }

    #[test]
    fn signatures_are_renewed_before_they_expire() {
        assert!(!needs_signing(
            Instant::now(),
            Instant::now() + RESIGN_AFTER - Duration::from_secs(1)
        ));
        let t0 = Instant::now();
        assert!(needs_signing(t0, t0 + RESIGN_AFTER));
        assert!(RESIGN_AFTER < Duration::from_secs(15 * 60));
    }

    #[test]
    fn a_repeating_pool_wraps_and_is_signed_again_whole() -> Res<()> {
        let signings = AtomicU64::new(0);
        let sign = counting(&signings);
        let t0 = Instant::now();
        let mut pool = Pool::sign(5, 2, false, t0, &sign)?;
        let sent: Vec<_> = (0..3)
            .map(|_| pool.next(t0, &sign).map(text))
            .collect::<Res<_>>()?;
        assert_eq!(
            sent,
            [Some("5#0".into()), Some("6#1".into()), Some("5#0".into())]
        );
        let later = t0 + RESIGN_AFTER;
        assert_eq!(text(pool.next(later, &sign)?), Some("6#3".into()));
        assert_eq!(signings.load(Ordering::Relaxed), 4);
        assert_eq!(text(pool.next(later, &sign)?), Some("5#2".into()));
        Ok(())
    }

    #[test]
    fn a_unique_pool_signs_again_only_what_it_has_not_sent_and_runs_out() -> Res<()> {
        let signings = AtomicU64::new(0);
        let sign = counting(&signings);
        let t0 = Instant::now();
        let mut pool = Pool::sign(0, 3, true, t0, &sign)?;
        assert_eq!(text(pool.next(t0, &sign)?), Some("0#0".into()));
        let later = t0 + RESIGN_AFTER + Duration::from_secs(1);
        assert_eq!(text(pool.next(later, &sign)?), Some("1#3".into()));
        assert_eq!(pool.len(), 2);
        assert_eq!(text(pool.next(later, &sign)?), Some("2#4".into()));
        assert_eq!(pool.next(later, &sign)?, None);
        assert_eq!(signings.load(Ordering::Relaxed), 5);
        Ok(())
    }
}
