//! Applying a job's [`Change`]s: all of them or, if one breaks a rule of the data, none.

use super::reads::exec;
use super::{Tx, db_err, is_constraint};
use crate::{Change, StoreError, StoreResult, Tenant};

/// Applies `changes` in order inside a savepoint. `Ok(Err(sentence))`: a change broke a
/// rule, nothing was applied, and the sentence says why (it becomes the job's `error`).
/// `Err`: the database failed.
pub(super) async fn apply(
    tx: &mut Tx<'_>,
    tenant: &Tenant,
    app_id: &str,
    changes: &[Change],
    now_ms: i64,
) -> StoreResult<Result<(), String>> {
    let sp = tx.savepoint("changes").await.map_err(db_err)?;
    let mut outcome = Ok(());
    for change in changes {
        outcome = apply_one(&sp, tenant, app_id, change, now_ms).await;
        if outcome.is_err() {
            break;
        }
    }
    match outcome {
        Ok(()) => {
            sp.commit().await.map_err(db_err)?;
            Ok(Ok(()))
        }
        Err(e) => {
            sp.rollback().await.map_err(db_err)?;
            match e {
                StoreError::Conflict(sentence) => Ok(Err(sentence)),
                other => Err(other),
            }
        }
    }
}

/// A constraint violation becomes `sentence` (a broken rule); any other failure stays a
/// database error.
fn or_broken(e: tokio_postgres::Error, sentence: impl FnOnce() -> String) -> StoreError {
    if is_constraint(&e) {
        StoreError::Conflict(sentence())
    } else {
        db_err(e)
    }
}

fn no_env(env: &str, app_id: &str) -> String {
    format!("The backend environment {env} does not exist for app {app_id}.")
}

async fn apply_one(
    tx: &Tx<'_>,
    t: &Tenant,
    app_id: &str,
    change: &Change,
    now_ms: i64,
) -> StoreResult<()> {
    let (account, region) = (&t.account, &t.region);
    match change {
        Change::EnsureApp { app_name } => {
            // Concurrent creators of one app wait on each other here instead of failing.
            exec(
                tx,
                "INSERT INTO apps (account, region, app_id, app_name, created_at_ms)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account, region, app_id) DO NOTHING",
                &[account, region, &app_id, app_name, &now_ms],
            )
            .await
            .map_err(db_err)?;
            let stmt = tx
                .prepare_cached(
                    "SELECT app_name FROM apps WHERE account = $1 AND region = $2 AND app_id = $3",
                )
                .await
                .map_err(db_err)?;
            let name: String = tx
                .query_one(&stmt, &[account, region, &app_id])
                .await
                .and_then(|row| row.try_get(0))
                .map_err(db_err)?;
            if name == *app_name {
                Ok(())
            } else {
                Err(StoreError::Conflict(format!(
                    "The app {app_id} already exists with the name {name}, not {app_name}."
                )))
            }
        }
        Change::CreateEnvironment { env, meta } => exec(
            tx,
            "INSERT INTO environments (account, region, app_id, env_name, created_at_ms, meta)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[account, region, &app_id, env, &now_ms, meta],
        )
        .await
        .map(drop)
        .map_err(|e| {
            or_broken(e, || {
                format!("The backend environment {env} already exists for app {app_id}.")
            })
        }),
        Change::DeleteEnvironment { env } => {
            for sql in [
                "DELETE FROM resources WHERE account = $1 AND region = $2 AND app_id = $3 AND env_name = $4",
                "DELETE FROM environments WHERE account = $1 AND region = $2 AND app_id = $3 AND env_name = $4",
            ] {
                exec(tx, sql, &[account, region, &app_id, env])
                    .await
                    .map_err(db_err)?;
            }
            Ok(())
        }
        Change::DeleteApp => {
            for sql in [
                "DELETE FROM resources WHERE account = $1 AND region = $2 AND app_id = $3",
                "DELETE FROM environments WHERE account = $1 AND region = $2 AND app_id = $3",
                "DELETE FROM apps WHERE account = $1 AND region = $2 AND app_id = $3",
            ] {
                exec(tx, sql, &[account, region, &app_id])
                    .await
                    .map_err(db_err)?;
            }
            Ok(())
        }
        Change::PutResource {
            env,
            kind,
            name,
            config,
            outputs,
            imported,
        } => {
            // The foreign key refuses a resource of an environment that does not exist
            // (also one deleted by a concurrent transaction).
            exec(
                tx,
                "INSERT INTO resources
                     (account, region, app_id, env_name, kind, name, config, outputs, imported, updated_at_ms)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 ON CONFLICT (account, region, app_id, env_name, kind) DO UPDATE SET
                     name = excluded.name, config = excluded.config, outputs = excluded.outputs,
                     imported = excluded.imported, updated_at_ms = excluded.updated_at_ms",
                &[
                    account,
                    region,
                    &app_id,
                    env,
                    &kind.as_str(),
                    name,
                    config,
                    outputs,
                    imported,
                    &now_ms,
                ],
            )
            .await
            .map(drop)
            .map_err(|e| or_broken(e, || no_env(env, app_id)))
        }
        Change::DeleteResource { env, kind } => exec(
            tx,
            "DELETE FROM resources
             WHERE account = $1 AND region = $2 AND app_id = $3 AND env_name = $4 AND kind = $5",
            &[account, region, &app_id, env, &kind.as_str()],
        )
        .await
        .map(drop)
        .map_err(db_err),
        Change::AddBucket { name } => exec(
            tx,
            "INSERT INTO buckets (account, region, name, created_at_ms) VALUES ($1, $2, $3, $4)
             ON CONFLICT (account, region, name) DO NOTHING",
            &[account, region, name, &now_ms],
        )
        .await
        .map(drop)
        .map_err(db_err),
        Change::PutApiModels { env, models } => exec(
            tx,
            "INSERT INTO api_models
                 (account, region, app_id, env_name, resource_name, models, model_introspection, schema_sha256)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (account, region, app_id, env_name) DO UPDATE SET
                 resource_name = excluded.resource_name, models = excluded.models,
                 model_introspection = excluded.model_introspection,
                 schema_sha256 = excluded.schema_sha256",
            &[
                account,
                region,
                &app_id,
                env,
                &models.resource_name,
                &models.models,
                &models.model_introspection,
                &models.schema_sha256,
            ],
        )
        .await
        .map(drop)
        .map_err(|e| or_broken(e, || no_env(env, app_id))),
        Change::Fail { error } => Err(StoreError::Conflict(error.clone())),
        Change::EnableStudio {
            backend_manager_app_id,
        } => {
            let updated = exec(
                tx,
                "UPDATE apps SET backend_manager_app_id = $4
                 WHERE account = $1 AND region = $2 AND app_id = $3",
                &[account, region, &app_id, backend_manager_app_id],
            )
            .await
            .map_err(db_err)?;
            if updated == 0 {
                return Err(StoreError::Conflict(format!(
                    "The app {app_id} does not exist."
                )));
            }
            Ok(())
        }
    }
}
