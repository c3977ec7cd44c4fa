//! The `nextToken`s of ListBackendJobs and of the Amplify service's lists: opaque, and
//! refused when forged or reused for another query.
//!
//! The token is the page cursor followed by an HMAC-SHA256 tag over the cursor, the tenant
//! and every filter of the query, keyed by the database's signing key (so every server
//! process sharing the database accepts it).

use amplifybackend_store::{JobQuery, Tenant};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

const TAG_LEN: usize = 16;

/// What a token is bound to besides its cursor.
#[derive(Debug)]
pub struct TokenScope<'a> {
    /// Whose.
    pub tenant: &'a Tenant,
    /// `appId`.
    pub app_id: &'a str,
    /// `backendEnvironmentName`.
    pub env: &'a str,
    /// The filters (the cursor and limit are ignored).
    pub query: &'a JobQuery,
}

fn tag(key: &[u8], cursor: i64, scope: &TokenScope<'_>) -> Option<[u8; TAG_LEN]> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).ok()?;
    mac.update(&cursor.to_be_bytes());
    let q = scope.query;
    for part in [
        Some(scope.tenant.account.as_str()),
        Some(scope.tenant.region.as_str()),
        Some(scope.app_id),
        Some(scope.env),
        q.job_id.as_deref(),
        q.operation.as_deref(),
        q.status.as_deref(),
    ] {
        match part {
            Some(s) => {
                mac.update(&[1]);
                mac.update(&(s.len() as u64).to_be_bytes());
                mac.update(s.as_bytes());
            }
            None => mac.update(&[0]),
        }
    }
    let full = mac.finalize().into_bytes();
    let mut out = [0u8; TAG_LEN];
    out.copy_from_slice(&full[..TAG_LEN]);
    Some(out)
}

/// The token for the page after `cursor`.
pub fn encode(key: &[u8], cursor: i64, scope: &TokenScope<'_>) -> String {
    let mut raw = cursor.to_be_bytes().to_vec();
    raw.extend_from_slice(&tag(key, cursor, scope).unwrap_or_default());
    URL_SAFE_NO_PAD.encode(raw)
}

/// The cursor of a token issued for this scope; `None` if it is malformed or forged.
pub fn decode(key: &[u8], token: &str, scope: &TokenScope<'_>) -> Option<i64> {
    let raw = URL_SAFE_NO_PAD.decode(token.as_bytes()).ok()?;
    if raw.len() != 8 + TAG_LEN {
        return None;
    }
    let (cursor_bytes, given) = raw.split_at(8);
    let cursor = i64::from_be_bytes(cursor_bytes.try_into().ok()?);
    let expected = tag(key, cursor, scope)?;
    // Constant-time comparison of the tags.
    let diff = expected
        .iter()
        .zip(given)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    (diff == 0).then_some(cursor)
}

/// The tag of a name cursor (the last `appId` or environment name of a page) for `scope`
/// (the tenant, the operation and what the list is of).
fn name_tag(key: &[u8], cursor: &str, scope: &[&str]) -> Option<[u8; TAG_LEN]> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).ok()?;
    for part in std::iter::once(cursor).chain(scope.iter().copied()) {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part.as_bytes());
    }
    let full = mac.finalize().into_bytes();
    let mut out = [0u8; TAG_LEN];
    out.copy_from_slice(&full[..TAG_LEN]);
    Some(out)
}

/// The token for the page after the item named `cursor` of the list `scope` names (the
/// Amplify service's ListApps and ListBackendEnvironments).
pub fn encode_name(key: &[u8], cursor: &str, scope: &[&str]) -> String {
    let mut raw = name_tag(key, cursor, scope).unwrap_or_default().to_vec();
    raw.extend_from_slice(cursor.as_bytes());
    URL_SAFE_NO_PAD.encode(raw)
}

/// The cursor of a name token issued for `scope`; `None` if it is malformed or forged.
pub fn decode_name(key: &[u8], token: &str, scope: &[&str]) -> Option<String> {
    let raw = URL_SAFE_NO_PAD.decode(token.as_bytes()).ok()?;
    if raw.len() < TAG_LEN {
        return None;
    }
    let (given, cursor) = raw.split_at(TAG_LEN);
    let cursor = std::str::from_utf8(cursor).ok()?;
    let expected = name_tag(key, cursor, scope)?;
    let diff = expected
        .iter()
        .zip(given)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    (diff == 0).then(|| cursor.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_tokens_round_trip_only_in_their_scope() {
        let key = [3u8; 32];
        let scope = ["000000000000", "us-east-1", "ListApps"];
        let token = encode_name(&key, "dabc", &scope);
        assert_eq!(decode_name(&key, &token, &scope), Some("dabc".to_owned()));
        assert_eq!(
            decode_name(&key, &token, &["000000000000", "eu-west-1", "ListApps"]),
            None
        );
        assert_eq!(decode_name(&[4u8; 32], &token, &scope), None);
        assert_eq!(decode_name(&key, "!!", &scope), None);
        let mut raw = URL_SAFE_NO_PAD.decode(token.as_bytes()).unwrap_or_default();
        if let Some(last) = raw.last_mut() {
            *last ^= 1;
        }
        assert_eq!(
            decode_name(&key, &URL_SAFE_NO_PAD.encode(raw), &scope),
            None
        );
    }

    #[test]
    fn round_trips_and_refuses_tampering_or_another_query() {
        let tenant = Tenant {
            account: "000000000000".into(),
            region: "us-east-1".into(),
        };
        let query = JobQuery::default();
        let scope = TokenScope {
            tenant: &tenant,
            app_id: "a",
            env: "dev",
            query: &query,
        };
        let key = [7u8; 32];
        let token = encode(&key, 42, &scope);
        assert_eq!(decode(&key, &token, &scope), Some(42));
        let mut forged = token.clone().into_bytes();
        forged[2] = if forged[2] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            decode(&key, &String::from_utf8(forged).unwrap_or_default(), &scope),
            None
        );
        let other_env = TokenScope {
            env: "prod",
            ..scope
        };
        assert_eq!(decode(&key, &token, &other_env), None);
        let filtered = JobQuery {
            status: Some("FAILED".into()),
            ..JobQuery::default()
        };
        let other_query = TokenScope {
            query: &filtered,
            ..scope
        };
        assert_eq!(decode(&key, &token, &other_query), None);
        assert_eq!(decode(&key, "not a token!", &scope), None);
        assert_eq!(decode(&[9u8; 32], &token, &scope), None);
    }
}
