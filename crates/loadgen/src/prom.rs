//! Reading the server's `/_amplifybackend/metrics`.

use crate::Res;
use std::collections::HashMap;

/// Series (name with labels) → value.
pub type Scrape = HashMap<String, f64>;

/// Fetches and parses the metrics.
pub async fn scrape(base: &str) -> Res<Scrape> {
    let text = reqwest::get(format!("{base}/_amplifybackend/metrics"))
        .await?
        .error_for_status()?
        .text()
        .await?;
    Ok(parse(&text))
}

/// Parses Prometheus text format 0.0.4 (comments skipped).
pub fn parse(text: &str) -> Scrape {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.rsplit_once(' '))
        .filter_map(|(k, v)| Some((k.to_owned(), v.parse().ok()?)))
        .collect()
}

fn delta(before: &Scrape, after: &Scrape, key: &str) -> f64 {
    after.get(key).copied().unwrap_or(0.0) - before.get(key).copied().unwrap_or(0.0)
}

/// Server-side latency of `operations` between two scrapes: (count, mean, p50 bound,
/// p99 bound), in seconds; the percentiles are the upper bounds of their buckets.
pub fn request_latency(
    before: &Scrape,
    after: &Scrape,
    operations: &[&str],
) -> Option<(f64, f64, f64, f64)> {
    let name = "amplifybackend_request_duration_seconds";
    let mut count = 0.0;
    let mut sum = 0.0;
    let mut buckets: Vec<(f64, f64)> = Vec::new();
    for op in operations {
        count += delta(
            before,
            after,
            &format!("{name}_count{{operation=\"{op}\"}}"),
        );
        sum += delta(before, after, &format!("{name}_sum{{operation=\"{op}\"}}"));
        let prefix = format!("{name}_bucket{{operation=\"{op}\",le=\"");
        for key in after.keys() {
            if let Some(le) = key
                .strip_prefix(&prefix)
                .and_then(|r| r.strip_suffix("\"}"))
            {
                let bound = if le == "+Inf" {
                    f64::INFINITY
                } else {
                    le.parse().unwrap_or(f64::INFINITY)
                };
                let d = delta(before, after, key);
                match buckets.iter_mut().find(|(b, _)| *b == bound) {
                    Some((_, c)) => *c += d,
                    None => buckets.push((bound, d)),
                }
            }
        }
    }
    if count <= 0.0 {
        return None;
    }
    buckets.sort_by(|a, b| a.0.total_cmp(&b.0));
    let quantile = |q: f64| {
        buckets
            .iter()
            .find(|(_, c)| *c >= q * count)
            .map_or(f64::INFINITY, |(b, _)| *b)
    };
    Some((count, sum / count, quantile(0.5), quantile(0.99)))
}

/// Calls and mean time of each store method between two scrapes.
pub fn store_means(before: &Scrape, after: &Scrape) -> Vec<(String, f64, f64)> {
    let prefix = "amplifybackend_store_duration_seconds_count{method=\"";
    let mut out: Vec<(String, f64, f64)> = after
        .keys()
        .filter_map(|k| k.strip_prefix(prefix)?.strip_suffix("\"}"))
        .filter_map(|method| {
            let calls = delta(
                before,
                after,
                &format!("amplifybackend_store_duration_seconds_count{{method=\"{method}\"}}"),
            );
            let sum = delta(
                before,
                after,
                &format!("amplifybackend_store_duration_seconds_sum{{method=\"{method}\"}}"),
            );
            (calls > 0.0).then(|| (method.to_owned(), calls, sum / calls))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}
