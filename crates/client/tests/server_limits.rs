//! The client against the real server with signatures enforced (header and presigned SigV4,
//! session tokens) and rate limits (429 TooManyRequestsException with limitType, retried).
//! GatewayTimeoutException is exercised against a scripted server (tests/retries.rs): the
//! real one cannot be made to time out deterministically.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use amplifybackend_client::model::*;
use amplifybackend_client::{Client, Config, Credentials, Error, MapEnv, RetryConfig};
use amplifybackend_server::credentials::Credential;
use amplifybackend_testkit::base_config;
use common::{Clients, TestServer, app_id};
use std::time::Duration;

fn signed_client(server: &TestServer, credentials: Credentials, retry: RetryConfig) -> Client {
    Client::new(
        Config::builder()
            .env(MapEnv::new())
            .endpoint_url(server.endpoint())
            .region("eu-west-1")
            .credentials(credentials)
            .retry(retry)
            .build(),
    )
}

async fn verifying_server() -> TestServer {
    let mut config = base_config();
    config.credentials = Some(vec![
        Credential {
            access_key_id: "AKIDLONGTERM".into(),
            secret_access_key: "long/term+secret".into(),
            account_id: "111122223333".into(),
            session_token: None,
            admin: false,
        },
        Credential {
            access_key_id: "ASIATEMP".into(),
            secret_access_key: "temp-secret".into(),
            account_id: "444455556666".into(),
            session_token: Some("session-token/with+chars==".into()),
            admin: false,
        },
    ]);
    TestServer::start_with(config).await
}

#[tokio::test]
async fn signatures_verify_on_a_server_that_checks_them() {
    let server = verifying_server().await;
    let good = signed_client(
        &server,
        Credentials::new("AKIDLONGTERM", "long/term+secret", None),
        RetryConfig::disabled(),
    );
    let app = app_id();
    let job = good
        .create_backend(
            CreateBackendRequest::builder()
                .app_id(&app)
                .app_name("Signed app")
                .backend_environment_name("dev"),
        )
        .await
        .unwrap();
    // GET with no body, URI members needing encoding, and a JSON body all verify.
    good.get_backend_job(
        GetBackendJobRequest::builder()
            .app_id(&app)
            .backend_environment_name("dev")
            .job_id(job.job_id.clone().unwrap()),
    )
    .await
    .unwrap();
    let err = good
        .get_backend(GetBackendRequest::builder().app_id("an app/with spaces&?"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");

    // Temporary credentials: the session token is sent and checked.
    let temp = signed_client(
        &server,
        Credentials::new(
            "ASIATEMP",
            "temp-secret",
            Some("session-token/with+chars==".into()),
        ),
        RetryConfig::disabled(),
    );
    temp.list_s3_buckets(ListS3BucketsRequest::default())
        .await
        .unwrap();

    // A wrong secret is refused as the AWS front door refuses it.
    let bad = signed_client(
        &server,
        Credentials::new("AKIDLONGTERM", "wrong", None),
        RetryConfig::disabled(),
    );
    let err = bad
        .list_s3_buckets(ListS3BucketsRequest::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InvalidSignatureException"), "{err:?}");
    assert_eq!(err.status(), Some(403));
    assert!(err.request_id().is_some());
    let unknown = signed_client(
        &server,
        Credentials::new("AKIDNOPE", "x", None),
        RetryConfig::disabled(),
    );
    let err = unknown
        .list_s3_buckets(ListS3BucketsRequest::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("UnrecognizedClientException"), "{err:?}");

    // A presigned URL verifies too, fetched without any client.
    let url = good
        .presign_get_backend_job(
            GetBackendJobRequest::builder()
                .app_id(&app)
                .backend_environment_name("dev")
                .job_id(job.job_id.unwrap()),
            Duration::from_secs(300),
        )
        .unwrap()
        .url;
    let (status, body) = plain_get(&url).await;
    assert_eq!(status, 200, "{body}");
    let tampered = url.replace("X-Amz-Expires=300", "X-Amz-Expires=301");
    let (status, _) = plain_get(&tampered).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn rate_limits_are_too_many_requests_and_retried() {
    let mut config = base_config();
    config.rate_limit = Some((5.0, 2));
    let server = TestServer::start_with(config).await;
    let client = server.client();
    let mut limited = None;
    for _ in 0..10 {
        if let Err(e) = client
            .list_s3_buckets(ListS3BucketsRequest::default())
            .await
        {
            limited = Some(e);
            break;
        }
    }
    match limited {
        Some(Error::TooManyRequests {
            limit_type,
            meta,
            message,
        }) => {
            assert!(limit_type.is_some());
            assert_eq!(meta.status, Some(429));
            assert!(meta.request_id.is_some());
            assert!(!message.is_empty());
        }
        other => panic!("expected TooManyRequests, got {other:?}"),
    }
    // With standard retries and a backoff long enough for the bucket to refill, the call
    // gets through.
    let retrying = common::client_for(
        &server.endpoint(),
        RetryConfig {
            max_attempts: 5,
            base: Duration::from_millis(400),
            max_backoff: Duration::from_secs(2),
            quota: true,
        },
    );
    let mut max_attempts = 0;
    for _ in 0..6 {
        let (_, meta) = retrying
            .send_with_meta(ListS3BucketsRequest::default())
            .await
            .unwrap();
        max_attempts = max_attempts.max(meta.attempts);
    }
    assert!(max_attempts > 1, "no call needed a retry");
}

async fn plain_get(url: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let mut sock = tokio::net::TcpStream::connect(host).await.unwrap();
    sock.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await
    .unwrap();
    let mut response = String::new();
    sock.read_to_string(&mut response).await.unwrap();
    let status = response.split(' ').nth(1).unwrap().parse().unwrap();
    let body = response.split("\r\n\r\n").nth(1).unwrap_or("").to_owned();
    (status, body)
}
