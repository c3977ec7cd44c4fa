//! apollo-parser's CST → [`Schema`], merging extensions and repeated definitions the
//! way graphql-tools' `mergeTypeDefs` does for Amplify's loader.

use apollo_parser::{Parser, cst, cst::CstNode};
use std::collections::HashMap;

use crate::Fail;
use crate::ir::{Directive, FieldDef, Kind, Pos, Schema, TypeDef, TypeRef};
use crate::js::{Js, Obj};

fn pos_of<N: CstNode>(node: &N) -> Pos {
    let start: u32 = node.syntax().text_range().start().into();
    start as usize
}

fn name_of(name: Option<cst::Name>) -> String {
    name.map(|n| n.text().to_string()).unwrap_or_default()
}

/// Parses and merges; the first syntax error is returned as graphql-js words it.
pub fn parse(text: &str) -> Result<Parsed, Fail> {
    let tree = Parser::new(text).recursion_limit(200).parse();
    if let Some(err) = tree.errors().min_by_key(|e| e.index()) {
        return Err(syntax_error(text, err));
    }
    let doc = tree.document();
    let mut schema = Schema::default();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut appends: Vec<Append> = Vec::new();
    for def in doc.definitions() {
        let (td, is_ext) = match def {
            cst::Definition::SchemaDefinition(s) => {
                for op in s.root_operation_type_definitions() {
                    root_op(&mut schema, op);
                }
                continue;
            }
            cst::Definition::SchemaExtension(s) => {
                for op in s.root_operation_type_definitions() {
                    root_op(&mut schema, op);
                }
                continue;
            }
            cst::Definition::ObjectTypeDefinition(d) => (
                object_like(
                    Kind::Object,
                    d.name(),
                    pos_of(&d),
                    d.directives(),
                    d.fields_definition(),
                    d.implements_interfaces(),
                ),
                false,
            ),
            cst::Definition::ObjectTypeExtension(d) => (
                object_like(
                    Kind::Object,
                    d.name(),
                    pos_of(&d),
                    d.directives(),
                    d.fields_definition(),
                    d.implements_interfaces(),
                ),
                true,
            ),
            cst::Definition::InterfaceTypeDefinition(d) => (
                object_like(
                    Kind::Interface,
                    d.name(),
                    pos_of(&d),
                    d.directives(),
                    d.fields_definition(),
                    d.implements_interfaces(),
                ),
                false,
            ),
            cst::Definition::InterfaceTypeExtension(d) => (
                object_like(
                    Kind::Interface,
                    d.name(),
                    pos_of(&d),
                    d.directives(),
                    d.fields_definition(),
                    d.implements_interfaces(),
                ),
                true,
            ),
            cst::Definition::InputObjectTypeDefinition(d) => {
                let mut t = bare(Kind::Input, d.name(), pos_of(&d), d.directives());
                if let Some(f) = d.input_fields_definition() {
                    t.fields = f.input_value_definitions().map(input_value).collect();
                }
                (t, false)
            }
            cst::Definition::InputObjectTypeExtension(d) => {
                let mut t = bare(Kind::Input, d.name(), pos_of(&d), d.directives());
                if let Some(f) = d.input_fields_definition() {
                    t.fields = f.input_value_definitions().map(input_value).collect();
                }
                (t, true)
            }
            cst::Definition::EnumTypeDefinition(d) => {
                let mut t = bare(Kind::Enum, d.name(), pos_of(&d), d.directives());
                if let Some(v) = d.enum_values_definition() {
                    t.values = enum_values(v);
                }
                (t, false)
            }
            cst::Definition::EnumTypeExtension(d) => {
                let mut t = bare(Kind::Enum, d.name(), pos_of(&d), d.directives());
                if let Some(v) = d.enum_values_definition() {
                    t.values = enum_values(v);
                }
                (t, true)
            }
            cst::Definition::UnionTypeDefinition(d) => {
                let mut t = bare(Kind::Union, d.name(), pos_of(&d), d.directives());
                if let Some(m) = d.union_member_types() {
                    t.members = named_types(m.named_types());
                }
                (t, false)
            }
            cst::Definition::UnionTypeExtension(d) => {
                let mut t = bare(Kind::Union, d.name(), pos_of(&d), d.directives());
                if let Some(m) = d.union_member_types() {
                    t.members = named_types(m.named_types());
                }
                (t, true)
            }
            cst::Definition::ScalarTypeDefinition(d) => (
                bare(Kind::Scalar, d.name(), pos_of(&d), d.directives()),
                false,
            ),
            cst::Definition::ScalarTypeExtension(d) => (
                bare(Kind::Scalar, d.name(), pos_of(&d), d.directives()),
                true,
            ),
            cst::Definition::DirectiveDefinition(_)
            | cst::Definition::OperationDefinition(_)
            | cst::Definition::FragmentDefinition(_) => continue,
        };
        let _ = is_ext;
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
    if fields.len() < 2 {
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

/// apollo-parser's error in graphql-js' words and place.
fn syntax_error(text: &str, err: &apollo_parser::Error) -> Fail {
    let data = err.data();
    let message = err.message();
    let found = if err.is_eof() || data.is_empty() || data == "EOF" {
        "<EOF>".to_string()
    } else {
        format!("\"{data}\"")
    };
    if message.starts_with("Unexpected character") {
        let c = data.chars().next().unwrap_or(' ');
        return Fail::at(
            format!("Syntax Error: Cannot parse the unexpected character \"{c}\"."),
            err.index(),
        );
    }
    if message.contains("unterminated") {
        // graphql-js stops where the line (or, for a block string, the text) ends
        let start = err.index().min(text.len());
        let end = if data.starts_with("\"\"\"") {
            text.len()
        } else {
            text.get(start..)
                .and_then(|rest| rest.find(['\n', '\r']))
                .map_or(text.len(), |i| start + i)
        };
        return Fail::at("Syntax Error: Unterminated string.", end);
    }
    if message.contains("valid Value") {
        return Fail::at(format!("Syntax Error: Unexpected {found}."), err.index());
    }
    Fail::at(
        format!("Syntax Error: Expected Name, found {found}."),
        err.index(),
    )
}

fn root_op(schema: &mut Schema, op: cst::RootOperationTypeDefinition) {
    let Some(kind) = op.operation_type() else {
        return;
    };
    let name = op
        .named_type()
        .map(|n| name_of(n.name()))
        .unwrap_or_default();
    if kind.query_token().is_some() {
        schema.query = Some(name);
    } else if kind.mutation_token().is_some() {
        schema.mutation = Some(name);
    } else if kind.subscription_token().is_some() {
        schema.subscription = Some(name);
    }
}

fn bare(kind: Kind, name: Option<cst::Name>, pos: Pos, dirs: Option<cst::Directives>) -> TypeDef {
    TypeDef {
        kind,
        name: name_of(name),
        pos,
        directives: directives(dirs),
        fields: Vec::new(),
        interfaces: Vec::new(),
        values: Vec::new(),
        members: Vec::new(),
    }
}

fn object_like(
    kind: Kind,
    name: Option<cst::Name>,
    pos: Pos,
    dirs: Option<cst::Directives>,
    fields: Option<cst::FieldsDefinition>,
    interfaces: Option<cst::ImplementsInterfaces>,
) -> TypeDef {
    let mut t = bare(kind, name, pos, dirs);
    if let Some(f) = fields {
        t.fields = f.field_definitions().map(field).collect();
    }
    if let Some(i) = interfaces {
        t.interfaces = named_types(i.named_types());
    }
    t
}

fn named_types(items: cst::CstChildren<cst::NamedType>) -> Vec<(String, Pos)> {
    items.map(|n| (name_of(n.name()), pos_of(&n))).collect()
}

fn enum_values(v: cst::EnumValuesDefinition) -> Vec<String> {
    v.enum_value_definitions()
        .filter_map(|d| d.enum_value().map(|e| e.text().to_string()))
        .collect()
}

fn field(f: cst::FieldDefinition) -> FieldDef {
    FieldDef {
        name: name_of(f.name()),
        ty: f
            .ty()
            .map(type_ref)
            .unwrap_or(TypeRef::Named(String::new())),
        directives: directives(f.directives()),
        args: f
            .arguments_definition()
            .map(|a| a.input_value_definitions().map(input_value).collect())
            .unwrap_or_default(),
        pos: pos_of(&f),
    }
}

fn input_value(f: cst::InputValueDefinition) -> FieldDef {
    FieldDef {
        name: name_of(f.name()),
        ty: f
            .ty()
            .map(type_ref)
            .unwrap_or(TypeRef::Named(String::new())),
        directives: directives(f.directives()),
        args: Vec::new(),
        pos: pos_of(&f),
    }
}

fn type_ref(t: cst::Type) -> TypeRef {
    match t {
        cst::Type::NamedType(n) => TypeRef::Named(name_of(n.name())),
        cst::Type::ListType(l) => TypeRef::List(Box::new(
            l.ty()
                .map(type_ref)
                .unwrap_or(TypeRef::Named(String::new())),
        )),
        cst::Type::NonNullType(nn) => {
            let inner = if let Some(n) = nn.named_type() {
                TypeRef::Named(name_of(n.name()))
            } else if let Some(l) = nn.list_type() {
                TypeRef::List(Box::new(
                    l.ty()
                        .map(type_ref)
                        .unwrap_or(TypeRef::Named(String::new())),
                ))
            } else {
                TypeRef::Named(String::new())
            };
            TypeRef::NonNull(Box::new(inner))
        }
    }
}

fn directives(d: Option<cst::Directives>) -> Vec<Directive> {
    let Some(d) = d else { return Vec::new() };
    d.directives()
        .map(|dir| {
            let mut args = Obj::new();
            if let Some(a) = dir.arguments() {
                for arg in a.arguments() {
                    let v = arg.value().map(value).unwrap_or(Js::Undefined);
                    args.set(&name_of(arg.name()), v);
                }
            }
            let name = name_of(dir.name());
            // `references` on a relation directive is always a list
            if matches!(name.as_str(), "hasOne" | "belongsTo" | "hasMany")
                && let Some(r) = args.get("references")
                && r.truthy()
                && !matches!(r, Js::Arr(_))
            {
                let r = r.clone();
                args.set("references", Js::Arr(vec![r]));
            }
            Directive {
                name,
                args,
                pos: pos_of(&dir),
            }
        })
        .collect()
}

/// graphql-js `valueFromASTUntyped`.
fn value(v: cst::Value) -> Js {
    match v {
        cst::Value::Variable(_) => Js::Undefined,
        cst::Value::StringValue(s) => Js::Str(String::from(&s)),
        cst::Value::FloatValue(f) => Js::Num(parse_num(&f.syntax().text().to_string())),
        cst::Value::IntValue(i) => Js::Num(parse_num(&i.syntax().text().to_string())),
        cst::Value::BooleanValue(b) => Js::Bool(b.true_token().is_some()),
        cst::Value::NullValue(_) => Js::Null,
        cst::Value::EnumValue(e) => Js::Str(e.text().to_string()),
        cst::Value::ListValue(l) => Js::Arr(l.values().map(value).collect()),
        cst::Value::ObjectValue(o) => {
            let mut obj = Obj::new();
            for f in o.object_fields() {
                let v = f.value().map(value).unwrap_or(Js::Undefined);
                obj.set(&name_of(f.name()), v);
            }
            Js::Obj(obj)
        }
    }
}

fn parse_num(text: &str) -> f64 {
    text.trim().parse::<f64>().unwrap_or(f64::NAN)
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
