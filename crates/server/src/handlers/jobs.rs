//! GetBackendJob, ListBackendJobs, UpdateBackendJob.

use crate::error::ApiError;
use crate::pagination::{self, TokenScope};
use crate::state::Ctx;
use amplifybackend_model::*;
use amplifybackend_store::{Job, JobQuery, JobStatus, JobUpdate};

/// The default and largest page of ListBackendJobs.
const MAX_PAGE: usize = 25;

/// Fills one of the shapes that describe a whole job (the list item, GetBackendJob's and
/// UpdateBackendJob's outputs: the same members under three names). The list item requires
/// members the others leave optional, so it is filled in its wire form and moved.
macro_rules! job_info {
    ($output:path, $job:expr) => {{
        let job: Job = $job;
        $output {
            app_id: Some(job.app_id),
            backend_environment_name: Some(job.env),
            create_time: Some(job.create_time_ms.to_string()),
            error: job.error.as_ref().map($crate::error::job_error),
            job_id: Some(job.job_id),
            operation: Some(job.operation),
            status: Some(job.status.as_str().to_owned()),
            update_time: Some(job.update_time_ms.to_string()),
        }
    }};
}

fn job_not_found(job_id: &str) -> ApiError {
    ApiError::not_found("job", format!("Job {job_id} was not found."))
}

/// GetBackendJob.
pub async fn get_backend_job(
    cx: Ctx,
    input: GetBackendJobRequest,
) -> Result<GetBackendJobResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let env = input.backend_environment_name.as_str();
    let job_id = input.job_id.as_str();
    let job = cx
        .store()
        .get_job(&cx.tenant, app_id, env, job_id)
        .await?
        .ok_or_else(|| job_not_found(job_id))?;
    Ok(job_info!(GetBackendJobResponse, job))
}

/// ListBackendJobs: newest first, exact filters, signed page tokens.
pub async fn list_backend_jobs(
    cx: Ctx,
    input: ListBackendJobsRequest,
) -> Result<ListBackendJobsResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let env = input.backend_environment_name.as_str();
    let limit = input
        .max_results
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(MAX_PAGE)
        .clamp(1, MAX_PAGE);
    let mut query = JobQuery {
        job_id: input.job_id,
        operation: input.operation,
        status: input.status,
        before: None,
        limit,
    };
    let key = cx.state.store.token_signing_key().to_vec();
    if let Some(token) = input.next_token.as_deref().filter(|t| !t.is_empty()) {
        let scope = TokenScope {
            tenant: &cx.tenant,
            app_id,
            env,
            query: &query,
        };
        let cursor = pagination::decode(&key, token, &scope)
            .ok_or_else(|| ApiError::bad_request("The nextToken is not valid for this request."))?;
        query.before = Some(cursor);
    }
    let page = cx
        .store()
        .list_jobs(&cx.tenant, app_id, env, &query)
        .await?;
    let next_token = page.next_cursor.map(|cursor| {
        let scope = TokenScope {
            tenant: &cx.tenant,
            app_id,
            env,
            query: &query,
        };
        pagination::encode(&key, cursor, &scope)
    });
    Ok(ListBackendJobsResponse {
        jobs: Some(
            page.jobs
                .into_iter()
                .map(|job| job_info!(wire::BackendJobRespObj, job).into())
                .collect(),
        ),
        next_token,
    })
}

/// UpdateBackendJob: relabels a job, or cancels it by setting `FAILED`.
pub async fn update_backend_job(
    cx: Ctx,
    input: UpdateBackendJobRequest,
) -> Result<UpdateBackendJobResponse, ApiError> {
    let app_id = input.app_id.as_str();
    let env = input.backend_environment_name.as_str();
    let job_id = input.job_id.as_str();
    let status = match input.status.as_deref() {
        None => None,
        Some(s) => Some(JobStatus::parse(s).ok_or_else(|| {
            ApiError::bad_request(format!(
                "Invalid value '{s}' for 'status': must be one of RUNNING, COMPLETED, FAILED"
            ))
        })?),
    };
    if let Some(op) = &input.operation
        && (op.is_empty() || op.len() > 128)
    {
        return Err(ApiError::bad_request(
            "Invalid value for 'operation': 1 to 128 characters.",
        ));
    }
    let update = JobUpdate {
        app_id: app_id.to_owned(),
        env: env.to_owned(),
        job_id: job_id.to_owned(),
        operation: input.operation,
        status,
        now_ms: cx.now_ms(),
    };
    let job = cx
        .store()
        .update_job(&cx.tenant, update)
        .await
        .map_err(|e| match e {
            amplifybackend_store::StoreError::NotFound(_) => job_not_found(job_id),
            other => other.into(),
        })?;
    Ok(job_info!(UpdateBackendJobResponse, job))
}
