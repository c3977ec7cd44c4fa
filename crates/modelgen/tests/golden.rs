//! Golden tests: every `schemas/NAME.graphql` must compile to exactly what Amplify's
//! generator wrote beside it (`NAME.introspection.json`, `NAME.schema.js`), and every
//! `errors/NAME.graphql` must be rejected as the generator rejects it
//! (`NAME.error.txt`). `regenerate-goldens.sh` rewrites the expected files.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(dir);
    let mut out: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    out.sort();
    out
}

fn sibling(p: &Path, suffix: &str) -> PathBuf {
    let stem = p.file_stem().unwrap().to_str().unwrap();
    p.with_file_name(format!("{stem}{suffix}"))
}

/// `schema.js` → its object as JSON, without `version` and `codegenVersion`.
fn schema_js_document(text: &str) -> serde_json::Value {
    let body = text
        .trim_end()
        .strip_prefix("export const schema = ")
        .and_then(|t| t.strip_suffix(';'))
        .expect("schema.js shape");
    let mut v: serde_json::Value = serde_json::from_str(body).unwrap();
    let o = v.as_object_mut().unwrap();
    o.remove("version");
    o.remove("codegenVersion");
    v
}

/// The text with the `version` and `codegenVersion` values blanked.
fn blank_versions(text: &str) -> String {
    text.lines()
        .map(|l| {
            let t = l.trim_start();
            if t.starts_with("\"version\": \"") || t.starts_with("\"codegenVersion\": \"") {
                let key = t.split(':').next().unwrap();
                format!("{}{key}: \"\"", &l[..l.len() - t.len()])
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n  ours:   {x}\n  oracle: {y}", i + 1);
        }
    }
    format!(
        "length differs: ours {} lines, oracle {} lines",
        a.lines().count(),
        b.lines().count()
    )
}

#[test]
fn schemas_match_the_oracle() {
    let schemas = files("schemas", "graphql");
    assert!(schemas.len() >= 40, "expected at least 40 golden schemas");
    let mut failures = Vec::new();
    for path in &schemas {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = fs::read_to_string(path).unwrap();
        let out = match modelgen::generate(&text) {
            Ok(out) => out,
            Err(e) => {
                failures.push(format!("{name}: rejected: {e}"));
                continue;
            }
        };
        let want_mis = fs::read_to_string(sibling(path, ".introspection.json")).unwrap();
        let want_js = fs::read_to_string(sibling(path, ".schema.js")).unwrap();

        let ours: serde_json::Value = serde_json::from_str(&out.model_introspection).unwrap();
        let theirs: serde_json::Value = serde_json::from_str(&want_mis).unwrap();
        if ours != theirs {
            failures.push(format!("{name}: introspection JSON differs"));
        }
        if out.model_introspection != want_mis {
            failures.push(format!(
                "{name}: introspection text differs at {}",
                first_difference(&out.model_introspection, &want_mis)
            ));
        }
        if schema_js_document(&out.models_js) != schema_js_document(&want_js) {
            failures.push(format!("{name}: schema.js document differs"));
        }
        let (a, b) = (blank_versions(&out.models_js), blank_versions(&want_js));
        if a != b {
            failures.push(format!(
                "{name}: schema.js text differs at {}",
                first_difference(&a, &b)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} goldens fail:\n{}",
        failures.len(),
        schemas.len(),
        failures.join("\n")
    );
}

#[test]
fn errors_match_the_oracle() {
    let mut failures = Vec::new();
    let cases = files("errors", "graphql");
    for path in &cases {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = fs::read_to_string(path).unwrap();
        let want = fs::read_to_string(sibling(path, ".error.txt")).unwrap();
        let mut lines = want.lines();
        let want_message = lines.next().unwrap_or_default().to_string();
        let want_at = lines
            .next()
            .and_then(|l| l.strip_prefix("at "))
            .map(str::to_string);
        let err = match modelgen::generate(&text) {
            Ok(_) => {
                failures.push(format!("{name}: accepted, oracle says: {want_message}"));
                continue;
            }
            Err(e) => e,
        };
        assert!(err.line >= 1 && err.column >= 1, "{name}: no position");
        if want_message.starts_with("Syntax Error:") {
            // graphql-js and apollo-parser word syntax errors differently: the kind
            // and the place must agree
            if !err.message.starts_with("Syntax Error:") {
                failures.push(format!("{name}: {} vs {want_message}", err.message));
            }
            if let Some(at) = want_at
                && at != format!("{}:{}", err.line, err.column)
            {
                failures.push(format!("{name}: at {}:{} vs {at}", err.line, err.column));
            }
        } else if err.message != want_message {
            failures.push(format!(
                "{name}:\n  ours:   {}\n  oracle: {want_message}",
                err.message
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} error goldens fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
