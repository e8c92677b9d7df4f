//! The Altinn 3 APIs an adapter calls, one HTTP client each.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::http::Client;

/// One [`Client`] per Altinn 3 API, keyed by the OpenAPI document's file stem
/// (`altinn-correspondence-v1`), which is how generated code names the API a call goes to.
///
/// Each client carries its own base URL and token provider, so one upstream acts as one
/// Maskinporten client (or one system user); the facade builds one per legacy caller.
///
/// Cloning is cheap (the clients are shared): the facade hands a clone to every request.
#[derive(Debug, Clone, Default)]
pub struct Upstream {
    apis: Arc<BTreeMap<String, Client>>,
}

impl Upstream {
    /// An upstream with no APIs.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) the client for the API `name`.
    pub fn with_api(mut self, name: impl Into<String>, client: Client) -> Self {
        Arc::make_mut(&mut self.apis).insert(name.into(), client);
        self
    }

    /// The client for `name`, or [`Error::Config`] naming the missing API.
    pub fn api(&self, name: &str) -> Result<&Client> {
        self.apis
            .get(name)
            .ok_or_else(|| Error::Config(format!("no client is configured for the API `{name}`")))
    }

    /// The configured API names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.apis.keys().map(String::as_str)
    }
}
