//! The general front end: apollo-parser's CST → definitions. It reads every document
//! the generator may meet, and words syntax errors as graphql-js does; the fast front
//! end hands it whatever it does not read itself.

use apollo_parser::{Parser, cst, cst::CstNode};

use super::{Def, Root, directive, parse_num};
use crate::Fail;
use crate::ir::{Directive, FieldDef, Kind, Pos, TypeDef, TypeRef};
use crate::js::{Js, Obj};

fn pos_of<N: CstNode>(node: &N) -> Pos {
    let start: u32 = node.syntax().text_range().start().into();
    start as usize
}

fn name_of(name: Option<cst::Name>) -> String {
    name.map(|n| n.text().to_string()).unwrap_or_default()
}

/// The document's definitions; the first syntax error as graphql-js words it.
pub fn definitions(text: &str) -> Result<Vec<Def>, Fail> {
    let tree = Parser::new(text).recursion_limit(200).parse();
    if let Some(err) = tree.errors().min_by_key(|e| e.index()) {
        return Err(syntax_error(text, err));
    }
    let mut defs = Vec::new();
    for def in tree.document().definitions() {
        let td = match def {
            cst::Definition::SchemaDefinition(s) => {
                defs.extend(s.root_operation_type_definitions().filter_map(root_op));
                continue;
            }
            cst::Definition::SchemaExtension(s) => {
                defs.extend(s.root_operation_type_definitions().filter_map(root_op));
                continue;
            }
            cst::Definition::ObjectTypeDefinition(d) => object_like(
                Kind::Object,
                d.name(),
                pos_of(&d),
                d.directives(),
                d.fields_definition(),
                d.implements_interfaces(),
            ),
            cst::Definition::ObjectTypeExtension(d) => object_like(
                Kind::Object,
                d.name(),
                pos_of(&d),
                d.directives(),
                d.fields_definition(),
                d.implements_interfaces(),
            ),
            cst::Definition::InterfaceTypeDefinition(d) => object_like(
                Kind::Interface,
                d.name(),
                pos_of(&d),
                d.directives(),
                d.fields_definition(),
                d.implements_interfaces(),
            ),
            cst::Definition::InterfaceTypeExtension(d) => object_like(
                Kind::Interface,
                d.name(),
                pos_of(&d),
                d.directives(),
                d.fields_definition(),
                d.implements_interfaces(),
            ),
            cst::Definition::InputObjectTypeDefinition(d) => {
                let mut t = bare(Kind::Input, d.name(), pos_of(&d), d.directives());
                if let Some(f) = d.input_fields_definition() {
                    t.fields = f.input_value_definitions().map(input_value).collect();
                }
                t
            }
            cst::Definition::InputObjectTypeExtension(d) => {
                let mut t = bare(Kind::Input, d.name(), pos_of(&d), d.directives());
                if let Some(f) = d.input_fields_definition() {
                    t.fields = f.input_value_definitions().map(input_value).collect();
                }
                t
            }
            cst::Definition::EnumTypeDefinition(d) => {
                let mut t = bare(Kind::Enum, d.name(), pos_of(&d), d.directives());
                if let Some(v) = d.enum_values_definition() {
                    t.values = enum_values(v);
                }
                t
            }
            cst::Definition::EnumTypeExtension(d) => {
                let mut t = bare(Kind::Enum, d.name(), pos_of(&d), d.directives());
                if let Some(v) = d.enum_values_definition() {
                    t.values = enum_values(v);
                }
                t
            }
            cst::Definition::UnionTypeDefinition(d) => {
                let mut t = bare(Kind::Union, d.name(), pos_of(&d), d.directives());
                if let Some(m) = d.union_member_types() {
                    t.members = named_types(m.named_types());
                }
                t
            }
            cst::Definition::UnionTypeExtension(d) => {
                let mut t = bare(Kind::Union, d.name(), pos_of(&d), d.directives());
                if let Some(m) = d.union_member_types() {
                    t.members = named_types(m.named_types());
                }
                t
            }
            cst::Definition::ScalarTypeDefinition(d) => {
                bare(Kind::Scalar, d.name(), pos_of(&d), d.directives())
            }
            cst::Definition::ScalarTypeExtension(d) => {
                bare(Kind::Scalar, d.name(), pos_of(&d), d.directives())
            }
            cst::Definition::DirectiveDefinition(_)
            | cst::Definition::OperationDefinition(_)
            | cst::Definition::FragmentDefinition(_) => continue,
        };
        defs.push(Def::Type(td));
    }
    Ok(defs)
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

fn root_op(op: cst::RootOperationTypeDefinition) -> Option<Def> {
    let kind = op.operation_type()?;
    let name = op
        .named_type()
        .map(|n| name_of(n.name()))
        .unwrap_or_default();
    let root = if kind.query_token().is_some() {
        Root::Query
    } else if kind.mutation_token().is_some() {
        Root::Mutation
    } else if kind.subscription_token().is_some() {
        Root::Subscription
    } else {
        return None;
    };
    Some(Def::Root(root, name))
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
            directive(name_of(dir.name()), args, pos_of(&dir))
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
