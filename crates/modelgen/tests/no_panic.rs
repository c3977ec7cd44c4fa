//! `generate` never panics: on mutated golden schemas, on token soup built from the
//! SDL's vocabulary, and on arbitrary text. (The same property as the cargo-fuzz
//! target in `fuzz/`, on stable.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use std::path::Path;

fn seeds() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut out = Vec::new();
    for sub in ["schemas", "errors"] {
        for e in std::fs::read_dir(dir.join(sub)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "graphql") {
                out.push(std::fs::read_to_string(p).unwrap());
            }
        }
    }
    out.sort();
    out
}

const TOKENS: &[&str] = &[
    "type ",
    "A",
    "B",
    "Post",
    "@model",
    "@auth(rules: [{allow: owner}])",
    "@hasMany",
    "@hasOne",
    "@belongsTo",
    "@manyToMany(relationName: \"R\")",
    "@primaryKey",
    "@primaryKey(sortKeyFields: [\"x\"])",
    "@index(name: \"i\")",
    "@hasMany(indexName: \"i\", fields: [\"id\"])",
    "@belongsTo(fields: [\"id\", \"x\"])",
    "@hasOne(references: [\"r\"])",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "!",
    ":",
    "id: ID!",
    "x: Int",
    "a: [A]",
    "b: B",
    "enum E { X Y }",
    "input I { v: Int }",
    "interface N { id: ID! }",
    "union U = A | B",
    "extend type A { z: String }",
    "scalar S",
    "type Query { q(i: I): [A] }",
    "\"\"\"doc\"\"\"",
    "\"str\"",
    "# c\n",
    "\n",
    " ",
    "null",
    "1.5e3",
    "@model(timestamps: null)",
    "@model(timestamps: {createdAt: \"c\"})",
    "schema { query: A }",
];

fn check(text: &str) {
    if let Err(e) = modelgen::generate(text) {
        assert!(e.line >= 1 && e.column >= 1, "{e}");
        assert!(!e.message.is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn mutated_goldens(seed in any::<prop::sample::Index>(), cuts in prop::collection::vec((any::<prop::sample::Index>(), 0usize..40, prop::option::of(0usize..TOKENS.len())), 1..6)) {
        let all = seeds();
        let mut text = all[seed.index(all.len())].clone();
        for (at, len, insert) in cuts {
            let mut start = at.index(text.len() + 1);
            while !text.is_char_boundary(start) { start -= 1; }
            let mut end = (start + len).min(text.len());
            while !text.is_char_boundary(end) { end -= 1; }
            let ins = insert.map(|i| TOKENS[i]).unwrap_or("");
            text.replace_range(start..end, ins);
        }
        check(&text);
    }

    #[test]
    fn token_soup(tokens in prop::collection::vec(0usize..TOKENS.len(), 0..60)) {
        let text: String = tokens.iter().map(|&i| TOKENS[i]).collect::<Vec<_>>().join(" ");
        check(&text);
    }

    #[test]
    fn arbitrary_text(text in "\\PC{0,200}") {
        check(&text);
    }
}

#[test]
fn every_seed_compiles_or_errors() {
    for s in seeds() {
        check(&s);
    }
}
