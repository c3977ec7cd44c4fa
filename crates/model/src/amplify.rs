//! The Amplify service (2017-07-25): its shapes, wire forms, schema and operation table,
//! generated from `data/amplify/service-2.json` as AmplifyBackend's are from its model.
//! The server serves its app, backend-environment and tag operations.

pub use crate::generated::amplify::operations::{Operation, PAGINATORS};
pub use crate::generated::amplify::shapes::*;
pub use crate::generated::amplify::wire;

/// The Amplify service's shapes as data, like [`crate::schema`] for AmplifyBackend.
pub mod schema {
    pub use crate::generated::amplify::schema::SHAPES;
    use crate::schema::{Member, ShapeKind, shape_in};

    /// The shape named `name`, if an operation reaches it.
    pub fn shape(name: &str) -> Option<ShapeKind> {
        shape_in(SHAPES, name)
    }

    /// The members of structure `name` (empty for anything else).
    pub fn members(name: &str) -> &'static [Member] {
        match shape(name) {
            Some(ShapeKind::Structure(members)) => members,
            _ => &[],
        }
    }
}
