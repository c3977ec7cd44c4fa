//! Apps and environments: CreateBackend, CloneBackend, DeleteBackend, RemoveAllBackends,
//! GetBackend.

use super::{job_reply, require_app, require_env, validate_env_name};
use crate::error::ApiError;
use crate::error::job_error;
use crate::jobs::{jobs_complete_at_once, start_job, start_job_or_refuse};
use crate::meta;
use crate::state::Ctx;
use amplifybackend_model::*;
use amplifybackend_store::{Backend, Change, ResourceKind, RuleBroken};

/// CreateBackend: a new app (if unknown) and environment, as a job. An app of another
/// name or an environment that exists is refused with 400: by the job's own transaction
/// when jobs complete at once, else by reads before the job is recorded.
pub async fn create_backend(
    cx: Ctx,
    input: CreateBackendRequest,
) -> Result<CreateBackendResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let app_name = input.app_name.as_str();
    let env = input.backend_environment_name.as_str();
    validate_env_name("backendEnvironmentName", env)?;
    if app_id.is_empty() || app_name.is_empty() {
        return Err(ApiError::bad_request(
            "appId and appName must not be empty.",
        ));
    }
    if !jobs_complete_at_once(&cx, Operation::CreateBackend)
        && let Some(app) = cx.store().get_app(&cx.tenant, app_id).await?
    {
        if app.app_name != app_name {
            return Err(RuleBroken::AppNameMismatch {
                app_id: app_id.to_owned(),
                name: app.app_name,
                expected: app_name.to_owned(),
            }
            .into());
        }
        if cx
            .store()
            .get_environment(&cx.tenant, app_id, env)
            .await?
            .is_some()
        {
            return Err(env_exists(app_id, env));
        }
    }
    let changes = vec![Change::CreateBackend {
        app_name: app_name.to_owned(),
        env: env.to_owned(),
        meta: meta::environment_meta(cx.state.ids.as_ref(), &cx.tenant, app_id, env),
    }];
    let job = start_job_or_refuse(&cx, app_id, env, Operation::CreateBackend, changes).await?;
    Ok(job_reply!(CreateBackendResponse, job))
}

/// The 400 for a new environment whose name the app already has.
fn env_exists(app_id: &str, env: &str) -> ApiError {
    RuleBroken::EnvironmentExists {
        app_id: app_id.to_owned(),
        env: env.to_owned(),
    }
    .into()
}

/// CloneBackend: a new environment with a copy of every resource of the source; the job
/// belongs to the source environment.
pub async fn clone_backend(
    cx: Ctx,
    input: CloneBackendRequest,
) -> Result<CloneBackendResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let source = input.backend_environment_name.as_str();
    let target = input.target_environment_name.as_str();
    validate_env_name("targetEnvironmentName", target)?;
    require_env(&cx, app_id, source).await?;
    if cx
        .store()
        .get_environment(&cx.tenant, app_id, target)
        .await?
        .is_some()
    {
        return Err(env_exists(app_id, target));
    }
    let ids = cx.state.ids.as_ref();
    let mut changes = vec![Change::CreateEnvironment {
        env: target.to_owned(),
        meta: meta::environment_meta(ids, &cx.tenant, app_id, target),
    }];
    for resource in cx
        .store()
        .list_resources(&cx.tenant, app_id, source)
        .await?
    {
        let (config, outputs) = match resource.kind {
            ResourceKind::Auth if !resource.imported => {
                let config: CreateBackendAuthResourceConfig = super::from_stored(&resource.config)?;
                (
                    resource.config.clone(),
                    meta::auth_outputs(ids, &cx.tenant, &config),
                )
            }
            ResourceKind::Api => {
                let config: BackendAPIResourceConfig = super::from_stored(&resource.config)?;
                (
                    resource.config.clone(),
                    meta::api_outputs(ids, &cx.tenant, None, &config),
                )
            }
            ResourceKind::Storage if !resource.imported => {
                let base = resource.config["bucketName"]
                    .as_str()
                    .unwrap_or(&resource.name)
                    .to_owned();
                let bucket = super::storage::physical_bucket_name(ids, &base, target)?;
                changes.push(Change::AddBucket {
                    name: bucket.clone(),
                });
                (
                    resource.config.clone(),
                    super::storage::storage_outputs(&cx, &bucket),
                )
            }
            _ => (resource.config.clone(), resource.outputs.clone()),
        };
        changes.push(Change::PutResource {
            env: target.to_owned(),
            kind: resource.kind,
            name: resource.name,
            config,
            outputs,
            imported: resource.imported,
        });
    }
    let job = start_job(&cx, app_id, source, Operation::CloneBackend, changes).await?;
    Ok(job_reply!(CloneBackendResponse, job))
}

/// DeleteBackend: removes one environment and everything in it.
pub async fn delete_backend(
    cx: Ctx,
    input: DeleteBackendRequest,
) -> Result<DeleteBackendResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let env = input.backend_environment_name.as_str();
    require_env(&cx, app_id, env).await?;
    let changes = vec![Change::DeleteEnvironment {
        env: env.to_owned(),
    }];
    let job = start_job(&cx, app_id, env, Operation::DeleteBackend, changes).await?;
    Ok(job_reply!(DeleteBackendResponse, job))
}

/// The environment an app-wide job is filed under: the app's first environment, or
/// `staging` when it has none [chosen].
pub async fn app_job_environment(cx: &Ctx, app_id: &str) -> Result<String, ApiError> {
    Ok(cx
        .store()
        .list_environments(&cx.tenant, app_id)
        .await?
        .into_iter()
        .next()
        .map_or_else(|| "staging".to_owned(), |e| e.name))
}

/// RemoveAllBackends: removes every environment, and with `cleanAmplifyApp` the app.
pub async fn remove_all_backends(
    cx: Ctx,
    input: RemoveAllBackendsRequest,
) -> Result<RemoveAllBackendsResponse, ApiError> {
    let app_id = input.app_id.as_str();
    require_app(&cx, app_id).await?;
    let envs = cx.store().list_environments(&cx.tenant, app_id).await?;
    let job_env = app_job_environment(&cx, app_id).await?;
    if cx.store().app_has_running_job(&cx.tenant, app_id).await? {
        return Err(RuleBroken::PendingJob {
            app_id: app_id.to_owned(),
            env: job_env,
        }
        .into());
    }
    let mut changes: Vec<Change> = envs
        .iter()
        .map(|e| Change::DeleteEnvironment {
            env: e.name.clone(),
        })
        .collect();
    if input.clean_amplify_app == Some(true) {
        changes.push(Change::DeleteApp);
    }
    let job = start_job(&cx, app_id, &job_env, Operation::RemoveAllBackends, changes).await?;
    Ok(RemoveAllBackendsResponse {
        app_id: Some(job.app_id),
        error: job.error.as_ref().map(job_error),
        job_id: Some(job.job_id),
        operation: Some(job.operation),
        status: Some(job.status.as_str().to_owned()),
    })
}

/// GetBackend's answer as sent: `GetBackendResponse`'s members, with the feature flags,
/// which never change, as a literal escaped once per process
/// ([`meta::feature_flags_literal`]).
#[derive(Debug, Default, serde::Serialize)]
pub struct GetBackendAnswer {
    #[serde(
        rename = "amplifyFeatureFlags",
        skip_serializing_if = "Option::is_none"
    )]
    amplify_feature_flags: Option<&'static serde_json::value::RawValue>,
    #[serde(rename = "amplifyMetaConfig", skip_serializing_if = "Option::is_none")]
    amplify_meta_config: Option<String>,
    #[serde(rename = "appId")]
    app_id: String,
    #[serde(rename = "appName")]
    app_name: String,
    #[serde(rename = "backendEnvironmentList")]
    backend_environment_list: Vec<String>,
    #[serde(
        rename = "backendEnvironmentName",
        skip_serializing_if = "Option::is_none"
    )]
    backend_environment_name: Option<String>,
}

impl From<GetBackendAnswer> for GetBackendResponse {
    fn from(answer: GetBackendAnswer) -> Self {
        GetBackendResponse {
            amplify_feature_flags: answer
                .amplify_feature_flags
                .map(|_| meta::FEATURE_FLAGS.to_owned()),
            amplify_meta_config: answer.amplify_meta_config,
            app_id: Some(answer.app_id),
            app_name: Some(answer.app_name),
            backend_environment_list: Some(answer.backend_environment_list),
            backend_environment_name: answer.backend_environment_name,
            error: None,
        }
    }
}

/// GetBackend: the app, its environments, and one environment's amplify-meta.
pub async fn get_backend(cx: Ctx, input: GetBackendRequest) -> Result<GetBackendAnswer, ApiError> {
    let app_id = input.app_id.as_str();
    let env_name = input.backend_environment_name.as_deref();
    let Backend {
        app,
        environments,
        resources,
    } = cx
        .store()
        .get_backend(&cx.tenant, app_id, env_name)
        .await?
        .ok_or_else(|| ApiError::not_found("app", format!("App {app_id} was not found.")))?;
    let mut output = GetBackendAnswer {
        app_id: app.app_id,
        app_name: app.app_name,
        backend_environment_list: environments.iter().map(|e| e.name.clone()).collect(),
        ..Default::default()
    };
    if let Some(name) = env_name {
        let env = environments
            .into_iter()
            .find(|e| e.name == name)
            .ok_or_else(|| {
                ApiError::not_found(
                    "environment",
                    format!("Backend environment {name} of app {app_id} was not found."),
                )
            })?;
        output.amplify_meta_config = Some(meta::render_amplify_meta(&env, &resources));
        output.amplify_feature_flags = Some(meta::feature_flags_literal());
        output.backend_environment_name = Some(env.name);
    }
    Ok(output)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The answer as sent and the model's `GetBackendResponse` are the same JSON document.
    #[test]
    fn the_answer_serializes_as_the_models_response() -> Result<(), serde_json::Error> {
        for with_env in [false, true] {
            let answer = GetBackendAnswer {
                amplify_feature_flags: with_env.then(meta::feature_flags_literal),
                amplify_meta_config: with_env.then(|| r#"{"providers":{"a":"\"b\""}}"#.to_owned()),
                app_id: "app1".to_owned(),
                app_name: "name \"quoted\"".to_owned(),
                backend_environment_list: vec!["dev".to_owned(), "prod".to_owned()],
                backend_environment_name: with_env.then(|| "dev".to_owned()),
            };
            let sent: serde_json::Value = serde_json::from_slice(&serde_json::to_vec(&answer)?)?;
            let modeled = serde_json::to_value(GetBackendResponse::from(answer))?;
            assert_eq!(sent, modeled);
            if with_env {
                assert_eq!(sent["amplifyFeatureFlags"], meta::FEATURE_FLAGS);
            }
        }
        Ok(())
    }
}
