//! Apps and environments through the AWS SDK: CreateBackend and GetBackend (with its
//! amplify-meta).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::*;
use serde_json::Value;

const APP: &str = "d1abcdefgh";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_backend_completes_inline_with_a_uuid_job() {
    let server = TestServer::start().await;
    let client = server.client();
    let out = client
        .create_backend()
        .app_id(APP)
        .app_name("myapp")
        .backend_environment_name("dev")
        .send()
        .await
        .unwrap();
    assert_eq!(out.app_id(), Some(APP));
    assert_eq!(out.backend_environment_name(), Some("dev"));
    assert_eq!(out.operation(), Some("CreateBackend"));
    assert_eq!(out.status(), Some("COMPLETED"));
    assert_eq!(out.error(), None);
    assert_uuid_v4(out.job_id());

    let job = get_job(&client, APP, "dev", out.job_id().unwrap()).await;
    assert_eq!(job.status(), Some("COMPLETED"));
    assert_eq!(job.operation(), Some("CreateBackend"));
    assert_eq!(job.job_id(), out.job_id());

    // A second environment of the same app.
    create_backend(&client, APP, "myapp", "prod").await;
    let app = client.get_backend().app_id(APP).send().await.unwrap();
    assert_eq!(app.backend_environment_list(), ["dev", "prod"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_backend_rejects_bad_input_and_changes_nothing() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "myapp", "dev").await;

    let create = |name: &str, env: &str| {
        client
            .create_backend()
            .app_id(APP)
            .app_name(name)
            .backend_environment_name(env)
            .send()
    };
    // The appName must match the app's; the environment must be new.
    assert_create_backend_refused(&client, APP, "myapp", "dev").await;
    // Environment names are 2-10 lowercase letters.
    for env in ["Dev", "d", "toolongname1", "dev1", "de-v"] {
        let f = bad_request(create("myapp", env).await);
        assert!(!f.message.is_empty(), "{env}");
    }
    let app = client.get_backend().app_id(APP).send().await.unwrap();
    assert_eq!(app.app_name(), Some("myapp"));
    assert_eq!(app.backend_environment_list(), ["dev"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_backend_without_an_environment_answers_app_level_fields() {
    let server = TestServer::start().await;
    let client = server.client();
    for env in ["staging", "dev", "prod"] {
        create_backend(&client, APP, "myapp", env).await;
    }
    let out = client.get_backend().app_id(APP).send().await.unwrap();
    assert_eq!(out.app_id(), Some(APP));
    assert_eq!(out.app_name(), Some("myapp"));
    assert_eq!(out.backend_environment_list(), ["dev", "prod", "staging"]);
    assert_eq!(out.amplify_meta_config(), None);
    assert_eq!(out.amplify_feature_flags(), None);
    assert_eq!(out.backend_environment_name(), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_backend_renders_amplify_meta_of_every_resource() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "myapp", "dev").await;

    // An empty environment: only the provider.
    let out = client
        .get_backend()
        .app_id(APP)
        .backend_environment_name("dev")
        .send()
        .await
        .unwrap();
    assert_eq!(out.backend_environment_name(), Some("dev"));
    assert_eq!(out.backend_environment_list(), ["dev"]);
    let flags: Value =
        serde_json::from_str(out.amplify_feature_flags().expect("amplifyFeatureFlags")).unwrap();
    assert!(flags["features"].is_object(), "{flags}");
    let meta: Value = serde_json::from_str(out.amplify_meta_config().unwrap()).unwrap();
    let provider = &meta["providers"]["awscloudformation"];
    for key in [
        "AuthRoleName",
        "AuthRoleArn",
        "UnauthRoleName",
        "UnauthRoleArn",
        "Region",
        "DeploymentBucketName",
        "StackName",
        "StackId",
        "AmplifyAppId",
    ] {
        assert!(
            provider[key].as_str().is_some_and(|s| !s.is_empty()),
            "{key} missing in {meta}"
        );
    }
    assert_eq!(provider["Region"], REGION);
    assert_eq!(provider["AmplifyAppId"], APP);
    assert!(
        meta.get("auth").is_none() && meta.get("api").is_none() && meta.get("storage").is_none(),
        "{meta}"
    );

    create_auth(&client, APP, "dev", "myauth", with_identity_pool(true)).await;
    create_api(&client, APP, "dev", "myapi", api_config(TODO_SCHEMA)).await;
    create_storage(&client, APP, "dev", "mystorage", Some("photos")).await;
    let meta = amplify_meta(&client, APP, "dev").await;

    let auth = &meta["auth"]["myauth"];
    assert_eq!(auth["service"], "Cognito", "{meta}");
    assert_eq!(auth["providerPlugin"], "awscloudformation");
    assert!(
        auth.get("serviceType").is_none(),
        "a created auth is not imported: {auth}"
    );
    let user_pool_id = str_at(auth, &["output", "UserPoolId"]);
    assert!(is_user_pool_id(user_pool_id, REGION), "{user_pool_id}");
    assert!(!str_at(auth, &["output", "AppClientIDWeb"]).is_empty());
    assert!(!str_at(auth, &["output", "AppClientID"]).is_empty());
    assert_ne!(
        auth["output"]["AppClientIDWeb"],
        auth["output"]["AppClientID"]
    );
    let identity_pool_id = str_at(auth, &["output", "IdentityPoolId"]);
    assert!(
        is_identity_pool_id(identity_pool_id, REGION),
        "{identity_pool_id}"
    );
    assert_eq!(auth["output"]["UserPoolName"], "testuserpool");

    let api = &meta["api"]["myapi"];
    assert_eq!(api["service"], "AppSync", "{meta}");
    assert_eq!(api["providerPlugin"], "awscloudformation");
    let api_id = str_at(api, &["output", "GraphQLAPIIdOutput"]);
    assert!(!api_id.is_empty());
    assert_eq!(
        str_at(api, &["output", "GraphQLAPIEndpointOutput"]),
        format!("https://{api_id}.appsync-api.{REGION}.amazonaws.com/graphql")
    );
    assert!(!str_at(api, &["output", "GraphQLAPIKeyOutput"]).is_empty());
    assert!(api["output"]["authConfig"].is_object(), "{api}");

    let storage = &meta["storage"]["mystorage"];
    assert_eq!(storage["service"], "S3", "{meta}");
    assert_eq!(storage["providerPlugin"], "awscloudformation");
    assert!(str_at(storage, &["output", "BucketName"]).starts_with("photos"));
    assert_eq!(storage["output"]["Region"], REGION);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn optional_outputs_appear_only_with_their_feature() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "myapp", "dev").await;
    create_auth(
        &client,
        APP,
        "dev",
        "myauth",
        user_pool_only(user_pool("pool").build()),
    )
    .await;
    let mut config = api_config(TODO_SCHEMA);
    config.default_auth_type = Some(
        aws_sdk_amplifybackend::types::BackendApiAuthType::builder()
            .mode(aws_sdk_amplifybackend::types::Mode::AwsIam)
            .build(),
    );
    create_api(&client, APP, "dev", "myapi", config).await;
    let meta = amplify_meta(&client, APP, "dev").await;
    let auth_output = &meta["auth"]["myauth"]["output"];
    assert!(is_user_pool_id(
        str_at(auth_output, &["UserPoolId"]),
        REGION
    ));
    assert!(
        auth_output.get("IdentityPoolId").is_none(),
        "no identity pool was asked for: {auth_output}"
    );
    let api_output = &meta["api"]["myapi"]["output"];
    assert!(api_output.get("GraphQLAPIIdOutput").is_some());
    assert!(
        api_output.get("GraphQLAPIKeyOutput").is_none(),
        "no API key auth: {api_output}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identifiers_are_stable_across_reads_and_updates() {
    let server = TestServer::start().await;
    let client = server.client();
    create_backend(&client, APP, "myapp", "dev").await;
    create_auth(&client, APP, "dev", "myauth", with_identity_pool(false)).await;
    create_api(&client, APP, "dev", "myapi", api_config(TODO_SCHEMA)).await;
    let first = amplify_meta(&client, APP, "dev").await;
    let second = amplify_meta(&client, APP, "dev").await;
    assert_eq!(first, second);

    let update = aws_sdk_amplifybackend::types::UpdateBackendAuthResourceConfig::builder()
        .auth_resources(aws_sdk_amplifybackend::types::AuthResources::IdentityPoolAndUserPool)
        .service(aws_sdk_amplifybackend::types::Service::Cognito)
        .user_pool_configs(
            aws_sdk_amplifybackend::types::UpdateBackendAuthUserPoolConfig::builder()
                .password_policy(
                    aws_sdk_amplifybackend::types::UpdateBackendAuthPasswordPolicyConfig::builder()
                        .minimum_length(12.0)
                        .build(),
                )
                .build(),
        )
        .build();
    let out = client
        .update_backend_auth()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("myauth")
        .resource_config(update)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), Some("COMPLETED"));
    let after = amplify_meta(&client, APP, "dev").await;
    assert_eq!(after["providers"], first["providers"]);
    for key in [
        "UserPoolId",
        "AppClientIDWeb",
        "AppClientID",
        "IdentityPoolId",
    ] {
        assert_eq!(
            after["auth"]["myauth"]["output"][key], first["auth"]["myauth"]["output"][key],
            "{key}"
        );
    }
    assert_eq!(after["api"], first["api"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_apps_and_environments_are_not_found() {
    let server = TestServer::start().await;
    let client = server.client();
    not_found(client.get_backend().app_id("nosuchapp").send().await, "app");
    create_backend(&client, APP, "myapp", "dev").await;
    not_found(
        client
            .get_backend()
            .app_id(APP)
            .backend_environment_name("prod")
            .send()
            .await,
        "environment",
    );
}
