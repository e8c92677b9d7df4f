//! Phase 1 for XML Schema: one `xs:schema` element into a [`RawSchema`].

use roxmltree::Node;

use super::ns;
use super::raw::{
    ArrayItem, AttrItem, Content, FoundImport, Occurs, Particle, RawAttr, RawAttrGroup, RawComplex,
    RawElement, RawEnum, RawGroup, RawModel, RawSchema, RawSimple, RawType, SimpleKind,
};
use super::scope::{FileCx, display_tag, doc_text, elements, is, join_docs};
use crate::diag::Diagnostic;
use crate::model::{Compositor, Derivation, Facets};

/// Schema-wide settings a declaration needs.
struct SchemaCx {
    tns: String,
    elements_qualified: bool,
    attributes_qualified: bool,
}

/// Reads one `xs:schema` element. Imports and includes with a location go to `imports`.
pub(super) fn parse_schema(
    cx: &mut FileCx<'_>,
    node: Node<'_, '_>,
    file: &str,
    imports: &mut Vec<FoundImport>,
) -> RawSchema {
    let tns = node
        .attribute("targetNamespace")
        .map(str::to_owned)
        .or_else(|| cx.chameleon.clone())
        .unwrap_or_default();
    let sc = SchemaCx {
        tns: tns.clone(),
        elements_qualified: node.attribute("elementFormDefault") == Some("qualified"),
        attributes_qualified: node.attribute("attributeFormDefault") == Some("qualified"),
    };
    let mut out = RawSchema {
        tns,
        elements_qualified: sc.elements_qualified,
        attributes_qualified: sc.attributes_qualified,
        file: file.to_owned(),
        ..RawSchema::default()
    };
    for child in elements(node) {
        if child.tag_name().namespace() != Some(ns::XSD) {
            cx.unsupported(child, "element in xs:schema");
            continue;
        }
        match child.tag_name().name() {
            "annotation" => {}
            "import" => {
                if let Some(location) = child.attribute("schemaLocation") {
                    let span = cx.attr_span(child, "schemaLocation");
                    imports.push(FoundImport {
                        location: location.trim().to_owned(),
                        span,
                        include_ns: None,
                    });
                }
            }
            "include" => match child.attribute("schemaLocation") {
                Some(location) => {
                    let span = cx.attr_span(child, "schemaLocation");
                    let include_ns = Some(sc.tns.clone());
                    imports.push(FoundImport {
                        location: location.trim().to_owned(),
                        span,
                        include_ns,
                    });
                }
                None => missing_attr(cx, child, "schemaLocation"),
            },
            "element" => {
                if let Some(e) = element(cx, &sc, child, true) {
                    out.elements.push(e);
                }
            }
            "complexType" => {
                if let Some(name) = cx.required_name(child) {
                    out.types
                        .push(RawType::Complex(complex_type(cx, &sc, child, Some(name))));
                }
            }
            "simpleType" => {
                if let Some(name) = cx.required_name(child) {
                    out.types
                        .push(RawType::Simple(simple_type(cx, child, Some(name))));
                }
            }
            "group" => {
                if let Some(name) = cx.required_name(child) {
                    let model = elements(child).find_map(|c| model(cx, &sc, c));
                    out.groups.push(RawGroup {
                        name,
                        model,
                        span: cx.span(child),
                    });
                }
            }
            "attributeGroup" => {
                if let Some(name) = cx.required_name(child) {
                    let attrs = attr_items(cx, &sc, child);
                    out.attr_groups.push(RawAttrGroup {
                        name,
                        attrs,
                        span: cx.span(child),
                    });
                }
            }
            "attribute" => {
                if let Some(a) = attribute(cx, &sc, child, true) {
                    out.attributes.push(a);
                }
            }
            _ => cx.unsupported(child, "XML Schema construct"),
        }
    }
    out
}

fn missing_attr(cx: &mut FileCx<'_>, node: Node<'_, '_>, attr: &str) {
    let d = Diagnostic::error(format!("`{}` has no `{attr}`", display_tag(node)))
        .at(cx.span(node), "here")
        .note(format!("expected a `{attr}` attribute"));
    cx.error(d);
}

/// `xs:annotation/xs:documentation` text of a declaration.
fn annotation_doc(node: Node<'_, '_>) -> Option<String> {
    let docs = elements(node)
        .filter(|c| is(*c, ns::XSD, "annotation"))
        .flat_map(elements)
        .filter(|c| is(*c, ns::XSD, "documentation"))
        .filter_map(doc_text);
    join_docs(docs)
}

/// The reference (for `ref=`), the name and whether it is namespace-qualified, for an element
/// or attribute declaration: global ones and references are always qualified; local ones follow
/// `form=`, else the schema's `elementFormDefault`/`attributeFormDefault` (`form_default`).
/// `None` for an unresolvable `ref`, which was reported already.
fn declared_name(
    cx: &mut FileCx<'_>,
    node: Node<'_, '_>,
    global: bool,
    form_default: bool,
) -> Option<(Option<super::raw::Ref>, String, bool)> {
    let reference = if global {
        None
    } else {
        cx.qname_attr(node, "ref")
    };
    let name = match (&reference, node.attribute("ref")) {
        (Some(r), _) => r.q.local.clone(),
        (None, Some(_)) if !global => return None,
        _ => cx.required_name(node)?,
    };
    let qualified = global
        || reference.is_some()
        || node
            .attribute("form")
            .map_or(form_default, |f| f == "qualified");
    Some((reference, name, qualified))
}

/// An element declaration or reference.
fn element(
    cx: &mut FileCx<'_>,
    sc: &SchemaCx,
    node: Node<'_, '_>,
    global: bool,
) -> Option<RawElement> {
    let (reference, name, qualified) = declared_name(cx, node, global, sc.elements_qualified)?;
    let mut inline = None;
    for child in elements(node) {
        match (
            child.tag_name().namespace() == Some(ns::XSD),
            child.tag_name().name(),
        ) {
            (true, "annotation") => {}
            (true, "complexType") => {
                inline = Some(Box::new(RawType::Complex(complex_type(
                    cx, sc, child, None,
                ))))
            }
            (true, "simpleType") => {
                inline = Some(Box::new(RawType::Simple(simple_type(cx, child, None))))
            }
            (true, "key" | "keyref" | "unique") => cx.unsupported(child, "identity constraint"),
            _ => cx.unsupported(child, "element in xs:element"),
        }
    }
    Some(RawElement {
        name,
        ns: sc.tns.clone(),
        ty: cx.qname_attr(node, "type"),
        reference,
        inline,
        occurs: if global {
            Occurs::ONCE
        } else {
            cx.occurs(node)
        },
        nillable: cx.bool_attr(node, "nillable", false),
        default: node.attribute("default").map(str::to_owned),
        fixed: node.attribute("fixed").map(str::to_owned),
        qualified,
        is_abstract: cx.bool_attr(node, "abstract", false),
        substitution_group: cx.qname_attr(node, "substitutionGroup"),
        doc: annotation_doc(node),
        span: cx.span(node),
    })
}

/// An attribute declaration or reference.
fn attribute(
    cx: &mut FileCx<'_>,
    sc: &SchemaCx,
    node: Node<'_, '_>,
    global: bool,
) -> Option<RawAttr> {
    let (reference, name, qualified) = declared_name(cx, node, global, sc.attributes_qualified)?;
    let mut inline = None;
    for child in elements(node) {
        match (
            child.tag_name().namespace() == Some(ns::XSD),
            child.tag_name().name(),
        ) {
            (true, "annotation") => {}
            (true, "simpleType") => inline = Some(Box::new(simple_type(cx, child, None))),
            _ => cx.unsupported(child, "element in xs:attribute"),
        }
    }
    let usage = node.attribute("use").map(str::trim);
    Some(RawAttr {
        name,
        ns: sc.tns.clone(),
        reference,
        ty: cx.qname_attr(node, "type"),
        inline,
        required: usage == Some("required"),
        prohibited: usage == Some("prohibited"),
        default: node.attribute("default").map(str::to_owned),
        fixed: node.attribute("fixed").map(str::to_owned),
        qualified,
        doc: annotation_doc(node),
        span: cx.span(node),
    })
}

/// Attribute declarations, attributeGroup refs and `xs:anyAttribute` among `node`'s children.
fn attr_items(cx: &mut FileCx<'_>, sc: &SchemaCx, node: Node<'_, '_>) -> Vec<AttrItem> {
    let mut out = Vec::new();
    for child in elements(node).filter(|c| c.tag_name().namespace() == Some(ns::XSD)) {
        match child.tag_name().name() {
            "attribute" => {
                out.extend(attribute(cx, sc, child, false).map(|a| AttrItem::Attr(Box::new(a))))
            }
            "attributeGroup" => match cx.qname_attr(child, "ref") {
                Some(r) => out.push(AttrItem::GroupRef(r)),
                None if child.attribute("ref").is_none() => missing_attr(cx, child, "ref"),
                None => {}
            },
            "anyAttribute" => out.push(AttrItem::Any),
            _ => {}
        }
    }
    out
}

/// A particle if `node` is one (`element`, `group`, `sequence`, `choice`, `all`, `any`).
fn particle(cx: &mut FileCx<'_>, sc: &SchemaCx, node: Node<'_, '_>) -> Option<Particle> {
    if node.tag_name().namespace() != Some(ns::XSD) {
        return None;
    }
    match node.tag_name().name() {
        "element" => element(cx, sc, node, false).map(|e| Particle::Element(Box::new(e))),
        "group" => {
            let occurs = cx.occurs(node);
            match cx.qname_attr(node, "ref") {
                Some(target) => Some(Particle::GroupRef { target, occurs }),
                None => {
                    if node.attribute("ref").is_none() {
                        missing_attr(cx, node, "ref");
                    }
                    None
                }
            }
        }
        "any" => Some(Particle::Any),
        _ => model(cx, sc, node).map(Particle::Model),
    }
}

/// `xs:sequence`, `xs:choice` or `xs:all` if `node` is one.
fn model(cx: &mut FileCx<'_>, sc: &SchemaCx, node: Node<'_, '_>) -> Option<RawModel> {
    if node.tag_name().namespace() != Some(ns::XSD) {
        return None;
    }
    let compositor = match node.tag_name().name() {
        "sequence" => Compositor::Sequence,
        "choice" => Compositor::Choice,
        "all" => Compositor::All,
        _ => return None,
    };
    let mut items = Vec::new();
    for child in elements(node) {
        if is(child, ns::XSD, "annotation") {
            continue;
        }
        match particle(cx, sc, child) {
            Some(p) => items.push(p),
            None if is_particle_name(child) => {}
            None => cx.unsupported(child, "content model element"),
        }
    }
    Some(RawModel {
        compositor,
        occurs: cx.occurs(node),
        items,
        span: cx.span(node),
    })
}

fn is_particle_name(node: Node<'_, '_>) -> bool {
    node.tag_name().namespace() == Some(ns::XSD)
        && matches!(
            node.tag_name().name(),
            "element" | "group" | "sequence" | "choice" | "all" | "any"
        )
}

/// The first content-model particle among `node`'s children.
fn first_particle(cx: &mut FileCx<'_>, sc: &SchemaCx, node: Node<'_, '_>) -> Option<Particle> {
    let mut found = None;
    for child in elements(node).filter(|c| is_particle_name(*c)) {
        let p = particle(cx, sc, child);
        if found.is_none() {
            found = p;
        } else if p.is_some() {
            cx.unsupported(child, "second content model");
        }
    }
    found
}

/// `xs:complexType` (named or anonymous).
fn complex_type(
    cx: &mut FileCx<'_>,
    sc: &SchemaCx,
    node: Node<'_, '_>,
    name: Option<String>,
) -> RawComplex {
    let mut mixed = cx.bool_attr(node, "mixed", false);
    let mut content = None;
    for child in elements(node) {
        let xsd = child.tag_name().namespace() == Some(ns::XSD);
        match (xsd, child.tag_name().name()) {
            (true, "annotation" | "attribute" | "attributeGroup" | "anyAttribute") => {}
            (true, "sequence" | "choice" | "all" | "group") => {}
            (true, "complexContent") => {
                mixed |= cx.bool_attr(child, "mixed", false);
                content = derived(cx, sc, child, false);
            }
            (true, "simpleContent") => content = derived(cx, sc, child, true),
            _ => cx.unsupported(child, "element in xs:complexType"),
        }
    }
    let content = content.unwrap_or_else(|| Content::Plain {
        model: first_particle(cx, sc, node),
        attrs: attr_items(cx, sc, node),
    });
    RawComplex {
        name,
        is_abstract: cx.bool_attr(node, "abstract", false),
        mixed,
        content,
        doc: annotation_doc(node),
        span: cx.span(node),
    }
}

/// `xs:complexContent` or `xs:simpleContent` with its extension or restriction.
fn derived(
    cx: &mut FileCx<'_>,
    sc: &SchemaCx,
    node: Node<'_, '_>,
    simple: bool,
) -> Option<Content> {
    let inner =
        elements(node).find(|c| is(*c, ns::XSD, "extension") || is(*c, ns::XSD, "restriction"));
    let Some(inner) = inner else {
        let d = Diagnostic::error(format!(
            "`{}` has no extension or restriction",
            display_tag(node)
        ))
        .at(cx.span(node), "here")
        .note("expected an `xs:extension` or `xs:restriction` child");
        cx.error(d);
        return None;
    };
    let derivation = if inner.tag_name().name() == "extension" {
        Derivation::Extension
    } else {
        Derivation::Restriction
    };
    let Some(base) = cx.qname_attr(inner, "base") else {
        if inner.attribute("base").is_none() {
            missing_attr(cx, inner, "base");
        }
        return None;
    };
    if !simple && base.q.ns == ns::SOAP_ENC && base.q.local == "Array" {
        return Some(Content::SoapArray {
            item: array_item(cx, inner),
            model: first_particle(cx, sc, inner),
        });
    }
    let attrs = attr_items(cx, sc, inner);
    if simple {
        let (facets, enums) = facets(cx, inner);
        return Some(Content::Simple {
            base,
            derivation,
            facets: Box::new(facets),
            enums,
            attrs,
        });
    }
    let model = first_particle(cx, sc, inner);
    Some(Content::Complex {
        base,
        derivation,
        model,
        attrs,
    })
}

/// The item type `wsdl:arrayType` names on a `soapenc:Array` restriction's attribute
/// (`tns:Item[]`, `xsd:string[][]`; a rank like `[,]` is one level, sent flat).
fn array_item(cx: &mut FileCx<'_>, restriction: Node<'_, '_>) -> Option<ArrayItem> {
    let (node, attr) = elements(restriction)
        .filter(|c| is(*c, ns::XSD, "attribute"))
        .find_map(|c| {
            c.attributes()
                .find(|a| a.namespace() == Some(ns::WSDL) && a.name() == "arrayType")
                .map(|a| (c, a))
        })?;
    let span = crate::diag::Span::new(cx.file, attr.range_value());
    let value = attr.value().trim();
    let Some(open) = value.find('[') else {
        let d = Diagnostic::error(format!("malformed `wsdl:arrayType` `{value}`"))
            .at(span, "no dimensions")
            .note("expected a type followed by dimensions, e.g. `tns:Item[]`");
        cx.error(d);
        return None;
    };
    let (name, dims) = value.split_at(open);
    let ty = cx.resolve(node, name, span)?;
    Some(ArrayItem {
        ty,
        depth: dims.matches('[').count(),
    })
}

/// `xs:simpleType` (named or anonymous).
fn simple_type(cx: &mut FileCx<'_>, node: Node<'_, '_>, name: Option<String>) -> RawSimple {
    let mut kind = None;
    for child in elements(node) {
        let xsd = child.tag_name().namespace() == Some(ns::XSD);
        match (xsd, child.tag_name().name()) {
            (true, "annotation") => {}
            (true, "restriction") => {
                let (facets, enums) = facets(cx, child);
                let inline_base = inline_simple(cx, child);
                let base = cx.qname_attr(child, "base");
                kind = Some(SimpleKind::Restriction {
                    base,
                    inline_base,
                    facets: Box::new(facets),
                    enums,
                });
            }
            (true, "list") => {
                let item = cx.qname_attr(child, "itemType");
                kind = Some(SimpleKind::List {
                    item,
                    inline: inline_simple(cx, child),
                });
            }
            (true, "union") => {
                let mut members = Vec::new();
                if let Some(list) = child.attribute("memberTypes") {
                    let span = cx.attr_span(child, "memberTypes");
                    members.extend(
                        list.split_whitespace()
                            .filter_map(|m| cx.resolve(child, m, span)),
                    );
                }
                let inline = elements(child)
                    .filter(|c| is(*c, ns::XSD, "simpleType"))
                    .map(|c| simple_type(cx, c, None))
                    .collect();
                kind = Some(SimpleKind::Union { members, inline });
            }
            _ => cx.unsupported(child, "element in xs:simpleType"),
        }
    }
    let kind = kind.unwrap_or_else(|| {
        let d = Diagnostic::error("`xs:simpleType` has no restriction, list or union")
            .at(cx.span(node), "here")
            .note("expected `xs:restriction`, `xs:list` or `xs:union`");
        cx.error(d);
        SimpleKind::Restriction {
            base: None,
            inline_base: None,
            facets: Box::default(),
            enums: Vec::new(),
        }
    });
    check_simple_kind(cx, node, &kind);
    RawSimple {
        name,
        kind,
        doc: annotation_doc(node),
        span: cx.span(node),
    }
}

/// A restriction needs a base (attribute or inline); a list an item type.
fn check_simple_kind(cx: &mut FileCx<'_>, node: Node<'_, '_>, kind: &SimpleKind) {
    let missing = match kind {
        SimpleKind::Restriction {
            base: None,
            inline_base: None,
            ..
        } => Some("a `base` attribute or an inline xs:simpleType"),
        SimpleKind::List {
            item: None,
            inline: None,
        } => Some("an `itemType` attribute or an inline xs:simpleType"),
        _ => None,
    };
    // A base that failed to resolve was reported where it is written.
    let written = ["base", "itemType"]
        .iter()
        .any(|a| elements(node).any(|c| c.attribute(*a).is_some()));
    if let (Some(expected), false) = (missing, written) {
        let d = Diagnostic::error("simple type has no base type")
            .at(cx.span(node), "here")
            .note(format!("expected {expected}"));
        cx.error(d);
    }
}

fn inline_simple(cx: &mut FileCx<'_>, node: Node<'_, '_>) -> Option<Box<RawSimple>> {
    let child = elements(node).find(|c| is(*c, ns::XSD, "simpleType"))?;
    Some(Box::new(simple_type(cx, child, None)))
}

/// Facets and enumerations of a restriction.
fn facets(cx: &mut FileCx<'_>, node: Node<'_, '_>) -> (Facets, Vec<RawEnum>) {
    let mut f = Facets::default();
    let mut enums = Vec::new();
    for child in elements(node).filter(|c| c.tag_name().namespace() == Some(ns::XSD)) {
        let value = child
            .attribute("value")
            .map(str::trim)
            .unwrap_or_default()
            .to_owned();
        let number = |cx: &mut FileCx<'_>| -> Option<u64> {
            value.parse().map_err(|_| invalid_facet(cx, child)).ok()
        };
        match child.tag_name().name() {
            "enumeration" => enums.push(RawEnum {
                value: value.clone(),
                numeric: enumeration_value(child),
                doc: annotation_doc(child),
            }),
            "length" => f.length = number(cx),
            "minLength" => f.min_length = number(cx),
            "maxLength" => f.max_length = number(cx),
            "totalDigits" => f.total_digits = number(cx).and_then(|n| u32::try_from(n).ok()),
            "fractionDigits" => f.fraction_digits = number(cx).and_then(|n| u32::try_from(n).ok()),
            // Patterns are regular expressions: whitespace in them is significant.
            "pattern" => f
                .patterns
                .push(child.attribute("value").unwrap_or_default().to_owned()),
            "minInclusive" => f.min_inclusive = Some(value),
            "maxInclusive" => f.max_inclusive = Some(value),
            "minExclusive" => f.min_exclusive = Some(value),
            "maxExclusive" => f.max_exclusive = Some(value),
            "whiteSpace" => f.white_space = Some(value),
            "annotation" | "simpleType" | "attribute" | "attributeGroup" | "anyAttribute" => {}
            _ => cx.unsupported(child, "facet"),
        }
    }
    (f, enums)
}

fn invalid_facet(cx: &mut FileCx<'_>, node: Node<'_, '_>) {
    let d = Diagnostic::error(format!("invalid `{}` facet value", display_tag(node)))
        .at(cx.attr_span(node, "value"), "here")
        .note("expected a non-negative integer");
    cx.error(d);
}

/// The numeric value WCF puts in `xs:annotation/xs:appinfo/ser:EnumerationValue` (trimmed: the
/// NAV copies are pretty-printed). Other appinfo is ignored on purpose.
fn enumeration_value(node: Node<'_, '_>) -> Option<i64> {
    elements(node)
        .filter(|c| is(*c, ns::XSD, "annotation"))
        .flat_map(elements)
        .filter(|c| is(*c, ns::XSD, "appinfo"))
        .flat_map(elements)
        .find(|c| is(*c, ns::MS_SER, "EnumerationValue"))
        .and_then(|c| c.text())
        .and_then(|t| t.trim().parse().ok())
}
