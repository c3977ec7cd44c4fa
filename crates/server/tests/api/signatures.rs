//! `serve --credentials`: SigV4 enforced end to end (SDK, header and presigned signatures
//! made by aws-sigv4), the front-door errors, rate limits and size limits.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{TestServer, base_config};
use amplifybackend_server::credentials::Credential;
use amplifybackend_server::sigv4::{self, RequestParts};
use aws_credential_types::Credentials;
use aws_sdk_amplifybackend::config::retry::RetryConfig;
use aws_sdk_amplifybackend::config::{BehaviorVersion, Region};
use aws_sdk_amplifybackend::error::ProvideErrorMetadata;
use aws_sigv4::http_request::{
    SignableBody, SignableRequest, SignatureLocation, SigningSettings, sign,
};
use aws_sigv4::sign::v4;
use proptest::prelude::*;
use std::net::SocketAddr;
use std::time::{Duration, SystemTime};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SECRET_A: &str = "team-a-secret-key";
const SECRET_B: &str = "team-b-secret-key";
const TOKEN_B: &str = "team-b-session-token";

fn credentials() -> Vec<Credential> {
    vec![
        Credential {
            access_key_id: "AKIDTEAMA".into(),
            secret_access_key: SECRET_A.into(),
            account_id: "111111111111".into(),
            session_token: None,
            admin: false,
        },
        Credential {
            access_key_id: "AKIDTEAMB".into(),
            secret_access_key: SECRET_B.into(),
            account_id: "222222222222".into(),
            session_token: Some(TOKEN_B.into()),
            admin: false,
        },
    ]
}

async fn enforcing_server() -> TestServer {
    TestServer::start_with(amplifybackend_server::ServerConfig {
        credentials: Some(credentials()),
        ..base_config()
    })
    .await
}

fn sdk(
    addr: SocketAddr,
    key: &str,
    secret: &str,
    token: Option<&str>,
) -> aws_sdk_amplifybackend::Client {
    let config = aws_sdk_amplifybackend::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(format!("http://{addr}"))
        .credentials_provider(Credentials::new(
            key,
            secret,
            token.map(str::to_owned),
            None,
            "test",
        ))
        .retry_config(RetryConfig::disabled())
        .build();
    aws_sdk_amplifybackend::Client::from_conf(config)
}

/// Status, headers (lowercased names) and body of one raw HTTP/1.1 exchange.
async fn raw(
    addr: SocketAddr,
    request: http::Request<Vec<u8>>,
) -> (u16, Vec<(String, String)>, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let target = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or("/".into());
    let mut text = format!("{} {target} HTTP/1.1\r\n", request.method());
    let mut has_host = false;
    for (n, v) in request.headers() {
        has_host |= n == http::header::HOST;
        text.push_str(&format!("{n}: {}\r\n", v.to_str().unwrap()));
    }
    if !has_host {
        text.push_str(&format!("host: {addr}\r\n"));
    }
    text.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        request.body().len()
    ));
    stream.write_all(text.as_bytes()).await.unwrap();
    stream.write_all(request.body()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, body.to_owned())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Signs `request` as the SDKs do (or presigns it), at `time`.
fn signed(
    mut request: http::Request<Vec<u8>>,
    key: &str,
    secret: &str,
    time: SystemTime,
    presign_for: Option<Duration>,
) -> http::Request<Vec<u8>> {
    let identity = Credentials::new(key, secret, None, None, "test").into();
    let mut settings = SigningSettings::default();
    if let Some(expires) = presign_for {
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(expires);
    }
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("amplifybackend")
        .time(time)
        .settings(settings)
        .build()
        .unwrap()
        .into();
    let uri = request.uri().to_string();
    let headers: Vec<(String, String)> = request
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap().to_owned()))
        .collect();
    let signable = SignableRequest::new(
        request.method().as_str(),
        uri,
        headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        SignableBody::Bytes(request.body()),
    )
    .unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    instructions.apply_to_request_http1x(&mut request);
    request
}

fn post(addr: SocketAddr, path: &str, body: &str) -> http::Request<Vec<u8>> {
    http::Request::builder()
        .method("POST")
        .uri(format!("http://{addr}{path}"))
        .header("host", addr.to_string())
        .header("content-type", "application/json")
        .body(body.as_bytes().to_vec())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configured_keys_are_served_in_their_own_accounts() {
    let server = enforcing_server().await;
    let a = sdk(server.addr(), "AKIDTEAMA", SECRET_A, None);
    let b = sdk(server.addr(), "AKIDTEAMB", SECRET_B, Some(TOKEN_B));
    a.create_backend()
        .app_id("shared")
        .app_name("A")
        .backend_environment_name("dev")
        .send()
        .await
        .unwrap();
    let err = b.get_backend().app_id("shared").send().await.unwrap_err();
    assert_eq!(err.code(), Some("NotFoundException"));
    b.create_backend()
        .app_id("shared")
        .app_name("B")
        .backend_environment_name("prod")
        .send()
        .await
        .unwrap();
    let seen_by_a = a.get_backend().app_id("shared").send().await.unwrap();
    assert_eq!(seen_by_a.app_name(), Some("A"));
    assert_eq!(seen_by_a.backend_environment_list(), ["dev"]);
    let seen_by_b = b.get_backend().app_id("shared").send().await.unwrap();
    assert_eq!(seen_by_b.app_name(), Some("B"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_bad_keys_secrets_and_tokens_with_front_door_errors() {
    let server = enforcing_server().await;
    let cases = [
        (
            sdk(server.addr(), "AKIDTEAMA", "wrong-secret", None),
            "InvalidSignatureException",
        ),
        (
            sdk(server.addr(), "AKIDUNKNOWN", SECRET_A, None),
            "UnrecognizedClientException",
        ),
        (
            sdk(server.addr(), "AKIDTEAMB", SECRET_B, None),
            "UnrecognizedClientException",
        ),
        (
            sdk(server.addr(), "AKIDTEAMB", SECRET_B, Some("other-token")),
            "UnrecognizedClientException",
        ),
        (
            sdk(
                server.addr(),
                "AKIDTEAMA",
                SECRET_A,
                Some("unexpected-token"),
            ),
            "UnrecognizedClientException",
        ),
    ];
    for (client, code) in cases {
        let err = client.create_token().app_id("x").send().await.unwrap_err();
        assert_eq!(err.code(), Some(code));
        assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(403));
    }
    let (status, headers, body) = raw(
        server.addr(),
        post(server.addr(), "/backend/x/challenge", ""),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        header(&headers, "x-amzn-errortype"),
        Some("MissingAuthenticationTokenException")
    );
    assert!(header(&headers, "x-amzn-requestid").is_some());
    assert!(body.contains("\"message\""));
    // An unsigned request learns nothing about routes either.
    let (status, headers, _) =
        raw(server.addr(), post(server.addr(), "/no/such/route", "{}")).await;
    assert_eq!(status, 403);
    assert_eq!(
        header(&headers, "x-amzn-errortype"),
        Some("MissingAuthenticationTokenException")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_time_must_be_within_fifteen_minutes() {
    let server = enforcing_server().await;
    let body = r#"{"appId":"timely","appName":"T","backendEnvironmentName":"dev"}"#;
    let now = SystemTime::now();
    let cases: [(i64, u16, &str); 4] = [
        (-20 * 60, 403, "dev"),
        (20 * 60, 403, "stage"),
        (-10 * 60, 200, "prod"),
        (10 * 60, 200, "test"),
    ];
    for (offset, expected, env) in cases {
        let shift = Duration::from_secs(offset.unsigned_abs());
        let time = if offset < 0 { now - shift } else { now + shift };
        let request = signed(
            post(server.addr(), "/backend", &body.replace("dev", env)),
            "AKIDTEAMA",
            SECRET_A,
            time,
            None,
        );
        let (status, headers, text) = raw(server.addr(), request).await;
        assert_eq!(status, expected, "offset {offset}s: {text}");
        if expected == 403 {
            assert_eq!(
                header(&headers, "x-amzn-errortype"),
                Some("InvalidSignatureException")
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presigned_urls_work_until_they_expire() {
    let server = enforcing_server().await;
    let a = sdk(server.addr(), "AKIDTEAMA", SECRET_A, None);
    let token = a.create_token().app_id("presign").send().await.unwrap();
    let session = token.session_id().unwrap();
    let get = || {
        http::Request::builder()
            .method("GET")
            .uri(format!(
                "http://{}/backend/presign/challenge/{session}",
                server.addr()
            ))
            .header("host", server.addr().to_string())
            .body(Vec::new())
            .unwrap()
    };
    let url = signed(
        get(),
        "AKIDTEAMA",
        SECRET_A,
        SystemTime::now(),
        Some(Duration::from_secs(60)),
    );
    assert!(url.uri().query().unwrap().contains("X-Amz-Signature="));
    assert!(url.headers().get("authorization").is_none());
    let (status, _, body) = raw(server.addr(), url).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(session));

    let stale = signed(
        get(),
        "AKIDTEAMA",
        SECRET_A,
        SystemTime::now() - Duration::from_secs(120),
        Some(Duration::from_secs(60)),
    );
    let (status, headers, body) = raw(server.addr(), stale).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(
        header(&headers, "x-amzn-errortype"),
        Some("InvalidSignatureException")
    );
    assert!(body.contains("expired"), "{body}");

    let mut tampered = signed(
        get(),
        "AKIDTEAMA",
        SECRET_A,
        SystemTime::now(),
        Some(Duration::from_secs(60)),
    );
    let uri = tampered
        .uri()
        .to_string()
        .replace("X-Amz-Expires=60", "X-Amz-Expires=600");
    *tampered.uri_mut() = uri.parse().unwrap();
    let (status, _, _) = raw(server.addr(), tampered).await;
    assert_eq!(status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_answer_429_and_sdk_retries_ride_through() {
    let server = TestServer::start_with(amplifybackend_server::ServerConfig {
        rate_limit: Some((20.0, 2)),
        ..base_config()
    })
    .await;
    let mut limited = 0;
    for _ in 0..10 {
        let (status, headers, body) = raw(
            server.addr(),
            post(server.addr(), "/backend/x/challenge", ""),
        )
        .await;
        if status == 429 {
            limited += 1;
            assert_eq!(
                header(&headers, "x-amzn-errortype"),
                Some("TooManyRequestsException")
            );
            assert!(body.contains("\"limitType\""), "{body}");
        } else {
            assert_eq!(status, 200);
        }
    }
    assert!(limited > 0, "no request was limited");

    let config = aws_sdk_amplifybackend::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(format!("http://{}", server.addr()))
        .credentials_provider(Credentials::new("123456789012", "s", None, None, "test"))
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(6)
                .with_initial_backoff(Duration::from_millis(50)),
        )
        .build();
    let client = aws_sdk_amplifybackend::Client::from_conf(config);
    for _ in 0..12 {
        client
            .create_token()
            .app_id("busy")
            .send()
            .await
            .expect("retries absorb the 429s");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_and_overnested_requests_are_refused() {
    let server = TestServer::start_with(amplifybackend_server::ServerConfig {
        max_body_bytes: 1024,
        ..base_config()
    })
    .await;
    let big = format!(
        r#"{{"appId":"a","appName":"{}","backendEnvironmentName":"dev"}}"#,
        "x".repeat(2000)
    );
    let (status, headers, _) = raw(server.addr(), post(server.addr(), "/backend", &big)).await;
    assert_eq!(status, 413);
    assert_eq!(
        header(&headers, "x-amzn-errortype"),
        Some("RequestEntityTooLarge")
    );

    let long_path = format!("/backend/{}/details", "a".repeat(9000));
    let (status, headers, _) = raw(server.addr(), post(server.addr(), &long_path, "{}")).await;
    assert_eq!(status, 414);
    assert_eq!(
        header(&headers, "x-amzn-errortype"),
        Some("RequestURITooLong")
    );

    let deep = format!(
        r#"{{"appId":"a","x":{}{}}}"#,
        "[".repeat(100),
        "]".repeat(100)
    );
    let (status, headers, body) = raw(server.addr(), post(server.addr(), "/backend", &deep)).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        header(&headers, "x-amzn-errortype"),
        Some("BadRequestException")
    );

    let mut many = post(server.addr(), "/backend/a/details", "{}");
    for i in 0..80 {
        many.headers_mut().insert(
            http::HeaderName::from_bytes(format!("x-filler-{i}").as_bytes()).unwrap(),
            http::HeaderValue::from_str(&"v".repeat(1000)).unwrap(),
        );
    }
    let (status, headers, _) = raw(server.addr(), many).await;
    assert_eq!(status, 431);
    assert_eq!(
        header(&headers, "x-amzn-errortype"),
        Some("RequestHeaderFieldsTooLarge")
    );
}

/// The verifier's view of a request aws-sigv4 signed.
fn verify(request: &http::Request<Vec<u8>>, secret: &str) -> Result<(), sigv4::SigError> {
    let headers: Vec<(&str, &str)> = request
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str(), v.to_str().unwrap_or("")))
        .collect();
    let parts = RequestParts {
        method: request.method().as_str(),
        path: request.uri().path(),
        query: request.uri().query().unwrap_or(""),
        headers: &headers,
        body: request.body(),
    };
    let claims = sigv4::parse_claims(&parts)?;
    let key = sigv4::signing_key(secret, &claims.scope_date, &claims.region, &claims.service);
    sigv4::verify(&parts, &claims, &key)
}

fn segment() -> impl Strategy<Value = String> {
    "[A-Za-z0-9._~%-]{1,12}".prop_map(|s| s.replace('%', "%25"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Whatever aws-sigv4 signs verifies; any change to what it signed does not.
    #[test]
    fn aws_sigv4_signatures_verify_and_mutations_fail(
        post_method in any::<bool>(),
        segments in prop::collection::vec(segment(), 1..4),
        query in prop::collection::vec(("[a-zA-Z0-9]{1,6}", "[a-zA-Z0-9 ]{0,6}"), 0..3),
        header_value in "[a-zA-Z0-9]{1,16}",
        body in prop::collection::vec(any::<u8>(), 0..64),
        presign in any::<bool>(),
        which in 0usize..5,
    ) {
        let path = format!("/{}", segments.join("/"));
        let q: Vec<String> = query.iter().map(|(k, v)| format!("{k}={}", v.replace(' ', "%20"))).collect();
        let uri = if q.is_empty() { format!("http://example.test{path}") } else { format!("http://example.test{path}?{}", q.join("&")) };
        let body = if presign { Vec::new() } else { body };
        let request = http::Request::builder()
            .method(if post_method { "POST" } else { "GET" })
            .uri(&uri)
            .header("host", "example.test")
            .header("x-custom", &header_value)
            .body(body)
            .unwrap();
        let request = signed(request, "AKIDPROP", "prop-secret", SystemTime::now(), presign.then_some(Duration::from_secs(300)));
        prop_assert_eq!(verify(&request, "prop-secret"), Ok(()));
        prop_assert!(verify(&request, "other-secret").is_err());

        let mut mutated = request.clone();
        match which {
            0 => *mutated.method_mut() = if post_method { http::Method::GET } else { http::Method::POST },
            1 => {
                let u = mutated.uri().to_string().replacen(&path, &format!("{path}x"), 1);
                *mutated.uri_mut() = u.parse().unwrap();
            }
            2 => {
                let u = mutated.uri().to_string();
                let u = if u.contains('?') { format!("{u}&zz=1") } else { format!("{u}?zz=1") };
                *mutated.uri_mut() = u.parse().unwrap();
            }
            3 => {
                let v = format!("{header_value}x");
                mutated.headers_mut().insert("host", http::HeaderValue::from_str(&format!("a{v}.test")).unwrap());
            }
            _ => mutated.body_mut().push(b'!'),
        }
        prop_assert!(verify(&mutated, "prop-secret").is_err(), "mutation {} verified", which);
    }
}
