//! Request decoding of every operation: the first byte picks the operation, the bytes up to
//! the first newline are its URI parameters (separated by `/`, percent-decoded as the
//! router does), the rest is the JSON body. Routing and decoding must never panic.
#![no_main]

use amplifybackend_model::route::match_route;
use amplifybackend_model::{Operation, UriSegment};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let operation = Operation::ALL[usize::from(selector) % Operation::ALL.len()];
    let (uri, body) = match rest.iter().position(|&b| b == b'\n') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (&[][..], rest),
    };
    let uri = String::from_utf8_lossy(uri);
    let mut values = uri.split('/');
    let mut path = String::new();
    let mut params = Vec::new();
    for segment in operation.uri_segments() {
        path.push('/');
        match segment {
            UriSegment::Literal(text) => path.push_str(text),
            UriSegment::Param(name) => {
                let raw = values.next().filter(|v| !v.is_empty()).unwrap_or("x");
                path.push_str(raw);
                params.push((*name, raw));
            }
        }
    }
    // The router's reading of the same path, when it picks this operation.
    let routed = match_route(operation.http_method(), &path);
    if let Ok(m) = &routed
        && m.operation == operation
    {
        let _ = amplifybackend_server::fuzzing::decode(operation, m.params.clone(), body);
    }
    let decoded: Vec<(&'static str, String)> =
        params.into_iter().map(|(n, v)| (n, v.to_owned())).collect();
    let _ = amplifybackend_server::fuzzing::decode(operation, decoded, body);
});
