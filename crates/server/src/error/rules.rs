//! The words of the rules of the data: what a client reads when a request or a job breaks
//! one. The store names the rule ([`RuleBroken`]) and keeps why a job failed as a value
//! ([`JobFailure`]); each sentence is written here once, so a rule reads the same whether
//! a handler's read found it, the job's own transaction within the request did (jobs
//! that complete at once), or the worker completing a deferred job did.

use super::{ApiError, ErrorKind};
use amplifybackend_store::{JobFailure, RuleBroken};

impl From<RuleBroken> for ApiError {
    /// The refusal of a request that would break `rule`: 400, `BadRequestException`,
    /// except the pending job, which the service refuses with a `ValidationException`
    /// (not a shape of the model: SDKs raise their generic service error for it).
    fn from(rule: RuleBroken) -> ApiError {
        let kind = match rule {
            RuleBroken::PendingJob { .. } => ErrorKind::Validation,
            _ => ErrorKind::BadRequest,
        };
        ApiError::new(kind, sentence(&rule))
    }
}

/// A failed job's `error`, as GetBackendJob, ListBackendJobs and the job-starting
/// operations answer it.
pub fn job_error(failure: &JobFailure) -> String {
    match failure {
        JobFailure::Rule(rule) => sentence(rule),
        JobFailure::Cancelled => "The job was cancelled by UpdateBackendJob.".to_owned(),
        JobFailure::Unreadable => "The job's recorded changes could not be read.".to_owned(),
        JobFailure::Message { text } => text.clone(),
    }
}

/// The one sentence of each rule.
fn sentence(rule: &RuleBroken) -> String {
    match rule {
        RuleBroken::AppNameMismatch {
            app_id,
            name,
            expected,
        } => format!("The app {app_id} already exists with the name {name}, not {expected}."),
        RuleBroken::AppMissing { app_id } => format!("The app {app_id} does not exist."),
        RuleBroken::EnvironmentExists { app_id, env } => {
            format!("The backend environment {env} already exists for app {app_id}.")
        }
        RuleBroken::EnvironmentMissing { app_id, env } => {
            format!("The backend environment {env} does not exist for app {app_id}.")
        }
        // The real service's words, to the letter.
        RuleBroken::PendingJob { app_id, env } => format!(
            "An error occurred while processing your request: There is already a pending job \
             for the requested appId: {app_id} and backendEnvironmentName: {env}, wait for it \
             to complete before creating a new job."
        ),
        RuleBroken::AppExists { app_id } => format!("An app with id {app_id} already exists."),
        RuleBroken::JobIdTaken { .. } => "a job with this id already exists".to_owned(),
        RuleBroken::TokenSessionTaken { .. } => {
            "a token with this session id already exists".to_owned()
        }
        RuleBroken::InvalidJobTransition { job_id, from, to } => format!(
            "The job {job_id} is {} and its status cannot change to {}.",
            from.as_str(),
            to.as_str()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use amplifybackend_store::{JobStatus, StoreError};

    #[test]
    fn a_pending_job_is_a_validation_exception_in_the_service_s_words() {
        let e = ApiError::from(StoreError::Rule(RuleBroken::PendingJob {
            app_id: "d1abc".into(),
            env: "dev".into(),
        }));
        assert_eq!(e.kind, ErrorKind::Validation);
        assert_eq!(e.kind.code(), "ValidationException");
        assert_eq!(e.kind.status(), http::StatusCode::BAD_REQUEST);
        assert_eq!(
            e.message,
            "An error occurred while processing your request: There is already a pending job \
             for the requested appId: d1abc and backendEnvironmentName: dev, wait for it to \
             complete before creating a new job."
        );
    }

    #[test]
    fn a_rule_reads_the_same_as_a_refusal_and_as_a_job_s_error() {
        let rules = [
            RuleBroken::AppNameMismatch {
                app_id: "a1".into(),
                name: "todo".into(),
                expected: "other".into(),
            },
            RuleBroken::AppMissing {
                app_id: "a1".into(),
            },
            RuleBroken::EnvironmentExists {
                app_id: "a1".into(),
                env: "dev".into(),
            },
            RuleBroken::EnvironmentMissing {
                app_id: "a1".into(),
                env: "dev".into(),
            },
            RuleBroken::InvalidJobTransition {
                job_id: "j1".into(),
                from: JobStatus::Completed,
                to: JobStatus::Running,
            },
        ];
        let expected = [
            "The app a1 already exists with the name todo, not other.",
            "The app a1 does not exist.",
            "The backend environment dev already exists for app a1.",
            "The backend environment dev does not exist for app a1.",
            "The job j1 is COMPLETED and its status cannot change to RUNNING.",
        ];
        for (rule, expected) in rules.into_iter().zip(expected) {
            let refusal = ApiError::from(rule.clone());
            assert_eq!(refusal.kind, ErrorKind::BadRequest);
            assert_eq!(refusal.message, expected);
            assert_eq!(job_error(&JobFailure::Rule(rule)), expected);
        }
    }

    #[test]
    fn other_failures_have_their_own_words() {
        assert_eq!(
            job_error(&JobFailure::Cancelled),
            "The job was cancelled by UpdateBackendJob."
        );
        assert_eq!(
            job_error(&JobFailure::Message {
                text: "The schema is wrong.".into()
            }),
            "The schema is wrong."
        );
    }
}
