//! What a run measured, pooled over rounds, and how it is printed.

use std::time::Duration;

/// CPU seconds over `requests`, in microseconds.
fn per_request(cpu_secs: Option<f64>, requests: u64) -> Option<f64> {
    cpu_secs
        .filter(|_| requests > 0)
        .map(|cpu| cpu * 1e6 / requests as f64)
}

/// What a run measured.
#[derive(Debug, Default, Clone)]
pub struct Report {
    /// Successful requests in the measured time.
    pub requests: u64,
    /// Failed requests (transport errors and non-2xx answers).
    pub errors: u64,
    /// The first failure, in words.
    pub first_error: Option<String>,
    /// Measured time.
    pub elapsed: Duration,
    /// Client-side latencies of successful requests, sorted, in microseconds.
    pub micros: Vec<u32>,
    /// Server CPU time during the measured time, seconds.
    pub server_cpu_secs: Option<f64>,
    /// The load generator's own CPU time during the measured time, seconds.
    pub loadgen_cpu_secs: Option<f64>,
    /// Server RSS at the end and its peak, KiB.
    pub server_rss_kb: Option<(u64, u64)>,
    /// Server-side latency of the mix's operations from its metrics (count, mean s,
    /// p50 bound s, p99 bound s).
    pub server_side: Option<(f64, f64, f64, f64)>,
    /// Store time per method from the server's metrics: (method, calls, mean s).
    pub store: Vec<(String, f64, f64)>,
}

impl Report {
    /// Adds `other`, a later run of the same load on the same server: counts, time and
    /// CPU add up, latencies pool, the RSS is the later one's (its peak the higher), and
    /// the server-side figures are weighted by requests.
    pub fn merge(&mut self, other: Report) {
        self.requests += other.requests;
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
        self.elapsed += other.elapsed;
        self.micros.extend(other.micros);
        self.micros.sort_unstable();
        self.server_cpu_secs = match (self.server_cpu_secs, other.server_cpu_secs) {
            (Some(a), Some(b)) => Some(a + b),
            (a, b) => a.or(b),
        };
        self.loadgen_cpu_secs = match (self.loadgen_cpu_secs, other.loadgen_cpu_secs) {
            (Some(a), Some(b)) => Some(a + b),
            (a, b) => a.or(b),
        };
        self.server_rss_kb = match (self.server_rss_kb, other.server_rss_kb) {
            (Some((_, a)), Some((rss, b))) => Some((rss, a.max(b))),
            (a, b) => b.or(a),
        };
        self.server_side = match (self.server_side, other.server_side) {
            (Some((n, mean, p50, p99)), Some((m, mean2, p50b, p99b))) => Some((
                n + m,
                (n * mean + m * mean2) / (n + m).max(1.0),
                p50.max(p50b),
                p99.max(p99b),
            )),
            (a, b) => a.or(b),
        };
        for (method, calls, mean) in other.store {
            match self.store.iter_mut().find(|(m, _, _)| *m == method) {
                Some((_, n, m)) => {
                    *m = (*n * *m + calls * mean) / (*n + calls).max(1.0);
                    *n += calls;
                }
                None => self.store.push((method, calls, mean)),
            }
        }
    }

    /// Successful requests per second.
    pub fn ops_per_sec(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The `q` quantile of client-side latency, in milliseconds (`q = 1`: the max).
    pub fn percentile_ms(&self, q: f64) -> f64 {
        if self.micros.is_empty() {
            return 0.0;
        }
        let index = ((self.micros.len() as f64 * q).ceil() as usize)
            .saturating_sub(1)
            .min(self.micros.len() - 1);
        f64::from(self.micros[index]) / 1000.0
    }

    /// Server CPU time per request, microseconds.
    pub fn cpu_us_per_request(&self) -> Option<f64> {
        per_request(self.server_cpu_secs, self.requests + self.errors)
    }

    /// The load generator's CPU time per request, microseconds.
    pub fn loadgen_cpu_us_per_request(&self) -> Option<f64> {
        per_request(self.loadgen_cpu_secs, self.requests + self.errors)
    }

    /// The load generator's CPU time as a share of the server's.
    pub fn loadgen_share(&self) -> Option<f64> {
        self.loadgen_cpu_secs
            .zip(self.server_cpu_secs.filter(|s| *s > 0.0))
            .map(|(own, server)| own / server)
    }

    /// Prints the report as a block of lines.
    pub fn print(&self, title: &str) {
        println!(
            "{title}: {:.0} ops/s ({} ok, {} errors in {:.1} s); latency ms p50 {:.3} p90 {:.3} p99 {:.3} max {:.3}",
            self.ops_per_sec(),
            self.requests,
            self.errors,
            self.elapsed.as_secs_f64(),
            self.percentile_ms(0.5),
            self.percentile_ms(0.9),
            self.percentile_ms(0.99),
            self.percentile_ms(1.0),
        );
        if let Some(e) = &self.first_error {
            println!("  first error: {e}");
        }
        if let Some(cpu) = self.cpu_us_per_request() {
            println!("  server CPU per request: {cpu:.1} µs");
        }
        if let Some(cpu) = self.loadgen_cpu_us_per_request() {
            let share = self.loadgen_share().map_or(String::new(), |s| {
                format!(" ({:.0}% of the server's)", s * 100.0)
            });
            println!("  loadgen CPU per request: {cpu:.1} µs{share}");
        }
        if let Some((rss, peak)) = self.server_rss_kb {
            println!(
                "  server RSS {:.1} MB (peak {:.1} MB)",
                rss as f64 / 1024.0,
                peak as f64 / 1024.0
            );
        }
        if let Some((count, mean, p50, p99)) = self.server_side {
            println!(
                "  server-side ({count:.0} requests): mean {:.3} ms, p50 ≤ {:.3} ms, p99 ≤ {:.3} ms",
                mean * 1e3,
                p50 * 1e3,
                p99 * 1e3
            );
        }
        for (method, calls, mean) in &self.store {
            println!(
                "  store {method}: {calls:.0} calls, mean {:.1} µs",
                mean * 1e6
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(requests: u64, secs: u64, micros: Vec<u32>, cpu: f64, rss: (u64, u64)) -> Report {
        Report {
            requests,
            errors: 0,
            first_error: None,
            elapsed: Duration::from_secs(secs),
            micros,
            server_cpu_secs: Some(cpu),
            loadgen_cpu_secs: Some(cpu / 10.0),
            server_rss_kb: Some(rss),
            server_side: Some((requests as f64, 0.001, 0.001, 0.005)),
            store: vec![("start_job".to_owned(), requests as f64, 0.0005)],
        }
    }

    #[test]
    fn merged_rounds_pool_counts_time_latencies_and_cpu() {
        let mut first = report(100, 1, vec![300, 100], 0.01, (9000, 9500));
        first.merge(report(300, 1, vec![200], 0.02, (9100, 9200)));
        assert_eq!(first.requests, 400);
        assert_eq!(first.elapsed, Duration::from_secs(2));
        assert!((first.ops_per_sec() - 200.0).abs() < 1e-9);
        assert_eq!(first.micros, vec![100, 200, 300]);
        assert_eq!(first.cpu_us_per_request().map(|v| v.round()), Some(75.0));
        assert_eq!(
            first.loadgen_cpu_us_per_request().map(|v| v.round()),
            Some(8.0)
        );
        assert_eq!(first.loadgen_share().map(|v| (v * 10.0).round()), Some(1.0));
        assert_eq!(first.server_rss_kb, Some((9100, 9500)));
        assert_eq!(first.server_side.map(|s| s.0), Some(400.0));
        assert_eq!(first.store, vec![("start_job".to_owned(), 400.0, 0.0005)]);
    }
}
