//! `--output json|text|table`, as the AWS CLI prints them.

use super::{table, text};
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

/// Why output could not be printed.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// Writing failed (a closed pipe is not reported: see [`OutputError::is_broken_pipe`]).
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The value has no table.
    #[error("{0}")]
    Table(#[from] table::TableError),
    /// The value has no text form.
    #[error("{0}")]
    Text(#[from] text::TextError),
}

impl OutputError {
    /// Whether the reader stopped early (`| head`), which is no failure.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, OutputError::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// Prints `value` (the response in model member names, or what `--query` selected) for
/// `operation`.
pub fn print(
    format: Format,
    operation: &str,
    value: &Value,
    out: &mut dyn Write,
) -> Result<(), OutputError> {
    match format {
        // Only an empty object prints nothing: `null`, `[]` and `""` are printed.
        Format::Json => {
            if value.as_object().is_some_and(|o| o.is_empty()) {
                return Ok(());
            }
            out.write_all(json(value).as_bytes())?;
            out.write_all(b"\n")?;
        }
        Format::Text => {
            let mut text = String::new();
            let result = text::format_text(value, None, None, &mut text);
            // What came before the failure is printed, as in the AWS CLI.
            out.write_all(text.as_bytes())?;
            result?;
        }
        Format::Table => {
            if let Some(table) = table::render(operation, value, table::terminal_width())? {
                out.write_all(table.as_bytes())?;
            }
        }
    }
    Ok(())
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
}
