//! The `soap` module of a generated file: the mapped operations' input and output elements as
//! structs that read and write themselves through `altinn_bridge_runtime::xml`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Builtin, Field, FieldKind, ListType, SoapContract, TypeDef, TypeKind, TypeRef};

use heck::ToShoutySnakeCase;

use super::common::{Origin, enum_variants, field_doc, type_doc, value_doc};
use super::names::{Unique, ident, snake};
use super::namespaces::Namespaces;
use super::plan::{Inline, Plan};
use crate::link::Resolved;

/// The Rust type of each element the `soap` module reads and writes, by qualified name, as code
/// beside the module writes it (`soap::InsertCorrespondenceBasicV2`, `i32`, runtime paths).
pub type ElementTypes = std::collections::BTreeMap<crate::model::QName, ElementInfo>;

/// What generated code calls one element of the mapped operations.
#[derive(Debug, Clone)]
pub struct ElementInfo {
    /// Its Rust type, as written outside `mod soap`.
    pub ty: TokenStream,
    /// Its variant of `soap::Message`.
    pub variant: proc_macro2::Ident,
    /// Its `(namespace, local name)` constant in `mod soap`.
    pub name: proc_macro2::Ident,
}

/// The `soap` module of one manifest, and what code beside it needs to refer into it.
pub struct SoapModule {
    /// The module's items.
    pub tokens: TokenStream,
    /// The Rust type, variant and name constant of each operation element.
    pub elements: ElementTypes,
    /// The namespace constants it defines.
    pub namespaces: Namespaces,
}

impl SoapModule {
    /// An element's `(namespace, local name)` as code reaches it through `module` (`soap::`,
    /// `super::soap::`): its constant when the module has one, else the pair with the
    /// namespace by its constant.
    pub fn name_of(&self, q: &crate::model::QName, module: &TokenStream) -> TokenStream {
        match self.elements.get(q) {
            Some(info) => {
                let id = &info.name;
                quote!(#module #id)
            }
            None => {
                let (ns, local) = (self.namespaces.at(module, &q.ns), &q.local);
                quote!((#ns, #local))
            }
        }
    }
}

/// The `soap` module's items for one manifest. `path_uris` are the namespaces the plans and the
/// facade use besides those of the types and elements (see [`super::namespaces::of_paths`]):
/// every namespace generated code writes gets its constant here.
pub fn module(
    resolved: &Resolved,
    soap: &SoapContract,
    path_uris: std::collections::BTreeSet<String>,
) -> SoapModule {
    let ops: Vec<_> = resolved
        .operations
        .iter()
        .filter_map(|l| soap.operations.iter().find(|o| o.id == l.soap_op))
        .collect();
    let parts: Vec<_> = ops
        .iter()
        .flat_map(|o| o.input_parts().into_iter().chain(o.output_parts()))
        .collect();
    let mut scope = Unique::default();
    let mut plan = Plan::new(
        &soap.types,
        parts.iter().map(|p| p.content.ty()),
        &mut scope,
    );
    let element_list = element_parts(&parts);
    let mut uris = plan.type_namespaces();
    uris.extend(path_uris);
    uris.extend(element_list.iter().map(|(q, _)| q.ns.clone()));
    plan.namespaces = Namespaces::new(uris);
    let namespaces = plan.namespaces.iter().map(|(uri, name)| {
        let id = ident(name);
        let doc = format!(" The namespace `{uri}`.");
        quote!(#[doc = #doc] pub const #id: &str = #uri;)
    });
    let mut const_scope = Unique::with(&plan.namespaces.const_names());
    let consts: Vec<proc_macro2::Ident> = element_list
        .iter()
        .map(|(q, _)| ident(&const_scope.claim(const_name(&q.local))))
        .collect();
    let elements = element_list.iter().zip(&consts).map(|((q, _), id)| {
        let ns = ns_tokens(&plan, &q.ns);
        let local = q.local.as_str();
        let doc = format!(
            " The element `{{{}}}{local}`: (namespace, local name).",
            q.ns
        );
        quote!(#[doc = #doc] pub const #id: (&str, &str) = (#ns, #local);)
    });
    let rows = message_rows(&plan, &element_list, &consts);
    let messages = messages(&rows);
    let types: ElementTypes = element_list
        .iter()
        .zip(&rows)
        .map(|((q, ty), row)| {
            let info = ElementInfo {
                ty: outside_type(&plan, ty),
                variant: row.0.clone(),
                name: row.2.clone(),
            };
            ((*q).clone(), info)
        })
        .collect();
    let items = plan.types().map(|(def, name)| item(&plan, def, name));
    let uses = (!plan.names.is_empty()).then(|| {
        quote!(
            use ::altinn_bridge_runtime::xml;
        )
    });
    let tokens = quote! {
        #uses
        #(#namespaces)*
        #(#elements)*
        #messages
        #(#items)*
    };
    SoapModule {
        tokens,
        elements: types,
        namespaces: plan.namespaces.clone(),
    }
}

/// The element parts of the mapped operations, sorted by name and deduplicated: what a SOAP body
/// or header block of these operations may hold.
fn element_parts<'p>(
    parts: &[&'p crate::model::MessagePart],
) -> Vec<(&'p crate::model::QName, &'p TypeRef)> {
    let mut out: Vec<_> = parts
        .iter()
        .filter_map(|p| match &p.content {
            crate::model::PartContent::Element { element, ty, .. } => Some((element, ty)),
            crate::model::PartContent::Type { .. } => None,
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

/// One variant of `enum Message`: its name, the type it holds, the element's name constant.
type MessageRow = (proc_macro2::Ident, TokenStream, proc_macro2::Ident);

/// The variants of `enum Message`, in the order of [`element_parts`] (sorted by element name).
fn message_rows(
    plan: &Plan<'_>,
    elements: &[(&crate::model::QName, &TypeRef)],
    consts: &[proc_macro2::Ident],
) -> Vec<MessageRow> {
    let mut scope = Unique::default();
    elements
        .iter()
        .zip(consts)
        .map(|((q, ty), name)| {
            let variant = ident(&scope.claim(super::names::camel(&q.local, "E")));
            (variant, rust_type(plan, ty), name.clone())
        })
        .collect()
}

/// `enum Message`: any body or header element of the mapped operations, read by its qualified
/// name. The facade and the tests read whatever element arrives through it; an element that no
/// mapped operation uses is an error, not a silent skip.
fn messages(rows: &[MessageRow]) -> TokenStream {
    if rows.is_empty() {
        return TokenStream::new();
    }
    let decls = rows.iter().map(|(v, ty, name)| {
        let doc = format!(" The element [`{name}`].");
        quote!(#[doc = #doc] #v(#ty),)
    });
    let reads = rows.iter().map(
        |(v, ty, name)| quote!(#name => <#ty as xml::XmlContent>::read_content(el).map(Self::#v),),
    );
    let names = rows
        .iter()
        .map(|(v, _, name)| quote!(Self::#v(_) => #name,));
    let writes = rows
        .iter()
        .map(|(v, _, _)| quote!(Self::#v(value) => xml::to_string(value, ns, local),));
    quote! {
        /// Any body or header element of the mapped operations.
        // A message is read, used and dropped; boxing the large variants would only add allocations.
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq)]
        pub enum Message {
            #(#decls)*
        }

        impl Message {
            /// Reads `el` as the element its qualified name says it is.
            pub fn read(el: &xml::Element) -> ::std::result::Result<Self, xml::XmlError> {
                match (el.ns.as_str(), el.local.as_str()) {
                    #(#reads)*
                    _ => ::std::result::Result::Err(xml::XmlError::UnexpectedRoot {
                        expected: "an element of the mapped operations".to_owned(),
                        found: ::std::format!("{{{}}}{}", el.ns, el.local),
                    }),
                }
            }

            /// The element's (namespace, local name).
            pub fn qname(&self) -> (&'static str, &'static str) {
                match self {
                    #(#names)*
                }
            }

            /// The element as a standalone document (no XML declaration).
            pub fn to_xml(&self) -> ::std::result::Result<::std::string::String, xml::XmlError> {
                let (ns, local) = self.qname();
                match self {
                    #(#writes)*
                }
            }
        }
    }
}

/// The name of an element's `(namespace, local name)` constant: its local name in shouty snake
/// case, `E_` first when that would not be an identifier.
fn const_name(local: &str) -> String {
    let mut base = local.to_shouty_snake_case();
    base.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
        base.insert_str(0, "E_");
    }
    base
}

fn item(plan: &Plan<'_>, def: &TypeDef, name: &str) -> TokenStream {
    let id = ident(name);
    let doc = type_doc(def, Origin::Xsd);
    match &def.kind {
        TypeKind::Struct(_) => structure(plan, def, name),
        TypeKind::Enum(e) if !e.flags && !e.values.is_empty() => enumeration(def, name, e),
        TypeKind::List(l) if l.item_element.is_some() => list(plan, def, name, l),
        TypeKind::Scalar(s) => {
            let base = rust_type(plan, &s.base);
            quote!(#doc pub type #id = #base;)
        }
        TypeKind::Alias { target } => {
            let target = rust_type(plan, target);
            quote!(#doc pub type #id = #target;)
        }
        // Flags enums, `xs:list` and `xs:union` are kept as their text.
        TypeKind::Enum(_) | TypeKind::List(_) | TypeKind::Union(_) => {
            quote!(#doc pub type #id = ::std::string::String;)
        }
    }
}

/// A namespace as its constant, or `""` for unqualified names.
fn ns_tokens(plan: &Plan<'_>, ns: &str) -> TokenStream {
    plan.namespaces.at(&TokenStream::new(), ns)
}

/// How generated code reaches the types: the module's own, and the runtime's XML scalars.
struct Paths {
    types: TokenStream,
    xml: TokenStream,
}

/// The Rust type of one value of `r` (no `Option`/`Vec`), inside the `soap` module.
fn rust_type(plan: &Plan<'_>, r: &TypeRef) -> TokenStream {
    let inside = Paths {
        types: TokenStream::new(),
        xml: quote!(xml::),
    };
    inlined_type(plan, r, &inside, 0)
}

/// The same type as code beside the `soap` module writes it (the client's signatures).
fn outside_type(plan: &Plan<'_>, r: &TypeRef) -> TokenStream {
    let outside = Paths {
        types: quote!(soap::),
        xml: quote!(::altinn_bridge_runtime::xml::),
    };
    inlined_type(plan, r, &outside, 0)
}

/// `depth` bounds a (malformed) cycle of inlined types.
fn inlined_type(plan: &Plan<'_>, r: &TypeRef, paths: &Paths, depth: usize) -> TokenStream {
    let id = match r {
        TypeRef::Builtin(b) => return builtin(*b, &paths.xml),
        TypeRef::Named(id) => id,
    };
    if let Some(n) = plan.names.get(id) {
        let (n, types) = (ident(n), &paths.types);
        return quote!(#types #n);
    }
    match plan.inline(id) {
        Some(Inline::Same(t)) if depth < 32 => inlined_type(plan, t, paths, depth + 1),
        // `xs:list` values are kept as their space-separated text.
        Some(Inline::ListOf(_)) | None | Some(Inline::Same(_)) => quote!(::std::string::String),
    }
}

fn builtin(b: Builtin, xml: &TokenStream) -> TokenStream {
    use Builtin::*;
    match b {
        Boolean => quote!(bool),
        Byte => quote!(i8),
        Short => quote!(i16),
        Int => quote!(i32),
        Long => quote!(i64),
        UnsignedByte => quote!(u8),
        UnsignedShort | Char => quote!(u16),
        UnsignedInt => quote!(u32),
        UnsignedLong => quote!(u64),
        Float => quote!(f32),
        Double | Number => quote!(f64),
        Decimal => quote!(#xml Decimal),
        Integer | NonNegativeInteger | PositiveInteger | NonPositiveInteger | NegativeInteger => {
            quote!(#xml Integer)
        }
        DateTime => quote!(#xml DateTime),
        Date => quote!(#xml Date),
        Time => quote!(#xml Time),
        Duration => quote!(#xml Duration),
        Guid => quote!(#xml Guid),
        Base64Binary | Binary => quote!(#xml Base64Binary),
        AnyType => quote!(#xml Element),
        String | NormalizedString | Token | Language | Name | NcName | Id | IdRef | NmToken
        | GYear | GYearMonth | GMonth | GMonthDay | GDay | HexBinary | AnyUri | QName
        | AnySimpleType => quote!(::std::string::String),
    }
}

/// True when values of `r` are text (`XmlText`), so they can be attributes or simple content.
fn is_text(plan: &Plan<'_>, r: &TypeRef) -> bool {
    match plan.graph.unalias(r) {
        TypeRef::Builtin(b) => *b != Builtin::AnyType,
        TypeRef::Named(id) => match plan.graph.get(id).map(|d| &d.kind) {
            Some(TypeKind::Struct(_)) => false,
            Some(TypeKind::List(l)) => l.item_element.is_none(),
            _ => true,
        },
    }
}

/// How often an element occurs, and whether it may be nil.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Required,
    Optional,
    Nillable,
    OptionalNillable,
    Many,
    ManyNillable,
}

fn shape(f: &Field) -> Shape {
    // A branch of a choice may be absent even when its own minOccurs is 1.
    let optional = f.is_optional() || f.choice.is_some();
    match (f.max_occurs.is_many(), optional, f.nullable) {
        (true, _, false) => Shape::Many,
        (true, _, true) => Shape::ManyNillable,
        (false, false, false) => Shape::Required,
        (false, true, false) => Shape::Optional,
        (false, false, true) => Shape::Nillable,
        (false, true, true) => Shape::OptionalNillable,
    }
}

/// One struct field: its declaration, its read expression and its write statement.
struct FieldCode {
    decl: TokenStream,
    read: TokenStream,
    write: TokenStream,
    attribute: bool,
}

fn structure(plan: &Plan<'_>, def: &TypeDef, name: &str) -> TokenStream {
    let id = ident(name);
    let doc = type_doc(def, Origin::Xsd);
    let mut scope = Unique::default();
    let fields: Vec<FieldCode> = plan
        .graph
        .all_fields(&def.id)
        .into_iter()
        .map(|f| field(plan, f, &mut scope))
        .collect();
    let decls = fields.iter().map(|f| &f.decl);
    let reads = fields.iter().map(|f| &f.read);
    // Attributes go into the start tag, so they are written before any content.
    let (attrs, content): (Vec<_>, Vec<_>) = fields.iter().partition(|f| f.attribute);
    let writes = attrs.iter().chain(&content).map(|f| &f.write);
    let (el, w) = if fields.is_empty() {
        (quote!(_el), quote!(_w))
    } else {
        (quote!(el), quote!(w))
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct #id { #(#decls)* }

        impl xml::XmlContent for #id {
            fn read_content(#el: &xml::Element) -> ::std::result::Result<Self, xml::XmlError> {
                ::std::result::Result::Ok(Self { #(#reads)* })
            }

            fn write_content(&self, #w: &mut xml::XmlWriter) -> ::std::result::Result<(), xml::XmlError> {
                #(#writes)*
                ::std::result::Result::Ok(())
            }
        }
    }
}

fn field(plan: &Plan<'_>, f: &Field, scope: &mut Unique) -> FieldCode {
    let name = ident(&scope.claim(snake(&f.name)));
    let doc = field_doc(f);
    let q = f
        .xml_name
        .clone()
        .unwrap_or_else(|| crate::model::QName::local(&f.name));
    let (ns, local) = (ns_tokens(plan, &q.ns), q.local.as_str());
    let text_ok = is_text(plan, &f.ty);
    let ty = if f.kind == FieldKind::Element || text_ok {
        rust_type(plan, &f.ty)
    } else {
        quote!(::std::string::String)
    };
    match f.kind {
        FieldKind::Attribute if f.is_optional() => FieldCode {
            decl: quote!(#doc pub #name: ::std::option::Option<#ty>,),
            read: quote!(#name: xml::read::optional_attribute(el, #ns, #local)?,),
            write: quote!(xml::write::optional_attribute(w, #ns, #local, self.#name.as_ref())?;),
            attribute: true,
        },
        FieldKind::Attribute => FieldCode {
            decl: quote!(#doc pub #name: #ty,),
            read: quote!(#name: xml::read::attribute(el, #ns, #local)?,),
            write: quote!(xml::write::attribute(w, #ns, #local, &self.#name)?;),
            attribute: true,
        },
        FieldKind::Text | FieldKind::Property => FieldCode {
            decl: quote!(#doc pub #name: #ty,),
            read: quote!(#name: xml::read::text(el)?,),
            write: quote!(xml::write::text(w, &self.#name)?;),
            attribute: false,
        },
        FieldKind::Element => element_field(plan, f, (&ns, local), name, ty, doc),
    }
}

fn element_field(
    plan: &Plan<'_>,
    f: &Field,
    (ns, local): (&TokenStream, &str),
    name: proc_macro2::Ident,
    ty: TokenStream,
    doc: TokenStream,
) -> FieldCode {
    let shape = shape(f);
    // Vec already puts items on the heap; other shapes of a recursive type need a Box.
    let boxed = plan.needs_box(&f.ty) && !matches!(shape, Shape::Many | Shape::ManyNillable);
    let inner = if boxed {
        quote!(::std::boxed::Box<#ty>)
    } else {
        ty
    };
    let (decl_ty, func, wrap, view) = match shape {
        Shape::Required => (inner, quote!(required), quote!(), quote!(&*self.#name)),
        Shape::Optional => (
            quote!(::std::option::Option<#inner>),
            quote!(optional),
            quote!(.map(::std::boxed::Box::new)),
            if boxed {
                quote!(self.#name.as_deref())
            } else {
                quote!(self.#name.as_ref())
            },
        ),
        Shape::Nillable => (
            quote!(xml::Nillable<#inner>),
            quote!(nillable),
            quote!(.map(::std::boxed::Box::new)),
            if boxed {
                quote!(self.#name.as_deref())
            } else {
                quote!(self.#name.as_ref())
            },
        ),
        Shape::OptionalNillable => (
            quote!(::std::option::Option<xml::Nillable<#inner>>),
            quote!(optional_nillable),
            quote!(.map(|n| n.map(::std::boxed::Box::new))),
            if boxed {
                quote!(self.#name.as_ref().map(xml::Nillable::as_deref))
            } else {
                quote!(self.#name.as_ref().map(xml::Nillable::as_ref))
            },
        ),
        Shape::Many => (
            quote!(::std::vec::Vec<#inner>),
            quote!(many),
            quote!(),
            quote!(&self.#name),
        ),
        Shape::ManyNillable => (
            quote!(::std::vec::Vec<xml::Nillable<#inner>>),
            quote!(many_nillable),
            quote!(),
            quote!(&self.#name),
        ),
    };
    let read = quote!(xml::read::#func(el, #ns, #local)?);
    let read = match (boxed, shape) {
        (false, _) => read,
        (true, Shape::Required) => quote!(::std::boxed::Box::new(#read)),
        (true, _) => quote!(#read #wrap),
    };
    let view = if shape == Shape::Required && !boxed {
        quote!(&self.#name)
    } else {
        view
    };
    FieldCode {
        decl: quote!(#doc pub #name: #decl_ty,),
        read: quote!(#name: #read,),
        write: quote!(xml::write::#func(w, #ns, #local, #view)?;),
        attribute: false,
    }
}

fn enumeration(def: &TypeDef, name: &str, e: &crate::model::EnumType) -> TokenStream {
    let id = ident(name);
    let doc = type_doc(def, Origin::Xsd);
    let variants = enum_variants(e);
    let decls = variants.iter().map(|(v, value)| {
        let d = value_doc(value);
        quote!(#d #v,)
    });
    let reads = variants.iter().map(|(v, value)| {
        let text = &value.value;
        quote!(#text => ::std::result::Result::Ok(Self::#v),)
    });
    let writes = variants.iter().map(|(v, value)| {
        let text = &value.value;
        quote!(Self::#v => #text,)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #id { #(#decls)* }

        impl xml::XmlText for #id {
            fn from_text(text: &str) -> ::std::result::Result<Self, xml::XmlError> {
                match text.trim() {
                    #(#reads)*
                    other => ::std::result::Result::Err(xml::XmlError::UnknownValue {
                        ty: #name,
                        value: other.to_owned(),
                    }),
                }
            }

            fn to_text(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(match self { #(#writes)* })
            }
        }
    }
}

/// A collection type (`ArrayOfX`): a newtype over its items.
fn list(plan: &Plan<'_>, def: &TypeDef, name: &str, l: &ListType) -> TokenStream {
    let id = ident(name);
    let doc = type_doc(def, Origin::Xsd);
    let item_ty = rust_type(plan, &l.item);
    let Some(item) = &l.item_element else {
        return quote!(#doc pub type #id = ::std::string::String;);
    };
    let (ns, local) = (
        ns_tokens(plan, &item.xml_name.ns),
        item.xml_name.local.as_str(),
    );
    let (items, func, view) = if item.nullable {
        (
            quote!(xml::Nillable<#item_ty>),
            quote!(many_nillable),
            quote!(&self.0),
        )
    } else {
        (item_ty, quote!(many), quote!(&self.0))
    };
    quote! {
        #doc
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #id(pub ::std::vec::Vec<#items>);

        impl xml::XmlContent for #id {
            fn read_content(el: &xml::Element) -> ::std::result::Result<Self, xml::XmlError> {
                ::std::result::Result::Ok(Self(xml::read::#func(el, #ns, #local)?))
            }

            fn write_content(&self, w: &mut xml::XmlWriter) -> ::std::result::Result<(), xml::XmlError> {
                xml::write::#func(w, #ns, #local, #view)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{MaxOccurs, QName, StructType, TypeGraph, TypeId};

    fn element(name: &str, ty: TypeRef, min: u32, many: bool, nullable: bool) -> Field {
        let mut f = Field::new(name, FieldKind::Element, ty);
        f.xml_name = Some(QName::new("urn:t", name));
        f.min_occurs = min;
        f.max_occurs = if many {
            MaxOccurs::Unbounded
        } else {
            MaxOccurs::Bounded(1)
        };
        f.nullable = nullable;
        f
    }

    fn render(graph: &TypeGraph, root: &str) -> String {
        let mut scope = Unique::default();
        let root = TypeRef::Named(TypeId::from(root));
        let mut plan = Plan::new(graph, [&root], &mut scope);
        plan.namespaces = Namespaces::new(plan.type_namespaces());
        let items = plan.types().map(|(def, name)| item(&plan, def, name));
        let file = syn::parse2::<syn::File>(quote!(#(#items)*)).expect("parses");
        prettyplease::unparse(&file)
    }

    #[test]
    fn shapes_keywords_and_recursion() {
        let node = TypeId::from("{urn:t}Node");
        let fields = vec![
            element("type", TypeRef::Builtin(Builtin::String), 0, false, false),
            element("next", TypeRef::Named(node.clone()), 0, false, true),
            element("Children", TypeRef::Named(node.clone()), 0, true, false),
            element("Amount", TypeRef::Builtin(Builtin::Decimal), 1, false, true),
            element("amount", TypeRef::Builtin(Builtin::Int), 1, false, false),
        ];
        let mut graph = TypeGraph::default();
        graph.insert(TypeDef::new(
            node,
            QName::new("urn:t", "Node"),
            TypeKind::Struct(StructType {
                fields,
                ..StructType::default()
            }),
        ));
        let text = render(&graph, "{urn:t}Node");
        for expected in [
            "pub r#type: ::std::option::Option<::std::string::String>,",
            "pub next: ::std::option::Option<xml::Nillable<::std::boxed::Box<Node>>>,",
            "pub children: ::std::vec::Vec<Node>,",
            "pub amount: xml::Nillable<xml::Decimal>,",
            "pub amount2: i32,",
            "xml::read::optional_nillable(el, NS_URN_T, \"next\")?",
            ".map(|n| n.map(::std::boxed::Box::new))",
            "self.next.as_ref().map(xml::Nillable::as_deref)",
            // Without documentation in the contract, the docs name where each part comes from.
            "/// XSD type `{urn:t}Node`.\n#[derive(",
            "    /// SOAP element `{urn:t}type`.\n    pub r#type:",
        ] {
            assert!(text.contains(expected), "missing `{expected}` in\n{text}");
        }
    }
}
