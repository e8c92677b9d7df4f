//! `altinn-bridge serve` and `hash-password`: the SOAP facade over the committed adapters of
//! the shipped manifests (`output-examples`). A project with its own manifests generates its own
//! adapters and calls `altinn_bridge_facade::serve` with their `services()` the same way.

use std::io::BufRead;
use std::path::Path;
use std::process::ExitCode;

use altinn_bridge_facade::{self as facade, FacadeConfig};

/// Loads the configuration, then serves until Ctrl-C or SIGTERM; in-flight requests finish.
pub fn run(config: &Path) -> ExitCode {
    // JSON lines on standard error, filtered by `RUST_LOG` (default `info`): one line per
    // request with its id, operation, caller, status and time, never a credential.
    let _logs = facade::init_logs(std::io::stderr());
    let config = match FacadeConfig::load(config) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let services = altinn_bridge_examples::generated::services();
    match runtime.block_on(facade::serve(config, services, shutdown())) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}

/// Reads one line (the password) from standard input and prints its argon2id PHC string.
pub fn hash_password() -> ExitCode {
    let mut line = String::new();
    if std::io::stdin().lock().read_line(&mut line).is_err() || line.trim().is_empty() {
        eprintln!("error: give the password on standard input");
        return ExitCode::FAILURE;
    }
    println!(
        "{}",
        facade::hash_password(line.trim_end_matches(['\r', '\n']))
    );
    ExitCode::SUCCESS
}
