//! One module per resource family; each handler takes a validated input and answers with
//! its output shape.

pub mod amplify;
pub mod api;
pub mod auth;
pub mod backend;
pub mod config;
pub mod jobs;
pub mod storage;
pub mod tokens;

use crate::error::ApiError;
use crate::state::Ctx;
use amplifybackend_store::{App, Environment, Resource, ResourceKind};

/// Fills a job-answering output shape (`appId`, `backendEnvironmentName`, `error`, `jobId`,
/// `operation`, `status`) from a job.
macro_rules! job_reply {
    ($output:ident, $job:expr) => {{
        let job = $job;
        $output {
            app_id: Some(job.app_id),
            backend_environment_name: Some(job.env),
            error: job.error.as_ref().map($crate::error::job_error),
            job_id: Some(job.job_id),
            operation: Some(job.operation),
            status: Some(job.status.as_str().to_owned()),
        }
    }};
}
pub(crate) use job_reply;

/// The one table from operations to their handlers. `with_handler!(operation, |handler|
/// body)` evaluates `body` with `handler` bound to the operation's handler, an
/// `async fn(Ctx, Input) -> Result<Output, ApiError>` whose input type picks the decoding:
/// routing runs it (`dispatch.rs`), the fuzz harness decodes its input (`fuzzing.rs`).
macro_rules! with_handler {
    ($operation:expr, |$handler:ident| $body:expr) => {
        match $operation {
            amplifybackend_model::Operation::CloneBackend => {
                let $handler = $crate::handlers::backend::clone_backend;
                $body
            }
            amplifybackend_model::Operation::CreateBackend => {
                let $handler = $crate::handlers::backend::create_backend;
                $body
            }
            amplifybackend_model::Operation::DeleteBackend => {
                let $handler = $crate::handlers::backend::delete_backend;
                $body
            }
            amplifybackend_model::Operation::GetBackend => {
                let $handler = $crate::handlers::backend::get_backend;
                $body
            }
            amplifybackend_model::Operation::RemoveAllBackends => {
                let $handler = $crate::handlers::backend::remove_all_backends;
                $body
            }
            amplifybackend_model::Operation::CreateBackendAuth => {
                let $handler = $crate::handlers::auth::create_backend_auth;
                $body
            }
            amplifybackend_model::Operation::UpdateBackendAuth => {
                let $handler = $crate::handlers::auth::update_backend_auth;
                $body
            }
            amplifybackend_model::Operation::ImportBackendAuth => {
                let $handler = $crate::handlers::auth::import_backend_auth;
                $body
            }
            amplifybackend_model::Operation::GetBackendAuth => {
                let $handler = $crate::handlers::auth::get_backend_auth;
                $body
            }
            amplifybackend_model::Operation::DeleteBackendAuth => {
                let $handler = $crate::handlers::auth::delete_backend_auth;
                $body
            }
            amplifybackend_model::Operation::CreateBackendAPI => {
                let $handler = $crate::handlers::api::create_backend_api;
                $body
            }
            amplifybackend_model::Operation::UpdateBackendAPI => {
                let $handler = $crate::handlers::api::update_backend_api;
                $body
            }
            amplifybackend_model::Operation::GetBackendAPI => {
                let $handler = $crate::handlers::api::get_backend_api;
                $body
            }
            amplifybackend_model::Operation::DeleteBackendAPI => {
                let $handler = $crate::handlers::api::delete_backend_api;
                $body
            }
            amplifybackend_model::Operation::GenerateBackendAPIModels => {
                let $handler = $crate::handlers::api::generate_backend_api_models;
                $body
            }
            amplifybackend_model::Operation::GetBackendAPIModels => {
                let $handler = $crate::handlers::api::get_backend_api_models;
                $body
            }
            amplifybackend_model::Operation::CreateBackendStorage => {
                let $handler = $crate::handlers::storage::create_backend_storage;
                $body
            }
            amplifybackend_model::Operation::UpdateBackendStorage => {
                let $handler = $crate::handlers::storage::update_backend_storage;
                $body
            }
            amplifybackend_model::Operation::ImportBackendStorage => {
                let $handler = $crate::handlers::storage::import_backend_storage;
                $body
            }
            amplifybackend_model::Operation::GetBackendStorage => {
                let $handler = $crate::handlers::storage::get_backend_storage;
                $body
            }
            amplifybackend_model::Operation::DeleteBackendStorage => {
                let $handler = $crate::handlers::storage::delete_backend_storage;
                $body
            }
            amplifybackend_model::Operation::ListS3Buckets => {
                let $handler = $crate::handlers::storage::list_s3_buckets;
                $body
            }
            amplifybackend_model::Operation::GetBackendJob => {
                let $handler = $crate::handlers::jobs::get_backend_job;
                $body
            }
            amplifybackend_model::Operation::ListBackendJobs => {
                let $handler = $crate::handlers::jobs::list_backend_jobs;
                $body
            }
            amplifybackend_model::Operation::UpdateBackendJob => {
                let $handler = $crate::handlers::jobs::update_backend_job;
                $body
            }
            amplifybackend_model::Operation::CreateToken => {
                let $handler = $crate::handlers::tokens::create_token;
                $body
            }
            amplifybackend_model::Operation::GetToken => {
                let $handler = $crate::handlers::tokens::get_token;
                $body
            }
            amplifybackend_model::Operation::DeleteToken => {
                let $handler = $crate::handlers::tokens::delete_token;
                $body
            }
            amplifybackend_model::Operation::CreateBackendConfig => {
                let $handler = $crate::handlers::config::create_backend_config;
                $body
            }
            amplifybackend_model::Operation::UpdateBackendConfig => {
                let $handler = $crate::handlers::config::update_backend_config;
                $body
            }
            amplifybackend_model::Operation::RemoveBackendConfig => {
                let $handler = $crate::handlers::config::remove_backend_config;
                $body
            }
        }
    };
}
pub(crate) use with_handler;

/// The app, or 404.
pub async fn require_app(cx: &Ctx, app_id: &str) -> Result<App, ApiError> {
    cx.store()
        .get_app(&cx.tenant, app_id)
        .await?
        .ok_or_else(|| ApiError::not_found("app", format!("App {app_id} was not found.")))
}

/// The environment, or 404.
pub async fn require_env(cx: &Ctx, app_id: &str, env: &str) -> Result<Environment, ApiError> {
    cx.store()
        .get_environment(&cx.tenant, app_id, env)
        .await?
        .ok_or_else(|| {
            ApiError::not_found(
                "environment",
                format!("Backend environment {env} of app {app_id} was not found."),
            )
        })
}

/// The environment's resource of `kind` named `name`, or 404.
pub async fn require_resource(
    cx: &Ctx,
    app_id: &str,
    env: &str,
    kind: ResourceKind,
    name: &str,
) -> Result<Resource, ApiError> {
    require_env(cx, app_id, env).await?;
    match cx
        .store()
        .get_resource(&cx.tenant, app_id, env, kind)
        .await?
    {
        Some(r) if r.name == name => Ok(r),
        _ => Err(ApiError::not_found(
            kind.as_str(),
            format!(
                "No {} resource named {name} exists in backend environment {env} of app {app_id}.",
                kind.as_str()
            ),
        )),
    }
}

/// 400 unless the environment lacks a resource of `kind`.
pub async fn require_no_resource(
    cx: &Ctx,
    app_id: &str,
    env: &str,
    kind: ResourceKind,
) -> Result<(), ApiError> {
    match cx
        .store()
        .get_resource(&cx.tenant, app_id, env, kind)
        .await?
    {
        Some(r) => Err(ApiError::bad_request(format!(
            "Backend environment {env} of app {app_id} already has a {} resource ({}).",
            kind.as_str(),
            r.name
        ))),
        None => Ok(()),
    }
}

/// Environment names: 2 to 10 lowercase letters, Amplify's own rule.
pub fn validate_env_name(member: &str, name: &str) -> Result<(), ApiError> {
    let ok = (2..=10).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_lowercase());
    if ok {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "Invalid value '{name}' for '{member}': environment names are 2 to 10 lowercase letters."
        )))
    }
}

/// Resource names: 1 to 128 letters, digits, `-` or `_`.
pub fn validate_resource_name(name: &str) -> Result<(), ApiError> {
    let ok = (1..=128).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "Invalid value '{name}' for 'resourceName': use 1 to 128 letters, digits, '-' or '_'."
        )))
    }
}

/// A model document from its stored JSON.
pub fn from_stored<T: serde::de::DeserializeOwned + Default>(
    value: &serde_json::Value,
) -> Result<T, ApiError> {
    serde_json::from_value(value.clone()).map_err(ApiError::internal)
}

/// A model document as stored JSON.
pub fn to_stored<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(value).map_err(ApiError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_environment_names() {
        assert!(validate_env_name("e", "dev").is_ok());
        assert!(validate_env_name("e", "staging").is_ok());
        for bad in ["d", "Dev", "dev1", "averylongname", "de-v", ""] {
            assert!(validate_env_name("e", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn checks_resource_names() {
        assert!(validate_resource_name("myAuth_1-x").is_ok());
        assert!(validate_resource_name("").is_err());
        assert!(validate_resource_name("a b").is_err());
    }
}
