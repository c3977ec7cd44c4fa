//! SigV4 parsing and verification of arbitrary requests, in the AWS signing suite's format
//! (request line, headers, blank line, body). Nothing may panic; a request that verifies
//! must stop verifying when its body changes or another key checks it.
#![no_main]

use amplifybackend_server::sigv4::{self, RequestParts};
use libfuzzer_sys::fuzz_target;

/// The secret of the suite's requests (the seed corpus).
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

struct Request {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn parse(data: &[u8]) -> Option<Request> {
    let split = data.windows(2).position(|w| w == b"\n\n");
    let (head, body) = match split {
        Some(i) => (&data[..i], data[i + 2..].to_vec()),
        None => (data, Vec::new()),
    };
    let head = std::str::from_utf8(head).ok()?;
    let mut lines = head.lines();
    let line = lines.next()?;
    let (method, target) = line.split_once(' ')?;
    let target = target.rsplit_once(" HTTP/").map_or(target, |(t, _)| t);
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut headers: Vec<(String, String)> = Vec::new();
    for l in lines {
        if l.starts_with(' ') || l.starts_with('\t') {
            if let Some(last) = headers.last_mut() {
                last.1.push(' ');
                last.1.push_str(l.trim());
            }
        } else if let Some((n, v)) = l.split_once(':') {
            headers.push((n.to_owned(), v.to_owned()));
        }
    }
    Some(Request {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        headers,
        body,
    })
}

fn check(req: &RequestParts<'_>) -> bool {
    let Ok(claims) = sigv4::parse_claims(req) else {
        return false;
    };
    let _ = claims.scope();
    let key = sigv4::signing_key(SECRET, &claims.scope_date, &claims.region, &claims.service);
    let verified = sigv4::verify(req, &claims, &key).is_ok();
    if verified {
        let other = sigv4::signing_key(
            "another secret",
            &claims.scope_date,
            &claims.region,
            &claims.service,
        );
        assert!(
            sigv4::verify(req, &claims, &other).is_err(),
            "a signature verified under two keys"
        );
    }
    verified
}

fuzz_target!(|data: &[u8]| {
    let Some(r) = parse(data) else {
        return;
    };
    let headers: Vec<(&str, &str)> = r
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let req = RequestParts {
        method: &r.method,
        path: &r.path,
        query: &r.query,
        headers: &headers,
        body: &r.body,
    };
    if check(&req) {
        let mut body = r.body.clone();
        body.push(b'x');
        let changed = RequestParts { body: &body, ..req };
        assert!(
            !check(&changed),
            "a signature survived a change of the body"
        );
    }
});
