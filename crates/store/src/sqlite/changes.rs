//! Applying a job's [`Change`]s: all of them or, if one breaks a rule of the data, none.

use super::{
    db_err, is_constraint,
    writer::{Savepoint, roll_back_to, savepoint},
};
use crate::{Change, StoreError, StoreResult, Tenant};
use rusqlite::{Connection, params};

/// The JSON documents of a list of changes, encoded as text: index `i` holds those of
/// change `i` (a `CreateEnvironment`'s meta; a `PutResource`'s config and outputs). A
/// request encodes them before it queues its write, so that the one writer thread spends
/// no time serializing.
#[derive(Debug, Default)]
pub(super) struct Encoded(Vec<[Option<String>; 2]>);

impl Encoded {
    pub(super) fn new(changes: &[Change]) -> StoreResult<Encoded> {
        changes
            .iter()
            .map(|change| {
                Ok(match change {
                    Change::CreateEnvironment { meta, .. } => [Some(to_text(meta)?), None],
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
/// `Ok(Err(sentence))`: a change broke a rule, nothing was applied, and the sentence says
/// why (it becomes the job's `error`). `Err`: the database failed.
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
) -> StoreResult<Result<(), String>> {
    let run = |conn: &Connection| {
        changes.iter().enumerate().try_for_each(|(i, change)| {
            let text = |n| encoded.text(i, n);
            apply_one(conn, tenant, app_id, change, text, now_ms)
        })
    };
    let result = match undo {
        Savepoint::Request => {
            let result = run(conn);
            if matches!(result, Err(StoreError::Conflict(_))) {
                roll_back_to(conn, Savepoint::Request).map_err(db_err)?;
            }
            result
        }
        level => savepoint(conn, level, run).map_err(db_err)?,
    };
    match result {
        Ok(()) => Ok(Ok(())),
        Err(StoreError::Conflict(sentence)) => Ok(Err(sentence)),
        Err(other) => Err(other),
    }
}

/// A broken rule, phrased for the job's `error`.
fn broken(sentence: String) -> StoreError {
    StoreError::Conflict(sentence)
}

/// A constraint violation becomes `sentence`; any other failure stays a database error.
fn or_broken(e: rusqlite::Error, sentence: impl FnOnce() -> String) -> StoreError {
    if is_constraint(&e) {
        broken(sentence())
    } else {
        db_err(e)
    }
}

fn to_text(value: &serde_json::Value) -> StoreResult<String> {
    serde_json::to_string(value)
        .map_err(|e| StoreError::Database(format!("cannot encode JSON: {e}")))
}

/// Why an app cannot be created under `app_name`: it exists as `name`.
pub(super) fn app_named_otherwise(app_id: &str, name: &str, app_name: &str) -> String {
    format!("The app {app_id} already exists with the name {name}, not {app_name}.")
}

/// Why an environment cannot be created.
pub(super) fn env_exists(env: &str, app_id: &str) -> String {
    format!("The backend environment {env} already exists for app {app_id}.")
}

fn no_env(env: &str, app_id: &str) -> String {
    format!("The backend environment {env} does not exist for app {app_id}.")
}

fn apply_one<'e>(
    conn: &Connection,
    t: &Tenant,
    app_id: &str,
    change: &Change,
    text: impl Fn(usize) -> StoreResult<&'e str>,
    now_ms: i64,
) -> StoreResult<()> {
    let (account, region) = (&t.account, &t.region);
    match change {
        Change::EnsureApp { app_name } => {
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
                .prepare_cached("SELECT app_name FROM backends WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ''")
                .and_then(|mut s| s.query_row(params![account, region, app_id], |row| row.get(0)))
                .map_err(db_err)?;
            if name == *app_name {
                Ok(())
            } else {
                Err(broken(app_named_otherwise(app_id, &name, app_name)))
            }
        }
        Change::CreateEnvironment { env, .. } => {
            let meta = text(0)?;
            conn.prepare_cached(
                "INSERT INTO backends (account, region, app_id, env_name, created_at_ms, meta)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .and_then(|mut s| s.execute(params![account, region, app_id, env, now_ms, meta]))
            .map(drop)
            .map_err(|e| or_broken(e, || env_exists(env, app_id)))
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
                return Err(broken(no_env(env, app_id)));
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
            .map_err(|e| or_broken(e, || no_env(env, app_id)))
        }
        Change::DeleteResource { env, kind } => conn
            .prepare_cached(
                "DELETE FROM resources
                 WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ?4 AND kind = ?5",
            )
            .and_then(|mut s| s.execute(params![account, region, app_id, env, kind.as_str()]))
            .map(drop)
            .map_err(db_err),
        Change::AddBucket { name } => conn
            .prepare_cached(
                "INSERT OR IGNORE INTO buckets (account, region, name, created_at_ms) VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut s| s.execute(params![account, region, name, now_ms]))
            .map(drop)
            .map_err(db_err),
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
            .map_err(|e| or_broken(e, || no_env(env, app_id))),
        Change::Fail { error } => Err(broken(error.clone())),
        Change::EnableStudio { backend_manager_app_id } => {
            let updated = conn
                .prepare_cached(
                    "UPDATE backends SET backend_manager_app_id = ?4
                     WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ''",
                )
                .and_then(|mut s| s.execute(params![account, region, app_id, backend_manager_app_id]))
                .map_err(db_err)?;
            if updated == 0 {
                return Err(broken(format!("The app {app_id} does not exist.")));
            }
            Ok(())
        }
    }
}
