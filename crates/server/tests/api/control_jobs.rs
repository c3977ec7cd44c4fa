//! `/_amplifybackend/jobs/progression` and `/_amplifybackend/jobs/advance` through HTTP on
//! the real router: a job in manual mode stays RUNNING until advanced, COMPLETED applies
//! its effect and FAILED never does, time mode completes by itself, and on PostgreSQL a
//! job started on one server is advanced through another.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::control::{call, ok};
use crate::common::{TestServer, base_config, config_on};
use amplifybackend_testkit::PgSchema;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::Duration;

const PROGRESSION: &str = "/_amplifybackend/jobs/progression";
const ADVANCE: &str = "/_amplifybackend/jobs/advance";

fn auth_request(env: &str) -> String {
    json!({"backendEnvironmentName": env, "resourceName": "auth1", "resourceConfig": {
        "authResources": "USER_POOL_ONLY", "service": "COGNITO",
        "userPoolConfigs": {"userPoolName": "pool", "signInMethod": "EMAIL",
                            "requiredSignUpAttributes": ["EMAIL"]}}})
    .to_string()
}

fn storage_request(env: &str) -> String {
    json!({"backendEnvironmentName": env, "resourceName": "files", "resourceConfig": {
        "serviceName": "S3", "permissions": {"authenticated": ["READ"]}}})
    .to_string()
}

async fn create_backend(addr: SocketAddr, app: &str) {
    let body = json!({"appId": app, "appName": "app", "backendEnvironmentName": "dev"});
    let created = ok(addr, "POST", "/backend", &body.to_string()).await;
    assert_eq!(created["status"], "COMPLETED", "{created}");
}

async fn job(addr: SocketAddr, app: &str, job_id: &str) -> Value {
    ok(addr, "GET", &format!("/backend/{app}/job/dev/{job_id}"), "").await
}

fn advance(app: &str, job_id: &str, status: &str, error: Option<&str>) -> String {
    let mut body = json!({"appId": app, "backendEnvironmentName": "dev", "jobId": job_id,
                          "status": status});
    if let Some(error) = error {
        body["error"] = json!(error);
    }
    body.to_string()
}

/// The auth resource's answer: 200 once the job's effect is applied, 404 before.
async fn auth_status(addr: SocketAddr, app: &str) -> u16 {
    call(
        addr,
        "POST",
        &format!("/backend/{app}/auth/dev/details"),
        r#"{"resourceName":"auth1"}"#,
    )
    .await
    .status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manual_job_runs_until_advanced_completed_applies_failed_does_not() {
    // Jobs take a second by the flag; the control changes that while the server runs.
    let mut config = base_config();
    config.job_duration = Duration::from_millis(1000);
    let server = TestServer::start_with(config).await;
    let addr = server.addr();
    assert_eq!(
        ok(addr, "GET", PROGRESSION, "").await,
        json!({"mode": "time", "durationMs": 1000, "operations": {}})
    );
    let set = ok(addr, "PUT", PROGRESSION, r#"{"mode":"immediate"}"#).await;
    assert_eq!(set, json!({"mode": "immediate", "operations": {}}));
    create_backend(addr, "manualapp").await;
    let set = ok(
        addr,
        "PUT",
        PROGRESSION,
        r#"{"mode":"manual","operation":"CreateBackendAuth"}"#,
    )
    .await;
    assert_eq!(
        set,
        json!({"mode": "immediate", "operations": {"CreateBackendAuth": {"mode": "manual"}}})
    );

    let started = ok(
        addr,
        "POST",
        "/backend/manualapp/auth",
        &auth_request("dev"),
    )
    .await;
    assert_eq!(started["status"], "RUNNING", "{started}");
    let job_id = started["jobId"].as_str().unwrap().to_owned();
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(job(addr, "manualapp", &job_id).await["status"], "RUNNING");
    assert_eq!(auth_status(addr, "manualapp").await, 404, "not applied yet");
    // One pending job per environment holds for a manual job too.
    let refused = call(
        addr,
        "POST",
        "/backend/manualapp/storage",
        &storage_request("dev"),
    )
    .await;
    assert_eq!(refused.status, 400, "{refused:?}");

    let done = ok(
        addr,
        "POST",
        ADVANCE,
        &advance("manualapp", &job_id, "COMPLETED", None),
    )
    .await;
    assert_eq!(done["status"], "COMPLETED", "{done}");
    assert_eq!(done["accountId"], "000000000000");
    assert_eq!(done["operation"], "CreateBackendAuth");
    assert_eq!(job(addr, "manualapp", &job_id).await["status"], "COMPLETED");
    assert_eq!(auth_status(addr, "manualapp").await, 200, "applied");
    let again = call(
        addr,
        "POST",
        ADVANCE,
        &advance("manualapp", &job_id, "FAILED", None),
    )
    .await;
    assert_eq!(again.status, 400, "{again:?}");

    // Every operation manual: FAILED with an error of the test's own, nothing applied.
    ok(addr, "PUT", PROGRESSION, r#"{"mode":"manual"}"#).await;
    let started = ok(
        addr,
        "POST",
        "/backend/manualapp/storage",
        &storage_request("dev"),
    )
    .await;
    assert_eq!(started["status"], "RUNNING", "{started}");
    let job_id = started["jobId"].as_str().unwrap().to_owned();
    let failed = ok(
        addr,
        "POST",
        ADVANCE,
        &advance("manualapp", &job_id, "FAILED", Some("Deployment failed.")),
    )
    .await;
    assert_eq!(
        (failed["status"].as_str(), failed["error"].as_str()),
        (Some("FAILED"), Some("Deployment failed."))
    );
    let read = job(addr, "manualapp", &job_id).await;
    assert_eq!(
        (read["status"].as_str(), read["error"].as_str()),
        (Some("FAILED"), Some("Deployment failed."))
    );
    let storage = call(
        addr,
        "POST",
        "/backend/manualapp/storage/dev/details",
        r#"{"resourceName":"files"}"#,
    )
    .await;
    assert_eq!(storage.status, 404, "never applied: {storage:?}");

    let unknown = call(
        addr,
        "POST",
        ADVANCE,
        &advance(
            "manualapp",
            "00000000-0000-4000-8000-000000000000",
            "COMPLETED",
            None,
        ),
    )
    .await;
    assert_eq!(
        (unknown.status, unknown.body["resourceType"].as_str()),
        (404, Some("job"))
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn time_mode_completes_by_itself_and_bad_settings_are_refused() {
    let server = TestServer::start().await;
    let addr = server.addr();
    assert_eq!(
        ok(addr, "GET", PROGRESSION, "").await,
        json!({"mode": "immediate", "operations": {}})
    );
    create_backend(addr, "timeapp").await;
    ok(
        addr,
        "PUT",
        PROGRESSION,
        r#"{"mode":"time","durationMs":300,"operation":"CreateBackendAuth"}"#,
    )
    .await;
    let started = ok(addr, "POST", "/backend/timeapp/auth", &auth_request("dev")).await;
    assert_eq!(started["status"], "RUNNING");
    let job_id = started["jobId"].as_str().unwrap().to_owned();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let read = job(addr, "timeapp", &job_id).await;
        if read["status"] == "COMPLETED" {
            break;
        }
        assert_eq!(read["status"], "RUNNING");
        assert!(tokio::time::Instant::now() < deadline, "still {read}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(auth_status(addr, "timeapp").await, 200);

    let before = ok(addr, "GET", PROGRESSION, "").await;
    for bad in [
        r#"{"mode":"later"}"#,
        r#"{"mode":"time"}"#,
        r#"{"mode":"manual","durationMs":5}"#,
        r#"{"mode":"time","durationMs":-1}"#,
        r#"{"mode":"time","durationMs":999999999999}"#,
        r#"{"mode":"manual","operation":"GetBackend"}"#,
        r#"{"mode":"manual","operation":"NoSuchOperation"}"#,
        r#"{"mode":"manual","speed":1}"#,
        r#"{}"#,
        "not json",
    ] {
        let answer = call(addr, "PUT", PROGRESSION, bad).await;
        assert_eq!(answer.status, 400, "{bad}: {answer:?}");
        assert!(answer.body["message"].is_string(), "{answer:?}");
    }
    assert_eq!(
        ok(addr, "GET", PROGRESSION, "").await,
        before,
        "nothing changed"
    );
    for bad in [
        advance("timeapp", &job_id, "RUNNING", None),
        advance("timeapp", &job_id, "COMPLETED", Some("an error for a success")),
        r#"{"appId":"timeapp","backendEnvironmentName":"dev","jobId":"x","status":"FAILED","colour":"red"}"#.to_owned(),
    ] {
        let answer = call(addr, "POST", ADVANCE, &bad).await;
        assert_eq!(answer.status, 400, "{bad}: {answer:?}");
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs AMPLIFYBACKEND_TEST_POSTGRES_URL (a PostgreSQL database)"
)]
async fn a_manual_job_started_on_one_server_is_advanced_through_another() {
    let schema = PgSchema::new();
    let a = TestServer::start_with(config_on(schema.url(), Duration::ZERO)).await;
    // The other server completes due jobs every few milliseconds: it must leave a manual
    // job alone.
    let b = TestServer::start_with(config_on(schema.url(), Duration::from_millis(50))).await;
    let (a_addr, b_addr) = (a.addr(), b.addr());
    create_backend(a_addr, "pgmanual").await;
    ok(a_addr, "PUT", PROGRESSION, r#"{"mode":"manual"}"#).await;

    let started = ok(
        a_addr,
        "POST",
        "/backend/pgmanual/auth",
        &auth_request("dev"),
    )
    .await;
    assert_eq!(started["status"], "RUNNING");
    let job_id = started["jobId"].as_str().unwrap().to_owned();
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(job(b_addr, "pgmanual", &job_id).await["status"], "RUNNING");
    let done = ok(
        b_addr,
        "POST",
        ADVANCE,
        &advance("pgmanual", &job_id, "COMPLETED", None),
    )
    .await;
    assert_eq!(done["status"], "COMPLETED");
    assert_eq!(
        job(a_addr, "pgmanual", &job_id).await["status"],
        "COMPLETED"
    );
    assert_eq!(
        auth_status(a_addr, "pgmanual").await,
        200,
        "applied, seen by both"
    );

    let started = ok(
        a_addr,
        "POST",
        "/backend/pgmanual/storage",
        &storage_request("dev"),
    )
    .await;
    let job_id = started["jobId"].as_str().unwrap().to_owned();
    let failed = ok(
        b_addr,
        "POST",
        ADVANCE,
        &advance("pgmanual", &job_id, "FAILED", Some("Quota exceeded.")),
    )
    .await;
    assert_eq!(failed["status"], "FAILED");
    let read = job(a_addr, "pgmanual", &job_id).await;
    assert_eq!(
        (read["status"].as_str(), read["error"].as_str()),
        (Some("FAILED"), Some("Quota exceeded."))
    );
    let storage = call(
        a_addr,
        "POST",
        "/backend/pgmanual/storage/dev/details",
        r#"{"resourceName":"files"}"#,
    )
    .await;
    assert_eq!(storage.status, 404, "never applied");
    // Each server keeps its own setting.
    assert_eq!(
        ok(b_addr, "GET", PROGRESSION, "").await,
        json!({"mode": "time", "durationMs": 50, "operations": {}})
    );
    a.stop().await;
    b.stop().await;
}
