//! The fast front end against apollo's: whenever the fast one reads a text, apollo's
//! reads it without errors and into the same definitions.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::{apollo, fast};

/// Both front ends on the same text: when the fast one reads it, it reads it as
/// apollo's does.
fn same(text: &str) -> bool {
    match fast::definitions(text) {
        Some(fast) => {
            let apollo = apollo::definitions(text)
                .unwrap_or_else(|e| panic!("fast read what apollo rejects: {e:?}\n{text}"));
            assert_eq!(fast, apollo, "{text}");
            true
        }
        None => false,
    }
}

#[test]
fn reads_what_apollo_reads() {
    assert!(same(
        "\"\"\"doc\"\"\"\ntype A @model @auth(rules: [{allow: owner, operations: [read]}]) {\n  # c\n  id: ID!\n  \"d\" n(x: [Int!]! = [1, -2.5e3], y: E = A @deprecated): [[B]!] @index(name: \"i\", sortKeyFields: [\"a\"])\n}\n"
    ));
    assert!(same(
        "extend type A implements & I & J @x { b: B }\nenum E { \"v\" A @d B }\nunion U = | A | B\ninput In @x { a: Int = null, b: Boolean = true }\nscalar S @s\nextend scalar S @t\nschema { query: Q mutation: M }\ninterface I implements J { i: ID }\nextend enum E @e\nextend union U = C\nextend input In { c: Int }\nextend schema @x { subscription: S }"
    ));
}

fn seeds() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
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

#[test]
fn reads_the_goldens_as_apollo_does() {
    let seeds = seeds();
    let read = seeds.iter().filter(|s| same(s)).count();
    // all but the few with executable definitions, escapes, syntax errors, ...
    assert!(read * 10 >= seeds.len() * 8, "{read} of {}", seeds.len());
}

/// Single-character edits of the goldens, where the two readers would part ways
/// if the fast one read anything apollo does not, or read it differently.
#[test]
fn reads_edited_goldens_as_apollo_does() {
    const CHARS: &[char] = &[
        '"', '\\', '#', '{', '}', '(', ')', '[', ']', '!', ':', '@', '=', '|', '&', '$', '.', '-',
        '0', '1', 'e', ' ', '\n', '\r', ',', 'x', '\u{e9}',
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    for seed in seeds() {
        let chars: Vec<char> = seed.chars().collect();
        for _ in 0..40 {
            let mut edited = chars.clone();
            let at = next(edited.len() + 1);
            match next(3) {
                0 if at < edited.len() => {
                    edited.remove(at);
                }
                1 if at < edited.len() => edited[at] = CHARS[next(CHARS.len())],
                _ => edited.insert(at, CHARS[next(CHARS.len())]),
            }
            same(&edited.into_iter().collect::<String>());
        }
    }
}

#[test]
fn gives_up_on_what_it_does_not_read() {
    for text in [
        "",
        "# only a comment",
        "type A { }",
        "type A { a: Int @d() }",
        "type A { a(): Int }",
        "type A { a: Int @d(x: \"\\n\") }",
        "type A { a: Int @d(x: \"\"\"b\"\"\") }",
        "type A { a: Int @d(x: $v) }",
        "type A { a: Int @d(x: 01) }",
        "type A { a: Int @d(x: 1.) }",
        "type A { a: Int @d(x: {y}) }",
        "type A { a: Int @d(x) }",
        "query { a }",
        "directive @d on FIELD",
        "\"d\" extend type A { a: Int }",
        "\"d\" schema { query: Q }",
        "\"d\", type A { a: Int }",
        "extend, type A { a: Int }",
        "schema @d",
        "extend type A",
        "extend scalar S",
        "enum E { true }",
        "type A { a: Int } }",
        "type A { a: Int\u{00a0}}",
        "type A { a: \"x }",
        "type A { a: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[Int]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]] }",
    ] {
        assert!(!same(text), "{text}");
    }
}
