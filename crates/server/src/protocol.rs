//! The rest-json binding: request bodies to input shapes, output shapes to responses.

use crate::error::ApiError;
use amplifybackend_model::{OperationInput, Structure};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Builds an operation's input from its URI parameters and JSON body, and validates it.
/// An empty body is `{}`; `null` members are absent; unknown members are ignored. The body
/// is read into the input's wire form, where a required member may be absent, so that
/// validation reports every violation before the input becomes typed.
pub fn decode_input<I: OperationInput>(
    params: Vec<(&'static str, String)>,
    body: &[u8],
) -> Result<I, ApiError> {
    decode_request(params, None, body)
}

/// [`decode_input`] with the request's query string, whose parameters bind the input's
/// query members (`maxResults`, `tagKeys`, repeated for each item of a list); parameters
/// the input has no member for (a presigned request's `X-Amz-*`) are ignored.
pub fn decode_request<I: OperationInput>(
    params: Vec<(&'static str, String)>,
    query: Option<&str>,
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
    let wire: <I as Structure>::Wire = serde_path_to_error::deserialize(&mut de).map_err(|e| {
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
    let mut wire = wire;
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(&s.replace('+', " "))
                .decode_utf8()
                .map(|v| v.into_owned())
                .map_err(|_| {
                    ApiError::bad_request("A query parameter is not valid percent-encoded UTF-8.")
                })
        };
        I::set_query_param(&mut wire, &decode(name)?, decode(value)?)
            .map_err(ApiError::bad_request)?;
    }
    I::from_request(wire, params).map_err(|e| ApiError::bad_request(e.to_string()))
}

/// A 200 response with the output as JSON.
pub fn encode_output<O: Serialize>(output: &O) -> Response {
    // Most answers fit in 4 KiB: grown from serde_json's 128 bytes as it was written, a
    // GetBackend answer was reallocated five times.
    let mut body = Vec::with_capacity(4096);
    match serde_json::to_writer(&mut body, output) {
        Ok(()) => {
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
        CreateBackendAPIRequest, CreateBackendAuthRequest, CreateBackendRequest,
        CreateBackendStorageRequest, GetBackendJobRequest, ImportBackendAuthRequest,
        ListBackendJobsRequest, UpdateBackendAuthRequest,
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
        assert_eq!(input.map(|i| i.job_id), Ok("j".into()));
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

    /// Every violation of a request, missing members among enumeration and range ones, in
    /// the model's member order: the answers pinned here are the service's wire contract.
    #[test]
    fn reports_every_violation_in_the_model_order() {
        fn message_of<I: OperationInput + std::fmt::Debug>(
            params: &[(&'static str, &str)],
            body: &str,
        ) -> String {
            let params = params.iter().map(|(n, v)| (*n, (*v).to_owned())).collect();
            message(decode_input::<I>(params, body.as_bytes()))
        }
        let env = [("appId", "a"), ("backendEnvironmentName", "dev")];
        assert_eq!(
            message_of::<CreateBackendAuthRequest>(
                &env,
                r#"{"resourceConfig":{"authResources":"NOPE","userPoolConfigs":{"mfa":{},
                "requiredSignUpAttributes":["EMAIL","BAD"],"passwordPolicy":{},
                "oAuth":{"oAuthGrantType":"CODE"}}}}"#
            ),
            "Missing required member 'backendEnvironmentName'; \
             Invalid value 'NOPE' for 'resourceConfig.authResources': must be one of \
             USER_POOL_ONLY, IDENTITY_POOL_AND_USER_POOL; \
             Missing required member 'resourceConfig.service'; \
             Missing required member 'resourceConfig.userPoolConfigs.mfa.MFAMode'; \
             Missing required member 'resourceConfig.userPoolConfigs.oAuth.oAuthScopes'; \
             Missing required member 'resourceConfig.userPoolConfigs.oAuth.redirectSignInURIs'; \
             Missing required member 'resourceConfig.userPoolConfigs.oAuth.redirectSignOutURIs'; \
             Missing required member 'resourceConfig.userPoolConfigs.passwordPolicy.minimumLength'; \
             Invalid value 'BAD' for 'resourceConfig.userPoolConfigs.requiredSignUpAttributes[1]': \
             must be one of ADDRESS, BIRTHDATE, EMAIL, FAMILY_NAME, GENDER, GIVEN_NAME, LOCALE, \
             MIDDLE_NAME, NAME, NICKNAME, PHONE_NUMBER, PICTURE, PREFERRED_USERNAME, PROFILE, \
             UPDATED_AT, WEBSITE, ZONE_INFO; \
             Missing required member 'resourceConfig.userPoolConfigs.signInMethod'; \
             Missing required member 'resourceConfig.userPoolConfigs.userPoolName'; \
             Missing required member 'resourceName'"
        );
        assert_eq!(
            message_of::<CreateBackendRequest>(&[], "{}"),
            "Missing required member 'appId'; Missing required member 'appName'; \
             Missing required member 'backendEnvironmentName'"
        );
        assert_eq!(
            message_of::<ListBackendJobsRequest>(&[("appId", "a")], r#"{"maxResults":26}"#),
            "Missing required member 'backendEnvironmentName'; \
             Invalid value 26 for 'maxResults': must be between 1 and 25"
        );
        assert_eq!(
            message_of::<CreateBackendStorageRequest>(
                &env,
                r#"{"resourceConfig":{"permissions":{"unAuthenticated":["NOPE"]},
                "serviceName":"X"}}"#
            ),
            "Missing required member 'backendEnvironmentName'; \
             Missing required member 'resourceConfig.permissions.authenticated'; \
             Invalid value 'NOPE' for 'resourceConfig.permissions.unAuthenticated[0]': \
             must be one of READ, CREATE_AND_UPDATE, DELETE; \
             Invalid value 'X' for 'resourceConfig.serviceName': must be one of S3; \
             Missing required member 'resourceName'"
        );
        assert_eq!(
            message_of::<UpdateBackendAuthRequest>(
                &env,
                r#"{"resourceName":"r","resourceConfig":{"service":"COGNITO",
                "userPoolConfigs":{"verificationMessage":{},"forgotPassword":{}}}}"#
            ),
            "Missing required member 'resourceConfig.authResources'; \
             Missing required member 'resourceConfig.userPoolConfigs.verificationMessage.deliveryMethod'"
        );
        assert_eq!(
            message_of::<ImportBackendAuthRequest>(&[], "{}"),
            "Missing required member 'appId'; Missing required member 'backendEnvironmentName'; \
             Missing required member 'nativeClientId'; Missing required member 'userPoolId'; \
             Missing required member 'webClientId'"
        );
        assert_eq!(
            message_of::<GetBackendJobRequest>(&[("appId", "a")], "{}"),
            "Missing required member 'backendEnvironmentName'; Missing required member 'jobId'"
        );
        assert_eq!(
            message_of::<CreateBackendAPIRequest>(
                &env,
                r#"{"resourceConfig":{"defaultAuthType":{"mode":"NOPE"}}}"#
            ),
            "Missing required member 'backendEnvironmentName'; \
             Invalid value 'NOPE' for 'resourceConfig.defaultAuthType.mode': must be one of \
             API_KEY, AWS_IAM, AMAZON_COGNITO_USER_POOLS, OPENID_CONNECT; \
             Missing required member 'resourceName'"
        );
    }
}
