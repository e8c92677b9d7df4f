// node-soap as the old client in the value-level conformance harness (tests/src/conformance):
// loads the facade's ?wsdl, points it at the facade and calls operations with the values the
// harness chose, as node-soap takes them (converted by tests/zeep/conformance_client.py).
//
//   node conformance_client.js --wsdl URL --url FACADE_URL
//
// Reads one JSON request per line on stdin:
//   {"binding": LOCAL, "op": NAME, "args": {...}, "headers": [XML, ...], "body": "{ns}local",
//    "soap_version": "1.1" | "1.2", "wsse": [USER, PASSWORD] | null}
// and writes one JSON line per request: {"answer": RESULT} (what node-soap parsed, null for an
// empty answer), {"fault": "CODE: MESSAGE"} or {"error": "..."}.
// With CONFORMANCE_SENT set, the envelope node-soap sent goes to stderr (for a failure's cause).
'use strict';

const readline = require('readline');
const soap = require('soap');
const { port, fault } = require('./node_client');

function options(argv) {
  const out = {};
  for (let i = 2; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  return out;
}

async function call(clients, o, req) {
  // node-soap ignores a soap12 binding: without forceSoap12Headers it would send SOAP 1.1.
  const v12 = req.soap_version === '1.2';
  if (!clients[v12]) {
    clients[v12] = await soap.createClientAsync(o.wsdl, { endpoint: o.url, forceSoap12Headers: v12 });
  }
  const client = clients[v12];
  client.clearSoapHeaders();
  client.setSecurity(
    req.wsse
      ? new soap.WSSecurity(req.wsse[0], req.wsse[1], { passwordType: 'PasswordText', hasTimeStamp: true })
      : null,
  );
  // Header parts by hand: node-soap does not write a binding's soap:header parts.
  for (const h of req.headers) client.addSoapHeader(h);
  let args = req.args;
  if (Object.keys(args).length === 0 && req.body) {
    // An empty input: written by hand, the workaround for vpulim/node-soap#83 (see calls.js).
    const [, ns, local] = /^\{(.*)\}(.*)$/.exec(req.body);
    args = { _xml: `<${local} xmlns="${ns}"/>` };
  }
  const methods = port(client, req.binding);
  try {
    const result = await new Promise((resolve, reject) => {
      methods[req.op](args, (err, res) => (err ? reject(err) : resolve(res)));
    });
    if (process.env.CONFORMANCE_SENT) process.stderr.write(`${req.op}: ${client.lastRequest}\n`);
    return { answer: result === undefined ? null : result };
  } catch (err) {
    if (process.env.CONFORMANCE_SENT) process.stderr.write(`${req.op}: ${client.lastRequest}\n`);
    const f = fault(err);
    return f ? { fault: `${f.code}: ${f.message}` } : { error: String(err && err.stack ? err.message : err) };
  }
}

async function main() {
  const o = options(process.argv);
  const clients = {};
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    const result = await call(clients, o, JSON.parse(line));
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
}

main().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
