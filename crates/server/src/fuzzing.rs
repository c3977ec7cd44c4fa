//! Entry points for the fuzz targets in `crates/server/fuzz`: the server's request decoding
//! of every operation, without a running server.

use crate::error::ApiError;
use crate::protocol::{decode_input, decode_request};
use crate::state::Ctx;
use amplifybackend_model::{Operation, OperationInput, amplify};

/// Decodes and validates `body` with the URI parameters `params` as the input of
/// `operation`, exactly as the server does before the operation's handler runs.
pub fn decode(
    operation: Operation,
    params: Vec<(&'static str, String)>,
    body: &[u8],
) -> Result<(), ApiError> {
    crate::handlers::with_handler!(operation, |handler| decode_for(handler, params, body))
}

/// Decodes and validates `body`, the URI parameters `params` and the query string `query`
/// as the input of the Amplify service's `operation`, as the server does; an operation the
/// server does not serve answers its not-served error.
pub fn decode_amplify(
    operation: amplify::Operation,
    params: Vec<(&'static str, String)>,
    query: Option<&str>,
    body: &[u8],
) -> Result<(), ApiError> {
    crate::handlers::amplify::with_handler!(
        operation,
        |handler| decode_query_for(handler, params, query, body),
        |unserved| Err(ApiError::not_served(unserved))
    )
}

fn decode_query_for<I, F, Fut>(
    _handler: F,
    params: Vec<(&'static str, String)>,
    query: Option<&str>,
    body: &[u8],
) -> Result<(), ApiError>
where
    I: OperationInput,
    F: FnOnce(Ctx, I) -> Fut,
{
    decode_request::<I>(params, query, body).map(|_| ())
}

/// Decodes the input of `handler`, whose type names it.
fn decode_for<I, F, Fut>(
    _handler: F,
    params: Vec<(&'static str, String)>,
    body: &[u8],
) -> Result<(), ApiError>
where
    I: OperationInput,
    F: FnOnce(Ctx, I) -> Fut,
{
    decode_input::<I>(params, body).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use amplifybackend_model::UriSegment;

    #[test]
    fn decodes_every_operation() {
        for op in Operation::ALL {
            let params: Vec<(&'static str, String)> = op
                .uri_segments()
                .iter()
                .filter_map(|s| match s {
                    UriSegment::Param(name) => Some((*name, "x".to_owned())),
                    UriSegment::Literal(_) => None,
                })
                .collect();
            let r = decode(op, params, b"[]");
            assert!(r.is_err(), "{}", op.name());
        }
        let ok = decode(
            Operation::GetBackend,
            vec![("appId", "a".into())],
            br#"{"backendEnvironmentName":"dev"}"#,
        );
        assert_eq!(ok, Ok(()));
    }

    #[test]
    fn decodes_every_amplify_operation_or_names_it_unserved() {
        for op in amplify::Operation::ALL {
            let params: Vec<(&'static str, String)> = op
                .uri_segments()
                .iter()
                .filter_map(|s| match s {
                    UriSegment::Param(name) => Some((*name, "x".to_owned())),
                    UriSegment::Literal(_) => None,
                })
                .collect();
            let r = decode_amplify(op, params, None, b"[]");
            assert!(r.is_err(), "{}", op.name());
        }
        let list = decode_amplify(
            amplify::Operation::ListApps,
            vec![],
            Some("maxResults=5&nextToken=abc"),
            b"",
        );
        assert_eq!(list, Ok(()));
        let bad = decode_amplify(
            amplify::Operation::ListApps,
            vec![],
            Some("maxResults=x"),
            b"",
        );
        assert!(bad.is_err_and(|e| e.message.contains("maxResults")));
        let untag = decode_amplify(
            amplify::Operation::UntagResource,
            vec![("resourceArn", "arn:aws:amplify:us-east-1:1:apps/d1".into())],
            Some("tagKeys=a&tagKeys=b"),
            b"",
        );
        assert_eq!(untag, Ok(()));
        let branch = decode_amplify(
            amplify::Operation::ListBranches,
            vec![("appId", "d1".into())],
            None,
            b"",
        );
        assert!(branch.is_err_and(|e| e.message.contains("ListBranches")));
    }
}
