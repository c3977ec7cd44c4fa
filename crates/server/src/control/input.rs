//! Reading control requests: JSON bodies and the scope's query parameters, every problem
//! a 400 through `crate::error` (never axum's own rejections).

use crate::body::read_body;
use crate::error::ApiError;
use crate::state::AppState;
use amplifybackend_store::Scope;
use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;
use serde::de::DeserializeOwned;

/// The whole body, within the server's limits.
pub async fn bytes(state: &AppState, body: Body) -> Result<Bytes, ApiError> {
    read_body(body, state.config.max_body_bytes, state.config.body_timeout).await
}

/// The body as `T`; an empty body is `T::default()`.
pub async fn json_or_default<T: DeserializeOwned + Default>(
    state: &AppState,
    body: Body,
) -> Result<T, ApiError> {
    let bytes = bytes(state, body).await?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    json(&bytes)
}

/// The body as `T`, or 400 naming where it is wrong.
pub fn json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let at = if path == "." {
            String::new()
        } else {
            format!(" at {path}")
        };
        ApiError::bad_request(format!("The request body is not valid{at}: {}", e.inner()))
    })
}

/// The scope named by the query (`accountId`, `region`; both optional, nothing else).
pub fn scope(query: Option<&str>) -> Result<Scope, ApiError> {
    let mut scope = Scope::everything();
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode_str(&value.replace('+', " "))
            .decode_utf8()
            .map_err(|_| ApiError::bad_request("A query parameter is not UTF-8."))?
            .into_owned();
        let slot = match name {
            "accountId" => &mut scope.account,
            "region" => &mut scope.region,
            other => {
                return Err(ApiError::bad_request(format!(
                    "Unknown query parameter '{other}': only accountId and region."
                )));
            }
        };
        if value.is_empty() || slot.is_some() {
            return Err(ApiError::bad_request(format!(
                "The query parameter '{name}' must be given once, not empty."
            )));
        }
        *slot = Some(value);
    }
    Ok(scope)
}

/// A 200 answer with a JSON body.
pub fn ok(body: &serde_json::Value) -> Response {
    let mut response = (StatusCode::OK, body.to_string()).into_response();
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
