//! `@manyToMany` join models and the v2 connection directives (`@hasOne`, `@hasMany`,
//! `@belongsTo`), as processConnectionDirectivesV2 resolves them with custom primary
//! keys respected on connection fields.

use crate::Fail;
use crate::inflect::{
    camel_case, connection_attribute_name, graphql_name, to_camel_case, to_upper,
};
use crate::ir::{Directive, Pos};
use crate::js::{Js, Obj, compact};
use crate::keys::{process_index, process_primary_key};
use crate::model::{
    Conn, ConnKind, Field, KeyField, Model, State, add_timestamps, ensure_primary_key, sort_fields,
};

const UNDEF_NAME: &str = "Cannot read properties of undefined (reading 'name')";
const UNDEF_TYPE: &str = "Cannot read properties of undefined (reading 'type')";
const UNDEF_FIELDS: &str = "Cannot read properties of undefined (reading 'fields')";

fn key_or_fail(k: &Option<KeyField>, msg: &str, pos: Pos) -> Result<KeyField, Fail> {
    k.clone().ok_or_else(|| Fail::at(msg, pos))
}

struct Ctx {
    model: usize,
    field: usize,
    pos: Pos,
    relation_name: Js,
}

/// processManyToManyDirectives.
pub fn process_many_to_many(st: &mut State) -> Result<(), Fail> {
    let mut groups: Vec<(String, Vec<Ctx>)> = Vec::new();
    for (mi, model) in st.models.iter().enumerate() {
        for (fi, field) in model.fields.iter().enumerate() {
            for d in field.directives.iter().filter(|d| d.name == "manyToMany") {
                let rel = d.arg("relationName").cloned().unwrap_or(Js::Undefined);
                let name = match &rel {
                    Js::Str(s) => graphql_name(&to_upper(s)),
                    Js::Undefined | Js::Null => {
                        return Err(Fail::at(
                            "Cannot read properties of undefined (reading 'charAt')",
                            d.pos,
                        ));
                    }
                    _ => return Err(Fail::at("word.charAt is not a function", d.pos)),
                };
                let ctx = Ctx {
                    model: mi,
                    field: fi,
                    pos: d.pos,
                    relation_name: rel,
                };
                match groups.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, v)) => v.push(ctx),
                    None => groups.push((name, vec![ctx])),
                }
            }
        }
    }
    for (rel_name, ctxs) in groups {
        if ctxs.len() != 2 {
            return Err(Fail::at(
                format!(
                    "Error for relation: '{}', there should be two matching manyToMany directives and found: {}",
                    ctxs[0].relation_name.to_js_string(),
                    ctxs.len()
                ),
                ctxs[0].pos,
            ));
        }
        let first = &st.models[ctxs[0].model];
        let second = &st.models[ctxs[1].model];
        let mut join = intermediate_model(first, second, &rel_name, ctxs[0].pos)?;
        let mut seen: Vec<String> = Vec::new();
        for d in first.directives.iter().chain(second.directives.iter()) {
            if d.name != "auth" {
                continue;
            }
            let text = compact(&Js::Obj(d.args.clone()));
            if !seen.contains(&text) {
                seen.push(text);
                join.directives.push(d.clone());
            }
        }
        process_primary_key(&mut join);
        process_index(&mut join);
        ensure_primary_key(&mut join)?;
        let model_directive = Directive {
            name: "model".into(),
            args: Obj::new(),
            pos: ctxs[0].pos,
        };
        add_timestamps(&mut join, &model_directive);
        sort_fields(&mut join);
        st.put_model(join);
        for ctx in &ctxs {
            let model = &st.models[ctx.model];
            let pk_name = model
                .fields
                .iter()
                .rfind(|f| f.directive("primaryKey").is_some())
                .map(|f| f.name.clone())
                .unwrap_or_else(|| "id".into());
            let mut fields = vec![Js::Str(pk_name)];
            for k in model.sort_key_fields() {
                fields.push(Js::Str(key_or_fail(&k, UNDEF_NAME, ctx.pos)?.name));
            }
            let index_name = format!("by{}", model.name);
            let field = &mut st.models[ctx.model].fields[ctx.field];
            if let Some(i) = field
                .directives
                .iter()
                .position(|d| d.name == "manyToMany" && d.pos == ctx.pos)
            {
                field.directives.remove(i);
            }
            field.ty = rel_name.clone();
            let mut args = Obj::new();
            args.push("indexName", Js::Str(index_name));
            args.push("fields", Js::Arr(fields));
            field.directives.push(Directive {
                name: "hasMany".into(),
                args,
                pos: ctx.pos,
            });
        }
    }
    Ok(())
}

fn index_directive(name: String, sort: Vec<String>, pos: Pos) -> Directive {
    let mut args = Obj::new();
    args.push("name", Js::Str(name));
    args.push("sortKeyFields", Js::strs(&sort));
    Directive {
        name: "index".into(),
        args,
        pos,
    }
}

fn belongs_to(fields: Vec<String>, pos: Pos) -> Directive {
    let mut args = Obj::new();
    args.push("fields", Js::strs(&fields));
    Directive {
        name: "belongsTo".into(),
        args,
        pos,
    }
}

/// generateIntermediateModel.
fn intermediate_model(first: &Model, second: &Model, name: &str, pos: Pos) -> Result<Model, Fail> {
    let side = |m: &Model| -> Result<(String, Vec<KeyField>), Fail> {
        let pk = m.pk_field().ok_or_else(|| Fail::at(UNDEF_NAME, pos))?;
        let key = to_camel_case(&[&m.name, &pk.name]);
        let sort = m
            .sort_key_fields()
            .iter()
            .map(|k| key_or_fail(k, UNDEF_TYPE, pos))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((key, sort))
    };
    let sort_name =
        |m: &Model, f: &KeyField| format!("{}{}", crate::inflect::to_lower(&m.name), f.name);
    let (k1, s1) = side(first)?;
    let (k2, s2) = side(second)?;
    let s1n: Vec<String> = s1.iter().map(|f| sort_name(first, f)).collect();
    let s2n: Vec<String> = s2.iter().map(|f| sort_name(second, f)).collect();
    let mut fields = vec![Field::synthetic("id", "ID", false, pos)];
    let mut key1 = Field::synthetic(&k1, "ID", true, pos);
    key1.directives.push(index_directive(
        format!("by{}", first.name),
        s1n.clone(),
        pos,
    ));
    fields.push(key1);
    for (f, n) in s1.iter().zip(&s1n) {
        let mut sf = Field::synthetic(n, &f.ty, true, pos);
        sf.is_list = f.is_list;
        fields.push(sf);
    }
    let mut key2 = Field::synthetic(&k2, "ID", true, pos);
    key2.directives.push(index_directive(
        format!("by{}", second.name),
        s2n.clone(),
        pos,
    ));
    fields.push(key2);
    for (f, n) in s2.iter().zip(&s2n) {
        let mut sf = Field::synthetic(n, &f.ty, true, pos);
        sf.is_list = f.is_list;
        fields.push(sf);
    }
    let mut b1 = Field::synthetic(&camel_case(&first.name), &first.name, false, pos);
    b1.directives
        .push(belongs_to([vec![k1], s1n].concat(), pos));
    fields.push(b1);
    let mut b2 = Field::synthetic(&camel_case(&second.name), &second.name, false, pos);
    b2.directives
        .push(belongs_to([vec![k2], s2n].concat(), pos));
    fields.push(b2);
    Ok(Model {
        name: name.to_string(),
        directives: vec![Directive {
            name: "model".into(),
            args: Obj::new(),
            pos,
        }],
        fields,
        pos,
    })
}

/// What processing one field decided, applied after the read-only analysis.
enum Effect {
    /// add these fields to the connected model (HAS_MANY)
    AddToConnected(String, Vec<Field>),
    /// add these fields to this model (HAS_ONE / BELONGS_TO)
    AddToSelf(Vec<Field>),
}

/// processConnectionDirectivesV2, after the join models exist.
pub fn process_connections(st: &mut State) -> Result<(), Fail> {
    for mi in 0..st.models.len() {
        let field_count = st.models[mi].fields.len();
        for fi in 0..field_count {
            let Some((conn, effects, gsi)) = connect(st, mi, fi)? else {
                continue;
            };
            for e in effects {
                match e {
                    Effect::AddToConnected(target, fields) => {
                        if let Some(&ti) = st.model_index.get(&target) {
                            for f in fields {
                                st.models[ti].add_field(f);
                            }
                        }
                    }
                    Effect::AddToSelf(fields) => {
                        for f in fields {
                            st.models[mi].add_field(f);
                        }
                    }
                }
            }
            if let Some((target, key)) = gsi
                && let Some(&ti) = st.model_index.get(&target)
            {
                st.models[ti].directives.push(key);
            }
            st.models[mi].fields[fi].conn = Some(conn);
        }
        let index = &st.model_index;
        st.models[mi]
            .fields
            .retain(|f| f.conn.is_some() || !index.contains_key(&f.ty));
    }
    Ok(())
}

type Connected = Option<(Conn, Vec<Effect>, Option<(String, Directive)>)>;

fn connect(st: &State, mi: usize, fi: usize) -> Result<Connected, Fail> {
    let model = &st.models[mi];
    let field = &model.fields[fi];
    let Some(dir) = field
        .directives
        .iter()
        .find(|d| matches!(d.name.as_str(), "hasOne" | "hasMany" | "belongsTo"))
    else {
        return Ok(None);
    };
    let pos = dir.pos;
    let other = st.model(&field.ty);
    let refs = dir.str_list("references").unwrap_or_default();
    match dir.name.as_str() {
        "hasMany" => {
            if !field.is_list {
                return Err(Fail::at("A field with hasMany must be a list type", pos));
            }
            let other = other.ok_or_else(|| Fail::at(UNDEF_FIELDS, pos))?;
            let assoc: Vec<Field> = if !refs.is_empty() {
                connected_for_references(field, dir, model, other)?;
                refs.iter()
                    .map(|r| {
                        other
                            .field(r)
                            .cloned()
                            .ok_or_else(|| Fail::at(UNDEF_NAME, pos))
                    })
                    .collect::<Result<_, _>>()?
            } else {
                fields_for_has_many(field, dir, model, other)?
            };
            let names: Vec<String> = assoc.iter().map(|f| f.name.clone()).collect();
            // a unidirectional hasMany gets a key on the other side
            let referencing_parent = other.fields.iter().find(|f| f.ty == model.name);
            let has_belongs_to =
                referencing_parent.is_some_and(|f| f.directive("belongsTo").is_some());
            let has_index_name = field
                .directives
                .iter()
                .any(|d| d.name == "hasMany" && d.arg("indexName").is_some_and(Js::truthy));
            let gsi = if has_belongs_to || has_index_name {
                None
            } else {
                let mut args = Obj::new();
                args.push(
                    "name",
                    Js::Str(format!("gsi-{}.{}", model.name, field.name)),
                );
                args.push("fields", Js::strs(&names));
                Some((
                    other.name.clone(),
                    Directive {
                        name: "key".into(),
                        args,
                        pos,
                    },
                ))
            };
            let conn = Conn {
                kind: ConnKind::HasMany,
                associated_with: names,
                target_names: None,
            };
            Ok(Some((
                conn,
                vec![Effect::AddToConnected(other.name.clone(), assoc)],
                gsi,
            )))
        }
        "hasOne" => {
            let other = other.ok_or_else(|| Fail::at(UNDEF_FIELDS, pos))?;
            let other_belongs_to = other
                .fields
                .iter()
                .filter(|f| f.ty == model.name)
                .find(|f| f.directive("belongsTo").is_some());
            if field.is_list || other_belongs_to.is_some_and(|f| f.is_list) {
                return Err(Fail::at(
                    "A hasOne relationship should be 1:1, no lists",
                    pos,
                ));
            }
            if !refs.is_empty() {
                connected_for_references(field, dir, model, other)?;
                let assoc = refs
                    .iter()
                    .map(|r| {
                        other
                            .field(r)
                            .map(|f| f.name.clone())
                            .ok_or_else(|| Fail::at(UNDEF_NAME, pos))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let conn = Conn {
                    kind: ConnKind::HasOne,
                    associated_with: assoc,
                    target_names: None,
                };
                return Ok(Some((conn, Vec::new(), None)));
            }
            let comps = other.pk_components();
            let assoc = comps
                .iter()
                .map(|k| key_or_fail(k, UNDEF_NAME, pos).map(|k| k.name))
                .collect::<Result<Vec<_>, _>>()?;
            let fields = dir.str_list("fields").unwrap_or_default();
            let targets: Vec<String> = if !fields.is_empty() {
                fields
            } else {
                comps
                    .iter()
                    .map(|k| {
                        key_or_fail(k, UNDEF_NAME, pos)
                            .map(|k| connection_attribute_name(&model.name, &field.name, &k.name))
                    })
                    .collect::<Result<_, _>>()?
            };
            let added = target_fields(&targets, &comps, field.is_nullable, pos)?;
            let conn = Conn {
                kind: ConnKind::HasOne,
                associated_with: assoc,
                target_names: Some(targets),
            };
            Ok(Some((conn, vec![Effect::AddToSelf(added)], None)))
        }
        _ => {
            if field.is_list {
                return Err(Fail::at(
                    "A list field does not support the 'belongsTo' relation",
                    pos,
                ));
            }
            let other = other.ok_or_else(|| Fail::at(UNDEF_FIELDS, pos))?;
            let connected = belongs_to_connected_fields(model, other);
            let Some(other_field) = connected.first() else {
                return Err(Fail::at(
                    "A 'belongsTo' field should match to a corresponding 'hasMany' or 'hasOne' field",
                    pos,
                ));
            };
            if !refs.is_empty() {
                connected_for_references(field, dir, model, other)?;
            }
            let mut targets = dir.str_list("fields").unwrap_or_default();
            targets.extend(refs.iter().cloned());
            let comps = other.pk_components();
            if targets.is_empty() {
                for k in &comps {
                    let k = key_or_fail(k, UNDEF_NAME, pos)?;
                    targets.push(if other_field.is_list {
                        connection_attribute_name(&other.name, &other_field.name, &k.name)
                    } else {
                        connection_attribute_name(&model.name, &field.name, &k.name)
                    });
                }
            }
            let added = if comps.is_empty() {
                Vec::new()
            } else {
                target_fields(&targets, &comps, field.is_nullable, pos)?
            };
            let conn = Conn {
                kind: ConnKind::BelongsTo,
                associated_with: Vec::new(),
                target_names: Some(targets),
            };
            Ok(Some((conn, vec![Effect::AddToSelf(added)], None)))
        }
    }
}

/// The foreign key fields a hasOne / belongsTo adds to its own model.
fn target_fields(
    targets: &[String],
    comps: &[Option<KeyField>],
    is_nullable: bool,
    pos: Pos,
) -> Result<Vec<Field>, Fail> {
    if comps.is_empty() {
        return Ok(Vec::new());
    }
    targets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let k = comps.get(i).cloned().flatten();
            let k = key_or_fail(&k, UNDEF_TYPE, pos)?;
            Ok(Field::synthetic(t, &k.ty, is_nullable, pos))
        })
        .collect()
}

/// getBelongsToConnectedFields.
fn belongs_to_connected_fields<'a>(model: &Model, other: &'a Model) -> Vec<&'a Field> {
    other
        .field_directives()
        .filter_map(|(d, f)| {
            let cf = other.field(&f.name)?;
            let ok = ((d.name == "hasOne" && !cf.is_list) || (d.name == "hasMany" && cf.is_list))
                && model.name == cf.ty;
            ok.then_some(cf)
        })
        .collect()
}

/// getConnectedFieldsForHasMany.
fn fields_for_has_many(
    field: &Field,
    dir: &Directive,
    model: &Model,
    other: &Model,
) -> Result<Vec<Field>, Fail> {
    let pos = dir.pos;
    if dir.arg("fields").is_some_and(Js::truthy) {
        let index_name = dir.arg("indexName").filter(|v| v.truthy());
        let found = match index_name {
            Some(name) => {
                let found = other
                    .field_directives()
                    .find(|(d, _)| d.name == "index" && d.arg("name") == Some(name));
                if found.is_none() {
                    return Err(Fail::at(
                        format!(
                            "Error processing @hasMany directive on {}.{}, @index directive with name {} was not found in connected model {}",
                            model.name,
                            field.name,
                            name.to_js_string(),
                            other.name
                        ),
                        pos,
                    ));
                }
                found
            }
            None => other
                .field_directives()
                .find(|(d, _)| d.name == "primaryKey"),
        };
        let connected_name = match found {
            Some((_, f)) => f.name.clone(),
            None => other
                .fields
                .iter()
                .filter(|f| f.ty == model.name)
                .find(|f| f.directive("belongsTo").is_some())
                .map(|f| f.name.clone())
                .unwrap_or_else(|| "id".into()),
        };
        let by_belongs_to = other
            .fields
            .iter()
            .filter(|f| f.ty == model.name)
            .find(|f| {
                f.directives.iter().any(|d| {
                    d.name == "belongsTo"
                        && d.str_list("fields")
                            .is_some_and(|fs| fs.first() == Some(&connected_name))
                })
            });
        if let Some(f) = by_belongs_to {
            return Ok(vec![f.clone()]);
        }
        return match other.field(&connected_name) {
            Some(f) => Ok(vec![f.clone()]),
            None => Err(Fail::at(
                format!(
                    "Can not find key field {} in {}",
                    connected_name, other.name
                ),
                pos,
            )),
        };
    }
    model
        .pk_components()
        .iter()
        .map(|k| {
            let k = key_or_fail(k, UNDEF_NAME, pos)?;
            let name = connection_attribute_name(&model.name, &field.name, &k.name);
            Ok(match other.field(&name) {
                Some(f) => f.clone(),
                None => Field::synthetic(&name, &k.ty, true, pos),
            })
        })
        .collect()
}

/// getConnectedFieldForReferences (only its checks matter here).
fn connected_for_references(
    field: &Field,
    dir: &Directive,
    model: &Model,
    other: &Model,
) -> Result<(), Fail> {
    let pos = dir.pos;
    let refs = dir.arg("references").cloned().unwrap_or(Js::Undefined);
    if dir.arg("fields").is_some_and(Js::truthy) {
        return Err(Fail::at(
            "'fields' and 'references' cannot be used together.",
            pos,
        ));
    }
    let refs_text = compact(&refs);
    let same = |d: &Directive| {
        d.arg("references")
            .is_some_and(|r| r.truthy() && compact(r) == refs_text)
    };
    if dir.name == "belongsTo" {
        let found = belongs_to_connected_fields(model, other)
            .into_iter()
            .any(|f| {
                f.directives
                    .iter()
                    .any(|d| (d.name == "hasOne" || d.name == "hasMany") && same(d))
            });
        if !found {
            return Err(Fail::at(
                format!(
                    "Error processing @belongsTo directive on {}.{}. @hasOne or @hasMany directive with references {} was not found in connected model {}",
                    model.name, field.name, refs_text, other.name
                ),
                pos,
            ));
        }
        return Ok(());
    }
    if !other.field_directives().any(|(d, _)| same(d)) {
        return Err(Fail::at(
            format!(
                "Error processing @{} directive on {}.{}. @belongsTo directive with references {} was not found in connected model {}",
                dir.name, model.name, field.name, refs_text, other.name
            ),
            pos,
        ));
    }
    Ok(())
}
