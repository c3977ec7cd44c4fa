//! Emits the builder of every structure into `shapes.rs`: `CreateBackendRequest::builder()
//! .app_id("x").build()`. A structure with required members has a builder of its own
//! fields whose `build()` answers `Result<_, BuildError>`; any other builder wraps the
//! structure itself and cannot fail.

use crate::Model;
use crate::shapes::{Form, emit_debug, has_required, members, rust_type};
use serde_json::Value;
use std::fmt::Write;

/// The builder type and `builder()` of structure `name`.
pub fn emit_builder(model: &Model, name: &str, shape: &Value, out: &mut String) {
    let members = members(shape);
    let fallible = has_required(shape);
    let _ = writeln!(out, "impl {name} {{");
    let _ = writeln!(
        out,
        "    /// A builder of [`{name}`] with every member absent.\n    pub fn builder() -> {name}Builder {{\n        {name}Builder::default()\n    }}\n}}\n"
    );
    if fallible {
        let required: Vec<&str> = members
            .iter()
            .filter(|m| m.required)
            .map(|m| m.name)
            .collect();
        let _ = writeln!(
            out,
            "/// Builds a [`{name}`] member by member;\n/// `build()` fails unless {} set.",
            match required.as_slice() {
                [one] => format!("`{one}` is"),
                many => format!(
                    "{} are",
                    many.iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        );
        let _ = writeln!(
            out,
            "#[derive(Clone, Default, PartialEq)]\npub struct {name}Builder {{"
        );
        for m in &members {
            let _ = writeln!(
                out,
                "    {}: Option<{}>,",
                m.field,
                rust_type(model, m.shape)
            );
        }
        let _ = writeln!(out, "}}\n");
        emit_debug(
            &format!("{name}Builder"),
            &format!("{name}Builder"),
            shape,
            &members,
            Form::Wire,
            out,
        );
    } else {
        let _ = writeln!(
            out,
            "/// Builds a [`{name}`] member by member; `build()` never fails (validation happens\n/// where the value is used)."
        );
        let _ = writeln!(
            out,
            "#[derive(Debug, Clone, Default, PartialEq)]\npub struct {name}Builder {{\n    inner: {name},\n}}\n"
        );
    }
    // A fallible builder holds its members itself; the other holds the structure.
    let place = if fallible { "" } else { "inner." };
    let _ = writeln!(out, "impl {name}Builder {{");
    for m in &members {
        let ty = rust_type(model, m.shape);
        let setter = m.field.trim_start_matches("r#");
        let _ = writeln!(
            out,
            "    /// Sets `{}` (`{}`).\n    pub fn {}(mut self, value: impl Into<{ty}>) -> Self {{\n        self.{place}{} = Some(value.into());\n        self\n    }}",
            m.name, m.wire, m.field, m.field
        );
        let _ = writeln!(
            out,
            "    /// Sets or clears `{}`.\n    pub fn set_{setter}(mut self, value: Option<{ty}>) -> Self {{\n        self.{place}{} = value;\n        self\n    }}",
            m.name, m.field
        );
    }
    if fallible {
        let checks = members
            .iter()
            .filter(|m| m.required)
            .map(|m| format!("(\"{}\", self.{}.is_some())", m.name, m.field))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            out,
            "    /// The finished [`{name}`],\n    /// or the required members that were not set.\n    pub fn build(self) -> Result<{name}, crate::BuildError> {{\n        crate::BuildError::check(\"{name}\", &[{checks}])?;\n        Ok({name} {{"
        );
        for m in &members {
            if m.required {
                // Set, as just checked: the default is never used.
                let _ = writeln!(
                    out,
                    "            {0}: self.{0}.unwrap_or_default(),",
                    m.field
                );
            } else {
                let _ = writeln!(out, "            {0}: self.{0},", m.field);
            }
        }
        let _ = writeln!(out, "        }})\n    }}\n}}\n");
    } else {
        let _ = writeln!(
            out,
            "    /// The finished [`{name}`].\n    pub fn build(self) -> {name} {{\n        self.inner\n    }}\n}}\n"
        );
        let _ = writeln!(
            out,
            "impl From<{name}Builder> for {name} {{\n    fn from(builder: {name}Builder) -> Self {{\n        builder.inner\n    }}\n}}\n"
        );
    }
}
