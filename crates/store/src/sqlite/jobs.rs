//! Job writes: start, complete when due, update. Each runs on the writer thread, inside
//! the writer's per-request savepoint, but for an inline CreateBackend, which needs none
//! ([`start_new_backend`]).

use super::changes::{self, Encoded};
use super::reads::{JOB_COLUMNS, job_row};
use super::{
    db_err, is_constraint,
    writer::{Savepoint, savepoint},
};
use crate::{
    Change, Job, JobAdvance, JobFailure, JobStatus, JobUpdate, NewJob, RuleBroken, Scope,
    StoreError, StoreResult, Tenant, WhenBroken,
};
use rusqlite::{Connection, OptionalExtension, params};

/// How a started job was recorded: its status, and why it failed if it did. The caller
/// makes the [`Job`] of it, off the writer thread ([`super::SqliteStore`]'s `start_job`).
pub(super) type Recorded = (JobStatus, Option<JobFailure>);

/// Records the job RUNNING, to be completed when due; with no due time, applies its
/// changes at once and records it already COMPLETED (or FAILED).
/// `encoded`: the documents of the job's changes (used when it completes at once).
pub(super) fn start(
    conn: &Connection,
    t: &Tenant,
    job: &NewJob,
    encoded: &Encoded,
) -> StoreResult<Recorded> {
    let Some(due_at_ms) = job.due_at_ms else {
        return start_inline(conn, t, job, encoded);
    };
    let stored_changes = serde_json::to_string(&job.changes)
        .map_err(|e| StoreError::Database(format!("cannot encode the job's changes: {e}")))?;
    conn.prepare_cached(
        "INSERT INTO jobs (job_id, account, region, app_id, env_name, operation, status,
                           create_time_ms, update_time_ms, due_at_ms, changes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'RUNNING', ?7, ?7, ?8, ?9)",
    )
    .and_then(|mut s| {
        s.execute(params![
            job.job_id,
            t.account,
            t.region,
            job.app_id,
            job.env,
            job.operation,
            job.now_ms,
            due_at_ms,
            stored_changes
        ])
    })
    .map_err(|e| insert_error(e, job))?;
    Ok((JobStatus::Running, None))
}

/// A job that completes within the request. It never passes through RUNNING in the
/// table, so it costs one insert and no churn in the indexes of running jobs; another
/// job still RUNNING in the environment (deferred by another process) refuses it, as the
/// unique index would refuse a second RUNNING row.
fn start_inline(
    conn: &Connection,
    t: &Tenant,
    job: &NewJob,
    encoded: &Encoded,
) -> StoreResult<Recorded> {
    let running: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM jobs WHERE account = ?1 AND region = ?2
                 AND app_id = ?3 AND env_name = ?4 AND status = 'RUNNING')",
        )
        .and_then(|mut s| {
            s.query_row(params![t.account, t.region, job.app_id, job.env], |row| {
                row.get(0)
            })
        })
        .map_err(db_err)?;
    if running {
        return Err(pending(job));
    }
    let (status, error) = match changes::apply(
        conn,
        t,
        &job.app_id,
        &job.changes,
        encoded,
        job.now_ms,
        Savepoint::Request,
    )? {
        Ok(()) => (JobStatus::Completed, None),
        // The request's savepoint, rolled back, takes the changes with it.
        Err(JobFailure::Rule(rule)) if job.when_broken == WhenBroken::Refuse => {
            return Err(StoreError::Rule(rule));
        }
        Err(failure) => (JobStatus::Failed, Some(failure)),
    };
    insert_finished(conn, t, job, status, error.as_ref())?;
    Ok((status, error))
}

/// A CreateBackend job ([`NewJob::new_backend`]) that completes within the request, run
/// by [`super::writer::Writer::write_reads_first`]: one read finds whatever would refuse
/// or fail it (a pending job, the app under another name, the environment already there)
/// and the job's row goes in (refused if its id is taken) before anything else is
/// written, so it needs no savepoint; the app and its environment go in with one
/// statement.
pub(super) fn start_new_backend(
    conn: &Connection,
    t: &Tenant,
    job: &NewJob,
    encoded: &Encoded,
) -> StoreResult<Recorded> {
    let Some((app_name, env, _)) = job.new_backend() else {
        return Err(StoreError::Database("not a CreateBackend job".to_owned()));
    };
    let (running, existing_name, env_exists): (bool, Option<String>, bool) = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM jobs WHERE account = ?1 AND region = ?2
                        AND app_id = ?3 AND env_name = ?4 AND status = 'RUNNING'),
                    (SELECT app_name FROM backends WHERE account = ?1 AND region = ?2
                        AND app_id = ?3 AND env_name = ''),
                    EXISTS (SELECT 1 FROM backends WHERE account = ?1 AND region = ?2
                        AND app_id = ?3 AND env_name = ?5)",
        )
        .and_then(|mut s| {
            s.query_row(
                params![t.account, t.region, job.app_id, job.env, env],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
        })
        .map_err(db_err)?;
    if running {
        return Err(pending(job));
    }
    // The rules in the order the general path meets them: the app's, then the environment's.
    let broken = match existing_name.as_deref() {
        Some(name) if name != app_name => Some(RuleBroken::AppNameMismatch {
            app_id: job.app_id.clone(),
            name: name.to_owned(),
            expected: app_name.to_owned(),
        }),
        _ if env_exists => Some(RuleBroken::EnvironmentExists {
            app_id: job.app_id.clone(),
            env: env.to_owned(),
        }),
        _ => None,
    };
    if let Some(rule) = broken {
        if job.when_broken == WhenBroken::Refuse {
            return Err(StoreError::Rule(rule));
        }
        let failure = JobFailure::Rule(rule);
        insert_finished(conn, t, job, JobStatus::Failed, Some(&failure))?;
        return Ok((JobStatus::Failed, Some(failure)));
    }
    // The one change, CreateBackend: its document 0, the amplify-meta.
    let meta = encoded.text(0, 0)?;
    // The job first: a job id already taken is refused before anything else is written.
    insert_finished(conn, t, job, JobStatus::Completed, None)?;
    // `OR IGNORE`: the read above found nothing in the way, and a statement that cannot
    // abort needs no statement journal (a copy of each page it changes). Should a row be
    // ignored all the same, the write fails having written, and its batch rolls back.
    let (sql, rows) = if existing_name.is_some() {
        (
            "INSERT OR IGNORE INTO backends (account, region, app_id, env_name, created_at_ms, meta)
             VALUES (?1, ?2, ?3, ?5, ?6, ?7)",
            1,
        )
    } else {
        (
            "INSERT OR IGNORE INTO backends
                 (account, region, app_id, env_name, app_name, created_at_ms, meta)
             VALUES (?1, ?2, ?3, '', ?4, ?6, NULL), (?1, ?2, ?3, ?5, NULL, ?6, ?7)",
            2,
        )
    };
    let added = conn
        .prepare_cached(sql)
        .and_then(|mut s| {
            s.execute(params![
                t.account, t.region, job.app_id, app_name, env, job.now_ms, meta
            ])
        })
        .map_err(db_err)?;
    if added != rows {
        return Err(StoreError::Database(format!(
            "the backend's rows were refused ({added} of {rows} added)"
        )));
    }
    Ok((JobStatus::Completed, None))
}

/// Records a job that finished within its request, created and updated now.
fn insert_finished(
    conn: &Connection,
    t: &Tenant,
    job: &NewJob,
    status: JobStatus,
    error: Option<&JobFailure>,
) -> StoreResult<()> {
    let error = error.map(JobFailure::to_stored);
    conn.prepare_cached(
        "INSERT INTO jobs (job_id, account, region, app_id, env_name, operation, status,
                           error, create_time_ms, update_time_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
    )
    .and_then(|mut s| {
        s.execute(params![
            job.job_id,
            t.account,
            t.region,
            job.app_id,
            job.env,
            job.operation,
            status.as_str(),
            error,
            job.now_ms
        ])
    })
    .map(drop)
    .map_err(|e| insert_error(e, job))
}

/// The refusal of `job` while another job of its environment is RUNNING.
fn pending(job: &NewJob) -> StoreError {
    StoreError::Rule(RuleBroken::PendingJob {
        app_id: job.app_id.clone(),
        env: job.env.clone(),
    })
}

/// The partial unique index on RUNNING jobs is what refuses a second pending job.
fn insert_error(e: rusqlite::Error, job: &NewJob) -> StoreError {
    if !is_constraint(&e) {
        return db_err(e);
    }
    match &e {
        rusqlite::Error::SqliteFailure(_, Some(msg)) if msg.contains("jobs.job_id") => {
            StoreError::Rule(RuleBroken::JobIdTaken {
                job_id: job.job_id.clone(),
            })
        }
        _ => pending(job),
    }
}

/// Applies the job's changes and marks it COMPLETED, or FAILED with the reason if a change
/// broke a rule (`Err` changes: the reason they cannot be applied). Returns false, having
/// changed nothing, if the job was no longer RUNNING.
fn finish(
    conn: &Connection,
    t: &Tenant,
    app_id: &str,
    job_id: &str,
    changes: Result<&[Change], JobFailure>,
    now_ms: i64,
) -> StoreResult<bool> {
    let result = savepoint(conn, Savepoint::Finish, |conn| {
        let outcome = match changes {
            Ok(changes) => {
                let encoded = Encoded::new(changes)?;
                changes::apply(
                    conn,
                    t,
                    app_id,
                    changes,
                    &encoded,
                    now_ms,
                    Savepoint::Changes,
                )?
            }
            Err(failure) => Err(failure),
        };
        let (status, error) = match &outcome {
            Ok(()) => (JobStatus::Completed, None),
            Err(failure) => (JobStatus::Failed, Some(failure.to_stored())),
        };
        let updated = conn
            .prepare_cached(
                "UPDATE jobs SET status = ?2, error = ?3, update_time_ms = ?4, changes = NULL
                 WHERE job_id = ?1 AND status = 'RUNNING'",
            )
            .and_then(|mut s| s.execute(params![job_id, status.as_str(), error, now_ms]))
            .map_err(db_err)?;
        // Someone else finished it first: undo the changes just applied.
        if updated == 0 {
            Err(StoreError::NotFound("job"))
        } else {
            Ok(())
        }
    })
    .map_err(db_err)?;
    match result {
        Ok(()) => Ok(true),
        Err(StoreError::NotFound(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

fn load(conn: &Connection, job_id: &str) -> StoreResult<Job> {
    conn.prepare_cached(&format!("SELECT {JOB_COLUMNS} FROM jobs WHERE job_id = ?1"))
        .and_then(|mut s| s.query_row([job_id], job_row))
        .map_err(db_err)
}

/// The stored changes of a deferred job, or why they cannot be used.
fn decode(changes: Option<&str>) -> Result<Vec<Change>, JobFailure> {
    match changes {
        None => Ok(Vec::new()),
        Some(text) => serde_json::from_str(text).map_err(|e| {
            tracing::error!("a job's stored changes do not decode: {e}");
            JobFailure::Unreadable
        }),
    }
}

/// Completes the RUNNING jobs due at `now_ms`, oldest due first; each in its own savepoint.
pub(super) fn complete_due(conn: &Connection, now_ms: i64, limit: usize) -> StoreResult<Vec<Job>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let due = conn
        .prepare_cached(
            "SELECT job_id, account, region, app_id, changes FROM jobs
             WHERE status = 'RUNNING' AND due_at_ms <= ?1 ORDER BY due_at_ms, seq LIMIT ?2",
        )
        .and_then(|mut s| {
            s.query_map(params![now_ms, limit], |row| {
                let tenant = Tenant {
                    account: row.get(1)?,
                    region: row.get(2)?,
                };
                Ok((
                    row.get::<_, String>(0)?,
                    tenant,
                    row.get::<_, String>(3)?,
                    row.get::<_, Option<String>>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(db_err)?;
    let mut done = Vec::with_capacity(due.len());
    for (job_id, tenant, app_id, stored) in due {
        let changes = decode(stored.as_deref());
        let changes = changes.as_deref().map_err(JobFailure::clone);
        if finish(conn, &tenant, &app_id, &job_id, changes, now_ms)? {
            done.push(load(conn, &job_id)?);
        }
    }
    Ok(done)
}

/// UpdateBackendJob: relabel, cancel (RUNNING → FAILED) or complete now (RUNNING → COMPLETED).
pub(super) fn update(conn: &Connection, t: &Tenant, u: JobUpdate) -> StoreResult<Job> {
    let found: Option<(String, Option<String>)> = conn
        .prepare_cached(
            "SELECT status, changes FROM jobs
             WHERE job_id = ?1 AND account = ?2 AND region = ?3 AND app_id = ?4 AND env_name = ?5",
        )
        .and_then(|mut s| {
            s.query_row(
                params![u.job_id, t.account, t.region, u.app_id, u.env],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
        })
        .map_err(db_err)?;
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
            conn.prepare_cached(
                "UPDATE jobs SET status = 'FAILED', error = ?2, changes = NULL WHERE job_id = ?1 AND status = 'RUNNING'",
            )
            .and_then(|mut s| s.execute(params![u.job_id, JobFailure::Cancelled.to_stored()]))
            .map_err(db_err)?;
        }
        (JobStatus::Running, Some(JobStatus::Completed)) => {
            let changes = decode(stored.as_deref());
            finish(
                conn,
                t,
                &u.app_id,
                &u.job_id,
                changes.as_deref().map_err(JobFailure::clone),
                u.now_ms,
            )?;
        }
        (from, Some(to)) => {
            return Err(StoreError::Rule(RuleBroken::InvalidJobTransition {
                job_id: u.job_id,
                from,
                to,
            }));
        }
    }
    conn.prepare_cached("UPDATE jobs SET operation = COALESCE(?2, operation), update_time_ms = ?3 WHERE job_id = ?1")
        .and_then(|mut s| s.execute(params![u.job_id, u.operation, u.now_ms]))
        .map_err(db_err)?;
    load(conn, &u.job_id)
}

/// Completes or fails a RUNNING job of the scope by hand ([`crate::Store::advance_job`]).
pub(super) fn advance(
    conn: &Connection,
    scope: &Scope,
    a: JobAdvance,
) -> StoreResult<(Tenant, Job)> {
    let found: Option<(Tenant, String, Option<String>)> = conn
        .prepare_cached(
            "SELECT account, region, status, changes FROM jobs
             WHERE job_id = ?1 AND app_id = ?2 AND env_name = ?3
               AND (?4 IS NULL OR account = ?4) AND (?5 IS NULL OR region = ?5)",
        )
        .and_then(|mut s| {
            s.query_row(
                params![a.job_id, a.app_id, a.env, scope.account, scope.region],
                |row| {
                    let tenant = Tenant {
                        account: row.get(0)?,
                        region: row.get(1)?,
                    };
                    Ok((tenant, row.get(2)?, row.get(3)?))
                },
            )
            .optional()
        })
        .map_err(db_err)?;
    let Some((tenant, status_text, stored)) = found else {
        return Err(StoreError::NotFound("job"));
    };
    crate::rules::check_advance(&a.job_id, &status_text, a.outcome.is_ok())
        .map_err(StoreError::Rule)?;
    match a.outcome {
        Ok(()) => {
            let changes = decode(stored.as_deref());
            finish(
                conn,
                &tenant,
                &a.app_id,
                &a.job_id,
                changes.as_deref().map_err(JobFailure::clone),
                a.now_ms,
            )?;
        }
        Err(text) => {
            conn.prepare_cached(
                "UPDATE jobs SET status = 'FAILED', error = ?2, update_time_ms = ?3, changes = NULL
                 WHERE job_id = ?1 AND status = 'RUNNING'",
            )
            .and_then(|mut s| {
                s.execute(params![
                    a.job_id,
                    JobFailure::Message { text }.to_stored(),
                    a.now_ms
                ])
            })
            .map_err(db_err)?;
        }
    }
    Ok((tenant, load(conn, &a.job_id)?))
}
