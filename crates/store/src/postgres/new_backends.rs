//! CreateBackend jobs that go together ([`super::group_commit`]) as one multi-row statement:
//! each table gets one `INSERT … SELECT … FROM unnest(…)` of every job's row, where the
//! general composition ([`super::one_statement`]) gives each row of each job a `WITH` part
//! of its own. PostgreSQL's work per part (an executor node, its expressions, a RETURNING
//! set) was most of a combined statement's cost: in pgbench, eight jobs to a statement ran
//! 1.8 times as many jobs a second this way (BENCHMARKS.md, "PostgreSQL CreateBackend:
//! one INSERT per table").
//!
//! Only the common case goes this way: every job's row is recorded COMPLETED, every app is
//! new or already has the job's name, every environment is new. Anything else (a pending
//! job in an environment, an app named otherwise, an environment that exists) refuses the
//! whole statement, which keeps nothing, and the caller runs each job on its own for its
//! own answer.

use super::db_err;
use crate::{NewJob, StoreResult, Tenant};
use deadpool_postgres::GenericClient;
use tokio_postgres::types::ToSql;

/// Every job's row, app and environment; the final `SELECT` refuses the statement (by
/// `amplifybackend_refuse`, a function of the schema) when a job's row was not added (its
/// environment has a pending job) or an app exists under another name.
const STATEMENT: &str = "
WITH u AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                         $6::text[], $7::text[], $8::bigint[], $9::text[], $10::json[])
        AS u (job_id, account, region, app_id, job_env, operation, app_name, now_ms,
              env_name, meta)
), jobs_added AS (
    INSERT INTO jobs (job_id, account, region, app_id, env_name, operation, status, error,
                      create_time_ms, update_time_ms)
    SELECT job_id, account, region, app_id, job_env, operation, 'COMPLETED', NULL, now_ms,
           now_ms
      FROM u
     WHERE NOT EXISTS (SELECT 1 FROM jobs r
                        WHERE r.account = u.account AND r.region = u.region
                          AND r.app_id = u.app_id AND r.env_name = u.job_env
                          AND r.status = 'RUNNING')
    RETURNING 1
), apps_seen AS (
    INSERT INTO apps (account, region, app_id, app_name, created_at_ms)
    SELECT account, region, app_id, app_name, now_ms FROM u
    ON CONFLICT (account, region, app_id) DO UPDATE SET app_name = apps.app_name
    RETURNING account, region, app_id, app_name
), environments_added AS (
    INSERT INTO environments (account, region, app_id, env_name, created_at_ms, meta)
    SELECT account, region, app_id, env_name, now_ms, meta FROM u
)
SELECT CASE
    WHEN (SELECT count(*) FROM jobs_added) <> (SELECT count(*) FROM u)
        THEN amplifybackend_refuse(-1, 'pending job')
    WHEN EXISTS (SELECT 1 FROM apps_seen s JOIN u USING (account, region, app_id)
                  WHERE s.app_name IS DISTINCT FROM u.app_name)
        THEN amplifybackend_refuse(-1, 'app named otherwise')
END";

/// Runs `jobs` (all [`NewJob::new_backend`]s, of different apps) as one statement.
/// `Ok(true)`: all of them are committed; `Ok(false)`: the statement was refused and kept
/// nothing.
pub(super) async fn run<C: GenericClient>(
    client: &C,
    jobs: &[(&Tenant, &NewJob)],
) -> StoreResult<bool> {
    let mut columns = Columns::default();
    for (tenant, job) in jobs {
        let Some((app_name, env, meta)) = job.new_backend() else {
            return Ok(false);
        };
        columns.job_id.push(&job.job_id);
        columns.account.push(&tenant.account);
        columns.region.push(&tenant.region);
        columns.app_id.push(&job.app_id);
        columns.job_env.push(&job.env);
        columns.operation.push(&job.operation);
        columns.app_name.push(app_name);
        columns.now_ms.push(job.now_ms);
        columns.env_name.push(env);
        columns.meta.push(meta);
    }
    let params: [&(dyn ToSql + Sync); 10] = [
        &columns.job_id,
        &columns.account,
        &columns.region,
        &columns.app_id,
        &columns.job_env,
        &columns.operation,
        &columns.app_name,
        &columns.now_ms,
        &columns.env_name,
        &columns.meta,
    ];
    let statement = client.prepare_cached(STATEMENT).await.map_err(db_err)?;
    match client.execute(&statement, &params).await {
        Ok(_) => Ok(true),
        // A rule of one of the jobs, or the database: each job runs again on its own and
        // gets its own answer.
        Err(_) => Ok(false),
    }
}

/// The statement's parameters, one array per column.
#[derive(Default)]
struct Columns<'a> {
    job_id: Vec<&'a str>,
    account: Vec<&'a str>,
    region: Vec<&'a str>,
    app_id: Vec<&'a str>,
    job_env: Vec<&'a str>,
    operation: Vec<&'a str>,
    app_name: Vec<&'a str>,
    now_ms: Vec<i64>,
    env_name: Vec<&'a str>,
    meta: Vec<&'a serde_json::Value>,
}
