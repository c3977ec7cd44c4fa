//! `GET`/`PUT /_amplifybackend/jobs/progression` (how this instance's jobs progress) and
//! `POST /_amplifybackend/jobs/advance` (finish a RUNNING job by hand, through any
//! instance: what completing it does is in the database).

use super::input;
use crate::error::{ApiError, job_error};
use crate::progression::{Progression, Settings};
use crate::state::AppState;
use amplifybackend_model::Operation;
use amplifybackend_store::{JobAdvance, JobStatus, Scope, StoreError};
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use std::time::Duration;

/// The progression and advance routes, with their full paths.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/_amplifybackend/jobs/progression",
            get(show_progression).put(set_progression),
        )
        .route("/_amplifybackend/jobs/advance", post(advance))
}

/// The longest `durationMs` accepted: a day.
const MAX_DURATION_MS: u64 = 24 * 60 * 60 * 1000;

/// The error of a job failed by [`advance`] without one of its own.
const DEFAULT_FAILURE: &str = "The job was failed by the test control.";

fn progression_json(p: Progression) -> Value {
    match p {
        Progression::Immediate => json!({ "mode": "immediate" }),
        Progression::Time(d) => json!({
            "mode": "time",
            "durationMs": u64::try_from(d.as_millis()).unwrap_or(u64::MAX),
        }),
        Progression::Manual => json!({ "mode": "manual" }),
    }
}

fn settings_json(settings: Settings) -> Value {
    let mut out = progression_json(settings.default);
    let operations: serde_json::Map<String, Value> = settings
        .operations
        .into_iter()
        .map(|(name, p)| (name.to_owned(), progression_json(p)))
        .collect();
    if let Value::Object(map) = &mut out {
        map.insert("operations".to_owned(), Value::Object(operations));
    }
    out
}

async fn show_progression(State(state): State<AppState>) -> Response {
    input::ok(&settings_json(state.job_progression.settings()))
}

/// A PUT's body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SetProgression {
    mode: String,
    duration_ms: Option<u64>,
    operation: Option<String>,
}

async fn set_progression(State(state): State<AppState>, body: Body) -> Result<Response, ApiError> {
    let bytes = input::bytes(&state, body).await?;
    let asked: SetProgression = input::json(&bytes)?;
    let progression = match (asked.mode.as_str(), asked.duration_ms) {
        ("immediate", None) => Progression::Immediate,
        ("manual", None) => Progression::Manual,
        ("time", Some(ms)) if ms <= MAX_DURATION_MS => {
            Progression::from_duration(Duration::from_millis(ms))
        }
        ("time", Some(_)) => {
            return Err(ApiError::bad_request(format!(
                "durationMs must be at most {MAX_DURATION_MS}."
            )));
        }
        ("time", None) => {
            return Err(ApiError::bad_request("The mode 'time' needs durationMs."));
        }
        ("immediate" | "manual", Some(_)) => {
            return Err(ApiError::bad_request(
                "durationMs goes only with the mode 'time'.",
            ));
        }
        (other, _) => {
            return Err(ApiError::bad_request(format!(
                "Unknown mode '{other}': immediate, time or manual."
            )));
        }
    };
    let operation = match asked.operation.as_deref() {
        None => None,
        Some(name) => Some(
            Operation::ALL
                .into_iter()
                .find(|op| op.name() == name && op.creates_job())
                .ok_or_else(|| {
                    ApiError::bad_request(format!("'{name}' is no operation that starts jobs."))
                })?,
        ),
    };
    state.job_progression.set(operation, progression);
    // The worker looks for due jobs more often now if jobs may be deferred.
    state.job_added.notify_one();
    tracing::info!(?operation, ?progression, "job progression set");
    Ok(input::ok(&settings_json(state.job_progression.settings())))
}

/// An advance's body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Advance {
    app_id: String,
    backend_environment_name: String,
    job_id: String,
    status: String,
    error: Option<String>,
    account_id: Option<String>,
    region: Option<String>,
}

async fn advance(State(state): State<AppState>, body: Body) -> Result<Response, ApiError> {
    let bytes = input::bytes(&state, body).await?;
    let asked: Advance = input::json(&bytes)?;
    let outcome = match (JobStatus::parse(&asked.status), asked.error) {
        (Some(JobStatus::Completed), None) => Ok(()),
        (Some(JobStatus::Completed), Some(_)) => {
            return Err(ApiError::bad_request(
                "error goes only with the status FAILED.",
            ));
        }
        (Some(JobStatus::Failed), error) => {
            Err(error.unwrap_or_else(|| DEFAULT_FAILURE.to_owned()))
        }
        _ => {
            return Err(ApiError::bad_request(format!(
                "Invalid value '{}' for 'status': COMPLETED or FAILED.",
                asked.status
            )));
        }
    };
    let job_id = asked.job_id.clone();
    let scope = Scope {
        account: asked.account_id,
        region: asked.region,
    };
    let advance = JobAdvance {
        app_id: asked.app_id,
        env: asked.backend_environment_name,
        job_id: asked.job_id,
        outcome,
        now_ms: state.clock.now_ms(),
    };
    let (tenant, job) = state
        .store
        .advance_job(&scope, advance)
        .await
        .map_err(|e| match e {
            StoreError::NotFound(_) => {
                ApiError::not_found("job", format!("Job {job_id} was not found."))
            }
            other => other.into(),
        })?;
    state.metrics.job_finished(job.status);
    tracing::info!(job_id = %job.job_id, status = job.status.as_str(), "job advanced");
    let mut answer = json!({
        "accountId": tenant.account,
        "region": tenant.region,
        "appId": job.app_id,
        "backendEnvironmentName": job.env,
        "jobId": job.job_id,
        "operation": job.operation,
        "status": job.status.as_str(),
        "createTime": job.create_time_ms.to_string(),
        "updateTime": job.update_time_ms.to_string(),
    });
    if let (Some(failure), Value::Object(map)) = (&job.error, &mut answer) {
        map.insert("error".to_owned(), Value::String(job_error(failure)));
    }
    Ok(input::ok(&answer))
}
