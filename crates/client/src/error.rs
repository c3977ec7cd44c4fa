//! The errors of a call: the service's modeled exceptions, any other service error, and
//! what can go wrong before or around the HTTP exchange.

use amplifybackend_model::{BuildError, ValidationError};
use std::fmt;
use std::time::Duration;

/// What is known of the HTTP exchange behind an error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorMeta {
    /// The HTTP status, when a response arrived.
    pub status: Option<u16>,
    /// The `x-amzn-RequestId` of the response, when a response arrived.
    pub request_id: Option<String>,
    /// Attempts made (retries included).
    pub attempts: u32,
}

/// Why a call failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// `BadRequestException` (400).
    BadRequest {
        /// The service's message.
        message: String,
        /// The exchange.
        meta: ErrorMeta,
    },
    /// `NotFoundException` (404).
    NotFound {
        /// The service's message.
        message: String,
        /// The kind of resource that was not found (`resourceType`).
        resource_type: Option<String>,
        /// The exchange.
        meta: ErrorMeta,
    },
    /// `TooManyRequestsException` (429).
    TooManyRequests {
        /// The service's message.
        message: String,
        /// Which limit was hit (`limitType`).
        limit_type: Option<String>,
        /// The exchange.
        meta: ErrorMeta,
    },
    /// `GatewayTimeoutException` (504).
    GatewayTimeout {
        /// The service's message.
        message: String,
        /// The exchange.
        meta: ErrorMeta,
    },
    /// `UnauthorizedException` (401, Amplify).
    Unauthorized {
        /// The service's message.
        message: String,
        /// The exchange.
        meta: ErrorMeta,
    },
    /// `LimitExceededException` (429, Amplify): retried, as botocore retries it.
    LimitExceeded {
        /// The service's message.
        message: String,
        /// The exchange.
        meta: ErrorMeta,
    },
    /// `InternalFailureException` (500, Amplify).
    InternalFailure {
        /// The service's message.
        message: String,
        /// The exchange.
        meta: ErrorMeta,
    },
    /// `DependentServiceFailureException` (503, Amplify).
    DependentServiceFailure {
        /// The service's message.
        message: String,
        /// The exchange.
        meta: ErrorMeta,
    },
    /// `ResourceNotFoundException` (404, Amplify's tag operations: no such resource ARN).
    ResourceNotFound {
        /// The service's message.
        message: String,
        /// The exchange.
        meta: ErrorMeta,
    },
    /// Any other error the service answered, by its code: `ValidationException` (400, a
    /// job-creating request while another job of the environment is pending),
    /// `InvalidSignatureException`, `InternalFailure`, or an HTTP status when no code could
    /// be found. As botocore does, only the model's exceptions get variants of their own.
    Service {
        /// The error code, resolved as botocore does.
        code: String,
        /// The service's message.
        message: String,
        /// The exchange.
        meta: ErrorMeta,
    },
    /// The response could not be understood.
    Decode {
        /// What was wrong.
        message: String,
        /// The exchange.
        meta: ErrorMeta,
    },
    /// The request could not be sent or the response not received.
    Transport {
        /// The cause.
        source: Box<dyn std::error::Error + Send + Sync>,
        /// The exchange.
        meta: ErrorMeta,
    },
    /// The connect or read timeout elapsed.
    Timeout {
        /// The cause.
        source: Box<dyn std::error::Error + Send + Sync>,
        /// The exchange.
        meta: ErrorMeta,
    },
    /// No credentials could be found, or they cannot sign.
    Credentials {
        /// What is missing.
        message: String,
    },
    /// The configuration is unusable: no region, a bad endpoint URL, a missing profile.
    Config {
        /// What is wrong.
        message: String,
    },
    /// The input breaks the model (required members, enumerations, ranges); nothing was sent.
    Validation(ValidationError),
    /// A builder lacked required members; nothing was sent.
    Build(BuildError),
    /// A paginator's starting token or the service's tokens are unusable.
    Pagination {
        /// What is wrong.
        message: String,
    },
    /// A waited-for job ended `FAILED`.
    JobFailed {
        /// The job.
        job_id: String,
        /// The job's `error`.
        error: Option<String>,
    },
    /// A waiter gave up.
    WaiterTimeout {
        /// The job.
        job_id: String,
        /// The job's last status.
        last_status: Option<String>,
        /// How long it waited.
        waited: Duration,
    },
}

impl Error {
    /// The exchange's details, for errors that reached the wire.
    pub fn meta(&self) -> Option<&ErrorMeta> {
        match self {
            Error::BadRequest { meta, .. }
            | Error::NotFound { meta, .. }
            | Error::TooManyRequests { meta, .. }
            | Error::GatewayTimeout { meta, .. }
            | Error::Unauthorized { meta, .. }
            | Error::LimitExceeded { meta, .. }
            | Error::InternalFailure { meta, .. }
            | Error::DependentServiceFailure { meta, .. }
            | Error::ResourceNotFound { meta, .. }
            | Error::Service { meta, .. }
            | Error::Decode { meta, .. }
            | Error::Transport { meta, .. }
            | Error::Timeout { meta, .. } => Some(meta),
            _ => None,
        }
    }

    /// The service's request id (present on every error the service answered).
    pub fn request_id(&self) -> Option<&str> {
        self.meta().and_then(|m| m.request_id.as_deref())
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> Option<u16> {
        self.meta().and_then(|m| m.status)
    }

    /// The service's error code (`NotFoundException`), for errors the service answered.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::BadRequest { .. } => Some("BadRequestException"),
            Error::NotFound { .. } => Some("NotFoundException"),
            Error::TooManyRequests { .. } => Some("TooManyRequestsException"),
            Error::GatewayTimeout { .. } => Some("GatewayTimeoutException"),
            Error::Unauthorized { .. } => Some("UnauthorizedException"),
            Error::LimitExceeded { .. } => Some("LimitExceededException"),
            Error::InternalFailure { .. } => Some("InternalFailureException"),
            Error::DependentServiceFailure { .. } => Some("DependentServiceFailureException"),
            Error::ResourceNotFound { .. } => Some("ResourceNotFoundException"),
            Error::Service { code, .. } => Some(code),
            _ => None,
        }
    }

    /// The message: the service's, or a description of the local failure.
    pub fn message(&self) -> String {
        match self {
            Error::BadRequest { message, .. }
            | Error::NotFound { message, .. }
            | Error::TooManyRequests { message, .. }
            | Error::GatewayTimeout { message, .. }
            | Error::Unauthorized { message, .. }
            | Error::LimitExceeded { message, .. }
            | Error::InternalFailure { message, .. }
            | Error::DependentServiceFailure { message, .. }
            | Error::ResourceNotFound { message, .. }
            | Error::Service { message, .. }
            | Error::Decode { message, .. }
            | Error::Credentials { message }
            | Error::Config { message }
            | Error::Pagination { message } => message.clone(),
            other => other.to_string(),
        }
    }

    /// Whether the service answered this error (as opposed to a local or network failure).
    pub fn is_service_error(&self) -> bool {
        self.code().is_some()
    }

    /// Whether standard-mode retries retry it: throttling (429 or a throttling code),
    /// transient server errors (500, 502, 503, 504), transport errors and timeouts.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { .. } | Error::Timeout { .. } => true,
            Error::TooManyRequests { .. }
            | Error::GatewayTimeout { .. }
            | Error::LimitExceeded { .. }
            | Error::InternalFailure { .. }
            | Error::DependentServiceFailure { .. } => true,
            Error::Service { code, meta, .. } => {
                matches!(meta.status, Some(429 | 500 | 502 | 503 | 504))
                    || THROTTLING_CODES.contains(&code.as_str())
                    || TRANSIENT_CODES.contains(&code.as_str())
            }
            Error::BadRequest { meta, .. }
            | Error::NotFound { meta, .. }
            | Error::Unauthorized { meta, .. }
            | Error::ResourceNotFound { meta, .. } => {
                matches!(meta.status, Some(429 | 500 | 502 | 503 | 504))
            }
            _ => false,
        }
    }

    pub(crate) fn set_attempts(&mut self, attempts: u32) {
        match self {
            Error::BadRequest { meta, .. }
            | Error::NotFound { meta, .. }
            | Error::TooManyRequests { meta, .. }
            | Error::GatewayTimeout { meta, .. }
            | Error::Unauthorized { meta, .. }
            | Error::LimitExceeded { meta, .. }
            | Error::InternalFailure { meta, .. }
            | Error::DependentServiceFailure { meta, .. }
            | Error::ResourceNotFound { meta, .. }
            | Error::Service { meta, .. }
            | Error::Decode { meta, .. }
            | Error::Transport { meta, .. }
            | Error::Timeout { meta, .. } => meta.attempts = attempts,
            _ => {}
        }
    }
}

/// Codes botocore's standard mode treats as throttling.
const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Codes botocore's standard mode treats as transient.
const TRANSIENT_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
];

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::BadRequest { message, .. }
            | Error::NotFound { message, .. }
            | Error::TooManyRequests { message, .. }
            | Error::GatewayTimeout { message, .. }
            | Error::Unauthorized { message, .. }
            | Error::LimitExceeded { message, .. }
            | Error::InternalFailure { message, .. }
            | Error::DependentServiceFailure { message, .. }
            | Error::ResourceNotFound { message, .. }
            | Error::Service { message, .. } => {
                write!(f, "{}: {message}", self.code().unwrap_or_default())
            }
            Error::Decode { message, .. } => write!(f, "cannot read the response: {message}"),
            Error::Transport { source, .. } => write!(f, "could not reach the endpoint: {source}"),
            Error::Timeout { source, .. } => write!(f, "timed out: {source}"),
            Error::Credentials { message } => write!(f, "{message}"),
            Error::Config { message } => write!(f, "{message}"),
            Error::Validation(e) => write!(f, "Parameter validation failed: {e}"),
            Error::Build(e) => write!(f, "{e}"),
            Error::Pagination { message } => write!(f, "{message}"),
            Error::JobFailed { job_id, error } => write!(
                f,
                "job {job_id} failed: {}",
                error.as_deref().unwrap_or("no reason given")
            ),
            Error::WaiterTimeout {
                job_id,
                last_status,
                waited,
            } => write!(
                f,
                "gave up waiting for job {job_id} after {:.1} s (last status {})",
                waited.as_secs_f64(),
                last_status.as_deref().unwrap_or("unknown")
            ),
        }
    }
}

impl From<BuildError> for Error {
    fn from(e: BuildError) -> Error {
        Error::Build(e)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } | Error::Timeout { source, .. } => {
                Some(source.as_ref())
            }
            Error::Validation(e) => Some(e),
            Error::Build(e) => Some(e),
            _ => None,
        }
    }
}

/// The error code of a response, as botocore resolves it: the `X-Amzn-ErrorType` header
/// (up to any `:`), else the body's `code` or `__type` (after any `#`), else the status.
pub fn resolve_code(header: Option<&str>, body: Option<&serde_json::Value>, status: u16) -> String {
    if let Some(h) = header {
        let code = h.split(':').next().unwrap_or_default().trim();
        if !code.is_empty() {
            return code.to_owned();
        }
    }
    if let Some(body) = body {
        let raw = body
            .get("code")
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty())
            .or_else(|| body.get("__type").and_then(|v| v.as_str()));
        if let Some(raw) = raw {
            let code = raw.rsplit('#').next().unwrap_or(raw);
            let code = code.split(':').next().unwrap_or(code);
            if !code.is_empty() {
                return code.to_owned();
            }
        }
    }
    status.to_string()
}

/// Builds the error of a non-2xx response.
pub(crate) fn from_response(
    status: u16,
    header_code: Option<&str>,
    request_id: Option<String>,
    body: &[u8],
) -> Error {
    let parsed: Option<serde_json::Value> = if body.is_empty() {
        None
    } else {
        serde_json::from_slice(body).ok()
    };
    let code = resolve_code(header_code, parsed.as_ref(), status);
    let field = |names: &[&str]| -> Option<String> {
        let body = parsed.as_ref()?;
        names
            .iter()
            .find_map(|n| body.get(*n).and_then(|v| v.as_str()).map(str::to_owned))
    };
    let message = field(&["message", "Message", "errorMessage"]).unwrap_or_default();
    let meta = ErrorMeta {
        status: Some(status),
        request_id,
        attempts: 1,
    };
    match code.as_str() {
        "BadRequestException" => Error::BadRequest { message, meta },
        "NotFoundException" => Error::NotFound {
            message,
            resource_type: field(&["resourceType", "ResourceType"]),
            meta,
        },
        "TooManyRequestsException" => Error::TooManyRequests {
            message,
            limit_type: field(&["limitType", "LimitType"]),
            meta,
        },
        "GatewayTimeoutException" => Error::GatewayTimeout { message, meta },
        "UnauthorizedException" => Error::Unauthorized { message, meta },
        "LimitExceededException" => Error::LimitExceeded { message, meta },
        "InternalFailureException" => Error::InternalFailure { message, meta },
        "DependentServiceFailureException" => Error::DependentServiceFailure { message, meta },
        "ResourceNotFoundException" => Error::ResourceNotFound { message, meta },
        _ => Error::Service {
            code,
            message,
            meta,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resolves_codes_like_botocore() {
        assert_eq!(
            resolve_code(Some("ValidationException:http://internal/"), None, 400),
            "ValidationException"
        );
        assert_eq!(
            resolve_code(
                None,
                Some(&json!({"__type": "aws.ns#ThrottlingException"})),
                400
            ),
            "ThrottlingException"
        );
        assert_eq!(
            resolve_code(None, Some(&json!({"code": "Foo"})), 400),
            "Foo"
        );
        assert_eq!(resolve_code(Some(""), Some(&json!({})), 502), "502");
        assert_eq!(resolve_code(None, None, 503), "503");
    }

    #[test]
    fn maps_modeled_exceptions() {
        let e = from_response(
            404,
            Some("NotFoundException"),
            Some("rid".into()),
            br#"{"message":"gone","resourceType":"app"}"#,
        );
        assert!(matches!(&e, Error::NotFound { resource_type: Some(t), .. } if t == "app"));
        assert_eq!(e.request_id(), Some("rid"));
        assert_eq!(e.code(), Some("NotFoundException"));
        let e = from_response(
            429,
            None,
            None,
            br#"{"__type":"x#TooManyRequestsException","limitType":"rate"}"#,
        );
        assert!(matches!(&e, Error::TooManyRequests { limit_type: Some(t), .. } if t == "rate"));
        assert!(e.is_retryable());
        let e = from_response(
            400,
            Some("ValidationException"),
            Some("rid".into()),
            br#"{"message":"There is already a pending job"}"#,
        );
        assert!(matches!(&e, Error::Service { code, .. } if code == "ValidationException"));
        assert_eq!(e.code(), Some("ValidationException"));
        assert_eq!(e.status(), Some(400));
        assert_eq!(e.message(), "There is already a pending job");
        assert_eq!(
            e.to_string(),
            "ValidationException: There is already a pending job"
        );
        assert!(e.is_service_error() && !e.is_retryable());
        let e = from_response(
            401,
            Some("UnauthorizedException"),
            Some("rid".into()),
            br#"{"message":"no"}"#,
        );
        assert!(matches!(&e, Error::Unauthorized { message, .. } if message == "no"));
        assert!(!e.is_retryable());
        let e = from_response(429, Some("LimitExceededException"), None, b"{}");
        assert!(matches!(e, Error::LimitExceeded { .. }) && e.is_retryable());
        let e = from_response(500, Some("InternalFailureException"), None, b"{}");
        assert!(matches!(e, Error::InternalFailure { .. }) && e.is_retryable());
        let e = from_response(503, Some("DependentServiceFailureException"), None, b"{}");
        assert!(matches!(e, Error::DependentServiceFailure { .. }) && e.is_retryable());
        let e = from_response(404, Some("ResourceNotFoundException"), None, b"{}");
        assert!(matches!(e, Error::ResourceNotFound { .. }) && !e.is_retryable());
        assert_eq!(e.code(), Some("ResourceNotFoundException"));
        let e = from_response(503, None, None, b"<html>");
        assert!(matches!(&e, Error::Service { code, .. } if code == "503"));
        assert!(e.is_retryable());
    }
}
