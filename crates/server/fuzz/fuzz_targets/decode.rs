//! Request decoding of every operation of both services: the first byte picks the
//! operation (its high bit the Amplify service, the rest AmplifyBackend's), the bytes up to
//! the first newline are its URI parameters (separated by `/`, percent-decoded as the
//! router does; for the Amplify service followed by `?` and a query string), the rest is
//! the JSON body. Routing and decoding must never panic.
#![no_main]

use amplifybackend_model::route::{match_route, match_route_in};
use amplifybackend_model::{Operation, UriSegment, amplify};
use libfuzzer_sys::fuzz_target;

/// The path of `segments` with the parameters taken from `uri`, and the parameters bound.
fn bind(segments: &[UriSegment], uri: &str) -> (String, Vec<(&'static str, String)>) {
    let mut values = uri.split('/');
    let mut path = String::new();
    let mut params = Vec::new();
    for segment in segments {
        path.push('/');
        match segment {
            UriSegment::Literal(text) => path.push_str(text),
            UriSegment::Param(name) => {
                let raw = values.next().filter(|v| !v.is_empty()).unwrap_or("x");
                path.push_str(raw);
                params.push((*name, raw.to_owned()));
            }
        }
    }
    (path, params)
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (uri, body) = match rest.iter().position(|&b| b == b'\n') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (&[][..], rest),
    };
    let uri = String::from_utf8_lossy(uri);
    if selector & 0x80 != 0 {
        let all = amplify::Operation::ALL;
        let operation = all[usize::from(selector & 0x7f) % all.len()];
        let (uri, query) = match uri.split_once('?') {
            Some((uri, query)) => (uri, Some(query)),
            None => (uri.as_ref(), None),
        };
        let (path, params) = bind(operation.uri_segments(), uri);
        let routed = match_route_in::<amplify::Operation>(operation.http_method(), &path);
        if let Ok(m) = &routed
            && m.operation == operation
        {
            let _ = amplifybackend_server::fuzzing::decode_amplify(
                operation,
                m.params.clone(),
                query,
                body,
            );
        }
        let _ = amplifybackend_server::fuzzing::decode_amplify(operation, params, query, body);
        return;
    }
    let operation = Operation::ALL[usize::from(selector) % Operation::ALL.len()];
    let (path, params) = bind(operation.uri_segments(), &uri);
    // The router's reading of the same path, when it picks this operation.
    let routed = match_route(operation.http_method(), &path);
    if let Ok(m) = &routed
        && m.operation == operation
    {
        let _ = amplifybackend_server::fuzzing::decode(operation, m.params.clone(), body);
    }
    let _ = amplifybackend_server::fuzzing::decode(operation, params, body);
});
