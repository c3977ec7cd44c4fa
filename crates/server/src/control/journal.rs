//! The request journal (`GET /_amplifybackend/requests`): the last API requests this
//! instance answered, in a ring buffer. An entry holds what a test asserts on (which
//! operation, whose, the status and error code, how long, whether a fault was injected) and
//! never a body, a header, a key or a token's code.

use serde::Serialize;
use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};

/// How many requests are kept unless configured otherwise.
pub const DEFAULT_JOURNAL_SIZE: usize = 1000;
/// How many entries `GET /_amplifybackend/requests` answers without `limit`.
pub const DEFAULT_LIMIT: usize = 100;

/// One answered request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// When it arrived, epoch milliseconds.
    pub time_ms: i64,
    /// Its `x-amzn-RequestId`.
    pub request_id: String,
    /// The service it was sent to.
    pub service: &'static str,
    /// The operation, when the request was routed to one.
    pub operation: Option<&'static str>,
    /// The account, when the request was let in.
    pub account_id: Option<String>,
    /// The region, when the request was let in.
    pub region: Option<String>,
    /// The HTTP status answered.
    pub status: u16,
    /// The error's name (`x-amzn-ErrorType`), when it failed.
    pub error_code: Option<String>,
    /// How long it took, milliseconds.
    pub latency_ms: u64,
    /// Whether a fault rule affected it.
    pub fault_injected: bool,
}

/// An entry as `GET /_amplifybackend/requests` answers it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryView<'a> {
    time: String,
    request_id: &'a str,
    service: &'static str,
    operation: Option<&'static str>,
    account_id: Option<&'a str>,
    region: Option<&'a str>,
    status: u16,
    error_code: Option<&'a str>,
    latency_ms: u64,
    fault_injected: bool,
}

impl Entry {
    /// The entry in the journal's JSON.
    pub fn view(&self) -> EntryView<'_> {
        EntryView {
            time: crate::time::iso8601(self.time_ms),
            request_id: &self.request_id,
            service: self.service,
            operation: self.operation,
            account_id: self.account_id.as_deref(),
            region: self.region.as_deref(),
            status: self.status,
            error_code: self.error_code.as_deref(),
            latency_ms: self.latency_ms,
            fault_injected: self.fault_injected,
        }
    }
}

/// The last `capacity` requests, oldest dropped first.
#[derive(Debug)]
pub struct Journal {
    capacity: usize,
    entries: Mutex<VecDeque<Entry>>,
}

impl Journal {
    /// A journal keeping `capacity` requests (0: none).
    pub fn new(capacity: usize) -> Journal {
        Journal {
            capacity,
            entries: Mutex::new(VecDeque::with_capacity(capacity.min(DEFAULT_JOURNAL_SIZE))),
        }
    }

    /// How many requests it keeps.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Adds `entry`, dropping the oldest when full.
    pub fn record(&self, entry: Entry) {
        if self.capacity == 0 {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() == self.capacity {
            entries.pop_front();
        }
        entries.push_back(entry);
    }

    /// The last `limit` entries, newest first.
    pub fn last(&self, limit: usize) -> Vec<Entry> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.iter().rev().take(limit).cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: u16) -> Entry {
        Entry {
            time_ms: 0,
            request_id: format!("r{n}"),
            service: "amplifybackend",
            operation: Some("GetBackend"),
            account_id: None,
            region: None,
            status: n,
            error_code: None,
            latency_ms: 1,
            fault_injected: false,
        }
    }

    #[test]
    fn keeps_the_last_entries_newest_first() {
        let journal = Journal::new(3);
        for n in 0..5 {
            journal.record(entry(n));
        }
        let statuses: Vec<u16> = journal.last(10).iter().map(|e| e.status).collect();
        assert_eq!(statuses, [4, 3, 2]);
        assert_eq!(journal.last(1).len(), 1);
        let none = Journal::new(0);
        none.record(entry(1));
        assert!(none.last(10).is_empty());
    }
}
