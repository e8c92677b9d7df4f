//! Writing XML without prefixes to manage: each element's namespace becomes the default
//! namespace where it changes (`xmlns="..."`, `xmlns=""` for unqualified children), so the
//! output is the same whatever prefixes the input had.

use super::{XSI_NS, XmlError};

/// Builds one XML document. Start an element, add attributes, then text or children, then end it.
#[derive(Debug, Default)]
pub struct XmlWriter {
    out: String,
    /// The default namespace in scope for each open element.
    open: Vec<(String, String)>,
    /// A start tag not yet closed with `>` (attributes may still be added).
    pending: bool,
    /// (namespace, prefix) declared for qualified attributes on the pending tag.
    attr_prefixes: Vec<(String, String)>,
}

impl XmlWriter {
    /// An empty document.
    pub fn new() -> Self {
        XmlWriter::default()
    }

    /// Opens `{ns}local`.
    pub fn start(&mut self, ns: &str, local: &str) {
        self.close_pending();
        let inherited = self.open.last().map_or("", |(d, _)| d.as_str());
        self.out.push('<');
        self.out.push_str(local);
        if ns != inherited {
            self.out.push_str(" xmlns=\"");
            escape_into(&mut self.out, ns, true);
            self.out.push('"');
        }
        self.open.push((ns.to_owned(), local.to_owned()));
        self.pending = true;
        self.attr_prefixes.clear();
    }

    /// Adds an attribute to the element just started (before any text or child).
    pub fn attribute(&mut self, ns: &str, local: &str, value: &str) -> Result<(), XmlError> {
        if !self.pending {
            return Err(XmlError::Writer("attribute after content"));
        }
        self.out.push(' ');
        if !ns.is_empty() {
            // Attributes never take the default namespace, so a qualified one needs a prefix.
            let known = self.attr_prefixes.iter().find(|(n, _)| n == ns);
            let prefix = match known {
                Some((_, p)) => p.clone(),
                None => {
                    let p = if ns == XSI_NS {
                        "xsi".to_owned()
                    } else {
                        format!("a{}", self.attr_prefixes.len())
                    };
                    self.out.push_str(&format!("xmlns:{p}=\""));
                    escape_into(&mut self.out, ns, true);
                    self.out.push_str("\" ");
                    self.attr_prefixes.push((ns.to_owned(), p.clone()));
                    p
                }
            };
            self.out.push_str(&prefix);
            self.out.push(':');
        }
        self.out.push_str(local);
        self.out.push_str("=\"");
        escape_into(&mut self.out, value, true);
        self.out.push('"');
        Ok(())
    }

    /// Marks the element just started `xsi:nil="true"`.
    pub fn nil(&mut self) -> Result<(), XmlError> {
        self.attribute(XSI_NS, "nil", "true")
    }

    /// Adds text to the current element.
    pub fn text(&mut self, text: &str) {
        self.close_pending();
        escape_into(&mut self.out, text, false);
    }

    /// Closes the current element.
    pub fn end(&mut self) -> Result<(), XmlError> {
        let (_, local) = self
            .open
            .pop()
            .ok_or(XmlError::Writer("end without start"))?;
        if self.pending {
            self.out.push_str("/>");
            self.pending = false;
        } else {
            self.out.push_str("</");
            self.out.push_str(&local);
            self.out.push('>');
        }
        Ok(())
    }

    /// The document, once every element is closed.
    pub fn finish(self) -> Result<String, XmlError> {
        if !self.open.is_empty() {
            return Err(XmlError::Writer("unclosed element"));
        }
        Ok(self.out)
    }

    fn close_pending(&mut self) {
        if self.pending {
            self.out.push('>');
            self.pending = false;
        }
    }
}

fn escape_into(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' if attribute => out.push_str("&quot;"),
            // Kept as references so attribute-value normalisation and CR handling cannot change them.
            '\r' => out.push_str("&#13;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
}
