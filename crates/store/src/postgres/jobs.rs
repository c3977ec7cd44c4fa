//! Job writes: start, complete when due (claimed under a lease, so that any number of
//! processes can run workers), update. Each runs in its own transaction.

use super::changes::{self, Judge, Step, job_id_taken, pending_job};
use super::one_statement;
use super::reads::{JOB_COLUMNS, exec, job_row, one};
use super::{PgStore, Tx, db_err};
use crate::{
    Change, Job, JobAdvance, JobFailure, JobStatus, JobUpdate, NewJob, RuleBroken, Scope,
    StoreError, StoreResult, Tenant, WhenBroken,
};
use deadpool_postgres::Client;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;

/// Records the job RUNNING, to be completed when due (`due_at_ms`); a job without a due
/// time goes to [`start_inline`].
pub(super) async fn start_deferred(
    tx: &mut Tx<'_>,
    t: &Tenant,
    job: NewJob,
    due_at_ms: i64,
) -> StoreResult<Job> {
    let stored_changes = serde_json::to_value(&job.changes)
        .map_err(|e| StoreError::Database(format!("cannot encode the job's changes: {e}")))?;
    exec(
        &*tx,
        "INSERT INTO jobs (job_id, account, region, app_id, env_name, operation, status,
                           create_time_ms, update_time_ms, due_at_ms, changes)
         VALUES ($1, $2, $3, $4, $5, $6, 'RUNNING', $7, $7, $8, $9)",
        &[
            &job.job_id,
            &t.account,
            &t.region,
            &job.app_id,
            &job.env,
            &job.operation,
            &job.now_ms,
            &due_at_ms,
            &stored_changes,
        ],
    )
    .await
    .map_err(|e| insert_error(e, &job))?;
    Ok(job.recorded(JobStatus::Running, None))
}

/// A job that completes within the request. Its row, recorded COMPLETED (if no job of the
/// environment is RUNNING), and its changes go as one statement when they can
/// ([`one_statement`], combined with other requests' jobs by [`super::group_commit`]),
/// else in two round trips: BEGIN, the row and the changes, all sent together; then
/// COMMIT. If a change broke a rule, nothing of it is kept and the job is recorded FAILED
/// by a statement of its own. It never passes through RUNNING, so it leaves the pending-job
/// slot alone; a RUNNING job (deferred by any process) refuses it, as the unique index
/// refuses a second RUNNING row.
pub(super) async fn start_inline(store: &PgStore, t: &Tenant, job: NewJob) -> StoreResult<Job> {
    let (job, verdict, client) = if one_statement::composable(&job.changes) {
        let (job, verdict) = store.group_commit.apply(t, job).await?;
        (job, verdict, None)
    } else {
        let row = finished_row(t, &job, &COMPLETED, &NO_ERROR);
        let (client, verdict) = in_transaction(store.client().await?, t, &job, row).await?;
        (job, verdict, Some(client))
    };
    match verdict {
        Ok(()) => Ok(job.recorded(JobStatus::Completed, None)),
        Err(JobFailure::Rule(rule)) if job.when_broken == WhenBroken::Refuse => {
            Err(StoreError::Rule(rule))
        }
        Err(failure) => {
            let client = match client {
                Some(client) => client,
                None => store.client().await?,
            };
            record_failed(&client, t, job, failure).await
        }
    }
}

/// The status and error of an inline job's row when its changes hold.
pub(super) const COMPLETED: &str = JobStatus::Completed.as_str();
pub(super) const NO_ERROR: Option<&str> = None;

/// The statement recording an inline job finished with `status` and `error`, unless a job
/// of its environment is RUNNING.
pub(super) fn finished_row<'a>(
    t: &'a Tenant,
    job: &'a NewJob,
    status: &'a (dyn ToSql + Sync),
    error: &'a (dyn ToSql + Sync),
) -> Step<'a> {
    Step::new(
        RECORD_FINISHED,
        vec![
            &job.job_id,
            &t.account,
            &t.region,
            &job.app_id,
            &job.env,
            &job.operation,
            status,
            error,
            &job.now_ms,
        ],
        Judge::NotPending {
            app_id: &job.app_id,
            env: &job.env,
            job_id: &job.job_id,
        },
    )
}

/// The job's row and changes in a transaction of two round trips; the connection back once
/// it is out of the transaction, and the verdict.
async fn in_transaction<'a>(
    client: Client,
    t: &'a Tenant,
    job: &'a NewJob,
    row: Step<'a>,
) -> StoreResult<(Client, Result<(), JobFailure>)> {
    let open = Open(Some(client));
    let verdict = match open.client() {
        Some(client) => {
            changes::begin_and_apply(client, t, &job.app_id, &job.changes, &job.now_ms, vec![row])
                .await
        }
        None => Err(StoreError::Database("no connection".to_owned())),
    };
    match verdict {
        Ok(Ok(())) => Ok((open.end("COMMIT").await?, Ok(()))),
        Ok(Err(why)) => Ok((open.end("ROLLBACK").await?, Err(why))),
        Err(e) => {
            // The error is the answer; a connection that cannot roll back is discarded.
            let _ = open.end("ROLLBACK").await;
            Err(e)
        }
    }
}

/// Records the inline job FAILED with `failure`, unless a job of the environment is
/// RUNNING.
async fn record_failed(
    client: &Client,
    t: &Tenant,
    job: NewJob,
    failure: JobFailure,
) -> StoreResult<Job> {
    let failed = JobStatus::Failed.as_str();
    let error = failure.to_stored();
    let row = finished_row(t, &job, &failed, &error);
    let recorded = exec(client, row.sql, &row.params)
        .await
        .map_err(|e| insert_error(e, &job))?;
    if recorded == 0 {
        return Err(pending_job(&job.app_id, &job.env));
    }
    Ok(job.recorded(JobStatus::Failed, Some(failure)))
}

/// An inline job's row, already COMPLETED or FAILED; no row if a job of the environment
/// is RUNNING.
const RECORD_FINISHED: &str =
    "INSERT INTO jobs (job_id, account, region, app_id, env_name, operation, status, error,
                   create_time_ms, update_time_ms)
 SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $9
  WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE account = $2 AND region = $3
                        AND app_id = $4 AND env_name = $5 AND status = 'RUNNING')";

/// A pooled connection inside a transaction begun in a pipeline rather than through
/// `Client::transaction` (which waits for BEGIN alone). Dropped before [`Open::end`]
/// finished (the request was cancelled, or the end failed), it takes the connection out
/// of the pool and closes it, and PostgreSQL rolls the transaction back: no other request
/// is ever handed a connection in the middle of this one's transaction.
struct Open(Option<Client>);

impl Open {
    fn client(&self) -> Option<&Client> {
        self.0.as_ref()
    }

    /// Sends `COMMIT` or `ROLLBACK`; the connection, once it is out of the transaction.
    async fn end(mut self, sql: &str) -> StoreResult<Client> {
        let Some(client) = &self.0 else {
            return Err(StoreError::Database("no connection".to_owned()));
        };
        client.batch_execute(sql).await.map_err(db_err)?;
        self.0
            .take()
            .ok_or_else(|| StoreError::Database("no connection".to_owned()))
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        if let Some(client) = self.0.take() {
            drop(deadpool_postgres::Object::take(client));
        }
    }
}

/// The partial unique index on RUNNING jobs is what refuses a second pending job.
fn insert_error(e: tokio_postgres::Error, job: &NewJob) -> StoreError {
    if e.code() != Some(&SqlState::UNIQUE_VIOLATION) {
        return db_err(e);
    }
    match e.as_db_error().and_then(|d| d.constraint()) {
        Some("jobs_one_running") => pending_job(&job.app_id, &job.env),
        _ => job_id_taken(&job.job_id),
    }
}

/// Applies the job's changes and marks it COMPLETED, or FAILED with the reason if a change
/// broke a rule (`Err` changes: the reason they cannot be applied). The caller holds the
/// job's row (it inserted or locked it), so the status guard cannot miss.
async fn finish(
    tx: &mut Tx<'_>,
    t: &Tenant,
    app_id: &str,
    job_id: &str,
    changes: Result<&[Change], JobFailure>,
    now_ms: i64,
) -> StoreResult<()> {
    let outcome = match changes {
        Ok(changes) => changes::apply(tx, t, app_id, changes, &now_ms, Vec::new()).await?,
        Err(failure) => Err(failure),
    };
    let (status, error) = match &outcome {
        Ok(()) => (JobStatus::Completed, None),
        Err(failure) => (JobStatus::Failed, Some(failure.to_stored())),
    };
    let updated = exec(
        &*tx,
        "UPDATE jobs SET status = $2, error = $3, update_time_ms = $4, changes = NULL,
                         claimed_until_ms = NULL, claimed_by = NULL
         WHERE job_id = $1 AND status = 'RUNNING'",
        &[&job_id, &status.as_str(), &error, &now_ms],
    )
    .await
    .map_err(db_err)?;
    if updated == 0 {
        // Nothing may be kept: the caller's transaction rolls back.
        return Err(StoreError::Database(format!(
            "job {job_id} was no longer RUNNING when it was finished"
        )));
    }
    Ok(())
}

async fn load(tx: &Tx<'_>, job_id: &str) -> StoreResult<Job> {
    one(
        tx,
        &format!("SELECT {JOB_COLUMNS} FROM jobs WHERE job_id = $1"),
        &[&job_id],
        job_row,
    )
    .await?
    .ok_or(StoreError::NotFound("job"))
}

/// The stored changes of a deferred job, or why they cannot be used.
fn decode(changes: Option<serde_json::Value>) -> Result<Vec<Change>, JobFailure> {
    match changes {
        None => Ok(Vec::new()),
        Some(value) => serde_json::from_value(value).map_err(|e| {
            tracing::error!("a job's stored changes do not decode: {e}");
            JobFailure::Unreadable
        }),
    }
}

/// A due job this worker has claimed.
struct Claimed {
    seq: i64,
    tenant: Tenant,
    app_id: String,
}

/// Completes up to `limit` due jobs: claims them in one statement (`FOR UPDATE SKIP
/// LOCKED`, so concurrent workers of any process take different jobs, and a lease, so a
/// job whose worker died is claimed again when the lease has run out), then completes
/// each in its own transaction, guarded by its status so it completes exactly once.
pub(super) async fn complete_due(
    store: &PgStore,
    now_ms: i64,
    limit: usize,
) -> StoreResult<Vec<Job>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let lease_ms = i64::try_from(store.job_lease.as_millis()).unwrap_or(i64::MAX);
    let until = now_ms.saturating_add(lease_ms.max(1));
    let client = store.client().await?;
    let stmt = client
        .prepare_cached(
            "WITH due AS (
                 SELECT seq FROM jobs
                 WHERE status = 'RUNNING' AND due_at_ms <= $1
                   AND (claimed_until_ms IS NULL OR claimed_until_ms <= $1)
                 ORDER BY due_at_ms, seq
                 LIMIT $2
                 FOR UPDATE SKIP LOCKED
             )
             UPDATE jobs SET claimed_until_ms = $3, claimed_by = $4
             FROM due WHERE jobs.seq = due.seq
             RETURNING jobs.seq, jobs.account, jobs.region, jobs.app_id, jobs.due_at_ms",
        )
        .await
        .map_err(db_err)?;
    let rows = client
        .query(&stmt, &[&now_ms, &limit, &until, &store.instance])
        .await
        .map_err(db_err)?;
    let mut claimed = rows
        .iter()
        .map(|row| {
            Ok((
                row.try_get::<_, i64>(4)?,
                Claimed {
                    seq: row.try_get(0)?,
                    tenant: Tenant {
                        account: row.try_get(1)?,
                        region: row.try_get(2)?,
                    },
                    app_id: row.try_get(3)?,
                },
            ))
        })
        .collect::<Result<Vec<_>, tokio_postgres::Error>>()
        .map_err(db_err)?;
    claimed.sort_by_key(|(due, c)| (*due, c.seq));
    drop(client);

    let mut done = Vec::with_capacity(claimed.len());
    for (_, job) in claimed {
        if let Some(job) = complete_claimed(store, &job, now_ms).await? {
            done.push(job);
        }
    }
    Ok(done)
}

/// Completes one claimed job unless it is no longer RUNNING (cancelled, completed by
/// UpdateBackendJob, or by another worker after our lease ran out).
async fn complete_claimed(store: &PgStore, job: &Claimed, now_ms: i64) -> StoreResult<Option<Job>> {
    let mut client = store.client().await?;
    let mut tx = client.transaction().await.map_err(db_err)?;
    let found = one(
        &tx,
        "SELECT job_id, status, changes FROM jobs WHERE seq = $1 FOR UPDATE",
        &[&job.seq],
        |row| {
            Ok((
                row.try_get::<_, String>(0).map_err(db_err)?,
                row.try_get::<_, String>(1).map_err(db_err)?,
                row.try_get::<_, Option<serde_json::Value>>(2)
                    .map_err(db_err)?,
            ))
        },
    )
    .await?;
    let Some((job_id, status, stored)) = found else {
        return Ok(None);
    };
    if status != JobStatus::Running.as_str() {
        return Ok(None);
    }
    let changes = decode(stored);
    finish(
        &mut tx,
        &job.tenant,
        &job.app_id,
        &job_id,
        changes.as_deref().map_err(JobFailure::clone),
        now_ms,
    )
    .await?;
    let finished = load(&tx, &job_id).await?;
    tx.commit().await.map_err(db_err)?;
    Ok(Some(finished))
}

/// UpdateBackendJob: relabel, cancel (RUNNING → FAILED) or complete now (RUNNING → COMPLETED).
pub(super) async fn update(tx: &mut Tx<'_>, t: &Tenant, u: JobUpdate) -> StoreResult<Job> {
    // The row lock orders this against a worker completing the same job.
    let found = one(
        &*tx,
        "SELECT status, changes FROM jobs
         WHERE job_id = $1 AND account = $2 AND region = $3 AND app_id = $4 AND env_name = $5
         FOR UPDATE",
        &[&u.job_id, &t.account, &t.region, &u.app_id, &u.env],
        |row| {
            Ok((
                row.try_get::<_, String>(0).map_err(db_err)?,
                row.try_get::<_, Option<serde_json::Value>>(1)
                    .map_err(db_err)?,
            ))
        },
    )
    .await?;
    let Some((status_text, stored)) = found else {
        return Err(StoreError::NotFound("job"));
    };
    let current = JobStatus::parse(&status_text).ok_or_else(|| {
        StoreError::Database(format!(
            "job {} has an unknown status {status_text:?}",
            u.job_id
        ))
    })?;
    match (current, u.status) {
        (_, None) => {}
        (from, Some(to)) if from == to => {}
        (JobStatus::Running, Some(JobStatus::Failed)) => {
            exec(
                &*tx,
                "UPDATE jobs SET status = 'FAILED', error = $2, changes = NULL,
                                 claimed_until_ms = NULL, claimed_by = NULL
                 WHERE job_id = $1 AND status = 'RUNNING'",
                &[&u.job_id, &JobFailure::Cancelled.to_stored()],
            )
            .await
            .map_err(db_err)?;
        }
        (JobStatus::Running, Some(JobStatus::Completed)) => {
            let changes = decode(stored);
            finish(
                tx,
                t,
                &u.app_id,
                &u.job_id,
                changes.as_deref().map_err(JobFailure::clone),
                u.now_ms,
            )
            .await?;
        }
        (from, Some(to)) => {
            return Err(StoreError::Rule(RuleBroken::InvalidJobTransition {
                job_id: u.job_id,
                from,
                to,
            }));
        }
    }
    exec(
        &*tx,
        "UPDATE jobs SET operation = COALESCE($2, operation), update_time_ms = $3 WHERE job_id = $1",
        &[&u.job_id, &u.operation, &u.now_ms],
    )
    .await
    .map_err(db_err)?;
    load(tx, &u.job_id).await
}

/// Completes or fails a RUNNING job of the scope by hand ([`crate::Store::advance_job`]).
pub(super) async fn advance(
    tx: &mut Tx<'_>,
    scope: &Scope,
    a: JobAdvance,
) -> StoreResult<(Tenant, Job)> {
    // The row lock orders this against a worker or UpdateBackendJob finishing the job.
    let found = one(
        &*tx,
        "SELECT account, region, status, changes FROM jobs
         WHERE job_id = $1 AND app_id = $2 AND env_name = $3
           AND ($4::text IS NULL OR account = $4) AND ($5::text IS NULL OR region = $5)
         FOR UPDATE",
        &[&a.job_id, &a.app_id, &a.env, &scope.account, &scope.region],
        |row| {
            Ok((
                Tenant {
                    account: row.try_get(0).map_err(db_err)?,
                    region: row.try_get(1).map_err(db_err)?,
                },
                row.try_get::<_, String>(2).map_err(db_err)?,
                row.try_get::<_, Option<serde_json::Value>>(3)
                    .map_err(db_err)?,
            ))
        },
    )
    .await?;
    let Some((tenant, status_text, stored)) = found else {
        return Err(StoreError::NotFound("job"));
    };
    crate::rules::check_advance(&a.job_id, &status_text, a.outcome.is_ok())
        .map_err(StoreError::Rule)?;
    match a.outcome {
        Ok(()) => {
            let changes = decode(stored);
            finish(
                tx,
                &tenant,
                &a.app_id,
                &a.job_id,
                changes.as_deref().map_err(JobFailure::clone),
                a.now_ms,
            )
            .await?;
        }
        Err(text) => {
            exec(
                &*tx,
                "UPDATE jobs SET status = 'FAILED', error = $2, update_time_ms = $3, changes = NULL,
                                 claimed_until_ms = NULL, claimed_by = NULL
                 WHERE job_id = $1 AND status = 'RUNNING'",
                &[&a.job_id, &JobFailure::Message { text }.to_stored(), &a.now_ms],
            )
            .await
            .map_err(db_err)?;
        }
    }
    Ok((tenant, load(tx, &a.job_id).await?))
}
