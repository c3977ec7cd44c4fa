//! Waiting for a job to finish.

use crate::{Client, Error};
use amplifybackend_model::{GetBackendJobRequest, GetBackendJobResponse};
use std::time::Duration;

type PollCallback = Box<dyn FnMut(&GetBackendJobResponse) + Send>;

/// Polls GetBackendJob until the job is `COMPLETED` (the job is returned) or `FAILED`
/// ([`Error::JobFailed`] with the job's `error`), or the timeout passes
/// ([`Error::WaiterTimeout`]). Built by [`Client::wait_for_job`].
pub struct JobWaiter {
    client: Client,
    input: GetBackendJobRequest,
    interval: Duration,
    timeout: Duration,
    on_poll: Option<PollCallback>,
}

impl std::fmt::Debug for JobWaiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobWaiter")
            .field("input", &self.input)
            .field("interval", &self.interval)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl Client {
    /// Waits for job `job_id` of the environment (poll every 2 s, give up after 10 min).
    pub fn wait_for_job(
        &self,
        app_id: impl Into<String>,
        backend_environment_name: impl Into<String>,
        job_id: impl Into<String>,
    ) -> JobWaiter {
        JobWaiter {
            client: self.clone(),
            input: GetBackendJobRequest {
                app_id: app_id.into(),
                backend_environment_name: backend_environment_name.into(),
                job_id: job_id.into(),
            },
            interval: Duration::from_secs(2),
            timeout: Duration::from_secs(600),
            on_poll: None,
        }
    }
}

impl JobWaiter {
    /// Time between polls.
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }
    /// How long to wait in all.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
    /// Called with every job state seen (for progress display).
    pub fn on_poll(mut self, f: impl FnMut(&GetBackendJobResponse) + Send + 'static) -> Self {
        self.on_poll = Some(Box::new(f));
        self
    }

    /// Waits.
    pub async fn wait(mut self) -> Result<GetBackendJobResponse, Error> {
        let started = tokio::time::Instant::now();
        let job_id = self.input.job_id.clone();
        loop {
            let job = self.client.send(self.input.clone()).await?;
            if let Some(f) = self.on_poll.as_mut() {
                f(&job);
            }
            match job.status.as_deref() {
                Some("COMPLETED") => return Ok(job),
                Some("FAILED") => {
                    return Err(Error::JobFailed {
                        job_id,
                        error: job.error,
                    });
                }
                _ => {}
            }
            let waited = started.elapsed();
            if waited + self.interval > self.timeout {
                return Err(Error::WaiterTimeout {
                    job_id,
                    last_status: job.status,
                    waited,
                });
            }
            tokio::time::sleep(self.interval).await;
        }
    }
}
