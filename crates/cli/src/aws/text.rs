//! `--output text`, ported from `awscli/text.py`: a line of tab-separated scalars per
//! dict (keys sorted; a nested value's lines start with its key in capitals), a line per
//! list of scalars, and one per item of a list of dicts with the scalar keys of them all.

use super::python;
use serde_json::Value;

/// A list that mixes dicts with other values: the AWS CLI fails on it, with Python's
/// words for reading a non-dict as a dict.
#[derive(Debug, thiserror::Error)]
#[error("'{0}' object has no attribute 'items'")]
pub struct TextError(&'static str);

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

/// awscli/text.py's `_format_text`.
pub fn format_text(
    item: &Value,
    identifier: Option<&str>,
    scalar_keys: Option<&[String]>,
    out: &mut String,
) -> Result<(), TextError> {
    match item {
        Value::Object(map) => {
            let mut scalars = Vec::new();
            let mut non_scalars: Vec<(&String, &Value)> = Vec::new();
            match scalar_keys {
                None => {
                    let mut entries: Vec<_> = map.iter().collect();
                    entries.sort_by(|a, b| a.0.cmp(b.0));
                    for (k, v) in entries {
                        if is_scalar(v) {
                            scalars.push(python::str(v));
                        } else {
                            non_scalars.push((k, v));
                        }
                    }
                }
                Some(keys) => {
                    for k in keys {
                        scalars.push(map.get(k).map(python::str).unwrap_or_default());
                    }
                    let mut rest: Vec<_> = map.iter().filter(|(k, _)| !keys.contains(k)).collect();
                    rest.sort_by(|a, b| a.0.cmp(b.0));
                    non_scalars.extend(rest);
                }
            }
            if !scalars.is_empty() {
                if let Some(id) = identifier {
                    scalars.insert(0, id.to_uppercase());
                }
                out.push_str(&scalars.join("\t"));
                out.push('\n');
            }
            for (k, v) in non_scalars {
                format_text(v, Some(k), None, out)?;
            }
        }
        Value::Array(items) => {
            if items.is_empty() {
                return Ok(());
            }
            if items.iter().any(|e| e.is_object()) {
                if let Some(other) = items.iter().find(|e| !e.is_object()) {
                    return Err(TextError(python::type_name(other)));
                }
                let mut keys: Vec<String> = items
                    .iter()
                    .filter_map(Value::as_object)
                    .flat_map(|m| {
                        m.iter()
                            .filter(|(_, v)| is_scalar(v))
                            .map(|(k, _)| k.clone())
                    })
                    .collect();
                keys.sort();
                keys.dedup();
                for e in items {
                    format_text(e, identifier, Some(&keys), out)?;
                }
            } else if items.iter().any(|e| e.is_array()) {
                let scalars: Vec<_> = items.iter().filter(|e| is_scalar(e)).cloned().collect();
                if !scalars.is_empty() {
                    scalar_list(&scalars, identifier, out);
                }
                for e in items.iter().filter(|e| !is_scalar(e)) {
                    format_text(e, identifier, None, out)?;
                }
            } else {
                scalar_list(items, identifier, out);
            }
        }
        other => {
            out.push_str(&python::str(other));
            out.push('\n');
        }
    }
    Ok(())
}

fn scalar_list(items: &[Value], identifier: Option<&str>, out: &mut String) {
    match identifier {
        Some(id) => {
            for item in items {
                out.push_str(&format!("{}\t{}\n", id.to_uppercase(), python::str(item)));
            }
        }
        None => {
            out.push_str(&items.iter().map(python::str).collect::<Vec<_>>().join("\t"));
            out.push('\n');
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_is_like_the_aws_cli() {
        let v = json!({"AppId": "a", "BackendEnvironmentList": ["dev", "prod"],
            "Jobs": [{"JobId": "1", "Status": "COMPLETED"}, {"JobId": "2", "Error": "x"}]});
        let mut out = String::new();
        format_text(&v, None, None, &mut out).unwrap();
        assert_eq!(
            out,
            "a\nBACKENDENVIRONMENTLIST\tdev\nBACKENDENVIRONMENTLIST\tprod\nJOBS\t\t1\tCOMPLETED\nJOBS\tx\t2\t\n"
        );
    }

    #[test]
    fn a_list_mixing_dicts_and_other_values_fails_as_in_the_aws_cli() {
        let mut out = String::new();
        let err = format_text(
            &json!({"A": "x", "L": [{"a": 1}, "s"]}),
            None,
            None,
            &mut out,
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "'str' object has no attribute 'items'");
        assert_eq!(out, "x\n");
    }
}
