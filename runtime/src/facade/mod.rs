//! The SOAP facade's server: old clients keep calling the Altinn 2 contract, unchanged, and the
//! generated [`SoapService`]s answer it from Altinn 3.
//!
//! The server owns everything that is not contract-specific: the old endpoint paths, `?wsdl` and
//! `?xsd`, SOAP 1.1 and 1.2, dispatch on `SOAPAction`, the 1.2 `action` parameter, `wsa:Action`
//! or the body element, `mustUnderstand`, the legacy callers' credentials (argon2), limits on
//! bodies, XML and concurrency, request ids, `/health`, faults, and graceful shutdown.

mod callers;
mod config;
mod credentials;
mod dispatch;
mod handler;
mod layers;
mod respond;
mod service;
mod upstream;

pub use upstream::SYSTEM_USER_ORG;
mod wsdl;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::routing::get;

pub use callers::hash_password;
pub use config::{
    CallerConfig, ClientKey, EnvironmentConfig, FacadeConfig, FacadeLimits, MaskinportenClient,
};
pub use service::{AnswerFuture, CallFuture, Caller, Credentials, Operation, Request, SoapService};

use crate::error::{Error, Result};
use callers::CallerStore;

/// What every request handler shares.
pub(crate) struct App {
    pub(crate) callers: Arc<CallerStore>,
    pub(crate) limits: FacadeLimits,
    pub(crate) behind_proxy: bool,
    pub(crate) listen: SocketAddr,
    pub(crate) gate: Arc<tokio::sync::Semaphore>,
    pub(crate) services: Vec<Arc<dyn SoapService>>,
}

/// The facade's routes for `services`: each service's path (POST for SOAP, GET for `?wsdl` and
/// `?xsd=`), `GET /health`, and 404 for anything else. Fails when a caller's Maskinporten client
/// cannot be built.
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
    listener: tokio::net::TcpListener,
    router: Router,
}

impl Facade {
    /// Builds the callers' upstreams and binds `config.listen`.
    pub async fn bind(config: &FacadeConfig, services: Vec<Arc<dyn SoapService>>) -> Result<Self> {
        let router = router(services, config)?;
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|e| serve_error(config.listen, &e))?;
        Ok(Self { listener, router })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> Result<SocketAddr> {
        self.listener.local_addr().map_err(|e| Error::Serve {
            addr: "the listener".into(),
            message: e.to_string(),
        })
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<()> {
        let addr = self.local_addr()?;
        tracing::info!(%addr, "the SOAP facade is listening");
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(|e| serve_error(addr, &e))?;
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
