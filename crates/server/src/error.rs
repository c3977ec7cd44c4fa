//! The one error type of the service and its rendering on the wire (docs/BEHAVIOUR.md,
//! "Errors"), and the words of the rules of the data ([`rules`]).

mod rules;

pub use rules::job_error;

use amplifybackend_store::StoreError;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The error names the service answers with: the model's exceptions and the front door's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// 400, modeled.
    BadRequest,
    /// 400, not modeled: what the service answers a job-creating request while another
    /// job of the environment is pending (SDKs raise their generic service error).
    Validation,
    /// 404, modeled; carries `resourceType`.
    NotFound,
    /// 429, modeled; carries `limitType`.
    TooManyRequests,
    /// 504, modeled.
    GatewayTimeout,
    /// 403: no signature where one is required.
    MissingAuthenticationToken,
    /// 403: unknown access key.
    UnrecognizedClient,
    /// 403: signature mismatch, malformed, or request time too far off.
    InvalidSignature,
    /// 403: a valid key that may not do this (the control surface needs an admin key).
    AccessDenied,
    /// 413: body over the limit.
    RequestEntityTooLarge,
    /// 414: URI over the limit.
    UriTooLong,
    /// 431: headers over the limit.
    HeadersTooLarge,
    /// 408: the request's body stopped arriving; the connection is closed after it.
    RequestTimeout,
    /// 500: a fault of ours; details go to the log, never to the client.
    InternalFailure,
}

impl ErrorKind {
    /// The `X-Amzn-ErrorType` name.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "BadRequestException",
            ErrorKind::Validation => "ValidationException",
            ErrorKind::NotFound => "NotFoundException",
            ErrorKind::TooManyRequests => "TooManyRequestsException",
            ErrorKind::GatewayTimeout => "GatewayTimeoutException",
            ErrorKind::MissingAuthenticationToken => "MissingAuthenticationTokenException",
            ErrorKind::UnrecognizedClient => "UnrecognizedClientException",
            ErrorKind::InvalidSignature => "InvalidSignatureException",
            ErrorKind::AccessDenied => "AccessDeniedException",
            ErrorKind::RequestEntityTooLarge => "RequestEntityTooLarge",
            ErrorKind::UriTooLong => "RequestURITooLong",
            ErrorKind::HeadersTooLarge => "RequestHeaderFieldsTooLarge",
            ErrorKind::RequestTimeout => "RequestTimeoutException",
            ErrorKind::InternalFailure => "InternalFailure",
        }
    }

    /// The HTTP status.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorKind::BadRequest | ErrorKind::Validation => StatusCode::BAD_REQUEST,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::GatewayTimeout => StatusCode::GATEWAY_TIMEOUT,
            ErrorKind::MissingAuthenticationToken
            | ErrorKind::UnrecognizedClient
            | ErrorKind::InvalidSignature
            | ErrorKind::AccessDenied => StatusCode::FORBIDDEN,
            ErrorKind::RequestEntityTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::UriTooLong => StatusCode::URI_TOO_LONG,
            ErrorKind::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ErrorKind::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ErrorKind::InternalFailure => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// An error answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// Which error.
    pub kind: ErrorKind,
    /// `message`.
    pub message: String,
    /// `resourceType` (NotFound) or `limitType` (TooManyRequests).
    pub detail: Option<String>,
}

impl ApiError {
    /// 400 with a message.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError {
            kind: ErrorKind::BadRequest,
            message: message.into(),
            detail: None,
        }
    }

    /// 404 naming the kind of resource (`app`, `environment`, `job`, `auth`, ...).
    pub fn not_found(resource_type: &str, message: impl Into<String>) -> Self {
        ApiError {
            kind: ErrorKind::NotFound,
            message: message.into(),
            detail: Some(resource_type.to_owned()),
        }
    }

    /// 429 naming the limit that was hit.
    pub fn too_many_requests(limit_type: &str, message: impl Into<String>) -> Self {
        ApiError {
            kind: ErrorKind::TooManyRequests,
            message: message.into(),
            detail: Some(limit_type.to_owned()),
        }
    }

    /// An error of another kind.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        ApiError {
            kind,
            message: message.into(),
            detail: None,
        }
    }

    /// A fault of ours: logs the cause, tells the client nothing about it.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal failure");
        ApiError::new(ErrorKind::InternalFailure, "An internal error occurred.")
    }

    /// The JSON body.
    fn body(&self) -> String {
        let mut body = serde_json::Map::new();
        body.insert("message".into(), self.message.clone().into());
        match (self.kind, &self.detail) {
            (ErrorKind::NotFound, Some(d)) => {
                body.insert("resourceType".into(), d.clone().into());
            }
            (ErrorKind::TooManyRequests, Some(d)) => {
                body.insert("limitType".into(), d.clone().into());
            }
            _ => {}
        }
        serde_json::Value::Object(body).to_string()
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind.code(), self.message)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Rule(rule) => rule.into(),
            StoreError::NotFound(kind) => {
                ApiError::not_found(kind, format!("The requested {kind} was not found."))
            }
            other => ApiError::internal(other),
        }
    }
}

impl From<crate::control::document::DocumentError> for ApiError {
    fn from(e: crate::control::document::DocumentError) -> Self {
        ApiError::bad_request(format!("The state document is not valid at {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.kind.status(), self.body()).into_response();
        let headers = response.headers_mut();
        headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        headers.insert(
            "x-amzn-errortype",
            HeaderValue::from_static(self.kind.code()),
        );
        if self.kind == ErrorKind::RequestTimeout {
            // The rest of the body may still be on its way: the connection cannot carry
            // another request.
            headers.insert(http::header::CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_carries_resource_type() {
        let e = ApiError::not_found("job", "nope");
        assert_eq!(e.body(), r#"{"message":"nope","resourceType":"job"}"#);
        let r = e.into_response();
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(r.headers()["x-amzn-errortype"], "NotFoundException");
    }

    #[test]
    fn internal_failures_hide_their_cause() {
        let e = ApiError::from(StoreError::Database(
            "disk I/O error at /secret/path".into(),
        ));
        assert_eq!(e.kind, ErrorKind::InternalFailure);
        assert!(!e.message.contains("secret"));
    }
}
