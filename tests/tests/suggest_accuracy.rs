//! `suggest` against the curated manifests: for each API, on the real corpus contracts, the share
//! of linked operations whose top-ranked candidate is one of the curated calls. Also: the draft
//! it writes loads as a manifest, and it behaves on a contract pair it was never tuned on.

use std::path::{Path, PathBuf};

use altinn_bridge::diag::SourceMap;
use altinn_bridge::link::{self, Overrides, suggest};
use altinn_bridge::load::{self, Limits};
use altinn_bridge_tests::require_corpus;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn manifests() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(workspace().join("mappings"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    v.sort();
    v
}

/// (operations whose top candidate is curated, linked operations) for one manifest.
fn accuracy(manifest: &Path, corpus: &Path) -> (usize, usize, Vec<String>) {
    let mut sources = SourceMap::new();
    let overrides = Overrides {
        contract_dirs: vec![corpus.to_path_buf()],
        ..Overrides::default()
    };
    let (mapping, _) = link::load_mapping(&mut sources, manifest, &overrides, &Limits::default())
        .unwrap_or_else(|d| {
            panic!(
                "{} does not resolve on the corpus:\n{}",
                manifest.display(),
                sources.render_all(&d)
            )
        });
    let rest: Vec<_> = mapping.rest.iter().collect();
    let ranked = suggest::suggest(&mapping.soap, &rest);
    let (mut hits, mut total, mut misses) = (0, 0, Vec::new());
    for op in mapping
        .resolved
        .operations
        .iter()
        .filter(|o| !o.calls.is_empty())
    {
        total += 1;
        let top = ranked
            .iter()
            .find(|s| s.operation == op.name)
            .and_then(|s| s.candidates.first());
        let curated: Vec<&str> = op.calls.iter().map(|c| c.endpoint.0.as_str()).collect();
        match top {
            Some(t) if curated.contains(&t.endpoint.as_str()) => hits += 1,
            other => misses.push(format!(
                "{}: top {:?}, curated {curated:?}",
                op.name,
                other.map(|t| &t.endpoint)
            )),
        }
    }
    (hits, total, misses)
}

#[test]
#[cfg_attr(
    not(peer_corpus),
    ignore = "needs the corpus: ../shared/corpus or $ALTINN_BRIDGE_CORPUS"
)]
fn suggest_ranks_a_curated_call_first_for_at_least_80_percent_per_api() {
    let corpus =
        require_corpus("suggest_ranks_a_curated_call_first_for_at_least_80_percent_per_api");
    let mut failures = Vec::new();
    for m in manifests() {
        let (hits, total, misses) = accuracy(&m, &corpus);
        let name = m.file_stem().unwrap().to_string_lossy().into_owned();
        println!("suggest top-1: {name}: {hits}/{total}");
        for miss in &misses {
            println!("    miss: {miss}");
        }
        if total > 0 && hits * 5 < total * 4 {
            failures.push(format!("{name}: {hits}/{total} ({misses:?})"));
        }
    }
    assert!(failures.is_empty(), "below 80%: {failures:#?}");
}

fn load_pair(
    wsdl: &Path,
    openapi: &Path,
) -> (
    SourceMap,
    altinn_bridge::model::SoapContract,
    altinn_bridge::model::RestContract,
) {
    let mut sources = SourceMap::new();
    let soap = load::wsdl::load(&mut sources, wsdl, &Limits::default())
        .unwrap_or_else(|d| panic!("{}", sources.render_all(&d)));
    let rest = load::openapi::load(&mut sources, openapi, &Limits::default())
        .unwrap_or_else(|d| panic!("{}", sources.render_all(&d)));
    (sources, soap.value, rest.value)
}

#[test]
fn on_an_unseen_pair_the_ranking_is_sensible() {
    let dir = workspace().join("generator/tests/fixtures/unseen");
    let (_, soap, rest) = load_pair(
        &dir.join("Innsendingstjeneste.wsdl"),
        &dir.join("innsending-api.yaml"),
    );
    let ranked = suggest::suggest(&soap, &[&rest]);
    assert_eq!(
        ranked.len(),
        soap.operations
            .iter()
            .map(|o| &o.name)
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    );
    for s in &ranked {
        let top = s
            .candidates
            .first()
            .unwrap_or_else(|| panic!("{}: no candidate", s.operation));
        println!(
            "unseen: {} -> {} ({:.3}; {})",
            s.operation,
            top.endpoint,
            top.score,
            top.reasons.join("; ")
        );
        assert!(
            top.score > 0.0 && top.score <= 1.0,
            "{}: score {}",
            s.operation,
            top.score
        );
        assert!(
            s.candidates.windows(2).all(|w| w[0].score >= w[1].score),
            "{}: not sorted",
            s.operation
        );
    }
    // Norwegian verbs against HTTP methods: sending creates, fetching reads, withdrawing deletes.
    let top = |op: &str| {
        ranked
            .iter()
            .find(|s| s.operation == op)
            .unwrap()
            .candidates[0]
            .endpoint
            .clone()
    };
    assert_eq!(top("SendInnMelding"), "POST /v2/submissions");
    assert_eq!(top("HentStatus"), "GET /v2/submissions/{submissionId}");
    assert_eq!(
        top("TrekkTilbakeMelding"),
        "DELETE /v2/submissions/{submissionId}"
    );
}

#[test]
fn the_draft_loads_as_a_manifest() {
    let dir = workspace().join("generator/tests/fixtures/unseen");
    let (wsdl, openapi) = (
        dir.join("Innsendingstjeneste.wsdl"),
        dir.join("innsending-api.yaml"),
    );
    let (mut sources, soap, rest) = load_pair(&wsdl, &openapi);
    let draft = suggest::draft(
        &soap,
        &[&rest],
        "Innsendingstjeneste.wsdl",
        &["innsending-api.yaml".to_owned()],
    );
    // The old credentials are recognised as such, not dropped as unknown fields.
    assert!(draft.contains("old = \"system-user-password\""), "{draft}");
    assert!(draft.contains("\"Avsenderinfo/passord\""), "{draft}");
    let path = dir.join("draft.toml");
    sources.register_virtual(&path, draft.clone());
    let r = link::load_mapping(
        &mut sources,
        &path,
        &Overrides::default(),
        &Limits::default(),
    );
    // Every reference in the draft resolves; what is left is the to-do list `check` prints:
    // required Altinn 3 fields no SOAP field was found for.
    if let Err(d) = r {
        for e in d.errors() {
            let unfed = e.message.contains("required") && e.message.ends_with("is not fed");
            assert!(
                unfed,
                "unexpected error in the draft: {}\n{draft}",
                sources.render(e)
            );
        }
    }
}

/// A second pair, written by someone who had not seen the ranking code, with the expected
/// successors written down first (`expected.toml`). Measured before any tuning: 5 of 6 linked
/// operations ranked right (the miss: `KansellerDeklarasjon`, "cancel" in Norwegian). This test
/// keeps that from getting worse; it is not tuned on.
#[test]
fn an_independently_written_pair_ranks_at_least_five_of_six() {
    let dir = workspace().join("generator/tests/fixtures/unseen2");
    let (_, soap, rest) = load_pair(
        &dir.join("Tollforvaltning.wsdl"),
        &dir.join("toll-api.yaml"),
    );
    let expected = std::fs::read_to_string(dir.join("expected.toml")).unwrap();
    let ranked = suggest::suggest(&soap, &[&rest]);
    let (mut hits, mut total) = (0, 0);
    for line in expected
        .lines()
        .filter(|l| l.contains(" = \"") && !l.trim_start().starts_with('#'))
    {
        let (op, want) = line.split_once('=').unwrap();
        let (op, want) = (op.trim(), want.trim().trim_matches('"'));
        if want == "none" {
            continue;
        }
        total += 1;
        let got = ranked
            .iter()
            .find(|s| s.operation == op)
            .and_then(|s| s.candidates.first())
            .map(|c| c.endpoint.as_str());
        println!("unseen2: {op} -> {got:?} (expected {want})");
        hits += usize::from(got == Some(want));
    }
    println!("unseen2: {hits}/{total}");
    assert_eq!(total, 6);
    assert!(hits >= 5, "{hits}/{total}");
}
