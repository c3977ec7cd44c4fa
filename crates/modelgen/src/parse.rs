//! The schema text → [`Schema`]: a front end reads the definitions, which are then
//! merged (extensions and repeated definitions) the way graphql-tools' `mergeTypeDefs`
//! does for Amplify's loader.
//!
//! There are two front ends. apollo-parser's ([`apollo`]) reads any document and words
//! syntax errors as graphql-js does, but building its syntax tree and walking it cost
//! more than the rest of the generator; [`fast`] reads the common shapes of valid
//! schemas straight into definitions, and gives up (for `apollo` to read the text) on
//! anything else, so every error still comes from `apollo`.

mod apollo;
mod fast;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};

use crate::Fail;
use crate::ir::{Directive, FieldDef, Kind, Pos, Schema, TypeDef};
use crate::js::{Js, Obj};

/// One definition of the document, as both front ends read it.
#[derive(Debug, Clone, PartialEq)]
pub enum Def {
    Type(TypeDef),
    /// a root operation type from `schema { ... }` or `extend schema { ... }`
    Root(Root, String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Root {
    Query,
    Mutation,
    Subscription,
}

/// Parses and merges; the first syntax error is returned as graphql-js words it.
pub fn parse(text: &str) -> Result<Parsed, Fail> {
    let defs = match fast::definitions(text) {
        Some(defs) => defs,
        None => apollo::definitions(text)?,
    };
    merge_definitions(defs)
}

fn merge_definitions(defs: Vec<Def>) -> Result<Parsed, Fail> {
    let mut schema = Schema::default();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut appends: Vec<Append> = Vec::new();
    for def in defs {
        let td = match def {
            Def::Type(td) => td,
            Def::Root(root, name) => {
                let slot = match root {
                    Root::Query => &mut schema.query,
                    Root::Mutation => &mut schema.mutation,
                    Root::Subscription => &mut schema.subscription,
                };
                *slot = Some(name);
                continue;
            }
        };
        match index.get(&td.name) {
            Some(&i) => merge(&mut schema.types[i], td, &mut appends)?,
            None => {
                index.insert(td.name.clone(), schema.types.len());
                schema.types.push(td);
            }
        }
    }
    for (slot, default) in [
        (&mut schema.query, "Query"),
        (&mut schema.mutation, "Mutation"),
        (&mut schema.subscription, "Subscription"),
    ] {
        if slot.is_none() && index.contains_key(default) {
            *slot = Some(default.to_string());
        }
    }
    for t in &mut schema.types {
        dedupe_fields(&mut t.fields);
        for f in &mut t.fields {
            dedupe_fields(&mut f.args);
        }
    }
    let repeated = repeat_appends(&schema, &appends);
    Ok(Parsed { schema, repeated })
}

/// A directive use as both front ends build it: `references` on a relation directive
/// is always a list.
fn directive(name: String, mut args: Obj, pos: Pos) -> Directive {
    if matches!(name.as_str(), "hasOne" | "belongsTo" | "hasMany")
        && let Some(r) = args.get("references")
        && r.truthy()
        && !matches!(r, Js::Arr(_))
    {
        let r = r.clone();
        args.set("references", Js::Arr(vec![r]));
    }
    Directive { name, args, pos }
}

/// A number's value from its text, as `Number(text)` reads it.
fn parse_num(text: &str) -> f64 {
    text.trim().parse::<f64>().unwrap_or(f64::NAN)
}

/// The parsed schema. graphql-tools' merge mutates the parsed document in place, and
/// Amplify's `javascript` target merges the same document once per generated file
/// (four times) before `schema.js` is written: list arguments that extensions
/// appended to (object values are never de-duplicated) grow with every merge. When
/// that happened, `repeated` is the schema as `schema.js` sees it.
#[derive(Debug)]
pub struct Parsed {
    pub schema: Schema,
    pub repeated: Option<Schema>,
}

/// Values one type-level directive merge appended to a list argument.
#[derive(Debug)]
struct Append {
    type_name: String,
    directive: String,
    arg: String,
    values: Vec<Js>,
}

const MERGES_BEFORE_SCHEMA_JS: usize = 4;

fn repeat_appends(schema: &Schema, appends: &[Append]) -> Option<Schema> {
    let repeatable = |v: &Js| !matches!(v, Js::Str(_) | Js::Num(_) | Js::Bool(true));
    if !appends.iter().any(|a| a.values.iter().any(repeatable)) {
        return None;
    }
    let mut out = schema.clone();
    for _ in 1..MERGES_BEFORE_SCHEMA_JS {
        for a in appends {
            let Some(t) = out.types.iter_mut().find(|t| t.name == a.type_name) else {
                continue;
            };
            let Some(d) = t.directives.iter_mut().find(|d| d.name == a.directive) else {
                continue;
            };
            if let Some((_, Js::Arr(list))) = d.args.0.iter_mut().find(|(k, _)| *k == a.arg) {
                list.extend(a.values.iter().filter(|v| repeatable(v)).cloned());
            }
        }
    }
    Some(out)
}

/// graphql-js builds field maps keyed by name: a repeated name keeps its first place
/// and takes its last definition.
fn dedupe_fields(fields: &mut Vec<FieldDef>) {
    if !has_repeated_name(fields) {
        return;
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<FieldDef> = Vec::with_capacity(fields.len());
    for f in fields.drain(..) {
        match seen.get(&f.name) {
            Some(&i) => out[i] = f,
            None => {
                seen.insert(f.name.clone(), out.len());
                out.push(f);
            }
        }
    }
    *fields = out;
}

/// Whether two fields share a name (without allocating for the usual short lists).
fn has_repeated_name(fields: &[FieldDef]) -> bool {
    if fields.len() <= 32 {
        return fields
            .iter()
            .enumerate()
            .any(|(i, f)| fields[..i].iter().any(|g| g.name == f.name));
    }
    let mut seen = HashSet::with_capacity(fields.len());
    !fields.iter().all(|f| seen.insert(f.name.as_str()))
}

/// graphql-tools `mergeType` / `mergeEnum` / ... for a second definition of a name.
fn merge(existing: &mut TypeDef, new: TypeDef, appends: &mut Vec<Append>) -> Result<(), Fail> {
    match existing.kind {
        Kind::Enum => {
            let mut values = new.values.clone();
            for v in existing.values.drain(..) {
                if !values.contains(&v) {
                    values.push(v);
                }
            }
            existing.values = values;
        }
        Kind::Union => {
            for m in new.members {
                if !existing.members.iter().any(|(n, _)| *n == m.0) {
                    existing.members.push(m);
                }
            }
        }
        _ => {
            for f in new.fields {
                if let Some(old) = existing.fields.iter_mut().find(|o| o.name == f.name) {
                    if old.ty.base() != f.ty.base() {
                        return Err(Fail::at(
                            format!(
                                "Unable to merge GraphQL type \"{}\": Field \"{}\" already defined with a different type. Declared as \"{}\", but you tried to override with \"{}\"",
                                existing.name,
                                f.name,
                                old.ty.base(),
                                f.ty.base()
                            ),
                            f.pos,
                        ));
                    }
                    if f.ty.is_non_null() && !old.ty.is_non_null() {
                        old.ty = f.ty.clone();
                    }
                    old.directives = merge_directives(
                        std::mem::take(&mut old.directives),
                        f.directives,
                        &mut Vec::new(),
                    );
                } else {
                    existing.fields.push(f);
                }
            }
            for i in new.interfaces {
                if !existing.interfaces.iter().any(|(n, _)| *n == i.0) {
                    existing.interfaces.push(i);
                }
            }
        }
    }
    let mut recorded = Vec::new();
    existing.directives = merge_directives(
        std::mem::take(&mut existing.directives),
        new.directives,
        &mut recorded,
    );
    for (directive, arg, values) in recorded {
        appends.push(Append {
            type_name: existing.name.clone(),
            directive,
            arg,
            values,
        });
    }
    Ok(())
}

/// `mergeDirectives(new, existing)`: same-named directives merge their arguments.
fn merge_directives(
    existing: Vec<Directive>,
    new: Vec<Directive>,
    recorded: &mut Vec<(String, String, Vec<Js>)>,
) -> Vec<Directive> {
    let mut result: Vec<Directive> = Vec::with_capacity(existing.len() + new.len());
    for d in existing {
        if let Some(first) = result.iter_mut().find(|r| r.name == d.name) {
            // deduplicateDirectives: the later duplicate's arguments update the
            // first one's shared argument nodes; its new arguments are lost
            first.args = merge_arguments(&d.args, &first.args, false, &mut Vec::new());
        } else {
            result.push(d);
        }
    }
    for d in new {
        if let Some(first) = result.iter_mut().find(|r| r.name == d.name) {
            let mut appended = Vec::new();
            first.args = merge_arguments(&d.args, &first.args, true, &mut appended);
            for (arg, values) in appended {
                recorded.push((d.name.clone(), arg, values));
            }
        } else {
            result.push(d);
        }
    }
    result
}

fn merge_arguments(
    a1: &Obj,
    a2: &Obj,
    add_new: bool,
    appended: &mut Vec<(String, Vec<Js>)>,
) -> Obj {
    let mut result = a2.clone();
    for (k, v) in &a1.0 {
        match result.0.iter_mut().find(|(rk, _)| rk == k) {
            Some((_, Js::Arr(existing))) => {
                if let Js::Arr(target) = v {
                    let mut added = Vec::new();
                    for t in target {
                        let keep = match t {
                            Js::Str(s) => !existing.iter().any(|e| e.as_str() == Some(s)),
                            _ => true,
                        };
                        if keep {
                            existing.push(t.clone());
                            added.push(t.clone());
                        }
                    }
                    appended.push((k.clone(), added));
                }
            }
            Some((_, slot)) => *slot = v.clone(),
            None => {
                if add_new {
                    result.push(k, v.clone());
                }
            }
        }
    }
    result
}
