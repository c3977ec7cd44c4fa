//! Compiles an Amplify GraphQL transform schema (SDL with Amplify directives) into what
//! Amplify's own generator (`@aws-amplify/graphql-generator`, with the Amplify CLI's
//! defaults for transformer v2) produces:
//!
//! - the Model Introspection Schema (`model-introspection.json`), and
//! - the DataStore schema module (`schema.js`: `export const schema = {...};`).
//!
//! ```
//! let out = modelgen::generate("type Todo @model { id: ID! name: String! }").unwrap();
//! assert!(out.models_js.starts_with("export const schema = {"));
//! assert!(out.model_introspection.contains("\"Todo\""));
//! ```
//!
//! Errors carry the line and column (1-based) of the construct at fault.

mod emit;
mod inflect;
mod ir;
mod js;
mod json;
mod keys;
mod model;
mod parse;
mod relations;
mod validate;

/// The `codegenVersion` the generator writes into `schema.js`.
pub const CODEGEN_VERSION: &str = "3.4.4";

/// Both generated documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// `model-introspection.json` (the `introspection` target).
    pub model_introspection: String,
    /// `schema.js` (the `javascript` target's DataStore schema module).
    pub models_js: String,
}

/// Why a schema could not be compiled, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} ({line}:{column})")]
pub struct GenerateError {
    /// The message Amplify's generator gives for the same schema.
    pub message: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in UTF-16 code units as graphql-js counts them.
    pub column: usize,
}

/// An internal failure: message and byte offset.
#[derive(Debug, Clone)]
pub(crate) struct Fail {
    message: String,
    offset: usize,
}

impl Fail {
    pub(crate) fn at(message: impl Into<String>, offset: usize) -> Fail {
        Fail {
            message: message.into(),
            offset,
        }
    }

    fn locate(self, text: &str) -> GenerateError {
        let (line, column) = line_column(text, self.offset);
        GenerateError {
            message: self.message,
            line,
            column,
        }
    }
}

/// 1-based line and column of a byte offset (`\n`, `\r\n` and `\r` end lines).
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut line = 1;
    let mut column = 1;
    let mut prev_cr = false;
    for (i, c) in text.char_indices() {
        if i >= offset {
            break;
        }
        match c {
            '\n' if prev_cr => {}
            '\n' | '\r' => {
                line += 1;
                column = 1;
            }
            c => column += c.len_utf16(),
        }
        prev_cr = c == '\r';
    }
    (line, column)
}

/// Compiles a schema into both documents.
pub fn generate(schema: &str) -> Result<Generated, GenerateError> {
    compile(schema).map_err(|f| f.locate(schema))
}

fn compile(text: &str) -> Result<Generated, Fail> {
    let parsed = parse::parse(text)?;
    let st = transform(parsed.schema)?;
    let js_state = match parsed.repeated {
        Some(schema) => Some(transform(schema)?),
        None => None,
    };
    let (model_introspection, models_js) =
        emit::render(&st, js_state.as_ref(), &|_| version_hash(text))?;
    Ok(Generated {
        model_introspection,
        models_js,
    })
}

/// The visitor's passes: build the maps, then `processDirectives`.
fn transform(schema: ir::Schema) -> Result<model::State, Fail> {
    model::check_types(&schema)?;
    let mut st = model::build(schema)?;
    for m in st.models.iter_mut() {
        keys::process_primary_key(m);
        keys::process_index(m);
    }
    relations::process_many_to_many(&mut st)?;
    relations::process_connections(&mut st)?;
    for m in st.models.iter_mut() {
        keys::process_auth(&mut m.directives);
    }
    Ok(st)
}

/// A 128-bit FNV-1a digest of the schema text in hex: stands in for the generator's
/// MD5 `version`, which only needs to change when the models do.
fn version_hash(text: &str) -> String {
    let mut h: u128 = 0x6c62272e07bb014262b821756295c58d;
    for b in text.bytes() {
        h ^= u128::from(b);
        h = h.wrapping_mul(0x0000000001000000000000000000013b);
    }
    format!("{h:032x}")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("ab\r\ncd", 4), (2, 1));
    }

    #[test]
    fn syntax_error_has_position() {
        let err = generate("type A @model {\n  id: ID!\n").unwrap_err();
        assert!(err.message.starts_with("Syntax Error"), "{err}");
        assert_eq!(err.line, 3);
    }
}
