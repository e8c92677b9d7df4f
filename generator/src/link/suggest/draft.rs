//! The draft manifest: the best call per operation with its evidence as comments, field links,
//! configuration placeholders for required places nothing feeds, a drop with a reason for every
//! other SOAP field, credentials under `[auth]`, and `no_successor` with the reason where
//! `suggest` abstained. It is meant to pass `check` as written; every choice is for review.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::{Suggestion, suggest};
use crate::model::{RestContract, SoapContract};

/// A draft manifest for `soap` against `rest`. Source paths are written as given; only the
/// specs a proposed call comes from are listed.
pub fn draft(
    soap: &SoapContract,
    rest: &[&RestContract],
    wsdl_path: &str,
    openapi_paths: &[String],
) -> String {
    let suggestions = suggest(soap, rest);
    let used: BTreeSet<usize> = suggestions
        .iter()
        .filter(|s| s.no_successor.is_none())
        .filter_map(|s| s.candidates.first().map(|c| c.api))
        .collect();
    let listed: Vec<usize> = if used.is_empty() {
        (0..openapi_paths.len().min(1)).collect()
    } else {
        used.into_iter().collect()
    };
    let mut out = String::new();
    out.push_str("# Draft mapping manifest written by `altinn-bridge suggest`.\n");
    out.push_str("# Every call, link, drop and placeholder below is a guess with its evidence: review each,\n");
    out.push_str("# replace each `config` placeholder or link a field to it, then run `altinn-bridge check`.\n");
    let openapi: Vec<String> = listed.iter().map(|i| q(&openapi_paths[*i])).collect();
    let _ = write!(
        out,
        "api = {}\nstrategy = 1\n\n[sources]\nwsdl = {}\nopenapi = [{}]\n",
        q(&soap.name),
        q(wsdl_path),
        openapi.join(", ")
    );
    auth(&mut out, soap, &suggestions);
    for s in &suggestions {
        operation(&mut out, s);
    }
    out
}

/// `[auth]`: every credential field of every operation (they count as consumed).
fn auth(out: &mut String, soap: &SoapContract, suggestions: &[Suggestion]) {
    let mut fields: BTreeSet<String> = BTreeSet::new();
    for op in &soap.operations {
        fields.extend(
            crate::link::resolve::input_leaves(&soap.types, op)
                .into_iter()
                .filter(|l| super::is_credential(l)),
        );
    }
    let _ = suggestions;
    if fields.is_empty() {
        out.push_str("\n[auth]\nold = \"none\"\nscopes = []\n");
        return;
    }
    out.push_str("\n[auth]\n# The old user names and passwords: Maskinporten tokens replace them.\nold = \"system-user-password\"\nold_fields = [\n");
    for f in &fields {
        let _ = writeln!(out, "    {},", q(f));
    }
    out.push_str("]\nscopes = []  # the Maskinporten scopes of the calls below\n");
}

fn operation(out: &mut String, s: &Suggestion) {
    let _ = write!(out, "\n[[operations]]\nsoap = {}\n", q(&s.operation));
    for c in &s.candidates {
        let _ = writeln!(
            out,
            "# {:.3}  {}  ({})",
            c.score,
            c.endpoint,
            c.reasons.join("; ")
        );
    }
    if let Some(why) = &s.no_successor {
        let _ = writeln!(
            out,
            "no_successor = {}",
            q(&format!("{why} (suggest; review)"))
        );
        return;
    }
    let f = &s.fields;
    out.push_str("calls = [\n");
    for c in &f.calls {
        let each = c
            .for_each
            .as_ref()
            .map(|e| format!(", for_each = {}", q(e)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    {{ name = {}, endpoint = {}{each} }},  # {}",
            q(&c.name),
            q(&c.endpoint),
            c.why
        );
    }
    out.push_str("]\n");
    let into = |i: &Option<String>| {
        i.as_ref()
            .map(|i| format!("into = {}\n", q(i)))
            .unwrap_or_default()
    };
    for l in &f.inputs {
        let why = match (&l.call, l.score) {
            (Some(_), _) => "each id the search found".to_owned(),
            (None, s) if s < 0.6 => {
                "an id for an id (types agree; names differ: review)".to_owned()
            }
            (None, s) => format!("names match ({s:.2})"),
        };
        let call = l
            .call
            .as_ref()
            .map(|c| format!("call = {}\n", q(c)))
            .unwrap_or_default();
        let lookup = l
            .lookup()
            .map(|t| format!("lookup = {}  # Altinn 2 service codes became Altinn 3 resource ids: supply the table\n", q(t)))
            .unwrap_or_default();
        let _ = write!(
            out,
            "\n[[operations.inputs]]  # {why}\n{}{call}from = {}\nto = {}\n{}{lookup}",
            into(&l.into),
            q(&l.from),
            q(&l.to),
            format_line(l.format)
        );
    }
    for c in &f.config {
        let _ = write!(
            out,
            "\n[[operations.inputs]]  # required by the call; no SOAP field found: a placeholder to supply or replace\n{}config = {}\nto = {}\n",
            into(&c.into),
            q(&c.key),
            q(&c.to)
        );
    }
    for (leaf, why) in &f.dropped {
        let _ = write!(
            out,
            "\n[[operations.inputs]]\nfrom = {}\ndrop = {}\n",
            q(leaf),
            q(why)
        );
    }
    for l in &f.outputs {
        let _ = write!(
            out,
            "\n[[operations.outputs]]  # names match ({:.2})\nfrom = {}\nto = {}\n{}",
            l.score,
            q(&l.from),
            q(&l.to),
            format_line(l.format)
        );
    }
}

fn format_line(f: Option<&str>) -> String {
    f.map(|f| format!("format = {}\n", q(f)))
        .unwrap_or_default()
}

/// A TOML basic string.
pub fn q(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(o, "\\u{:04X}", c as u32);
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(q("a\"b\\c"), "\"a\\\"b\\\\c\"");
    }
}
