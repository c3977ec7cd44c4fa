//! `@primaryKey` and `@index` become `key` model attributes (processPrimaryKey,
//! processIndex), and `@auth` rules get the generator's defaults (processAuthDirective).

use crate::inflect::{plural, to_lower, to_upper};
use crate::ir::Directive;
use crate::js::{Js, Obj};
use crate::model::Model;

/// `processPrimaryKey`.
pub fn process_primary_key(model: &mut Model) {
    let has_primary = model
        .directives
        .iter()
        .any(|d| d.name == "key" && matches!(d.arg("name"), None | Some(Js::Undefined)));
    if has_primary {
        return;
    }
    let Some(field) = model
        .fields
        .iter()
        .find(|f| f.directive("primaryKey").is_some())
    else {
        return;
    };
    let Some(dir) = field.directive("primaryKey") else {
        return;
    };
    let mut fields = vec![Js::str(&field.name)];
    concat(&mut fields, dir.arg("sortKeyFields"));
    let mut args = Obj::new();
    args.push("fields", Js::Arr(fields));
    let pos = dir.pos;
    model.directives.push(Directive {
        name: "key".into(),
        args,
        pos,
    });
}

/// `[a].concat(x ?? [])`.
fn concat(out: &mut Vec<Js>, extra: Option<&Js>) {
    match extra {
        None | Some(Js::Undefined) | Some(Js::Null) => {}
        Some(Js::Arr(items)) => out.extend(items.iter().cloned()),
        Some(other) => out.push(other.clone()),
    }
}

/// `processIndex`.
pub fn process_index(model: &mut Model) {
    let is_index = |d: &Directive| d.name == "index";
    if !model
        .fields
        .iter()
        .any(|f| f.directives.iter().any(is_index))
    {
        return;
    }
    // indexMap is keyed by field name: a repeated name keeps its first place and its
    // last directives
    let mut index_map: Vec<(&str, usize)> = Vec::new();
    for (i, f) in model.fields.iter().enumerate() {
        match index_map.iter_mut().find(|(n, _)| *n == f.name) {
            Some(slot) => slot.1 = i,
            None => index_map.push((&f.name, i)),
        }
    }
    let existing: Vec<&Js> = model
        .directives
        .iter()
        .filter(|d| d.name == "key")
        .filter_map(|d| d.arg("name").filter(|n| n.truthy()))
        .collect();
    let mut keys = Vec::new();
    for (field_name, fi) in index_map {
        for d in model.fields[fi].directives.iter().filter(|d| is_index(d)) {
            let mut fields = vec![Js::str(field_name)];
            concat(&mut fields, d.arg("sortKeyFields"));
            let name = match d.arg("name") {
                None | Some(Js::Undefined) | Some(Js::Null) => {
                    let names: Vec<String> = fields.iter().map(Js::to_js_string).collect();
                    Js::Str(default_index_name(&model.name, &names))
                }
                Some(v) => v.clone(),
            };
            if existing.contains(&&name) {
                continue;
            }
            let mut args = Obj::new();
            args.push("name", name);
            args.push(
                "queryField",
                d.arg("queryField").cloned().unwrap_or(Js::Undefined),
            );
            args.push("fields", Js::Arr(fields));
            keys.push(Directive {
                name: "key".into(),
                args,
                pos: d.pos,
            });
        }
    }
    model.directives.extend(keys);
}

/// `generateDefaultIndexName`.
pub fn default_index_name(model_name: &str, field_names: &[String]) -> String {
    let upper: Vec<String> = field_names.iter().map(|f| to_upper(f)).collect();
    format!("{}By{}", to_lower(&plural(model_name)), upper.join("And"))
}

const DEFAULT_OPERATIONS: &[&str] = &["create", "update", "delete", "read"];

/// `processAuthDirective` for one directive list: auth directives move to the end.
pub fn process_auth(directives: &mut Vec<Directive>) {
    if !directives.iter().any(|d| d.name == "auth") {
        return;
    }
    let (auth, mut rest): (Vec<Directive>, Vec<Directive>) =
        directives.drain(..).partition(|d| d.name == "auth");
    for mut d in auth {
        let rules = match d.args.get_mut("rules") {
            Some(Js::Arr(rules)) => std::mem::take(rules),
            _ => Vec::new(),
        };
        let processed: Vec<Js> = rules
            .into_iter()
            .filter(|r| {
                !(rule_get(r, "allow").as_str() == Some("groups")
                    && rule_get(r, "groupField").truthy())
            })
            .map(process_rule)
            .collect();
        d.args.set("rules", Js::Arr(processed));
        rest.push(d);
    }
    *directives = rest;
}

fn rule_get<'a>(rule: &'a Js, key: &str) -> &'a Js {
    rule.as_obj()
        .and_then(|o| o.get(key))
        .unwrap_or(&Js::Undefined)
}

/// `a || b`.
fn or<'a>(a: &'a Js, b: &'a Js) -> &'a Js {
    if a.truthy() { a } else { b }
}

fn process_rule(rule: Js) -> Js {
    let operations = or(rule_get(&rule, "operations"), rule_get(&rule, "mutations"));
    let operations = if operations.truthy() {
        operations.clone()
    } else {
        Js::strs(DEFAULT_OPERATIONS)
    };
    let mut out = Obj::new();
    // the members set after the rule's own are worked out before it is spread
    let last = match rule_get(&rule, "allow").as_str() {
        Some("owner") => {
            let identity = or(
                rule_get(&rule, "identityClaim"),
                rule_get(&rule, "identityField"),
            );
            let identity = match identity.as_str() {
                Some("username") => Js::str("cognito:username"),
                _ if identity.truthy() => identity.clone(),
                _ => Js::str("cognito:username"),
            };
            out.push("provider", Js::str("userPools"));
            out.push(
                "ownerField",
                or(rule_get(&rule, "ownerField"), &Js::str("owner")).clone(),
            );
            Some(("identityClaim", identity))
        }
        Some("groups") => {
            let group_field = if rule_get(&rule, "groups").truthy() {
                Js::Undefined
            } else {
                or(rule_get(&rule, "groupField"), &Js::str("groups")).clone()
            };
            out.push("groupClaim", Js::str("cognito:groups"));
            out.push("provider", Js::str("userPools"));
            Some(("groupField", group_field))
        }
        _ => None,
    };
    if let Js::Obj(r) = rule {
        out.spread(r);
    }
    if let Some((key, value)) = last {
        out.set(key, value);
    }
    out.set("operations", operations);
    Js::Obj(out)
}
