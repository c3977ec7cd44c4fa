//! Connection counters: how many are open, how many were turned away at the cap, and how
//! many were closed because their client was too slow.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// What a client was too slow at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TooSlow {
    /// Sending a request's headers (or its first byte after connecting).
    Headers,
    /// Sending a request's body: answered 408.
    Body,
    /// Sending its next request on a connection kept alive.
    Idle,
}

impl TooSlow {
    fn label(self) -> &'static str {
        match self {
            TooSlow::Headers => "headers",
            TooSlow::Body => "body",
            TooSlow::Idle => "idle",
        }
    }
}

/// The connection counters of [`super::Metrics`].
#[derive(Debug, Default)]
pub struct ConnectionMetrics {
    limit: AtomicU64,
    accepted: AtomicU64,
    closed: AtomicU64,
    refused: AtomicU64,
    timed_out: [AtomicU64; 3],
}

impl ConnectionMetrics {
    /// Sets the cap on open connections.
    pub fn set_limit(&self, limit: usize) {
        self.limit
            .store(u64::try_from(limit).unwrap_or(u64::MAX), Relaxed);
    }

    /// A connection was accepted and is being served.
    pub fn opened(&self) {
        self.accepted.fetch_add(1, Relaxed);
    }

    /// A served connection ended, for whatever reason.
    pub fn closed(&self) {
        self.closed.fetch_add(1, Relaxed);
    }

    /// A connection arrived at the cap and was closed at once.
    pub fn refused(&self) {
        self.refused.fetch_add(1, Relaxed);
    }

    /// A connection was closed, or a request answered 408, because its client was too slow.
    pub fn timed_out(&self, what: TooSlow) {
        if let Some(counter) = self.timed_out.get(what as usize) {
            counter.fetch_add(1, Relaxed);
        }
    }

    /// Connections being served now.
    pub fn open(&self) -> u64 {
        // Closed is read first: a connection counted closed was always counted accepted.
        let closed = self.closed.load(Relaxed);
        self.accepted.load(Relaxed).saturating_sub(closed)
    }

    pub(super) fn render(&self, out: &mut String) {
        out.push_str("# HELP amplifybackend_connections_open Connections being served.\n");
        out.push_str("# TYPE amplifybackend_connections_open gauge\n");
        let _ = writeln!(out, "amplifybackend_connections_open {}", self.open());
        out.push_str("# HELP amplifybackend_connections_max Most connections served at once; more are refused.\n");
        out.push_str("# TYPE amplifybackend_connections_max gauge\n");
        let _ = writeln!(
            out,
            "amplifybackend_connections_max {}",
            self.limit.load(Relaxed)
        );
        out.push_str(
            "# HELP amplifybackend_connections_accepted_total Connections accepted and served.\n",
        );
        out.push_str("# TYPE amplifybackend_connections_accepted_total counter\n");
        let _ = writeln!(
            out,
            "amplifybackend_connections_accepted_total {}",
            self.accepted.load(Relaxed)
        );
        out.push_str("# HELP amplifybackend_connections_refused_total Connections closed on arrival because the most were open.\n");
        out.push_str("# TYPE amplifybackend_connections_refused_total counter\n");
        let _ = writeln!(
            out,
            "amplifybackend_connections_refused_total {}",
            self.refused.load(Relaxed)
        );
        out.push_str("# HELP amplifybackend_connections_timed_out_total Connections closed because the client was too slow: sending headers, a body (answered 408 first), or its next request.\n");
        out.push_str("# TYPE amplifybackend_connections_timed_out_total counter\n");
        for what in [TooSlow::Headers, TooSlow::Body, TooSlow::Idle] {
            let count = self
                .timed_out
                .get(what as usize)
                .map_or(0, |c| c.load(Relaxed));
            let _ = writeln!(
                out,
                "amplifybackend_connections_timed_out_total{{phase=\"{}\"}} {count}",
                what.label()
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_connections_are_accepted_less_closed() {
        let m = ConnectionMetrics::default();
        m.set_limit(3);
        m.opened();
        m.opened();
        m.closed();
        m.refused();
        m.timed_out(TooSlow::Idle);
        m.timed_out(TooSlow::Body);
        m.timed_out(TooSlow::Body);
        let mut out = String::new();
        m.render(&mut out);
        assert!(out.contains("amplifybackend_connections_open 1\n"), "{out}");
        assert!(out.contains("amplifybackend_connections_max 3\n"), "{out}");
        assert!(
            out.contains("amplifybackend_connections_refused_total 1\n"),
            "{out}"
        );
        assert!(
            out.contains("amplifybackend_connections_timed_out_total{phase=\"headers\"} 0\n"),
            "{out}"
        );
        assert!(
            out.contains("amplifybackend_connections_timed_out_total{phase=\"body\"} 2\n"),
            "{out}"
        );
        assert!(
            out.contains("amplifybackend_connections_timed_out_total{phase=\"idle\"} 1\n"),
            "{out}"
        );
    }
}
