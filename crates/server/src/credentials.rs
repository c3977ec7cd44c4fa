//! `serve --credentials FILE`: the access keys allowed in, and the authenticator that
//! enforces their signatures.

use crate::clock::Clock;
use crate::error::{ApiError, ErrorKind};
use crate::sigv4::{self, Claims, KeyCache, Placement, RequestParts, SigError};
use crate::tenancy::Authenticator;
use amplifybackend_store::Tenant;
use http::request::Parts;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

/// The service name a signature must be scoped to.
pub const SERVICE: &str = "amplifybackend";
/// How far a request's time may be from ours.
pub const MAX_SKEW_MS: i64 = 15 * 60 * 1000;
/// The longest lifetime of a presigned URL (7 days, as AWS allows).
pub const MAX_PRESIGN_SECS: u64 = 7 * 24 * 3600;

/// One access key.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Credential {
    /// The access key id.
    pub access_key_id: String,
    /// The secret: never logged.
    pub secret_access_key: String,
    /// The 12-digit account the key belongs to.
    pub account_id: String,
    /// Required on every request signed with this key, when set.
    #[serde(default)]
    pub session_token: Option<String>,
    /// Whether the key may use the control surface (`/_amplifybackend/faults`, ...).
    #[serde(default)]
    pub admin: bool,
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &amplifybackend_model::REDACTED)
            .field("account_id", &self.account_id)
            .field(
                "session_token",
                &self
                    .session_token
                    .as_ref()
                    .map(|_| amplifybackend_model::REDACTED),
            )
            .field("admin", &self.admin)
            .finish()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CredentialsFile {
    #[serde(default)]
    credentials: Vec<Credential>,
}

/// Why a credentials file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    /// Unreadable.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// Not the expected TOML.
    #[error("invalid credentials file {path}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong (never a secret).
        message: String,
    },
}

/// Parses a credentials file's text: `[[credentials]]` tables of `access_key_id`,
/// `secret_access_key`, `account_id` (12 digits), optional `session_token` and optional
/// `admin` (true: the key may use the control surface).
pub fn parse_credentials(path: &str, text: &str) -> Result<Vec<Credential>, CredentialsError> {
    let invalid = |message: String| CredentialsError::Invalid {
        path: path.to_owned(),
        message,
    };
    let file: CredentialsFile =
        toml::from_str(text).map_err(|e| invalid(e.message().to_owned()))?;
    if file.credentials.is_empty() {
        return Err(invalid("it defines no [[credentials]]".into()));
    }
    let mut seen = std::collections::HashSet::new();
    for c in &file.credentials {
        if c.access_key_id.is_empty() || !c.access_key_id.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Err(invalid(format!(
                "access_key_id '{}' must be letters and digits",
                c.access_key_id
            )));
        }
        if c.secret_access_key.is_empty() {
            return Err(invalid(format!(
                "the secret of {} is empty",
                c.access_key_id
            )));
        }
        if c.account_id.len() != 12 || !c.account_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid(format!(
                "account_id of {} must be 12 digits",
                c.access_key_id
            )));
        }
        if !seen.insert(c.access_key_id.clone()) {
            return Err(invalid(format!(
                "access key {} appears twice",
                c.access_key_id
            )));
        }
    }
    Ok(file.credentials)
}

/// Reads and parses a credentials file.
pub fn load_credentials(path: &str) -> Result<Vec<Credential>, CredentialsError> {
    let text = std::fs::read_to_string(path).map_err(|source| CredentialsError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse_credentials(path, &text)
}

/// Lets in only requests signed with a configured key.
#[derive(Debug)]
pub struct SignatureVerifier {
    keys: HashMap<String, Credential>,
    cache: KeyCache,
    clock: Arc<dyn Clock>,
}

impl SignatureVerifier {
    /// A verifier for these credentials, judging time by `clock`.
    pub fn new(credentials: Vec<Credential>, clock: Arc<dyn Clock>) -> Self {
        SignatureVerifier {
            keys: credentials
                .into_iter()
                .map(|c| (c.access_key_id.clone(), c))
                .collect(),
            cache: KeyCache::default(),
            clock,
        }
    }

    fn check_time(&self, claims: &Claims) -> Result<(), ApiError> {
        let expired = |m: &str| ApiError::new(ErrorKind::InvalidSignature, m.to_owned());
        let signed_at = crate::time::parse_amz_date(&claims.amz_date)
            .ok_or_else(|| expired("X-Amz-Date must be YYYYMMDD'T'HHMMSS'Z'."))?;
        if !claims.amz_date.starts_with(&claims.scope_date) {
            return Err(expired(
                "The credential scope's date does not match X-Amz-Date.",
            ));
        }
        let now = self.clock.now_ms();
        match (claims.placement, claims.expires_secs) {
            (Placement::Query, Some(expires)) => {
                if expires == 0 || expires > MAX_PRESIGN_SECS {
                    return Err(expired(
                        "X-Amz-Expires must be between 1 and 604800 seconds.",
                    ));
                }
                let until = signed_at.saturating_add(
                    i64::try_from(expires)
                        .unwrap_or(i64::MAX)
                        .saturating_mul(1000),
                );
                if now > until {
                    return Err(expired("The presigned URL has expired."));
                }
                if signed_at > now + MAX_SKEW_MS {
                    return Err(expired("The presigned URL is signed in the future."));
                }
            }
            _ => {
                if (now - signed_at).abs() > MAX_SKEW_MS {
                    return Err(expired(
                        "Signature expired: the request time is more than 15 minutes from the server's time.",
                    ));
                }
            }
        }
        Ok(())
    }
}

impl Authenticator for SignatureVerifier {
    fn authenticate(&self, head: &Parts, body: &[u8]) -> Result<Tenant, ApiError> {
        self.verify(head, body).map(|(_, tenant)| tenant)
    }

    /// Only keys marked `admin = true` may use the control surface.
    fn authorize_control(&self, head: &Parts, body: &[u8]) -> Result<Tenant, ApiError> {
        let (credential, tenant) = self.verify(head, body)?;
        if credential.admin {
            Ok(tenant)
        } else {
            Err(ApiError::new(
                ErrorKind::AccessDenied,
                format!(
                    "The access key {} may not use the control endpoints: mark it admin = true in the credentials file.",
                    credential.access_key_id
                ),
            ))
        }
    }
}

impl SignatureVerifier {
    /// The key that signed the request, and the request's tenant; or the refusal.
    fn verify(&self, head: &Parts, body: &[u8]) -> Result<(&Credential, Tenant), ApiError> {
        let mut headers: Vec<(&str, &str)> = Vec::with_capacity(head.headers.len() + 1);
        for (name, value) in &head.headers {
            let value = value.to_str().map_err(|_| {
                ApiError::new(
                    ErrorKind::InvalidSignature,
                    "A header value is not visible ASCII.",
                )
            })?;
            headers.push((name.as_str(), value));
        }
        // HTTP/2 carries the host in the :authority pseudo-header, which http puts in the URI.
        let authority = head.uri.authority().map(|a| a.as_str().to_owned());
        if !head.headers.contains_key(http::header::HOST)
            && let Some(a) = authority.as_deref()
        {
            headers.push(("host", a));
        }
        let req = RequestParts {
            method: head.method.as_str(),
            path: head.uri.path(),
            query: head.uri.query().unwrap_or(""),
            headers: &headers,
            body,
        };
        let claims = sigv4::parse_claims(&req).map_err(|e| match e {
            SigError::Missing => ApiError::new(
                ErrorKind::MissingAuthenticationToken,
                "Missing Authentication Token: the request must be signed with AWS Signature Version 4.",
            ),
            other => ApiError::new(ErrorKind::InvalidSignature, other.to_string()),
        })?;
        let Some(credential) = self.keys.get(&claims.access_key_id) else {
            return Err(ApiError::new(
                ErrorKind::UnrecognizedClient,
                "The security token included in the request is invalid.",
            ));
        };
        if credential.session_token != claims.security_token {
            return Err(ApiError::new(
                ErrorKind::UnrecognizedClient,
                "The security token included in the request is invalid.",
            ));
        }
        if claims.service != SERVICE {
            return Err(ApiError::new(
                ErrorKind::InvalidSignature,
                format!("Credential should be scoped to correct service: '{SERVICE}'."),
            ));
        }
        self.check_time(&claims)?;
        let key = self.cache.get(&credential.secret_access_key, &claims);
        sigv4::verify(&req, &claims, &key).map_err(|e| match e {
            SigError::Mismatch => ApiError::new(
                ErrorKind::InvalidSignature,
                "The request signature we calculated does not match the signature you provided. \
                 Check your AWS Secret Access Key and signing method.",
            ),
            other => ApiError::new(ErrorKind::InvalidSignature, other.to_string()),
        })?;
        let tenant = Tenant {
            account: credential.account_id.clone(),
            region: claims.region,
        };
        Ok((credential, tenant))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_checks_credentials_files() {
        let ok = parse_credentials(
            "c.toml",
            r#"
            [[credentials]]
            access_key_id = "AKIDTEAM1"
            secret_access_key = "s3cr3t"
            account_id = "111111111111"

            [[credentials]]
            access_key_id = "AKIDTEAM2"
            secret_access_key = "other"
            account_id = "222222222222"
            session_token = "tok"
            admin = true
            "#,
        );
        let creds = ok.unwrap_or_default();
        assert_eq!(creds.len(), 2);
        assert_eq!(creds[1].session_token.as_deref(), Some("tok"));
        assert!(!creds[0].admin && creds[1].admin);
        assert!(!format!("{creds:?}").contains("s3cr3t"));

        for bad in [
            "",
            "[[credentials]]\naccess_key_id = \"A\"\nsecret_access_key = \"s\"\naccount_id = \"12\"",
            "[[credentials]]\naccess_key_id = \"A\"\nsecret_access_key = \"\"\naccount_id = \"111111111111\"",
            "[[credentials]]\naccess_key_id = \"A\"\nsecret_access_key = \"s\"\naccount_id = \"111111111111\"\nextra = 1",
            "[[credentials]]\naccess_key_id = \"A\"\nsecret_access_key = \"s\"\naccount_id = \"111111111111\"\n[[credentials]]\naccess_key_id = \"A\"\nsecret_access_key = \"t\"\naccount_id = \"111111111111\"",
        ] {
            let err = parse_credentials("c.toml", bad)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(!err.is_empty(), "accepted: {bad}");
            assert!(!err.contains("\"s\"") && !err.contains("= \"t\""), "{err}");
        }
    }
}
