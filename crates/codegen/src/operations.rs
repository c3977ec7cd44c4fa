//! Emits `operations.rs`: the operation table and each input's binding to its operation.

use crate::names::kebab_case;
use crate::shapes::{has_required, members};
use crate::{HEADER, Model};
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

pub fn emit(model: &Model) -> String {
    let mut out = String::from(HEADER);
    out.push_str("//! The operation table: names, HTTP bindings, jobs, pagination.\n\n");
    out.push_str("use crate::operation::{IntoInput, OperationInput, Paginator, UriSegment};\nuse crate::generated::shapes::*;\nuse crate::{BuildError, Structure};\n\n");
    let ops: Vec<_> = model.operations().collect();

    let _ = writeln!(out, "/// Every operation of AmplifyBackend 2020-08-11.");
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
    arms(&mut out, &|n, _| Model::is_job_operation(n).to_string());
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
        "/// The paginators of `paginators-1.json`.\npub const PAGINATORS: &[Paginator] = &["
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
        let _ = writeln!(out, "impl OperationInput for {input} {{");
        let _ = writeln!(out, "    type Output = {output};");
        let _ = writeln!(out, "    const OPERATION: Operation = Operation::{name};");
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
