//! `[tls]`: the facade serves HTTPS itself with a certificate made by openssl, a real rustls
//! client (reqwest) trusts it and calls through it, the WSDL says `https`, and a plain HTTP
//! client gets no SOAP answer from the TLS port.

mod facade_support;
mod tls_support;

use std::path::{Path, PathBuf};

use altinn_bridge_facade::Error;
use altinn_bridge_facade::FacadeConfig;
use facade_support::*;

/// A self-signed certificate in a fresh directory: (certificate, key, certificate PEM).
fn certificate() -> (PathBuf, PathBuf, Vec<u8>) {
    let (cert, key) = tls_support::self_signed(&scratch());
    let pem = std::fs::read(&cert).expect("the certificate");
    (cert, key, pem)
}

fn tls_table(cert: &Path, key: &Path) -> String {
    tls_support::table(cert, key)
}

fn trusting(pem: &[u8]) -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .add_root_certificate(reqwest::Certificate::from_pem(pem).expect("a certificate"))
        .https_only(true)
        .build()
        .expect("client")
}

#[tokio::test]
async fn the_facade_serves_https_with_its_configured_certificate() {
    let (cert, key, pem) = certificate();
    let s = start_with("", &tls_table(&cert, &key)).await;
    let url = format!("https://localhost:{}{PATH}", s.addr.port());
    let client = trusting(&pem);

    let res = client
        .post(&url)
        .header("content-type", "text/xml; charset=utf-8")
        .header("SOAPAction", "\"urn:echo/IEcho/Echo\"")
        .body(envelope(S11, "", &body("Echo", USER, PASSWORD, "over tls")))
        .send()
        .await
        .expect("an HTTPS answer");
    assert_eq!(res.status(), 200);
    let text = res.text().await.expect("body");
    assert!(text.contains("<text>over tls</text>"), "{text}");
    assert_eq!(s.calls(), 1);

    // The served WSDL sends clients back over HTTPS.
    let wsdl = client
        .get(format!("{url}?wsdl"))
        .send()
        .await
        .expect("wsdl")
        .text()
        .await
        .expect("text");
    let address = format!("location=\"https://localhost:{}{PATH}\"", s.addr.port());
    assert!(wsdl.contains(&address), "{wsdl}");

    // A client that does not trust the certificate fails the handshake; plain HTTP on the TLS
    // port gets no SOAP answer. Neither reaches the service.
    let untrusting = reqwest::Client::builder().no_proxy().build().expect("c");
    assert!(untrusting.get(format!("{url}?wsdl")).send().await.is_err());
    let plain = http()
        .post(format!("http://127.0.0.1:{}{PATH}", s.addr.port()))
        .header("SOAPAction", "\"urn:echo/IEcho/Echo\"")
        .body(envelope(S11, "", &body("Echo", USER, PASSWORD, "x")))
        .send()
        .await;
    assert!(
        plain.is_err_and(|e| !e.is_status()),
        "plain HTTP was answered"
    );
    assert_eq!(s.calls(), 1);
}

#[test]
fn a_tls_file_that_is_not_pem_is_reported_at_its_key() {
    let (cert, key, _) = certificate();
    let dir = scratch();
    let garbage = dir.join("garbage.pem");
    std::fs::write(&garbage, "not a certificate\n").expect("write");
    for (table, line, what) in [
        (tls_table(&garbage, &key), 23, "no readable certificate"),
        (tls_table(&cert, &garbage), 24, "no readable private key"),
    ] {
        let text = config_text("", &table);
        match FacadeConfig::parse(&text, "facade.toml", &dir) {
            Err(Error::ConfigFile {
                line: l, message, ..
            }) => {
                assert_eq!(l, line, "{message}");
                assert!(message.contains(what), "{message}");
                assert!(message.contains("expected"), "{message}");
            }
            other => panic!("expected a config error, got {other:?}"),
        }
    }
}
