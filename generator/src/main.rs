//! The `altinn-bridge` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use altinn_bridge::diag::SourceMap;
use altinn_bridge::load::{self, Limits};
use altinn_bridge::{embedded, emit};
use clap::{Parser, Subcommand};

/// Moves Altinn 2 SOAP integrations onto Altinn 3 REST APIs.
#[derive(Parser)]
#[command(name = "altinn-bridge", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load contracts and print what they hold: services, operations with their element trees,
    /// endpoints with parameters and bodies, webhooks.
    Inspect {
        /// WSDL, XSD, or OpenAPI (JSON/YAML) files. Without any, the contracts the project
        /// ships (the embedded default).
        paths: Vec<PathBuf>,
        /// Print the whole model as JSON instead of the summary.
        #[arg(long)]
        json: bool,
        /// Print warnings (unsupported constructs, oddities) too.
        #[arg(long, short)]
        verbose: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Inspect {
            paths,
            json,
            verbose,
        } => inspect(paths, json, verbose),
    }
}

fn inspect(paths: Vec<PathBuf>, json: bool, verbose: bool) -> ExitCode {
    let mut sources = SourceMap::new();
    let paths = if paths.is_empty() {
        embedded::register(&mut sources)
    } else {
        paths
    };
    match load::load_paths(&mut sources, &paths, &Limits::default()) {
        Ok(loaded) => {
            let warnings = loaded.warnings.warnings().count();
            if verbose {
                eprint!("{}", sources.render_all(&loaded.warnings));
            } else if warnings > 0 {
                eprintln!("note: {warnings} warning(s); run with --verbose to see them");
            }
            if json {
                match serde_json::to_string_pretty(&loaded.value) {
                    Ok(s) => println!("{s}"),
                    Err(e) => {
                        eprintln!("error: cannot serialise the model: {e}");
                        return ExitCode::FAILURE;
                    }
                }
            } else {
                print!("{}", emit::summary::render(&loaded.value));
            }
            ExitCode::SUCCESS
        }
        Err(diags) => {
            eprint!("{}", sources.render_all(&diags));
            let n = diags.errors().count();
            eprintln!(
                "error: could not load the contracts due to {n} previous error{}",
                if n == 1 { "" } else { "s" }
            );
            ExitCode::FAILURE
        }
    }
}
