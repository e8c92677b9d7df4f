//! The typed edges of an adapter: generated SOAP structs to and from element trees, and JSON
//! checked through the generated REST types on its way out and in.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::xml::{self, Element, XmlContent};

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
    let typed: T = serde_json::from_value(v.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(&typed).map_err(|e| e.to_string())
}

/// A JSON response read into the generated REST type `T`.
pub fn check_response<T: DeserializeOwned>(v: &Value) -> std::result::Result<(), String> {
    serde_json::from_value::<T>(v.clone())
        .map(drop)
        .map_err(|e| e.to_string())
}
