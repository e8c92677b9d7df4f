//! The facade's server against a real HTTP client on 127.0.0.1: dispatch, faults, `?wsdl`,
//! `mustUnderstand`, credentials, limits, concurrency, shutdown, health and request ids. Every
//! refused request is also checked not to have reached the service.

mod facade_support;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use altinn_bridge_runtime::soap::{Envelope, Fault, FaultCode, SoapVersion};
use facade_support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Answer {
    status: u16,
    content_type: String,
    request_id: String,
    text: String,
}

impl Answer {
    fn fault(&self) -> Fault {
        let env = Envelope::parse(self.text.as_bytes()).expect("an envelope");
        env.fault().expect("a fault").expect("a readable fault")
    }
    fn version(&self) -> SoapVersion {
        Envelope::parse(self.text.as_bytes())
            .expect("an envelope")
            .version
    }
}

async fn send(req: reqwest::RequestBuilder) -> Answer {
    let res = req.send().await.expect("an HTTP answer");
    let header = |n: &str| {
        res.headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let (content_type, request_id) = (header("content-type"), header("x-request-id"));
    let status = res.status().as_u16();
    Answer {
        status,
        content_type,
        request_id,
        text: res.text().await.expect("body"),
    }
}

/// SOAP 1.1 with a `SOAPAction` header (quoted, as zeep and node-soap send it).
async fn post11(s: &Server, action: Option<&str>, xml: String) -> Answer {
    let mut req = http()
        .post(s.url(PATH))
        .header("content-type", "text/xml; charset=utf-8")
        .body(xml);
    if let Some(a) = action {
        req = req.header("SOAPAction", format!("\"{a}\""));
    }
    send(req).await
}

async fn post12(s: &Server, action: &str, xml: String) -> Answer {
    let ct = format!("application/soap+xml; charset=utf-8; action=\"{action}\"");
    send(
        http()
            .post(s.url(PATH))
            .header("content-type", ct)
            .body(xml),
    )
    .await
}

fn echo11(user: &str, password: &str) -> String {
    envelope(S11, "", &body("Echo", user, password, "hello"))
}

fn assert_client_fault(a: &Answer, contains: &str) {
    assert_eq!(a.status, 500, "{}", a.text);
    let f = a.fault();
    assert_eq!(f.code, FaultCode::Sender, "{}", a.text);
    assert!(
        f.reason.contains(contains),
        "`{}` lacks `{contains}`",
        f.reason
    );
}

#[tokio::test]
async fn dispatches_on_a_quoted_soap_action() {
    let s = start().await;
    let a = post11(&s, Some("urn:echo/IEcho/Echo"), echo11(USER, PASSWORD)).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert!(a.content_type.starts_with("text/xml"), "{}", a.content_type);
    assert!(
        a.text
            .contains("<EchoResponse xmlns=\"urn:echo\"><caller>erp</caller><text>hello</text>"),
        "{}",
        a.text
    );
    assert_eq!(a.version(), SoapVersion::V11);
    // An unquoted SOAPAction works too.
    let req = http()
        .post(s.url(PATH))
        .header("content-type", "text/xml")
        .header("SOAPAction", "urn:echo/IEcho/Echo")
        .body(echo11(USER, PASSWORD));
    assert_eq!(send(req).await.status, 200);
    assert_eq!(s.calls(), 2);
}

#[tokio::test]
async fn dispatches_on_the_soap12_action_parameter() {
    let s = start().await;
    let xml = envelope(S12, "", &body("Echo", USER, PASSWORD, "twelve"));
    let a = post12(&s, "urn:echo/IEcho/Echo", xml).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert!(
        a.content_type.starts_with("application/soap+xml"),
        "{}",
        a.content_type
    );
    assert_eq!(a.version(), SoapVersion::V12);
    assert!(a.text.contains("<text>twelve</text>"));
}

#[tokio::test]
async fn dispatches_on_wsa_action_in_both_namespaces() {
    let s = start().await;
    for wsa in [
        "http://www.w3.org/2005/08/addressing",
        "http://schemas.xmlsoap.org/ws/2004/08/addressing",
    ] {
        // What zeep sends on every call of a portType with wsaw:Action.
        let headers = format!(
            r#"<wsa:Action xmlns:wsa="{wsa}">urn:echo/IEcho/EchoWsa</wsa:Action><wsa:MessageID xmlns:wsa="{wsa}">urn:uuid:1</wsa:MessageID><wsa:To xmlns:wsa="{wsa}" soap-env:mustUnderstand="1">http://x/</wsa:To>"#
        );
        let xml = envelope(S11, &headers, &body("Echo", USER, PASSWORD, "wsa"));
        let a = post11(&s, None, xml).await;
        assert_eq!(a.status, 200, "{wsa}: {}", a.text);
        assert!(a.text.contains("<EchoResponse"));
    }
}

#[tokio::test]
async fn dispatches_on_the_body_element_with_a_node_soap_username_token() {
    let s = start().await;
    // node-soap's WSSecurity: a Timestamp whose wsu:Id holds ':' (not an xs:ID) and mustUnderstand.
    let security = format!(
        r#"<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd" soap-env:mustUnderstand="1"><wsu:Timestamp wsu:Id="Timestamp-2026-11-24T22:53:50Z"><wsu:Created>2026-11-24T22:53:50Z</wsu:Created></wsu:Timestamp><wsse:UsernameToken wsu:Id="SecurityToken-2026-11-24T22:53:50Z"><wsse:Username>{USER}</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">{PASSWORD}</wsse:Password></wsse:UsernameToken></wsse:Security>"#
    );
    let xml = envelope(
        S11,
        &security,
        r#"<Plain xmlns="urn:echo"><text>by-name</text></Plain>"#,
    );
    let a = post11(&s, None, xml).await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert!(
        a.text
            .contains("<PlainResponse xmlns=\"urn:echo\"><caller>erp</caller><text>by-name</text>")
    );
    // An empty SOAPAction ("") falls back to the body element as well.
    let xml = envelope(S11, &security, r#"<Plain xmlns="urn:echo"/>"#);
    assert_eq!(post11(&s, Some(""), xml).await.status, 200);
}

#[tokio::test]
async fn credentials_in_header_parts() {
    let s = start().await;
    let headers = format!(
        r#"<User xmlns="urn:echo">{USER}</User><h:Password xmlns:h="urn:echo" soap-env:mustUnderstand="1">{PASSWORD}</h:Password>"#
    );
    let xml = envelope(S11, &headers, r#"<HeaderAuth xmlns="urn:echo"/>"#);
    let a = post11(&s, Some("urn:echo/IEcho/HeaderAuth"), xml).await;
    assert_eq!(a.status, 200, "{}", a.text);
    let headers = format!(
        r#"<User xmlns="urn:echo">{USER}</User><Password xmlns="urn:echo">nope</Password>"#
    );
    let xml = envelope(S11, &headers, r#"<HeaderAuth xmlns="urn:echo"/>"#);
    assert_client_fault(
        &post11(&s, Some("urn:echo/IEcho/HeaderAuth"), xml).await,
        "authentication failed",
    );
    assert_eq!(s.calls(), 1);
}

#[tokio::test]
async fn wrong_or_missing_credentials_never_reach_the_service() {
    let s = start().await;
    for (user, password) in [(USER, "wrong"), ("nobody", PASSWORD), ("", ""), (USER, "")] {
        let a = post11(&s, Some("urn:echo/IEcho/Echo"), echo11(user, password)).await;
        assert_client_fault(&a, "authentication failed");
        assert_eq!(
            a.fault().reason,
            "authentication failed",
            "no detail on which part"
        );
    }
    // No credentials anywhere.
    let xml = envelope(S11, "", r#"<Plain xmlns="urn:echo"/>"#);
    assert_client_fault(&post11(&s, None, xml).await, "authentication failed");
    // A digest password cannot be checked against a stored hash.
    let digest = format!(
        r#"<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><wsse:UsernameToken><wsse:Username>{USER}</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">{PASSWORD}</wsse:Password></wsse:UsernameToken></wsse:Security>"#
    );
    let xml = envelope(S11, &digest, r#"<Plain xmlns="urn:echo"/>"#);
    assert_client_fault(&post11(&s, None, xml).await, "authentication failed");
    assert_eq!(s.calls(), 0);
    // After all those failures, the right password still works (failures are not cached).
    let a = post11(&s, Some("urn:echo/IEcho/Echo"), echo11(USER, PASSWORD)).await;
    assert_eq!(a.status, 200);
}

#[tokio::test]
async fn a_verified_password_is_cached() {
    let s = start().await;
    let started = Instant::now();
    let a = post11(&s, Some("urn:echo/IEcho/Echo"), echo11(USER, PASSWORD)).await;
    let first = started.elapsed();
    assert_eq!(a.status, 200);
    let started = Instant::now();
    for _ in 0..20 {
        let a = post11(&s, Some("urn:echo/IEcho/Echo"), echo11(USER, PASSWORD)).await;
        assert_eq!(a.status, 200);
    }
    let cached = started.elapsed() / 20;
    eprintln!("first call (argon2): {first:?}, cached calls: {cached:?} each");
    assert!(cached < first, "cached {cached:?} vs first {first:?}");
}

#[tokio::test]
async fn unknown_operations_get_a_client_fault_naming_what_was_asked() {
    let s = start().await;
    let a = post11(&s, Some("urn:echo/IEcho/Nope"), echo11(USER, PASSWORD)).await;
    assert_client_fault(&a, "urn:echo/IEcho/Nope");
    let xml = envelope(S11, "", &body("Other", USER, PASSWORD, ""));
    assert_client_fault(&post11(&s, None, xml).await, "{urn:echo}Other");
    // An action naming an operation whose input is another element.
    let xml = envelope(S11, "", &body("Slow", USER, PASSWORD, "1"));
    assert_client_fault(
        &post11(&s, Some("urn:echo/IEcho/Echo"), xml).await,
        "{urn:echo}Slow",
    );
    assert_eq!(s.calls(), 0);
}

#[tokio::test]
async fn fault_shapes_in_soap11_and_soap12() {
    let s = start().await;
    let a = post11(&s, Some("urn:echo/IEcho/Nope"), echo11(USER, PASSWORD)).await;
    assert!(
        a.text.contains("<faultcode>s:Client</faultcode>"),
        "{}",
        a.text
    );
    assert!(
        a.text.contains(
            "<detail><AltinnFault xmlns=\"http://www.altinn.no/services/common/fault/2009/10\">"
        ),
        "{}",
        a.text
    );
    assert!(a.content_type.starts_with("text/xml"));
    let xml = envelope(S12, "", &body("Echo", USER, "bad", ""));
    let a = post12(&s, "urn:echo/IEcho/Echo", xml).await;
    assert_eq!(a.status, 500);
    assert!(
        a.content_type.starts_with("application/soap+xml"),
        "{}",
        a.content_type
    );
    assert!(
        a.text
            .contains("<s:Code><s:Value>s:Sender</s:Value></s:Code>"),
        "{}",
        a.text
    );
    assert_eq!(
        a.fault().altinn_fault().and_then(|d| d.error_guid.clone()),
        Some(a.request_id.clone())
    );
    // Upstream failures are Server/Receiver faults.
    let xml = envelope(S12, "", &body("Upstream", USER, PASSWORD, ""));
    let a = post12(&s, "urn:echo/IEcho/Upstream", xml).await;
    assert_eq!(a.status, 500);
    assert_eq!(a.fault().code, FaultCode::Receiver);
    assert!(a.text.contains("s:Receiver"));
    assert!(
        a.fault().reason.contains("the outcome is unknown"),
        "{}",
        a.fault().reason
    );
}

#[tokio::test]
async fn no_successor_operations_answer_a_documented_server_fault() {
    let s = start().await;
    let xml = envelope(S11, "", &body("Gone", USER, PASSWORD, ""));
    let a = post11(&s, Some("urn:echo/IEcho/Gone"), xml).await;
    assert_eq!(a.status, 500);
    let f = a.fault();
    assert_eq!(f.code, FaultCode::Receiver);
    assert!(
        f.reason
            .contains("Gone has no successor in Altinn 3: Altinn 3 keeps no archive of these"),
        "{}",
        f.reason
    );
    assert_eq!(s.calls(), 0);
}

#[tokio::test]
async fn no_successor_operations_answer_their_reason_before_credentials_are_checked() {
    let s = start().await;
    // No credentials at all, then wrong ones: a monitoring ping must learn "not available",
    // never "authentication failed".
    for (user, password) in [("", ""), (USER, "wrong password")] {
        let xml = envelope(S11, "", &body("Gone", user, password, ""));
        let a = post11(&s, Some("urn:echo/IEcho/Gone"), xml).await;
        assert_eq!(a.status, 500);
        let f = a.fault();
        assert_eq!(f.code, FaultCode::Receiver, "{}", a.text);
        assert!(
            f.reason.contains("has no successor in Altinn 3"),
            "{}",
            a.text
        );
        assert!(!a.text.to_lowercase().contains("authentic"), "{}", a.text);
    }
    assert_eq!(s.calls(), 0);
}

#[tokio::test]
async fn must_understand_headers_not_understood_are_refused() {
    let s = start().await;
    let action = Some("urn:echo/IEcho/Echo");
    let unknown = r#"<x:Session xmlns:x="urn:other" soap-env:mustUnderstand="1">1</x:Session>"#;
    let a = post11(
        &s,
        action,
        envelope(S11, unknown, &body("Echo", USER, PASSWORD, "")),
    )
    .await;
    assert_eq!(a.status, 500);
    let f = a.fault();
    assert_eq!(f.code, FaultCode::MustUnderstand);
    assert!(f.reason.contains("{urn:other}Session"), "{}", f.reason);
    assert!(a.text.contains("<faultcode>s:MustUnderstand</faultcode>"));
    // SOAP 1.2 spells it "true".
    let unknown12 =
        r#"<x:Session xmlns:x="urn:other" soap-env:mustUnderstand="true">1</x:Session>"#;
    let a = post12(
        &s,
        "urn:echo/IEcho/Echo",
        envelope(S12, unknown12, &body("Echo", USER, PASSWORD, "")),
    )
    .await;
    assert_eq!(a.fault().code, FaultCode::MustUnderstand);
    assert_eq!(s.calls(), 0);
    // Unknown but optional headers are ignored; the operation's own header parts are understood.
    let ignored = r#"<x:Session xmlns:x="urn:other" soap-env:mustUnderstand="0">1</x:Session><x:Other xmlns:x="urn:other"/>"#;
    let a = post11(
        &s,
        action,
        envelope(S11, ignored, &body("Echo", USER, PASSWORD, "")),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.text);
    let trace = r#"<Trace xmlns="urn:echo" soap-env:mustUnderstand="1">t</Trace>"#;
    let a = post11(
        &s,
        action,
        envelope(S11, trace, &body("Echo", USER, PASSWORD, "")),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.text);
}

#[tokio::test]
async fn malformed_messages_get_client_faults_and_never_reach_the_service() {
    let s = start().await;
    let action = Some("urn:echo/IEcho/Echo");
    let a = post11(
        &s,
        action,
        "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><Echo>"
            .into(),
    )
    .await;
    assert_eq!(a.fault().code, FaultCode::Sender, "{}", a.text);
    let a = post11(&s, action, "not xml at all".into()).await;
    assert_eq!(a.fault().code, FaultCode::Sender, "{}", a.text);
    // Not an envelope: SOAP's VersionMismatch.
    let a = post11(&s, action, body("Echo", USER, PASSWORD, "")).await;
    assert_eq!(a.status, 500);
    assert_eq!(a.fault().code, FaultCode::VersionMismatch, "{}", a.text);
    // An undeclared prefix inside the body names the body element.
    let xml = envelope(
        S11,
        "",
        r#"<Echo xmlns="urn:echo"><q:user>x</q:user></Echo>"#,
    );
    let a = post11(&s, action, xml).await;
    assert_client_fault(&a, "{urn:echo}Echo");
    // Two body elements.
    let xml = envelope(
        S11,
        "",
        r#"<Echo xmlns="urn:echo"/><Echo xmlns="urn:echo"/>"#,
    );
    assert_eq!(
        post11(&s, action, xml).await.fault().code,
        FaultCode::Sender
    );
    assert_eq!(s.calls(), 0);
}

#[tokio::test]
async fn billion_laughs_is_refused() {
    let s = start().await;
    let mut dtd = String::from("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        dtd.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">",
            format!("&{prev};").repeat(10)
        ));
    }
    dtd.push_str("]>");
    let xml = format!(
        "{dtd}<soap:Envelope xmlns:soap=\"{S11}\"><soap:Body><Echo xmlns=\"urn:echo\"><user>&lol9;</user></Echo></soap:Body></soap:Envelope>"
    );
    let a = post11(&s, Some("urn:echo/IEcho/Echo"), xml).await;
    assert_client_fault(&a, "DTD");
    assert_eq!(s.calls(), 0);
}

#[tokio::test]
async fn deep_xml_is_refused() {
    let s = start_with("", "[limits]\nmax_depth = 32\n").await;
    let deep = format!("{}{}", "<a>".repeat(40), "</a>".repeat(40));
    let xml = envelope(S11, "", &format!(r#"<Echo xmlns="urn:echo">{deep}</Echo>"#));
    let a = post11(&s, Some("urn:echo/IEcho/Echo"), xml).await;
    assert_eq!(a.fault().code, FaultCode::Sender, "{}", a.text);
    assert_eq!(s.calls(), 0);
}

#[tokio::test]
async fn a_10_mb_body_is_refused_without_being_read() {
    let s = start().await;
    // Declared length: answered after the headers, before the body is sent.
    let mut tcp = tokio::net::TcpStream::connect(s.addr)
        .await
        .expect("connect");
    let head = format!(
        "POST {PATH} HTTP/1.1\r\nHost: {}\r\nContent-Type: text/xml\r\nSOAPAction: \"urn:echo/IEcho/Echo\"\r\nContent-Length: {}\r\n\r\n",
        s.addr,
        10 * 1024 * 1024
    );
    tcp.write_all(head.as_bytes()).await.expect("write");
    tcp.write_all(&[b' '; 65536])
        .await
        .expect("write the start of the body");
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + Duration::from_secs(5);
    while !answer.windows(13).any(|w| w == b"</s:Envelope>") && Instant::now() < deadline {
        match tokio::time::timeout(Duration::from_secs(5), tcp.read(&mut buf)).await {
            Ok(Ok(0)) | Err(_) => break,
            Ok(Ok(n)) => answer.extend_from_slice(&buf[..n]),
            Ok(Err(e)) => panic!("read: {e}"),
        }
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 500"), "{answer}");
    assert!(answer.contains("over the limit of 5242880"), "{answer}");
    // No declared length (chunked): refused once the limit is passed while streaming.
    let tcp = tokio::net::TcpStream::connect(s.addr)
        .await
        .expect("connect");
    let (mut rd, mut wr) = tcp.into_split();
    let head = format!(
        "POST {PATH} HTTP/1.1\r\nHost: {}\r\nContent-Type: text/xml\r\nSOAPAction: \"urn:echo/IEcho/Echo\"\r\nTransfer-Encoding: chunked\r\n\r\n",
        s.addr
    );
    let writer = tokio::spawn(async move {
        wr.write_all(head.as_bytes()).await?;
        let chunk = format!("10000\r\n{}\r\n", " ".repeat(65536));
        let mut sent = 0usize;
        for _ in 0..160 {
            wr.write_all(chunk.as_bytes()).await?;
            sent += 65536;
        }
        Ok::<usize, std::io::Error>(sent)
    });
    let answer = read_answer(&mut rd).await;
    assert!(answer.starts_with("HTTP/1.1 500"), "{answer}");
    assert!(answer.contains("over the limit of 5242880"), "{answer}");
    // Whether the rest fits in the loopback's socket buffers or is refused does not matter: the
    // answer came before the body ended.
    writer.abort();
    assert_eq!(s.calls(), 0);
}

async fn read_answer(rd: &mut (impl AsyncReadExt + Unpin)) -> String {
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + Duration::from_secs(10);
    while !answer.windows(13).any(|w| w == b"</s:Envelope>") && Instant::now() < deadline {
        match tokio::time::timeout(Duration::from_secs(10), rd.read(&mut buf)).await {
            Ok(Ok(0)) | Err(_) => break,
            Ok(Ok(n)) => answer.extend_from_slice(&buf[..n]),
            Ok(Err(e)) => panic!("read: {e}"),
        }
    }
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn the_wsdl_points_where_the_facade_runs() {
    let s = start().await;
    let get = |url: String, host: Option<&'static str>| async move {
        let mut req = http().get(url).header("x-forwarded-host", "evil.example");
        if let Some(h) = host {
            req = req.header("host", h);
        }
        send(req).await
    };
    let a = get(s.url(&format!("{PATH}?wsdl")), Some("bridge.example:8443")).await;
    assert_eq!(a.status, 200);
    assert!(a.content_type.starts_with("text/xml"));
    assert!(a.text.contains(r#"<soap:address location="http://bridge.example:8443/ServiceEngineExternal/Echo.svc"/>"#), "{}", a.text);
    assert!(a.text.contains(r#"<soap12:address location="http://bridge.example:8443/ServiceEngineExternal/Echo.svc"/>"#), "{}", a.text);
    assert!(a.text.contains(r#"schemaLocation = 'http://bridge.example:8443/ServiceEngineExternal/Echo.svc?xsd=echo.xsd'"#), "{}", a.text);
    // A location naming no document is left alone.
    assert!(
        a.text
            .contains("https://www.altinn.no/ServiceEngineExternal/Echo.svc?xsd=xsd0")
    );
    assert!(!a.text.contains("evil.example"));
    let a = get(
        s.url(&format!("{PATH}?xsd=echo.xsd")),
        Some("bridge.example:8443"),
    )
    .await;
    assert_eq!(a.status, 200);
    assert!(a.text.contains(r#"<xs:include schemaLocation="http://bridge.example:8443/ServiceEngineExternal/Echo.svc?xsd=echo-types.xsd"/>"#), "{}", a.text);
    let a = get(s.url(&format!("{PATH}?xsd=echo-types.xsd")), None).await;
    assert_eq!(a.text, XSD_TYPES);
    let a = get(s.url(&format!("{PATH}?xsd=../../etc/passwd")), None).await;
    assert_eq!(a.status, 404);
    // Without a usable Host, the listen address.
    let a = get(s.url(&format!("{PATH}?wsdl")), None).await;
    assert!(
        a.text
            .contains(&format!("location=\"http://{}{PATH}\"", s.addr)),
        "{}",
        a.text
    );
}

#[tokio::test]
async fn behind_a_proxy_the_forwarded_headers_are_honoured() {
    let s = start_with("behind_proxy = true", "").await;
    let req = http()
        .get(s.url(&format!("{PATH}?wsdl")))
        .header("x-forwarded-proto", "https")
        .header("x-forwarded-host", "soap.example.no, inner");
    let a = send(req).await;
    assert!(
        a.text.contains(
            r#"<soap:address location="https://soap.example.no/ServiceEngineExternal/Echo.svc"/>"#
        ),
        "{}",
        a.text
    );
}

#[tokio::test]
async fn health_404_and_request_ids() {
    let s = start().await;
    let a = send(http().get(s.url("/health"))).await;
    assert_eq!(a.status, 200);
    let v: serde_json::Value = serde_json::from_str(&a.text).expect("json");
    assert_eq!(v["status"], "ok");
    assert_eq!(v["services"][0]["name"], "Echo");
    assert_eq!(v["services"][0]["path"], PATH);
    assert_eq!(v["services"][0]["operations"], 7);
    assert_eq!(
        send(http().get(s.url("/nothing/here.svc"))).await.status,
        404
    );
    assert_eq!(
        send(http().post(s.url("/nothing/here.svc")).body("x"))
            .await
            .status,
        404
    );
    // A given id is echoed and reaches the service; a missing one is generated.
    let req = http()
        .post(s.url(PATH))
        .header("content-type", "text/xml")
        .header("SOAPAction", "urn:echo/IEcho/Echo")
        .header("x-request-id", "legacy-42")
        .body(echo11(USER, PASSWORD));
    let a = send(req).await;
    assert_eq!(a.request_id, "legacy-42");
    assert!(a.text.contains("<id>legacy-42</id>"));
    let a = post11(&s, Some("urn:echo/IEcho/Echo"), echo11(USER, PASSWORD)).await;
    assert_eq!(a.request_id.len(), 36, "a UUID: {}", a.request_id);
    // An id that could forge log lines is replaced.
    let req = http()
        .get(s.url("/health"))
        .header("x-request-id", "a b\tc");
    assert_ne!(send(req).await.request_id, "a b\tc");
}

fn slow(ms: u64) -> String {
    envelope(S11, "", &body("Slow", USER, PASSWORD, &ms.to_string()))
}

#[tokio::test]
async fn over_the_concurrency_limit_is_503_at_once() {
    let s = std::sync::Arc::new(start_with("", "[limits]\nmax_concurrent = 2\n").await);
    // Verify the password once, so the slow calls wait in the service, not in argon2.
    assert_eq!(
        post11(&s, Some("urn:echo/IEcho/Slow"), slow(1))
            .await
            .status,
        200
    );
    let spawn = |s: std::sync::Arc<Server>| {
        tokio::spawn(async move {
            post11(&s, Some("urn:echo/IEcho/Slow"), slow(3000))
                .await
                .status
        })
    };
    let (a, b) = (spawn(s.clone()), spawn(s.clone()));
    while s.echo.running.load(Ordering::SeqCst) < 2 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let started = Instant::now();
    let over = post11(&s, Some("urn:echo/IEcho/Echo"), echo11(USER, PASSWORD)).await;
    assert_eq!(over.status, 503, "{}", over.text);
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "answered at once, not queued"
    );
    assert_eq!(over.fault().code, FaultCode::Receiver);
    // Health is outside the gate.
    assert_eq!(send(http().get(s.url("/health"))).await.status, 200);
    assert_eq!((a.await.expect("a"), b.await.expect("b")), (200, 200));
    assert_eq!(
        post11(&s, Some("urn:echo/IEcho/Echo"), echo11(USER, PASSWORD))
            .await
            .status,
        200
    );
    assert_eq!(
        s.calls(),
        4,
        "the refused request never reached the service"
    );
}

#[tokio::test]
async fn graceful_shutdown_lets_in_flight_requests_finish() {
    let mut s = start().await;
    assert_eq!(
        post11(&s, Some("urn:echo/IEcho/Slow"), slow(1))
            .await
            .status,
        200
    );
    let url = s.url(PATH);
    let in_flight = tokio::spawn(async move {
        let req = http()
            .post(url)
            .header("content-type", "text/xml")
            .header("SOAPAction", "urn:echo/IEcho/Slow")
            .body(slow(700));
        send(req).await
    });
    while s.echo.running.load(Ordering::SeqCst) < 1 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let _ = s.stop.take().expect("stop").send(());
    let a = in_flight.await.expect("in flight");
    assert_eq!(a.status, 200, "{}", a.text);
    tokio::time::timeout(Duration::from_secs(5), &mut s.done)
        .await
        .expect("the server stops")
        .expect("join")
        .expect("serve");
    assert!(
        tokio::net::TcpStream::connect(s.addr).await.is_err(),
        "no longer listening"
    );
}

#[tokio::test]
async fn the_request_timeout_answers_a_server_fault() {
    let s = start_with("", "[limits]\nrequest_timeout_seconds = 1\n").await;
    let started = Instant::now();
    let a = post11(&s, Some("urn:echo/IEcho/Slow"), slow(5000)).await;
    assert!(started.elapsed() < Duration::from_secs(4));
    assert_eq!(a.status, 500);
    let f = a.fault();
    assert_eq!(f.code, FaultCode::Receiver);
    assert!(f.reason.contains("outcome is unknown"), "{}", f.reason);
}

#[tokio::test]
async fn many_first_logins_at_once_all_succeed() {
    let s = std::sync::Arc::new(start().await);
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let s = s.clone();
            tokio::spawn(async move {
                post11(&s, Some("urn:echo/IEcho/Echo"), echo11(USER, PASSWORD))
                    .await
                    .status
            })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.expect("task"), 200);
    }
    assert_eq!(s.calls(), 16);
}

#[tokio::test]
async fn an_mtom_attachment_over_the_body_limit_is_streamed_to_the_operation() {
    use altinn_bridge_runtime::mtom::Writer;
    let s = start().await;
    let cid = Writer::new_cid();
    let envelope = format!(
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><Upload xmlns=\"{NS}\"><user>{USER}</user><password>{PASSWORD}</password><Data>{}</Data></Upload></s:Body></s:Envelope>",
        Writer::include(&cid)
    );
    // 8 MiB in 64 KiB chunks: over the 5 MiB body limit, so it must never be read whole.
    let chunks = (0..128).map(|i| {
        Ok::<_, std::io::Error>(altinn_bridge_runtime::bytes::Bytes::from(vec![
            i as u8;
            64 << 10
        ]))
    });
    let writer = Writer::new(SoapVersion::V11, envelope).attach(
        &cid,
        "application/octet-stream",
        futures_util::stream::iter(chunks),
    );
    let answer = reqwest::Client::new()
        .post(s.url(PATH))
        .header("Content-Type", writer.content_type())
        .header("SOAPAction", "\"urn:echo/IEcho/Upload\"")
        .body(reqwest::Body::wrap_stream(writer.into_stream()))
        .send()
        .await
        .expect("send");
    assert_eq!(answer.status(), 200);
    let text = answer.text().await.expect("body");
    assert!(text.contains("<bytes>8388608</bytes>"), "{text}");
    let largest: usize = text
        .split("<largest>")
        .nth(1)
        .and_then(|t| t.split('<').next())
        .and_then(|n| n.parse().ok())
        .expect("largest chunk");
    assert!(
        largest <= 1 << 20,
        "the attachment arrived in chunks, not whole: {largest}"
    );
    assert_eq!(s.echo.calls.load(Ordering::SeqCst), 1);
}

/// An Echo request naming `parties` in its body and `header` as a `Party` header block.
fn echo_for(parties: &[&str], header: Option<&str>) -> String {
    let named: String = parties
        .iter()
        .map(|p| format!("<ns0:party>{p}</ns0:party>"))
        .collect();
    let body = body("Echo", USER, PASSWORD, "hello")
        .replace("</ns0:Echo>", &format!("{named}</ns0:Echo>"));
    let header = header
        .map(|p| format!(r#"<p:Party xmlns:p="{NS}">{p}</p:Party>"#))
        .unwrap_or_default();
    envelope(S11, &header, &body)
}

#[tokio::test]
async fn a_caller_acts_only_for_its_parties() {
    let s = start().await;
    let echo = Some("urn:echo/IEcho/Echo");
    // The configured party, in the body or a header block, and a request naming none pass.
    for xml in [
        echo_for(&["991825827"], None),
        echo_for(&[], Some(" 991825827 ")),
        echo_for(&[], None),
    ] {
        let a = post11(&s, echo, xml).await;
        assert_eq!(a.status, 200, "{}", a.text);
    }
    assert_eq!(s.calls(), 3);
    // Any other party, wherever it is and however many are allowed beside it, is refused
    // before the service is reached.
    for (xml, party) in [
        (echo_for(&["910075918"], None), "910075918"),
        (echo_for(&["991825827", "910075918"], None), "910075918"),
        (echo_for(&["991825827"], Some("12345678901")), "12345678901"),
    ] {
        let a = post11(&s, echo, xml).await;
        assert_client_fault(&a, &format!("may not act for the party {party}"));
    }
    assert_eq!(s.calls(), 3, "a refused party reached the service");
}

#[tokio::test]
async fn a_star_lets_a_caller_act_for_any_party() {
    let s = start_with_parties(&["*"]).await;
    let a = post11(
        &s,
        Some("urn:echo/IEcho/Echo"),
        echo_for(&["910075918"], None),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.text);
    // With no parties at all, a caller may act for none.
    let s = start_with_parties(&[]).await;
    let a = post11(
        &s,
        Some("urn:echo/IEcho/Echo"),
        echo_for(&["991825827"], None),
    )
    .await;
    assert_client_fault(&a, "may not act for the party 991825827");
    assert_eq!(s.calls(), 0);
}

/// An MTOM upload refused before its attachment is read (here: a wrong password) still gets its
/// fault: the facade reads past the rest of a refused message (within bounds) instead of closing
/// a connection the client is still writing to, which would lose the answer in a reset.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_mtom_upload_gets_its_fault_not_a_reset() {
    use altinn_bridge_runtime::mtom::Writer;
    let s = start().await;
    for round in 0..5 {
        let cid = Writer::new_cid();
        let envelope = format!(
            "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><Upload xmlns=\"{NS}\"><user>{USER}</user><password>wrong</password><Data>{}</Data></Upload></s:Body></s:Envelope>",
            Writer::include(&cid)
        );
        // 4 MiB, more than loopback's socket buffers hold, in 64 KiB chunks.
        let chunks = (0..64).map(|i| {
            Ok::<_, std::io::Error>(altinn_bridge_runtime::bytes::Bytes::from(vec![
                i as u8;
                64 << 10
            ]))
        });
        let writer = Writer::new(SoapVersion::V11, envelope).attach(
            &cid,
            "application/octet-stream",
            futures_util::stream::iter(chunks),
        );
        let answer = http()
            .post(s.url(PATH))
            .header("Content-Type", writer.content_type())
            .header("SOAPAction", "\"urn:echo/IEcho/Upload\"")
            .body(reqwest::Body::wrap_stream(writer.into_stream()))
            .send()
            .await
            .unwrap_or_else(|e| panic!("round {round}: no answer: {e:?}"));
        assert_eq!(answer.status(), 500, "round {round}");
        let text = answer.text().await.expect("the whole fault");
        assert!(text.contains("Fault"), "round {round}: {text}");
    }
    assert_eq!(s.calls(), 0);
}

/// An ordinary HTTP client writes its whole body before it reads: a 10 MB body refused at the
/// limit still reaches it as the fault, declared (`Content-Length`) or chunked, because the
/// facade reads past the refused rest instead of resetting the connection under the client.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_writing_a_10_mb_body_whole_reads_the_limit_fault() {
    let s = start().await;
    let big = envelope(
        S11,
        "",
        &body("Echo", USER, PASSWORD, &"x".repeat(10 << 20)),
    );
    for chunked in [false, true] {
        let req = http()
            .post(s.url(PATH))
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("SOAPAction", "\"urn:echo/IEcho/Echo\"");
        let req = if chunked {
            let chunks: Vec<Result<Vec<u8>, std::io::Error>> = big
                .as_bytes()
                .chunks(64 << 10)
                .map(|c| Ok(c.to_vec()))
                .collect();
            req.body(reqwest::Body::wrap_stream(futures_util::stream::iter(
                chunks,
            )))
        } else {
            req.body(big.clone())
        };
        let a = send(req).await;
        assert_client_fault(&a, "over the limit of 5242880");
    }
    assert_eq!(s.calls(), 0);
}
