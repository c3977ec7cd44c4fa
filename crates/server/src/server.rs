//! Binding, serving and shutting down.

use crate::clock::{Clock, SystemClock};
use crate::config::ServerConfig;
use crate::connection::{self, Limits, default_max_connections};
use crate::console;
use crate::credentials::SignatureVerifier;
use crate::dispatch::dispatch;
use crate::error::ApiError;
use crate::ids::{IdGenerator, RandomIds};
use crate::jobs::run_worker;
use crate::limits::RateLimiter;
use crate::metrics::{Metrics, TimedStore};
use crate::progression::{JobProgression, Progression};
use crate::state::AppState;
use crate::tenancy::{Authenticator, LocalDevelopment};
use amplifybackend_store::{ImportWhen, Scope, StoreError};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;
use tokio::net::TcpListener;
use tokio::sync::Notify;

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The database could not be opened.
    #[error("cannot open the database: {0}")]
    Store(#[from] StoreError),
    /// The address could not be bound or the socket failed.
    #[error("network error: {0}")]
    Io(#[from] std::io::Error),
}

/// A bound, ready server.
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    state: AppState,
    max_connections: usize,
}

impl Server {
    /// Opens the database and binds the listening socket.
    pub async fn bind(config: ServerConfig) -> Result<Server, ServerError> {
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let authenticator: Arc<dyn Authenticator> = match &config.credentials {
            Some(credentials) => {
                Arc::new(SignatureVerifier::new(credentials.clone(), clock.clone()))
            }
            None => Arc::new(LocalDevelopment),
        };
        Self::bind_with(config, clock, Arc::new(RandomIds), authenticator).await
    }

    /// [`Server::bind`] with the clock, identifiers and authenticator given.
    pub async fn bind_with(
        mut config: ServerConfig,
        clock: Arc<dyn Clock>,
        ids: Arc<dyn IdGenerator>,
        authenticator: Arc<dyn Authenticator>,
    ) -> Result<Server, ServerError> {
        let store = amplifybackend_store::open(&config.database_url, &config.store_options).await?;
        if let Some(seed) = config.seed.take() {
            let loaded = store
                .import_state(&Scope::everything(), seed, ImportWhen::NoApps)
                .await?;
            tracing::info!(loaded, "seed data: loaded if the database held no app");
        }
        let listener = TcpListener::bind(config.listen).await?;
        let max_connections = config
            .max_connections
            .unwrap_or_else(|| default_max_connections(&config.store_options));
        let metrics = Arc::new(Metrics::default());
        let state = AppState::new(crate::state::Shared {
            store: Arc::new(TimedStore::new(store, metrics.clone())),
            metrics,
            clock,
            ids,
            authenticator,
            rate_limiter: config
                .rate_limit
                .map(|(rate, burst)| Arc::new(RateLimiter::new(rate, burst))),
            control: Arc::new(crate::control::Control::new(config.journal_size)),
            job_progression: Arc::new(JobProgression::new(Progression::from_duration(
                config.job_duration,
            ))),
            config: Arc::new(config),
            job_added: Arc::new(Notify::new()),
        });
        Ok(Server {
            listener,
            state,
            max_connections,
        })
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The most connections served at once (configured, or from the file limit).
    pub fn max_connections(&self) -> usize {
        self.max_connections
    }

    /// Serves until `shutdown` resolves, then finishes in-flight requests and stops the
    /// job worker.
    pub async fn serve(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServerError> {
        let (stop_worker, worker_rx) = tokio::sync::watch::channel(false);
        let worker = tokio::spawn(run_worker(self.state.clone(), worker_rx));
        let config = &self.state.config;
        let limits = Limits {
            header_timeout: config.header_timeout,
            idle_timeout: config.idle_timeout,
            max_connections: self.max_connections,
            http2_max_concurrent_streams: config.http2_max_concurrent_streams,
        };
        let metrics = self.state.metrics.clone();
        let app = router(self.state);
        connection::serve(self.listener, app, limits, metrics, shutdown).await;
        let _ = stop_worker.send(true);
        let _ = worker.await;
        Ok(())
    }
}

/// The whole HTTP surface: the operations, health, and the layers around them.
pub fn router(state: AppState) -> Router {
    let mut router = Router::new()
        .route("/_amplifybackend/health", get(health))
        .route("/_amplifybackend/metrics", get(metrics))
        .merge(crate::control::router(state.clone()));
    if state.config.console {
        // Other methods on these paths are API requests, answered as any unknown route.
        router = router
            .route("/", get(console::root).fallback(dispatch))
            .route("/console", get(console::to_index).fallback(dispatch))
            .route("/console/", get(console::serve_index).fallback(dispatch))
            .route(
                "/console/{*path}",
                get(console::serve_file).fallback(dispatch),
            );
    }
    router
        .fallback(dispatch)
        .with_state(state.clone())
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            ApiError::internal("a request handler panicked").into_response()
        }))
        .layer(middleware::from_fn_with_state(state, request_id))
}

async fn health(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            [("content-type", "application/json")],
            r#"{"status":"ok"}"#,
        )
            .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [("content-type", "application/json")],
                r#"{"status":"unavailable"}"#,
            )
                .into_response()
        }
    }
}

async fn metrics(State(state): State<AppState>) -> Response {
    (
        StatusCode::OK,
        [("content-type", "text/plain; version=0.0.4; charset=utf-8")],
        state.metrics.render(),
    )
        .into_response()
}

/// The request's `x-amzn-RequestId`, in its extensions for the request journal.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Gives every response a fresh `x-amzn-RequestId` and logs the request without its body.
async fn request_id(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let id = state.ids.uuid();
    request.extensions_mut().insert(RequestId(id.clone()));
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-amzn-requestid", value);
    }
    tracing::debug!(request_id = %id, %method, %path, status = response.status().as_u16(), micros = started.elapsed().as_micros() as u64, "request");
    response
}
