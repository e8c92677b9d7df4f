"""Full sample values for zeep: every optional element present, lists of two, valid scalars.

zeep knows a contract's structure but drops the facets of simple types (enumerations,
patterns), so scalars are chosen from the same contract's xmlschema types. Values are meant to
be realistic enough to drive the Altinn 3 side later (organisation numbers, national ids,
language codes, e-mail addresses): see OVERRIDES.
"""

import datetime
import decimal
import hashlib

from zeep.xsd import Nil
from zeep.xsd import types as ztypes

XS = "http://www.w3.org/2001/XMLSchema"

# Values by element local name, for fields whose meaning Altinn 3 checks.
OVERRIDES = {
    "Reportee": "910075918",
    "reportee": "910075918",
    "OrgNumber": "910075918",
    "OrganizationNumber": "910075918",
    "ServiceOwnerCode": "ttd",
    "SSN": "26857399458",
    "SocialSecurityNumber": "26857399458",
    "LanguageID": 1044,
    "LanguageCode": "1044",
    "languageID": 1044,
    "Email": "post@example.no",
    "EmailAddress": "post@example.no",
    "ReceiverAddress": "post@example.no",
    "FromAddress": "noreply@example.no",
    "MobileNumber": "+4799999999",
    "ExternalServiceCode": "4192",
    "ServiceCode": "4192",
    "ExternalServiceEditionCode": 1,
    "ServiceEdition": 1,
    "ServiceEditionCode": 1,
    # Ids that the manifests carry into Altinn 3 paths: an instance id (`partyId/guid`) where
    # Altinn 2 had an archive reference, a file transfer GUID where Broker had a file reference.
    "archiveReference": "50001/3f2504e0-4f89-11d3-9a0c-0305e82c3301",
    "ArchiveReference": "50001/3f2504e0-4f89-11d3-9a0c-0305e82c3301",
    "ReferenceValue": "50001/3f2504e0-4f89-11d3-9a0c-0305e82c3301",
    "Reference": "3f2504e0-4f89-11d3-9a0c-0305e82c3302",
    "fileReference": "3f2504e0-4f89-11d3-9a0c-0305e82c3302",
    "FileReference": "3f2504e0-4f89-11d3-9a0c-0305e82c3302",
}

# Lists whose Altinn 3 successor holds one item: the adapters refuse several different ones
# (a Client fault naming the field), so the samples send one.
SINGLE = {"Notification", "ReceiverEndPoint"}

# Enumeration values Altinn 3 can carry, where some values have no successor (`IM`
# notifications): the adapters refuse those with a Client fault naming the field.
CARRIED = {"TransportType": "Email"}

# Deepest nesting of one type inside itself before recursion is cut.
MAX_SAME_TYPE = 1
MAX_DEPTH = 12
GUID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
WHEN = datetime.datetime(2026, 3, 1, 12, 30, 15, tzinfo=datetime.timezone.utc)


def _stable(path):
    """A small number that depends only on the element path: varied but reproducible."""
    return int(hashlib.sha256(path.encode()).hexdigest()[:6], 16)


class Sampler:
    """Builds zeep values for the elements of one contract; `schema` is its xmlschema."""

    def __init__(self, schema, credentials=None):
        self.schema = schema
        self.nils = 0
        # Element local name -> value for the legacy caller's user name and password fields
        # (`systemUserName`, header part `SystemPassword`, ...): a facade checks them, so they
        # carry a configured caller's credentials instead of a sample.
        self.credentials = credentials or {}

    def element(self, el, path, stack=()):
        """The value for element `el`: a list of two when it repeats, None when recursion is
        cut and the element may be left out."""
        path = f"{path}/{el.name}"
        qname = getattr(el.type, "qname", None)
        seen = sum(1 for q in stack if q == qname)
        if isinstance(el.type, ztypes.ComplexType) and (seen > MAX_SAME_TYPE or len(stack) > MAX_DEPTH):
            return self._cut(el)
        repeats = el.max_occurs == "unbounded" or (el.max_occurs or 1) > 1
        if repeats:
            count = 1 if el.name in SINGLE else 2
            return [self.one(el, f"{path}[{i}]", stack, i) for i in range(count)]
        return self.one(el, path, stack, 0)

    def _cut(self, el):
        if el.nillable:
            self.nils += 1
            return Nil
        if el.min_occurs == 0:
            return None
        raise ValueError(f"recursion in required element {el.name} cannot be cut")

    def one(self, el, path, stack, index):
        """One occurrence. Some nillable scalars are sent as xsi:nil (about one in five, and
        the second item of a repeated nillable scalar) so Nil round-trips are exercised too."""
        if el.name in self.credentials and not isinstance(el.type, ztypes.ComplexType):
            return self.credentials[el.name]
        if not isinstance(el.type, ztypes.ComplexType):
            # Ids the manifests carry into Altinn 3 are always given: a nil there is no request.
            if el.name in OVERRIDES and not el.type.qname is None and el.name not in ("LanguageID",):
                return self.scalar(el, path)
            if el.nillable and (index == 1 or _stable(path) % 5 == 0):
                self.nils += 1
                return Nil
            return self.scalar(el, path)
        return self.complex(el.type, path, stack + (el.type.qname,))

    def complex(self, ctype, path, stack):
        values = {}
        for name, sub in ctype.elements:
            v = self.element(sub, path, stack)
            if v is not None:
                values[name] = v
        for name, attr in ctype.attributes:
            if getattr(attr, "name", None) and not isinstance(attr.type, ztypes.ComplexType):
                values[name] = self.scalar(attr, f"{path}/@{name}")
        return values

    def scalar(self, el, path):
        qname = str(el.type.qname) if el.type.qname is not None else None
        xsd_type = self.schema.maps.types.get(qname) if qname else None
        if xsd_type is not None and xsd_type.enumeration:
            # An enumeration wins over OVERRIDES: `LanguageID` is a number in one contract and
            # an enumeration (`Norwegian`, ...) in another.
            values = list(xsd_type.enumeration)
            if CARRIED.get(el.name) in values:
                return CARRIED[el.name]
            return values[_stable(path) % len(values)]
        if el.name in OVERRIDES:
            return OVERRIDES[el.name]
        if qname == "{http://schemas.microsoft.com/2003/10/Serialization/}guid":
            return GUID
        if qname == "{http://schemas.microsoft.com/2003/10/Serialization/}char":
            return 65
        builtin = xsd_type.primitive_type.local_name if xsd_type is not None else "string"
        if qname and qname.startswith(f"{{{XS}}}"):
            builtin = qname.split("}", 1)[1]
        value = self.builtin(builtin, el.name, path)
        limit = getattr(xsd_type, "max_length", None)
        return value[:limit] if isinstance(value, str) and limit else value

    def builtin(self, name, local, path):
        n = _stable(path) % 97 + 1
        if name in ("int", "long", "short", "integer"):
            # Extremes and negatives too: a reader must not narrow or round them.
            edge = {"int": 2**31 - 1, "long": 2**53 + 1, "short": -(2**15), "integer": 10**20}
            return (edge[name], -n, n)[n % 3]
        if name in ("nonNegativeInteger", "positiveInteger"):
            return n
        if name.startswith("unsigned") or name == "byte":
            return n % 100
        if name == "boolean":
            return n % 2 == 0
        if name == "dateTime":
            # zeep writes UTC as `Z`, other offsets as `+01:00`, naive values with no zone.
            zones = (datetime.timezone.utc, datetime.timezone(datetime.timedelta(hours=1)), None)
            return (WHEN + datetime.timedelta(days=n)).replace(tzinfo=zones[n % 3])
        if name == "date":
            return (WHEN + datetime.timedelta(days=n)).date()
        if name == "time":
            return datetime.time(8, n % 60, 0)
        if name == "duration":
            return datetime.timedelta(hours=1, minutes=n % 60)
        if name == "decimal":
            return decimal.Decimal(f"{n}.50")
        if name in ("double", "float"):
            return n + 0.25
        if name == "base64Binary":
            return f"{local} {n}: \u00e6\u00f8\u00e5".encode()
        if name == "anyURI":
            return f"https://example.no/{local}/{n}"
        # Markup characters and non-ASCII must survive escaping; some values keep outer spaces,
        # which xs:string preserves.
        text = f"{local} {n} <&> \u00e6\u00f8\u00e5"
        return f" {text} " if n % 7 == 0 else text
