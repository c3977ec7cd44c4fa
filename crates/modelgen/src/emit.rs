//! The two documents: the Model Introspection Schema (introspection visitor) and the
//! DataStore schema module (JSON metadata visitor, `javascript` target). Models,
//! non-models and enums are written straight as text; most models render the same in
//! both documents, and those are written once and copied.

use std::ops::Range;

use crate::Fail;
use crate::inflect::plural;
use crate::js::{Js, Obj};
use crate::json::Json;
use crate::model::{ConnKind, Field, METADATA_SCALARS, Model, PkKind, State};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Introspection,
    Metadata,
}

/// How a field's type is written: a scalar's name, or `{"model": "Name"}` and the like.
#[derive(Clone, Copy)]
enum TypeName<'a> {
    Scalar(&'a str),
    Tagged(&'static str, &'a str),
}

impl TypeName<'_> {
    fn write(self, w: &mut Json) {
        match self {
            TypeName::Scalar(name) => w.str(name),
            TypeName::Tagged(tag, name) => w.tagged(tag, name),
        }
    }

    fn to_js(self) -> Js {
        match self {
            TypeName::Scalar(name) => Js::str(name),
            TypeName::Tagged(tag, name) => {
                let mut o = Obj::new();
                o.push(tag, Js::str(name));
                Js::Obj(o)
            }
        }
    }
}

enum Ty<'a> {
    Value(TypeName<'a>),
    /// union or interface: such fields are skipped by the introspection visitor
    Skip(TypeName<'a>),
}

fn get_type<'a>(st: &State, name: &'a str, target: Target) -> Result<Ty<'a>, String> {
    if METADATA_SCALARS.contains(&name) {
        return Ok(Ty::Value(TypeName::Scalar(name)));
    }
    let tagged = |tag| TypeName::Tagged(tag, name);
    if st.enum_index.contains(name) {
        return Ok(Ty::Value(tagged("enum")));
    }
    if st.non_model_index.contains(name) {
        return Ok(Ty::Value(tagged("nonModel")));
    }
    if st.is_model(name) {
        return Ok(Ty::Value(tagged("model")));
    }
    if target == Target::Metadata {
        return Err(format!("Unknown type {name}"));
    }
    if st.input_index.contains(name) {
        return Ok(Ty::Value(tagged("input")));
    }
    if st.unions.contains(name) {
        return Ok(Ty::Skip(tagged("union")));
    }
    if st.interfaces.contains(name) {
        return Ok(Ty::Skip(tagged("interface")));
    }
    Err(format!(
        "Unknown type {name} found during model introspection schema generation"
    ))
}

/// `o[name] = value` over a sequence: a repeated name keeps its first place and takes
/// its last value.
fn set_in_order<'a, T>(entries: &mut Vec<(&'a str, T)>, name: &'a str, value: T) {
    match entries.iter_mut().find(|(n, _)| *n == name) {
        Some(slot) => slot.1 = value,
        None => entries.push((name, value)),
    }
}

fn write_association(w: &mut Json, f: &Field, target: Target) {
    let Some(conn) = &f.conn else { return };
    w.key("association").begin_object();
    w.str_member("connectionType", conn.kind.as_str());
    match conn.kind {
        ConnKind::HasMany => w.key("associatedWith").strs(&conn.associated_with),
        ConnKind::HasOne => {
            w.key("associatedWith").strs(&conn.associated_with);
            match &conn.target_names {
                Some(t) => w.key("targetNames").strs(t),
                // the metadata visitor leaves it undefined
                None if target == Target::Introspection => {
                    w.key("targetNames").begin_array().end_array()
                }
                None => {}
            }
        }
        ConnKind::BelongsTo => {
            if let Some(t) = &conn.target_names {
                w.key("targetNames").strs(t);
            }
        }
    }
    w.end_object();
}

/// Writes the `fields` object; returns whether it reads the same in both documents:
/// every field type resolves as the metadata visitor resolves it (not to an input,
/// union or interface), and no `HAS_ONE` lacks `targetNames`.
fn write_fields(w: &mut Json, st: &State, m: &Model, target: Target) -> Result<bool, Fail> {
    let mut entries: Vec<(&str, (&Field, TypeName))> = Vec::with_capacity(m.fields.len());
    let mut same = true;
    for f in &m.fields {
        let ty = match get_type(st, &f.ty, target) {
            Ok(Ty::Value(v)) => v,
            Ok(Ty::Skip(_)) => {
                same = false;
                continue;
            }
            Err(msg) => return Err(Fail::at(msg, f.pos)),
        };
        same &= !matches!(ty, TypeName::Tagged("input", _))
            && !f
                .conn
                .as_ref()
                .is_some_and(|c| c.kind == ConnKind::HasOne && c.target_names.is_none());
        set_in_order(&mut entries, &f.name, (f, ty));
    }
    w.begin_object();
    for (name, (f, ty)) in entries {
        w.key(name).begin_object();
        w.str_member("name", &f.name);
        w.bool_member("isArray", f.is_list);
        w.key("type");
        ty.write(w);
        w.bool_member("isRequired", !f.is_nullable);
        w.key("attributes").begin_array().end_array();
        if let Some(n) = f.is_list_nullable {
            w.bool_member("isArrayNullable", n);
        }
        if let Some(r) = f.is_read_only {
            w.bool_member("isReadOnly", r);
        }
        write_association(w, f, target);
        w.end_object();
    }
    w.end_object();
    Ok(same)
}

fn write_attributes(w: &mut Json, m: &Model) {
    w.key("attributes").begin_array();
    for d in &m.directives {
        w.item().begin_object();
        w.str_member("type", &d.name);
        w.key("properties").object(&d.args);
        w.end_object();
    }
    w.end_array();
}

/// A model object. Returns where its `primaryKeyInfo` member starts (for the
/// introspection document), and whether the text before it is also the metadata
/// rendering (see [`write_fields`]).
fn write_model(w: &mut Json, st: &State, m: &Model, target: Target) -> Result<(usize, bool), Fail> {
    w.begin_object();
    w.str_member("name", &m.name);
    w.key("fields");
    let same = write_fields(w, st, m, target)?;
    w.bool_member("syncable", true);
    w.str_member("pluralName", &plural(&m.name));
    write_attributes(w, m);
    let pk_at = w.text().len();
    if target == Target::Introspection {
        w.key("primaryKeyInfo");
        write_pk_info(w, m)?;
    }
    w.end_object();
    Ok((pk_at, same))
}

fn write_pk_info(w: &mut Json, m: &Model) -> Result<(), Fail> {
    let no_pk = || Fail::at(format!("No primary key found for model {}", m.name), m.pos);
    let pk = m.pk_field().ok_or_else(no_pk)?;
    let info = pk.pk.as_ref().ok_or_else(no_pk)?;
    w.begin_object();
    w.bool_member("isCustomPrimaryKey", info.kind == PkKind::Custom);
    w.str_member("primaryKeyFieldName", &pk.name);
    w.key("sortKeyFieldNames").begin_array();
    for k in &info.sort_key_fields {
        let Some(k) = k else {
            return Err(Fail::at(
                "Cannot read properties of undefined (reading 'name')",
                pk.pos,
            ));
        };
        w.item().str(&k.name);
    }
    w.end_array();
    w.end_object();
    Ok(())
}

/// A non-model object; whether it reads the same in both documents.
fn write_non_model(w: &mut Json, st: &State, m: &Model, target: Target) -> Result<bool, Fail> {
    w.begin_object();
    w.str_member("name", &m.name);
    w.key("fields");
    let same = write_fields(w, st, m, target)?;
    w.end_object();
    Ok(same)
}

fn write_enums(w: &mut Json, st: &State) {
    w.key("enums").begin_object();
    for e in &st.enums {
        w.key(&e.name).begin_object();
        w.str_member("name", &e.name);
        w.key("values").begin_array();
        for (_, v) in &e.values {
            w.item().str(v);
        }
        w.end_array();
        w.end_object();
    }
    w.end_object();
}

/// The `schema.js` text of a model or non-model the introspection document already
/// holds: two slices of that document (the object without `primaryKeyInfo`, and its
/// closing line).
type Shared = Option<[Range<usize>; 2]>;

/// One argument / input attribute (`generateGraphQLInputMetadata`, operation arguments).
fn argument(st: &State, p: &Field) -> Result<Js, Fail> {
    let ty = match get_type(st, &p.ty, Target::Introspection) {
        Ok(Ty::Value(v) | Ty::Skip(v)) => v,
        Err(msg) => return Err(Fail::at(msg, p.pos)),
    };
    let mut o = Obj::new();
    o.push("name", Js::str(&p.name));
    o.push("isArray", Js::Bool(p.is_list));
    o.push("type", ty.to_js());
    o.push("isRequired", Js::Bool(!p.is_nullable));
    if let Some(n) = p.is_list_nullable {
        o.push("isArrayNullable", Js::Bool(n));
    }
    Ok(Js::Obj(o))
}

fn operation(st: &State, f: &Field, ty: TypeName) -> Result<Js, Fail> {
    let mut o = Obj::new();
    o.push("name", Js::str(&f.name));
    o.push("isArray", Js::Bool(f.is_list));
    o.push("type", ty.to_js());
    o.push("isRequired", Js::Bool(!f.is_nullable));
    if let Some(n) = f.is_list_nullable {
        o.push("isArrayNullable", Js::Bool(n));
    }
    if !f.params.is_empty() {
        let mut args = Obj::new();
        for p in &f.params {
            let a = argument(st, p)?;
            args.set(&p.name, a);
        }
        o.push("arguments", Js::Obj(args));
    }
    Ok(Js::Obj(o))
}

/// Root operation fields split by a directive: (plain, with the directive).
fn operations(st: &State, fields: &[Field], special: &str) -> Result<(Obj, Obj), Fail> {
    let mut plain = Obj::new();
    let mut marked = Obj::new();
    for f in fields {
        let ty = match get_type(st, &f.ty, Target::Introspection) {
            Ok(Ty::Value(v)) => v,
            Ok(Ty::Skip(_)) => continue,
            Err(msg) => return Err(Fail::at(msg, f.pos)),
        };
        if f.directives.iter().any(|d| d.name == special) {
            if special == "conversation" {
                return Err(Fail::at(
                    "@conversation routes are not supported by this generator",
                    f.pos,
                ));
            }
            marked.set(&f.name, operation(st, f, ty)?);
        } else {
            plain.set(&f.name, operation(st, f, ty)?);
        }
    }
    Ok((plain, marked))
}

/// The introspection document's root operations and inputs, the members that follow
/// `nonModels` (those left empty are left out).
fn operation_sections(st: &State) -> Result<Obj, Fail> {
    let (queries, generations) = operations(st, &st.queries, "generation")?;
    let (mutations, _) = operations(st, &st.mutations, "conversation")?;
    let (subscriptions, _) = operations(st, &st.subscriptions, "\u{0}")?;
    let mut inputs = Obj::new();
    for i in &st.inputs {
        let mut attrs = Obj::new();
        for p in &i.fields {
            attrs.set(&p.name, argument(st, p)?);
        }
        let mut o = Obj::new();
        o.push("name", Js::str(&i.name));
        o.push("attributes", Js::Obj(attrs));
        inputs.set(&i.name, Js::Obj(o));
    }
    let mut sections = Obj::new();
    for (key, obj) in [
        ("queries", queries),
        ("generations", generations),
        ("mutations", mutations),
        ("subscriptions", subscriptions),
        ("inputs", inputs),
    ] {
        if !obj.0.is_empty() {
            sections.push(key, Js::Obj(obj));
        }
    }
    Ok(sections)
}

/// A first guess at the introspection document's size, so that the text is seldom
/// copied as it grows: models with the usual auth rules and relations take about
/// 380 bytes per field (counting the model's own members as four more).
fn capacity(st: &State) -> usize {
    let fields: usize = st
        .models
        .iter()
        .chain(&st.non_models)
        .map(|m| m.fields.len() + 4)
        .sum();
    4096 + fields * 400
}

/// `model-introspection.json`, and the `schema.js` text of each model and non-model
/// that renders the same in both documents (when `share` is set).
fn introspection(st: &State, share: bool) -> Result<(String, Vec<Shared>, Vec<Shared>), Fail> {
    let mut w = Json::with_capacity(capacity(st));
    w.begin_object();
    w.key("version").raw("1");
    w.key("models").begin_object();
    let mut models = Vec::with_capacity(st.models.len());
    for m in &st.models {
        w.key(&m.name);
        let start = w.text().len();
        let (pk_at, same) = write_model(&mut w, st, m, Target::Introspection)?;
        let end = w.text().len();
        // the closing line: a line break, the object's indentation and `}`
        let close = end - (2 + w.depth() * crate::json::INDENT);
        models.push((share && same).then_some([start..pk_at, close..end]));
    }
    w.end_object();
    write_enums(&mut w, st);
    w.key("nonModels").begin_object();
    let mut non_models = Vec::with_capacity(st.non_models.len());
    for m in &st.non_models {
        w.key(&m.name);
        let start = w.text().len();
        let same = write_non_model(&mut w, st, m, Target::Introspection)?;
        let end = w.text().len();
        non_models.push((share && same).then_some([start..end, end..end]));
    }
    w.end_object();
    let sections = operation_sections(st)?;
    crate::validate::validate_fields(st)?;
    crate::validate::validate(&sections)?;
    for (key, value) in &sections.0 {
        w.member(key, value);
    }
    w.end_object();
    Ok((w.into_string(), models, non_models))
}

/// Both documents: `model-introspection.json` from `st`, `schema.js` from `js_st`
/// (the same state unless the document merge differs for that target). Errors come in
/// the order the generator meets them: introspection first.
pub fn render(
    st: &State,
    js_st: Option<&State>,
    version: &dyn Fn(&str) -> String,
) -> Result<(String, String), Fail> {
    let (intro, shared_models, shared_non_models) = introspection(st, js_st.is_none())?;
    let js_state = js_st.unwrap_or(st);
    check_declarations(js_state)?;
    let mut w = Json::with_capacity(intro.len() + 64);
    w.raw("export const schema = ");
    w.begin_object();
    w.key("models").begin_object();
    for (i, m) in js_state.models.iter().enumerate() {
        w.key(&m.name);
        match shared_models.get(i).cloned().flatten() {
            Some([body, close]) => {
                w.raw(&intro[body]);
                w.raw(&intro[close]);
            }
            None => {
                write_model(&mut w, js_state, m, Target::Metadata)?;
            }
        }
    }
    w.end_object();
    write_enums(&mut w, js_state);
    w.key("nonModels").begin_object();
    for (i, m) in js_state.non_models.iter().enumerate() {
        w.key(&m.name);
        match shared_non_models.get(i).cloned().flatten() {
            Some([body, _]) => w.raw(&intro[body]),
            None => {
                write_non_model(&mut w, js_state, m, Target::Metadata)?;
            }
        }
    }
    w.end_object();
    w.str_member("codegenVersion", crate::CODEGEN_VERSION);
    w.str_member("version", &version(&intro));
    w.end_object();
    w.raw(";");
    Ok((intro, w.into_string()))
}

/// The `index.d.ts` declarations the `javascript` target also writes: every field's
/// type must be a scalar the schema knows, a model, an enum or a non-model.
fn check_declarations(st: &State) -> Result<(), Fail> {
    for m in st.models.iter().chain(st.non_models.iter()) {
        for f in &m.fields {
            let known = st.scalars.contains(&f.ty)
                || st.is_model(&f.ty)
                || st.enum_index.contains(&f.ty)
                || st.non_model_index.contains(&f.ty);
            if !known {
                return Err(Fail::at(
                    format!(
                        "Unknown type {} for field {}. Did you forget to add the @model directive",
                        f.ty, f.name
                    ),
                    f.pos,
                ));
            }
        }
    }
    Ok(())
}
