//! Studio enablement: CreateBackendConfig, UpdateBackendConfig, RemoveBackendConfig.

use super::backend::app_job_environment;
use super::{require_app, to_stored};
use crate::error::ApiError;
use crate::jobs::start_job;
use crate::state::Ctx;
use amplifybackend_model::*;
use amplifybackend_store::Change;

/// CreateBackendConfig: enables Studio (creating the app record if needed), as a job filed
/// under the app's first environment, or `staging`.
pub async fn create_backend_config(
    cx: Ctx,
    input: CreateBackendConfigRequest,
) -> Result<CreateBackendConfigResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let app = cx.store().get_app(&cx.tenant, app_id).await?;
    let app_name = app.map_or_else(|| app_id.to_owned(), |a| a.app_name);
    let manager = input
        .backend_manager_app_id
        .unwrap_or_else(|| app_id.to_owned());
    let env = app_job_environment(&cx, app_id).await?;
    let changes = vec![
        Change::EnsureApp { app_name },
        Change::EnableStudio {
            backend_manager_app_id: manager,
        },
    ];
    let job = start_job(&cx, app_id, &env, Operation::CreateBackendConfig, changes).await?;
    Ok(CreateBackendConfigResponse {
        app_id: Some(job.app_id),
        backend_environment_name: Some(job.env),
        job_id: Some(job.job_id),
        status: Some(job.status.as_str().to_owned()),
    })
}

/// UpdateBackendConfig: stores the Studio login configuration, at once.
pub async fn update_backend_config(
    cx: Ctx,
    input: UpdateBackendConfigRequest,
) -> Result<UpdateBackendConfigResponse, ApiError> {
    let app_id = input.app_id.as_str();
    require_app(&cx, app_id).await?;
    let login = input
        .login_auth_config
        .as_ref()
        .map(to_stored)
        .transpose()?;
    let app = cx
        .store()
        .set_login_auth_config(&cx.tenant, app_id, login)
        .await?;
    Ok(UpdateBackendConfigResponse {
        app_id: Some(app.app_id),
        backend_manager_app_id: app.backend_manager_app_id,
        error: None,
        login_auth_config: input.login_auth_config,
    })
}

/// RemoveBackendConfig: disables Studio for the app.
pub async fn remove_backend_config(
    cx: Ctx,
    input: RemoveBackendConfigRequest,
) -> Result<RemoveBackendConfigResponse, ApiError> {
    let app_id = input.app_id.as_str();
    require_app(&cx, app_id).await?;
    cx.store().remove_backend_config(&cx.tenant, app_id).await?;
    Ok(RemoveBackendConfigResponse { error: None })
}
