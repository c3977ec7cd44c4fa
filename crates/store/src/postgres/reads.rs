//! Queries that only read, and the row decoders the writes share.

use super::db_err;
use crate::{
    ApiModels, App, Backend, Bucket, Environment, Job, JobFailure, JobPage, JobQuery, JobStatus,
    JsonText, Resource, ResourceKind, StoreError, StoreResult, Tenant, Token,
};
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;
use tokio_postgres::types::{Json, ToSql};

pub(super) fn get<'a, T: tokio_postgres::types::FromSql<'a>>(
    row: &'a Row,
    idx: usize,
) -> StoreResult<T> {
    row.try_get(idx).map_err(db_err)
}

fn bad(what: &str, text: &str) -> StoreError {
    StoreError::Database(format!("unknown {what} {text:?} in the database"))
}

/// Columns, in order, that [`app_row`] reads.
pub(super) const APP_COLUMNS: &str =
    "app_id, app_name, created_at_ms, backend_manager_app_id, login_auth_config";

pub(super) fn app_row(row: &Row) -> StoreResult<App> {
    Ok(App {
        app_id: get(row, 0)?,
        app_name: get(row, 1)?,
        created_at_ms: get(row, 2)?,
        backend_manager_app_id: get(row, 3)?,
        login_auth_config: get(row, 4)?,
    })
}

pub(super) fn env_row(row: &Row) -> StoreResult<Environment> {
    Ok(Environment {
        app_id: get(row, 0)?,
        name: get(row, 1)?,
        created_at_ms: get(row, 2)?,
        meta: get::<Json<JsonText>>(row, 3)?.0,
    })
}

pub(super) const RESOURCE_COLUMNS: &str =
    "app_id, env_name, kind, name, config, outputs, imported, updated_at_ms";

pub(super) fn resource_row(row: &Row) -> StoreResult<Resource> {
    let kind: String = get(row, 2)?;
    Ok(Resource {
        app_id: get(row, 0)?,
        env: get(row, 1)?,
        kind: ResourceKind::parse(&kind).ok_or_else(|| bad("resource kind", &kind))?,
        name: get(row, 3)?,
        config: get(row, 4)?,
        outputs: get(row, 5)?,
        imported: get(row, 6)?,
        updated_at_ms: get(row, 7)?,
    })
}

/// Columns, in order, that [`job_row`] reads.
pub(super) const JOB_COLUMNS: &str =
    "job_id, app_id, env_name, operation, status, error, create_time_ms, update_time_ms, seq";

pub(super) fn job_row(row: &Row) -> StoreResult<Job> {
    let status: String = get(row, 4)?;
    Ok(Job {
        job_id: get(row, 0)?,
        app_id: get(row, 1)?,
        env: get(row, 2)?,
        operation: get(row, 3)?,
        status: JobStatus::parse(&status).ok_or_else(|| bad("job status", &status))?,
        error: get::<Option<&str>>(row, 5)?.map(JobFailure::from_stored),
        create_time_ms: get(row, 6)?,
        update_time_ms: get(row, 7)?,
    })
}

/// Runs a cached prepared statement and decodes at most one row.
pub(super) async fn one<C: GenericClient, T>(
    c: &C,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
    decode: impl FnOnce(&Row) -> StoreResult<T>,
) -> StoreResult<Option<T>> {
    let stmt = c.prepare_cached(sql).await.map_err(db_err)?;
    match c.query_opt(&stmt, params).await.map_err(db_err)? {
        Some(row) => decode(&row).map(Some),
        None => Ok(None),
    }
}

/// Runs a cached prepared statement and decodes every row.
pub(super) async fn all<C: GenericClient, T>(
    c: &C,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
    decode: impl Fn(&Row) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    let stmt = c.prepare_cached(sql).await.map_err(db_err)?;
    c.query(&stmt, params)
        .await
        .map_err(db_err)?
        .iter()
        .map(decode)
        .collect()
}

/// Runs a cached prepared statement that changes rows; returns how many.
pub(super) async fn exec<C: GenericClient>(
    c: &C,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<u64, tokio_postgres::Error> {
    let stmt = c.prepare_cached(sql).await?;
    c.execute(&stmt, params).await
}

pub(super) async fn get_app<C: GenericClient>(
    c: &C,
    t: &Tenant,
    app_id: &str,
) -> StoreResult<Option<App>> {
    one(
        c,
        &format!(
            "SELECT {APP_COLUMNS} FROM apps WHERE account = $1 AND region = $2 AND app_id = $3"
        ),
        &[&t.account, &t.region, &app_id],
        app_row,
    )
    .await
}

pub(super) async fn list_environments<C: GenericClient>(
    c: &C,
    t: &Tenant,
    app_id: &str,
) -> StoreResult<Vec<Environment>> {
    all(
        c,
        "SELECT app_id, env_name, created_at_ms, meta FROM environments
         WHERE account = $1 AND region = $2 AND app_id = $3 ORDER BY env_name COLLATE \"C\"",
        &[&t.account, &t.region, &app_id],
        env_row,
    )
    .await
}

/// GetBackend in one statement: the app's row, its environments and the asked
/// environment's resources aggregated as JSON arrays (`json`, so documents keep their text).
pub(super) async fn get_backend<C: GenericClient>(
    c: &C,
    t: &Tenant,
    app_id: &str,
    env: Option<&str>,
) -> StoreResult<Option<Backend>> {
    type EnvRow = (String, i64, JsonText);
    type ResourceRow = (
        String,
        String,
        serde_json::Value,
        serde_json::Value,
        bool,
        i64,
    );
    let row = one(
        c,
        "SELECT a.app_id, a.app_name, a.created_at_ms, a.backend_manager_app_id, a.login_auth_config,
             (SELECT json_agg(json_build_array(e.env_name, e.created_at_ms, e.meta)
                              ORDER BY e.env_name COLLATE \"C\")
                FROM environments e
               WHERE e.account = a.account AND e.region = a.region AND e.app_id = a.app_id),
             (SELECT json_agg(json_build_array(r.kind, r.name, r.config, r.outputs, r.imported,
                                               r.updated_at_ms))
                FROM resources r
               WHERE r.account = a.account AND r.region = a.region AND r.app_id = a.app_id
                 AND r.env_name = $4)
         FROM apps a WHERE a.account = $1 AND a.region = $2 AND a.app_id = $3",
        &[&t.account, &t.region, &app_id, &env],
        |row| {
            let app = app_row(row)?;
            let envs: Option<Json<Vec<EnvRow>>> = get(row, 5)?;
            let resources: Option<Json<Vec<ResourceRow>>> = get(row, 6)?;
            Ok((app, envs.map(|j| j.0), resources.map(|j| j.0)))
        },
    )
    .await?;
    let Some((app, envs, resources)) = row else {
        return Ok(None);
    };
    let environments = envs
        .unwrap_or_default()
        .into_iter()
        .map(|(name, created_at_ms, meta)| Environment {
            app_id: app.app_id.clone(),
            name,
            created_at_ms,
            meta,
        })
        .collect();
    let mut resources = resources
        .unwrap_or_default()
        .into_iter()
        .map(|(kind, name, config, outputs, imported, updated_at_ms)| {
            Ok(Resource {
                app_id: app.app_id.clone(),
                env: env.unwrap_or_default().to_owned(),
                kind: ResourceKind::parse(&kind).ok_or_else(|| bad("resource kind", &kind))?,
                name,
                config,
                outputs,
                imported,
                updated_at_ms,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    resources.sort_by_key(|r| r.kind);
    Ok(Some(Backend {
        app,
        environments,
        resources,
    }))
}

pub(super) async fn get_environment<C: GenericClient>(
    c: &C,
    t: &Tenant,
    app_id: &str,
    env: &str,
) -> StoreResult<Option<Environment>> {
    one(
        c,
        "SELECT app_id, env_name, created_at_ms, meta FROM environments
         WHERE account = $1 AND region = $2 AND app_id = $3 AND env_name = $4",
        &[&t.account, &t.region, &app_id, &env],
        env_row,
    )
    .await
}

pub(super) async fn get_resource<C: GenericClient>(
    c: &C,
    t: &Tenant,
    app_id: &str,
    env: &str,
    kind: ResourceKind,
) -> StoreResult<Option<Resource>> {
    one(
        c,
        &format!(
            "SELECT {RESOURCE_COLUMNS} FROM resources
             WHERE account = $1 AND region = $2 AND app_id = $3 AND env_name = $4 AND kind = $5"
        ),
        &[&t.account, &t.region, &app_id, &env, &kind.as_str()],
        resource_row,
    )
    .await
}

pub(super) async fn list_resources<C: GenericClient>(
    c: &C,
    t: &Tenant,
    app_id: &str,
    env: &str,
) -> StoreResult<Vec<Resource>> {
    let mut resources = all(
        c,
        &format!(
            "SELECT {RESOURCE_COLUMNS} FROM resources
             WHERE account = $1 AND region = $2 AND app_id = $3 AND env_name = $4"
        ),
        &[&t.account, &t.region, &app_id, &env],
        resource_row,
    )
    .await?;
    resources.sort_by_key(|r| r.kind);
    Ok(resources)
}

pub(super) async fn get_job<C: GenericClient>(
    c: &C,
    t: &Tenant,
    app_id: &str,
    env: &str,
    job_id: &str,
) -> StoreResult<Option<Job>> {
    one(
        c,
        &format!(
            "SELECT {JOB_COLUMNS} FROM jobs
             WHERE job_id = $1 AND account = $2 AND region = $3 AND app_id = $4 AND env_name = $5"
        ),
        &[&job_id, &t.account, &t.region, &app_id, &env],
        job_row,
    )
    .await
}

pub(super) async fn list_jobs<C: GenericClient>(
    c: &C,
    t: &Tenant,
    app_id: &str,
    env: &str,
    q: &JobQuery,
) -> StoreResult<JobPage> {
    if q.limit == 0 {
        return Ok(JobPage {
            jobs: Vec::new(),
            next_cursor: None,
        });
    }
    let fetch = i64::try_from(q.limit).unwrap_or(i64::MAX).saturating_add(1);
    // Only the filters asked for appear in the SQL (one cached statement per shape).
    let mut sql = format!(
        "SELECT {JOB_COLUMNS} FROM jobs WHERE account = $1 AND region = $2 AND app_id = $3 AND env_name = $4"
    );
    let mut params: Vec<&(dyn ToSql + Sync)> = vec![&t.account, &t.region, &app_id, &env];
    for (value, column) in [
        (
            q.job_id.as_ref().map(|v| v as &(dyn ToSql + Sync)),
            "job_id =",
        ),
        (q.operation.as_ref().map(|v| v as _), "operation ="),
        (q.status.as_ref().map(|v| v as _), "status ="),
        (q.before.as_ref().map(|v| v as _), "seq <"),
    ] {
        if let Some(value) = value {
            params.push(value);
            sql.push_str(&format!(" AND {column} ${}", params.len()));
        }
    }
    params.push(&fetch);
    sql.push_str(&format!(" ORDER BY seq DESC LIMIT ${}", params.len()));
    let rows = all(c, &sql, &params, |row| {
        Ok((job_row(row)?, get::<i64>(row, 8)?))
    })
    .await?;
    let more = rows.len() > q.limit;
    let mut jobs = Vec::with_capacity(rows.len().min(q.limit));
    let mut last_seq = None;
    for (job, seq) in rows.into_iter().take(q.limit) {
        jobs.push(job);
        last_seq = Some(seq);
    }
    Ok(JobPage {
        jobs,
        next_cursor: if more { last_seq } else { None },
    })
}

pub(super) async fn app_has_running_job<C: GenericClient>(
    c: &C,
    t: &Tenant,
    app_id: &str,
) -> StoreResult<bool> {
    one(
        c,
        "SELECT EXISTS (SELECT 1 FROM jobs
         WHERE account = $1 AND region = $2 AND app_id = $3 AND status = 'RUNNING')",
        &[&t.account, &t.region, &app_id],
        |row| get(row, 0),
    )
    .await
    .map(|found| found.unwrap_or(false))
}

/// When a worker can next do something: the earliest due time of a RUNNING job, or, for
/// a job another worker has claimed, the end of that claim if it is later.
pub(super) async fn next_due_at<C: GenericClient>(c: &C) -> StoreResult<Option<i64>> {
    one(
        c,
        "SELECT MIN(GREATEST(due_at_ms, COALESCE(claimed_until_ms, due_at_ms))) FROM jobs
         WHERE status = 'RUNNING' AND due_at_ms IS NOT NULL",
        &[],
        |row| get(row, 0),
    )
    .await
    .map(Option::flatten)
}

pub(super) async fn get_token<C: GenericClient>(
    c: &C,
    t: &Tenant,
    app_id: &str,
    session_id: &str,
    now_secs: i64,
) -> StoreResult<Option<Token>> {
    one(
        c,
        "SELECT app_id, session_id, challenge_code, expires_at_secs FROM tokens
         WHERE account = $1 AND region = $2 AND app_id = $3 AND session_id = $4
           AND expires_at_secs > $5",
        &[&t.account, &t.region, &app_id, &session_id, &now_secs],
        |row| {
            Ok(Token {
                app_id: get(row, 0)?,
                session_id: get(row, 1)?,
                challenge_code: get(row, 2)?,
                expires_at_secs: get(row, 3)?,
            })
        },
    )
    .await
}

pub(super) async fn get_api_models<C: GenericClient>(
    c: &C,
    t: &Tenant,
    app_id: &str,
    env: &str,
) -> StoreResult<Option<ApiModels>> {
    one(
        c,
        "SELECT resource_name, models, model_introspection, schema_sha256 FROM api_models
         WHERE account = $1 AND region = $2 AND app_id = $3 AND env_name = $4",
        &[&t.account, &t.region, &app_id, &env],
        |row| {
            Ok(ApiModels {
                resource_name: get(row, 0)?,
                models: get(row, 1)?,
                model_introspection: get(row, 2)?,
                schema_sha256: get(row, 3)?,
            })
        },
    )
    .await
}

pub(super) async fn list_buckets<C: GenericClient>(c: &C, t: &Tenant) -> StoreResult<Vec<Bucket>> {
    all(
        c,
        "SELECT name, created_at_ms FROM buckets WHERE account = $1 AND region = $2
         ORDER BY name COLLATE \"C\"",
        &[&t.account, &t.region],
        |row| {
            Ok(Bucket {
                name: get(row, 0)?,
                created_at_ms: get(row, 1)?,
            })
        },
    )
    .await
}
