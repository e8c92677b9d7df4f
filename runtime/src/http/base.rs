//! Base URLs with placeholders: `https://{org}.apps.altinn.no` names the host by a path
//! parameter of each call, so one client serves the apps of every owner. Each Altinn 3 app has
//! its own host (`{org}.apps.altinn.no`) while its API is the same for all; the owner is known
//! per request (looked up from the old service code), never per deployment.

use crate::error::{Error, Result};

/// A base URL split once, when the client is made, into literal text and placeholders, so a
/// request fills it without scanning the text again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    pieces: Vec<Piece>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Param(String),
}

impl Template {
    /// `base` split at its placeholders; `Err` for an unclosed brace or a name that is not a
    /// parameter name.
    pub(crate) fn parse(base: &str) -> std::result::Result<Self, String> {
        let mut pieces = Vec::new();
        let mut rest = base;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let close = after
                .find('}')
                .ok_or_else(|| format!("`{base}` opens a placeholder it never closes"))?;
            let name = &after[..close];
            let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
            if name.is_empty() || !name.chars().all(word) {
                return Err(format!("`{{{name}}}` in `{base}` is not a parameter name"));
            }
            pieces.push(Piece::Text(rest[..open].to_owned()));
            pieces.push(Piece::Param(name.to_owned()));
            rest = &after[close + 1..];
        }
        pieces.push(Piece::Text(rest.to_owned()));
        Ok(Template { pieces })
    }

    /// Whether it names any placeholder.
    pub(crate) fn is_fixed(&self) -> bool {
        !self.pieces.iter().any(|p| matches!(p, Piece::Param(_)))
    }

    /// The names of its placeholders, in order.
    pub(crate) fn params(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Param(n) => Some(n.as_str()),
            Piece::Text(_) => None,
        })
    }

    /// The base with each placeholder replaced by the value `vars` gives it. A value must be a
    /// DNS label (letters, digits, `-`): it becomes part of a host name, and anything else could
    /// point the request at another host.
    pub(crate) fn fill(&self, vars: &[(String, String)]) -> Result<String> {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Param(name) => out.push_str(self.value(name, vars)?),
            }
        }
        Ok(out)
    }

    fn value<'v>(&self, name: &str, vars: &'v [(String, String)]) -> Result<&'v str> {
        let value = vars
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| {
                Error::Request(format!(
                    "the base URL `{self}` names `{{{name}}}`, a path parameter this call does not send"
                ))
            })?;
        let label = !value.is_empty()
            && value.len() <= 63
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !value.starts_with('-')
            && !value.ends_with('-');
        if !label {
            return Err(Error::Request(format!(
                "`{value}` cannot stand for `{{{name}}}` in the base URL `{self}`: it must be a host name label (letters, digits, `-`)"
            )));
        }
        Ok(value)
    }
}

impl std::fmt::Display for Template {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for piece in &self.pieces {
            match piece {
                Piece::Text(t) => f.write_str(t)?,
                Piece::Param(n) => write!(f, "{{{n}}}")?,
            }
        }
        Ok(())
    }
}

/// `link` relative to `base` (no trailing `/`): the rest of an absolute URL that starts with
/// `base`, or of a path that starts with `base`'s path; `None` for anything else. The rest is
/// empty or starts a path segment or query, so `https://x/api` never matches `https://x/apix`.
pub(crate) fn below(base: &str, link: &str) -> Option<String> {
    let rest = match link.strip_prefix(base) {
        Some(rest) => rest,
        None if link.starts_with('/') && !link.starts_with("//") => {
            let after_scheme = base.split_once("://").map_or(base, |(_, r)| r);
            let base_path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
            link.strip_prefix(base_path)?
        }
        None => return None,
    };
    (rest.is_empty() || rest.starts_with(['/', '?'])).then(|| rest.to_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_next_link_is_followed_only_below_the_base() {
        let base = "https://platform.altinn.no/resourceregistry/api/v1";
        let next = "/access-lists/skd/x/members?token=abc";
        assert_eq!(below(base, &format!("{base}{next}")).as_deref(), Some(next));
        assert_eq!(
            below(base, &format!("/resourceregistry/api/v1{next}")).as_deref(),
            Some(next)
        );
        for elsewhere in [
            "https://evil.example/resourceregistry/api/v1/x",
            "https://platform.altinn.no/resourceregistry/api/v1x/y",
            "//evil.example/resourceregistry/api/v1/x",
            "/storage/api/v1/instances",
            "access-lists/skd",
        ] {
            assert_eq!(below(base, elsewhere), None, "{elsewhere}");
        }
    }

    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_host_is_named_by_the_call_s_parameter() {
        let base = Template::parse("https://{org}.apps.altinn.no").unwrap();
        assert_eq!(base.params().collect::<Vec<_>>(), ["org"]);
        assert!(!base.is_fixed());
        assert_eq!(base.to_string(), "https://{org}.apps.altinn.no");
        let filled = base.fill(&vars(&[("app", "mva"), ("org", "skd")])).unwrap();
        assert_eq!(filled, "https://skd.apps.altinn.no");
        let fixed = Template::parse("http://x").unwrap();
        assert!(fixed.is_fixed());
        assert_eq!(fixed.fill(&[]).unwrap(), "http://x");
    }

    #[test]
    fn a_value_that_could_change_the_host_is_refused() {
        let base = Template::parse("https://{org}.apps.altinn.no").unwrap();
        for bad in ["", "evil.example", "a/b", "a@b", "-x", "x:1", "ø"] {
            let err = base
                .fill(&vars(&[("org", bad)]))
                .expect_err(bad)
                .to_string();
            assert!(err.contains("host name label"), "{bad}: {err}");
        }
        let err = base.fill(&[]).expect_err("missing").to_string();
        assert!(err.contains("does not send"), "{err}");
    }

    #[test]
    fn malformed_placeholders_are_named() {
        let err = |base: &str| Template::parse(base).unwrap_err();
        assert!(err("https://{org.apps").contains("never closes"));
        assert!(err("https://{}.x").contains("not a parameter name"));
        assert!(err("https://{a b}.x").contains("not a parameter name"));
    }
}
