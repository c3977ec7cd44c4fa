//! Every operation of the client against the real server, and every error kind the server
//! produces.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use amplifybackend_client::model::*;
use amplifybackend_client::{Client, Error};
use common::{Clients, TestServer, app_id};
use serde_json::json;

fn from<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
    serde_json::from_value(v).unwrap()
}

fn auth_config() -> CreateBackendAuthResourceConfig {
    from(json!({
        "authResources": "USER_POOL_ONLY",
        "service": "COGNITO",
        "userPoolConfigs": {
            "userPoolName": "clientpool",
            "signInMethod": "EMAIL",
            "requiredSignUpAttributes": ["EMAIL"],
            "passwordPolicy": {"minimumLength": 8, "additionalConstraints": ["REQUIRE_DIGIT"]}
        }
    }))
}

fn api_config() -> BackendAPIResourceConfig {
    from(json!({
        "apiName": "clientapi",
        "service": "AppSync",
        "transformSchema": "type Todo @model @auth(rules: [{allow: public}]) {\n  id: ID!\n  name: String!\n}\n",
        "defaultAuthType": {"mode": "API_KEY", "settings": {"expirationTime": 7, "description": "k"}}
    }))
}

fn storage_config(bucket: &str) -> CreateBackendStorageResourceConfig {
    from(json!({
        "bucketName": bucket,
        "serviceName": "S3",
        "permissions": {"authenticated": ["READ", "CREATE_AND_UPDATE"]}
    }))
}

async fn create_app(client: &Client, app: &str, env: &str) {
    let job = client
        .create_backend(
            CreateBackendRequest::builder()
                .app_id(app)
                .app_name("Client App")
                .backend_environment_name(env),
        )
        .await
        .unwrap();
    assert_eq!(job.status.as_deref(), Some("COMPLETED"));
    assert_eq!(job.operation.as_deref(), Some("CreateBackend"));
    assert_eq!(job.app_id.as_deref(), Some(app));
}

#[tokio::test]
async fn backend_environments_and_jobs() {
    let server = TestServer::start().await;
    let client = server.client();
    let app = app_id();
    create_app(&client, &app, "dev").await;

    let backend = client
        .get_backend(
            GetBackendRequest::builder()
                .app_id(&app)
                .backend_environment_name("dev"),
        )
        .await
        .unwrap();
    assert_eq!(backend.app_name.as_deref(), Some("Client App"));
    assert_eq!(
        backend.backend_environment_list,
        Some(vec!["dev".to_owned()])
    );
    assert!(backend.amplify_meta_config.is_some());

    let clone = client
        .clone_backend(
            CloneBackendRequest::builder()
                .app_id(&app)
                .backend_environment_name("dev")
                .target_environment_name("test"),
        )
        .await
        .unwrap();
    assert_eq!(clone.operation.as_deref(), Some("CloneBackend"));

    let jobs = client
        .list_backend_jobs(
            ListBackendJobsRequest::builder()
                .app_id(&app)
                .backend_environment_name("dev"),
        )
        .await
        .unwrap();
    let jobs = jobs.jobs.unwrap();
    assert_eq!(jobs.len(), 2);
    let job_id = jobs[0].job_id.clone().unwrap();

    let job = client
        .get_backend_job(
            GetBackendJobRequest::builder()
                .app_id(&app)
                .backend_environment_name("dev")
                .job_id(&job_id),
        )
        .await
        .unwrap();
    assert_eq!(job.job_id.as_deref(), Some(job_id.as_str()));
    assert_eq!(job.status.as_deref(), Some("COMPLETED"));

    let updated = client
        .update_backend_job(
            UpdateBackendJobRequest::builder()
                .app_id(&app)
                .backend_environment_name("dev")
                .job_id(&job_id)
                .status("COMPLETED"),
        )
        .await
        .unwrap();
    assert_eq!(updated.job_id.as_deref(), Some(job_id.as_str()));

    let deleted = client
        .delete_backend(
            DeleteBackendRequest::builder()
                .app_id(&app)
                .backend_environment_name("test"),
        )
        .await
        .unwrap();
    assert_eq!(deleted.operation.as_deref(), Some("DeleteBackend"));
    let removed = client
        .remove_all_backends(
            RemoveAllBackendsRequest::builder()
                .app_id(&app)
                .clean_amplify_app(true),
        )
        .await
        .unwrap();
    assert_eq!(removed.operation.as_deref(), Some("RemoveAllBackends"));
    let gone = client
        .get_backend(GetBackendRequest::builder().app_id(&app))
        .await;
    assert!(matches!(gone, Err(Error::NotFound { .. })), "{gone:?}");
}

#[tokio::test]
async fn auth_resources() {
    let server = TestServer::start().await;
    let client = server.client();
    let app = app_id();
    create_app(&client, &app, "dev").await;
    create_app(&client, &app, "imp").await;

    let created = client
        .create_backend_auth(
            CreateBackendAuthRequest::builder()
                .app_id(&app)
                .backend_environment_name("dev")
                .resource_name("authres")
                .resource_config(auth_config()),
        )
        .await
        .unwrap();
    assert_eq!(created.status.as_deref(), Some("COMPLETED"));

    let got = client
        .get_backend_auth(
            GetBackendAuthRequest::builder()
                .app_id(&app)
                .backend_environment_name("dev")
                .resource_name("authres"),
        )
        .await
        .unwrap();
    let config = got.resource_config.unwrap();
    assert_eq!(config.user_pool_configs.user_pool_name, "clientpool");

    let update: UpdateBackendAuthResourceConfig = from(json!({
        "authResources": "USER_POOL_ONLY",
        "service": "COGNITO",
        "userPoolConfigs": {"passwordPolicy": {"minimumLength": 12}}
    }));
    let updated = client
        .update_backend_auth(
            UpdateBackendAuthRequest::builder()
                .app_id(&app)
                .backend_environment_name("dev")
                .resource_name("authres")
                .resource_config(update),
        )
        .await
        .unwrap();
    assert_eq!(updated.operation.as_deref(), Some("UpdateBackendAuth"));

    let imported = client
        .import_backend_auth(
            ImportBackendAuthRequest::builder()
                .app_id(&app)
                .backend_environment_name("imp")
                .user_pool_id("us-east-1_AbCdEf123")
                .native_client_id("native1")
                .web_client_id("web1"),
        )
        .await
        .unwrap();
    assert_eq!(imported.operation.as_deref(), Some("ImportBackendAuth"));
    // An imported pool's config lacks members the model requires: the answer leaves them
    // out, and a typed output gives them their default value.
    let raw = client
        .send_json(
            Operation::GetBackendAuth,
            json!({"appId": app, "backendEnvironmentName": "imp", "resourceName": "any"}),
        )
        .await
        .unwrap();
    assert_eq!(raw["resourceConfig"]["userPoolConfigs"], json!({}), "{raw}");
    let typed = client
        .get_backend_auth(
            GetBackendAuthRequest::builder()
                .app_id(&app)
                .backend_environment_name("imp")
                .resource_name("any"),
        )
        .await
        .unwrap();
    let pool = typed.resource_config.unwrap().user_pool_configs;
    assert_eq!(pool.user_pool_name, "");
    assert_eq!(pool.sign_in_method, SignInMethod::Unknown(String::new()));

    let deleted = client
        .delete_backend_auth(
            DeleteBackendAuthRequest::builder()
                .app_id(&app)
                .backend_environment_name("dev")
                .resource_name("authres"),
        )
        .await
        .unwrap();
    assert_eq!(deleted.operation.as_deref(), Some("DeleteBackendAuth"));
    let gone = client
        .get_backend_auth(
            GetBackendAuthRequest::builder()
                .app_id(&app)
                .backend_environment_name("dev")
                .resource_name("authres"),
        )
        .await;
    match gone {
        Err(Error::NotFound {
            resource_type,
            meta,
            message,
        }) => {
            assert!(resource_type.is_some());
            assert!(meta.request_id.is_some());
            assert_eq!(meta.status, Some(404));
            assert!(!message.is_empty());
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn api_resources() {
    let server = TestServer::start().await;
    let client = server.client();
    let app = app_id();
    create_app(&client, &app, "dev").await;
    let req = |b: &str| (app.clone(), b.to_owned());
    let (a, env) = req("dev");

    let created = client
        .create_backend_api(
            CreateBackendAPIRequest::builder()
                .app_id(&a)
                .backend_environment_name(&env)
                .resource_name("api")
                .resource_config(api_config()),
        )
        .await
        .unwrap();
    assert_eq!(created.operation.as_deref(), Some("CreateBackendAPI"));
    let got = client
        .get_backend_api(
            GetBackendAPIRequest::builder()
                .app_id(&a)
                .backend_environment_name(&env)
                .resource_name("api"),
        )
        .await
        .unwrap();
    assert_eq!(
        got.resource_config.unwrap().api_name.as_deref(),
        Some("clientapi")
    );
    let updated = client
        .update_backend_api(
            UpdateBackendAPIRequest::builder()
                .app_id(&a)
                .backend_environment_name(&env)
                .resource_name("api")
                .resource_config(BackendAPIResourceConfig::builder().api_name("renamed")),
        )
        .await
        .unwrap();
    assert_eq!(updated.operation.as_deref(), Some("UpdateBackendAPI"));
    let generated = client
        .generate_backend_api_models(
            GenerateBackendAPIModelsRequest::builder()
                .app_id(&a)
                .backend_environment_name(&env)
                .resource_name("api"),
        )
        .await;
    let job = generated.unwrap();
    assert_eq!(job.operation.as_deref(), Some("GenerateBackendAPIModels"));
    assert_eq!(job.status.as_deref(), Some("COMPLETED"));
    let models = client
        .get_backend_api_models(
            GetBackendAPIModelsRequest::builder()
                .app_id(&a)
                .backend_environment_name(&env)
                .resource_name("api"),
        )
        .await
        .unwrap();
    assert_eq!(models.status, Some(Status::Latest));
    assert!(models.models.unwrap_or_default().contains("Todo"));
    assert!(models.model_introspection_schema.is_some());
    let deleted = client
        .delete_backend_api(
            DeleteBackendAPIRequest::builder()
                .app_id(&a)
                .backend_environment_name(&env)
                .resource_name("api"),
        )
        .await
        .unwrap();
    assert_eq!(deleted.operation.as_deref(), Some("DeleteBackendAPI"));
}

#[tokio::test]
async fn storage_resources_and_buckets() {
    let server = TestServer::start().await;
    let client = server.client();
    let app = app_id();
    create_app(&client, &app, "dev").await;
    create_app(&client, &app, "imp").await;

    let created = client
        .create_backend_storage(
            CreateBackendStorageRequest::builder()
                .app_id(&app)
                .backend_environment_name("dev")
                .resource_name("store")
                .resource_config(storage_config("photos")),
        )
        .await
        .unwrap();
    assert_eq!(created.status.as_deref(), Some("COMPLETED"));
    let got = client
        .get_backend_storage(
            GetBackendStorageRequest::builder()
                .app_id(&app)
                .backend_environment_name("dev")
                .resource_name("store"),
        )
        .await
        .unwrap();
    let bucket = got.resource_config.unwrap().bucket_name.unwrap();
    let update: UpdateBackendStorageResourceConfig = from(json!({
        "serviceName": "S3",
        "permissions": {"authenticated": ["READ"]}
    }));
    let updated = client
        .update_backend_storage(
            UpdateBackendStorageRequest::builder()
                .app_id(&app)
                .backend_environment_name("dev")
                .resource_name("store")
                .resource_config(update),
        )
        .await
        .unwrap();
    assert_eq!(updated.status.as_deref(), Some("COMPLETED"));
    let buckets = client
        .list_s3_buckets(ListS3BucketsRequest::default())
        .await
        .unwrap();
    assert!(
        buckets
            .buckets
            .unwrap()
            .iter()
            .any(|b| b.name.as_deref() == Some(bucket.as_str()))
    );
    let imported = client
        .import_backend_storage(
            ImportBackendStorageRequest::builder()
                .app_id(&app)
                .backend_environment_name("imp")
                .bucket_name("my-existing-bucket")
                .service_name(ServiceName::S3),
        )
        .await
        .unwrap();
    assert_eq!(imported.status.as_deref(), Some("COMPLETED"));
    // An imported bucket has no permissions: the answer has none either.
    let raw = client
        .send_json(
            Operation::GetBackendStorage,
            json!({"appId": app, "backendEnvironmentName": "imp",
                   "resourceName": "my-existing-bucket"}),
        )
        .await
        .unwrap();
    assert_eq!(raw["resourceConfig"]["imported"], json!(true), "{raw}");
    assert!(raw["resourceConfig"].get("permissions").is_none(), "{raw}");
    let deleted = client
        .delete_backend_storage(
            DeleteBackendStorageRequest::builder()
                .app_id(&app)
                .backend_environment_name("dev")
                .resource_name("store")
                .service_name(ServiceName::S3),
        )
        .await
        .unwrap();
    assert_eq!(deleted.status.as_deref(), Some("COMPLETED"));
}

#[tokio::test]
async fn tokens_and_backend_config() {
    let server = TestServer::start().await;
    let client = server.client();
    let app = app_id();
    let token = client
        .create_token(CreateTokenRequest::builder().app_id(&app))
        .await
        .unwrap();
    let session = token.session_id.unwrap();
    let got = client
        .get_token(GetTokenRequest::builder().app_id(&app).session_id(&session))
        .await
        .unwrap();
    assert_eq!(got.challenge_code, token.challenge_code);
    let deleted = client
        .delete_token(
            DeleteTokenRequest::builder()
                .app_id(&app)
                .session_id(&session),
        )
        .await
        .unwrap();
    assert_eq!(deleted.is_success, Some(true));
    let gone = client
        .get_token(GetTokenRequest::builder().app_id(&app).session_id(&session))
        .await;
    assert!(matches!(gone, Err(Error::NotFound { .. })));

    let created = client
        .create_backend_config(
            CreateBackendConfigRequest::builder()
                .app_id(&app)
                .backend_manager_app_id("mgr"),
        )
        .await
        .unwrap();
    assert_eq!(created.backend_environment_name.as_deref(), Some("staging"));
    let login = LoginAuthConfigReqObj::builder()
        .aws_cognito_region("us-east-1")
        .aws_user_pools_id("us-east-1_AbCdEf123")
        .aws_user_pools_web_client_id("web")
        .aws_cognito_identity_pool_id("us-east-1:4f5e2b9a-1c3d-4e5f-8a9b-0c1d2e3f4a5b")
        .build();
    let updated = client
        .update_backend_config(
            UpdateBackendConfigRequest::builder()
                .app_id(&app)
                .login_auth_config(login.clone()),
        )
        .await
        .unwrap();
    assert_eq!(updated.login_auth_config, Some(login));
    assert_eq!(updated.backend_manager_app_id.as_deref(), Some("mgr"));
    client
        .remove_backend_config(RemoveBackendConfigRequest::builder().app_id(&app))
        .await
        .unwrap();
}

#[tokio::test]
async fn service_errors_carry_code_status_and_request_id() {
    let server = TestServer::start().await;
    let client = server.client();
    let app = app_id();
    create_app(&client, &app, "dev").await;

    // A 400 from the service (appName mismatch on an existing app).
    let err = client
        .create_backend(
            CreateBackendRequest::builder()
                .app_id(&app)
                .app_name("Other Name")
                .backend_environment_name("prod"),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::BadRequest { .. }), "{err:?}");
    assert_eq!(err.code(), Some("BadRequestException"));
    assert_eq!(err.status(), Some(400));
    assert!(err.request_id().is_some());
    assert!(!err.message().is_empty());

    // 404 with resourceType.
    let err = client
        .get_backend_job(
            GetBackendJobRequest::builder()
                .app_id(&app)
                .backend_environment_name("dev")
                .job_id("00000000-0000-4000-8000-000000000000"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotFound {
                resource_type: Some(_),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.meta().map(|m| m.attempts), Some(1));

    // Server-side validation of what the model does not check (env name rules) is a 400.
    let err = client
        .create_backend(
            CreateBackendRequest::builder()
                .app_id(app_id())
                .app_name("x")
                .backend_environment_name("NOT-VALID-1"),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::BadRequest { .. }), "{err:?}");
}

/// The pending-job refusal is not a shape of the model: the client reports it by its code,
/// as botocore does.
#[tokio::test]
async fn a_pending_job_is_a_validation_exception_with_its_code() {
    let mut config = amplifybackend_testkit::base_config();
    config.job_duration = std::time::Duration::from_secs(5);
    let server = TestServer::start_with(config).await;
    let client = server.client();
    let app = app_id();
    let create = |app_name: &str| {
        client.create_backend(
            CreateBackendRequest::builder()
                .app_id(&app)
                .app_name(app_name)
                .backend_environment_name("dev"),
        )
    };
    let running = create("pending").await.unwrap();
    assert_eq!(running.status.as_deref(), Some("RUNNING"));

    let err = create("pending").await.unwrap_err();
    assert!(
        matches!(&err, Error::Service { code, .. } if code == "ValidationException"),
        "{err:?}"
    );
    assert_eq!(err.code(), Some("ValidationException"));
    assert_eq!(err.status(), Some(400));
    assert!(err.request_id().is_some());
    assert!(!err.is_retryable());
    assert_eq!(
        err.message(),
        format!(
            "An error occurred while processing your request: There is already a pending job \
             for the requested appId: {app} and backendEnvironmentName: dev, wait for it to \
             complete before creating a new job."
        )
    );
}

#[tokio::test]
async fn client_side_validation_sends_nothing() {
    // No server at this address: validation must fail before any connection.
    let client = common::client_for(
        "http://127.0.0.1:9",
        amplifybackend_client::RetryConfig::disabled(),
    );
    let err = client
        .create_backend(CreateBackendRequest::builder().app_id("a"))
        .await
        .unwrap_err();
    let Error::Build(b) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(b.shape(), "CreateBackendRequest");
    assert_eq!(b.missing(), ["AppName", "BackendEnvironmentName"]);
    assert!(err.request_id().is_none());

    // A document without a required member is checked in its wire form.
    let err = client
        .send_json(
            Operation::CreateBackend,
            json!({"appId": "a", "appName": "n"}),
        )
        .await
        .unwrap_err();
    let Error::Validation(v) = &err else {
        panic!("{err:?}")
    };
    let paths: Vec<_> = v.violations.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(paths, ["backendEnvironmentName"]);

    let err = client
        .list_backend_jobs(
            ListBackendJobsRequest::builder()
                .app_id("a")
                .backend_environment_name("dev")
                .max_results(26),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("between 1 and 25"), "{err}");

    let err = client
        .delete_backend_storage(
            DeleteBackendStorageRequest::builder()
                .app_id("a")
                .backend_environment_name("dev")
                .resource_name("r")
                .service_name(ServiceName::Unknown("GCS".into())),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("GCS"), "{err}");

    let err = client
        .get_backend(GetBackendRequest::builder().app_id(""))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
}

#[tokio::test]
async fn dynamic_json_calls_use_wire_names() {
    let server = TestServer::start().await;
    let client = server.client();
    let app = app_id();
    let out = client
        .send_json(
            Operation::CreateBackend,
            json!({"appId": app, "appName": "Json", "backendEnvironmentName": "dev"}),
        )
        .await
        .unwrap();
    assert_eq!(out["status"], "COMPLETED");
    let out = client
        .send_json(Operation::GetBackend, json!({"appId": app}))
        .await
        .unwrap();
    assert_eq!(out["backendEnvironmentList"], json!(["dev"]));
    let err = client
        .send_json(Operation::GetBackend, json!({"appId": 5}))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
}
