//! The interface a generated SOAP service implements; the facade's server (the crate
//! `altinn-bridge-facade`) does the rest: transport, dispatch, authentication, limits, faults.
//!
//! It lives here, not in the server's crate, because generated code implements it and generated
//! code depends on this crate alone; it needs nothing the rest of the runtime does not, so a
//! crate that only calls Altinn 3 compiles no server for it.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::adapter::{Settings, Upstream, XmlAnswer};
use crate::soap::{Fault, SoapVersion};
use crate::xml::Element;

/// One operation of a service, as its WSDL binding describes it.
#[derive(Debug)]
pub struct Operation {
    /// The operation's name (`InsertCorrespondenceBasicV2`).
    pub name: &'static str,
    /// The binding's `soapAction`, empty if none.
    pub soap_action: &'static str,
    /// The input's `wsaw:Action`, empty if none.
    pub wsa_action: &'static str,
    /// The body element: (namespace, local name).
    pub input: (&'static str, &'static str),
    /// The header elements the operation understands: (namespace, local name).
    pub header_parts: &'static [(&'static str, &'static str)],
    /// Where the legacy caller's credentials are.
    pub credentials: Credentials,
    /// Where a request names the party the caller acts for: paths of (namespace, local) steps,
    /// the first being the body element or a header block. Every value found must be one of
    /// the caller's [`Caller::parties`].
    pub parties: &'static [&'static [(&'static str, &'static str)]],
    /// Why the operation has no Altinn 3 successor; the facade answers a fault, never success.
    pub no_successor: Option<&'static str>,
    /// The body's binary element (`DataStream`) when the operation is streamed: its content
    /// (an MTOM attachment, or inline base64) goes to [`SoapService::call_streamed`] as a stream.
    pub streamed: Option<&'static str>,
}

/// Where an operation carries the legacy caller's user name and password. A WS-Security
/// `UsernameToken` is always accepted as well.
#[derive(Debug)]
pub enum Credentials {
    /// Only in a WS-Security header.
    None,
    /// In the body: paths of (namespace, local) steps below the body element.
    Body {
        /// Path to the user name, e.g. `[("ns", "systemUserName")]`.
        user: &'static [(&'static str, &'static str)],
        /// Path to the password.
        password: &'static [(&'static str, &'static str)],
    },
    /// In header blocks: the blocks' (namespace, local) names; their text is the value.
    Header {
        /// The user name's header block.
        user: (&'static str, &'static str),
        /// The password's header block.
        password: (&'static str, &'static str),
    },
}

/// What a service's [`SoapService::call`] gets: the parsed message and the authenticated caller.
#[derive(Debug)]
pub struct Request {
    /// The request's SOAP version; the answer is written in the same one.
    pub version: SoapVersion,
    /// The header blocks, namespace-resolved.
    pub headers: Vec<Element>,
    /// The body element.
    pub body: Element,
    /// The authenticated legacy caller.
    pub caller: Arc<Caller>,
    /// The request id (from `X-Request-Id` or generated), for logs and fault details.
    pub request_id: String,
}

/// A legacy caller as configured in `[[callers]]`, with what it may reach upstream.
#[derive(Debug)]
pub struct Caller {
    /// The legacy user name.
    pub name: String,
    /// One HTTP client per Altinn 3 API, carrying this caller's Maskinporten client.
    pub upstream: Upstream,
    /// The deployment's settings (values and lookup tables).
    pub settings: Arc<Settings>,
    /// Organisation numbers or ids the caller may act for; `*` stands for any party.
    pub parties: Vec<String>,
}

/// The future a [`SoapService::call`] returns: the response body element as XML (no
/// declaration), or the fault to answer.
pub type CallFuture<'a> = Pin<Box<dyn Future<Output = Result<String, Fault>> + Send + 'a>>;

/// The future a [`SoapService::answer`] returns: the response body element and the downloads
/// still to stream into it, or the fault to answer.
pub type AnswerFuture<'a> = Pin<Box<dyn Future<Output = Result<XmlAnswer, Fault>> + Send + 'a>>;

/// A SOAP service the facade serves at [`SoapService::path`]; implemented by generated code.
pub trait SoapService: Send + Sync + 'static {
    /// The WSDL service's name (`CorrespondenceAgencyExternalBasic`).
    fn name(&self) -> &'static str;
    /// The path it is served at (`/ServiceEngineExternal/CorrespondenceAgencyExternalBasic.svc`).
    fn path(&self) -> &'static str;
    /// (file name, text) of the contract: the WSDL first, then the XSDs it imports.
    fn documents(&self) -> &'static [(&'static str, &'static str)];
    /// The Altinn 3 API names it calls (`altinn-correspondence-v1`).
    fn apis(&self) -> &'static [&'static str];
    /// The operations it serves.
    fn operations(&self) -> &'static [Operation];
    /// The settings values and lookup tables its adapters read (generated `SETTINGS` and
    /// `TABLES`): the facade refuses to start without them.
    fn settings(&self) -> (&'static [&'static str], &'static [&'static str]) {
        (&[], &[])
    }
    /// Runs `op` for `req`: `Ok` is the response body element as XML (no declaration), which
    /// the facade wraps in an envelope of the request's version.
    fn call<'a>(&'a self, op: &'static Operation, req: Request) -> CallFuture<'a>;
    /// Runs `op` for `req` as the facade answers it: like [`SoapService::call`], but files the
    /// operation downloads may stay streaming ([`XmlAnswer::parts`]), to be written into the
    /// answer as the client reads it. Generated services whose operations download files
    /// override it; by default it is `call`'s XML.
    fn answer<'a>(&'a self, op: &'static Operation, req: Request) -> AnswerFuture<'a> {
        Box::pin(async move { self.call(op, req).await.map(XmlAnswer::xml) })
    }
    /// Runs a streamed `op` (one with [`Operation::streamed`]): `binary` is its binary element's
    /// content, `len` its size when known up front. Never held whole by the facade.
    fn call_streamed<'a>(
        &'a self,
        op: &'static Operation,
        req: Request,
        binary: crate::http::ByteStream,
        len: Option<u64>,
    ) -> CallFuture<'a> {
        drop((req, binary, len));
        Box::pin(async move {
            Err(Fault::new(
                crate::soap::FaultCode::Sender,
                format!("{} does not take streamed content", op.name),
            ))
        })
    }
}
