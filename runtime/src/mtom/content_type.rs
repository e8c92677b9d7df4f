//! The `multipart/related` media type and its parameters (RFC 2387, RFC 2045 §5.1).

use crate::error::{Error, Result};

/// A parsed media type: `type/subtype` lower-cased, parameters with lower-cased names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaType {
    /// `type/subtype`, lower-cased.
    pub essence: String,
    /// The parameters in order, names lower-cased, values unquoted.
    pub params: Vec<(String, String)>,
}

impl MediaType {
    /// Parses `type/subtype; name=value; name="quoted \"value\""`.
    pub fn parse(value: &str) -> Result<Self> {
        let (essence, mut rest) = value.split_once(';').unwrap_or((value, ""));
        let essence = essence.trim().to_ascii_lowercase();
        if !essence.contains('/') {
            return Err(Error::Multipart(format!(
                "`{}` is not a media type",
                essence
            )));
        }
        let mut params = Vec::new();
        loop {
            rest = rest.trim_start_matches(|c: char| c == ';' || c.is_ascii_whitespace());
            if rest.is_empty() {
                break;
            }
            let (name, after) = rest.split_once('=').ok_or_else(|| {
                Error::Multipart(format!("media type parameter `{rest}` has no value"))
            })?;
            let (value, after) = param_value(after.trim_start())?;
            params.push((name.trim().to_ascii_lowercase(), value));
            rest = after;
        }
        Ok(Self { essence, params })
    }

    /// The value of parameter `name` (lower-case).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One parameter value, quoted or a token, and what follows it.
fn param_value(s: &str) -> Result<(String, &str)> {
    let Some(quoted) = s.strip_prefix('"') else {
        let end = s.find(';').unwrap_or(s.len());
        return Ok((s[..end].trim().to_owned(), &s[end..]));
    };
    let mut value = String::new();
    let mut chars = quoted.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((value, &quoted[i + 1..])),
            '\\' => match chars.next() {
                Some((_, escaped)) => value.push(escaped),
                None => break,
            },
            c => value.push(c),
        }
    }
    Err(Error::Multipart(format!(
        "unterminated quoted value `\"{quoted}`"
    )))
}

/// The parameters of an MTOM message's `Content-Type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// The boundary between parts (1 to 70 characters, RFC 2046).
    pub boundary: String,
    /// The root part's Content-ID without angle brackets; `None` means the first part.
    pub start: Option<String>,
    /// The root part's media type (`application/xop+xml` for MTOM).
    pub kind: Option<String>,
    /// The root part's inner media type (`text/xml` for SOAP 1.1, `application/soap+xml` for 1.2).
    pub start_info: Option<String>,
}

impl Related {
    /// Reads a `multipart/related` content type; anything else, or one without a usable
    /// boundary, is an error.
    pub fn parse(value: &str) -> Result<Self> {
        let media = MediaType::parse(value)?;
        if media.essence != "multipart/related" {
            return Err(Error::Multipart(format!(
                "expected multipart/related, got `{}`",
                media.essence
            )));
        }
        let boundary = media
            .param("boundary")
            .ok_or_else(|| Error::Multipart("the content type has no boundary".into()))?;
        if boundary.is_empty() || boundary.len() > 70 {
            return Err(Error::Multipart(format!(
                "the boundary must be 1 to 70 characters, it is {}",
                boundary.len()
            )));
        }
        Ok(Self {
            boundary: boundary.to_owned(),
            start: media.param("start").map(strip_angles).map(str::to_owned),
            kind: media.param("type").map(str::to_ascii_lowercase),
            start_info: media.param("start-info").map(str::to_owned),
        })
    }
}

/// `<id>` → `id`; a Content-ID without brackets is taken as written.
pub(crate) fn strip_angles(id: &str) -> &str {
    let id = id.trim();
    id.strip_prefix('<')
        .and_then(|i| i.strip_suffix('>'))
        .unwrap_or(id)
}

/// The Content-ID a `cid:` URL names (RFC 2392: the URL form is percent-encoded).
pub(crate) fn cid_from_href(href: &str) -> Option<String> {
    let rest = href.trim();
    let rest = rest
        .get(..4)
        .filter(|s| s.eq_ignore_ascii_case("cid:"))
        .map(|_| &rest[4..])?;
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let decoded = (bytes[i] == b'%')
            .then(|| rest.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match decoded {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_soap_and_wcf_content_types() {
        let r = Related::parse(
            "multipart/related; type=\"application/xop+xml\"; start=\"<e6a8@soap>\"; start-info=\"text/xml\"; boundary=\"----=_Part_0\"",
        )
        .expect("node-soap's form");
        assert_eq!(r.boundary, "----=_Part_0");
        assert_eq!(r.start.as_deref(), Some("e6a8@soap"));
        assert_eq!(r.kind.as_deref(), Some("application/xop+xml"));
        assert_eq!(r.start_info.as_deref(), Some("text/xml"));
        let r = Related::parse(
            "Multipart/Related;BOUNDARY=uuid:1b2c;Type=application/xop+xml;start=<root>;start-info=\"application/soap+xml; action=\\\"urn:x\\\"\"",
        )
        .expect("unquoted, mixed case");
        assert_eq!(r.boundary, "uuid:1b2c");
        assert_eq!(r.start.as_deref(), Some("root"));
        assert_eq!(
            r.start_info.as_deref(),
            Some("application/soap+xml; action=\"urn:x\"")
        );
    }

    #[test]
    fn refuses_what_cannot_be_split() {
        for bad in [
            "text/xml; charset=utf-8",
            "multipart/related; type=application/xop+xml",
            "multipart/related; boundary=\"\"",
            "multipart/related; boundary=\"open",
            "multipart/related; boundary",
            "nonsense",
        ] {
            assert!(
                matches!(Related::parse(bad), Err(Error::Multipart(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn cid_urls_are_percent_decoded() {
        assert_eq!(cid_from_href("cid:a%40b.c").as_deref(), Some("a@b.c"));
        assert_eq!(cid_from_href("CID:x%2"), Some("x%2".into()));
        assert_eq!(cid_from_href("http://x"), None);
        assert_eq!(strip_angles(" <a@b> "), "a@b");
    }
}
