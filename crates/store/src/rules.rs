//! The rules of the data a write can break, and why a job failed, as values.
//!
//! The store names a broken rule and what broke it ([`RuleBroken`]); it never words it.
//! The server writes the one sentence of each rule that clients read (docs/BEHAVIOUR.md),
//! so a rule reads the same whichever check found it: a read before the job, the job's
//! own transaction inside the request, or the worker completing a deferred job later.
//!
//! A job that failed keeps why in its `error` column as a [`JobFailure`] encoded as a
//! small tagged JSON object (`{"failure":"rule","rule":"environment_exists",...}`), not
//! as a sentence: the server renders it when a client reads the job, so the sentence of
//! a rule is written in one place even for jobs recorded long before, and a change of
//! wording needs no change of the stored rows. Text that is not such an object (written
//! by hand) reads as a [`JobFailure::Message`], shown as it is.

use crate::JobStatus;
use serde::{Deserialize, Serialize};

/// A rule of the data that a write would break; nothing of the write was kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum RuleBroken {
    /// The app exists under another name than the one a CreateBackend gave.
    AppNameMismatch {
        /// `appId`.
        app_id: String,
        /// The app's name.
        name: String,
        /// The name asked for.
        expected: String,
    },
    /// An app of this id exists already (CreateApp).
    AppExists {
        /// `appId`.
        app_id: String,
    },
    /// The app does not exist (Studio cannot be enabled for it).
    AppMissing {
        /// `appId`.
        app_id: String,
    },
    /// The app already has an environment of this name.
    EnvironmentExists {
        /// `appId`.
        app_id: String,
        /// `backendEnvironmentName`.
        env: String,
    },
    /// The app has no environment of this name (a resource or API models need one).
    EnvironmentMissing {
        /// `appId`.
        app_id: String,
        /// `backendEnvironmentName`.
        env: String,
    },
    /// Another job of the environment is RUNNING: one pending job per environment.
    PendingJob {
        /// `appId`.
        app_id: String,
        /// `backendEnvironmentName`: the environment the refused job belongs to.
        env: String,
    },
    /// A job of this id is already recorded.
    JobIdTaken {
        /// `jobId`.
        job_id: String,
    },
    /// A token of this session id is already recorded for the app.
    TokenSessionTaken {
        /// `appId`.
        app_id: String,
        /// `sessionId`.
        session_id: String,
    },
    /// A job's status cannot move from `from` to `to` (a finished job's never changes).
    InvalidJobTransition {
        /// `jobId`.
        job_id: String,
        /// Its status.
        from: JobStatus,
        /// The status asked for.
        to: JobStatus,
    },
}

/// Whether a job stored with `status` may be advanced (by the test control) to its end,
/// COMPLETED if it `succeeds`, else FAILED: only a RUNNING job may; one that has finished
/// breaks [`RuleBroken::InvalidJobTransition`]. Both engines ask this before they write.
pub(crate) fn check_advance(job_id: &str, status: &str, succeeds: bool) -> Result<(), RuleBroken> {
    if status == JobStatus::Running.as_str() {
        return Ok(());
    }
    Err(RuleBroken::InvalidJobTransition {
        job_id: job_id.to_owned(),
        from: JobStatus::parse(status).unwrap_or(JobStatus::Failed),
        to: if succeeds {
            JobStatus::Completed
        } else {
            JobStatus::Failed
        },
    })
}

/// Why a job ended FAILED: what its `error` says, once the server has worded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "failure", rename_all = "snake_case")]
pub enum JobFailure {
    /// One of its changes broke a rule; none of them was applied.
    Rule(RuleBroken),
    /// UpdateBackendJob set it FAILED before it completed.
    Cancelled,
    /// Its recorded changes could not be read back, so none was applied.
    Unreadable,
    /// Work that could not be done, in the words of whoever asked for the job
    /// ([`crate::Change::Fail`]).
    Message {
        /// The sentence, as given.
        text: String,
    },
}

impl JobFailure {
    /// The text the `error` column keeps.
    pub fn to_stored(&self) -> String {
        // Encoding a tree of strings cannot fail; should it, the failure is still kept.
        serde_json::to_string(self).unwrap_or_else(|_| r#"{"failure":"unreadable"}"#.to_owned())
    }

    /// The failure a stored `error` text holds.
    pub fn from_stored(text: &str) -> JobFailure {
        serde_json::from_str(text).unwrap_or_else(|_| JobFailure::Message {
            text: text.to_owned(),
        })
    }
}

impl From<RuleBroken> for JobFailure {
    fn from(rule: RuleBroken) -> JobFailure {
        JobFailure::Rule(rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_running_job_may_be_advanced() {
        assert_eq!(check_advance("j", "RUNNING", true), Ok(()));
        assert_eq!(
            check_advance("j", "COMPLETED", false),
            Err(RuleBroken::InvalidJobTransition {
                job_id: "j".into(),
                from: JobStatus::Completed,
                to: JobStatus::Failed,
            })
        );
        assert_eq!(
            check_advance("j", "FAILED", true),
            Err(RuleBroken::InvalidJobTransition {
                job_id: "j".into(),
                from: JobStatus::Failed,
                to: JobStatus::Completed,
            })
        );
    }

    #[test]
    fn failures_are_stored_as_tagged_objects_and_read_back() {
        let failures = [
            JobFailure::Rule(RuleBroken::EnvironmentExists {
                app_id: "a".into(),
                env: "dev".into(),
            }),
            JobFailure::Rule(RuleBroken::InvalidJobTransition {
                job_id: "j".into(),
                from: JobStatus::Completed,
                to: JobStatus::Running,
            }),
            JobFailure::Cancelled,
            JobFailure::Unreadable,
            JobFailure::Message {
                text: "The schema is wrong.".into(),
            },
        ];
        for failure in failures {
            assert_eq!(JobFailure::from_stored(&failure.to_stored()), failure);
        }
        assert_eq!(
            JobFailure::Rule(RuleBroken::EnvironmentExists {
                app_id: "a".into(),
                env: "dev".into(),
            })
            .to_stored(),
            r#"{"failure":"rule","rule":"environment_exists","app_id":"a","env":"dev"}"#
        );
        assert_eq!(
            JobFailure::Cancelled.to_stored(),
            r#"{"failure":"cancelled"}"#
        );
    }

    #[test]
    fn text_that_is_not_a_recorded_failure_reads_as_it_is() {
        for text in ["Something went wrong.", "{\"failure\":\"unknown\"}", ""] {
            assert_eq!(
                JobFailure::from_stored(text),
                JobFailure::Message { text: text.into() }
            );
        }
    }
}
