//! The Amplify service's writes and app listing. A read-modify-write (UpdateApp, the tag
//! operations) locks the app's row (`FOR UPDATE`) in its transaction, so concurrent
//! changes from any server process apply one after the other; the other writes are one
//! transaction each.

use super::reads::{APP_COLUMNS, all, app_row, env_row, one};
use super::{PgStore, db_err, is_constraint};
use crate::{
    App, AppPage, AppUpdate, Environment, NewApp, RuleBroken, StoreError, StoreResult, Tenant,
};

const APP_FOR_UPDATE: &str = "FROM apps WHERE account = $1 AND region = $2 AND app_id = $3";

pub(super) async fn create_app(store: &PgStore, t: &Tenant, app: NewApp) -> StoreResult<App> {
    let client = store.client().await?;
    let stmt = client
        .prepare_cached(&format!(
            "INSERT INTO apps (account, region, app_id, app_name, created_at_ms, amplify)
             VALUES ($1, $2, $3, $4, $5, $6)
             RETURNING {APP_COLUMNS}"
        ))
        .await
        .map_err(db_err)?;
    let row = client
        .query_one(
            &stmt,
            &[
                &t.account,
                &t.region,
                &app.app_id,
                &app.app_name,
                &app.created_at_ms,
                &app.amplify,
            ],
        )
        .await
        .map_err(|e| {
            if is_constraint(&e) {
                StoreError::Rule(RuleBroken::AppExists {
                    app_id: app.app_id.clone(),
                })
            } else {
                db_err(e)
            }
        })?;
    app_row(&row)
}

pub(super) async fn list_apps(
    store: &PgStore,
    t: &Tenant,
    after: Option<&str>,
    limit: usize,
) -> StoreResult<AppPage> {
    let take = i64::try_from(limit).unwrap_or(i64::MAX).saturating_add(1);
    let mut apps = all(
        &store.client().await?,
        &format!(
            "SELECT {APP_COLUMNS} FROM apps
             WHERE account = $1 AND region = $2 AND app_id COLLATE \"C\" > $3
             ORDER BY app_id COLLATE \"C\" LIMIT $4"
        ),
        &[&t.account, &t.region, &after.unwrap_or(""), &take],
        app_row,
    )
    .await?;
    let more = apps.len() > limit;
    apps.truncate(limit);
    Ok(AppPage { apps, more })
}

pub(super) async fn update_app(
    store: &PgStore,
    t: &Tenant,
    app_id: &str,
    update: AppUpdate,
) -> StoreResult<App> {
    let mut client = store.client().await?;
    let tx = client.transaction().await.map_err(db_err)?;
    let app = one(
        &tx,
        &format!("SELECT {APP_COLUMNS} {APP_FOR_UPDATE} FOR UPDATE"),
        &[&t.account, &t.region, &app_id],
        app_row,
    )
    .await?
    .ok_or(StoreError::NotFound("app"))?;
    let name = update.app_name.clone().unwrap_or(app.app_name.clone());
    let amplify = update.apply(app.amplify);
    let app = one(
        &tx,
        &format!(
            "UPDATE apps SET app_name = $4, amplify = $5
             WHERE account = $1 AND region = $2 AND app_id = $3
             RETURNING {APP_COLUMNS}"
        ),
        &[&t.account, &t.region, &app_id, &name, &amplify],
        app_row,
    )
    .await?
    .ok_or(StoreError::NotFound("app"))?;
    tx.commit().await.map_err(db_err)?;
    Ok(app)
}

pub(super) async fn delete_app(
    store: &PgStore,
    t: &Tenant,
    app_id: &str,
) -> StoreResult<Option<App>> {
    let mut client = store.client().await?;
    let tx = client.transaction().await.map_err(db_err)?;
    let app = one(
        &tx,
        &format!("DELETE {APP_FOR_UPDATE} RETURNING {APP_COLUMNS}"),
        &[&t.account, &t.region, &app_id],
        app_row,
    )
    .await?;
    if app.is_none() {
        return Ok(None);
    }
    // Resources and API models go with their environments (foreign keys).
    for sql in [
        "DELETE FROM environments WHERE account = $1 AND region = $2 AND app_id = $3",
        "DELETE FROM jobs WHERE account = $1 AND region = $2 AND app_id = $3",
        "DELETE FROM tokens WHERE account = $1 AND region = $2 AND app_id = $3",
    ] {
        let stmt = tx.prepare_cached(sql).await.map_err(db_err)?;
        tx.execute(&stmt, &[&t.account, &t.region, &app_id])
            .await
            .map_err(db_err)?;
    }
    tx.commit().await.map_err(db_err)?;
    Ok(app)
}

pub(super) async fn create_environment(
    store: &PgStore,
    t: &Tenant,
    app_id: &str,
    env: &str,
    meta: serde_json::Value,
    created_at_ms: i64,
) -> StoreResult<Environment> {
    let mut client = store.client().await?;
    let tx = client.transaction().await.map_err(db_err)?;
    // The app's row stays until this commits: a concurrent DeleteApp waits for it.
    let exists = one(
        &tx,
        &format!("SELECT 1 {APP_FOR_UPDATE} FOR SHARE"),
        &[&t.account, &t.region, &app_id],
        |_| Ok(()),
    )
    .await?;
    if exists.is_none() {
        return Err(StoreError::Rule(RuleBroken::AppMissing {
            app_id: app_id.to_owned(),
        }));
    }
    let stmt = tx
        .prepare_cached(
            "INSERT INTO environments (account, region, app_id, env_name, created_at_ms, meta)
             VALUES ($1, $2, $3, $4, $5, $6)
             RETURNING app_id, env_name, created_at_ms, meta",
        )
        .await
        .map_err(db_err)?;
    let row = tx
        .query_one(
            &stmt,
            &[&t.account, &t.region, &app_id, &env, &created_at_ms, &meta],
        )
        .await
        .map_err(|e| {
            if is_constraint(&e) {
                StoreError::Rule(RuleBroken::EnvironmentExists {
                    app_id: app_id.to_owned(),
                    env: env.to_owned(),
                })
            } else {
                db_err(e)
            }
        })?;
    let environment = env_row(&row)?;
    tx.commit().await.map_err(db_err)?;
    Ok(environment)
}

pub(super) async fn delete_environment(
    store: &PgStore,
    t: &Tenant,
    app_id: &str,
    env: &str,
) -> StoreResult<Option<Environment>> {
    let mut client = store.client().await?;
    let tx = client.transaction().await.map_err(db_err)?;
    let params: [&(dyn tokio_postgres::types::ToSql + Sync); 4] =
        [&t.account, &t.region, &app_id, &env];
    let running = one(
        &tx,
        "SELECT 1 FROM jobs
         WHERE account = $1 AND region = $2 AND app_id = $3 AND env_name = $4
             AND status = 'RUNNING'
         LIMIT 1",
        &params,
        |_| Ok(()),
    )
    .await?;
    if running.is_some() {
        return Err(StoreError::Rule(RuleBroken::PendingJob {
            app_id: app_id.to_owned(),
            env: env.to_owned(),
        }));
    }
    // Resources and API models go with the environment (foreign keys).
    let environment = one(
        &tx,
        "DELETE FROM environments
         WHERE account = $1 AND region = $2 AND app_id = $3 AND env_name = $4
         RETURNING app_id, env_name, created_at_ms, meta",
        &params,
        env_row,
    )
    .await?;
    tx.commit().await.map_err(db_err)?;
    Ok(environment)
}
