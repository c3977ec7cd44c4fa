//! `/_amplifybackend/faults`: rules set over HTTP, their effects seen by the AWS SDK for
//! Rust (a client we did not write): modeled errors in their exact wire form, added
//! latency, jobs that fail; bad rules refused whole; `--control off`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{
    SdkClients, TestServer, base_config, config_on, failure, not_found, user_pool, user_pool_only,
    wait_for_job,
};
use aws_sdk_amplifybackend::operation::get_backend::GetBackendError;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Status, `x-amzn-errortype` and JSON body of one unsigned control request.
pub async fn control(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: &str,
) -> (u16, Option<String>, Value) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let response = String::from_utf8(response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status: u16 = head[9..12].parse().unwrap();
    let error_type = head.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("x-amzn-errortype")
            .then(|| value.trim().to_owned())
    });
    // The body may come chunked: take the JSON between the first `{` and the last `}`.
    let json = match (body.find('{'), body.rfind('}')) {
        (Some(start), Some(end)) => serde_json::from_str(&body[start..=end]).unwrap(),
        _ => Value::Null,
    };
    (status, error_type, json)
}

async fn add(addr: SocketAddr, rule: Value) -> Value {
    let (status, _, body) =
        control(addr, "POST", "/_amplifybackend/faults", &rule.to_string()).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn an_injected_429_is_the_modeled_error_and_expires_after_its_times() {
    let server = TestServer::start().await;
    let client = server.client();
    add(
        server.addr(),
        json!({"operation": "GetBackend", "times": 2, "error": {"statusCode": 429, "message": "Slow down"}}),
    )
    .await;
    for _ in 0..2 {
        let e = client
            .get_backend()
            .app_id("nope")
            .send()
            .await
            .unwrap_err();
        let raw_status = e.raw_response().map(|r| r.status().as_u16());
        match e.into_service_error() {
            GetBackendError::TooManyRequestsException(t) => {
                assert_eq!(t.limit_type(), Some("RequestRate"));
                assert_eq!(t.message(), Some("Slow down"));
            }
            other => panic!("not a TooManyRequestsException: {other:?}"),
        }
        assert_eq!(raw_status, Some(429));
    }
    // Used up: the operation runs again, and the rule is gone.
    not_found(client.get_backend().app_id("nope").send().await, "app");
    let (_, _, listed) = control(server.addr(), "GET", "/_amplifybackend/faults", "").await;
    assert_eq!(listed, json!({"faults": []}));
}

#[tokio::test]
async fn injected_404_and_504_carry_their_members_and_filters_pick_the_requests() {
    let server = TestServer::start().await;
    let listed = add(
        server.addr(),
        json!([
            {"operation": "ListBackendJobs", "accountId": "111111111111", "region": "eu-west-1",
             "error": {"code": "NotFoundException", "resourceType": "job", "message": "gone"}},
            {"service": "amplifybackend", "operation": "GetBackend", "error": {"statusCode": 504}}
        ]),
    )
    .await;
    assert_eq!(listed["faults"][0]["error"]["statusCode"], 404);
    assert_eq!(
        listed["faults"][1]["error"]["code"],
        "GatewayTimeoutException"
    );
    assert_eq!(listed["faults"][1]["probability"], 1.0);
    let list_jobs = |c: &aws_sdk_amplifybackend::Client| {
        c.list_backend_jobs()
            .app_id("a1")
            .backend_environment_name("dev")
            .send()
    };
    let target = server.client_for("111111111111", "eu-west-1");
    let f = not_found(list_jobs(&target).await, "job");
    assert_eq!(f.message, "gone");
    // Another account, another region: not affected (the real answer: no jobs).
    for other in [
        server.client_for("222222222222", "eu-west-1"),
        server.client_for("111111111111", "us-east-1"),
    ] {
        assert!(list_jobs(&other).await.is_ok());
    }
    let f = failure(server.client().get_backend().app_id("x").send().await);
    assert_eq!(f.status, Some(504), "{}", f.display);
    assert_eq!(f.code.as_deref(), Some("GatewayTimeoutException"));
    assert!(f.modeled, "{}", f.display);
}

/// A rule failing CreateBackendAuth's jobs, on a server of `config`: the job ends FAILED
/// with the rule's error and no auth resource exists.
async fn jobs_fail_without_their_effect(config: amplifybackend_server::ServerConfig) {
    let server = TestServer::start_with(config).await;
    let client = server.client();
    let created = client
        .create_backend()
        .app_id("app1")
        .app_name("shop")
        .backend_environment_name("dev")
        .send()
        .await
        .unwrap();
    let created = created.job_id().unwrap();
    let done = wait_for_job(&client, "app1", "dev", created, Duration::from_secs(10)).await;
    assert_eq!(done.status(), Some("COMPLETED"));
    add(
        server.addr(),
        json!({"operation": "CreateBackendAuth", "jobStatus": "FAILED", "jobError": "Cognito refused the pool."}),
    )
    .await;
    // Requests of other operations do not use the rule up.
    client.get_backend().app_id("app1").send().await.unwrap();
    let out = client
        .create_backend_auth()
        .app_id("app1")
        .backend_environment_name("dev")
        .resource_name("auth1")
        .resource_config(user_pool_only(user_pool("pool").build()))
        .send()
        .await
        .unwrap();
    let job = wait_for_job(
        &client,
        "app1",
        "dev",
        out.job_id().unwrap(),
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(job.status(), Some("FAILED"));
    assert_eq!(job.error(), Some("Cognito refused the pool."));
    not_found(
        client
            .get_backend_auth()
            .app_id("app1")
            .backend_environment_name("dev")
            .resource_name("auth1")
            .send()
            .await,
        "auth",
    );
    server.stop().await;
}

#[tokio::test]
async fn a_rule_can_make_the_jobs_of_an_operation_fail_without_their_effect() {
    jobs_fail_without_their_effect(base_config()).await;
    jobs_fail_without_their_effect(config_on("sqlite::memory:", Duration::from_millis(100))).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs AMPLIFYBACKEND_TEST_POSTGRES_URL (a PostgreSQL database)"
)]
async fn failing_jobs_on_postgres() {
    let schema = amplifybackend_testkit::PgSchema::new();
    jobs_fail_without_their_effect(config_on(schema.url(), Duration::ZERO)).await;
    let schema = amplifybackend_testkit::PgSchema::new();
    jobs_fail_without_their_effect(config_on(schema.url(), Duration::from_millis(100))).await;
}

#[tokio::test]
async fn latency_delays_the_answer() {
    let server = TestServer::start().await;
    add(
        server.addr(),
        json!({"operation": "GetBackend", "latencyMs": 300, "times": 1}),
    )
    .await;
    let started = Instant::now();
    not_found(
        server.client().get_backend().app_id("x").send().await,
        "app",
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn bad_rules_get_400_naming_the_problem_and_change_nothing() {
    let server = TestServer::start().await;
    let addr = server.addr();
    let kept = add(addr, json!({"operation": "GetBackend", "latencyMs": 1})).await;
    let cases = [
        (
            json!([{"latencyMs": 1}, {"probability": 2, "latencyMs": 1}]),
            "[1].probability",
        ),
        (
            json!({"operation": "GetBackend", "error": {"statusCode": 418}}),
            "error.statusCode",
        ),
        (
            json!({"operation": "NoSuchOperation", "service": "amplifybackend", "latencyMs": 1}),
            "operation",
        ),
        (
            json!({"operation": "GetBackend", "jobStatus": "FAILED"}),
            "operation",
        ),
        (json!({"operation": "GetBackend"}), "effect"),
        (json!({"latencyMs": 1, "colour": "red"}), "colour"),
        (json!({"times": "two", "latencyMs": 1}), "times"),
        (json!(42), "fault rule"),
    ];
    for (body, named) in cases {
        let (status, code, answer) =
            control(addr, "POST", "/_amplifybackend/faults", &body.to_string()).await;
        assert_eq!(status, 400, "{body} → {answer}");
        assert_eq!(code.as_deref(), Some("BadRequestException"));
        let message = answer["message"].as_str().unwrap();
        assert!(message.contains(named), "{body} → {message}");
        let (_, _, now) = control(addr, "GET", "/_amplifybackend/faults", "").await;
        assert_eq!(now, kept, "{body} changed the rules");
    }
    let (status, _, _) = control(addr, "POST", "/_amplifybackend/faults", "{not json").await;
    assert_eq!(status, 400);
    // `[]` clears, and so does DELETE.
    let (_, _, cleared) = control(addr, "POST", "/_amplifybackend/faults", "[]").await;
    assert_eq!(cleared, json!({"faults": []}));
    add(addr, json!({"latencyMs": 1})).await;
    let (status, _, cleared) = control(addr, "DELETE", "/_amplifybackend/faults", "").await;
    assert_eq!((status, cleared), (200, json!({"faults": []})));
    // A method the path does not serve answers as an unknown path does.
    let (status, code, _) = control(addr, "PUT", "/_amplifybackend/faults", "{}").await;
    assert_eq!((status, code.as_deref()), (404, Some("NotFoundException")));
}

#[tokio::test]
async fn control_off_answers_404_everywhere_on_the_surface() {
    let server = TestServer::start_with(amplifybackend_server::ServerConfig {
        control: false,
        ..base_config()
    })
    .await;
    for (method, path) in [
        ("GET", "/_amplifybackend/faults"),
        ("POST", "/_amplifybackend/faults"),
        ("GET", "/_amplifybackend/requests"),
        ("POST", "/_amplifybackend/state/reset"),
        ("GET", "/_amplifybackend/state"),
        ("GET", "/_amplifybackend/jobs/progression"),
    ] {
        let (status, code, body) = control(server.addr(), method, path, "{}").await;
        assert_eq!(status, 404, "{method} {path}: {body}");
        assert_eq!(code.as_deref(), Some("NotFoundException"));
        assert_eq!(body["resourceType"], "route");
    }
    // Health and metrics stay.
    let (status, _, _) = control(server.addr(), "GET", "/_amplifybackend/health", "").await;
    assert_eq!(status, 200);
}
