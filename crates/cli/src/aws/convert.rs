//! Translation between the AWS CLI's documents (the model's PascalCase member names) and
//! the wire (locationNames), driven by the generated shape table.

use amplifybackend_client::model::schema::{self, ShapeKind};
use serde_json::{Map, Value};

/// A document the model does not accept, worded as botocore words it.
#[derive(Debug)]
pub struct ParamError(pub String);

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

fn invalid_type(path: &str, v: &Value, valid: &str) -> ParamError {
    ParamError(format!(
        "Invalid type for parameter {path}, value: {v}, type: <class '{}'>, valid types: {valid}",
        type_name(v)
    ))
}

/// `value`, a document of shape `shape` in model member names, in wire names.
pub fn to_wire(shape: &str, value: &Value, path: &str) -> Result<Value, ParamError> {
    match schema::shape(shape) {
        Some(ShapeKind::Structure(members)) => {
            let Value::Object(object) = value else {
                return Err(invalid_type(path, value, "<class 'dict'>"));
            };
            let mut out = Map::new();
            for (key, v) in object {
                let Some(m) = members.iter().find(|m| m.name == key) else {
                    let names: Vec<_> = members.iter().map(|m| m.name).collect();
                    return Err(ParamError(format!(
                        "Unknown parameter in {}: \"{key}\", must be one of: {}",
                        if path.is_empty() { "input" } else { path },
                        names.join(", ")
                    )));
                };
                if v.is_null() {
                    continue;
                }
                let sub = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                out.insert(m.wire.to_owned(), to_wire(m.shape, v, &sub)?);
            }
            Ok(Value::Object(out))
        }
        Some(ShapeKind::List(item)) => {
            let Value::Array(items) = value else {
                return Err(invalid_type(path, value, "<class 'list'>, <class 'tuple'>"));
            };
            items
                .iter()
                .enumerate()
                .map(|(i, v)| to_wire(item, v, &format!("{path}[{i}]")))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)
        }
        Some(ShapeKind::String | ShapeKind::Enum(_) | ShapeKind::Timestamp) => match value {
            Value::String(_) => Ok(value.clone()),
            _ => Err(invalid_type(path, value, "<class 'str'>")),
        },
        Some(ShapeKind::Boolean) => match value {
            Value::Bool(_) => Ok(value.clone()),
            _ => Err(invalid_type(path, value, "<class 'bool'>")),
        },
        Some(ShapeKind::Integer) => match value {
            Value::Number(n) if n.is_i64() || n.is_u64() => Ok(value.clone()),
            _ => Err(invalid_type(path, value, "<class 'int'>")),
        },
        Some(ShapeKind::Double) => match value {
            Value::Number(_) => Ok(value.clone()),
            _ => Err(invalid_type(
                path,
                value,
                "<class 'float'>, <class 'decimal.Decimal'>, <class 'int'>",
            )),
        },
        Some(ShapeKind::Other(_)) | None => Ok(value.clone()),
    }
}

/// `value`, a wire document of shape `shape`, in model member names and the model's
/// member order (what botocore parses and the AWS CLI prints).
pub fn from_wire(shape: &str, value: &Value) -> Value {
    match (schema::shape(shape), value) {
        (Some(ShapeKind::Structure(members)), Value::Object(object)) => {
            let mut out = Map::new();
            for m in members {
                if let Some(v) = object.get(m.wire).filter(|v| !v.is_null()) {
                    out.insert(m.name.to_owned(), from_wire(m.shape, v));
                }
            }
            Value::Object(out)
        }
        (Some(ShapeKind::List(item)), Value::Array(items)) => {
            Value::Array(items.iter().map(|v| from_wire(item, v)).collect())
        }
        (Some(ShapeKind::Double), Value::Number(n)) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or_else(|| value.clone()),
        _ => value.clone(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn translates_both_ways() {
        let doc = json!({
            "AuthResources": "USER_POOL_ONLY",
            "Service": "COGNITO",
            "UserPoolConfigs": {"SignInMethod": "EMAIL", "UserPoolName": "p",
                "RequiredSignUpAttributes": ["EMAIL"], "Mfa": {"MFAMode": "OFF"}}
        });
        let wire = to_wire("CreateBackendAuthResourceConfig", &doc, "ResourceConfig").unwrap();
        assert_eq!(
            wire,
            json!({"authResources": "USER_POOL_ONLY", "service": "COGNITO",
                "userPoolConfigs": {"signInMethod": "EMAIL", "userPoolName": "p",
                "requiredSignUpAttributes": ["EMAIL"], "mfa": {"MFAMode": "OFF"}}})
        );
        assert_eq!(from_wire("CreateBackendAuthResourceConfig", &wire), doc);
    }

    #[test]
    fn reports_unknown_members_and_wrong_types() {
        let err = to_wire("GetBackendRequest", &json!({"Nope": 1}), "").unwrap_err();
        assert!(
            err.0.starts_with("Unknown parameter in input: \"Nope\""),
            "{}",
            err.0
        );
        let err = to_wire("ListBackendJobsRequest", &json!({"MaxResults": "x"}), "").unwrap_err();
        assert!(
            err.0.contains("Invalid type for parameter MaxResults"),
            "{}",
            err.0
        );
    }
}
