//! `--query`: a JMESPath expression applied to the response before it is printed, as the
//! AWS CLI applies it.
//!
//! The `jmespath` crate keeps objects in sorted maps, while Python's keeps them in
//! insertion order; so the result's objects are put back in the order the AWS CLI prints:
//! a multiselect hash's (`{Id: JobId, Op: Operation}`) in the expression's order, any
//! other object's in the order its keys first appear in the response (the model's).

use jmespath::ast::Ast;
use jmespath::functions::{ArgumentType, CustomFunction, Signature};
use jmespath::{ErrorReason, JmespathError, Rcvar, Runtime, Variable};
use serde_json::{Map, Number, Value};
use std::collections::HashMap;
use std::sync::LazyLock;

/// The built-in functions, with `abs`, `ceil`, `floor` and `sum` answering integers as
/// Python's do (the crate's answer floats: `3.0` where the AWS CLI prints `3`).
static RUNTIME: LazyLock<Runtime> = LazyLock::new(|| {
    let mut runtime = Runtime::new();
    runtime.register_builtin_functions();
    let number = || Signature::new(vec![ArgumentType::Number], None);
    runtime.register_function(
        "abs",
        Box::new(CustomFunction::new(
            number(),
            Box::new(|args, _| {
                number_result(args, |n| match n.as_i64() {
                    Some(i) => i.checked_abs().map(Number::from),
                    None => n.as_f64().and_then(|f| Number::from_f64(f.abs())),
                })
            }),
        )),
    );
    for (name, round) in [("ceil", f64::ceil as fn(f64) -> f64), ("floor", f64::floor)] {
        runtime.register_function(
            name,
            Box::new(CustomFunction::new(
                number(),
                Box::new(move |args, _| {
                    number_result(args, |n| match n.as_i64() {
                        Some(i) => Some(Number::from(i)),
                        None => n.as_f64().map(round).map(integral),
                    })
                }),
            )),
        );
    }
    runtime.register_function(
        "sum",
        Box::new(CustomFunction::new(
            Signature::new(
                vec![ArgumentType::TypedArray(Box::new(ArgumentType::Number))],
                None,
            ),
            Box::new(|args, _| {
                let items = args
                    .first()
                    .and_then(|a| a.as_array())
                    .cloned()
                    .unwrap_or_default();
                let ints: Option<Vec<i64>> = items
                    .iter()
                    .map(|v| match &**v {
                        Variable::Number(n) => n.as_i64(),
                        _ => None,
                    })
                    .collect();
                let total = match ints {
                    Some(ints) => ints
                        .iter()
                        .try_fold(0i64, |a, b| a.checked_add(*b))
                        .map(Number::from),
                    None => None,
                }
                .or_else(|| Number::from_f64(items.iter().filter_map(|v| v.as_number()).sum()));
                Ok(Rcvar::new(total.map_or(Variable::Null, Variable::Number)))
            }),
        )),
    );
    runtime
});

/// A whole float as an integer when it fits, as Python's `math.floor` and `math.ceil`.
fn integral(f: f64) -> Number {
    if f.is_finite() && f.abs() < 9.0e15 {
        Number::from(f as i64)
    } else {
        Number::from_f64(f).unwrap_or_else(|| Number::from(0))
    }
}

fn number_result(
    args: &[Rcvar],
    f: impl Fn(&Number) -> Option<Number>,
) -> Result<Rcvar, JmespathError> {
    let result = match args.first().map(|a| &**a) {
        Some(Variable::Number(n)) => f(n),
        _ => None,
    };
    result
        .map(|n| Rcvar::new(Variable::Number(n)))
        .ok_or_else(|| JmespathError::new("", 0, ErrorReason::Parse("not a number".into())))
}

/// A compiled `--query`.
pub struct Query {
    expression: jmespath::Expression<'static>,
    /// The keys of each multiselect hash of the expression, in its order.
    hashes: Vec<Vec<String>>,
}

impl std::fmt::Debug for Query {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Query")
            .field(&self.expression.as_str())
            .finish()
    }
}

/// A `--query` that cannot be compiled or evaluated, worded as the AWS CLI words it.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// Not a JMESPath expression.
    #[error("Bad value for --query {text}: {detail}")]
    Invalid {
        /// The expression as given.
        text: String,
        /// What is wrong, and where.
        detail: String,
    },
    /// A valid expression that failed on this response (an unknown function, an argument
    /// of the wrong type).
    #[error("{0}")]
    Runtime(String),
}

impl Query {
    /// Compiles `text`, before any request is sent (as the AWS CLI does).
    pub fn compile(text: &str) -> Result<Query, QueryError> {
        let expression =
            RUNTIME
                .compile(&legacy_literals(text))
                .map_err(|e| QueryError::Invalid {
                    text: text.to_owned(),
                    detail: parse_error(text, &e),
                })?;
        let mut hashes = Vec::new();
        multiselect_hashes(expression.as_ast(), &mut hashes);
        Ok(Query { expression, hashes })
    }

    /// The expression's result on `data`.
    pub fn search(&self, data: &Value) -> Result<Value, QueryError> {
        let result = self
            .expression
            .search(data)
            .map_err(|e| QueryError::Runtime(runtime_error(&e)))?;
        let value =
            serde_json::to_value(&*result).map_err(|e| QueryError::Runtime(e.to_string()))?;
        let mut rank = HashMap::new();
        key_ranks(data, &mut rank);
        Ok(reorder(value, &rank, &self.hashes))
    }
}

/// `text` with each JSON literal that is not valid JSON (`` `running` ``) made a string
/// literal (`` `"running"` ``): Python's jmespath still reads them so (a deprecated form
/// that the AWS CLI's documentation uses throughout); the `jmespath` crate refuses them.
fn legacy_literals(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                // A raw string or a quoted identifier: copied as it is, escapes included.
                out.push(c);
                while let Some(d) = chars.next() {
                    out.push(d);
                    if d == '\\' {
                        if let Some(e) = chars.next() {
                            out.push(e);
                        }
                    } else if d == c {
                        break;
                    }
                }
            }
            '`' => {
                let mut lexeme = String::new();
                let mut closed = false;
                while let Some(d) = chars.next() {
                    match d {
                        '\\' if chars.clone().next() == Some('`') => {
                            chars.next();
                            lexeme.push('`');
                        }
                        '`' => {
                            closed = true;
                            break;
                        }
                        d => lexeme.push(d),
                    }
                }
                let string = format!("\"{}\"", lexeme.trim_start());
                let literal = if !closed
                    || serde_json::from_str::<Value>(&lexeme).is_ok()
                    || serde_json::from_str::<Value>(&string).is_err()
                {
                    lexeme
                } else {
                    string
                };
                out.push('`');
                out.push_str(&literal.replace('`', "\\`"));
                if closed {
                    out.push('`');
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// The parse error as Python's jmespath words it: an expression cut short is "incomplete",
/// with the caret after its end; anything else points at the offending column.
fn parse_error(text: &str, e: &JmespathError) -> String {
    let length = text.chars().count();
    let reason = match &e.reason {
        ErrorReason::Parse(reason) => reason.clone(),
        other => other.to_string(),
    };
    if let Some((unclosed, _)) = reason
        .split_once(": ")
        .filter(|(r, _)| r.starts_with("Unclosed"))
    {
        // The lexer's error, which Python words without quotes around the expression.
        format!(
            "Bad jmespath expression: {unclosed}:\n{text}\n{}^",
            " ".repeat(e.column)
        )
    } else if e.offset >= length || reason.contains("EOF") {
        format!(
            "Invalid jmespath expression: Incomplete expression:\n\"{text}\"\n{}^",
            " ".repeat(length + 1)
        )
    } else {
        format!(
            "Invalid jmespath expression: {reason}: Parse error at column {}, for expression:\n\"{text}\"\n{}^",
            e.column,
            " ".repeat(e.column + 1)
        )
    }
}

fn runtime_error(e: &JmespathError) -> String {
    match &e.reason {
        ErrorReason::Runtime(jmespath::RuntimeError::UnknownFunction(name)) => {
            format!("Unknown function: {name}()")
        }
        ErrorReason::Runtime(reason) => reason.to_string(),
        other => other.to_string(),
    }
}

/// Collects the key order of every multiselect hash in `ast`.
fn multiselect_hashes(ast: &Ast, out: &mut Vec<Vec<String>>) {
    match ast {
        Ast::MultiHash { elements, .. } => {
            out.push(elements.iter().map(|kv| kv.key.clone()).collect());
            for kv in elements {
                multiselect_hashes(&kv.value, out);
            }
        }
        Ast::Comparison { lhs, rhs, .. }
        | Ast::Projection { lhs, rhs, .. }
        | Ast::And { lhs, rhs, .. }
        | Ast::Or { lhs, rhs, .. }
        | Ast::Subexpr { lhs, rhs, .. } => {
            multiselect_hashes(lhs, out);
            multiselect_hashes(rhs, out);
        }
        Ast::Condition {
            predicate, then, ..
        } => {
            multiselect_hashes(predicate, out);
            multiselect_hashes(then, out);
        }
        Ast::Expref { ast: node, .. }
        | Ast::Flatten { node, .. }
        | Ast::Not { node, .. }
        | Ast::ObjectValues { node, .. } => multiselect_hashes(node, out),
        Ast::Function { args, .. } => args.iter().for_each(|a| multiselect_hashes(a, out)),
        Ast::MultiList { elements, .. } => {
            elements.iter().for_each(|a| multiselect_hashes(a, out));
        }
        Ast::Identity { .. }
        | Ast::Field { .. }
        | Ast::Index { .. }
        | Ast::Literal { .. }
        | Ast::Slice { .. } => {}
    }
}

/// Numbers every key of `value` by its first appearance, depth first in document order.
fn key_ranks(value: &Value, rank: &mut HashMap<String, usize>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let next = rank.len();
                rank.entry(k.clone()).or_insert(next);
                key_ranks(v, rank);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| key_ranks(v, rank)),
        _ => {}
    }
}

fn reorder(value: Value, rank: &HashMap<String, usize>, hashes: &[Vec<String>]) -> Value {
    match value {
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|v| reorder(v, rank, hashes))
                .collect(),
        ),
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map
                .into_iter()
                .map(|(k, v)| (k, reorder(v, rank, hashes)))
                .collect();
            let hash = hashes
                .iter()
                .find(|h| h.len() == entries.len() && entries.iter().all(|(k, _)| h.contains(k)));
            match hash {
                Some(order) => {
                    entries.sort_by_key(|(k, _)| order.iter().position(|o| o == k));
                }
                None => entries.sort_by_key(|(k, _)| rank.get(k).copied().unwrap_or(usize::MAX)),
            }
            Value::Object(entries.into_iter().collect::<Map<_, _>>())
        }
        other => other,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn search(expression: &str, data: &Value) -> Value {
        Query::compile(expression).unwrap().search(data).unwrap()
    }

    #[test]
    fn selects_projects_and_filters() {
        let data = json!({"Jobs": [
            {"JobId": "1", "Operation": "CreateBackend", "Status": "COMPLETED"},
            {"JobId": "2", "Operation": "CloneBackend", "Status": "RUNNING"}
        ]});
        assert_eq!(search("Jobs[].JobId", &data), json!(["1", "2"]));
        assert_eq!(
            search("Jobs[?Status=='RUNNING'].Operation | [0]", &data),
            json!("CloneBackend")
        );
        assert_eq!(search("length(Jobs)", &data), json!(2));
        // Integers stay integers, as in Python.
        assert_eq!(search("sum(`[1, 2]`)", &data), json!(3));
        assert_eq!(search("sum(`[1, 2.5]`)", &data), json!(3.5));
        assert_eq!(search("sum(`[]`)", &data), json!(0));
        assert_eq!(search("abs(`-3`)", &data), json!(3));
        assert_eq!(search("abs(`-3.5`)", &data), json!(3.5));
        assert_eq!(search("floor(`2.5`)", &data), json!(2));
        assert_eq!(search("ceil(`2.5`)", &data), json!(3));
        assert_eq!(search("avg(`[1, 2]`)", &data), json!(1.5));
        assert_eq!(search("Nope", &data), Value::Null);
    }

    #[test]
    fn objects_keep_the_response_and_the_expression_order() {
        let data = json!({"Models": "m", "Status": "LATEST", "ModelIntrospectionSchema": "s"});
        let out = search("@", &data);
        assert_eq!(
            out.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["Models", "Status", "ModelIntrospectionSchema"]
        );
        let out = search("{Z: Status, A: Models}", &data);
        assert_eq!(
            out.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["Z", "A"]
        );
    }

    #[test]
    fn errors_are_worded_as_the_aws_cli_words_them() {
        let e = Query::compile("a[").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Bad value for --query a[: Invalid jmespath expression: Incomplete expression:\n\"a[\"\n   ^"
        );
        let e = Query::compile("`x").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Bad value for --query `x: Bad jmespath expression: Unclosed ` delimiter:\n`x\n^"
        );
        for bad in ["a]", "@@", "a b", "a..b", "'x", "{a:b"] {
            let e = Query::compile(bad).unwrap_err();
            assert!(
                e.to_string()
                    .starts_with(&format!("Bad value for --query {bad}: ")),
                "{e}"
            );
        }
        let data = json!({"L": ["dev", "prod"], "N": [1, 2]});
        assert_eq!(search("L[?@==`dev`]", &data), json!(["dev"]));
        assert_eq!(search("L[?@==`\"prod\"`]", &data), json!(["prod"]));
        assert_eq!(search("N[?@==`2`]", &data), json!([2]));
        assert_eq!(search("'`x`'", &data), json!("`x`"));
        assert_eq!(
            legacy_literals("a[?b==`c d`].\"`e`\""),
            "a[?b==`\"c d\"`].\"`e`\""
        );
        let e = Query::compile("nofunc(@)")
            .unwrap()
            .search(&json!({}))
            .unwrap_err();
        assert_eq!(e.to_string(), "Unknown function: nofunc()");
    }
}
