//! The client: signing, sending, retrying, decoding.

use crate::config::{Config, Credentials};
use crate::error::{self, Error, ErrorMeta};
use crate::retry::{self, Quota};
use amplifybackend_model::validate::Problem;
use amplifybackend_model::{
    IntoInput, Operation, OperationInput, Structure, UriSegment, Validate, ValidationError,
    Violation,
};
use serde::de::DeserializeOwned;

use aws_sigv4::http_request::{
    SignableBody, SignableRequest, SignatureLocation, SigningSettings, sign,
};
use aws_sigv4::sign::v4;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// The service name requests are signed for.
pub const SIGNING_NAME: &str = "amplifybackend";
const USER_AGENT: &str = concat!("amplifybackend-client/", env!("CARGO_PKG_VERSION"));

/// A client of AmplifyBackend. Cloning is cheap: clones share the connection pool and the
/// retry quota.
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: Config,
    http: Result<reqwest::Client, String>,
    quota: Quota,
}

/// A presigned request: anyone holding it can send it until it expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresignedRequest {
    /// The HTTP method (`GET`).
    pub method: &'static str,
    /// The URL with the signature in its query string.
    pub url: String,
    /// How long it stays valid.
    pub expires_in: Duration,
}

/// What a successful call returns besides its output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseMeta {
    /// The `x-amzn-RequestId` of the response.
    pub request_id: Option<String>,
    /// Attempts made (retries included).
    pub attempts: u32,
}

impl Client {
    /// A client with this configuration.
    pub fn new(config: Config) -> Client {
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .read_timeout(config.read_timeout)
            .pool_idle_timeout(Duration::from_secs(50))
            .user_agent(USER_AGENT)
            .build()
            .map_err(|e| e.to_string());
        Client {
            inner: Arc::new(Inner {
                config,
                http,
                quota: Quota::new(),
            }),
        }
    }

    /// A client configured from the process environment and the shared AWS files.
    pub fn from_env() -> Client {
        Client::new(Config::from_env())
    }

    /// The client's configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Retry units left in the quota (500 when fresh).
    pub fn retry_quota_available(&self) -> u32 {
        self.inner.quota.available()
    }

    /// Sends any operation's input and answers its output.
    pub async fn send<I: OperationInput>(&self, input: I) -> Result<I::Output, Error> {
        self.send_with_meta(input).await.map(|(output, _)| output)
    }

    /// [`Client::send`], also answering the request id and the attempts made.
    pub async fn send_with_meta<I: OperationInput>(
        &self,
        input: I,
    ) -> Result<(I::Output, ResponseMeta), Error> {
        self.call(&input).await
    }

    /// Sends `input` and decodes the response as `O`: the output, or its wire form.
    async fn call<I: OperationInput, O: DeserializeOwned>(
        &self,
        input: &I,
    ) -> Result<(O, ResponseMeta), Error> {
        let (method, path, body) = self.prepare(input)?;
        let (bytes, meta) = self.execute(method, &path, body).await?;
        let output = if bytes.is_empty() {
            serde_json::from_slice(b"{}")
        } else {
            serde_json::from_slice(&bytes)
        }
        .map_err(|e| Error::Decode {
            message: format!("{} response: {e}", I::OPERATION.name()),
            meta: ErrorMeta {
                status: Some(200),
                request_id: meta.request_id.clone(),
                attempts: meta.attempts,
            },
        })?;
        Ok((output, meta))
    }

    /// Sends an input given as a JSON document in wire names, URI members included, and
    /// answers the output in wire names as the response carries it. The document is read
    /// into the input's wire form, where a required member may be absent, and checked there.
    pub(crate) async fn send_value<I: OperationInput>(
        &self,
        value: serde_json::Value,
    ) -> Result<serde_json::Value, Error> {
        let mut wire: <I as Structure>::Wire =
            serde_json::from_value(value.clone()).map_err(|e| {
                Error::Validation(ValidationError {
                    violations: vec![Violation {
                        path: I::OPERATION.shapes().0.to_owned(),
                        problem: Problem::WrongType {
                            detail: e.to_string(),
                        },
                    }],
                })
            })?;
        let uri_member = |name: &str| value.get(name).and_then(|v| v.as_str());
        let mut unbound = None;
        for segment in I::OPERATION.uri_segments() {
            if let UriSegment::Param(name) = segment {
                match uri_member(name) {
                    Some(v) => {
                        I::set_uri_param(&mut wire, name, v.to_owned());
                    }
                    None => {
                        unbound.get_or_insert(*name);
                    }
                }
            }
        }
        if self.inner.config.validate {
            let mut violations = Vec::new();
            wire.validate_at("", &mut violations);
            violations.extend(empty_uri_members(I::OPERATION, uri_member));
            if !violations.is_empty() {
                return Err(Error::Validation(ValidationError { violations }));
            }
        } else if let Some(name) = unbound {
            // Without validation an absent URI member still cannot make a path.
            return Err(Error::Validation(ValidationError {
                violations: vec![Violation::missing(name)],
            }));
        }
        let input: I = wire.into();
        let (output, _): (<I::Output as Structure>::Wire, _) = self.call(&input).await?;
        serde_json::to_value(output).map_err(|e| Error::Decode {
            message: e.to_string(),
            meta: ErrorMeta::default(),
        })
    }

    fn prepare<I: OperationInput>(
        &self,
        input: &I,
    ) -> Result<(&'static str, String, Vec<u8>), Error> {
        if self.inner.config.validate {
            let mut violations = Vec::new();
            input.validate_at("", &mut violations);
            violations.extend(empty_uri_members(I::OPERATION, |name| {
                input.uri_param(name)
            }));
            if !violations.is_empty() {
                return Err(Error::Validation(ValidationError { violations }));
            }
        }
        let path = input.request_path().map_err(|missing| {
            Error::Validation(ValidationError {
                violations: vec![Violation::missing(missing)],
            })
        })?;
        let method = I::OPERATION.http_method();
        let body = if method == "GET" {
            Vec::new()
        } else {
            serde_json::to_vec(input).map_err(|e| Error::Config {
                message: format!("cannot serialize the input: {e}"),
            })?
        };
        Ok((method, path, body))
    }

    fn endpoint(&self) -> Result<String, Error> {
        let config = &self.inner.config;
        if let Some(problem) = &config.problem {
            return Err(Error::Config {
                message: problem.clone(),
            });
        }
        let region = config.region().ok_or_else(|| Error::Config {
            message: "You must specify a region.".into(),
        })?;
        let _ = region;
        let url = config.endpoint_url().unwrap_or_default();
        let parsed = reqwest::Url::parse(&url).map_err(|e| Error::Config {
            message: format!("Invalid endpoint: {url} ({e})"),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(Error::Config {
                message: format!("Invalid endpoint: {url}"),
            });
        }
        Ok(url.trim_end_matches('/').to_owned())
    }

    fn credentials(&self) -> Result<&Credentials, Error> {
        self.inner
            .config
            .credentials()
            .ok_or_else(|| Error::Credentials {
                message: "Unable to locate credentials. You can configure credentials by running \"aws configure\".".into(),
            })
    }

    fn http(&self) -> Result<&reqwest::Client, Error> {
        self.inner.http.as_ref().map_err(|e| Error::Config {
            message: format!("cannot build the HTTP client: {e}"),
        })
    }

    /// Signs `method url` with `headers` and `body`; answers the headers or query
    /// parameters to add.
    fn sign(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
        presign: Option<Duration>,
        time: SystemTime,
    ) -> Result<aws_sigv4::http_request::SigningInstructions, Error> {
        let credentials = self.credentials()?;
        let region = self.inner.config.region().unwrap_or_default();
        let identity = aws_credential_types::Credentials::new(
            credentials.access_key_id(),
            credentials.secret_access_key(),
            credentials.session_token().map(str::to_owned),
            None,
            "amplifybackend-client",
        )
        .into();
        let mut settings = SigningSettings::default();
        if let Some(expires) = presign {
            settings.signature_location = SignatureLocation::QueryParams;
            settings.expires_in = Some(expires);
        }
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(region)
            .name(SIGNING_NAME)
            .time(time)
            .settings(settings)
            .build()
            .map_err(|e| Error::Credentials {
                message: format!("cannot sign: {e}"),
            })?
            .into();
        let signable = SignableRequest::new(
            method,
            url,
            headers.iter().copied(),
            SignableBody::Bytes(body),
        )
        .map_err(|e| Error::Config {
            message: format!("cannot sign the request: {e}"),
        })?;
        let (instructions, _signature) = sign(signable, &params)
            .map_err(|e| Error::Credentials {
                message: format!("cannot sign: {e}"),
            })?
            .into_parts();
        Ok(instructions)
    }

    /// One call with standard-mode retries.
    pub(crate) async fn execute(
        &self,
        method: &'static str,
        path: &str,
        body: Vec<u8>,
    ) -> Result<(bytes::Bytes, ResponseMeta), Error> {
        let url = format!("{}{path}", self.endpoint()?);
        self.credentials()?;
        let http = self.http()?;
        let retry_config = &self.inner.config.retry;
        let max_attempts = retry_config.max_attempts.max(1);
        let invocation_id = invocation_id();
        let mut acquired = 0u32;
        let mut attempt = 1u32;
        loop {
            let result = self
                .attempt(
                    http,
                    method,
                    &url,
                    &body,
                    &invocation_id,
                    attempt,
                    max_attempts,
                )
                .await;
            match result {
                Ok((bytes, request_id)) => {
                    if retry_config.quota {
                        self.inner.quota.release(acquired);
                    }
                    return Ok((
                        bytes,
                        ResponseMeta {
                            request_id,
                            attempts: attempt,
                        },
                    ));
                }
                Err(mut e) => {
                    e.set_attempts(attempt);
                    if !e.is_retryable() || attempt >= max_attempts {
                        return Err(e);
                    }
                    if retry_config.quota {
                        match self.inner.quota.acquire(matches!(e, Error::Timeout { .. })) {
                            Some(cost) => acquired += cost,
                            None => return Err(e),
                        }
                    }
                    let delay = retry::backoff(retry_config, attempt, rand::random::<f64>());
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn attempt(
        &self,
        http: &reqwest::Client,
        method: &'static str,
        url: &str,
        body: &[u8],
        invocation_id: &str,
        attempt: u32,
        max_attempts: u32,
    ) -> Result<(bytes::Bytes, Option<String>), Error> {
        let host = reqwest::Url::parse(url)
            .ok()
            .and_then(|u| {
                u.host_str().map(|h| match u.port() {
                    Some(p) => format!("{h}:{p}"),
                    None => h.to_owned(),
                })
            })
            .unwrap_or_default();
        let request_header = format!("attempt={attempt}; max={max_attempts}");
        let mut headers: Vec<(&str, &str)> = vec![
            ("host", host.as_str()),
            ("amz-sdk-invocation-id", invocation_id),
            ("amz-sdk-request", request_header.as_str()),
        ];
        if method != "GET" {
            headers.push(("content-type", "application/json"));
        }
        let instructions = self.sign(method, url, &headers, body, None, SystemTime::now())?;
        let mut request = http.request(
            reqwest::Method::from_bytes(method.as_bytes()).unwrap_or(reqwest::Method::POST),
            url,
        );
        for (name, value) in headers.iter().skip(1) {
            request = request.header(*name, *value);
        }
        for (name, value) in instructions.headers() {
            request = request.header(name, value);
        }
        if method != "GET" {
            request = request.body(body.to_vec());
        }
        let response = request.send().await.map_err(transport)?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let request_id = header("x-amzn-requestid").or_else(|| header("x-amz-request-id"));
        let error_type = header("x-amzn-errortype");
        let bytes = response.bytes().await.map_err(|e| {
            let mut err = transport(e);
            if let Error::Transport { meta, .. } | Error::Timeout { meta, .. } = &mut err {
                meta.status = Some(status);
                meta.request_id = request_id.clone();
            }
            err
        })?;
        if (200..300).contains(&status) {
            Ok((bytes, request_id))
        } else {
            Err(error::from_response(
                status,
                error_type.as_deref(),
                request_id,
                &bytes,
            ))
        }
    }

    /// A presigned URL for a GET operation (GetBackendJob, GetToken), valid for
    /// `expires_in` (at most 7 days).
    pub fn presign<I: OperationInput>(
        &self,
        input: &I,
        expires_in: Duration,
    ) -> Result<PresignedRequest, Error> {
        let method = I::OPERATION.http_method();
        if method != "GET" {
            return Err(Error::Config {
                message: format!(
                    "{} is a {method} operation: only GET operations can be presigned",
                    I::OPERATION.name()
                ),
            });
        }
        if expires_in > Duration::from_secs(7 * 24 * 3600) || expires_in.is_zero() {
            return Err(Error::Config {
                message: "a presigned URL is valid for 1 second to 7 days".into(),
            });
        }
        let (_, path, _) = self.prepare(input)?;
        let url = format!("{}{path}", self.endpoint()?);
        let host = reqwest::Url::parse(&url)
            .ok()
            .and_then(|u| {
                u.host_str().map(|h| match u.port() {
                    Some(p) => format!("{h}:{p}"),
                    None => h.to_owned(),
                })
            })
            .unwrap_or_default();
        let instructions = self.sign(
            method,
            &url,
            &[("host", host.as_str())],
            &[],
            Some(expires_in),
            SystemTime::now(),
        )?;
        let mut parsed = reqwest::Url::parse(&url).map_err(|e| Error::Config {
            message: e.to_string(),
        })?;
        {
            let mut query = parsed.query_pairs_mut();
            for (name, value) in instructions.params() {
                query.append_pair(name, value);
            }
        }
        Ok(PresignedRequest {
            method,
            url: parsed.to_string(),
            expires_in,
        })
    }

    /// A presigned URL of GetBackendJob (the input or its builder).
    pub fn presign_get_backend_job(
        &self,
        input: impl IntoInput<amplifybackend_model::GetBackendJobRequest>,
        expires_in: Duration,
    ) -> Result<PresignedRequest, Error> {
        self.presign(&input.into_input()?, expires_in)
    }

    /// A presigned URL of GetToken (the input or its builder).
    pub fn presign_get_token(
        &self,
        input: impl IntoInput<amplifybackend_model::GetTokenRequest>,
        expires_in: Duration,
    ) -> Result<PresignedRequest, Error> {
        self.presign(&input.into_input()?, expires_in)
    }
}

fn transport(e: reqwest::Error) -> Error {
    let meta = ErrorMeta::default();
    if e.is_timeout() {
        Error::Timeout {
            source: Box::new(e),
            meta,
        }
    } else {
        Error::Transport {
            source: Box::new(e),
            meta,
        }
    }
}

fn invocation_id() -> String {
    let b: [u8; 16] = rand::random();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        u32::from_be_bytes([b[0], b[1], b[2], b[3]]),
        u16::from_be_bytes([b[4], b[5]]),
        u16::from_be_bytes([b[6], b[7]]) & 0x0fff,
        (u16::from_be_bytes([b[8], b[9]]) & 0x3fff) | 0x8000,
        u64::from_be_bytes([0, 0, b[10], b[11], b[12], b[13], b[14], b[15]])
    )
}

/// A URI member sent empty, as botocore refuses it: every URI label is at least one
/// character long.
fn empty_uri_members<'a>(
    operation: Operation,
    uri_member: impl Fn(&str) -> Option<&'a str>,
) -> Vec<Violation> {
    operation
        .uri_segments()
        .iter()
        .filter_map(|segment| match segment {
            UriSegment::Param(name) if uri_member(name) == Some("") => Some(Violation {
                path: (*name).to_owned(),
                problem: Problem::OutOfRange {
                    value: 0,
                    min: Some(1),
                    max: None,
                },
            }),
            _ => None,
        })
        .collect()
}
