//! Applying a job's [`Change`]s: all of them or, if one breaks a rule of the data, none.

use super::{
    db_err, is_constraint,
    writer::{Savepoint, roll_back_to, savepoint},
};
use crate::{Change, JobFailure, RuleBroken, StoreError, StoreResult, Tenant};
use rusqlite::{Connection, params};

/// The JSON documents of a list of changes, encoded as text: index `i` holds those of
/// change `i` (a `CreateBackend`'s or `CreateEnvironment`'s meta; a `PutResource`'s config
/// and outputs). A request encodes them before it queues its write, so that the one
/// writer thread spends no time serializing.
#[derive(Debug, Default)]
pub(super) struct Encoded(Vec<[Option<String>; 2]>);

impl Encoded {
    pub(super) fn new(changes: &[Change]) -> StoreResult<Encoded> {
        changes
            .iter()
            .map(|change| {
                Ok(match change {
                    Change::CreateBackend { meta, .. } | Change::CreateEnvironment { meta, .. } => {
                        [Some(to_text(meta)?), None]
                    }
                    Change::PutResource {
                        config, outputs, ..
                    } => [Some(to_text(config)?), Some(to_text(outputs)?)],
                    _ => [None, None],
                })
            })
            .collect::<StoreResult<_>>()
            .map(Encoded)
    }

    /// The `n`th document of change `i`.
    pub(super) fn text(&self, i: usize, n: usize) -> StoreResult<&str> {
        self.0
            .get(i)
            .and_then(|texts| texts.get(n))
            .and_then(Option::as_deref)
            .ok_or_else(|| StoreError::Database("a change's document was not encoded".to_owned()))
    }
}

/// Applies `changes` (whose documents `encoded` holds) in order, all or none.
/// `Ok(Err(failure))`: a change broke a rule (or was a [`Change::Fail`]), nothing was
/// applied, and the failure says why (it becomes the job's `error`). `Err`: the database
/// failed.
///
/// `undo` is the savepoint that takes back a partial application: `Savepoint::Changes`
/// opens one of its own; `Savepoint::Request` uses the writer's savepoint of the request,
/// for a request that has written nothing before (an inline job), and spares every page
/// it changes a copy into one more sub-journal.
pub(super) fn apply(
    conn: &Connection,
    tenant: &Tenant,
    app_id: &str,
    changes: &[Change],
    encoded: &Encoded,
    now_ms: i64,
    undo: Savepoint,
) -> StoreResult<Result<(), JobFailure>> {
    let run = |conn: &Connection| {
        changes.iter().enumerate().try_for_each(|(i, change)| {
            let text = |n| encoded.text(i, n);
            apply_one(conn, tenant, app_id, change, text, now_ms)
        })
    };
    let result = match undo {
        Savepoint::Request => {
            let result = run(conn);
            if matches!(result, Err(Stop::Failed(_))) {
                roll_back_to(conn, Savepoint::Request).map_err(db_err)?;
            }
            result
        }
        level => savepoint(conn, level, run).map_err(db_err)?,
    };
    match result {
        Ok(()) => Ok(Ok(())),
        Err(Stop::Failed(failure)) => Ok(Err(failure)),
        Err(Stop::Database(e)) => Err(e),
    }
}

/// Why applying a job's changes stopped before the last.
enum Stop {
    /// The job fails: a change broke a rule, or was a [`Change::Fail`].
    Failed(JobFailure),
    /// The database failed.
    Database(StoreError),
}

impl From<StoreError> for Stop {
    fn from(e: StoreError) -> Stop {
        Stop::Database(e)
    }
}

fn broken(rule: RuleBroken) -> Stop {
    Stop::Failed(JobFailure::Rule(rule))
}

/// A constraint violation breaks `rule`; any other failure stays a database error.
fn or_broken(e: rusqlite::Error, rule: impl FnOnce() -> RuleBroken) -> Stop {
    if is_constraint(&e) {
        broken(rule())
    } else {
        Stop::Database(db_err(e))
    }
}

fn to_text(value: &serde_json::Value) -> StoreResult<String> {
    serde_json::to_string(value)
        .map_err(|e| StoreError::Database(format!("cannot encode JSON: {e}")))
}

fn env_missing(env: &str, app_id: &str) -> RuleBroken {
    RuleBroken::EnvironmentMissing {
        app_id: app_id.to_owned(),
        env: env.to_owned(),
    }
}

/// Creates the app unless it exists; it must then have `app_name`.
fn ensure_app(
    conn: &Connection,
    t: &Tenant,
    app_id: &str,
    app_name: &str,
    now_ms: i64,
) -> Result<(), Stop> {
    let (account, region) = (&t.account, &t.region);
    // Insert first: a new app (the usual case) then costs one index search.
    let inserted = conn
        .prepare_cached(
            "INSERT INTO backends (account, region, app_id, env_name, app_name, created_at_ms)
             VALUES (?1, ?2, ?3, '', ?4, ?5) ON CONFLICT DO NOTHING",
        )
        .and_then(|mut s| s.execute(params![account, region, app_id, app_name, now_ms]))
        .map_err(db_err)?;
    if inserted == 1 {
        return Ok(());
    }
    let name: String = conn
        .prepare_cached(
            "SELECT app_name FROM backends
             WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ''",
        )
        .and_then(|mut s| s.query_row(params![account, region, app_id], |row| row.get(0)))
        .map_err(db_err)?;
    if name == app_name {
        Ok(())
    } else {
        Err(broken(RuleBroken::AppNameMismatch {
            app_id: app_id.to_owned(),
            name,
            expected: app_name.to_owned(),
        }))
    }
}

/// Adds the environment, whose amplify-meta is `meta`; it must be new.
fn create_environment(
    conn: &Connection,
    t: &Tenant,
    app_id: &str,
    env: &str,
    meta: &str,
    now_ms: i64,
) -> Result<(), Stop> {
    conn.prepare_cached(
        "INSERT INTO backends (account, region, app_id, env_name, created_at_ms, meta)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .and_then(|mut s| s.execute(params![t.account, t.region, app_id, env, now_ms, meta]))
    .map(drop)
    .map_err(|e| {
        or_broken(e, || RuleBroken::EnvironmentExists {
            app_id: app_id.to_owned(),
            env: env.to_owned(),
        })
    })
}

fn apply_one<'e>(
    conn: &Connection,
    t: &Tenant,
    app_id: &str,
    change: &Change,
    text: impl Fn(usize) -> StoreResult<&'e str>,
    now_ms: i64,
) -> Result<(), Stop> {
    let (account, region) = (&t.account, &t.region);
    match change {
        Change::EnsureApp { app_name } => ensure_app(conn, t, app_id, app_name, now_ms),
        Change::CreateBackend { app_name, env, .. } => {
            ensure_app(conn, t, app_id, app_name, now_ms)?;
            create_environment(conn, t, app_id, env, text(0)?, now_ms)
        }
        Change::CreateEnvironment { env, .. } => {
            create_environment(conn, t, app_id, env, text(0)?, now_ms)
        }
        Change::DeleteEnvironment { env } => {
            for sql in [
                "DELETE FROM resources WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ?4",
                "DELETE FROM backends
                 WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ?4 AND env_name <> ''",
            ] {
                conn.prepare_cached(sql)
                    .and_then(|mut s| s.execute(params![account, region, app_id, env]))
                    .map_err(db_err)?;
            }
            Ok(())
        }
        Change::DeleteApp => {
            for sql in [
                "DELETE FROM resources WHERE account = ?1 AND region = ?2 AND app_id = ?3",
                "DELETE FROM backends WHERE account = ?1 AND region = ?2 AND app_id = ?3",
            ] {
                conn.prepare_cached(sql)
                    .and_then(|mut s| s.execute(params![account, region, app_id]))
                    .map_err(db_err)?;
            }
            Ok(())
        }
        Change::PutResource { env, kind, name, imported, .. } => {
            let env_exists: bool = conn
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM backends
                     WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ?4
                         AND env_name <> '')",
                )
                .and_then(|mut s| s.query_row(params![account, region, app_id, env], |row| row.get(0)))
                .map_err(db_err)?;
            if !env_exists {
                return Err(broken(env_missing(env, app_id)));
            }
            let (config, outputs) = (text(0)?, text(1)?);
            conn.prepare_cached(
                "INSERT INTO resources
                     (account, region, app_id, env_name, kind, name, config, outputs, imported, updated_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (account, region, app_id, env_name, kind) DO UPDATE SET
                     name = excluded.name, config = excluded.config, outputs = excluded.outputs,
                     imported = excluded.imported, updated_at_ms = excluded.updated_at_ms",
            )
            .and_then(|mut s| {
                s.execute(params![
                    account,
                    region,
                    app_id,
                    env,
                    kind.as_str(),
                    name,
                    config,
                    outputs,
                    imported,
                    now_ms
                ])
            })
            .map(drop)
            .map_err(|e| or_broken(e, || env_missing(env, app_id)))
        }
        Change::DeleteResource { env, kind } => conn
            .prepare_cached(
                "DELETE FROM resources
                 WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ?4 AND kind = ?5",
            )
            .and_then(|mut s| s.execute(params![account, region, app_id, env, kind.as_str()]))
            .map(drop)
            .map_err(|e| Stop::Database(db_err(e))),
        Change::AddBucket { name } => conn
            .prepare_cached(
                "INSERT OR IGNORE INTO buckets (account, region, name, created_at_ms) VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut s| s.execute(params![account, region, name, now_ms]))
            .map(drop)
            .map_err(|e| Stop::Database(db_err(e))),
        Change::PutApiModels { env, models } => conn
            .prepare_cached(
                "INSERT OR REPLACE INTO api_models
                     (account, region, app_id, env_name, resource_name, models, model_introspection, schema_sha256)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    account,
                    region,
                    app_id,
                    env,
                    models.resource_name,
                    models.models,
                    models.model_introspection,
                    models.schema_sha256
                ])
            })
            .map(drop)
            .map_err(|e| or_broken(e, || env_missing(env, app_id))),
        Change::Fail { error } => Err(Stop::Failed(JobFailure::Message {
            text: error.clone(),
        })),
        Change::EnableStudio { backend_manager_app_id } => {
            let updated = conn
                .prepare_cached(
                    "UPDATE backends SET backend_manager_app_id = ?4
                     WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ''",
                )
                .and_then(|mut s| s.execute(params![account, region, app_id, backend_manager_app_id]))
                .map_err(db_err)?;
            if updated == 0 {
                return Err(broken(RuleBroken::AppMissing {
                    app_id: app_id.to_owned(),
                }));
            }
            Ok(())
        }
    }
}
