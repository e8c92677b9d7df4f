"""zeep as an old client of the facade: loads a WSDL, points the binding at the facade, calls
operations with full sample requests and reports what came back.

    python facade_calls.py --wsdl PATH_OR_URL [--schemas PATH] --binding '{ns}local'
        --url FACADE_URL --user U --password P [--wsse OP,OP] [--node-args FILE [--no-call]] OP [OP ...]

`--wsdl` may be the corpus file or the facade's `?wsdl` URL; `--schemas` is the corpus file the
sample values' facets are read from (default: `--wsdl`). The legacy caller's credentials go
where the contract keeps them (`systemUserName`/`systemPassword` in the body, header parts
`SystemUserName`/`SystemPassword`, ...); operations listed in `--wsse` carry none, so they get a
WS-Security UsernameToken instead, as a WS-Security client of Altinn 2 sent them.

Prints one JSON object: {"operations": {OP: {"ok": ANSWER} | {"fault": {"code", "message",
"subcodes", "altinn_fault": {Field: text}}} | {"error": "Type: message"}}}. With --node-args,
also writes the same sample requests for node-soap (tests/node-soap/calls.js): {OP: {"args",
"headers": [XML, ...], "soap_version"}}.
"""

import argparse
import base64
import datetime
import decimal
import json
import requests
import sys

from lxml import etree
import zeep
from zeep.exceptions import Fault
from zeep.helpers import serialize_object
from zeep.transports import Transport
from zeep.wsse.username import UsernameToken
from zeep.xsd import Nil
from zeep.xsd import types as ztypes
from zeep.xsd.types.builtins import Duration

import samples
import wsdl_schemas

# Where the curated contracts keep the legacy caller's credentials (body fields and header
# parts); the manifests' `auth.old_fields` name the same elements.
USER_FIELDS = ("systemUserName", "SystemUserName", "userName", "username")
PASSWORD_FIELDS = ("systemPassword", "SystemPassword", "password", "passwd")


def credentials(user, password):
    values = {name: user for name in USER_FIELDS}
    values.update({name: password for name in PASSWORD_FIELDS})
    return values


def request(service, sampler, op_name):
    """The operation's keyword arguments (body fields and `_soapheaders`), from full samples."""
    op = service._binding._operations[op_name]
    body = op.input.body
    kwargs = {}
    if body is not None and isinstance(body.type, ztypes.ComplexType):
        kwargs = sampler.complex(body.type, op_name, (body.type.qname,))
    header = op.input.header
    if header is not None and isinstance(header.type, ztypes.ComplexType):
        headers = {name: sampler.element(part, op_name) for name, part in header.type.elements}
        if headers:
            kwargs["_soapheaders"] = headers
    return op, kwargs


def altinn_fault(detail):
    """The AltinnFault's fields as {local name: text}, wherever it sits in the detail."""
    if detail is None:
        return None
    for el in detail.iter():
        if isinstance(el.tag, str) and etree.QName(el).localname == "AltinnFault":
            return {etree.QName(c).localname: c.text for c in el if isinstance(c.tag, str)}
    return None


def call(service, op_name, kwargs):
    try:
        answer = getattr(service, op_name)(**kwargs)
    except Fault as f:
        return {
            "fault": {
                "code": f.code,
                "message": f.message,
                "subcodes": [str(s) for s in (f.subcodes or [])],
                "altinn_fault": altinn_fault(f.detail),
            }
        }
    except Exception as e:  # what the client raised is the result: report it, go on
        return {"error": f"{type(e).__name__}: {e}"}
    return {"ok": json.loads(json.dumps(serialize_object(answer), default=str))}


def js_value(value):
    """A sample value as node-soap takes it: JSON, base64 text for bytes, xsd text for dates."""
    if value is Nil:
        return None
    if isinstance(value, dict):
        return {k: js_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [js_value(v) for v in value]
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return Duration().xmlvalue(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def js_args(ctype, values):
    """Attributes of a complex value go under `attributes`, as node-soap wants them."""
    if not isinstance(ctype, ztypes.ComplexType) or not isinstance(values, dict):
        return js_value(values)
    attrs = {name for name, _ in ctype.attributes}
    elements = dict(ctype.elements)
    out, attributes = {}, {}
    for k, v in values.items():
        if k in attrs:
            attributes[k] = js_value(v)
        elif k in elements and isinstance(elements[k].type, ztypes.ComplexType):
            sub = elements[k].type
            out[k] = [js_args(sub, x) for x in v] if isinstance(v, list) else js_args(sub, v)
        else:
            out[k] = js_value(v)
    if attributes:
        out["attributes"] = attributes
    return out


def node_request(op, kwargs):
    """node-soap's arguments and header blocks (rendered by zeep: node-soap ignores binding
    headers, so a node-soap user adds them by hand with `addSoapHeader`)."""
    body = op.input.body
    args = {k: v for k, v in kwargs.items() if k != "_soapheaders"}
    headers = []
    for name, value in kwargs.get("_soapheaders", {}).items():
        part = dict(op.input.header.type.elements)[name]
        holder = etree.Element("holder")
        part.render(holder, value)
        headers.append(etree.tostring(holder[0], encoding="unicode"))
    return {
        "body": str(body.qname) if body is not None else None,
        "args": js_args(body.type if body is not None else None, args),
        "headers": headers,
        "soap_version": "1.2" if "soap12" in type(op.binding).__name__.lower() else "1.1",
    }


def main():
    a = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    a.add_argument("--wsdl", required=True)
    a.add_argument("--schemas")
    a.add_argument("--binding", required=True)
    a.add_argument("--url", required=True)
    a.add_argument("--user", required=True)
    a.add_argument("--password", required=True)
    a.add_argument("--wsse", default="")
    a.add_argument("--node-args")
    a.add_argument("--no-call", action="store_true", help="only write --node-args")
    a.add_argument("--cafile", help="a PEM certificate to trust for an https --url")
    a.add_argument("operations", nargs="+")
    args = a.parse_args()
    wsse_ops = {o for o in args.wsse.split(",") if o}
    sampler = samples.Sampler(
        wsdl_schemas.load(args.schemas or args.wsdl), credentials(args.user, args.password)
    )
    # An https facade is trusted through its own certificate, as a client's trust store would.
    session = requests.Session()
    if args.cafile:
        session.verify = args.cafile
        # REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE would otherwise replace `verify`.
        session.trust_env = False
    transport = Transport(session=session)
    plain = zeep.Client(args.wsdl, transport=transport).create_service(args.binding, args.url)
    token = UsernameToken(args.user, args.password)
    secured = zeep.Client(args.wsdl, wsse=token, transport=transport).create_service(
        args.binding, args.url
    )
    results, node = {}, {}
    for op_name in args.operations:
        sampler.nils = 0
        service = secured if op_name in wsse_ops else plain
        try:
            op, kwargs = request(service, sampler, op_name)
        except Exception as e:  # one operation zeep cannot build must not hide the others
            results[op_name] = {"error": f"building the request: {type(e).__name__}: {e}"}
            continue
        node[op_name] = node_request(op, kwargs)
        if not args.no_call:
            results[op_name] = call(service, op_name, kwargs)
    if args.node_args:
        with open(args.node_args, "w") as f:
            json.dump(node, f, indent=1)
    json.dump({"operations": results}, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
