//! Requests and configurations the tests share.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use aws_sdk_amplifybackend::Client;
use aws_sdk_amplifybackend::error::DisplayErrorContext;
use aws_sdk_amplifybackend::operation::get_backend_job::GetBackendJobOutput;
use aws_sdk_amplifybackend::types::builders::CreateBackendAuthUserPoolConfigBuilder;
use aws_sdk_amplifybackend::types::*;
use serde_json::Value;
use std::time::{Duration, Instant};

/// The string at `path` in `v`.
pub fn str_at<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    let mut cur = v;
    for p in path {
        cur = &cur[*p];
    }
    cur.as_str()
        .unwrap_or_else(|| panic!("{} is not a string in {v}", path.join(".")))
}

/// `<region>_<9 alphanumerics>`.
pub fn is_user_pool_id(s: &str, region: &str) -> bool {
    s.strip_prefix(region)
        .and_then(|r| r.strip_prefix('_'))
        .is_some_and(|id| id.len() == 9 && id.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// `<region>:<uuid>`.
pub fn is_identity_pool_id(s: &str, region: &str) -> bool {
    s.strip_prefix(region)
        .and_then(|r| r.strip_prefix(':'))
        .is_some_and(|id| uuid::Uuid::parse_str(id).is_ok() && id.len() == 36)
}

/// CreateBackend, which must complete inline.
pub async fn create_backend(client: &Client, app_id: &str, app_name: &str, env: &str) {
    let out = client
        .create_backend()
        .app_id(app_id)
        .app_name(app_name)
        .backend_environment_name(env)
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateBackend {app_id}/{env}: {}", DisplayErrorContext(&e)));
    assert_eq!(out.status(), Some("COMPLETED"), "{out:?}");
}

/// CreateBackend of the app `app_id` (named `app_name`, whose environment `env` has one
/// job) under another name, or of `env` again: 400s that name the rule, and no job.
pub async fn assert_create_backend_refused(
    client: &Client,
    app_id: &str,
    app_name: &str,
    env: &str,
) {
    let create = |name: &str, env: &str| {
        client
            .create_backend()
            .app_id(app_id)
            .app_name(name)
            .backend_environment_name(env)
            .send()
    };
    let f = super::bad_request(create("othername", "newenv").await);
    let named = format!("with the name {app_name}");
    assert!(f.message.contains(&named), "{}", f.message);
    let f = super::bad_request(create(app_name, env).await);
    assert!(
        f.message.contains(&format!("{env} already exists")),
        "{}",
        f.message
    );
    assert_eq!(all_job_ids(client, app_id, env, 25).await.len(), 1);
    assert_eq!(
        all_job_ids(client, app_id, "newenv", 25).await,
        Vec::<String>::new()
    );
}

/// GetBackend of one environment, with its amplify-meta parsed.
pub async fn amplify_meta(client: &Client, app_id: &str, env: &str) -> Value {
    let out = client
        .get_backend()
        .app_id(app_id)
        .backend_environment_name(env)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GetBackend {app_id}/{env}: {}", DisplayErrorContext(&e)));
    let text = out.amplify_meta_config().expect("amplifyMetaConfig");
    serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("amplifyMetaConfig is not JSON ({e}): {text}"))
}

/// The user pool every test auth starts from: email sign-in.
pub fn user_pool(name: &str) -> CreateBackendAuthUserPoolConfigBuilder {
    CreateBackendAuthUserPoolConfig::builder()
        .user_pool_name(name)
        .sign_in_method(SignInMethod::Email)
        .required_sign_up_attributes(RequiredSignUpAttributesElement::Email)
}

/// An auth config of a user pool alone.
pub fn user_pool_only(pool: CreateBackendAuthUserPoolConfig) -> CreateBackendAuthResourceConfig {
    CreateBackendAuthResourceConfig::builder()
        .auth_resources(AuthResources::UserPoolOnly)
        .service(Service::Cognito)
        .user_pool_configs(pool)
        .build()
}

/// An auth config of a user pool and an identity pool.
pub fn with_identity_pool(unauthenticated_login: bool) -> CreateBackendAuthResourceConfig {
    CreateBackendAuthResourceConfig::builder()
        .auth_resources(AuthResources::IdentityPoolAndUserPool)
        .service(Service::Cognito)
        .identity_pool_configs(
            CreateBackendAuthIdentityPoolConfig::builder()
                .identity_pool_name("testidentitypool")
                .unauthenticated_login(unauthenticated_login)
                .build(),
        )
        .user_pool_configs(user_pool("testuserpool").build())
        .build()
}

/// CreateBackendAuth, which must complete inline.
pub async fn create_auth(
    client: &Client,
    app_id: &str,
    env: &str,
    name: &str,
    config: CreateBackendAuthResourceConfig,
) {
    let out = client
        .create_backend_auth()
        .app_id(app_id)
        .backend_environment_name(env)
        .resource_name(name)
        .resource_config(config)
        .send()
        .await
        .unwrap_or_else(|e| {
            panic!(
                "CreateBackendAuth {app_id}/{env}: {}",
                DisplayErrorContext(&e)
            )
        });
    assert_eq!(out.status(), Some("COMPLETED"), "{out:?}");
}

/// An API config with API-key auth and a one-model schema.
pub fn api_config(schema: &str) -> BackendApiResourceConfig {
    BackendApiResourceConfig::builder()
        .api_name("todoapi")
        .service("AppSync")
        .transform_schema(schema)
        .default_auth_type(
            BackendApiAuthType::builder()
                .mode(Mode::ApiKey)
                .settings(
                    BackendApiAppSyncAuthSettings::builder()
                        .description("test key")
                        .expiration_time(30.0)
                        .build(),
                )
                .build(),
        )
        .build()
}

/// A schema that parses.
pub const TODO_SCHEMA: &str = "type Todo @model @auth(rules: [{allow: public}]) {\n  id: ID!\n  name: String!\n  done: Boolean\n}\n";

/// CreateBackendAPI, which must complete inline.
pub async fn create_api(
    client: &Client,
    app_id: &str,
    env: &str,
    name: &str,
    config: BackendApiResourceConfig,
) {
    let out = client
        .create_backend_api()
        .app_id(app_id)
        .backend_environment_name(env)
        .resource_name(name)
        .resource_config(config)
        .send()
        .await
        .unwrap_or_else(|e| {
            panic!(
                "CreateBackendAPI {app_id}/{env}: {}",
                DisplayErrorContext(&e)
            )
        });
    assert_eq!(out.status(), Some("COMPLETED"), "{out:?}");
}

/// Storage permissions: `authenticated` and, optionally, `unAuthenticated`.
pub fn permissions(
    auth: &[AuthenticatedElement],
    guests: &[UnAuthenticatedElement],
) -> BackendStoragePermissions {
    let mut b = BackendStoragePermissions::builder().set_authenticated(Some(auth.to_vec()));
    if !guests.is_empty() {
        b = b.set_un_authenticated(Some(guests.to_vec()));
    }
    b.build()
}

/// CreateBackendStorage, which must complete inline.
pub async fn create_storage(
    client: &Client,
    app_id: &str,
    env: &str,
    name: &str,
    bucket: Option<&str>,
) {
    let mut config = CreateBackendStorageResourceConfig::builder()
        .service_name(ServiceName::S3)
        .permissions(permissions(
            &[
                AuthenticatedElement::Read,
                AuthenticatedElement::CreateAndUpdate,
            ],
            &[],
        ));
    if let Some(bucket) = bucket {
        config = config.bucket_name(bucket);
    }
    let out = client
        .create_backend_storage()
        .app_id(app_id)
        .backend_environment_name(env)
        .resource_name(name)
        .resource_config(config.build())
        .send()
        .await
        .unwrap_or_else(|e| {
            panic!(
                "CreateBackendStorage {app_id}/{env}: {}",
                DisplayErrorContext(&e)
            )
        });
    assert_eq!(out.status(), Some("COMPLETED"), "{out:?}");
}

/// GetBackendJob.
pub async fn get_job(
    client: &Client,
    app_id: &str,
    env: &str,
    job_id: &str,
) -> GetBackendJobOutput {
    client
        .get_backend_job()
        .app_id(app_id)
        .backend_environment_name(env)
        .job_id(job_id)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GetBackendJob {job_id}: {}", DisplayErrorContext(&e)))
}

/// Polls GetBackendJob until the job is no longer RUNNING (at most `limit`).
pub async fn wait_for_job(
    client: &Client,
    app_id: &str,
    env: &str,
    job_id: &str,
    limit: Duration,
) -> GetBackendJobOutput {
    let started = Instant::now();
    loop {
        let job = get_job(client, app_id, env, job_id).await;
        if job.status() != Some("RUNNING") {
            return job;
        }
        assert!(
            started.elapsed() < limit,
            "job {job_id} still RUNNING after {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Every job id of an environment, newest first, read page by page with `page` per page.
pub async fn all_job_ids(client: &Client, app_id: &str, env: &str, page: i32) -> Vec<String> {
    let mut ids = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..1000 {
        let out = client
            .list_backend_jobs()
            .app_id(app_id)
            .backend_environment_name(env)
            .max_results(page)
            .set_next_token(token.clone())
            .send()
            .await
            .unwrap_or_else(|e| panic!("ListBackendJobs: {}", DisplayErrorContext(&e)));
        assert!(
            out.jobs().len() <= usize::try_from(page).unwrap(),
            "a page larger than {page}"
        );
        ids.extend(out.jobs().iter().map(|j| j.job_id().unwrap().to_owned()));
        match out.next_token() {
            Some(t) => {
                assert!(!t.is_empty(), "an empty nextToken instead of none");
                assert!(!out.jobs().is_empty(), "an empty page with a nextToken");
                token = Some(t.to_owned());
            }
            None => return ids,
        }
    }
    panic!("ListBackendJobs never ended");
}
