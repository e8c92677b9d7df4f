//! What a call's request says beyond its body, against a real local server: the host chosen
//! per call from a templated base URL (`http://{org}:PORT` standing in for
//! `https://{org}.apps.altinn.no`), `Accept` when the call answers JSON, and a party URN's
//! prefix put on in the request and taken off in the answer.

use std::sync::{Arc, Mutex};

use altinn_bridge_runtime::adapter::plan::*;
use altinn_bridge_runtime::adapter::{self, Settings, Upstream};
use altinn_bridge_runtime::http::Client;
use altinn_bridge_runtime::xml;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

const NS: &str = "urn:test";
const URN: &str = "urn:altinn:organization:identifier-no:";

const fn el(local: &'static str) -> XmlStep {
    XmlStep {
        ns: NS,
        local,
        attribute: false,
        many: false,
    }
}

const ASK: XmlStep = el("Ask");

/// Ask/Org names the app's owner (host and path), Ask/Reportee the party (prefixed); the
/// answer's `owner` URN comes back as Answer/Owner without its prefix.
static OP: Operation = Operation {
    name: "Ask",
    calls: &[Call {
        name: "instances",
        api: "app",
        method: Method::Get,
        path: "/{org}/{app}/instances",
        for_each: None,
        body: BodyKind::None,
        retry: Retry::IdempotentMethod,
        pages: None,
        accept: Some("application/json"),
        check_request: None,
        check_response: None,
    }],
    inputs: &[
        Link {
            filter: &[],
            field: "Ask/Org",
            from: Source::Soap(&[ASK, el("Org")]),
            to: Target::Param {
                call: "instances",
                location: ParamIn::Path,
                name: "org",
                required: true,
            },
            transforms: &[],
        },
        Link {
            filter: &[],
            field: "app",
            from: Source::Const("mva-melding"),
            to: Target::Param {
                call: "instances",
                location: ParamIn::Path,
                name: "app",
                required: true,
            },
            transforms: &[],
        },
        Link {
            filter: &[],
            field: "Ask/Reportee",
            from: Source::Soap(&[ASK, el("Reportee")]),
            to: Target::Param {
                call: "instances",
                location: ParamIn::Query,
                name: "party",
                required: true,
            },
            transforms: &[Transform::Prefix(URN)],
        },
    ],
    outputs: &[Link {
        filter: &[],
        field: "Answer/Owner",
        from: Source::Response {
            call: "instances",
            path: &[JsonStep {
                name: "owner",
                many: false,
            }],
        },
        to: Target::Soap(&[el("Answer"), el("Owner")]),
        transforms: &[Transform::StripPrefix(URN)],
    }],
    faults: &[],
    output: Some((NS, "Answer")),
    system_user: false,
};

/// One request as the server saw it: host, path, query, Accept.
type Seen = (String, String, String, String);

#[derive(Clone, Default)]
struct App {
    seen: Arc<Mutex<Vec<Seen>>>,
    owner: Arc<Mutex<String>>,
}

async fn instances(
    State(app): State<App>,
    Path((org, name)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Json<Value> {
    let header = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    app.seen.lock().expect("lock").push((
        header("host"),
        format!("/{org}/{name}/instances"),
        query.unwrap_or_default(),
        header("accept"),
    ));
    let owner = app.owner.lock().expect("lock").clone();
    Json(json!({ "owner": owner }))
}

async fn serve() -> (u16, App) {
    let app = App::default();
    let router = Router::new()
        .route("/{org}/{app}/instances", get(instances))
        .with_state(app.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move { axum::serve(listener, router).await });
    (port, app)
}

fn ask(org: &str) -> xml::Element {
    let doc = format!(
        "<t:Ask xmlns:t=\"{NS}\"><t:Org>{org}</t:Org><t:Reportee>910000001</t:Reportee></t:Ask>"
    );
    xml::parse(&doc).expect("request parses")
}

fn upstream(port: u16) -> Upstream {
    // `{org}` is the whole host here: `localhost` is the one name that reaches the loopback
    // server; in production the base is `https://{org}.apps.altinn.no`.
    let client = Client::new(format!("http://{{org}}:{port}")).expect("a templated base");
    Upstream::new().with_api("app", client)
}

#[tokio::test]
async fn the_host_accept_and_prefixes_arrive_where_the_plan_says() {
    let (port, app) = serve().await;
    *app.owner.lock().expect("lock") = format!("{URN}974760673");
    let out = adapter::run(
        &OP,
        vec![ask("localhost")],
        &upstream(port),
        &Settings::new(),
    )
    .await
    .expect("runs")
    .expect("an answer");
    let seen = app.seen.lock().expect("lock").clone();
    assert_eq!(seen.len(), 1, "{seen:?}");
    let (host, path, query, accept) = &seen[0];
    assert_eq!(
        host,
        &format!("localhost:{port}"),
        "the host the call's org names"
    );
    assert_eq!(path, "/localhost/mva-melding/instances");
    assert_eq!(
        query,
        "party=urn%3Aaltinn%3Aorganization%3Aidentifier-no%3A910000001"
    );
    assert_eq!(accept, "application/json");
    let owner = out
        .children_named(NS, "Owner")
        .next()
        .map(xml::Element::text)
        .expect("Answer/Owner");
    assert_eq!(owner, "974760673", "the URN's prefix taken off");
}

#[tokio::test]
async fn an_owner_that_is_not_a_host_label_never_leaves() {
    let (port, app) = serve().await;
    for org in ["evil.example", "localhost:1"] {
        let err = adapter::run(&OP, vec![ask(org)], &upstream(port), &Settings::new())
            .await
            .expect_err(org)
            .to_string();
        assert!(err.contains("host name label"), "{org}: {err}");
    }
    assert!(app.seen.lock().expect("lock").is_empty());
}

#[tokio::test]
async fn an_answer_without_the_prefix_is_refused_by_field() {
    let (port, app) = serve().await;
    *app.owner.lock().expect("lock") =
        "urn:altinn:party:uuid:0b6e4c3a-6f0e-4b5b-9d2a-2f8e1c3d4e5f".into();
    let err = adapter::run(
        &OP,
        vec![ask("localhost")],
        &upstream(port),
        &Settings::new(),
    )
    .await
    .expect_err("a party uuid is no organisation number")
    .to_string();
    assert!(
        err.contains("Answer/Owner") && err.contains("does not start with"),
        "{err}"
    );
}
