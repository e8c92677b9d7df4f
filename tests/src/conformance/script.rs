//! A client script that takes one JSON request per line on stdin and answers one JSON line on
//! stdout (`tests/zeep/conformance_client.py`, `tests/node-soap/conformance_client.js`).

use std::process::Stdio;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

/// A running client script.
pub struct Script {
    who: &'static str,
    _child: Child,
    input: ChildStdin,
    output: Lines<BufReader<ChildStdout>>,
}

impl Script {
    /// Starts `command` with piped stdin and stdout (stderr stays the test's); `who` names it
    /// in errors.
    pub fn start(who: &'static str, mut command: Command) -> Script {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {who}: {e}"));
        let input = child.stdin.take().expect("piped stdin");
        let output = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
        Script {
            who,
            _child: child,
            input,
            output,
        }
    }

    /// Writes `line` and reads the JSON line the script answers.
    pub async fn exchange(&mut self, line: &Value) -> Result<Value, String> {
        let who = self.who;
        let mut text = line.to_string();
        text.push('\n');
        self.input
            .write_all(text.as_bytes())
            .await
            .map_err(|e| format!("{who}: writing the request: {e}"))?;
        let reply = self
            .output
            .next_line()
            .await
            .map_err(|e| format!("{who}: reading its answer: {e}"))?
            .ok_or(format!("{who} exited (its stderr is above)"))?;
        serde_json::from_str(&reply).map_err(|e| format!("{who} wrote `{reply}`: {e}"))
    }
}
