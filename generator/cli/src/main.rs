//! The `altinn-bridge` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use altinn_bridge::diag::{Diagnostics, SourceMap};
use altinn_bridge::link::{self, Overrides};
use altinn_bridge::load::{self, Limits};
use altinn_bridge::{embedded, emit, output};
use clap::{Parser, Subcommand};

#[cfg(feature = "serve")]
mod serve;

/// Moves Altinn 2 SOAP integrations onto Altinn 3 REST APIs.
#[derive(Parser)]
#[command(name = "altinn-bridge", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Read a remote import location from a local copy instead (`URL=PATH`, repeatable):
    /// altinn-bridge never fetches.
    #[arg(long = "import-map", value_name = "URL=PATH", global = true)]
    import_map: Vec<String>,
    /// An OASIS XML catalog whose `system`/`uri` entries map remote import locations to local
    /// copies (as CXF's `-catalog`). Repeatable.
    #[arg(long, value_name = "FILE", global = true)]
    catalog: Vec<PathBuf>,
}

/// The local copies of remote imports given on the command line, read once in `main`.
static IMPORTS: std::sync::OnceLock<SourceMap> = std::sync::OnceLock::new();

/// A source map for one command: empty but for the local copies of remote imports.
fn new_sources() -> SourceMap {
    IMPORTS.get().cloned().unwrap_or_default()
}

/// Reads `--import-map` and `--catalog` into [`IMPORTS`]; false (reported) when one is wrong.
fn read_imports(cli: &Cli) -> bool {
    let (mut map, mut sources) = (load::ImportMap::new(), SourceMap::new());
    let limits = Limits::default();
    let mut diags = Diagnostics::default();
    for arg in &cli.import_map {
        if let Err(e) = map.add_arg(arg) {
            eprintln!("error: --import-map {e}");
            return false;
        }
    }
    for catalog in &cli.catalog {
        if let Err(d) = map.add_catalog(&mut sources, catalog, &limits) {
            diags.0.extend(d.0);
        }
    }
    let mut imports = SourceMap::new();
    if let Err(d) = map.register(&mut imports, &limits) {
        diags.0.extend(d.0);
    }
    if diags.has_errors() {
        eprint!("{}", sources.render_all(&diags));
        return false;
    }
    IMPORTS.set(imports).is_ok()
}

#[derive(Subcommand)]
enum Command {
    /// The main job: check every manifest against its contracts (by default the ones this binary
    /// carries), print the coverage per API and operation, then write the Rust adapters and the
    /// mapping pages under one folder. Only changed files are written.
    Build {
        /// Manifests. Without any, every `mappings/*.toml`.
        manifests: Vec<PathBuf>,
        /// Where the output goes: the Rust modules in `OUT/src`, the pages in `OUT/docs`.
        #[arg(long, default_value = "target/altinn-bridge")]
        out: PathBuf,
        /// Read each contract from this directory instead of the manifest's paths.
        #[arg(long = "contracts", value_name = "DIR")]
        contracts: Vec<PathBuf>,
        /// Templates overriding the built-in `api.md.j2` / `index.md.j2`.
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
        /// Leave out the SOAP facade modules (strategy 2): clients and types only.
        #[arg(long)]
        no_facade: bool,
    },
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
    /// Write the mapping documentation (Markdown with Hugo front matter) for every manifest.
    Docs {
        /// Manifests. Without any, every `mappings/*.toml`.
        manifests: Vec<PathBuf>,
        /// Where the pages go.
        #[arg(long, default_value = "output-examples/docs/content/mappings")]
        out: PathBuf,
        /// Templates overriding the built-in `api.md.j2` / `index.md.j2`.
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
        /// Read each contract from this directory instead of the manifest's paths.
        #[arg(long = "contracts", value_name = "DIR")]
        contracts: Vec<PathBuf>,
        /// Write nothing; exit non-zero and name the pages that are stale.
        #[arg(long)]
        check: bool,
    },
    /// Write Rust for every manifest: per API a module file and a folder with its `soap` (XML)
    /// and `rest` (serde) types, `plan`, `Client` and `facade`, plus a `mod.rs`. Only changed
    /// files are written; files an earlier run wrote that are no longer produced are removed.
    Generate {
        /// Manifests. Without any, every `mappings/*.toml`.
        manifests: Vec<PathBuf>,
        /// Where the modules go.
        #[arg(long, default_value = "output-examples/src/generated")]
        out: PathBuf,
        /// Read each contract from this directory instead of the manifest's paths.
        #[arg(long = "contracts", value_name = "DIR")]
        contracts: Vec<PathBuf>,
        /// Write nothing; exit non-zero and name the files that are stale, missing, or left
        /// from an earlier run that no longer produces them.
        #[arg(long)]
        check: bool,
        /// Leave out the SOAP facade modules (strategy 2): clients and types only.
        #[arg(long)]
        no_facade: bool,
    },
    /// Write a draft manifest: ranked REST calls per SOAP operation, with scores and reasons, and
    /// candidate field links. It loads as a manifest; review it, then run `check`.
    Suggest {
        /// The Altinn 2 WSDL.
        #[arg(long)]
        wsdl: PathBuf,
        /// The Altinn 3 OpenAPI document(s).
        #[arg(long, required = true)]
        openapi: Vec<PathBuf>,
        /// Write the draft here instead of standard output.
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Print the ranking as JSON instead of a draft manifest.
        #[arg(long)]
        json: bool,
    },
    /// Check mapping manifests against their contracts and print coverage per API and operation.
    Check {
        /// Manifests to check. Without any, every `mappings/*.toml`.
        manifests: Vec<PathBuf>,
        /// Read each contract from this directory (searched by file name, recursively) instead
        /// of the manifest's paths, e.g. `../shared/corpus`. May be repeated.
        #[arg(long = "contracts", value_name = "DIR")]
        contracts: Vec<PathBuf>,
        /// Use this WSDL (with a single manifest).
        #[arg(long)]
        wsdl: Option<PathBuf>,
        /// Use these OpenAPI documents (with a single manifest).
        #[arg(long)]
        openapi: Vec<PathBuf>,
        /// Print the resolved link model as JSON instead of the table.
        #[arg(long)]
        json: bool,
        /// Print warnings too.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Run the SOAP facade (strategy 2) for the committed adapters of the shipped manifests:
    /// old clients call it at the old paths; it calls Altinn 3. See `facade.example.toml`.
    #[cfg(feature = "serve")]
    Serve {
        /// The facade's configuration (listen address, environment, Maskinporten clients,
        /// legacy callers, limits, settings).
        #[arg(long)]
        config: PathBuf,
    },
    /// Print an argon2id hash for a legacy caller's password (`[[callers]] password_hash`);
    /// reads the password from standard input, so it stays out of the shell history.
    #[cfg(feature = "serve")]
    HashPassword,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !read_imports(&cli) {
        return ExitCode::FAILURE;
    }
    match cli.command {
        #[cfg(feature = "serve")]
        Command::Serve { config } => serve::run(&config),
        #[cfg(feature = "serve")]
        Command::HashPassword => serve::hash_password(),
        Command::Build {
            manifests,
            out,
            contracts,
            templates,
            no_facade,
        } => {
            let overrides = Overrides {
                contract_dirs: contracts,
                ..Overrides::default()
            };
            let options = emit::rust::Options { facade: !no_facade };
            build(manifests, &overrides, &out, templates.as_deref(), options)
        }
        Command::Inspect {
            paths,
            json,
            verbose,
        } => inspect(paths, json, verbose),
        Command::Check {
            manifests,
            contracts,
            wsdl,
            openapi,
            json,
            verbose,
        } => {
            let overrides = Overrides {
                contract_dirs: contracts,
                wsdl,
                openapi,
            };
            check(manifests, &overrides, json, verbose)
        }
        Command::Suggest {
            wsdl,
            openapi,
            out,
            json,
        } => suggest(&wsdl, &openapi, out.as_deref(), json),
        Command::Generate {
            manifests,
            out,
            contracts,
            check,
            no_facade,
        } => {
            let overrides = Overrides {
                contract_dirs: contracts,
                ..Overrides::default()
            };
            let options = emit::rust::Options { facade: !no_facade };
            generate(manifests, &overrides, &out, check, options)
        }
        Command::Docs {
            manifests,
            out,
            templates,
            contracts,
            check,
        } => {
            let overrides = Overrides {
                contract_dirs: contracts,
                ..Overrides::default()
            };
            docs(manifests, &overrides, &out, templates.as_deref(), check)
        }
    }
}

fn inspect(paths: Vec<PathBuf>, json: bool, verbose: bool) -> ExitCode {
    let mut sources = new_sources();
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

/// Every `*.toml` in `mappings/`, sorted.
fn default_manifests() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir("mappings")
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Loads and resolves every manifest, printing diagnostics. `None` when any has errors.
fn resolve_all(
    manifests: Vec<PathBuf>,
    overrides: &Overrides,
    verbose: bool,
) -> Option<Vec<link::Resolved>> {
    let manifests = if manifests.is_empty() {
        default_manifests()
    } else {
        manifests
    };
    if manifests.is_empty() {
        eprintln!("error: no manifests given and none in mappings/");
        return None;
    }
    let mut sources = new_sources();
    if overrides.contract_dirs.is_empty() {
        embedded::register(&mut sources);
    }
    let (mut resolved, mut errors, mut warnings) = (Vec::new(), 0, 0);
    let mut cache = link::ContractCache::default();
    for m in &manifests {
        let diags = match link::load_mapping_with(
            &mut cache,
            &mut sources,
            m,
            overrides,
            &Limits::default(),
        ) {
            Ok((mapping, w)) => {
                resolved.push(mapping.resolved);
                w
            }
            Err(d) => d,
        };
        errors += diags.errors().count();
        warnings += diags.warnings().count();
        let shown = if verbose {
            diags
        } else {
            Diagnostics(diags.errors().cloned().collect())
        };
        eprint!("{}", sources.render_all(&shown));
    }
    if warnings > 0 && !verbose {
        eprintln!("note: {warnings} warning(s); run with --verbose to see them");
    }
    if errors > 0 {
        eprintln!("error: {errors} error(s) in the manifests");
        return None;
    }
    Some(resolved)
}

fn check(manifests: Vec<PathBuf>, overrides: &Overrides, json: bool, verbose: bool) -> ExitCode {
    let Some(resolved) = resolve_all(manifests, overrides, verbose) else {
        return ExitCode::FAILURE;
    };
    if json {
        match serde_json::to_string_pretty(&resolved) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("error: cannot serialise: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        print!("{}", emit::coverage::render(&resolved));
    }
    ExitCode::SUCCESS
}

fn docs(
    manifests: Vec<PathBuf>,
    overrides: &Overrides,
    out: &std::path::Path,
    templates: Option<&std::path::Path>,
    check: bool,
) -> ExitCode {
    let Some(resolved) = resolve_all(manifests, overrides, false) else {
        return ExitCode::FAILURE;
    };
    let pages = match emit::docs::render(&resolved, templates) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    report_written(
        output::write_all(out, &pages, check),
        check,
        out,
        "docs",
        "page",
    )
}

fn generate(
    manifests: Vec<PathBuf>,
    overrides: &Overrides,
    out: &std::path::Path,
    check: bool,
    options: emit::rust::Options,
) -> ExitCode {
    let Some((sources, mappings)) = load_mappings(manifests, overrides) else {
        return ExitCode::FAILURE;
    };
    let files = match emit::rust::render_all(&mappings, &sources, options) {
        Ok(f) => f,
        Err(e) => return failure(e),
    };
    report_written(
        output::sync(out, &files, check),
        check,
        out,
        "generate",
        "file",
    )
}

/// `build`: the coverage table, then the Rust modules in `out/src` and the pages in
/// `out/docs`, each manifest loaded once for all three.
fn build(
    manifests: Vec<PathBuf>,
    overrides: &Overrides,
    out: &std::path::Path,
    templates: Option<&std::path::Path>,
    options: emit::rust::Options,
) -> ExitCode {
    let Some((sources, mappings)) = load_mappings(manifests, overrides) else {
        return ExitCode::FAILURE;
    };
    let resolved: Vec<link::Resolved> = mappings.iter().map(|m| m.resolved.clone()).collect();
    print!("{}", emit::coverage::render(&resolved));
    let files = match emit::rust::render_all(&mappings, &sources, options) {
        Ok(f) => f,
        Err(e) => return failure(e),
    };
    let pages = match emit::docs::render(&resolved, templates) {
        Ok(p) => p,
        Err(e) => return failure(e),
    };
    let (code, docs) = (out.join("src"), out.join("docs"));
    let wrote_code = report_written(
        output::sync(&code, &files, false),
        false,
        &code,
        "build",
        "Rust file",
    );
    if wrote_code != ExitCode::SUCCESS {
        return wrote_code;
    }
    report_written(
        output::write_all(&docs, &pages, false),
        false,
        &docs,
        "build",
        "page",
    )
}

/// Loads and resolves `manifests` (every `mappings/*.toml` when none are given) for the
/// emitters, printing any errors; `None` when a manifest has one.
fn load_mappings(
    manifests: Vec<PathBuf>,
    overrides: &Overrides,
) -> Option<(SourceMap, Vec<link::Mapping>)> {
    let manifests = if manifests.is_empty() {
        default_manifests()
    } else {
        manifests
    };
    let mut sources = new_sources();
    if overrides.contract_dirs.is_empty() {
        embedded::register(&mut sources);
    }
    match altinn_bridge::load_mappings(&mut sources, &manifests, overrides) {
        Ok((mappings, _)) => Some((sources, mappings)),
        Err(diags) => {
            eprint!(
                "{}",
                sources.render_all(&Diagnostics(diags.errors().cloned().collect()))
            );
            eprintln!(
                "error: {} error(s) in the manifests",
                diags.errors().count()
            );
            None
        }
    }
}

/// Prints `error: {e}`; the run failed.
fn failure(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::FAILURE
}

/// Prints what a write (or check) did; in check mode, stale files fail the run.
fn report_written(
    result: Result<output::Outcome, altinn_bridge::Error>,
    check: bool,
    out: &std::path::Path,
    command: &str,
    what: &str,
) -> ExitCode {
    match result {
        Ok(o) if check && !(o.changed.is_empty() && o.removed.is_empty()) => {
            for p in &o.changed {
                let state = if p.exists() { "stale" } else { "missing" };
                eprintln!("{state}: {}", p.display());
            }
            for p in &o.removed {
                eprintln!("stale (no longer generated): {}", p.display());
            }
            eprintln!(
                "error: {} {what}(s) differ from what the manifests generate; run `altinn-bridge {command}`",
                o.changed.len() + o.removed.len()
            );
            ExitCode::FAILURE
        }
        Ok(o) => {
            let verb = if check { "would write" } else { "wrote" };
            let removed = if o.removed.is_empty() {
                String::new()
            } else {
                format!(", removed {} no longer generated", o.removed.len())
            };
            println!(
                "{verb} {} {what}(s), {} unchanged{removed}, in {}",
                o.changed.len(),
                o.unchanged,
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn suggest(
    wsdl: &std::path::Path,
    openapi: &[PathBuf],
    out: Option<&std::path::Path>,
    json: bool,
) -> ExitCode {
    let mut sources = new_sources();
    let limits = Limits::default();
    let soap = load::wsdl::load(&mut sources, wsdl, &limits);
    let rest: Vec<_> = openapi
        .iter()
        .map(|p| load::openapi::load(&mut sources, p, &limits))
        .collect();
    let mut errors = Diagnostics::default();
    let soap = soap.map_err(|d| errors.0.extend(d.0)).ok();
    let rest: Vec<_> = rest
        .into_iter()
        .filter_map(|r| r.map_err(|d| errors.0.extend(d.0)).ok())
        .collect();
    let (Some(soap), true) = (soap, errors.is_empty()) else {
        eprint!("{}", sources.render_all(&errors));
        return ExitCode::FAILURE;
    };
    let rest: Vec<_> = rest.iter().map(|l| &l.value).collect();
    let text = if json {
        serde_json::to_string_pretty(&link::suggest::suggest(&soap.value, &rest))
            .unwrap_or_default()
            + "\n"
    } else {
        let base = out
            .and_then(std::path::Path::parent)
            .unwrap_or(std::path::Path::new("."));
        let rel = |p: &std::path::Path| relative_to(p, base);
        let paths: Vec<String> = openapi.iter().map(|p| rel(p)).collect();
        link::suggest::draft(&soap.value, &rest, &rel(wsdl), &paths)
    };
    match out {
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot write `{}`: {e}", path.display());
                ExitCode::FAILURE
            }
        },
        None => {
            print!("{text}");
            ExitCode::SUCCESS
        }
    }
}

/// `path` relative to `base` (both as given, lexically), `/`-separated; as given when that fails.
fn relative_to(path: &std::path::Path, base: &std::path::Path) -> String {
    let abs = |p: &std::path::Path| {
        std::env::current_dir().map(|d| altinn_bridge::diag::normalize_path(&d.join(p)))
    };
    let (Ok(p), Ok(b)) = (abs(path), abs(base)) else {
        return load::display_name(path);
    };
    let (pc, bc): (Vec<_>, Vec<_>) = (p.components().collect(), b.components().collect());
    let common = pc.iter().zip(&bc).take_while(|(a, b)| a == b).count();
    let mut rel = std::path::PathBuf::new();
    for _ in common..bc.len() {
        rel.push("..");
    }
    for c in &pc[common..] {
        rel.push(c.as_os_str());
    }
    load::display_name(&rel)
}
