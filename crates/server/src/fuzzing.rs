//! Entry points for the fuzz targets in `crates/server/fuzz`: the server's request decoding
//! of every operation, without a running server.

use crate::error::ApiError;
use crate::protocol::decode_input;
use amplifybackend_model::*;

/// Decodes and validates `body` with the URI parameters `params` as the input of
/// `operation`, exactly as the server does before the operation's handler runs.
pub fn decode(
    operation: Operation,
    params: Vec<(&'static str, String)>,
    body: &[u8],
) -> Result<(), ApiError> {
    fn d<I: OperationInput>(p: Vec<(&'static str, String)>, b: &[u8]) -> Result<(), ApiError> {
        decode_input::<I>(p, b).map(|_| ())
    }
    use Operation as O;
    match operation {
        O::CloneBackend => d::<CloneBackendRequest>(params, body),
        O::CreateBackend => d::<CreateBackendRequest>(params, body),
        O::CreateBackendAPI => d::<CreateBackendAPIRequest>(params, body),
        O::CreateBackendAuth => d::<CreateBackendAuthRequest>(params, body),
        O::CreateBackendConfig => d::<CreateBackendConfigRequest>(params, body),
        O::CreateBackendStorage => d::<CreateBackendStorageRequest>(params, body),
        O::CreateToken => d::<CreateTokenRequest>(params, body),
        O::DeleteBackend => d::<DeleteBackendRequest>(params, body),
        O::DeleteBackendAPI => d::<DeleteBackendAPIRequest>(params, body),
        O::DeleteBackendAuth => d::<DeleteBackendAuthRequest>(params, body),
        O::DeleteBackendStorage => d::<DeleteBackendStorageRequest>(params, body),
        O::DeleteToken => d::<DeleteTokenRequest>(params, body),
        O::GenerateBackendAPIModels => d::<GenerateBackendAPIModelsRequest>(params, body),
        O::GetBackend => d::<GetBackendRequest>(params, body),
        O::GetBackendAPI => d::<GetBackendAPIRequest>(params, body),
        O::GetBackendAPIModels => d::<GetBackendAPIModelsRequest>(params, body),
        O::GetBackendAuth => d::<GetBackendAuthRequest>(params, body),
        O::GetBackendJob => d::<GetBackendJobRequest>(params, body),
        O::GetBackendStorage => d::<GetBackendStorageRequest>(params, body),
        O::GetToken => d::<GetTokenRequest>(params, body),
        O::ImportBackendAuth => d::<ImportBackendAuthRequest>(params, body),
        O::ImportBackendStorage => d::<ImportBackendStorageRequest>(params, body),
        O::ListBackendJobs => d::<ListBackendJobsRequest>(params, body),
        O::ListS3Buckets => d::<ListS3BucketsRequest>(params, body),
        O::RemoveAllBackends => d::<RemoveAllBackendsRequest>(params, body),
        O::RemoveBackendConfig => d::<RemoveBackendConfigRequest>(params, body),
        O::UpdateBackendAPI => d::<UpdateBackendAPIRequest>(params, body),
        O::UpdateBackendAuth => d::<UpdateBackendAuthRequest>(params, body),
        O::UpdateBackendConfig => d::<UpdateBackendConfigRequest>(params, body),
        O::UpdateBackendJob => d::<UpdateBackendJobRequest>(params, body),
        O::UpdateBackendStorage => d::<UpdateBackendStorageRequest>(params, body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
