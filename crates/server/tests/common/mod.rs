//! The harness of the SDK integration tests: the real server, in-process on port 0, driven
//! by the official AWS SDK for Rust.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use amplifybackend_server::{Server, ServerConfig, ServerError};
use aws_sdk_amplifybackend::Client;
use aws_sdk_amplifybackend::config::retry::RetryConfig;
use aws_sdk_amplifybackend::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_amplifybackend::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_amplifybackend::operation::RequestId;
use aws_sdk_amplifybackend::operation::get_backend_job::GetBackendJobOutput;
use aws_sdk_amplifybackend::types::builders::CreateBackendAuthUserPoolConfigBuilder;
use aws_sdk_amplifybackend::types::*;
use serde_json::Value;
use std::fmt::Debug;
use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

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

/// CreateBackend, which must complete inline.
pub async fn create_backend(client: &Client, app_id: &str, app_name: &str, env: &str) {
    let out = client
        .create_backend()
        .app_id(app_id)
        .app_name(app_name)
        .backend_environment_name(env)
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateBackend {app_id}/{env}: {}", DisplayErrorContext(&e)));
    assert_eq!(out.status(), Some("COMPLETED"), "{out:?}");
}

/// GetBackend of one environment, with its amplify-meta parsed.
pub async fn amplify_meta(client: &Client, app_id: &str, env: &str) -> Value {
    let out = client
        .get_backend()
        .app_id(app_id)
        .backend_environment_name(env)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GetBackend {app_id}/{env}: {}", DisplayErrorContext(&e)));
    let text = out.amplify_meta_config().expect("amplifyMetaConfig");
    serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("amplifyMetaConfig is not JSON ({e}): {text}"))
}

/// The user pool every test auth starts from: email sign-in.
pub fn user_pool(name: &str) -> CreateBackendAuthUserPoolConfigBuilder {
    CreateBackendAuthUserPoolConfig::builder()
        .user_pool_name(name)
        .sign_in_method(SignInMethod::Email)
        .required_sign_up_attributes(RequiredSignUpAttributesElement::Email)
}

/// An auth config of a user pool alone.
pub fn user_pool_only(pool: CreateBackendAuthUserPoolConfig) -> CreateBackendAuthResourceConfig {
    CreateBackendAuthResourceConfig::builder()
        .auth_resources(AuthResources::UserPoolOnly)
        .service(Service::Cognito)
        .user_pool_configs(pool)
        .build()
}

/// An auth config of a user pool and an identity pool.
pub fn with_identity_pool(unauthenticated_login: bool) -> CreateBackendAuthResourceConfig {
    CreateBackendAuthResourceConfig::builder()
        .auth_resources(AuthResources::IdentityPoolAndUserPool)
        .service(Service::Cognito)
        .identity_pool_configs(
            CreateBackendAuthIdentityPoolConfig::builder()
                .identity_pool_name("testidentitypool")
                .unauthenticated_login(unauthenticated_login)
                .build(),
        )
        .user_pool_configs(user_pool("testuserpool").build())
        .build()
}

/// CreateBackendAuth, which must complete inline.
pub async fn create_auth(
    client: &Client,
    app_id: &str,
    env: &str,
    name: &str,
    config: CreateBackendAuthResourceConfig,
) {
    let out = client
        .create_backend_auth()
        .app_id(app_id)
        .backend_environment_name(env)
        .resource_name(name)
        .resource_config(config)
        .send()
        .await
        .unwrap_or_else(|e| {
            panic!(
                "CreateBackendAuth {app_id}/{env}: {}",
                DisplayErrorContext(&e)
            )
        });
    assert_eq!(out.status(), Some("COMPLETED"), "{out:?}");
}

/// An API config with API-key auth and a one-model schema.
pub fn api_config(schema: &str) -> BackendApiResourceConfig {
    BackendApiResourceConfig::builder()
        .api_name("todoapi")
        .service("AppSync")
        .transform_schema(schema)
        .default_auth_type(
            BackendApiAuthType::builder()
                .mode(Mode::ApiKey)
                .settings(
                    BackendApiAppSyncAuthSettings::builder()
                        .description("test key")
                        .expiration_time(30.0)
                        .build(),
                )
                .build(),
        )
        .build()
}

/// A schema that parses.
pub const TODO_SCHEMA: &str = "type Todo @model @auth(rules: [{allow: public}]) {\n  id: ID!\n  name: String!\n  done: Boolean\n}\n";

/// CreateBackendAPI, which must complete inline.
pub async fn create_api(
    client: &Client,
    app_id: &str,
    env: &str,
    name: &str,
    config: BackendApiResourceConfig,
) {
    let out = client
        .create_backend_api()
        .app_id(app_id)
        .backend_environment_name(env)
        .resource_name(name)
        .resource_config(config)
        .send()
        .await
        .unwrap_or_else(|e| {
            panic!(
                "CreateBackendAPI {app_id}/{env}: {}",
                DisplayErrorContext(&e)
            )
        });
    assert_eq!(out.status(), Some("COMPLETED"), "{out:?}");
}

/// Storage permissions: `authenticated` and, optionally, `unAuthenticated`.
pub fn permissions(
    auth: &[AuthenticatedElement],
    guests: &[UnAuthenticatedElement],
) -> BackendStoragePermissions {
    let mut b = BackendStoragePermissions::builder().set_authenticated(Some(auth.to_vec()));
    if !guests.is_empty() {
        b = b.set_un_authenticated(Some(guests.to_vec()));
    }
    b.build()
}

/// CreateBackendStorage, which must complete inline.
pub async fn create_storage(
    client: &Client,
    app_id: &str,
    env: &str,
    name: &str,
    bucket: Option<&str>,
) {
    let mut config = CreateBackendStorageResourceConfig::builder()
        .service_name(ServiceName::S3)
        .permissions(permissions(
            &[
                AuthenticatedElement::Read,
                AuthenticatedElement::CreateAndUpdate,
            ],
            &[],
        ));
    if let Some(bucket) = bucket {
        config = config.bucket_name(bucket);
    }
    let out = client
        .create_backend_storage()
        .app_id(app_id)
        .backend_environment_name(env)
        .resource_name(name)
        .resource_config(config.build())
        .send()
        .await
        .unwrap_or_else(|e| {
            panic!(
                "CreateBackendStorage {app_id}/{env}: {}",
                DisplayErrorContext(&e)
            )
        });
    assert_eq!(out.status(), Some("COMPLETED"), "{out:?}");
}

/// GetBackendJob.
pub async fn get_job(
    client: &Client,
    app_id: &str,
    env: &str,
    job_id: &str,
) -> GetBackendJobOutput {
    client
        .get_backend_job()
        .app_id(app_id)
        .backend_environment_name(env)
        .job_id(job_id)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GetBackendJob {job_id}: {}", DisplayErrorContext(&e)))
}

/// Polls GetBackendJob until the job is no longer RUNNING (at most `limit`).
pub async fn wait_for_job(
    client: &Client,
    app_id: &str,
    env: &str,
    job_id: &str,
    limit: Duration,
) -> GetBackendJobOutput {
    let started = Instant::now();
    loop {
        let job = get_job(client, app_id, env, job_id).await;
        if job.status() != Some("RUNNING") {
            return job;
        }
        assert!(
            started.elapsed() < limit,
            "job {job_id} still RUNNING after {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Every job id of an environment, newest first, read page by page with `page` per page.
pub async fn all_job_ids(client: &Client, app_id: &str, env: &str, page: i32) -> Vec<String> {
    let mut ids = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..1000 {
        let out = client
            .list_backend_jobs()
            .app_id(app_id)
            .backend_environment_name(env)
            .max_results(page)
            .set_next_token(token.clone())
            .send()
            .await
            .unwrap_or_else(|e| panic!("ListBackendJobs: {}", DisplayErrorContext(&e)));
        assert!(
            out.jobs().len() <= usize::try_from(page).unwrap(),
            "a page larger than {page}"
        );
        ids.extend(out.jobs().iter().map(|j| j.job_id().unwrap().to_owned()));
        match out.next_token() {
            Some(t) => {
                assert!(!t.is_empty(), "an empty nextToken instead of none");
                assert!(!out.jobs().is_empty(), "an empty page with a nextToken");
                token = Some(t.to_owned());
            }
            None => return ids,
        }
    }
    panic!("ListBackendJobs never ended");
}
