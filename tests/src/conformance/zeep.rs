//! zeep, a real SOAP client, as the third way into the facade: the harness's request goes to
//! `tests/zeep/conformance_client.py`, which reads it into zeep's own typed values, makes the
//! call with zeep against the facade's `?wsdl`, and hands back the answer as zeep read it. The
//! checks are then the same, link by link, as for the harness's own calls.

use std::path::Path;

use altinn_bridge::model::SoapOperation;
use altinn_bridge_runtime::xml::{self, Element};
use serde_json::{Value, json};
use tokio::process::Command;

use super::request::{Request, to_xml};
use super::script::Script;
use super::{PASSWORD, USER};

/// A running `conformance_client.py`: one zeep client of one facade service.
pub struct Zeep(Script);

impl Zeep {
    /// Starts zeep on the service at `url` (its contract read from `url?wsdl`).
    pub fn start(python: &Path, url: &str) -> Zeep {
        let dir = crate::python::scripts_dir();
        let mut command = Command::new(python);
        command
            .arg(dir.join("conformance_client.py"))
            .args(["--wsdl", &format!("{url}?wsdl"), "--url", url])
            .current_dir(dir);
        Zeep(Script::start("zeep", command))
    }

    /// Calls `op` through zeep with `req`'s values (and a WS-Security UsernameToken when
    /// `wsse`): the answer's body element as zeep read it, or the fault or error as text.
    pub async fn call(
        &mut self,
        op: &SoapOperation,
        req: &Request,
        wsse: bool,
    ) -> Result<Option<Element>, String> {
        let reply = self.exchange(request_line(op, req, wsse, false)).await?;
        match (&reply["answer"], &reply["fault"], &reply["error"]) {
            (Value::String(answer), _, _) => xml::parse(answer)
                .map(Some)
                .map_err(|e| format!("zeep's answer is not XML: {e}: {answer}")),
            (Value::Null, Value::String(fault), _) => Err(format!("fault via zeep: {fault}")),
            (Value::Null, _, Value::String(error)) => Err(format!("zeep: {error}")),
            _ if reply.get("answer").is_some() => Ok(None),
            _ => Err(format!("zeep wrote `{reply}`")),
        }
    }

    /// `req`'s values as node-soap takes them (read into zeep's types and converted, see
    /// `conformance_client.py`), and the answer element's name: the request line for
    /// [`NodeSoap`](super::node_soap::NodeSoap).
    pub async fn node_request(
        &mut self,
        op: &SoapOperation,
        req: &Request,
        wsse: bool,
    ) -> Result<Value, String> {
        let reply = self.exchange(request_line(op, req, wsse, true)).await?;
        match reply.get("node") {
            Some(node) => Ok(node.clone()),
            None => Err(format!(
                "zeep could not convert the request for node-soap: {reply}"
            )),
        }
    }

    async fn exchange(&mut self, line: Value) -> Result<Value, String> {
        self.0.exchange(&line).await
    }
}

/// The line `conformance_client.py` reads for one call (or, with `node`, one conversion).
fn request_line(op: &SoapOperation, req: &Request, wsse: bool, node: bool) -> Value {
    json!({
        "binding": format!("{{{}}}{}", op.binding.ns, op.binding.local),
        "op": op.name,
        "body": to_xml(&req.body),
        "headers": req.headers.iter().map(to_xml).collect::<Vec<_>>(),
        "wsse": wsse.then_some([USER, PASSWORD]),
        "node": node,
    })
}
