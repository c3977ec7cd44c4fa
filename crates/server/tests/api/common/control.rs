//! Plain HTTP for the test control endpoints and for API requests as JSON on the wire
//! (`tests/data/requests.json`), so that answers compare as the documents clients read.

use serde_json::Value;
use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// An answer: its status and its body as JSON (`Value::Null` when empty).
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

/// One request on a fresh connection. `tenant`: an account (12 digits) and region named
/// by a credential scope, which local-development mode trusts; `None`: the default
/// account in `us-east-1`.
pub async fn call_as(
    addr: SocketAddr,
    tenant: Option<(&str, &str)>,
    method: &str,
    target: &str,
    body: &str,
) -> Answer {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let authorization = tenant
        .map(|(account, region)| {
            format!(
                "authorization: AWS4-HMAC-SHA256 Credential={account}/20260101/{region}/amplifybackend/aws4_request, SignedHeaders=host, Signature=00\r\n"
            )
        })
        .unwrap_or_default();
    let request = format!(
        "{method} {target} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\n{authorization}content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let response = String::from_utf8(response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap();
    let body = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
    };
    Answer { status, body }
}

/// [`call_as`] for the default account.
pub async fn call(addr: SocketAddr, method: &str, target: &str, body: &str) -> Answer {
    call_as(addr, None, method, target, body).await
}

/// A call that must answer 200; its body.
pub async fn ok(addr: SocketAddr, method: &str, target: &str, body: &str) -> Value {
    let answer = call(addr, method, target, body).await;
    assert_eq!(answer.status, 200, "{method} {target}: {answer:?}");
    answer.body
}

/// The whole state document.
pub async fn export(addr: SocketAddr) -> Value {
    ok(addr, "GET", "/_amplifybackend/state", "").await
}

/// A valid request of every operation, in an order that builds on itself.
#[derive(Debug, Clone)]
pub struct Fixture {
    pub operation: String,
    pub method: String,
    pub path: String,
    pub body: Value,
}

pub fn fixtures() -> Vec<Fixture> {
    let all: Vec<Value> = serde_json::from_str(include_str!("../../data/requests.json")).unwrap();
    all.into_iter()
        .map(|f| Fixture {
            operation: f["operation"].as_str().unwrap().to_owned(),
            method: f["method"].as_str().unwrap().to_owned(),
            path: f["path"].as_str().unwrap().to_owned(),
            body: f["body"].clone(),
        })
        .collect()
}
