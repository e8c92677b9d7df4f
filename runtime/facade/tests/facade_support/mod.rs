//! A small hand-written `SoapService` (what generated services implement) and a real facade
//! server on 127.0.0.1 around it, with a counter of the calls that reached the service.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use altinn_bridge_facade::Error;
use altinn_bridge_facade::{
    CallFuture, Credentials, Facade, FacadeConfig, Operation, Request, SoapService, hash_password,
};
use altinn_bridge_runtime::soap::Fault;
use tokio::sync::oneshot;

pub const NS: &str = "urn:echo";
pub const USER: &str = "erp";
pub const PASSWORD: &str = "s3cret-Pa55";

const USER_PATH: &[(&str, &str)] = &[(NS, "user")];
const PASSWORD_PATH: &[(&str, &str)] = &[(NS, "password")];

pub static OPS: [Operation; 7] = [
    Operation {
        name: "Upload",
        soap_action: "urn:echo/IEcho/Upload",
        wsa_action: "",
        input: (NS, "Upload"),
        header_parts: &[],
        credentials: Credentials::Body {
            user: USER_PATH,
            password: PASSWORD_PATH,
        },
        parties: &[],
        no_successor: None,
        streamed: Some("Data"),
    },
    Operation {
        name: "Echo",
        soap_action: "urn:echo/IEcho/Echo",
        wsa_action: "urn:echo/IEcho/EchoWsa",
        input: (NS, "Echo"),
        header_parts: &[(NS, "Trace"), (NS, "Party")],
        credentials: Credentials::Body {
            user: USER_PATH,
            password: PASSWORD_PATH,
        },
        parties: &[&[(NS, "Echo"), (NS, "party")], &[(NS, "Party")]],
        no_successor: None,
        streamed: None,
    },
    Operation {
        name: "Plain",
        soap_action: "",
        wsa_action: "",
        input: (NS, "Plain"),
        header_parts: &[],
        credentials: Credentials::None,
        parties: &[],
        no_successor: None,
        streamed: None,
    },
    Operation {
        name: "HeaderAuth",
        soap_action: "urn:echo/IEcho/HeaderAuth",
        wsa_action: "",
        input: (NS, "HeaderAuth"),
        header_parts: &[(NS, "User"), (NS, "Password")],
        credentials: Credentials::Header {
            user: (NS, "User"),
            password: (NS, "Password"),
        },
        parties: &[],
        no_successor: None,
        streamed: None,
    },
    Operation {
        name: "Gone",
        soap_action: "urn:echo/IEcho/Gone",
        wsa_action: "",
        input: (NS, "Gone"),
        header_parts: &[],
        credentials: Credentials::Body {
            user: USER_PATH,
            password: PASSWORD_PATH,
        },
        parties: &[],
        no_successor: Some("Altinn 3 keeps no archive of these"),
        streamed: None,
    },
    Operation {
        name: "Slow",
        soap_action: "urn:echo/IEcho/Slow",
        wsa_action: "",
        input: (NS, "Slow"),
        header_parts: &[],
        credentials: Credentials::Body {
            user: USER_PATH,
            password: PASSWORD_PATH,
        },
        parties: &[],
        no_successor: None,
        streamed: None,
    },
    Operation {
        name: "Upstream",
        soap_action: "urn:echo/IEcho/Upstream",
        wsa_action: "",
        input: (NS, "Upstream"),
        header_parts: &[],
        credentials: Credentials::Body {
            user: USER_PATH,
            password: PASSWORD_PATH,
        },
        parties: &[],
        no_successor: None,
        streamed: None,
    },
];

pub const WSDL: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:echo">
  <wsdl:types>
    <xsd:schema targetNamespace="urn:echo/import">
      <xsd:import schemaLocation="https://www.altinn.no/ServiceEngineExternal/Echo.svc?xsd=xsd0" namespace="urn:echo"/>
      <xsd:import schemaLocation = 'echo.xsd' namespace="urn:echo"/>
    </xsd:schema>
  </wsdl:types>
  <wsdl:service name="Echo">
    <wsdl:port name="Basic" binding="tns:Basic">
      <soap:address location="https://www.altinn.no/ServiceEngineExternal/Echo.svc"/>
    </wsdl:port>
    <wsdl:port name="Soap12" binding="tns:Soap12">
      <soap12:address location="https://www.altinn.no/ServiceEngineExternal/Echo.svc/soap12"/>
    </wsdl:port>
  </wsdl:service>
</wsdl:definitions>
"#;

pub const XSD: &str = r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:echo">
  <xs:include schemaLocation="types/echo-types.xsd"/>
</xs:schema>
"#;

pub const XSD_TYPES: &str =
    r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:echo"/>"#;

static DOCS: [(&str, &str); 3] = [
    ("Echo.wsdl", WSDL),
    ("echo.xsd", XSD),
    ("echo-types.xsd", XSD_TYPES),
];

/// The echo service; `calls` counts what reached `call`, `running` what is in it now.
#[derive(Default)]
pub struct Echo {
    pub calls: AtomicUsize,
    pub running: AtomicUsize,
}

pub const PATH: &str = "/ServiceEngineExternal/Echo.svc";

impl SoapService for Echo {
    fn name(&self) -> &'static str {
        "Echo"
    }
    fn path(&self) -> &'static str {
        PATH
    }
    fn documents(&self) -> &'static [(&'static str, &'static str)] {
        &DOCS
    }
    fn apis(&self) -> &'static [&'static str] {
        &["altinn-correspondence-v1"]
    }
    fn operations(&self) -> &'static [Operation] {
        &OPS
    }
    /// Counts the streamed bytes, chunk by chunk, and answers how many and the largest chunk.
    fn call_streamed<'a>(
        &'a self,
        op: &'static Operation,
        req: Request,
        mut binary: altinn_bridge_runtime::http::ByteStream,
        _len: Option<u64>,
    ) -> CallFuture<'a> {
        Box::pin(async move {
            use futures_util::StreamExt;
            self.calls.fetch_add(1, Ordering::SeqCst);
            let (mut total, mut largest) = (0usize, 0usize);
            while let Some(chunk) = binary.next().await {
                let chunk = chunk.map_err(|e| Fault::from(&e))?;
                total += chunk.len();
                largest = largest.max(chunk.len());
            }
            Ok(format!(
                "<{0}Response xmlns=\"{NS}\"><caller>{1}</caller><bytes>{total}</bytes><largest>{largest}</largest></{0}Response>",
                op.name, req.caller.name
            ))
        })
    }

    fn call<'a>(&'a self, op: &'static Operation, req: Request) -> CallFuture<'a> {
        Box::pin(async move {
            self.calls.fetch_add(1, Ordering::SeqCst);
            self.running.fetch_add(1, Ordering::SeqCst);
            let text = req
                .body
                .children_named(NS, "text")
                .next()
                .map(|t| t.text())
                .unwrap_or_default();
            let out = match op.name {
                "Slow" => {
                    let ms = text.parse().unwrap_or(100);
                    tokio::time::sleep(Duration::from_millis(ms)).await;
                    Ok(String::new())
                }
                "Upstream" => Err(Fault::from(&altinn_bridge_runtime::Error::Timeout {
                    url: "http://127.0.0.1:9/correspondence".into(),
                    timeout: Duration::from_secs(30),
                })),
                _ => Ok(String::new()),
            };
            self.running.fetch_sub(1, Ordering::SeqCst);
            out.map(|_| {
                format!(
                    "<{0}Response xmlns=\"{NS}\"><caller>{1}</caller><text>{text}</text><id>{2}</id></{0}Response>",
                    op.name, req.caller.name, req.request_id
                )
            })
        })
    }
}

/// A running facade.
pub struct Server {
    pub addr: SocketAddr,
    pub echo: Arc<Echo>,
    pub stop: Option<oneshot::Sender<()>>,
    pub done: tokio::task::JoinHandle<Result<(), Error>>,
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
    pub fn calls(&self) -> usize {
        self.echo.calls.load(Ordering::SeqCst)
    }
}

fn password_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(PASSWORD))
}

/// The configuration text with `extra` appended (a `[limits]` table, `behind_proxy`).
pub fn config_text(top: &str, extra: &str) -> String {
    config_text_with(top, extra, &["991825827"])
}

fn config_text_with(top: &str, extra: &str, parties: &[&str]) -> String {
    format!(
        r#"listen = "127.0.0.1:0"
{top}
[environment]
name = "custom"
audience = "http://127.0.0.1:9/"
token_endpoint = "http://127.0.0.1:9/token"
[environment.apis]
altinn-correspondence-v1 = "http://127.0.0.1:9"

[[maskinporten]]
name = "main"
client_id = "client"
kid = "kid"
key_file = "key.pem"
scopes = ["altinn:correspondence.write"]

[[callers]]
user = "{USER}"
password_hash = "{}"
maskinporten = "main"
parties = {parties:?}
{extra}
"#,
        password_hash()
    )
}

pub fn scratch() -> std::path::PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "altinn-bridge-facade-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    // The key is never used: no test here reaches Maskinporten.
    std::fs::write(
        dir.join("key.pem"),
        "-----BEGIN PRIVATE KEY-----\nunused\n-----END PRIVATE KEY-----\n",
    )
    .expect("key");
    dir
}

pub async fn start_with(top: &str, extra: &str) -> Server {
    serve(&config_text(top, extra)).await
}

/// A facade whose caller may act for `parties`.
pub async fn start_with_parties(parties: &[&str]) -> Server {
    serve(&config_text_with("", "", parties)).await
}

async fn serve(text: &str) -> Server {
    let dir = scratch();
    let config = FacadeConfig::parse(text, "facade.toml", &dir).expect("config");
    let echo = Arc::new(Echo::default());
    let facade = Facade::bind(&config, vec![echo.clone() as Arc<dyn SoapService>])
        .await
        .expect("bind");
    let addr = facade.local_addr().expect("addr");
    let (tx, rx) = oneshot::channel::<()>();
    let done = tokio::spawn(facade.run(async {
        let _ = rx.await;
    }));
    Server {
        addr,
        echo,
        stop: Some(tx),
        done,
    }
}

pub async fn start() -> Server {
    start_with("", "").await
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client")
}

pub const S11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
pub const S12: &str = "http://www.w3.org/2003/05/soap-envelope";

/// An envelope of namespace `env` with `headers` and `body`.
pub fn envelope(env: &str, headers: &str, body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><soap-env:Envelope xmlns:soap-env="{env}"><soap-env:Header>{headers}</soap-env:Header><soap-env:Body>{body}</soap-env:Body></soap-env:Envelope>"#
    )
}

/// The body element of operation `op` with the body credentials and `text`.
pub fn body(op: &str, user: &str, password: &str, text: &str) -> String {
    format!(
        r#"<ns0:{op} xmlns:ns0="{NS}"><ns0:user>{user}</ns0:user><ns0:password>{password}</ns0:password><ns0:text>{text}</ns0:text></ns0:{op}>"#
    )
}
