//! Applying a job's [`Change`]s: all of them or, if one breaks a rule of the data, none.
//!
//! Every statement of every change goes to PostgreSQL at once (tokio-postgres pipelines
//! queries polled together), inside a savepoint; the answers are then judged in order.
//! A job's changes cost one round trip however many statements they take, and a broken
//! rule rolls the savepoint back, undoing whatever ran after it too.

use super::{Tx, db_err, is_constraint};
use crate::{Change, JobFailure, ResourceKind, RuleBroken, StoreError, StoreResult, Tenant};
use deadpool_postgres::GenericClient;
use futures_util::future::join_all;
use std::future::Future;
use std::pin::Pin;
use tokio_postgres::types::ToSql;

/// A statement's parameters, borrowed from the changes and the caller.
pub(super) type Params<'a> = Vec<&'a (dyn ToSql + Sync)>;

/// One statement and how its answer is judged.
#[derive(Clone)]
pub(super) struct Step<'a> {
    pub(super) sql: &'static str,
    pub(super) params: Params<'a>,
    pub(super) judge: Judge<'a>,
}

/// What a statement's answer must be for its change to hold.
#[derive(Clone)]
pub(super) enum Judge<'a> {
    /// It ran; a failure is a database error.
    Ran,
    /// It ran; a constraint violation on `table` breaks this rule.
    Constraint {
        /// The table the statement writes.
        table: &'static str,
        /// The rule, the job's error.
        rule: RuleBroken,
    },
    /// It reads the app's name, which must be `expected`.
    AppName { app_id: &'a str, expected: &'a str },
    /// It changed at least one row, else this rule is broken.
    Changed(RuleBroken),
    /// The job's row: it changed at least one row, else another job of the environment
    /// is RUNNING ([`RuleBroken::PendingJob`]); its unique id refuses a second job of the
    /// same id ([`RuleBroken::JobIdTaken`]).
    NotPending {
        /// `appId`.
        app_id: &'a str,
        /// The job's environment.
        env: &'a str,
        /// `jobId`.
        job_id: &'a str,
    },
}

/// The refusal of a job while another job of its environment is RUNNING.
pub(super) fn pending_job(app_id: &str, env: &str) -> StoreError {
    StoreError::Rule(RuleBroken::PendingJob {
        app_id: app_id.to_owned(),
        env: env.to_owned(),
    })
}

/// The refusal of a job whose id is taken.
pub(super) fn job_id_taken(job_id: &str) -> StoreError {
    StoreError::Rule(RuleBroken::JobIdTaken {
        job_id: job_id.to_owned(),
    })
}

impl<'a> Step<'a> {
    /// A statement judged by `judge`.
    pub(super) fn new(sql: &'static str, params: Params<'a>, judge: Judge<'a>) -> Step<'a> {
        Step { sql, params, judge }
    }
}

/// A statement's answer: rows changed, or the first column of the one row read.
enum Answer {
    Changed(u64),
    Text(String),
}

type Pending<'f> = Pin<Box<dyn Future<Output = Result<Answer, tokio_postgres::Error>> + Send + 'f>>;

/// Applies `changes` inside `SAVEPOINT changes`, after `first` (statements kept only if
/// every change holds, such as the job's own row, and judged before them), all in one
/// round trip. `Ok(Err(failure))`: a change broke a rule (or was a [`Change::Fail`]); the
/// savepoint is rolled back, so nothing of `first` or the changes was applied, and the
/// failure says why. `Err`: the database failed or `first` was refused. On success the
/// savepoint stays open until the transaction commits.
pub(super) async fn apply<'a>(
    tx: &Tx<'_>,
    tenant: &'a Tenant,
    app_id: &'a str,
    changes: &'a [Change],
    now_ms: &'a i64,
    first: Vec<Step<'a>>,
) -> StoreResult<Result<(), JobFailure>> {
    let opening = Step::new("SAVEPOINT changes", Vec::new(), Judge::Ran);
    let verdict = pipeline(tx, opening, first, tenant, app_id, changes, now_ms).await?;
    if verdict.is_err() {
        tx.batch_execute("ROLLBACK TO SAVEPOINT changes")
            .await
            .map_err(db_err)?;
    }
    Ok(verdict)
}

/// Begins a transaction on `client` and applies `changes` after `first` in it, all in one
/// round trip. The transaction is left open whatever the verdict (the meanings of `apply`):
/// the caller commits it, or rolls it back, which undoes everything.
pub(super) async fn begin_and_apply<'a, C: GenericClient>(
    client: &C,
    tenant: &'a Tenant,
    app_id: &'a str,
    changes: &'a [Change],
    now_ms: &'a i64,
    first: Vec<Step<'a>>,
) -> StoreResult<Result<(), JobFailure>> {
    let opening = Step::new("BEGIN", Vec::new(), Judge::Ran);
    pipeline(client, opening, first, tenant, app_id, changes, now_ms).await
}

/// Sends `opening`, `first` and the statements of `changes` together, then judges the
/// answers in order.
async fn pipeline<'a, C: GenericClient>(
    client: &C,
    opening: Step<'a>,
    first: Vec<Step<'a>>,
    tenant: &'a Tenant,
    app_id: &'a str,
    changes: &'a [Change],
    now_ms: &'a i64,
) -> StoreResult<Result<(), JobFailure>> {
    let mut steps = Vec::with_capacity(changes.len() * 2 + first.len() + 1);
    steps.push(opening);
    steps.extend(first);
    let mut broken_early = None;
    let app_param = app_id;
    for change in changes {
        match plan(tenant, app_id, &app_param, change, now_ms) {
            Ok(planned) => steps.extend(planned),
            Err(failure) => {
                broken_early = Some(failure);
                break;
            }
        }
    }
    // Statements are prepared first (from the connection's cache after the first time),
    // so that polling the queries together sends them in order.
    let mut prepared = Vec::with_capacity(steps.len());
    for step in &steps {
        prepared.push(client.prepare_cached(step.sql).await.map_err(db_err)?);
    }
    let pending: Vec<Pending<'_>> = steps
        .iter()
        .zip(&prepared)
        .map(|(step, stmt)| -> Pending<'_> {
            match step.judge {
                Judge::AppName { .. } => Box::pin(async move {
                    let row = client.query_one(stmt, &step.params).await?;
                    row.try_get(0).map(Answer::Text)
                }),
                _ => Box::pin(async move {
                    client
                        .execute(stmt, &step.params)
                        .await
                        .map(Answer::Changed)
                }),
            }
        })
        .collect();
    let answers = join_all(pending).await;
    for (step, answer) in steps.into_iter().zip(answers) {
        let verdict = judge(step.judge, answer)?;
        if verdict.is_err() {
            return Ok(verdict);
        }
    }
    Ok(broken_early.map_or(Ok(()), Err))
}

/// What one statement's answer means: `Ok(Err)`, its change broke a rule; `Err`, the
/// database failed or the job's row was refused.
fn judge(
    judge: Judge<'_>,
    answer: Result<Answer, tokio_postgres::Error>,
) -> StoreResult<Result<(), JobFailure>> {
    match (judge, answer) {
        (Judge::Constraint { rule, .. }, Err(e)) if is_constraint(&e) => {
            Ok(Err(JobFailure::Rule(rule)))
        }
        (Judge::NotPending { job_id, .. }, Err(e)) if is_constraint(&e) => {
            Err(job_id_taken(job_id))
        }
        (_, Err(e)) => Err(db_err(e)),
        (Judge::AppName { app_id, expected }, Ok(Answer::Text(name))) if name != expected => {
            Ok(Err(JobFailure::Rule(app_named_otherwise(
                app_id, name, expected,
            ))))
        }
        (Judge::Changed(rule), Ok(Answer::Changed(0))) => Ok(Err(JobFailure::Rule(rule))),
        (Judge::NotPending { app_id, env, .. }, Ok(Answer::Changed(0))) => {
            Err(pending_job(app_id, env))
        }
        _ => Ok(Ok(())),
    }
}

/// The rule EnsureApp breaks when the app exists as `name`.
pub(super) fn app_named_otherwise(app_id: &str, name: String, expected: &str) -> RuleBroken {
    RuleBroken::AppNameMismatch {
        app_id: app_id.to_owned(),
        name,
        expected: expected.to_owned(),
    }
}

fn env_missing(env: &str, app_id: &str) -> RuleBroken {
    RuleBroken::EnvironmentMissing {
        app_id: app_id.to_owned(),
        env: env.to_owned(),
    }
}

/// `kind` as a statement parameter.
fn kind_param(kind: ResourceKind) -> &'static (dyn ToSql + Sync) {
    match kind {
        ResourceKind::Auth => &"auth",
        ResourceKind::Api => &"api",
        ResourceKind::Storage => &"storage",
    }
}

/// The statement that creates the app or reads the existing one's name, in one
/// statement; concurrent creators of one app wait on each other here instead of failing.
fn ensure_app<'a>(
    t: &'a Tenant,
    app_id: &'a str,
    app: &'a (dyn ToSql + Sync),
    app_name: &'a String,
    now_ms: &'a i64,
) -> Step<'a> {
    Step::new(
        "INSERT INTO apps (account, region, app_id, app_name, created_at_ms)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (account, region, app_id) DO UPDATE SET app_name = apps.app_name
         RETURNING app_name",
        vec![&t.account, &t.region, app, app_name, now_ms],
        Judge::AppName {
            app_id,
            expected: app_name,
        },
    )
}

/// The statement that adds an environment, which must be new.
fn create_environment<'a>(
    t: &'a Tenant,
    app_id: &'a str,
    app: &'a (dyn ToSql + Sync),
    env: &'a String,
    meta: &'a serde_json::Value,
    now_ms: &'a i64,
) -> Step<'a> {
    Step::new(
        "INSERT INTO environments (account, region, app_id, env_name, created_at_ms, meta)
         VALUES ($1, $2, $3, $4, $5, $6)",
        vec![&t.account, &t.region, app, env, now_ms, meta],
        Judge::Constraint {
            table: "environments",
            rule: RuleBroken::EnvironmentExists {
                app_id: app_id.to_owned(),
                env: env.clone(),
            },
        },
    )
}

/// The statements of one change, or why the job fails without running any.
pub(super) fn plan<'a>(
    t: &'a Tenant,
    app_id: &'a str,
    app: &'a (dyn ToSql + Sync),
    change: &'a Change,
    now_ms: &'a i64,
) -> Result<Vec<Step<'a>>, JobFailure> {
    let (account, region): (&'a String, &'a String) = (&t.account, &t.region);
    Ok(match change {
        Change::EnsureApp { app_name } => vec![ensure_app(t, app_id, app, app_name, now_ms)],
        Change::CreateBackend {
            app_name,
            env,
            meta,
        } => vec![
            ensure_app(t, app_id, app, app_name, now_ms),
            create_environment(t, app_id, app, env, meta, now_ms),
        ],
        Change::CreateEnvironment { env, meta } => {
            vec![create_environment(t, app_id, app, env, meta, now_ms)]
        }
        Change::DeleteEnvironment { env } => [
            "DELETE FROM resources WHERE account = $1 AND region = $2 AND app_id = $3 AND env_name = $4",
            "DELETE FROM environments WHERE account = $1 AND region = $2 AND app_id = $3 AND env_name = $4",
        ]
        .into_iter()
        .map(|sql| Step::new(sql, vec![account, region, app, env], Judge::Ran))
        .collect(),
        Change::DeleteApp => [
            "DELETE FROM resources WHERE account = $1 AND region = $2 AND app_id = $3",
            "DELETE FROM environments WHERE account = $1 AND region = $2 AND app_id = $3",
            "DELETE FROM apps WHERE account = $1 AND region = $2 AND app_id = $3",
        ]
        .into_iter()
        .map(|sql| Step::new(sql, vec![account, region, app], Judge::Ran))
        .collect(),
        // The foreign key refuses a resource of an environment that does not exist (also
        // one deleted by a concurrent transaction).
        Change::PutResource {
            env,
            kind,
            name,
            config,
            outputs,
            imported,
        } => vec![Step::new(
            "INSERT INTO resources
                 (account, region, app_id, env_name, kind, name, config, outputs, imported, updated_at_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (account, region, app_id, env_name, kind) DO UPDATE SET
                 name = excluded.name, config = excluded.config, outputs = excluded.outputs,
                 imported = excluded.imported, updated_at_ms = excluded.updated_at_ms",
            vec![
                account,
                region,
                app,
                env,
                kind_param(*kind),
                name,
                config,
                outputs,
                imported,
                now_ms,
            ],
            Judge::Constraint {
                table: "resources",
                rule: env_missing(env, app_id),
            },
        )],
        Change::DeleteResource { env, kind } => vec![Step::new(
            "DELETE FROM resources
             WHERE account = $1 AND region = $2 AND app_id = $3 AND env_name = $4 AND kind = $5",
            vec![account, region, app, env, kind_param(*kind)],
            Judge::Ran,
        )],
        Change::AddBucket { name } => vec![Step::new(
            "INSERT INTO buckets (account, region, name, created_at_ms) VALUES ($1, $2, $3, $4)
             ON CONFLICT (account, region, name) DO NOTHING",
            vec![account, region, name, now_ms],
            Judge::Ran,
        )],
        Change::PutApiModels { env, models } => vec![Step::new(
            "INSERT INTO api_models
                 (account, region, app_id, env_name, resource_name, models, model_introspection, schema_sha256)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (account, region, app_id, env_name) DO UPDATE SET
                 resource_name = excluded.resource_name, models = excluded.models,
                 model_introspection = excluded.model_introspection,
                 schema_sha256 = excluded.schema_sha256",
            vec![
                account,
                region,
                app,
                env,
                &models.resource_name,
                &models.models,
                &models.model_introspection,
                &models.schema_sha256,
            ],
            Judge::Constraint {
                table: "api_models",
                rule: env_missing(env, app_id),
            },
        )],
        Change::Fail { error } => {
            return Err(JobFailure::Message {
                text: error.clone(),
            });
        }
        Change::EnableStudio {
            backend_manager_app_id,
        } => vec![Step::new(
            "UPDATE apps SET backend_manager_app_id = $4
             WHERE account = $1 AND region = $2 AND app_id = $3",
            vec![account, region, app, backend_manager_app_id],
            Judge::Changed(RuleBroken::AppMissing {
                app_id: app_id.to_owned(),
            }),
        )],
    })
}
