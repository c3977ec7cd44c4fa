//! `--output json|text|table`, as the AWS CLI prints them.

use serde_json::Value;
use std::io::Write;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// 4-space indented JSON (the AWS CLI's default).
    Json,
    /// Tab-separated values, as the AWS CLI's text output.
    Text,
    /// A box-drawn table.
    Table,
}

/// Prints `value` (the response in model member names) for `operation`.
pub fn print(
    format: Format,
    operation: &str,
    value: &Value,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => {
            if value.as_object().is_some_and(|o| o.is_empty()) {
                return Ok(());
            }
            out.write_all(json(value).as_bytes())?;
            out.write_all(b"\n")
        }
        Format::Text => {
            let mut text = String::new();
            format_text(value, None, None, &mut text);
            out.write_all(text.as_bytes())
        }
        Format::Table => {
            if value.as_object().is_some_and(|o| o.is_empty()) {
                return Ok(());
            }
            out.write_all(table(operation, value).as_bytes())
        }
    }
}

/// `json.dumps(value, indent=4, ensure_ascii=False)`.
pub fn json(value: &Value) -> String {
    let mut buf = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
    if serde::Serialize::serialize(value, &mut ser).is_err() {
        return value.to_string();
    }
    String::from_utf8(buf).unwrap_or_else(|_| value.to_string())
}

/// Python's `str()` of a scalar.
fn py_str(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

/// awscli/text.py's `_format_text`.
fn format_text(
    item: &Value,
    identifier: Option<&str>,
    scalar_keys: Option<&[String]>,
    out: &mut String,
) {
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
                            scalars.push(py_str(v));
                        } else {
                            non_scalars.push((k, v));
                        }
                    }
                }
                Some(keys) => {
                    for k in keys {
                        scalars.push(map.get(k).map(py_str).unwrap_or_default());
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
                format_text(v, Some(k), None, out);
            }
        }
        Value::Array(items) => {
            if items.is_empty() {
                return;
            }
            if items.iter().any(|e| e.is_object()) {
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
                    format_text(e, identifier, Some(&keys), out);
                }
            } else if items.iter().any(|e| e.is_array()) {
                let scalars: Vec<_> = items.iter().filter(|e| is_scalar(e)).cloned().collect();
                if !scalars.is_empty() {
                    scalar_list(&scalars, identifier, out);
                }
                for e in items.iter().filter(|e| !is_scalar(e)) {
                    format_text(e, identifier, None, out);
                }
            } else {
                scalar_list(items, identifier, out);
            }
        }
        other => {
            out.push_str(&py_str(other));
            out.push('\n');
        }
    }
}

fn scalar_list(items: &[Value], identifier: Option<&str>, out: &mut String) {
    match identifier {
        Some(id) => {
            for item in items {
                out.push_str(&format!("{}\t{}\n", id.to_uppercase(), py_str(item)));
            }
        }
        None => {
            out.push_str(&items.iter().map(py_str).collect::<Vec<_>>().join("\t"));
            out.push('\n');
        }
    }
}

/// A table: the title, then a key/value row per scalar and a sub-table per nested value.
fn table(title: &str, value: &Value) -> String {
    let mut rows: Vec<Row> = Vec::new();
    collect_rows(title, value, &mut rows);
    let key_width = rows.iter().map(|r| r.key_len()).max().unwrap_or(0);
    let value_width = rows
        .iter()
        .map(|r| r.value.chars().count())
        .max()
        .unwrap_or(0);
    let title_width = rows
        .iter()
        .filter(|r| r.section)
        .map(|r| r.key.chars().count())
        .max()
        .unwrap_or(0);
    let inner = (key_width + value_width + 7).max(title_width + 4);
    let value_width = inner - key_width - 7;
    let mut out = String::new();
    out.push_str(&format!("{}\n", "-".repeat(inner + 2)));
    for row in rows {
        if row.section {
            let pad = inner - row.key.chars().count();
            let left = pad / 2;
            out.push_str(&format!(
                "|{}{}{}|\n",
                " ".repeat(left),
                row.key,
                " ".repeat(pad - left)
            ));
            out.push_str(&format!(
                "+{}+{}+\n",
                "-".repeat(key_width + 3),
                "-".repeat(value_width + 3)
            ));
        } else {
            out.push_str(&format!(
                "|  {}{} |  {}{} |\n",
                row.key,
                " ".repeat(key_width - row.key_len()),
                row.value,
                " ".repeat(value_width - row.value.chars().count())
            ));
        }
    }
    out.push_str(&format!("+{}+\n", "-".repeat(inner)));
    out
}

struct Row {
    key: String,
    value: String,
    section: bool,
}

impl Row {
    fn key_len(&self) -> usize {
        if self.section {
            0
        } else {
            self.key.chars().count()
        }
    }
}

fn collect_rows(title: &str, value: &Value, rows: &mut Vec<Row>) {
    rows.push(Row {
        key: title.to_owned(),
        value: String::new(),
        section: true,
    });
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter().filter(|(_, v)| is_scalar(v)) {
                rows.push(Row {
                    key: k.clone(),
                    value: py_str(v),
                    section: false,
                });
            }
            for (k, v) in map.iter().filter(|(_, v)| !is_scalar(v)) {
                collect_rows(k, v, rows);
            }
        }
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Object(_) | Value::Array(_) => {
                        let Value::Object(map) = item else {
                            collect_rows(title, item, rows);
                            continue;
                        };
                        for (k, v) in map.iter().filter(|(_, v)| is_scalar(v)) {
                            rows.push(Row {
                                key: k.clone(),
                                value: py_str(v),
                                section: false,
                            });
                        }
                        for (k, v) in map.iter().filter(|(_, v)| !is_scalar(v)) {
                            collect_rows(k, v, rows);
                        }
                    }
                    scalar => rows.push(Row {
                        key: String::new(),
                        value: py_str(scalar),
                        section: false,
                    }),
                }
            }
        }
        scalar => rows.push(Row {
            key: String::new(),
            value: py_str(scalar),
            section: false,
        }),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_is_indented_like_python() {
        let v = json!({"AppId": "a", "Jobs": [], "Nested": {"X": 7.0, "L": ["a"]}});
        assert_eq!(
            json(&v),
            "{\n    \"AppId\": \"a\",\n    \"Jobs\": [],\n    \"Nested\": {\n        \"X\": 7.0,\n        \"L\": [\n            \"a\"\n        ]\n    }\n}"
        );
    }

    #[test]
    fn text_is_like_the_aws_cli() {
        let v = json!({"AppId": "a", "BackendEnvironmentList": ["dev", "prod"],
            "Jobs": [{"JobId": "1", "Status": "COMPLETED"}, {"JobId": "2", "Error": "x"}]});
        let mut out = String::new();
        format_text(&v, None, None, &mut out);
        assert_eq!(
            out,
            "a\nBACKENDENVIRONMENTLIST\tdev\nBACKENDENVIRONMENTLIST\tprod\nJOBS\t\t1\tCOMPLETED\nJOBS\tx\t2\t\n"
        );
    }
}
