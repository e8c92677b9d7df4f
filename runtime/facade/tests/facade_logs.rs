//! The facade's logs carry the request id and the outcome, never a password or an
//! `Authorization` header: every event and span field at every level is captured and searched.

mod facade_support;

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use facade_support::*;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

#[derive(Clone, Default)]
struct Capture {
    out: Arc<Mutex<String>>,
    ids: Arc<AtomicU64>,
}

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        span.record(&mut Fields(&mut self.out.lock().expect("lock")));
        Id::from_u64(self.ids.fetch_add(1, Ordering::SeqCst) + 1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        values.record(&mut Fields(&mut self.out.lock().expect("lock")));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut out = self.out.lock().expect("lock");
        let _ = write!(
            out,
            "\n{} {}:",
            event.metadata().level(),
            event.metadata().target()
        );
        event.record(&mut Fields(&mut out));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

// One thread: the server's tasks run where the thread-local subscriber is set.
#[tokio::test(flavor = "current_thread")]
async fn passwords_and_authorization_never_reach_the_logs() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let s = start().await;
    for password in [PASSWORD, "wrong-Pa55word-xyz"] {
        let res = http()
            .post(s.url(PATH))
            .header("content-type", "text/xml")
            .header("SOAPAction", "urn:echo/IEcho/Echo")
            .header("authorization", "Basic c2VjcmV0LWJhc2ljLWF1dGg=")
            .header("x-request-id", "log-check-1")
            .body(envelope(S11, "", &body("Echo", USER, password, "t")))
            .send()
            .await
            .expect("answer");
        let _ = res.text().await;
    }
    let logs = capture.out.lock().expect("lock").clone();
    assert!(
        logs.contains("log-check-1"),
        "the request id is logged:\n{logs}"
    );
    assert!(logs.contains("authentication failed"), "{logs}");
    assert!(logs.contains("answered"), "{logs}");
    // The request's one `done` line names the operation and the caller.
    assert!(logs.contains("op=\"Echo\""), "{logs}");
    assert!(logs.contains("caller="), "{logs}");
    for secret in [
        PASSWORD,
        "wrong-Pa55word-xyz",
        "c2VjcmV0LWJhc2ljLWF1dGg",
        "argon2id",
    ] {
        assert!(!logs.contains(secret), "`{secret}` is in the logs:\n{logs}");
    }
}
