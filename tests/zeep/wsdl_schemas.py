"""The XML Schemas of a WSDL as one xmlschema.XMLSchema.

Neither xmllint nor xmlschema reads a WSDL: its inline `xs:schema` elements are written out as
.xsd files first. Imports between inline schemas carry no schemaLocation (the WSDL is one
document), so they are pointed at the split files; imports of the .xsd files beside a multi-file
WSDL are pointed at those files by absolute path. A small main schema imports every namespace,
so one XMLSchema validates any global element of the contract.
"""

import copy
import os
import tempfile

from lxml import etree
import xmlschema

XS = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"


def _inline_schemas(wsdl_path):
    tree = etree.parse(wsdl_path)
    return tree.getroot().findall(f"{{{WSDL}}}types/{{{XS}}}schema")


def _standalone(schema):
    """A copy of an inline schema that declares every prefix in scope in the WSDL: attribute
    values like type="tns:Foo" need the declarations of the wsdl:definitions element."""
    out = etree.Element(schema.tag, attrib=dict(schema.attrib), nsmap=schema.nsmap)
    out.text = schema.text
    for child in schema:
        out.append(copy.deepcopy(child))
    return out


def split(wsdl_path, out_dir):
    """Writes each inline schema of `wsdl_path` to `out_dir` and returns the main .xsd path."""
    folder = os.path.dirname(os.path.abspath(wsdl_path))
    schemas = [_standalone(s) for s in _inline_schemas(wsdl_path)]
    files = {}
    for i, s in enumerate(schemas):
        files.setdefault(s.get("targetNamespace", ""), os.path.join(out_dir, f"inline_{i}.xsd"))
    for i, s in enumerate(schemas):
        for imp in s.findall(f"{{{XS}}}import"):
            loc = imp.get("schemaLocation")
            if loc:
                imp.set("schemaLocation", os.path.join(folder, loc))
            elif imp.get("namespace", "") in files:
                imp.set("schemaLocation", files[imp.get("namespace", "")])
        etree.ElementTree(s).write(os.path.join(out_dir, f"inline_{i}.xsd"), encoding="utf-8")
    main = etree.Element(f"{{{XS}}}schema", nsmap={"xs": XS})
    main.set("targetNamespace", "urn:altinn-bridge:tests:all")
    for ns, path in sorted(files.items()):
        imp = etree.SubElement(main, f"{{{XS}}}import", namespace=ns, schemaLocation=path)
        if not ns:
            del imp.attrib["namespace"]
    main_path = os.path.join(out_dir, "main.xsd")
    etree.ElementTree(main).write(main_path, encoding="utf-8")
    return main_path


def load(wsdl_path):
    """The contract's schemas as one XMLSchema (the split files live in a temporary folder
    that is removed once they are loaded)."""
    with tempfile.TemporaryDirectory(prefix="altinn-bridge-xsd-") as tmp:
        return xmlschema.XMLSchema(split(wsdl_path, tmp))
