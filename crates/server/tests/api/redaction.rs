//! `Debug` never shows a secret: OAuth client secrets, Apple private keys, challenge codes,
//! secret access keys and session tokens are redacted in every type that carries them, at
//! any depth, so that no `{:?}` in a log line can leak one.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use amplifybackend_model::*;
use amplifybackend_server::ServerConfig;
use amplifybackend_server::credentials::{Credential, parse_credentials};
use amplifybackend_store::Token;
use serde_json::{Value, json};

const SECRETS: [&str; 5] = [
    "fbsecret-debug",
    "gsecret-debug",
    "asecret-debug",
    "applekey-debug",
    "challenge-debug",
];

fn assert_redacted(what: &str, debug: String) {
    for secret in SECRETS {
        assert!(!debug.contains(secret), "{what} shows {secret}: {debug}");
    }
    assert!(
        debug.contains(REDACTED),
        "{what} does not say it redacted: {debug}"
    );
}

fn social() -> Value {
    json!({
        "Facebook": {"client_id": "fbid", "client_secret": "fbsecret-debug"},
        "Google": {"client_id": "gid", "client_secret": "gsecret-debug"},
        "LoginWithAmazon": {"client_id": "aid", "client_secret": "asecret-debug"},
        "SignInWithApple": {"client_id": "apid", "key_id": "kid", "team_id": "team",
                            "private_key": "applekey-debug"}
    })
}

fn auth_config() -> Value {
    json!({
        "authResources": "USER_POOL_ONLY",
        "service": "COGNITO",
        "userPoolConfigs": {
            "userPoolName": "pool", "signInMethod": "EMAIL", "requiredSignUpAttributes": ["EMAIL"],
            "oAuth": {
                "oAuthGrantType": "CODE", "oAuthScopes": ["EMAIL"],
                "redirectSignInURIs": ["https://example.com/in"],
                "redirectSignOutURIs": ["https://example.com/out"],
                "socialProviderSettings": social()
            }
        }
    })
}

#[test]
fn provider_configs_are_redacted_alone_and_nested() {
    let fb: BackendAuthSocialProviderConfig =
        serde_json::from_value(social()["Facebook"].clone()).unwrap();
    assert_eq!(fb.client_secret.as_deref(), Some("fbsecret-debug"));
    assert_redacted("BackendAuthSocialProviderConfig", format!("{fb:?}"));
    assert_redacted("BackendAuthSocialProviderConfig", format!("{fb:#?}"));
    let apple: BackendAuthAppleProviderConfig =
        serde_json::from_value(social()["SignInWithApple"].clone()).unwrap();
    assert_eq!(apple.private_key.as_deref(), Some("applekey-debug"));
    assert_redacted("BackendAuthAppleProviderConfig", format!("{apple:?}"));
    let settings: SocialProviderSettings = serde_json::from_value(social()).unwrap();
    assert_redacted("SocialProviderSettings", format!("{settings:#?}"));

    let create: CreateBackendAuthRequest = serde_json::from_value(json!({
        "appId": "a", "backendEnvironmentName": "dev", "resourceName": "auth",
        "resourceConfig": auth_config()
    }))
    .unwrap();
    assert_redacted("CreateBackendAuthRequest", format!("{create:?}"));
    let update: UpdateBackendAuthRequest = serde_json::from_value(json!({
        "appId": "a", "backendEnvironmentName": "dev", "resourceName": "auth",
        "resourceConfig": auth_config()
    }))
    .unwrap();
    assert_redacted("UpdateBackendAuthRequest", format!("{update:#?}"));
    let got = GetBackendAuthResponse {
        resource_config: Some(create.resource_config.clone()),
        ..Default::default()
    };
    assert_redacted("GetBackendAuthResponse", format!("{got:?}"));
}

#[test]
fn challenge_codes_are_redacted() {
    let created = CreateTokenResponse {
        app_id: Some("a".into()),
        challenge_code: Some("challenge-debug".into()),
        session_id: Some("s".into()),
        ttl: Some("1".into()),
    };
    assert_redacted("CreateTokenResponse", format!("{created:?}"));
    let got = GetTokenResponse {
        app_id: Some("a".into()),
        challenge_code: Some("challenge-debug".into()),
        session_id: Some("s".into()),
        ttl: Some("1".into()),
    };
    assert_redacted("GetTokenResponse", format!("{got:#?}"));
    // The session id is not a secret and stays visible.
    assert!(format!("{got:?}").contains("session_id"));
    let stored = Token {
        app_id: "a".into(),
        session_id: "s".into(),
        challenge_code: "challenge-debug".into(),
        expires_at_secs: 1,
    };
    assert_redacted("store Token", format!("{stored:?}"));
}

#[test]
fn access_keys_secrets_and_session_tokens_are_redacted() {
    let credentials = parse_credentials(
        "credentials.toml",
        "[[credentials]]\naccess_key_id = \"AKIDDEBUG\"\nsecret_access_key = \"secretkey-debug\"\n\
         account_id = \"111111111111\"\nsession_token = \"sessiontoken-debug\"\n",
    )
    .unwrap();
    let one: &Credential = &credentials[0];
    let config = ServerConfig {
        credentials: Some(credentials.clone()),
        ..Default::default()
    };
    for (what, debug) in [
        ("Credential", format!("{one:?}")),
        ("Credential", format!("{one:#?}")),
        ("ServerConfig", format!("{config:?}")),
    ] {
        assert!(!debug.contains("secretkey-debug"), "{what}: {debug}");
        assert!(!debug.contains("sessiontoken-debug"), "{what}: {debug}");
        assert!(debug.contains("AKIDDEBUG"), "{what}: {debug}");
        assert!(debug.contains(REDACTED), "{what}: {debug}");
    }
}
