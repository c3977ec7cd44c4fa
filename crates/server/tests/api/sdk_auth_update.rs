//! Cognito auth through the AWS SDK: UpdateBackendAuth's merge rules, ImportBackendAuth,
//! DeleteBackendAuth.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::auth::*;
use crate::common::*;
use aws_sdk_amplifybackend::types::*;
use serde_json::Value;

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
