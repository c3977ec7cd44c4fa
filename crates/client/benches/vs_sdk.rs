//! Per-call latency and throughput of this client and of aws-sdk-amplifybackend against the
//! same in-process server, in the same run.
//!
//! ```sh
//! cargo bench -p amplifybackend-client --bench vs_sdk            # BENCH_CALLS=2000 by default
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use amplifybackend_client::model::{
    CreateBackendRequest, GetBackendRequest, ListBackendJobsRequest,
};
use amplifybackend_client::{Client, Config, Credentials, MapEnv, RetryConfig};
use amplifybackend_server::{Server, ServerConfig};
use aws_sdk_amplifybackend::config::{BehaviorVersion, Region};
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

const APP: &str = "benchapp";

struct Stats {
    p50: Duration,
    p99: Duration,
    per_second_c1: f64,
    per_second_c16: f64,
}

async fn measure<F, Fut>(calls: usize, call: F) -> Stats
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send,
{
    for _ in 0..calls / 10 {
        call().await;
    }
    let mut latencies = Vec::with_capacity(calls);
    let started = Instant::now();
    for _ in 0..calls {
        let t = Instant::now();
        call().await;
        latencies.push(t.elapsed());
    }
    let per_second_c1 = calls as f64 / started.elapsed().as_secs_f64();
    latencies.sort();
    let call = Arc::new(call);
    let started = Instant::now();
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let call = call.clone();
            tokio::spawn(async move {
                for _ in 0..calls / 16 {
                    call().await;
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let per_second_c16 = (calls / 16 * 16) as f64 / started.elapsed().as_secs_f64();
    Stats {
        p50: latencies[calls / 2],
        p99: latencies[calls * 99 / 100],
        per_second_c1,
        per_second_c16,
    }
}

fn main() {
    let calls: usize = std::env::var("BENCH_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let server = Server::bind(ServerConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            database_url: "sqlite::memory:".into(),
            ..Default::default()
        })
        .await
        .unwrap();
        let endpoint = format!("http://{}", server.local_addr().unwrap());
        tokio::spawn(server.serve(std::future::pending()));

        let ours = Client::new(
            Config::builder()
                .env(MapEnv::new())
                .endpoint_url(&endpoint)
                .region("us-east-1")
                .credentials(Credentials::new("AKIDEXAMPLE", "secret", None))
                .retry(RetryConfig::disabled())
                .build(),
        );
        let sdk = aws_sdk_amplifybackend::Client::from_conf(
            aws_sdk_amplifybackend::Config::builder()
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new("us-east-1"))
                .endpoint_url(&endpoint)
                .credentials_provider(aws_credential_types::Credentials::new(
                    "AKIDEXAMPLE",
                    "secret",
                    None,
                    None,
                    "bench",
                ))
                .retry_config(aws_sdk_amplifybackend::config::retry::RetryConfig::disabled())
                .build(),
        );
        ours.create_backend(
            CreateBackendRequest::builder()
                .app_id(APP)
                .app_name("Bench")
                .backend_environment_name("dev"),
        )
        .await
        .unwrap();

        println!(
            "{calls} calls per measurement; concurrency 1 and 16; one process, 3 rounds (median)"
        );
        println!("| operation | client | p50 | p99 | calls/s (c=1) | calls/s (c=16) |");
        println!("| --- | --- | --- | --- | --- | --- |");
        for op in ["GetBackend", "ListBackendJobs"] {
            let mut rows: Vec<(&str, Vec<Stats>)> = vec![
                ("amplifybackend-client", vec![]),
                ("aws-sdk-amplifybackend", vec![]),
            ];
            for _round in 0..3 {
                let o = ours.clone();
                let s = sdk.clone();
                let (a, b) = match op {
                    "GetBackend" => (
                        measure(calls, move || {
                            let o = o.clone();
                            async move {
                                o.get_backend(
                                    GetBackendRequest::builder()
                                        .app_id(APP)
                                        .backend_environment_name("dev"),
                                )
                                .await
                                .unwrap();
                            }
                        })
                        .await,
                        measure(calls, move || {
                            let s = s.clone();
                            async move {
                                s.get_backend()
                                    .app_id(APP)
                                    .backend_environment_name("dev")
                                    .send()
                                    .await
                                    .unwrap();
                            }
                        })
                        .await,
                    ),
                    _ => (
                        measure(calls, move || {
                            let o = o.clone();
                            async move {
                                o.list_backend_jobs(
                                    ListBackendJobsRequest::builder()
                                        .app_id(APP)
                                        .backend_environment_name("dev"),
                                )
                                .await
                                .unwrap();
                            }
                        })
                        .await,
                        measure(calls, move || {
                            let s = s.clone();
                            async move {
                                s.list_backend_jobs()
                                    .app_id(APP)
                                    .backend_environment_name("dev")
                                    .send()
                                    .await
                                    .unwrap();
                            }
                        })
                        .await,
                    ),
                };
                rows[0].1.push(a);
                rows[1].1.push(b);
            }
            for (name, mut stats) in rows {
                stats.sort_by(|a, b| a.per_second_c16.total_cmp(&b.per_second_c16));
                let m = &stats[1];
                println!(
                    "| {op} | {name} | {:.0} µs | {:.0} µs | {:.0} | {:.0} |",
                    m.p50.as_secs_f64() * 1e6,
                    m.p99.as_secs_f64() * 1e6,
                    m.per_second_c1,
                    m.per_second_c16
                );
            }
        }
    });
}
