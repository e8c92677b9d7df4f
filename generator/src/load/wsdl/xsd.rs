//! Phase 2 for XML Schema: the raw schema components of every file into one [`TypeGraph`] and
//! the global elements.
//!
//! Type references become ids; nothing is copied, so recursive types are just cycles in the
//! graph. Named types get `{ns}Name` ids; anonymous types the path of their holder
//! (`{ns}Element#`, `{ns}Type#/child`, `{ns}Type#/@attr`, `.../#item`).

use super::add_unique as add;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::builtins::{builtin, type_id, upper_first};
use super::ns;
use super::raw::{
    ArrayItem, AttrItem, Content, Occurs, Particle, Raw, RawAttr, RawAttrGroup, RawComplex,
    RawElement, RawEnum, RawGroup, RawModel, RawSimple, RawType, Ref, SimpleKind,
};
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::model::{
    Builtin, ChoiceGroup, Compositor, Derivation, ElementDecl, EnumType, EnumValue, Facets, Field,
    FieldKind, ListItem, ListType, MaxOccurs, QName, ScalarType, SchemaInfo, StructType, TypeDef,
    TypeGraph, TypeId, TypeKind, TypeRef, UnionMode, UnionType,
};

/// How deep group and attributeGroup references may nest (legal schemas never cycle; hostile
/// ones must not hang or overflow the stack).
const MAX_GROUP_DEPTH: usize = 32;

/// What the schemas yield.
pub(super) struct SchemaOut {
    pub types: TypeGraph,
    /// Global elements by name.
    pub elements: BTreeMap<QName, ElementDecl>,
    /// Sorted by namespace, then file.
    pub schemas: Vec<SchemaInfo>,
}

/// Global components by qualified name (the first declaration wins).
#[derive(Default)]
struct Index<'r> {
    types: HashMap<QName, &'r RawType>,
    elements: HashMap<QName, &'r RawElement>,
    groups: HashMap<QName, &'r RawGroup>,
    attr_groups: HashMap<QName, &'r RawAttrGroup>,
    attributes: HashMap<QName, &'r RawAttr>,
}

/// Where anonymous types found inside a declaration get their ids and names from.
#[derive(Clone)]
struct Holder {
    /// Id prefix, always containing `#`.
    path: String,
    /// Name to derive anonymous type names from.
    name: QName,
}

impl Holder {
    fn of(id: &TypeId, name: &QName) -> Holder {
        let path = if id.0.contains('#') {
            id.0.clone()
        } else {
            format!("{}#", id.0)
        };
        Holder {
            path,
            name: name.clone(),
        }
    }

    /// Id and name for an anonymous type of the child `step` (`x`, `@a`, `#item`).
    fn child(&self, step: &str, name_part: &str) -> (String, QName) {
        let local = format!("{}{}", self.name.local, upper_first(name_part));
        (
            format!("{}/{step}", self.path),
            QName::new(self.name.ns.clone(), local),
        )
    }
}

struct Builder<'r, 'd> {
    idx: Index<'r>,
    graph: TypeGraph,
    diags: &'d mut Diagnostics,
    /// Types of global elements, computed before any content is built (element refs need them).
    element_types: HashMap<QName, TypeRef>,
    /// Anonymous type ids and the declaration each was built from, so a group used twice builds
    /// its types once and two different declarations never share an id.
    anon_spans: HashMap<String, Span>,
}

/// Builds the type graph and the global elements of every schema read.
pub(super) fn build(raw: &Raw, diags: &mut Diagnostics) -> SchemaOut {
    let idx = index(raw, diags);
    let mut b = Builder {
        idx,
        graph: TypeGraph::default(),
        diags,
        element_types: HashMap::new(),
        anon_spans: HashMap::new(),
    };
    for schema in &raw.schemas {
        for e in &schema.elements {
            let ty = b.global_element_type(e);
            b.element_types
                .entry(QName::new(e.ns.clone(), e.name.clone()))
                .or_insert(ty);
        }
    }
    let mut elements = BTreeMap::new();
    for schema in &raw.schemas {
        for t in &schema.types {
            b.named_type(&schema.tns, t);
        }
        for e in &schema.elements {
            let q = QName::new(e.ns.clone(), e.name.clone());
            if b.idx
                .elements
                .get(&q)
                .is_some_and(|first| std::ptr::eq(*first, e))
            {
                let decl = b.element_decl(e);
                elements.insert(q, decl);
            }
        }
        for a in &schema.attributes {
            if let Some(inline) = &a.inline {
                let holder = Holder {
                    path: format!("{}@{}#", QName::new(a.ns.clone(), ""), a.name),
                    name: QName::new(a.ns.clone(), a.name.clone()),
                };
                b.anonymous_simple(inline, holder.path.clone(), holder.name.clone());
            }
        }
    }
    name_anonymous_types(&mut b.graph);
    let mut schemas: Vec<SchemaInfo> = raw
        .schemas
        .iter()
        .map(|s| SchemaInfo {
            target_namespace: s.tns.clone(),
            elements_qualified: s.elements_qualified,
            attributes_qualified: s.attributes_qualified,
            file: s.file.clone(),
        })
        .collect();
    schemas.sort_by(|a, b| (&a.target_namespace, &a.file).cmp(&(&b.target_namespace, &b.file)));
    schemas.dedup();
    SchemaOut {
        types: b.graph,
        elements,
        schemas,
    }
}

/// Indexes every global component; a second declaration of a name is warned about and ignored.
fn index<'r>(raw: &'r Raw, diags: &mut Diagnostics) -> Index<'r> {
    let mut idx = Index::default();
    for s in &raw.schemas {
        for t in &s.types {
            let Some(name) = t.name() else { continue };
            add(
                &mut idx.types,
                QName::new(s.tns.clone(), name),
                t,
                t.span(),
                "type",
                diags,
            );
        }
        for e in &s.elements {
            add(
                &mut idx.elements,
                QName::new(s.tns.clone(), e.name.clone()),
                e,
                e.span,
                "element",
                diags,
            );
        }
        for g in &s.groups {
            add(
                &mut idx.groups,
                QName::new(s.tns.clone(), g.name.clone()),
                g,
                g.span,
                "group",
                diags,
            );
        }
        for g in &s.attr_groups {
            add(
                &mut idx.attr_groups,
                QName::new(s.tns.clone(), g.name.clone()),
                g,
                g.span,
                "attributeGroup",
                diags,
            );
        }
        for a in &s.attributes {
            add(
                &mut idx.attributes,
                QName::new(s.tns.clone(), a.name.clone()),
                a,
                a.span,
                "attribute",
                diags,
            );
        }
    }
    idx
}

/// `a * b` for occurrence bounds.
fn mul_max(a: MaxOccurs, b: MaxOccurs) -> MaxOccurs {
    match (a, b) {
        (MaxOccurs::Bounded(0), _) | (_, MaxOccurs::Bounded(0)) => MaxOccurs::Bounded(0),
        (MaxOccurs::Bounded(x), MaxOccurs::Bounded(y)) => x
            .checked_mul(y)
            .map_or(MaxOccurs::Unbounded, MaxOccurs::Bounded),
        _ => MaxOccurs::Unbounded,
    }
}

fn combine(outer: Occurs, inner: Occurs) -> Occurs {
    Occurs {
        min: outer.min.saturating_mul(inner.min),
        max: mul_max(outer.max, inner.max),
    }
}

impl Builder<'_, '_> {
    fn undefined(&mut self, what: &str, r: &Ref) {
        self.diags.push(
            Diagnostic::error(format!("undefined {what} `{}`", r.q))
                .at(r.span, format!("no {what} of this name"))
                .note(format!(
                    "expected a {what} declared in namespace `{}` of one of the schemas read",
                    r.q.ns
                )),
        );
    }

    /// A reference to a named type, or an error and `anyType`.
    fn type_ref(&mut self, r: &Ref) -> TypeRef {
        if let Some(b) = builtin(&r.q) {
            return TypeRef::Builtin(b);
        }
        if self.idx.types.contains_key(&r.q) {
            return TypeRef::Named(type_id(&r.q));
        }
        self.undefined("type", r);
        TypeRef::Builtin(Builtin::AnyType)
    }

    fn global_element_type(&mut self, e: &RawElement) -> TypeRef {
        match (&e.inline, &e.ty) {
            (Some(_), _) => TypeRef::Named(TypeId(format!(
                "{}#",
                QName::new(e.ns.clone(), e.name.clone())
            ))),
            (None, Some(r)) => self.type_ref(r),
            (None, None) => TypeRef::Builtin(Builtin::AnyType),
        }
    }

    fn element_decl(&mut self, e: &RawElement) -> ElementDecl {
        let name = QName::new(e.ns.clone(), e.name.clone());
        let ty = self
            .element_types
            .get(&name)
            .cloned()
            .unwrap_or(TypeRef::Builtin(Builtin::AnyType));
        if let (Some(inline), Some(id)) = (&e.inline, ty.as_named()) {
            self.anonymous(inline, id.0.clone(), name.clone());
        }
        if let Some(r) = &e.substitution_group {
            if !self.idx.elements.contains_key(&r.q) {
                self.undefined("element", r);
            }
        }
        ElementDecl {
            name,
            ty,
            nullable: e.nillable,
            default: e.default.clone(),
            fixed: e.fixed.clone(),
            is_abstract: e.is_abstract,
            substitution_group: e.substitution_group.as_ref().map(|r| r.q.clone()),
            doc: e.doc.clone(),
            span: Some(e.span),
        }
    }

    /// A named type of a schema (the first declaration of its name only).
    fn named_type(&mut self, tns: &str, t: &RawType) {
        let Some(local) = t.name() else { return };
        let q = QName::new(tns, local);
        let first = self
            .idx
            .types
            .get(&q)
            .is_some_and(|first| std::ptr::eq(*first, t));
        // ser:guid, ser:char and ser:duration are built-ins, not graph types.
        if !first || builtin(&q).is_some() {
            return;
        }
        let id = type_id(&q);
        let def = self.convert(t, id, q, false);
        self.graph.insert(def);
    }

    /// Builds an anonymous type once per declaration; returns its id.
    fn anonymous(&mut self, t: &RawType, base: String, name: QName) -> TypeId {
        let mut id = base.clone();
        let mut n = 1;
        loop {
            match self.anon_spans.get(&id) {
                None => break,
                Some(s) if *s == t.span() => return TypeId(id),
                Some(_) => {
                    n += 1;
                    id = format!("{base}~{n}");
                }
            }
        }
        self.anon_spans.insert(id.clone(), t.span());
        let mut def = self.convert(t, TypeId(id.clone()), name, true);
        def.anonymous = true;
        self.graph.insert(def);
        TypeId(id)
    }

    fn anonymous_simple(&mut self, s: &RawSimple, base: String, name: QName) -> TypeId {
        // Simple types are cheap to wrap; the span identifies the declaration.
        self.anonymous(&RawType::Simple(s.clone()), base, name)
    }

    fn convert(&mut self, t: &RawType, id: TypeId, name: QName, anonymous: bool) -> TypeDef {
        let holder = Holder::of(&id, &name);
        let (kind, doc, span) = match t {
            RawType::Complex(c) => (self.complex(c, &holder, anonymous), c.doc.clone(), c.span),
            RawType::Simple(s) => (self.simple(s, &holder), s.doc.clone(), s.span),
        };
        let mut def = TypeDef::new(id, name, kind);
        def.doc = doc;
        def.span = Some(span);
        def
    }

    fn complex(&mut self, c: &RawComplex, holder: &Holder, anonymous: bool) -> TypeKind {
        let mut st = StructType {
            is_abstract: c.is_abstract,
            mixed: c.mixed,
            ..StructType::default()
        };
        match &c.content {
            Content::Plain { model, attrs } => {
                if !anonymous && !c.mixed && attrs.is_empty() {
                    if let Some(list) = self.as_list(model.as_ref(), holder) {
                        return TypeKind::List(list);
                    }
                }
                self.top_model(model.as_ref(), &mut st, holder);
                self.attr_fields(attrs, &mut st, holder, 0);
            }
            Content::Complex {
                base,
                derivation,
                model,
                attrs,
            } => {
                let any_type = base.q.ns == ns::XSD && base.q.local == "anyType";
                if !(any_type && *derivation == Derivation::Restriction) {
                    st.bases.push(self.type_ref(base));
                    st.derivation = Some(*derivation);
                }
                self.top_model(model.as_ref(), &mut st, holder);
                self.attr_fields(attrs, &mut st, holder, 0);
            }
            Content::SoapArray { item, model } => {
                return TypeKind::List(self.soap_array(item.as_ref(), model.as_ref(), holder));
            }
            Content::Simple {
                base,
                derivation,
                facets,
                enums,
                attrs,
            } => {
                self.simple_content(base, *derivation, facets, enums, &mut st, holder);
                self.attr_fields(attrs, &mut st, holder, 0);
            }
        }
        TypeKind::Struct(st)
    }

    /// `xs:simpleContent`: a text field `value` plus the attributes. Extending a complex type
    /// with simple content inherits its value (and attributes) through the base.
    fn simple_content(
        &mut self,
        base: &Ref,
        derivation: Derivation,
        facets: &Facets,
        enums: &[RawEnum],
        st: &mut StructType,
        holder: &Holder,
    ) {
        let base_ref = self.type_ref(base);
        let complex_base = matches!(self.idx.types.get(&base.q), Some(RawType::Complex(_)));
        let value_base = if complex_base {
            st.bases.push(base_ref);
            st.derivation = Some(derivation);
            if derivation == Derivation::Extension {
                return;
            }
            self.text_type(&base.q, 0)
        } else {
            base_ref
        };
        let ty = if facets.is_empty() && enums.is_empty() {
            value_base
        } else {
            let (id, name) = holder.child("#value", "Value");
            let kind = restricted(value_base, facets, enums);
            let mut def = TypeDef::new(TypeId(id.clone()), name, kind);
            def.anonymous = true;
            self.graph.insert(def);
            TypeRef::Named(TypeId(id))
        };
        st.fields.push(Field::new("value", FieldKind::Text, ty));
    }

    /// The text type of a complex type with simple content (following its base chain).
    fn text_type(&mut self, q: &QName, depth: usize) -> TypeRef {
        if let Some(b) = builtin(q) {
            return TypeRef::Builtin(b);
        }
        match self.idx.types.get(q) {
            Some(RawType::Simple(_)) => TypeRef::Named(type_id(q)),
            Some(RawType::Complex(RawComplex {
                content: Content::Simple { base, .. },
                ..
            })) if depth < MAX_GROUP_DEPTH => {
                let base = base.q.clone();
                self.text_type(&base, depth + 1)
            }
            _ => TypeRef::Builtin(Builtin::AnySimpleType),
        }
    }

    /// A named collection type: a sequence of exactly one repeated element (`ArrayOfstring`,
    /// WCF `*List` collection contracts).
    fn as_list(&mut self, model: Option<&Particle>, holder: &Holder) -> Option<ListType> {
        let Some(Particle::Model(m)) = model else {
            return None;
        };
        let [Particle::Element(e)] = m.items.as_slice() else {
            return None;
        };
        if m.compositor != Compositor::Sequence
            || m.occurs != Occurs::ONCE
            || !e.occurs.max.is_many()
        {
            return None;
        }
        let field = self.element_field(e, holder)?;
        Some(ListType {
            item: field.ty,
            item_element: Some(ListItem {
                xml_name: field.xml_name.unwrap_or_default(),
                nullable: field.nullable,
            }),
            min_items: e.occurs.min,
            max_items: e.occurs.max,
            unique: false,
        })
    }

    /// A SOAP-encoding array. The items' element name is free on the wire; `item` is what
    /// Axis and most toolkits write. An array of arrays gets an anonymous list per level.
    fn soap_array(
        &mut self,
        item: Option<&ArrayItem>,
        model: Option<&Particle>,
        holder: &Holder,
    ) -> ListType {
        let encoded = |item: TypeRef| ListType {
            item,
            item_element: Some(ListItem {
                xml_name: QName::local("item"),
                nullable: true,
            }),
            min_items: 0,
            max_items: MaxOccurs::Unbounded,
            unique: false,
        };
        let Some(item) = item else {
            return self
                .as_list(model, holder)
                .unwrap_or_else(|| encoded(TypeRef::Builtin(Builtin::AnyType)));
        };
        let mut ty = self.type_ref(&item.ty);
        let mut inner = holder.clone();
        for _ in 1..item.depth {
            let (id, name) = inner.child("#item", "Item");
            let mut def = TypeDef::new(
                TypeId(id.clone()),
                name.clone(),
                TypeKind::List(encoded(ty)),
            );
            def.anonymous = true;
            self.graph.insert(def);
            inner = Holder::of(&TypeId(id.clone()), &name);
            ty = TypeRef::Named(TypeId(id));
        }
        encoded(ty)
    }

    /// The content model at the top of a complex type sets the compositor.
    fn top_model(&mut self, model: Option<&Particle>, st: &mut StructType, holder: &Holder) {
        match model {
            Some(Particle::Model(m)) => {
                st.compositor = m.compositor;
                self.model(m, Occurs::ONCE, None, st, holder, 0);
            }
            Some(p) => self.particle(p, Occurs::ONCE, None, st, holder, 0),
            None => {}
        }
    }

    fn model(
        &mut self,
        m: &RawModel,
        outer: Occurs,
        choice: Option<u32>,
        st: &mut StructType,
        holder: &Holder,
        depth: usize,
    ) {
        match m.compositor {
            Compositor::Sequence | Compositor::All => {
                let occurs = combine(outer, m.occurs);
                if m.occurs.max.is_many() && m.items.len() > 1 {
                    self.diags.push(
                        Diagnostic::warning("a repeated group of several particles cannot be expressed")
                            .at(m.span, "maxOccurs > 1 on a group of several particles")
                            .note("its fields are flattened and each may repeat on its own; their interleaving is lost"),
                    );
                }
                for item in &m.items {
                    self.particle(item, occurs, choice, st, holder, depth);
                }
            }
            Compositor::Choice => {
                let occurs = combine(outer, m.occurs);
                let index = u32::try_from(st.choices.len()).unwrap_or(u32::MAX);
                st.choices.push(ChoiceGroup {
                    min_occurs: occurs.min,
                    max_occurs: occurs.max,
                });
                for item in &m.items {
                    if let Particle::Model(branch) = item {
                        if branch.items.len() > 1 {
                            self.diags.push(
                                Diagnostic::warning(
                                    "a choice branch with several particles is flattened",
                                )
                                .at(branch.span, "this branch")
                                .note(
                                    "each of its fields is marked as one alternative of the choice",
                                ),
                            );
                        }
                    }
                    self.particle(item, Occurs::ONCE, Some(index), st, holder, depth);
                }
            }
        }
    }

    fn particle(
        &mut self,
        p: &Particle,
        outer: Occurs,
        choice: Option<u32>,
        st: &mut StructType,
        holder: &Holder,
        depth: usize,
    ) {
        match p {
            Particle::Element(e) => {
                if let Some(mut f) = self.element_field(e, holder) {
                    let o = combine(outer, e.occurs);
                    (f.min_occurs, f.max_occurs, f.choice) = (o.min, o.max, choice);
                    st.fields.push(f);
                }
            }
            Particle::Any => st.any_element = true,
            Particle::Model(m) => self.model(m, outer, choice, st, holder, depth),
            Particle::GroupRef { target, occurs } => {
                let Some(group) = self.idx.groups.get(&target.q).copied() else {
                    self.undefined("group", target);
                    return;
                };
                if depth >= MAX_GROUP_DEPTH {
                    self.too_deep("group", target);
                    return;
                }
                let group_holder = Holder {
                    path: format!("{}#", target.q),
                    name: target.q.clone(),
                };
                if let Some(m) = &group.model {
                    self.model(
                        m,
                        combine(outer, *occurs),
                        choice,
                        st,
                        &group_holder,
                        depth + 1,
                    );
                }
            }
        }
    }

    fn too_deep(&mut self, what: &str, r: &Ref) {
        self.diags.push(
            Diagnostic::error(format!(
                "{what} references nested deeper than {MAX_GROUP_DEPTH} levels"
            ))
            .at(r.span, "while expanding this reference")
            .note(format!("expected {what}s that do not refer to themselves")),
        );
    }

    /// A field for a local element or an element reference (occurs from the declaration).
    fn element_field(&mut self, e: &RawElement, holder: &Holder) -> Option<Field> {
        let (name, xml_name, ty, nullable, default, fixed, doc) = if let Some(r) = &e.reference {
            let Some(g) = self.idx.elements.get(&r.q).copied() else {
                self.undefined("element", r);
                return None;
            };
            let ty = self
                .element_types
                .get(&r.q)
                .cloned()
                .unwrap_or(TypeRef::Builtin(Builtin::AnyType));
            let (default, fixed) = (
                e.default.clone().or(g.default.clone()),
                e.fixed.clone().or(g.fixed.clone()),
            );
            (
                g.name.clone(),
                r.q.clone(),
                ty,
                g.nillable,
                default,
                fixed,
                e.doc.clone().or(g.doc.clone()),
            )
        } else {
            let xml_name = if e.qualified {
                QName::new(e.ns.clone(), e.name.clone())
            } else {
                QName::local(e.name.clone())
            };
            let ty = match (&e.inline, &e.ty) {
                (Some(inline), _) => {
                    let (id, name) = holder.child(&e.name, &e.name);
                    TypeRef::Named(self.anonymous(inline, id, name))
                }
                (None, Some(r)) => self.type_ref(r),
                (None, None) => TypeRef::Builtin(Builtin::AnyType),
            };
            (
                e.name.clone(),
                xml_name,
                ty,
                e.nillable,
                e.default.clone(),
                e.fixed.clone(),
                e.doc.clone(),
            )
        };
        let mut f = Field::new(name, FieldKind::Element, ty);
        (f.xml_name, f.nullable, f.default, f.fixed, f.doc, f.span) =
            (Some(xml_name), nullable, default, fixed, doc, Some(e.span));
        (f.min_occurs, f.max_occurs) = (e.occurs.min, e.occurs.max);
        Some(f)
    }

    fn attr_fields(
        &mut self,
        attrs: &[AttrItem],
        st: &mut StructType,
        holder: &Holder,
        depth: usize,
    ) {
        for item in attrs {
            match item {
                AttrItem::Attr(a) if a.prohibited => {}
                AttrItem::Attr(a) => st.fields.extend(self.attr_field(a, holder)),
                AttrItem::Any => st.any_attribute = true,
                AttrItem::GroupRef(r) => {
                    let Some(group) = self.idx.attr_groups.get(&r.q).copied() else {
                        self.undefined("attributeGroup", r);
                        continue;
                    };
                    if depth >= MAX_GROUP_DEPTH {
                        self.too_deep("attributeGroup", r);
                        continue;
                    }
                    let group_holder = Holder {
                        path: format!("{}#", r.q),
                        name: r.q.clone(),
                    };
                    self.attr_fields(&group.attrs, st, &group_holder, depth + 1);
                }
            }
        }
    }

    fn attr_field(&mut self, a: &RawAttr, holder: &Holder) -> Option<Field> {
        let (name, xml_name, ty, default, fixed, doc) = match &a.reference {
            // `xml:lang`, `xml:space`, ...: the xml namespace needs no schema.
            Some(r) if r.q.ns == ns::XML => {
                let ty = TypeRef::Builtin(if r.q.local == "lang" {
                    Builtin::Language
                } else {
                    Builtin::String
                });
                (
                    r.q.local.clone(),
                    r.q.clone(),
                    ty,
                    a.default.clone(),
                    a.fixed.clone(),
                    a.doc.clone(),
                )
            }
            Some(r) => {
                let Some(g) = self.idx.attributes.get(&r.q).copied() else {
                    self.undefined("attribute", r);
                    return None;
                };
                let ty = match (&g.inline, &g.ty) {
                    (Some(_), _) => TypeRef::Named(TypeId(format!(
                        "{}@{}#",
                        QName::new(g.ns.clone(), ""),
                        g.name
                    ))),
                    (None, Some(t)) => self.type_ref(t),
                    (None, None) => TypeRef::Builtin(Builtin::AnySimpleType),
                };
                let (default, fixed) = (
                    a.default.clone().or(g.default.clone()),
                    a.fixed.clone().or(g.fixed.clone()),
                );
                (
                    g.name.clone(),
                    r.q.clone(),
                    ty,
                    default,
                    fixed,
                    a.doc.clone().or(g.doc.clone()),
                )
            }
            None => {
                let xml_name = if a.qualified {
                    QName::new(a.ns.clone(), a.name.clone())
                } else {
                    QName::local(a.name.clone())
                };
                let ty = match (&a.inline, &a.ty) {
                    (Some(inline), _) => {
                        let (id, name) = holder.child(&format!("@{}", a.name), &a.name);
                        TypeRef::Named(self.anonymous_simple(inline, id, name))
                    }
                    (None, Some(r)) => self.type_ref(r),
                    (None, None) => TypeRef::Builtin(Builtin::AnySimpleType),
                };
                (
                    a.name.clone(),
                    xml_name,
                    ty,
                    a.default.clone(),
                    a.fixed.clone(),
                    a.doc.clone(),
                )
            }
        };
        let mut f = Field::new(name, FieldKind::Attribute, ty);
        (f.xml_name, f.default, f.fixed, f.doc, f.span) =
            (Some(xml_name), default, fixed, doc, Some(a.span));
        f.min_occurs = u32::from(a.required);
        Some(f)
    }

    fn simple(&mut self, s: &RawSimple, holder: &Holder) -> TypeKind {
        match &s.kind {
            SimpleKind::Restriction {
                base,
                inline_base,
                facets,
                enums,
            } => {
                let base = self.simple_base(
                    base.as_ref(),
                    inline_base.as_deref(),
                    holder,
                    "#base",
                    "Base",
                );
                restricted(base, facets, enums)
            }
            SimpleKind::List { item, inline } => {
                // WCF [Flags] enums: a list of an anonymous enumeration.
                if let (
                    None,
                    Some(RawSimple {
                        kind: SimpleKind::Restriction { base, enums, .. },
                        ..
                    }),
                ) = (item, inline.as_deref())
                {
                    if !enums.is_empty() {
                        let base = self.simple_base(base.as_ref(), None, holder, "#item", "Item");
                        return TypeKind::Enum(EnumType {
                            base,
                            values: enum_values(enums),
                            flags: true,
                        });
                    }
                }
                let item =
                    self.simple_base(item.as_ref(), inline.as_deref(), holder, "#item", "Item");
                TypeKind::List(ListType {
                    item,
                    item_element: None,
                    min_items: 0,
                    max_items: MaxOccurs::Unbounded,
                    unique: false,
                })
            }
            SimpleKind::Union { members, inline } => {
                let mut refs: Vec<TypeRef> = members.iter().map(|m| self.type_ref(m)).collect();
                for (i, m) in inline.iter().enumerate() {
                    let n = i + 1;
                    let (id, name) = holder.child(&format!("#member{n}"), &format!("Member{n}"));
                    refs.push(TypeRef::Named(self.anonymous_simple(m, id, name)));
                }
                TypeKind::Union(UnionType {
                    members: refs,
                    mode: UnionMode::XsdUnion,
                    discriminator: None,
                    mapping: BTreeMap::new(),
                })
            }
        }
    }

    fn simple_base(
        &mut self,
        base: Option<&Ref>,
        inline: Option<&RawSimple>,
        holder: &Holder,
        step: &str,
        name_part: &str,
    ) -> TypeRef {
        match (base, inline) {
            (Some(r), _) => self.type_ref(r),
            (None, Some(s)) => {
                let (id, name) = holder.child(step, name_part);
                TypeRef::Named(self.anonymous_simple(s, id, name))
            }
            (None, None) => TypeRef::Builtin(Builtin::AnySimpleType),
        }
    }
}

/// A restriction: an enumeration when it lists values, else a scalar with facets.
fn restricted(base: TypeRef, facets: &Facets, enums: &[RawEnum]) -> TypeKind {
    if enums.is_empty() {
        TypeKind::Scalar(ScalarType {
            base,
            facets: facets.clone(),
        })
    } else {
        TypeKind::Enum(EnumType {
            base,
            values: enum_values(enums),
            flags: false,
        })
    }
}

fn enum_values(enums: &[RawEnum]) -> Vec<EnumValue> {
    enums
        .iter()
        .map(|e| EnumValue {
            value: e.value.clone(),
            numeric: e.numeric,
            doc: e.doc.clone(),
        })
        .collect()
}

/// Gives anonymous types names that no named type and no other anonymous type in the same
/// namespace has (in id order, so the result does not depend on reading order).
fn name_anonymous_types(graph: &mut TypeGraph) {
    let mut taken: BTreeSet<QName> = graph
        .types
        .values()
        .filter(|t| !t.anonymous)
        .map(|t| t.name.clone())
        .collect();
    for def in graph.types.values_mut().filter(|t| t.anonymous) {
        let base = def.name.local.clone();
        let mut candidate = def.name.clone();
        let mut n = 1;
        while taken.contains(&candidate) {
            n += 1;
            let suffix = if n == 2 {
                "Type".to_owned()
            } else {
                format!("Type{}", n - 1)
            };
            candidate = QName::new(def.name.ns.clone(), format!("{base}{suffix}"));
        }
        taken.insert(candidate.clone());
        def.name = candidate;
    }
}
