//! The two documents: the Model Introspection Schema (introspection visitor) and the
//! DataStore schema module (JSON metadata visitor, `javascript` target).

use crate::Fail;
use crate::inflect::plural;
use crate::js::{Js, Obj};
use crate::model::{Field, METADATA_SCALARS, Model, PkKind, State};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Introspection,
    Metadata,
}

enum Ty {
    Value(Js),
    /// union or interface: such fields are skipped by the introspection visitor
    Skip(Js),
}

fn get_type(st: &State, name: &str, target: Target) -> Result<Ty, String> {
    let obj = |k: &str| {
        let mut o = Obj::new();
        o.push(k, Js::str(name));
        Js::Obj(o)
    };
    if METADATA_SCALARS.contains(&name) {
        return Ok(Ty::Value(Js::str(name)));
    }
    if st.enum_index.contains(name) {
        return Ok(Ty::Value(obj("enum")));
    }
    if st.non_model_index.contains(name) {
        return Ok(Ty::Value(obj("nonModel")));
    }
    if st.is_model(name) {
        return Ok(Ty::Value(obj("model")));
    }
    if target == Target::Metadata {
        return Err(format!("Unknown type {name}"));
    }
    if st.input_index.contains(name) {
        return Ok(Ty::Value(obj("input")));
    }
    if st.unions.contains(name) {
        return Ok(Ty::Skip(obj("union")));
    }
    if st.interfaces.contains(name) {
        return Ok(Ty::Skip(obj("interface")));
    }
    Err(format!(
        "Unknown type {name} found during model introspection schema generation"
    ))
}

fn association(f: &Field, target: Target) -> Option<Js> {
    let conn = f.conn.as_ref()?;
    let mut o = Obj::new();
    o.push("connectionType", Js::str(conn.kind.as_str()));
    let _ = target;
    match conn.kind {
        crate::model::ConnKind::HasMany => {
            o.push("associatedWith", Js::strs(&conn.associated_with));
        }
        crate::model::ConnKind::HasOne => {
            o.push("associatedWith", Js::strs(&conn.associated_with));
            match &conn.target_names {
                Some(t) => o.push("targetNames", Js::strs(t)),
                None if target == Target::Introspection => {
                    o.push("targetNames", Js::Arr(Vec::new()))
                }
                None => o.push("targetNames", Js::Undefined),
            }
        }
        crate::model::ConnKind::BelongsTo => {
            o.push(
                "targetNames",
                conn.target_names
                    .as_ref()
                    .map(|t| Js::strs(t))
                    .unwrap_or(Js::Undefined),
            );
        }
    }
    Some(Js::Obj(o))
}

fn fields_obj(st: &State, m: &Model, target: Target) -> Result<Js, Fail> {
    let mut fields = Obj::new();
    for f in &m.fields {
        let ty = match get_type(st, &f.ty, target) {
            Ok(Ty::Value(v)) => v,
            Ok(Ty::Skip(_)) => continue,
            Err(msg) => return Err(Fail::at(msg, f.pos)),
        };
        let mut o = Obj::new();
        o.push("name", Js::str(&f.name));
        o.push("isArray", Js::Bool(f.is_list));
        o.push("type", ty);
        o.push("isRequired", Js::Bool(!f.is_nullable));
        o.push("attributes", Js::Arr(Vec::new()));
        if let Some(n) = f.is_list_nullable {
            o.push("isArrayNullable", Js::Bool(n));
        }
        if let Some(r) = f.is_read_only {
            o.push("isReadOnly", Js::Bool(r));
        }
        if let Some(a) = association(f, target) {
            o.push("association", a);
        }
        fields.set(&f.name, Js::Obj(o));
    }
    Ok(Js::Obj(fields))
}

fn attributes(m: &Model) -> Js {
    Js::Arr(
        m.directives
            .iter()
            .map(|d| {
                let mut o = Obj::new();
                o.push("type", Js::str(&d.name));
                o.push("properties", Js::Obj(d.args.clone()));
                Js::Obj(o)
            })
            .collect(),
    )
}

fn model_obj(st: &State, m: &Model, target: Target) -> Result<Js, Fail> {
    let mut o = Obj::new();
    o.push("name", Js::str(&m.name));
    o.push("fields", fields_obj(st, m, target)?);
    o.push("syncable", Js::Bool(true));
    o.push("pluralName", Js::Str(plural(&m.name)));
    o.push("attributes", attributes(m));
    if target == Target::Introspection {
        o.push("primaryKeyInfo", pk_info(m)?);
    }
    Ok(Js::Obj(o))
}

fn pk_info(m: &Model) -> Result<Js, Fail> {
    let Some(pk) = m.pk_field() else {
        return Err(Fail::at(
            format!("No primary key found for model {}", m.name),
            m.pos,
        ));
    };
    let Some(info) = &pk.pk else {
        return Err(Fail::at(
            format!("No primary key found for model {}", m.name),
            m.pos,
        ));
    };
    let mut sort = Vec::new();
    for k in &info.sort_key_fields {
        match k {
            Some(k) => sort.push(Js::str(&k.name)),
            None => {
                return Err(Fail::at(
                    "Cannot read properties of undefined (reading 'name')",
                    pk.pos,
                ));
            }
        }
    }
    let mut p = Obj::new();
    p.push("isCustomPrimaryKey", Js::Bool(info.kind == PkKind::Custom));
    p.push("primaryKeyFieldName", Js::str(&pk.name));
    p.push("sortKeyFieldNames", Js::Arr(sort));
    Ok(Js::Obj(p))
}

/// Whether a model or non-model renders the same in both documents (apart from
/// `primaryKeyInfo`): every field type resolves the same way in both visitors.
fn shareable(st: &State, m: &Model) -> bool {
    m.fields.iter().all(|f| {
        (METADATA_SCALARS.contains(&f.ty.as_str())
            || st.enum_index.contains(&f.ty)
            || st.non_model_index.contains(&f.ty)
            || st.is_model(&f.ty))
            && !f.conn.as_ref().is_some_and(|c| {
                c.kind == crate::model::ConnKind::HasOne && c.target_names.is_none()
            })
    })
}

/// Model and non-model objects rendered at their depth (2) in the documents. When
/// `share` is set, the `schema.js` rendering is kept for reuse.
struct Pieces {
    intro_models: Obj,
    intro_non_models: Obj,
    shared_models: Vec<Option<String>>,
    shared_non_models: Vec<Option<String>>,
}

fn render_introspection_pieces(st: &State, share: bool) -> Result<Pieces, Fail> {
    let close = "\n        }";
    let mut p = Pieces {
        intro_models: Obj::new(),
        intro_non_models: Obj::new(),
        shared_models: Vec::with_capacity(st.models.len()),
        shared_non_models: Vec::with_capacity(st.non_models.len()),
    };
    for m in &st.models {
        if share && shareable(st, m) {
            let text = model_obj(st, m, Target::Metadata)?.stringify_at(4, 2);
            let pk = pk_info(m)?.stringify_at(4, 3);
            let cut = text.len() - close.len();
            let intro = format!(
                "{},\n            \"primaryKeyInfo\": {pk}{}",
                &text[..cut],
                &text[cut..]
            );
            p.intro_models.set(&m.name, Js::Raw(intro));
            p.shared_models.push(Some(text));
        } else {
            let v = model_obj(st, m, Target::Introspection)?;
            p.intro_models.set(&m.name, v);
            p.shared_models.push(None);
        }
    }
    for m in &st.non_models {
        if share && shareable(st, m) {
            let text = non_model_obj(st, m, Target::Metadata)?.stringify_at(4, 2);
            p.intro_non_models.set(&m.name, Js::Raw(text.clone()));
            p.shared_non_models.push(Some(text));
        } else {
            let v = non_model_obj(st, m, Target::Introspection)?;
            p.intro_non_models.set(&m.name, v);
            p.shared_non_models.push(None);
        }
    }
    Ok(p)
}

fn non_model_obj(st: &State, m: &Model, target: Target) -> Result<Js, Fail> {
    let mut o = Obj::new();
    o.push("name", Js::str(&m.name));
    o.push("fields", fields_obj(st, m, target)?);
    Ok(Js::Obj(o))
}

fn enums_obj(st: &State) -> Js {
    let mut enums = Obj::new();
    for e in &st.enums {
        let mut o = Obj::new();
        o.push("name", Js::str(&e.name));
        o.push(
            "values",
            Js::Arr(e.values.iter().map(|(_, v)| Js::str(v)).collect()),
        );
        enums.set(&e.name, Js::Obj(o));
    }
    Js::Obj(enums)
}

/// One argument / input attribute (`generateGraphQLInputMetadata`, operation arguments).
fn argument(st: &State, p: &Field) -> Result<Js, Fail> {
    let ty = match get_type(st, &p.ty, Target::Introspection) {
        Ok(Ty::Value(v)) => v,
        Ok(Ty::Skip(v)) => v,
        Err(msg) => return Err(Fail::at(msg, p.pos)),
    };
    let mut o = Obj::new();
    o.push("name", Js::str(&p.name));
    o.push("isArray", Js::Bool(p.is_list));
    o.push("type", ty);
    o.push("isRequired", Js::Bool(!p.is_nullable));
    if let Some(n) = p.is_list_nullable {
        o.push("isArrayNullable", Js::Bool(n));
    }
    Ok(Js::Obj(o))
}

fn operation(st: &State, f: &Field, ty: Js) -> Result<Js, Fail> {
    let mut o = Obj::new();
    o.push("name", Js::str(&f.name));
    o.push("isArray", Js::Bool(f.is_list));
    o.push("type", ty);
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

/// Both documents: `model-introspection.json` from `st`, `schema.js` from `js_st`
/// (the same state unless the document merge differs for that target). Errors come in
/// the order the generator meets them: introspection first.
pub fn render(
    st: &State,
    js_st: Option<&State>,
    version: &dyn Fn(&str) -> String,
) -> Result<(String, String), Fail> {
    let share = js_st.is_none();
    let mut pieces = render_introspection_pieces(st, share)?;
    let intro = introspection(st, pieces.intro_models, pieces.intro_non_models)?;
    let js_state = js_st.unwrap_or(st);
    check_declarations(js_state)?;
    let mut models = Obj::new();
    for (i, m) in js_state.models.iter().enumerate() {
        let v = match pieces.shared_models.get_mut(i).and_then(Option::take) {
            Some(text) if share => Js::Raw(text),
            _ => model_obj(js_state, m, Target::Metadata)?,
        };
        models.set(&m.name, v);
    }
    let mut non_models = Obj::new();
    for (i, m) in js_state.non_models.iter().enumerate() {
        let v = match pieces.shared_non_models.get_mut(i).and_then(Option::take) {
            Some(text) if share => Js::Raw(text),
            _ => non_model_obj(js_state, m, Target::Metadata)?,
        };
        non_models.set(&m.name, v);
    }
    let js = models_js(js_state, models, non_models, &version(&intro));
    Ok((intro, js))
}

/// `model-introspection.json`.
fn introspection(st: &State, models: Obj, non_models: Obj) -> Result<String, Fail> {
    let mut root = Obj::new();
    root.push("version", Js::Num(1.0));
    root.push("models", Js::Obj(models));
    root.push("enums", enums_obj(st));
    root.push("nonModels", Js::Obj(non_models));
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
    for (key, obj) in [
        ("queries", queries),
        ("generations", generations),
        ("mutations", mutations),
        ("subscriptions", subscriptions),
        ("inputs", inputs),
    ] {
        if !obj.0.is_empty() {
            root.push(key, Js::Obj(obj));
        }
    }
    crate::validate::validate_fields(st)?;
    let doc = Js::Obj(root);
    crate::validate::validate(&doc)?;
    Ok(doc.stringify(4))
}

/// `schema.js`: `export const schema = {...};`.
fn models_js(st: &State, models: Obj, non_models: Obj, version: &str) -> String {
    let mut root = Obj::new();
    root.push("models", Js::Obj(models));
    root.push("enums", enums_obj(st));
    root.push("nonModels", Js::Obj(non_models));
    root.push("codegenVersion", Js::str(crate::CODEGEN_VERSION));
    root.push("version", Js::str(version));
    format!("export const schema = {};", Js::Obj(root).stringify(4))
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
