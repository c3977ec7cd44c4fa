//! What binds an input type to its operation, for both sides of the wire.

use crate::structure::{BuildError, Structure};
use crate::{Operation, ValidationError};

/// One segment of a request URI template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UriSegment {
    /// Text that must appear as is.
    Literal(&'static str),
    /// A member bound to the URI (`{appId}`), by its wire name.
    Param(&'static str),
}

/// A paginator of `paginators-1.json` (member names, as botocore's config spells them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paginator {
    /// The paginated operation.
    pub operation: Operation,
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
    /// The operation this input belongs to.
    const OPERATION: Operation;
    /// Sets the member bound to URI parameter `name` of the input's wire form; false if
    /// there is none. The server binds URI parameters before it validates the input.
    fn set_uri_param(wire: &mut Self::Wire, name: &str, value: String) -> bool;
    /// The member bound to URI parameter `name`.
    fn uri_param(&self, name: &str) -> Option<&str>;

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
        for segment in Self::OPERATION.uri_segments() {
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
