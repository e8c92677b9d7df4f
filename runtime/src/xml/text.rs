//! Scalars as XML text. Numbers, booleans and strings map to Rust types; values whose lexical
//! form matters (decimals, big integers, dates, GUIDs) are kept as validated text, so nothing is
//! lost or reformatted on the way through.

use std::borrow::Cow;

use base64::Engine as _;

use super::XmlError;

/// A value written as element or attribute text.
pub trait XmlText: Sized {
    /// Parses the text (whitespace around non-string values is ignored, as XSD collapses it).
    fn from_text(text: &str) -> Result<Self, XmlError>;
    /// The text form.
    fn to_text(&self) -> Cow<'_, str>;
}

impl XmlText for String {
    fn from_text(text: &str) -> Result<Self, XmlError> {
        Ok(text.to_owned())
    }
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl XmlText for bool {
    fn from_text(text: &str) -> Result<Self, XmlError> {
        match text.trim() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(XmlError::invalid("boolean", text)),
        }
    }
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

macro_rules! number {
    ($($t:ty => $name:literal),* $(,)?) => {$(
        impl XmlText for $t {
            fn from_text(text: &str) -> Result<Self, XmlError> {
                let t = text.trim();
                // XSD allows a leading `+`, which Rust's parser accepts too; it refuses `INF`.
                t.parse().or_else(|_| special(t).ok_or(())).map_err(|_| XmlError::invalid($name, text))
            }
            fn to_text(&self) -> Cow<'_, str> {
                Cow::Owned(format_number(*self))
            }
        }
    )*};
}

trait Special: Sized {
    fn special(_t: &str) -> Option<Self> {
        None
    }
    fn text(&self) -> Option<&'static str> {
        None
    }
}
macro_rules! no_special {
    ($($t:ty),*) => {$( impl Special for $t {} )*};
}
no_special!(i8, i16, i32, i64, u8, u16, u32, u64);
macro_rules! float_special {
    ($($t:ty),*) => {$(
        impl Special for $t {
            fn special(t: &str) -> Option<Self> {
                match t {
                    "INF" | "+INF" => Some(<$t>::INFINITY),
                    "-INF" => Some(<$t>::NEG_INFINITY),
                    "NaN" => Some(<$t>::NAN),
                    _ => None,
                }
            }
            fn text(&self) -> Option<&'static str> {
                if self.is_nan() {
                    Some("NaN")
                } else if self.is_infinite() {
                    Some(if *self > 0.0 { "INF" } else { "-INF" })
                } else {
                    None
                }
            }
        }
    )*};
}
float_special!(f32, f64);

fn special<T: Special>(t: &str) -> Option<T> {
    T::special(t)
}

fn format_number<T: Special + std::fmt::Display>(v: T) -> String {
    v.text().map_or_else(|| v.to_string(), str::to_owned)
}

number!(i8 => "byte", i16 => "short", i32 => "int", i64 => "long", u8 => "unsignedByte",
    u16 => "unsignedShort", u32 => "unsignedInt", u64 => "unsignedLong", f32 => "float",
    f64 => "double");

macro_rules! validated {
    ($(#[$doc:meta])* $name:ident, $label:literal, $check:path) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// Checks the lexical form.
            pub fn new(text: &str) -> Result<Self, XmlError> {
                let t = text.trim();
                if $check(t) {
                    Ok($name(t.to_owned()))
                } else {
                    Err(XmlError::invalid($label, text))
                }
            }

            /// The text, exactly as read (whitespace trimmed).
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl XmlText for $name {
            fn from_text(text: &str) -> Result<Self, XmlError> {
                $name::new(text)
            }
            fn to_text(&self) -> Cow<'_, str> {
                Cow::Borrowed(&self.0)
            }
        }
    };
}

validated!(
    /// `xs:decimal`: an exact decimal, kept as written (`12.50` stays `12.50`).
    Decimal, "decimal", is_decimal
);
validated!(
    /// `xs:integer` and its unbounded relatives: an integer of any size, kept as written.
    Integer, "integer", is_integer
);
validated!(
    /// `xs:dateTime`: `YYYY-MM-DDThh:mm:ss[.f][zone]`, kept as written (a missing zone is
    /// meaningful: Altinn 2 sent Norwegian local time).
    DateTime, "dateTime", is_date_time
);
validated!(
    /// `xs:date`: `YYYY-MM-DD[zone]`.
    Date, "date", is_date
);
validated!(
    /// `xs:time`: `hh:mm:ss[.f][zone]`.
    Time, "time", is_time
);
validated!(
    /// `xs:duration`: `[-]P…`.
    Duration, "duration", is_duration
);
validated!(
    /// A GUID (`ser:guid`): 8-4-4-4-12 hexadecimal digits.
    Guid, "guid", is_guid
);

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_integer(s: &str) -> bool {
    digits(s.strip_prefix(['+', '-']).unwrap_or(s))
}

fn is_decimal(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    match s.split_once('.') {
        Some((i, f)) => (i.is_empty() || digits(i)) && (f.is_empty() || digits(f)) && s.len() > 1,
        None => digits(s),
    }
}

/// `n` digits exactly.
fn fixed(s: &str, n: usize) -> bool {
    s.len() == n && digits(s)
}

fn is_zone(z: &str) -> bool {
    z.is_empty()
        || z == "Z"
        || (z.len() == 6
            && z.starts_with(['+', '-'])
            && fixed(&z[1..3], 2)
            && &z[3..4] == ":"
            && fixed(&z[4..6], 2))
}

fn split_zone(s: &str) -> (&str, &str) {
    if let Some(head) = s.strip_suffix('Z') {
        return (head, "Z");
    }
    if s.len() > 6 {
        let at = s.len() - 6;
        if s.is_char_boundary(at) && s[at..].starts_with(['+', '-']) {
            return (&s[..at], &s[at..]);
        }
    }
    (s, "")
}

fn is_plain_date(d: &str) -> bool {
    let d = d.strip_prefix('-').unwrap_or(d);
    let parts: Vec<&str> = d.split('-').collect();
    matches!(parts.as_slice(), [y, m, day] if y.len() >= 4 && digits(y) && fixed(m, 2) && fixed(day, 2))
}

fn is_plain_time(t: &str) -> bool {
    let (hms, frac) = t.split_once('.').unwrap_or((t, "0"));
    let parts: Vec<&str> = hms.split(':').collect();
    matches!(parts.as_slice(), [h, m, s] if fixed(h, 2) && fixed(m, 2) && fixed(s, 2))
        && digits(frac)
}

fn is_date(s: &str) -> bool {
    let (d, z) = split_zone(s);
    is_plain_date(d) && is_zone(z)
}

fn is_time(s: &str) -> bool {
    let (t, z) = split_zone(s);
    is_plain_time(t) && is_zone(z)
}

fn is_date_time(s: &str) -> bool {
    let (dt, z) = split_zone(s);
    match dt.split_once('T') {
        Some((d, t)) => is_plain_date(d) && is_plain_time(t) && is_zone(z),
        None => false,
    }
}

fn is_duration(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    s.len() > 1
        && s.starts_with('P')
        && !s.ends_with('T')
        && s[1..]
            .bytes()
            .all(|b| b.is_ascii_digit() || b"YMDTHS.".contains(&b))
}

fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `xs:base64Binary`: the decoded bytes; whitespace inside the text (line breaks) is allowed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Base64Binary(pub Vec<u8>);

impl XmlText for Base64Binary {
    fn from_text(text: &str) -> Result<Self, XmlError> {
        let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        base64::engine::general_purpose::STANDARD
            .decode(compact.as_bytes())
            .map(Base64Binary)
            .map_err(|_| XmlError::invalid("base64Binary", text))
    }
    fn to_text(&self) -> Cow<'_, str> {
        Cow::Owned(base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_checks_accept_and_refuse() {
        for ok in [
            "2026-01-31T10:00:00",
            "2026-01-31T10:00:00.123+01:00",
            "2026-01-31T10:00:00Z",
        ] {
            assert!(DateTime::new(ok).is_ok(), "{ok}");
        }
        for bad in [
            "2026-1-31T10:00:00",
            "2026-01-31",
            "yesterday",
            "2026-01-31T10:00",
        ] {
            assert!(DateTime::new(bad).is_err(), "{bad}");
        }
        assert_eq!(Decimal::new(" 12.50 ").map(|d| d.0), Ok("12.50".into()));
        assert!(Decimal::new("1e5").is_err());
        assert!(Decimal::new(".").is_err());
        assert!(Guid::new("6b1f1a8e-1c2d-4e5f-8a9b-0c1d2e3f4a5b").is_ok());
        assert!(Integer::new("123456789012345678901234567890").is_ok());
        assert!(Duration::new("P1DT2H").is_ok() && Duration::new("PT").is_err());
    }

    #[test]
    fn numbers_booleans_and_base64_round_trip() {
        assert_eq!(f64::from_text("-INF"), Ok(f64::NEG_INFINITY));
        assert_eq!(f64::NEG_INFINITY.to_text(), "-INF");
        assert_eq!(i32::from_text(" +42 "), Ok(42));
        assert!(i8::from_text("300").is_err());
        assert_eq!(bool::from_text("1"), Ok(true));
        let b = Base64Binary::from_text("aGVs\n bG8=").unwrap_or_default();
        assert_eq!(b.0, b"hello");
        assert_eq!(b.to_text(), "aGVsbG8=");
    }
}
