//! From an HTTP request to an operation's handler and back.

use crate::body::read_body;
use crate::control::faults::{Service, Target};
use crate::control::journal::Entry;
use crate::error::{ApiError, ErrorKind};
use crate::handlers;
use crate::metrics::{
    TooSlow, UNROUTED_INDEX, amplify_operation_index, operation_index, service_and_operation,
};
use crate::protocol::{decode_request, encode_output};
use crate::server::RequestId;
use crate::state::{AppState, Ctx};
use amplifybackend_model::route::{AnyRoute, RouteError, match_any_route, signing_name_of_path};
use amplifybackend_model::{OperationInput, ServiceOperation, amplify};
use amplifybackend_store::Tenant;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::future::Future;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::time::Instant;

/// Serves every AmplifyBackend operation and the Amplify service's that this server
/// serves, each within the request time limit, which starts
/// once the body is in: reading the body has a limit of its own, on progress.
pub async fn dispatch(State(state): State<AppState>, request: Request) -> Response {
    let started = Instant::now();
    let arrived_ms = state.clock.now_ms();
    let limit = state.config.request_timeout;
    let metrics = state.metrics.clone();
    let control = state.control.clone();
    // Which service the path belongs to, found once: the journal and the error wording
    // both need it, routed or not.
    let service = signing_name_of_path(request.uri().path());
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .map(|id| id.0.clone())
        .unwrap_or_default();
    // Filled in as the request goes; read after it is answered (even on a timeout).
    let progress = Progress::default();
    let response = match receive(&state, request).await {
        Err(e) => {
            if e.kind == ErrorKind::RequestTimeout {
                metrics.connections.timed_out(TooSlow::Body);
            }
            e.into_response()
        }
        Ok((head, body)) => {
            match tokio::time::timeout(limit, route_and_run(state, head, body, service, &progress))
                .await
            {
                Ok(Ok(response)) => response,
                Ok(Err(e)) => e.into_response(),
                Err(_) => ApiError::new(
                    ErrorKind::GatewayTimeout,
                    format!(
                        "The request did not complete within {} ms.",
                        limit.as_millis()
                    ),
                )
                .into_response(),
            }
        }
    };
    let operation = progress.operation.load(Ordering::Relaxed);
    let elapsed = started.elapsed();
    metrics.record_request(operation, response.status().as_u16(), elapsed);
    let tenant = progress.tenant.get();
    let (service, operation) = match service_and_operation(operation) {
        Some((service, name)) => (service, Some(name)),
        None => (service, None),
    };
    control.journal.record(Entry {
        time_ms: arrived_ms,
        request_id,
        service,
        operation,
        account_id: tenant.map(|t| t.account.clone()),
        region: tenant.map(|t| t.region.clone()),
        status: response.status().as_u16(),
        error_code: response
            .headers()
            .get("x-amzn-errortype")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        latency_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
        fault_injected: progress.fault_injected.load(Ordering::Relaxed),
    });
    response
}

/// What is known of a request as it goes, for the metrics and the request journal.
#[derive(Debug)]
struct Progress {
    /// The operation's index once routed ([`UNROUTED_INDEX`] before).
    operation: AtomicU8,
    /// Whose request, once let in.
    tenant: OnceLock<Tenant>,
    /// Whether a fault rule affected it.
    fault_injected: AtomicBool,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            operation: AtomicU8::new(UNROUTED_INDEX),
            tenant: OnceLock::new(),
            fault_injected: AtomicBool::new(false),
        }
    }
}

/// The request's head, checked, and its whole body.
async fn receive(
    state: &AppState,
    request: Request,
) -> Result<(http::request::Parts, Bytes), ApiError> {
    let (head, body) = request.into_parts();
    check_head(state, &head)?;
    let body = read_body(body, state.config.max_body_bytes, state.config.body_timeout).await?;
    Ok((head, body))
}

/// Refuses requests whose URI or headers are larger than allowed.
fn check_head(state: &AppState, head: &http::request::Parts) -> Result<(), ApiError> {
    let uri_len = head.uri.path_and_query().map_or(0, |pq| pq.as_str().len());
    if uri_len > state.config.max_uri_bytes {
        return Err(ApiError::new(
            ErrorKind::UriTooLong,
            format!(
                "The request URI exceeds {} bytes.",
                state.config.max_uri_bytes
            ),
        ));
    }
    let header_bytes: usize = head
        .headers
        .iter()
        .map(|(n, v)| n.as_str().len() + v.len())
        .sum();
    if header_bytes > state.config.max_header_bytes {
        return Err(ApiError::new(
            ErrorKind::HeadersTooLarge,
            format!(
                "The request headers exceed {} bytes.",
                state.config.max_header_bytes
            ),
        ));
    }
    Ok(())
}

/// Routes and runs the request; every error of a request to an Amplify route is worded
/// as the Amplify service words it ([`ApiError::in_amplify`]), front-door errors included.
async fn route_and_run(
    state: AppState,
    head: http::request::Parts,
    body: Bytes,
    service: &'static str,
    progress: &Progress,
) -> Result<Response, ApiError> {
    let amplify_path = service == amplify::Operation::SIGNING_NAME;
    let result = authenticate_route_and_run(state, head, body, progress).await;
    if amplify_path {
        result.map_err(ApiError::in_amplify)
    } else {
        result
    }
}

async fn authenticate_route_and_run(
    state: AppState,
    head: http::request::Parts,
    body: Bytes,
    progress: &Progress,
) -> Result<Response, ApiError> {
    // The front door first: an unsigned request learns nothing, not even which routes exist.
    let tenant = state.authenticator.authenticate(&head, &body)?;
    let _ = progress.tenant.set(tenant.clone());
    if let Some(limiter) = &state.rate_limiter
        && !limiter.admit(&tenant.account, state.clock.now_ms())
    {
        return Err(ApiError::too_many_requests(
            "RequestRate",
            "Rate exceeded: too many requests for this account.",
        ));
    }
    if crate::limits::json_depth_exceeds(&body, state.config.max_json_depth) {
        return Err(ApiError::bad_request(format!(
            "The request body nests JSON deeper than {} levels.",
            state.config.max_json_depth
        )));
    }
    let route = match_any_route(head.method.as_str(), head.uri.path()).map_err(|e| match e {
        RouteError::NotFound | RouteError::MethodNotAllowed => ApiError::not_found(
            "route",
            format!("No operation serves {} {}", head.method, head.uri.path()),
        ),
        RouteError::BadEncoding => {
            ApiError::bad_request("A URI parameter is not valid percent-encoded UTF-8.")
        }
    })?;
    let query = head.uri.query();
    match route {
        AnyRoute::AmplifyBackend(route) => {
            let operation = route.operation;
            progress
                .operation
                .store(operation_index(operation), Ordering::Relaxed);
            let target = Target {
                service: Service::AmplifyBackend,
                operation: operation.name(),
                starts_jobs: operation.creates_job(),
                tenant: &tenant,
            };
            let failing_jobs = inject_faults(&state, target, progress).await?;
            let cx = Ctx {
                state,
                tenant,
                failing_jobs,
            };
            tracing::debug!(operation = operation.name(), account = %cx.tenant.account, region = %cx.tenant.region, "dispatch");
            let params = route.params;
            handlers::with_handler!(operation, |handler| run(cx, params, query, &body, handler)
                .await)
        }
        AnyRoute::Amplify(route) => {
            let operation = route.operation;
            progress
                .operation
                .store(amplify_operation_index(operation), Ordering::Relaxed);
            let target = Target {
                service: Service::Amplify,
                operation: operation.name(),
                starts_jobs: false,
                tenant: &tenant,
            };
            let failing_jobs = inject_faults(&state, target, progress).await?;
            let cx = Ctx {
                state,
                tenant,
                failing_jobs,
            };
            tracing::debug!(service = "amplify", operation = operation.name(), account = %cx.tenant.account, region = %cx.tenant.region, "dispatch");
            let params = route.params;
            handlers::amplify::with_handler!(
                operation,
                |handler| run(cx, params, query, &body, handler).await,
                |unserved| Err(ApiError::not_served(unserved))
            )
        }
    }
}

/// Applies this process's fault rules to a routed request: waits the rule's latency, then
/// answers its error, or hands on the failure its jobs are to end with.
async fn inject_faults(
    state: &AppState,
    target: Target<'_>,
    progress: &Progress,
) -> Result<Option<String>, ApiError> {
    let Some(injection) = state.control.faults.draw(target) else {
        return Ok(None);
    };
    progress.fault_injected.store(true, Ordering::Relaxed);
    if let Some(latency) = injection.latency {
        tokio::time::sleep(latency).await;
    }
    match injection.error {
        Some(error) => Err(error),
        None => Ok(injection.job_error),
    }
}

/// Decodes and validates the input, runs the handler, encodes its output. A handler
/// answers the output, or its wire form where a member the model requires is unknown (a
/// config recorded by an import).
async fn run<I, O, F, Fut>(
    cx: Ctx,
    params: Vec<(&'static str, String)>,
    query: Option<&str>,
    body: &[u8],
    handler: F,
) -> Result<Response, ApiError>
where
    I: OperationInput,
    O: Serialize + Into<I::Output>,
    F: FnOnce(Ctx, I) -> Fut,
    Fut: Future<Output = Result<O, ApiError>>,
{
    let input = decode_request::<I>(params, query, body)?;
    let output = handler(cx, input).await?;
    Ok(encode_output(&output))
}
