//! Emits `shapes.rs`: one Rust type per structure and enum shape reachable from an operation.

use crate::names::{enum_variant, snake_case};
use crate::{HEADER, Model};
use serde_json::Value;
use std::fmt::Write;

/// How a member's value is represented in Rust.
pub(crate) fn rust_type(model: &Model, shape_name: &str) -> String {
    let shape = model.shape(shape_name);
    match shape["type"].as_str().unwrap_or_default() {
        "string" if shape.get("enum").is_some() => shape_name.to_string(),
        "string" | "timestamp" | "blob" => "String".into(),
        "boolean" => "bool".into(),
        "double" | "float" => "f64".into(),
        "integer" => "i32".into(),
        "long" => "i64".into(),
        "list" => format!(
            "Vec<{}>",
            rust_type(model, shape["member"]["shape"].as_str().unwrap_or_default())
        ),
        _ => shape_name.to_string(),
    }
}

/// Whether values of this shape carry their own validation (structures and enums).
fn validates_itself(model: &Model, shape_name: &str) -> bool {
    let shape = model.shape(shape_name);
    match shape["type"].as_str().unwrap_or_default() {
        "structure" => true,
        "string" => shape.get("enum").is_some(),
        "list" => validates_itself(model, shape["member"]["shape"].as_str().unwrap_or_default()),
        _ => false,
    }
}

pub(crate) struct Member<'a> {
    pub name: &'a str,
    pub wire: &'a str,
    pub field: String,
    pub shape: &'a str,
    pub required: bool,
    pub in_uri: bool,
}

pub(crate) fn members<'a>(shape: &'a Value) -> Vec<Member<'a>> {
    let required: Vec<&str> = shape["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    shape["members"]
        .as_object()
        .into_iter()
        .flat_map(|m| m.iter())
        .map(|(name, m)| Member {
            name,
            wire: m["locationName"].as_str().unwrap_or(name),
            field: snake_case(name),
            shape: m["shape"].as_str().unwrap_or_default(),
            required: required.contains(&name.as_str()),
            in_uri: m["location"].as_str() == Some("uri"),
        })
        .collect()
}

fn emit_structure(model: &Model, name: &str, shape: &Value, out: &mut String) {
    let members = members(shape);
    let role = if shape["exception"].as_bool() == Some(true) {
        format!(
            "The `{name}` error (HTTP {}).",
            shape["error"]["httpStatusCode"].as_u64().unwrap_or(400)
        )
    } else {
        format!("The `{name}` structure of the AmplifyBackend model.")
    };
    let _ = writeln!(out, "/// {role}");
    let _ = writeln!(
        out,
        "#[derive(Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]"
    );
    let _ = writeln!(out, "pub struct {name} {{");
    for m in &members {
        let ty = rust_type(model, m.shape);
        let req = if m.required { "required" } else { "optional" };
        let place = if m.in_uri {
            "travels in the URI path"
        } else {
            "travels in the JSON body"
        };
        let _ = writeln!(out, "    /// `{}` ({req}; {place}).", m.wire);
        if m.in_uri {
            let _ = writeln!(out, "    #[serde(skip)]");
        } else {
            let _ = writeln!(
                out,
                "    #[serde(rename = \"{}\", default, skip_serializing_if = \"Option::is_none\")]",
                m.wire
            );
        }
        let _ = writeln!(out, "    pub {}: Option<{ty}>,", m.field);
    }
    let _ = writeln!(out, "}}\n");

    // Debug never prints secrets: sensitive shapes are redacted whole, secret members alone.
    let _ = writeln!(out, "impl std::fmt::Debug for {name} {{");
    let _ = writeln!(
        out,
        "    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{"
    );
    if shape["sensitive"].as_bool() == Some(true) {
        let _ = writeln!(out, "        f.write_str(crate::REDACTED)");
    } else {
        let _ = writeln!(out, "        f.debug_struct(\"{name}\")");
        for m in &members {
            if Model::is_secret_member(m.name) {
                let _ = writeln!(
                    out,
                    "            .field(\"{0}\", &self.{0}.as_ref().map(|_| crate::REDACTED))",
                    m.field
                );
            } else {
                let _ = writeln!(out, "            .field(\"{0}\", &self.{0})", m.field);
            }
        }
        let _ = writeln!(out, "            .finish()");
    }
    let _ = writeln!(out, "    }}\n}}\n");

    let mut checks = String::new();
    for m in &members {
        if m.required {
            let _ = writeln!(
                checks,
                "        crate::validate::required(prefix, \"{}\", &self.{}, out);",
                m.wire, m.field
            );
        }
        if validates_itself(model, m.shape) {
            let is_list = model.shape(m.shape)["type"].as_str() == Some("list");
            let f = if is_list { "nested_list" } else { "nested" };
            let _ = writeln!(
                checks,
                "        crate::validate::{f}(prefix, \"{}\", &self.{}, out);",
                m.wire, m.field
            );
        }
        let target = model.shape(m.shape);
        if target.get("min").is_some() || target.get("max").is_some() {
            let bound = |k: &str| match target[k].as_i64() {
                Some(v) => format!("Some({v})"),
                None => "None".into(),
            };
            let value = match target["type"].as_str() {
                Some("integer") | Some("long") => format!("self.{}.map(i64::from)", m.field),
                Some("list") => format!("self.{}.as_ref().map(|v| v.len() as i64)", m.field),
                _ => format!(
                    "self.{}.as_ref().map(|v| v.chars().count() as i64)",
                    m.field
                ),
            };
            let _ = writeln!(
                checks,
                "        crate::validate::range(prefix, \"{}\", {value}, {}, {}, out);",
                m.wire,
                bound("min"),
                bound("max")
            );
        }
    }
    let _ = writeln!(out, "impl crate::validate::Validate for {name} {{");
    let unused = if checks.is_empty() { "_" } else { "" };
    let _ = writeln!(
        out,
        "    fn validate_at(&self, {unused}prefix: &str, {unused}out: &mut Vec<crate::validate::Violation>) {{"
    );
    out.push_str(&checks);
    let _ = writeln!(out, "    }}\n}}\n");
    crate::builders::emit_builder(model, name, shape, out);
}

fn emit_enum(name: &str, shape: &Value, out: &mut String) {
    let values: Vec<&str> = shape["enum"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let _ = writeln!(
        out,
        "/// The `{name}` enumeration of the AmplifyBackend model."
    );
    let _ = writeln!(
        out,
        "#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]"
    );
    let _ = writeln!(out, "pub enum {name} {{");
    for v in &values {
        let _ = writeln!(out, "    /// `{v}`");
        let _ = writeln!(out, "    {},", enum_variant(v));
    }
    let _ = writeln!(
        out,
        "    /// A value this version of the model does not know (kept for forward compatibility;\n    /// validation rejects it)."
    );
    let _ = writeln!(out, "    Unknown(String),\n}}\n");
    let _ = writeln!(out, "impl {name} {{");
    let list = values
        .iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let _ = writeln!(
        out,
        "    /// Every value the model defines.\n    pub const VALUES: &'static [&'static str] = &[{list}];"
    );
    let _ = writeln!(
        out,
        "    /// The value as it travels on the wire.\n    pub fn as_str(&self) -> &str {{\n        match self {{"
    );
    for v in &values {
        let _ = writeln!(out, "            {name}::{} => \"{v}\",", enum_variant(v));
    }
    let _ = writeln!(
        out,
        "            {name}::Unknown(other) => other,\n        }}\n    }}\n}}\n"
    );
    let _ = writeln!(
        out,
        "impl From<&str> for {name} {{\n    fn from(value: &str) -> Self {{\n        match value {{"
    );
    for v in &values {
        let _ = writeln!(out, "            \"{v}\" => {name}::{},", enum_variant(v));
    }
    let _ = writeln!(
        out,
        "            other => {name}::Unknown(other.to_owned()),\n        }}\n    }}\n}}\n"
    );
    let _ = writeln!(out, "crate::model_enum!({name});\n");
}

pub fn emit(model: &Model) -> String {
    let mut out = String::from(HEADER);
    out.push_str("//! Every structure and enumeration shape that an operation reaches.\n\n");
    for name in &model.reachable {
        let shape = model.shape(name);
        match shape["type"].as_str() {
            Some("structure") => emit_structure(model, name, shape, &mut out),
            Some("string") if shape.get("enum").is_some() => emit_enum(name, shape, &mut out),
            _ => {}
        }
    }
    out
}
