//! The committed mapping pages (`output-examples/docs/content/mappings`), parsed as a reader's
//! Markdown renderer sees them: every table row has the header's number of cells, every link
//! resolves, every heading is unique on its page (Altinn's heading hook does not de-duplicate
//! ids), every Mermaid block (a raw `<pre class="mermaid">`) is a well-formed sequence diagram,
//! the front matter has what Altinn's docs use, no manifest syntax shows, and no table cell
//! holds a run of text too long to wrap. `docs_site.rs` checks the built site in a browser.
//!
//! Cell counts are taken from the raw source lines of each table pulldown-cmark finds, because a
//! renderer silently pads or truncates rows; counting its cells could never fail.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

fn pages_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../output-examples/docs/content/mappings")
}

fn pages() -> Vec<(PathBuf, String)> {
    let mut v: Vec<(PathBuf, String)> = std::fs::read_dir(pages_dir())
        .expect("the docs are committed")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect();
    v.sort();
    assert!(v.len() >= 2, "expected the index and at least one API page");
    v
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
}

/// Cells in one raw table line: unescaped `|` separators, with the optional outer pipes removed.
fn raw_cells(line: &str) -> usize {
    let line = line.trim();
    let mut cells = 1;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => cells += 1,
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    cells
        - usize::from(line.starts_with('|'))
        - usize::from(line.ends_with('|') && !line.ends_with("\\|"))
}

#[test]
fn every_table_row_has_the_headers_number_of_cells() {
    let mut tables = 0;
    for (path, text) in pages() {
        for (event, range) in Parser::new_ext(&text, options()).into_offset_iter() {
            if !matches!(event, Event::Start(Tag::Table(_))) {
                continue;
            }
            tables += 1;
            let lines: Vec<&str> = text[range.clone()]
                .lines()
                .filter(|l| !l.trim().is_empty())
                .collect();
            let header = raw_cells(lines[0]);
            assert!(
                header >= 2,
                "{}: a table needs at least two columns",
                path.display()
            );
            for (i, line) in lines.iter().enumerate() {
                let line_no = text[..range.start].lines().count() + i + 1;
                assert_eq!(
                    raw_cells(line),
                    header,
                    "{}:{line_no}: `{line}`",
                    path.display()
                );
            }
        }
    }
    assert!(tables > 0, "no tables found");
}

/// Hugo's default heading ids (goldmark `github` style): lower case, spaces to `-`, and only
/// letters, digits, `-` and `_` kept.
fn anchor(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The ids of a page's headings below the title, in order, as Hugo and Altinn's hook make them.
fn heading_ids(text: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut heading: Option<String> = None;
    for event in Parser::new_ext(text, options()) {
        match event {
            Event::Start(Tag::Heading { level, .. }) if level != HeadingLevel::H1 => {
                heading = Some(String::new())
            }
            Event::Text(t) | Event::Code(t) if heading.is_some() => {
                heading.as_mut().unwrap().push_str(&t)
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take() {
                    ids.push(anchor(&h));
                }
            }
            _ => {}
        }
    }
    ids
}

#[test]
fn every_heading_is_unique_on_its_page() {
    let mut headings = 0;
    for (path, text) in pages() {
        let mut seen = BTreeSet::new();
        for id in heading_ids(&text) {
            headings += 1;
            assert!(
                seen.insert(id.clone()),
                "{}: two headings have the id `{id}`; with Altinn's heading hook their links collide",
                path.display()
            );
        }
    }
    assert!(headings > 20, "only {headings} headings found");
}

#[test]
fn every_link_resolves() {
    let mut links = 0;
    for (path, text) in pages() {
        let anchors: BTreeSet<String> = heading_ids(&text).into_iter().collect();
        let targets: Vec<String> = Parser::new_ext(&text, options())
            .filter_map(|e| match e {
                Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
                _ => None,
            })
            .collect();
        for t in targets {
            links += 1;
            if let Some(a) = t.strip_prefix('#') {
                assert!(
                    anchors.contains(a),
                    "{}: `#{a}` is not a heading; headings: {anchors:?}",
                    path.display()
                );
            } else if let Some(slug) = t.strip_suffix('/') {
                // From the section index, `slug/` is the page `slug.md` beside it.
                let page = path.parent().unwrap().join(format!("{slug}.md"));
                assert!(
                    page.is_file(),
                    "{}: `{t}` points at {}, which does not exist",
                    path.display(),
                    page.display()
                );
            } else {
                panic!(
                    "{}: unexpected link `{t}` (expected `#anchor` or `page/`)",
                    path.display()
                );
            }
        }
    }
    assert!(links > 0, "no links found");
}

/// The diagrams of a page: the text of each raw `<pre class="mermaid">` HTML block, entities
/// decoded as the browser decodes them before Mermaid reads the text.
fn diagrams(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut block: Option<String> = None;
    for event in Parser::new_ext(text, options()) {
        match event {
            Event::Start(Tag::HtmlBlock) => block = Some(String::new()),
            Event::Html(h) if block.is_some() => block.as_mut().unwrap().push_str(&h),
            Event::End(TagEnd::HtmlBlock) => {
                let html = block.take().unwrap_or_default();
                if let Some(body) = html.strip_prefix("<pre class=\"mermaid\">\n") {
                    let body = body.trim_end().strip_suffix("</pre>").unwrap_or_else(|| {
                        panic!("a Mermaid block does not end with </pre>:\n{html}")
                    });
                    out.push(
                        body.replace("&lt;", "<")
                            .replace("&gt;", ">")
                            .replace("&amp;", "&"),
                    );
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn every_mermaid_block_is_a_sequence_diagram() {
    let mut count = 0;
    for (path, text) in pages() {
        for body in diagrams(&text) {
            count += 1;
            if let Err(e) = sequence::check(&body) {
                panic!(
                    "{}: Mermaid block {count} is not a valid sequence diagram: {e}\n{body}",
                    path.display()
                );
            }
            for label in body.lines().filter_map(|l| l.trim().strip_prefix("loop")) {
                assert!(
                    !matches!(label.trim(), "" | "each"),
                    "{}: a loop with nothing named: `loop{label}`",
                    path.display()
                );
            }
        }
        assert!(
            !text.contains("```mermaid"),
            "{}: a fenced Mermaid block needs a render hook that Altinn's site does not have",
            path.display()
        );
    }
    assert!(
        count > 0,
        "expected at least one multi-call operation with a diagram"
    );
}

#[test]
fn front_matter_has_what_altinns_docs_use() {
    for (path, text) in pages() {
        let front = text
            .strip_prefix("---\n")
            .and_then(|t| t.split_once("\n---\n"))
            .map(|(f, _)| f)
            .unwrap_or_else(|| panic!("{}: no front matter", path.display()));
        for key in ["title", "linktitle", "description", "weight", "tags"] {
            assert!(
                front.lines().any(|l| l.starts_with(&format!("{key}: "))),
                "{}: front matter without `{key}`",
                path.display()
            );
        }
        assert!(
            front.lines().any(|l| l == "toc: true"),
            "{}: front matter without `toc: true`",
            path.display()
        );
    }
}

#[test]
fn no_manifest_syntax_or_unnamed_loop_shows() {
    for (path, text) in pages() {
        for bad in [
            "← =",
            "for each `[]`",
            "for each <code>\\[\\]</code>",
            "constant `",
        ] {
            assert!(
                !text.contains(bad),
                "{}: `{bad}` shows manifest syntax or an unnamed loop",
                path.display()
            );
        }
    }
}

/// The longest run a browser cannot break: HTML tags, `<wbr>` and spaces are break points, a
/// backtick code span is one run, and a link's destination is not shown.
fn longest_run(cell: &str) -> String {
    let mut shown = String::new();
    let mut rest = cell;
    while let Some(i) = rest.find("](") {
        shown.push_str(&rest[..i]);
        rest = rest[i + 2..].split_once(')').map_or("", |(_, after)| after);
    }
    shown.push_str(rest);
    let mut longest = String::new();
    for piece in shown.split("<wbr>") {
        let mut text = String::new();
        let mut in_tag = false;
        for c in piece.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => {
                    in_tag = false;
                    text.push(' ');
                }
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        let mut spans = text.split('`');
        let mut runs: Vec<String> = Vec::new();
        let mut code = false;
        for part in spans.by_ref() {
            if code {
                runs.push(part.to_owned());
            } else {
                runs.extend(part.split_whitespace().map(str::to_owned));
            }
            code = !code;
        }
        for r in runs {
            let r = r.replace('\\', "");
            if r.chars().count() > longest.chars().count() {
                longest = r;
            }
        }
    }
    longest
}

#[test]
fn no_table_cell_holds_text_too_long_to_wrap() {
    // 40 characters of code are about 270 px: a third of Altinn's 860 px column.
    const MAX: usize = 40;
    let mut cells = 0;
    for (path, text) in pages() {
        for line in text
            .lines()
            .filter(|l| l.starts_with('|') && !l.starts_with("|---"))
        {
            for cell in line.split(" | ") {
                cells += 1;
                let run = longest_run(cell.trim_matches('|'));
                assert!(
                    run.chars().count() <= MAX,
                    "{}: `{run}` cannot wrap ({} characters) in `{line}`",
                    path.display(),
                    run.chars().count()
                );
            }
        }
    }
    assert!(cells > 100, "only {cells} cells found");
    assert_eq!(longest_run("<code>a/<wbr>bcd</code> e"), "bcd");
    assert_eq!(longest_run("`a b c` d"), "a b c");
    assert_eq!(
        longest_run("[Op](#a-very-long-anchor-of-an-operation) x"),
        "[Op"
    );
}

#[test]
fn the_sequence_checker_rejects_what_mermaid_rejects() {
    let ok = "sequenceDiagram\n    participant A as Old\n    A->>B: hello\n    loop each\n    B-->>A: x\n    end\n";
    assert!(sequence::check(ok).is_ok());
    assert!(
        sequence::check("graph TD\n A-->B\n")
            .unwrap_err()
            .contains("sequenceDiagram")
    );
    assert!(
        sequence::check("sequenceDiagram\n loop x\n A->>B: y\n")
            .unwrap_err()
            .contains("unclosed")
    );
    assert!(
        sequence::check("sequenceDiagram\n end\n")
            .unwrap_err()
            .contains("without")
    );
    assert!(
        sequence::check("sequenceDiagram\n A=>B: y\n")
            .unwrap_err()
            .contains("line 2")
    );
    assert!(
        sequence::check("sequenceDiagram\n A->>B: a; b\n")
            .unwrap_err()
            .contains(";")
    );
}

/// A checker for Mermaid's `sequenceDiagram` grammar (participants, messages with every arrow
/// Mermaid knows, notes, activations, and the block statements with balanced `end`s).
mod sequence {
    const ARROWS: &[&str] = &["-->>", "->>", "-->", "->", "--x", "-x", "--)", "-)"];
    const BLOCKS: &[&str] = &["loop", "alt", "opt", "par", "critical", "break", "rect"];

    pub fn check(src: &str) -> Result<(), String> {
        let mut lines = src
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty() && !l.trim().starts_with("%%"));
        match lines.next() {
            Some((_, l)) if l.trim() == "sequenceDiagram" => {}
            _ => return Err("the first line must be `sequenceDiagram`".into()),
        }
        let mut open: Vec<&str> = Vec::new();
        for (i, raw) in lines {
            let line = raw.trim();
            let no = i + 1;
            let keyword = line.split_whitespace().next().unwrap_or("");
            match keyword {
                "participant" | "actor" => {
                    let rest = line[keyword.len()..].trim();
                    let id = rest.split(" as ").next().unwrap_or("").trim();
                    if !is_id(id) {
                        return Err(format!("line {no}: bad participant `{rest}`"));
                    }
                }
                "autonumber" | "title" => {}
                "activate" | "deactivate" if is_id(line[keyword.len()..].trim()) => {}
                "Note" | "note" => {
                    let rest = line[keyword.len()..].trim_start();
                    let placed = ["left of ", "right of ", "over "]
                        .iter()
                        .any(|p| rest.starts_with(p));
                    if !placed || !rest.contains(':') {
                        return Err(format!(
                            "line {no}: a note needs `left of|right of|over X: text`"
                        ));
                    }
                }
                k if BLOCKS.contains(&k) => open.push(k),
                "else" if open.last() == Some(&"alt") => {}
                "and" if open.last() == Some(&"par") => {}
                "end" => {
                    if open.pop().is_none() {
                        return Err(format!("line {no}: `end` without an open block"));
                    }
                }
                _ => message(line).map_err(|e| format!("line {no}: {e}"))?,
            }
        }
        match open.last() {
            Some(b) => Err(format!("unclosed `{b}` block")),
            None => Ok(()),
        }
    }

    fn message(line: &str) -> Result<(), String> {
        let (head, text) = line
            .split_once(':')
            .ok_or("a message needs `A->>B: text`")?;
        if text.contains(';') || text.contains('#') {
            return Err("`;` and `#` are not allowed in message text".into());
        }
        let arrow = ARROWS
            .iter()
            .filter_map(|a| head.find(a).map(|i| (i, *a)))
            .min_by_key(|(i, a)| (*i, std::cmp::Reverse(a.len())))
            .ok_or_else(|| format!("no arrow in `{head}`"))?;
        let (from, to) = (
            head[..arrow.0].trim(),
            head[arrow.0 + arrow.1.len()..].trim(),
        );
        let to = to.trim_start_matches(['+', '-']);
        if is_id(from) && is_id(to) {
            Ok(())
        } else {
            Err(format!("bad participants in `{head}`"))
        }
    }

    fn is_id(s: &str) -> bool {
        !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_')
    }
}
