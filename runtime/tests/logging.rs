//! No secret reaches the logs: every event of a full token + request + fault cycle is captured
//! at every level (ours and the HTTP stack's) and searched for the secrets involved.

mod support;

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use altinn_bridge_runtime::auth::TokenProvider;
use altinn_bridge_runtime::http::{Client, Request, RetryPolicy};
use altinn_bridge_runtime::soap::Fault;
use altinn_bridge_runtime::{Error, Secret};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// A subscriber that writes every event and span field into one string.
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

#[tokio::test]
async fn secrets_never_reach_the_logs() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let tokens = support::token_server(120).await;
    let mut config = tokens.config();
    config.subscription_key = Some(Secret::new("apim-subscription-secret"));
    let provider = TokenProvider::new(config).expect("provider");
    let token = provider
        .system_user_token("991825827")
        .await
        .expect("token");
    // A request that is retried and fails, then turned into a fault: every log line we write.
    let client = Client::new(tokens.url.replace("/token", ""))
        .expect("client")
        .with_tokens(provider)
        .with_retry(RetryPolicy {
            base_delay: std::time::Duration::from_millis(5),
            ..RetryPolicy::default()
        });
    let err = client
        .send(Request::get("/missing").system_user("991825827"))
        .await
        .expect_err("404");
    assert!(matches!(err, Error::Api(_)));
    let _fault = Fault::from(&err);
    let logs = capture.out.lock().expect("lock").clone();
    assert!(
        logs.contains("requesting a Maskinporten token")
            && logs.contains("answering with a SOAP fault"),
        "{logs}"
    );
    let key_line = support::keys()
        .private_pem
        .lines()
        .nth(1)
        .expect("pem body");
    for secret in [
        key_line,
        "apim-subscription-secret",
        token.value.expose(),
        "Bearer",
    ] {
        assert!(
            !logs.contains(secret),
            "`{secret}` leaked into the logs:\n{logs}"
        );
    }
}
