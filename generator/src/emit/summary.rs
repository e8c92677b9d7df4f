//! The `inspect` summary: what a person wants to see of a contract at a glance.
//!
//! Services and operations with their input and output element trees, endpoints with their
//! parameters and bodies, webhooks. It reads the model only, and its order is the model's (which
//! is sorted), so the same contracts always print the same text.

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::model::{
    Contract, Endpoint, Field, FieldKind, MaxOccurs, MessagePart, PartContent, RestContract,
    SoapContract, SoapMessage, SoapOperation, SoapVersion, TypeGraph, TypeId, TypeKind, TypeRef,
};

/// How deep element trees are printed before they are cut with `…`.
const TREE_DEPTH: usize = 8;
/// REST bodies are usually wide; a shallower tree keeps the summary readable.
const REST_TREE_DEPTH: usize = 4;

/// Renders the summary of every document in the contract.
pub fn render(contract: &Contract) -> String {
    let mut out = String::new();
    for soap in &contract.soap {
        render_soap(&mut out, soap);
        out.push('\n');
    }
    for rest in &contract.rest {
        render_rest(&mut out, rest);
        out.push('\n');
    }
    out
}

fn render_soap(out: &mut String, c: &SoapContract) {
    let versions: Vec<&str> = c.soap_versions().into_iter().map(version_str).collect();
    let _ = writeln!(out, "WSDL {} ({})", c.name, c.source);
    let _ = writeln!(out, "  target namespace: {}", c.target_namespace);
    let _ = writeln!(
        out,
        "  {} file(s), {} schema(s), {} type(s), {} element(s), {} message(s), {} portType(s), SOAP {}",
        c.files.len(),
        c.schemas.len(),
        c.types.len(),
        c.elements.len(),
        c.messages.len(),
        c.port_types.len(),
        if versions.is_empty() {
            "-".to_owned()
        } else {
            versions.join(" & ")
        },
    );
    for s in &c.services {
        let _ = writeln!(out, "  service {}", s.name.local);
        for p in &s.ports {
            let addr = p.address.as_deref().unwrap_or("(no address)");
            let _ = writeln!(
                out,
                "    port {} -> {} (SOAP {}) {addr}",
                p.name,
                p.binding.local,
                version_str(p.soap_version)
            );
        }
    }
    for b in &c.bindings {
        let mtom = if b.mtom { ", MTOM" } else { "" };
        let _ = writeln!(
            out,
            "  binding {} for {} (SOAP {}, {:?}{mtom})",
            b.name.local,
            b.port_type.local,
            version_str(b.soap_version),
            b.style
        );
        for op in c.operations.iter().filter(|o| o.binding == b.name) {
            render_operation(out, c, op);
        }
    }
}

fn render_operation(out: &mut String, c: &SoapContract, op: &SoapOperation) {
    let _ = writeln!(
        out,
        "    operation {} ({:?}, {:?})",
        op.name, op.mep, op.style
    );
    if let Some(a) = &op.soap_action {
        let _ = writeln!(out, "      soapAction: {a}");
    }
    if !op.policies.is_empty() {
        let names: Vec<&str> = op.policies.iter().map(|q| q.local.as_str()).collect();
        let _ = writeln!(out, "      policies: {}", names.join(", "));
    }
    for (label, msg) in [("input", &op.input), ("output", &op.output)] {
        if let Some(m) = msg {
            render_message(out, &c.types, label, m);
        }
    }
    for f in &op.faults {
        let detail = f
            .detail
            .as_ref()
            .map(|p| part_label(&c.types, p))
            .unwrap_or_default();
        let _ = writeln!(out, "      fault {}: {detail}", f.name);
    }
}

fn render_message(out: &mut String, types: &TypeGraph, label: &str, m: &SoapMessage) {
    let streamed = if m.streamed { " (streamed)" } else { "" };
    let _ = writeln!(out, "      {label} {}{streamed}", m.message.local);
    for (kind, parts) in [("header", &m.headers), ("body", &m.body)] {
        for p in parts {
            let _ = writeln!(out, "        {kind} {}", part_label(types, p));
            tree(
                out,
                types,
                p.content.ty(),
                5,
                TREE_DEPTH,
                &mut BTreeSet::new(),
            );
        }
    }
}

fn part_label(types: &TypeGraph, p: &MessagePart) -> String {
    match &p.content {
        PartContent::Element {
            element,
            ty,
            nullable,
        } => {
            let nil = if *nullable { ", nillable" } else { "" };
            format!("{}: {}{nil}", element.local, type_label(types, ty))
        }
        PartContent::Type { ty } => format!("{}: {}", p.name, type_label(types, ty)),
    }
}

fn render_rest(out: &mut String, c: &RestContract) {
    let _ = writeln!(
        out,
        "OpenAPI {} {} (openapi {}, {})",
        c.title, c.version, c.openapi, c.source
    );
    let _ = writeln!(
        out,
        "  {} endpoint(s), {} webhook(s), {} type(s)",
        c.endpoints.len(),
        c.webhooks.len(),
        c.types.len()
    );
    for s in &c.security_schemes {
        let detail = s
            .detail
            .as_deref()
            .map(|d| format!(" {d}"))
            .unwrap_or_default();
        let scopes = if s.scopes.is_empty() {
            String::new()
        } else {
            format!(" scopes: {}", s.scopes.join(", "))
        };
        let _ = writeln!(out, "  security {} ({}{detail}){scopes}", s.name, s.kind);
    }
    for e in &c.endpoints {
        render_endpoint(out, &c.types, e, 2);
    }
    for w in &c.webhooks {
        let _ = writeln!(out, "  webhook {}", w.name);
        for e in &w.operations {
            render_endpoint(out, &c.types, e, 4);
        }
    }
}

fn render_endpoint(out: &mut String, types: &TypeGraph, e: &Endpoint, indent: usize) {
    let pad = " ".repeat(indent);
    let derived = if e.name_derived {
        " (derived name)"
    } else {
        ""
    };
    let path = if e.path.is_empty() {
        String::new()
    } else {
        format!(" {}", e.path)
    };
    let _ = writeln!(out, "{pad}{}{path}  {}{derived}", e.method.as_str(), e.name);
    if let Some(s) = &e.summary {
        let _ = writeln!(out, "{pad}  summary: {}", first_line(s));
    }
    for p in &e.params {
        let req = if p.required { "" } else { "?" };
        let _ = writeln!(
            out,
            "{pad}  {:?} {}{req}: {}",
            p.location,
            p.name,
            type_label(types, &p.ty)
        );
    }
    if let Some(b) = &e.body {
        for m in &b.content {
            let req = if b.required { "" } else { " (optional)" };
            let ty =
                m.ty.as_ref()
                    .map(|t| type_label(types, t))
                    .unwrap_or_else(|| "-".into());
            let _ = writeln!(out, "{pad}  body {}: {ty}{req}", m.media_type);
            if let Some(t) = &m.ty {
                tree(
                    out,
                    types,
                    t,
                    indent / 2 + 2,
                    REST_TREE_DEPTH,
                    &mut BTreeSet::new(),
                );
            }
        }
    }
    for r in &e.responses {
        let media: Vec<String> = r
            .content
            .iter()
            .map(|m| {
                format!(
                    "{}: {}",
                    m.media_type,
                    m.ty.as_ref()
                        .map(|t| type_label(types, t))
                        .unwrap_or_else(|| "-".into())
                )
            })
            .collect();
        let _ = writeln!(out, "{pad}  -> {} {}", r.status, media.join(", "));
    }
}

/// Prints the fields under a type, one per line, indented by `level`.
fn tree(
    out: &mut String,
    types: &TypeGraph,
    ty: &TypeRef,
    level: usize,
    max: usize,
    stack: &mut BTreeSet<TypeId>,
) {
    let Some(def) = types.resolve(types.unalias(ty)) else {
        return;
    };
    let pad = "  ".repeat(level);
    if stack.len() >= max {
        let _ = writeln!(out, "{pad}…");
        return;
    }
    if !stack.insert(def.id.clone()) {
        return; // recursion is marked on the field line that re-enters the type
    }
    match &def.kind {
        TypeKind::Struct(_) => {
            for f in types.all_fields(&def.id) {
                let _ = writeln!(out, "{pad}{}", field_line(types, f, stack));
                if !stack.contains(types.unalias(&f.ty).as_named().unwrap_or(&def.id)) {
                    tree(out, types, &f.ty, level + 1, max, stack);
                }
            }
        }
        TypeKind::List(l) => {
            let item = l
                .item_element
                .as_ref()
                .map(|i| i.xml_name.local.as_str())
                .unwrap_or("item");
            let _ = writeln!(out, "{pad}{item}: {} [0..*]", type_label(types, &l.item));
            tree(out, types, &l.item, level + 1, max, stack);
        }
        TypeKind::Enum(e) => {
            let values: Vec<&str> = e.values.iter().map(|v| v.value.as_str()).take(12).collect();
            let more = if e.values.len() > 12 { ", …" } else { "" };
            let _ = writeln!(out, "{pad}one of: {}{more}", values.join(", "));
        }
        _ => {}
    }
    stack.remove(&def.id);
}

fn field_line(types: &TypeGraph, f: &Field, stack: &BTreeSet<TypeId>) -> String {
    let mark = match f.kind {
        FieldKind::Attribute => "@",
        FieldKind::Text => "#",
        FieldKind::Element | FieldKind::Property => "",
    };
    let max = match f.max_occurs {
        MaxOccurs::Unbounded => "*".to_owned(),
        MaxOccurs::Bounded(n) => n.to_string(),
    };
    let mut line = format!(
        "{mark}{}: {} [{}..{max}]",
        f.name,
        type_label(types, &f.ty),
        f.min_occurs
    );
    if f.nullable {
        line.push_str(" nullable");
    }
    if let Some(d) = &f.default {
        let _ = write!(line, " default={d}");
    }
    if let Some(x) = &f.fixed {
        let _ = write!(line, " fixed={x}");
    }
    if f.choice.is_some() {
        line.push_str(" (choice)");
    }
    if f.ty.as_named().is_some_and(|id| stack.contains(id)) {
        line.push_str(" (recursive)");
    }
    line
}

fn type_label(types: &TypeGraph, t: &TypeRef) -> String {
    match t {
        TypeRef::Builtin(b) => format!("{b:?}").to_lowercase(),
        TypeRef::Named(id) => match types.get(id) {
            // An inline restriction reads best as what it restricts; other inline types by name.
            Some(def) if def.anonymous => match &def.kind {
                TypeKind::Scalar(sc) => type_label(types, &sc.base),
                TypeKind::Enum(_) => "enum".to_owned(),
                TypeKind::List(l) => format!("list of {}", type_label(types, &l.item)),
                _ => def.name.local.clone(),
            },
            _ => short_id(id),
        },
    }
}

/// `{ns}Name` → `Name`, `#/components/schemas/Name` → `Name`; anonymous ids keep their path.
fn short_id(id: &TypeId) -> String {
    let s = id.0.as_str();
    let s = s.rsplit_once('}').map_or(s, |(_, l)| l);
    s.strip_prefix("#/components/schemas/")
        .unwrap_or(s)
        .to_owned()
}

fn version_str(v: SoapVersion) -> &'static str {
    match v {
        SoapVersion::Soap11 => "1.1",
        SoapVersion::Soap12 => "1.2",
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("").trim()
}
