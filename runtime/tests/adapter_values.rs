//! The executor's value semantics the conformance harness found broken, each on a small
//! hand-written plan against a real local server: map entries from key/value pairs, a boolean
//! from "are there any?", nested answer lists kept nested, a constant in every repeated item,
//! `where` and `first` on repeated sources, and system-user operations refusing to run without
//! their organisation.

use std::sync::{Arc, Mutex};

use altinn_bridge_runtime::adapter::plan::*;
use altinn_bridge_runtime::adapter::{self, Settings, Upstream};
use altinn_bridge_runtime::http::{Client, RetryPolicy};
use altinn_bridge_runtime::xml::{self, Element};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use serde_json::{Value, json};

const NS: &str = "urn:values";

const fn el(local: &'static str, many: bool) -> XmlStep {
    XmlStep {
        ns: NS,
        local,
        attribute: false,
        many,
    }
}

const fn js(name: &'static str, many: bool) -> JsonStep {
    JsonStep { name, many }
}

const REQ: XmlStep = el("Req", false);
const PROP: XmlStep = el("Prop", true);
const KEY: XmlStep = el("Key", false);
const VALUE: XmlStep = el("Value", false);
const KIND: XmlStep = el("Kind", false);
const RES: XmlStep = el("Res", false);
const ANY: XmlStep = el("Any", false);
const STATUS: XmlStep = el("Status", true);
const CHANGE: XmlStep = el("Change", true);
const DATE: XmlStep = el("Date", false);
const FIXED: XmlStep = el("Fixed", false);

const fn call(
    name: &'static str,
    method: Method,
    path: &'static str,
    for_each: Option<Loop>,
    body: BodyKind,
) -> Call {
    Call {
        name,
        api: "api",
        method,
        path,
        for_each,
        body,
        retry: if method.is_idempotent() {
            Retry::IdempotentMethod
        } else {
            Retry::Never
        },
        pages: None,
        accept: None,
        check_request: None,
        check_response: None,
    }
}

const fn link(
    field: &'static str,
    from: Source,
    to: Target,
    transforms: &'static [Transform],
) -> Link {
    Link {
        field,
        from,
        filter: &[],
        to,
        transforms,
    }
}

/// Req/Prop*(Key, Value, Kind) → `POST /send` with `props` a map of the keys to the values,
/// and `kind` the value of the one Prop whose Kind is `main`; then one `GET /details` per id
/// the send answered. The answer: Any (are there ids?), Status per details call with a
/// Change per status history entry, and a constant in each Status.
static OP: Operation = Operation {
    name: "Values",
    calls: &[
        call("send", Method::Post, "/send", None, BodyKind::Json),
        call(
            "details",
            Method::Get,
            "/details/{id}",
            Some(Loop::Response {
                call: "send",
                path: &[js("ids", true)],
            }),
            BodyKind::None,
        ),
    ],
    inputs: &[
        link(
            "Req/Prop/Key",
            Source::Soap(&[REQ, PROP, KEY]),
            Target::Body {
                call: "send",
                path: &[js("props", false), js("{key}", false)],
                kind: Kind::String,
            },
            &[],
        ),
        link(
            "Req/Prop/Value",
            Source::Soap(&[REQ, PROP, VALUE]),
            Target::Body {
                call: "send",
                path: &[js("props", false), js("{value}", false)],
                kind: Kind::String,
            },
            &[],
        ),
        Link {
            field: "Req/Prop/Value (main)",
            from: Source::Soap(&[REQ, PROP, VALUE]),
            filter: &[Filter {
                item: 1,
                path: FilterPath::Soap(&[KIND]),
                equals: "main",
            }],
            to: Target::Body {
                call: "send",
                path: &[js("main", false)],
                kind: Kind::String,
            },
            transforms: &[],
        },
        link(
            "Req/Prop/Key (first)",
            Source::Soap(&[REQ, PROP, KEY]),
            Target::Body {
                call: "send",
                path: &[js("firstKey", false)],
                kind: Kind::String,
            },
            &[Transform::First],
        ),
        link(
            "send: ids[]",
            Source::Response {
                call: "send",
                path: &[js("ids", true)],
            },
            Target::Param {
                call: "details",
                location: ParamIn::Path,
                name: "id",
                required: true,
            },
            &[],
        ),
    ],
    outputs: &[
        link(
            "Fixed",
            Source::Const("yes"),
            Target::Soap(&[RES, STATUS, FIXED]),
            &[],
        ),
        link(
            "Any",
            Source::Response {
                call: "send",
                path: &[js("ids", true)],
            },
            Target::Soap(&[RES, ANY]),
            &[Transform::Format(Format::NonEmpty)],
        ),
        link(
            "Date",
            Source::Response {
                call: "details",
                path: &[js("history", true), js("at", false)],
            },
            Target::Soap(&[RES, STATUS, CHANGE, DATE]),
            &[],
        ),
    ],
    faults: &[],
    output: Some((NS, "Res")),
    system_user: false,
};

/// [`OP`] acting through a system user.
static AS_SYSTEM_USER: Operation = Operation {
    name: "AsSystemUser",
    calls: &[call("send", Method::Post, "/send", None, BodyKind::Json)],
    inputs: &[],
    outputs: &[],
    faults: &[],
    output: None,
    system_user: true,
};

#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<(String, Value)>>>);

async fn serve(ids: Value) -> (String, Seen) {
    let seen = Seen::default();
    let app = Router::new()
        .route(
            "/send",
            axum::routing::post(|State((s, ids)): State<(Seen, Value)>, body: Bytes| async move {
                let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                s.0.lock().unwrap().push(("/send".into(), v));
                axum::Json(json!({ "ids": ids }))
            }),
        )
        .route(
            "/details/{id}",
            axum::routing::get(|State((s, _)): State<(Seen, Value)>, axum::extract::Path(id): axum::extract::Path<String>| async move {
                s.0.lock().unwrap().push((format!("/details/{id}"), Value::Null));
                axum::Json(json!({ "history": [{ "at": format!("{id}-a") }, { "at": format!("{id}-b") }] }))
            }),
        )
        .with_state((seen.clone(), ids));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}"), seen)
}

fn upstream(url: &str) -> Upstream {
    Upstream::new().with_api(
        "api",
        Client::new(url).unwrap().with_retry(RetryPolicy::none()),
    )
}

fn request() -> Element {
    xml::parse(&format!(
        r#"<Req xmlns="{NS}"><Prop><Key>periode</Key><Value>2024-06</Value><Kind>other</Kind></Prop><Prop><Key>sak</Key><Value>S-17</Value><Kind>main</Kind></Prop></Req>"#
    ))
    .unwrap()
}

fn texts(root: &Element, path: &[&str]) -> Vec<String> {
    let mut here = vec![root];
    for p in path {
        here = here
            .into_iter()
            .flat_map(|e| e.elements().filter(move |c| c.local == *p))
            .collect();
    }
    here.into_iter().map(Element::text).collect()
}

#[tokio::test]
async fn every_value_reaches_its_place() {
    let (url, seen) = serve(json!(["d1", "d2"])).await;
    let out = adapter::run(&OP, vec![request()], &upstream(&url), &Settings::new())
        .await
        .expect("runs")
        .expect("answers");
    let calls = seen.0.lock().unwrap().clone();
    let send = &calls[0].1;
    // Two key/value pairs become two map entries, not `{}`.
    assert_eq!(
        send["props"],
        json!({ "periode": "2024-06", "sak": "S-17" })
    );
    // Only the item whose Kind is `main`.
    assert_eq!(send["main"], json!("S-17"));
    // `first` keeps the first of two.
    assert_eq!(send["firstKey"], json!("periode"));
    assert_eq!(calls[1].0, "/details/d1");
    assert_eq!(calls[2].0, "/details/d2");
    // Ids were found: true.
    assert_eq!(texts(&out, &["Any"]), ["true"]);
    // Two details, two history entries each: four changes, two per status, in order.
    assert_eq!(
        texts(&out, &["Status", "Change", "Date"]),
        ["d1-a", "d1-b", "d2-a", "d2-b"]
    );
    let statuses: Vec<&Element> = out.elements().filter(|e| e.local == "Status").collect();
    assert_eq!(statuses.len(), 2);
    assert_eq!(texts(statuses[1], &["Change", "Date"]), ["d2-a", "d2-b"]);
    // The constant sits in every status.
    assert_eq!(texts(&out, &["Status", "Fixed"]), ["yes", "yes"]);
}

#[tokio::test]
async fn no_ids_answer_false() {
    let (url, _) = serve(json!([])).await;
    let out = adapter::run(&OP, vec![request()], &upstream(&url), &Settings::new())
        .await
        .expect("runs")
        .expect("answers");
    assert_eq!(texts(&out, &["Any"]), ["false"]);
}

#[tokio::test]
async fn a_system_user_operation_without_its_organisation_sends_nothing() {
    let (url, seen) = serve(json!([])).await;
    let err = adapter::run(
        &AS_SYSTEM_USER,
        vec![request()],
        &upstream(&url),
        &Settings::new(),
    )
    .await
    .expect_err("no system_user_org");
    assert!(err.to_string().contains(SYSTEM_USER_ORG), "{err}");
    assert!(seen.0.lock().unwrap().is_empty());
}
