//! Several `amplifybackend serve` processes on one PostgreSQL database: data written
//! through one is read through another, hundreds of deferred jobs complete exactly once
//! (also when a process is SIGKILLed in the middle), and racing requests for one
//! environment on different processes start exactly one job. Also the single-process
//! binary tests (SIGTERM, kill -9) on PostgreSQL. Ignored unless
//! `AMPLIFYBACKEND_TEST_POSTGRES_URL` is set (see `build.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod pg_common;

use amplifybackend_testkit::PgSchema;
use pg_common::*;
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

fn three(schema: &PgSchema, job_ms: u64, lease_ms: u64) -> Vec<Served> {
    let flags = [
        "--job-duration-ms".to_owned(),
        job_ms.to_string(),
        "--job-lease-ms".to_owned(),
        lease_ms.to_string(),
        "--db-pool-size".to_owned(),
        "8".to_owned(),
    ];
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    (0..3)
        .map(|_| Served::start(schema.url(), &flags))
        .collect()
}

/// Sends CreateBackend for apps `prefix0..prefix{n}` from `threads` threads, each request
/// to the instance `i % instances`; returns the acknowledged (app, jobId) pairs.
fn create_many(
    addrs: &[SocketAddr],
    prefix: &str,
    n: usize,
    threads: usize,
) -> Vec<(String, String)> {
    let addrs = Arc::new(addrs.to_vec());
    let workers: Vec<_> = (0..threads)
        .map(|w| {
            let (addrs, prefix) = (addrs.clone(), prefix.to_owned());
            std::thread::spawn(move || {
                let mut acknowledged = Vec::new();
                for i in (w..n).step_by(threads) {
                    let app = format!("{prefix}{i}");
                    let addr = addrs[i % addrs.len()];
                    if let Ok(r) = http(addr, "POST", "/backend", &create_backend_body(&app, "dev"))
                        && r.status == 200
                    {
                        acknowledged.push((app, r.job_id().unwrap()));
                    }
                }
                acknowledged
            })
        })
        .collect();
    workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect()
}

/// Waits until no job of the schema is RUNNING.
fn wait_all_finished(schema: &PgSchema, limit: Duration) {
    let deadline = Instant::now() + limit;
    loop {
        let running = schema.count("SELECT count(*) FROM jobs WHERE status = 'RUNNING'");
        if running == 0 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{running} jobs still RUNNING after {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// No job id was logged as finished twice, across all the logs.
fn assert_finished_once(servers: &[&Served]) -> usize {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for server in servers {
        for id in server.finished_jobs() {
            *seen.entry(id).or_default() += 1;
        }
    }
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "jobs finished more than once: {twice:?}");
    seen.len()
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs AMPLIFYBACKEND_TEST_POSTGRES_URL (a PostgreSQL database)"
)]
fn three_instances_share_one_database() {
    let schema = PgSchema::new();
    let servers = three(&schema, 200, 2000);
    let addrs: Vec<SocketAddr> = servers.iter().map(|s| s.addr).collect();

    // Created through one, read through the others.
    let r = http(
        addrs[0],
        "POST",
        "/backend",
        &create_backend_body("shared1", "dev"),
    )
    .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("RUNNING"), "{}", r.body);
    let job = r.job_id().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let r = http(
            addrs[1],
            "GET",
            &format!("/backend/shared1/job/dev/{job}"),
            "",
        )
        .unwrap();
        assert_eq!(r.status, 200, "{}", r.body);
        if r.body.contains("COMPLETED") {
            break;
        }
        assert!(Instant::now() < deadline, "job not completed: {}", r.body);
        std::thread::sleep(Duration::from_millis(50));
    }
    let r = http(
        addrs[2],
        "POST",
        "/backend/shared1/details",
        r#"{"backendEnvironmentName":"dev"}"#,
    )
    .unwrap();
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("amplifyMetaConfig"), "{}", r.body);

    // Hundreds of jobs spread over the three complete, each exactly once.
    let acknowledged = create_many(&addrs, "bulk", 300, 6);
    assert_eq!(acknowledged.len(), 300, "every request was accepted");
    wait_all_finished(&schema, Duration::from_secs(60));
    assert_eq!(
        schema.count("SELECT count(*) FROM jobs WHERE status = 'COMPLETED'"),
        301
    );
    assert_eq!(
        schema.count("SELECT count(*) FROM jobs WHERE status = 'FAILED'"),
        0
    );
    assert_eq!(schema.count("SELECT count(*) FROM apps"), 301);
    assert_eq!(schema.count("SELECT count(*) FROM environments"), 301);
    // Give the last log lines a moment, then check that no job finished twice.
    std::thread::sleep(Duration::from_millis(300));
    let refs: Vec<&Served> = servers.iter().collect();
    assert_eq!(assert_finished_once(&refs), 301);
    // More than one process did the work.
    let busy = servers
        .iter()
        .filter(|s| !s.finished_jobs().is_empty())
        .count();
    assert!(busy >= 2, "only {busy} of 3 processes completed jobs");
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs AMPLIFYBACKEND_TEST_POSTGRES_URL (a PostgreSQL database)"
)]
fn jobs_complete_exactly_once_when_an_instance_is_killed() {
    let schema = PgSchema::new();
    let mut servers = three(&schema, 300, 1000);
    let addrs: Vec<SocketAddr> = servers.iter().map(|s| s.addr).collect();
    let load = {
        let addrs = addrs.clone();
        std::thread::spawn(move || create_many(&addrs, "k", 300, 6))
    };
    std::thread::sleep(Duration::from_millis(700));
    servers[2].kill();
    let acknowledged = load.join().unwrap();
    assert!(
        acknowledged.len() >= 150,
        "only {} acknowledged",
        acknowledged.len()
    );

    wait_all_finished(&schema, Duration::from_secs(60));
    let statuses: HashMap<String, String> = schema
        .query("SELECT job_id || ' ' || status FROM jobs")
        .into_iter()
        .filter_map(|l| l.split_once(' ').map(|(a, b)| (a.to_owned(), b.to_owned())))
        .collect();
    for (app, job) in &acknowledged {
        assert_eq!(
            statuses.get(job).map(String::as_str),
            Some("COMPLETED"),
            "job {job} of {app}"
        );
    }
    let completed = statuses.values().filter(|s| *s == "COMPLETED").count();
    assert_eq!(completed, statuses.len(), "no job failed: {statuses:?}");
    // Each completion applied its changes once.
    assert_eq!(
        schema.count("SELECT count(*) FROM environments") as usize,
        completed
    );
    let apps: HashSet<String> = schema
        .query("SELECT app_id FROM apps")
        .into_iter()
        .collect();
    for (app, _) in &acknowledged {
        assert!(apps.contains(app), "{app} missing");
    }
    std::thread::sleep(Duration::from_millis(300));
    let refs: Vec<&Served> = servers.iter().collect();
    assert_finished_once(&refs);
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs AMPLIFYBACKEND_TEST_POSTGRES_URL (a PostgreSQL database)"
)]
fn racing_requests_for_one_environment_start_one_job() {
    let schema = PgSchema::new();
    let servers = three(&schema, 2000, 5000);
    let addrs: Vec<SocketAddr> = servers.iter().map(|s| s.addr).collect();
    for env in ["racea", "raceb", "racec"] {
        let env = env.to_owned();
        let barrier = Arc::new(Barrier::new(30));
        let racers: Vec<_> = (0..30)
            .map(|i| {
                let (barrier, addr, env) = (barrier.clone(), addrs[i % 3], env.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    http(
                        addr,
                        "POST",
                        "/backend",
                        &create_backend_body("raceapp", &env),
                    )
                    .unwrap()
                })
            })
            .collect();
        let answers: Vec<Response> = racers.into_iter().map(|r| r.join().unwrap()).collect();
        let accepted = answers.iter().filter(|r| r.status == 200).count();
        assert_eq!(accepted, 1, "{answers:?}");
        for refused in answers.iter().filter(|r| r.status != 200) {
            assert_eq!(refused.status, 400, "{refused:?}");
            assert_eq!(
                refused.header("x-amzn-errortype"),
                Some("ValidationException")
            );
            let message = format!(
                "An error occurred while processing your request: There is already a pending \
                 job for the requested appId: raceapp and backendEnvironmentName: {env}, wait \
                 for it to complete before creating a new job."
            );
            let body: serde_json::Value = serde_json::from_str(&refused.body).unwrap();
            assert_eq!(body["message"], message.as_str(), "{}", refused.body);
        }
    }
    assert_eq!(schema.count("SELECT count(*) FROM jobs"), 3);
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs AMPLIFYBACKEND_TEST_POSTGRES_URL (a PostgreSQL database)"
)]
fn sigterm_drains_and_exits_zero_on_postgres() {
    let schema = PgSchema::new();
    let mut served = Served::start(schema.url(), &["--job-duration-ms", "300"]);
    let r = http(
        served.addr,
        "POST",
        "/backend",
        &create_backend_body("a1", "dev"),
    )
    .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(served.terminate(), Some(0));
}

#[test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs AMPLIFYBACKEND_TEST_POSTGRES_URL (a PostgreSQL database)"
)]
fn acknowledged_writes_survive_kill_9_on_postgres() {
    let schema = PgSchema::new();
    let mut served = Served::start(schema.url(), &[]);
    let addr = served.addr;
    let load = std::thread::spawn(move || create_many(&[addr], "w", 200, 4));
    std::thread::sleep(Duration::from_millis(300));
    served.kill();
    let acknowledged = load.join().unwrap();
    assert!(
        !acknowledged.is_empty(),
        "no write was acknowledged before the kill"
    );

    let restarted = Served::start(schema.url(), &[]);
    for (app, _) in &acknowledged {
        let r = http(
            restarted.addr,
            "POST",
            &format!("/backend/{app}/details"),
            r#"{"backendEnvironmentName":"dev"}"#,
        )
        .unwrap();
        assert_eq!(r.status, 200, "{app} lost after kill -9: {}", r.body);
    }
}
