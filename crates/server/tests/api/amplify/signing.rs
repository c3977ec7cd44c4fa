//! SigV4 for the Amplify service: with `--credentials`, its routes take signatures for
//! `amplify` only, AmplifyBackend's for `amplifybackend` only; tenancy as for AmplifyBackend.

use super::*;
use crate::common::*;
use amplifybackend_server::credentials::Credential;
use serde_json::json;

async fn enforcing_server() -> TestServer {
    TestServer::start_with(amplifybackend_server::ServerConfig {
        credentials: Some(vec![Credential {
            access_key_id: "AKIDTEAMA".into(),
            secret_access_key: "team-a-secret".into(),
            account_id: "111111111111".into(),
            session_token: None,
            admin: false,
        }]),
        ..base_config()
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signature_for_the_other_service_is_refused() {
    let server = enforcing_server().await;
    let amplify = Amplify {
        key: "AKIDTEAMA".into(),
        secret: "team-a-secret".into(),
        ..Amplify::new(server.addr())
    };
    let app = create_app(&amplify, json!({ "name": "signed" })).await;
    assert_eq!(
        app["appArn"]
            .as_str()
            .map(|a| a.contains(":111111111111:apps/")),
        Some(true),
        "the account of the key: {app}"
    );
    let as_backend = Amplify {
        service: "amplifybackend".into(),
        ..amplify.clone()
    };
    let message = as_backend
        .get("/apps")
        .await
        .error(403, "InvalidSignatureException");
    assert!(message.contains("'amplify'"), "{message}");
    let message = amplify
        .post("/backend/x/details", json!({}))
        .await
        .error(403, "InvalidSignatureException");
    assert!(message.contains("'amplifybackend'"), "{message}");
    let wrong_secret = Amplify {
        secret: "nope".into(),
        ..amplify.clone()
    };
    wrong_secret
        .get("/apps")
        .await
        .error(403, "InvalidSignatureException");
    // Nothing was created by the refused requests; the signed one sees its app.
    let listed = amplify.get("/apps").await.ok();
    assert_eq!(listed["apps"], json!([app]));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apps_belong_to_their_account_and_region() {
    let server = TestServer::start().await;
    let amplify = Amplify::new(server.addr());
    let app = create_app(&amplify, json!({ "name": "mine" })).await;
    let id = app["appId"].as_str().unwrap();
    let other_account = Amplify {
        key: "123456789012".into(),
        ..amplify.clone()
    };
    for caller in [other_account, amplify.in_region("eu-west-1")] {
        caller
            .get(&format!("/apps/{id}"))
            .await
            .error(404, "NotFoundException");
        assert_eq!(caller.get("/apps").await.ok()["apps"], json!([]));
        caller
            .delete(&format!("/apps/{id}"))
            .await
            .error(404, "NotFoundException");
    }
    assert_eq!(amplify.get(&format!("/apps/{id}")).await.ok()["app"], app);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_answer_limit_exceeded() {
    let server = TestServer::start_with(amplifybackend_server::ServerConfig {
        rate_limit: Some((0.5, 1)),
        ..base_config()
    })
    .await;
    let amplify = Amplify::new(server.addr());
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let reply = amplify.get("/apps").await;
        statuses.push((reply.status, reply.error_type));
    }
    assert!(
        statuses.contains(&(429, Some("LimitExceededException".into()))),
        "{statuses:?}"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_each_service_per_operation() {
    let server = TestServer::start().await;
    let amplify = Amplify::new(server.addr());
    create_app(&amplify, json!({ "name": "counted" })).await;
    amplify
        .get("/apps/dnosuchapp")
        .await
        .error(404, "NotFoundException");
    create_backend(&server.client(), "countedapp", "counted", "dev").await;
    let text = unsigned_get(server.addr(), "/_amplifybackend/metrics").await;
    for line in [
        "amplifybackend_requests_total{operation=\"CreateApp\",service=\"amplify\",status=\"200\"} 1",
        "amplifybackend_requests_total{operation=\"GetApp\",service=\"amplify\",status=\"404\"} 1",
        "amplifybackend_requests_total{operation=\"CreateBackend\",status=\"200\"} 1",
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }
    server.stop().await;
}

/// An unsigned GET of a server path, answering the body.
async fn unsigned_get(addr: std::net::SocketAddr, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    String::from_utf8_lossy(&response).into_owned()
}
