//! Whole-corpus generation (Rust code and docs) against loading alone, in the same run.
//!
//! `load` resolves every curated manifest under `mappings/` against the real contracts (what
//! `--contracts ../shared/corpus` does: contracts found by file name in the corpus), `generate`
//! does the same and then renders the Rust modules (`emit::rust::render_all`) and the mapping
//! pages (`emit::docs::render`). Every file is held in memory for both, so disk I/O is not
//! measured. Without the corpus the manifests' own contracts (in the repository) are used.
//!
//! A plain timing loop rather than criterion, so that the debug build (what build scripts get
//! by default) runs in reasonable time too:
//!
//! ```sh
//! cargo bench -p altinn-bridge --bench generate                 # release (bench profile)
//! cargo bench -p altinn-bridge --bench generate --profile dev   # debug
//! ```
//!
//! `ALTINN_BRIDGE_BENCH_SECS` sets the time per case (default 5).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use altinn_bridge::diag::SourceMap;
use altinn_bridge::{emit, link, load_mappings};

struct Inputs {
    /// Every manifest and contract file, path and text.
    files: Vec<(PathBuf, String)>,
    manifests: Vec<PathBuf>,
    corpus: Option<PathBuf>,
}

fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("ALTINN_BRIDGE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"));
    dir.is_dir().then_some(dir)
}

fn walk(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, exts, out);
        } else if p
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| exts.contains(&x))
        {
            out.push(p);
        }
    }
}

fn inputs() -> Inputs {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut manifests = Vec::new();
    walk(&root.join("mappings"), &["toml"], &mut manifests);
    manifests.sort();
    let corpus = corpus_dir();
    let mut paths = manifests.clone();
    match &corpus {
        Some(dir) => walk(dir, &["wsdl", "xsd", "json"], &mut paths),
        None => {
            eprintln!("*** no corpus found: generating from the repository's contracts ***");
            walk(&root.join("wsdl"), &["wsdl", "xsd"], &mut paths);
            walk(&root.join("openapi"), &["json"], &mut paths);
        }
    }
    let files = paths
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            Some((p, text))
        })
        .collect();
    Inputs {
        files,
        manifests,
        corpus,
    }
}

fn load(inputs: &Inputs) -> (Vec<link::Mapping>, SourceMap) {
    let mut sources = SourceMap::new();
    for (path, text) in &inputs.files {
        sources.register_virtual(path.clone(), text.clone());
    }
    let overrides = link::Overrides {
        contract_dirs: inputs.corpus.iter().cloned().collect(),
        ..Default::default()
    };
    let mappings = load_mappings(&mut sources, &inputs.manifests, &overrides)
        .unwrap_or_else(|d| panic!("the manifests resolve: {}", sources.render_all(&d)))
        .0;
    (mappings, sources)
}

/// Load, then the Rust modules and the docs pages; the number of bytes produced.
fn generate(inputs: &Inputs) -> usize {
    let (mappings, sources) = load(inputs);
    let code = emit::rust::render_all(&mappings, &sources, emit::rust::Options::default())
        .expect("Rust renders");
    let resolved: Vec<link::Resolved> = mappings.into_iter().map(|m| m.resolved).collect();
    let docs = emit::docs::render(&resolved, None).expect("docs render");
    code.values().chain(docs.values()).map(String::len).sum()
}

/// Mean and minimum time of `f` over `budget`, after one warm-up call.
fn time(budget: Duration, f: impl Fn()) -> (Duration, Duration, u32) {
    f();
    let start = Instant::now();
    let (mut n, mut min) = (0u32, Duration::MAX);
    while n < 3 || start.elapsed() < budget {
        let t = Instant::now();
        f();
        min = min.min(t.elapsed());
        n += 1;
    }
    (start.elapsed() / n, min, n)
}

fn main() {
    // `cargo bench` passes `--bench`; any filter argument is ignored (there are two cases).
    let budget = Duration::from_secs_f64(
        std::env::var("ALTINN_BRIDGE_BENCH_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(5.0),
    );
    let inputs = inputs();
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let bytes: usize = inputs.files.iter().map(|(_, t)| t.len()).sum();
    let out = generate(&inputs);
    println!(
        "generate ({profile}): {} manifests, {} input files ({bytes} bytes) from the {}; {out} bytes of code and docs",
        inputs.manifests.len(),
        inputs.files.len(),
        if inputs.corpus.is_some() {
            "corpus"
        } else {
            "repository"
        },
    );
    let (load_mean, load_min, n1) = time(budget, || {
        black_box(load(black_box(&inputs)));
    });
    let (gen_mean, gen_min, n2) = time(budget, || {
        black_box(generate(black_box(&inputs)));
    });
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "generate ({profile}): load {:.1} ms (min {:.1}, {n1} runs), load+code+docs {:.1} ms (min {:.1}, {n2} runs), ratio {:.2}x; code+docs alone {:.1} ms",
        ms(load_mean),
        ms(load_min),
        ms(gen_mean),
        ms(gen_min),
        gen_mean.as_secs_f64() / load_mean.as_secs_f64(),
        ms(gen_mean.saturating_sub(load_mean)),
    );
}
