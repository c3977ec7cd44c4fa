//! What binds an input type to its operation, for both sides of the wire.

use crate::ValidationError;
use crate::structure::{BuildError, Structure};

/// One segment of a request URI template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UriSegment {
    /// Text that must appear as is.
    Literal(&'static str),
    /// A member bound to the URI (`{appId}`), by its wire name.
    Param(&'static str),
}

/// What every service's generated operation table answers, so that routing, signing and
/// the client work the same for AmplifyBackend ([`crate::Operation`]) and the Amplify
/// service ([`crate::amplify::Operation`]).
pub trait ServiceOperation:
    Copy + Eq + std::hash::Hash + std::fmt::Debug + Send + Sync + 'static
{
    /// The name requests to this service are signed for (`amplifybackend`, `amplify`).
    const SIGNING_NAME: &'static str;
    /// Every operation of the service, in the model's order.
    fn all() -> &'static [Self];
    /// The operation's name in the model.
    fn name(self) -> &'static str;
    /// The HTTP method.
    fn http_method(self) -> &'static str;
    /// The request URI template split into its path segments.
    fn uri_segments(self) -> &'static [UriSegment];
    /// The operation's input and output shape names.
    fn shapes(self) -> (&'static str, &'static str);
}

/// A paginator of `paginators-1.json` (member names, as botocore's config spells them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paginator<O = crate::Operation> {
    /// The paginated operation.
    pub operation: O,
    /// The input member carrying the token.
    pub input_token: &'static str,
    /// The output member carrying the next token.
    pub output_token: &'static str,
    /// The input member limiting a page.
    pub limit_key: &'static str,
    /// The output member holding the page's items.
    pub result_key: &'static str,
}

/// An operation's input shape: its body is the JSON of the non-URI members.
pub trait OperationInput: Structure {
    /// The operation's output shape.
    type Output: Structure;
    /// The operation table of the input's service.
    type Operation: ServiceOperation;
    /// The operation this input belongs to.
    const OPERATION: Self::Operation;
    /// Sets the member bound to URI parameter `name` of the input's wire form; false if
    /// there is none. The server binds URI parameters before it validates the input.
    fn set_uri_param(wire: &mut Self::Wire, name: &str, value: String) -> bool;
    /// The member bound to URI parameter `name`.
    fn uri_param(&self, name: &str) -> Option<&str>;
    /// Sets the member bound to query parameter `name` of the input's wire form (a list
    /// member gains one item per occurrence); false if there is none, an error when the
    /// value cannot be the member's type.
    fn set_query_param(
        _wire: &mut Self::Wire,
        _name: &str,
        _value: String,
    ) -> Result<bool, String> {
        Ok(false)
    }
    /// The members bound to the query string, as `(name, value)` pairs in the model's order.
    fn query_params(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }

    /// The input of a request: its wire form `wire` with the URI parameters `params`
    /// bound, if the result breaks no rule of the model.
    fn from_request(
        mut wire: Self::Wire,
        params: Vec<(&'static str, String)>,
    ) -> Result<Self, ValidationError> {
        for (name, value) in params {
            Self::set_uri_param(&mut wire, name, value);
        }
        Self::from_wire(wire)
    }

    /// The request path with every URI member percent-encoded, or the name of a parameter
    /// the input has no member for.
    fn request_path(&self) -> Result<String, &'static str> {
        let mut path = String::new();
        for segment in ServiceOperation::uri_segments(Self::OPERATION) {
            path.push('/');
            match segment {
                UriSegment::Literal(text) => path.push_str(text),
                UriSegment::Param(name) => {
                    let value = self.uri_param(name).ok_or(*name)?;
                    path.extend(percent_encoding::utf8_percent_encode(
                        value,
                        crate::route::SEGMENT,
                    ));
                }
            }
        }
        Ok(path)
    }
}

/// What a client call takes: an operation's input, or its builder, which fails when a
/// required member was not set.
pub trait IntoInput<I: OperationInput> {
    /// The input, or the members its builder lacks.
    fn into_input(self) -> Result<I, BuildError>;
}

impl<I: OperationInput> IntoInput<I> for I {
    fn into_input(self) -> Result<I, BuildError> {
        Ok(self)
    }
}
