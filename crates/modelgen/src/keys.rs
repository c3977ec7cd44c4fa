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
    // indexMap is keyed by field name: a repeated name keeps its first place and its
    // last directives
    let mut index_map: Vec<(String, Vec<Directive>)> = Vec::new();
    for f in &model.fields {
        let dirs: Vec<Directive> = f
            .directives
            .iter()
            .filter(|d| d.name == "index")
            .cloned()
            .collect();
        match index_map.iter_mut().find(|(n, _)| *n == f.name) {
            Some(slot) => slot.1 = dirs,
            None => index_map.push((f.name.clone(), dirs)),
        }
    }
    let existing: Vec<Js> = model
        .directives
        .iter()
        .filter(|d| d.name == "key" && d.arg("name").is_some_and(Js::truthy))
        .filter_map(|d| d.arg("name").cloned())
        .collect();
    let mut keys = Vec::new();
    for (field_name, dirs) in index_map {
        for d in dirs {
            let mut fields = vec![Js::str(&field_name)];
            concat(&mut fields, d.arg("sortKeyFields"));
            let name = match d.arg("name") {
                None | Some(Js::Undefined) | Some(Js::Null) => {
                    let names: Vec<String> = fields.iter().map(Js::to_js_string).collect();
                    Js::Str(default_index_name(&model.name, &names))
                }
                Some(v) => v.clone(),
            };
            if existing.contains(&name) {
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
        let rules = match d.arg("rules") {
            Some(Js::Arr(rules)) => rules.clone(),
            _ => Vec::new(),
        };
        let processed: Vec<Js> = rules
            .iter()
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

fn rule_get(rule: &Js, key: &str) -> Js {
    rule.as_obj()
        .and_then(|o| o.get(key))
        .cloned()
        .unwrap_or(Js::Undefined)
}

fn or(a: Js, b: Js) -> Js {
    if a.truthy() { a } else { b }
}

fn process_rule(rule: &Js) -> Js {
    let empty = Obj::new();
    let r = rule.as_obj().unwrap_or(&empty);
    let operations = or(
        or(rule_get(rule, "operations"), rule_get(rule, "mutations")),
        Js::strs(DEFAULT_OPERATIONS),
    );
    let allow = rule_get(rule, "allow");
    let mut out = Obj::new();
    match allow.as_str() {
        Some("owner") => {
            let identity = or(
                or(
                    rule_get(rule, "identityClaim"),
                    rule_get(rule, "identityField"),
                ),
                Js::str("username"),
            );
            let identity = if identity.as_str() == Some("username") {
                Js::str("cognito:username")
            } else {
                identity
            };
            out.push("provider", Js::str("userPools"));
            out.push(
                "ownerField",
                or(rule_get(rule, "ownerField"), Js::str("owner")),
            );
            out.spread(r);
            out.set("identityClaim", identity);
            out.set("operations", operations);
        }
        Some("groups") => {
            let group_field = if rule_get(rule, "groups").truthy() {
                Js::Undefined
            } else {
                or(rule_get(rule, "groupField"), Js::str("groups"))
            };
            out.push("groupClaim", Js::str("cognito:groups"));
            out.push("provider", Js::str("userPools"));
            out.spread(r);
            out.set("groupField", group_field);
            out.set("operations", operations);
        }
        _ => {
            out.spread(r);
            out.set("operations", operations);
        }
    }
    Js::Obj(out)
}
