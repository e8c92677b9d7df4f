//! Reading an envelope's structure and cutting out self-contained raw XML for its parts.

use super::tree::{Decl, Element, Node, add_prefix, add_value_prefix};
use super::{Envelope, HeaderBlock, RawElement, SoapVersion};
use crate::error::{Error, Result};

/// Checks the envelope's structure and extracts its header blocks and body element.
pub(crate) fn envelope(src: &str, root: &Element) -> Result<Envelope> {
    if root.name.local != "Envelope" {
        return Err(Error::NotEnvelope(root.name.to_string()));
    }
    let version = SoapVersion::from_namespace(&root.name.ns)
        .ok_or_else(|| Error::NotEnvelope(root.name.to_string()))?;
    let ns = version.namespace();
    no_text(root)?;
    let parts: Vec<&Element> = root.elements().collect();
    let (header, body) = match parts.as_slice() {
        [b] if b.name.is(ns, "Body") => (None, *b),
        [h, b] if h.name.is(ns, "Header") && b.name.is(ns, "Body") => (Some(*h), *b),
        _ => {
            return Err(Error::Envelope(
                "expected an optional Header followed by a Body".into(),
            ));
        }
    };
    let mut headers = Vec::new();
    if let Some(header) = header {
        no_text(header)?;
        for block in header.elements() {
            headers.push(HeaderBlock {
                element: cut(src, block, &[root, header]),
                must_understand: must_understand(block, version)?,
            });
        }
    }
    no_text(body)?;
    let mut children = body.elements();
    let (Some(child), None) = (children.next(), children.next()) else {
        return Err(Error::Envelope(
            "the Body must hold exactly one element".into(),
        ));
    };
    Ok(Envelope {
        version,
        headers,
        body: cut(src, child, &[root, body]),
    })
}

fn no_text(e: &Element) -> Result<()> {
    if e.has_text() {
        return Err(Error::Envelope(format!(
            "text is not allowed directly inside {}",
            e.name.local
        )));
    }
    Ok(())
}

fn must_understand(block: &Element, version: SoapVersion) -> Result<bool> {
    match block
        .attr(version.namespace(), "mustUnderstand")
        .map(str::trim)
    {
        None | Some("0") => Ok(false),
        Some("1") => Ok(true),
        Some("false") if version == SoapVersion::V12 => Ok(false),
        Some("true") if version == SoapVersion::V12 => Ok(true),
        Some(other) => Err(Error::Envelope(format!(
            "mustUnderstand=\"{other}\" is not a valid value"
        ))),
    }
}

/// The source text of `e`, with the ancestor declarations of every prefix it uses added to its
/// start tag. Declarations it does not use are left out, so cutting a written envelope again gives
/// the same text.
pub(crate) fn cut(src: &str, e: &Element, ancestors: &[&Element]) -> RawElement {
    let scope: Vec<&Decl> = ancestors.iter().flat_map(|a| a.decls.iter()).collect();
    let mut used = Vec::new();
    collect_prefixes(e, &mut used);
    let mut added = String::new();
    for prefix in used {
        let declared_here = e.decls.iter().any(|(p, _)| *p == prefix);
        if declared_here || prefix.as_deref() == Some("xml") {
            continue;
        }
        let Some((_, uri)) = scope.iter().rev().find(|(p, _)| *p == prefix) else {
            continue;
        };
        let uri = quick_xml::escape::escape(uri.as_str());
        match prefix {
            Some(p) => added.push_str(&format!(" xmlns:{p}=\"{uri}\"")),
            None => added.push_str(&format!(" xmlns=\"{uri}\"")),
        }
    }
    let xml = format!(
        "{}{}{}",
        &src[e.start..e.name_end],
        added,
        &src[e.name_end..e.end]
    );
    RawElement {
        name: e.name.clone(),
        xml,
    }
}

/// Every prefix the subtree uses, sorted: in names and in QName-shaped values.
fn collect_prefixes(e: &Element, used: &mut Vec<Option<String>>) {
    for p in &e.used_below {
        add_prefix(used, p.clone());
    }
    add_prefix(used, e.prefix.clone());
    for a in &e.attrs {
        if a.prefix.is_some() {
            add_prefix(used, a.prefix.clone());
        }
        add_value_prefix(used, &a.value);
    }
    for child in &e.children {
        match child {
            Node::Element(c) => collect_prefixes(c, used),
            Node::Text(t) => add_value_prefix(used, t),
        }
    }
}
