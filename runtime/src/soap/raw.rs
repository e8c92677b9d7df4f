//! Reading an envelope's structure and cutting out self-contained raw XML for its parts.

use super::tree::Element;
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
    let text = &src[e.start..e.end];
    let mut added = String::new();
    let mut done: Vec<&Option<String>> = e.decls.iter().map(|(p, _)| p).collect();
    // Innermost first, so a redeclared prefix takes its nearest binding.
    for (prefix, uri) in ancestors.iter().rev().flat_map(|a| a.decls.iter().rev()) {
        if done.contains(&prefix) {
            continue;
        }
        done.push(prefix);
        let uri = quick_xml::escape::escape(uri.as_str());
        match prefix {
            Some(p) if uses_prefix(text, p) => added.push_str(&format!(" xmlns:{p}=\"{uri}\"")),
            // The default namespace is kept whenever an ancestor sets it: unprefixed names use it.
            None => added.push_str(&format!(" xmlns=\"{uri}\"")),
            Some(_) => {}
        }
    }
    let split = e.name_end - e.start;
    let xml = format!("{}{}{}", &text[..split], added, &text[split..]);
    RawElement {
        name: e.name.clone(),
        xml,
    }
}

/// Whether `p:` occurs at the start of a name or value in `xml`: element and attribute names,
/// and QName-shaped values (`xsi:type="q1:T"`, fault codes) that XML cannot tell from text. It
/// may say yes for text that merely looks like a QName; that only adds an unused declaration.
fn uses_prefix(xml: &str, p: &str) -> bool {
    let needle = format!("{p}:");
    xml.match_indices(&needle).any(|(i, _)| {
        xml[..i]
            .chars()
            .next_back()
            .is_none_or(|c| matches!(c, '<' | '/' | '"' | '\'' | '>') || c.is_whitespace())
    })
}
