//! The plan vocabulary of altinn-bridge, defined once and shared: the generator parses the
//! manifest's words into these types, decides with them, and writes them into generated code;
//! the runtime's executor matches on them. Nothing here is parsed from a string per request.
//!
//! Each word list ([`Format`], [`Method`], [`Kind`], [`ParamIn`], [`Retry`]) is one table: its
//! variants, their spellings, [`parse`](Format::parse), [`as_str`](Format::as_str) and the list
//! of every spelling come from the same lines.

#![no_std]
#![deny(missing_docs)]

use core::fmt;

/// Declares a closed word list: the enum, its spellings, `ALL`, `parse`, `as_str`, `names`,
/// `Display`, and (with the `serde` feature) `Serialize` as the spelling.
macro_rules! words {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $spelling:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The variant spelled `s`, if any.
            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $( $spelling => Some($name::$variant), )+
                    _ => None,
                }
            }

            /// Its spelling.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $spelling, )+
                }
            }

            /// Every spelling, comma-separated (for "expected one of" messages).
            pub fn names() -> Names<Self> {
                Names(Self::ALL)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Spelled for $name {
            fn spelling(&self) -> &'static str {
                self.as_str()
            }
        }

        #[cfg(feature = "serde")]
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

/// A word with a spelling (every word list here).
pub trait Spelled {
    /// Its spelling.
    fn spelling(&self) -> &'static str;
}

/// Every spelling of a word list, displayed comma-separated.
pub struct Names<T: 'static>(&'static [T]);

impl<T: Spelled> fmt::Display for Names<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, w) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(w.spelling())?;
        }
        Ok(())
    }
}

words! {
    /// A format conversion a manifest names in a link's `format`.
    pub enum Format {
        /// A local or offset date-time to UTC (Altinn 2 sent Norwegian local time without
        /// offset).
        DateTimeUtc = "date-time-utc",
        /// Date-time to date.
        Date = "date",
        /// HTML to Markdown (Altinn 3 message bodies are Markdown).
        HtmlToMarkdown = "html-to-markdown",
        /// Plain text to Markdown (escaping Markdown syntax).
        TextToMarkdown = "text-to-markdown",
        /// base64 text to raw bytes (multipart uploads).
        Base64ToBinary = "base64-to-binary",
        /// Any scalar to its text form.
        String = "string",
        /// Text to an integer.
        Integer = "integer",
        /// Text to a deterministic UUID (version 5), e.g. an idempotency key from a shipment
        /// reference.
        UuidV5 = "uuid-v5",
        /// Text to a GUID (parsed, not derived): ids that an API gives as plain strings.
        Uuid = "uuid",
        /// Text to its UTF-8 bytes (XML text sent as a file, e.g. form data as a data element).
        Utf8 = "utf-8",
        /// The party id of an Altinn 3 instance id (`{partyId}/{instanceGuid}`) or instance URL
        /// (`…/instances/{partyId}/{instanceGuid}`, the `source` of an app event).
        InstancePartyId = "instance-party-id",
        /// The instance GUID of an Altinn 3 instance id or instance URL (as above).
        InstanceGuid = "instance-guid",
        /// Whether the source holds any value at all: `true` or `false`, once for all of them
        /// (an old "are there any?" answer computed from a search's ids).
        NonEmpty = "non-empty",
    }
}

words! {
    /// An HTTP method. Ordered as OpenAPI lists them, so endpoints on one path sort naturally.
    pub enum Method {
        /// `GET`.
        Get = "GET",
        /// `PUT`.
        Put = "PUT",
        /// `POST`.
        Post = "POST",
        /// `DELETE`.
        Delete = "DELETE",
        /// `OPTIONS`.
        Options = "OPTIONS",
        /// `HEAD`.
        Head = "HEAD",
        /// `PATCH`.
        Patch = "PATCH",
        /// `TRACE`.
        Trace = "TRACE",
    }
}

impl Method {
    /// From an OpenAPI path item key (`get`, `post`, ...: lower case only, as OpenAPI
    /// writes them).
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|m| {
            m.as_str().len() == key.len()
                && m.as_str()
                    .bytes()
                    .zip(key.bytes())
                    .all(|(a, b)| a.to_ascii_lowercase() == b)
        })
    }

    /// Idempotent by RFC 9110 (GET, HEAD, PUT, DELETE, OPTIONS, TRACE): sending it twice has
    /// the effect of sending it once. POST and PATCH are not.
    pub const fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

words! {
    /// The JSON kind a value becomes in a request body.
    pub enum Kind {
        /// A string.
        String = "string",
        /// An integer.
        Integer = "integer",
        /// A number.
        Number = "number",
        /// `true`/`false`.
        Boolean = "boolean",
        /// Raw bytes (a whole binary body or a file part).
        Bytes = "bytes",
        /// Whatever the value is (objects, arrays, untyped schemas).
        Any = "any",
    }
}

words! {
    /// Where a parameter goes. Cookies are not among them: the runtime sends none, so the
    /// generator refuses a link to a cookie parameter instead of moving it elsewhere.
    pub enum ParamIn {
        /// In the path template.
        Path = "path",
        /// In the query string.
        Query = "query",
        /// A request header.
        Header = "header",
    }
}

words! {
    /// Whether a call may be sent again after a failure whose outcome is unknown (a timeout, a
    /// broken connection, a 5XX), decided once by the generator and shown in the docs.
    pub enum Retry {
        /// Its method is idempotent ([`Method::is_idempotent`]): a repeat changes nothing more.
        IdempotentMethod = "idempotent-method",
        /// Its body carries an idempotency key the API deduplicates on.
        IdempotencyKey = "idempotency-key",
        /// Never once sent: a repeat could act twice. Only failures before the request left
        /// (no connection) are retried.
        Never = "never",
    }
}

/// The setting naming the organisation (nine digits) whose Altinn system user an API acting
/// through one uses; the facade fills it from its Maskinporten client's `system_user_org`.
pub const SYSTEM_USER_ORG: &str = "system_user_org";

/// How a request body is sent. `S` holds the media type of a raw body: `&'static str` in
/// generated code, an owned string in the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BodyKind<S = &'static str> {
    /// No body.
    None,
    /// JSON.
    Json,
    /// `multipart/form-data`, one part per file or field.
    Multipart,
    /// The bytes of one value, with this content type.
    Bytes(S),
}

impl<S: AsRef<str>> BodyKind<S> {
    /// The kind for a request body of `media_type`: JSON for `application/json` and any
    /// `+json` type, multipart for `multipart/*`, else raw bytes of that type.
    pub fn of_media_type(media_type: S) -> Self {
        let essence = media_type
            .as_ref()
            .split(';')
            .next()
            .unwrap_or_default()
            .trim();
        let json = essence.eq_ignore_ascii_case("application/json")
            || essence.len() > 5 && essence[essence.len() - 5..].eq_ignore_ascii_case("+json");
        if json {
            BodyKind::Json
        } else if essence.len() >= 10 && essence[..10].eq_ignore_ascii_case("multipart/") {
            BodyKind::Multipart
        } else {
            BodyKind::Bytes(media_type)
        }
    }

    /// Its name in the docs: `none`, `json`, `multipart` or the media type.
    pub fn describe(&self) -> &str {
        match self {
            BodyKind::None => "none",
            BodyKind::Json => "json",
            BodyKind::Multipart => "multipart",
            BodyKind::Bytes(m) => m.as_ref(),
        }
    }
}

/// Which failures a fault rule answers, as a manifest writes it: `404`, `4XX`, `default`,
/// `timeout`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StatusMatch {
    /// One status code.
    Exact(u16),
    /// A class: `4` for `4XX`.
    Class(u8),
    /// Any error status no other rule matches.
    Default,
    /// A timeout or broken connection (no status).
    Timeout,
}

impl StatusMatch {
    /// From the manifest spelling; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "default" => Some(StatusMatch::Default),
            "timeout" => Some(StatusMatch::Timeout),
            _ => {
                let b = s.as_bytes();
                if b.len() != 3 || !(b'1'..=b'5').contains(&b[0]) {
                    return None;
                }
                if b[1..].eq_ignore_ascii_case(b"XX") {
                    Some(StatusMatch::Class(b[0] - b'0'))
                } else {
                    s.parse().ok().map(StatusMatch::Exact)
                }
            }
        }
    }

    /// Every spelling's shape, for "expected" messages.
    pub const EXPECTED: &'static str = "a status (`404`), a class (`4XX`), `default` or `timeout`";
}

impl fmt::Display for StatusMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StatusMatch::Exact(s) => write!(f, "{s}"),
            StatusMatch::Class(c) => write!(f, "{c}XX"),
            StatusMatch::Default => f.write_str("default"),
            StatusMatch::Timeout => f.write_str("timeout"),
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for StatusMatch {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::string::ToString;

    #[test]
    fn every_spelling_parses_back() {
        for f in Format::ALL {
            assert_eq!(Format::parse(f.as_str()), Some(*f));
        }
        for m in Method::ALL {
            assert_eq!(Method::from_key(&m.as_str().to_ascii_lowercase()), Some(*m));
            assert_eq!(Method::parse(m.as_str()), Some(*m));
        }
        assert_eq!(Method::from_key("GET"), None);
        assert_eq!(Format::parse("date-time"), None);
        assert!(
            Format::names()
                .to_string()
                .starts_with("date-time-utc, date, ")
        );
    }

    #[test]
    fn body_kinds_follow_the_media_type_essence() {
        assert_eq!(BodyKind::of_media_type("application/json"), BodyKind::Json);
        assert_eq!(
            BodyKind::of_media_type("application/problem+json; charset=utf-8"),
            BodyKind::Json
        );
        assert_eq!(
            BodyKind::of_media_type("multipart/form-data"),
            BodyKind::Multipart
        );
        // Not JSON although the word is in it.
        assert_eq!(
            BodyKind::of_media_type("application/jsonl-archive"),
            BodyKind::Bytes("application/jsonl-archive")
        );
        assert_eq!(
            BodyKind::of_media_type("application/octet-stream").describe(),
            "application/octet-stream"
        );
    }

    #[test]
    fn status_matches_parse_and_print_as_written() {
        for s in ["404", "4XX", "5XX", "default", "timeout"] {
            assert_eq!(
                StatusMatch::parse(s).map(|m| m.to_string()).as_deref(),
                Some(s)
            );
        }
        assert_eq!(StatusMatch::parse("4xx"), Some(StatusMatch::Class(4)));
        for bad in ["40", "600", "XXX", "4X4", "", "Default"] {
            assert_eq!(StatusMatch::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn post_and_patch_are_the_methods_that_are_not_idempotent() {
        let not: std::vec::Vec<_> = Method::ALL.iter().filter(|m| !m.is_idempotent()).collect();
        assert_eq!(not, [&Method::Post, &Method::Patch]);
    }
}
