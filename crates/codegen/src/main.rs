//! Generates `crates/model/src/generated/` and `crates/client/src/generated/` from the two
//! pinned service models: AmplifyBackend (`data/service-2.json`, at the top of both
//! directories) and the Amplify service (`data/amplify/service-2.json`, in their `amplify/`
//! subdirectories, exposed as `amplifybackend_model::amplify` and
//! `amplifybackend_client::amplify`). One generator serves both: a [`Service`] says where a
//! model lives and where its code goes.
//!
//! `cargo run -p codegen` rewrites the files; `cargo run -p codegen -- --check` fails when
//! the checked-in files of either model differ from what the model produces (CI's drift
//! check).
//!
//! # Required members
//!
//! In `shapes.rs` a member the model requires is a plain field (`pub app_id: String`), as in
//! s3s and aws-sdk-rust; optional members are `Option`s. A request may still lack a required
//! member, and the server answers it with a 400 listing every violation (missing members,
//! unknown enumeration values, ranges) in the model's member order. So every structure
//! with a required member somewhere inside also gets a *wire form* in `wire.rs`: the same
//! name and serde attributes, every member an `Option`. A request body is deserialized
//! once, straight into the wire form (no intermediate `serde_json::Value`), validated there
//! (its `Validate` is the one that reports missing members), then moved into the typed
//! structure by a generated `From` that copies no string. The typed structures deserialize
//! through their wire form too (`#[serde(from = ...)]`): decoding an output never fails for
//! an absent required member, which takes its default value (an enumeration's is
//! `Unknown("")`), the error correction of the AWS SDKs. `amplifybackend_model::Structure`
//! ties each structure to its wire form (itself when nothing inside is required).
//!
//! The builder of a structure with required members answers `Result<_, BuildError>` naming
//! the structure and the missing members; the other builders' `build()` cannot fail.
//!
//! # Documentation
//!
//! `data/service-2.json` is botocore 1.44.18's `amplifybackend/2020-08-11/service-2.json`,
//! documentation included; `data/amplify/service-2.json` is the Amplify service's model
//! (2017-07-25) without documentation, so its types carry only the generated comments.
//!
//! # Types the Amplify model adds
//!
//! Maps become `BTreeMap<String, _>` (sorted, so output is stable); timestamps are epoch
//! seconds, an `f64`, as rest-json carries them; members bound to the query string
//! (`maxResults`, `tagKeys`) travel like URI members outside the body, through
//! `OperationInput::set_query_param` and `query_params`. `doc.rs` turns its HTML into plain text here, once: the CLI's
//! help (through `schema.rs` and `Operation::description`) and the doc comments of the
//! client's methods and the model's structures carry the same text.

mod builders;
mod client;
mod doc;
mod names;
mod operations;
mod schema;
mod shapes;
mod wire;

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// Operations of AmplifyBackend whose work runs as a job (docs/BEHAVIOUR.md, "Jobs"). The model does not say which
/// operations are asynchronous, so the list lives here, next to the generator that records it.
const JOB_OPERATIONS: &[&str] = &[
    "CloneBackend",
    "CreateBackend",
    "CreateBackendAPI",
    "CreateBackendAuth",
    "CreateBackendConfig",
    "CreateBackendStorage",
    "DeleteBackend",
    "DeleteBackendAPI",
    "DeleteBackendAuth",
    "DeleteBackendStorage",
    "GenerateBackendAPIModels",
    "ImportBackendAuth",
    "ImportBackendStorage",
    "RemoveAllBackends",
    "UpdateBackendAPI",
    "UpdateBackendAuth",
    "UpdateBackendStorage",
];

/// Members that carry secrets although the model does not mark their shape sensitive.
const SECRET_MEMBERS: &[&str] = &["ChallengeCode", "ClientSecret", "PrivateKey"];

/// One service model and where its generated code goes.
pub(crate) struct Service {
    /// The model, relative to the workspace root.
    pub model: &'static str,
    /// Its paginators.
    pub paginators: &'static str,
    /// The model crate's output directory, relative to the workspace root.
    pub model_dir: &'static str,
    /// The client crate's output directory.
    pub client_dir: &'static str,
    /// The Rust path of the generated model module (`crate::generated`).
    pub module: &'static str,
    /// The model crate's public module the client's methods import (`amplifybackend_model`).
    pub public_module: &'static str,
    /// The client type the generated methods belong to (`crate::Client`).
    pub client: &'static str,
    /// The service as the docs name it (`AmplifyBackend 2020-08-11`).
    pub title: &'static str,
    /// Its short name in shape docs (`AmplifyBackend`).
    pub short: &'static str,
    /// Operations whose work runs as a job.
    pub job_operations: &'static [&'static str],
}

pub(crate) const SERVICES: [Service; 2] = [
    Service {
        model: "data/service-2.json",
        paginators: "data/paginators-1.json",
        model_dir: "crates/model/src/generated",
        client_dir: "crates/client/src/generated",
        module: "crate::generated",
        public_module: "amplifybackend_model",
        client: "crate::Client",
        title: "AmplifyBackend 2020-08-11",
        short: "AmplifyBackend",
        job_operations: JOB_OPERATIONS,
    },
    Service {
        model: "data/amplify/service-2.json",
        paginators: "data/amplify/paginators-1.json",
        model_dir: "crates/model/src/generated/amplify",
        client_dir: "crates/client/src/generated/amplify",
        module: "crate::generated::amplify",
        public_module: "amplifybackend_model::amplify",
        client: "crate::amplify::Client",
        title: "Amplify 2017-07-25",
        short: "Amplify",
        job_operations: &[],
    },
];

/// The parsed model and the facts the emitters share.
pub(crate) struct Model {
    pub service: &'static Service,
    pub json: Value,
    pub paginators: Value,
    /// Structure, list and enum shapes reachable from an operation, sorted by name.
    pub reachable: BTreeSet<String>,
    /// Structures with a required member, themselves or in a structure they hold: those
    /// that get a wire form.
    pub with_wire_form: BTreeSet<String>,
}

impl Model {
    /// The first lines of every generated file.
    pub fn header(&self) -> String {
        format!(
            "// @generated by `cargo run -p codegen` from {}. Do not edit.\n\n",
            self.service.model
        )
    }
    pub fn shape(&self, name: &str) -> &Value {
        &self.json["shapes"][name]
    }
    /// The plain-text documentation of `value` (an operation, shape or member).
    pub fn doc(value: &Value) -> String {
        doc::to_text(value["documentation"].as_str().unwrap_or_default())
    }

    pub fn operations(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.json["operations"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.iter())
    }
    /// Whether structure `name` has a wire form of its own in `wire.rs`.
    pub fn has_wire_form(&self, name: &str) -> bool {
        self.with_wire_form.contains(name)
    }
    pub fn is_job_operation(&self, name: &str) -> bool {
        self.service.job_operations.contains(&name)
    }
    pub fn is_secret_member(name: &str) -> bool {
        SECRET_MEMBERS.contains(&name)
    }
}

fn reachable_shapes(json: &Value) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = Vec::new();
    if let Some(ops) = json["operations"].as_object() {
        for op in ops.values() {
            for key in ["input", "output"] {
                if let Some(s) = op[key]["shape"].as_str() {
                    stack.push(s.to_string());
                }
            }
            for e in op["errors"].as_array().into_iter().flatten() {
                if let Some(s) = e["shape"].as_str() {
                    stack.push(s.to_string());
                }
            }
        }
    }
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let shape = &json["shapes"][&name];
        match shape["type"].as_str() {
            Some("structure") => {
                for m in shape["members"]
                    .as_object()
                    .into_iter()
                    .flat_map(|m| m.values())
                {
                    if let Some(s) = m["shape"].as_str() {
                        stack.push(s.to_string());
                    }
                }
            }
            Some("list") => {
                if let Some(s) = shape["member"]["shape"].as_str() {
                    stack.push(s.to_string());
                }
            }
            _ => {}
        }
    }
    seen
}

/// The reachable structures that hold a required member, directly or through the
/// structures and lists they hold.
fn structures_with_wire_form(json: &Value, reachable: &BTreeSet<String>) -> BTreeSet<String> {
    let shapes = &json["shapes"];
    let holds_required = |name: &str, known: &BTreeSet<String>| -> bool {
        let shape = &shapes[name];
        if shape["required"].as_array().is_some_and(|r| !r.is_empty()) {
            return true;
        }
        shape["members"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.values())
            .any(|m| {
                let mut target = m["shape"].as_str().unwrap_or_default();
                while shapes[target]["type"].as_str() == Some("list") {
                    target = shapes[target]["member"]["shape"]
                        .as_str()
                        .unwrap_or_default();
                }
                known.contains(target)
            })
    };
    // Grow the set until nothing changes: a structure holding one that is in is in.
    let mut found = BTreeSet::new();
    loop {
        let next: BTreeSet<String> = reachable
            .iter()
            .filter(|n| shapes[n.as_str()]["type"].as_str() == Some("structure"))
            .filter(|n| holds_required(n, &found))
            .cloned()
            .collect();
        if next == found {
            return found;
        }
        found = next;
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn rustfmt(source: String) -> Result<String, String> {
    use std::io::Write;
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run rustfmt: {e}"))?;
    child
        .stdin
        .take()
        .ok_or("rustfmt has no stdin")?
        .write_all(source.as_bytes())
        .map_err(|e| format!("cannot write to rustfmt: {e}"))?;
    let out = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt failed: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "rustfmt rejected the generated code: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("rustfmt output is not UTF-8: {e}"))
}

/// The generated files of one service: `(directory, file name, source)`.
fn files(root: &Path, service: &'static Service) -> Result<Vec<(PathBuf, String, String)>, String> {
    let read = |p: &str| -> Result<Value, String> {
        let text = std::fs::read_to_string(root.join(p)).map_err(|e| format!("{p}: {e}"))?;
        serde_json::from_str(&text).map_err(|e| format!("{p}: {e}"))
    };
    let json = read(service.model)?;
    let paginators = read(service.paginators)?;
    let reachable = reachable_shapes(&json);
    let with_wire_form = structures_with_wire_form(&json, &reachable);
    let model = Model {
        service,
        json,
        paginators,
        reachable,
        with_wire_form,
    };
    let header = model.header();
    let model_dir = root.join(service.model_dir);
    let client_dir = root.join(service.client_dir);
    // The AmplifyBackend modules also declare the Amplify service's.
    let nested = if service.module == "crate::generated" {
        "pub mod amplify;\n"
    } else {
        ""
    };
    let client_nested = if nested.is_empty() {
        ""
    } else {
        "mod amplify;\n"
    };
    Ok(vec![
        (model_dir.clone(), "shapes.rs".into(), shapes::emit(&model)),
        (
            model_dir.clone(),
            "operations.rs".into(),
            operations::emit(&model),
        ),
        (model_dir.clone(), "schema.rs".into(), schema::emit(&model)),
        (model_dir.clone(), "wire.rs".into(), wire::emit(&model)),
        (
            model_dir,
            "mod.rs".into(),
            format!(
                "{header}{nested}pub mod operations;\npub mod schema;\npub mod shapes;\npub mod wire;\n"
            ),
        ),
        (
            client_dir.clone(),
            "operations.rs".into(),
            client::emit(&model),
        ),
        (
            client_dir,
            "mod.rs".into(),
            format!("{header}{client_nested}mod operations;\n"),
        ),
    ])
}

fn run() -> Result<bool, String> {
    let check = std::env::args().any(|a| a == "--check");
    let root = workspace_root();
    let mut clean = true;
    for service in &SERVICES {
        for (out_dir, name, source) in files(&root, service)? {
            let formatted = rustfmt(source)?;
            let path = out_dir.join(name);
            let current = std::fs::read_to_string(&path).unwrap_or_default();
            if current == formatted {
                continue;
            }
            if check {
                eprintln!(
                    "{} is out of date: run `cargo run -p codegen`",
                    path.display()
                );
                clean = false;
            } else {
                std::fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;
                std::fs::write(&path, formatted).map_err(|e| format!("{}: {e}", path.display()))?;
                println!("wrote {}", path.display());
            }
        }
    }
    Ok(clean)
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("codegen: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structures_holding_a_required_member_anywhere_get_a_wire_form() {
        let json = serde_json::json!({"shapes": {
            "Outer": {"type": "structure", "members": {"Items": {"shape": "Items"}}},
            "Items": {"type": "list", "member": {"shape": "Inner"}},
            "Inner": {"type": "structure", "required": ["Name"],
                      "members": {"Name": {"shape": "Text"}}},
            "Plain": {"type": "structure", "members": {"Name": {"shape": "Text"}}},
            "Text": {"type": "string"}
        }});
        let reachable = ["Outer", "Items", "Inner", "Plain", "Text"]
            .map(String::from)
            .into_iter()
            .collect();
        let found: Vec<String> = structures_with_wire_form(&json, &reachable)
            .into_iter()
            .collect();
        assert_eq!(found, ["Inner", "Outer"]);
    }
}
