//! What every handler shares, and the per-request context.

use crate::clock::Clock;
use crate::config::ServerConfig;
use crate::ids::IdGenerator;
use crate::tenancy::Authenticator;
use amplifybackend_store::{Store, Tenant};
use std::sync::Arc;
use tokio::sync::Notify;

/// Shared by all requests: one reference count, so that the router's and the handlers'
/// clones of it on every request cost one atomic increment, not one per member (on two
/// request threads those counters bounced between the cores on every request).
#[derive(Debug, Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    /// The state every request will share.
    pub fn new(shared: Shared) -> AppState {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] holds.
#[derive(Debug)]
pub struct Shared {
    /// Durable state.
    pub store: Arc<dyn Store>,
    /// Now.
    pub clock: Arc<dyn Clock>,
    /// Fresh identifiers.
    pub ids: Arc<dyn IdGenerator>,
    /// Who is asking.
    pub authenticator: Arc<dyn Authenticator>,
    /// Settings.
    pub config: Arc<ServerConfig>,
    /// Wakes the job worker when a deferred job is recorded.
    pub job_added: Arc<Notify>,
    /// Per-account request rate, when limited.
    pub rate_limiter: Option<Arc<crate::limits::RateLimiter>>,
    /// Request, job and store counters (`GET /_amplifybackend/metrics`).
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Fault rules and the request journal of this instance.
    pub control: Arc<crate::control::Control>,
    /// How the jobs this instance starts progress (`/_amplifybackend/jobs/progression`).
    pub job_progression: Arc<crate::progression::JobProgression>,
}

/// One request's context.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The shared state.
    pub state: AppState,
    /// Whose request.
    pub tenant: Tenant,
    /// When a fault rule says so, the `error` the jobs this request starts fail with.
    pub failing_jobs: Option<String>,
}

impl Ctx {
    /// The store.
    pub fn store(&self) -> &dyn Store {
        self.state.store.as_ref()
    }

    /// Now, epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.state.clock.now_ms()
    }
}
