//! node-soap, a second real SOAP client, as another way into the facade: the harness's values
//! are converted to node-soap's arguments by zeep (`conformance_client.py`, the same conversion
//! `facade_calls.py` makes), node-soap (`tests/node-soap/conformance_client.js`) calls the facade
//! from its `?wsdl`, and the object node-soap parsed from the answer is turned back into an
//! element tree, so the harness checks node-soap's values link by link as it does its own.

use std::path::Path;

use altinn_bridge::model::SoapOperation;
use altinn_bridge_runtime::xml::{Element, Node};
use serde_json::Value;
use tokio::process::Command;

use super::request::Request;
use super::script::Script;
use super::zeep::Zeep;

const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// A running `conformance_client.js`: node-soap's clients of one facade service.
pub struct NodeSoap(Script);

impl NodeSoap {
    /// Starts node-soap (installed in `dir`) on the service at `url` (its contract read from
    /// `url?wsdl`).
    pub fn start(dir: &Path, url: &str) -> NodeSoap {
        let mut command = Command::new("node");
        command
            .arg(dir.join("conformance_client.js"))
            .args(["--wsdl", &format!("{url}?wsdl"), "--url", url])
            .current_dir(dir);
        NodeSoap(Script::start("node-soap", command))
    }

    /// Calls `op` through node-soap with `req`'s values (converted by `zeep`), and a
    /// WS-Security UsernameToken when `wsse`: the answer as node-soap parsed it, as an element
    /// tree, or the fault or error as text.
    pub async fn call(
        &mut self,
        op: &SoapOperation,
        req: &Request,
        wsse: bool,
        zeep: &mut Zeep,
    ) -> Result<Option<Element>, String> {
        let mut line = zeep.node_request(op, req, wsse).await?;
        line["binding"] = Value::String(op.binding.local.clone());
        line["op"] = Value::String(op.name.clone());
        line["wsse"] = if wsse {
            serde_json::json!([super::USER, super::PASSWORD])
        } else {
            Value::Null
        };
        let answer_name = line["answer"].as_str().map(qname);
        let reply = self.0.exchange(&line).await?;
        match (reply.get("answer"), &reply["fault"], &reply["error"]) {
            (Some(result), _, _) => Ok(answer_name.map(|(ns, local)| {
                let mut root = element(ns, local);
                fill(&mut root, result);
                root
            })),
            (None, Value::String(fault), _) => Err(format!("fault via node-soap: {fault}")),
            (None, _, Value::String(error)) => Err(format!("node-soap: {error}")),
            _ => Err(format!("node-soap wrote `{reply}`")),
        }
    }
}

/// `{ns}local` as its parts.
fn qname(text: &str) -> (String, String) {
    match text.strip_prefix('{').and_then(|t| t.split_once('}')) {
        Some((ns, local)) => (ns.to_owned(), local.to_owned()),
        None => (String::new(), text.to_owned()),
    }
}

fn element(ns: String, local: String) -> Element {
    Element {
        ns,
        local,
        attributes: Vec::new(),
        children: Vec::new(),
    }
}

/// Writes node-soap's parsed value into `el`: object members become child elements (an array
/// one element per item, unqualified: the checks match local names), `attributes` attributes,
/// `$value` and scalars text, and null a nil element.
fn fill(el: &mut Element, value: &Value) {
    match value {
        Value::Object(members) => {
            for (key, v) in members {
                match key.as_str() {
                    "attributes" => attributes(el, v),
                    "$value" => fill(el, v),
                    _ => {
                        let items = match v {
                            Value::Array(items) => items.as_slice(),
                            one => std::slice::from_ref(one),
                        };
                        for item in items {
                            let mut child = element(String::new(), key.clone());
                            fill(&mut child, item);
                            el.children.push(Node::Element(child));
                        }
                    }
                }
            }
        }
        Value::Null => el
            .attributes
            .push((XSI.to_owned(), "nil".to_owned(), "true".to_owned())),
        Value::String(text) => el.children.push(Node::Text(text.clone())),
        Value::Array(_) => el.children.push(Node::Text(value.to_string())),
        scalar => el.children.push(Node::Text(scalar.to_string())),
    }
}

/// node-soap's `attributes` member: prefixed names keep their local part; `xsi:nil` stays nil.
fn attributes(el: &mut Element, value: &Value) {
    let Value::Object(attrs) = value else {
        return;
    };
    for (name, v) in attrs {
        let (prefix, local) = name.split_once(':').unwrap_or(("", name));
        let text = v
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| v.to_string());
        let ns = if prefix == "xsi" { XSI } else { "" };
        el.attributes.push((ns.to_owned(), local.to_owned(), text));
    }
}
