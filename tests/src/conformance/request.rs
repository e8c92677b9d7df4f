//! The old request, built from the WSDL's types: every element and attribute present, every
//! leaf a distinctive value of its type, every repeated element or list two items with
//! different values. Where a manifest link transforms a field, the value is one that
//! transform accepts (an enumeration table's key, a GUID, digits, base64, a date-time).

use std::collections::BTreeMap;

use altinn_bridge::link::{Format, Mapping, OpLink, Source, Transform};
use altinn_bridge::model::{
    Builtin, FieldKind, MessagePart, PartContent, SoapOperation, TypeGraph, TypeKind, TypeRef,
};
use altinn_bridge_runtime::xml::{Element, Node};

use super::values::{Made, Values};

/// Deeper than this, optional parts are left out (recursive types end).
const MAX_DEPTH: usize = 14;

const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The request's elements and what was written where.
#[derive(Debug, Default)]
pub struct Request {
    /// The body element.
    pub body: Element,
    /// Header blocks (SOAP header parts), in the binding's order.
    pub headers: Vec<Element>,
    /// Every leaf written, by its manifest path (`Op/child/@attr`), in document order.
    pub leaves: BTreeMap<String, Vec<Made>>,
}

impl Request {
    /// The body first, then the header blocks: the roots manifest paths start at.
    pub fn roots(&self) -> Vec<&Element> {
        std::iter::once(&self.body).chain(&self.headers).collect()
    }
}

/// What the manifest asks of a SOAP field's value.
#[derive(Debug, Default)]
pub struct Hints {
    transforms: BTreeMap<String, Vec<Transform>>,
    /// Fixed values (credentials), by path.
    fixed: BTreeMap<String, String>,
    /// Fields a `where` tests, by path: the first item gets the wanted value, the others not,
    /// so the filter has something to keep and something to leave out.
    wanted: BTreeMap<String, String>,
}

impl Hints {
    /// The transforms of every link that reads a SOAP input field of `op`.
    pub fn of(op: &OpLink) -> Self {
        let mut transforms: BTreeMap<String, Vec<Transform>> = BTreeMap::new();
        let mut wanted = BTreeMap::new();
        for link in &op.inputs {
            if let Source::Soap { path } = &link.from {
                for f in &link.filter {
                    let item: Vec<&str> = path.steps[..=f.item]
                        .iter()
                        .map(|s| s.name.as_str())
                        .collect();
                    wanted.insert(
                        format!("{}/{}", item.join("/"), f.path.text),
                        f.equals.clone(),
                    );
                }
                transforms
                    .entry(path.text.clone())
                    .or_default()
                    .extend(link.transforms.iter().cloned());
            }
        }
        Hints {
            transforms,
            fixed: BTreeMap::new(),
            wanted,
        }
    }

    /// Whether a fixed value or a `where` field sits at or below `path`.
    fn fixes_below(&self, path: &str) -> bool {
        let below = |p: &String| p == path || p.starts_with(&format!("{path}/"));
        self.fixed.keys().any(below) || self.wanted.keys().any(below)
    }

    /// Writes `value` at `path` instead of a made-up one (a credential).
    pub fn fix(&mut self, path: &str, value: &str) {
        self.fixed.insert(path.to_owned(), value.to_owned());
    }
}

/// Builds `op`'s request from `m`'s WSDL types; each repeated element or list gets `repeat`
/// items (two, so every loop and list is exercised; one where the manifest documents that
/// Altinn 3 takes one).
pub fn build(
    m: &Mapping,
    op: &SoapOperation,
    hints: &Hints,
    values: &mut Values,
    repeat: usize,
) -> Request {
    build_with(m, op, hints, values, repeat, false)
}

/// As [`build`]; with `nil`, every nillable element the manifest does not fix (credentials,
/// `where` fields) is sent as `xsi:nil="true"` instead of a value, so the adapter must treat
/// it as absent: nothing sent for it upstream, nothing made up in its place.
pub fn build_with(
    m: &Mapping,
    op: &SoapOperation,
    hints: &Hints,
    values: &mut Values,
    repeat: usize,
    nil: bool,
) -> Request {
    let graph = &m.soap.types;
    let mut b = Builder {
        graph,
        hints,
        values,
        repeat,
        nil,
        leaves: BTreeMap::new(),
    };
    let input = op.input.as_ref();
    let body_parts: Vec<&MessagePart> = input.map(|i| i.body.iter().collect()).unwrap_or_default();
    let header_parts: Vec<&MessagePart> = input
        .map(|i| i.headers.iter().collect())
        .unwrap_or_default();
    let body = match body_parts.as_slice() {
        [one] => b.part(one),
        // A body of several parts (rpc style) is wrapped in the operation's element.
        many => {
            let mut wrapper = Element {
                ns: input
                    .and_then(|i| i.rpc_namespace.clone())
                    .unwrap_or_default(),
                local: op.name.clone(),
                ..Element::default()
            };
            for p in many {
                wrapper.children.push(Node::Element(b.part(p)));
            }
            wrapper
        }
    };
    let headers = header_parts.iter().map(|p| b.part(p)).collect();
    Request {
        body,
        headers,
        leaves: b.leaves,
    }
}

struct Builder<'a> {
    graph: &'a TypeGraph,
    hints: &'a Hints,
    values: &'a mut Values,
    repeat: usize,
    nil: bool,
    leaves: BTreeMap<String, Vec<Made>>,
}

impl Builder<'_> {
    fn part(&mut self, p: &MessagePart) -> Element {
        let (ns, local, ty) = match &p.content {
            PartContent::Element { element, ty, .. } => {
                (element.ns.clone(), element.local.clone(), ty)
            }
            PartContent::Type { ty } => (String::new(), p.name.clone(), ty),
        };
        let mut el = Element {
            ns,
            local: local.clone(),
            ..Element::default()
        };
        self.fill(&mut el, ty, &local, 0);
        el
    }

    /// Fills `el` (already named) with content of type `ty`; `path` is its manifest path.
    fn fill(&mut self, el: &mut Element, ty: &TypeRef, path: &str, depth: usize) {
        let ty = self.graph.unalias(ty);
        let def = self.graph.resolve(ty);
        match def.map(|d| &d.kind) {
            Some(TypeKind::Struct(_)) => {
                let id = ty.as_named().expect("a struct is named").clone();
                self.fields(el, &id, path, depth);
            }
            Some(TypeKind::List(l)) => match &l.item_element {
                Some(item) => {
                    for _ in 0..self.repeat.max(l.min_items as usize) {
                        let mut child = Element {
                            ns: item.xml_name.ns.clone(),
                            local: item.xml_name.local.clone(),
                            ..Element::default()
                        };
                        let p = format!("{path}/{}", item.xml_name.local);
                        self.fill(&mut child, &l.item, &p, depth + 1);
                        el.children.push(Node::Element(child));
                    }
                }
                // xs:list: items separated by spaces.
                None => {
                    let a = self.leaf(&l.item, path);
                    let b = self.leaf(&l.item, path);
                    el.children.push(Node::Text(format!("{a} {b}")));
                }
            },
            _ => {
                let text = self.leaf(ty, path);
                el.children.push(Node::Text(text));
            }
        }
    }

    fn fields(
        &mut self,
        el: &mut Element,
        id: &altinn_bridge::model::TypeId,
        path: &str,
        depth: usize,
    ) {
        let graph = self.graph;
        let mut chosen = BTreeMap::new();
        for f in graph.all_fields(id) {
            // One branch of each choice: its first field.
            if let Some(c) = f.choice
                && *chosen.entry(c).or_insert(f.name.as_str()) != f.name.as_str()
            {
                continue;
            }
            if depth > MAX_DEPTH && f.min_occurs == 0 {
                continue;
            }
            match f.kind {
                FieldKind::Attribute => {
                    let p = format!("{path}/@{}", f.name);
                    let (ns, local) = f
                        .xml_name
                        .as_ref()
                        .map_or((String::new(), f.name.clone()), |q| {
                            (q.ns.clone(), q.local.clone())
                        });
                    let v = self.leaf(&f.ty, &p);
                    el.attributes.push((ns, local, v));
                }
                FieldKind::Text => {
                    let v = self.leaf(&f.ty, path);
                    el.children.push(Node::Text(v));
                }
                FieldKind::Element | FieldKind::Property => {
                    let (ns, local) = f
                        .xml_name
                        .as_ref()
                        .map_or((String::new(), f.name.clone()), |q| {
                            (q.ns.clone(), q.local.clone())
                        });
                    let p = format!("{path}/{local}");
                    if self.nil && f.nullable && !self.hints.fixes_below(&p) {
                        el.children.push(Node::Element(Element {
                            ns,
                            local,
                            attributes: vec![(XSI.to_owned(), "nil".to_owned(), "true".to_owned())],
                            children: Vec::new(),
                        }));
                        continue;
                    }
                    let count = if f.max_occurs.is_many() {
                        self.repeat.max(f.min_occurs as usize)
                    } else {
                        1
                    };
                    for _ in 0..count {
                        let mut child = Element {
                            ns: ns.clone(),
                            local: local.clone(),
                            ..Element::default()
                        };
                        self.fill(&mut child, &f.ty, &p, depth + 1);
                        el.children.push(Node::Element(child));
                    }
                }
            }
        }
    }

    /// A leaf value for `path` of type `ty`, as the manifest's transforms want it.
    fn leaf(&mut self, ty: &TypeRef, path: &str) -> String {
        if let Some(v) = self.hints.fixed.get(path) {
            let made = Made {
                text: v.clone(),
                unique: true,
            };
            self.leaves.entry(path.to_owned()).or_default().push(made);
            return v.clone();
        }
        let mut made = self.made(ty, path);
        if let Some(w) = self.hints.wanted.get(path)
            && !self.leaves.contains_key(path)
        {
            made.text = w.clone();
        }
        let text = made.text.clone();
        self.leaves.entry(path.to_owned()).or_default().push(made);
        text
    }

    fn made(&mut self, ty: &TypeRef, path: &str) -> Made {
        let transforms = self
            .hints
            .transforms
            .get(path)
            .map(Vec::as_slice)
            .unwrap_or_default();
        for t in transforms {
            let wanted = match t {
                Transform::EnumMap { map } => {
                    // Keys that map to something, in turn, so each repetition differs.
                    let keys: Vec<&String> = map
                        .iter()
                        .filter(|(_, v)| !v.is_empty())
                        .map(|(k, _)| k)
                        .collect();
                    let keys = if keys.is_empty() {
                        map.keys().collect()
                    } else {
                        keys
                    };
                    let i = self.values.int_in(0, 1_000_000) as usize;
                    return Made {
                        text: keys[i % keys.len()].clone(),
                        unique: false,
                    };
                }
                // What follows a lookup works on the table's value, not on the SOAP field's.
                Transform::Lookup { .. } => break,
                Transform::Split { separator } => Some(format!(
                    "{}{separator}{}",
                    self.values.token(),
                    self.values.token()
                )),
                Transform::Format { format } => match format {
                    Format::Uuid | Format::UuidV5 if self.is_text(ty) => Some(self.values.guid()),
                    Format::Integer => Some(self.values.int_in(71_000_000, 79_999_999).to_string()),
                    Format::Base64ToBinary => Some(self.values.binary().1),
                    Format::DateTimeUtc | Format::Date if self.is_text(ty) => {
                        Some(self.values.local_date_time())
                    }
                    Format::InstancePartyId | Format::InstanceGuid => {
                        Some(self.values.instance_id())
                    }
                    Format::HtmlToMarkdown => Some(format!("<p>{}</p>", self.values.token())),
                    _ => None,
                },
                _ => None,
            };
            if let Some(text) = wanted {
                return Made { text, unique: true };
            }
        }
        let resolved = self.graph.unalias(ty);
        if let Some(altinn_bridge::model::TypeDef {
            kind: TypeKind::Enum(e),
            ..
        }) = self.graph.resolve(resolved)
            && !e.values.is_empty()
        {
            let i = self.values.int_in(0, 1_000_000) as usize;
            return Made {
                text: e.values[i % e.values.len()].value.clone(),
                unique: false,
            };
        }
        let builtin = self.graph.builtin_of(resolved).unwrap_or(Builtin::String);
        self.values.of(builtin)
    }

    /// A plain text type (a GUID or date may be carried in one).
    fn is_text(&self, ty: &TypeRef) -> bool {
        self.graph
            .builtin_of(self.graph.unalias(ty))
            .is_none_or(|b| b.is_stringlike() || matches!(b, Builtin::Guid | Builtin::DateTime))
    }
}

/// Writes `roots` as XML text: each namespace gets a prefix on the element that first uses it.
pub fn to_xml(el: &Element) -> String {
    let mut out = String::new();
    let mut scope: Vec<(String, String)> = Vec::new();
    write_el(el, &mut out, &mut scope);
    out
}

fn write_el(el: &Element, out: &mut String, scope: &mut Vec<(String, String)>) {
    let depth = scope.len();
    let mut decls = String::new();
    let prefix_of = |ns: &str, scope: &mut Vec<(String, String)>, decls: &mut String| -> String {
        if ns.is_empty() {
            return String::new();
        }
        if let Some((_, p)) = scope.iter().rev().find(|(n, _)| n == ns) {
            return format!("{p}:");
        }
        let p = format!("n{}", scope.len());
        decls.push_str(&format!(" xmlns:{p}=\"{}\"", escape(ns)));
        scope.push((ns.to_owned(), p.clone()));
        format!("{p}:")
    };
    let name = format!("{}{}", prefix_of(&el.ns, scope, &mut decls), el.local);
    let mut attrs = String::new();
    for (ns, local, v) in &el.attributes {
        let p = prefix_of(ns, scope, &mut decls);
        attrs.push_str(&format!(" {p}{local}=\"{}\"", escape(v)));
    }
    out.push_str(&format!("<{name}{decls}{attrs}>"));
    for c in &el.children {
        match c {
            Node::Element(e) => write_el(e, out, scope),
            Node::Text(t) => out.push_str(&escape(t)),
        }
    }
    out.push_str(&format!("</{name}>"));
    scope.truncate(depth);
}

/// XML-escapes text and attribute values.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
