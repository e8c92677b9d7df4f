//! The facade half of an API's module (strategy 2): the items of `mod facade`, the operations'
//! dispatch data and a `Service` (the runtime's `facade::SoapService`) that the facade's server
//! (`altinn-bridge-facade`) serves at the old endpoint path. It runs the same [`Client`](super)
//! code as strategy 1, so there is one
//! translation path, tested once.

use proc_macro2::TokenStream;
use quote::quote;

use crate::link::{Mapping, OpLink};
use crate::model::{PartContent, QName, SoapOperation};

use super::soap::SoapModule;

/// The contract files a facade serves at `?wsdl` / `?xsd=`: (file name, path of the copy written
/// beside the generated modules, relative to the facade's file).
pub type Documents = Vec<(String, String)>;

/// The items of `mod facade` for one manifest.
pub fn module(m: &Mapping, documents: &Documents, soap: &SoapModule) -> TokenStream {
    let ops: Vec<TokenStream> = m
        .resolved
        .operations
        .iter()
        .filter_map(|link| {
            let op = m.soap.operations.iter().find(|o| o.id == link.soap_op)?;
            Some(operation(m, link, op, soap))
        })
        .collect();
    let path = endpoint_path(m);
    let answer = super::client::answers_streamed(m).then(answer_method);
    let docs = documents
        .iter()
        .map(|(name, rel)| quote!((#name, ::std::include_str!(#rel))));
    quote! {
            use ::altinn_bridge_runtime::facade::{Credentials, Operation};

            /// Where the old service answered (the WSDL port address's path).
            pub const PATH: &str = #path;

            /// The contract served at `?wsdl` (first) and `?xsd=`.
            pub static DOCUMENTS: &[(&str, &str)] = &[#(#docs),*];

            /// The operations, with what the server dispatches on.
            pub static OPERATIONS: &[Operation] = &[#(#ops),*];

            /// The facade for this API; give it to `altinn_bridge_facade::serve`.
            #[derive(Debug, Clone, Copy, Default)]
            pub struct Service;

            impl ::altinn_bridge_runtime::facade::SoapService for Service {
                fn name(&self) -> &'static str {
                    super::API
                }

                fn path(&self) -> &'static str {
                    PATH
                }

                fn documents(&self) -> &'static [(&'static str, &'static str)] {
                    DOCUMENTS
                }

                fn apis(&self) -> &'static [&'static str] {
                    super::APIS
                }

                fn operations(&self) -> &'static [Operation] {
                    OPERATIONS
                }

                fn settings(&self) -> (&'static [&'static str], &'static [&'static str]) {
                    (super::SETTINGS, super::TABLES)
                }

                fn call<'a>(
                    &'a self,
                    op: &'static Operation,
                    req: ::altinn_bridge_runtime::facade::Request,
                ) -> ::altinn_bridge_runtime::facade::CallFuture<'a> {
                    ::std::boxed::Box::pin(async move {
                        let client = super::Client::checked(req.caller.upstream.clone(), req.caller.settings.clone());
                        let out = client.call_element(op.name, req.body, req.headers).await?;
                        ::std::result::Result::Ok(out.unwrap_or_default())
                    })
                }

                #answer

                fn call_streamed<'a>(
                    &'a self,
                    op: &'static Operation,
                    req: ::altinn_bridge_runtime::facade::Request,
                    binary: ::altinn_bridge_runtime::http::ByteStream,
                    len: ::std::option::Option<u64>,
                ) -> ::altinn_bridge_runtime::facade::CallFuture<'a> {
                    ::std::boxed::Box::pin(async move {
                        let client = super::Client::checked(req.caller.upstream.clone(), req.caller.settings.clone());
                        let out = client
                            .call_element_streamed(op.name, req.body, req.headers, binary, len)
                            .await?;
                        ::std::result::Result::Ok(out.unwrap_or_default())
                    })
                }
            }
    }
}

/// `SoapService::answer` for a service whose operations download files: through
/// `Client::call_element_answer`, so the files stream into the answer.
fn answer_method() -> TokenStream {
    quote! {
        fn answer<'a>(
            &'a self,
            op: &'static Operation,
            req: ::altinn_bridge_runtime::facade::Request,
        ) -> ::altinn_bridge_runtime::facade::AnswerFuture<'a> {
            ::std::boxed::Box::pin(async move {
                let client = super::Client::checked(req.caller.upstream.clone(), req.caller.settings.clone());
                client.call_element_answer(op.name, req.body, req.headers).await
            })
        }
    }
}

/// The path of the first port's address (`https://host/ServiceEngineExternal/X.svc` →
/// `/ServiceEngineExternal/X.svc`), else `/{API}.svc`.
fn endpoint_path(m: &Mapping) -> String {
    let address = m
        .soap
        .services
        .iter()
        .flat_map(|s| &s.ports)
        .find_map(|p| p.address.as_deref());
    let path = address.and_then(|a| {
        let rest = a.split_once("://").map_or(a, |(_, r)| r);
        rest.find('/').map(|i| rest[i..].to_owned())
    });
    path.filter(|p| p.len() > 1)
        .unwrap_or_else(|| format!("/{}.svc", m.resolved.api))
}

/// An element's `(namespace, local name)` from here: its constant in `soap` when it has one.
fn element_name(soap: &SoapModule, q: &QName) -> TokenStream {
    soap.name_of(q, &quote!(super::soap::))
}

/// `(namespace, local name)` with the namespace by its constant in `soap`.
fn qname(soap: &SoapModule, q: &QName) -> TokenStream {
    let ns = soap.namespaces.at(&quote!(super::soap::), &q.ns);
    let local = &q.local;
    quote!((#ns, #local))
}

fn operation(m: &Mapping, link: &OpLink, op: &SoapOperation, soap: &SoapModule) -> TokenStream {
    let name = &link.name;
    let soap_action = op.soap_action.clone().unwrap_or_default();
    let wsa_action = op
        .input
        .as_ref()
        .and_then(|i| i.action.clone())
        .unwrap_or_default();
    let input = op.input.as_ref().and_then(|i| {
        i.body.iter().find_map(|p| match &p.content {
            PartContent::Element { element, .. } => Some(element.clone()),
            PartContent::Type { .. } => None,
        })
    });
    let input_name = match &input {
        Some(q) => element_name(soap, q),
        None => {
            let local = &link.name;
            quote!(("", #local))
        }
    };
    let headers: Vec<QName> = op
        .input
        .iter()
        .flat_map(|i| &i.headers)
        .filter_map(|p| match &p.content {
            PartContent::Element { element, .. } => Some(element.clone()),
            PartContent::Type { .. } => None,
        })
        .collect();
    let header_parts = headers.iter().map(|q| element_name(soap, q));
    let credentials = credentials(m, input.as_ref(), &headers, soap);
    let parties = link.parties.iter().map(|path| {
        let steps = path
            .steps
            .iter()
            .filter_map(|s| s.xml_name.as_ref())
            .map(|q| qname(soap, q));
        quote!(&[#(#steps),*])
    });
    let streamed = match streamed_element(m, op) {
        Some(local) => quote!(::std::option::Option::Some(#local)),
        None => quote!(::std::option::Option::None),
    };
    let no_successor = match &link.no_successor {
        Some(r) => {
            let r = r.trim();
            quote!(::std::option::Option::Some(#r))
        }
        None => quote!(::std::option::Option::None),
    };
    quote! {
        Operation {
            name: #name,
            soap_action: #soap_action,
            wsa_action: #wsa_action,
            input: #input_name,
            header_parts: &[#(#header_parts),*],
            credentials: #credentials,
            parties: &[#(#parties),*],
            no_successor: #no_successor,
            streamed: #streamed,
        }
    }
}

/// For a streamed input (WCF `StreamBody`: one binary element in the body), that element's local
/// name, whose content the facade streams instead of reading it whole.
fn streamed_element(m: &Mapping, op: &SoapOperation) -> Option<String> {
    let input = op.input.as_ref().filter(|i| i.streamed)?;
    let root = input.body.iter().find_map(|p| match &p.content {
        PartContent::Element { element, .. } => Some(element),
        PartContent::Type { .. } => None,
    })?;
    let element = m.soap.elements.iter().find(|e| &e.name == root)?;
    let fields = m.soap.types.all_fields(element.ty.as_named()?);
    fields
        .iter()
        .find(|f| {
            matches!(
                m.soap.types.builtin_of(&f.ty),
                Some(crate::model::Builtin::Base64Binary | crate::model::Builtin::Binary)
            )
        })
        .and_then(|f| f.xml_name.as_ref().map(|q| q.local.clone()))
}

/// Where the legacy caller's user name and password are: the manifest's `auth.old_fields` that
/// belong to this operation (children of its body element, or header parts).
fn credentials(
    m: &Mapping,
    input: Option<&QName>,
    headers: &[QName],
    soap: &SoapModule,
) -> TokenStream {
    let Some(auth) = &m.resolved.auth else {
        return quote!(Credentials::None);
    };
    let is_user = |s: &str| s.to_ascii_lowercase().contains("username");
    let is_password = |s: &str| s.to_ascii_lowercase().contains("password");
    // Header parts first: an operation that takes them there has none in its body.
    let header = |want: &dyn Fn(&str) -> bool| {
        headers
            .iter()
            .find(|q| want(&q.local) && auth.old_fields.iter().any(|f| f == &q.local))
    };
    if let (Some(u), Some(p)) = (header(&is_user), header(&is_password)) {
        let (user, password) = (element_name(soap, u), element_name(soap, p));
        return quote!(Credentials::Header { user: #user, password: #password });
    }
    let Some(root) = input else {
        return quote!(Credentials::None);
    };
    let element = m.soap.elements.iter().find(|e| &e.name == root);
    let fields = element
        .and_then(|e| e.ty.as_named())
        .map(|id| m.soap.types.all_fields(id))
        .unwrap_or_default();
    let body = |want: &dyn Fn(&str) -> bool| {
        fields.iter().find_map(|f| {
            let q = f.xml_name.as_ref()?;
            let path = format!("{}/{}", root.local, q.local);
            (want(&q.local) && auth.old_fields.contains(&path)).then(|| q.clone())
        })
    };
    match (body(&is_user), body(&is_password)) {
        (Some(u), Some(p)) => {
            let (user, password) = (qname(soap, &u), qname(soap, &p));
            quote!(Credentials::Body { user: &[#user], password: &[#password] })
        }
        _ => quote!(Credentials::None),
    }
}
