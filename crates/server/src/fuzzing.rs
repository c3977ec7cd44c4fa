//! Entry points for the fuzz targets in `crates/server/fuzz`: the server's request decoding
//! of every operation, without a running server.

use crate::error::ApiError;
use crate::protocol::decode_input;
use crate::state::Ctx;
use amplifybackend_model::{Operation, OperationInput};

/// Decodes and validates `body` with the URI parameters `params` as the input of
/// `operation`, exactly as the server does before the operation's handler runs.
pub fn decode(
    operation: Operation,
    params: Vec<(&'static str, String)>,
    body: &[u8],
) -> Result<(), ApiError> {
    crate::handlers::with_handler!(operation, |handler| decode_for(handler, params, body))
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
}
