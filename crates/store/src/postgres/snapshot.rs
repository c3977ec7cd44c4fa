//! Export and import of a scope's rows ([`crate::Snapshot`]). An export reads in one
//! REPEATABLE READ transaction (one snapshot); an import is one transaction that first
//! locks every table against writes (reads go on, and see the state before it until it
//! commits), so that no request sees part of it and imports on several processes queue.

use super::reads::{
    APP_COLUMNS, JOB_COLUMNS, RESOURCE_COLUMNS, all, app_row, env_row, get, job_row, resource_row,
};
use super::{PgStore, db_err};
use crate::{
    ApiModels, Bucket, EnvironmentApiModels, ImportWhen, JobFailure, JobRecord, JobStatus,
    NEVER_DUE, Owned, RuleBroken, Scope, Snapshot, StoreError, StoreResult, Tenant, Token,
};
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::Json;

/// How often an import tries to take its locks without waiting before it waits for them.
const LOCK_ATTEMPTS: u32 = 500;

/// Rows of the scope: `$1` the account, `$2` the region, either NULL for all.
const IN_SCOPE: &str = "($1::text IS NULL OR account = $1) AND ($2::text IS NULL OR region = $2)";

/// How many columns a column list names: where the `account, region` that follow it start.
fn width(columns: &str) -> usize {
    columns.split(',').count()
}

fn owned<T>(
    row: &Row,
    at: usize,
    decode: impl Fn(&Row) -> StoreResult<T>,
) -> StoreResult<Owned<T>> {
    Ok(Owned {
        tenant: Tenant {
            account: get(row, at)?,
            region: get(row, at + 1)?,
        },
        row: decode(row)?,
    })
}

/// Every row of the scope, in one snapshot.
pub(super) async fn export(store: &PgStore, scope: &Scope) -> StoreResult<Snapshot> {
    let mut client = store.client().await?;
    let tx = client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await
        .map_err(db_err)?;
    let p: [&(dyn tokio_postgres::types::ToSql + Sync); 2] = [&scope.account, &scope.region];
    let apps = all(
        &tx,
        &format!(
            "SELECT {APP_COLUMNS}, account, region FROM apps WHERE {IN_SCOPE}
             ORDER BY account COLLATE \"C\", region COLLATE \"C\", app_id COLLATE \"C\""
        ),
        &p,
        |row| owned(row, width(APP_COLUMNS), app_row),
    )
    .await?;
    let environments = all(
        &tx,
        &format!(
            "SELECT app_id, env_name, created_at_ms, meta, account, region FROM environments
             WHERE {IN_SCOPE} ORDER BY account COLLATE \"C\", region COLLATE \"C\",
                 app_id COLLATE \"C\", env_name COLLATE \"C\""
        ),
        &p,
        |row| owned(row, 4, env_row),
    )
    .await?;
    let resources = all(
        &tx,
        &format!(
            "SELECT {RESOURCE_COLUMNS}, account, region FROM resources WHERE {IN_SCOPE}
             ORDER BY account COLLATE \"C\", region COLLATE \"C\", app_id COLLATE \"C\",
                 env_name COLLATE \"C\", kind COLLATE \"C\""
        ),
        &p,
        |row| owned(row, width(RESOURCE_COLUMNS), resource_row),
    )
    .await?;
    let api_models = all(
        &tx,
        &format!(
            "SELECT app_id, env_name, resource_name, models, model_introspection, schema_sha256,
                    account, region
             FROM api_models WHERE {IN_SCOPE}
             ORDER BY account COLLATE \"C\", region COLLATE \"C\", app_id COLLATE \"C\",
                 env_name COLLATE \"C\""
        ),
        &p,
        |row| {
            owned(row, 6, |row| {
                Ok(EnvironmentApiModels {
                    app_id: get(row, 0)?,
                    env: get(row, 1)?,
                    models: ApiModels {
                        resource_name: get(row, 2)?,
                        models: get(row, 3)?,
                        model_introspection: get(row, 4)?,
                        schema_sha256: get(row, 5)?,
                    },
                })
            })
        },
    )
    .await?;
    let jobs = all(
        &tx,
        &format!(
            "SELECT {JOB_COLUMNS}, account, region, due_at_ms, changes FROM jobs WHERE {IN_SCOPE}
             ORDER BY seq"
        ),
        &p,
        |row| owned(row, width(JOB_COLUMNS), job_record),
    )
    .await?;
    let tokens = all(
        &tx,
        &format!(
            "SELECT app_id, session_id, challenge_code, expires_at_secs, account, region
             FROM tokens WHERE {IN_SCOPE}
             ORDER BY account COLLATE \"C\", region COLLATE \"C\", app_id COLLATE \"C\",
                 session_id COLLATE \"C\""
        ),
        &p,
        |row| {
            owned(row, 4, |row| {
                Ok(Token {
                    app_id: get(row, 0)?,
                    session_id: get(row, 1)?,
                    challenge_code: get(row, 2)?,
                    expires_at_secs: get(row, 3)?,
                })
            })
        },
    )
    .await?;
    let buckets = all(
        &tx,
        &format!(
            "SELECT name, created_at_ms, account, region FROM buckets WHERE {IN_SCOPE}
             ORDER BY account COLLATE \"C\", region COLLATE \"C\", name COLLATE \"C\""
        ),
        &p,
        |row| {
            owned(row, 2, |row| {
                Ok(Bucket {
                    name: get(row, 0)?,
                    created_at_ms: get(row, 1)?,
                })
            })
        },
    )
    .await?;
    tx.commit().await.map_err(db_err)?;
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
fn job_record(row: &Row) -> StoreResult<JobRecord> {
    let job = job_row(row)?;
    let running = job.status == JobStatus::Running;
    let due_at_ms: Option<i64> = get(row, 11)?;
    let changes: Option<serde_json::Value> = get(row, 12)?;
    let changes = match changes.filter(|_| running) {
        Some(value) => Some(serde_json::from_value(value).map_err(|e| {
            StoreError::Database(format!("job {}'s changes do not decode: {e}", job.job_id))
        })?),
        None => None,
    };
    Ok(JobRecord {
        job,
        due_at_ms: due_at_ms.filter(|due| running && *due != NEVER_DUE),
        changes,
        seq: Some(get(row, 8)?),
    })
}

/// Replaces the scope's rows with the snapshot's, in one transaction.
pub(super) async fn import(
    store: &PgStore,
    scope: &Scope,
    snapshot: &Snapshot,
    when: ImportWhen,
) -> StoreResult<bool> {
    let mut client = store.client().await?;
    let mut attempt = 0;
    let tx = loop {
        let tx = client.transaction().await.map_err(db_err)?;
        // Writers wait until the import commits; readers do not. The locks are taken all
        // at once or none: an import holding some while it waits for others could
        // deadlock with a write that holds those and waits for these.
        let wait = if attempt < LOCK_ATTEMPTS {
            " NOWAIT"
        } else {
            ""
        };
        match tx
            .batch_execute(&format!(
                "LOCK TABLE apps, environments, resources, api_models, jobs, tokens, buckets
                 IN EXCLUSIVE MODE{wait}"
            ))
            .await
        {
            Ok(()) => break tx,
            Err(e) if e.code() == Some(&SqlState::LOCK_NOT_AVAILABLE) => {
                tx.rollback().await.map_err(db_err)?;
                attempt += 1;
                tokio::time::sleep(std::time::Duration::from_millis(2)).await;
            }
            Err(e) => return Err(db_err(e)),
        }
    };
    if when == ImportWhen::NoApps {
        let any: bool = tx
            .query_one("SELECT EXISTS (SELECT 1 FROM apps)", &[])
            .await
            .and_then(|row| row.try_get(0))
            .map_err(db_err)?;
        if any {
            return Ok(false);
        }
    }
    let p: [&(dyn tokio_postgres::types::ToSql + Sync); 2] = [&scope.account, &scope.region];
    for table in [
        "resources",
        "api_models",
        "environments",
        "apps",
        "jobs",
        "tokens",
        "buckets",
    ] {
        let stmt = tx
            .prepare(&format!("DELETE FROM {table} WHERE {IN_SCOPE}"))
            .await
            .map_err(db_err)?;
        tx.execute(&stmt, &p).await.map_err(db_err)?;
    }
    insert_rows(&tx, snapshot).await?;
    tx.commit().await.map_err(db_err)?;
    Ok(true)
}

/// Whether every job of the snapshot can keep its place: none is taken (outside the
/// scope, whose jobs are gone by now) and none is given twice.
async fn seqs_free<C: GenericClient>(tx: &C, snapshot: &Snapshot) -> StoreResult<bool> {
    let mut seqs = Vec::with_capacity(snapshot.jobs.len());
    for record in &snapshot.jobs {
        let Some(seq) = record.row.seq else {
            return Ok(false);
        };
        seqs.push(seq);
    }
    let distinct: std::collections::HashSet<i64> = seqs.iter().copied().collect();
    if distinct.len() != seqs.len() {
        return Ok(false);
    }
    let taken: bool = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM jobs WHERE seq = ANY($1))",
            &[&seqs],
        )
        .await
        .and_then(|row| row.try_get(0))
        .map_err(db_err)?;
    Ok(!taken)
}

async fn insert_rows<C: GenericClient>(tx: &C, snapshot: &Snapshot) -> StoreResult<()> {
    let stmt = tx
        .prepare(
            "INSERT INTO apps (account, region, app_id, app_name, created_at_ms,
                               backend_manager_app_id, login_auth_config, amplify)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .await
        .map_err(db_err)?;
    for Owned {
        tenant: t,
        row: app,
    } in &snapshot.apps
    {
        tx.execute(
            &stmt,
            &[
                &t.account,
                &t.region,
                &app.app_id,
                &app.app_name,
                &app.created_at_ms,
                &app.backend_manager_app_id,
                &app.login_auth_config,
                &app.amplify,
            ],
        )
        .await
        .map_err(db_err)?;
    }
    let stmt = tx
        .prepare(
            "INSERT INTO environments (account, region, app_id, env_name, created_at_ms, meta)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .await
        .map_err(db_err)?;
    for Owned {
        tenant: t,
        row: env,
    } in &snapshot.environments
    {
        tx.execute(
            &stmt,
            &[
                &t.account,
                &t.region,
                &env.app_id,
                &env.name,
                &env.created_at_ms,
                &Json(&env.meta),
            ],
        )
        .await
        .map_err(db_err)?;
    }
    let stmt = tx
        .prepare(
            "INSERT INTO resources (account, region, app_id, env_name, kind, name, config,
                                    outputs, imported, updated_at_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .await
        .map_err(db_err)?;
    for Owned { tenant: t, row: r } in &snapshot.resources {
        tx.execute(
            &stmt,
            &[
                &t.account,
                &t.region,
                &r.app_id,
                &r.env,
                &r.kind.as_str(),
                &r.name,
                &r.config,
                &r.outputs,
                &r.imported,
                &r.updated_at_ms,
            ],
        )
        .await
        .map_err(db_err)?;
    }
    let stmt = tx
        .prepare(
            "INSERT INTO api_models (account, region, app_id, env_name, resource_name, models,
                                     model_introspection, schema_sha256)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .await
        .map_err(db_err)?;
    for Owned { tenant: t, row: m } in &snapshot.api_models {
        tx.execute(
            &stmt,
            &[
                &t.account,
                &t.region,
                &m.app_id,
                &m.env,
                &m.models.resource_name,
                &m.models.models,
                &m.models.model_introspection,
                &m.models.schema_sha256,
            ],
        )
        .await
        .map_err(db_err)?;
    }
    let keep_seq = seqs_free(tx, snapshot).await?;
    let stmt = tx
        .prepare(
            "INSERT INTO jobs (job_id, account, region, app_id, env_name, operation, status, error,
                               create_time_ms, update_time_ms, due_at_ms, changes, seq)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
                     COALESCE($13, nextval(pg_get_serial_sequence('jobs', 'seq'))))",
        )
        .await
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
            (Some(changes), true) => Some(serde_json::to_value(changes).map_err(|e| {
                StoreError::Database(format!("cannot encode the job's changes: {e}"))
            })?),
            (None, true) => Some(serde_json::Value::Array(Vec::new())),
            _ => None,
        };
        let error = job.error.as_ref().map(JobFailure::to_stored);
        tx.execute(
            &stmt,
            &[
                &job.job_id,
                &t.account,
                &t.region,
                &job.app_id,
                &job.env,
                &job.operation,
                &job.status.as_str(),
                &error,
                &job.create_time_ms,
                &job.update_time_ms,
                &due,
                &changes,
                &record.seq.filter(|_| keep_seq),
            ],
        )
        .await
        .map_err(|e| {
            let taken = e.code() == Some(&SqlState::UNIQUE_VIOLATION)
                && e.as_db_error().and_then(|d| d.constraint()) == Some("jobs_job_id_unique");
            if taken {
                StoreError::Rule(RuleBroken::JobIdTaken {
                    job_id: job.job_id.clone(),
                })
            } else {
                db_err(e)
            }
        })?;
    }
    if keep_seq && !snapshot.jobs.is_empty() {
        // Jobs started later come after the places kept.
        tx.batch_execute(
            "SELECT setval(s::regclass, GREATEST(m, nextval(s::regclass)))
             FROM (SELECT pg_get_serial_sequence('jobs', 'seq') AS s,
                          (SELECT MAX(seq) FROM jobs) AS m) AS serial",
        )
        .await
        .map_err(db_err)?;
    }
    let stmt = tx
        .prepare(
            "INSERT INTO tokens (account, region, app_id, session_id, challenge_code,
                                 expires_at_secs)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .await
        .map_err(db_err)?;
    for Owned {
        tenant: t,
        row: token,
    } in &snapshot.tokens
    {
        tx.execute(
            &stmt,
            &[
                &t.account,
                &t.region,
                &token.app_id,
                &token.session_id,
                &token.challenge_code,
                &token.expires_at_secs,
            ],
        )
        .await
        .map_err(db_err)?;
    }
    let stmt = tx
        .prepare(
            "INSERT INTO buckets (account, region, name, created_at_ms) VALUES ($1, $2, $3, $4)",
        )
        .await
        .map_err(db_err)?;
    for Owned {
        tenant: t,
        row: bucket,
    } in &snapshot.buckets
    {
        tx.execute(
            &stmt,
            &[&t.account, &t.region, &bucket.name, &bucket.created_at_ms],
        )
        .await
        .map_err(db_err)?;
    }
    Ok(())
}
