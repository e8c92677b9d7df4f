//! The `rest` module of a generated file: serde types for every schema the mapped calls use
//! (parameters, request bodies, responses), with the exact JSON names.

use proc_macro2::TokenStream;
use quote::quote;

use crate::link::Resolved;
use crate::model::{
    Builtin, EnumType, Field, RestContract, StructType, TypeDef, TypeKind, TypeRef,
};

use super::common::{Origin, enum_variants, field_doc, type_doc, value_doc};
use super::names::{Unique, ident, snake};
use super::plan::{Inline, Plan};

/// The Rust name of each named type the `rest` module emits, per OpenAPI document.
pub type RestNames = Vec<std::collections::BTreeMap<crate::model::TypeId, String>>;

/// The `rest` module's items for one manifest (calls may use several OpenAPI documents), and
/// the names it gave.
pub fn module(resolved: &Resolved, rest: &[RestContract]) -> (TokenStream, RestNames) {
    let mut scope = Unique::default();
    let mut items = Vec::new();
    let mut names = Vec::new();
    for (api, contract) in rest.iter().enumerate() {
        let roots = roots(resolved, api, contract);
        let plan = Plan::new(&contract.types, roots.iter().copied(), &mut scope);
        items.extend(plan.types().map(|(def, name)| item(&plan, def, name)));
        names.push(plan.names.clone());
    }
    if items.is_empty() {
        return (TokenStream::new(), names);
    }
    let tokens = quote! {
        use ::altinn_bridge_runtime::serde::{Deserialize, Serialize};
        #(#items)*
    };
    (tokens, names)
}

/// The types of the parameters, bodies and responses of the calls made against document `api`.
fn roots<'a>(resolved: &Resolved, api: usize, contract: &'a RestContract) -> Vec<&'a TypeRef> {
    let calls = resolved.operations.iter().flat_map(|o| &o.calls);
    calls
        .filter(|c| c.api == api)
        .filter_map(|c| contract.endpoints.iter().find(|e| e.id == c.endpoint))
        .flat_map(|e| {
            let params = e.params.iter().map(|p| &p.ty);
            let body = e
                .body
                .iter()
                .flat_map(|b| &b.content)
                .filter_map(|m| m.ty.as_ref());
            let responses = e
                .responses
                .iter()
                .flat_map(|r| &r.content)
                .filter_map(|m| m.ty.as_ref());
            params.chain(body).chain(responses)
        })
        .collect()
}

const SERDE_CRATE: &str = "::altinn_bridge_runtime::serde";

fn item(plan: &Plan<'_>, def: &TypeDef, name: &str) -> TokenStream {
    let id = ident(name);
    let doc = type_doc(def, Origin::OpenApi);
    match &def.kind {
        TypeKind::Struct(s) if s.fields.is_empty() && s.bases.is_empty() && is_map(s) => {
            let value = map_value(plan, s);
            quote!(#doc pub type #id = ::std::collections::BTreeMap<::std::string::String, #value>;)
        }
        TypeKind::Struct(s) => structure(plan, def, name, s),
        TypeKind::Enum(e) if is_string_enum(plan, e) => enumeration(def, name, e),
        TypeKind::Enum(EnumType { base: target, .. })
        | TypeKind::Scalar(crate::model::ScalarType { base: target, .. })
        | TypeKind::Alias { target } => {
            let target = rust_type(plan, target);
            quote!(#doc pub type #id = #target;)
        }
        TypeKind::List(l) => {
            let item = rust_type(plan, &l.item);
            quote!(#doc pub type #id = ::std::vec::Vec<#item>;)
        }
        // oneOf/anyOf: kept as JSON until the emitter models tagged unions.
        TypeKind::Union(_) => {
            quote!(#doc pub type #id = ::altinn_bridge_runtime::serde_json::Value;)
        }
    }
}

fn is_string_enum(plan: &Plan<'_>, e: &EnumType) -> bool {
    use Builtin::*;
    let text =
        |b: Builtin| !b.is_integer() && !matches!(b, Boolean | Number | Double | Float | Decimal);
    !e.values.is_empty() && plan.graph.builtin_of(&e.base).is_some_and(text)
}

/// The Rust type of one JSON value of `r`.
fn rust_type(plan: &Plan<'_>, r: &TypeRef) -> TokenStream {
    inlined_type(plan, r, 0)
}

/// `depth` bounds a (malformed) cycle of inlined types.
fn inlined_type(plan: &Plan<'_>, r: &TypeRef, depth: usize) -> TokenStream {
    let id = match r {
        TypeRef::Builtin(b) => return builtin(*b),
        TypeRef::Named(id) => id,
    };
    if let Some(n) = plan.names.get(id) {
        let n = ident(n);
        return quote!(#n);
    }
    match plan.inline(id) {
        Some(Inline::Same(t)) if depth < 32 => inlined_type(plan, t, depth + 1),
        Some(Inline::ListOf(t)) if depth < 32 => {
            let item = inlined_type(plan, t, depth + 1);
            quote!(::std::vec::Vec<#item>)
        }
        _ => quote!(::altinn_bridge_runtime::serde_json::Value),
    }
}

fn builtin(b: Builtin) -> TokenStream {
    use Builtin::*;
    match b {
        Boolean => quote!(bool),
        Byte => quote!(i8),
        Short => quote!(i16),
        Int => quote!(i32),
        Long | Integer | NonNegativeInteger | PositiveInteger | NonPositiveInteger
        | NegativeInteger => quote!(i64),
        UnsignedByte => quote!(u8),
        UnsignedShort | Char => quote!(u16),
        UnsignedInt => quote!(u32),
        UnsignedLong => quote!(u64),
        Float => quote!(f32),
        Double | Number | Decimal => quote!(f64),
        Binary => quote!(::std::vec::Vec<u8>),
        AnyType | AnySimpleType => quote!(::altinn_bridge_runtime::serde_json::Value),
        _ => quote!(::std::string::String),
    }
}

/// Nullable on the property or on the type it refers to.
fn nullable(plan: &Plan<'_>, f: &Field) -> bool {
    f.nullable || plan.graph.resolve(&f.ty).is_some_and(|d| d.nullable)
}

fn structure(plan: &Plan<'_>, def: &TypeDef, name: &str, s: &StructType) -> TokenStream {
    let id = ident(name);
    let doc = type_doc(def, Origin::OpenApi);
    let mut scope = Unique::default();
    let mut fields: Vec<TokenStream> = plan
        .graph
        .all_fields(&def.id)
        .into_iter()
        .map(|f| field(plan, f, &mut scope))
        .collect();
    if is_map(s) {
        let v = map_value(plan, s);
        let n = ident(&scope.claim("additional_properties".into()));
        fields.push(quote! {
            /// Properties the schema does not name.
            #[serde(flatten)]
            pub #n: ::std::collections::BTreeMap<::std::string::String, #v>,
        });
    }
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(crate = #SERDE_CRATE)]
        pub struct #id { #(#fields)* }
    }
}

/// Whether the object takes properties its schema does not name (`additionalProperties`, or
/// `patternProperties` such as Broker's `propertyList`): they are kept as a map, never dropped.
fn is_map(s: &StructType) -> bool {
    s.additional_properties.is_some() || !s.pattern_properties.is_empty()
}

/// The map's value type: `additionalProperties`' schema, else the one pattern's, else any JSON.
fn map_value(plan: &Plan<'_>, s: &StructType) -> TokenStream {
    let mut patterns = s.pattern_properties.values();
    match (&s.additional_properties, patterns.next(), patterns.next()) {
        (Some(v), None, _) => rust_type(plan, v),
        (None, Some(v), None) => rust_type(plan, v),
        _ => quote!(::altinn_bridge_runtime::serde_json::Value),
    }
}

fn field(plan: &Plan<'_>, f: &Field, scope: &mut Unique) -> TokenStream {
    let name = ident(&scope.claim(snake(&f.name)));
    let doc = field_doc(f);
    let json = &f.name;
    let ty = rust_type(plan, &f.ty);
    let ty = if plan.needs_box(&f.ty) {
        quote!(::std::boxed::Box<#ty>)
    } else {
        ty
    };
    let ty = if f.max_occurs.is_many() {
        quote!(::std::vec::Vec<#ty>)
    } else {
        ty
    };
    if f.is_optional() {
        // Absent and null both read as None; None is left out when writing.
        quote! {
            #doc
            #[serde(rename = #json, default, skip_serializing_if = "Option::is_none")]
            pub #name: ::std::option::Option<#ty>,
        }
    } else if nullable(plan, f) {
        // Required but nullable: always written, as null when None.
        quote!(#doc #[serde(rename = #json)] pub #name: ::std::option::Option<#ty>,)
    } else {
        quote!(#doc #[serde(rename = #json)] pub #name: #ty,)
    }
}

fn enumeration(def: &TypeDef, name: &str, e: &EnumType) -> TokenStream {
    let id = ident(name);
    let doc = type_doc(def, Origin::OpenApi);
    let variants = enum_variants(e).into_iter().map(|(v, value)| {
        let d = value_doc(value);
        let text = &value.value;
        quote!(#d #[serde(rename = #text)] #v,)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(crate = #SERDE_CRATE)]
        pub enum #id { #(#variants)* }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EnumValue, QName, TypeGraph, TypeId};

    fn property(name: &str, ty: TypeRef, required: bool, nullable: bool) -> Field {
        let mut f = Field::new(name, crate::model::FieldKind::Property, ty);
        f.min_occurs = u32::from(required);
        f.nullable = nullable;
        f
    }

    #[test]
    fn json_names_optionality_enums_and_recursion() {
        let (tree, kind) = (
            TypeId::from("#/components/schemas/Tree"),
            TypeId::from("#/components/schemas/Kind"),
        );
        let fields = vec![
            property("self", TypeRef::Named(tree.clone()), false, false),
            property("kind", TypeRef::Named(kind.clone()), true, false),
            property("parentId", TypeRef::Builtin(Builtin::Guid), true, true),
            property("count", TypeRef::Builtin(Builtin::Long), true, false),
        ];
        let mut graph = TypeGraph::default();
        let mut def = TypeDef::new(
            tree.clone(),
            QName::local("Tree"),
            TypeKind::Struct(StructType {
                fields,
                ..StructType::default()
            }),
        );
        def.doc = Some("A tree.".to_owned());
        graph.insert(def);
        let values = ["in-progress", "in_progress", "done"].map(|v| EnumValue {
            value: v.into(),
            numeric: None,
            doc: None,
        });
        graph.insert(TypeDef::new(
            kind,
            QName::local("Kind"),
            TypeKind::Enum(EnumType {
                base: TypeRef::Builtin(Builtin::String),
                values: values.into(),
                flags: false,
            }),
        ));
        let mut scope = Unique::default();
        let root = TypeRef::Named(tree);
        let plan = Plan::new(&graph, [&root], &mut scope);
        let items = plan.types().map(|(def, name)| item(&plan, def, name));
        let file = syn::parse2::<syn::File>(quote!(#(#items)*)).expect("parses");
        let text = prettyplease::unparse(&file);
        for expected in [
            "pub self_: ::std::option::Option<::std::boxed::Box<Tree>>,",
            "#[serde(rename = \"parentId\")]\n    pub parent_id: ::std::option::Option<::std::string::String>,",
            "#[serde(rename = \"count\")]\n    pub count: i64,",
            "#[serde(rename = \"in-progress\")]\n    InProgress,",
            "#[serde(rename = \"in_progress\")]\n    InProgress2,",
            "skip_serializing_if = \"Option::is_none\"",
            "/// OpenAPI schema `#/components/schemas/Kind`.\n#[derive(",
            "/// A tree.\n#[derive(",
            "    /// JSON property `count`.\n    #[serde(rename = \"count\")]",
            "    /// `in-progress`.\n    #[serde(rename = \"in-progress\")]",
        ] {
            assert!(text.contains(expected), "missing `{expected}` in\n{text}");
        }
        assert!(
            !text.contains("schemas/Tree`"),
            "a documented schema keeps its own doc"
        );
    }
}
