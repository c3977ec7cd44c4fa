//! A malformed-request storm: thousands of seeded random mutations of valid requests to
//! every route (bytes flipped, inserted and deleted in the JSON body, wrong types, deep
//! nesting, huge strings, invalid UTF-8, bad percent-encoding, odd methods, missing and
//! extra path segments, odd headers), sent as raw HTTP/1.1 over TCP. Every answer must be
//! a well-formed HTTP response, never a 5xx, with `x-amzn-RequestId`; every 4xx names its
//! error in `x-amzn-ErrorType` and carries a JSON body with `message`; and the server must
//! be alive and correct afterwards.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::TestServer;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The seed of the storm: a failure reproduces with the same seed.
const SEED: u64 = 0x5EED_A3B1_F00D_2024;
/// Requests in the storm.
const REQUESTS: usize = 5_000;
/// Connections in flight at once.
const WORKERS: usize = 4;
/// The storm's time budget (a debug build on 2 busy cores takes well under this).
const BUDGET: Duration = Duration::from_secs(240);

/// A valid request of one operation (`tests/data/requests.json`).
#[derive(Debug, Clone)]
struct Fixture {
    operation: String,
    method: String,
    path: String,
    body: Value,
}

fn fixtures() -> Vec<Fixture> {
    let text = include_str!("../data/requests.json");
    let all: Vec<Value> = serde_json::from_str(text).unwrap();
    all.into_iter()
        .map(|f| Fixture {
            operation: f["operation"].as_str().unwrap().to_owned(),
            method: f["method"].as_str().unwrap().to_owned(),
            path: f["path"].as_str().unwrap().to_owned(),
            body: f["body"].clone(),
        })
        .collect()
}

/// One request as it goes on the wire.
#[derive(Debug, Clone)]
struct Raw {
    method: String,
    target: String,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
}

/// One response as it came off the wire.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

async fn send(addr: SocketAddr, raw: &Raw) -> Result<Answer, String> {
    let mut stream = TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect: {e}"))?;
    let mut head = format!(
        "{} {} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        raw.method,
        raw.target,
        raw.body.len()
    )
    .into_bytes();
    for (name, value) in &raw.headers {
        head.extend_from_slice(name.as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(value);
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"\r\n");
    head.extend_from_slice(&raw.body);
    stream
        .write_all(&head)
        .await
        .map_err(|e| format!("write: {e}"))?;
    let mut bytes = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut bytes))
        .await
        .map_err(|_| "no complete answer within 30 s".to_owned())?
        .map_err(|e| format!("read: {e}"))?;
    parse_answer(&bytes, raw.method == "HEAD")
}

fn parse_answer(mut bytes: &[u8], head_only: bool) -> Result<Answer, String> {
    // Interim answers (`100 Continue` to `Expect: 100-continue`) precede the final one.
    while bytes.starts_with(b"HTTP/1.1 1") {
        let end = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or("an unterminated interim answer")?;
        bytes = &bytes[end + 4..];
    }
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("no end of head in {:?}", String::from_utf8_lossy(bytes)))?;
    let head = std::str::from_utf8(&bytes[..end]).map_err(|_| "a head that is not UTF-8")?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let mut parts = status_line.splitn(3, ' ');
    if parts.next() != Some("HTTP/1.1") {
        return Err(format!("bad status line {status_line:?}"));
    }
    let status: u16 = parts
        .next()
        .and_then(|s| s.parse().ok())
        .filter(|s| (100..600).contains(s))
        .ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let mut headers = BTreeMap::new();
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("bad header line {line:?}"))?;
        headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
    }
    let rest = &bytes[end + 4..];
    let body = if head_only {
        Vec::new()
    } else if headers
        .get("transfer-encoding")
        .is_some_and(|t| t.eq_ignore_ascii_case("chunked"))
    {
        dechunk(rest)?
    } else {
        let length: usize = headers
            .get("content-length")
            .ok_or("neither Content-Length nor chunked")?
            .parse()
            .map_err(|_| "bad Content-Length")?;
        if rest.len() != length {
            return Err(format!(
                "Content-Length {length} but {} body bytes",
                rest.len()
            ));
        }
        rest.to_vec()
    };
    Ok(Answer {
        status,
        headers,
        body,
    })
}

fn dechunk(mut rest: &[u8]) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        let line_end = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("a chunk without a size line")?;
        let size_text = std::str::from_utf8(&rest[..line_end]).map_err(|_| "bad chunk size")?;
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|_| format!("bad chunk size {size_text:?}"))?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Ok(body);
        }
        if rest.len() < size + 2 {
            return Err("a truncated chunk".into());
        }
        body.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}

/// The identifiers a fixture's path refers to.
#[derive(Debug, Clone)]
struct Ids {
    job_id: String,
    session_id: String,
}

fn valid_request(f: &Fixture, ids: &Ids) -> Raw {
    let target = f
        .path
        .replace("{jobId}", &ids.job_id)
        .replace("{sessionId}", &ids.session_id);
    Raw {
        method: f.method.clone(),
        target,
        headers: vec![("Content-Type".into(), b"application/json".to_vec())],
        body: serde_json::to_vec(&f.body).unwrap(),
    }
}

/// The storm's judgement of one answer; `Err` explains what is wrong.
fn judge(raw: &Raw, answer: &Answer) -> Result<(), String> {
    let request_id = answer
        .header("x-amzn-requestid")
        .filter(|id| !id.is_empty())
        .ok_or("no x-amzn-RequestId")?;
    let _ = request_id;
    if answer.status >= 500 {
        return Err(format!("a {} answer", answer.status));
    }
    if raw.method == "HEAD" {
        return Ok(());
    }
    if answer.status >= 400 {
        let code = answer
            .header("x-amzn-errortype")
            .filter(|c| !c.is_empty())
            .ok_or("an error without x-amzn-ErrorType")?;
        if answer.header("content-type") != Some("application/json") {
            return Err(format!("error {code} is not application/json"));
        }
        let body: Value = serde_json::from_slice(&answer.body)
            .map_err(|e| format!("error {code} has a body that is not JSON: {e}"))?;
        if !body.get("message").is_some_and(Value::is_string) {
            return Err(format!("error {code} has no message: {body}"));
        }
    } else if answer.status == 200 && !raw.target.starts_with("/_amplifybackend") {
        let body: Value = serde_json::from_slice(&answer.body)
            .map_err(|e| format!("a 200 whose body is not JSON: {e}"))?;
        if !body.is_object() {
            return Err(format!("a 200 whose body is not an object: {body}"));
        }
    }
    Ok(())
}

// ---- Mutations ----

const METHODS: &[&str] = &[
    "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "FOO", "post", "M-SEARCH",
];

const SEGMENTS: &[&str] = &[
    "%",
    "%G1",
    "%FF",
    "%C3%28",
    "%00",
    "%2F",
    "%E2%82",
    "a%20b",
    "%25",
    "..",
    ".",
    "%2e%2e",
    "%ED%A0%80",
    "%C0%AF",
    "%F4%90%80%80",
    "x",
    "dev",
    "backend",
    "details",
    "remove",
    "-",
    "%7B%7D",
    "A",
    "%20",
];

const NASTY_BYTES: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b":",
    b",",
    b"\\",
    b"\\u",
    b"\\uD800",
    b"\\uDFFF\\uD800",
    b"\x00",
    b"\xff",
    b"\xc3\x28",
    b"\xed\xa0\x80",
    b"\xc0\xaf",
    b"\xf4\x90\x80\x80",
    b"-",
    b"1e999",
    b"-0",
    b"NaN",
    b"Infinity",
    b"null",
    b"true",
    b"18446744073709551616",
    b"\t",
    b"\r\n",
    b" ",
];

fn random_scalar(rng: &mut StdRng) -> Value {
    match rng.random_range(0..14) {
        0 => Value::Null,
        1 => Value::Bool(rng.random()),
        2 => Value::from(rng.random::<i64>()),
        3 => Value::from(rng.random::<f64>() * 1e12 - 5e11),
        4 => Value::from(u64::MAX),
        5 => Value::from(-1),
        6 => Value::from(0),
        7 => Value::from(2_147_483_648_u64),
        8 => Value::from(""),
        9 => Value::from("x".repeat(rng.random_range(1..300))),
        10 => Value::from("\u{0}\u{1f}\u{7f}\u{fffd}\u{10ffff}"),
        11 => Value::from("../../etc/passwd"),
        12 => Value::from("ON"),
        _ => Value::from(1.5),
    }
}

fn random_value(rng: &mut StdRng, depth: usize) -> Value {
    if depth > 3 || rng.random_bool(0.6) {
        return random_scalar(rng);
    }
    if rng.random_bool(0.5) {
        Value::Array(
            (0..rng.random_range(0..4))
                .map(|_| random_value(rng, depth + 1))
                .collect(),
        )
    } else {
        let mut map = serde_json::Map::new();
        for _ in 0..rng.random_range(0..4) {
            let key = [
                "MFAMode",
                "mode",
                "settings",
                "x",
                "",
                "appId",
                "client_secret",
            ][rng.random_range(0..7)];
            map.insert(key.to_owned(), random_value(rng, depth + 1));
        }
        Value::Object(map)
    }
}

/// Every path (as indexes/keys) to a value inside `v`.
fn value_paths(v: &Value, prefix: &mut Vec<PathStep>, out: &mut Vec<Vec<PathStep>>) {
    out.push(prefix.clone());
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                prefix.push(PathStep::Key(k.clone()));
                value_paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                prefix.push(PathStep::Index(i));
                value_paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn value_at<'a>(v: &'a mut Value, path: &[PathStep]) -> &'a mut Value {
    path.iter().fold(v, |v, step| match step {
        PathStep::Key(k) => &mut v[k.as_str()],
        PathStep::Index(i) => &mut v[*i],
    })
}

fn nested(depth: usize, object: bool) -> String {
    if object {
        let mut s = "{\"a\":".repeat(depth);
        s.push('1');
        s.push_str(&"}".repeat(depth));
        s
    } else {
        format!("{}{}", "[".repeat(depth), "]".repeat(depth))
    }
}

/// Replaces a random value of the JSON body with `replace(rng)`.
fn mutate_value(
    rng: &mut StdRng,
    body: &Value,
    replace: impl FnOnce(&mut StdRng) -> Value,
) -> Value {
    let mut body = body.clone();
    let mut paths = Vec::new();
    value_paths(&body, &mut Vec::new(), &mut paths);
    let path = paths[rng.random_range(0..paths.len())].clone();
    *value_at(&mut body, &path) = replace(rng);
    body
}

/// Splices raw text into the serialized body in place of a random value.
fn splice_text(rng: &mut StdRng, body: &Value, text: &[u8]) -> Vec<u8> {
    const MARK: &str = "\u{1}SPLICE\u{1}";
    let marked = mutate_value(rng, body, |_| Value::from(MARK));
    let serialized = serde_json::to_vec(&marked).unwrap();
    let needle = serde_json::to_vec(&Value::from(MARK)).unwrap();
    match serialized.windows(needle.len()).position(|w| w == needle) {
        Some(at) => {
            let mut out = serialized[..at].to_vec();
            out.extend_from_slice(text);
            out.extend_from_slice(&serialized[at + needle.len()..]);
            out
        }
        None => text.to_vec(),
    }
}

fn mutate_body(rng: &mut StdRng, fixture: &Fixture, raw: &mut Raw) -> &'static str {
    let len = raw.body.len().max(1);
    match rng.random_range(0..16) {
        0 => {
            for _ in 0..rng.random_range(1..4) {
                if raw.body.is_empty() {
                    break;
                }
                let i = rng.random_range(0..raw.body.len());
                raw.body[i] ^= 1 << rng.random_range(0..8);
            }
            "flip bits"
        }
        1 => {
            let i = rng.random_range(0..len).min(raw.body.len());
            let bytes = NASTY_BYTES[rng.random_range(0..NASTY_BYTES.len())];
            raw.body.splice(i..i, bytes.iter().copied());
            "insert bytes"
        }
        2 => {
            let i = rng.random_range(0..len).min(raw.body.len());
            let bytes: Vec<u8> = (0..rng.random_range(1..16)).map(|_| rng.random()).collect();
            raw.body.splice(i..i, bytes);
            "insert random bytes"
        }
        3 => {
            let a = rng.random_range(0..len).min(raw.body.len());
            let b = (a + rng.random_range(1..32)).min(raw.body.len());
            raw.body.drain(a..b);
            "delete bytes"
        }
        4 => {
            let cut = rng.random_range(0..len).min(raw.body.len());
            raw.body.truncate(cut);
            "truncate"
        }
        5 | 6 => {
            raw.body =
                serde_json::to_vec(&mutate_value(rng, &fixture.body, random_scalar)).unwrap();
            "wrong type"
        }
        7 => {
            raw.body =
                serde_json::to_vec(&mutate_value(rng, &fixture.body, |r| random_value(r, 0)))
                    .unwrap();
            "random structure"
        }
        8 => {
            let depth = [32, 127, 128, 129, 1_000, 100_000][rng.random_range(0..6)];
            let text = nested(depth, rng.random());
            raw.body = splice_text(rng, &fixture.body, text.as_bytes());
            "deep nesting"
        }
        9 => {
            let size = [10_000, 100_000, 1_000_000][rng.random_range(0..3)];
            let c = ['a', 'é', '\u{1F600}', '"'][rng.random_range(0..4)];
            let s: String = std::iter::repeat_n(c, size / c.len_utf8()).collect();
            raw.body =
                serde_json::to_vec(&mutate_value(rng, &fixture.body, |_| Value::from(s))).unwrap();
            "huge string"
        }
        10 => {
            let bad: &[u8] = [
                &b"\xff"[..],
                b"\xc3\x28",
                b"\xed\xa0\x80",
                b"\xc0\xaf",
                b"\xe2\x82",
                b"\xf8\x88\x80\x80\x80",
            ][rng.random_range(0..6)];
            let mut text = b"\"ab".to_vec();
            text.extend_from_slice(bad);
            text.extend_from_slice(b"cd\"");
            raw.body = splice_text(rng, &fixture.body, &text);
            "invalid UTF-8 string"
        }
        11 => {
            let escapes: &[&[u8]] = &[
                b"\"\\uD800\"",
                b"\"\\uDC00\\uD800\"",
                b"\"\\u00\"",
                b"\"\\x41\"",
                b"\"\\",
                b"\"\x01\"",
                b"1e999",
                b"-1e999",
                b"123456789012345678901234567890",
                b"0x10",
                b"01",
                b"+1",
                b".5",
                b"[1,]",
                b"{\"a\":1,}",
                b"{\"a\" 1}",
                b"{1:2}",
            ];
            let token = escapes[rng.random_range(0..escapes.len())];
            raw.body = splice_text(rng, &fixture.body, token);
            "bad JSON token"
        }
        12 => {
            let whole: &[&[u8]] = &[
                b"",
                b" ",
                b"[]",
                b"[{}]",
                b"\"x\"",
                b"1",
                b"null",
                b"true",
                b"{}{}",
                b"{} x",
                b"{",
                b"}",
                b"\xef\xbb\xbf{}",
                b"\x00",
                b"{\"a\":1}\x00",
            ];
            raw.body = whole[rng.random_range(0..whole.len())].to_vec();
            "whole body"
        }
        13 => {
            let mut body = fixture.body.clone();
            if let Some(map) = body.as_object_mut() {
                for _ in 0..rng.random_range(1..5) {
                    let key: String = (0..rng.random_range(0..12))
                        .map(|_| char::from(rng.random_range(b' '..b'~')))
                        .collect();
                    let value = random_value(rng, 0);
                    map.insert(key, value);
                }
            }
            raw.body = serde_json::to_vec(&body).unwrap();
            "extra members"
        }
        14 => {
            raw.body =
                serde_json::to_vec(&mutate_value(rng, &fixture.body, |_| Value::Null)).unwrap();
            "null member"
        }
        _ => {
            // A duplicated member with another type.
            let mut text = serde_json::to_vec(&fixture.body).unwrap();
            if text.len() > 2 {
                let extra = b"\"resourceName\":7,\"appId\":[],";
                text.splice(1..1, extra.iter().copied());
            }
            raw.body = text;
            "duplicate members"
        }
    }
}

fn mutate_path(rng: &mut StdRng, raw: &mut Raw) -> &'static str {
    let (path, query) = match raw.target.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (raw.target.clone(), None),
    };
    let mut segments: Vec<String> = path.split('/').skip(1).map(str::to_owned).collect();
    let what = match rng.random_range(0..7) {
        0 | 1 => {
            let i = rng.random_range(0..segments.len());
            segments[i] = SEGMENTS[rng.random_range(0..SEGMENTS.len())].to_owned();
            "bad segment"
        }
        2 => {
            let i = rng.random_range(0..segments.len());
            segments.insert(i, SEGMENTS[rng.random_range(0..SEGMENTS.len())].to_owned());
            "extra segment"
        }
        3 => {
            let i = rng.random_range(0..segments.len());
            segments.remove(i);
            "missing segment"
        }
        4 => {
            let i = rng.random_range(0..segments.len());
            segments[i] = "a".repeat([100, 1_000, 8_000][rng.random_range(0..3)]);
            "long segment"
        }
        5 => {
            let i = rng.random_range(0..segments.len());
            segments[i] = segments[i].to_uppercase();
            "upper case"
        }
        _ => {
            segments.push(String::new());
            "trailing slash"
        }
    };
    let mut target = format!("/{}", segments.join("/"));
    if let Some(q) = query {
        target.push('?');
        target.push_str(&q);
    }
    raw.target = target;
    what
}

fn mutate_query(rng: &mut StdRng, raw: &mut Raw) -> &'static str {
    let queries = [
        "x=1",
        "X-Amz-Credential=%FF",
        "X-Amz-Credential=AKID%2F20240101%2F..%2Famplifybackend%2Faws4_request",
        "X-Amz-Credential=111111111111%2F20240101%2Feu-west-1%2Famplifybackend%2Faws4_request",
        "X-Amz-Credential=",
        "X-Amz-Signature=zz&X-Amz-Algorithm=AWS4-HMAC-SHA256",
        "%%%",
        "a=%G1&&=&",
        "nextToken=%00",
    ];
    raw.target.push('?');
    raw.target
        .push_str(queries[rng.random_range(0..queries.len())]);
    "query string"
}

fn mutate_headers(rng: &mut StdRng, raw: &mut Raw) -> &'static str {
    match rng.random_range(0..5) {
        0 => {
            raw.headers.retain(|(n, _)| n != "Content-Type");
            "no content type"
        }
        1 => {
            let t = [
                "text/plain",
                "application/x-amz-json-1.1",
                "multipart/form-data; boundary=x",
                "",
                "application/json; charset=latin1",
            ][rng.random_range(0..5)];
            raw.headers.retain(|(n, _)| n != "Content-Type");
            raw.headers
                .push(("Content-Type".into(), t.as_bytes().to_vec()));
            "odd content type"
        }
        2 | 3 => {
            let auth: &[&[u8]] = &[
                b"AWS4-HMAC-SHA256 Credential=111111111111/20240101/us-east-1/amplifybackend/aws4_request, SignedHeaders=host, Signature=00",
                b"AWS4-HMAC-SHA256 Credential=../../../x/aws4_request",
                b"AWS4-HMAC-SHA256 Credential=AKID/20240101/US-EAST-1/amplifybackend/aws4_request",
                b"AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/amplifybackend/aws4_request/extra",
                b"AWS4-HMAC-SHA256",
                b"AWS4-HMAC-SHA256 Credential=",
                b"Bearer token",
                b"AWS4-HMAC-SHA256 Credential=\xff\xfe/20240101/us-east-1/amplifybackend/aws4_request",
                b"AWS4-HMAC-SHA256 Credential=AKID/20240101/a-very-long-region-name-that-goes-on-and-on-and-on-and-on-and-on-and-on/amplifybackend/aws4_request",
                b"",
            ];
            raw.headers.push((
                "Authorization".into(),
                auth[rng.random_range(0..auth.len())].to_vec(),
            ));
            "odd authorization"
        }
        _ => {
            let (name, value): (&str, &[u8]) = [
                ("X-Amz-Date", &b"not a date"[..]),
                ("X-Amz-Security-Token", b"\x80\x81"),
                ("X-Amz-Content-Sha256", b"UNSIGNED-PAYLOAD"),
                ("Expect", b"100-continue"),
                ("Accept-Encoding", b"gzip, br"),
            ][rng.random_range(0..5)];
            raw.headers.push((name.into(), value.to_vec()));
            "odd header"
        }
    }
}

/// One random mutation (sometimes two or three) of a fixture's valid request.
fn mutated(rng: &mut StdRng, fixture: &Fixture, ids: &Ids) -> (Raw, Vec<&'static str>) {
    let mut raw = valid_request(fixture, ids);
    let mut what = Vec::new();
    for _ in 0..rng.random_range(1..4) {
        let w = match rng.random_range(0..10) {
            0..=4 => mutate_body(rng, fixture, &mut raw),
            5 | 6 => mutate_path(rng, &mut raw),
            7 => {
                raw.method = METHODS[rng.random_range(0..METHODS.len())].to_owned();
                "method"
            }
            8 => mutate_query(rng, &mut raw),
            _ => mutate_headers(rng, &mut raw),
        };
        what.push(w);
    }
    (raw, what)
}

fn describe(raw: &Raw) -> String {
    let body = String::from_utf8_lossy(&raw.body);
    let body: String = body.chars().take(300).collect();
    let headers: Vec<String> = raw
        .headers
        .iter()
        .map(|(n, v)| format!("{n}: {}", String::from_utf8_lossy(v)))
        .collect();
    format!(
        "{} {} {headers:?} (body {} bytes: {body})",
        raw.method,
        raw.target.chars().take(200).collect::<String>(),
        raw.body.len()
    )
}

async fn expect_ok(addr: SocketAddr, raw: &Raw, what: &str) -> Value {
    let answer = send(addr, raw)
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    judge(raw, &answer).unwrap_or_else(|e| panic!("{what}: {e}"));
    let body: Value = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
    assert_eq!(answer.status, 200, "{what}: {body}");
    body
}

/// Runs every fixture in order on a fresh server: each is a request the server accepts.
async fn fixtures_are_valid(addr: SocketAddr, fixtures: &[Fixture]) -> Ids {
    let mut ids = Ids {
        job_id: "00000000-0000-4000-8000-000000000000".into(),
        session_id: "00000000-0000-4000-8000-000000000000".into(),
    };
    for f in fixtures {
        let body = expect_ok(addr, &valid_request(f, &ids), &f.operation).await;
        match f.operation.as_str() {
            "CreateBackend" => ids.job_id = body["jobId"].as_str().unwrap().to_owned(),
            "CreateToken" => ids.session_id = body["sessionId"].as_str().unwrap().to_owned(),
            _ => {}
        }
    }
    ids
}

/// Builds the state the storm hits: an app with auth, API, storage, config and a token.
async fn populate(addr: SocketAddr, fixtures: &[Fixture]) -> Ids {
    let mut ids = Ids {
        job_id: String::new(),
        session_id: String::new(),
    };
    for op in [
        "CreateBackend",
        "CreateBackendAuth",
        "CreateBackendAPI",
        "CreateBackendStorage",
        "CreateBackendConfig",
        "CreateToken",
    ] {
        let f = fixtures.iter().find(|f| f.operation == op).unwrap();
        let body = expect_ok(addr, &valid_request(f, &ids), op).await;
        match op {
            "CreateBackend" => ids.job_id = body["jobId"].as_str().unwrap().to_owned(),
            "CreateToken" => ids.session_id = body["sessionId"].as_str().unwrap().to_owned(),
            _ => {}
        }
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_storm_of_malformed_requests_gets_well_formed_4xx_answers() {
    let server = TestServer::start().await;
    let addr = server.addr();
    let fixtures = fixtures();
    let ops: HashSet<&str> = fixtures.iter().map(|f| f.operation.as_str()).collect();
    assert_eq!(ops.len(), amplifybackend_model::Operation::ALL.len());
    for op in amplifybackend_model::Operation::ALL {
        assert!(ops.contains(op.name()), "no fixture for {}", op.name());
    }
    fixtures_are_valid(addr, &fixtures).await;
    let ids = populate(addr, &fixtures).await;

    let started = Instant::now();
    let workers: Vec<_> = (0..WORKERS)
        .map(|w| {
            let fixtures = fixtures.clone();
            let ids = ids.clone();
            tokio::spawn(async move {
                let mut rng = StdRng::seed_from_u64(SEED ^ (w as u64).wrapping_mul(0x9E37_79B9));
                let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
                let mut request_ids = Vec::new();
                let mut sent = 0;
                for i in 0..REQUESTS / WORKERS {
                    if started.elapsed() > BUDGET {
                        break;
                    }
                    let fixture = &fixtures[rng.random_range(0..fixtures.len())];
                    let (raw, what) = mutated(&mut rng, fixture, &ids);
                    let answer = send(addr, &raw).await.unwrap_or_else(|e| {
                        panic!(
                            "worker {w} request {i} ({} mutated by {what:?}): {e}\n{}",
                            fixture.operation,
                            describe(&raw)
                        )
                    });
                    if let Err(e) = judge(&raw, &answer) {
                        panic!(
                            "worker {w} request {i} ({} mutated by {what:?}): {e}\n{}\nanswer {} {:?} {}",
                            fixture.operation,
                            describe(&raw),
                            answer.status,
                            answer.headers,
                            String::from_utf8_lossy(&answer.body)
                        );
                    }
                    *statuses.entry(answer.status).or_default() += 1;
                    request_ids.push(answer.header("x-amzn-requestid").unwrap().to_owned());
                    sent += 1;
                }
                (sent, statuses, request_ids)
            })
        })
        .collect();
    let mut total = 0;
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    let mut request_ids = HashSet::new();
    for w in workers {
        let (sent, s, ids) = w.await.unwrap();
        total += sent;
        for (k, v) in s {
            *statuses.entry(k).or_default() += v;
        }
        for id in ids {
            assert!(request_ids.insert(id), "a request id was reused");
        }
    }
    eprintln!(
        "storm: {total} requests in {:?}, statuses {statuses:?}",
        started.elapsed()
    );
    assert!(
        total >= REQUESTS / 2,
        "only {total} requests within {BUDGET:?}"
    );
    assert!(
        statuses.range(400..500).map(|(_, n)| n).sum::<usize>() > total / 2,
        "the mutations were mostly accepted: {statuses:?}"
    );

    // Alive and correct afterwards.
    let health = send(
        addr,
        &Raw {
            method: "GET".into(),
            target: "/_amplifybackend/health".into(),
            headers: vec![],
            body: vec![],
        },
    )
    .await
    .unwrap();
    assert_eq!(health.status, 200);
    let create = Raw {
        method: "POST".into(),
        target: "/backend".into(),
        headers: vec![("Content-Type".into(), b"application/json".to_vec())],
        body: br#"{"appId":"afterstorm","appName":"After","backendEnvironmentName":"dev"}"#
            .to_vec(),
    };
    let created = expect_ok(addr, &create, "CreateBackend after the storm").await;
    assert_eq!(created["status"], "COMPLETED");
    let get = Raw {
        method: "POST".into(),
        target: "/backend/afterstorm/details".into(),
        headers: vec![],
        body: br#"{"backendEnvironmentName":"dev"}"#.to_vec(),
    };
    let got = expect_ok(addr, &get, "GetBackend after the storm").await;
    assert_eq!(got["appName"], "After");
    server.stop().await;
}
