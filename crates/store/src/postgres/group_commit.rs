//! Group commit of inline jobs: the one-statement jobs ([`one_statement`]) that requests
//! start while earlier ones are still at the database go together, as one statement of
//! all their parts, so that they share one round trip, one executor start and one commit
//! (one WAL flush). Four CreateBackend jobs to a statement cost PostgreSQL about a third
//! less CPU each than four statements (BENCHMARKS.md, "PostgreSQL CreateBackend: group
//! commit").
//!
//! Jobs are combined only when that cannot change what any of them does: they are of
//! different apps, so their parts read and write different rows (apps, environments,
//! resources, API models and jobs are all keyed by app); none adds a bucket (buckets are
//! keyed by account and name); and they have the same parts, so that a kind of job has at
//! most [`MOST_JOBS`] statements prepared per connection. If a combined statement
//! fails for any reason (a rule of one of its jobs broken, the database), nothing of it
//! was kept and each of its jobs runs again on its own, so every job gets exactly the
//! answer it would have had alone.
//!
//! CreateBackend jobs that go together are one multi-row `INSERT` per table
//! ([`new_backends`]); other kinds, one `WITH` part per row of each job
//! ([`one_statement`]).
//!
//! With no statement of jobs at the database, a job goes at once, so an idle server adds
//! no wait; with some there, jobs queue until [`ENOUGH_JOBS`] have or one of those
//! statements has finished ([`drain`]).

use super::changes::Step;
use super::jobs::{COMPLETED, NO_ERROR, finished_row};
use super::{Pool, new_backends, one_statement, pool_err};
use crate::{Change, JobFailure, NewJob, StoreError, StoreResult, Tenant};
use deadpool_postgres::GenericClient;
use tokio::sync::mpsc::{self, error::TryRecvError};
use tokio::sync::oneshot;

/// Most jobs in one statement; each number of jobs of a kind is a statement of its own,
/// prepared once per connection.
const MOST_JOBS: usize = 8;

/// Jobs enough for a statement to go while others are at the database. Half of
/// [`MOST_JOBS`] measured best with 16 concurrent requests (fewer: more statements, more
/// CPU per job; more: cores idle while requests wait for a statement to fill); more than
/// that queue while the statements at the database run, and go together after.
const ENOUGH_JOBS: usize = MOST_JOBS / 2;

/// The verdict of [`one_statement::run`] for one job.
type Verdict = StoreResult<Result<(), JobFailure>>;

/// The answer to a queued job: the job back, and its verdict.
type Answer = StoreResult<(NewJob, Result<(), JobFailure>)>;

struct Queued {
    tenant: Tenant,
    job: NewJob,
    reply: oneshot::Sender<Answer>,
}

/// The queue of inline jobs, drained by a task that sends them to the database.
#[derive(Debug)]
pub(super) struct GroupCommit {
    queue: mpsc::UnboundedSender<Queued>,
}

impl GroupCommit {
    /// Starts the draining task on the current runtime, with at most `in_flight`
    /// statements (connections) at the database at once; the task ends when the store is
    /// dropped and every queued job has been answered.
    pub(super) fn start(pool: Pool, in_flight: usize) -> GroupCommit {
        let (queue, jobs) = mpsc::unbounded_channel();
        tokio::spawn(drain(pool, jobs, in_flight.max(1)));
        GroupCommit { queue }
    }

    /// Runs `job`, whose changes are [`one_statement::composable`], in the next statement
    /// that has room for it; the meanings of [`one_statement::run`], with the job back.
    pub(super) async fn apply(&self, tenant: &Tenant, job: NewJob) -> Answer {
        let (reply, answer) = oneshot::channel();
        let queued = Queued {
            tenant: tenant.clone(),
            job,
            reply,
        };
        self.queue.send(queued).map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

fn stopped() -> StoreError {
    StoreError::Database("the store's queue of jobs has stopped".to_owned())
}

/// Takes queued jobs and sends them to the database, up to [`MOST_JOBS`] to a statement.
/// With no statement at the database, whatever is queued goes at once; with some, jobs
/// wait until [`ENOUGH_JOBS`] have queued or one of those statements has finished, so
/// that under load statements fill up instead of going out with the first job to arrive.
async fn drain(pool: Pool, mut jobs: mpsc::UnboundedReceiver<Queued>, most_in_flight: usize) {
    // Each statement's task reports here when it ends, so that this loop knows how many
    // statements are at the database without sharing a counter with them.
    let (finished, mut finishes) = mpsc::unbounded_channel::<()>();
    let mut in_flight = 0usize;
    let mut waiting: Vec<Queued> = Vec::with_capacity(MOST_JOBS);
    // False once every sender is gone (the store was dropped): what is queued still goes.
    let mut open = true;
    loop {
        // Take whatever jobs have queued, without waiting, up to a statement's worth.
        while open && waiting.len() < MOST_JOBS {
            match jobs.try_recv() {
                Ok(queued) => waiting.push(queued),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => open = false,
            }
        }
        // Send the waiting jobs as one statement, on a task of its own, if a connection may
        // go (fewer than `most_in_flight` statements out) and either nothing is at the
        // database (an idle server adds no wait) or enough jobs have gathered. Otherwise
        // they wait: the statements out will finish and free their place.
        let full = waiting.len() >= ENOUGH_JOBS || !open;
        if !waiting.is_empty() && in_flight < most_in_flight && (in_flight == 0 || full) {
            in_flight += 1;
            let batch = std::mem::replace(&mut waiting, Vec::with_capacity(MOST_JOBS));
            tokio::spawn(run(pool.clone(), batch, Finished(finished.clone())));
            continue;
        }
        // Nothing queued, nothing out, no sender left: every job has been answered.
        if !open && waiting.is_empty() && in_flight == 0 {
            return;
        }
        // Sleep until something changes what the checks above decide: a job arrives (while
        // the next statement has room for it) or a statement finishes.
        tokio::select! {
            received = jobs.recv(), if open && waiting.len() < MOST_JOBS => match received {
                Some(queued) => waiting.push(queued),
                None => open = false,
            },
            Some(()) = finishes.recv(), if in_flight > 0 => in_flight -= 1,
        }
    }
}

/// Tells [`drain`] that a statement has finished, however its task ends.
struct Finished(mpsc::UnboundedSender<()>);

impl Drop for Finished {
    fn drop(&mut self) {
        let _ = self.0.send(());
    }
}

/// Runs `batch` on a pooled connection and answers each job.
async fn run(pool: Pool, batch: Vec<Queued>, finished: Finished) {
    let verdicts = match pool.get().await {
        Ok(client) => verdicts(&client, &batch).await,
        Err(e) => {
            let text = match pool_err(e) {
                StoreError::Database(text) => text,
                other => other.to_string(),
            };
            batch
                .iter()
                .map(|_| Err(StoreError::Database(text.clone())))
                .collect()
        }
    };
    drop(finished);
    for (queued, verdict) in batch.into_iter().zip(verdicts) {
        let job = queued.job;
        // A request that went away no longer waits for its answer.
        let _ = queued.reply.send(verdict.map(|verdict| (job, verdict)));
    }
}

/// Runs the jobs of `batch`, combined where they may be; a verdict for each, in order.
async fn verdicts<C: GenericClient>(client: &C, batch: &[Queued]) -> Vec<Verdict> {
    let mut verdicts: Vec<Option<Verdict>> = batch.iter().map(|_| None).collect();
    let mut planned: Vec<Planned<'_>> = Vec::with_capacity(batch.len());
    for (index, queued) in batch.iter().enumerate() {
        let (tenant, job) = (&queued.tenant, &queued.job);
        let first = vec![finished_row(tenant, job, &COMPLETED, &NO_ERROR)];
        match one_statement::job_steps(tenant, &job.app_id, &job.changes, &job.now_ms, first) {
            Ok(steps) => planned.push(Planned {
                index,
                tenant,
                job,
                steps,
            }),
            Err(failure) => verdicts[index] = Some(Ok(Err(failure))),
        }
    }
    for group in groups(&planned) {
        if let [alone] = group[..] {
            let job = &planned[alone];
            verdicts[job.index] = Some(one_statement::run(client, &job.steps).await);
            continue;
        }
        let together = if group
            .iter()
            .all(|&p| planned[p].job.new_backend().is_some())
        {
            let jobs: Vec<_> = group
                .iter()
                .map(|&p| (planned[p].tenant, planned[p].job))
                .collect();
            matches!(new_backends::run(client, &jobs).await, Ok(true))
        } else {
            let steps: Vec<Step<'_>> = group
                .iter()
                .flat_map(|&p| planned[p].steps.iter().cloned())
                .collect();
            matches!(one_statement::run(client, &steps).await, Ok(Ok(())))
        };
        for &p in &group {
            let job = &planned[p];
            verdicts[job.index] = Some(if together {
                Ok(Ok(()))
            } else {
                one_statement::run(client, &job.steps).await
            });
        }
    }
    verdicts
        .into_iter()
        .map(|v| v.unwrap_or_else(|| Err(StoreError::Database("a job was not run".to_owned()))))
        .collect()
}

/// A queued job with its parts.
struct Planned<'a> {
    /// Its place in the batch.
    index: usize,
    tenant: &'a Tenant,
    job: &'a NewJob,
    steps: Vec<Step<'a>>,
}

impl Planned<'_> {
    /// Whether this job may share a statement with `other`.
    fn combines_with(&self, other: &Planned<'_>) -> bool {
        let adds_bucket = |p: &Planned<'_>| {
            p.job
                .changes
                .iter()
                .any(|c| matches!(c, Change::AddBucket { .. }))
        };
        (self.tenant, &self.job.app_id) != (other.tenant, &other.job.app_id)
            && !adds_bucket(self)
            && !adds_bucket(other)
            && self.steps.len() == other.steps.len()
            && self
                .steps
                .iter()
                .zip(&other.steps)
                .all(|(a, b)| a.sql == b.sql)
    }
}

/// The jobs (indexes into `planned`) that may share statements, in groups, each in the
/// order the jobs came.
fn groups(planned: &[Planned<'_>]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (p, job) in planned.iter().enumerate() {
        let home = groups
            .iter_mut()
            .find(|group| group.iter().all(|&q| planned[q].combines_with(job)));
        match home {
            Some(group) => group.push(p),
            None => groups.push(vec![p]),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ResourceKind, WhenBroken};

    fn job(app_id: &str, changes: Vec<Change>) -> NewJob {
        NewJob {
            job_id: format!("job-{app_id}"),
            app_id: app_id.to_owned(),
            env: "dev".to_owned(),
            operation: "CreateBackend".to_owned(),
            now_ms: 1,
            due_at_ms: None,
            changes,
            when_broken: WhenBroken::Fail,
        }
    }

    fn create(app_name: &str) -> Vec<Change> {
        vec![Change::CreateBackend {
            app_name: app_name.to_owned(),
            env: "dev".to_owned(),
            meta: serde_json::json!({}),
        }]
    }

    fn grouped(jobs: &[(Tenant, NewJob)]) -> Vec<Vec<usize>> {
        let planned: Vec<Planned<'_>> = jobs
            .iter()
            .enumerate()
            .map(|(index, (tenant, job))| Planned {
                index,
                tenant,
                job,
                steps: one_statement::job_steps(
                    tenant,
                    &job.app_id,
                    &job.changes,
                    &job.now_ms,
                    vec![finished_row(tenant, job, &COMPLETED, &NO_ERROR)],
                )
                .unwrap_or_default(),
            })
            .collect();
        groups(&planned)
    }

    fn tenant(account: &str) -> Tenant {
        Tenant {
            account: account.to_owned(),
            region: "us-east-1".to_owned(),
        }
    }

    #[test]
    fn jobs_of_one_kind_on_different_apps_go_together() {
        let t = tenant("111111111111");
        let jobs = [
            (t.clone(), job("a", create("a"))),
            (t.clone(), job("b", create("b"))),
            (tenant("222222222222"), job("a", create("a"))),
        ];
        assert_eq!(grouped(&jobs), vec![vec![0, 1, 2]]);
    }

    #[test]
    fn jobs_of_one_app_another_kind_or_a_bucket_go_apart() {
        let t = tenant("111111111111");
        let delete_auth = vec![Change::DeleteResource {
            env: "dev".to_owned(),
            kind: ResourceKind::Auth,
        }];
        let bucket = |name: &str| {
            vec![Change::AddBucket {
                name: name.to_owned(),
            }]
        };
        let jobs = [
            (t.clone(), job("a", create("a"))),
            (t.clone(), job("a", create("a"))),
            (t.clone(), job("b", delete_auth)),
            (t.clone(), job("c", create("c"))),
            (t.clone(), job("d", bucket("x"))),
            (t.clone(), job("e", bucket("y"))),
        ];
        assert_eq!(
            grouped(&jobs),
            vec![vec![0, 3], vec![1], vec![2], vec![4], vec![5]]
        );
    }
}
