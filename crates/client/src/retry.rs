//! Standard-mode retry bookkeeping: the backoff and the client-wide retry quota.

use crate::config::RetryConfig;
use std::sync::Mutex;
use std::time::Duration;

/// botocore's standard mode: the quota's capacity.
pub const QUOTA_CAPACITY: u32 = 500;
/// Taken from the quota by a retry.
pub const RETRY_COST: u32 = 5;
/// Taken from the quota by the retry of a timeout.
pub const TIMEOUT_RETRY_COST: u32 = 10;
/// Given back by a success that needed no retry.
pub const NO_RETRY_INCREMENT: u32 = 1;

/// The retry quota every clone of a client shares.
#[derive(Debug)]
pub(crate) struct Quota {
    available: Mutex<u32>,
}

impl Quota {
    pub fn new() -> Quota {
        Quota {
            available: Mutex::new(QUOTA_CAPACITY),
        }
    }

    /// Takes the cost of one retry, or says no.
    pub fn acquire(&self, timeout: bool) -> Option<u32> {
        let cost = if timeout {
            TIMEOUT_RETRY_COST
        } else {
            RETRY_COST
        };
        let mut available = self.available.lock().unwrap_or_else(|p| p.into_inner());
        if *available < cost {
            return None;
        }
        *available -= cost;
        Some(cost)
    }

    /// A success: gives back what its retries took, or one unit.
    pub fn release(&self, acquired: u32) {
        let amount = if acquired > 0 {
            acquired
        } else {
            NO_RETRY_INCREMENT
        };
        let mut available = self.available.lock().unwrap_or_else(|p| p.into_inner());
        *available = (*available + amount).min(QUOTA_CAPACITY);
    }

    pub fn available(&self) -> u32 {
        *self.available.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The sleep before retry `retry` (1-based): `random(0, 1) * base * 2^(retry-1)`, capped.
pub(crate) fn backoff(config: &RetryConfig, retry: u32, random: f64) -> Duration {
    let exp = 2f64.powi(retry.saturating_sub(1).min(30) as i32);
    let secs = random.clamp(0.0, 1.0) * config.base.as_secs_f64() * exp;
    Duration::from_secs_f64(secs.min(config.max_backoff.as_secs_f64()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quota_drains_and_refills() {
        let q = Quota::new();
        let mut taken = 0;
        while q.acquire(false).is_some() {
            taken += 1;
        }
        assert_eq!(taken, QUOTA_CAPACITY / RETRY_COST);
        assert!(q.acquire(true).is_none());
        q.release(0);
        assert_eq!(q.available(), 1);
        q.release(5);
        assert_eq!(q.available(), 6);
        assert!(q.acquire(false).is_some());
    }

    #[test]
    fn backoff_is_exponential_and_capped() {
        let c = RetryConfig::default();
        assert_eq!(backoff(&c, 1, 1.0), Duration::from_secs(1));
        assert_eq!(backoff(&c, 3, 1.0), Duration::from_secs(4));
        assert_eq!(backoff(&c, 3, 0.5), Duration::from_secs(2));
        assert_eq!(backoff(&c, 10, 1.0), Duration::from_secs(20));
        assert_eq!(backoff(&c, 2, 0.0), Duration::ZERO);
    }
}
