//! The generated Broker facade binds each legacy caller to its parties and calls Altinn 3 with
//! the `[upstream]` retry policy of `facade.toml`. A local upstream counts what reaches it: a
//! refused party never gets there, and `max_attempts` decides how often a failing read is sent.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use altinn_bridge_examples::generated::broker_service_external_basic as broker;
use altinn_bridge_facade::{Facade, FacadeConfig, SoapService, hash_password};
use altinn_bridge_runtime::soap::{Envelope, FaultCode};
use altinn_bridge_tests::legacy;
use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;

const OPS: &str = "http://www.altinn.no/services/ServiceEngine/Broker/2015/06";
const SCHEMAS: &str = "http://schemas.altinn.no/services/ServiceEngine/Broker/2015/06";
const PATH: &str = "/ServiceEngineExternal/BrokerServiceExternalBasic.svc";
const USER: &str = "archive-system";
const PASSWORD: &str = "Br0ker-over-S0AP";
const OWN: &str = "910075918";

/// A local Altinn 3: `/token` hands out a token, every other request is counted and answered
/// 503 (which a read may be retried on).
async fn upstream() -> (String, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    let app = Router::new()
        .route(
            "/token",
            axum::routing::post(|| async {
                (
                    [("content-type", "application/json")],
                    r#"{"access_token":"t","token_type":"Bearer","expires_in":3600}"#,
                )
            }),
        )
        .fallback(move || {
            seen.fetch_add(1, Ordering::SeqCst);
            async {
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [("content-type", "application/problem+json")],
                    r#"{"title":"Storage is not ready","status":503}"#,
                )
                    .into_response()
            }
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, count)
}

/// The generated Broker facade in front of `upstream`, its caller bound to [`OWN`].
async fn facade(upstream: &str, extra: &str) -> SocketAddr {
    let dir = legacy::scratch_with_key();
    let text = format!(
        r#"listen = "127.0.0.1:0"
[environment]
name = "custom"
audience = "{upstream}/"
token_endpoint = "{upstream}/token"
[environment.apis]
altinn-broker-v1 = "{upstream}"
[[maskinporten]]
name = "main"
client_id = "archive-client"
kid = "archive-kid"
key_file = "key.pem"
scopes = ["altinn:broker.read"]
system_user_org = "991825827"
[[callers]]
user = "{USER}"
password_hash = "{hash}"
maskinporten = "main"
parties = ["{OWN}"]
[settings.values]
sender = "0192:991825827"
[settings.tables.resource_ids]
"*" = "altinn-bridge-test-resource"
{extra}
"#,
        hash = hash_password(PASSWORD)
    );
    let config = FacadeConfig::parse(&text, "facade.toml", &dir).expect("config");
    let service: Arc<dyn SoapService> = Arc::new(broker::facade::Service);
    let facade = Facade::bind(&config, vec![service]).await.expect("bind");
    let addr = facade.local_addr().expect("addr");
    tokio::spawn(facade.run(std::future::pending()));
    addr
}

/// GetAvailableFilesBasic for `reportee`, as a .NET client writes it.
fn available_files(reportee: &str) -> String {
    format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><GetAvailableFilesBasic xmlns="{OPS}"><systemUserName>{USER}</systemUserName><systemPassword>{PASSWORD}</systemPassword><searchParameters xmlns:b="{SCHEMAS}"><b:ExternalServiceCode>4504</b:ExternalServiceCode><b:FileStatus>Uploaded</b:FileStatus><b:Reportee>{reportee}</b:Reportee></searchParameters></GetAvailableFilesBasic></s:Body></s:Envelope>"#
    )
}

/// Posts `xml` and returns the fault's (code, reason).
async fn call(addr: SocketAddr, xml: String) -> (FaultCode, String) {
    let res = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client")
        .post(format!("http://{addr}{PATH}"))
        .header("content-type", "text/xml; charset=utf-8")
        .header(
            "SOAPAction",
            format!("\"{OPS}/IBrokerServiceExternalBasic/GetAvailableFilesBasic\""),
        )
        .body(xml)
        .send()
        .await
        .expect("an answer");
    assert_eq!(res.status(), 500);
    let text = res.text().await.expect("body");
    let fault = Envelope::parse(text.as_bytes())
        .expect("an envelope")
        .fault()
        .expect("a fault")
        .expect("readable");
    (fault.code, fault.reason)
}

#[tokio::test]
async fn a_caller_may_name_only_its_own_parties_as_reportee() {
    let (up, count) = upstream().await;
    let addr = facade(&up, "[upstream]\nmax_attempts = 1\n").await;

    let (code, reason) = call(addr, available_files("991825827")).await;
    assert_eq!(code, FaultCode::Sender, "{reason}");
    assert!(
        reason.contains("may not act for the party 991825827"),
        "{reason}"
    );
    assert_eq!(
        count.load(Ordering::SeqCst),
        0,
        "a refused party reached Altinn 3"
    );

    // Its own party goes through to Altinn 3, sent once as configured; the 503 is a Server fault.
    let (code, reason) = call(addr, available_files(OWN)).await;
    assert_eq!(code, FaultCode::Receiver, "{reason}");
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn upstream_max_attempts_decides_how_often_a_read_is_sent() {
    let (up, count) = upstream().await;
    let addr = facade(&up, "[upstream]\nmax_attempts = 3\ntimeout_seconds = 5\n").await;
    let (code, reason) = call(addr, available_files(OWN)).await;
    assert_eq!(code, FaultCode::Receiver, "{reason}");
    assert!(reason.contains("Storage is not ready"), "{reason}");
    assert_eq!(count.load(Ordering::SeqCst), 3);
}
