//! Auth fixtures shared by the auth test files.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::{Failure, bad_request, not_found, user_pool, user_pool_only};
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

pub const APP: &str = "d2authapp";

pub async fn create(
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

pub async fn update(
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

pub async fn get_config(client: &Client, env: &str) -> CreateBackendAuthResourceConfig {
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

pub async fn assert_no_auth(client: &Client, env: &str) {
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
pub async fn assert_rejected(
    client: &Client,
    env: &str,
    config: CreateBackendAuthResourceConfig,
) -> Failure {
    let f = bad_request(create(client, env, config).await);
    assert_no_auth(client, env).await;
    f
}

/// Creating `config` must succeed; the auth is deleted again so the environment is reusable.
pub async fn assert_accepted(client: &Client, env: &str, config: CreateBackendAuthResourceConfig) {
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

pub fn with_password(len: f64) -> CreateBackendAuthResourceConfig {
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

pub fn oauth() -> CreateBackendAuthOAuthConfigBuilder {
    CreateBackendAuthOAuthConfig::builder()
        .o_auth_grant_type(OAuthGrantType::Code)
        .o_auth_scopes(OAuthScopesElement::Email)
        .o_auth_scopes(OAuthScopesElement::Openid)
        .redirect_sign_in_uris("https://example.com/in")
        .redirect_sign_out_uris("https://example.com/out")
}

pub fn with_oauth(o: CreateBackendAuthOAuthConfig) -> CreateBackendAuthResourceConfig {
    user_pool_only(user_pool("pool").o_auth(o).build())
}

pub fn with_mfa(mfa: CreateBackendAuthMfaConfig) -> CreateBackendAuthResourceConfig {
    user_pool_only(user_pool("pool").mfa(mfa).build())
}

pub fn full_config() -> CreateBackendAuthResourceConfig {
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
