//! Who is asking: the account from the access key, the region from the SigV4 credential
//! scope (docs/BEHAVIOUR.md, "Tenancy").
//!
//! This is the seam where signature verification plugs in: [`Authenticator`] sees the whole
//! request head and either names the [`Tenant`] or refuses. [`LocalDevelopment`] trusts the
//! credential scope without checking the signature.

use crate::error::{ApiError, ErrorKind};
use amplifybackend_store::Tenant;
use http::request::Parts;
use percent_encoding::percent_decode_str;

/// The account used for access keys that are not a 12-digit account id.
pub const DEFAULT_ACCOUNT: &str = "000000000000";
/// The region used for requests that carry no credential scope.
pub const DEFAULT_REGION: &str = "us-east-1";

/// Decides whose request this is.
pub trait Authenticator: Send + Sync + std::fmt::Debug + 'static {
    /// The request's tenant, or the front-door error refusing it.
    fn authenticate(&self, head: &Parts, body: &[u8]) -> Result<Tenant, ApiError>;

    /// Whether the request may use the control surface (`/_amplifybackend/faults`, ...):
    /// by default whoever [`Authenticator::authenticate`] lets in.
    fn authorize_control(&self, head: &Parts, body: &[u8]) -> Result<Tenant, ApiError> {
        self.authenticate(head, body)
    }
}

/// The credential scope of a SigV4 request: `AKID/20240101/us-east-1/amplifybackend/aws4_request`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialScope {
    /// The access key id.
    pub access_key_id: String,
    /// `YYYYMMDD`.
    pub date: String,
    /// The region.
    pub region: String,
    /// The service name.
    pub service: String,
}

impl CredentialScope {
    /// Parses `AKID/date/region/service/aws4_request`.
    pub fn parse(credential: &str) -> Option<CredentialScope> {
        let mut parts = credential.split('/');
        let access_key_id = parts.next()?;
        let date = parts.next()?;
        let region = parts.next()?;
        let service = parts.next()?;
        if parts.next()? != "aws4_request" || parts.next().is_some() {
            return None;
        }
        let region_ok = !region.is_empty()
            && region.len() <= 64
            && region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let key_ok = !access_key_id.is_empty()
            && access_key_id.len() <= 128
            && access_key_id.bytes().all(|b| b.is_ascii_alphanumeric());
        if !region_ok || !key_ok {
            return None;
        }
        Some(CredentialScope {
            access_key_id: access_key_id.to_owned(),
            date: date.to_owned(),
            region: region.to_owned(),
            service: service.to_owned(),
        })
    }

    /// The scope of a request: from the `Authorization` header, else from the presigned
    /// query's `X-Amz-Credential`. `Ok(None)`: the request is not signed at all.
    pub fn of_request(head: &Parts) -> Result<Option<CredentialScope>, ApiError> {
        let malformed = || {
            ApiError::new(
                ErrorKind::InvalidSignature,
                "The credential scope of the request is malformed.",
            )
        };
        if let Some(value) = head.headers.get(http::header::AUTHORIZATION) {
            let value = value.to_str().map_err(|_| malformed())?;
            let credential = value
                .strip_prefix("AWS4-HMAC-SHA256")
                .and_then(|rest| {
                    rest.split(',')
                        .map(str::trim)
                        .find_map(|p| p.strip_prefix("Credential="))
                })
                .ok_or_else(malformed)?;
            return CredentialScope::parse(credential)
                .map(Some)
                .ok_or_else(malformed);
        }
        let query = head.uri.query().unwrap_or("");
        for pair in query.split('&') {
            if let Some(value) = pair.strip_prefix("X-Amz-Credential=") {
                let decoded = percent_decode_str(value)
                    .decode_utf8()
                    .map_err(|_| malformed())?;
                return CredentialScope::parse(&decoded)
                    .map(Some)
                    .ok_or_else(malformed);
            }
        }
        Ok(None)
    }
}

/// Local development: any signature is accepted unchecked; a 12-digit access key is the
/// account, any other key is the default account [chosen, as LocalStack does].
#[derive(Debug, Default, Clone, Copy)]
pub struct LocalDevelopment;

impl Authenticator for LocalDevelopment {
    fn authenticate(&self, head: &Parts, _body: &[u8]) -> Result<Tenant, ApiError> {
        Ok(match CredentialScope::of_request(head)? {
            Some(scope) => {
                let is_account = scope.access_key_id.len() == 12
                    && scope.access_key_id.bytes().all(|b| b.is_ascii_digit());
                Tenant {
                    account: if is_account {
                        scope.access_key_id
                    } else {
                        DEFAULT_ACCOUNT.to_owned()
                    },
                    region: scope.region,
                }
            }
            None => Tenant {
                account: DEFAULT_ACCOUNT.to_owned(),
                region: DEFAULT_REGION.to_owned(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(auth: Option<&str>, uri: &str) -> Parts {
        let mut b = http::Request::builder().uri(uri);
        if let Some(a) = auth {
            b = b.header("authorization", a);
        }
        b.body(())
            .map(|r| r.into_parts().0)
            .unwrap_or_else(|_| http::Request::new(()).into_parts().0)
    }

    #[test]
    fn takes_account_and_region_from_the_header() {
        let h = head(
            Some(
                "AWS4-HMAC-SHA256 Credential=123456789012/20240101/eu-west-1/amplifybackend/aws4_request, SignedHeaders=host, Signature=ab",
            ),
            "/backend",
        );
        let t = LocalDevelopment.authenticate(&h, b"");
        assert_eq!(
            t.map(|t| (t.account, t.region)),
            Ok(("123456789012".into(), "eu-west-1".into()))
        );
    }

    #[test]
    fn maps_other_keys_to_the_default_account() {
        let h = head(
            Some(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-west-2/amplifybackend/aws4_request, SignedHeaders=host, Signature=ab",
            ),
            "/backend",
        );
        let t = LocalDevelopment.authenticate(&h, b"");
        assert_eq!(
            t.map(|t| (t.account, t.region)),
            Ok((DEFAULT_ACCOUNT.into(), "us-west-2".into()))
        );
    }

    #[test]
    fn reads_presigned_queries() {
        let h = head(
            None,
            "/backend/a/challenge/s?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=111111111111%2F20240101%2Fap-south-1%2Famplifybackend%2Faws4_request",
        );
        let t = LocalDevelopment.authenticate(&h, b"");
        assert_eq!(
            t.map(|t| (t.account, t.region)),
            Ok(("111111111111".into(), "ap-south-1".into()))
        );
    }

    #[test]
    fn unsigned_requests_use_the_defaults_and_malformed_ones_are_refused() {
        let t = LocalDevelopment.authenticate(&head(None, "/backend"), b"");
        assert_eq!(t.map(|t| t.account), Ok(DEFAULT_ACCOUNT.into()));
        let bad =
            LocalDevelopment.authenticate(&head(Some("AWS4-HMAC-SHA256 Credential=x/y"), "/"), b"");
        assert_eq!(bad.map_err(|e| e.kind), Err(ErrorKind::InvalidSignature));
        let bad_region = LocalDevelopment.authenticate(
            &head(
                Some("AWS4-HMAC-SHA256 Credential=AK/20240101/../amplifybackend/aws4_request"),
                "/",
            ),
            b"",
        );
        assert!(bad_region.is_err());
    }
}
