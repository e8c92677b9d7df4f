//! Walking manifest paths through the type graphs.
//!
//! SOAP paths are `/`-separated element names starting at a body or header part element
//! (`InsertCorrespondenceBasicV2/correspondence/Content/MessageTitle`; attributes as `@name`;
//! list items by their item element's name). JSON paths are `.`-separated property names with
//! `[]` to step into array items (`correspondence.recipients[]`).

use super::model::{PathStep, ResolvedPath};
use crate::model::{Field, MessagePart, PartContent, TypeGraph, TypeKind, TypeRef};

/// Walks a SOAP path from the parts of a message. Errors say what was expected.
pub fn walk_soap(
    types: &TypeGraph,
    parts: &[&MessagePart],
    text: &str,
) -> Result<ResolvedPath, String> {
    let mut segs = text.split('/').filter(|s| !s.is_empty());
    let first = segs.next().ok_or_else(|| "empty SOAP path".to_owned())?;
    let root = parts
        .iter()
        .find(|p| root_name(p) == first)
        .ok_or_else(|| {
            format!(
                "no part `{first}`; expected one of: {}",
                list(parts.iter().map(|p| root_name(p)))
            )
        })?;
    let (xml_name, nullable) = match &root.content {
        PartContent::Element {
            element, nullable, ..
        } => (Some(element.clone()), *nullable),
        PartContent::Type { .. } => (None, false),
    };
    let mut steps = vec![PathStep {
        name: first.to_owned(),
        xml_name,
        ty: root.content.ty().clone(),
        optional: false,
        nullable,
        many: false,
    }];
    for seg in segs {
        let here = steps
            .last()
            .map(|s| s.ty.clone())
            .unwrap_or(TypeRef::Builtin(crate::model::Builtin::AnyType));
        steps.push(soap_step(types, &here, seg)?);
    }
    // A path that names a list element (`…/CorrespondenceSendersReferences`, an ArrayOfstring)
    // means its items: a loop repeats per item and a link reads or writes each item, never the
    // list element's own (empty) text.
    if let Some(last) = steps.last()
        && let Some(item) = list_item_step(types, &last.ty)
    {
        steps.push(item);
    }
    Ok(ResolvedPath {
        text: text.to_owned(),
        steps,
    })
}

/// The step into the items of a list type that has item elements.
fn list_item_step(types: &TypeGraph, ty: &TypeRef) -> Option<PathStep> {
    let def = types.resolve(types.unalias(ty))?;
    let TypeKind::List(l) = &def.kind else {
        return None;
    };
    let item = l.item_element.as_ref()?;
    Some(PathStep {
        name: item.xml_name.local.clone(),
        xml_name: Some(item.xml_name.clone()),
        ty: l.item.clone(),
        optional: true,
        nullable: item.nullable,
        many: true,
    })
}

/// Walks a SOAP path (element names separated by `/`) below a value of type `ty`.
pub fn walk_soap_below(
    types: &TypeGraph,
    ty: &TypeRef,
    text: &str,
) -> Result<ResolvedPath, String> {
    let mut steps: Vec<PathStep> = Vec::new();
    let mut here = ty.clone();
    for seg in text.split('/').filter(|s| !s.is_empty()) {
        let step = soap_step(types, &here, seg)?;
        here = step.ty.clone();
        steps.push(step);
    }
    if steps.is_empty() {
        return Err("empty path".to_owned());
    }
    Ok(ResolvedPath {
        text: text.to_owned(),
        steps,
    })
}

fn root_name(p: &MessagePart) -> &str {
    match &p.content {
        PartContent::Element { element, .. } => &element.local,
        PartContent::Type { .. } => &p.name,
    }
}

fn soap_step(types: &TypeGraph, here: &TypeRef, seg: &str) -> Result<PathStep, String> {
    let ty = types.unalias(here);
    let def = types.resolve(ty).ok_or_else(|| {
        format!(
            "`{seg}` cannot be under a value of built-in type {}",
            label(ty)
        )
    })?;
    if let TypeKind::List(l) = &def.kind {
        return match &l.item_element {
            Some(item) if item.xml_name.local == seg => Ok(PathStep {
                name: seg.to_owned(),
                xml_name: Some(item.xml_name.clone()),
                ty: l.item.clone(),
                optional: true,
                nullable: item.nullable,
                many: true,
            }),
            Some(item) => Err(format!(
                "`{}` is a list of `{}`; expected `{}`",
                def.name.local, item.xml_name.local, item.xml_name.local
            )),
            None => Err(format!(
                "`{}` is a list of values and has no `{seg}`",
                def.name.local
            )),
        };
    }
    let fields = fields_of(types, ty);
    let (attr, name) = match seg.strip_prefix('@') {
        Some(a) => (true, a),
        None => (false, seg),
    };
    let field = fields
        .iter()
        .find(|f| f.name == name && (f.kind == crate::model::FieldKind::Attribute) == attr)
        .ok_or_else(|| unknown_field(seg, &def.name.local, &fields))?;
    Ok(field_step(field))
}

fn field_step(f: &Field) -> PathStep {
    PathStep {
        name: f.name.clone(),
        xml_name: f.xml_name.clone(),
        ty: f.ty.clone(),
        optional: f.min_occurs == 0 || f.choice.is_some(),
        nullable: f.nullable,
        many: f.max_occurs.is_many(),
    }
}

/// Walks a JSON path from a root type. An empty path is the root itself.
pub fn walk_json(types: &TypeGraph, root: &TypeRef, text: &str) -> Result<ResolvedPath, String> {
    let mut steps: Vec<PathStep> = Vec::new();
    let mut here = root.clone();
    for (name, into_items) in json_segments(text)? {
        let mut step = if name.is_empty() {
            // `[]` alone: the root is an array.
            PathStep {
                name: String::new(),
                xml_name: None,
                ty: here.clone(),
                optional: false,
                nullable: false,
                many: false,
            }
        } else {
            json_property(types, &here, &name)?
        };
        if into_items {
            let item = list_item(types, &step.ty)
                .ok_or_else(|| format!("`{name}` is not an array; remove `[]`"))?;
            step.ty = item;
            step.many = true;
        }
        here = step.ty.clone();
        steps.push(step);
    }
    if steps.is_empty() {
        // The whole document: a body sent as one value, or a response that is one value.
        steps.push(PathStep {
            name: String::new(),
            xml_name: None,
            ty: root.clone(),
            optional: false,
            nullable: false,
            many: false,
        });
    }
    Ok(ResolvedPath {
        text: text.to_owned(),
        steps,
    })
}

/// Splits `a.b[].c` into `(name, into_items)` pairs. A name with dots is quoted:
/// `["Correspondence.Content.MessageTitle"]` (multipart form fields are named like that).
pub fn json_segments(text: &str) -> Result<Vec<(String, bool)>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (name, after) = if let Some(q) = rest.strip_prefix("[\"") {
            let end = q
                .find("\"]")
                .ok_or_else(|| format!("unclosed `[\"` in `{text}`; expected `\"]`"))?;
            (q[..end].to_owned(), &q[end + 2..])
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            if let Some(bad) = rest[..end].find([']', '"']) {
                return Err(format!(
                    "unexpected `{}` in `{text}`; quote names like `[\"a.b\"]`",
                    &rest[bad..end]
                ));
            }
            (rest[..end].to_owned(), &rest[end..])
        };
        let (items, after) = match after.strip_prefix("[]") {
            Some(a) => (true, a),
            None => (false, after),
        };
        rest = match after.strip_prefix('.') {
            Some(a) if !a.is_empty() => a,
            Some(_) => return Err(format!("`{text}` ends with `.`; expected a name after it")),
            None if after.is_empty() || after.starts_with("[\"") => after,
            None => {
                return Err(format!(
                    "unexpected `{after}` in `{text}`; expected `.`, `[]` or the end"
                ));
            }
        };
        out.push((name, items));
    }
    Ok(out)
}

fn json_property(types: &TypeGraph, here: &TypeRef, name: &str) -> Result<PathStep, String> {
    let ty = types.unalias(here);
    let Some(def) = types.resolve(ty) else {
        return Err(format!(
            "`{name}` cannot be under a value of built-in type {}",
            label(ty)
        ));
    };
    if let TypeKind::List(_) = def.kind {
        return Err(format!(
            "`{}` is an array; write `[]` after it to reach `{name}`",
            def.name.local
        ));
    }
    if let (TypeKind::Struct(s), Some(entry)) = (&def.kind, map_entry(name)) {
        // A map (`additionalProperties` / `patternProperties`): one entry per source item,
        // its key from one link (`{key}`) and its value from another (`{value}`).
        let value = s
            .additional_properties
            .clone()
            .or_else(|| s.pattern_properties.values().next().cloned());
        if let Some(value) = value {
            return Ok(PathStep {
                name: name.to_owned(),
                xml_name: None,
                ty: match entry {
                    MapEntry::Key => TypeRef::Builtin(crate::model::Builtin::String),
                    MapEntry::Value => value,
                },
                optional: true,
                nullable: false,
                many: true,
            });
        }
    }
    let fields = fields_of(types, ty);
    let f = fields
        .iter()
        .find(|f| f.name == name)
        .ok_or_else(|| unknown_field(name, &def.name.local, &fields))?;
    let mut step = field_step(f);
    // A property whose own schema is nullable (e.g. `allOf: [$ref]` + `nullable`) is nullable too.
    step.nullable |= types.resolve(&f.ty).is_some_and(|d| d.nullable);
    Ok(step)
}

/// Which half of a map entry a `{key}` / `{value}` step names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MapEntry {
    Key,
    Value,
}

fn map_entry(name: &str) -> Option<MapEntry> {
    match name {
        "{key}" => Some(MapEntry::Key),
        "{value}" => Some(MapEntry::Value),
        _ => None,
    }
}

/// The item type of a list type (through aliases).
pub fn list_item(types: &TypeGraph, ty: &TypeRef) -> Option<TypeRef> {
    match &types.resolve(types.unalias(ty))?.kind {
        TypeKind::List(l) => Some(l.item.clone()),
        _ => None,
    }
}

/// The fields reachable directly under a type: a struct's (with inherited ones), or for a union
/// every member struct's (first one wins per name).
pub fn fields_of<'a>(types: &'a TypeGraph, ty: &TypeRef) -> Vec<&'a Field> {
    let ty = types.unalias(ty);
    let Some(def) = types.resolve(ty) else {
        return Vec::new();
    };
    match &def.kind {
        TypeKind::Struct(_) => types.all_fields(&def.id),
        TypeKind::Union(u) => {
            let mut out: Vec<&Field> = Vec::new();
            for m in &u.members {
                if let Some(id) = types.unalias(m).as_named() {
                    for f in types.all_fields(id) {
                        if !out.iter().any(|o| o.name == f.name) {
                            out.push(f);
                        }
                    }
                }
            }
            out
        }
        _ => Vec::new(),
    }
}

fn unknown_field(seg: &str, owner: &str, fields: &[&Field]) -> String {
    if fields.is_empty() {
        return format!("`{owner}` has no field `{seg}` (it has no fields)");
    }
    format!(
        "`{owner}` has no field `{seg}`; expected one of: {}",
        list(fields.iter().map(|f| f.name.as_str()))
    )
}

fn list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<&str> = names.collect();
    if v.len() > 12 {
        format!("{}, … ({} in all)", v[..12].join(", "), v.len())
    } else {
        v.join(", ")
    }
}

/// A short human label for a type.
pub fn label(t: &TypeRef) -> String {
    match t {
        TypeRef::Builtin(b) => format!("{b:?}").to_lowercase(),
        TypeRef::Named(id) => {
            let s = id.0.rsplit_once('}').map_or(id.0.as_str(), |(_, l)| l);
            s.strip_prefix("#/components/schemas/")
                .unwrap_or(s)
                .to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{json_segments, walk_json};
    use crate::diag::SourceMap;
    use crate::load::{Limits, load_paths};
    use crate::model::{Builtin, TypeId, TypeRef};

    #[test]
    fn json_segments_split_on_dots_and_honour_quotes_and_items() {
        let segs = json_segments("correspondence.recipients[].name").unwrap();
        assert_eq!(
            segs,
            [
                ("correspondence".into(), false),
                ("recipients".into(), true),
                ("name".into(), false)
            ]
        );
        let segs = json_segments("[\"Correspondence.Content.Attachments\"][].fileName").unwrap();
        assert_eq!(
            segs,
            [
                ("Correspondence.Content.Attachments".into(), true),
                ("fileName".into(), false)
            ]
        );
        assert_eq!(json_segments("[]").unwrap(), [(String::new(), true)]);
        assert!(json_segments("a.").unwrap_err().contains("ends with `.`"));
        assert!(json_segments("[\"a").unwrap_err().contains("unclosed"));
        assert!(
            json_segments("a]b")
                .unwrap_err()
                .contains("unexpected `]b`")
        );
    }

    #[test]
    fn map_objects_take_entries_through_key_and_value_steps() {
        let spec = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
          "components": {"schemas": {"Init": {"type": "object", "properties": {
            "name": {"type": "string"},
            "props": {"type": "object", "additionalProperties": false,
                      "patternProperties": {"^.{1,50}$": {"type": "string", "maxLength": 300}}},
            "counts": {"type": "object", "additionalProperties": {"type": "integer"}}}}}}}"#;
        let mut sources = SourceMap::new();
        sources.register_virtual("map.json", spec);
        let contract = load_paths(&mut sources, &["map.json".into()], &Limits::default())
            .expect("loads")
            .value;
        let types = &contract.rest[0].types;
        let root = TypeRef::Named(TypeId::from("#/components/schemas/Init"));
        let key = walk_json(types, &root, "props.{key}").unwrap();
        let step = key.steps.last().unwrap();
        assert_eq!(step.ty, TypeRef::Builtin(Builtin::String));
        assert!(step.many && step.optional, "one entry per source item");
        let value = walk_json(types, &root, "props.{value}").unwrap();
        assert_eq!(
            types.builtin_of(&value.steps.last().unwrap().ty),
            Some(Builtin::String),
            "the pattern's value type"
        );
        let count = walk_json(types, &root, "counts.{value}").unwrap();
        assert_eq!(
            types.builtin_of(&count.steps.last().unwrap().ty),
            Some(Builtin::Integer),
            "the additionalProperties value type"
        );
        // Only maps have entries; other objects keep their named fields.
        assert!(walk_json(types, &root, "{key}").is_err());
        assert!(walk_json(types, &root, "props.other").is_err());
    }
}
