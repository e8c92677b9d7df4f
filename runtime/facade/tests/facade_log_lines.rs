//! `facade::init_logs`, as `altinn-bridge serve` installs it: one JSON line per request naming
//! its id, operation, caller and status; warnings written at once, the rest when the buffer is
//! flushed (at the latest when the guard drops). Its own test binary: it sets the global
//! subscriber.

mod facade_support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use altinn_bridge_facade as facade;
use facade_support::*;

/// What the facade wrote, shared with the test.
#[derive(Clone, Default)]
struct Out(Arc<Mutex<Vec<u8>>>);

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Out {
    fn lines(&self) -> Vec<serde_json::Value> {
        let bytes = self.0.lock().expect("lock").clone();
        String::from_utf8(bytes)
            .expect("UTF-8 logs")
            .lines()
            .map(|l| serde_json::from_str(l).expect("every line is JSON"))
            .collect()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_json_line_per_request_names_the_operation_and_the_caller() {
    let out = Out::default();
    let guard = facade::init_logs(out.clone()).expect("the first subscriber is installed");
    assert!(
        facade::init_logs(Out::default()).is_none(),
        "a second call changes nothing"
    );

    tracing::warn!("written at once");
    assert!(
        out.lines()
            .iter()
            .any(|l| l["fields"]["message"] == "written at once"),
        "a warning is not held in the buffer"
    );

    let s = start().await;
    let res = http()
        .post(s.url(PATH))
        .header("content-type", "text/xml")
        .header("SOAPAction", "urn:echo/IEcho/Echo")
        .header("x-request-id", "log-line-1")
        .body(envelope(S11, "", &body("Echo", USER, PASSWORD, "t")))
        .send()
        .await
        .expect("an answer");
    assert_eq!(
        res.status(),
        200,
        "{}",
        res.text().await.unwrap_or_default()
    );
    drop(guard);

    let lines = out.lines();
    let done: Vec<_> = lines
        .iter()
        .filter(|l| l["fields"]["message"] == "done" && l["fields"]["request_id"] == "log-line-1")
        .collect();
    assert_eq!(done.len(), 1, "one line for the request: {lines:#?}");
    let line = done[0];
    assert_eq!(line["level"], "INFO");
    assert_eq!(line["fields"]["status"], 200);
    assert_eq!(line["fields"]["op"], "Echo");
    assert_eq!(line["fields"]["method"], "POST");
    assert_eq!(line["fields"]["path"], PATH);
    assert!(line["fields"]["caller"].is_string(), "{line}");
    let text = String::from_utf8(out.0.lock().expect("lock").clone()).expect("UTF-8");
    assert!(!text.contains(PASSWORD), "no password in the logs");
}
