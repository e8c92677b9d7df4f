//! Owned raw items of phase 1: what each file declares, with QNames already resolved in the
//! file's own prefix scope and spans kept for diagnostics. Nothing here borrows a document.

use crate::diag::{FileId, Span};
use crate::model::{Compositor, Derivation, Facets, MaxOccurs, QName, SoapVersion, Style};

/// A resolved QName reference and where it was written.
#[derive(Debug, Clone)]
pub(super) struct Ref {
    /// The resolved name.
    pub q: QName,
    /// The attribute value it came from.
    pub span: Span,
}

/// `minOccurs` / `maxOccurs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Occurs {
    pub min: u32,
    pub max: MaxOccurs,
}

impl Occurs {
    /// Exactly once, the XSD default.
    pub const ONCE: Occurs = Occurs {
        min: 1,
        max: MaxOccurs::Bounded(1),
    };
}

/// A particle of a content model.
#[derive(Debug, Clone)]
pub(super) enum Particle {
    /// A local element declaration or an element `ref`.
    Element(Box<RawElement>),
    /// `xs:group ref=`.
    GroupRef { target: Ref, occurs: Occurs },
    /// A nested `xs:sequence`, `xs:choice` or `xs:all`.
    Model(RawModel),
    /// `xs:any`.
    Any,
}

/// `xs:sequence`, `xs:choice` or `xs:all` with its particles.
#[derive(Debug, Clone)]
pub(super) struct RawModel {
    pub compositor: Compositor,
    pub occurs: Occurs,
    pub items: Vec<Particle>,
    pub span: Span,
}

/// An element declaration (global or local) or reference.
#[derive(Debug, Clone)]
pub(super) struct RawElement {
    /// The declared name; for a `ref`, the referenced element's local name.
    pub name: String,
    /// Target namespace of the declaring schema.
    pub ns: String,
    /// `ref=`.
    pub reference: Option<Ref>,
    /// `type=`.
    pub ty: Option<Ref>,
    /// An anonymous type declared inside.
    pub inline: Option<Box<RawType>>,
    pub occurs: Occurs,
    pub nillable: bool,
    pub default: Option<String>,
    pub fixed: Option<String>,
    /// The name is namespace-qualified on the wire (`form` / `elementFormDefault`; always for
    /// global elements).
    pub qualified: bool,
    pub is_abstract: bool,
    pub substitution_group: Option<Ref>,
    pub doc: Option<String>,
    pub span: Span,
}

/// An attribute declaration (global or local) or reference.
#[derive(Debug, Clone)]
pub(super) struct RawAttr {
    pub name: String,
    pub ns: String,
    pub reference: Option<Ref>,
    pub ty: Option<Ref>,
    pub inline: Option<Box<RawSimple>>,
    pub required: bool,
    pub prohibited: bool,
    pub default: Option<String>,
    pub fixed: Option<String>,
    /// `form` / `attributeFormDefault` (always for global attributes).
    pub qualified: bool,
    pub doc: Option<String>,
    pub span: Span,
}

/// One entry of a type's attribute list.
#[derive(Debug, Clone)]
pub(super) enum AttrItem {
    Attr(Box<RawAttr>),
    GroupRef(Ref),
    Any,
}

/// A complex or simple type.
#[derive(Debug, Clone)]
pub(super) enum RawType {
    Complex(RawComplex),
    Simple(RawSimple),
}

impl RawType {
    /// The declared name (`None` for anonymous types).
    pub fn name(&self) -> Option<&str> {
        match self {
            RawType::Complex(c) => c.name.as_deref(),
            RawType::Simple(s) => s.name.as_deref(),
        }
    }

    /// Where it is declared.
    pub fn span(&self) -> Span {
        match self {
            RawType::Complex(c) => c.span,
            RawType::Simple(s) => s.span,
        }
    }
}

/// `xs:complexType`.
#[derive(Debug, Clone)]
pub(super) struct RawComplex {
    pub name: Option<String>,
    pub is_abstract: bool,
    pub mixed: bool,
    pub content: Content,
    pub doc: Option<String>,
    pub span: Span,
}

/// The content of a complex type.
#[derive(Debug, Clone)]
pub(super) enum Content {
    /// A content model given directly.
    Plain {
        model: Option<Particle>,
        attrs: Vec<AttrItem>,
    },
    /// `xs:complexContent` extension or restriction.
    Complex {
        base: Ref,
        derivation: Derivation,
        model: Option<Particle>,
        attrs: Vec<AttrItem>,
    },
    /// A SOAP-encoding array: `xs:complexContent` restricting `soapenc:Array`, its item type
    /// given by `wsdl:arrayType` on the `soapenc:arrayType` attribute, or by a sequence of one
    /// repeated element.
    SoapArray {
        item: Option<ArrayItem>,
        model: Option<Particle>,
    },
    /// `xs:simpleContent` extension or restriction.
    Simple {
        base: Ref,
        derivation: Derivation,
        facets: Box<Facets>,
        enums: Vec<RawEnum>,
        attrs: Vec<AttrItem>,
    },
}

/// The item type of a SOAP-encoding array (`wsdl:arrayType="tns:Item[]"`).
#[derive(Debug, Clone)]
pub(super) struct ArrayItem {
    /// `tns:Item`.
    pub ty: Ref,
    /// How many `[]` follow it: 1 for an array of items, 2 for an array of arrays.
    pub depth: usize,
}

/// `xs:simpleType`.
#[derive(Debug, Clone)]
pub(super) struct RawSimple {
    pub name: Option<String>,
    pub kind: SimpleKind,
    pub doc: Option<String>,
    pub span: Span,
}

/// What a simple type is.
#[derive(Debug, Clone)]
pub(super) enum SimpleKind {
    Restriction {
        base: Option<Ref>,
        inline_base: Option<Box<RawSimple>>,
        facets: Box<Facets>,
        enums: Vec<RawEnum>,
    },
    List {
        item: Option<Ref>,
        inline: Option<Box<RawSimple>>,
    },
    Union {
        members: Vec<Ref>,
        inline: Vec<RawSimple>,
    },
}

/// One `xs:enumeration`.
#[derive(Debug, Clone)]
pub(super) struct RawEnum {
    /// Trimmed value.
    pub value: String,
    /// `ser:EnumerationValue` appinfo.
    pub numeric: Option<i64>,
    pub doc: Option<String>,
}

/// A named `xs:group`.
#[derive(Debug, Clone)]
pub(super) struct RawGroup {
    pub name: String,
    pub model: Option<RawModel>,
    pub span: Span,
}

/// A named `xs:attributeGroup`.
#[derive(Debug, Clone)]
pub(super) struct RawAttrGroup {
    pub name: String,
    pub attrs: Vec<AttrItem>,
    pub span: Span,
}

/// One `xs:schema` element (inline in `wsdl:types` or a file of its own).
#[derive(Debug, Clone, Default)]
pub(super) struct RawSchema {
    pub tns: String,
    pub elements_qualified: bool,
    pub attributes_qualified: bool,
    /// Display name of the file.
    pub file: String,
    pub elements: Vec<RawElement>,
    pub types: Vec<RawType>,
    pub groups: Vec<RawGroup>,
    pub attr_groups: Vec<RawAttrGroup>,
    pub attributes: Vec<RawAttr>,
}

/// A `wsdl:message`.
#[derive(Debug, Clone)]
pub(super) struct RawMessage {
    pub name: String,
    pub parts: Vec<RawPart>,
    pub span: Span,
}

/// A `wsdl:part`.
#[derive(Debug, Clone)]
pub(super) struct RawPart {
    pub name: String,
    pub element: Option<Ref>,
    pub ty: Option<Ref>,
    pub span: Span,
}

/// A portType operation's input, output or fault.
#[derive(Debug, Clone)]
pub(super) struct RawIo {
    pub name: Option<String>,
    pub message: Option<Ref>,
    /// `wsaw:Action` / `wsam:Action`.
    pub action: Option<String>,
    pub span: Span,
}

/// A portType operation.
#[derive(Debug, Clone)]
pub(super) struct RawPtOp {
    pub name: String,
    pub input: Option<RawIo>,
    pub output: Option<RawIo>,
    /// The output comes before the input (solicit-response / notification).
    pub output_first: bool,
    pub faults: Vec<RawIo>,
    pub doc: Option<String>,
    pub span: Span,
}

/// A `wsdl:portType`.
#[derive(Debug, Clone)]
pub(super) struct RawPortType {
    pub name: String,
    pub ops: Vec<RawPtOp>,
    pub span: Span,
}

/// `wsp:PolicyReference URI=` and where it is.
#[derive(Debug, Clone)]
pub(super) struct PolicyRef {
    /// The id referenced (without `#`).
    pub id: String,
    pub span: Span,
}

/// A `soap:header`.
#[derive(Debug, Clone)]
pub(super) struct RawHeader {
    pub message: Option<Ref>,
    pub part: String,
    pub span: Span,
}

/// A binding operation's input or output.
#[derive(Debug, Clone, Default)]
pub(super) struct RawBindIo {
    /// Where the `soap:body` is, if there is one.
    pub body_span: Option<Span>,
    /// `soap:body parts=` (`None`: all parts).
    pub body_parts: Option<Vec<String>>,
    /// `soap:body namespace=`.
    pub namespace: Option<String>,
    pub headers: Vec<RawHeader>,
    pub policies: Vec<PolicyRef>,
}

/// A binding operation.
#[derive(Debug, Clone)]
pub(super) struct RawBindOp {
    pub name: String,
    pub soap_action: Option<String>,
    pub style: Option<Style>,
    pub input: Option<RawBindIo>,
    pub output: Option<RawBindIo>,
    pub policies: Vec<PolicyRef>,
    pub span: Span,
}

/// A `wsdl:binding`.
#[derive(Debug, Clone)]
pub(super) struct RawBinding {
    pub name: String,
    pub port_type: Option<Ref>,
    /// `None` when the binding is not a SOAP binding.
    pub soap: Option<SoapVersion>,
    pub transport: Option<String>,
    pub style: Option<Style>,
    pub ops: Vec<RawBindOp>,
    pub policies: Vec<PolicyRef>,
    pub span: Span,
}

/// A `wsdl:port`.
#[derive(Debug, Clone)]
pub(super) struct RawPort {
    pub name: String,
    pub binding: Option<Ref>,
    pub address: Option<String>,
    pub version: Option<SoapVersion>,
}

/// A `wsdl:service`.
#[derive(Debug, Clone)]
pub(super) struct RawService {
    pub name: String,
    pub ports: Vec<RawPort>,
    pub doc: Option<String>,
}

/// A `wsp:Policy` with an id.
#[derive(Debug, Clone)]
pub(super) struct RawPolicy {
    pub id: String,
    /// QNames of the assertions inside `wsp:ExactlyOne/wsp:All` (or directly inside).
    pub assertions: Vec<QName>,
}

/// One `wsdl:definitions`.
#[derive(Debug, Clone, Default)]
pub(super) struct RawDefs {
    pub tns: String,
    pub name: Option<String>,
    pub doc: Option<String>,
    pub messages: Vec<RawMessage>,
    pub port_types: Vec<RawPortType>,
    pub bindings: Vec<RawBinding>,
    pub services: Vec<RawService>,
}

/// Everything phase 1 read.
#[derive(Debug, Clone, Default)]
pub(super) struct Raw {
    /// Display names of the files, in reading order.
    pub files: Vec<String>,
    /// The root file.
    pub root: Option<FileId>,
    /// The root file is a WSDL (its definitions are `defs[0]`), not a bare XSD.
    pub root_is_wsdl: bool,
    /// Definitions, root first.
    pub defs: Vec<RawDefs>,
    /// Schemas in reading order.
    pub schemas: Vec<RawSchema>,
    pub policies: Vec<RawPolicy>,
}

/// A file another file asks for (`wsdl:import`, `xs:import`/`xs:include` with a location).
#[derive(Debug, Clone)]
pub(super) struct FoundImport {
    /// The location as written.
    pub location: String,
    /// The location attribute's value.
    pub span: Span,
    /// For `xs:include`: the includer's target namespace (chameleon include).
    pub include_ns: Option<String>,
}
