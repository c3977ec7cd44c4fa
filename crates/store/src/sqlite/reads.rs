//! Read connections and the queries that only read. Reads run on the calling async task:
//! they are short, and a hop to a blocking thread would cost more than the query.

use super::db_err;
use crate::{
    ApiModels, App, Backend, Bucket, Environment, Job, JobFailure, JobPage, JobQuery, JobStatus,
    JsonText, Resource, ResourceKind, StoreResult, Tenant, Token,
};
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row, params};
use std::sync::Mutex;

/// Opens one more read connection.
pub(super) type Opener = Box<dyn Fn() -> StoreResult<Connection> + Send + Sync>;

/// Idle read connections; a read takes one, or opens one if none is idle.
pub(super) struct ReadPool {
    idle: Mutex<Vec<Connection>>,
    keep: usize,
    open: Opener,
}

impl std::fmt::Debug for ReadPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadPool")
            .field("keep", &self.keep)
            .finish_non_exhaustive()
    }
}

impl ReadPool {
    /// Opens `keep` connections now, so that a bad database fails at start.
    pub(super) fn new(keep: usize, open: Opener) -> StoreResult<ReadPool> {
        let keep = keep.max(1);
        let idle = (0..keep).map(|_| open()).collect::<StoreResult<Vec<_>>>()?;
        Ok(ReadPool {
            idle: Mutex::new(idle),
            keep,
            open,
        })
    }

    /// Runs `f` on an idle connection (or a new one when all are busy), in one read
    /// transaction: every query of a read sees the same snapshot (a GetBackend never sees
    /// half of a DeleteBackend), and the database's locks are taken and released once per
    /// read rather than once per statement (`fcntl` alone was 8% of a GetBackend's time).
    pub(super) fn with<R>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<R>,
    ) -> StoreResult<R> {
        let taken = self.idle.lock().map(|mut idle| idle.pop()).unwrap_or(None);
        let conn = match taken {
            Some(conn) => conn,
            None => (self.open)()?,
        };
        let result = in_read_transaction(&conn, f).map_err(db_err);
        // A connection left inside a transaction would hold its snapshot for good.
        if conn.is_autocommit()
            && let Ok(mut idle) = self.idle.lock()
            && idle.len() < self.keep
        {
            idle.push(conn);
        }
        result
    }
}

/// `f` between a deferred `BEGIN` and its end: `COMMIT` when it succeeds, `ROLLBACK`
/// otherwise (a read has nothing to undo; either ends the snapshot).
fn in_read_transaction<R>(
    conn: &Connection,
    f: impl FnOnce(&Connection) -> rusqlite::Result<R>,
) -> rusqlite::Result<R> {
    conn.prepare_cached("BEGIN")?.execute([])?;
    let result = f(conn);
    let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
    let ended = conn.prepare_cached(end).and_then(|mut s| s.execute([]));
    match (result, ended) {
        (Ok(r), Ok(_)) => Ok(r),
        (Err(e), _) | (Ok(_), Err(e)) => Err(e),
    }
}

/// A JSON column (stored as text).
pub(super) fn json(row: &Row<'_>, idx: usize) -> rusqlite::Result<serde_json::Value> {
    let text: String = row.get(idx)?;
    serde_json::from_str(&text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
}

pub(super) fn opt_json(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<serde_json::Value>> {
    let text: Option<String> = row.get(idx)?;
    text.map(|text| serde_json::from_str(&text))
        .transpose()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
}

fn bad_text(idx: usize, what: &str, text: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        idx,
        Type::Text,
        format!("unknown {what} {text:?}").into(),
    )
}

/// Columns, in order, that [`app_row`] reads.
pub(super) const APP_COLUMNS: &str =
    "app_id, app_name, created_at_ms, backend_manager_app_id, login_auth_config, amplify";

pub(super) fn app_row(row: &Row<'_>) -> rusqlite::Result<App> {
    Ok(App {
        app_id: row.get(0)?,
        app_name: row.get(1)?,
        created_at_ms: row.get(2)?,
        backend_manager_app_id: row.get(3)?,
        login_auth_config: opt_json(row, 4)?,
        amplify: opt_json(row, 5)?,
    })
}

pub(super) fn env_row(row: &Row<'_>) -> rusqlite::Result<Environment> {
    Ok(Environment {
        app_id: row.get(0)?,
        name: row.get(1)?,
        created_at_ms: row.get(2)?,
        meta: json_text(row, 3)?,
    })
}

fn json_text(row: &Row<'_>, idx: usize) -> rusqlite::Result<JsonText> {
    JsonText::parse(row.get(idx)?)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
}

pub(super) const RESOURCE_COLUMNS: &str =
    "app_id, env_name, kind, name, config, outputs, imported, updated_at_ms";

pub(super) fn resource_row(row: &Row<'_>) -> rusqlite::Result<Resource> {
    let kind: String = row.get(2)?;
    Ok(Resource {
        app_id: row.get(0)?,
        env: row.get(1)?,
        kind: ResourceKind::parse(&kind).ok_or_else(|| bad_text(2, "resource kind", &kind))?,
        name: row.get(3)?,
        config: json(row, 4)?,
        outputs: json(row, 5)?,
        imported: row.get(6)?,
        updated_at_ms: row.get(7)?,
    })
}

/// Columns, in order, that [`job_row`] reads.
pub(super) const JOB_COLUMNS: &str =
    "job_id, app_id, env_name, operation, status, error, create_time_ms, update_time_ms, seq";

pub(super) fn job_row(row: &Row<'_>) -> rusqlite::Result<Job> {
    let status: String = row.get(4)?;
    Ok(Job {
        job_id: row.get(0)?,
        app_id: row.get(1)?,
        env: row.get(2)?,
        operation: row.get(3)?,
        status: JobStatus::parse(&status).ok_or_else(|| bad_text(4, "job status", &status))?,
        error: row
            .get::<_, Option<String>>(5)?
            .as_deref()
            .map(JobFailure::from_stored),
        create_time_ms: row.get(6)?,
        update_time_ms: row.get(7)?,
    })
}

pub(super) fn get_app(c: &Connection, t: &Tenant, app_id: &str) -> rusqlite::Result<Option<App>> {
    c.prepare_cached(&format!(
        "SELECT {APP_COLUMNS} FROM backends
         WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ''"
    ))?
    .query_row(params![t.account, t.region, app_id], app_row)
    .optional()
}

pub(super) fn list_environments(
    c: &Connection,
    t: &Tenant,
    app_id: &str,
) -> rusqlite::Result<Vec<Environment>> {
    c.prepare_cached(
        "SELECT app_id, env_name, created_at_ms, meta FROM backends
         WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name > '' ORDER BY env_name",
    )?
    .query_map(params![t.account, t.region, app_id], env_row)?
    .collect()
}

pub(super) fn get_environment(
    c: &Connection,
    t: &Tenant,
    app_id: &str,
    env: &str,
) -> rusqlite::Result<Option<Environment>> {
    c.prepare_cached(
        "SELECT app_id, env_name, created_at_ms, meta FROM backends
         WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ?4 AND env_name <> ''",
    )?
    .query_row(params![t.account, t.region, app_id, env], env_row)
    .optional()
}

pub(super) fn get_resource(
    c: &Connection,
    t: &Tenant,
    app_id: &str,
    env: &str,
    kind: ResourceKind,
) -> rusqlite::Result<Option<Resource>> {
    c.prepare_cached(&format!(
        "SELECT {RESOURCE_COLUMNS} FROM resources
         WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ?4 AND kind = ?5"
    ))?
    .query_row(
        params![t.account, t.region, app_id, env, kind.as_str()],
        resource_row,
    )
    .optional()
}

pub(super) fn list_resources(
    c: &Connection,
    t: &Tenant,
    app_id: &str,
    env: &str,
) -> rusqlite::Result<Vec<Resource>> {
    let mut resources = c
        .prepare_cached(&format!(
            "SELECT {RESOURCE_COLUMNS} FROM resources
             WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ?4"
        ))?
        .query_map(params![t.account, t.region, app_id, env], resource_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    resources.sort_by_key(|r| r.kind);
    Ok(resources)
}

/// GetBackend's three reads on one connection (one snapshot, one pool checkout).
pub(super) fn get_backend(
    c: &Connection,
    t: &Tenant,
    app_id: &str,
    env: Option<&str>,
) -> rusqlite::Result<Option<Backend>> {
    let Some(app) = get_app(c, t, app_id)? else {
        return Ok(None);
    };
    let environments = list_environments(c, t, app_id)?;
    let resources = match env {
        Some(env) if environments.iter().any(|e| e.name == env) => {
            list_resources(c, t, app_id, env)?
        }
        _ => Vec::new(),
    };
    Ok(Some(Backend {
        app,
        environments,
        resources,
    }))
}

pub(super) fn get_job(
    c: &Connection,
    t: &Tenant,
    app_id: &str,
    env: &str,
    job_id: &str,
) -> rusqlite::Result<Option<Job>> {
    c.prepare_cached(&format!(
        "SELECT {JOB_COLUMNS} FROM jobs
         WHERE job_id = ?1 AND account = ?2 AND region = ?3 AND app_id = ?4 AND env_name = ?5"
    ))?
    .query_row(params![job_id, t.account, t.region, app_id, env], job_row)
    .optional()
}

pub(super) fn list_jobs(
    c: &Connection,
    t: &Tenant,
    app_id: &str,
    env: &str,
    q: &JobQuery,
) -> rusqlite::Result<JobPage> {
    if q.limit == 0 {
        return Ok(JobPage {
            jobs: Vec::new(),
            next_cursor: None,
        });
    }
    // Only the filters asked for appear in the SQL, so the index serves every shape.
    let mut sql = format!(
        "SELECT {JOB_COLUMNS} FROM jobs WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ?4"
    );
    for (value, clause) in [
        (q.job_id.is_some(), " AND job_id = ?5"),
        (q.operation.is_some(), " AND operation = ?6"),
        (q.status.is_some(), " AND status = ?7"),
        (q.before.is_some(), " AND seq < ?8"),
    ] {
        if value {
            sql.push_str(clause);
        }
    }
    sql.push_str(" ORDER BY seq DESC LIMIT ?9");
    let fetch = i64::try_from(q.limit).unwrap_or(i64::MAX).saturating_add(1);
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt
        .query_map(
            params![
                t.account,
                t.region,
                app_id,
                env,
                q.job_id,
                q.operation,
                q.status,
                q.before,
                fetch
            ],
            |row| Ok((job_row(row)?, row.get::<_, i64>(8)?)),
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
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

pub(super) fn app_has_running_job(
    c: &Connection,
    t: &Tenant,
    app_id: &str,
) -> rusqlite::Result<bool> {
    c.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM jobs
         WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND status = 'RUNNING')",
    )?
    .query_row(params![t.account, t.region, app_id], |row| row.get(0))
}

pub(super) fn next_due_at(c: &Connection) -> rusqlite::Result<Option<i64>> {
    c.prepare_cached(
        "SELECT MIN(due_at_ms) FROM jobs WHERE status = 'RUNNING' AND due_at_ms IS NOT NULL",
    )?
    .query_row([], |row| row.get(0))
}

pub(super) fn get_token(
    c: &Connection,
    t: &Tenant,
    app_id: &str,
    session_id: &str,
    now_secs: i64,
) -> rusqlite::Result<Option<Token>> {
    c.prepare_cached(
        "SELECT app_id, session_id, challenge_code, expires_at_secs FROM tokens
         WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND session_id = ?4 AND expires_at_secs > ?5",
    )?
    .query_row(params![t.account, t.region, app_id, session_id, now_secs], |row| {
        Ok(Token {
            app_id: row.get(0)?,
            session_id: row.get(1)?,
            challenge_code: row.get(2)?,
            expires_at_secs: row.get(3)?,
        })
    })
    .optional()
}

pub(super) fn get_api_models(
    c: &Connection,
    t: &Tenant,
    app_id: &str,
    env: &str,
) -> rusqlite::Result<Option<ApiModels>> {
    c.prepare_cached(
        "SELECT resource_name, models, model_introspection, schema_sha256 FROM api_models
         WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ?4",
    )?
    .query_row(params![t.account, t.region, app_id, env], |row| {
        Ok(ApiModels {
            resource_name: row.get(0)?,
            models: row.get(1)?,
            model_introspection: row.get(2)?,
            schema_sha256: row.get(3)?,
        })
    })
    .optional()
}

pub(super) fn list_buckets(c: &Connection, t: &Tenant) -> rusqlite::Result<Vec<Bucket>> {
    c.prepare_cached(
        "SELECT name, created_at_ms FROM buckets WHERE account = ?1 AND region = ?2 ORDER BY name",
    )?
    .query_map(params![t.account, t.region], |row| {
        Ok(Bucket {
            name: row.get(0)?,
            created_at_ms: row.get(1)?,
        })
    })?
    .collect()
}

pub(super) fn ping(c: &Connection) -> rusqlite::Result<()> {
    c.prepare_cached("SELECT 1")?.query_row([], |_| Ok(()))
}
