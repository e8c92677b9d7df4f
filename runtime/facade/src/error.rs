//! The crate's one error type: everything the facade's configuration and server can fail with.

/// What can go wrong reading `facade.toml`, building the callers' upstreams or serving.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A configuration file is wrong: where, and what was expected there.
    #[error("{file}:{line}:{column}: {message}")]
    ConfigFile {
        /// The file, as it was named.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
        /// What is wrong and what was expected.
        message: String,
    },
    /// The configuration is readable but cannot serve these services (a setting, a lookup table
    /// or a Maskinporten client they need is missing).
    #[error("configuration: {0}")]
    Config(String),
    /// The facade could not listen or serve.
    #[error("could not serve on {addr}: {message}")]
    Serve {
        /// The address (or the certificate file, for TLS).
        addr: String,
        /// The system's description.
        message: String,
    },
    /// A legacy caller's credentials are missing or wrong; which part is never said.
    #[error("authentication failed")]
    AuthenticationFailed,
    /// The runtime failed (building a caller's HTTP clients or token provider).
    #[error(transparent)]
    Runtime(#[from] altinn_bridge_runtime::Error),
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
