//! The harness of the SDK integration tests: the real server (the workspace's testkit)
//! driven by the official AWS SDK for Rust, and what the tests assert with.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use amplifybackend_server::ServerConfig;
use aws_sdk_amplifybackend::Client;
use aws_sdk_amplifybackend::config::retry::RetryConfig;
use aws_sdk_amplifybackend::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_amplifybackend::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_amplifybackend::operation::RequestId;
use std::fmt::Debug;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub mod auth;
pub mod control;
mod fixtures;
pub use amplifybackend_testkit::{TestServer, base_config};
pub use fixtures::*;

/// The region of [`SdkClients::client`].
pub const REGION: &str = "us-east-1";

/// AWS SDK clients of a test server, without retries (a retry would hide the answer
/// under test).
pub trait SdkClients {
    /// A client of the default account (`AKIDEXAMPLE` → `000000000000`) in `us-east-1`.
    fn client(&self) -> Client;
    /// A client signing with `access_key` in `region`.
    fn client_for(&self, access_key: &str, region: &str) -> Client;
}

impl SdkClients for TestServer {
    fn client(&self) -> Client {
        self.client_for("AKIDEXAMPLE", REGION)
    }

    fn client_for(&self, access_key: &str, region: &str) -> Client {
        let config = aws_sdk_amplifybackend::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(region.to_owned()))
            .endpoint_url(self.endpoint())
            .credentials_provider(Credentials::new(access_key, "secret", None, None, "test"))
            .retry_config(RetryConfig::disabled())
            .build();
        Client::from_conf(config)
    }
}

/// [`base_config`] on the database at `url`, with jobs that take `job_duration`.
pub fn config_on(url: &str, job_duration: Duration) -> ServerConfig {
    ServerConfig {
        database_url: url.to_owned(),
        job_duration,
        ..base_config()
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
