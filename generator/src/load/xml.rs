//! Hardened XML parsing on roxmltree: DTDs refused, node count and depth bounded, errors with
//! file, line and column.

use super::Limits;
use crate::diag::{Diagnostic, FileId, SourceMap, Span};

/// Parses one file of the source map. The document borrows `text`, which callers clone out of
/// the map (`Arc<str>`) so they can keep adding files while it is alive.
pub fn parse<'t>(
    sources: &SourceMap,
    file: FileId,
    text: &'t str,
    limits: &Limits,
) -> Result<roxmltree::Document<'t>, Diagnostic> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: limits.max_xml_nodes,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options)
        .map_err(|e| parse_error(sources, file, text, &e))?;
    check_depth(&doc, file, limits.max_xml_depth)?;
    Ok(doc)
}

/// The span of an element's start tag name, or of the whole node for others.
pub fn node_span(file: FileId, node: roxmltree::Node<'_, '_>) -> Span {
    let r = node.range();
    // Point at `<name` rather than the whole element, which may run for thousands of lines.
    let end = node
        .attributes()
        .next()
        .map(|a| a.range_qname().start)
        .unwrap_or(r.end)
        .min(r.start + 1 + node.tag_name().name().len() + 32);
    Span::new(file, r.start..end.max(r.start + 1))
}

/// The span of an attribute's value, falling back to the element.
pub fn attr_span(file: FileId, node: roxmltree::Node<'_, '_>, name: &str) -> Span {
    node.attributes()
        .find(|a| a.name() == name && a.namespace().is_none())
        .map(|a| Span::new(file, a.range_value()))
        .unwrap_or_else(|| node_span(file, node))
}

fn check_depth(doc: &roxmltree::Document<'_>, file: FileId, max: usize) -> Result<(), Diagnostic> {
    // Iterative walk: recursion here would be the very stack overflow the limit prevents.
    let mut stack = vec![(doc.root(), 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth > max {
            return Err(
                Diagnostic::error(format!("XML nested deeper than {max} elements"))
                    .at(node_span(file, node), "too deep here")
                    .note("deep nesting is refused to bound memory and stack use"),
            );
        }
        stack.extend(
            node.children()
                .filter(|c| c.is_element())
                .map(|c| (c, depth + 1)),
        );
    }
    Ok(())
}

fn parse_error(sources: &SourceMap, file: FileId, text: &str, e: &roxmltree::Error) -> Diagnostic {
    use roxmltree::Error as E;
    let f = sources.file(file);
    let pos = e.pos();
    let at = f.offset_of(pos.row as usize, pos.col as usize);
    let span = Span::new(file, at..(at + 1).min(text.len()).max(at));
    let (headline, note) = match e {
        E::DtdDetected => (
            "DTDs are not allowed in contracts".to_owned(),
            "document type declarations and entities are refused (XXE, entity expansion)",
        ),
        E::EntityReferenceLoop(_) | E::UnknownEntityReference(..) => (
            format!("entity reference refused: {e}"),
            "only the five predefined XML entities and character references are accepted",
        ),
        E::NodesLimitReached => (
            "too many XML nodes".to_owned(),
            "the document exceeds the node limit; it is refused to bound memory use",
        ),
        E::UnknownNamespace(prefix, _) => (
            format!("unknown namespace prefix `{prefix}`"),
            "expected an `xmlns:PREFIX` declaration on this element or an ancestor",
        ),
        _ => (
            format!("malformed XML: {e}"),
            "expected well-formed XML 1.0",
        ),
    };
    let d = Diagnostic::error(headline).note(note);
    if matches!(e, E::DtdDetected | E::NodesLimitReached) && pos.row <= 1 && pos.col <= 1 {
        // roxmltree gives no position for these; point at the DOCTYPE if there is one.
        return match text.find("<!DOCTYPE") {
            Some(i) => d.at(Span::new(file, i..i + 9), "refused here"),
            None => d.at(span, ""),
        };
    }
    d.at(span, "here")
}
