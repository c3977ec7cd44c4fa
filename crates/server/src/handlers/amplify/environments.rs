//! CreateBackendEnvironment, GetBackendEnvironment, ListBackendEnvironments,
//! DeleteBackendEnvironment: the environments AmplifyBackend's CreateBackend and
//! CloneBackend create, seen from the Amplify service.

use super::{cursor, environment_output, next_token, page_size, require_app};
use crate::error::ApiError;
use crate::handlers::validate_env_name;
use crate::meta;
use crate::state::Ctx;
use amplifybackend_model::amplify::{
    CreateBackendEnvironmentRequest, CreateBackendEnvironmentResult,
    DeleteBackendEnvironmentRequest, DeleteBackendEnvironmentResult, GetBackendEnvironmentRequest,
    GetBackendEnvironmentResult, ListBackendEnvironmentsRequest, ListBackendEnvironmentsResult,
};
use amplifybackend_store::Environment;
use serde_json::json;

fn env_not_found(app_id: &str, env: &str) -> ApiError {
    ApiError::not_found(
        "environment",
        format!("Backend environment {env} of app {app_id} not found."),
    )
}

/// CreateBackendEnvironment: an environment of an existing app, with the deployment
/// identifiers CreateBackend would generate, its `stackName` and `deploymentArtifacts`
/// (the deployment bucket) as given.
pub async fn create_backend_environment(
    cx: Ctx,
    input: CreateBackendEnvironmentRequest,
) -> Result<CreateBackendEnvironmentResult, ApiError> {
    let app_id = input.app_id.as_str();
    let env = input.environment_name.as_str();
    validate_env_name("environmentName", env)?;
    require_app(&cx, app_id).await?;
    let mut meta = meta::environment_meta(cx.state.ids.as_ref(), &cx.tenant, app_id, env);
    if let Some(stack) = &input.stack_name {
        meta["StackName"] = json!(stack);
    }
    if let Some(bucket) = &input.deployment_artifacts {
        meta["DeploymentBucketName"] = json!(bucket);
    }
    let created = cx
        .store()
        .create_environment(&cx.tenant, app_id, env, meta, cx.now_ms())
        .await?;
    Ok(CreateBackendEnvironmentResult {
        backend_environment: environment_output(&cx.tenant, &created)?,
    })
}

/// GetBackendEnvironment.
pub async fn get_backend_environment(
    cx: Ctx,
    input: GetBackendEnvironmentRequest,
) -> Result<GetBackendEnvironmentResult, ApiError> {
    let (app_id, env) = (input.app_id.as_str(), input.environment_name.as_str());
    require_app(&cx, app_id).await?;
    let found = cx
        .store()
        .get_environment(&cx.tenant, app_id, env)
        .await?
        .ok_or_else(|| env_not_found(app_id, env))?;
    Ok(GetBackendEnvironmentResult {
        backend_environment: environment_output(&cx.tenant, &found)?,
    })
}

/// ListBackendEnvironments: the app's environments by name, or the one `environmentName`
/// names.
pub async fn list_backend_environments(
    cx: Ctx,
    input: ListBackendEnvironmentsRequest,
) -> Result<ListBackendEnvironmentsResult, ApiError> {
    let app_id = input.app_id.as_str();
    require_app(&cx, app_id).await?;
    let filter = input.environment_name.as_deref().unwrap_or("");
    let scope = [
        cx.tenant.account.as_str(),
        cx.tenant.region.as_str(),
        "ListBackendEnvironments",
        app_id,
        filter,
    ];
    let after = cursor(&cx, input.next_token.as_deref(), &scope)?;
    let size = page_size(input.max_results);
    let mut envs: Vec<Environment> = cx
        .store()
        .list_environments(&cx.tenant, app_id)
        .await?
        .into_iter()
        .filter(|e| filter.is_empty() || e.name == filter)
        .filter(|e| after.as_deref().is_none_or(|a| e.name.as_str() > a))
        .collect();
    let more = envs.len() > size;
    envs.truncate(size);
    let next = match (more, envs.last()) {
        (true, Some(last)) => Some(next_token(&cx, &last.name, &scope)),
        _ => None,
    };
    Ok(ListBackendEnvironmentsResult {
        backend_environments: envs
            .iter()
            .map(|e| environment_output(&cx.tenant, e))
            .collect::<Result<_, _>>()?,
        next_token: next,
    })
}

/// DeleteBackendEnvironment: what DeleteBackend deletes (the environment, its resources
/// and API models; its jobs stay readable); refused while a job of it is pending.
pub async fn delete_backend_environment(
    cx: Ctx,
    input: DeleteBackendEnvironmentRequest,
) -> Result<DeleteBackendEnvironmentResult, ApiError> {
    let (app_id, env) = (input.app_id.as_str(), input.environment_name.as_str());
    require_app(&cx, app_id).await?;
    let deleted = cx
        .store()
        .delete_environment(&cx.tenant, app_id, env)
        .await?
        .ok_or_else(|| env_not_found(app_id, env))?;
    Ok(DeleteBackendEnvironmentResult {
        backend_environment: environment_output(&cx.tenant, &deleted)?,
    })
}
