//! The type graph shared by XSD and JSON Schema types.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Serialize, Serializer};

use super::names::{QName, TypeId};
use crate::diag::Span;

/// A reference to a type: a built-in scalar or a type of the graph.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TypeRef {
    /// A built-in scalar.
    Builtin(Builtin),
    /// A type defined in the graph.
    Named(TypeId),
}

impl TypeRef {
    /// The named id, if it is one.
    pub fn as_named(&self) -> Option<&TypeId> {
        match self {
            TypeRef::Named(id) => Some(id),
            TypeRef::Builtin(_) => None,
        }
    }
}

/// Built-in scalar types of XSD, the Microsoft serialization schema and JSON Schema formats,
/// unified so a link can compare an XSD `dateTime` with a JSON `string`/`date-time`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)] // the names are the XSD / JSON Schema names
pub enum Builtin {
    String,
    NormalizedString,
    Token,
    Language,
    Name,
    NcName,
    Id,
    IdRef,
    NmToken,
    Boolean,
    Decimal,
    /// Unbounded integer (`xs:integer`, JSON `integer` without format).
    Integer,
    NonNegativeInteger,
    PositiveInteger,
    NonPositiveInteger,
    NegativeInteger,
    Byte,
    Short,
    Int,
    Long,
    UnsignedByte,
    UnsignedShort,
    UnsignedInt,
    UnsignedLong,
    Float,
    Double,
    /// JSON `number` without format.
    Number,
    DateTime,
    Date,
    Time,
    Duration,
    GYear,
    GYearMonth,
    GMonth,
    GMonthDay,
    GDay,
    Base64Binary,
    HexBinary,
    AnyUri,
    QName,
    /// `ser:guid` / JSON `format: uuid`.
    Guid,
    /// `ser:char`: a UTF-16 code unit as an int.
    Char,
    /// JSON `format: binary` (a raw byte stream).
    Binary,
    /// `xs:anyType` / a JSON schema with no constraints.
    AnyType,
    /// `xs:anySimpleType`.
    AnySimpleType,
}

impl Builtin {
    /// The built-in for an XSD type's local name (in the XML Schema namespace).
    pub fn from_xsd(local: &str) -> Option<Builtin> {
        use Builtin::*;
        Some(match local {
            "string" => String,
            "normalizedString" => NormalizedString,
            "token" => Token,
            "language" => Language,
            "Name" => Name,
            "NCName" => NcName,
            "ID" => Id,
            "IDREF" | "IDREFS" | "ENTITY" | "ENTITIES" => IdRef,
            "NMTOKEN" | "NMTOKENS" => NmToken,
            "boolean" => Boolean,
            "decimal" => Decimal,
            "integer" => Integer,
            "nonNegativeInteger" => NonNegativeInteger,
            "positiveInteger" => PositiveInteger,
            "nonPositiveInteger" => NonPositiveInteger,
            "negativeInteger" => NegativeInteger,
            "byte" => Byte,
            "short" => Short,
            "int" => Int,
            "long" => Long,
            "unsignedByte" => UnsignedByte,
            "unsignedShort" => UnsignedShort,
            "unsignedInt" => UnsignedInt,
            "unsignedLong" => UnsignedLong,
            "float" => Float,
            "double" => Double,
            "dateTime" | "dateTimeStamp" => DateTime,
            "date" => Date,
            "time" => Time,
            "duration" | "dayTimeDuration" | "yearMonthDuration" => Duration,
            "gYear" => GYear,
            "gYearMonth" => GYearMonth,
            "gMonth" => GMonth,
            "gMonthDay" => GMonthDay,
            "gDay" => GDay,
            "base64Binary" => Base64Binary,
            "hexBinary" => HexBinary,
            "anyURI" => AnyUri,
            "QName" | "NOTATION" => QName,
            "anyType" => AnyType,
            "anySimpleType" | "anyAtomicType" => AnySimpleType,
            _ => return None,
        })
    }

    /// The built-in for a type of the Microsoft serialization schema
    /// (`http://schemas.microsoft.com/2003/10/Serialization/`), which WCF inlines in every WSDL.
    pub fn from_ms_serialization(local: &str) -> Option<Builtin> {
        match local {
            "guid" => Some(Builtin::Guid),
            "char" => Some(Builtin::Char),
            "duration" => Some(Builtin::Duration),
            _ => None,
        }
    }

    /// The built-in for a JSON Schema `type` plus `format`.
    pub fn from_json(ty: &str, format: Option<&str>) -> Option<Builtin> {
        use Builtin::*;
        Some(match (ty, format) {
            ("string", Some("date-time")) => DateTime,
            ("string", Some("date")) => Date,
            ("string", Some("time")) => Time,
            ("string", Some("duration")) => Duration,
            ("string", Some("uuid")) => Guid,
            ("string", Some("uri" | "uri-reference" | "url")) => AnyUri,
            ("string", Some("binary")) => Binary,
            ("string", Some("byte")) => Base64Binary,
            ("string", _) => String,
            ("integer", Some("int32")) => Int,
            ("integer", Some("int64")) => Long,
            ("integer", Some("int16")) => Short,
            ("integer", Some("int8")) => Byte,
            ("integer", Some("uint32")) => UnsignedInt,
            ("integer", Some("uint64")) => UnsignedLong,
            ("integer", _) => Integer,
            ("number", Some("double")) => Double,
            ("number", Some("float")) => Float,
            ("number", Some("decimal")) => Decimal,
            ("number", _) => Number,
            ("boolean", _) => Boolean,
            _ => return None,
        })
    }

    /// True for every integer-valued type.
    pub fn is_integer(self) -> bool {
        use Builtin::*;
        matches!(
            self,
            Integer
                | NonNegativeInteger
                | PositiveInteger
                | NonPositiveInteger
                | NegativeInteger
                | Byte
                | Short
                | Int
                | Long
                | UnsignedByte
                | UnsignedShort
                | UnsignedInt
                | UnsignedLong
                | Char
        )
    }

    /// True for types whose values are text in both XML and JSON.
    pub fn is_stringlike(self) -> bool {
        use Builtin::*;
        matches!(
            self,
            String
                | NormalizedString
                | Token
                | Language
                | Name
                | NcName
                | Id
                | IdRef
                | NmToken
                | AnyUri
        )
    }
}

/// `maxOccurs`: a bound or `unbounded`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MaxOccurs {
    /// At most this many.
    Bounded(u32),
    /// Any number.
    Unbounded,
}

impl MaxOccurs {
    /// True when more than one occurrence is allowed.
    pub fn is_many(self) -> bool {
        !matches!(self, MaxOccurs::Bounded(0 | 1))
    }
}

impl Serialize for MaxOccurs {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            MaxOccurs::Bounded(n) => s.serialize_u32(*n),
            MaxOccurs::Unbounded => s.serialize_str("unbounded"),
        }
    }
}

/// What a field is on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FieldKind {
    /// An XML child element.
    Element,
    /// An XML attribute.
    Attribute,
    /// The text content of an XML element with simple content (`xs:simpleContent`).
    Text,
    /// A JSON object property.
    Property,
}

/// One field of a struct: an element, attribute, text value or JSON property.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Field {
    /// The name as written in the contract (element, attribute or property name).
    pub name: String,
    /// The qualified XML name on the wire, after `elementFormDefault`/`attributeFormDefault`
    /// or `form=` are applied (unqualified names have an empty namespace). `None` for JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub xml_name: Option<QName>,
    /// Element, attribute, text or property.
    pub kind: FieldKind,
    /// Its type.
    pub ty: TypeRef,
    /// `minOccurs` (JSON: 1 when listed in `required`, else 0).
    pub min_occurs: u32,
    /// `maxOccurs` (JSON properties: 1; arrays are [`TypeKind::List`] types).
    pub max_occurs: MaxOccurs,
    /// XSD `nillable` / JSON `nullable` (or `type: [.., "null"]`): the value may be explicitly null,
    /// which is different from being absent (`min_occurs == 0`).
    pub nullable: bool,
    /// `default` value, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// `fixed` value, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// Index into [`StructType::choices`] when the field is one branch of an `xs:choice`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choice: Option<u32>,
    /// JSON `readOnly`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    /// JSON `writeOnly`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub write_only: bool,
    /// Marked deprecated.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    /// Documentation (`xs:documentation`, JSON `description`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// Where it is declared.
    #[serde(skip)]
    pub span: Option<Span>,
}

impl Field {
    /// A required, single, non-nullable field; loaders adjust the rest.
    pub fn new(name: impl Into<String>, kind: FieldKind, ty: TypeRef) -> Self {
        Field {
            name: name.into(),
            xml_name: None,
            kind,
            ty,
            min_occurs: 1,
            max_occurs: MaxOccurs::Bounded(1),
            nullable: false,
            default: None,
            fixed: None,
            choice: None,
            read_only: false,
            write_only: false,
            deprecated: false,
            doc: None,
            span: None,
        }
    }

    /// True when the field may be absent.
    pub fn is_optional(&self) -> bool {
        self.min_occurs == 0
    }
}

/// How a struct's child elements are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Compositor {
    /// `xs:sequence` (and JSON objects): in order.
    #[default]
    Sequence,
    /// `xs:all`: any order.
    All,
    /// `xs:choice` at the top: exactly one of the fields (see [`StructType::choices`]).
    Choice,
}

/// An `xs:choice` inside a struct: the fields whose `choice` is this group's index are the
/// alternatives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChoiceGroup {
    /// `minOccurs` of the choice (0 makes every branch optional).
    pub min_occurs: u32,
    /// `maxOccurs` of the choice.
    pub max_occurs: MaxOccurs,
}

/// How a struct derives from its base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Derivation {
    /// `xs:extension`: the base's fields, then these.
    Extension,
    /// `xs:restriction`: these fields replace the base's.
    Restriction,
    /// JSON Schema `allOf`: every listed base's fields, then these.
    AllOf,
}

/// An object with fields (XSD complex type, JSON object).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StructType {
    /// Base types (one for XSD derivation, several for `allOf`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bases: Vec<TypeRef>,
    /// How `bases` contribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub derivation: Option<Derivation>,
    /// Grouping of child elements.
    pub compositor: Compositor,
    /// Own fields (not the bases'), in declaration order; [`TypeGraph::all_fields`] flattens.
    pub fields: Vec<Field>,
    /// `xs:choice` groups referenced by [`Field::choice`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<ChoiceGroup>,
    /// JSON `additionalProperties` with a schema (a map's value type).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_properties: Option<TypeRef>,
    /// JSON Schema `patternProperties` (pattern → value type).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub pattern_properties: BTreeMap<String, TypeRef>,
    /// `abstract="true"`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub is_abstract: bool,
    /// `mixed="true"`: text may appear between child elements.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub mixed: bool,
    /// Has an `xs:any` wildcard element.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub any_element: bool,
    /// Has an `xs:anyAttribute` wildcard.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub any_attribute: bool,
}

/// One enumeration value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnumValue {
    /// The value as on the wire, whitespace trimmed.
    pub value: String,
    /// The numeric value from `ser:EnumerationValue` appinfo, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numeric: Option<i64>,
    /// Documentation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
}

/// A closed set of values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnumType {
    /// The value type (usually string; integers for JSON integer enums).
    pub base: TypeRef,
    /// The values, in declaration order.
    pub values: Vec<EnumValue>,
    /// A WCF `[Flags]` enum: values combine (serialised space-separated).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub flags: bool,
}

/// How list items appear on the wire (for XML wrappers such as `ArrayOfstring`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListItem {
    /// The qualified name of each item element.
    pub xml_name: QName,
    /// Whether an item may be `xsi:nil`.
    pub nullable: bool,
}

/// A sequence of items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListType {
    /// The item type.
    pub item: TypeRef,
    /// For XML collection types (`ArrayOfX`, a sequence of one repeated element), the item
    /// element; `None` for `xs:list` (space-separated text) and JSON arrays.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_element: Option<ListItem>,
    /// Fewest items.
    pub min_items: u32,
    /// Most items.
    pub max_items: MaxOccurs,
    /// JSON `uniqueItems`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unique: bool,
}

/// Restrictions on a scalar.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)] // the names are the XSD facet names
pub struct Facets {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub patterns: Vec<String>,
    /// Bounds are kept as written, so decimals lose nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_inclusive: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_inclusive: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_exclusive: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_exclusive: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_digits: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fraction_digits: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub white_space: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multiple_of: Option<String>,
    /// JSON Schema `format` when it is not already expressed by the built-in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// `xmime:expectedContentTypes` on binary content.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_content_types: Option<String>,
}

impl Facets {
    /// True when no facet is set.
    pub fn is_empty(&self) -> bool {
        *self == Facets::default()
    }
}

/// A restricted scalar (`xs:simpleType` restriction without enumeration, a JSON string with
/// `maxLength`, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScalarType {
    /// What it restricts: a built-in or another named simple type.
    pub base: TypeRef,
    /// The restrictions.
    pub facets: Facets,
}

/// How a union's members combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum UnionMode {
    /// `xs:union`: the text is a value of the first member that accepts it.
    XsdUnion,
    /// JSON Schema `oneOf`: exactly one member.
    OneOf,
    /// JSON Schema `anyOf`: at least one member.
    AnyOf,
}

/// One of several types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnionType {
    /// The alternatives.
    pub members: Vec<TypeRef>,
    /// How they combine.
    pub mode: UnionMode,
    /// OpenAPI `discriminator.propertyName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discriminator: Option<String>,
    /// OpenAPI `discriminator.mapping` (value → member).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub mapping: BTreeMap<String, TypeRef>,
}

/// What a type is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum TypeKind {
    /// Fields.
    Struct(StructType),
    /// A closed set of values.
    Enum(EnumType),
    /// Repeated items.
    List(ListType),
    /// A restricted built-in.
    Scalar(ScalarType),
    /// One of several types.
    Union(UnionType),
    /// Another name for a type.
    Alias {
        /// The type it names.
        target: TypeRef,
    },
}

/// A type of the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TypeDef {
    /// Its id.
    pub id: TypeId,
    /// Its name: the declared name, or for anonymous types a name derived from where it sits
    /// (the element or property that holds it), suitable for code.
    pub name: QName,
    /// Declared inline rather than by name.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub anonymous: bool,
    /// The shape.
    #[serde(flatten)]
    pub kind: TypeKind,
    /// JSON Schema nullability of the type itself (`nullable: true` or `type: [.., "null"]`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub nullable: bool,
    /// Marked deprecated.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    /// Documentation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// Vendor extensions (`x-...`) and other JSON kept verbatim, sorted by key.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extensions: BTreeMap<String, serde_json::Value>,
    /// Where it is declared.
    #[serde(skip)]
    pub span: Option<Span>,
}

impl TypeDef {
    /// A type with no documentation, extensions or span.
    pub fn new(id: TypeId, name: QName, kind: TypeKind) -> Self {
        TypeDef {
            id,
            name,
            anonymous: false,
            kind,
            nullable: false,
            deprecated: false,
            doc: None,
            extensions: BTreeMap::new(),
            span: None,
        }
    }
}

/// All types of one document, by id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct TypeGraph {
    /// The types, ordered by id.
    pub types: BTreeMap<TypeId, TypeDef>,
}

impl TypeGraph {
    /// Adds or replaces a type.
    pub fn insert(&mut self, def: TypeDef) {
        self.types.insert(def.id.clone(), def);
    }

    /// The type with this id.
    pub fn get(&self, id: &TypeId) -> Option<&TypeDef> {
        self.types.get(id)
    }

    /// The type a reference names, if it is named.
    pub fn resolve(&self, r: &TypeRef) -> Option<&TypeDef> {
        r.as_named().and_then(|id| self.get(id))
    }

    /// Follows aliases to the type a reference finally denotes.
    pub fn unalias<'a>(&'a self, mut r: &'a TypeRef) -> &'a TypeRef {
        let mut seen = BTreeSet::new();
        while let Some(TypeDef {
            kind: TypeKind::Alias { target },
            id,
            ..
        }) = self.resolve(r)
        {
            if !seen.insert(id) {
                break;
            }
            r = target;
        }
        r
    }

    /// The built-in a scalar-like reference ends in (through aliases, restrictions, enums and
    /// `xs:list` items are not followed), if any.
    pub fn builtin_of(&self, r: &TypeRef) -> Option<Builtin> {
        let mut r = r;
        let mut seen = BTreeSet::new();
        loop {
            match r {
                TypeRef::Builtin(b) => return Some(*b),
                TypeRef::Named(id) => {
                    if !seen.insert(id) {
                        return None;
                    }
                    r = match &self.get(id)?.kind {
                        TypeKind::Alias { target } => target,
                        TypeKind::Scalar(s) => &s.base,
                        TypeKind::Enum(e) => &e.base,
                        _ => return None,
                    };
                }
            }
        }
    }

    /// Every field of a struct including inherited ones, bases first. Restriction replaces the
    /// base's fields; cycles in the base chain are cut.
    pub fn all_fields<'a>(&'a self, id: &TypeId) -> Vec<&'a Field> {
        let mut out = Vec::new();
        self.collect_fields(id, &mut BTreeSet::new(), &mut out);
        out
    }

    fn collect_fields<'a>(
        &'a self,
        id: &TypeId,
        seen: &mut BTreeSet<TypeId>,
        out: &mut Vec<&'a Field>,
    ) {
        if !seen.insert(id.clone()) {
            return;
        }
        let Some(TypeDef {
            kind: TypeKind::Struct(s),
            ..
        }) = self.get(id)
        else {
            return;
        };
        if s.derivation != Some(Derivation::Restriction) {
            for b in &s.bases {
                if let Some(bid) = self.unalias(b).as_named() {
                    self.collect_fields(bid, seen, out);
                }
            }
        }
        out.extend(s.fields.iter());
    }

    /// The types a type refers to directly (fields, bases, items, members, targets).
    pub fn children(&self, id: &TypeId) -> Vec<&TypeRef> {
        let Some(def) = self.get(id) else {
            return Vec::new();
        };
        match &def.kind {
            TypeKind::Struct(s) => s
                .bases
                .iter()
                .chain(s.fields.iter().map(|f| &f.ty))
                .chain(s.additional_properties.iter())
                .chain(s.pattern_properties.values())
                .collect(),
            TypeKind::Enum(e) => vec![&e.base],
            TypeKind::List(l) => vec![&l.item],
            TypeKind::Scalar(s) => vec![&s.base],
            TypeKind::Union(u) => u.members.iter().chain(u.mapping.values()).collect(),
            TypeKind::Alias { target } => vec![target],
        }
    }

    /// The types that can reach themselves (through fields, items or bases): an emitter must box
    /// somewhere on such a cycle. Computed here, not by the loader, so recursion is never
    /// "resolved" by copying.
    pub fn recursive_types(&self) -> BTreeSet<TypeId> {
        // Tarjan's strongly connected components, iterative to survive deep graphs.
        let ids: Vec<&TypeId> = self.types.keys().collect();
        let index_of: BTreeMap<&TypeId, usize> =
            ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let edges: Vec<Vec<usize>> = ids
            .iter()
            .map(|id| {
                self.children(id)
                    .into_iter()
                    .filter_map(|r| r.as_named().and_then(|t| index_of.get(t).copied()))
                    .collect()
            })
            .collect();
        let n = ids.len();
        let (mut index, mut low, mut on_stack) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
        let (mut stack, mut next, mut out) = (Vec::new(), 0, BTreeSet::new());
        for root in 0..n {
            if index[root] != usize::MAX {
                continue;
            }
            let mut work = vec![(root, 0usize)];
            while let Some(&mut (v, ref mut ei)) = work.last_mut() {
                if *ei == 0 && index[v] == usize::MAX {
                    index[v] = next;
                    low[v] = next;
                    next += 1;
                    stack.push(v);
                    on_stack[v] = true;
                }
                if let Some(&w) = edges[v].get(*ei) {
                    *ei += 1;
                    if index[w] == usize::MAX {
                        work.push((w, 0));
                    } else if on_stack[w] {
                        low[v] = low[v].min(index[w]);
                    }
                    continue;
                }
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut component = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        component.push(w);
                        if w == v {
                            break;
                        }
                    }
                    let self_loop = edges[v].contains(&v);
                    if component.len() > 1 || self_loop {
                        out.extend(component.into_iter().map(|i| ids[i].clone()));
                    }
                }
            }
        }
        out
    }

    /// Number of types.
    pub fn len(&self) -> usize {
        self.types.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strukt(id: &str, fields: &[(&str, &str)]) -> TypeDef {
        let fields = fields
            .iter()
            .map(|(n, t)| Field::new(*n, FieldKind::Element, TypeRef::Named(TypeId::from(*t))))
            .collect();
        TypeDef::new(
            TypeId::from(id),
            QName::local(id),
            TypeKind::Struct(StructType {
                fields,
                ..StructType::default()
            }),
        )
    }

    #[test]
    fn finds_self_and_mutual_recursion_only() {
        let mut g = TypeGraph::default();
        g.insert(strukt("Node", &[("next", "Node")]));
        g.insert(strukt("A", &[("b", "B")]));
        g.insert(strukt("B", &[("a", "A"), ("leaf", "Leaf")]));
        g.insert(strukt("Leaf", &[]));
        let rec = g.recursive_types();
        let names: Vec<&str> = rec.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(names, ["A", "B", "Node"]);
    }

    #[test]
    fn all_fields_puts_base_first_and_survives_cycles() {
        let mut g = TypeGraph::default();
        let mut derived = strukt("D", &[("own", "X")]);
        if let TypeKind::Struct(s) = &mut derived.kind {
            s.bases.push(TypeRef::Named("B".into()));
            s.derivation = Some(Derivation::Extension);
        }
        let mut base = strukt("B", &[("inherited", "X")]);
        if let TypeKind::Struct(s) = &mut base.kind {
            s.bases.push(TypeRef::Named("D".into())); // a broken cycle must not hang
            s.derivation = Some(Derivation::Extension);
        }
        g.insert(derived);
        g.insert(base);
        let names: Vec<&str> = g
            .all_fields(&"D".into())
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(names, ["inherited", "own"]);
    }

    #[test]
    fn builtins_from_both_worlds_meet() {
        assert_eq!(
            Builtin::from_xsd("dateTime"),
            Builtin::from_json("string", Some("date-time"))
        );
        assert_eq!(
            Builtin::from_ms_serialization("guid"),
            Builtin::from_json("string", Some("uuid"))
        );
        assert_eq!(
            Builtin::from_json("integer", Some("int32")),
            Some(Builtin::Int)
        );
        assert!(Builtin::Long.is_integer());
    }
}
