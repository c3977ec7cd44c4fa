//! Emits `shapes.rs`: one Rust type per structure and enum shape reachable from an operation,
//! and the structure emitter `wire.rs` shares.

use crate::Model;
use crate::names::{enum_variant, snake_case};
use serde_json::Value;
use std::fmt::Write;

/// The two forms a structure is emitted in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// `shapes.rs`: required members are plain fields.
    Typed,
    /// `wire.rs`: every member optional, as a document may carry it.
    Wire,
}

/// How a member's value is represented in Rust (in `shapes.rs`).
pub(crate) fn rust_type(model: &Model, shape_name: &str) -> String {
    member_type(model, shape_name, Form::Typed)
}

/// How a member's value is represented in `form`: in `wire.rs` a structure with a wire form
/// is that form (named bare), any other structure or enum the typed one (`shapes::`).
fn member_type(model: &Model, shape_name: &str, form: Form) -> String {
    let shape = model.shape(shape_name);
    let named = |name: &str| match form {
        Form::Wire if !model.has_wire_form(name) => format!("shapes::{name}"),
        _ => name.to_string(),
    };
    match shape["type"].as_str().unwrap_or_default() {
        "string" if shape.get("enum").is_some() => named(shape_name),
        "string" | "blob" => "String".into(),
        // Epoch seconds, with a fraction for milliseconds, as rest-json carries them.
        "timestamp" => "f64".into(),
        "map" => format!(
            "std::collections::BTreeMap<String, {}>",
            member_type(
                model,
                shape["value"]["shape"].as_str().unwrap_or_default(),
                form
            )
        ),
        "boolean" => "bool".into(),
        "double" | "float" => "f64".into(),
        "integer" => "i32".into(),
        "long" => "i64".into(),
        "list" => format!(
            "Vec<{}>",
            member_type(
                model,
                shape["member"]["shape"].as_str().unwrap_or_default(),
                form
            )
        ),
        _ => named(shape_name),
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
    pub in_query: bool,
    /// The member's documentation as plain text (empty when the model has none).
    pub doc: String,
}

impl Member<'_> {
    /// Whether the member is an `Option` in `form`.
    pub fn optional_in(&self, form: Form) -> bool {
        form == Form::Wire || !self.required
    }
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
            in_query: m["location"].as_str() == Some("querystring"),
            doc: crate::doc::to_text(m["documentation"].as_str().unwrap_or_default()),
        })
        .collect()
}

/// Whether the structure has a required member.
pub(crate) fn has_required(shape: &Value) -> bool {
    members(shape).iter().any(|m| m.required)
}

/// The structure `name` in `form`: the type, `Debug` and `Validate`.
pub(crate) fn emit_structure(
    model: &Model,
    name: &str,
    shape: &Value,
    form: Form,
    out: &mut String,
) {
    let members = members(shape);
    let doc = match form {
        Form::Wire => format!(
            "The wire form of [`shapes::{name}`]:\n/// every member optional, as a document may carry it."
        ),
        Form::Typed if shape["exception"].as_bool() == Some(true) => format!(
            "The `{name}` error (HTTP {}).",
            shape["error"]["httpStatusCode"].as_u64().unwrap_or(400)
        ),
        Form::Typed => format!(
            "The `{name}` structure of the {} model.",
            model.service.short
        ),
    };
    let _ = writeln!(out, "/// {doc}");
    let model_doc = crate::doc::to_text(shape["documentation"].as_str().unwrap_or_default());
    if form == Form::Typed && !model_doc.is_empty() {
        let _ = writeln!(out, "///");
        out.push_str(&crate::doc::comment(&model_doc, ""));
    }
    let _ = writeln!(
        out,
        "#[derive(Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]"
    );
    if form == Form::Typed && model.has_wire_form(name) {
        let _ = writeln!(
            out,
            "#[serde(from = \"{}::wire::{name}\")]",
            model.service.module
        );
    }
    let _ = writeln!(out, "pub struct {name} {{");
    for m in &members {
        let ty = member_type(model, m.shape, form);
        let req = if m.required { "required" } else { "optional" };
        let place = if m.in_uri {
            "travels in the URI path"
        } else if m.in_query {
            "travels in the query string"
        } else {
            "travels in the JSON body"
        };
        if form == Form::Typed && !m.doc.is_empty() {
            out.push_str(&crate::doc::comment(&m.doc, "    "));
            let _ = writeln!(out, "    ///");
        }
        let _ = writeln!(out, "    /// `{}` ({req}; {place}).", m.wire);
        let optional = m.optional_in(form);
        if m.in_uri || m.in_query {
            let _ = writeln!(out, "    #[serde(skip)]");
        } else if optional {
            let _ = writeln!(
                out,
                "    #[serde(rename = \"{}\", default, skip_serializing_if = \"Option::is_none\")]",
                m.wire
            );
        } else {
            let _ = writeln!(out, "    #[serde(rename = \"{}\")]", m.wire);
        }
        if optional {
            let _ = writeln!(out, "    pub {}: Option<{ty}>,", m.field);
        } else {
            let _ = writeln!(out, "    pub {}: {ty},", m.field);
        }
    }
    let _ = writeln!(out, "}}\n");
    emit_debug(name, name, shape, &members, form, out);
    emit_validate(model, name, &members, form, out);
    if form == Form::Typed {
        crate::builders::emit_builder(model, name, shape, out);
    }
}

/// `Debug` of `type_name`, shown as `shown`, which never prints secrets: sensitive shapes
/// are redacted whole, secret members alone. `form` says which members are `Option`s.
pub(crate) fn emit_debug(
    type_name: &str,
    shown: &str,
    shape: &Value,
    members: &[Member<'_>],
    form: Form,
    out: &mut String,
) {
    let _ = writeln!(out, "impl std::fmt::Debug for {type_name} {{");
    let _ = writeln!(
        out,
        "    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{"
    );
    if shape["sensitive"].as_bool() == Some(true) {
        let _ = writeln!(out, "        f.write_str(crate::REDACTED)");
    } else {
        let _ = writeln!(out, "        f.debug_struct(\"{shown}\")");
        for m in members {
            let value = match (Model::is_secret_member(m.name), m.optional_in(form)) {
                (true, true) => format!("&self.{}.as_ref().map(|_| crate::REDACTED)", m.field),
                (true, false) => "&crate::REDACTED".to_string(),
                (false, _) => format!("&self.{}", m.field),
            };
            let _ = writeln!(out, "            .field(\"{}\", {value})", m.field);
        }
        let _ = writeln!(out, "            .finish()");
    }
    let _ = writeln!(out, "    }}\n}}\n");
}

/// `Validate` of the structure in `form`. Only the wire form can lack a required member;
/// both check enumerations, ranges and nested structures in the model's member order.
fn emit_validate(model: &Model, name: &str, members: &[Member<'_>], form: Form, out: &mut String) {
    let mut checks = String::new();
    for m in members {
        let optional = m.optional_in(form);
        if m.required && optional {
            let _ = writeln!(
                checks,
                "        crate::validate::required(prefix, \"{}\", &self.{}, out);",
                m.wire, m.field
            );
        }
        let target = model.shape(m.shape);
        let is_list = target["type"].as_str() == Some("list");
        if validates_itself(model, m.shape) {
            let (f, value) = match (is_list, optional) {
                (true, true) => ("nested_list", format!("self.{}.as_deref()", m.field)),
                (true, false) => ("nested_list", format!("Some(self.{}.as_slice())", m.field)),
                (false, true) => ("nested", format!("self.{}.as_ref()", m.field)),
                (false, false) => ("nested", format!("Some(&self.{})", m.field)),
            };
            let _ = writeln!(
                checks,
                "        crate::validate::{f}(prefix, \"{}\", {value}, out);",
                m.wire
            );
        }
        // An enumeration's own check covers its length.
        let bounded = target.get("min").is_some() || target.get("max").is_some();
        if bounded && target.get("enum").is_none() {
            let bound = |k: &str| match target[k].as_i64() {
                Some(v) => format!("Some({v})"),
                None => "None".into(),
            };
            let f = &m.field;
            let value = match (target["type"].as_str(), optional) {
                (Some("integer") | Some("long"), true) => format!("self.{f}.map(i64::from)"),
                (Some("integer") | Some("long"), false) => format!("Some(i64::from(self.{f}))"),
                (Some("list") | Some("map"), true) => {
                    format!("self.{f}.as_ref().map(|v| v.len() as i64)")
                }
                (Some("list") | Some("map"), false) => format!("Some(self.{f}.len() as i64)"),
                (_, true) => format!("self.{f}.as_ref().map(|v| v.chars().count() as i64)"),
                (_, false) => format!("Some(self.{f}.chars().count() as i64)"),
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
}

fn emit_enum(model: &Model, name: &str, shape: &Value, out: &mut String) {
    let values: Vec<&str> = shape["enum"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let _ = writeln!(
        out,
        "/// The `{name}` enumeration of the {} model.",
        model.service.short
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
    let mut out = model.header();
    out.push_str("//! Every structure and enumeration shape that an operation reaches.\n\n");
    for name in &model.reachable {
        let shape = model.shape(name);
        match shape["type"].as_str() {
            Some("structure") => emit_structure(model, name, shape, Form::Typed, &mut out),
            Some("string") if shape.get("enum").is_some() => {
                emit_enum(model, name, shape, &mut out)
            }
            _ => {}
        }
    }
    out
}
