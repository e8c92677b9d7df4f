//! The adapter executor on a hand-written plan against a real local server: nested loops over a
//! SOAP list, an earlier answer feeding later calls, the output built from every repetition,
//! and REST errors turned into the manifest's faults (with writes never repeated unless keyed).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use altinn_bridge_runtime::adapter::plan::*;
use altinn_bridge_runtime::adapter::{self, Settings, Upstream};
use altinn_bridge_runtime::http::{Client, RetryPolicy};
use altinn_bridge_runtime::soap::FaultCode;
use altinn_bridge_runtime::xml;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Value, json};

const NS: &str = "urn:test";

const fn el(local: &'static str, many: bool) -> XmlStep {
    XmlStep {
        ns: NS,
        local,
        attribute: false,
        many,
    }
}

const ORDER: XmlStep = el("Order", false);
const ITEM: XmlStep = el("Item", true);
const NAME: XmlStep = el("Name", false);
const LANG: XmlStep = el("Lang", false);
const REF: XmlStep = el("Ref", false);

/// Order/Item* → one `POST /items` per item, then `POST /orders` with every item id; the answer
/// gives Receipt/Id (from the order) and Receipt/ItemId* (one per item call).
static OP: Operation = Operation {
    name: "PlaceOrder",
    calls: &[
        Call {
            name: "item",
            api: "shop",
            method: Method::Post,
            path: "/items",
            for_each: Some(Loop::Soap(&[ORDER, ITEM])),
            body: BodyKind::Json,
            retry: Retry::Never,
            pages: None,
            accept: None,
            check_request: None,
            check_response: None,
        },
        Call {
            name: "order",
            api: "shop",
            method: Method::Post,
            path: "/orders/{lang}",
            for_each: None,
            body: BodyKind::Json,
            retry: Retry::IdempotencyKey,
            pages: None,
            accept: None,
            check_request: None,
            check_response: None,
        },
    ],
    inputs: &[
        Link {
            filter: &[],
            field: "Order/Item/Name",
            from: Source::Soap(&[ORDER, ITEM, NAME]),
            to: Target::Body {
                call: "item",
                path: &[JsonStep {
                    name: "name",
                    many: false,
                }],
                kind: Kind::String,
            },
            transforms: &[Transform::Format(Format::TextToMarkdown)],
        },
        Link {
            filter: &[],
            field: "item: body.id",
            from: Source::Response {
                call: "item",
                path: &[JsonStep {
                    name: "id",
                    many: false,
                }],
            },
            to: Target::Body {
                call: "order",
                path: &[JsonStep {
                    name: "items",
                    many: true,
                }],
                kind: Kind::String,
            },
            transforms: &[],
        },
        Link {
            filter: &[],
            field: "Order/Lang",
            from: Source::Soap(&[ORDER, LANG]),
            to: Target::Param {
                call: "order",
                location: ParamIn::Path,
                name: "lang",
                required: true,
            },
            transforms: &[Transform::Map(&[("1044", "nb"), ("1033", "en")])],
        },
        Link {
            filter: &[],
            field: "Order/Ref",
            from: Source::Soap(&[ORDER, REF]),
            to: Target::Body {
                call: "order",
                path: &[JsonStep {
                    name: "key",
                    many: false,
                }],
                kind: Kind::String,
            },
            transforms: &[Transform::Format(Format::UuidV5)],
        },
        Link {
            filter: &[],
            field: "order: sender",
            from: Source::Config("sender"),
            to: Target::Body {
                call: "order",
                path: &[JsonStep {
                    name: "sender",
                    many: false,
                }],
                kind: Kind::String,
            },
            transforms: &[],
        },
    ],
    outputs: &[
        Link {
            filter: &[],
            field: "Receipt/Id",
            from: Source::Response {
                call: "order",
                path: &[JsonStep {
                    name: "id",
                    many: false,
                }],
            },
            to: Target::Soap(&[el("Receipt", false), el("Id", false)]),
            transforms: &[],
        },
        Link {
            filter: &[],
            field: "Receipt/ItemId",
            from: Source::Response {
                call: "item",
                path: &[JsonStep {
                    name: "id",
                    many: false,
                }],
            },
            to: Target::Soap(&[el("Receipt", false), el("ItemId", true)]),
            transforms: &[],
        },
    ],
    faults: &[
        FaultRule {
            status: StatusMatch::Class(4),
            client: true,
            fields: &[
                ("AltinnErrorMessage", "title"),
                ("AltinnExtendedErrorMessage", "detail"),
                ("ErrorID", "status"),
            ],
        },
        FaultRule {
            status: StatusMatch::Class(5),
            client: false,
            fields: &[("AltinnErrorMessage", "title")],
        },
        FaultRule {
            status: StatusMatch::Timeout,
            client: false,
            fields: &[("AltinnErrorMessage", "=Altinn 3 did not answer in time")],
        },
    ],
    output: Some((NS, "Receipt")),
    system_user: false,
};

/// What the shop was sent, and how it should answer `POST /orders`.
#[derive(Clone, Default)]
struct Shop {
    seen: Arc<Mutex<Vec<(String, Value)>>>,
    order_answer: Arc<Mutex<Option<(u16, Value)>>>,
    order_delay: Arc<Mutex<Duration>>,
    items_busy: Arc<Mutex<bool>>,
}

async fn item(State(shop): State<Shop>, Json(body): Json<Value>) -> Response {
    let n = {
        let mut seen = shop.seen.lock().expect("lock");
        seen.push(("item".into(), body));
        seen.len()
    };
    if *shop.items_busy.lock().expect("lock") {
        return (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response();
    }
    Json(json!({"id": format!("item-{n}")})).into_response()
}

async fn order(
    State(shop): State<Shop>,
    Path(lang): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    shop.seen
        .lock()
        .expect("lock")
        .push((format!("order/{lang}"), body));
    let delay = *shop.order_delay.lock().expect("lock");
    tokio::time::sleep(delay).await;
    match shop.order_answer.lock().expect("lock").clone() {
        Some((status, problem)) => (
            StatusCode::from_u16(status).expect("status"),
            [(header::CONTENT_TYPE, "application/problem+json")],
            problem.to_string(),
        )
            .into_response(),
        None => Json(json!({"id": "order-1"})).into_response(),
    }
}

async fn shop() -> (String, Shop) {
    let shop = Shop::default();
    let app = Router::new()
        .route("/items", post(item))
        .route("/orders/{lang}", post(order))
        .with_state(shop.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, shop)
}

fn upstream(url: &str) -> Upstream {
    let retry = RetryPolicy {
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(20),
        ..RetryPolicy::default()
    };
    let client = Client::new(url)
        .expect("client")
        .with_retry(retry)
        .with_timeout(Duration::from_millis(400));
    Upstream::new().with_api("shop", client)
}

fn request(items: &[&str], lang: &str) -> xml::Element {
    let items: String = items
        .iter()
        .map(|n| format!("<t:Item><t:Name>{n}</t:Name></t:Item>"))
        .collect();
    let doc = format!(
        "<t:Order xmlns:t=\"{NS}\">{items}<t:Lang>{lang}</t:Lang><t:Ref>shipment-7</t:Ref></t:Order>"
    );
    xml::parse(&doc).expect("request parses")
}

fn settings() -> Settings {
    Settings::new().with_value("sender", "0192:991825827")
}

#[tokio::test]
async fn loops_earlier_answers_and_every_repetition_reach_their_places() {
    let (url, shop) = shop().await;
    let out = adapter::run(
        &OP,
        vec![request(&["a*b", "c"], "1044")],
        &upstream(&url),
        &settings(),
    )
    .await
    .expect("runs")
    .expect("an output");
    let seen = shop.seen.lock().expect("lock").clone();
    assert_eq!(seen.len(), 3, "two item calls, then the order: {seen:?}");
    assert_eq!(seen[0], ("item".into(), json!({"name": "a\\*b"})));
    assert_eq!(seen[1], ("item".into(), json!({"name": "c"})));
    let (path, body) = &seen[2];
    assert_eq!(
        path, "order/nb",
        "the language went through the map into the path"
    );
    assert_eq!(body["items"], json!(["item-1", "item-2"]));
    assert_eq!(body["sender"], json!("0192:991825827"));
    let key = body["key"].as_str().expect("a key");
    assert_eq!(key.len(), 36, "a UUID: {key}");
    let text = xml::to_string(&out, NS, "Receipt").expect("writes");
    assert!(text.contains(">order-1<"), "{text}");
    assert!(
        text.contains(">item-1<") && text.contains(">item-2<"),
        "one ItemId per item call: {text}"
    );
}

#[tokio::test]
async fn an_unmapped_enumeration_value_is_a_client_fault_naming_the_field_before_any_call() {
    let (url, shop) = shop().await;
    let err = adapter::run(
        &OP,
        vec![request(&[], "9999")],
        &upstream(&url),
        &settings(),
    )
    .await
    .expect_err("9999 has no mapping");
    let fault = adapter::fault(&OP, &err);
    assert_eq!(fault.code, FaultCode::Sender);
    assert!(fault.reason.contains("Order/Lang"), "{}", fault.reason);
    assert!(
        shop.seen.lock().expect("lock").is_empty(),
        "nothing may be sent"
    );
}

#[tokio::test]
async fn a_4xx_problem_becomes_the_manifests_client_fault() {
    let (url, shop) = shop().await;
    *shop.order_answer.lock().expect("lock") = Some((
        422,
        json!({"title": "Invalid recipient", "detail": "recipients[0] is not an organisation", "status": 422}),
    ));
    let err = adapter::run(
        &OP,
        vec![request(&["a"], "1033")],
        &upstream(&url),
        &settings(),
    )
    .await
    .expect_err("422");
    let fault = adapter::fault(&OP, &err);
    assert_eq!(fault.code, FaultCode::Sender);
    let detail = fault.altinn_fault().expect("an AltinnFault");
    assert_eq!(
        detail.altinn_error_message.as_deref(),
        Some("Invalid recipient")
    );
    assert_eq!(
        detail.altinn_extended_error_message.as_deref(),
        Some("recipients[0] is not an organisation")
    );
    assert_eq!(detail.error_id, Some(422));
}

#[tokio::test]
async fn a_keyed_write_is_retried_on_503_but_a_plain_write_is_not() {
    let (url, shop) = shop().await;
    *shop.items_busy.lock().expect("lock") = true;
    let err = adapter::run(
        &OP,
        vec![request(&["a"], "1044")],
        &upstream(&url),
        &settings(),
    )
    .await
    .expect_err("503");
    assert_eq!(adapter::fault(&OP, &err).code, FaultCode::Receiver);
    assert_eq!(
        shop.seen.lock().expect("lock").len(),
        1,
        "the item call carries no key: sent once, and the order never"
    );
    shop.seen.lock().expect("lock").clear();
    *shop.items_busy.lock().expect("lock") = false;
    *shop.order_answer.lock().expect("lock") = Some((503, json!({"title": "Busy"})));
    let err = adapter::run(
        &OP,
        vec![request(&["a"], "1044")],
        &upstream(&url),
        &settings(),
    )
    .await
    .expect_err("503 every time");
    let fault = adapter::fault(&OP, &err);
    assert_eq!(fault.code, FaultCode::Receiver);
    let calls: BTreeMap<String, usize> =
        shop.seen
            .lock()
            .expect("lock")
            .iter()
            .fold(BTreeMap::new(), |mut m, (p, _)| {
                *m.entry(p.clone()).or_default() += 1;
                m
            });
    assert_eq!(
        calls["item"], 1,
        "the item call carries no key: never repeated"
    );
    assert_eq!(
        calls["order/nb"], 3,
        "the order carries its key: retried to the limit"
    );
}

#[tokio::test]
async fn a_timeout_is_a_server_fault_that_says_the_outcome_is_unknown() {
    let (url, shop) = shop().await;
    *shop.order_delay.lock().expect("lock") = Duration::from_secs(2);
    let err = adapter::run(
        &OP,
        vec![request(&[], "1044")],
        &upstream(&url),
        &settings(),
    )
    .await
    .expect_err("times out");
    let fault = adapter::fault(&OP, &err);
    assert_eq!(fault.code, FaultCode::Receiver);
    assert_eq!(fault.reason, "Altinn 3 did not answer in time");
}
