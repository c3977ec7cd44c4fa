//! Emits `schema.rs`: every reachable shape with its members' model names, wire names and
//! AWS CLI flag names, so tools can translate between the AWS CLI's PascalCase documents
//! and the wire without hand-written tables.

use crate::Model;
use crate::names::kebab_case;
use crate::shapes::members;
use serde_json::Value;
use std::fmt::Write;

fn kind(model: &Model, name: &str, shape: &Value) -> String {
    match shape["type"].as_str().unwrap_or_default() {
        "structure" => {
            let ms: Vec<String> = members(shape)
                .iter()
                .map(|m| {
                    format!(
                        "Member {{ name: \"{}\", wire: \"{}\", cli_name: \"{}\", shape: \"{}\", required: {}, in_uri: {}, in_query: {}, doc: {:?} }}",
                        m.name,
                        m.wire,
                        kebab_case(m.name),
                        m.shape,
                        m.required,
                        m.in_uri,
                        m.in_query,
                        m.doc
                    )
                })
                .collect();
            format!("ShapeKind::Structure(&[{}])", ms.join(", "))
        }
        "list" => format!(
            "ShapeKind::List(\"{}\")",
            shape["member"]["shape"].as_str().unwrap_or_default()
        ),
        "map" => format!(
            "ShapeKind::Map(\"{}\")",
            shape["value"]["shape"].as_str().unwrap_or_default()
        ),
        "string" if shape.get("enum").is_some() => format!("ShapeKind::Enum({name}::VALUES)"),
        "string" => "ShapeKind::String".into(),
        "timestamp" => "ShapeKind::Timestamp".into(),
        "boolean" => "ShapeKind::Boolean".into(),
        "double" | "float" => "ShapeKind::Double".into(),
        "integer" | "long" => "ShapeKind::Integer".into(),
        other => {
            let _ = model;
            format!("ShapeKind::Other(\"{other}\")")
        }
    }
}

pub fn emit(model: &Model) -> String {
    let mut out = model.header();
    out.push_str(
        "//! Every shape an operation reaches, by model name (sorted for binary search).\n\n",
    );
    let _ = writeln!(
        out,
        "use {}::shapes::*;\nuse crate::schema::{{Member, ShapeKind}};\n",
        model.service.module
    );
    let _ = writeln!(
        out,
        "/// `(shape name, kind)` of every reachable shape, sorted by name.\npub static SHAPES: &[(&str, ShapeKind)] = &["
    );
    for name in &model.reachable {
        let shape = model.shape(name);
        let _ = writeln!(out, "    (\"{name}\", {}),", kind(model, name, shape));
    }
    let _ = writeln!(out, "];");
    out
}
