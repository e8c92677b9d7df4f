//! Phase 1 for WSDL 1.1: one `wsdl:definitions` element into a [`RawDefs`], its inline schemas
//! and its policies.

use roxmltree::Node;

use super::ns;
use super::parse_xsd::parse_schema;
use super::raw::{
    FoundImport, PolicyRef, RawBindIo, RawBindOp, RawBinding, RawDefs, RawHeader, RawIo,
    RawMessage, RawPart, RawPolicy, RawPort, RawPortType, RawPtOp, RawSchema, RawService,
};
use super::scope::{FileCx, display_tag, doc_text, elements, is, join_docs};
use crate::diag::Diagnostic;
use crate::model::{QName, SoapVersion, Style};

/// What one WSDL file yields besides its definitions.
#[derive(Default)]
pub(super) struct WsdlExtras {
    pub schemas: Vec<RawSchema>,
    pub policies: Vec<RawPolicy>,
    pub imports: Vec<FoundImport>,
}

/// Reads one `wsdl:definitions`.
pub(super) fn parse_definitions(
    cx: &mut FileCx<'_>,
    node: Node<'_, '_>,
    file: &str,
    out: &mut WsdlExtras,
) -> RawDefs {
    let mut defs = RawDefs {
        tns: node
            .attribute("targetNamespace")
            .unwrap_or_default()
            .to_owned(),
        name: node.attribute("name").map(str::to_owned),
        doc: documentation(node),
        ..RawDefs::default()
    };
    for child in elements(node) {
        let tag = child.tag_name();
        match (tag.namespace().unwrap_or_default(), tag.name()) {
            (ns::WSDL, "documentation") => {}
            (ns::WSDL, "import") => match child.attribute("location") {
                Some(location) => {
                    let span = cx.attr_span(child, "location");
                    out.imports.push(FoundImport {
                        location: location.trim().to_owned(),
                        span,
                        include_ns: None,
                    });
                }
                None => {
                    let d = Diagnostic::error("`wsdl:import` has no location")
                        .at(cx.span(child), "here")
                        .note("expected a `location` attribute");
                    cx.error(d);
                }
            },
            (ns::WSDL, "types") => types(cx, child, file, out),
            (ns::WSDL, "message") => defs.messages.extend(message(cx, child)),
            (ns::WSDL, "portType") => defs.port_types.extend(port_type(cx, child)),
            (ns::WSDL, "binding") => defs.bindings.extend(binding(cx, child)),
            (ns::WSDL, "service") => defs.services.extend(service(cx, child)),
            (ns::WSP | ns::WSP15, "Policy") => out.policies.extend(policy(cx, child)),
            // Declares that policies are used; the policies themselves are read above.
            (ns::WSP | ns::WSP15, "UsingPolicy") => {}
            _ => cx.unsupported(child, "WSDL element"),
        }
    }
    defs
}

fn types(cx: &mut FileCx<'_>, node: Node<'_, '_>, file: &str, out: &mut WsdlExtras) {
    for child in elements(node) {
        if is(child, ns::XSD, "schema") {
            let schema = parse_schema(cx, child, file, &mut out.imports);
            out.schemas.push(schema);
        } else if !is(child, ns::WSDL, "documentation") {
            cx.unsupported(child, "type system");
        }
    }
}

/// `wsdl:documentation` children's text.
fn documentation(node: Node<'_, '_>) -> Option<String> {
    join_docs(
        elements(node)
            .filter(|c| is(*c, ns::WSDL, "documentation"))
            .filter_map(doc_text),
    )
}

fn message(cx: &mut FileCx<'_>, node: Node<'_, '_>) -> Option<RawMessage> {
    let name = cx.required_name(node)?;
    let mut parts = Vec::new();
    for child in elements(node) {
        if is(child, ns::WSDL, "part") {
            let Some(part_name) = cx.required_name(child) else {
                continue;
            };
            let element = cx.qname_attr(child, "element");
            let ty = cx.qname_attr(child, "type");
            if child.attribute("element").is_none() && child.attribute("type").is_none() {
                let d = Diagnostic::error(format!(
                    "part `{part_name}` has neither `element` nor `type`"
                ))
                .at(cx.span(child), "here")
                .note("expected `element=\"prefix:Name\"` (document style) or `type=` (rpc style)");
                cx.error(d);
            }
            parts.push(RawPart {
                name: part_name,
                element,
                ty,
                span: cx.span(child),
            });
        } else if !is(child, ns::WSDL, "documentation") {
            cx.unsupported(child, "element in wsdl:message");
        }
    }
    Some(RawMessage {
        name,
        parts,
        span: cx.span(node),
    })
}

fn port_type(cx: &mut FileCx<'_>, node: Node<'_, '_>) -> Option<RawPortType> {
    let name = cx.required_name(node)?;
    let mut ops = Vec::new();
    for child in elements(node) {
        if is(child, ns::WSDL, "operation") {
            ops.extend(port_type_op(cx, child));
        } else if !is(child, ns::WSDL, "documentation") {
            cx.unsupported(child, "element in wsdl:portType");
        }
    }
    Some(RawPortType {
        name,
        ops,
        span: cx.span(node),
    })
}

fn port_type_op(cx: &mut FileCx<'_>, node: Node<'_, '_>) -> Option<RawPtOp> {
    let name = cx.required_name(node)?;
    let mut op = RawPtOp {
        name,
        input: None,
        output: None,
        output_first: false,
        faults: Vec::new(),
        doc: documentation(node),
        span: cx.span(node),
    };
    for child in elements(node) {
        match (
            child.tag_name().namespace() == Some(ns::WSDL),
            child.tag_name().name(),
        ) {
            (true, "documentation") => {}
            (true, "input") => op.input = Some(port_type_io(cx, child)),
            (true, "output") => {
                op.output_first = op.input.is_none();
                op.output = Some(port_type_io(cx, child));
            }
            (true, "fault") => op.faults.push(port_type_io(cx, child)),
            _ => cx.unsupported(child, "element in a portType operation"),
        }
    }
    Some(op)
}

fn port_type_io(cx: &mut FileCx<'_>, node: Node<'_, '_>) -> RawIo {
    let message = cx.qname_attr(node, "message");
    if node.attribute("message").is_none() {
        let d = Diagnostic::error(format!("`{}` has no message", display_tag(node)))
            .at(cx.span(node), "here")
            .note("expected a `message` attribute");
        cx.error(d);
    }
    let action = node
        .attribute((ns::WSAW, "Action"))
        .or_else(|| node.attribute((ns::WSAM, "Action")))
        .map(str::to_owned);
    RawIo {
        name: node.attribute("name").map(str::to_owned),
        message,
        action,
        span: cx.span(node),
    }
}

fn soap_version(node: Node<'_, '_>) -> Option<SoapVersion> {
    match node.tag_name().namespace() {
        Some(ns::SOAP11) => Some(SoapVersion::Soap11),
        Some(ns::SOAP12) => Some(SoapVersion::Soap12),
        _ => None,
    }
}

fn style(cx: &mut FileCx<'_>, node: Node<'_, '_>) -> Option<Style> {
    match node.attribute("style")? {
        "document" => Some(Style::Document),
        "rpc" => Some(Style::Rpc),
        other => {
            let d = Diagnostic::error(format!("unknown binding style `{other}`"))
                .at(cx.attr_span(node, "style"), "here")
                .note("expected `document` or `rpc`");
            cx.error(d);
            None
        }
    }
}

fn policy_ref(cx: &mut FileCx<'_>, node: Node<'_, '_>) -> Option<PolicyRef> {
    let is_ref = node.tag_name().name() == "PolicyReference"
        && matches!(node.tag_name().namespace(), Some(ns::WSP | ns::WSP15));
    if !is_ref {
        return None;
    }
    let uri = node.attribute("URI").unwrap_or_default();
    let span = cx.attr_span(node, "URI");
    match uri.strip_prefix('#') {
        Some(id) => Some(PolicyRef {
            id: id.to_owned(),
            span,
        }),
        None => {
            let d = Diagnostic::warning(format!(
                "policy reference `{uri}` is not local and is ignored"
            ))
            .at(span, "here")
            .note("expected `#id` naming a wsp:Policy in the contract");
            cx.error(d);
            None
        }
    }
}

fn binding(cx: &mut FileCx<'_>, node: Node<'_, '_>) -> Option<RawBinding> {
    let name = cx.required_name(node)?;
    let mut b = RawBinding {
        name,
        port_type: cx.qname_attr(node, "type"),
        soap: None,
        transport: None,
        style: None,
        ops: Vec::new(),
        policies: Vec::new(),
        span: cx.span(node),
    };
    for child in elements(node) {
        if let Some(r) = policy_ref(cx, child) {
            b.policies.push(r);
        } else if child.tag_name().name() == "binding" && soap_version(child).is_some() {
            b.soap = soap_version(child);
            b.transport = child.attribute("transport").map(str::to_owned);
            b.style = style(cx, child);
        } else if is(child, ns::WSDL, "operation") {
            b.ops.extend(binding_op(cx, child));
        } else if !is(child, ns::WSDL, "documentation") {
            cx.unsupported(child, "binding extension");
        }
    }
    Some(b)
}

fn binding_op(cx: &mut FileCx<'_>, node: Node<'_, '_>) -> Option<RawBindOp> {
    let name = cx.required_name(node)?;
    let mut op = RawBindOp {
        name,
        soap_action: None,
        style: None,
        input: None,
        output: None,
        policies: Vec::new(),
        span: cx.span(node),
    };
    for child in elements(node) {
        if let Some(r) = policy_ref(cx, child) {
            op.policies.push(r);
            continue;
        }
        let in_wsdl = child.tag_name().namespace() == Some(ns::WSDL);
        match (in_wsdl, child.tag_name().name()) {
            (false, "operation") if soap_version(child).is_some() => {
                op.soap_action = child.attribute("soapAction").map(str::to_owned);
                op.style = style(cx, child);
            }
            (true, "input") => op.input = Some(binding_io(cx, child)),
            (true, "output") => op.output = Some(binding_io(cx, child)),
            // Fault bindings only restate the portType's fault names.
            (true, "fault" | "documentation") => {}
            _ => cx.unsupported(child, "element in a binding operation"),
        }
    }
    Some(op)
}

fn binding_io(cx: &mut FileCx<'_>, node: Node<'_, '_>) -> RawBindIo {
    let mut io = RawBindIo::default();
    for child in elements(node) {
        if let Some(r) = policy_ref(cx, child) {
            io.policies.push(r);
            continue;
        }
        let soap = soap_version(child).is_some();
        match (soap, child.tag_name().name()) {
            (true, "body") => {
                io.body_span = Some(cx.span(child));
                io.body_parts = child
                    .attribute("parts")
                    .map(|p| p.split_whitespace().map(str::to_owned).collect());
                io.namespace = child.attribute("namespace").map(str::to_owned);
                check_use(cx, child);
            }
            (true, "header") => {
                check_use(cx, child);
                let message = cx.qname_attr(child, "message");
                let part = child.attribute("part").unwrap_or_default().to_owned();
                if child.attribute("message").is_none() || part.is_empty() {
                    let d = Diagnostic::error("`soap:header` needs `message` and `part`")
                        .at(cx.span(child), "here")
                        .note("expected `<soap:header message=\"tns:M\" part=\"P\" use=\"literal\"/>`");
                    cx.error(d);
                }
                io.headers.push(RawHeader {
                    message,
                    part,
                    span: cx.span(child),
                });
            }
            _ if is(child, ns::WSDL, "documentation") => {}
            _ => cx.unsupported(child, "element in a binding input/output"),
        }
    }
    io
}

/// `use="encoded"` (SOAP encoding): the message is read as the literal XML it would be, with
/// SOAP-encoding arrays as lists; what encoding adds beyond that is not modelled.
fn check_use(cx: &mut FileCx<'_>, node: Node<'_, '_>) {
    if node.attribute("use") == Some("encoded") {
        let d = Diagnostic::warning(
            "`use=\"encoded\"` (SOAP encoding) is read as literal XML",
        )
        .at(cx.attr_span(node, "use"), "encoded")
        .note("SOAP-encoding arrays become lists; multi-reference values (`href`/`id`) and `xsi:type` are not modelled, so the facade does not promise to answer rpc/encoded clients");
        cx.error(d);
    }
}

fn service(cx: &mut FileCx<'_>, node: Node<'_, '_>) -> Option<RawService> {
    let name = cx.required_name(node)?;
    let mut ports = Vec::new();
    for child in elements(node) {
        if is(child, ns::WSDL, "port") {
            let Some(port_name) = cx.required_name(child) else {
                continue;
            };
            let mut port = RawPort {
                name: port_name,
                binding: cx.qname_attr(child, "binding"),
                address: None,
                version: None,
            };
            for a in elements(child) {
                match (soap_version(a), a.tag_name().name()) {
                    (Some(v), "address") => {
                        port.version = Some(v);
                        port.address = a.attribute("location").map(str::to_owned);
                    }
                    _ if is(a, ns::WSDL, "documentation") => {}
                    _ => cx.unsupported(a, "port extension"),
                }
            }
            ports.push(port);
        } else if !is(child, ns::WSDL, "documentation") {
            cx.unsupported(child, "element in wsdl:service");
        }
    }
    Some(RawService {
        name,
        ports,
        doc: documentation(node),
    })
}

/// A top-level `wsp:Policy`: its id and the assertions of its alternatives.
fn policy(cx: &mut FileCx<'_>, node: Node<'_, '_>) -> Option<RawPolicy> {
    let id = node
        .attribute((ns::WSU, "Id"))
        .or_else(|| node.attribute((ns::XML, "id")))
        .or_else(|| node.attribute("Id"))
        .or_else(|| node.attribute("Name"));
    let Some(id) = id else {
        let d = Diagnostic::warning("policy without an id ignored")
            .at(cx.span(node), "here")
            .note("expected `wsu:Id` so bindings can reference it");
        cx.error(d);
        return None;
    };
    let mut assertions = Vec::new();
    collect_assertions(cx, node, &mut assertions);
    Some(RawPolicy {
        id: id.to_owned(),
        assertions,
    })
}

/// Assertions directly in a policy operator; `ExactlyOne` and `All` are flattened (all
/// alternatives are recorded), nested assertion parameters are not.
fn collect_assertions(cx: &mut FileCx<'_>, node: Node<'_, '_>, out: &mut Vec<QName>) {
    for child in elements(node) {
        let tag = child.tag_name();
        let in_wsp = matches!(tag.namespace(), Some(ns::WSP | ns::WSP15));
        match (in_wsp, tag.name()) {
            (true, "ExactlyOne" | "All" | "Policy") => collect_assertions(cx, child, out),
            (true, "PolicyReference") => cx.unsupported(child, "nested policy reference"),
            _ => out.push(QName::new(tag.namespace().unwrap_or_default(), tag.name())),
        }
    }
}
