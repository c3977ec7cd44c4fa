//! Verifying AWS Signature Version 4, in the Authorization header or presigned in the query.
//!
//! Signing crates (aws-sigv4) build signatures for outgoing requests with headers of their
//! own choosing; a verifier must instead rebuild the canonical request exactly as the
//! client described it (its `SignedHeaders`, its path as sent), so this module does that and
//! leaves key derivation and comparison to `hmac` (whose `verify_slice` is constant-time).

use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;

type HmacSha256 = Hmac<Sha256>;

/// SigV4's URI encoding: everything but RFC 3986's unreserved characters.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The hash of an empty payload.
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The parts of a request a signature covers, as received.
#[derive(Debug, Clone, Copy)]
pub struct RequestParts<'a> {
    /// `GET`, `POST`.
    pub method: &'a str,
    /// The path exactly as in the request line (still percent-encoded).
    pub path: &'a str,
    /// The query string as in the request line, without `?`.
    pub query: &'a str,
    /// Every header, in arrival order (names in any case).
    pub headers: &'a [(&'a str, &'a str)],
    /// The body.
    pub body: &'a [u8],
}

impl<'a> RequestParts<'a> {
    fn header_values<'b>(&'b self, name: &'b str) -> impl Iterator<Item = &'a str> + 'b {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }

    fn header(&self, name: &str) -> Option<&'a str> {
        self.header_values(name).next()
    }

    fn query_params(&self) -> Vec<(String, String)> {
        self.query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                (decode(k), decode(v))
            })
            .collect()
    }
}

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

fn encode(s: &str) -> String {
    utf8_percent_encode(s, ENCODE).to_string()
}

/// Where the signature travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// `Authorization: AWS4-HMAC-SHA256 …`.
    Header,
    /// `?X-Amz-Signature=…` (a presigned URL).
    Query,
}

/// A request's signature claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    /// Header or query.
    pub placement: Placement,
    /// The access key id.
    pub access_key_id: String,
    /// `YYYYMMDD` of the scope.
    pub scope_date: String,
    /// Region of the scope.
    pub region: String,
    /// Service of the scope.
    pub service: String,
    /// `YYYYMMDDTHHMMSSZ`.
    pub amz_date: String,
    /// Lowercase header names, in the client's order.
    pub signed_headers: Vec<String>,
    /// The signature, hex-decoded.
    pub signature: Vec<u8>,
    /// Presigned lifetime in seconds.
    pub expires_secs: Option<u64>,
    /// `X-Amz-Security-Token`.
    pub security_token: Option<String>,
}

impl Claims {
    /// `date/region/service/aws4_request`.
    pub fn scope(&self) -> String {
        format!(
            "{}/{}/{}/aws4_request",
            self.scope_date, self.region, self.service
        )
    }
}

/// Why a request's signature cannot be checked or does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigError {
    /// No signature at all.
    #[error("the request carries no signature")]
    Missing,
    /// A signature is present but malformed.
    #[error("{0}")]
    Malformed(&'static str),
    /// The signature does not match.
    #[error("the request signature does not match")]
    Mismatch,
}

fn credential_parts(credential: &str) -> Result<(String, String, String, String), SigError> {
    let bad = SigError::Malformed("the credential scope is malformed");
    let mut parts = credential.split('/');
    let mut next = || parts.next().filter(|p| !p.is_empty()).ok_or(bad.clone());
    let out = (
        next()?.to_owned(),
        next()?.to_owned(),
        next()?.to_owned(),
        next()?.to_owned(),
    );
    if next()? != "aws4_request" {
        return Err(bad);
    }
    Ok(out)
}

fn hex_decode(s: &str) -> Option<Vec<u8>> {
    if s.len() != 64 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect()
}

/// Lowercase hex, without a formatted string per byte (it runs several times on every
/// signed request).
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Reads the signature claims of a request.
pub fn parse_claims(req: &RequestParts<'_>) -> Result<Claims, SigError> {
    if let Some(auth) = req.header("authorization") {
        let rest = auth
            .trim()
            .strip_prefix("AWS4-HMAC-SHA256 ")
            .ok_or(SigError::Malformed(
                "only AWS4-HMAC-SHA256 signatures are accepted",
            ))?;
        let (mut credential, mut signed, mut signature) = (None, None, None);
        for part in rest.split(',').map(str::trim) {
            if let Some(v) = part.strip_prefix("Credential=") {
                credential = Some(v);
            } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
                signed = Some(v);
            } else if let Some(v) = part.strip_prefix("Signature=") {
                signature = Some(v);
            }
        }
        let missing = SigError::Malformed(
            "the Authorization header lacks Credential, SignedHeaders or Signature",
        );
        let (key, date, region, service) = credential_parts(credential.ok_or(missing.clone())?)?;
        let amz_date = req
            .header("x-amz-date")
            .ok_or(SigError::Malformed(
                "the request lacks an X-Amz-Date header",
            ))?
            .trim()
            .to_owned();
        return Ok(Claims {
            placement: Placement::Header,
            access_key_id: key,
            scope_date: date,
            region,
            service,
            amz_date,
            signed_headers: signed
                .ok_or(missing.clone())?
                .split(';')
                .map(str::to_ascii_lowercase)
                .collect(),
            signature: hex_decode(signature.ok_or(missing)?)
                .ok_or(SigError::Malformed("the signature is not 64 hex digits"))?,
            expires_secs: None,
            security_token: req.header("x-amz-security-token").map(str::to_owned),
        });
    }
    let params = req.query_params();
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let Some(signature) = get("X-Amz-Signature") else {
        return Err(SigError::Missing);
    };
    if get("X-Amz-Algorithm") != Some("AWS4-HMAC-SHA256") {
        return Err(SigError::Malformed(
            "only AWS4-HMAC-SHA256 signatures are accepted",
        ));
    }
    let missing = SigError::Malformed("the presigned query lacks a required X-Amz-* parameter");
    let (key, date, region, service) =
        credential_parts(get("X-Amz-Credential").ok_or(missing.clone())?)?;
    let expires = get("X-Amz-Expires")
        .ok_or(missing.clone())?
        .parse::<u64>()
        .map_err(|_| SigError::Malformed("X-Amz-Expires is not a number"))?;
    Ok(Claims {
        placement: Placement::Query,
        access_key_id: key,
        scope_date: date,
        region,
        service,
        amz_date: get("X-Amz-Date").ok_or(missing.clone())?.to_owned(),
        signed_headers: get("X-Amz-SignedHeaders")
            .ok_or(missing)?
            .split(';')
            .map(str::to_ascii_lowercase)
            .collect(),
        signature: hex_decode(signature)
            .ok_or(SigError::Malformed("the signature is not 64 hex digits"))?,
        expires_secs: Some(expires),
        security_token: get("X-Amz-Security-Token").map(str::to_owned),
    })
}

/// Removes `.` and `..` segments and empty segments (keeping a trailing slash).
fn normalize_path(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    let trailing =
        path.len() > 1 && (path.ends_with('/') || path.ends_with("/.") || path.ends_with("/.."));
    let mut joined = format!("/{}", out.join("/"));
    if trailing && joined != "/" {
        joined.push('/');
    }
    joined
}

/// Each segment of the path as sent, encoded once more (the double encoding every AWS
/// service but S3 uses).
fn canonical_uri(path: &str) -> String {
    if path.is_empty() {
        return "/".into();
    }
    path.split('/').map(encode).collect::<Vec<_>>().join("/")
}

fn canonical_query(req: &RequestParts<'_>, placement: Placement, omit_token: bool) -> String {
    let mut pairs: Vec<(String, String)> = req
        .query_params()
        .into_iter()
        .filter(|(k, _)| !(placement == Placement::Query && k == "X-Amz-Signature"))
        .filter(|(k, _)| !(omit_token && k == "X-Amz-Security-Token"))
        .map(|(k, v)| (encode(&k), encode(&v)))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn canonical_header_value(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The ways signers differ in building the canonical request.
#[derive(Debug, Clone, Copy)]
pub struct Variant<'h> {
    /// Whether the path was normalized (dot segments and empty segments removed).
    pub normalize: bool,
    /// The payload hash signed.
    pub payload_hash: &'h str,
    /// Whether a presigned `X-Amz-Security-Token` was added after signing (STS style).
    pub token_added_after: bool,
}

/// The canonical request of one signing variant.
pub fn canonical_request(req: &RequestParts<'_>, claims: &Claims, variant: Variant<'_>) -> String {
    let path = if variant.normalize {
        normalize_path(req.path)
    } else {
        req.path.to_owned()
    };
    let mut out = String::with_capacity(256);
    out.push_str(req.method);
    out.push('\n');
    out.push_str(&canonical_uri(&path));
    out.push('\n');
    out.push_str(&canonical_query(
        req,
        claims.placement,
        variant.token_added_after,
    ));
    out.push('\n');
    for name in &claims.signed_headers {
        let values: Vec<String> = req
            .header_values(name)
            .map(canonical_header_value)
            .collect();
        out.push_str(name);
        out.push(':');
        out.push_str(&values.join(","));
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&claims.signed_headers.join(";"));
    out.push('\n');
    out.push_str(variant.payload_hash);
    out
}

/// The string to sign for a canonical request.
pub fn string_to_sign(claims: &Claims, canonical_request: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256\n{}\n{}\n{}",
        claims.amz_date,
        claims.scope(),
        hex(&Sha256::digest(canonical_request.as_bytes()))
    )
}

fn new_mac(key: &[u8]) -> HmacSha256 {
    match <HmacSha256 as Mac>::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => unreachable!("HMAC-SHA256 accepts keys of any length"),
    }
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = new_mac(key);
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// The derived signing key of a secret for a date, region and service.
pub fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let k_region = hmac(&k_date, region.as_bytes());
    let k_service = hmac(&k_region, service.as_bytes());
    hmac(&k_service, b"aws4_request")
}

/// Derived signing keys, cached per (access key, date, region, service): deriving one
/// costs four HMACs, checking a request with a cached key one.
#[derive(Debug, Default)]
pub struct KeyCache {
    keys: Mutex<HashMap<KeyScope, [u8; 32]>>,
}

/// (access key, date, region, service).
type KeyScope = (String, String, String, String);

impl KeyCache {
    const MAX_ENTRIES: usize = 4096;

    /// The signing key, derived once.
    pub fn get(&self, secret: &str, claims: &Claims) -> [u8; 32] {
        let id = (
            claims.access_key_id.clone(),
            claims.scope_date.clone(),
            claims.region.clone(),
            claims.service.clone(),
        );
        if let Ok(keys) = self.keys.lock()
            && let Some(k) = keys.get(&id)
        {
            return *k;
        }
        let key = signing_key(secret, &claims.scope_date, &claims.region, &claims.service);
        if let Ok(mut keys) = self.keys.lock() {
            if keys.len() >= Self::MAX_ENTRIES {
                keys.clear();
            }
            keys.insert(id, key);
        }
        key
    }
}

/// Checks the signature of `req` against `signing_key`. Tries the path as sent, then
/// normalized; for presigned requests also an unsigned payload.
pub fn verify(
    req: &RequestParts<'_>,
    claims: &Claims,
    signing_key: &[u8; 32],
) -> Result<(), SigError> {
    if !claims.signed_headers.iter().any(|h| h == "host") {
        return Err(SigError::Malformed(
            "the signature must cover the host header",
        ));
    }
    let body_hash = hex(&Sha256::digest(req.body));
    let declared = req.header("x-amz-content-sha256");
    if let Some(declared) = declared
        && declared != body_hash
    {
        return Err(SigError::Mismatch);
    }
    let mut hashes = vec![body_hash];
    if claims.placement == Placement::Query && req.body.is_empty() {
        hashes.push("UNSIGNED-PAYLOAD".into());
    }
    let normalized_differs = normalize_path(req.path) != req.path;
    let token_in_query = claims.placement == Placement::Query && claims.security_token.is_some();
    for hash in &hashes {
        for (normalize, token_added_after) in
            [(false, false), (true, false), (false, true), (true, true)]
        {
            if (normalize && !normalized_differs) || (token_added_after && !token_in_query) {
                continue;
            }
            let variant = Variant {
                normalize,
                payload_hash: hash,
                token_added_after,
            };
            let canonical = canonical_request(req, claims, variant);
            let to_sign = string_to_sign(claims, &canonical);
            let mut mac = new_mac(signing_key);
            mac.update(to_sign.as_bytes());
            if mac.verify_slice(&claims.signature).is_ok() {
                return Ok(());
            }
        }
    }
    Err(SigError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lowercase_two_digits_a_byte_and_reads_back() {
        let bytes: Vec<u8> = (0..=255).collect();
        let text = hex(&bytes);
        assert_eq!(&text[..8], "00010203");
        assert_eq!(&text[text.len() - 4..], "feff");
        assert_eq!(hex_decode(&text[..64]), Some(bytes[..32].to_vec()));
    }

    #[test]
    fn normalizes_paths_as_the_suite_does() {
        assert_eq!(normalize_path("//example//"), "/example/");
        assert_eq!(normalize_path("/example1/example2/../.."), "/");
        assert_eq!(normalize_path("/./"), "/");
        assert_eq!(normalize_path("/"), "/");
        assert_eq!(normalize_path("/a/./b/../c"), "/a/c");
    }

    #[test]
    fn double_encodes_paths() {
        assert_eq!(canonical_uri("/a%3Ab/c d"), "/a%253Ab/c%20d");
        assert_eq!(canonical_uri("/ሴ"), "/%E1%88%B4");
    }

    #[test]
    fn derives_the_documented_signing_key() {
        // AWS documentation's example: secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY,
        // 20120215, us-east-1, iam.
        let key = signing_key(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "20120215",
            "us-east-1",
            "iam",
        );
        assert_eq!(
            hex(&key),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
        );
    }
}
