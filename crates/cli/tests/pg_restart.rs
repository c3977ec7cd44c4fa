//! The service rides out a PostgreSQL restart by itself: while the database is down,
//! requests fail cleanly (a well-formed 5xx, the process stays up); once it is back they
//! succeed again, with no restart of ours. Restarts the machine's PostgreSQL cluster, so
//! it is ignored unless `AMPLIFYBACKEND_TEST_PG_RESTART=1` and
//! `AMPLIFYBACKEND_TEST_POSTGRES_URL` are set (see `build.rs`), alone in this test binary; PostgreSQL is started
//! again at the end even if the test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod pg_common;

use amplifybackend_testkit::PgSchema;
use pg_common::*;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// `pg_ctlcluster VERSION main ACTION` for the one cluster under /etc/postgresql.
fn pg_ctl(action: &str) -> bool {
    let Some(version) = std::fs::read_dir("/etc/postgresql")
        .ok()
        .and_then(|mut dir| dir.next())
        .and_then(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
    else {
        return false;
    };
    Command::new("pg_ctlcluster")
        .args(["--skip-systemctl-redirect", &version, "main", action])
        .stdout(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Leaves PostgreSQL running, whatever happened.
struct KeepRunning;

impl Drop for KeepRunning {
    fn drop(&mut self) {
        if !pg_ctl("status") {
            eprintln!("starting PostgreSQL again");
            pg_ctl("start");
        }
    }
}

fn wait_completed(server: &Served, app: &str, job: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let r = http(
            server.addr,
            "GET",
            &format!("/backend/{app}/job/dev/{job}"),
            "",
        )
        .unwrap();
        if r.status == 200 && r.body.contains("COMPLETED") {
            return;
        }
        assert!(Instant::now() < deadline, "the job did not complete: {r:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[derive(Debug)]
struct Outcome {
    at: Instant,
    status: u16,
    error_type: Option<String>,
    json: bool,
}

#[test]
#[cfg_attr(
    not(pg_restart_tests),
    ignore = "needs AMPLIFYBACKEND_TEST_PG_RESTART=1 and AMPLIFYBACKEND_TEST_POSTGRES_URL \
              (restarts the local PostgreSQL cluster)"
)]
fn the_service_recovers_when_postgresql_restarts() {
    let schema = PgSchema::new();
    let _keep = KeepRunning;
    let flags = [
        "--job-duration-ms",
        "200",
        "--db-connect-timeout-ms",
        "2000",
    ];
    let servers = [
        Served::start(schema.url(), &flags),
        Served::start(schema.url(), &flags),
    ];
    let seeded = http(
        servers[0].addr,
        "POST",
        "/backend",
        &create_backend_body("seed", "dev"),
    )
    .unwrap();
    assert_eq!(seeded.status, 200, "{}", seeded.body);
    wait_completed(&servers[0], "seed", &seeded.job_id().unwrap());

    let stop = Arc::new(AtomicBool::new(false));
    let load: Vec<_> = (0..4)
        .map(|w| {
            let (stop, addr) = (stop.clone(), servers[w % 2].addr);
            std::thread::spawn(move || {
                let mut outcomes = Vec::new();
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) && outcomes.len() < 20_000 {
                    i += 1;
                    let r = if i % 2 == 0 {
                        http(
                            addr,
                            "POST",
                            "/backend",
                            &create_backend_body(&format!("l{w}x{i}"), "dev"),
                        )
                    } else {
                        http(
                            addr,
                            "POST",
                            "/backend/seed/details",
                            r#"{"backendEnvironmentName":"dev"}"#,
                        )
                    };
                    let r = r.unwrap_or_else(|e| panic!("our server stopped answering: {e}"));
                    outcomes.push(Outcome {
                        at: Instant::now(),
                        status: r.status,
                        error_type: r.header("x-amzn-errortype").map(str::to_owned),
                        json: serde_json::from_str::<serde_json::Value>(&r.body).is_ok(),
                    });
                    std::thread::sleep(Duration::from_millis(10));
                }
                outcomes
            })
        })
        .collect();

    std::thread::sleep(Duration::from_millis(1000));
    let restart_began = Instant::now();
    assert!(pg_ctl("restart"), "pg_ctlcluster restart failed");
    let restarted = Instant::now();
    eprintln!("PostgreSQL restarted in {:?}", restarted - restart_began);

    // The service comes back by itself: a fresh job is accepted and completes.
    let deadline = restarted + Duration::from_secs(30);
    let job = loop {
        let r = http(
            servers[1].addr,
            "POST",
            "/backend",
            &create_backend_body("after", "dev"),
        )
        .unwrap();
        if r.status == 200 {
            break r.job_id().unwrap();
        }
        assert!(
            Instant::now() < deadline,
            "no success after the restart: {r:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    wait_completed(&servers[0], "after", &job);
    std::thread::sleep(Duration::from_millis(1500));
    stop.store(true, Ordering::Relaxed);
    let outcomes: Vec<Outcome> = load.into_iter().flat_map(|t| t.join().unwrap()).collect();

    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| o.status != 200).collect();
    eprintln!(
        "{} requests, {} failed during the restart",
        outcomes.len(),
        failed.len()
    );
    for o in &failed {
        assert!(
            matches!(o.status, 500 | 503 | 504) && o.error_type.is_some() && o.json,
            "a failure that is not a well-formed 5xx: {o:?}"
        );
    }
    // Once PostgreSQL was back, the last second of load all succeeded.
    let settled = Instant::now() - Duration::from_millis(1000);
    let late: Vec<&Outcome> = outcomes.iter().filter(|o| o.at > settled).collect();
    assert!(!late.is_empty());
    assert!(late.iter().all(|o| o.status == 200), "{late:?}");
    for server in &servers {
        let r = http(server.addr, "GET", "/_amplifybackend/health", "").unwrap();
        assert_eq!(r.status, 200);
    }
}
