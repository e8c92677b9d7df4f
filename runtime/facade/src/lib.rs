//! The SOAP facade's server: old clients keep calling the Altinn 2 contract, unchanged, and the
//! generated [`SoapService`]s answer it from Altinn 3.
//!
//! Generated code implements [`SoapService`] from `altinn_bridge_runtime::facade` (it depends on
//! the runtime alone); this crate serves those services and is needed only by what runs them.
//!
//! The server owns everything that is not contract-specific: the old endpoint paths, `?wsdl` and
//! `?xsd`, SOAP 1.1 and 1.2, dispatch on `SOAPAction`, the 1.2 `action` parameter, `wsa:Action`
//! or the body element, `mustUnderstand`, the legacy callers' credentials (argon2 password hashes,
//! or the organisation number of a verified TLS client certificate), TLS, limits on bodies, XML
//! and concurrency, request ids, `/health`, faults, and graceful shutdown.

#![deny(missing_docs)]

mod callers;
mod client_cert;
mod config;
mod credentials;
mod dispatch;
pub mod error;
mod handler;
mod layers;
mod logs;
mod parties;
mod respond;
mod tls;
mod upstream;

mod wsdl;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::routing::get;

pub use altinn_bridge_runtime::facade::{
    AnswerFuture, CallFuture, Caller, Credentials, Operation, Request, SoapService,
};
pub use callers::hash_password;
pub use config::{
    CallerAuth, CallerConfig, ClientKey, EnvironmentConfig, FacadeConfig, FacadeLimits,
    MaskinportenClient, TlsConfig, UpstreamConfig,
};
pub use error::{Error, Result};
pub use logs::{LogGuard, init_logs};
pub use upstream::SYSTEM_USER_ORG;

use callers::CallerStore;

/// What every request handler shares.
pub(crate) struct App {
    pub(crate) callers: Arc<CallerStore>,
    pub(crate) limits: FacadeLimits,
    pub(crate) behind_proxy: bool,
    /// Whether the facade serves TLS itself: its WSDL addresses are then `https`.
    pub(crate) tls: bool,
    pub(crate) listen: SocketAddr,
    pub(crate) gate: Arc<tokio::sync::Semaphore>,
    pub(crate) services: Vec<Arc<dyn SoapService>>,
}

/// The facade's routes for `services`: each service's path (POST for SOAP, GET for `?wsdl` and
/// `?xsd=`), `GET /health`, and 404 for anything else. Fails when a caller's Maskinporten client
/// cannot be built. Served by anything but [`Facade`], it sees no client certificates, so only
/// password callers authenticate.
pub fn router(services: Vec<Arc<dyn SoapService>>, config: &FacadeConfig) -> Result<Router> {
    let callers = upstream::callers(config)?;
    Ok(router_with(services, config, CallerStore::new(callers)))
}

fn router_with(
    services: Vec<Arc<dyn SoapService>>,
    config: &FacadeConfig,
    callers: CallerStore,
) -> Router {
    let app = Arc::new(App {
        callers: Arc::new(callers),
        limits: config.limits,
        behind_proxy: config.behind_proxy,
        tls: config.tls.is_some(),
        listen: config.listen,
        gate: Arc::new(tokio::sync::Semaphore::new(config.limits.max_concurrent)),
        services: services.clone(),
    });
    let mut soap = Router::new();
    for service in services {
        let path = service.path();
        let (post_svc, get_svc) = (Arc::clone(&service), service);
        let (post_app, get_app) = (Arc::clone(&app), Arc::clone(&app));
        soap = soap.route(
            path,
            axum::routing::post(move |req| handler::soap(post_app, post_svc, req))
                .get(move |req| wsdl::serve(get_app, get_svc, req)),
        );
    }
    // The gate covers the services, not `/health`, so an overloaded facade still says it is up.
    let soap = soap.layer(axum::middleware::from_fn_with_state(
        Arc::clone(&app),
        layers::gate,
    ));
    let health_app = Arc::clone(&app);
    Router::new()
        .merge(soap)
        .route("/health", get(move || layers::health(health_app)))
        .fallback(layers::not_found)
        .layer(axum::middleware::from_fn(layers::request_id))
}

/// A bound facade, ready to run; binding first lets a caller learn the port (`listen = ":0"`).
pub struct Facade {
    listener: Listening,
    router: Router,
}

/// Plain HTTP, or TLS with the handshakes already running.
enum Listening {
    Plain(tokio::net::TcpListener),
    Tls(tls::TlsListener),
}

impl Facade {
    /// Builds the callers' upstreams and binds `config.listen`; with `[tls]`, it serves HTTPS.
    pub async fn bind(config: &FacadeConfig, services: Vec<Arc<dyn SoapService>>) -> Result<Self> {
        required_settings(config, &services)?;
        let router = router(services, config)?;
        let acceptor = config.tls.as_ref().map(tls::acceptor).transpose()?;
        let tcp = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|e| serve_error(config.listen, &e))?;
        let listener = match acceptor {
            Some(a) => Listening::Tls(
                tls::TlsListener::new(tcp, a).map_err(|e| serve_error(config.listen, &e))?,
            ),
            None => Listening::Plain(tcp),
        };
        Ok(Self { listener, router })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> Result<SocketAddr> {
        let addr = match &self.listener {
            Listening::Plain(l) => l.local_addr(),
            Listening::Tls(l) => axum::serve::Listener::local_addr(l),
        };
        addr.map_err(|e| Error::Serve {
            addr: "the listener".into(),
            message: e.to_string(),
        })
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<()> {
        let addr = self.local_addr()?;
        let served = match self.listener {
            Listening::Plain(l) => {
                tracing::info!(%addr, "the SOAP facade is listening (HTTP)");
                // Small SOAP answers go out at once instead of waiting for Nagle's timer.
                let l = axum::serve::ListenerExt::tap_io(l, |s| {
                    let _ = s.set_nodelay(true);
                });
                axum::serve(l, self.router)
                    .with_graceful_shutdown(shutdown)
                    .await
            }
            Listening::Tls(l) => {
                tracing::info!(%addr, "the SOAP facade is listening (HTTPS)");
                // Each connection's client certificate, read once, reaches its requests.
                let app = self
                    .router
                    .into_make_service_with_connect_info::<client_cert::Peer>();
                axum::serve(l, app).with_graceful_shutdown(shutdown).await
            }
        };
        served.map_err(|e| serve_error(addr, &e))?;
        tracing::info!("the SOAP facade has stopped");
        Ok(())
    }
}

/// Binds `config.listen` and serves `services` until `shutdown` completes; in-flight requests
/// finish first.
pub async fn serve(
    config: FacadeConfig,
    services: Vec<Arc<dyn SoapService>>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    Facade::bind(&config, services).await?.run(shutdown).await
}

fn serve_error(addr: SocketAddr, e: &std::io::Error) -> Error {
    Error::Serve {
        addr: addr.to_string(),
        message: e.to_string(),
    }
}

/// Every setting and lookup table a service's adapters read is configured; a service acting
/// through a system user has a Maskinporten client with `system_user_org`. The error names the
/// service and the key, before the facade listens.
fn required_settings(config: &FacadeConfig, services: &[Arc<dyn SoapService>]) -> Result<()> {
    for s in services {
        let (values, tables) = s.settings();
        config.settings.require(values, tables).map_err(|e| {
            Error::Config(format!(
                "facade.toml [settings], for the service `{}`: {e}",
                s.name()
            ))
        })?;
        let system_user = values.contains(&altinn_bridge_runtime::adapter::plan::SYSTEM_USER_ORG);
        if system_user
            && config
                .maskinporten
                .iter()
                .all(|m| m.system_user_org.is_none())
        {
            return Err(Error::Config(format!(
                "facade.toml: the service `{}` acts through a system user, but no [[maskinporten]] client has `system_user_org`",
                s.name()
            )));
        }
    }
    Ok(())
}
