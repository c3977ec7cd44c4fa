//! What keeps one client from hurting the others: the per-account request rate and the
//! size limits of a request.

use std::collections::HashMap;
use std::sync::Mutex;

/// A token bucket per account: `rate` requests per second on average, `burst` at once.
#[derive(Debug)]
pub struct RateLimiter {
    rate_per_ms: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated_ms: i64,
}

impl RateLimiter {
    /// Buckets that have been full this long are forgotten, so idle accounts cost nothing.
    const FORGET_AFTER_MS: i64 = 60_000;

    /// A limiter admitting `rate` requests per second per account, `burst` at once.
    pub fn new(rate: f64, burst: u32) -> Self {
        RateLimiter {
            rate_per_ms: rate.max(0.0) / 1000.0,
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a token for `account` at `now_ms`; false when its bucket is empty.
    pub fn admit(&self, account: &str, now_ms: i64) -> bool {
        let Ok(mut buckets) = self.buckets.lock() else {
            return true;
        };
        if buckets.len() > 10_000 {
            let horizon = now_ms - Self::FORGET_AFTER_MS;
            buckets.retain(|_, b| b.updated_ms > horizon);
        }
        let burst = self.burst;
        let bucket = buckets.entry(account.to_owned()).or_insert(Bucket {
            tokens: burst,
            updated_ms: now_ms,
        });
        let elapsed = (now_ms - bucket.updated_ms).max(0) as f64;
        bucket.tokens = (bucket.tokens + elapsed * self.rate_per_ms).min(burst);
        bucket.updated_ms = now_ms;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// How deeply a JSON text nests arrays and objects (strings are skipped), stopping early
/// once `limit` is passed.
pub fn json_depth_exceeds(body: &[u8], limit: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in body {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_a_burst_then_the_rate() {
        let limiter = RateLimiter::new(10.0, 3);
        assert!((0..3).all(|_| limiter.admit("a", 0)));
        assert!(!limiter.admit("a", 0));
        assert!(limiter.admit("b", 0), "accounts have their own buckets");
        assert!(!limiter.admit("a", 50));
        assert!(
            limiter.admit("a", 100),
            "one token refills in 100 ms at 10/s"
        );
        assert!(!limiter.admit("a", 100));
        assert!(
            (0..3).all(|_| limiter.admit("a", 10_000)),
            "refill stops at the burst"
        );
        assert!(!limiter.admit("a", 10_000));
    }

    #[test]
    fn measures_json_depth_outside_strings() {
        assert!(!json_depth_exceeds(br#"{"a":{"b":[1,2]}}"#, 3));
        assert!(json_depth_exceeds(br#"{"a":{"b":[[1]]}}"#, 3));
        assert!(!json_depth_exceeds(br#"{"a":"[[[[[[\"[[["}"#, 1));
        assert!(json_depth_exceeds(&[b'['; 100], 64));
    }
}
