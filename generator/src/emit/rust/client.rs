//! The adapter half of an API's module: its constants (`API`, `APIS`, `SETTINGS`, ...), the
//! `plan` module (one static description per mapped operation, written from the resolved links)
//! and `pub struct Client`, whose methods keep the old operations' shapes and make the Altinn 3
//! calls through the runtime's executor.
//!
//! The typed edges stay generated: a method takes the generated SOAP input struct, every JSON
//! request body is read through its generated REST type before it is sent, every JSON answer is
//! read through its REST type, and the SOAP output is read back into the generated output
//! struct, so a value that does not fit either contract fails with an error naming it.

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::quote;

use crate::link::{FieldLink, Mapping, OpLink, Source, Target};
use crate::lower::{Lowered, LoweredOp};
use crate::model::{Builtin, MessagePart, PartContent, QName, SoapOperation, TypeRef};

use super::faults::SharedFaults;
use super::names::{Unique, ident, snake};
use super::operations::StepNames;
use super::rest::RestNames;
use super::soap::SoapModule;

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
    // The plan module's names: one static per operation, the path step constants, then the
    // shared fault rules.
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
        rest_names,
        steps: &steps,
        soap,
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
pub(super) fn api_name(display: &str) -> String {
    std::path::Path::new(display)
        .file_stem()
        .map_or_else(|| display.to_owned(), |s| s.to_string_lossy().into_owned())
}

/// An operation's input body element, input header parts and output body element.
type Messages<'a> = (
    Option<(&'a QName, &'a TypeRef)>,
    &'a [&'a MessagePart],
    Option<(&'a QName, &'a TypeRef)>,
);

/// What the client's and the plan's code for one manifest is written from.
pub(super) struct Cx<'a> {
    pub(super) m: &'a Mapping,
    pub(super) rest_names: &'a RestNames,
    pub(super) steps: &'a StepNames,
    pub(super) soap: &'a SoapModule,
    pub(super) faults: &'a SharedFaults,
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
pub(super) fn whole_body_to_binary(m: &Mapping, l: &FieldLink) -> bool {
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
        let in_v = &self.soap.elements.get(in_q)?.variant;
        let mut lets = Vec::new();
        let mut args = Vec::new();
        for (i, (q, _)) in headers.iter().filter_map(|p| part_element(p)).enumerate() {
            let v = &self.soap.elements.get(q)?.variant;
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
                let v = &self.soap.elements.get(q)?.variant;
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
    pub(super) fn element_name(&self, q: &QName, soap: &TokenStream) -> TokenStream {
        self.soap.name_of(q, soap)
    }

    fn element_type(&self, q: &QName) -> TokenStream {
        match self.soap.elements.get(q) {
            Some(info) => info.ty.clone(),
            None => quote!(::altinn_bridge_runtime::xml::Element),
        }
    }

    /// The operation's typed method; `contract` are its doc lines from the WSDL.
    fn method(
        &self,
        link: &OpLink,
        (stat, method): (&proc_macro2::Ident, &proc_macro2::Ident),
        (input, headers, output): Messages<'_>,
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
            let (ns, local) = (self.soap.namespaces.at(&quote!(soap::), &q.ns), &q.local);
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
