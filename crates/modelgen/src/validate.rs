//! The check the introspection visitor runs on its result (its JSON schema, compiled
//! with ajv): where a type may be a model, an input, an enum, ...

use crate::Fail;
use crate::js::{Js, Obj, compact};

const SCALARS: &[&str] = crate::model::METADATA_SCALARS;

fn type_ok(t: Option<&Js>, allowed: &[&str]) -> bool {
    match t {
        Some(Js::Str(s)) => SCALARS.contains(&s.as_str()),
        Some(Js::Obj(o)) => o.0.len() == 1 && allowed.contains(&o.0[0].0.as_str()),
        _ => false,
    }
}

fn fail(path: String) -> Fail {
    let mut err = Obj::new();
    err.push("instancePath", Js::Str(path));
    err.push("keyword", Js::str("anyOf"));
    err.push("message", Js::str("must match a schema in anyOf"));
    Fail::at(
        format!(
            "Data did not validate against the supplied schema. Underlying errors were {}",
            compact(&Js::Arr(vec![Js::Obj(err)]))
        ),
        0,
    )
}

fn entries(doc: &Obj, key: &str) -> Vec<(String, Obj)> {
    match doc.get(key) {
        Some(Js::Obj(o)) => {
            o.0.iter()
                .filter_map(|(k, v)| v.as_obj().map(|o| (k.clone(), o.clone())))
                .collect()
        }
        _ => Vec::new(),
    }
}

fn check_args(args: Option<&Js>, path: &str) -> Result<(), Fail> {
    if let Some(Js::Obj(args)) = args {
        for (name, a) in &args.0 {
            if !type_ok(a.as_obj().and_then(|a| a.get("type")), &["enum", "input"]) {
                return Err(fail(format!("{path}/{name}/type")));
            }
        }
    }
    Ok(())
}

/// Model and non-model field types: never an input.
pub fn validate_fields(st: &crate::model::State) -> Result<(), Fail> {
    for (key, list) in [("models", &st.models), ("nonModels", &st.non_models)] {
        for m in list {
            for f in &m.fields {
                if st.input_index.contains(&f.ty)
                    && !crate::model::METADATA_SCALARS.contains(&f.ty.as_str())
                    && !st.enum_index.contains(&f.ty)
                    && !st.non_model_index.contains(&f.ty)
                    && !st.is_model(&f.ty)
                {
                    return Err(fail(format!("/{key}/{}/fields/{}/type", m.name, f.name)));
                }
            }
        }
    }
    Ok(())
}

/// Root operation types and argument types, in the document's operation sections
/// (`queries`, ..., `inputs`).
pub fn validate(doc: &Obj) -> Result<(), Fail> {
    let field_types = ["enum", "model", "nonModel"];
    for key in ["queries", "mutations", "subscriptions", "generations"] {
        for (name, op) in entries(doc, key) {
            if !type_ok(op.get("type"), &field_types) {
                return Err(fail(format!("/{key}/{name}/type")));
            }
            check_args(op.get("arguments"), &format!("/{key}/{name}/arguments"))?;
        }
    }
    for (name, input) in entries(doc, "inputs") {
        check_args(
            input.get("attributes"),
            &format!("/inputs/{name}/attributes"),
        )?;
    }
    Ok(())
}
