//! Cognito auth through the AWS SDK: Create/Update/Import/Get/DeleteBackendAuth and the
//! Amplify CLI's validation rules.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use aws_sdk_amplifybackend::Client;
use aws_sdk_amplifybackend::error::SdkError;
use aws_sdk_amplifybackend::operation::create_backend_auth::{
    CreateBackendAuthError, CreateBackendAuthOutput,
};
use aws_sdk_amplifybackend::operation::update_backend_auth::{
    UpdateBackendAuthError, UpdateBackendAuthOutput,
};
use aws_sdk_amplifybackend::types::builders::CreateBackendAuthOAuthConfigBuilder;
use aws_sdk_amplifybackend::types::*;
use common::*;
use serde_json::Value;

const APP: &str = "d2authapp";

async fn create(
    client: &Client,
    env: &str,
    config: CreateBackendAuthResourceConfig,
) -> Result<CreateBackendAuthOutput, SdkError<CreateBackendAuthError>> {
    client
        .create_backend_auth()
        .app_id(APP)
        .backend_environment_name(env)
        .resource_name("myauth")
        .resource_config(config)
        .send()
        .await
}

async fn update(
    client: &Client,
    env: &str,
    pool: UpdateBackendAuthUserPoolConfig,
) -> Result<UpdateBackendAuthOutput, SdkError<UpdateBackendAuthError>> {
    client
        .update_backend_auth()
        .app_id(APP)
        .backend_environment_name(env)
        .resource_name("myauth")
        .resource_config(
            UpdateBackendAuthResourceConfig::builder()
                .auth_resources(AuthResources::UserPoolOnly)
                .service(Service::Cognito)
                .user_pool_configs(pool)
                .build(),
        )
        .send()
        .await
}

async fn get_config(client: &Client, env: &str) -> CreateBackendAuthResourceConfig {
    let out = client
        .get_backend_auth()
        .app_id(APP)
        .backend_environment_name(env)
        .resource_name("myauth")
        .send()
        .await
        .unwrap();
    assert_eq!(out.app_id(), Some(APP));
    assert_eq!(out.backend_environment_name(), Some(env));
    out.resource_config().cloned().expect("resourceConfig")
}

async fn assert_no_auth(client: &Client, env: &str) {
    not_found(
        client
            .get_backend_auth()
            .app_id(APP)
            .backend_environment_name(env)
            .resource_name("myauth")
            .send()
            .await,
        "auth",
    );
}

/// Creating `config` in a fresh environment must fail with 400 and leave no auth behind.
async fn assert_rejected(
    client: &Client,
    env: &str,
    config: CreateBackendAuthResourceConfig,
) -> Failure {
    let f = bad_request(create(client, env, config).await);
    assert_no_auth(client, env).await;
    f
}

/// Creating `config` must succeed; the auth is deleted again so the environment is reusable.
async fn assert_accepted(client: &Client, env: &str, config: CreateBackendAuthResourceConfig) {
    let out = create(client, env, config.clone()).await.unwrap();
    assert_eq!(out.status(), Some("COMPLETED"));
    assert_eq!(get_config(client, env).await, config);
    let out = client
        .delete_backend_auth()
        .app_id(APP)
        .backend_environment_name(env)
        .resource_name("myauth")
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), Some("COMPLETED"));
}

fn with_password(len: f64) -> CreateBackendAuthResourceConfig {
    user_pool_only(
        user_pool("pool")
            .password_policy(
                CreateBackendAuthPasswordPolicyConfig::builder()
                    .minimum_length(len)
                    .build(),
            )
            .build(),
    )
}

fn oauth() -> CreateBackendAuthOAuthConfigBuilder {
    CreateBackendAuthOAuthConfig::builder()
        .o_auth_grant_type(OAuthGrantType::Code)
        .o_auth_scopes(OAuthScopesElement::Email)
        .o_auth_scopes(OAuthScopesElement::Openid)
        .redirect_sign_in_uris("https://example.com/in")
        .redirect_sign_out_uris("https://example.com/out")
}

fn with_oauth(o: CreateBackendAuthOAuthConfig) -> CreateBackendAuthResourceConfig {
    user_pool_only(user_pool("pool").o_auth(o).build())
}

fn with_mfa(mfa: CreateBackendAuthMfaConfig) -> CreateBackendAuthResourceConfig {
    user_pool_only(user_pool("pool").mfa(mfa).build())
}

fn full_config() -> CreateBackendAuthResourceConfig {
    user_pool_only(
        user_pool("pool")
            .password_policy(
                CreateBackendAuthPasswordPolicyConfig::builder()
                    .minimum_length(8.0)
                    .additional_constraints(AdditionalConstraintsElement::RequireDigit)
                    .build(),
            )
            .forgot_password(
                CreateBackendAuthForgotPasswordConfig::builder()
                    .delivery_method(DeliveryMethod::Email)
                    .email_settings(
                        EmailSettings::builder()
                            .email_subject("Reset")
                            .email_message("Code {####}")
                            .build(),
                    )
                    .build(),
            )
            .mfa(
                CreateBackendAuthMfaConfig::builder()
                    .mfa_mode(MfaMode::Off)
                    .build(),
            )
            .o_auth(
                oauth()
                    .domain_prefix("my-app-1")
                    .social_provider_settings(
                        SocialProviderSettings::builder()
                            .facebook(
                                BackendAuthSocialProviderConfig::builder()
                                    .client_id("fb")
                                    .client_secret("s")
                                    .build(),
                            )
                            .sign_in_with_apple(
                                BackendAuthAppleProviderConfig::builder()
                                    .client_id("ap")
                                    .key_id("k")
                                    .private_key("p")
                                    .team_id("t")
                                    .build(),
                            )
                            .build(),
                    )
                    .build(),
            )
            .build(),
    )
}

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_replaces_sent_members_and_keeps_the_others() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "authapp", "dev").await;
    create(&client, "dev", full_config()).await.unwrap();

    // Only mfa is sent: it is replaced, everything else stays.
    let out = update(
        &client,
        "dev",
        UpdateBackendAuthUserPoolConfig::builder()
            .mfa(
                UpdateBackendAuthMfaConfig::builder()
                    .mfa_mode(MfaMode::Optional)
                    .settings(Settings::builder().mfa_types(MfaTypesElement::Totp).build())
                    .build(),
            )
            .build(),
    )
    .await
    .unwrap();
    assert_eq!(out.operation(), Some("UpdateBackendAuth"));
    assert_eq!(out.status(), Some("COMPLETED"));
    assert_uuid_v4(out.job_id());
    let mut expected = full_config();
    let pool = expected.user_pool_configs.as_mut().unwrap();
    pool.mfa = Some(
        CreateBackendAuthMfaConfig::builder()
            .mfa_mode(MfaMode::Optional)
            .settings(Settings::builder().mfa_types(MfaTypesElement::Totp).build())
            .build(),
    );
    assert_eq!(get_config(&client, "dev").await, expected);

    // A member sent replaces it whole: the constraints not resent are gone.
    update(
        &client,
        "dev",
        UpdateBackendAuthUserPoolConfig::builder()
            .password_policy(
                UpdateBackendAuthPasswordPolicyConfig::builder()
                    .minimum_length(10.0)
                    .build(),
            )
            .build(),
    )
    .await
    .unwrap();
    let pool = expected.user_pool_configs.as_mut().unwrap();
    pool.password_policy = Some(
        CreateBackendAuthPasswordPolicyConfig::builder()
            .minimum_length(10.0)
            .build(),
    );
    assert_eq!(get_config(&client, "dev").await, expected);

    // An invalid update is refused and changes nothing.
    bad_request(
        update(
            &client,
            "dev",
            UpdateBackendAuthUserPoolConfig::builder()
                .password_policy(
                    UpdateBackendAuthPasswordPolicyConfig::builder()
                        .minimum_length(5.0)
                        .build(),
                )
                .build(),
        )
        .await,
    );
    assert_eq!(get_config(&client, "dev").await, expected);

    // `oAuth: {}` removes OAuth.
    update(
        &client,
        "dev",
        UpdateBackendAuthUserPoolConfig::builder()
            .o_auth(UpdateBackendAuthOAuthConfig::builder().build())
            .build(),
    )
    .await
    .unwrap();
    let got = get_config(&client, "dev").await;
    let pool = got.user_pool_configs.as_ref().unwrap();
    assert_eq!(pool.o_auth, None, "{got:?}");
    assert_eq!(pool.user_pool_name.as_deref(), Some("pool"));
    assert_eq!(pool.sign_in_method, Some(SignInMethod::Email));
    assert_eq!(
        pool.required_sign_up_attributes.as_deref(),
        Some(&[RequiredSignUpAttributesElement::Email][..])
    );
    assert_eq!(
        pool.password_policy,
        expected.user_pool_configs.as_ref().unwrap().password_policy
    );
    assert_eq!(
        pool.forgot_password,
        expected.user_pool_configs.as_ref().unwrap().forgot_password
    );

    // Updating an auth that does not exist.
    not_found(
        client
            .update_backend_auth()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("otherauth")
            .resource_config(
                UpdateBackendAuthResourceConfig::builder()
                    .auth_resources(AuthResources::UserPoolOnly)
                    .service(Service::Cognito)
                    .user_pool_configs(UpdateBackendAuthUserPoolConfig::builder().build())
                    .build(),
            )
            .send()
            .await,
        "auth",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_records_an_existing_user_pool() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "authapp", "dev").await;
    create_backend(&client, APP, "authapp", "prod").await;
    let out = client
        .import_backend_auth()
        .app_id(APP)
        .backend_environment_name("dev")
        .user_pool_id("us-east-1_AbCdEfGhI")
        .web_client_id("webclient123")
        .native_client_id("nativeclient456")
        .identity_pool_id("us-east-1:11111111-2222-4333-8444-555555555555")
        .send()
        .await
        .unwrap();
    assert_eq!(out.operation(), Some("ImportBackendAuth"));
    assert_eq!(out.status(), Some("COMPLETED"));
    assert_uuid_v4(out.job_id());

    let meta = amplify_meta(&client, APP, "dev").await;
    let auth = meta["auth"].as_object().expect("an auth category");
    assert_eq!(auth.len(), 1, "{meta}");
    let (name, entry) = auth.iter().next().unwrap();
    assert_eq!(entry["serviceType"], "imported", "{entry}");
    assert_eq!(entry["service"], "Cognito");
    assert_eq!(entry["providerPlugin"], "awscloudformation");
    assert_eq!(entry["output"]["UserPoolId"], "us-east-1_AbCdEfGhI");
    assert_eq!(entry["output"]["AppClientIDWeb"], "webclient123");
    assert_eq!(entry["output"]["AppClientID"], "nativeclient456");
    assert_eq!(
        entry["output"]["IdentityPoolId"],
        "us-east-1:11111111-2222-4333-8444-555555555555"
    );

    let got = client
        .get_backend_auth()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name(name)
        .send()
        .await
        .unwrap();
    let config = got.resource_config().expect("resourceConfig");
    assert_eq!(
        config.auth_resources,
        Some(AuthResources::IdentityPoolAndUserPool)
    );
    assert_eq!(config.service, Some(Service::Cognito));

    // An environment with auth cannot import another.
    bad_request(
        client
            .import_backend_auth()
            .app_id(APP)
            .backend_environment_name("dev")
            .user_pool_id("us-east-1_ZZZZZZZZZ")
            .web_client_id("w")
            .native_client_id("n")
            .send()
            .await,
    );

    // Without an identity pool: a user pool only, and no IdentityPoolId.
    client
        .import_backend_auth()
        .app_id(APP)
        .backend_environment_name("prod")
        .user_pool_id("us-east-1_ZZZZZZZZZ")
        .web_client_id("w")
        .native_client_id("n")
        .send()
        .await
        .unwrap();
    let meta = amplify_meta(&client, APP, "prod").await;
    let (name, entry) = meta["auth"].as_object().unwrap().iter().next().unwrap();
    assert_eq!(entry["serviceType"], "imported");
    assert!(entry["output"].get("IdentityPoolId").is_none(), "{entry}");
    let got = client
        .get_backend_auth()
        .app_id(APP)
        .backend_environment_name("prod")
        .resource_name(name)
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.resource_config().unwrap().auth_resources,
        Some(AuthResources::UserPoolOnly)
    );

    // Deleting the imported auth forgets it.
    let out = client
        .delete_backend_auth()
        .app_id(APP)
        .backend_environment_name("prod")
        .resource_name(name)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), Some("COMPLETED"));
    assert!(
        amplify_meta(&client, APP, "prod")
            .await
            .get("auth")
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_removes_the_auth() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "authapp", "dev").await;
    create(&client, "dev", with_password(8.0)).await.unwrap();
    let out = client
        .delete_backend_auth()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("myauth")
        .send()
        .await
        .unwrap();
    assert_eq!(out.operation(), Some("DeleteBackendAuth"));
    assert_eq!(out.status(), Some("COMPLETED"));
    assert_uuid_v4(out.job_id());
    assert_no_auth(&client, "dev").await;
    let meta: Value = amplify_meta(&client, APP, "dev").await;
    assert!(meta.get("auth").is_none(), "{meta}");
    not_found(
        client
            .delete_backend_auth()
            .app_id(APP)
            .backend_environment_name("dev")
            .resource_name("myauth")
            .send()
            .await,
        "auth",
    );
    // The environment takes a new auth afterwards.
    create(&client, "dev", with_password(8.0)).await.unwrap();
}
