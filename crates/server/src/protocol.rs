//! The rest-json binding: request bodies to input shapes, output shapes to responses.

use crate::error::ApiError;
use amplifybackend_model::OperationInput;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Builds an operation's input from its URI parameters and JSON body, and validates it.
/// An empty body is `{}`; `null` members are absent; unknown members are ignored.
pub fn decode_input<I: OperationInput>(
    params: Vec<(&'static str, String)>,
    body: &[u8],
) -> Result<I, ApiError> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        &b"{}"[..]
    } else {
        body
    };
    // serde's derived structs also accept JSON arrays; the protocol allows only objects.
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::bad_request(
            "The request body must be a JSON object.",
        ));
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let mut input: I = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            ApiError::bad_request(format!("The request body is not valid JSON: {inner}"))
        } else {
            ApiError::bad_request(format!("Invalid value for '{path}': {inner}"))
        }
    })?;
    de.end()
        .map_err(|e| ApiError::bad_request(format!("The request body is not valid JSON: {e}")))?;
    for (name, value) in params {
        input.set_uri_param(name, value);
    }
    input
        .validate()
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    Ok(input)
}

/// A 200 response with the output as JSON.
pub fn encode_output<O: Serialize>(output: &O) -> Response {
    match serde_json::to_vec(output) {
        Ok(body) => {
            let mut response = body.into_response();
            response.headers_mut().insert(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            response
        }
        Err(e) => ApiError::internal(e).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use amplifybackend_model::{
        CreateBackendRequest, GetBackendJobRequest, ListBackendJobsRequest,
    };

    fn message<T: std::fmt::Debug>(r: Result<T, ApiError>) -> String {
        r.err().map(|e| e.message).unwrap_or_default()
    }

    #[test]
    fn empty_bodies_are_empty_objects() {
        let params = vec![
            ("appId", "a".to_string()),
            ("backendEnvironmentName", "dev".to_string()),
            ("jobId", "j".to_string()),
        ];
        let input = decode_input::<GetBackendJobRequest>(params, b"");
        assert_eq!(input.map(|i| i.job_id), Ok(Some("j".into())));
    }

    #[test]
    fn names_the_member_of_a_type_error() {
        let r = decode_input::<CreateBackendRequest>(
            vec![],
            br#"{"appId":"a","appName":7,"backendEnvironmentName":"dev"}"#,
        );
        assert!(message(r).starts_with("Invalid value for 'appName': invalid type"));
    }

    #[test]
    fn rejects_malformed_json_and_non_objects() {
        assert!(
            message(decode_input::<CreateBackendRequest>(vec![], b"{")).contains("not valid JSON")
        );
        assert!(
            message(decode_input::<CreateBackendRequest>(vec![], b"[1]")).contains("JSON object")
        );
        assert!(
            message(decode_input::<CreateBackendRequest>(
                vec![],
                br#"["a","b","dev"]"#
            ))
            .contains("JSON object")
        );
        assert!(
            message(decode_input::<CreateBackendRequest>(vec![], b"\"x\"")).contains("JSON object")
        );
        assert!(
            message(decode_input::<CreateBackendRequest>(vec![], b"{} x"))
                .contains("not valid JSON")
        );
    }

    #[test]
    fn treats_null_as_absent_and_reports_missing_members() {
        let r = decode_input::<CreateBackendRequest>(
            vec![],
            br#"{"appId":"a","appName":null,"backendEnvironmentName":"dev","extra":1}"#,
        );
        assert_eq!(message(r), "Missing required member 'appName'");
    }

    #[test]
    fn checks_ranges_after_binding_uri_members() {
        let params = vec![
            ("appId", "a".to_string()),
            ("backendEnvironmentName", "dev".to_string()),
        ];
        let r = decode_input::<ListBackendJobsRequest>(params, br#"{"maxResults":0}"#);
        assert_eq!(
            message(r),
            "Invalid value 0 for 'maxResults': must be between 1 and 25"
        );
    }
}
