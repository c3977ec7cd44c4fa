//! No secret in any log line: the real binary at `AMPLIFYBACKEND_LOG=trace` with a
//! `--credentials` file serves a scenario full of secrets (signed and presigned requests,
//! session tokens, challenge codes, OAuth client secrets, an Apple private key, rejected
//! signatures, invalid bodies carrying secrets), and none of them appears in its log.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    SignableBody, SignableRequest, SignatureLocation, SigningSettings, sign,
};
use aws_sigv4::sign::v4;
use common::{Answer, Served, TempDir, request};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::{Duration, SystemTime};

const KEY_ONE: &str = "AKIALOGTESTONE";
const SECRET_ONE: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiLogSecretOne0";
const ACCOUNT_ONE: &str = "111111111111";
const KEY_TWO: &str = "ASIALOGTESTTWO";
const SECRET_TWO: &str = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbLogSecretTwo";
const ACCOUNT_TWO: &str = "222222222222";
const SESSION_TOKEN: &str =
    "IQoJb3JpZ2luX2VjEFsessionTokenLogTest0123456789abcdefFwoGZXIvYXdzEBYaDLogTestToken";
const FACEBOOK_SECRET: &str = "fbClientSecretLogTest7c1f";
const GOOGLE_SECRET: &str = "googleClientSecretLogTest42aa";
const GOOGLE_SECRET_UPDATED: &str = "googleClientSecretUpdatedLogTest93bd";
const AMAZON_SECRET: &str = "amazonClientSecretLogTest0e5c";
const APPLE_KEY_BODY: &str = "MIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQgLogTestAppleKey";
const REJECTED_SECRET: &str = "clientSecretOfARejectedRequestLogTest";

fn apple_private_key() -> String {
    format!("-----BEGIN PRIVATE KEY-----\n{APPLE_KEY_BODY}\n-----END PRIVATE KEY-----")
}

/// A client signing with one access key.
#[derive(Clone, Copy)]
struct Signer {
    addr: SocketAddr,
    access_key: &'static str,
    secret: &'static str,
    token: Option<&'static str>,
    region: &'static str,
}

impl Signer {
    fn signed_headers(
        &self,
        method: &str,
        path: &str,
        body: &[u8],
        presign: bool,
    ) -> (Vec<(String, String)>, String) {
        let identity = Credentials::new(
            self.access_key,
            self.secret,
            self.token.map(str::to_owned),
            None,
            "log-test",
        )
        .into();
        let mut settings = SigningSettings::default();
        if presign {
            settings.signature_location = SignatureLocation::QueryParams;
            settings.expires_in = Some(Duration::from_secs(300));
        }
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(self.region)
            .name("amplifybackend")
            .time(SystemTime::now())
            .settings(settings)
            .build()
            .unwrap()
            .into();
        let host = self.addr.to_string();
        let url = format!("http://{host}{path}");
        let mut headers = vec![("host".to_owned(), host)];
        if !body.is_empty() {
            headers.push(("content-type".to_owned(), "application/json".to_owned()));
        }
        let signable = SignableRequest::new(
            method,
            &url,
            headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
            SignableBody::Bytes(body),
        )
        .unwrap();
        let (instructions, _) = sign(signable, &params).unwrap().into_parts();
        let (extra_headers, query) = instructions.into_parts();
        for h in extra_headers {
            headers.push((h.name().to_owned(), h.value().to_owned()));
        }
        let mut target = path.to_owned();
        if !query.is_empty() {
            let encoded: Vec<String> = query
                .iter()
                .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v.as_ref())))
                .collect();
            target.push('?');
            target.push_str(&encoded.join("&"));
        }
        (headers, target)
    }

    fn send(&self, method: &str, path: &str, body: &Value) -> Answer {
        let body = if body.is_null() {
            Vec::new()
        } else {
            serde_json::to_vec(body).unwrap()
        };
        let (headers, target) = self.signed_headers(method, path, &body, false);
        request(self.addr, method, &target, &headers, &body).unwrap()
    }

    fn ok(&self, method: &str, path: &str, body: Value) -> Value {
        let answer = self.send(method, path, &body);
        assert_eq!(answer.status, 200, "{method} {path}: {}", answer.body);
        answer.json()
    }

    fn presigned_get(&self, path: &str) -> Answer {
        let (headers, target) = self.signed_headers("GET", path, b"", true);
        request(self.addr, "GET", &target, &headers, b"").unwrap()
    }
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn auth_config(google_secret: &str) -> Value {
    json!({
        "authResources": "USER_POOL_ONLY",
        "service": "COGNITO",
        "userPoolConfigs": {
            "userPoolName": "logpool",
            "signInMethod": "EMAIL",
            "requiredSignUpAttributes": ["EMAIL"],
            "oAuth": {
                "domainPrefix": "log-test-app",
                "oAuthGrantType": "CODE",
                "oAuthScopes": ["EMAIL", "OPENID"],
                "redirectSignInURIs": ["https://example.com/in"],
                "redirectSignOutURIs": ["https://example.com/out"],
                "socialProviderSettings": {
                    "Facebook": {"client_id": "fbid", "client_secret": FACEBOOK_SECRET},
                    "Google": {"client_id": "gid", "client_secret": google_secret},
                    "LoginWithAmazon": {"client_id": "aid", "client_secret": AMAZON_SECRET},
                    "SignInWithApple": {
                        "client_id": "apid", "key_id": "kid", "team_id": "team",
                        "private_key": apple_private_key()
                    }
                }
            }
        }
    })
}

#[test]
fn no_secret_reaches_the_log() {
    let dir = TempDir::new("logs");
    let credentials = dir.path().join("credentials.toml");
    std::fs::write(
        &credentials,
        format!(
            "[[credentials]]\naccess_key_id = \"{KEY_ONE}\"\nsecret_access_key = \"{SECRET_ONE}\"\naccount_id = \"{ACCOUNT_ONE}\"\n\n\
             [[credentials]]\naccess_key_id = \"{KEY_TWO}\"\nsecret_access_key = \"{SECRET_TWO}\"\naccount_id = \"{ACCOUNT_TWO}\"\nsession_token = \"{SESSION_TOKEN}\"\n"
        ),
    )
    .unwrap();
    let log = dir.path().join("server.log");
    let db = format!("sqlite://{}", dir.path().join("state.db").display());
    let mut served = Served::start(
        &[
            "--database-url",
            &db,
            "--credentials",
            &credentials.to_string_lossy(),
        ],
        &[("AMPLIFYBACKEND_LOG", "trace")],
        Some(&log),
    );
    let one = Signer {
        addr: served.addr,
        access_key: KEY_ONE,
        secret: SECRET_ONE,
        token: None,
        region: "us-east-1",
    };
    let two = Signer {
        addr: served.addr,
        access_key: KEY_TWO,
        secret: SECRET_TWO,
        token: Some(SESSION_TOKEN),
        region: "eu-west-1",
    };
    let mut challenge_codes = Vec::new();

    // Backends, auth with every social provider's secret, config.
    for signer in [&one, &two] {
        signer.ok(
            "POST",
            "/backend",
            json!({"appId": "logapp", "appName": "LogApp", "backendEnvironmentName": "dev"}),
        );
        signer.ok(
            "POST",
            "/backend/logapp/auth",
            json!({"backendEnvironmentName": "dev", "resourceName": "logauth",
                   "resourceConfig": auth_config(GOOGLE_SECRET)}),
        );
        let got = signer.ok(
            "POST",
            "/backend/logapp/auth/dev/details",
            json!({"resourceName": "logauth"}),
        );
        let social = &got["resourceConfig"]["userPoolConfigs"]["oAuth"]["socialProviderSettings"];
        assert_eq!(social["Google"]["client_secret"], GOOGLE_SECRET);
        assert_eq!(
            social["SignInWithApple"]["private_key"],
            apple_private_key().as_str()
        );
        let mut update = auth_config(GOOGLE_SECRET_UPDATED);
        update["userPoolConfigs"]
            .as_object_mut()
            .unwrap()
            .retain(|k, _| k == "oAuth");
        signer.ok(
            "POST",
            "/backend/logapp/auth/dev",
            json!({"resourceName": "logauth", "resourceConfig": update}),
        );
        signer.ok(
            "POST",
            "/backend/logapp/config",
            json!({"backendManagerAppId": "logmanager"}),
        );
        signer.ok(
            "POST",
            "/backend/logapp/config/update",
            json!({"loginAuthConfig": {"aws_cognito_region": "us-east-1",
                   "aws_user_pools_id": "us-east-1_AbCdEfGhI",
                   "aws_user_pools_web_client_id": "webclient",
                   "aws_cognito_identity_pool_id": "us-east-1:11111111-2222-4333-8444-555555555555"}}),
        );
        signer.ok(
            "POST",
            "/backend/logapp/details",
            json!({"backendEnvironmentName": "dev"}),
        );
        signer.ok("POST", "/backend/logapp/job/dev", json!({}));

        // Tokens: created, read (signed and presigned), deleted.
        for _ in 0..2 {
            let created = signer.ok("POST", "/backend/logapp/challenge", Value::Null);
            let code = created["challengeCode"].as_str().unwrap().to_owned();
            let session = created["sessionId"].as_str().unwrap().to_owned();
            let got = signer.ok(
                "GET",
                &format!("/backend/logapp/challenge/{session}"),
                Value::Null,
            );
            assert_eq!(got["challengeCode"], code.as_str());
            let presigned = signer.presigned_get(&format!("/backend/logapp/challenge/{session}"));
            assert_eq!(presigned.status, 200, "{}", presigned.body);
            assert_eq!(presigned.json()["challengeCode"], code.as_str());
            challenge_codes.push(code);
        }
        let created = signer.ok("POST", "/backend/logapp/challenge", Value::Null);
        challenge_codes.push(created["challengeCode"].as_str().unwrap().to_owned());
        let session = created["sessionId"].as_str().unwrap();
        signer.ok(
            "POST",
            &format!("/backend/logapp/challenge/{session}/remove"),
            Value::Null,
        );
    }

    // Refusals: a wrong secret, a missing session token, a wrong session token, an unknown
    // key, and invalid bodies that carry secrets.
    let wrong_secret = Signer {
        secret: "notTheRightSecretLogTest",
        ..one
    };
    let answer = wrong_secret.send("POST", "/backend/logapp/details", &json!({}));
    assert_eq!(answer.status, 403, "{}", answer.body);
    let no_token = Signer { token: None, ..two };
    assert_eq!(
        no_token
            .send("POST", "/backend/logapp/details", &json!({}))
            .status,
        403
    );
    let wrong_token = Signer {
        token: Some("wrongSessionTokenLogTest"),
        ..two
    };
    assert_eq!(
        wrong_token
            .send("POST", "/backend/logapp/details", &json!({}))
            .status,
        403
    );
    let mut bad = auth_config(REJECTED_SECRET);
    bad["userPoolConfigs"]["passwordPolicy"] = json!({"minimumLength": 3});
    let answer = one.send(
        "POST",
        "/backend/logapp/auth",
        &json!({"backendEnvironmentName": "prod", "resourceName": "x", "resourceConfig": bad}),
    );
    assert_eq!(answer.status, 400, "{}", answer.body);
    let mut wrong_type = auth_config(REJECTED_SECRET);
    wrong_type["userPoolConfigs"]["oAuth"]["socialProviderSettings"]["Facebook"]["client_id"] =
        json!(7);
    let answer = one.send(
        "POST",
        "/backend/logapp/auth/dev",
        &json!({"resourceName": "logauth", "resourceConfig": wrong_type}),
    );
    assert_eq!(answer.status, 400, "{}", answer.body);
    // A signed request whose body was changed after signing.
    let body = serde_json::to_vec(&json!({"resourceName": "logauth"})).unwrap();
    let (headers, target) =
        one.signed_headers("POST", "/backend/logapp/auth/dev/details", &body, false);
    let tampered = serde_json::to_vec(&json!({"resourceName": REJECTED_SECRET})).unwrap();
    let answer = request(one.addr, "POST", &target, &headers, &tampered).unwrap();
    assert_eq!(answer.status, 403, "{}", answer.body);

    served.terminate();
    let text = std::fs::read_to_string(&log).unwrap();
    if std::env::var_os("SHOW_LOG").is_some() {
        eprintln!("{text}");
    }
    // The log is live at trace level: requests are logged.
    assert!(
        text.lines().filter(|l| l.contains("request")).count() >= 40,
        "the trace log lacks request lines:\n{text}"
    );
    let mut secrets: Vec<(&str, String)> = vec![
        ("secret access key", SECRET_ONE.to_owned()),
        ("secret access key", SECRET_TWO.to_owned()),
        ("session token", SESSION_TOKEN.to_owned()),
        ("client secret", FACEBOOK_SECRET.to_owned()),
        ("client secret", GOOGLE_SECRET.to_owned()),
        ("client secret", GOOGLE_SECRET_UPDATED.to_owned()),
        ("client secret", AMAZON_SECRET.to_owned()),
        ("client secret", REJECTED_SECRET.to_owned()),
        ("Apple private key", APPLE_KEY_BODY.to_owned()),
        ("wrong secret", "notTheRightSecretLogTest".to_owned()),
        ("wrong session token", "wrongSessionTokenLogTest".to_owned()),
    ];
    assert_eq!(challenge_codes.len(), 6);
    for code in &challenge_codes {
        secrets.push(("challenge code", code.clone()));
    }
    // Each also in its percent-encoded form (a presigned query carries the token so).
    let mut leaks = Vec::new();
    for (what, secret) in &secrets {
        for form in [secret.clone(), percent_encode(secret)] {
            for (n, line) in text.lines().enumerate() {
                if line.contains(&form) {
                    leaks.push(format!("{what} on log line {}: {line}", n + 1));
                }
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "secrets in the log:\n{}",
        leaks.join("\n")
    );
}
