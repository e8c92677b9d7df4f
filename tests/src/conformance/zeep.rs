//! zeep, a real SOAP client, as the third way into the facade: the harness's request goes to
//! `tests/zeep/conformance_client.py`, which reads it into zeep's own typed values, makes the
//! call with zeep against the facade's `?wsdl`, and hands back the answer as zeep read it. The
//! checks are then the same, link by link, as for the harness's own calls.

use std::path::Path;
use std::process::Stdio;

use altinn_bridge::model::SoapOperation;
use altinn_bridge_runtime::xml::{self, Element};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

use super::request::{Request, to_xml};
use super::{PASSWORD, USER};

/// A running `conformance_client.py`: one zeep client of one facade service.
pub struct Zeep {
    _child: Child,
    input: ChildStdin,
    output: Lines<BufReader<ChildStdout>>,
}

impl Zeep {
    /// Starts zeep on the service at `url` (its contract read from `url?wsdl`).
    pub fn start(python: &Path, url: &str) -> Zeep {
        let script = crate::python::scripts_dir().join("conformance_client.py");
        let mut child = Command::new(python)
            .arg(script)
            .args(["--wsdl", &format!("{url}?wsdl"), "--url", url])
            .current_dir(crate::python::scripts_dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", python.display()));
        let input = child.stdin.take().expect("piped stdin");
        let output = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
        Zeep {
            _child: child,
            input,
            output,
        }
    }

    /// Calls `op` through zeep with `req`'s values (and a WS-Security UsernameToken when
    /// `wsse`): the answer's body element as zeep read it, or the fault or error as text.
    pub async fn call(
        &mut self,
        op: &SoapOperation,
        req: &Request,
        wsse: bool,
    ) -> Result<Option<Element>, String> {
        let line = json!({
            "binding": format!("{{{}}}{}", op.binding.ns, op.binding.local),
            "op": op.name,
            "body": to_xml(&req.body),
            "headers": req.headers.iter().map(to_xml).collect::<Vec<_>>(),
            "wsse": wsse.then_some([USER, PASSWORD]),
        });
        let mut text = line.to_string();
        text.push('\n');
        self.input
            .write_all(text.as_bytes())
            .await
            .map_err(|e| format!("zeep: writing the request: {e}"))?;
        let reply = self
            .output
            .next_line()
            .await
            .map_err(|e| format!("zeep: reading its answer: {e}"))?
            .ok_or("zeep exited (its stderr is above)")?;
        let reply: Value =
            serde_json::from_str(&reply).map_err(|e| format!("zeep wrote `{reply}`: {e}"))?;
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
}
