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
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

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

/// The control routes, each behind [`guard`]; a method a path does not serve answers as
/// an unknown path does.
pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/_amplifybackend/faults",
            get(endpoints::list_faults)
                .post(endpoints::add_faults)
                .delete(endpoints::clear_faults),
        )
        .route("/_amplifybackend/requests", get(endpoints::list_requests))
        .merge(state::routes())
        .merge(jobs::routes())
        .method_not_allowed_fallback(method_not_allowed)
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
