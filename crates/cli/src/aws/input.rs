//! An operation's input document from its flags: `--cli-input-json`, then each member's
//! flag, with the AWS CLI's parsing of scalars, lists, JSON structures and `file://`.

use super::Failure;
use super::service::{Op, Service};
use amplifybackend_client::model::schema::{Member, ShapeKind};
use clap::ArgMatches;
use serde_json::{Map, Value};

/// The text of a parameter: itself, or the file a `file://` / `fileb://` prefix names.
fn param_text(value: &str) -> Result<String, Failure> {
    for prefix in ["file://", "fileb://"] {
        if let Some(path) = value.strip_prefix(prefix) {
            return std::fs::read_to_string(path).map_err(|e| {
                Failure::usage(format!(
                    "Error parsing parameter: Unable to load paramfile {value}: {e}"
                ))
            });
        }
    }
    Ok(value.to_owned())
}

fn parse_json(member: &str, text: &str) -> Result<Value, Failure> {
    serde_json::from_str(text).map_err(|e| {
        Failure::usage(format!(
            "Error parsing parameter '{member}': Invalid JSON: {e}\nJSON received: {text}"
        ))
    })
}

/// A map of strings in the AWS CLI's shorthand, `KEY1=VALUE1,KEY2=VALUE2`.
fn shorthand_map(m: &Member, text: &str) -> Result<Value, Failure> {
    let mut map = Map::new();
    for pair in text.split(',').filter(|p| !p.trim().is_empty()) {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(Failure::usage(format!(
                "Error parsing parameter '--{}': Expected: '=', received: 'EOF' for input:\n{text}",
                m.cli_name
            )));
        };
        map.insert(
            key.trim().to_owned(),
            Value::String(value.trim().to_owned()),
        );
    }
    Ok(Value::Object(map))
}

fn scalar(service: Service, m: &Member, shape: &str, text: &str) -> Result<Value, Failure> {
    match service.shape(shape) {
        Some(ShapeKind::Integer) => text.trim().parse::<i64>().map(Value::from).map_err(|_| {
            Failure::usage(format!(
                "argument --{}: invalid int value: '{text}'",
                m.cli_name
            ))
        }),
        Some(ShapeKind::Double) => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| {
                Failure::usage(format!(
                    "argument --{}: invalid float value: '{text}'",
                    m.cli_name
                ))
            }),
        Some(ShapeKind::Boolean) => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(Failure::usage(format!(
                "argument --{}: invalid boolean value: '{text}'",
                m.cli_name
            ))),
        },
        Some(ShapeKind::Structure(_) | ShapeKind::List(_)) => parse_json(m.cli_name, text),
        // As the AWS CLI: a value that opens like JSON is JSON, anything else shorthand.
        Some(ShapeKind::Map(_)) if text.trim_start().starts_with(['{', '[']) => {
            match parse_json(m.cli_name, text)? {
                map @ Value::Object(_) => Ok(map),
                _ => Err(Failure::usage(format!(
                    "\nError parsing parameter '--{}': Invalid JSON:\n{text}",
                    m.cli_name
                ))),
            }
        }
        Some(ShapeKind::Map(_)) => shorthand_map(m, text),
        _ => Ok(Value::String(text.to_owned())),
    }
}

/// The input document (model member names): `--cli-input-json`, then each flag given.
pub fn input_document(op: Op, sub: &ArgMatches) -> Result<Map<String, Value>, Failure> {
    let service = op.service();
    let mut document = match sub.get_one::<String>("cli-input-json") {
        Some(text) => match parse_json("cli-input-json", &param_text(text)?)? {
            Value::Object(map) => map,
            _ => {
                return Err(Failure::usage(
                    "Invalid JSON received for --cli-input-json: an object is required",
                ));
            }
        },
        None => Map::new(),
    };
    for m in op.input_members() {
        let value = match service.shape(m.shape) {
            Some(ShapeKind::Boolean) => {
                if sub.get_flag(m.name) {
                    Some(Value::Bool(true))
                } else if sub.get_flag(&format!("no-{}", m.name)) {
                    Some(Value::Bool(false))
                } else {
                    None
                }
            }
            Some(ShapeKind::List(item))
                if !matches!(service.shape(item), Some(ShapeKind::Structure(_))) =>
            {
                match sub.get_many::<String>(m.name) {
                    None => None,
                    Some(values) => {
                        let values: Vec<&String> = values.collect();
                        match values.as_slice() {
                            [one]
                                if one.trim_start().starts_with('[') || one.starts_with("file") =>
                            {
                                Some(parse_json(m.cli_name, &param_text(one)?)?)
                            }
                            _ => Some(Value::Array(
                                values
                                    .iter()
                                    .map(|v| scalar(service, m, item, v))
                                    .collect::<Result<_, _>>()?,
                            )),
                        }
                    }
                }
            }
            _ => match sub.get_one::<String>(m.name) {
                None => None,
                Some(text) => Some(scalar(service, m, m.shape, &param_text(text)?)?),
            },
        };
        if let Some(value) = value {
            document.insert(m.name.to_owned(), value);
        }
    }
    // Without --cli-input-json the flags of required members are required, as arguments;
    // with it, botocore's validation names what is missing (convert.rs).
    if sub.contains_id("cli-input-json") && sub.value_source("cli-input-json").is_some() {
        return Ok(document);
    }
    let missing: Vec<String> = op
        .input_members()
        .iter()
        .filter(|m| m.required && document.get(m.name).is_none_or(|v| v.is_null()))
        .map(|m| format!("--{}", m.cli_name))
        .collect();
    if !missing.is_empty() {
        return Err(Failure::usage(format!(
            "usage: amplifybackend {}{} [options]\namplifybackend: error: the following arguments are required: {}",
            service.group().map(|g| format!("{g} ")).unwrap_or_default(),
            op.cli_name(),
            missing.join(", ")
        )));
    }
    Ok(document)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    const TAGS: Member = Member {
        name: "tags",
        wire: "tags",
        cli_name: "tags",
        shape: "TagMap",
        required: false,
        in_uri: false,
        in_query: false,
        doc: "",
    };

    #[test]
    fn maps_take_json_or_the_shorthand() {
        let scalar = |text: &str| scalar(Service::Amplify, &TAGS, "TagMap", text);
        assert_eq!(scalar("a=1,b=x=y").unwrap(), json!({"a": "1", "b": "x=y"}));
        assert_eq!(scalar(r#"{"a": "1"}"#).unwrap(), json!({"a": "1"}));
        let e = scalar(r#"["a"]"#).unwrap_err();
        assert_eq!(
            e.message,
            "\nError parsing parameter '--tags': Invalid JSON:\n[\"a\"]"
        );
        assert_eq!(scalar("").unwrap(), json!({}));
        let e = scalar("novalue").unwrap_err();
        assert_eq!(e.status, super::super::EXIT_USAGE);
        assert!(e.message.contains("--tags"), "{}", e.message);
    }
}
