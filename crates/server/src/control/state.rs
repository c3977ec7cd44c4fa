//! `POST /_amplifybackend/state/reset`, `GET` and `POST /_amplifybackend/state`: empty,
//! save and restore the state (all of it, or one account and/or region), each one read
//! snapshot or one transaction, so a request running meanwhile sees it before or after.

use super::{document, input};
use crate::error::ApiError;
use crate::state::AppState;
use amplifybackend_store::{ImportWhen, Scope, Snapshot};
use axum::Router;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;

/// The reset and snapshot routes, with their full paths.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/_amplifybackend/state/reset", post(reset))
        .route("/_amplifybackend/state", get(export).post(import))
}

/// What a reset empties: one account, one region, both, or (nothing given) everything.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ResetScope {
    account_id: Option<String>,
    region: Option<String>,
}

async fn reset(State(state): State<AppState>, body: Body) -> Result<Response, ApiError> {
    let asked: ResetScope = input::json_or_default(&state, body).await?;
    let scope = Scope {
        account: asked.account_id,
        region: asked.region,
    };
    state
        .store
        .import_state(&scope, Snapshot::default(), ImportWhen::Always)
        .await?;
    tracing::info!(?scope, "state reset");
    Ok(input::ok(&json!({ "reset": true })))
}

async fn export(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let scope = input::scope(query.as_deref())?;
    let snapshot = state.store.export_state(&scope).await?;
    let document = document::to_json(snapshot).map_err(ApiError::internal)?;
    Ok(input::ok(&document))
}

async fn import(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    body: Body,
) -> Result<Response, ApiError> {
    let scope = input::scope(query.as_deref())?;
    let bytes = input::bytes(&state, body).await?;
    let snapshot = document::parse(&bytes, &scope)?;
    let counts = json!({
        "imported": true,
        "apps": snapshot.apps.len(),
        "environments": snapshot.environments.len(),
        "resources": snapshot.resources.len(),
        "apiModels": snapshot.api_models.len(),
        "jobs": snapshot.jobs.len(),
        "tokens": snapshot.tokens.len(),
        "buckets": snapshot.buckets.len(),
    });
    state
        .store
        .import_state(&scope, snapshot, ImportWhen::Always)
        .await?;
    tracing::info!(?scope, "state imported");
    Ok(input::ok(&counts))
}
