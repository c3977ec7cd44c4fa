//! `GET /_amplifybackend/metrics`: Prometheus text format 0.0.4, hand-rolled on atomics.
//!
//! The hot path takes no lock: every operation has its own latency histogram (one atomic
//! counter per bucket) and a few status-code slots claimed with a compare-and-swap; the
//! store is wrapped in [`TimedStore`], which keeps one histogram per store method. A scrape
//! reads the counters with relaxed loads (a scrape concurrent with requests may see a
//! request's count before its bucket; the next scrape is consistent).

mod connections;
mod timed_store;

pub use connections::{ConnectionMetrics, TooSlow};
pub use timed_store::TimedStore;

use amplifybackend_model::Operation;
use amplifybackend_store::{Job, JobStatus};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU16, AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

/// Upper bounds of the latency buckets, in seconds (then `+Inf`).
pub const BUCKETS_SECONDS: [f64; 17] = [
    0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
    1.0, 2.5, 5.0, 10.0,
];

/// The same bounds in nanoseconds.
const BUCKETS_NANOS: [u64; 17] = [
    50_000,
    100_000,
    250_000,
    500_000,
    1_000_000,
    2_500_000,
    5_000_000,
    10_000_000,
    25_000_000,
    50_000_000,
    100_000_000,
    250_000_000,
    500_000_000,
    1_000_000_000,
    2_500_000_000,
    5_000_000_000,
    10_000_000_000,
];

/// A latency histogram: non-cumulative bucket counts (the last is `+Inf`), sum and count.
#[derive(Debug, Default)]
pub struct Histogram {
    buckets: [AtomicU64; BUCKETS_NANOS.len() + 1],
    sum_nanos: AtomicU64,
    count: AtomicU64,
}

impl Histogram {
    /// Records one observation.
    pub fn observe(&self, elapsed: Duration) {
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        let index = BUCKETS_NANOS.partition_point(|&bound| bound < nanos);
        if let Some(bucket) = self.buckets.get(index) {
            bucket.fetch_add(1, Relaxed);
        }
        self.sum_nanos.fetch_add(nanos, Relaxed);
        self.count.fetch_add(1, Relaxed);
    }

    /// Observations so far.
    pub fn count(&self) -> u64 {
        self.count.load(Relaxed)
    }

    fn render(&self, out: &mut String, name: &str, labels: &str) {
        let mut cumulative = 0u64;
        for (bound, bucket) in BUCKETS_SECONDS.iter().zip(&self.buckets) {
            cumulative += bucket.load(Relaxed);
            let _ = writeln!(out, "{name}_bucket{{{labels},le=\"{bound}\"}} {cumulative}");
        }
        if let Some(inf) = self.buckets.last() {
            cumulative += inf.load(Relaxed);
        }
        let _ = writeln!(out, "{name}_bucket{{{labels},le=\"+Inf\"}} {cumulative}");
        let sum = self.sum_nanos.load(Relaxed) as f64 / 1e9;
        let _ = writeln!(out, "{name}_sum{{{labels}}} {sum}");
        let _ = writeln!(out, "{name}_count{{{labels}}} {cumulative}");
    }
}

/// Status-code slots per operation; codes beyond them are counted as `other`.
const STATUS_SLOTS: usize = 8;

#[derive(Debug, Default)]
struct OperationMetrics {
    latency: Histogram,
    /// `(status code, count)`; a code of 0 marks a free slot.
    statuses: [(AtomicU16, AtomicU64); STATUS_SLOTS],
    other_statuses: AtomicU64,
}

impl OperationMetrics {
    fn record(&self, status: u16, elapsed: Duration) {
        self.latency.observe(elapsed);
        for (code, count) in &self.statuses {
            let current = code.load(Relaxed);
            let mine = current == status
                || (current == 0
                    && match code.compare_exchange(0, status, Relaxed, Relaxed) {
                        Ok(_) => true,
                        Err(actual) => actual == status,
                    });
            if mine {
                count.fetch_add(1, Relaxed);
                return;
            }
        }
        self.other_statuses.fetch_add(1, Relaxed);
    }
}

/// The label of requests that never reached an operation (refused at the front door, or
/// no route).
const UNROUTED: &str = "unrouted";

/// Index of a request not (yet) routed to an operation, for [`Metrics::record_request`].
pub const UNROUTED_INDEX: u8 = Operation::ALL.len() as u8;

/// The index [`Metrics::record_request`] takes for `operation`.
pub fn operation_index(operation: Operation) -> u8 {
    operation as u8
}

/// The store methods timed by [`TimedStore`].
#[derive(Debug, Clone, Copy)]
#[allow(missing_docs)]
pub enum StoreMethod {
    GetApp,
    ListEnvironments,
    GetEnvironment,
    GetResource,
    ListResources,
    GetApiModels,
    GetBackend,
    StartJob,
    GetJob,
    ListJobs,
    AppHasRunningJob,
    UpdateJob,
    CompleteDueJobs,
    NextDueAt,
    CreateToken,
    GetToken,
    DeleteToken,
    SetLoginAuthConfig,
    RemoveBackendConfig,
    ListBuckets,
    ExportState,
    ImportState,
    AdvanceJob,
    Ping,
}

const STORE_METHODS: [(StoreMethod, &str); 24] = [
    (StoreMethod::GetApp, "get_app"),
    (StoreMethod::ListEnvironments, "list_environments"),
    (StoreMethod::GetEnvironment, "get_environment"),
    (StoreMethod::GetResource, "get_resource"),
    (StoreMethod::ListResources, "list_resources"),
    (StoreMethod::GetApiModels, "get_api_models"),
    (StoreMethod::GetBackend, "get_backend"),
    (StoreMethod::StartJob, "start_job"),
    (StoreMethod::GetJob, "get_job"),
    (StoreMethod::ListJobs, "list_jobs"),
    (StoreMethod::AppHasRunningJob, "app_has_running_job"),
    (StoreMethod::UpdateJob, "update_job"),
    (StoreMethod::CompleteDueJobs, "complete_due_jobs"),
    (StoreMethod::NextDueAt, "next_due_at"),
    (StoreMethod::CreateToken, "create_token"),
    (StoreMethod::GetToken, "get_token"),
    (StoreMethod::DeleteToken, "delete_token"),
    (StoreMethod::SetLoginAuthConfig, "set_login_auth_config"),
    (StoreMethod::RemoveBackendConfig, "remove_backend_config"),
    (StoreMethod::ListBuckets, "list_buckets"),
    (StoreMethod::ExportState, "export_state"),
    (StoreMethod::ImportState, "import_state"),
    (StoreMethod::AdvanceJob, "advance_job"),
    (StoreMethod::Ping, "ping"),
];

/// Every counter the server exposes.
#[derive(Debug)]
pub struct Metrics {
    /// One per operation, then one for unrouted requests.
    operations: Box<[OperationMetrics]>,
    store: Box<[Histogram]>,
    store_errors: Box<[AtomicU64]>,
    jobs_started_inline: AtomicU64,
    jobs_started_deferred: AtomicU64,
    jobs_completed: AtomicU64,
    jobs_failed: AtomicU64,
    started: Instant,
    /// Open, refused and timed-out connections.
    pub connections: ConnectionMetrics,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            operations: (0..=Operation::ALL.len())
                .map(|_| OperationMetrics::default())
                .collect(),
            store: STORE_METHODS.iter().map(|_| Histogram::default()).collect(),
            store_errors: STORE_METHODS.iter().map(|_| AtomicU64::new(0)).collect(),
            jobs_started_inline: AtomicU64::new(0),
            jobs_started_deferred: AtomicU64::new(0),
            jobs_completed: AtomicU64::new(0),
            jobs_failed: AtomicU64::new(0),
            started: Instant::now(),
            connections: ConnectionMetrics::default(),
        }
    }
}

impl Metrics {
    /// Records one request: the operation's index ([`operation_index`], or
    /// [`UNROUTED_INDEX`]), its response status and how long it took.
    pub fn record_request(&self, operation: u8, status: u16, elapsed: Duration) {
        let index = usize::from(operation).min(self.operations.len() - 1);
        if let Some(op) = self.operations.get(index) {
            op.record(status, elapsed);
        }
    }

    /// Records a job that was just started, and its end if it finished inline.
    pub fn job_started(&self, job: &Job, deferred: bool) {
        if deferred {
            self.jobs_started_deferred.fetch_add(1, Relaxed);
        } else {
            self.jobs_started_inline.fetch_add(1, Relaxed);
            self.job_finished(job.status);
        }
    }

    /// Records a job that reached `status`.
    pub fn job_finished(&self, status: JobStatus) {
        match status {
            JobStatus::Completed => self.jobs_completed.fetch_add(1, Relaxed),
            JobStatus::Failed => self.jobs_failed.fetch_add(1, Relaxed),
            JobStatus::Running => 0,
        };
    }

    fn store_call(&self, method: StoreMethod, elapsed: Duration, failed: bool) {
        let index = method as usize;
        if let Some(h) = self.store.get(index) {
            h.observe(elapsed);
        }
        if failed && let Some(e) = self.store_errors.get(index) {
            e.fetch_add(1, Relaxed);
        }
    }

    /// The Prometheus text exposition (format 0.0.4).
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(16 * 1024);
        let name_of = |index: usize| Operation::ALL.get(index).map_or(UNROUTED, |op| op.name());

        out.push_str("# HELP amplifybackend_requests_total Requests answered, by operation and HTTP status.\n");
        out.push_str("# TYPE amplifybackend_requests_total counter\n");
        for (index, op) in self.operations.iter().enumerate() {
            let name = name_of(index);
            for (code, count) in &op.statuses {
                let code = code.load(Relaxed);
                if code != 0 {
                    let count = count.load(Relaxed);
                    let _ = writeln!(
                        out,
                        "amplifybackend_requests_total{{operation=\"{name}\",status=\"{code}\"}} {count}"
                    );
                }
            }
            let other = op.other_statuses.load(Relaxed);
            if other != 0 {
                let _ = writeln!(
                    out,
                    "amplifybackend_requests_total{{operation=\"{name}\",status=\"other\"}} {other}"
                );
            }
        }

        out.push_str("# HELP amplifybackend_request_duration_seconds Time from the request's arrival to its response, by operation.\n");
        out.push_str("# TYPE amplifybackend_request_duration_seconds histogram\n");
        for (index, op) in self.operations.iter().enumerate() {
            if op.latency.count() != 0 {
                let labels = format!("operation=\"{}\"", name_of(index));
                op.latency
                    .render(&mut out, "amplifybackend_request_duration_seconds", &labels);
            }
        }

        out.push_str("# HELP amplifybackend_jobs_started_total Jobs started by this process, inline (completed within the request) or deferred (completed by a worker).\n");
        out.push_str("# TYPE amplifybackend_jobs_started_total counter\n");
        let _ = writeln!(
            out,
            "amplifybackend_jobs_started_total{{mode=\"inline\"}} {}",
            self.jobs_started_inline.load(Relaxed)
        );
        let _ = writeln!(
            out,
            "amplifybackend_jobs_started_total{{mode=\"deferred\"}} {}",
            self.jobs_started_deferred.load(Relaxed)
        );
        out.push_str("# HELP amplifybackend_jobs_finished_total Jobs this process finished, by final status.\n");
        out.push_str("# TYPE amplifybackend_jobs_finished_total counter\n");
        let _ = writeln!(
            out,
            "amplifybackend_jobs_finished_total{{status=\"COMPLETED\"}} {}",
            self.jobs_completed.load(Relaxed)
        );
        let _ = writeln!(
            out,
            "amplifybackend_jobs_finished_total{{status=\"FAILED\"}} {}",
            self.jobs_failed.load(Relaxed)
        );

        out.push_str(
            "# HELP amplifybackend_store_duration_seconds Time spent in each store method.\n",
        );
        out.push_str("# TYPE amplifybackend_store_duration_seconds histogram\n");
        for ((_, method), histogram) in STORE_METHODS.iter().zip(self.store.iter()) {
            if histogram.count() != 0 {
                let labels = format!("method=\"{method}\"");
                histogram.render(&mut out, "amplifybackend_store_duration_seconds", &labels);
            }
        }
        out.push_str(
            "# HELP amplifybackend_store_errors_total Store calls that failed, by method.\n",
        );
        out.push_str("# TYPE amplifybackend_store_errors_total counter\n");
        for ((_, method), errors) in STORE_METHODS.iter().zip(self.store_errors.iter()) {
            let errors = errors.load(Relaxed);
            if errors != 0 {
                let _ = writeln!(
                    out,
                    "amplifybackend_store_errors_total{{method=\"{method}\"}} {errors}"
                );
            }
        }

        self.connections.render(&mut out);
        process_metrics(&mut out, self.started);
        out
    }
}

/// Resident memory and CPU time of this process (Linux; absent elsewhere).
fn process_metrics(out: &mut String, started: Instant) {
    out.push_str("# HELP amplifybackend_uptime_seconds Time since the server started.\n");
    out.push_str("# TYPE amplifybackend_uptime_seconds gauge\n");
    let _ = writeln!(
        out,
        "amplifybackend_uptime_seconds {}",
        started.elapsed().as_secs_f64()
    );
    if let Some(rss) = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
    {
        out.push_str("# HELP process_resident_memory_bytes Resident memory size in bytes.\n");
        out.push_str("# TYPE process_resident_memory_bytes gauge\n");
        let _ = writeln!(out, "process_resident_memory_bytes {}", rss * 1024);
    }
    if let Some(ticks) = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| cpu_ticks(&s))
    {
        // USER_HZ is 100 on every Linux this runs on.
        out.push_str(
            "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n",
        );
        out.push_str("# TYPE process_cpu_seconds_total counter\n");
        let _ = writeln!(out, "process_cpu_seconds_total {}", ticks as f64 / 100.0);
    }
}

/// utime + stime, in clock ticks, from the text of `/proc/<pid>/stat`.
pub fn cpu_ticks(stat: &str) -> Option<u64> {
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    // Fields after the name: state(3) ... utime is field 14, stime 15 (1-based overall).
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(utime + stime)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_indices_follow_the_table() {
        for (i, op) in Operation::ALL.iter().enumerate() {
            assert_eq!(usize::from(operation_index(*op)), i);
        }
        for (i, (method, _)) in STORE_METHODS.iter().enumerate() {
            assert_eq!(*method as usize, i);
        }
    }

    #[test]
    fn buckets_agree() {
        for (s, n) in BUCKETS_SECONDS.iter().zip(BUCKETS_NANOS) {
            assert_eq!((s * 1e9).round() as u64, n);
        }
    }

    #[test]
    fn histogram_counts_at_the_bound_inclusively() {
        let h = Histogram::default();
        h.observe(Duration::from_micros(100));
        h.observe(Duration::from_micros(101));
        h.observe(Duration::from_secs(60));
        let mut out = String::new();
        h.render(&mut out, "x", "a=\"b\"");
        assert!(out.contains("x_bucket{a=\"b\",le=\"0.0001\"} 1\n"), "{out}");
        assert!(
            out.contains("x_bucket{a=\"b\",le=\"0.00025\"} 2\n"),
            "{out}"
        );
        assert!(out.contains("x_bucket{a=\"b\",le=\"10\"} 2\n"), "{out}");
        assert!(out.contains("x_bucket{a=\"b\",le=\"+Inf\"} 3\n"), "{out}");
        assert!(out.contains("x_count{a=\"b\"} 3\n"), "{out}");
    }

    #[test]
    fn statuses_get_their_own_slots() {
        let m = Metrics::default();
        let get = operation_index(Operation::GetBackend);
        for status in [200, 404, 200, 500, 200] {
            m.record_request(get, status, Duration::from_micros(10));
        }
        for status in 400..420 {
            m.record_request(UNROUTED_INDEX, status, Duration::from_micros(10));
        }
        let text = m.render();
        assert!(text.contains(
            "amplifybackend_requests_total{operation=\"GetBackend\",status=\"200\"} 3\n"
        ));
        assert!(text.contains(
            "amplifybackend_requests_total{operation=\"GetBackend\",status=\"404\"} 1\n"
        ));
        assert!(text.contains(
            "amplifybackend_requests_total{operation=\"unrouted\",status=\"other\"} 12\n"
        ));
    }

    #[test]
    fn cpu_ticks_skip_the_command_name() {
        let stat = "1234 (a (weird) name) S 1 2 3 4 5 6 7 8 9 10 42 8 0 0 20 0";
        assert_eq!(cpu_ticks(stat), Some(50));
    }
}
