//! Legacy callers' credentials: argon2id PHC hashes checked before anything goes upstream, with
//! a cache of successful checks so argon2's deliberate slowness is paid once per caller; and the
//! callers known by the organisation number of their TLS client certificate.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::config::CallerAuth;
use crate::error::{Error, Result};
use altinn_bridge_runtime::facade::Caller;
use altinn_bridge_runtime::secret::Secret;

/// The most cached verifications kept; past it the cache starts over (a bound on memory, not a
/// policy: a configured caller only ever fills one entry per password it uses).
const CACHE_CAP: usize = 4096;

/// A PHC hash of a random password, verified when the user is unknown so that an unknown user
/// costs the same time as a wrong password and user names cannot be probed by timing.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        let mut pw = [0u8; 16];
        rand::rng().fill_bytes(&mut pw);
        hash_password(&format!("{pw:?}"))
    })
}

/// Hashes `password` as an argon2id PHC string with a random salt and the crate's default
/// parameters, for the `password_hash` of a `[[callers]]` entry.
pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    // Encoding 16 random bytes cannot fail, and hashing with the default parameters cannot
    // either; the fallbacks only exist so no input can panic.
    let Ok(salt) = SaltString::encode_b64(&salt) else {
        return String::new();
    };
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .unwrap_or_default()
}

/// Checks that `phc` is an argon2 PHC string this build can verify.
pub(crate) fn check_hash(phc: &str) -> std::result::Result<(), String> {
    let hash = PasswordHash::new(phc).map_err(|e| e.to_string())?;
    match hash.algorithm.as_str() {
        "argon2id" | "argon2i" | "argon2d" => Ok(()),
        other => Err(format!("`{other}` is not an argon2 algorithm")),
    }
}

struct Entry {
    hash: String,
    caller: Arc<Caller>,
}

/// The configured callers and the cache of successful verifications.
pub(crate) struct CallerStore {
    by_user: HashMap<String, Entry>,
    /// Certificate callers by the organisation number their certificate must carry.
    by_org: HashMap<String, Arc<Caller>>,
    /// A random per-process key, so the cache holds no unsalted digest of any password.
    key: [u8; 32],
    verified: Mutex<HashMap<[u8; 32], Arc<Caller>>>,
    /// One argon2 run per core at a time: each takes ~19 MiB and a core for tens of
    /// milliseconds, so a flood of wrong passwords queues here instead of spawning hundreds of
    /// blocking threads.
    slow_slots: tokio::sync::Semaphore,
}

impl CallerStore {
    /// A store of `(how it authenticates, caller)` pairs: password callers keyed by their name,
    /// certificate callers by their organisation number.
    pub(crate) fn new(callers: Vec<(CallerAuth, Arc<Caller>)>) -> Self {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        let (mut by_user, mut by_org) = (HashMap::new(), HashMap::new());
        for (auth, caller) in callers {
            match auth {
                CallerAuth::Password { hash } => {
                    by_user.insert(caller.name.clone(), Entry { hash, caller });
                }
                CallerAuth::Certificate { org } => {
                    by_org.insert(org, caller);
                }
            }
        }
        Self {
            by_user,
            by_org,
            key,
            verified: Mutex::default(),
            slow_slots: tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, usize::from),
            ),
        }
    }

    /// The certificate caller for `org`, the organisation number of a client certificate that
    /// already chained to `[tls] client_ca_file` (rustls checked it during the handshake).
    pub(crate) fn by_certificate(&self, org: &str) -> Option<Arc<Caller>> {
        self.by_org.get(org).cloned()
    }

    fn cache_key(&self, user: &str, password: &Secret) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(self.key);
        // Lengths first, so ("ab","c") and ("a","bc") differ.
        h.update((user.len() as u64).to_le_bytes());
        h.update(user.as_bytes());
        h.update(password.expose().as_bytes());
        h.finalize().into()
    }

    /// The caller `user` if `password` is right; argon2 runs on a blocking thread.
    pub(crate) async fn verify(
        self: &Arc<Self>,
        user: &str,
        password: &Secret,
    ) -> Result<Arc<Caller>> {
        let key = self.cache_key(user, password);
        if let Some(caller) = self.cached(&key) {
            return Ok(caller);
        }
        let _slot = self
            .slow_slots
            .acquire()
            .await
            .map_err(|_| Error::AuthenticationFailed)?;
        if let Some(caller) = self.cached(&key) {
            // Another request verified the same credentials while this one waited.
            return Ok(caller);
        }
        let store = Arc::clone(self);
        let (user, password) = (user.to_owned(), password.clone());
        let verified = tokio::task::spawn_blocking(move || store.verify_slow(&user, &password))
            .await
            .map_err(|e| Error::Config(format!("password verification stopped: {e}")))?;
        let caller = verified.ok_or(Error::AuthenticationFailed)?;
        let mut cache = self.verified.lock().unwrap_or_else(PoisonError::into_inner);
        if cache.len() >= CACHE_CAP {
            cache.clear();
        }
        cache.insert(key, Arc::clone(&caller));
        Ok(caller)
    }

    fn cached(&self, key: &[u8; 32]) -> Option<Arc<Caller>> {
        let cache = self.verified.lock().unwrap_or_else(PoisonError::into_inner);
        cache.get(key).cloned()
    }

    fn verify_slow(&self, user: &str, password: &Secret) -> Option<Arc<Caller>> {
        let entry = self.by_user.get(user);
        let phc: &str = match entry {
            Some(e) => &e.hash,
            None => dummy_hash(),
        };
        let ok = PasswordHash::new(phc).is_ok_and(|hash| {
            Argon2::default()
                .verify_password(password.expose().as_bytes(), &hash)
                .is_ok()
        });
        if ok {
            entry.map(|e| Arc::clone(&e.caller))
        } else {
            None
        }
    }
}
