//! The schema as parsed: type definitions with their directives, after Amplify's
//! loader (graphql-tools `mergeTypeDefs`) has merged extensions and repeated
//! definitions into one definition per name.

use crate::js::{Js, Obj};

/// A byte offset into the schema text, for error positions.
pub type Pos = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Object,
    Interface,
    Input,
    Enum,
    Union,
    Scalar,
}

/// A GraphQL type reference as written.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    Named(String),
    List(Box<TypeRef>),
    NonNull(Box<TypeRef>),
}

impl TypeRef {
    pub fn base(&self) -> &str {
        match self {
            TypeRef::Named(n) => n,
            TypeRef::List(t) | TypeRef::NonNull(t) => t.base(),
        }
    }

    pub fn is_non_null(&self) -> bool {
        matches!(self, TypeRef::NonNull(_))
    }

    /// The plugin's `getTypeInfo`: (type, isNullable, isList, isListNullable).
    pub fn into_info(self) -> TypeInfo {
        match self {
            TypeRef::Named(name) => TypeInfo {
                name,
                is_nullable: true,
                is_list: false,
                is_list_nullable: None,
            },
            TypeRef::NonNull(inner) => match *inner {
                TypeRef::List(item) => TypeInfo {
                    is_list: true,
                    is_list_nullable: Some(false),
                    ..item.into_info()
                },
                other => TypeInfo {
                    is_nullable: false,
                    ..other.into_info()
                },
            },
            TypeRef::List(item) => TypeInfo {
                is_list: true,
                is_list_nullable: Some(true),
                ..item.into_info()
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeInfo {
    pub name: String,
    pub is_nullable: bool,
    pub is_list: bool,
    pub is_list_nullable: Option<bool>,
}

/// A directive use: name and arguments as `valueFromASTUntyped` gives them.
#[derive(Debug, Clone, PartialEq)]
pub struct Directive {
    pub name: String,
    pub args: Obj,
    pub pos: Pos,
}

impl Directive {
    pub fn arg(&self, name: &str) -> Option<&Js> {
        self.args.get(name)
    }

    /// The argument as a list of strings (`fields`, `sortKeyFields`, `references`).
    pub fn str_list(&self, name: &str) -> Option<Vec<String>> {
        match self.args.get(name)? {
            Js::Arr(items) => Some(items.iter().map(Js::to_js_string).collect()),
            Js::Undefined => None,
            other => Some(vec![other.to_js_string()]),
        }
    }
}

/// A field, argument or input value definition.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDef {
    pub name: String,
    pub ty: TypeRef,
    pub directives: Vec<Directive>,
    pub args: Vec<FieldDef>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub kind: Kind,
    pub name: String,
    pub pos: Pos,
    pub directives: Vec<Directive>,
    pub fields: Vec<FieldDef>,
    pub interfaces: Vec<(String, Pos)>,
    pub values: Vec<String>,
    pub members: Vec<(String, Pos)>,
}

/// The merged document.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    pub types: Vec<TypeDef>,
    pub query: Option<String>,
    pub mutation: Option<String>,
    pub subscription: Option<String>,
}
