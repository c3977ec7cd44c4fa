//! Translation between the AWS CLI's documents (the model's PascalCase member names) and
//! the wire (locationNames), driven by the generated shape table.

use super::python;
use super::service::Service;
use amplifybackend_client::model::schema::ShapeKind;
use serde_json::{Map, Value};

/// A document the model does not accept: botocore's report, one problem a line, in the
/// order botocore finds them.
#[derive(Debug)]
pub struct ParamError(pub Vec<String>);

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("\n"))
    }
}

/// botocore's name of a path: `input` for the whole input, else the path itself.
fn display(path: &str) -> &str {
    if path.is_empty() { "input" } else { path }
}

fn invalid_type(path: &str, v: &Value, valid: &str) -> String {
    format!(
        "Invalid type for parameter {}, value: {}, type: <class '{}'>, valid types: {valid}",
        display(path),
        python::str(v),
        python::type_name(v)
    )
}

/// The smallest value of a ranged shape. The model names such shapes after their bounds
/// (`__integerMin1Max25`); botocore checks the minimum only and leaves the rest to the
/// service.
fn minimum(shape: &str) -> Option<i64> {
    let rest = shape.strip_prefix("__")?;
    let (_, after) = rest.split_once("Min")?;
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// `value`, a document of shape `shape` in model member names, in wire names, once it
/// passes botocore's checks: required members present, no unknown member, the model's
/// types, numbers not below their minimum. Enumerations and maximums are the service's
/// to check, as with the AWS CLI.
pub fn to_wire(
    service: Service,
    shape: &str,
    value: &Value,
    path: &str,
) -> Result<Value, ParamError> {
    let mut errors = Vec::new();
    let out = convert(service, shape, value, path, &mut errors);
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(ParamError(errors))
    }
}

fn convert(
    service: Service,
    shape: &str,
    value: &Value,
    path: &str,
    errors: &mut Vec<String>,
) -> Value {
    match service.shape(shape) {
        Some(ShapeKind::Structure(members)) => {
            let Value::Object(object) = value else {
                errors.push(invalid_type(path, value, "<class 'dict'>"));
                return Value::Null;
            };
            for m in members.iter().filter(|m| m.required) {
                if !object.contains_key(m.name) {
                    errors.push(format!(
                        "Missing required parameter in {}: \"{}\"",
                        display(path),
                        m.name
                    ));
                }
            }
            for key in object.keys() {
                if !members.iter().any(|m| m.name == key) {
                    let names: Vec<_> = members.iter().map(|m| m.name).collect();
                    errors.push(format!(
                        "Unknown parameter in {}: \"{key}\", must be one of: {}",
                        display(path),
                        names.join(", ")
                    ));
                }
            }
            let mut out = Map::new();
            for (key, v) in object {
                let Some(m) = members.iter().find(|m| m.name == key) else {
                    continue;
                };
                let sub = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                out.insert(
                    m.wire.to_owned(),
                    convert(service, m.shape, v, &sub, errors),
                );
            }
            Value::Object(out)
        }
        Some(ShapeKind::List(item)) => {
            let Value::Array(items) = value else {
                errors.push(invalid_type(path, value, "<class 'list'>, <class 'tuple'>"));
                return Value::Null;
            };
            Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| convert(service, item, v, &format!("{path}[{i}]"), errors))
                    .collect(),
            )
        }
        Some(ShapeKind::Map(item)) => {
            let Value::Object(object) = value else {
                errors.push(invalid_type(path, value, "<class 'dict'>"));
                return Value::Null;
            };
            Value::Object(
                object
                    .iter()
                    .map(|(k, v)| {
                        let sub = format!("{path}.{k}");
                        (k.clone(), convert(service, item, v, &sub, errors))
                    })
                    .collect(),
            )
        }
        Some(ShapeKind::String | ShapeKind::Enum(_) | ShapeKind::Timestamp) => {
            if !value.is_string() {
                errors.push(invalid_type(path, value, "<class 'str'>"));
            }
            value.clone()
        }
        Some(ShapeKind::Boolean) => {
            if !value.is_boolean() {
                errors.push(invalid_type(path, value, "<class 'bool'>"));
            }
            value.clone()
        }
        Some(ShapeKind::Integer) => {
            match value.as_i64() {
                Some(n) if !value.is_f64() => {
                    if let Some(min) = minimum(shape).filter(|min| n < *min) {
                        errors.push(format!(
                            "Invalid value for parameter {}, value: {n}, valid min value: {min}",
                            display(path)
                        ));
                    }
                }
                _ => errors.push(invalid_type(path, value, "<class 'int'>")),
            }
            value.clone()
        }
        Some(ShapeKind::Double) => {
            if !value.is_number() {
                errors.push(invalid_type(
                    path,
                    value,
                    "<class 'float'>, <class 'decimal.Decimal'>, <class 'int'>",
                ));
            }
            value.clone()
        }
        Some(ShapeKind::Other(_)) | None => value.clone(),
    }
}

/// `value`, a wire document of shape `shape`, in model member names and the model's
/// member order (what botocore parses and the AWS CLI prints).
pub fn from_wire(service: Service, shape: &str, value: &Value) -> Value {
    match (service.shape(shape), value) {
        (Some(ShapeKind::Structure(members)), Value::Object(object)) => {
            let mut out = Map::new();
            for m in members {
                if let Some(v) = object.get(m.wire).filter(|v| !v.is_null()) {
                    out.insert(m.name.to_owned(), from_wire(service, m.shape, v));
                }
            }
            Value::Object(out)
        }
        (Some(ShapeKind::List(item)), Value::Array(items)) => {
            Value::Array(items.iter().map(|v| from_wire(service, item, v)).collect())
        }
        (Some(ShapeKind::Map(item)), Value::Object(object)) => Value::Object(
            object
                .iter()
                .map(|(k, v)| (k.clone(), from_wire(service, item, v)))
                .collect(),
        ),
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
        let wire = to_wire(
            Service::AmplifyBackend,
            "CreateBackendAuthResourceConfig",
            &doc,
            "ResourceConfig",
        )
        .unwrap();
        assert_eq!(
            wire,
            json!({"authResources": "USER_POOL_ONLY", "service": "COGNITO",
                "userPoolConfigs": {"signInMethod": "EMAIL", "userPoolName": "p",
                "requiredSignUpAttributes": ["EMAIL"], "mfa": {"MFAMode": "OFF"}}})
        );
        assert_eq!(
            from_wire(
                Service::AmplifyBackend,
                "CreateBackendAuthResourceConfig",
                &wire
            ),
            doc
        );
    }

    #[test]
    fn reports_unknown_members_and_wrong_types() {
        let err = to_wire(
            Service::AmplifyBackend,
            "GetBackendRequest",
            &json!({"AppIdx": 1}),
            "",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Missing required parameter in input: \"AppId\"\n\
             Unknown parameter in input: \"AppIdx\", must be one of: AppId, BackendEnvironmentName"
        );
        let err = to_wire(
            Service::AmplifyBackend,
            "ListBackendJobsRequest",
            &json!({"AppId": "a", "BackendEnvironmentName": "dev", "MaxResults": "x"}),
            "",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Invalid type for parameter MaxResults, value: x, type: <class 'str'>, valid types: <class 'int'>"
        );
        let err = to_wire(
            Service::AmplifyBackend,
            "ListBackendJobsRequest",
            &json!({"AppId": "a", "BackendEnvironmentName": "dev", "MaxResults": 0}),
            "",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Invalid value for parameter MaxResults, value: 0, valid min value: 1"
        );
        let err = to_wire(
            Service::AmplifyBackend,
            "CreateBackendAuthResourceConfig",
            &json!({"AuthResources": "NOT_AN_ENUM_VALUE", "Service": "COGNITO",
                "UserPoolConfigs": {"SignInMethod": "EMAIL", "UserPoolName": "p", "Bogus": {"a": [true]}}}),
            "ResourceConfig",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Missing required parameter in ResourceConfig.UserPoolConfigs: \"RequiredSignUpAttributes\"\n\
             Unknown parameter in ResourceConfig.UserPoolConfigs: \"Bogus\", must be one of: \
             ForgotPassword, Mfa, OAuth, PasswordPolicy, RequiredSignUpAttributes, SignInMethod, \
             UserPoolName, VerificationMessage"
        );
    }

    #[test]
    fn maps_of_the_amplify_model_both_ways() {
        let doc = json!({"name": "a", "environmentVariables": {"K": "V"}, "tags": {"t": "1"}});
        let wire = to_wire(Service::Amplify, "CreateAppRequest", &doc, "").unwrap();
        assert_eq!(wire, doc);
        let err = to_wire(
            Service::Amplify,
            "CreateAppRequest",
            &json!({"name": "a", "environmentVariables": ["K=V"]}),
            "",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Invalid type for parameter environmentVariables, value: ['K=V'], type: <class 'list'>, valid types: <class 'dict'>"
        );
        let app = json!({"appId": "d1", "tags": {"b": "2", "a": "1"}, "unknown": 1});
        assert_eq!(
            from_wire(Service::Amplify, "App", &app),
            json!({"appId": "d1", "tags": {"b": "2", "a": "1"}})
        );
    }
}
