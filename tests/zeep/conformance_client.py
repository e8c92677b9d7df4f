"""zeep as the old client in the value-level conformance harness (tests/src/conformance).

    python conformance_client.py --wsdl FACADE_URL?wsdl --url FACADE_URL

Reads one JSON request per line on stdin:

    {"binding": "{ns}Binding", "op": NAME, "body": XML | null, "headers": [XML, ...],
     "wsse": [USER, PASSWORD] | null}

The harness writes each request as XML with a distinctive value in every leaf. zeep reads that
XML into its own typed values (what an application using zeep holds: ints, datetimes, bytes),
then builds and sends the call itself, so the envelope the facade gets is zeep's, not the
harness's. The answer zeep received is read by zeep's types again and rendered back to XML, so the
harness checks the values as zeep understood them, link by link, as it does for its own calls.

Writes one JSON line per request: {"answer": XML | null}, {"fault": "CODE: MESSAGE"} or
{"error": "Type: message"} (zeep could not build the call or read the answer).

A request with `"node": true` is not called: the answer is {"node": {"args", "headers",
"soap_version", "answer": "{ns}local"}}, the same values as node-soap takes them (see
`facade_calls.node_request`) for `tests/node-soap/conformance_client.js`, and the answer
element's name.
"""

import argparse
import json
import sys

import zeep
from facade_calls import node_request
from lxml import etree
from zeep.exceptions import Fault
from zeep.helpers import serialize_object
from zeep.plugins import HistoryPlugin
from zeep.wsse.username import UsernameToken

BODY = ("{http://schemas.xmlsoap.org/soap/envelope/}Body", "{http://www.w3.org/2003/05/soap-envelope}Body")


def typed(element, xml, schema):
    """zeep's value of `xml` read as `element` (a CompoundValue for a complex type)."""
    return element.parse(etree.fromstring(xml.encode()), schema)


def arguments(op, request, schema):
    """The call's keyword arguments: the body's fields and `_soapheaders`, as zeep values."""
    kwargs = {}
    if request["body"] is not None:
        value = typed(op.input.body, request["body"], schema)
        # An element with no content (a `Test` ping) reads as None.
        kwargs = {name: value[name] for name in value} if value is not None else {}
    headers = {}
    parts = op.input.header.type.elements if op.input.header is not None else []
    for xml in request["headers"]:
        tag = etree.fromstring(xml.encode()).tag
        for name, part in parts:
            if part.qname == tag:
                headers[name] = typed(part, xml, schema)
    if headers:
        kwargs["_soapheaders"] = headers
    return kwargs


def present(value):
    """`value` without the members zeep reads as None (absent): node-soap would write those as
    xsi:nil. An explicit nil stays (zeep's `Nil`)."""
    if isinstance(value, dict):
        return {k: present(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [present(v) for v in value if v is not None]
    return value


def answer(op, history, schema):
    """The answer body element as zeep reads it, rendered back by zeep (None for no body)."""
    envelope = history.last_received["envelope"]
    body = next((e for e in envelope.iter(*BODY)), None)
    first = next((e for e in body if isinstance(e.tag, str)), None) if body is not None else None
    if first is None or op.output.body is None:
        return None
    value = op.output.body.parse(first, schema)
    holder = etree.Element("holder")
    if value is None:
        # An answer element with no content reads as None, which zeep will not render.
        etree.SubElement(holder, op.output.body.qname)
    else:
        op.output.body.render(holder, value)
    return etree.tostring(holder[0], encoding="unicode")


def main():
    a = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    a.add_argument("--wsdl", required=True)
    a.add_argument("--url", required=True)
    args = a.parse_args()
    history = HistoryPlugin()
    client = zeep.Client(args.wsdl, plugins=[history])
    schema = client.wsdl.types
    services = {}
    for line in sys.stdin:
        request = json.loads(line)
        binding = request["binding"]
        if binding not in services:
            services[binding] = client.create_service(binding, args.url)
        service = services[binding]
        wsse = request.get("wsse")
        client.wsse = UsernameToken(*wsse) if wsse else None
        try:
            op = service._binding._operations[request["op"]]
            kwargs = arguments(op, request, schema)
            if request.get("node"):
                # node-soap takes plain objects: zeep's values as dicts and lists.
                node = node_request(op, present(serialize_object(kwargs, dict)))
                node["answer"] = str(op.output.body.qname) if op.output.body is not None else None
                print(json.dumps({"node": node}), flush=True)
                continue
            getattr(service, request["op"])(**kwargs)
            result = {"answer": answer(op, history, schema)}
        except Fault as f:
            result = {"fault": f"{f.code}: {f.message}"}
        except Exception as e:  # what zeep raised is the result: report it, go on
            result = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
