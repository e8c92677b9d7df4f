//! The mapping pages as readers get them: built by the real Hugo into two sites, and opened in
//! Debian's headless Chromium by `tests/browser/check.mjs` (puppeteer-core, pinned there).
//!
//! - `output-examples/docs`, the site a writer previews, built outside the checkout;
//! - `tests/hugo-altinn-site`, a stand-in for Altinn's docs: heading ids from the heading text
//!   with no de-duplication, a `notice` shortcode, Mermaid loaded from its static files, and no
//!   render hook for ```` ```mermaid ````. The generated pages are copied into a temporary copy.
//!
//! For every page the browser check requires each Mermaid block drawn as a sequence-diagram
//! SVG, no table (or anything else) wider than the 860 px content column, no duplicate id, every
//! in-page link resolving, and no request leaving 127.0.0.1. The counts it reports are compared
//! with the Markdown: every diagram and every table of the sources must be on the pages.
//! Screenshots, one per page type and site, go to `target/docs-screenshots/`.
//!
//! Needs `hugo`, `chromium`, `node`, and `npm ci` in `output-examples/docs` and `tests/browser`
//! (`build/docs_site.rs` looks for them); without them the test is ignored, in CI it fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn site_source() -> PathBuf {
    workspace().join("output-examples/docs")
}

/// The generated pages: file name → Markdown.
fn pages() -> BTreeMap<String, String> {
    let dir = site_source().join("content/mappings");
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            (e.file_name().to_string_lossy().into_owned(), text)
        })
        .collect()
}

/// Runs `cmd`, failing the test with its output when it fails or cannot start.
fn run(cmd: &mut Command, what: &str) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot start {:?}: {e}", cmd.get_program()));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// `hugo` building `source` into `scratch/<name>`, with its resource and cache folders in
/// `scratch` too: nothing is written into the source.
fn hugo(source: &Path, scratch: &Path, name: &str) -> PathBuf {
    let public = scratch.join(name);
    run(
        Command::new("hugo")
            .arg("--source")
            .arg(source)
            .arg("--destination")
            .arg(&public)
            .arg("--cacheDir")
            .arg(scratch.join("hugo-cache"))
            .args(["--panicOnWarning", "--quiet"])
            .env(
                "HUGO_RESOURCEDIR",
                scratch.join(format!("{name}-resources")),
            ),
        &format!("hugo --source {}", source.display()),
    );
    public
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// The names in a folder, recursively, except npm's `node_modules`.
fn listing(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.file_name() == "node_modules" {
            continue;
        }
        out.push(e.path());
        if e.file_type().unwrap().is_dir() {
            out.extend(listing(&e.path()));
        }
    }
    out.sort();
    out
}

/// The Altinn stand-in with the generated pages and Mermaid copied into a temporary copy.
fn altinn_site(scratch: &Path) -> PathBuf {
    let site = scratch.join("altinn-source");
    copy_dir(&workspace().join("tests/hugo-altinn-site"), &site);
    let mappings = site.join("content/mappings");
    std::fs::create_dir_all(&mappings).unwrap();
    for (name, text) in pages() {
        std::fs::write(mappings.join(name), text).unwrap();
    }
    // Where Altinn's theme loads Mermaid from: its own static files.
    std::fs::create_dir_all(site.join("static/mermaid")).unwrap();
    std::fs::copy(
        site_source().join("node_modules/mermaid/dist/mermaid.min.js"),
        site.join("static/mermaid/mermaid.js"),
    )
    .expect("Mermaid is installed: run `npm ci` in output-examples/docs");
    site
}

/// What the Markdown promises each built site shows: pages, diagrams and tables.
struct Expected {
    pages: usize,
    diagrams: usize,
    tables: usize,
}

fn expected() -> Expected {
    let pages = pages();
    let count = |needle: &str| -> usize {
        pages
            .values()
            .map(|t| t.lines().filter(|l| l.starts_with(needle)).count())
            .sum()
    };
    Expected {
        // The home page, the section index and one page per API.
        pages: 1 + pages.len(),
        diagrams: count("<pre class=\"mermaid\">"),
        tables: count("|---"),
    }
}

#[test]
#[cfg_attr(
    not(peer_docs_site),
    ignore = "needs hugo, chromium, node and `npm ci` in output-examples/docs and tests/browser (see the build warning)"
)]
fn every_page_of_both_sites_reads_well_in_headless_chromium() {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("docs-site");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();

    let before = listing(&site_source());
    let site = hugo(&site_source(), &scratch, "site");
    assert_eq!(
        listing(&site_source()),
        before,
        "building the site wrote into output-examples/docs"
    );
    let altinn = hugo(&altinn_site(&scratch), &scratch, "altinn");

    let screenshots = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("docs-screenshots");
    let _ = std::fs::remove_dir_all(&screenshots);
    let stdout = run(
        Command::new("node")
            .arg(workspace().join("tests/browser/check.mjs"))
            .arg("--screenshots")
            .arg(&screenshots)
            .arg(format!("site={},main", site.display()))
            .arg(format!("altinn={},.content", altinn.display())),
        "the browser check (tests/browser/check.mjs)",
    );
    println!("{stdout}");

    let results: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("`{l}`: {e}")))
        .collect();
    let want = expected();
    assert!(want.diagrams > 0 && want.tables > 0);
    for name in ["site", "altinn"] {
        let of_site: Vec<&Value> = results.iter().filter(|r| r["site"] == name).collect();
        let sum = |key: &str| -> u64 { of_site.iter().map(|r| r[key].as_u64().unwrap()).sum() };
        assert_eq!(of_site.len(), want.pages, "{name}: pages checked");
        assert_eq!(
            sum("diagrams"),
            want.diagrams as u64,
            "{name}: Mermaid blocks"
        );
        assert_eq!(sum("svgs"), want.diagrams as u64, "{name}: diagrams drawn");
        assert_eq!(sum("tables"), want.tables as u64, "{name}: tables");
        assert_eq!(sum("externalRequests"), 0, "{name}: external requests");
        assert!(
            sum("inPageLinks") > 0,
            "{name}: no in-page links were checked"
        );
        for r in &of_site {
            assert_eq!(r["failures"], Value::Array(vec![]), "{r}");
        }
        for kind in ["home", "section", "api"] {
            let shot = screenshots.join(format!("{name}-{kind}.png"));
            assert!(shot.is_file(), "no screenshot {}", shot.display());
        }
    }
    std::fs::remove_dir_all(&scratch).unwrap();
}
