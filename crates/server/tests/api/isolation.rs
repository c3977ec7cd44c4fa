//! Tenant isolation over every operation: tenant A (an account in a region) builds a rich
//! backend; tenants of another account in the same region, of the same account in another
//! region, and of the default account try every operation on A's identifiers. Nothing can
//! be read, listed, changed or deleted, and afterwards A's data is exactly as before. The
//! same appId created by another tenant is an unrelated app.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::auth::full_config;
use crate::common::*;
use aws_sdk_amplifybackend::Client;
use aws_sdk_amplifybackend::error::{DisplayErrorContext, SdkError};
use aws_sdk_amplifybackend::types::*;
use std::fmt::Debug;

const APP: &str = "isoapp";
const APP_NAME: &str = "IsolatedApp";
const SECOND_APP: &str = "isosecond";
const ACCOUNT_A: &str = "111111111111";
const ACCOUNT_B: &str = "222222222222";
const REGION_A: &str = "us-east-1";
const REGION_C: &str = "eu-west-1";
const ENVS: [&str; 2] = ["dev", "prod"];

/// What A owns, by identifier.
#[derive(Debug)]
struct Owned {
    job_ids: Vec<(String, String)>,
    session_ids: Vec<String>,
    buckets: Vec<String>,
    list_token: String,
    models_served: bool,
}

/// Everything A can read of its own data; equal before and after the attacks.
#[derive(Debug, PartialEq)]
struct Snapshot {
    app_name: Option<String>,
    env_list: Vec<String>,
    envs: Vec<EnvSnapshot>,
    second_app: (Option<String>, Vec<String>),
    tokens: Vec<(Option<String>, Option<String>, Option<String>)>,
    buckets: Vec<(Option<String>, Option<String>)>,
}

#[derive(Debug, PartialEq)]
struct EnvSnapshot {
    env: String,
    meta: Option<String>,
    flags: Option<String>,
    auth: Option<(Option<String>, Option<CreateBackendAuthResourceConfig>)>,
    api: Option<(Option<String>, Option<BackendApiResourceConfig>)>,
    /// GetBackendAPIModels: (status, models, modelIntrospectionSchema), when served.
    models: Option<(Option<String>, Option<String>, Option<String>)>,
    storage: Option<(Option<String>, Option<GetBackendStorageResourceConfig>)>,
    jobs: Vec<BackendJobRespObj>,
}

/// Asserts that a call of another tenant failed with 404 NotFoundException.
fn denied<T: Debug, E>(what: &str, result: Result<T, SdkError<E>>)
where
    aws_sdk_amplifybackend::Error: From<SdkError<E>>,
    E: std::error::Error + Send + Sync + 'static,
{
    if let Ok(v) = &result {
        panic!("{what}: another tenant's call succeeded: {v:?}");
    }
    let f = failure(result);
    assert_eq!(f.status, Some(404), "{what}: {}", f.display);
    assert_eq!(
        f.code.as_deref(),
        Some("NotFoundException"),
        "{what}: {}",
        f.display
    );
    assert!(f.modeled, "{what}: {}", f.display);
}

/// For GenerateBackendAPIModels / GetBackendAPIModels: NotFound when the server serves
/// them; when it does not (501 for A too), the same 501 and nothing else.
fn denied_models<T: Debug, E>(what: &str, served: bool, result: Result<T, SdkError<E>>)
where
    aws_sdk_amplifybackend::Error: From<SdkError<E>>,
    E: std::error::Error + Send + Sync + 'static,
{
    if served {
        denied(what, result);
    } else {
        let f = failure(result);
        assert_eq!(f.status, Some(501), "{what}: {}", f.display);
    }
}

fn login_config() -> LoginAuthConfigReqObj {
    LoginAuthConfigReqObj::builder()
        .aws_cognito_identity_pool_id("us-east-1:11111111-2222-4333-8444-555555555555")
        .aws_cognito_region("us-east-1")
        .aws_user_pools_id("us-east-1_AbCdEfGhI")
        .aws_user_pools_web_client_id("webclient123")
        .build()
}

fn update_auth_config() -> UpdateBackendAuthResourceConfig {
    UpdateBackendAuthResourceConfig::builder()
        .auth_resources(AuthResources::UserPoolOnly)
        .service(Service::Cognito)
        .user_pool_configs(
            UpdateBackendAuthUserPoolConfig::builder()
                .password_policy(
                    UpdateBackendAuthPasswordPolicyConfig::builder()
                        .minimum_length(12.0)
                        .build(),
                )
                .build(),
        )
        .build()
}

fn storage_permissions() -> BackendStoragePermissions {
    permissions(
        &[AuthenticatedElement::Read, AuthenticatedElement::Delete],
        &[],
    )
}

/// Builds A's backend: two apps, two environments with auth, API, storage (created and
/// imported), backend config, tokens, and the jobs of all that.
async fn populate(a: &Client) -> Owned {
    create_backend(a, APP, APP_NAME, "dev").await;
    create_backend(a, APP, APP_NAME, "prod").await;
    create_backend(a, SECOND_APP, "Second", "dev").await;
    create_auth(a, APP, "dev", "isoauth", full_config()).await;
    create_api(a, APP, "dev", "isoapi", api_config(TODO_SCHEMA)).await;
    create_storage(a, APP, "dev", "isostorage", Some("isobucket")).await;
    a.import_backend_auth()
        .app_id(APP)
        .backend_environment_name("prod")
        .user_pool_id("us-east-1_AbCdEfGhI")
        .web_client_id("webclient123")
        .native_client_id("nativeclient456")
        .identity_pool_id("us-east-1:11111111-2222-4333-8444-555555555555")
        .send()
        .await
        .unwrap();
    a.import_backend_storage()
        .app_id(APP)
        .backend_environment_name("prod")
        .bucket_name("iso-imported-bucket")
        .service_name(ServiceName::S3)
        .send()
        .await
        .unwrap();
    a.update_backend_api()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("isoapi")
        .resource_config(
            BackendApiResourceConfig::builder()
                .transform_schema(format!("{TODO_SCHEMA}\ntype Note @model {{ id: ID! }}\n"))
                .build(),
        )
        .send()
        .await
        .unwrap();
    // The models operations may not be served by this build (501); then they are 501 for
    // every tenant alike.
    let models_served = match a
        .generate_backend_api_models()
        .app_id(APP)
        .backend_environment_name("dev")
        .resource_name("isoapi")
        .send()
        .await
    {
        Ok(_) => true,
        Err(e) => {
            let f = failure::<(), _>(Err(e));
            assert_eq!(f.status, Some(501), "{}", f.display);
            false
        }
    };
    a.create_backend_config()
        .app_id(APP)
        .backend_manager_app_id("isomanager")
        .send()
        .await
        .unwrap();
    let out = a
        .update_backend_config()
        .app_id(APP)
        .login_auth_config(login_config())
        .send()
        .await
        .unwrap();
    assert_eq!(out.backend_manager_app_id(), Some("isomanager"));
    let mut session_ids = Vec::new();
    for _ in 0..3 {
        let t = a.create_token().app_id(APP).send().await.unwrap();
        session_ids.push(t.session_id().unwrap().to_owned());
    }
    let mut job_ids = Vec::new();
    for env in ENVS {
        for id in all_job_ids(a, APP, env, 25).await {
            job_ids.push((env.to_owned(), id));
        }
    }
    for id in all_job_ids(a, SECOND_APP, "dev", 25).await {
        job_ids.push(("dev".to_owned(), id));
    }
    assert!(job_ids.len() >= 9, "{job_ids:?}");
    let list_token = a
        .list_backend_jobs()
        .app_id(APP)
        .backend_environment_name("dev")
        .max_results(1)
        .send()
        .await
        .unwrap()
        .next_token()
        .expect("a nextToken")
        .to_owned();
    let buckets: Vec<String> = a
        .list_s3_buckets()
        .send()
        .await
        .unwrap()
        .buckets()
        .iter()
        .filter_map(|b| b.name().map(str::to_owned))
        .collect();
    assert!(
        buckets.iter().any(|b| b.starts_with("isobucket")),
        "{buckets:?}"
    );
    assert!(
        buckets.iter().any(|b| b == "iso-imported-bucket"),
        "{buckets:?}"
    );
    Owned {
        job_ids,
        session_ids,
        buckets,
        list_token,
        models_served,
    }
}

async fn all_jobs(client: &Client, app: &str, env: &str) -> Vec<BackendJobRespObj> {
    let mut jobs = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let out = client
            .list_backend_jobs()
            .app_id(app)
            .backend_environment_name(env)
            .max_results(2)
            .set_next_token(token.clone())
            .send()
            .await
            .unwrap();
        jobs.extend(out.jobs().iter().cloned());
        match out.next_token() {
            Some(t) => token = Some(t.to_owned()),
            None => return jobs,
        }
    }
}

async fn snapshot(a: &Client, owned: &Owned) -> Snapshot {
    let app = a.get_backend().app_id(APP).send().await.unwrap();
    let mut envs = Vec::new();
    for env in ENVS {
        let got = a
            .get_backend()
            .app_id(APP)
            .backend_environment_name(env)
            .send()
            .await
            .unwrap();
        let meta: serde_json::Value =
            serde_json::from_str(got.amplify_meta_config().unwrap()).unwrap();
        let name_of = |category: &str| {
            meta.get(category)
                .and_then(|c| c.as_object())
                .and_then(|c| c.keys().next().cloned())
        };
        let auth = match name_of("auth") {
            Some(name) => {
                let out = a
                    .get_backend_auth()
                    .app_id(APP)
                    .backend_environment_name(env)
                    .resource_name(&name)
                    .send()
                    .await
                    .unwrap();
                Some((
                    out.resource_name().map(str::to_owned),
                    out.resource_config().cloned(),
                ))
            }
            None => None,
        };
        let api = match name_of("api") {
            Some(name) => {
                let out = a
                    .get_backend_api()
                    .app_id(APP)
                    .backend_environment_name(env)
                    .resource_name(&name)
                    .send()
                    .await
                    .unwrap();
                Some((
                    out.resource_name().map(str::to_owned),
                    out.resource_config().cloned(),
                ))
            }
            None => None,
        };
        let models = match name_of("api") {
            Some(name) if owned.models_served => {
                let out = a
                    .get_backend_api_models()
                    .app_id(APP)
                    .backend_environment_name(env)
                    .resource_name(&name)
                    .send()
                    .await
                    .unwrap();
                Some((
                    out.status().map(|s| s.as_str().to_owned()),
                    out.models().map(str::to_owned),
                    out.model_introspection_schema().map(str::to_owned),
                ))
            }
            _ => None,
        };
        let storage = match name_of("storage") {
            Some(name) => {
                let out = a
                    .get_backend_storage()
                    .app_id(APP)
                    .backend_environment_name(env)
                    .resource_name(&name)
                    .send()
                    .await
                    .unwrap();
                Some((
                    out.resource_name().map(str::to_owned),
                    out.resource_config().cloned(),
                ))
            }
            None => None,
        };
        envs.push(EnvSnapshot {
            env: env.to_owned(),
            meta: got.amplify_meta_config().map(str::to_owned),
            flags: got.amplify_feature_flags().map(str::to_owned),
            auth,
            api,
            models,
            storage,
            jobs: all_jobs(a, APP, env).await,
        });
    }
    let second = a.get_backend().app_id(SECOND_APP).send().await.unwrap();
    let mut tokens = Vec::new();
    for session in &owned.session_ids {
        let t = a
            .get_token()
            .app_id(APP)
            .session_id(session)
            .send()
            .await
            .unwrap();
        tokens.push((
            t.session_id().map(str::to_owned),
            t.challenge_code().map(str::to_owned),
            t.ttl().map(str::to_owned),
        ));
    }
    let mut buckets: Vec<(Option<String>, Option<String>)> = a
        .list_s3_buckets()
        .send()
        .await
        .unwrap()
        .buckets()
        .iter()
        .map(|b| {
            (
                b.name().map(str::to_owned),
                b.creation_date().map(str::to_owned),
            )
        })
        .collect();
    buckets.sort();
    Snapshot {
        app_name: app.app_name().map(str::to_owned),
        env_list: app.backend_environment_list().to_vec(),
        envs,
        second_app: (
            second.app_name().map(str::to_owned),
            second.backend_environment_list().to_vec(),
        ),
        tokens,
        buckets,
    }
}

/// Every operation of another tenant `x` on A's identifiers: nothing is found, nothing
/// listed, nothing changes. `x` has no app `APP` of its own yet.
async fn attack(x: &Client, owned: &Owned) {
    // Backends.
    denied("GetBackend", x.get_backend().app_id(APP).send().await);
    for env in ENVS {
        denied(
            "GetBackend env",
            x.get_backend()
                .app_id(APP)
                .backend_environment_name(env)
                .send()
                .await,
        );
    }
    denied(
        "CloneBackend",
        x.clone_backend()
            .app_id(APP)
            .backend_environment_name("dev")
            .target_environment_name("stolen")
            .send()
            .await,
    );
    attack_resources(x, owned).await;
    // Jobs: not readable, not listed, not changeable.
    for (env, job) in &owned.job_ids {
        for app in [APP, SECOND_APP] {
            denied(
                "GetBackendJob",
                x.get_backend_job()
                    .app_id(app)
                    .backend_environment_name(env)
                    .job_id(job)
                    .send()
                    .await,
            );
            denied(
                "UpdateBackendJob",
                x.update_backend_job()
                    .app_id(app)
                    .backend_environment_name(env)
                    .job_id(job)
                    .operation("Hijacked")
                    .status("FAILED")
                    .send()
                    .await,
            );
        }
    }
    for env in ENVS {
        let listed = x
            .list_backend_jobs()
            .app_id(APP)
            .backend_environment_name(env)
            .send()
            .await
            .unwrap();
        assert!(listed.jobs().is_empty(), "{listed:?}");
        assert_eq!(listed.next_token(), None);
        for (_, job) in &owned.job_ids {
            let filtered = x
                .list_backend_jobs()
                .app_id(APP)
                .backend_environment_name(env)
                .job_id(job)
                .send()
                .await
                .unwrap();
            assert!(filtered.jobs().is_empty(), "{filtered:?}");
        }
    }
    // A's page token is A's alone.
    bad_request(
        x.list_backend_jobs()
            .app_id(APP)
            .backend_environment_name("dev")
            .max_results(1)
            .next_token(&owned.list_token)
            .send()
            .await,
    );
    // Buckets.
    let listed: Vec<String> = x
        .list_s3_buckets()
        .send()
        .await
        .unwrap()
        .buckets()
        .iter()
        .filter_map(|b| b.name().map(str::to_owned))
        .collect();
    for bucket in &owned.buckets {
        assert!(!listed.contains(bucket), "{bucket} listed in {listed:?}");
    }
    // Tokens.
    for session in &owned.session_ids {
        denied(
            "GetToken",
            x.get_token().app_id(APP).session_id(session).send().await,
        );
        denied(
            "DeleteToken",
            x.delete_token()
                .app_id(APP)
                .session_id(session)
                .send()
                .await,
        );
    }
    // Backend config.
    denied(
        "UpdateBackendConfig",
        x.update_backend_config()
            .app_id(APP)
            .login_auth_config(
                LoginAuthConfigReqObj::builder()
                    .aws_user_pools_id("eu-west-1_Hijacked1")
                    .build(),
            )
            .send()
            .await,
    );
    denied(
        "RemoveBackendConfig",
        x.remove_backend_config().app_id(APP).send().await,
    );
    // Whole apps.
    for app in [APP, SECOND_APP] {
        for clean in [false, true] {
            denied(
                "RemoveAllBackends",
                x.remove_all_backends()
                    .app_id(app)
                    .clean_amplify_app(clean)
                    .send()
                    .await,
            );
        }
    }
    for env in ENVS {
        denied(
            "DeleteBackend",
            x.delete_backend()
                .app_id(APP)
                .backend_environment_name(env)
                .send()
                .await,
        );
    }
}

/// Create/Get/Update/Delete/Import of auth, API, storage and the models, in A's
/// environments by A's resource names.
async fn attack_resources(x: &Client, owned: &Owned) {
    for env in ENVS {
        denied(
            "CreateBackendAuth",
            x.create_backend_auth()
                .app_id(APP)
                .backend_environment_name(env)
                .resource_name("isoauth")
                .resource_config(with_identity_pool(true))
                .send()
                .await,
        );
        denied(
            "ImportBackendAuth",
            x.import_backend_auth()
                .app_id(APP)
                .backend_environment_name(env)
                .user_pool_id("us-east-1_ZZZZZZZZZ")
                .web_client_id("w")
                .native_client_id("n")
                .send()
                .await,
        );
        denied(
            "CreateBackendAPI",
            x.create_backend_api()
                .app_id(APP)
                .backend_environment_name(env)
                .resource_name("isoapi")
                .resource_config(api_config(TODO_SCHEMA))
                .send()
                .await,
        );
        denied(
            "CreateBackendStorage",
            x.create_backend_storage()
                .app_id(APP)
                .backend_environment_name(env)
                .resource_name("isostorage")
                .resource_config(
                    CreateBackendStorageResourceConfig::builder()
                        .service_name(ServiceName::S3)
                        .permissions(storage_permissions())
                        .build(),
                )
                .send()
                .await,
        );
        denied(
            "ImportBackendStorage",
            x.import_backend_storage()
                .app_id(APP)
                .backend_environment_name(env)
                .bucket_name("another-bucket")
                .service_name(ServiceName::S3)
                .send()
                .await,
        );
        attack_named_resources(x, env, owned.models_served).await;
    }
}

async fn attack_named_resources(x: &Client, env: &str, models_served: bool) {
    for name in ["isoauth", "isoapi", "isostorage", "iso-imported-bucket"] {
        denied(
            "GetBackendAuth",
            x.get_backend_auth()
                .app_id(APP)
                .backend_environment_name(env)
                .resource_name(name)
                .send()
                .await,
        );
        denied(
            "UpdateBackendAuth",
            x.update_backend_auth()
                .app_id(APP)
                .backend_environment_name(env)
                .resource_name(name)
                .resource_config(update_auth_config())
                .send()
                .await,
        );
        denied(
            "DeleteBackendAuth",
            x.delete_backend_auth()
                .app_id(APP)
                .backend_environment_name(env)
                .resource_name(name)
                .send()
                .await,
        );
        denied(
            "GetBackendAPI",
            x.get_backend_api()
                .app_id(APP)
                .backend_environment_name(env)
                .resource_name(name)
                .send()
                .await,
        );
        denied(
            "UpdateBackendAPI",
            x.update_backend_api()
                .app_id(APP)
                .backend_environment_name(env)
                .resource_name(name)
                .resource_config(
                    BackendApiResourceConfig::builder()
                        .transform_schema("type Stolen @model { id: ID! }")
                        .build(),
                )
                .send()
                .await,
        );
        denied(
            "DeleteBackendAPI",
            x.delete_backend_api()
                .app_id(APP)
                .backend_environment_name(env)
                .resource_name(name)
                .send()
                .await,
        );
        denied_models(
            "GenerateBackendAPIModels",
            models_served,
            x.generate_backend_api_models()
                .app_id(APP)
                .backend_environment_name(env)
                .resource_name(name)
                .send()
                .await,
        );
        denied_models(
            "GetBackendAPIModels",
            models_served,
            x.get_backend_api_models()
                .app_id(APP)
                .backend_environment_name(env)
                .resource_name(name)
                .send()
                .await,
        );
        denied(
            "GetBackendStorage",
            x.get_backend_storage()
                .app_id(APP)
                .backend_environment_name(env)
                .resource_name(name)
                .send()
                .await,
        );
        denied(
            "UpdateBackendStorage",
            x.update_backend_storage()
                .app_id(APP)
                .backend_environment_name(env)
                .resource_name(name)
                .resource_config(
                    UpdateBackendStorageResourceConfig::builder()
                        .service_name(ServiceName::S3)
                        .permissions(storage_permissions())
                        .build(),
                )
                .send()
                .await,
        );
        denied(
            "DeleteBackendStorage",
            x.delete_backend_storage()
                .app_id(APP)
                .backend_environment_name(env)
                .resource_name(name)
                .service_name(ServiceName::S3)
                .send()
                .await,
        );
    }
}

/// `x` creates the same appId: an unrelated app, with none of A's data, whose whole
/// lifecycle (config, tokens, removal) leaves A alone.
async fn same_app_id_is_unrelated(x: &Client, owned: &Owned, name: &str) {
    create_backend(x, APP, name, "dev").await;
    let got = x.get_backend().app_id(APP).send().await.unwrap();
    assert_eq!(got.app_name(), Some(name));
    assert_eq!(got.backend_environment_list(), ["dev".to_owned()]);
    let meta = amplify_meta(x, APP, "dev").await;
    for category in ["auth", "api", "storage"] {
        assert!(
            meta.get(category)
                .and_then(|c| c.as_object())
                .is_none_or(|c| c.is_empty()),
            "{category} in {meta}"
        );
    }
    let jobs = all_jobs(x, APP, "dev").await;
    assert_eq!(jobs.len(), 1, "{jobs:?}");
    assert!(
        owned
            .job_ids
            .iter()
            .all(|(_, id)| jobs[0].job_id() != Some(id.as_str()))
    );
    // Now that x has the environment, A's resources and jobs are still not found there.
    attack_named_resources(x, "dev", owned.models_served).await;
    for (env, job) in &owned.job_ids {
        denied(
            "GetBackendJob",
            x.get_backend_job()
                .app_id(APP)
                .backend_environment_name(env)
                .job_id(job)
                .send()
                .await,
        );
        denied(
            "UpdateBackendJob",
            x.update_backend_job()
                .app_id(APP)
                .backend_environment_name(env)
                .job_id(job)
                .status("FAILED")
                .send()
                .await,
        );
    }
    for session in &owned.session_ids {
        denied(
            "GetToken",
            x.get_token().app_id(APP).session_id(session).send().await,
        );
    }
    // x's own resources, config and tokens, then x removes everything it has.
    create_auth(x, APP, "dev", "isoauth", with_identity_pool(true)).await;
    create_storage(x, APP, "dev", "isostorage", Some("isobucket")).await;
    x.create_backend_config().app_id(APP).send().await.unwrap();
    x.update_backend_config()
        .app_id(APP)
        .login_auth_config(login_config())
        .send()
        .await
        .unwrap();
    let token = x.create_token().app_id(APP).send().await.unwrap();
    x.clone_backend()
        .app_id(APP)
        .backend_environment_name("dev")
        .target_environment_name("copy")
        .send()
        .await
        .unwrap();
    x.delete_backend()
        .app_id(APP)
        .backend_environment_name("copy")
        .send()
        .await
        .unwrap();
    x.remove_backend_config().app_id(APP).send().await.unwrap();
    x.delete_token()
        .app_id(APP)
        .session_id(token.session_id().unwrap())
        .send()
        .await
        .unwrap();
    x.remove_all_backends()
        .app_id(APP)
        .clean_amplify_app(true)
        .send()
        .await
        .unwrap();
    denied("GetBackend", x.get_backend().app_id(APP).send().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_tenant_reaches_another_tenants_data_through_any_operation() {
    let server = TestServer::start().await;
    let a = server.client_for(ACCOUNT_A, REGION_A);
    let owned = populate(&a).await;
    let before = snapshot(&a, &owned).await;
    assert_eq!(before.env_list, ["dev".to_owned(), "prod".to_owned()]);
    assert!(before.envs.iter().all(|e| e.auth.is_some()));
    assert!(before.envs.iter().all(|e| e.storage.is_some()));
    assert!(before.envs[0].api.is_some());
    if owned.models_served {
        let (status, models, _) = before.envs[0].models.clone().unwrap();
        assert_eq!(status.as_deref(), Some("LATEST"));
        assert!(models.is_some_and(|m| m.contains("Note")));
    }
    assert_eq!(before.tokens.len(), 3);

    let others = [
        ("another account, same region", ACCOUNT_B, REGION_A),
        ("same account, another region", ACCOUNT_A, REGION_C),
        ("the default account", "AKIDEXAMPLE", REGION_A),
        ("another account, another region", ACCOUNT_B, REGION_C),
    ];
    for (who, key, region) in others {
        let x = server.client_for(key, region);
        attack(&x, &owned).await;
        assert_eq!(
            snapshot(&a, &owned).await,
            before,
            "A's data changed after the attempts of {who}"
        );
        same_app_id_is_unrelated(&x, &owned, &format!("Other {key} {region}")).await;
        assert_eq!(
            snapshot(&a, &owned).await,
            before,
            "A's data changed after {who} used the same appId"
        );
    }

    // A's backend config survived: A can still remove it (and B's removal did not).
    let out = a
        .update_backend_config()
        .app_id(APP)
        .login_auth_config(login_config())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{}", DisplayErrorContext(&e)));
    assert_eq!(out.backend_manager_app_id(), Some("isomanager"));
    assert_eq!(out.login_auth_config(), Some(&login_config()));
    // And A's data is still A's to delete.
    for session in &owned.session_ids {
        a.delete_token()
            .app_id(APP)
            .session_id(session)
            .send()
            .await
            .unwrap();
    }
    a.remove_all_backends()
        .app_id(APP)
        .clean_amplify_app(true)
        .send()
        .await
        .unwrap();
    denied("GetBackend", a.get_backend().app_id(APP).send().await);
    server.stop().await;
}
