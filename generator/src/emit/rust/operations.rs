//! The items of an API's `plan` module: every SOAP path step written once as a constant, and
//! one static `Operation` per mapped operation (its calls, field links and fault rules), as the
//! manifest resolved them and the lowering decided them. The runtime's executor runs these.

use std::collections::BTreeMap;

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

use altinn_bridge_vocab::{BodyKind, Kind};

use crate::link::{
    Call, FieldLink, Format, Loop, Mapping, OpLink, Pages, ResolvedPath, Source, Target, Transform,
};
use crate::lower::{self, LoweredCall, LoweredOp};
use crate::model::{Builtin, Endpoint, QName, RestContract, TypeDef, TypeKind, TypeRef};

use super::client::{Cx, api_name, whole_body_to_binary};
use super::names::{Unique, ident};
use super::namespaces::Namespaces;
use super::vocab;

/// One step of a SOAP path as the plan writes it: namespace, local name, attribute, repeats.
type StepKey = (String, String, bool, bool);

/// Every SOAP path step the plans use, each written once as a `const` (paths share most of
/// their steps) and named after its element, in sorted order so names never depend on the
/// order operations are listed in.
pub(super) struct StepNames {
    names: BTreeMap<StepKey, String>,
}

impl StepNames {
    pub(super) fn of(m: &Mapping, scope: &mut Unique) -> Self {
        let mut keys = std::collections::BTreeSet::new();
        for op in &m.resolved.operations {
            let loops = op.calls.iter().filter_map(|c| match &c.for_each {
                Some(Loop::Soap { path }) => Some(path),
                _ => None,
            });
            let links = op
                .inputs
                .iter()
                .filter(|l| !matches!(l.to, Target::Dropped))
                .chain(&op.outputs);
            let ends = links.flat_map(|l| {
                let from = match &l.from {
                    Source::Soap { path } => Some(path),
                    _ => None,
                };
                let to = match &l.to {
                    Target::Soap { path } => Some(path),
                    _ => None,
                };
                from.into_iter().chain(to)
            });
            keys.extend(loops.chain(ends).flat_map(step_keys));
        }
        let names = keys
            .into_iter()
            .map(|k| {
                let mut base = k.1.to_shouty_snake_case();
                base.retain(|c| c.is_ascii_alphanumeric() || c == '_');
                if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
                    base.insert_str(0, "E_");
                }
                let suffix = match (k.2, k.3) {
                    (true, _) => "_ATTR",
                    (false, true) => "_EACH",
                    (false, false) => "",
                };
                let name = scope.claim(format!("{base}{suffix}"));
                (k, name)
            })
            .collect();
        StepNames { names }
    }

    /// The steps of `path`, by their constants.
    pub(super) fn path(&self, path: &ResolvedPath, namespaces: &Namespaces) -> Vec<TokenStream> {
        step_keys(path)
            .into_iter()
            .map(|k| match self.names.get(&k) {
                Some(name) => {
                    let id = ident(name);
                    quote!(#id)
                }
                None => step_literal(&k, namespaces),
            })
            .collect()
    }

    pub(super) fn consts(&self, namespaces: &Namespaces) -> TokenStream {
        let items = self.names.iter().map(|(k, name)| {
            let id = ident(name);
            let value = step_literal(k, namespaces);
            quote!(const #id: XmlStep = #value;)
        });
        quote!(#(#items)*)
    }
}

/// A step as a value; in `mod plan`, so its namespace is `super::soap::NS_…`.
fn step_literal((ns, local, attribute, many): &StepKey, namespaces: &Namespaces) -> TokenStream {
    let ns = namespaces.at(&quote!(super::soap::), ns);
    quote!(XmlStep { ns: #ns, local: #local, attribute: #attribute, many: #many })
}

impl Cx<'_> {
    /// The operation's static `Operation`; `contract` are its doc lines from the WSDL.
    pub(super) fn plan(
        &self,
        (link, lowered): (&OpLink, &LoweredOp),
        stat: &proc_macro2::Ident,
        output: Option<(&QName, &TypeRef)>,
        contract: &TokenStream,
    ) -> TokenStream {
        let name = &link.name;
        let calls = link
            .calls
            .iter()
            .zip(&lowered.calls)
            .map(|(c, lc)| self.call(c, lc));
        let inputs = link
            .inputs
            .iter()
            .filter(|l| !matches!(l.to, Target::Dropped))
            .filter_map(|l| self.link(link, l))
            .collect::<Vec<_>>();
        let outputs = link
            .outputs
            .iter()
            .filter_map(|l| self.link(link, l))
            .collect::<Vec<_>>();
        let faults = self.faults.of_op(&link.faults);
        let output = match output {
            Some((q, _)) => {
                let name = self.element_name(q, &quote!(super::soap::));
                quote!(::std::option::Option::Some(#name))
            }
            None => quote!(::std::option::Option::None),
        };
        let doc = match &link.no_successor {
            Some(_) => format!(" `{name}`: no Altinn 3 successor; it answers its fault."),
            None => format!(
                " `{name}`: {} call(s), {} input and {} output link(s).",
                link.calls.len(),
                inputs.len(),
                outputs.len()
            ),
        };
        let system_user = self.m.resolved.auth.as_ref().is_some_and(|a| a.system_user);
        quote! {
            #[doc = #doc]
            #contract
            pub static #stat: Operation = Operation {
                name: #name,
                calls: &[#(#calls),*],
                inputs: &[#(#inputs),*],
                outputs: &[#(#outputs),*],
                faults: #faults,
                output: #output,
                system_user: #system_user,
            };
        }
    }

    fn endpoint(&self, c: &Call) -> Option<(&RestContract, &Endpoint)> {
        let contract = self.m.rest.get(c.api)?;
        let ep = contract.endpoints.iter().find(|e| e.id == c.endpoint)?;
        Some((contract, ep))
    }

    fn call(&self, c: &Call, lowered: &LoweredCall) -> TokenStream {
        let name = &c.name;
        let api = self
            .m
            .resolved
            .openapi
            .get(c.api)
            .map(|o| api_name(o))
            .unwrap_or_default();
        let method = vocab::word("Method", &lowered.method);
        let path = &c.path;
        let for_each = match &c.for_each {
            None => quote!(::std::option::Option::None),
            Some(Loop::Soap { path }) => {
                let steps = self.steps.path(path, &self.soap.namespaces);
                quote!(::std::option::Option::Some(Loop::Soap(&[#(#steps),*])))
            }
            Some(Loop::Response { call, path }) => {
                let steps = json_steps(path);
                quote!(::std::option::Option::Some(Loop::Response { call: #call, path: &[#(#steps),*] }))
            }
        };
        let ep = self.endpoint(c);
        // The body's media type was decided when the manifest was resolved (`Call::body`).
        let media = ep.and_then(|(_, e)| e.body.as_ref()).and_then(|b| {
            b.content
                .iter()
                .find(|m| Some(&m.media_type) == c.body.as_ref())
        });
        let body = vocab::body_kind(&lowered.body);
        let retry = vocab::word("Retry", &lowered.retry);
        let check_request = match media
            .filter(|_| lowered.body == BodyKind::Json)
            .and_then(|m| m.ty.as_ref())
            .and_then(|t| self.rest_type(c.api, t))
        {
            Some(ty) => {
                quote!(::std::option::Option::Some(::altinn_bridge_runtime::adapter::check_request::<super::rest::#ty>))
            }
            None => quote!(::std::option::Option::None),
        };
        let response_ty = ep.and_then(|(_, e)| {
            e.responses
                .iter()
                .filter(|r| r.status.starts_with('2'))
                .flat_map(|r| &r.content)
                .find(|m| BodyKind::of_media_type(m.media_type.as_str()) == BodyKind::Json)
                .and_then(|m| m.ty.as_ref())
        });
        let check_response = match response_ty.and_then(|t| self.rest_type(c.api, t)) {
            Some(ty) => {
                quote!(::std::option::Option::Some(::altinn_bridge_runtime::adapter::check_response::<super::rest::#ty>))
            }
            None => quote!(::std::option::Option::None),
        };
        let pages = match &c.pages {
            None => quote!(::std::option::Option::None),
            Some(p) => {
                let p = pages_tokens(p);
                quote!(::std::option::Option::Some(#p))
            }
        };
        let accept = match &lowered.accept {
            Some(m) => quote!(::std::option::Option::Some(#m)),
            None => quote!(::std::option::Option::None),
        };
        quote! {
            Call {
                name: #name,
                api: #api,
                method: #method,
                path: #path,
                for_each: #for_each,
                body: #body,
                retry: #retry,
                pages: #pages,
                accept: #accept,
                check_request: #check_request,
                check_response: #check_response,
            }
        }
    }

    /// The generated REST type for a schema, when the `rest` module named one.
    fn rest_type(&self, api: usize, t: &TypeRef) -> Option<proc_macro2::Ident> {
        let id = t.as_named()?;
        self.rest_names.get(api)?.get(id).map(|n| ident(n))
    }

    fn link(&self, op: &OpLink, l: &FieldLink) -> Option<TokenStream> {
        let field = field_name(l);
        let from = match &l.from {
            Source::Soap { path } => {
                let steps = self.steps.path(path, &self.soap.namespaces);
                quote!(Source::Soap(&[#(#steps),*]))
            }
            Source::Response { call, path } => {
                let steps = json_steps(path);
                quote!(Source::Response { call: #call, path: &[#(#steps),*] })
            }
            Source::Const { value } => quote!(Source::Const(#value)),
            Source::Config { key } => quote!(Source::Config(#key)),
        };
        let (to, kind) = match &l.to {
            Target::Body { call, path } => {
                let kind = self.kind(op, call, path);
                let steps = if path.text.is_empty() {
                    Vec::new()
                } else {
                    json_steps(path)
                };
                let k = kind_tokens(kind);
                (
                    quote!(Target::Body { call: #call, path: &[#(#steps),*], kind: #k }),
                    Some(kind),
                )
            }
            Target::Param {
                call,
                name,
                required,
                ..
            } => {
                // Lowering refused links the runtime cannot send (cookies).
                let loc = vocab::word("ParamIn", &lower::param_in_of(l).ok()??);
                (
                    quote!(Target::Param { call: #call, location: #loc, name: #name, required: #required }),
                    None,
                )
            }
            Target::Soap { path } if whole_body_to_binary(self.m, l) => {
                let steps = self.steps.path(path, &self.soap.namespaces);
                (quote!(Target::SoapBinary(&[#(#steps),*])), None)
            }
            Target::Soap { path } => {
                let steps = self.steps.path(path, &self.soap.namespaces);
                (quote!(Target::Soap(&[#(#steps),*])), None)
            }
            Target::Dropped => return None,
        };
        let mut transforms: Vec<TokenStream> = l.transforms.iter().map(transform).collect();
        // base64 text sent as a binary body is decoded unless the manifest already says so.
        let base64_source = matches!(&l.from, Source::Soap { path }
            if path.leaf_type().and_then(|t| self.m.soap.types.builtin_of(t)) == Some(Builtin::Base64Binary));
        let decodes = l.transforms.iter().any(|t| {
            matches!(
                t,
                Transform::Format {
                    format: Format::Base64ToBinary
                }
            )
        });
        if base64_source && kind == Some(Kind::Bytes) && !decodes {
            transforms.push(quote!(Transform::Format(Format::Base64ToBinary)));
        }
        let filter = l.filter.iter().map(|f| {
            let item = f.item;
            let equals = &f.equals;
            let path = match &l.from {
                Source::Soap { .. } => {
                    let steps = self.steps.path(&f.path, &self.soap.namespaces);
                    quote!(FilterPath::Soap(&[#(#steps),*]))
                }
                _ => {
                    let steps = json_steps(&f.path);
                    quote!(FilterPath::Json(&[#(#steps),*]))
                }
            };
            quote!(Filter { item: #item, path: #path, equals: #equals })
        });
        Some(quote! {
            Link {
                field: #field,
                from: #from,
                filter: &[#(#filter),*],
                to: #to,
                transforms: &[#(#transforms),*],
            }
        })
    }

    /// The JSON kind of a body target's leaf.
    fn kind(&self, op: &OpLink, call: &str, path: &ResolvedPath) -> Kind {
        let Some(c) = op.calls.iter().find(|c| c.name == call) else {
            return Kind::Any;
        };
        let Some((contract, _)) = self.endpoint(c) else {
            return Kind::Any;
        };
        let Some(t) = path.leaf_type() else {
            return Kind::Any;
        };
        let graph = &contract.types;
        match graph.builtin_of(t) {
            Some(Builtin::Boolean) => Kind::Boolean,
            Some(b) if b.is_integer() => Kind::Integer,
            Some(Builtin::Number | Builtin::Double | Builtin::Float | Builtin::Decimal) => {
                Kind::Number
            }
            Some(Builtin::Binary | Builtin::Base64Binary) => Kind::Bytes,
            Some(Builtin::AnyType) => Kind::Any,
            Some(_) => Kind::String,
            None => match graph.resolve(t).map(|d: &TypeDef| &d.kind) {
                Some(TypeKind::Enum(_)) => Kind::String,
                _ => Kind::Any,
            },
        }
    }
}

fn kind_tokens(k: Kind) -> TokenStream {
    vocab::word("Kind", &k)
}

/// How errors name the field: the SOAP path, else the target.
fn field_name(l: &FieldLink) -> String {
    match (&l.from, &l.to) {
        (Source::Soap { path }, _) => path.text.clone(),
        (_, Target::Soap { path }) => path.text.clone(),
        (_, Target::Body { call, path }) => format!("{call}: body.{}", path.text),
        (_, Target::Param { call, name, .. }) => format!("{call}: {name}"),
        _ => String::new(),
    }
}

/// SOAP path steps, root element first; attributes are the segments written `@name`.
fn step_keys(path: &ResolvedPath) -> Vec<StepKey> {
    let segs: Vec<&str> = path.text.split('/').filter(|s| !s.is_empty()).collect();
    path.steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (ns, local) = match &s.xml_name {
                Some(q) => (q.ns.clone(), q.local.clone()),
                None => (String::new(), s.name.clone()),
            };
            let attribute = segs.get(i).is_some_and(|g| g.starts_with('@'));
            (ns, local, attribute, s.many)
        })
        .collect()
}

fn json_steps(path: &ResolvedPath) -> Vec<TokenStream> {
    if path.text.is_empty() {
        return Vec::new();
    }
    path.steps
        .iter()
        .map(|s| {
            let (name, many) = (&s.name, s.many);
            quote!(JsonStep { name: #name, many: #many })
        })
        .collect()
}

fn transform(t: &Transform) -> TokenStream {
    match t {
        Transform::Split { separator } => quote!(Transform::Split(#separator)),
        Transform::EnumMap { map } => {
            let rows = map.iter().map(|(k, v)| quote!((#k, #v)));
            quote!(Transform::Map(&[#(#rows),*]))
        }
        Transform::Lookup { table } => quote!(Transform::Lookup(#table)),
        Transform::Format { format } => {
            let f = format_tokens(*format);
            quote!(Transform::Format(#f))
        }
        Transform::Prefix { prefix } => quote!(Transform::Prefix(#prefix)),
        Transform::StripPrefix { prefix } => quote!(Transform::StripPrefix(#prefix)),
        Transform::Join { separator } => quote!(Transform::Join(#separator)),
        Transform::First => quote!(Transform::First),
        Transform::Default { value } => quote!(Transform::Default(#value)),
    }
}

fn format_tokens(f: Format) -> TokenStream {
    vocab::word("Format", &f)
}

/// A paged call's plan: the item, token and link paths as JSON steps.
fn pages_tokens(p: &Pages) -> TokenStream {
    match p {
        Pages::Token {
            items,
            token,
            param,
            more,
        } => {
            let (items, token) = (json_steps(items), json_steps(token));
            let more = match more {
                Some(m) => {
                    let m = json_steps(m);
                    quote!(::std::option::Option::Some(&[#(#m),*]))
                }
                None => quote!(::std::option::Option::None),
            };
            quote!(Pages::Token { items: &[#(#items),*], token: &[#(#token),*], param: #param, more: #more })
        }
        Pages::Next { items, next } => {
            let (items, next) = (json_steps(items), json_steps(next));
            quote!(Pages::Next { items: &[#(#items),*], next: &[#(#next),*] })
        }
    }
}
