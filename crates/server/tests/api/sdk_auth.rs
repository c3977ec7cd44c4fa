//! Cognito auth through the AWS SDK: CreateBackendAuth, GetBackendAuth and the Amplify
//! CLI's validation rules.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::auth::*;
use crate::common::*;
use aws_sdk_amplifybackend::types::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_and_get_round_trip_the_config() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "authapp", "dev").await;
    let out = create(&client, "dev", full_config()).await.unwrap();
    assert_eq!(out.operation(), Some("CreateBackendAuth"));
    assert_eq!(out.status(), Some("COMPLETED"));
    assert_eq!(out.app_id(), Some(APP));
    assert_eq!(out.backend_environment_name(), Some("dev"));
    assert_uuid_v4(out.job_id());
    let got = client
        .get_backend_auth()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("myauth")
        .send()
        .await
        .unwrap();
    assert_eq!(got.resource_name(), Some("myauth"));
    assert_eq!(got.resource_config(), Some(&full_config()));

    // One auth per environment, whatever its name.
    bad_request(create(&client, "dev", with_password(8.0)).await);
    bad_request(
        client
            .create_backend_auth()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("otherauth")
            .resource_config(with_password(8.0))
            .send()
            .await,
    );
    assert_eq!(get_config(&client, "dev").await, full_config());
    not_found(
        create(&client, "nosuch", with_password(8.0)).await,
        "environment",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_length_is_6_to_99() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "authapp", "dev").await;
    for len in [5.0, 100.0, 0.0, 6.5] {
        assert_rejected(&client, "dev", with_password(len)).await;
    }
    for len in [6.0, 99.0] {
        assert_accepted(&client, "dev", with_password(len)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn domain_prefixes_follow_cognito_rules() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "authapp", "dev").await;
    let too_long = "a".repeat(64);
    for bad in [
        "my-aws-app",
        "amazonx",
        "cognitoish",
        "Upper",
        "-lead",
        "trail-",
        "has_underscore",
        "dot.ted",
        too_long.as_str(),
    ] {
        let f = assert_rejected(
            &client,
            "dev",
            with_oauth(oauth().domain_prefix(bad).build()),
        )
        .await;
        assert!(!f.message.is_empty(), "{bad}");
    }
    let longest = "b".repeat(63);
    for good in ["my-app-1", "a", "x9-y8", longest.as_str()] {
        assert_accepted(
            &client,
            "dev",
            with_oauth(oauth().domain_prefix(good).build()),
        )
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oauth_needs_grant_type_scopes_and_both_redirect_lists() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "authapp", "dev").await;
    let full = oauth().build();
    let mut no_grant = full.clone();
    no_grant.o_auth_grant_type = None;
    let mut no_scopes = full.clone();
    no_scopes.o_auth_scopes = None;
    let mut no_sign_in = full.clone();
    no_sign_in.redirect_sign_in_uris = None;
    let mut no_sign_out = full.clone();
    no_sign_out.redirect_sign_out_uris = None;
    for (what, o) in [
        ("grant", no_grant),
        ("scopes", no_scopes),
        ("sign-in", no_sign_in),
        ("sign-out", no_sign_out),
    ] {
        let f = assert_rejected(&client, "dev", with_oauth(o)).await;
        assert!(!f.message.is_empty(), "{what}");
    }
    assert_accepted(&client, "dev", with_oauth(full)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mfa_on_or_optional_needs_mfa_types() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "authapp", "dev").await;
    let totp = Settings::builder().mfa_types(MfaTypesElement::Totp).build();
    let no_types = Settings::builder().sms_message("code {####}").build();
    for mode in [MfaMode::On, MfaMode::Optional] {
        assert_rejected(
            &client,
            "dev",
            with_mfa(
                CreateBackendAuthMfaConfig::builder()
                    .mfa_mode(mode.clone())
                    .build(),
            ),
        )
        .await;
        assert_rejected(
            &client,
            "dev",
            with_mfa(
                CreateBackendAuthMfaConfig::builder()
                    .mfa_mode(mode.clone())
                    .settings(no_types.clone())
                    .build(),
            ),
        )
        .await;
        assert_accepted(
            &client,
            "dev",
            with_mfa(
                CreateBackendAuthMfaConfig::builder()
                    .mfa_mode(mode)
                    .settings(totp.clone())
                    .build(),
            ),
        )
        .await;
    }
    assert_accepted(
        &client,
        "dev",
        with_mfa(
            CreateBackendAuthMfaConfig::builder()
                .mfa_mode(MfaMode::Off)
                .build(),
        ),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identity_pool_and_user_pool_needs_identity_pool_configs() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "authapp", "dev").await;
    let mut config = with_identity_pool(false);
    config.identity_pool_configs = None;
    assert_rejected(&client, "dev", config).await;
    assert_accepted(&client, "dev", with_identity_pool(false)).await;
}
