//! The generator's working state, built the way the modelgen plugin's visitor builds
//! it from the printed schema: models (with the primary key marked, timestamps added,
//! `id` first), non-models, enums, root operation fields, inputs, unions, interfaces.

use std::collections::{HashMap, HashSet};

use crate::Fail;
use crate::inflect::constant_case;
use crate::ir::{Directive, FieldDef, Kind, Pos, Schema};
use crate::js::Js;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PkKind {
    Managed,
    OptionallyManaged,
    Custom,
}

/// A field a key refers to (the plugin keeps object references; names and types are
/// all that is read from them). `None` is a name that matched no field.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyField {
    pub name: String,
    pub ty: String,
    pub is_list: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PkInfo {
    pub kind: PkKind,
    pub sort_key_fields: Vec<Option<KeyField>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnKind {
    HasOne,
    BelongsTo,
    HasMany,
}

impl ConnKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ConnKind::HasOne => "HAS_ONE",
            ConnKind::BelongsTo => "BELONGS_TO",
            ConnKind::HasMany => "HAS_MANY",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Conn {
    pub kind: ConnKind,
    pub associated_with: Vec<String>,
    pub target_names: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub ty: String,
    pub is_nullable: bool,
    pub is_list: bool,
    pub is_list_nullable: Option<bool>,
    pub is_read_only: Option<bool>,
    pub directives: Vec<Directive>,
    pub params: Vec<Field>,
    pub pk: Option<PkInfo>,
    pub conn: Option<Conn>,
    pub pos: Pos,
}

impl Field {
    pub fn from_def(def: FieldDef) -> Field {
        let info = def.ty.into_info();
        Field {
            name: def.name,
            ty: info.name,
            is_nullable: info.is_nullable,
            is_list: info.is_list,
            is_list_nullable: info.is_list_nullable,
            is_read_only: None,
            directives: def.directives,
            params: def.args.into_iter().map(Field::from_def).collect(),
            pk: None,
            conn: None,
            pos: def.pos,
        }
    }

    /// A field the generator adds (foreign keys, join model fields, timestamps).
    pub fn synthetic(name: &str, ty: &str, is_nullable: bool, pos: Pos) -> Field {
        Field {
            name: name.to_string(),
            ty: ty.to_string(),
            is_nullable,
            is_list: false,
            is_list_nullable: None,
            is_read_only: None,
            directives: Vec::new(),
            params: Vec::new(),
            pk: None,
            conn: None,
            pos,
        }
    }

    pub fn directive(&self, name: &str) -> Option<&Directive> {
        self.directives.iter().find(|d| d.name == name)
    }

    pub fn key_field(&self) -> KeyField {
        KeyField {
            name: self.name.clone(),
            ty: self.ty.clone(),
            is_list: self.is_list,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub name: String,
    pub directives: Vec<Directive>,
    pub fields: Vec<Field>,
    pub pos: Pos,
}

impl Model {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// `addFieldToModel`: appends unless a field of that name exists.
    pub fn add_field(&mut self, field: Field) {
        if self.field(&field.name).is_none() {
            self.fields.push(field);
        }
    }

    pub fn pk_field(&self) -> Option<&Field> {
        self.fields.iter().find(|f| f.pk.is_some())
    }

    /// `getModelPrimaryKeyComponentFields`: the key field, then its sort key fields.
    pub fn pk_components(&self) -> Vec<Option<KeyField>> {
        let Some(pk) = self.pk_field() else {
            return Vec::new();
        };
        let mut out = vec![Some(pk.key_field())];
        if let Some(info) = &pk.pk {
            out.extend(info.sort_key_fields.iter().cloned());
        }
        out
    }

    /// `flattenFieldDirectives`: every field directive with its field's name.
    pub fn field_directives(&self) -> impl Iterator<Item = (&Directive, &Field)> {
        self.fields
            .iter()
            .flat_map(|f| f.directives.iter().map(move |d| (d, f)))
    }

    /// The sort key fields of the model's primary `key` attribute (`getSortKeyFields`).
    pub fn sort_key_fields(&self) -> Vec<Option<KeyField>> {
        let key = self
            .directives
            .iter()
            .find(|d| d.name == "key" && !d.arg("name").is_some_and(Js::truthy));
        match key.and_then(|k| k.str_list("fields")) {
            Some(fields) => fields
                .iter()
                .skip(1)
                .map(|n| self.field(n).map(Field::key_field))
                .collect(),
            None => Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct EnumDef {
    pub name: String,
    /// constantCase(value) → value, in insertion order
    pub values: Vec<(String, String)>,
}

/// The visitor's maps.
#[derive(Debug, Default)]
pub struct State {
    pub models: Vec<Model>,
    pub model_index: HashMap<String, usize>,
    pub non_models: Vec<Model>,
    pub non_model_index: HashSet<String>,
    pub enums: Vec<EnumDef>,
    pub enum_index: HashSet<String>,
    pub queries: Vec<Field>,
    pub mutations: Vec<Field>,
    pub subscriptions: Vec<Field>,
    pub inputs: Vec<Model>,
    pub input_index: HashSet<String>,
    pub unions: HashSet<String>,
    pub interfaces: HashSet<String>,
    /// every scalar the schema knows (built-in, AWS, and declared ones)
    pub scalars: HashSet<String>,
}

pub const METADATA_SCALARS: &[&str] = &[
    "ID",
    "Boolean",
    "String",
    "AWSDate",
    "AWSTime",
    "AWSDateTime",
    "AWSEmail",
    "AWSJSON",
    "AWSURL",
    "AWSPhone",
    "AWSIPAddress",
    "Int",
    "Float",
    "AWSTimestamp",
];

impl State {
    pub fn model(&self, name: &str) -> Option<&Model> {
        self.model_index.get(name).map(|&i| &self.models[i])
    }

    /// `this.modelMap[name] = model`: replaces in place or appends.
    pub fn put_model(&mut self, model: Model) {
        match self.model_index.get(&model.name) {
            Some(&i) => self.models[i] = model,
            None => {
                self.model_index
                    .insert(model.name.clone(), self.models.len());
                self.models.push(model);
            }
        }
    }

    pub fn is_model(&self, name: &str) -> bool {
        self.model_index.contains_key(name)
    }
}

/// graphql-js' schema construction: every named type must exist.
pub fn check_types(schema: &Schema) -> Result<(), Fail> {
    let known: HashSet<&str> = schema
        .types
        .iter()
        .map(|t| t.name.as_str())
        .chain(METADATA_SCALARS.iter().copied())
        .collect();
    let check = |name: &str, pos: Pos| -> Result<(), Fail> {
        if known.contains(name) {
            Ok(())
        } else {
            Err(Fail::at(format!("Unknown type: \"{name}\"."), pos))
        }
    };
    for t in &schema.types {
        for (i, pos) in &t.interfaces {
            check(i, *pos)?;
        }
        for (m, pos) in &t.members {
            check(m, *pos)?;
        }
        for f in &t.fields {
            check(f.ty.base(), f.pos)?;
            for a in &f.args {
                check(a.ty.base(), a.pos)?;
            }
        }
    }
    for root in [&schema.query, &schema.mutation, &schema.subscription]
        .into_iter()
        .flatten()
    {
        check(root, 0)?;
    }
    Ok(())
}

/// The visitor's `ObjectTypeDefinition` / `EnumTypeDefinition` / ... handlers.
pub fn build(schema: Schema) -> Result<State, Fail> {
    let mut st = State {
        scalars: METADATA_SCALARS.iter().map(|s| s.to_string()).collect(),
        ..State::default()
    };
    let is_root = |root: &Option<String>, name: &str| root.as_deref() == Some(name);
    for t in schema.types {
        if t.name == "AMPLIFY" && matches!(t.kind, Kind::Object | Kind::Input | Kind::Enum) {
            continue;
        }
        match t.kind {
            Kind::Object => {
                let fields: Vec<Field> = t.fields.into_iter().map(Field::from_def).collect();
                let model_directive = t.directives.iter().find(|d| d.name == "model").cloned();
                if let Some(md) = model_directive {
                    let mut model = Model {
                        name: t.name,
                        directives: t.directives,
                        fields,
                        pos: t.pos,
                    };
                    ensure_primary_key(&mut model)?;
                    add_timestamps(&mut model, &md);
                    sort_fields(&mut model);
                    st.put_model(model);
                } else if is_root(&schema.query, &t.name) {
                    st.queries.extend(fields);
                } else if is_root(&schema.mutation, &t.name) {
                    st.mutations.extend(fields);
                } else if is_root(&schema.subscription, &t.name) {
                    st.subscriptions.extend(fields);
                } else if st.non_model_index.insert(t.name.clone()) {
                    st.non_models.push(Model {
                        name: t.name,
                        directives: t.directives,
                        fields,
                        pos: t.pos,
                    });
                }
            }
            Kind::Input => {
                if st.input_index.insert(t.name.clone()) {
                    st.inputs.push(Model {
                        name: t.name,
                        directives: Vec::new(),
                        fields: t.fields.into_iter().map(Field::from_def).collect(),
                        pos: t.pos,
                    });
                }
            }
            Kind::Enum => {
                let mut values: Vec<(String, String)> = Vec::new();
                for v in t.values {
                    let key = constant_case(&v);
                    match values.iter_mut().find(|(k, _)| *k == key) {
                        Some(slot) => slot.1 = v,
                        None => values.push((key, v)),
                    }
                }
                if st.enum_index.insert(t.name.clone()) {
                    st.enums.push(EnumDef {
                        name: t.name,
                        values,
                    });
                }
            }
            Kind::Union => {
                st.unions.insert(t.name);
            }
            Kind::Interface => {
                st.interfaces.insert(t.name);
            }
            Kind::Scalar => {
                st.scalars.insert(t.name);
            }
        }
    }
    Ok(st)
}

/// `ensurePrimaryKeyFieldV2`.
pub fn ensure_primary_key(model: &mut Model) -> Result<(), Fail> {
    let with_pk = model
        .fields
        .iter()
        .position(|f| f.directives.iter().any(|d| d.name == "primaryKey"));
    match with_pk {
        None => {
            ensure_id_field(model);
            let i = pk_field_index(model, "id")?;
            model.fields[i].pk = Some(PkInfo {
                kind: PkKind::Managed,
                sort_key_fields: Vec::new(),
            });
        }
        Some(fi) => {
            let name = model.fields[fi].name.clone();
            let i = pk_field_index(model, &name)?;
            let sort_names = model
                .field_directives()
                .find(|(d, _)| d.name == "primaryKey")
                .and_then(|(d, _)| d.str_list("sortKeyFields"))
                .unwrap_or_default();
            let sort_key_fields: Vec<Option<KeyField>> = sort_names
                .iter()
                .map(|n| model.field(n).map(Field::key_field))
                .collect();
            let kind = if name == "id" && sort_key_fields.is_empty() {
                PkKind::OptionallyManaged
            } else {
                PkKind::Custom
            };
            model.fields[i].pk = Some(PkInfo {
                kind,
                sort_key_fields,
            });
        }
    }
    Ok(())
}

fn pk_field_index(model: &Model, name: &str) -> Result<usize, Fail> {
    let Some(i) = model.fields.iter().position(|f| f.name == name) else {
        return Err(Fail::at(
            format!("Cannot find primary key field in type {}", model.name),
            model.pos,
        ));
    };
    if model.fields[i].is_nullable {
        return Err(Fail::at(
            format!(
                "The primary key on type '{}' must reference non-null fields.",
                model.name
            ),
            model.fields[i].pos,
        ));
    }
    Ok(i)
}

fn ensure_id_field(model: &mut Model) {
    if let Some(f) = model.fields.iter_mut().find(|f| f.name == "id") {
        f.is_nullable = false;
    } else {
        model
            .fields
            .insert(0, Field::synthetic("id", "ID", false, model.pos));
    }
}

/// `addTimestampFields`.
pub fn add_timestamps(model: &mut Model, model_directive: &Directive) {
    let ts = model_directive.arg("timestamps");
    if matches!(ts, Some(Js::Null)) {
        return;
    }
    let pick = |key: &str, default: &str| -> String {
        match ts.and_then(Js::as_obj).and_then(|o| o.get(key)) {
            Some(v) if v.truthy() => v.to_js_string(),
            _ => default.to_string(),
        }
    };
    for name in [
        pick("createdAt", "createdAt"),
        pick("updatedAt", "updatedAt"),
    ] {
        let mut f = Field::synthetic(&name, "AWSDateTime", true, model_directive.pos);
        f.is_read_only = Some(true);
        model.add_field(f);
    }
}

/// `sortFields`: `id` first.
pub fn sort_fields(model: &mut Model) {
    if let Some(i) = model.fields.iter().position(|f| f.name == "id")
        && i > 0
    {
        let f = model.fields.remove(i);
        model.fields.insert(0, f);
    }
}
