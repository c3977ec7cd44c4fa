//! `GET /_amplifybackend/requests`: the request journal, driven by the AWS SDK for Rust.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{SdkClients, TestServer, base_config, is_iso8601, not_found};
use crate::control_faults::control;
use serde_json::json;

#[tokio::test]
async fn the_journal_lists_the_last_requests_newest_first() {
    let server = TestServer::start().await;
    let addr = server.addr();
    let client = server.client_for("123456789012", "eu-west-1");
    crate::common::create_backend(&client, "app1", "shop", "dev").await;
    control(
        addr,
        "POST",
        "/_amplifybackend/faults",
        &json!({"operation": "GetBackend", "times": 1, "error": {"statusCode": 429}}).to_string(),
    )
    .await;
    let throttled = client.get_backend().app_id("app1").send().await;
    assert!(throttled.is_err());
    not_found(client.get_backend().app_id("other").send().await, "app");
    // Control requests are not journaled.
    let (status, _, body) = control(addr, "GET", "/_amplifybackend/requests", "").await;
    assert_eq!(status, 200);
    let entries = body["requests"].as_array().unwrap();
    assert_eq!(entries.len(), 3, "{body}");
    let (newest, throttled, created) = (&entries[0], &entries[1], &entries[2]);
    assert_eq!(created["operation"], "CreateBackend");
    assert_eq!(created["status"], 200);
    assert_eq!(created["errorCode"], json!(null));
    assert_eq!(created["faultInjected"], false);
    assert_eq!(created["accountId"], "123456789012");
    assert_eq!(created["region"], "eu-west-1");
    assert_eq!(created["service"], "amplifybackend");
    assert!(is_iso8601(created["time"].as_str().unwrap()), "{created}");
    assert!(created["latencyMs"].is_u64());
    assert_eq!(created["requestId"].as_str().map(str::len), Some(36));
    assert_eq!(throttled["status"], 429);
    assert_eq!(throttled["errorCode"], "TooManyRequestsException");
    assert_eq!(throttled["faultInjected"], true);
    assert_eq!(newest["status"], 404);
    assert_eq!(newest["errorCode"], "NotFoundException");
    assert_eq!(newest["faultInjected"], false);

    let (_, _, one) = control(addr, "GET", "/_amplifybackend/requests?limit=1", "").await;
    assert_eq!(one["requests"], json!([newest]));
    for bad in ["limit=0", "limit=x", "limit=1&limit=2", "colour=red"] {
        let (status, code, _) =
            control(addr, "GET", &format!("/_amplifybackend/requests?{bad}"), "").await;
        assert_eq!(
            (status, code.as_deref()),
            (400, Some("BadRequestException")),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn requests_that_reach_no_operation_are_journaled_without_one() {
    let server = TestServer::start().await;
    let (status, _, _) = control(server.addr(), "GET", "/nowhere", "").await;
    assert_eq!(status, 404);
    let (_, _, body) = control(server.addr(), "GET", "/_amplifybackend/requests", "").await;
    let entry = &body["requests"][0];
    assert_eq!(entry["operation"], json!(null));
    assert_eq!(entry["status"], 404);
    assert_eq!(entry["accountId"], "000000000000");
}

#[tokio::test]
async fn the_journal_keeps_only_its_size() {
    let server = TestServer::start_with(amplifybackend_server::ServerConfig {
        journal_size: 2,
        ..base_config()
    })
    .await;
    let client = server.client();
    for app in ["a", "b", "c"] {
        not_found(client.get_backend().app_id(app).send().await, "app");
    }
    let (_, _, body) = control(
        server.addr(),
        "GET",
        "/_amplifybackend/requests?limit=50",
        "",
    )
    .await;
    assert_eq!(body["requests"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn the_journal_never_holds_a_secret() {
    let server = TestServer::start().await;
    let client = server.client_for("AKIDSECRETKEYID", "us-east-1");
    crate::common::create_backend(&client, "app1", "private-app-name", "dev").await;
    let token = client.create_token().app_id("app1").send().await.unwrap();
    let session = token.session_id().unwrap();
    let code = token.challenge_code().unwrap();
    client
        .get_token()
        .app_id("app1")
        .session_id(session)
        .send()
        .await
        .unwrap();
    let (_, _, body) = control(server.addr(), "GET", "/_amplifybackend/requests", "").await;
    let text = body.to_string();
    assert_eq!(body["requests"].as_array().map(Vec::len), Some(3), "{text}");
    // The SDK's secret is "secret" (a word that appears nowhere in an entry's names).
    for secret in [
        session,
        code,
        "private-app-name",
        "AKIDSECRETKEYID",
        "secret",
        "Authorization",
    ] {
        assert!(!text.contains(secret), "{secret} in the journal: {text}");
    }
}
