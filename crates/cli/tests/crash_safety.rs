//! Crash safety: `amplifybackend serve` is SIGKILLed in the middle of a concurrent load of
//! job-creating writes, then restarted on the same SQLite file. Every acknowledged write is
//! there, nothing is half done (a resource exists exactly when the jobs that made it are
//! COMPLETED, an environment exactly when its CreateBackend job is), and SQLite's
//! `PRAGMA integrity_check` says `ok`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Served, TempDir, http};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const WRITERS: usize = 4;

/// A write the server answered 200 to.
#[derive(Debug, Clone)]
struct Acked {
    app: String,
    env: String,
    operation: &'static str,
    job_id: String,
}

/// `enva`, `envb`, …, `envzz`: Amplify environment names are 2 to 10 lowercase letters.
fn env_name(i: usize) -> String {
    let a = char::from(b'a' + u8::try_from(i / 26 % 26).unwrap());
    let b = char::from(b'a' + u8::try_from(i % 26).unwrap());
    format!("env{a}{b}")
}

/// The writes of environment `env`, in order: (operation, path, body).
fn plan(app: &str, env: &str, i: usize) -> Vec<(&'static str, String, Value)> {
    let mut steps = vec![
        (
            "CreateBackend",
            "/backend".to_owned(),
            json!({"appId": app, "appName": "Crash", "backendEnvironmentName": env}),
        ),
        (
            "CreateBackendAuth",
            format!("/backend/{app}/auth"),
            json!({"backendEnvironmentName": env, "resourceName": "auth", "resourceConfig": {
                "authResources": "USER_POOL_ONLY", "service": "COGNITO",
                "userPoolConfigs": {"userPoolName": "pool", "signInMethod": "EMAIL",
                                    "requiredSignUpAttributes": ["EMAIL"]}}}),
        ),
        (
            "CreateBackendStorage",
            format!("/backend/{app}/storage"),
            json!({"backendEnvironmentName": env, "resourceName": "store", "resourceConfig": {
                "serviceName": "S3", "permissions": {"authenticated": ["READ"]}}}),
        ),
        (
            "CreateBackendAPI",
            format!("/backend/{app}/api"),
            json!({"backendEnvironmentName": env, "resourceName": "api", "resourceConfig": {
                "apiName": "api", "service": "AppSync",
                "transformSchema": "type Todo @model { id: ID! name: String }"}}),
        ),
    ];
    if i % 3 == 1 {
        steps.push((
            "DeleteBackendStorage",
            format!("/backend/{app}/storage/{env}/remove"),
            json!({"resourceName": "store", "serviceName": "S3"}),
        ));
    }
    if i % 3 == 2 {
        steps.push((
            "DeleteBackendAuth",
            format!("/backend/{app}/auth/{env}/remove"),
            json!({"resourceName": "auth"}),
        ));
    }
    if i % 4 == 3 {
        steps.push((
            "UpdateBackendAPI",
            format!("/backend/{app}/api/{env}"),
            json!({"resourceName": "api", "resourceConfig": {
                "transformSchema": "type Todo @model { id: ID! name: String done: Boolean }"}}),
        ));
    }
    steps
}

/// Polls GetBackendJob until the job is finished; `None` if the server went away.
fn wait_finished(addr: SocketAddr, app: &str, env: &str, job: &str) -> Option<String> {
    loop {
        let answer = http(addr, "GET", &format!("/backend/{app}/job/{env}/{job}"), "").ok()?;
        if answer.status != 200 {
            return None;
        }
        let status = answer.json()["status"].as_str().unwrap().to_owned();
        if status != "RUNNING" {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// One writer: its own app, environment after environment, until the server dies.
fn writer(addr: SocketAddr, w: usize, deferred: bool, stop: Arc<AtomicBool>) -> Vec<Acked> {
    let app = format!("crashapp{w}");
    let mut acked = Vec::new();
    for i in 0..26 * 26 {
        let env = env_name(i);
        for (operation, path, body) in plan(&app, &env, i) {
            if stop.load(Ordering::Relaxed) {
                return acked;
            }
            let Ok(answer) = http(addr, "POST", &path, &body.to_string()) else {
                return acked;
            };
            assert_eq!(
                answer.status, 200,
                "{operation} {app}/{env}: {}",
                answer.body
            );
            let reply = answer.json();
            let job_id = reply["jobId"].as_str().unwrap().to_owned();
            if !deferred {
                assert_eq!(reply["status"], "COMPLETED", "{reply}");
            }
            acked.push(Acked {
                app: app.clone(),
                env: env.clone(),
                operation,
                job_id: job_id.clone(),
            });
            if deferred {
                match wait_finished(addr, &app, &env, &job_id) {
                    Some(status) => assert_eq!(status, "COMPLETED", "{operation} {app}/{env}"),
                    None => return acked,
                }
            }
        }
    }
    acked
}

/// Runs the writers, SIGKILLs the server after `after`, and returns what was acknowledged.
fn load_then_kill(served: &mut Served, deferred: bool, after: Duration) -> Vec<Acked> {
    let stop = Arc::new(AtomicBool::new(false));
    let addr = served.addr;
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let stop = stop.clone();
            std::thread::spawn(move || writer(addr, w, deferred, stop))
        })
        .collect();
    std::thread::sleep(after);
    served.kill9();
    stop.store(true, Ordering::Relaxed);
    let acked: Vec<Acked> = writers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    assert!(
        acked.len() >= WRITERS * 4,
        "too few writes before the kill: {}",
        acked.len()
    );
    acked
}

fn integrity_check(db: &Path) {
    let conn = rusqlite::Connection::open_with_flags(
        db,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .unwrap();
    let rows: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .unwrap()
        .query_map([], |row| row.get::<_, String>(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows, ["ok"], "integrity_check of {}", db.display());
}

fn post(addr: SocketAddr, path: &str, body: Value) -> (u16, Value) {
    let answer = http(addr, "POST", path, &body.to_string()).unwrap();
    let status = answer.status;
    (status, answer.json())
}

/// Every job of an environment, oldest first.
fn jobs_oldest_first(addr: SocketAddr, app: &str, env: &str) -> Vec<Value> {
    let mut jobs = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({"maxResults": 25});
        if let Some(t) = &token {
            body["nextToken"] = json!(t);
        }
        let (status, page) = post(addr, &format!("/backend/{app}/job/{env}"), body);
        assert_eq!(status, 200, "{page}");
        jobs.extend(page["jobs"].as_array().unwrap().iter().cloned());
        match page["nextToken"].as_str() {
            Some(t) => token = Some(t.to_owned()),
            None => break,
        }
    }
    jobs.reverse();
    jobs
}

/// Waits until no job of the environment is RUNNING (the restarted worker finishes them).
fn settled_jobs(addr: SocketAddr, app: &str, env: &str) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let jobs = jobs_oldest_first(addr, app, env);
        if jobs.iter().all(|j| j["status"] != "RUNNING") {
            return jobs;
        }
        assert!(
            Instant::now() < deadline,
            "jobs of {app}/{env} still RUNNING after restart: {jobs:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// What the COMPLETED jobs of an environment say it holds: (exists, auth, storage, api).
fn expected_state(jobs: &[Value]) -> (bool, bool, bool, bool) {
    let (mut env, mut auth, mut storage, mut api) = (false, false, false, false);
    for job in jobs.iter().filter(|j| j["status"] == "COMPLETED") {
        match job["operation"].as_str().unwrap() {
            "CreateBackend" => env = true,
            "CreateBackendAuth" | "ImportBackendAuth" => auth = true,
            "DeleteBackendAuth" => auth = false,
            "CreateBackendStorage" | "ImportBackendStorage" => storage = true,
            "DeleteBackendStorage" => storage = false,
            "CreateBackendAPI" => api = true,
            "DeleteBackendAPI" => api = false,
            "UpdateBackendAPI" => assert!(api, "an API updated before it existed"),
            other => panic!("unexpected job {other}"),
        }
    }
    (env, auth, storage, api)
}

fn has(meta: &Value, category: &str) -> bool {
    meta.get(category)
        .and_then(Value::as_object)
        .is_some_and(|c| !c.is_empty())
}

/// After the restart: every acknowledged write is there and COMPLETED, and every
/// environment's resources are exactly what its COMPLETED jobs made.
fn check_consistent(addr: SocketAddr, acked: &[Acked]) {
    let mut by_app: BTreeMap<&str, Vec<&Acked>> = BTreeMap::new();
    for a in acked {
        by_app.entry(a.app.as_str()).or_default().push(a);
    }
    let mut envs_checked = 0;
    for w in 0..WRITERS {
        let app = format!("crashapp{w}");
        let acked_here = by_app.get(app.as_str()).cloned().unwrap_or_default();
        let (status, got) = post(addr, &format!("/backend/{app}/details"), json!({}));
        if status == 404 {
            assert!(acked_here.is_empty(), "{app} lost: {got}");
            continue;
        }
        assert_eq!(status, 200, "{got}");
        let env_list: Vec<String> = got["backendEnvironmentList"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap().to_owned())
            .collect();
        // Environments written to, acknowledged or not, plus those listed.
        let mut envs: Vec<String> = env_list.clone();
        for a in &acked_here {
            if !envs.contains(&a.env) {
                envs.push(a.env.clone());
            }
        }
        // The environment just after the last acknowledged one may hold an unacknowledged
        // write.
        let last = (0..26 * 26)
            .map(env_name)
            .position(|e| !envs.contains(&e))
            .map(env_name);
        envs.extend(last);
        for env in &envs {
            let jobs = settled_jobs(addr, &app, env);
            for a in acked_here.iter().filter(|a| &a.env == env) {
                let job = jobs
                    .iter()
                    .find(|j| j["jobId"] == a.job_id.as_str())
                    .unwrap_or_else(|| {
                        panic!("acknowledged {} {app}/{env} lost: {jobs:?}", a.operation)
                    });
                assert_eq!(job["status"], "COMPLETED", "{job}");
                assert_eq!(job["operation"], a.operation, "{job}");
            }
            let (exists, auth, storage, api) = expected_state(&jobs);
            assert_eq!(
                env_list.contains(env),
                exists,
                "{app}/{env}: listed {env_list:?}, jobs {jobs:?}"
            );
            if !exists {
                continue;
            }
            let (status, got) = post(
                addr,
                &format!("/backend/{app}/details"),
                json!({"backendEnvironmentName": env}),
            );
            assert_eq!(status, 200, "{got}");
            let meta: Value =
                serde_json::from_str(got["amplifyMetaConfig"].as_str().unwrap()).unwrap();
            assert_eq!(
                has(&meta, "auth"),
                auth,
                "{app}/{env} auth: {meta} {jobs:?}"
            );
            assert_eq!(
                has(&meta, "storage"),
                storage,
                "{app}/{env} storage: {meta} {jobs:?}"
            );
            assert_eq!(has(&meta, "api"), api, "{app}/{env} api: {meta} {jobs:?}");
            envs_checked += 1;
        }
    }
    assert!(envs_checked >= WRITERS, "only {envs_checked} environments");
    eprintln!(
        "{} acknowledged writes, {envs_checked} environments consistent",
        acked.len()
    );
}

fn crash_and_check(deferred: bool) {
    let dir = TempDir::new(if deferred {
        "crash-deferred"
    } else {
        "crash-inline"
    });
    let db = dir.path().join("state.db");
    let url = format!("sqlite://{}", db.display());
    let job_ms = if deferred { "20" } else { "0" };
    let args = [
        "--database-url",
        &url,
        "--job-duration-ms",
        job_ms,
        "--job-lease-ms",
        "1000",
    ];
    let mut served = Served::start(&args, &[], None);
    let acked = load_then_kill(&mut served, deferred, Duration::from_millis(700));
    // The file as the kill left it (with its WAL).
    integrity_check(&db);

    let mut restarted = Served::start(&args, &[], None);
    check_consistent(restarted.addr, &acked);
    // A second kill, this time of a server that only read, and a clean stop after it.
    restarted.kill9();
    let mut last = Served::start(&args, &[], None);
    check_consistent(last.addr, &acked);
    last.terminate();
    integrity_check(&db);
}

#[test]
fn sigkill_under_load_loses_no_acknowledged_write_and_leaves_no_partial_state() {
    crash_and_check(false);
}

#[test]
fn sigkill_with_deferred_jobs_in_flight_leaves_no_partial_state() {
    crash_and_check(true);
}
