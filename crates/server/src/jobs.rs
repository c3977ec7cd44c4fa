//! Starting jobs and completing them: inline when the job duration is zero, else by the
//! worker when they fall due.

use crate::error::ApiError;
use crate::progression::Progression;
use crate::state::{AppState, Ctx};
use amplifybackend_model::Operation;
use amplifybackend_store::{Change, Job, NewJob, WhenBroken};
use std::time::Duration;

/// Records a job for `env` of `app_id` that applies `changes` when it completes; a change
/// that breaks a rule makes it FAILED.
pub async fn start_job(
    cx: &Ctx,
    app_id: &str,
    env: &str,
    operation: Operation,
    changes: Vec<Change>,
) -> Result<Job, ApiError> {
    start(cx, app_id, env, operation, changes, WhenBroken::Fail).await
}

/// As [`start_job`], but a job that completes at once is refused (400, nothing recorded)
/// when a change breaks a rule: the operation's own checks, made by the job's transaction.
pub async fn start_job_or_refuse(
    cx: &Ctx,
    app_id: &str,
    env: &str,
    operation: Operation,
    changes: Vec<Change>,
) -> Result<Job, ApiError> {
    start(cx, app_id, env, operation, changes, WhenBroken::Refuse).await
}

/// Whether the jobs of `operation` complete within the request that starts them.
pub fn jobs_complete_at_once(cx: &Ctx, operation: Operation) -> bool {
    cx.state.job_progression.of(operation) == Progression::Immediate
}

async fn start(
    cx: &Ctx,
    app_id: &str,
    env: &str,
    operation: Operation,
    changes: Vec<Change>,
    when_broken: WhenBroken,
) -> Result<Job, ApiError> {
    debug_assert!(
        operation.creates_job(),
        "{} does not create jobs",
        operation.name()
    );
    // A fault rule may have the job fail: it then changes nothing.
    let changes = match &cx.failing_jobs {
        Some(error) => vec![Change::Fail {
            error: error.clone(),
        }],
        None => changes,
    };
    let now_ms = cx.now_ms();
    let due_at_ms = cx.state.job_progression.of(operation).due_at_ms(now_ms);
    let job = NewJob {
        job_id: cx.state.ids.uuid(),
        app_id: app_id.to_owned(),
        env: env.to_owned(),
        operation: operation.name().to_owned(),
        now_ms,
        due_at_ms,
        changes,
        when_broken,
    };
    let job = cx.store().start_job(&cx.tenant, job).await?;
    cx.state.metrics.job_started(&job, due_at_ms.is_some());
    if due_at_ms.is_some() {
        cx.state.job_added.notify_one();
    }
    Ok(job)
}

/// Longest the worker sleeps while jobs are deferred, so that it sees jobs that other
/// server processes on the same database recorded.
const POLL: Duration = Duration::from_millis(250);

/// Completes due jobs until `shutdown` resolves.
pub async fn run_worker(state: AppState, shutdown: tokio::sync::watch::Receiver<bool>) {
    let mut shutdown = shutdown;
    loop {
        // Complete whatever is due now, oldest due first. The store completes each job
        // exactly once however many workers (of this process or others sharing the
        // database) ask at the same time.
        let now = state.clock.now_ms();
        match state.store.complete_due_jobs(now, 256).await {
            Ok(done) => {
                for job in &done {
                    state.metrics.job_finished(job.status);
                    tracing::info!(job_id = %job.job_id, operation = %job.operation, status = job.status.as_str(), "job finished");
                }
                // A full batch: more may be due already; go again without sleeping.
                if done.len() == 256 {
                    continue;
                }
            }
            Err(e) => tracing::error!(error = %e, "completing due jobs failed"),
        }
        // Other processes sharing the database record jobs without waking this one: while
        // jobs are deferred, look again at least every POLL.
        let idle = if state.job_progression.defers_any() {
            POLL
        } else {
            Duration::from_secs(60)
        };
        // Sleep until the next job falls due (never longer than `idle`), or a database
        // error has had a second to clear.
        let wait = match state.store.next_due_at().await {
            Ok(Some(due)) => Duration::from_millis(
                u64::try_from(due.saturating_sub(state.clock.now_ms())).unwrap_or(0),
            )
            .min(idle),
            Ok(None) => idle,
            Err(_) => Duration::from_secs(1),
        };
        // Whichever comes first: the due time; a job this process just deferred (it may
        // fall due before the one we would sleep for); or shutdown, which stops the worker
        // between two rounds, never inside one, so no completion is cut short.
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = state.job_added.notified() => {}
            _ = shutdown.changed() => return,
        }
        if *shutdown.borrow() {
            return;
        }
    }
}
