//! The model's shapes as data: member names as the model (and so the AWS CLI and boto3)
//! spells them, their wire names, and their AWS CLI flag names. Tools use it to translate
//! between PascalCase documents and the wire without hand-written tables.

pub use crate::generated::schema::SHAPES;

/// A member of a structure shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    /// The model's member name (`BackendEnvironmentName`, `MFAMode`).
    pub name: &'static str,
    /// The JSON key or URI label on the wire (`backendEnvironmentName`, `MFAMode`).
    pub wire: &'static str,
    /// The AWS CLI's flag name, without dashes (`backend-environment-name`).
    pub cli_name: &'static str,
    /// The member's target shape.
    pub shape: &'static str,
    /// Whether the member is required.
    pub required: bool,
    /// Whether the member travels in the URI path.
    pub in_uri: bool,
    /// Whether the member travels in the query string.
    pub in_query: bool,
    /// The model's description of the member, as plain text (empty when it has none).
    pub doc: &'static str,
}

/// What a shape is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ShapeKind {
    /// A structure and its members, in the model's order.
    Structure(&'static [Member]),
    /// A list of the named shape.
    List(&'static str),
    /// A map from strings to the named shape.
    Map(&'static str),
    /// A string restricted to these values.
    Enum(&'static [&'static str]),
    /// A string.
    String,
    /// A timestamp (epoch seconds on the wire).
    Timestamp,
    /// `true` or `false`.
    Boolean,
    /// A JSON number with a fraction.
    Double,
    /// A JSON integer.
    Integer,
    /// A type this model does not use.
    Other(&'static str),
}

/// The AmplifyBackend shape named `name`, if an operation reaches it.
pub fn shape(name: &str) -> Option<ShapeKind> {
    shape_in(SHAPES, name)
}

/// The shape named `name` in `shapes` (a service's generated `SHAPES`), if an operation
/// reaches it.
pub fn shape_in(shapes: &'static [(&'static str, ShapeKind)], name: &str) -> Option<ShapeKind> {
    shapes
        .binary_search_by(|(n, _)| (*n).cmp(name))
        .ok()
        .and_then(|i| shapes.get(i))
        .map(|(_, kind)| *kind)
}

/// The members of structure `name` (empty for anything else).
pub fn members(name: &str) -> &'static [Member] {
    match shape(name) {
        Some(ShapeKind::Structure(members)) => members,
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_members_with_wire_and_cli_names() {
        let ms = members("CreateBackendAuthMFAConfig");
        let mfa = ms.iter().find(|m| m.name == "MFAMode");
        assert_eq!(
            mfa.map(|m| (m.wire, m.cli_name)),
            Some(("MFAMode", "mfa-mode"))
        );
        let app = members("GetBackendRequest")
            .iter()
            .find(|m| m.name == "AppId");
        assert_eq!(
            app.map(|m| (m.wire, m.in_uri, m.required)),
            Some(("appId", true, true))
        );
        assert_eq!(
            shape("ListOfBackendJobRespObj"),
            Some(ShapeKind::List("BackendJobRespObj"))
        );
        assert_eq!(shape("__double"), Some(ShapeKind::Double));
        assert_eq!(shape("Nope"), None);
    }
}
