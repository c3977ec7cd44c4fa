//! Emits `operations.rs`: the operation table and each input's binding to its operation.

use crate::Model;
use crate::names::kebab_case;
use crate::shapes::{Member, has_required, members};
use std::fmt::Write;

fn uri_segments(template: &str) -> String {
    template
        .split('/')
        .filter(|s| !s.is_empty())
        .map(
            |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(param) => format!("UriSegment::Param(\"{param}\")"),
                None => format!("UriSegment::Literal(\"{s}\")"),
            },
        )
        .collect::<Vec<_>>()
        .join(", ")
}

/// `set_query_param` and `query_params` of an input with members in the query string: a
/// string is taken as is, an integer parsed, a list of strings repeats its key.
fn emit_query(model: &Model, query: &[Member<'_>], out: &mut String) {
    let _ = writeln!(
        out,
        "    fn set_query_param(wire: &mut <Self as Structure>::Wire, name: &str, value: String) -> Result<bool, String> {{\n        match name {{"
    );
    for m in query {
        let set = match model.shape(m.shape)["type"].as_str() {
            Some("integer") | Some("long") => format!(
                "wire.{} = Some(value.parse().map_err(|_| format!(\"Invalid value '{{value}}' for '{}': not an integer.\"))?)",
                m.field, m.wire
            ),
            Some("list") => format!("wire.{}.get_or_insert_with(Vec::new).push(value)", m.field),
            _ => format!("wire.{} = Some(value)", m.field),
        };
        let _ = writeln!(out, "            \"{}\" => {{ {set}; Ok(true) }}", m.wire);
    }
    let _ = writeln!(out, "            _ => Ok(false),\n        }}\n    }}");
    let _ = writeln!(
        out,
        "    fn query_params(&self) -> Vec<(&'static str, String)> {{\n        let mut params = Vec::new();"
    );
    for m in query {
        let value = match model.shape(m.shape)["type"].as_str() {
            Some("list") => "for v in value { params.push((NAME, v.clone())); }",
            Some("integer") | Some("long") => "params.push((NAME, value.to_string()));",
            _ => "params.push((NAME, value.clone()));",
        }
        .replace("NAME", &format!("\"{}\"", m.wire));
        let access = if m.required {
            format!("let value = &self.{}; {{ {value} }}", m.field)
        } else {
            format!("if let Some(value) = &self.{} {{ {value} }}", m.field)
        };
        let _ = writeln!(out, "        {access}");
    }
    let _ = writeln!(out, "        params\n    }}");
}

pub fn emit(model: &Model) -> String {
    let mut out = model.header();
    let _ = writeln!(
        out,
        "//! The operation table: names, HTTP bindings, jobs, pagination.\n\nuse crate::operation::{{IntoInput, OperationInput, Paginator, ServiceOperation, UriSegment}};\nuse {}::shapes::*;\nuse crate::{{BuildError, Structure}};\n",
        model.service.module
    );
    let ops: Vec<_> = model.operations().collect();

    let _ = writeln!(out, "/// Every operation of {}.", model.service.title);
    let _ = writeln!(
        out,
        "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]\npub enum Operation {{"
    );
    for (name, op) in &ops {
        let _ = writeln!(
            out,
            "    /// `{} {}`",
            op["http"]["method"].as_str().unwrap_or_default(),
            op["http"]["requestUri"].as_str().unwrap_or_default()
        );
        let _ = writeln!(out, "    {name},");
    }
    let _ = writeln!(out, "}}\n");

    let arms = |out: &mut String, f: &dyn Fn(&str, &serde_json::Value) -> String| {
        for (name, op) in &ops {
            let _ = writeln!(out, "            Operation::{name} => {},", f(name, op));
        }
    };

    let _ = writeln!(out, "impl Operation {{");
    let _ = writeln!(
        out,
        "    /// All operations, in the model's order.\n    pub const ALL: [Operation; {}] = [{}];\n",
        ops.len(),
        ops.iter()
            .map(|(n, _)| format!("Operation::{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        out,
        "    /// The operation's name in the model (`CreateBackendAuth`).\n    pub const fn name(self) -> &'static str {{\n        match self {{"
    );
    arms(&mut out, &|n, _| format!("\"{n}\""));
    let _ = writeln!(out, "        }}\n    }}\n");
    let _ = writeln!(
        out,
        "    /// The AWS CLI's command name (`create-backend-auth`).\n    pub const fn cli_name(self) -> &'static str {{\n        match self {{"
    );
    arms(&mut out, &|n, _| format!("\"{}\"", kebab_case(n)));
    let _ = writeln!(out, "        }}\n    }}\n");
    let _ = writeln!(
        out,
        "    /// The HTTP method (`GET` or `POST`).\n    pub const fn http_method(self) -> &'static str {{\n        match self {{"
    );
    arms(&mut out, &|_, op| {
        format!("\"{}\"", op["http"]["method"].as_str().unwrap_or_default())
    });
    let _ = writeln!(out, "        }}\n    }}\n");
    let _ = writeln!(
        out,
        "    /// The request URI template of the model.\n    pub const fn uri_template(self) -> &'static str {{\n        match self {{"
    );
    arms(&mut out, &|_, op| {
        format!(
            "\"{}\"",
            op["http"]["requestUri"].as_str().unwrap_or_default()
        )
    });
    let _ = writeln!(out, "        }}\n    }}\n");
    let _ = writeln!(
        out,
        "    /// The URI template split into its path segments.\n    pub const fn uri_segments(self) -> &'static [UriSegment] {{\n        match self {{"
    );
    arms(&mut out, &|_, op| {
        format!(
            "&[{}]",
            uri_segments(op["http"]["requestUri"].as_str().unwrap_or_default())
        )
    });
    let _ = writeln!(out, "        }}\n    }}\n");
    let _ = writeln!(
        out,
        "    /// The model's description of the operation, as plain text.\n    pub const fn description(self) -> &'static str {{\n        match self {{"
    );
    arms(&mut out, &|_, op| format!("{:?}", Model::doc(op)));
    let _ = writeln!(out, "        }}\n    }}\n");
    let _ = writeln!(
        out,
        "    /// Whether the operation does its work as a job and answers with its `jobId`.\n    pub const fn creates_job(self) -> bool {{\n        match self {{"
    );
    arms(&mut out, &|n, _| model.is_job_operation(n).to_string());
    let _ = writeln!(out, "        }}\n    }}\n");
    let _ = writeln!(
        out,
        "    /// The operation's input and output shape names.\n    pub const fn shapes(self) -> (&'static str, &'static str) {{\n        match self {{"
    );
    arms(&mut out, &|_, op| {
        format!(
            "(\"{}\", \"{}\")",
            op["input"]["shape"].as_str().unwrap_or_default(),
            op["output"]["shape"].as_str().unwrap_or_default()
        )
    });
    let _ = writeln!(out, "        }}\n    }}\n}}\n");
    let _ = writeln!(
        out,
        "impl ServiceOperation for Operation {{\n    const SIGNING_NAME: &'static str = \"{signing}\";\n    fn all() -> &'static [Self] {{\n        &Self::ALL\n    }}\n    fn name(self) -> &'static str {{\n        Operation::name(self)\n    }}\n    fn http_method(self) -> &'static str {{\n        Operation::http_method(self)\n    }}\n    fn uri_segments(self) -> &'static [UriSegment] {{\n        Operation::uri_segments(self)\n    }}\n    fn shapes(self) -> (&'static str, &'static str) {{\n        Operation::shapes(self)\n    }}\n}}\n",
        signing = model.json["metadata"]["signingName"]
            .as_str()
            .unwrap_or_default()
    );

    let _ = writeln!(
        out,
        "/// The paginators of `paginators-1.json`.\npub const PAGINATORS: &[Paginator<Operation>] = &["
    );
    for (name, p) in model.paginators["pagination"]
        .as_object()
        .into_iter()
        .flatten()
    {
        let s = |k: &str| p[k].as_str().unwrap_or_default().to_string();
        let _ = writeln!(
            out,
            "    Paginator {{ operation: Operation::{name}, input_token: \"{}\", output_token: \"{}\", limit_key: \"{}\", result_key: \"{}\" }},",
            s("input_token"),
            s("output_token"),
            s("limit_key"),
            s("result_key")
        );
    }
    let _ = writeln!(out, "];\n");

    for (name, op) in &ops {
        let input = op["input"]["shape"].as_str().unwrap_or_default();
        let output = op["output"]["shape"].as_str().unwrap_or_default();
        let input_shape = model.shape(input);
        let uri: Vec<_> = members(input_shape)
            .into_iter()
            .filter(|m| m.in_uri)
            .collect();
        let query: Vec<_> = members(input_shape)
            .into_iter()
            .filter(|m| m.in_query)
            .collect();
        let _ = writeln!(out, "impl OperationInput for {input} {{");
        let _ = writeln!(out, "    type Output = {output};");
        let _ = writeln!(out, "    type Operation = Operation;");
        let _ = writeln!(out, "    const OPERATION: Operation = Operation::{name};");
        if !query.is_empty() {
            emit_query(model, &query, &mut out);
        }
        if uri.is_empty() {
            let _ = writeln!(
                out,
                "    fn set_uri_param(_wire: &mut <Self as Structure>::Wire, _name: &str, _value: String) -> bool {{ false }}"
            );
            let _ = writeln!(
                out,
                "    fn uri_param(&self, _name: &str) -> Option<&str> {{ None }}\n}}\n"
            );
        } else {
            let _ = writeln!(
                out,
                "    fn set_uri_param(wire: &mut <Self as Structure>::Wire, name: &str, value: String) -> bool {{\n        match name {{"
            );
            for m in &uri {
                let _ = writeln!(
                    out,
                    "            \"{}\" => {{ wire.{} = Some(value); true }}",
                    m.wire, m.field
                );
            }
            let _ = writeln!(out, "            _ => false,\n        }}\n    }}");
            let _ = writeln!(
                out,
                "    fn uri_param(&self, name: &str) -> Option<&str> {{\n        match name {{"
            );
            for m in &uri {
                let value = if m.required {
                    format!("Some(self.{}.as_str())", m.field)
                } else {
                    format!("self.{}.as_deref()", m.field)
                };
                let _ = writeln!(out, "            \"{}\" => {value},", m.wire);
            }
            let _ = writeln!(out, "            _ => None,\n        }}\n    }}\n}}\n");
        }
        let build = if has_required(input_shape) {
            "self.build()"
        } else {
            "Ok(self.build())"
        };
        let _ = writeln!(
            out,
            "impl IntoInput<{input}> for {input}Builder {{\n    fn into_input(self) -> Result<{input}, BuildError> {{\n        {build}\n    }}\n}}\n"
        );
    }
    out
}
