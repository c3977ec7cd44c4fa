//! The Studio console: a single-page app built from `console/` and embedded in the binary,
//! served at `/console/`. It is a client of the API like any other (it signs its calls with
//! SigV4 through the AWS SDK), so serving its files needs no credentials: the files hold
//! no data.

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

/// Where the console is served.
pub const CONSOLE_PATH: &str = "/console/";

/// Every built file, as (path under `console/dist`, contents), sorted by path.
static FILES: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/console_files.rs"));

/// The page every client route (`/console/apps/…`) answers with: the app routes itself.
const INDEX: &str = "index.html";

/// What the page may load and reach: only this origin (the API is same-origin); CodeMirror
/// styles its editor with inline style elements.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// A built file by its path.
fn file(path: &str) -> Option<&'static [u8]> {
    FILES
        .binary_search_by(|(name, _)| (*name).cmp(path))
        .ok()
        .and_then(|i| FILES.get(i))
        .map(|(_, bytes)| *bytes)
}

/// The media type of a file, from its extension.
fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// `GET /console/{*path}`: the file, or the page itself for a client route. Hashed build
/// output (`assets/`) is cached for good; the page is revalidated so a new binary's console
/// is picked up.
pub async fn serve_file(Path(path): Path<String>) -> Response {
    respond(&path)
}

/// `GET /console/`: the page.
pub async fn serve_index() -> Response {
    respond(INDEX)
}

/// `GET /console`: to the page, whose relative asset URLs need the trailing slash.
pub async fn to_index() -> Response {
    redirect(CONSOLE_PATH)
}

fn respond(path: &str) -> Response {
    let (name, bytes) = match file(path) {
        Some(bytes) => (path, bytes),
        // A missing asset is a 404: answering the page instead would hand a script tag HTML.
        None if path.starts_with("assets/") => {
            return not_found();
        }
        None => match file(INDEX) {
            Some(bytes) => (INDEX, bytes),
            None => return not_found(),
        },
    };
    let cache = if name.starts_with("assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut response = Body::from(bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(name)),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if name == INDEX {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
    }
    response
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Not found",
    )
        .into_response()
}

fn redirect(to: &'static str) -> Response {
    (
        StatusCode::TEMPORARY_REDIRECT,
        [(header::LOCATION, to)],
        Body::empty(),
    )
        .into_response()
}

/// Whether a request is a browser's navigation: it accepts HTML. API clients (SDKs, the AWS
/// CLI, curl) do not ask for it.
fn wants_html(request: &Request) -> bool {
    request
        .headers()
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|range| {
            range
                .split(';')
                .next()
                .is_some_and(|media| media.trim().eq_ignore_ascii_case("text/html"))
        })
}

/// `GET /`: a browser goes to the console; anything else is an API request like any other.
pub async fn root(State(state): State<AppState>, request: Request) -> Response {
    if wants_html(&request) {
        return redirect(CONSOLE_PATH);
    }
    crate::dispatch::dispatch(State(state), request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_sorted_for_the_binary_search() {
        assert!(FILES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn media_types_follow_the_extension() {
        assert_eq!(
            content_type("assets/index-1a2b.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("assets/x.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }

    fn with_accept(accept: &str) -> Request {
        Request::builder()
            .header(header::ACCEPT, accept)
            .body(Body::empty())
            .unwrap_or_default()
    }

    #[test]
    fn only_a_request_for_html_is_a_browser() {
        assert!(wants_html(&with_accept(
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        )));
        assert!(wants_html(&with_accept("TEXT/HTML; q=1")));
        assert!(!wants_html(&with_accept("*/*")));
        assert!(!wants_html(&with_accept("application/json")));
        assert!(!wants_html(&with_accept("text/htmlx")));
    }
}
