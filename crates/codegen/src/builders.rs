//! Emits the builder of every structure into `shapes.rs`: `CreateBackendRequest::builder()
//! .app_id("x").build()`.

use crate::Model;
use crate::shapes::{members, rust_type};
use serde_json::Value;
use std::fmt::Write;

/// The builder type and `builder()` of structure `name`.
pub fn emit_builder(model: &Model, name: &str, shape: &Value, out: &mut String) {
    let members = members(shape);
    let _ = writeln!(out, "impl {name} {{");
    let _ = writeln!(
        out,
        "    /// A builder of [`{name}`] with every member absent.\n    pub fn builder() -> {name}Builder {{\n        {name}Builder::default()\n    }}\n}}\n"
    );
    let _ = writeln!(
        out,
        "/// Builds a [`{name}`] member by member; `build()` never fails (validation happens\n/// where the value is used)."
    );
    let _ = writeln!(
        out,
        "#[derive(Debug, Clone, Default, PartialEq)]\npub struct {name}Builder {{\n    inner: {name},\n}}\n"
    );
    let _ = writeln!(out, "impl {name}Builder {{");
    for m in &members {
        let ty = rust_type(model, m.shape);
        let setter = m.field.trim_start_matches("r#");
        let _ = writeln!(
            out,
            "    /// Sets `{}` (`{}`).\n    pub fn {}(mut self, value: impl Into<{ty}>) -> Self {{\n        self.inner.{} = Some(value.into());\n        self\n    }}",
            m.name, m.wire, m.field, m.field
        );
        let _ = writeln!(
            out,
            "    /// Sets or clears `{}`.\n    pub fn set_{setter}(mut self, value: Option<{ty}>) -> Self {{\n        self.inner.{} = value;\n        self\n    }}",
            m.name, m.field
        );
    }
    let _ = writeln!(
        out,
        "    /// The finished [`{name}`].\n    pub fn build(self) -> {name} {{\n        self.inner\n    }}\n}}\n"
    );
    let _ = writeln!(
        out,
        "impl From<{name}Builder> for {name} {{\n    fn from(builder: {name}Builder) -> Self {{\n        builder.inner\n    }}\n}}\n"
    );
}
