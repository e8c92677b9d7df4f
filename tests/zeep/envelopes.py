"""Request envelopes from a real SOAP client: zeep's `create_message` on a corpus WSDL.

    python envelopes.py --wsdl PATH --binding '{ns}local' --out DIR OP [OP ...]

Writes DIR/<OP>.xml (the envelope exactly as zeep would send it) for each operation, each
response body and header element as zeep renders it to DIR/<OP>.response.<N>.xml, and
DIR/index.json: {"operations": {OP: {"file", "soap_version", "body": "{ns}local",
"headers": ["{ns}local", ...], "nils": N, "responses": [{"element", "file"}, ...],
"response_nils": N}}} (N: how many xsi:nil were asked for). One run serves every operation of a WSDL because
Python and zeep's WSDL load take most of the time.
"""

import argparse
import json
import os
import sys

from lxml import etree
import zeep
from zeep.xsd import types as ztypes

import samples
import wsdl_schemas

LOCAL = "http://127.0.0.1:9/unused"  # create_message never sends; the address is only recorded


def _header_values(sampler, header, path):
    """The `_soapheaders` dict: one sample per header part, keyed by part name."""
    if header is None or not isinstance(header.type, ztypes.ComplexType):
        return None
    values = {}
    for name, part in header.type.elements:
        values[name] = sampler.element(part, path)
    return values or None


def build(client, binding_qname, op_name, sampler):
    service = client.create_service(binding_qname, LOCAL)
    op = service._binding._operations[op_name]
    body = op.input.body
    kwargs = {}
    if body is not None and isinstance(body.type, ztypes.ComplexType):
        kwargs = sampler.complex(body.type, op_name, (body.type.qname,))
    headers = _header_values(sampler, op.input.header, op_name)
    if headers:
        kwargs["_soapheaders"] = headers
    envelope = client.create_message(service, op_name, **kwargs)
    header_names = []
    if headers:
        header_names = [str(part.qname) for _, part in op.input.header.type.elements]
    return envelope, {
        "soap_version": "1.2" if "soap12" in type(op.binding).__name__.lower() else "1.1",
        "body": str(body.qname) if body is not None else None,
        "headers": header_names,
    }


def response_elements(binding_op, sampler, op_name):
    """The response's body and header elements, each rendered by zeep from a full sample: what
    a client reads back (zeep has no create_message for responses, but renders elements)."""
    out = []
    message = binding_op.output
    if message is None:
        return out
    parts = []
    if message.body is not None:
        parts.append(message.body)
    if message.header is not None and isinstance(message.header.type, ztypes.ComplexType):
        parts.extend(part for _, part in message.header.type.elements)
    for part in parts:
        path = f"{op_name}Response/{part.name}"
        if isinstance(part.type, ztypes.ComplexType):
            value = part.type(**sampler.complex(part.type, path, (part.type.qname,)))
        else:
            value = sampler.scalar(part, path)
        holder = etree.Element("holder")
        part.render(holder, value)
        out.append((str(part.qname), holder[0]))
    return out


def main():
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--wsdl", required=True)
    args.add_argument("--binding", required=True, help="{namespace}local")
    args.add_argument("--out", required=True)
    args.add_argument("operations", nargs="+")
    a = args.parse_args()
    os.makedirs(a.out, exist_ok=True)
    client = zeep.Client(a.wsdl)
    sampler = samples.Sampler(wsdl_schemas.load(a.wsdl))
    index = {"wsdl": os.path.abspath(a.wsdl), "binding": a.binding, "operations": {}}
    failed = False
    for op_name in a.operations:
        sampler.nils = 0
        try:
            envelope, info = build(client, a.binding, op_name, sampler)
        except Exception as e:  # one bad operation must not hide the others
            print(f"{op_name}: {type(e).__name__}: {e}", file=sys.stderr)
            failed = True
            continue
        path = os.path.join(a.out, f"{op_name}.xml")
        with open(path, "wb") as f:
            f.write(etree.tostring(envelope, xml_declaration=True, encoding="utf-8"))
        request_nils, sampler.nils = sampler.nils, 0
        responses = []
        op = client.create_service(a.binding, LOCAL)._binding._operations[op_name]
        for i, (qname, element) in enumerate(response_elements(op, sampler, op_name)):
            rpath = os.path.join(a.out, f"{op_name}.response.{i}.xml")
            with open(rpath, "wb") as f:
                f.write(etree.tostring(element, encoding="utf-8"))
            responses.append({"element": qname, "file": rpath})
        index["operations"][op_name] = dict(
            info, file=path, nils=request_nils, responses=responses, response_nils=sampler.nils
        )
    with open(os.path.join(a.out, "index.json"), "w") as f:
        json.dump(index, f, indent=1)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
