//! The adapter half of an API's module: its constants (`API`, `APIS`, `SETTINGS`, ...), the
//! `plan` module (one static description per mapped operation, written from the resolved links)
//! and `pub struct Client`, whose methods keep the old operations' shapes and make the Altinn 3
//! calls through the runtime's executor.
//!
//! The typed edges stay generated: a method takes the generated SOAP input struct, every JSON
//! request body is read through its generated REST type before it is sent, every JSON answer is
//! read through its REST type, and the SOAP output is read back into the generated output
//! struct, so a value that does not fit either contract fails with an error naming it.

use std::collections::BTreeMap;

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

use altinn_bridge_vocab::{BodyKind, Kind};

use crate::link::{
    Call, FieldLink, Format, Loop, Mapping, OpLink, ResolvedPath, Source, Target, Transform,
};
use crate::lower::{self, Lowered, LoweredCall, LoweredOp};
use crate::model::{
    Builtin, Endpoint, MessagePart, PartContent, QName, RestContract, SoapOperation, TypeDef,
    TypeKind, TypeRef,
};

use super::faults::SharedFaults;
use super::names::{Unique, ident, snake};
use super::namespaces::Namespaces;
use super::rest::RestNames;
use super::soap::{ElementTypes, SoapModule};
use super::vocab;

/// The adapter parts of one API's module, each written to its own file.
pub struct Adapter {
    /// The API's constants, at the top of its module.
    pub consts: TokenStream,
    /// The items of `mod plan`.
    pub plan: TokenStream,
    /// `Client` and its methods, beside the constants.
    pub client: TokenStream,
}

/// The constants, `plan` and `Client` for one manifest.
pub fn module(
    m: &Mapping,
    lowered: &Lowered,
    soap: &SoapModule,
    rest_names: &RestNames,
) -> Adapter {
    let elements = &soap.elements;
    // The plan module's names: one static per operation, then the path step constants.
    let mut statics = Unique::default();
    let stat_names: Vec<String> = m
        .resolved
        .operations
        .iter()
        .map(|l| statics.claim(l.name.to_shouty_snake_case()))
        .collect();
    let steps = StepNames::of(m, &mut statics);
    let faults = SharedFaults::of(&m.resolved.faults, &mut statics);
    let cx = Cx {
        m,
        elements,
        rest_names,
        steps: &steps,
        namespaces: &soap.namespaces,
        faults: &faults,
    };
    let mut methods = Unique::default();
    let ops: Vec<OpCode> = m
        .resolved
        .operations
        .iter()
        .zip(&lowered.operations)
        .zip(&stat_names)
        .filter_map(|((link, lop), stat)| {
            let op = m.soap.operations.iter().find(|o| o.id == link.soap_op)?;
            let method = ident(&methods.claim(snake(&link.name)));
            Some(cx.operation((link, lop), op, ident(stat), method))
        })
        .collect();
    let step_consts = steps.consts(&soap.namespaces);
    let fault_consts = faults.consts();
    let plans = ops.iter().map(|o| &o.plan);
    let methods = ops.iter().map(|o| &o.method);
    let arms = ops.iter().map(|o| &o.dispatch);
    let answer = answer_method(&ops);
    let call_message = call_message_method(&ops);
    let api = &m.resolved.api;
    let apis: Vec<String> = m.resolved.openapi.iter().map(|o| api_name(o)).collect();
    let scopes: Vec<&String> = m.resolved.auth.iter().flat_map(|a| &a.scopes).collect();
    let system_user = m.resolved.auth.as_ref().is_some_and(|a| a.system_user);
    let (settings, tables) = (&lowered.settings, &lowered.tables);
    let client_doc = format!(
        " `{api}`'s operations over Altinn 3: each method takes the old request and answers the old response or a SOAP fault."
    );
    // An API whose every operation has no successor (SubscriptionBasic) never calls upstream:
    // its client keeps the fields for the common constructor but reads none of them.
    let unused_fields = m
        .resolved
        .operations
        .iter()
        .all(|o| o.no_successor.is_some())
        .then(|| quote!(#[allow(dead_code)]));
    let consts = quote! {
        /// The Altinn 2 service these adapters replace.
        pub const API: &str = #api;

        /// The Altinn 3 APIs the calls go to; an [`Client`]'s upstream needs a client for each.
        pub const APIS: &[&str] = &[#(#apis),*];

        /// The Maskinporten scopes the manifest says these calls need.
        pub const SCOPES: &[&str] = &[#(#scopes),*];

        /// Whether the calls act through an Altinn system user: the upstream's token provider
        /// then asks for a system-user token for the setting `system_user_org`.
        pub const SYSTEM_USER: bool = #system_user;

        /// The settings (`config` values) these adapters read: each must be set.
        pub const SETTINGS: &[&str] = &[#(#settings),*];

        /// The lookup tables these adapters read: each must be set.
        pub const TABLES: &[&str] = &[#(#tables),*];
    };
    let plan = quote! {
        use ::altinn_bridge_runtime::adapter::plan::*;
        #step_consts
        #fault_consts
        #(#plans)*
    };
    let client = quote! {
        #[doc = #client_doc]
        #[derive(Debug, Clone)]
        #unused_fields
        pub struct Client {
            upstream: ::altinn_bridge_runtime::adapter::Upstream,
            settings: ::std::sync::Arc<::altinn_bridge_runtime::adapter::Settings>,
        }

        impl Client {
            /// A client calling `upstream` (one HTTP client per name in [`APIS`]) with the
            /// deployment's `settings` (the manifest's `config` values and lookup tables).
            /// Refuses settings that lack a value in [`SETTINGS`] or a table in [`TABLES`],
            /// naming it, so a deployment fails when it starts, not on its first request.
            pub fn new(
                upstream: ::altinn_bridge_runtime::adapter::Upstream,
                settings: impl ::std::convert::Into<::std::sync::Arc<::altinn_bridge_runtime::adapter::Settings>>,
            ) -> ::std::result::Result<Self, ::altinn_bridge_runtime::Error> {
                let settings = settings.into();
                settings.require(SETTINGS, TABLES)?;
                ::std::result::Result::Ok(Self::checked(upstream, settings))
            }

            /// A client whose settings were checked already (the facade checks them once,
            /// when it starts).
            fn checked(
                upstream: ::altinn_bridge_runtime::adapter::Upstream,
                settings: ::std::sync::Arc<::altinn_bridge_runtime::adapter::Settings>,
            ) -> Self {
                Self { upstream, settings }
            }

            #(#methods)*

            /// Runs the operation `name` on a SOAP body element and its header blocks, as the
            /// facade receives them: the body is read through the generated types first, so a
            /// schema-invalid request fails before anything is sent. Answers the output element
            /// as XML (no declaration), or `None` for a one-way operation.
            pub async fn call_element(
                &self,
                name: &str,
                body: ::altinn_bridge_runtime::xml::Element,
                headers: ::std::vec::Vec<::altinn_bridge_runtime::xml::Element>,
            ) -> ::std::result::Result<::std::option::Option<::std::string::String>, ::altinn_bridge_runtime::soap::Fault> {
                self.dispatch(name, body, headers, ::std::option::Option::None).await
            }

            /// [`Client::call_element`] for a streamed operation: `binary` (`len` bytes when
            /// known) is sent as the upload call's body without being held whole.
            pub async fn call_element_streamed(
                &self,
                name: &str,
                body: ::altinn_bridge_runtime::xml::Element,
                headers: ::std::vec::Vec<::altinn_bridge_runtime::xml::Element>,
                binary: ::altinn_bridge_runtime::http::ByteStream,
                len: ::std::option::Option<u64>,
            ) -> ::std::result::Result<::std::option::Option<::std::string::String>, ::altinn_bridge_runtime::soap::Fault> {
                self.dispatch(name, body, headers, ::std::option::Option::Some((binary, len))).await
            }

            #answer

            #call_message

            async fn dispatch(
                &self,
                name: &str,
                body: ::altinn_bridge_runtime::xml::Element,
                headers: ::std::vec::Vec<::altinn_bridge_runtime::xml::Element>,
                stream: ::std::option::Option<(::altinn_bridge_runtime::http::ByteStream, ::std::option::Option<u64>)>,
            ) -> ::std::result::Result<::std::option::Option<::std::string::String>, ::altinn_bridge_runtime::soap::Fault> {
                let invalid = |e: ::altinn_bridge_runtime::xml::XmlError| {
                    ::altinn_bridge_runtime::soap::Fault::from(&::altinn_bridge_runtime::Error::Convert {
                        field: body.local.clone(),
                        message: e.to_string(),
                    })
                };
                soap::Message::read(&body).map_err(invalid)?;
                let mut input = headers;
                input.insert(0, body);
                match name {
                    #(#arms)*
                    other => {
                        drop((input, stream));
                        ::std::result::Result::Err(::altinn_bridge_runtime::soap::Fault::new(
                            ::altinn_bridge_runtime::soap::FaultCode::Sender,
                            ::std::format!("unknown operation `{other}`"),
                        ))
                    }
                }
            }
        }
    };
    Adapter {
        consts,
        plan,
        client,
    }
}

/// The OpenAPI document's file stem: how generated code names an Altinn 3 API.
fn api_name(display: &str) -> String {
    std::path::Path::new(display)
        .file_stem()
        .map_or_else(|| display.to_owned(), |s| s.to_string_lossy().into_owned())
}

struct Cx<'a> {
    m: &'a Mapping,
    elements: &'a ElementTypes,
    rest_names: &'a RestNames,
    steps: &'a StepNames,
    namespaces: &'a Namespaces,
    faults: &'a SharedFaults,
}

/// One step of a SOAP path as the plan writes it: namespace, local name, attribute, repeats.
type StepKey = (String, String, bool, bool);

/// Every SOAP path step the plans use, each written once as a `const` (paths share most of
/// their steps) and named after its element, in sorted order so names never depend on the
/// order operations are listed in.
struct StepNames {
    names: BTreeMap<StepKey, String>,
}

impl StepNames {
    fn of(m: &Mapping, scope: &mut Unique) -> Self {
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
    fn path(&self, path: &ResolvedPath, namespaces: &Namespaces) -> Vec<TokenStream> {
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

    fn consts(&self, namespaces: &Namespaces) -> TokenStream {
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

struct OpCode {
    plan: TokenStream,
    method: TokenStream,
    dispatch: TokenStream,
    /// The operation's name and its arm in `call_element_answer`, when it downloads a file
    /// into a binary field.
    answer: Option<(String, TokenStream)>,
    /// Its input element and its arm in `call_message`, when its elements have types.
    message: Option<(QName, TokenStream)>,
}

/// `Client::call_message`: the typed methods behind one entry point, chosen by the body
/// element's type. An input element two operations share goes to the first of them.
fn call_message_method(ops: &[OpCode]) -> TokenStream {
    let mut seen = std::collections::BTreeSet::new();
    let arms = ops
        .iter()
        .filter_map(|o| o.message.as_ref())
        .filter(|(q, _)| seen.insert(q.clone()))
        .map(|(_, arm)| arm);
    quote! {
        /// Runs the operation whose input `body` is, with its header blocks from `headers`,
        /// through the typed method for it: the typed values go to the executor as they are.
        /// Answers the output element (`None` for a one-way operation) or the SOAP fault.
        pub async fn call_message(
            &self,
            body: soap::Message,
            headers: ::std::vec::Vec<soap::Message>,
        ) -> ::std::result::Result<::std::option::Option<soap::Message>, ::altinn_bridge_runtime::soap::Fault> {
            let _ = &headers;
            #[allow(unreachable_patterns)]
            match body {
                #(#arms)*
                other => ::std::result::Result::Err(::altinn_bridge_runtime::soap::Fault::new(
                    ::altinn_bridge_runtime::soap::FaultCode::Sender,
                    ::std::format!("`{}` is no mapped operation's input", other.qname().1),
                )),
            }
        }
    }
}

/// Whether `l` fills a base64Binary SOAP field with a call's whole body (a file download),
/// which the facade streams into its answer.
fn whole_body_to_binary(m: &Mapping, l: &FieldLink) -> bool {
    let whole_body = matches!(&l.from, Source::Response { path, .. } if path.text.is_empty());
    let binary = matches!(&l.to, Target::Soap { path }
        if path.leaf_type().and_then(|t| m.soap.types.builtin_of(t)) == Some(Builtin::Base64Binary));
    whole_body && binary
}

/// Whether any operation of `m` downloads a file into a binary field: its facade then answers
/// through `Client::call_element_answer`.
pub(super) fn answers_streamed(m: &Mapping) -> bool {
    m.resolved
        .operations
        .iter()
        .filter(|o| o.no_successor.is_none())
        .flat_map(|o| &o.outputs)
        .any(|l| whole_body_to_binary(m, l))
}

/// `Client::call_element_answer`, for a module with operations that download files.
fn answer_method(ops: &[OpCode]) -> TokenStream {
    let (names, arms): (Vec<&String>, Vec<&TokenStream>) = ops
        .iter()
        .filter_map(|o| o.answer.as_ref())
        .map(|(n, a)| (n, a))
        .unzip();
    if names.is_empty() {
        return TokenStream::new();
    }
    quote! {
        /// [`Client::call_element`] as the facade answers: a file an operation downloads into
        /// a binary field is not read here but left streaming, its status already checked, to
        /// be written into the answer as the client reads it.
        pub async fn call_element_answer(
            &self,
            name: &str,
            body: ::altinn_bridge_runtime::xml::Element,
            headers: ::std::vec::Vec<::altinn_bridge_runtime::xml::Element>,
        ) -> ::std::result::Result<::altinn_bridge_runtime::adapter::XmlAnswer, ::altinn_bridge_runtime::soap::Fault> {
            if !::std::matches!(name, #(#names)|*) {
                let out = self.call_element(name, body, headers).await?;
                return ::std::result::Result::Ok(::altinn_bridge_runtime::adapter::XmlAnswer::xml(out.unwrap_or_default()));
            }
            soap::Message::read(&body).map_err(|e| {
                ::altinn_bridge_runtime::soap::Fault::from(&::altinn_bridge_runtime::Error::Convert {
                    field: body.local.clone(),
                    message: e.to_string(),
                })
            })?;
            let mut input = headers;
            input.insert(0, body);
            match name {
                #(#arms)*
                other => ::std::result::Result::Err(::altinn_bridge_runtime::soap::Fault::new(
                    ::altinn_bridge_runtime::soap::FaultCode::Sender,
                    ::std::format!("unknown operation `{other}`"),
                )),
            }
        }
    }
}

impl Cx<'_> {
    fn operation(
        &self,
        (link, lowered): (&OpLink, &LoweredOp),
        op: &SoapOperation,
        stat: proc_macro2::Ident,
        method: proc_macro2::Ident,
    ) -> OpCode {
        let name = &link.name;
        let output = op.output.as_ref().and_then(|o| element_part(&o.body));
        // The WSDL's `wsdl:documentation` of the operation, below the line saying what it calls.
        let contract = match op.doc.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => {
                let lines = super::common::doc_attr(Some(d));
                quote!(#[doc = ""] #lines)
            }
            None => TokenStream::new(),
        };
        let plan = self.plan((link, lowered), &stat, output, &contract);
        let input = op.input.as_ref().and_then(|i| element_part(&i.body));
        let headers: Vec<&MessagePart> = op.input.iter().flat_map(|i| &i.headers).collect();
        let method_code = self.method(link, (&stat, &method), (input, &headers, output), &contract);
        // A one-way operation reads no answer; any XML type stands in for the output.
        let out_ty = output.map_or_else(
            || quote!(::altinn_bridge_runtime::xml::Element),
            |(q, _)| self.element_type(q),
        );
        let dispatch = match &link.no_successor {
            Some(reason) => quote! {
                #name => {
                    drop((input, stream));
                    ::std::result::Result::Err(::altinn_bridge_runtime::adapter::no_successor(#name, #reason))
                }
            },
            None => quote! {
                #name => ::altinn_bridge_runtime::adapter::call_xml::<#out_ty>(
                    &plan::#stat, input, stream, &self.upstream, &self.settings,
                ).await,
            },
        };
        let downloads = link.outputs.iter().any(|l| whole_body_to_binary(self.m, l));
        let answer = (downloads && link.no_successor.is_none()).then(|| {
            let arm = quote! {
                #name => ::altinn_bridge_runtime::adapter::call_xml_answer::<#out_ty>(
                    &plan::#stat, input, &self.upstream, &self.settings,
                ).await,
            };
            (name.clone(), arm)
        });
        let message = self.message_arm(&method, input, &headers, output);
        OpCode {
            plan,
            method: method_code,
            dispatch,
            answer,
            message,
        }
    }

    /// The operation's arm in `call_message`: its body's variant, its header blocks found among
    /// `headers`, its typed method called, its answer wrapped in its variant.
    fn message_arm(
        &self,
        method: &proc_macro2::Ident,
        input: Option<(&QName, &TypeRef)>,
        headers: &[&MessagePart],
        output: Option<(&QName, &TypeRef)>,
    ) -> Option<(QName, TokenStream)> {
        let (in_q, _) = input?;
        let in_v = &self.elements.get(in_q)?.variant;
        let mut lets = Vec::new();
        let mut args = Vec::new();
        for (i, (q, _)) in headers.iter().filter_map(|p| part_element(p)).enumerate() {
            let v = &self.elements.get(q)?.variant;
            let var = quote::format_ident!("header_{i}");
            let local = &q.local;
            lets.push(quote! {
                let #var = headers
                    .iter()
                    .find_map(|h| match h { soap::Message::#v(v) => ::std::option::Option::Some(v), _ => ::std::option::Option::None })
                    .ok_or_else(|| ::altinn_bridge_runtime::soap::Fault::new(
                        ::altinn_bridge_runtime::soap::FaultCode::Sender,
                        ::std::format!("the header block `{}` is missing", #local),
                    ))?;
            });
            args.push(var);
        }
        let wrap = match output {
            Some((q, _)) => {
                let v = &self.elements.get(q)?.variant;
                quote!(.map(|o| ::std::option::Option::Some(soap::Message::#v(o))))
            }
            None => quote!(.map(|()| ::std::option::Option::None)),
        };
        let arm = quote! {
            soap::Message::#in_v(input) => {
                #(#lets)*
                self.#method(&input, #(#args),*).await #wrap
            }
        };
        Some((in_q.clone(), arm))
    }

    /// An element's `(namespace, local name)` through `soap` (the module's path from here):
    /// its constant when the `soap` module has one.
    fn element_name(&self, q: &QName, soap: &TokenStream) -> TokenStream {
        match self.elements.get(q) {
            Some(info) => {
                let id = &info.name;
                quote!(#soap #id)
            }
            None => {
                let (ns, local) = (self.namespaces.at(soap, &q.ns), &q.local);
                quote!((#ns, #local))
            }
        }
    }

    fn element_type(&self, q: &QName) -> TokenStream {
        match self.elements.get(q) {
            Some(info) => info.ty.clone(),
            None => quote!(::altinn_bridge_runtime::xml::Element),
        }
    }

    /// The operation's typed method; `contract` are its doc lines from the WSDL.
    fn method(
        &self,
        link: &OpLink,
        (stat, method): (&proc_macro2::Ident, &proc_macro2::Ident),
        (input, headers, output): (
            Option<(&QName, &TypeRef)>,
            &[&MessagePart],
            Option<(&QName, &TypeRef)>,
        ),
        contract: &TokenStream,
    ) -> TokenStream {
        let name = &link.name;
        let mut args = Vec::new();
        let mut arg_names = Vec::new();
        let mut elements = Vec::new();
        let mut scope = Unique::default();
        for (q, _) in input
            .into_iter()
            .chain(headers.iter().filter_map(|p| part_element(p)))
        {
            let arg = ident(&scope.claim(snake(&q.local)));
            let ty = self.element_type(q);
            let (ns, local) = (self.namespaces.at(&quote!(soap::), &q.ns), &q.local);
            args.push(quote!(#arg: &#ty));
            arg_names.push(arg.clone());
            elements.push(quote!(::altinn_bridge_runtime::adapter::to_element(#arg, #ns, #local)));
        }
        let out_ty = match output {
            Some((q, _)) => self.element_type(q),
            None => quote!(()),
        };
        let doc = format!(
            " `{name}`: {}",
            match &link.no_successor {
                Some(_) =>
                    "Altinn 3 has no successor, so this always answers the documented fault."
                        .to_owned(),
                None => format!(
                    "{} Altinn 3 call(s): {}.",
                    link.calls.len(),
                    link.calls
                        .iter()
                        .map(|c| format!("`{} {}`", c.method.as_str(), c.path))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        );
        let body = match (&link.no_successor, output) {
            (Some(reason), _) => quote! {
                let _ = (#(#arg_names,)*);
                ::std::result::Result::Err(::altinn_bridge_runtime::adapter::no_successor(#name, #reason))
            },
            (None, Some(_)) => quote! {
                ::altinn_bridge_runtime::adapter::call(
                    &plan::#stat, [#(#elements),*], &self.upstream, &self.settings,
                ).await
            },
            (None, None) => quote! {
                ::altinn_bridge_runtime::adapter::call_one_way(
                    &plan::#stat, [#(#elements),*], &self.upstream, &self.settings,
                ).await
            },
        };
        quote! {
            #[doc = #doc]
            #contract
            pub async fn #method(&self, #(#args),*) -> ::std::result::Result<#out_ty, ::altinn_bridge_runtime::soap::Fault> {
                #body
            }
        }
    }

    fn plan(
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
                let steps = self.steps.path(path, self.namespaces);
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
        quote! {
            Call {
                name: #name,
                api: #api,
                method: #method,
                path: #path,
                for_each: #for_each,
                body: #body,
                retry: #retry,
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
                let steps = self.steps.path(path, self.namespaces);
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
                let steps = self.steps.path(path, self.namespaces);
                (quote!(Target::SoapBinary(&[#(#steps),*])), None)
            }
            Target::Soap { path } => {
                let steps = self.steps.path(path, self.namespaces);
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
                    let steps = self.steps.path(&f.path, self.namespaces);
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

/// The body element of a message (the first element part).
fn element_part(parts: &[MessagePart]) -> Option<(&QName, &TypeRef)> {
    parts.iter().find_map(part_element)
}

fn part_element(p: &MessagePart) -> Option<(&QName, &TypeRef)> {
    match &p.content {
        PartContent::Element { element, ty, .. } => Some((element, ty)),
        PartContent::Type { .. } => None,
    }
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
        Transform::Join { separator } => quote!(Transform::Join(#separator)),
        Transform::First => quote!(Transform::First),
        Transform::Default { value } => quote!(Transform::Default(#value)),
    }
}

fn format_tokens(f: Format) -> TokenStream {
    vocab::word("Format", &f)
}
