//! Type categories for link checks: what a value is, across XSD and JSON Schema.

use crate::model::{Builtin, TypeGraph, TypeKind, TypeRef};

use super::model::Format;

/// What kind of value a type holds, coarse enough to compare an XSD type with a JSON one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cat {
    /// Text.
    Text,
    /// One of these values.
    Enum(Vec<String>),
    /// An integer; the number is its width in bits (0: unbounded).
    Integer(u8),
    /// A decimal or floating-point number.
    Number,
    /// true/false.
    Boolean,
    /// A date and time.
    DateTime,
    /// A date.
    Date,
    /// A time or duration.
    Time,
    /// A GUID/UUID.
    Guid,
    /// Bytes (base64 text in XML, a binary part in multipart).
    Binary,
    /// An object.
    Object,
    /// A list.
    List,
    /// Anything (`xs:anyType`, an unconstrained JSON schema).
    Any,
}

impl Cat {
    /// For messages: `a text`, `an enumeration (A, B)`, ...
    pub fn describe(&self) -> String {
        match self {
            Cat::Text => "text".into(),
            Cat::Enum(v) => {
                let shown: Vec<&str> = v.iter().map(String::as_str).take(8).collect();
                let more = if v.len() > 8 { ", …" } else { "" };
                format!("an enumeration ({}{more})", shown.join(", "))
            }
            Cat::Integer(0) => "an integer".into(),
            Cat::Integer(w) => format!("a {w}-bit integer"),
            Cat::Number => "a number".into(),
            Cat::Boolean => "a boolean".into(),
            Cat::DateTime => "a date-time".into(),
            Cat::Date => "a date".into(),
            Cat::Time => "a time or duration".into(),
            Cat::Guid => "a GUID".into(),
            Cat::Binary => "binary content".into(),
            Cat::Object => "an object".into(),
            Cat::List => "a list".into(),
            Cat::Any => "any value".into(),
        }
    }
}

/// The category of a type.
pub fn category(types: &TypeGraph, ty: &TypeRef) -> Cat {
    let ty = types.unalias(ty);
    if let Some(def) = types.resolve(ty) {
        match &def.kind {
            TypeKind::Enum(e) => {
                return Cat::Enum(e.values.iter().map(|v| v.value.clone()).collect());
            }
            TypeKind::Struct(_) => return Cat::Object,
            TypeKind::Union(u) => return union_category(types, &u.members),
            TypeKind::List(l)
                if l.item_element.is_some() || types.builtin_of(&l.item).is_none() =>
            {
                return Cat::List;
            }
            TypeKind::List(_) => return Cat::List,
            TypeKind::Scalar(_) | TypeKind::Alias { .. } => {}
        }
    }
    types.builtin_of(ty).map_or(Cat::Any, builtin_category)
}

/// A union of one member is that member (Dialogporten writes every nullable reference as
/// `oneOf: [{$ref}]`, its enumerations included). A union whose members are all values of one
/// scalar kind is that kind: the Resource Registry's `PartyUrn` is a `oneOf` of three patterned
/// strings, and a URN is text. Anything else (objects among the members, or mixed kinds) stays an
/// object, checked no further. A member that is itself a union counts as an object, so a cyclic
/// schema cannot recurse.
fn union_category(types: &TypeGraph, members: &[TypeRef]) -> Cat {
    let mut cats = members.iter().map(|m| {
        let nested = types
            .resolve(types.unalias(m))
            .is_some_and(|d| matches!(d.kind, TypeKind::Union(_)));
        if nested {
            Cat::Object
        } else {
            category(types, m)
        }
    });
    match (cats.next(), members.len()) {
        (Some(only), 1) => only,
        (Some(first), _) if !matches!(first, Cat::Object | Cat::List | Cat::Any | Cat::Enum(_)) => {
            if cats.all(|c| c == first) {
                first
            } else {
                Cat::Object
            }
        }
        _ => Cat::Object,
    }
}

fn builtin_category(b: Builtin) -> Cat {
    use Builtin::*;
    match b {
        Boolean => Cat::Boolean,
        Byte | UnsignedByte => Cat::Integer(8),
        Short | UnsignedShort | Char => Cat::Integer(16),
        Int | UnsignedInt => Cat::Integer(32),
        Long | UnsignedLong => Cat::Integer(64),
        Integer | NonNegativeInteger | PositiveInteger | NonPositiveInteger | NegativeInteger => {
            Cat::Integer(0)
        }
        Decimal | Float | Double | Number => Cat::Number,
        DateTime => Cat::DateTime,
        Date => Cat::Date,
        Time | Duration | GYear | GYearMonth | GMonth | GMonthDay | GDay => Cat::Time,
        Guid => Cat::Guid,
        Base64Binary | HexBinary | Binary => Cat::Binary,
        AnyType | AnySimpleType => Cat::Any,
        String | NormalizedString | Token | Language | Name | NcName | Id | IdRef | NmToken
        | AnyUri | QName => Cat::Text,
    }
}

/// Whether a value of category `src` may go where `dst` is expected. `Ok(Some(w))` is allowed
/// with a warning; `Err(note)` is a clash, with what would fix it. `explicit` is true when the
/// link already converts (a `map` or `format`).
pub fn check_compatible(src: &Cat, dst: &Cat, explicit: bool) -> Result<Option<String>, String> {
    use Cat::*;
    match (src, dst) {
        (Any, _) | (_, Any) => Ok(None),
        (Enum(a), Enum(b)) => {
            let missing: Vec<&String> = a.iter().filter(|v| !b.contains(v)).collect();
            if missing.is_empty() || explicit {
                Ok(None)
            } else {
                let list: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
                Err(format!(
                    "values {} are not accepted by the target; add a `map`",
                    list.join(", ")
                ))
            }
        }
        (Enum(_), Text) | (Guid, Text) | (Date, Text) | (DateTime, Text) | (Time, Text) => Ok(None),
        (Text, Enum(_)) => Ok(Some(
            "text into an enumeration: values outside it fail at run time; consider a `map`".into(),
        )),
        (Text, Guid) => Ok(Some(
            "text into a GUID: values that are not GUIDs fail at run time".into(),
        )),
        (Integer(a), Integer(b)) if *b != 0 && (*a == 0 || a > b) => Ok(Some(format!(
            "a {}-bit value into a {b}-bit integer may overflow",
            if *a == 0 {
                "unbounded".into()
            } else {
                a.to_string()
            }
        ))),
        (Integer(_), Integer(_)) | (Integer(_), Number) => Ok(None),
        (Date, DateTime) => Ok(Some("a date into a date-time becomes midnight".into())),
        (a, b) if a == b => Ok(None),
        (Integer(_) | Number | Boolean, Text) => {
            Err("add `format = \"string\"` to carry it as text".into())
        }
        (Text, Integer(_)) => Err("add `format = \"integer\"` to parse the text".into()),
        (DateTime, Date) => Err("add `format = \"date\"` to keep only the date".into()),
        (List, _) => {
            Err("add `join = \", \"` to carry a list as text, or link its items with `[]`".into())
        }
        (_, List) => Err(
            "add `split = \",\"` to carry text as a list, or link into its items with `[]`".into(),
        ),
        _ => Err("the values cannot be converted; pick another field or add a transform".into()),
    }
}

/// The sources a format accepts.
pub fn format_accepts(f: Format, src: &Cat) -> bool {
    use Cat::*;
    match f {
        Format::DateTimeUtc => matches!(src, DateTime | Text),
        Format::Date => matches!(src, DateTime | Date | Text),
        Format::HtmlToMarkdown | Format::TextToMarkdown => matches!(src, Text),
        Format::Base64ToBinary => matches!(src, Binary | Text),
        Format::String => !matches!(src, Object | List),
        Format::Integer => matches!(src, Text | Integer(_) | Number | Enum(_)),
        Format::UuidV5 => matches!(src, Text | Integer(_) | Guid | Enum(_)),
        Format::Uuid | Format::Utf8 | Format::InstancePartyId | Format::InstanceGuid => {
            matches!(src, Text)
        }
        Format::NonEmpty => true,
    }
}

/// What a format produces.
pub fn format_output(f: Format) -> Cat {
    match f {
        Format::DateTimeUtc => Cat::DateTime,
        Format::Date => Cat::Date,
        Format::HtmlToMarkdown | Format::TextToMarkdown | Format::String => Cat::Text,
        Format::Base64ToBinary | Format::Utf8 => Cat::Binary,
        Format::Integer => Cat::Integer(0),
        Format::UuidV5 | Format::Uuid | Format::InstanceGuid => Cat::Guid,
        // Storage keeps party ids as 32-bit integers (`instanceOwnerPartyId`).
        Format::InstancePartyId => Cat::Integer(32),
        Format::NonEmpty => Cat::Boolean,
    }
}

/// Whether a constant (as written) is a value of the type.
pub fn check_const(types: &TypeGraph, ty: &TypeRef, value: &str) -> Result<(), String> {
    match category(types, ty) {
        Cat::Enum(v) if !v.iter().any(|x| x == value) => {
            Err(format!("expected one of: {}", v.join(", ")))
        }
        Cat::Integer(_) if value.parse::<i128>().is_err() => Err("expected an integer".into()),
        Cat::Number if value.parse::<f64>().is_err() => Err("expected a number".into()),
        Cat::Boolean if !matches!(value, "true" | "false") => Err("expected true or false".into()),
        Cat::Object | Cat::List => Err("a constant cannot fill an object or a list".into()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compatibility_table() {
        assert_eq!(
            check_compatible(&Cat::Enum(vec!["A".into()]), &Cat::Text, false),
            Ok(None)
        );
        assert!(check_compatible(&Cat::Boolean, &Cat::DateTime, false).is_err());
        assert!(
            check_compatible(&Cat::Integer(64), &Cat::Integer(32), false)
                .unwrap()
                .is_some()
        );
        assert_eq!(
            check_compatible(&Cat::Integer(32), &Cat::Integer(64), false),
            Ok(None)
        );
        let e = check_compatible(
            &Cat::Enum(vec!["A".into(), "B".into()]),
            &Cat::Enum(vec!["A".into()]),
            false,
        );
        assert_eq!(
            e,
            Err("values B are not accepted by the target; add a `map`".into())
        );
        assert!(check_compatible(&Cat::Integer(32), &Cat::Text, false).is_err());
    }
}
