//! The Studio console: its built files served at `/console/` with their media types, client
//! routes answered with the page, a browser's `GET /` sent there while API clients are not,
//! and nothing of it with the console turned off.

use crate::common::{SdkClients, TestServer, base_config};
use amplifybackend_server::ServerConfig;
use amplifybackend_server::credentials::Credential;
use std::net::SocketAddr;
use std::path::PathBuf;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A response: status, headers (names lowercased), body.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request on a connection of its own.
async fn request(addr: SocketAddr, method: &str, path: &str, accept: Option<&str>) -> Reply {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let accept = accept.map_or(String::new(), |a| format!("accept: {a}\r\n"));
    let head = format!(
        "{method} {path} HTTP/1.1\r\nhost: {addr}\r\n{accept}content-length: 0\r\nconnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

fn dist() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../console/dist")
}

/// A built script's path under `console/dist` (the names carry content hashes).
fn a_script() -> String {
    let assets = std::fs::read_dir(dist().join("assets")).unwrap();
    let name = assets
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with(".js"))
        .expect("the console is built into console/dist");
    format!("assets/{name}")
}

const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

#[tokio::test]
async fn serves_the_page_and_its_assets_with_their_media_types() {
    let server = TestServer::start().await;
    let page = request(server.addr(), "GET", "/console/", Some(BROWSER_ACCEPT)).await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.header("cache-control"), Some("no-cache"));
    assert!(
        page.header("content-security-policy")
            .is_some_and(|c| c.contains("default-src 'self'"))
    );
    assert_eq!(
        String::from_utf8_lossy(&page.body),
        std::fs::read_to_string(dist().join("index.html")).unwrap()
    );

    let script = a_script();
    let js = request(server.addr(), "GET", &format!("/console/{script}"), None).await;
    assert_eq!(js.status, 200);
    assert_eq!(
        js.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(js.header("x-content-type-options"), Some("nosniff"));
    assert!(
        js.header("cache-control")
            .is_some_and(|c| c.contains("immutable"))
    );
    assert!(
        js.body == std::fs::read(dist().join(&script)).unwrap(),
        "{script} is not served as built"
    );

    let head = request(server.addr(), "HEAD", "/console/", None).await;
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    server.stop().await;
}

#[tokio::test]
async fn client_routes_answer_the_page_and_missing_assets_do_not() {
    let server = TestServer::start().await;
    let index = std::fs::read_to_string(dist().join("index.html")).unwrap();
    for path in [
        "/console/apps/d1234/environments/dev/jobs",
        "/console/sign-in",
        "/console/apps/a%20b",
    ] {
        let reply = request(server.addr(), "GET", path, Some(BROWSER_ACCEPT)).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(
            reply.header("content-type"),
            Some("text/html; charset=utf-8"),
            "{path}"
        );
        assert_eq!(String::from_utf8_lossy(&reply.body), index, "{path}");
    }
    let missing = request(server.addr(), "GET", "/console/assets/gone-1234.js", None).await;
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("content-type"),
        Some("text/plain; charset=utf-8")
    );

    let bare = request(server.addr(), "GET", "/console", Some(BROWSER_ACCEPT)).await;
    assert_eq!(bare.status, 307);
    assert_eq!(bare.header("location"), Some("/console/"));
    server.stop().await;
}

#[tokio::test]
async fn a_browser_is_sent_to_the_console_and_an_api_client_is_not() {
    let server = TestServer::start().await;
    let browser = request(server.addr(), "GET", "/", Some(BROWSER_ACCEPT)).await;
    assert_eq!(browser.status, 307);
    assert_eq!(browser.header("location"), Some("/console/"));

    for accept in [None, Some("*/*"), Some("application/json")] {
        let api = request(server.addr(), "GET", "/", accept).await;
        assert_eq!(api.status, 404, "{accept:?}");
        assert!(api.header("location").is_none());
        assert_eq!(
            api.header("x-amzn-errortype")
                .map(|t| t.split(':').next().unwrap_or(t)),
            Some("NotFoundException")
        );
    }
    // Other methods on the console's paths are API requests like any other.
    let post = request(server.addr(), "POST", "/console/apps", None).await;
    assert_eq!(post.status, 404);
    assert!(post.header("x-amzn-errortype").is_some());

    // The SDK is unaffected.
    let err = server
        .client()
        .get_backend()
        .app_id("nothing")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        aws_sdk_amplifybackend::error::ProvideErrorMetadata::code(&err),
        Some("NotFoundException")
    );
    server.stop().await;
}

#[tokio::test]
async fn the_page_needs_no_signature_when_the_api_does() {
    let server = TestServer::start_with(ServerConfig {
        credentials: Some(vec![Credential {
            access_key_id: "AKIDCONSOLE".into(),
            secret_access_key: "console-secret".into(),
            account_id: "111111111111".into(),
            session_token: None,
            admin: false,
        }]),
        ..base_config()
    })
    .await;
    let page = request(server.addr(), "GET", "/console/", Some(BROWSER_ACCEPT)).await;
    assert_eq!(page.status, 200);
    // The API behind it still refuses an unsigned request.
    let api = request(server.addr(), "POST", "/backend/x/details", None).await;
    assert_eq!(api.status, 403);
    server.stop().await;
}

#[tokio::test]
async fn turned_off_the_console_is_not_there() {
    let server = TestServer::start_with(ServerConfig {
        console: false,
        ..base_config()
    })
    .await;
    let page = request(server.addr(), "GET", "/console/", Some(BROWSER_ACCEPT)).await;
    assert_eq!(page.status, 404);
    assert!(page.header("x-amzn-errortype").is_some());
    let root = request(server.addr(), "GET", "/", Some(BROWSER_ACCEPT)).await;
    assert_eq!(root.status, 404);
    assert!(root.header("location").is_none());
    server.stop().await;
}
