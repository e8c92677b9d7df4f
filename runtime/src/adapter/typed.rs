//! The typed edges of an adapter: generated SOAP structs to and from element trees, and JSON
//! checked through the generated REST types on its way out and in.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::plan::Operation;
use super::{Settings, Upstream, exec};
use crate::error::{Error, Result};
use crate::http::ByteStream;
use crate::soap::Fault;
use crate::xml::{self, Element, XmlContent};

/// A generated client method's whole body: runs `op` on the request's elements (the body
/// first, then header parts, each converted by [`to_element`]) and reads the answer as the
/// generated output type `O`; every failure becomes the manifest's fault for `op`.
pub async fn call<O: XmlContent>(
    op: &'static Operation,
    input: impl IntoIterator<Item = Result<Element>>,
    upstream: &Upstream,
    settings: &Settings,
) -> std::result::Result<O, Fault> {
    let fault = |e: Error| super::fault(op, &e);
    let input = input
        .into_iter()
        .collect::<Result<Vec<_>>>()
        .map_err(fault)?;
    let out = exec::run(op, input, upstream, settings)
        .await
        .map_err(fault)?;
    read_output(&out.unwrap_or_default()).map_err(fault)
}

/// [`call`] for a one-way operation (no output).
pub async fn call_one_way(
    op: &'static Operation,
    input: impl IntoIterator<Item = Result<Element>>,
    upstream: &Upstream,
    settings: &Settings,
) -> std::result::Result<(), Fault> {
    let fault = |e: Error| super::fault(op, &e);
    let input = input
        .into_iter()
        .collect::<Result<Vec<_>>>()
        .map_err(fault)?;
    exec::run(op, input, upstream, settings)
        .await
        .map(drop)
        .map_err(fault)
}

/// The facade's path: runs `op` on the elements as they arrived (and the streamed binary, if
/// any), reads the answer through the generated output type `O` so it fits the contract, and
/// gives it back as XML (`None` for a one-way operation).
pub async fn call_xml<O: XmlContent>(
    op: &'static Operation,
    input: Vec<Element>,
    stream: Option<(ByteStream, Option<u64>)>,
    upstream: &Upstream,
    settings: &Settings,
) -> std::result::Result<Option<String>, Fault> {
    let out = exec::run_with(op, input, stream, upstream, settings)
        .await
        .map_err(|e| super::fault(op, &e))?;
    let Some(el) = out else { return Ok(None) };
    retyped::<O>(&el)
        .map(Some)
        .map_err(|e| super::fault(op, &e))
}

/// The executor's output read through the generated output type `O` and written back as XML.
pub(crate) fn retyped<O: XmlContent>(el: &Element) -> Result<String> {
    let typed: O = read_output(el)?;
    xml::to_string(&typed, &el.ns, &el.local).map_err(|e| Error::Convert {
        field: el.local.clone(),
        message: e.to_string(),
    })
}

/// A generated SOAP struct as the element `{ns}local`, the tree the executor reads.
pub fn to_element<T: XmlContent>(value: &T, ns: &str, local: &str) -> Result<Element> {
    let text = xml::to_string(value, ns, local).map_err(|e| Error::Convert {
        field: local.to_owned(),
        message: e.to_string(),
    })?;
    xml::parse(&text).map_err(|e| Error::Convert {
        field: local.to_owned(),
        message: e.to_string(),
    })
}

/// The executor's output tree read as the generated output struct; a field the answers did not
/// fill but the contract requires is an error naming it.
pub fn read_output<T: XmlContent>(el: &Element) -> Result<T> {
    T::read_content(el).map_err(|e| Error::Convert {
        field: el.local.clone(),
        message: format!("the answer does not fill the old response: {e}"),
    })
}

/// A JSON request body read into the generated REST type `T` and written back from it: fields
/// the type does not know are dropped from the wire, and a body that does not fit is an error.
pub fn check_request<T: Serialize + DeserializeOwned>(
    v: &Value,
) -> std::result::Result<Value, String> {
    let typed = T::deserialize(v).map_err(|e| e.to_string())?;
    serde_json::to_value(&typed).map_err(|e| e.to_string())
}

/// A JSON response read into the generated REST type `T`.
pub fn check_response<T: DeserializeOwned>(v: &Value) -> std::result::Result<(), String> {
    T::deserialize(v).map(drop).map_err(|e| e.to_string())
}
