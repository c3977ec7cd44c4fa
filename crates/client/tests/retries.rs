//! Standard-mode retries, timeouts and error-code resolution against a scripted server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use amplifybackend_client::model::*;
use amplifybackend_client::{Error, RetryConfig};
use common::{Canned, ScriptedServer, client_for};
use std::time::Duration;

const JOB: &str =
    r#"{"appId":"a","backendEnvironmentName":"dev","jobId":"j","status":"COMPLETED"}"#;

fn fast(max_attempts: u32) -> RetryConfig {
    RetryConfig {
        max_attempts,
        base: Duration::from_millis(40),
        max_backoff: Duration::from_secs(1),
        quota: true,
    }
}

fn get_job() -> GetBackendJobRequest {
    GetBackendJobRequest {
        app_id: "a".into(),
        backend_environment_name: "dev".into(),
        job_id: "j".into(),
    }
}

#[tokio::test]
async fn retries_429_and_503_then_succeeds() {
    let server = ScriptedServer::start(vec![
        Canned::new(429, r#"{"message":"slow down","limitType":"requests"}"#)
            .header("X-Amzn-ErrorType", "TooManyRequestsException"),
        Canned::new(503, ""),
        Canned::new(200, JOB),
    ])
    .await;
    let client = client_for(&server.endpoint(), fast(3));
    let (job, meta) = client.send_with_meta(get_job()).await.unwrap();
    assert_eq!(job.status.as_deref(), Some("COMPLETED"));
    assert_eq!(meta.attempts, 3);
    assert_eq!(meta.request_id.as_deref(), Some("req-200"));
    let seen = server.requests();
    assert_eq!(seen.len(), 3);
    // Every attempt is signed and numbered like botocore's.
    for (i, s) in seen.iter().enumerate() {
        let head = s.head.to_ascii_lowercase();
        assert!(head.starts_with("get /backend/a/job/dev/j "), "{head}");
        assert!(
            head.contains("authorization: aws4-hmac-sha256 credential=akidexample/"),
            "{head}"
        );
        assert!(
            head.contains(&format!("amz-sdk-request: attempt={}; max=3", i + 1)),
            "{head}"
        );
    }
    // Backoff grows: each sleep is random(0,1) * 40 ms * 2^(n-1), never more.
    let gap1 = seen[1].at - seen[0].at;
    let gap2 = seen[2].at - seen[1].at;
    assert!(gap1 < Duration::from_millis(40 + 200), "{gap1:?}");
    assert!(gap2 < Duration::from_millis(80 + 200), "{gap2:?}");
    // The two retries cost 10 units, given back by the success.
    assert_eq!(client.retry_quota_available(), 500);
}

#[tokio::test]
async fn gives_up_after_max_attempts_with_the_last_error() {
    let server = ScriptedServer::start(vec![
        Canned::new(503, r#"{"message":"unavailable"}"#)
            .header("X-Amzn-ErrorType", "ServiceUnavailable"),
    ])
    .await;
    let client = client_for(&server.endpoint(), fast(4));
    let err = client.get_backend_job(get_job()).await.unwrap_err();
    match &err {
        Error::Service {
            code,
            message,
            meta,
        } => {
            assert_eq!(code, "ServiceUnavailable");
            assert_eq!(message, "unavailable");
            assert_eq!(meta.status, Some(503));
            assert_eq!(meta.attempts, 4);
            assert_eq!(meta.request_id.as_deref(), Some("req-503"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests().len(), 4);
    assert_eq!(client.retry_quota_available(), 500 - 3 * 5);
}

#[tokio::test]
async fn does_not_retry_client_errors() {
    let server = ScriptedServer::start(vec![
        Canned::new(400, r#"{"message":"bad"}"#).header("X-Amzn-ErrorType", "BadRequestException"),
        Canned::new(200, JOB),
    ])
    .await;
    let client = client_for(&server.endpoint(), fast(3));
    let err = client.get_backend_job(get_job()).await.unwrap_err();
    assert!(matches!(err, Error::BadRequest { .. }), "{err:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn retries_other_5xx_and_gateway_timeouts() {
    for status in [500u16, 502, 504] {
        let server =
            ScriptedServer::start(vec![Canned::new(status, "{}"), Canned::new(200, JOB)]).await;
        let client = client_for(&server.endpoint(), fast(2));
        client.get_backend_job(get_job()).await.unwrap();
        assert_eq!(server.requests().len(), 2, "status {status}");
    }
}

#[tokio::test]
async fn the_retry_quota_stops_retries_when_empty() {
    let server = ScriptedServer::start(vec![Canned::new(500, "{}")]).await;
    let client = client_for(
        &server.endpoint(),
        RetryConfig {
            max_attempts: 200,
            base: Duration::ZERO,
            max_backoff: Duration::ZERO,
            quota: true,
        },
    );
    let err = client.get_backend_job(get_job()).await.unwrap_err();
    // 500 units buy 100 retries of 5: 101 attempts, then the quota refuses.
    assert_eq!(err.meta().map(|m| m.attempts), Some(101));
    assert_eq!(server.requests().len(), 101);
    assert_eq!(client.retry_quota_available(), 0);
}

#[tokio::test]
async fn maps_every_modeled_exception_and_resolves_codes() {
    let cases = vec![
        (
            Canned::new(429, r#"{"message":"m","limitType":"lt"}"#)
                .header("X-Amzn-ErrorType", "TooManyRequestsException"),
            "TooManyRequestsException",
        ),
        (
            Canned::new(504, r#"{"message":"m"}"#).header(
                "X-Amzn-ErrorType",
                "GatewayTimeoutException:http://internal.amazon.com/",
            ),
            "GatewayTimeoutException",
        ),
        (
            Canned::new(404, r#"{"message":"m","resourceType":"app"}"#),
            "404",
        ),
        (
            Canned::new(
                400,
                r#"{"__type":"com.amazonaws.amplifybackend#BadRequestException","message":"m"}"#,
            ),
            "BadRequestException",
        ),
        (
            Canned::new(
                404,
                r#"{"code":"NotFoundException","message":"m","resourceType":"app"}"#,
            ),
            "NotFoundException",
        ),
        (
            Canned::new(403, r#"{"message":"m"}"#)
                .header("X-Amzn-ErrorType", "InvalidSignatureException"),
            "InvalidSignatureException",
        ),
    ];
    for (canned, code) in cases {
        let server = ScriptedServer::start(vec![canned]).await;
        let client = client_for(&server.endpoint(), RetryConfig::disabled());
        let err = client.get_backend_job(get_job()).await.unwrap_err();
        assert_eq!(err.code(), Some(code), "{err:?}");
        assert!(err.request_id().is_some());
        match (&err, code) {
            (Error::TooManyRequests { limit_type, .. }, _) => {
                assert_eq!(limit_type.as_deref(), Some("lt"))
            }
            (Error::GatewayTimeout { message, .. }, _) => assert_eq!(message, "m"),
            (Error::NotFound { resource_type, .. }, _) => {
                assert_eq!(resource_type.as_deref(), Some("app"))
            }
            (Error::BadRequest { .. }, _) => {}
            (Error::Service { .. }, "404" | "InvalidSignatureException") => {}
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn an_unreadable_success_is_a_decode_error() {
    let server = ScriptedServer::start(vec![Canned::new(200, "not json")]).await;
    let client = client_for(&server.endpoint(), RetryConfig::disabled());
    let err = client.get_backend_job(get_job()).await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_eq!(err.request_id(), Some("req-200"));
}

#[tokio::test]
async fn read_timeouts_are_retried_then_reported() {
    let server = ScriptedServer::start(vec![
        Canned::new(200, JOB).delay(Duration::from_millis(600)),
    ])
    .await;
    let client = amplifybackend_client::Client::new(
        amplifybackend_client::Config::builder()
            .env(amplifybackend_client::MapEnv::new())
            .endpoint_url(server.endpoint())
            .region("us-east-1")
            .credentials(amplifybackend_client::Credentials::new("a", "b", None))
            .retry(fast(2))
            .read_timeout(Duration::from_millis(150))
            .build(),
    );
    let err = client.get_backend_job(get_job()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(err.meta().map(|m| m.attempts), Some(2));
    // A retried timeout costs 10 units.
    assert_eq!(client.retry_quota_available(), 490);
}

#[tokio::test]
async fn connection_failures_are_transport_errors_and_retried() {
    // Bind then drop a listener: nothing accepts on that port.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = client_for(&format!("http://127.0.0.1:{port}"), fast(3));
    let err = client.get_backend_job(get_job()).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(err.meta().map(|m| m.attempts), Some(3));
    assert!(err.is_retryable());
    assert!(err.code().is_none());
}
