//! The SigV4 verifier against the AWS signing test suite (tests/data/sigv4-suite, from the
//! AWS Common Runtime as kept in smithy-rs): every canonical request and string to sign is
//! reproduced, every signed request verifies, and mutations of it do not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use amplifybackend_server::sigv4::{self, Claims, RequestParts};
use std::path::{Path, PathBuf};

struct Request {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    /// Parses the suite's request format: a request line, headers (continuation lines
    /// folded into the previous value), a blank line, the body.
    fn parse(text: &str) -> Request {
        let (head, body) = match text.find("\n\n") {
            Some(i) => (&text[..i], text.as_bytes()[i + 2..].to_vec()),
            None => (text.trim_end_matches('\n'), Vec::new()),
        };
        let mut lines = head.lines();
        let line = lines.next().unwrap();
        let method = line.split(' ').next().unwrap().to_owned();
        let end = line.rfind(" HTTP/").unwrap_or(line.len());
        let target = line[method.len() + 1..end].to_owned();
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_owned(), q.to_owned()),
            None => (target.clone(), String::new()),
        };
        let mut headers: Vec<(String, String)> = Vec::new();
        for l in lines {
            if l.starts_with(' ') || l.starts_with('\t') {
                let last = headers.last_mut().unwrap();
                last.1.push(' ');
                last.1.push_str(l.trim());
            } else if let Some((n, v)) = l.split_once(':') {
                headers.push((n.to_owned(), v.to_owned()));
            }
        }
        Request {
            method,
            path,
            query,
            headers,
            body,
        }
    }

    fn with<R>(&self, f: impl FnOnce(&RequestParts<'_>) -> R) -> R {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        f(&RequestParts {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            headers: &headers,
            body: &self.body,
        })
    }
}

struct Case {
    name: String,
    dir: PathBuf,
    normalize: bool,
    token_added_after: bool,
    secret: Option<String>,
}

fn cases() -> Vec<Case> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sigv4-suite");
    let mut out: Vec<Case> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(|e| {
            let dir = e.ok()?.path();
            dir.is_dir().then_some(dir)
        })
        .map(|dir| {
            let context: Option<serde_json::Value> =
                std::fs::read_to_string(dir.join("context.json"))
                    .ok()
                    .map(|t| serde_json::from_str(&t).unwrap());
            Case {
                name: dir.file_name().unwrap().to_string_lossy().into_owned(),
                normalize: context
                    .as_ref()
                    .is_none_or(|c| c["normalize"].as_bool() != Some(false)),
                token_added_after: context
                    .as_ref()
                    .is_some_and(|c| c["omit_session_token"].as_bool() == Some(true)),
                secret: context.map(|c| {
                    c["credentials"]["secret_access_key"]
                        .as_str()
                        .unwrap()
                        .to_owned()
                }),
                dir,
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(out.len() >= 40, "the suite has {} cases", out.len());
    out
}

fn read(dir: &Path, file: &str) -> Option<String> {
    std::fs::read_to_string(dir.join(file)).ok()
}

fn payload_hash(body: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn reproduces_every_canonical_request_and_string_to_sign() {
    let mut checked = 0;
    for case in cases() {
        for kind in ["header", "query"] {
            let (Some(signed), Some(expected)) = (
                read(&case.dir, &format!("{kind}-signed-request.txt")),
                read(&case.dir, &format!("{kind}-canonical-request.txt")),
            ) else {
                continue;
            };
            let request = Request::parse(&signed);
            let claims: Claims = request
                .with(sigv4::parse_claims)
                .unwrap_or_else(|e| panic!("{}: {e}", case.name));
            let hash = payload_hash(&request.body);
            let variant = sigv4::Variant {
                normalize: case.normalize,
                payload_hash: &hash,
                token_added_after: case.token_added_after && kind == "query",
            };
            let canonical = request.with(|r| sigv4::canonical_request(r, &claims, variant));
            if case.secret.is_none() {
                // Path-encoding cases without a context: their signed request's date is stale,
                // so only the canonical URI is theirs to check.
                assert_eq!(
                    canonical.lines().nth(1),
                    expected.lines().nth(1),
                    "{} ({kind}): canonical URI",
                    case.name
                );
                checked += 1;
                continue;
            }
            assert_eq!(
                canonical, expected,
                "{} ({kind}): canonical request",
                case.name
            );
            if let Some(sts) = read(&case.dir, &format!("{kind}-string-to-sign.txt")) {
                assert_eq!(
                    sigv4::string_to_sign(&claims, &canonical),
                    sts,
                    "{} ({kind}): string to sign",
                    case.name
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 70, "only {checked} canonical requests checked");
}

#[test]
fn accepts_every_signed_request_and_rejects_mutations() {
    let mut verified = 0;
    for case in cases() {
        let Some(secret) = &case.secret else { continue };
        for kind in ["header", "query"] {
            let Some(signed) = read(&case.dir, &format!("{kind}-signed-request.txt")) else {
                continue;
            };
            let request = Request::parse(&signed);
            let claims = request.with(sigv4::parse_claims).unwrap();
            let key =
                sigv4::signing_key(secret, &claims.scope_date, &claims.region, &claims.service);
            assert_eq!(
                request.with(|r| sigv4::verify(r, &claims, &key)),
                Ok(()),
                "{} ({kind})",
                case.name
            );
            verified += 1;

            let wrong_key = sigv4::signing_key(
                "not-the-secret",
                &claims.scope_date,
                &claims.region,
                &claims.service,
            );
            assert!(
                request
                    .with(|r| sigv4::verify(r, &claims, &wrong_key))
                    .is_err(),
                "{} ({kind}): wrong key",
                case.name
            );

            let mut m = Request::parse(&signed);
            m.method = if m.method == "GET" {
                "POST".into()
            } else {
                "GET".into()
            };
            assert!(
                m.with(|r| sigv4::verify(r, &claims, &key)).is_err(),
                "{} ({kind}): method",
                case.name
            );

            let mut m = Request::parse(&signed);
            m.path.push('x');
            assert!(
                m.with(|r| sigv4::verify(r, &claims, &key)).is_err(),
                "{} ({kind}): path",
                case.name
            );

            let mut m = Request::parse(&signed);
            m.query = if m.query.is_empty() {
                "extra=1".into()
            } else {
                format!("{}&extra=1", m.query)
            };
            assert!(
                m.with(|r| sigv4::verify(r, &claims, &key)).is_err(),
                "{} ({kind}): query",
                case.name
            );

            let mut m = Request::parse(&signed);
            m.body.push(b'!');
            assert!(
                m.with(|r| sigv4::verify(r, &claims, &key)).is_err(),
                "{} ({kind}): body",
                case.name
            );

            for signed_header in &claims.signed_headers {
                let mut m = Request::parse(&signed);
                for (n, v) in &mut m.headers {
                    if n.eq_ignore_ascii_case(signed_header) {
                        v.push('x');
                    }
                }
                assert!(
                    m.with(|r| sigv4::verify(r, &claims, &key)).is_err(),
                    "{} ({kind}): header {signed_header}",
                    case.name
                );
            }
        }
    }
    assert!(verified >= 70, "only {verified} signed requests verified");
}
