//! One [`Caller`] per configured legacy caller: an [`Upstream`] whose clients carry the token
//! provider of the caller's Maskinporten client (shared by every caller of that client).

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::config::{CallerAuth, ClientKey, FacadeConfig, MaskinportenClient};
use crate::error::Result;
use altinn_bridge_runtime::adapter::Upstream;
use altinn_bridge_runtime::auth::{Environment, MaskinportenConfig, SigningKey, TokenProvider};
use altinn_bridge_runtime::facade::Caller;
use altinn_bridge_runtime::http::Client;

/// The setting under which a caller's system-user organisation reaches generated code.
pub use altinn_bridge_runtime::adapter::plan::SYSTEM_USER_ORG;

/// `(how it authenticates, caller)` for every `[[callers]]` entry.
pub(crate) fn callers(config: &FacadeConfig) -> Result<Vec<(CallerAuth, Arc<Caller>)>> {
    let mut providers = BTreeMap::new();
    for client in &config.maskinporten {
        providers.insert(client.name.as_str(), (client, provider(config, client)?));
    }
    let mut out = Vec::new();
    for c in &config.callers {
        // The configuration checked that every caller names a known client.
        let Some((client, tokens)) = providers.get(c.maskinporten.as_str()) else {
            continue;
        };
        let mut upstream = Upstream::new();
        for (api, base) in &config.environment.apis {
            let client = Client::new(base)?
                .with_tokens(tokens.clone())
                .with_timeout(config.upstream.timeout)
                .with_retry(config.upstream.retry);
            upstream = upstream.with_api(api, client);
        }
        let mut settings = config.settings.clone();
        if let Some(org) = &client.system_user_org {
            settings = settings.with_value(SYSTEM_USER_ORG, org);
        }
        let caller = Caller {
            name: c.user.clone(),
            upstream,
            settings: Arc::new(settings),
            parties: c.parties.clone(),
        };
        out.push((c.auth.clone(), Arc::new(caller)));
    }
    Ok(out)
}

fn provider(config: &FacadeConfig, client: &MaskinportenClient) -> Result<TokenProvider> {
    let env = &config.environment;
    let key = match &client.key {
        ClientKey::Kid { kid, key_pem } => SigningKey::Kid {
            kid: kid.clone(),
            key_pem: key_pem.clone(),
        },
        ClientKey::Certificate {
            certificate_pem,
            key_pem,
        } => SigningKey::Certificate {
            certificate_pem: certificate_pem.clone(),
            key_pem: key_pem.clone(),
        },
    };
    let mut mp = MaskinportenConfig::new(
        Environment::custom(&env.audience, &env.token_endpoint),
        &client.client_id,
        client.scopes.clone(),
        key,
    );
    mp.subscription_key = client.subscription_key.clone();
    if client.altinn_token_exchange {
        mp.altinn_exchange = env.altinn_exchange.clone();
    }
    Ok(TokenProvider::new(mp)?)
}
