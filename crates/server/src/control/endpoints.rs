//! `/_amplifybackend/faults` and `/_amplifybackend/requests`.

use super::faults::FaultRule;
use super::journal::DEFAULT_LIMIT;
use super::{json_answer, json_body, query_params};
use crate::error::ApiError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

/// `GET /_amplifybackend/faults`: the rules in force, in matching order.
pub async fn list_faults(State(state): State<AppState>) -> Response {
    json_answer(&json!({ "faults": state.control.faults.list() }))
}

/// `POST /_amplifybackend/faults`: one rule adds it; an array replaces every rule with
/// its rules (`[]` clears). A bad rule changes nothing and is named in the 400.
pub async fn add_faults(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let document: Value = json_body(&body)?;
    let (rules, replace, prefix) = match document {
        Value::Array(items) => {
            let rules = items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    serde_path_to_error::deserialize::<_, FaultRule>(item).map_err(|e| {
                        ApiError::bad_request(format!("[{i}].{}: {}", e.path(), e.inner()))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            (rules, true, true)
        }
        item @ Value::Object(_) => {
            let rule = serde_path_to_error::deserialize::<_, FaultRule>(item)
                .map_err(|e| ApiError::bad_request(format!("{}: {}", e.path(), e.inner())))?;
            (vec![rule], false, false)
        }
        _ => {
            return Err(ApiError::bad_request(
                "The body must be a fault rule (an object) or an array of them.",
            ));
        }
    };
    state
        .control
        .faults
        .install(rules, replace)
        .map_err(|(i, bad)| {
            let at = if prefix {
                format!("[{i}].{}", bad.field)
            } else {
                bad.field.to_owned()
            };
            ApiError::bad_request(format!("{at}: {}", bad.problem))
        })?;
    Ok(list_faults(State(state)).await)
}

/// `DELETE /_amplifybackend/faults`: no rules.
pub async fn clear_faults(State(state): State<AppState>) -> Response {
    state.control.faults.clear();
    list_faults(State(state)).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestsQuery {
    limit: Option<String>,
}

/// `GET /_amplifybackend/requests?limit=N`: the last N requests (default 100), newest
/// first.
pub async fn list_requests(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let journal = &state.control.journal;
    let query: RequestsQuery = query_params(query.as_deref())?;
    let limit = match query.limit {
        None => DEFAULT_LIMIT,
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| {
                ApiError::bad_request(format!(
                    "limit: '{text}' is not a whole number of at least 1"
                ))
            })?,
    };
    let entries = journal.last(limit);
    let views: Vec<_> = entries.iter().map(|e| e.view()).collect();
    Ok(json_answer(&json!({ "requests": views })))
}
