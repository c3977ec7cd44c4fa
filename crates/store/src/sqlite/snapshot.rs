//! Export and import of a scope's rows ([`crate::Snapshot`]). An export reads in one read
//! transaction (one snapshot of the WAL); an import is one write of the writer thread, so
//! it commits (or fails) whole and no request sees part of it.

use super::db_err;
use super::reads::{
    APP_COLUMNS, JOB_COLUMNS, RESOURCE_COLUMNS, app_row, env_row, job_row, resource_row,
};
use crate::{
    ApiModels, Bucket, EnvironmentApiModels, ImportWhen, JobRecord, JobStatus, NEVER_DUE, Owned,
    RuleBroken, Scope, Snapshot, StoreError, StoreResult, Tenant, Token,
};
use rusqlite::{Connection, Row, params};

/// Rows of the scope: `?1` the account, `?2` the region, either NULL for all.
const IN_SCOPE: &str = "(?1 IS NULL OR account = ?1) AND (?2 IS NULL OR region = ?2)";

/// The tenant of a row whose last two columns are its account and region.
fn tenant(row: &Row<'_>, at: usize) -> rusqlite::Result<Tenant> {
    Ok(Tenant {
        account: row.get(at)?,
        region: row.get(at + 1)?,
    })
}

/// How many columns a column list names: where the `account, region` that follow it start.
fn width(columns: &str) -> usize {
    columns.split(',').count()
}

fn owned<T>(
    row: &Row<'_>,
    at: usize,
    decode: impl Fn(&Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Owned<T>> {
    Ok(Owned {
        tenant: tenant(row, at)?,
        row: decode(row)?,
    })
}

fn all<T>(
    c: &Connection,
    sql: &str,
    scope: &Scope,
    decode: impl Fn(&Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    c.prepare(sql)?
        .query_map(params![scope.account, scope.region], |row| decode(row))?
        .collect()
}

/// Every row of the scope; the read pool runs it in one read transaction (one snapshot).
pub(super) fn export(c: &Connection, scope: &Scope) -> rusqlite::Result<Snapshot> {
    let apps = all(
        c,
        &format!(
            "SELECT {APP_COLUMNS}, account, region FROM backends WHERE env_name = '' AND {IN_SCOPE}
             ORDER BY account, region, app_id"
        ),
        scope,
        |row| owned(row, width(APP_COLUMNS), app_row),
    )?;
    let environments = all(
        c,
        &format!(
            "SELECT app_id, env_name, created_at_ms, meta, account, region FROM backends
             WHERE env_name <> '' AND {IN_SCOPE} ORDER BY account, region, app_id, env_name"
        ),
        scope,
        |row| owned(row, 4, env_row),
    )?;
    let resources = all(
        c,
        &format!(
            "SELECT {RESOURCE_COLUMNS}, account, region FROM resources WHERE {IN_SCOPE}
             ORDER BY account, region, app_id, env_name, kind"
        ),
        scope,
        |row| owned(row, width(RESOURCE_COLUMNS), resource_row),
    )?;
    let api_models = all(
        c,
        &format!(
            "SELECT app_id, env_name, resource_name, models, model_introspection, schema_sha256,
                    account, region
             FROM api_models WHERE {IN_SCOPE} ORDER BY account, region, app_id, env_name"
        ),
        scope,
        |row| {
            owned(row, 6, |row| {
                Ok(EnvironmentApiModels {
                    app_id: row.get(0)?,
                    env: row.get(1)?,
                    models: ApiModels {
                        resource_name: row.get(2)?,
                        models: row.get(3)?,
                        model_introspection: row.get(4)?,
                        schema_sha256: row.get(5)?,
                    },
                })
            })
        },
    )?;
    let jobs = all(
        c,
        &format!(
            "SELECT {JOB_COLUMNS}, account, region, due_at_ms, changes FROM jobs WHERE {IN_SCOPE}
             ORDER BY seq"
        ),
        scope,
        |row| owned(row, width(JOB_COLUMNS), job_record),
    )?;
    let tokens = all(
        c,
        &format!(
            "SELECT app_id, session_id, challenge_code, expires_at_secs, account, region
             FROM tokens WHERE {IN_SCOPE} ORDER BY account, region, app_id, session_id"
        ),
        scope,
        |row| {
            owned(row, 4, |row| {
                Ok(Token {
                    app_id: row.get(0)?,
                    session_id: row.get(1)?,
                    challenge_code: row.get(2)?,
                    expires_at_secs: row.get(3)?,
                })
            })
        },
    )?;
    let buckets = all(
        c,
        &format!(
            "SELECT name, created_at_ms, account, region FROM buckets WHERE {IN_SCOPE}
             ORDER BY account, region, name"
        ),
        scope,
        |row| {
            owned(row, 2, |row| {
                Ok(Bucket {
                    name: row.get(0)?,
                    created_at_ms: row.get(1)?,
                })
            })
        },
    )?;
    Ok(Snapshot {
        apps,
        environments,
        resources,
        api_models,
        jobs,
        tokens,
        buckets,
    })
}

/// A job row of [`JOB_COLUMNS`] followed by account, region, due time and changes.
fn job_record(row: &Row<'_>) -> rusqlite::Result<JobRecord> {
    let job = job_row(row)?;
    let running = job.status == JobStatus::Running;
    let due_at_ms: Option<i64> = row.get(11)?;
    let changes: Option<String> = row.get(12)?;
    let changes = match changes.filter(|_| running) {
        Some(text) => Some(serde_json::from_str(&text).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(12, rusqlite::types::Type::Text, Box::new(e))
        })?),
        None => None,
    };
    Ok(JobRecord {
        job,
        due_at_ms: due_at_ms.filter(|due| running && *due != NEVER_DUE),
        changes,
        seq: Some(row.get(8)?),
    })
}

/// Whether every job of the snapshot can keep its place: none is taken (outside the
/// scope, whose jobs are gone by now) and none is given twice.
fn seqs_free(c: &Connection, snapshot: &Snapshot) -> StoreResult<bool> {
    let mut taken = c
        .prepare("SELECT EXISTS (SELECT 1 FROM jobs WHERE seq = ?1)")
        .map_err(db_err)?;
    let mut given = std::collections::HashSet::new();
    for record in &snapshot.jobs {
        let Some(seq) = record.row.seq else {
            return Ok(false);
        };
        let in_use: bool = taken.query_row([seq], |row| row.get(0)).map_err(db_err)?;
        if in_use || !given.insert(seq) {
            return Ok(false);
        }
    }
    Ok(true)
}

fn to_text(value: &impl serde::Serialize) -> StoreResult<String> {
    serde_json::to_string(value)
        .map_err(|e| StoreError::Database(format!("cannot encode JSON: {e}")))
}

/// Replaces the scope's rows with the snapshot's; runs inside the writer's savepoint, so a
/// failure keeps nothing of it.
pub(super) fn import(
    c: &Connection,
    scope: &Scope,
    snapshot: &Snapshot,
    when: ImportWhen,
) -> StoreResult<bool> {
    if when == ImportWhen::NoApps {
        let any: bool = c
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM backends WHERE env_name = '')",
                [],
                |row| row.get(0),
            )
            .map_err(db_err)?;
        if any {
            return Ok(false);
        }
    }
    for table in [
        "resources",
        "api_models",
        "backends",
        "jobs",
        "tokens",
        "buckets",
    ] {
        c.execute(
            &format!("DELETE FROM {table} WHERE {IN_SCOPE}"),
            params![scope.account, scope.region],
        )
        .map_err(db_err)?;
    }
    let mut insert = c
        .prepare(
            "INSERT INTO backends (account, region, app_id, env_name, created_at_ms, app_name,
                                   backend_manager_app_id, login_auth_config, meta, amplify)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .map_err(db_err)?;
    for Owned {
        tenant: t,
        row: app,
    } in &snapshot.apps
    {
        let config = app.login_auth_config.as_ref().map(to_text).transpose()?;
        let amplify = app.amplify.as_ref().map(to_text).transpose()?;
        insert
            .execute(params![
                t.account,
                t.region,
                app.app_id,
                "",
                app.created_at_ms,
                app.app_name,
                app.backend_manager_app_id,
                config,
                None::<String>,
                amplify
            ])
            .map_err(db_err)?;
    }
    for Owned {
        tenant: t,
        row: env,
    } in &snapshot.environments
    {
        insert
            .execute(params![
                t.account,
                t.region,
                env.app_id,
                env.name,
                env.created_at_ms,
                None::<String>,
                None::<String>,
                None::<String>,
                env.meta.get(),
                None::<String>
            ])
            .map_err(db_err)?;
    }
    let mut insert = c
        .prepare("INSERT INTO resources VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
        .map_err(db_err)?;
    for Owned { tenant: t, row: r } in &snapshot.resources {
        insert
            .execute(params![
                t.account,
                t.region,
                r.app_id,
                r.env,
                r.kind.as_str(),
                r.name,
                to_text(&r.config)?,
                to_text(&r.outputs)?,
                r.imported,
                r.updated_at_ms
            ])
            .map_err(db_err)?;
    }
    let mut insert = c
        .prepare("INSERT INTO api_models VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
        .map_err(db_err)?;
    for Owned { tenant: t, row: m } in &snapshot.api_models {
        insert
            .execute(params![
                t.account,
                t.region,
                m.app_id,
                m.env,
                m.models.resource_name,
                m.models.models,
                m.models.model_introspection,
                m.models.schema_sha256
            ])
            .map_err(db_err)?;
    }
    let keep_seq = seqs_free(c, snapshot)?;
    let mut insert = c
        .prepare(
            "INSERT INTO jobs (job_id, account, region, app_id, env_name, operation, status, error,
                               create_time_ms, update_time_ms, due_at_ms, changes, seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )
        .map_err(db_err)?;
    for Owned {
        tenant: t,
        row: record,
    } in &snapshot.jobs
    {
        let job = &record.job;
        let running = job.status == JobStatus::Running;
        let due = running.then(|| record.due_at_ms.unwrap_or(NEVER_DUE));
        let changes = match (&record.changes, running) {
            (Some(changes), true) => Some(to_text(changes)?),
            (None, true) => Some("[]".to_owned()),
            _ => None,
        };
        insert
            .execute(params![
                job.job_id,
                t.account,
                t.region,
                job.app_id,
                job.env,
                job.operation,
                job.status.as_str(),
                job.error.as_ref().map(crate::JobFailure::to_stored),
                job.create_time_ms,
                job.update_time_ms,
                due,
                changes,
                record.seq.filter(|_| keep_seq)
            ])
            .map_err(|e| match &e {
                rusqlite::Error::SqliteFailure(_, Some(msg)) if msg.contains("jobs.job_id") => {
                    StoreError::Rule(RuleBroken::JobIdTaken {
                        job_id: job.job_id.clone(),
                    })
                }
                _ => db_err(e),
            })?;
    }
    let mut insert = c
        .prepare("INSERT INTO tokens VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .map_err(db_err)?;
    for Owned {
        tenant: t,
        row: token,
    } in &snapshot.tokens
    {
        insert
            .execute(params![
                t.account,
                t.region,
                token.app_id,
                token.session_id,
                token.challenge_code,
                token.expires_at_secs
            ])
            .map_err(db_err)?;
    }
    let mut insert = c
        .prepare("INSERT INTO buckets VALUES (?1, ?2, ?3, ?4)")
        .map_err(db_err)?;
    for Owned {
        tenant: t,
        row: bucket,
    } in &snapshot.buckets
    {
        insert
            .execute(params![
                t.account,
                t.region,
                bucket.name,
                bucket.created_at_ms
            ])
            .map_err(db_err)?;
    }
    Ok(true)
}
