//! JSON Schemas (normalised to the 3.0 forms) into the [`TypeGraph`].
//!
//! Component schemas become named types with id `#/components/schemas/Name`. Inline schemas
//! that need a type of their own (objects, arrays, enums, restricted scalars, unions) become
//! anonymous types whose id is their JSON pointer and whose name is derived from where they sit
//! (`Parent` + `Property`, `...Item`, `...Variant1`), made unique in the document. Plain scalars
//! stay built-ins. A `$ref` to a component is a reference by id, never a copy, so recursive
//! schemas need no special handling here ([`TypeGraph::recursive_types`] finds them).

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;
use serde_json::{Map, Value};

use super::locate::{Locator, child, lookup, ref_to_pointer};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{
    Builtin, Compositor, Derivation, EnumType, EnumValue, Facets, Field, FieldKind, ListType,
    MaxOccurs, QName, ScalarType, StructType, TypeDef, TypeGraph, TypeId, TypeKind, TypeRef,
    UnionMode, UnionType,
};

/// A schema's type and whether it admits `null` where it is used.
#[derive(Debug, Clone)]
pub(super) struct Shape {
    /// The type.
    pub ty: TypeRef,
    /// `nullable` on the schema, beside its `$ref`, or on the referenced component.
    pub nullable: bool,
}

impl Shape {
    fn any() -> Self {
        Shape {
            ty: TypeRef::Builtin(Builtin::AnyType),
            nullable: false,
        }
    }
}

/// Where an anonymous type sits, for its derived name: the parent's name (already a type
/// name) and the part (property name, `Item`, ...), camel-cased only when a type is made.
#[derive(Debug, Clone, Copy)]
pub(super) struct Hint<'h>(pub &'h str, pub &'h str);

/// Keywords the converter reads or deliberately treats as annotation.
const KNOWN: &[&str] = &[
    "$ref",
    "type",
    "format",
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "items",
    "enum",
    "allOf",
    "oneOf",
    "anyOf",
    "nullable",
    "description",
    "title",
    "default",
    "example",
    "examples",
    "readOnly",
    "writeOnly",
    "deprecated",
    "discriminator",
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "externalDocs",
    "xml",
    "$comment",
    "$schema",
    "$id",
    "$defs",
    "definitions",
    "contentMediaType",
    "contentEncoding",
];

/// Formats a built-in already expresses (others are kept as a facet).
const BUILTIN_FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "duration",
    "uuid",
    "uri",
    "uri-reference",
    "url",
    "binary",
    "byte",
    "int32",
    "int64",
    "int16",
    "int8",
    "uint32",
    "uint64",
    "double",
    "float",
    "decimal",
];

/// Guards chains of references between inline schemas (`A: {$ref: B}`, `B: {$ref: A}`).
const MAX_NESTING: usize = 200;

/// Converts schemas of one document, collecting types and diagnostics.
pub(super) struct Schemas<'a> {
    root: &'a Value,
    loc: &'a Locator,
    /// The types made so far.
    pub graph: TypeGraph,
    /// Problems found (errors fail the load).
    pub diags: Diagnostics,
    names: BTreeSet<String>,
    busy: BTreeSet<String>,
}

impl<'a> Schemas<'a> {
    /// A converter over the normalised document `root`; component names are reserved first so
    /// derived names never take them.
    pub(super) fn new(root: &'a Value, loc: &'a Locator) -> Self {
        let names = component_schemas(root)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        Schemas {
            root,
            loc,
            graph: TypeGraph::default(),
            diags: Diagnostics::default(),
            names,
            busy: BTreeSet::new(),
        }
    }

    /// Converts every component schema.
    pub(super) fn components(&mut self) {
        let Some(map) = component_schemas(self.root) else {
            if let Some(v) = lookup(self.root, "/components/schemas") {
                self.wrong_type("/components/schemas", v, "an object of named schemas");
            }
            return;
        };
        for (name, v) in map {
            let ptr = child("/components/schemas", name);
            self.define(&ptr, v, name.clone(), false, 0);
        }
    }

    /// Refuses component schemas that are only references to each other (`A: {$ref: B}`,
    /// `B: {$ref: A}`): they never reach a type, so code and links built on them would mean
    /// nothing. One error per cycle, with the reference of every member.
    pub(super) fn refuse_reference_cycles(&mut self) {
        let mut reported: BTreeSet<String> = BTreeSet::new();
        let ids: Vec<TypeId> = self.graph.types.keys().cloned().collect();
        for start in ids {
            let mut path: Vec<TypeId> = Vec::new();
            let mut at = start.clone();
            while let Some(TypeKind::Alias {
                target: TypeRef::Named(next),
            }) = self.graph.get(&at).map(|d| &d.kind)
            {
                if let Some(i) = path.iter().position(|p| p == &at) {
                    let cycle = &path[i..];
                    if cycle.iter().all(|c| reported.insert(c.0.clone())) {
                        self.report_cycle(cycle);
                    }
                    break;
                }
                path.push(at.clone());
                at = next.clone();
            }
        }
    }

    fn report_cycle(&mut self, cycle: &[TypeId]) {
        let names: Vec<String> = cycle
            .iter()
            .map(|id| id.0.rsplit('/').next().unwrap_or(&id.0).to_owned())
            .collect();
        let ref_of = |id: &TypeId| {
            let ptr = id.0.trim_start_matches('#');
            let direct = child(ptr, "$ref");
            if lookup(self.root, &direct).is_some() {
                direct
            } else {
                format!("{ptr}/allOf/0/$ref")
            }
        };
        let mut d = Diagnostic::error(format!(
            "the schemas {} are only references to each other: no type is ever reached",
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        for (i, id) in cycle.iter().enumerate() {
            let span = self.loc.value_span(&ref_of(id));
            let label = format!(
                "`{}` refers to `{}`",
                names[i],
                names[(i + 1) % names.len()]
            );
            d = if i == 0 {
                d.at(span, label)
            } else {
                d.also(span, label)
            };
        }
        self.diags
            .push(d.note("expected a chain of references to end in a schema with a type"));
    }

    /// The type of the schema at pointer `ptr` (inline or a `$ref`); an anonymous type made for
    /// it is named after `hint`.
    pub(super) fn type_at(&mut self, ptr: &str, hint: Hint<'_>) -> Shape {
        match lookup(self.root, ptr) {
            Some(v) => self.type_of(ptr, v, hint, 0),
            None => Shape::any(),
        }
    }

    fn type_of(&mut self, ptr: &str, v: &'a Value, hint: Hint<'_>, depth: usize) -> Shape {
        let obj = match v {
            Value::Object(obj) => obj,
            Value::Bool(true) => return Shape::any(),
            Value::Bool(false) => {
                self.warn(
                    ptr,
                    "schema `false` (no value allowed) is not modelled; any value is assumed",
                );
                return Shape::any();
            }
            other => {
                self.wrong_type(ptr, other, "a schema object");
                return Shape::any();
            }
        };
        let keys = Keys::of(obj);
        let nullable = keys.nullable;
        if let Some(r) = keys.reference {
            return self.reference(&child(ptr, "$ref"), r, nullable, depth);
        }
        if let Some(r) = keys.all_of.then(|| single_ref_allof(obj)).flatten() {
            return self.reference(&format!("{ptr}/allOf/0/$ref"), r, nullable, depth);
        }
        if keys.ty.is_some_and(|t| t == "null") {
            return Shape {
                ty: TypeRef::Builtin(Builtin::AnyType),
                nullable: true,
            };
        }
        if let Some(b) = keys.plain_builtin() {
            return Shape {
                ty: TypeRef::Builtin(b),
                nullable,
            };
        }
        if keys.free_form() {
            if keys.unknown {
                self.unknown_keywords(ptr, obj);
            }
            return Shape {
                ty: TypeRef::Builtin(Builtin::AnyType),
                nullable,
            };
        }
        let name = self.unique_name(hint);
        let ty = self.define(ptr, v, name, true, depth + 1);
        Shape { ty, nullable }
    }

    /// A `$ref` (at pointer `at`): a component by id, anything else local converted at its
    /// own pointer.
    fn reference(&mut self, at: &str, r: &Value, nullable: bool, depth: usize) -> Shape {
        match r.as_str() {
            Some(r) => self.reference_str(at, r, nullable, depth),
            None => {
                self.wrong_type(
                    at,
                    r,
                    "a reference string such as `#/components/schemas/Name`",
                );
                Shape::any()
            }
        }
    }

    fn reference_str(&mut self, at: &str, r: &str, nullable: bool, depth: usize) -> Shape {
        let Some(target) = ref_to_pointer(r) else {
            self.diags.push(
                Diagnostic::error(format!("external reference `{r}` is not supported"))
                    .at(self.loc.value_span(at), "refers outside this document")
                    .note("expected a local reference such as `#/components/schemas/Name`; bundle the document first"),
            );
            return Shape::any();
        };
        let Some(value) = lookup(self.root, &target) else {
            self.diags.push(
                Diagnostic::error(format!("dangling $ref `{r}`: nothing is defined there"))
                    .at(self.loc.value_span(at), "no such schema")
                    .note("expected a reference to a schema of this document, e.g. `#/components/schemas/Name`"),
            );
            return Shape::any();
        };
        let target_nullable = value.get("nullable").is_some_and(|n| n == true);
        if is_component(&target) {
            let ty = TypeRef::Named(TypeId(format!("#{target}")));
            return Shape {
                ty,
                nullable: nullable || target_nullable,
            };
        }
        if depth > MAX_NESTING {
            self.diags.push(
                Diagnostic::error(format!("reference `{r}` leads into a cycle of references"))
                    .at(self.loc.value_span(at), "here")
                    .note("expected references to end in a schema"),
            );
            return Shape::any();
        }
        let hint = super::locate::tokens(&target)
            .last()
            .cloned()
            .unwrap_or_default();
        let shape = self.type_of(&target, value, Hint("", &hint), depth + 1);
        Shape {
            ty: shape.ty,
            nullable: nullable || shape.nullable,
        }
    }

    /// Makes the type at `ptr` (once) and returns a reference to it.
    fn define(
        &mut self,
        ptr: &str,
        v: &'a Value,
        name: String,
        anonymous: bool,
        depth: usize,
    ) -> TypeRef {
        let id = TypeId(format!("#{ptr}"));
        if self.graph.get(&id).is_some() || !self.busy.insert(id.0.clone()) {
            return TypeRef::Named(id);
        }
        let Value::Object(obj) = v else {
            if !v.is_boolean() {
                self.wrong_type(ptr, v, "a schema object");
            }
            let target = TypeRef::Builtin(Builtin::AnyType);
            self.busy.remove(&id.0);
            self.graph.insert(TypeDef::new(
                id.clone(),
                QName::local(name),
                TypeKind::Alias { target },
            ));
            return TypeRef::Named(id);
        };
        let kind = self.kind(ptr, obj, &name, depth);
        let mut def = TypeDef::new(id.clone(), QName::local(name), kind);
        def.anonymous = anonymous;
        def.nullable = flag(obj, "nullable");
        def.deprecated = flag(obj, "deprecated");
        def.doc = text(obj, "description").or_else(|| text(obj, "title"));
        def.extensions = kept(obj);
        def.span = Some(self.loc.span(ptr));
        if Keys::of(obj).unknown {
            self.unknown_keywords(ptr, obj);
        }
        self.busy.remove(&id.0);
        self.graph.insert(def);
        TypeRef::Named(id)
    }

    fn kind(
        &mut self,
        ptr: &str,
        obj: &'a Map<String, Value>,
        name: &str,
        depth: usize,
    ) -> TypeKind {
        if let Some(r) = obj.get("$ref") {
            let target = self.reference(&child(ptr, "$ref"), r, false, depth).ty;
            return TypeKind::Alias { target };
        }
        if let Some(r) = single_ref_allof(obj) {
            if !has_structure(obj) {
                let target = self
                    .reference(&format!("{ptr}/allOf/0/$ref"), r, false, depth)
                    .ty;
                return TypeKind::Alias { target };
            }
        }
        if obj.contains_key("allOf") {
            return TypeKind::Struct(self.all_of(ptr, obj, name, depth));
        }
        for (key, mode) in [("oneOf", UnionMode::OneOf), ("anyOf", UnionMode::AnyOf)] {
            if let Some(members) = obj.get(key) {
                return self.union(ptr, obj, key, members, mode, name, depth);
            }
        }
        if let Some(values) = obj.get("enum") {
            return self.enumeration(ptr, obj, values);
        }
        match obj.get("type") {
            Some(Value::String(t)) => match t.as_str() {
                "array" => TypeKind::List(self.list(ptr, obj, name, depth)),
                "object" => TypeKind::Struct(self.object(ptr, obj, name, depth)),
                "string" | "integer" | "number" | "boolean" => self.scalar(ptr, obj, t),
                other => {
                    self.diags.push(
                        Diagnostic::error(format!("unknown schema type `{other}`"))
                            .at(self.loc.value_span(&child(ptr, "type")), "not a JSON Schema type")
                            .note("expected one of string, integer, number, boolean, array, object, null"),
                    );
                    TypeKind::Alias {
                        target: TypeRef::Builtin(Builtin::AnyType),
                    }
                }
            },
            Some(other) => {
                self.wrong_type(
                    &child(ptr, "type"),
                    other,
                    "a type name such as `string` or `object`",
                );
                TypeKind::Alias {
                    target: TypeRef::Builtin(Builtin::AnyType),
                }
            }
            None if has_structure(obj) => TypeKind::Struct(self.object(ptr, obj, name, depth)),
            None if obj.contains_key("items") => TypeKind::List(self.list(ptr, obj, name, depth)),
            None => TypeKind::Alias {
                target: TypeRef::Builtin(Builtin::AnyType),
            },
        }
    }

    fn object(
        &mut self,
        ptr: &str,
        obj: &'a Map<String, Value>,
        name: &str,
        depth: usize,
    ) -> StructType {
        let mut s = StructType {
            compositor: Compositor::Sequence,
            ..StructType::default()
        };
        self.fields_into(&mut s, ptr, obj, name, depth);
        s.additional_properties = match obj.get("additionalProperties") {
            None | Some(Value::Bool(false)) => None,
            Some(Value::Bool(true)) => Some(TypeRef::Builtin(Builtin::AnyType)),
            Some(v) => Some(
                self.type_of(
                    &child(ptr, "additionalProperties"),
                    v,
                    Hint(name, "Value"),
                    depth,
                )
                .ty,
            ),
        };
        if let Some(pp) = obj.get("patternProperties") {
            let pptr = child(ptr, "patternProperties");
            match pp.as_object() {
                Some(map) => {
                    for (i, (pattern, v)) in map.iter().enumerate() {
                        let ty = self
                            .type_of(
                                &child(&pptr, pattern),
                                v,
                                Hint(name, &format!("Pattern{}", i + 1)),
                                depth,
                            )
                            .ty;
                        s.pattern_properties.insert(pattern.clone(), ty);
                    }
                }
                None => self.wrong_type(&pptr, pp, "an object of patterns to schemas"),
            }
        }
        s
    }

    /// Adds the `properties` of `obj` (at `ptr`) to `s`, in declaration order.
    fn fields_into(
        &mut self,
        s: &mut StructType,
        ptr: &str,
        obj: &'a Map<String, Value>,
        name: &str,
        depth: usize,
    ) {
        let required = self.required(ptr, obj);
        let Some(props) = obj.get("properties") else {
            return;
        };
        let pptr = child(ptr, "properties");
        let Some(props) = props.as_object() else {
            self.wrong_type(&pptr, props, "an object of property names to schemas");
            return;
        };
        for (pname, pv) in props {
            let fptr = child(&pptr, pname);
            let shape = self.type_of(&fptr, pv, Hint(name, pname), depth);
            let mut f = Field::new(pname.clone(), FieldKind::Property, shape.ty);
            f.min_occurs = u32::from(required.contains(pname.as_str()));
            f.nullable = shape.nullable;
            if let Some(p) = pv.as_object() {
                f.default = p.get("default").map(value_text);
                f.read_only = flag(p, "readOnly");
                f.write_only = flag(p, "writeOnly");
                f.deprecated = flag(p, "deprecated");
                f.doc = text(p, "description");
            }
            f.span = Some(self.loc.span(&fptr));
            s.fields.push(f);
        }
    }

    fn required(&mut self, ptr: &str, obj: &Map<String, Value>) -> BTreeSet<String> {
        match obj.get("required") {
            None => BTreeSet::new(),
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            Some(other) => {
                self.wrong_type(&child(ptr, "required"), other, "an array of property names");
                BTreeSet::new()
            }
        }
    }

    fn all_of(
        &mut self,
        ptr: &str,
        obj: &'a Map<String, Value>,
        name: &str,
        depth: usize,
    ) -> StructType {
        let mut s = StructType {
            derivation: Some(Derivation::AllOf),
            ..StructType::default()
        };
        let aptr = child(ptr, "allOf");
        let Some(members) = obj.get("allOf").and_then(Value::as_array) else {
            if let Some(v) = obj.get("allOf") {
                self.wrong_type(&aptr, v, "an array of schemas");
            }
            return s;
        };
        for (i, m) in members.iter().enumerate() {
            let mptr = child(&aptr, &i.to_string());
            match m.as_object() {
                // An inline object part contributes its properties directly.
                Some(mo) if !mo.contains_key("$ref") && has_structure(mo) && !is_composed(mo) => {
                    self.fields_into(&mut s, &mptr, mo, name, depth);
                    self.unknown_keywords(&mptr, mo);
                }
                _ => {
                    let shape =
                        self.type_of(&mptr, m, Hint(name, &format!("Part{}", i + 1)), depth);
                    s.bases.push(shape.ty);
                }
            }
        }
        let own = self.object(ptr, obj, name, depth);
        s.fields.extend(own.fields);
        s.additional_properties = own.additional_properties;
        s.pattern_properties = own.pattern_properties;
        s
    }

    #[allow(clippy::too_many_arguments)]
    fn union(
        &mut self,
        ptr: &str,
        obj: &'a Map<String, Value>,
        key: &str,
        members: &'a Value,
        mode: UnionMode,
        name: &str,
        depth: usize,
    ) -> TypeKind {
        let uptr = child(ptr, key);
        let mut u = UnionType {
            members: Vec::new(),
            mode,
            discriminator: None,
            mapping: BTreeMap::new(),
        };
        match members.as_array() {
            Some(items) => {
                for (i, m) in items.iter().enumerate() {
                    let shape = self.type_of(
                        &child(&uptr, &i.to_string()),
                        m,
                        Hint(name, &format!("Variant{}", i + 1)),
                        depth,
                    );
                    u.members.push(shape.ty);
                }
            }
            None => self.wrong_type(&uptr, members, "an array of schemas"),
        }
        if let Some(d) = obj.get("discriminator") {
            self.discriminator(&child(ptr, "discriminator"), d, &mut u, depth);
        }
        if has_structure(obj) {
            self.warn(
                ptr,
                &format!("properties beside `{key}` are not modelled; the union's members are"),
            );
        }
        TypeKind::Union(u)
    }

    fn discriminator(&mut self, dptr: &str, d: &'a Value, u: &mut UnionType, depth: usize) {
        let Some(d) = d.as_object() else {
            self.wrong_type(dptr, d, "an object with `propertyName`");
            return;
        };
        match d.get("propertyName") {
            Some(Value::String(p)) => u.discriminator = Some(p.clone()),
            Some(other) => self.wrong_type(&child(dptr, "propertyName"), other, "a property name"),
            None => {}
        }
        let Some(mapping) = d.get("mapping") else {
            return;
        };
        let mptr = child(dptr, "mapping");
        let Some(mapping) = mapping.as_object() else {
            self.wrong_type(&mptr, mapping, "an object of values to schema references");
            return;
        };
        for (value, target) in mapping {
            let at = child(&mptr, value);
            let ty = match target.as_str() {
                // A bare name means a component schema.
                Some(s) if !s.starts_with('#') && !s.contains('/') => {
                    self.reference_str(&at, &format!("#/components/schemas/{s}"), false, depth)
                        .ty
                }
                _ => self.reference(&at, target, false, depth).ty,
            };
            u.mapping.insert(value.clone(), ty);
        }
    }

    fn enumeration(&mut self, ptr: &str, obj: &Map<String, Value>, values: &Value) -> TypeKind {
        let eptr = child(ptr, "enum");
        let Some(items) = values.as_array() else {
            self.wrong_type(&eptr, values, "an array of values");
            return TypeKind::Alias {
                target: TypeRef::Builtin(Builtin::AnyType),
            };
        };
        let base = match obj.get("type").and_then(Value::as_str) {
            Some(t) => Builtin::from_json(t, obj.get("format").and_then(Value::as_str))
                .unwrap_or(Builtin::String),
            None if items
                .iter()
                .all(|v| v.is_i64() || v.is_u64() || v.is_null())
                && !items.is_empty() =>
            {
                Builtin::Integer
            }
            None => Builtin::String,
        };
        let mut out = Vec::new();
        for (i, v) in items.iter().enumerate() {
            let numeric = v.as_i64();
            let value = match v {
                Value::Null => continue, // `null` among the values means nullable (read by callers)
                Value::String(s) => s.clone(),
                Value::Number(_) | Value::Bool(_) => v.to_string(),
                other => {
                    self.warn(
                        &child(&eptr, &i.to_string()),
                        "an object or array as an enum value is kept as JSON text",
                    );
                    other.to_string()
                }
            };
            out.push(EnumValue {
                value,
                numeric,
                doc: None,
            });
        }
        TypeKind::Enum(EnumType {
            base: TypeRef::Builtin(base),
            values: out,
            flags: false,
        })
    }

    fn list(
        &mut self,
        ptr: &str,
        obj: &'a Map<String, Value>,
        name: &str,
        depth: usize,
    ) -> ListType {
        let item = match obj.get("items") {
            Some(v) => {
                self.type_of(&child(ptr, "items"), v, Hint(name, "Item"), depth)
                    .ty
            }
            None => TypeRef::Builtin(Builtin::AnyType),
        };
        let min_items = self.count(ptr, obj, "minItems").unwrap_or(0);
        let max_items = self
            .count(ptr, obj, "maxItems")
            .map_or(MaxOccurs::Unbounded, MaxOccurs::Bounded);
        ListType {
            item,
            item_element: None,
            min_items,
            max_items,
            unique: flag(obj, "uniqueItems"),
        }
    }

    fn scalar(&mut self, ptr: &str, obj: &Map<String, Value>, ty: &str) -> TypeKind {
        let format = obj.get("format").and_then(Value::as_str);
        let base = Builtin::from_json(ty, format).unwrap_or(Builtin::AnyType);
        let facets = self.facets(ptr, obj);
        if facets.is_empty() {
            TypeKind::Alias {
                target: TypeRef::Builtin(base),
            }
        } else {
            TypeKind::Scalar(ScalarType {
                base: TypeRef::Builtin(base),
                facets,
            })
        }
    }

    fn facets(&mut self, ptr: &str, obj: &Map<String, Value>) -> Facets {
        let number = |k: &str| obj.get(k).filter(|v| v.is_number()).map(Value::to_string);
        let exclusive = |k: &str| flag(obj, k);
        let (min, max) = (number("minimum"), number("maximum"));
        Facets {
            min_length: self.count(ptr, obj, "minLength").map(u64::from),
            max_length: self.count(ptr, obj, "maxLength").map(u64::from),
            patterns: text(obj, "pattern").into_iter().collect(),
            min_inclusive: min.clone().filter(|_| !exclusive("exclusiveMinimum")),
            min_exclusive: min.filter(|_| exclusive("exclusiveMinimum")),
            max_inclusive: max.clone().filter(|_| !exclusive("exclusiveMaximum")),
            max_exclusive: max.filter(|_| exclusive("exclusiveMaximum")),
            multiple_of: number("multipleOf"),
            format: obj
                .get("format")
                .and_then(Value::as_str)
                .filter(|f| !BUILTIN_FORMATS.contains(f))
                .map(str::to_owned),
            ..Facets::default()
        }
    }

    /// A non-negative integer keyword (`minLength`, `maxItems`, ...).
    fn count(&mut self, ptr: &str, obj: &Map<String, Value>, key: &str) -> Option<u32> {
        let v = obj.get(key)?;
        match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(n) => Some(n),
            None => {
                self.wrong_type(&child(ptr, key), v, "a non-negative integer");
                None
            }
        }
    }

    fn unknown_keywords(&mut self, ptr: &str, obj: &Map<String, Value>) {
        for key in obj.keys() {
            if !key.starts_with("x-") && !KNOWN.contains(&key.as_str()) {
                let d = Diagnostic::warning(format!(
                    "schema keyword `{key}` is not modelled; it is ignored"
                ))
                .at(self.loc.span(&child(ptr, key)), "ignored")
                .note("the generated types will not check or express it");
                self.diags.push(d);
            }
        }
    }

    fn unique_name(&mut self, hint: Hint<'_>) -> String {
        let mut base = format!("{}{}", hint.0, hint.1.to_upper_camel_case());
        if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
            base = format!("Type{base}");
        }
        let mut name = base.clone();
        let mut n = 1;
        while self.names.contains(&name) {
            n += 1;
            name = format!("{base}{n}");
        }
        self.names.insert(name.clone());
        name
    }

    fn warn(&mut self, ptr: &str, msg: &str) {
        self.diags
            .push(Diagnostic::warning(msg.to_owned()).at(self.loc.span(ptr), "here"));
    }

    /// Reports a value of the wrong JSON type at `ptr`.
    pub(super) fn wrong_type(&mut self, ptr: &str, v: &Value, expected: &str) {
        self.diags.push(wrong_type(self.loc, ptr, v, expected));
    }
}

/// The diagnostic for a value of the wrong JSON type.
pub(super) fn wrong_type(loc: &Locator, ptr: &str, v: &Value, expected: &str) -> Diagnostic {
    let key = super::locate::tokens(ptr)
        .last()
        .cloned()
        .unwrap_or_default();
    Diagnostic::error(format!("wrong type for `{key}`: found {}", json_kind(v)))
        .at(loc.value_span(ptr), format!("this is {}", json_kind(v)))
        .note(format!("expected {expected}"))
}

/// "a string", "an array", ... for messages.
pub(super) fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn component_schemas(root: &Value) -> Option<&Map<String, Value>> {
    lookup(root, "/components/schemas").and_then(Value::as_object)
}

fn is_component(ptr: &str) -> bool {
    ptr.strip_prefix("/components/schemas/")
        .is_some_and(|rest| !rest.contains('/'))
}

fn flag(obj: &Map<String, Value>, key: &str) -> bool {
    obj.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn text(obj: &Map<String, Value>, key: &str) -> Option<String> {
    obj.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// A default or example as written: strings bare, anything else as JSON.
fn value_text(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_owned)
}

/// `x-` extensions plus the JSON kept verbatim that the model has no field for.
fn kept(obj: &Map<String, Value>) -> BTreeMap<String, Value> {
    obj.iter()
        .filter(|(k, _)| {
            k.starts_with("x-") || matches!(k.as_str(), "example" | "examples" | "discriminator")
        })
        .filter(|(k, _)| *k != "discriminator" || !is_composed(obj))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// `allOf: [{$ref}]` and nothing structural besides: the `$ref` value.
fn single_ref_allof(obj: &Map<String, Value>) -> Option<&Value> {
    match obj.get("allOf")?.as_array()?.as_slice() {
        [only] if !has_structure(obj) => only.as_object().filter(|o| o.len() == 1)?.get("$ref"),
        _ => None,
    }
}

fn has_structure(obj: &Map<String, Value>) -> bool {
    obj.contains_key("properties")
        || obj.contains_key("additionalProperties")
        || obj.contains_key("patternProperties")
}

fn is_composed(obj: &Map<String, Value>) -> bool {
    obj.contains_key("oneOf") || obj.contains_key("anyOf")
}

/// What one pass over a schema's keys finds: every `get` on serde_json's (preserve_order) map
/// hashes the key, and the hot path would otherwise ask for some twenty keywords per schema.
#[derive(Default)]
struct Keys<'v> {
    ty: Option<&'v str>,
    format: Option<&'v str>,
    reference: Option<&'v Value>,
    nullable: bool,
    all_of: bool,
    /// Restrictions a built-in cannot carry (`maxLength`, `enum`, compositions, ...).
    facets: bool,
    /// `properties`, `additionalProperties`, `patternProperties`.
    structure: bool,
    /// `items`, `allOf`, `oneOf`, `anyOf`, `enum`, `$ref`.
    shaped: bool,
    /// A keyword outside [`KNOWN`] (and not `x-`).
    unknown: bool,
}

impl<'v> Keys<'v> {
    fn of(obj: &'v Map<String, Value>) -> Self {
        let mut k = Keys::default();
        for (key, v) in obj {
            match key.as_str() {
                "type" => {
                    k.ty = v.as_str();
                    // A `type` that is no string goes on to `kind`, which reports it.
                    k.shaped |= k.ty.is_none();
                }
                "format" => k.format = v.as_str(),
                "$ref" => {
                    k.reference = Some(v);
                    k.shaped = true;
                }
                "nullable" => k.nullable = v.as_bool().unwrap_or(false),
                "allOf" => {
                    k.all_of = true;
                    k.facets = true;
                    k.shaped = true;
                }
                "oneOf" | "anyOf" | "enum" => {
                    k.facets = true;
                    k.shaped = true;
                }
                "items" => k.shaped = true,
                "minLength" | "maxLength" | "pattern" | "minimum" | "maximum"
                | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => k.facets = true,
                "properties" | "additionalProperties" | "patternProperties" => k.structure = true,
                other => k.unknown |= !other.starts_with("x-") && !KNOWN.contains(&other),
            }
        }
        k
    }

    /// A scalar schema with nothing a built-in cannot say.
    fn plain_builtin(&self) -> Option<Builtin> {
        let ty = self.ty?;
        if !matches!(ty, "string" | "integer" | "number" | "boolean") || self.facets {
            return None;
        }
        if self.format.is_some_and(|f| !BUILTIN_FORMATS.contains(&f)) {
            return None;
        }
        Builtin::from_json(ty, self.format)
    }

    /// `{type: object}` (or `{}`) with no properties: any JSON value.
    fn free_form(&self) -> bool {
        matches!(self.ty, None | Some("object")) && !self.structure && !self.shaped
    }
}
