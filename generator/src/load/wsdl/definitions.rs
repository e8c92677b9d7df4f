//! Phase 2 for WSDL: messages, portTypes, bindings and services of every file resolved against
//! each other and the schemas, plus the bound [`SoapOperation`] view emitters use.

use super::add_unique as add;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use super::builtins::lookup;
use super::ns;
use super::raw::{
    PolicyRef, Raw, RawBindIo, RawBinding, RawIo, RawMessage, RawPolicy, RawPortType, RawPtOp, Ref,
};
use super::xsd::SchemaOut;
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::load::display_name;
use crate::model::{
    Binding, BindingOperation, Builtin, FieldKind, Mep, MessageDef, MessagePart, OpId, PartContent,
    Port, PortType, PortTypeOperation, QName, Service, SoapContract, SoapFault, SoapMessage,
    SoapOperation, Style, TypeGraph, TypeKind, TypeRef,
};

/// Definitions of every file by qualified name (the first declaration wins).
struct Index<'r> {
    messages: HashMap<QName, &'r RawMessage>,
    port_types: HashMap<QName, &'r RawPortType>,
    bindings: HashMap<QName, &'r RawBinding>,
    policies: HashMap<&'r str, &'r RawPolicy>,
}

struct Cx<'r, 'd> {
    idx: Index<'r>,
    schema: &'r SchemaOut,
    messages: BTreeMap<QName, MessageDef>,
    diags: &'d mut Diagnostics,
}

/// Builds the contract from the raw definitions and the resolved schemas.
pub(super) fn build(
    raw: &Raw,
    schema: SchemaOut,
    path: &Path,
    diags: &mut Diagnostics,
) -> SoapContract {
    let idx = index(raw, diags);
    let mut cx = Cx {
        idx,
        schema: &schema,
        messages: BTreeMap::new(),
        diags,
    };
    for d in &raw.defs {
        for m in &d.messages {
            let q = QName::new(d.tns.clone(), m.name.clone());
            if cx
                .idx
                .messages
                .get(&q)
                .is_some_and(|first| std::ptr::eq(*first, m))
            {
                let def = cx.message(q.clone(), m);
                cx.messages.insert(q, def);
            }
        }
    }
    let (mut port_types, mut bindings, mut services, mut operations) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for d in &raw.defs {
        for pt in &d.port_types {
            port_types.push(cx.port_type(QName::new(d.tns.clone(), pt.name.clone()), pt));
        }
        for b in &d.bindings {
            let q = QName::new(d.tns.clone(), b.name.clone());
            if let Some(binding) = cx.binding(q, b) {
                operations.extend(cx.operations(&binding, b));
                bindings.push(binding);
            }
        }
        for s in &d.services {
            services.push(cx.service(QName::new(d.tns.clone(), s.name.clone()), s));
        }
    }
    port_types.sort_by(|a, b| a.name.cmp(&b.name));
    bindings.sort_by(|a, b| a.name.cmp(&b.name));
    services.sort_by(|a, b| a.name.cmp(&b.name));
    operations.sort_by(|a, b| a.id.cmp(&b.id));
    let messages = std::mem::take(&mut cx.messages).into_values().collect();
    let mut types = schema.types;
    super::rpc::wrap(&mut operations, &mut types);
    let root = raw.defs.first().filter(|_| raw.root_is_wsdl);
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let first_service = root
        .and_then(|d| d.services.first())
        .map(|s| s.name.clone());
    let target_namespace = match root {
        Some(d) => d.tns.clone(),
        None => raw
            .schemas
            .first()
            .map(|s| s.tns.clone())
            .unwrap_or_default(),
    };
    SoapContract {
        name: root
            .and_then(|d| d.name.clone())
            .or(first_service)
            .unwrap_or(stem),
        source: display_name(path),
        files: raw.files.clone(),
        target_namespace,
        doc: root.and_then(|d| d.doc.clone()),
        services,
        port_types,
        bindings,
        messages,
        operations,
        elements: schema.elements.into_values().collect(),
        schemas: schema.schemas,
        types,
    }
}

fn index<'r>(raw: &'r Raw, diags: &mut Diagnostics) -> Index<'r> {
    let mut idx = Index {
        messages: HashMap::new(),
        port_types: HashMap::new(),
        bindings: HashMap::new(),
        policies: HashMap::new(),
    };
    for d in &raw.defs {
        for m in &d.messages {
            add(
                &mut idx.messages,
                QName::new(d.tns.clone(), m.name.clone()),
                m,
                m.span,
                "message",
                diags,
            );
        }
        for p in &d.port_types {
            add(
                &mut idx.port_types,
                QName::new(d.tns.clone(), p.name.clone()),
                p,
                p.span,
                "portType",
                diags,
            );
        }
        for b in &d.bindings {
            add(
                &mut idx.bindings,
                QName::new(d.tns.clone(), b.name.clone()),
                b,
                b.span,
                "binding",
                diags,
            );
        }
    }
    for p in &raw.policies {
        idx.policies.entry(p.id.as_str()).or_insert(p);
    }
    idx
}

/// True when a type is binary content: base64Binary itself or a restriction of it
/// (WCF `ms:StreamBody`).
fn is_binary(types: &TypeGraph, ty: &TypeRef) -> bool {
    types.builtin_of(ty) == Some(Builtin::Base64Binary)
}

/// A streamed body: one part that is binary, or whose element wraps exactly one binary element.
fn is_streamed(types: &TypeGraph, body: &[MessagePart]) -> bool {
    let [part] = body else { return false };
    let ty = part.content.ty();
    if is_binary(types, ty) {
        return true;
    }
    let Some(TypeKind::Struct(_)) = types.resolve(ty).map(|t| &t.kind) else {
        return false;
    };
    let Some(id) = ty.as_named() else {
        return false;
    };
    let fields = types.all_fields(id);
    matches!(fields.as_slice(), [f] if f.kind == FieldKind::Element && !f.max_occurs.is_many() && is_binary(types, &f.ty))
}

impl Cx<'_, '_> {
    fn undefined(&mut self, what: &str, r: &Ref) {
        self.diags.push(
            Diagnostic::error(format!("undefined {what} `{}`", r.q))
                .at(r.span, format!("no {what} of this name"))
                .note(format!(
                    "expected a {what} declared in namespace `{}`",
                    r.q.ns
                )),
        );
    }

    fn message(&mut self, name: QName, m: &RawMessage) -> MessageDef {
        let mut parts = Vec::new();
        for p in &m.parts {
            let content = match (&p.element, &p.ty) {
                (Some(e), _) => match self.schema.elements.get(&e.q) {
                    Some(decl) => PartContent::Element {
                        element: e.q.clone(),
                        ty: decl.ty.clone(),
                        nullable: decl.nullable,
                    },
                    None => {
                        self.undefined("element", e);
                        continue;
                    }
                },
                (None, Some(t)) => match lookup(&self.schema.types, &t.q) {
                    Some(ty) => PartContent::Type { ty },
                    None => {
                        self.undefined("type", t);
                        continue;
                    }
                },
                // Reported in phase 1.
                (None, None) => continue,
            };
            parts.push(MessagePart {
                name: p.name.clone(),
                message: name.clone(),
                content,
                span: Some(p.span),
            });
        }
        MessageDef { name, parts }
    }

    /// The message a portType input/output/fault names, checked.
    fn message_ref(&mut self, io: &RawIo) -> Option<QName> {
        let r = io.message.as_ref()?;
        if self.messages.contains_key(&r.q) {
            return Some(r.q.clone());
        }
        self.undefined("message", r);
        None
    }

    fn port_type(&mut self, name: QName, pt: &RawPortType) -> PortType {
        let mut operations = Vec::new();
        for op in &pt.ops {
            let input = op.input.as_ref().and_then(|io| self.message_ref(io));
            let output = op.output.as_ref().and_then(|io| self.message_ref(io));
            let faults = op
                .faults
                .iter()
                .filter_map(|f| Some((f.name.clone().unwrap_or_default(), self.message_ref(f)?)))
                .collect();
            operations.push(PortTypeOperation {
                name: op.name.clone(),
                mep: self.mep(op),
                input,
                output,
                faults,
            });
        }
        PortType { name, operations }
    }

    fn mep(&mut self, op: &RawPtOp) -> Mep {
        match (&op.input, &op.output, op.output_first) {
            (Some(_), Some(_), false) => Mep::RequestResponse,
            (Some(_), Some(_), true) => Mep::SolicitResponse,
            (Some(_), None, _) => Mep::OneWay,
            (None, Some(_), _) => Mep::Notification,
            (None, None, _) => {
                self.diags.push(
                    Diagnostic::error(format!(
                        "operation `{}` has neither input nor output",
                        op.name
                    ))
                    .at(op.span, "here")
                    .note("expected a `wsdl:input` and/or a `wsdl:output`"),
                );
                Mep::OneWay
            }
        }
    }

    /// Assertions of the referenced policies, sorted and deduplicated.
    fn policies(&mut self, refs: &[PolicyRef]) -> Vec<QName> {
        let mut out = BTreeSet::new();
        for r in refs {
            match self.idx.policies.get(r.id.as_str()) {
                Some(p) => out.extend(p.assertions.iter().cloned()),
                None => self.diags.push(
                    Diagnostic::error(format!("undefined policy `#{}`", r.id))
                        .at(r.span, "no policy with this id")
                        .note("expected a `wsp:Policy` with this `wsu:Id` in the contract"),
                ),
            }
        }
        out.into_iter().collect()
    }

    fn binding(&mut self, name: QName, b: &RawBinding) -> Option<Binding> {
        let port_type = b.port_type.as_ref()?;
        if !self.idx.port_types.contains_key(&port_type.q) {
            self.undefined("portType", port_type);
            return None;
        }
        let Some(soap_version) = b.soap else {
            self.diags.push(
                Diagnostic::warning(format!(
                    "binding `{}` is not a SOAP binding and is ignored",
                    b.name
                ))
                .at(b.span, "no soap:binding or soap12:binding")
                .note(
                    "expected a SOAP 1.1 or 1.2 binding; HTTP and MIME bindings are not supported",
                ),
            );
            return None;
        };
        let style = b.style.unwrap_or(Style::Document);
        let operations = b
            .ops
            .iter()
            .map(|op| BindingOperation {
                name: op.name.clone(),
                soap_action: op.soap_action.clone(),
                style: op.style.unwrap_or(style),
            })
            .collect();
        let policies = self.policies(&b.policies);
        let mtom = has_mtom(&policies);
        Some(Binding {
            name,
            port_type: port_type.q.clone(),
            soap_version,
            transport: b.transport.clone(),
            style,
            operations,
            mtom,
            policies,
        })
    }

    fn operations(&mut self, binding: &Binding, raw: &RawBinding) -> Vec<SoapOperation> {
        let Some(pt) = self.idx.port_types.get(&binding.port_type).copied() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (bop, op) in raw.ops.iter().zip(&binding.operations) {
            let Some(pt_op) = pt.ops.iter().find(|o| o.name == bop.name) else {
                self.diags.push(
                    Diagnostic::error(format!(
                        "binding operation `{}` is not in portType `{}`",
                        bop.name, binding.port_type
                    ))
                    .at(bop.span, "bound here")
                    .note(format!(
                        "expected an operation named `{}` in the portType",
                        bop.name
                    )),
                );
                continue;
            };
            let mut refs = bop.policies.clone();
            for io in [&bop.input, &bop.output].into_iter().flatten() {
                refs.extend(io.policies.iter().cloned());
            }
            let mut policies: BTreeSet<QName> = binding.policies.iter().cloned().collect();
            policies.extend(self.policies(&refs));
            let policies: Vec<QName> = policies.into_iter().collect();
            let mut faults: Vec<SoapFault> =
                pt_op.faults.iter().filter_map(|f| self.fault(f)).collect();
            faults.sort_by(|a, b| a.name.cmp(&b.name));
            out.push(SoapOperation {
                id: OpId(format!("{}/{}", binding.name, op.name)),
                name: op.name.clone(),
                binding: binding.name.clone(),
                port_type: binding.port_type.clone(),
                soap_version: binding.soap_version,
                style: op.style,
                soap_action: op.soap_action.clone(),
                mep: self.mep(pt_op),
                input: pt_op
                    .input
                    .as_ref()
                    .and_then(|io| self.soap_message(io, bop.input.as_ref(), op.style)),
                output: pt_op
                    .output
                    .as_ref()
                    .and_then(|io| self.soap_message(io, bop.output.as_ref(), op.style)),
                faults,
                mtom: binding.mtom || has_mtom(&policies),
                policies,
                doc: pt_op.doc.clone(),
                span: Some(pt_op.span),
            });
        }
        out
    }

    fn fault(&mut self, f: &RawIo) -> Option<SoapFault> {
        let message = f.message.as_ref()?.q.clone();
        let detail = self.messages.get(&message)?.parts.first().cloned();
        Some(SoapFault {
            name: f.name.clone().unwrap_or_default(),
            message,
            action: f.action.clone(),
            detail,
        })
    }

    /// A part of a message by name, or an error at `span`.
    fn part(&mut self, message: &QName, part: &str, span: Span) -> Option<MessagePart> {
        let m = self.messages.get(message)?;
        let found = m.parts.iter().find(|p| p.name == part).cloned();
        if found.is_none() {
            self.diags.push(
                Diagnostic::error(format!("message `{message}` has no part `{part}`"))
                    .at(span, "referenced here")
                    .note(format!(
                        "expected one of: {}",
                        m.parts
                            .iter()
                            .map(|p| p.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
            );
        }
        found
    }

    fn soap_message(
        &mut self,
        io: &RawIo,
        bio: Option<&RawBindIo>,
        style: Style,
    ) -> Option<SoapMessage> {
        let message = io.message.as_ref()?.q.clone();
        let parts = self.messages.get(&message)?.parts.clone();
        let empty = RawBindIo::default();
        let bio = bio.unwrap_or(&empty);
        let mut headers = Vec::new();
        for h in &bio.headers {
            let Some(r) = &h.message else { continue };
            if !self.messages.contains_key(&r.q) {
                self.undefined("message", r);
                continue;
            }
            headers.extend(self.part(&r.q, &h.part, h.span));
        }
        let body = match &bio.body_parts {
            Some(names) => {
                let span = bio.body_span.unwrap_or(io.span);
                names
                    .iter()
                    .filter_map(|n| self.part(&message, n, span))
                    .collect()
            }
            // Without `parts=`, every part not bound as a header goes in the body.
            None => parts
                .into_iter()
                .filter(|p| {
                    !headers
                        .iter()
                        .any(|h: &MessagePart| h.message == p.message && h.name == p.name)
                })
                .collect::<Vec<_>>(),
        };
        let streamed = is_streamed(&self.schema.types, &body);
        Some(SoapMessage {
            name: io.name.clone(),
            message,
            action: io.action.clone(),
            body,
            headers,
            rpc_namespace: if style == Style::Rpc {
                bio.namespace.clone()
            } else {
                None
            },
            streamed,
        })
    }

    fn service(&mut self, name: QName, s: &super::raw::RawService) -> Service {
        let mut ports = Vec::new();
        for p in &s.ports {
            let Some(binding) = &p.binding else { continue };
            if !self.idx.bindings.contains_key(&binding.q) {
                self.undefined("binding", binding);
                continue;
            }
            // Ports without a SOAP address were reported in phase 1.
            let Some(soap_version) = p.version else {
                continue;
            };
            ports.push(Port {
                name: p.name.clone(),
                binding: binding.q.clone(),
                address: p.address.clone(),
                soap_version,
            });
        }
        ports.sort_by(|a, b| a.name.cmp(&b.name));
        Service {
            name,
            ports,
            doc: s.doc.clone(),
        }
    }
}

fn has_mtom(policies: &[QName]) -> bool {
    policies.iter().any(|q| q.local == ns::MTOM_ASSERTION)
}
