//! The Amplify service's writes and app listing: each write one closure on the writer
//! thread (group commit, a savepoint of its own), so that a read-modify-write such as
//! UpdateApp sees no other write between its read and its write.

use super::reads::{APP_COLUMNS, app_row, env_row};
use super::{db_err, is_constraint};
use crate::{
    App, AppPage, AppUpdate, Environment, NewApp, RuleBroken, StoreError, StoreResult, Tenant,
};
use rusqlite::{Connection, OptionalExtension, params};

fn encode(value: &serde_json::Value) -> StoreResult<String> {
    serde_json::to_string(value)
        .map_err(|e| StoreError::Database(format!("cannot encode JSON: {e}")))
}

fn get_app(c: &Connection, t: &Tenant, app_id: &str) -> StoreResult<Option<App>> {
    c.prepare_cached(&format!(
        "SELECT {APP_COLUMNS} FROM backends
         WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ''"
    ))
    .and_then(|mut s| {
        s.query_row(params![t.account, t.region, app_id], app_row)
            .optional()
    })
    .map_err(db_err)
}

pub(super) fn create_app(c: &Connection, t: &Tenant, app: &NewApp) -> StoreResult<App> {
    let amplify = encode(&app.amplify)?;
    c.prepare_cached(&format!(
        "INSERT INTO backends (account, region, app_id, env_name, created_at_ms, app_name, amplify)
         VALUES (?1, ?2, ?3, '', ?4, ?5, ?6)
         RETURNING {APP_COLUMNS}"
    ))
    .and_then(|mut s| {
        s.query_row(
            params![
                t.account,
                t.region,
                app.app_id,
                app.created_at_ms,
                app.app_name,
                amplify
            ],
            app_row,
        )
    })
    .map_err(|e| {
        if is_constraint(&e) {
            StoreError::Rule(RuleBroken::AppExists {
                app_id: app.app_id.clone(),
            })
        } else {
            db_err(e)
        }
    })
}

pub(super) fn list_apps(
    c: &Connection,
    t: &Tenant,
    after: Option<&str>,
    limit: usize,
) -> rusqlite::Result<AppPage> {
    let take = i64::try_from(limit).unwrap_or(i64::MAX).saturating_add(1);
    let mut apps: Vec<App> = c
        .prepare_cached(&format!(
            "SELECT {APP_COLUMNS} FROM backends
             WHERE account = ?1 AND region = ?2 AND env_name = '' AND app_id > ?3
             ORDER BY app_id LIMIT ?4"
        ))?
        .query_map(
            params![t.account, t.region, after.unwrap_or(""), take],
            app_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    let more = apps.len() > limit;
    apps.truncate(limit);
    Ok(AppPage { apps, more })
}

pub(super) fn update_app(
    c: &Connection,
    t: &Tenant,
    app_id: &str,
    update: &AppUpdate,
) -> StoreResult<App> {
    let app = get_app(c, t, app_id)?.ok_or(StoreError::NotFound("app"))?;
    let amplify = encode(&update.apply(app.amplify))?;
    let name = update.app_name.as_deref().unwrap_or(&app.app_name);
    c.prepare_cached(&format!(
        "UPDATE backends SET app_name = ?4, amplify = ?5
         WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ''
         RETURNING {APP_COLUMNS}"
    ))
    .and_then(|mut s| s.query_row(params![t.account, t.region, app_id, name, amplify], app_row))
    .map_err(db_err)
}

pub(super) fn delete_app(c: &Connection, t: &Tenant, app_id: &str) -> StoreResult<Option<App>> {
    let Some(app) = get_app(c, t, app_id)? else {
        return Ok(None);
    };
    // Resources and API models go with their environments' rows (foreign keys).
    for sql in [
        "DELETE FROM backends WHERE account = ?1 AND region = ?2 AND app_id = ?3",
        "DELETE FROM jobs WHERE account = ?1 AND region = ?2 AND app_id = ?3",
        "DELETE FROM tokens WHERE account = ?1 AND region = ?2 AND app_id = ?3",
    ] {
        c.prepare_cached(sql)
            .and_then(|mut s| s.execute(params![t.account, t.region, app_id]))
            .map_err(db_err)?;
    }
    Ok(Some(app))
}

pub(super) fn create_environment(
    c: &Connection,
    t: &Tenant,
    app_id: &str,
    env: &str,
    meta: &serde_json::Value,
    created_at_ms: i64,
) -> StoreResult<Environment> {
    if get_app(c, t, app_id)?.is_none() {
        return Err(StoreError::Rule(RuleBroken::AppMissing {
            app_id: app_id.to_owned(),
        }));
    }
    let meta = encode(meta)?;
    c.prepare_cached(
        "INSERT INTO backends (account, region, app_id, env_name, created_at_ms, meta)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         RETURNING app_id, env_name, created_at_ms, meta",
    )
    .and_then(|mut s| {
        s.query_row(
            params![t.account, t.region, app_id, env, created_at_ms, meta],
            env_row,
        )
    })
    .map_err(|e| {
        if is_constraint(&e) {
            StoreError::Rule(RuleBroken::EnvironmentExists {
                app_id: app_id.to_owned(),
                env: env.to_owned(),
            })
        } else {
            db_err(e)
        }
    })
}

pub(super) fn delete_environment(
    c: &Connection,
    t: &Tenant,
    app_id: &str,
    env: &str,
) -> StoreResult<Option<Environment>> {
    let running: bool = c
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM jobs
             WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ?4
                 AND status = 'RUNNING')",
        )
        .and_then(|mut s| s.query_row(params![t.account, t.region, app_id, env], |row| row.get(0)))
        .map_err(db_err)?;
    if running {
        return Err(StoreError::Rule(RuleBroken::PendingJob {
            app_id: app_id.to_owned(),
            env: env.to_owned(),
        }));
    }
    // Resources and API models go with the environment's row (foreign keys).
    c.prepare_cached(
        "DELETE FROM backends
         WHERE account = ?1 AND region = ?2 AND app_id = ?3 AND env_name = ?4 AND env_name <> ''
         RETURNING app_id, env_name, created_at_ms, meta",
    )
    .and_then(|mut s| {
        s.query_row(params![t.account, t.region, app_id, env], env_row)
            .optional()
    })
    .map_err(db_err)
}
