//! Differential check against a directory of oracle outputs written by
//! `oracle-batch.js` (any schemas, e.g. random mutations of the goldens):
//! `MODELGEN_DIFF_DIR=/path cargo test -p amplifybackend-modelgen --test differential -- --nocapture`.
//! Without the variable it does nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::Path;

#[test]
fn differential() {
    let Ok(dir) = std::env::var("MODELGEN_DIFF_DIR") else {
        return;
    };
    let mut paths: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "graphql"))
        .collect();
    paths.sort();
    let (mut same, mut differ) = (0, Vec::new());
    for p in &paths {
        let stem = p.file_stem().unwrap().to_str().unwrap();
        let text = fs::read_to_string(p).unwrap();
        let at = |suffix: &str| Path::new(&dir).join(format!("{stem}{suffix}"));
        let ours = modelgen::generate(&text);
        let verdict = match (fs::read_to_string(at(".error.txt")), ours) {
            (Ok(want), Err(e)) => {
                let want = want.lines().next().unwrap_or_default().to_string();
                if want == e.message
                    || (want.starts_with("Syntax Error") && e.message.starts_with("Syntax Error"))
                {
                    None
                } else {
                    Some(format!("message: ours {:?} oracle {:?}", e.message, want))
                }
            }
            (Ok(want), Ok(_)) => Some(format!("accepted; oracle: {}", want.trim())),
            (Err(_), Err(e)) => Some(format!("rejected: {e}")),
            (Err(_), Ok(out)) => {
                let mis = fs::read_to_string(at(".introspection.json")).unwrap();
                let js = fs::read_to_string(at(".schema.js")).unwrap();
                let strip = |t: &str| {
                    t.lines()
                        .filter(|l| {
                            !l.trim_start().starts_with("\"version\": \"")
                                && !l.trim_start().starts_with("\"codegenVersion\"")
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                if out.model_introspection != mis {
                    Some("introspection differs".to_string())
                } else if strip(&out.models_js) != strip(&js) {
                    Some("schema.js differs".to_string())
                } else {
                    None
                }
            }
        };
        match verdict {
            None => same += 1,
            Some(v) => differ.push(format!("{stem}: {v}")),
        }
    }
    println!("{same} agree, {} differ", differ.len());
    for d in &differ {
        println!("  {d}");
    }
    assert!(differ.is_empty());
}
