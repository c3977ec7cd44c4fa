//! The harness of the SDK integration tests: the real server, in-process on port 0, driven
//! by the official AWS SDK for Rust.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use amplifybackend_server::{Server, ServerConfig, ServerError};
use aws_sdk_amplifybackend::Client;
use aws_sdk_amplifybackend::config::retry::RetryConfig;
use aws_sdk_amplifybackend::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_amplifybackend::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_amplifybackend::operation::RequestId;
use std::fmt::Debug;
use std::net::SocketAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub mod auth;
mod fixtures;
pub use fixtures::*;

/// The region of [`TestServer::client`].
pub const REGION: &str = "us-east-1";

/// A server running in this process.
#[derive(Debug)]
pub struct TestServer {
    /// Where it listens.
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<Result<(), ServerError>>>,
}

/// The configuration tests start from: any port, an in-memory database, inline jobs.
pub fn base_config() -> ServerConfig {
    ServerConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: "sqlite::memory:".into(),
        job_duration: Duration::ZERO,
        token_ttl: Duration::from_secs(600),
        ..Default::default()
    }
}

impl TestServer {
    /// A server with inline jobs and an in-memory database.
    pub async fn start() -> TestServer {
        TestServer::start_with(base_config()).await
    }

    /// A server with the given configuration.
    pub async fn start_with(config: ServerConfig) -> TestServer {
        let server = Server::bind(config).await.expect("the server binds");
        let addr = server.local_addr().expect("the server has an address");
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(server.serve(async move {
            let _ = rx.await;
        }));
        TestServer {
            addr,
            shutdown: Some(tx),
            handle: Some(handle),
        }
    }

    /// A client of the default account (`AKIDEXAMPLE` → `000000000000`) in `us-east-1`.
    pub fn client(&self) -> Client {
        self.client_for("AKIDEXAMPLE", REGION)
    }

    /// A client signing with `access_key` in `region`.
    pub fn client_for(&self, access_key: &str, region: &str) -> Client {
        let config = aws_sdk_amplifybackend::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(region.to_owned()))
            .endpoint_url(format!("http://{}", self.addr))
            .credentials_provider(Credentials::new(access_key, "secret", None, None, "test"))
            .retry_config(RetryConfig::disabled())
            .build();
        Client::from_conf(config)
    }

    /// Graceful shutdown: stops accepting, finishes in-flight work, and waits for it.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(handle) = self.handle.take() {
            let result = tokio::time::timeout(Duration::from_secs(10), handle)
                .await
                .expect("the server stops within 10 s");
            result
                .expect("the server task did not panic")
                .expect("the server stopped cleanly");
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// What an SDK call's failure looked like on the wire and to the SDK.
#[derive(Debug)]
pub struct Failure {
    /// The HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// The error code (`BadRequestException`).
    pub code: Option<String>,
    /// The message.
    pub message: String,
    /// `resourceType` of a NotFoundException.
    pub resource_type: Option<String>,
    /// The `x-amzn-RequestId` the SDK read.
    pub request_id: Option<String>,
    /// Whether the SDK mapped it to one of the modeled exception types.
    pub modeled: bool,
    /// The SDK's full description, for assertion messages.
    pub display: String,
}

/// The failure of an SDK call that must fail.
pub fn failure<T: Debug, E>(result: Result<T, SdkError<E>>) -> Failure
where
    aws_sdk_amplifybackend::Error: From<SdkError<E>>,
    E: std::error::Error + Send + Sync + 'static,
{
    let e = match result {
        Ok(v) => panic!("expected the call to fail, it answered {v:?}"),
        Err(e) => e,
    };
    let display = DisplayErrorContext(&e).to_string();
    let status = e.raw_response().map(|r| r.status().as_u16());
    let error = aws_sdk_amplifybackend::Error::from(e);
    let (resource_type, modeled) = match &error {
        aws_sdk_amplifybackend::Error::NotFoundException(nf) => {
            (nf.resource_type().map(str::to_owned), true)
        }
        aws_sdk_amplifybackend::Error::BadRequestException(_)
        | aws_sdk_amplifybackend::Error::TooManyRequestsException(_)
        | aws_sdk_amplifybackend::Error::GatewayTimeoutException(_) => (None, true),
        _ => (None, false),
    };
    Failure {
        status,
        code: error.code().map(str::to_owned),
        message: error.message().unwrap_or_default().to_owned(),
        resource_type,
        request_id: error.request_id().map(str::to_owned),
        modeled,
        display,
    }
}

/// Asserts a 400 BadRequestException (typed by the SDK, with a request id); returns it.
pub fn bad_request<T: Debug, E>(result: Result<T, SdkError<E>>) -> Failure
where
    aws_sdk_amplifybackend::Error: From<SdkError<E>>,
    E: std::error::Error + Send + Sync + 'static,
{
    let f = failure(result);
    assert_eq!(
        f.code.as_deref(),
        Some("BadRequestException"),
        "{}",
        f.display
    );
    assert_eq!(f.status, Some(400), "{}", f.display);
    assert!(f.modeled, "the SDK did not type it: {}", f.display);
    assert!(
        !f.message.is_empty(),
        "a BadRequestException without a message: {}",
        f.display
    );
    assert!(
        f.request_id.as_deref().is_some_and(|r| !r.is_empty()),
        "no request id: {}",
        f.display
    );
    f
}

/// Asserts a 404 NotFoundException naming `resource_type`; returns it.
pub fn not_found<T: Debug, E>(result: Result<T, SdkError<E>>, resource_type: &str) -> Failure
where
    aws_sdk_amplifybackend::Error: From<SdkError<E>>,
    E: std::error::Error + Send + Sync + 'static,
{
    let f = failure(result);
    assert_eq!(
        f.code.as_deref(),
        Some("NotFoundException"),
        "{}",
        f.display
    );
    assert_eq!(f.status, Some(404), "{}", f.display);
    assert!(f.modeled, "the SDK did not type it: {}", f.display);
    assert_eq!(
        f.resource_type.as_deref(),
        Some(resource_type),
        "{}",
        f.display
    );
    assert!(
        f.request_id.as_deref().is_some_and(|r| !r.is_empty()),
        "no request id: {}",
        f.display
    );
    f
}

/// Whether `s` is a lowercase UUID v4 in its hyphenated form.
pub fn is_uuid_v4(s: &str) -> bool {
    s.len() == 36
        && s == s.to_lowercase()
        && uuid::Uuid::parse_str(s).is_ok_and(|u| u.get_version_num() == 4)
}

/// Asserts that `s` is a lowercase UUID v4.
pub fn assert_uuid_v4(s: Option<&str>) {
    let s = s.expect("an identifier");
    assert!(is_uuid_v4(s), "not a lowercase UUID v4: {s}");
}

/// Now, epoch milliseconds.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap())
        .unwrap()
}

/// Parses an epoch-milliseconds decimal string and checks it is within a minute of now.
pub fn epoch_ms(s: Option<&str>) -> i64 {
    let s = s.expect("a timestamp");
    assert!(
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()),
        "not a decimal string: {s:?}"
    );
    let ms: i64 = s.parse().unwrap();
    assert!(
        (ms - now_ms()).abs() < 60_000,
        "{ms} is not epoch milliseconds of now ({})",
        now_ms()
    );
    ms
}

/// `YYYY-MM-DDTHH:MM:SS[.fff]Z`.
pub fn is_iso8601(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    let head = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    let tail = &s[19.min(s.len())..];
    let tail_ok = tail == "Z"
        || tail
            .strip_prefix('.')
            .and_then(|t| t.strip_suffix('Z'))
            .is_some_and(|f| !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit()));
    head && tail_ok
}
