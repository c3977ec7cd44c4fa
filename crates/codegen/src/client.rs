//! Emits the client's `operations.rs`: one `Client` method per operation and
//! the dynamic dispatch of a JSON document to the typed call.

use crate::Model;
use crate::names::snake_case;
use std::fmt::Write;

pub fn emit(model: &Model) -> String {
    let mut out = model.header();
    let _ = writeln!(
        out,
        "//! One method per operation of {}.\n\nuse crate::Error;\nuse {};\nuse amplifybackend_model::IntoInput;\nuse {}::*;\n",
        model.service.title, model.service.client, model.service.public_module
    );
    let _ = writeln!(out, "impl Client {{");
    for (name, op) in model.operations() {
        let input = op["input"]["shape"].as_str().unwrap_or_default();
        let output = op["output"]["shape"].as_str().unwrap_or_default();
        let method = op["http"]["method"].as_str().unwrap_or_default();
        let uri = op["http"]["requestUri"].as_str().unwrap_or_default();
        let _ = writeln!(
            out,
            "{}    /// Calls `{name}` (`{method} {uri}`).\n    ///\n    /// Takes the input or its builder. A builder lacking a required member fails\n    /// ([`Error::Build`]) and the input is checked against the model\n    /// ([`Error::Validation`]) before anything is sent; a modeled exception comes back as\n    /// its own [`Error`] variant.\n    pub async fn {}(&self, input: impl IntoInput<{input}>) -> Result<{output}, Error> {{\n        self.send(input.into_input()?).await\n    }}\n",
            match crate::doc::comment(&Model::doc(op), "    ") {
                doc if doc.is_empty() => doc,
                doc => doc + "    ///\n",
            },
            snake_case(name)
        );
    }
    let _ = writeln!(
        out,
        "    /// Calls `operation` with an input given as a JSON document in wire names (URI\n    /// members included, by their wire names) and answers the output as a JSON document in\n    /// wire names.\n    pub async fn send_json(&self, operation: Operation, input: serde_json::Value) -> Result<serde_json::Value, Error> {{\n        match operation {{"
    );
    for (name, op) in model.operations() {
        let input = op["input"]["shape"].as_str().unwrap_or_default();
        let _ = writeln!(
            out,
            "            Operation::{name} => self.send_value::<{input}>(input).await,"
        );
    }
    let _ = writeln!(out, "        }}\n    }}\n}}");
    out
}
