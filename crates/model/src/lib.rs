//! The AmplifyBackend 2020-08-11 model as Rust types, and in [`amplify`] the Amplify
//! service's (2017-07-25), whose apps AmplifyBackend's `appId`s name.
//!
//! Shapes and the operation tables are generated from the pinned models
//! (`data/service-2.json`, `data/amplify/service-2.json`) by `cargo run -p codegen`; this crate adds what the generator
//! relies on: validation, the structure and operation traits and route matching. Both the
//! server and the client use these types, so the wire names live in exactly one place.
//!
//! A member the model requires is a plain field; every structure with one somewhere inside
//! also has a [`wire`] form, where every member is optional, in which documents are read
//! and validated before they become the typed structure ([`Structure`]).

pub mod amplify;
mod enums;
pub mod generated;
pub mod operation;
pub mod route;
pub mod schema;
mod structure;
pub mod validate;

pub use generated::operations::{Operation, PAGINATORS};
pub use generated::shapes::*;
pub use generated::wire;
pub use operation::{IntoInput, OperationInput, Paginator, ServiceOperation, UriSegment};
pub use structure::{BuildError, Structure};
pub use validate::{Validate, ValidationError, Violation};

/// What `Debug` prints in place of a secret.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";
