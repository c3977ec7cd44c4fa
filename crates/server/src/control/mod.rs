//! The test control surface under `/_amplifybackend/`: what a test suite needs besides
//! the API (reset, snapshots, job progression, fault injection, the request journal),
//! JSON in and out, errors answered as the API answers them ([`crate::error`]).
//!
//! Who may use it: anyone in local-development mode; with `--credentials`, requests
//! signed (SigV4, as API requests) with a key marked `admin = true`; nobody with
//! `--control off`, where every control path answers 404 as an unknown path does.

pub mod document;
mod endpoints;
pub mod faults;
mod input;
pub mod jobs;
pub mod journal;
pub mod state;

use crate::body::read_body;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// What the control surface keeps in this instance's memory.
#[derive(Debug)]
pub struct Control {
    /// Fault rules in force.
    pub faults: faults::Faults,
    /// The last requests answered.
    pub journal: journal::Journal,
}

impl Control {
    /// Empty rules and a journal of `journal_size` entries.
    pub fn new(journal_size: usize) -> Control {
        Control {
            faults: faults::Faults::default(),
            journal: journal::Journal::new(journal_size),
        }
    }
}

/// The control routes, each behind [`guard`].
pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/_amplifybackend/faults",
            get(endpoints::list_faults)
                .post(endpoints::add_faults)
                .delete(endpoints::clear_faults)
                .fallback(method_not_allowed),
        )
        .route(
            "/_amplifybackend/requests",
            get(endpoints::list_requests).fallback(method_not_allowed),
        )
        .merge(state::routes())
        .merge(jobs::routes())
        .layer(middleware::from_fn_with_state(state, guard))
}

/// Refuses what may not use the control surface; reads the whole body (within the API's
/// limits, as the signature covers it) and hands it on.
async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !state.config.control {
        return unknown_path(&request).into_response();
    }
    let (head, body) = request.into_parts();
    let body = match read_body(body, state.config.max_body_bytes, state.config.body_timeout).await {
        Ok(body) => body,
        Err(e) => return e.into_response(),
    };
    if let Err(e) = state.authenticator.authorize_control(&head, &body) {
        return e.into_response();
    }
    next.run(Request::from_parts(head, Body::from(body))).await
}

/// The answer to a path nothing serves: the API's own.
fn unknown_path(request: &Request) -> ApiError {
    ApiError::not_found(
        "route",
        format!(
            "No operation serves {} {}",
            request.method(),
            request.uri().path()
        ),
    )
}

async fn method_not_allowed(request: Request) -> ApiError {
    unknown_path(&request)
}

/// A JSON request body as `T`, or 400 naming the member at fault (`[1].times: ...`).
pub fn json_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value: T = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| ApiError::bad_request(format!("{}: {}", e.path(), e.inner())))?;
    de.end()
        .map_err(|e| ApiError::bad_request(format!("the body has more after its JSON: {e}")))?;
    Ok(value)
}

/// As [`json_body`], with an empty body read as `T::default()`.
pub fn json_body_or_default<T: DeserializeOwned + Default>(body: &[u8]) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        Ok(T::default())
    } else {
        json_body(body)
    }
}

/// A 200 JSON answer.
pub fn json_answer(value: &impl Serialize) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => (
            StatusCode::OK,
            [(http::header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// The query string's parameters as `T`: each given once, none unknown.
pub fn query_params<T: DeserializeOwned>(query: Option<&str>) -> Result<T, ApiError> {
    let mut map = serde_json::Map::new();
    for pair in query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(&s.replace('+', " "))
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| ApiError::bad_request("The query string is not valid UTF-8."))
        };
        let (name, value) = (decode(name)?, decode(value)?);
        if map
            .insert(name.clone(), serde_json::Value::String(value))
            .is_some()
        {
            return Err(ApiError::bad_request(format!(
                "{name}: given more than once"
            )));
        }
    }
    serde_json::from_value(serde_json::Value::Object(map))
        .map_err(|e| ApiError::bad_request(format!("query string: {e}")))
}
