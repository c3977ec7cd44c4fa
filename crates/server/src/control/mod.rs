//! Test control under `/_amplifybackend/`: what a test suite needs besides the API (reset,
//! snapshots, job progression), JSON in and out.

pub mod document;
mod input;
pub mod jobs;
pub mod state;

use crate::state::AppState;
use axum::Router;

/// Every control route, with its full path.
pub fn router() -> Router<AppState> {
    Router::new().merge(state::routes()).merge(jobs::routes())
}
