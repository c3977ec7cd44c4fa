//! `GET /_amplifybackend/metrics`: drive a few operations with the SDK, scrape, parse the
//! Prometheus text and check the counts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{SdkClients, TestServer};
use std::collections::HashMap;
use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The scrape, as `series (name with labels) → value`, plus the content type.
async fn scrape(addr: SocketAddr) -> (String, HashMap<String, f64>) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "GET /_amplifybackend/metrics HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let response = String::from_utf8(response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let content_type = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-type:")
                .map(|v| v.trim().to_owned())
        })
        .unwrap();
    let mut series = HashMap::new();
    for line in body.lines() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let (name, value) = line.rsplit_once(' ').unwrap();
        let value: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("bad value: {line}"));
        assert!(
            series.insert(name.to_owned(), value).is_none(),
            "duplicate series {name}"
        );
    }
    // Every metric has HELP and TYPE lines.
    for line in body
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let name = line.split(['{', ' ']).next().unwrap();
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|s| name.strip_suffix(s))
            .filter(|f| body.contains(&format!("# TYPE {f} histogram")))
            .unwrap_or(name);
        assert!(
            body.contains(&format!("# TYPE {family} ")),
            "no TYPE for {family}"
        );
    }
    (content_type, series)
}

fn get(series: &HashMap<String, f64>, key: &str) -> f64 {
    series.get(key).copied().unwrap_or(0.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_jobs_and_store_calls_are_counted() {
    let server = TestServer::start().await;
    let client = server.client();
    client
        .create_backend()
        .app_id("app1")
        .app_name("App")
        .backend_environment_name("dev")
        .send()
        .await
        .unwrap();
    for _ in 0..3 {
        client
            .get_backend()
            .app_id("app1")
            .backend_environment_name("dev")
            .send()
            .await
            .unwrap();
    }
    let missing = client
        .get_backend()
        .app_id("nope")
        .backend_environment_name("dev")
        .send()
        .await;
    assert!(missing.is_err());
    let jobs = client
        .list_backend_jobs()
        .app_id("app1")
        .backend_environment_name("dev")
        .send()
        .await
        .unwrap();
    assert_eq!(jobs.jobs().len(), 1);

    let (content_type, m) = scrape(server.addr()).await;
    assert_eq!(content_type, "text/plain; version=0.0.4; charset=utf-8");

    let total = |op: &str, status: u16| {
        get(
            &m,
            &format!("amplifybackend_requests_total{{operation=\"{op}\",status=\"{status}\"}}"),
        )
    };
    assert_eq!(total("CreateBackend", 200), 1.0);
    assert_eq!(total("GetBackend", 200), 3.0);
    assert_eq!(total("GetBackend", 404), 1.0);
    assert_eq!(total("ListBackendJobs", 200), 1.0);
    assert_eq!(total("DeleteBackend", 200), 0.0);

    // The latency histogram agrees with the counters and is cumulative.
    let count = get(
        &m,
        "amplifybackend_request_duration_seconds_count{operation=\"GetBackend\"}",
    );
    assert_eq!(count, 4.0);
    let inf = get(
        &m,
        "amplifybackend_request_duration_seconds_bucket{operation=\"GetBackend\",le=\"+Inf\"}",
    );
    assert_eq!(inf, 4.0);
    let mut previous = 0.0;
    for le in ["0.00005", "0.0001", "0.001", "0.01", "0.1", "1", "10"] {
        let key = format!(
            "amplifybackend_request_duration_seconds_bucket{{operation=\"GetBackend\",le=\"{le}\"}}"
        );
        let Some(&value) = m.get(&key) else {
            continue;
        };
        assert!(value >= previous, "{key} decreases");
        previous = value;
    }
    assert_eq!(
        get(
            &m,
            "amplifybackend_request_duration_seconds_bucket{operation=\"GetBackend\",le=\"10\"}"
        ),
        4.0
    );
    let sum = get(
        &m,
        "amplifybackend_request_duration_seconds_sum{operation=\"GetBackend\"}",
    );
    assert!(sum > 0.0 && sum < 10.0, "{sum}");

    // Jobs: one inline job, completed.
    assert_eq!(
        get(&m, "amplifybackend_jobs_started_total{mode=\"inline\"}"),
        1.0
    );
    assert_eq!(
        get(&m, "amplifybackend_jobs_started_total{mode=\"deferred\"}"),
        0.0
    );
    assert_eq!(
        get(
            &m,
            "amplifybackend_jobs_finished_total{status=\"COMPLETED\"}"
        ),
        1.0
    );

    // The store: one start_job, which checks CreateBackend's rules itself (no read of
    // the app before it); each GetBackend makes one get_backend call.
    assert_eq!(
        get(
            &m,
            "amplifybackend_store_duration_seconds_count{method=\"start_job\"}"
        ),
        1.0
    );
    assert_eq!(
        get(
            &m,
            "amplifybackend_store_duration_seconds_count{method=\"get_app\"}"
        ),
        0.0
    );
    assert_eq!(
        get(
            &m,
            "amplifybackend_store_duration_seconds_count{method=\"get_backend\"}"
        ),
        4.0
    );
    assert_eq!(
        get(
            &m,
            "amplifybackend_store_duration_seconds_count{method=\"list_jobs\"}"
        ),
        1.0
    );
    assert!(get(&m, "process_resident_memory_bytes") > 1_000_000.0);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_requests_count_as_unrouted() {
    let server = TestServer::start().await;
    let mut stream = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    let request = format!(
        "GET /no/such/route HTTP/1.1\r\nhost: {}\r\nconnection: close\r\n\r\n",
        server.addr()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let (_, m) = scrape(server.addr()).await;
    let refused: f64 = m
        .iter()
        .filter(|(k, _)| k.starts_with("amplifybackend_requests_total{operation=\"unrouted\""))
        .map(|(_, v)| v)
        .sum();
    assert_eq!(refused, 1.0);
    server.stop().await;
}
