//! Emits `wire.rs`: the wire form of every structure with a required member somewhere
//! inside, its move into the typed structure, and every structure's `Structure` impl.

use crate::Model;
use crate::shapes::{Form, emit_structure, members};
use std::fmt::Write;

/// A function turning a wire value of `shape_name` into its typed value, if they differ.
fn conversion(model: &Model, shape_name: &str) -> Option<String> {
    let shape = model.shape(shape_name);
    match shape["type"].as_str() {
        Some("structure") if model.has_wire_form(shape_name) => Some("Into::into".into()),
        Some("list") => {
            let item = conversion(model, shape["member"]["shape"].as_str().unwrap_or_default())?;
            Some(format!("|v| v.into_iter().map({item}).collect()"))
        }
        _ => None,
    }
}

fn emit_from(model: &Model, name: &str, out: &mut String) {
    let shape = model.shape(name);
    let _ = writeln!(
        out,
        "impl From<{name}> for shapes::{name} {{\n    /// Moves every member; a required member that is absent takes its default value.\n    fn from(wire: {name}) -> Self {{\n        shapes::{name} {{"
    );
    for m in members(shape) {
        let mut value = format!("wire.{}", m.field);
        if let Some(f) = conversion(model, m.shape) {
            value = format!("{value}.map({f})");
        }
        if m.required {
            value.push_str(".unwrap_or_default()");
        }
        let _ = writeln!(out, "            {}: {value},", m.field);
    }
    let _ = writeln!(out, "        }}\n    }}\n}}\n");
}

pub fn emit(model: &Model) -> String {
    let mut out = model.header();
    let module = model.service.module;
    let _ = writeln!(
        out,
        "//! The wire form of every structure with a required member somewhere inside: every\n//! member optional, as a request may carry it. Requests are decoded and validated in this\n//! form, then moved into the typed structure of [`{module}::shapes`].\n\nuse {module}::shapes;\n"
    );
    for name in &model.reachable {
        let shape = model.shape(name);
        if shape["type"].as_str() != Some("structure") {
            continue;
        }
        if model.has_wire_form(name) {
            emit_structure(model, name, shape, Form::Wire, &mut out);
            emit_from(model, name, &mut out);
            let _ = writeln!(
                out,
                "impl crate::Structure for shapes::{name} {{\n    type Wire = {name};\n}}\n"
            );
        } else {
            let _ = writeln!(
                out,
                "impl crate::Structure for shapes::{name} {{\n    type Wire = shapes::{name};\n}}\n"
            );
        }
    }
    out
}
