//! Finding the operation for a method and path, in either service: AmplifyBackend's paths
//! start with `/backend`, the Amplify service's with `/apps`, `/tags`, `/webhooks` or
//! `/artifacts`, so a path names one service at most.

use crate::{Operation, ServiceOperation, UriSegment};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str};

/// Characters percent-encoded in a URI path segment: everything but RFC 3986's unreserved.
pub const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A request's operation and its decoded URI parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteMatch<O = Operation> {
    /// The operation.
    pub operation: O,
    /// `(wire name, decoded value)` for each URI parameter, in template order.
    pub params: Vec<(&'static str, String)>,
}

/// Why a request matched no operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteError {
    /// No template has this path.
    NotFound,
    /// A template has this path, but not with this method.
    MethodNotAllowed,
    /// A URI parameter is not valid percent-encoded UTF-8.
    BadEncoding,
}

/// A request's operation in the service whose path it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnyRoute {
    /// An AmplifyBackend operation.
    AmplifyBackend(RouteMatch),
    /// An operation of the Amplify service.
    Amplify(RouteMatch<crate::amplify::Operation>),
}

/// The service whose operation `method path` is (the Amplify service's, else
/// AmplifyBackend's; AmplifyBackend's paths start with `/backend`, the Amplify service's
/// never do), so a miss is reported as the more telling of the two errors.
pub fn match_any_route(method: &str, path: &str) -> Result<AnyRoute, RouteError> {
    match match_route_in::<crate::amplify::Operation>(method, path) {
        Ok(m) => Ok(AnyRoute::Amplify(m)),
        Err(RouteError::NotFound) => match_route(method, path).map(AnyRoute::AmplifyBackend),
        Err(e) => Err(e),
    }
}

/// The signing name a request to `path` must be scoped to: `amplify` where a template of
/// the Amplify service has this path (whatever the method), else `amplifybackend`.
pub fn signing_name_of_path(path: &str) -> &'static str {
    match match_route_in::<crate::amplify::Operation>("", path) {
        Err(RouteError::NotFound) => Operation::SIGNING_NAME,
        _ => crate::amplify::Operation::SIGNING_NAME,
    }
}

/// Finds the AmplifyBackend operation for `method` and `path` (without the query string).
pub fn match_route(method: &str, path: &str) -> Result<RouteMatch, RouteError> {
    match_route_in::<Operation>(method, path)
}

/// Finds the operation of service `O` for `method` and `path` (without the query string).
/// Literal segments win over parameters, so the most specific template is chosen.
pub fn match_route_in<O: ServiceOperation>(
    method: &str,
    path: &str,
) -> Result<RouteMatch<O>, RouteError> {
    let segments: Vec<&str> = match path.strip_prefix('/') {
        Some("") | None => Vec::new(),
        Some(rest) => rest.split('/').collect(),
    };
    let mut best: Option<(usize, O)> = None;
    let mut path_known = false;
    for &op in O::all() {
        let template = op.uri_segments();
        if template.len() != segments.len() {
            continue;
        }
        let mut literals = 0;
        let fits = template.iter().zip(&segments).all(|(t, s)| match t {
            UriSegment::Literal(l) => {
                literals += 1;
                l == s
            }
            UriSegment::Param(_) => !s.is_empty(),
        });
        if !fits {
            continue;
        }
        path_known = true;
        if op.http_method() != method {
            continue;
        }
        if best.is_none_or(|(n, _)| literals > n) {
            best = Some((literals, op));
        }
    }
    let Some((_, operation)) = best else {
        return Err(if path_known {
            RouteError::MethodNotAllowed
        } else {
            RouteError::NotFound
        });
    };
    let mut params = Vec::new();
    for (t, s) in ServiceOperation::uri_segments(operation)
        .iter()
        .zip(&segments)
    {
        if let UriSegment::Param(name) = t {
            let value = percent_decode_str(s)
                .decode_utf8()
                .map_err(|_| RouteError::BadEncoding)?;
            params.push((*name, value.into_owned()));
        }
    }
    Ok(RouteMatch { operation, params })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{GetBackendJobRequest, OperationInput};

    #[test]
    fn matches_every_template_to_its_own_operation() {
        for op in Operation::ALL {
            let path: String = op
                .uri_segments()
                .iter()
                .map(|s| match s {
                    UriSegment::Literal(l) => format!("/{l}"),
                    UriSegment::Param(_) => "/x1".to_string(),
                })
                .collect();
            let found = match_route(op.http_method(), &path).map(|m| m.operation);
            assert_eq!(found, Ok(op), "{path}");
        }
    }

    #[test]
    fn decodes_parameters_and_distinguishes_methods() {
        let m = match_route("GET", "/backend/a%20b/job/dev/j1");
        assert_eq!(
            m.map(|m| (m.operation, m.params)),
            Ok((
                Operation::GetBackendJob,
                vec![
                    ("appId", "a b".into()),
                    ("backendEnvironmentName", "dev".into()),
                    ("jobId", "j1".into())
                ]
            ))
        );
        assert_eq!(
            match_route("POST", "/backend/a/job/dev/j1").map(|m| m.operation),
            Ok(Operation::UpdateBackendJob)
        );
        assert_eq!(
            match_route("DELETE", "/backend"),
            Err(RouteError::MethodNotAllowed)
        );
        assert_eq!(match_route("POST", "/nope"), Err(RouteError::NotFound));
        assert_eq!(
            match_route("POST", "/backend//details"),
            Err(RouteError::NotFound)
        );
        assert_eq!(
            match_route("POST", "/backend/%FF/details"),
            Err(RouteError::BadEncoding)
        );
    }

    #[test]
    fn finds_operations_of_either_service() {
        use crate::amplify::Operation as Amplify;
        for op in Amplify::ALL {
            let path: String = op
                .uri_segments()
                .iter()
                .map(|s| match s {
                    UriSegment::Literal(l) => format!("/{l}"),
                    UriSegment::Param(_) => "/x1".to_string(),
                })
                .collect();
            let found = match_any_route(op.http_method(), &path);
            assert_eq!(
                found.map(|r| match r {
                    AnyRoute::Amplify(m) => Some(m.operation),
                    AnyRoute::AmplifyBackend(_) => None,
                }),
                Ok(Some(op)),
                "{path}"
            );
            assert_eq!(signing_name_of_path(&path), "amplify");
        }
        assert!(matches!(
            match_any_route("POST", "/backend/a/details"),
            Ok(AnyRoute::AmplifyBackend(m)) if m.operation == Operation::GetBackend
        ));
        assert_eq!(signing_name_of_path("/backend/a/details"), "amplifybackend");
        assert_eq!(signing_name_of_path("/nope"), "amplifybackend");
        assert_eq!(
            match_any_route("PUT", "/apps"),
            Err(RouteError::MethodNotAllowed)
        );
        assert_eq!(
            match_any_route("PUT", "/backend"),
            Err(RouteError::MethodNotAllowed)
        );
        assert_eq!(match_any_route("GET", "/nope"), Err(RouteError::NotFound));
        let tags = match_any_route(
            "GET",
            "/tags/arn%3Aaws%3Aamplify%3Aus-east-1%3A1%3Aapps%2Fd1",
        );
        assert!(matches!(
            tags,
            Ok(AnyRoute::Amplify(m)) if m.params == vec![("resourceArn", "arn:aws:amplify:us-east-1:1:apps/d1".to_string())]
        ));
    }

    #[test]
    fn builds_request_paths_that_route_back() {
        let input = GetBackendJobRequest {
            app_id: "app/1".into(),
            backend_environment_name: "dev".into(),
            job_id: "j".into(),
        };
        let path = input.request_path().unwrap_or_default();
        assert_eq!(path, "/backend/app%2F1/job/dev/j");
        let m = match_route("GET", &path).map(|m| m.params);
        assert_eq!(m.map(|p| p[0].1.clone()), Ok("app/1".to_string()));
    }
}
