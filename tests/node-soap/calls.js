// node-soap 1.13.0 as an old client of the facade: loads the corpus WSDL, points it at the
// facade and calls operations with the sample requests tests/zeep/facade_calls.py wrote.
//
//   node calls.js --wsdl PATH --binding LOCAL --url FACADE_URL --requests FILE
//                 --user U --password P [--wsse OP,OP]
//
// Prints one JSON object: {"operations": {OP: {"ok": ANSWER} | {"fault": {"code", "message",
// "altinn_fault"}} | {"error": "..."}}}.
'use strict';

const fs = require('fs');
const soap = require('soap');
const { port, fault } = require('./node_client');

function options(argv) {
  const out = {};
  for (let i = 2; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  return out;
}

async function main() {
  const o = options(process.argv);
  const requests = JSON.parse(fs.readFileSync(o.requests, 'utf8'));
  const wsse = new Set((o.wsse || '').split(',').filter(Boolean));
  const soap12 = Object.values(requests).some((r) => r.soap_version === '1.2');
  // node-soap ignores a soap12 binding: without forceSoap12Headers it would send SOAP 1.1.
  const client = await soap.createClientAsync(o.wsdl, { endpoint: o.url, forceSoap12Headers: soap12 });
  const methods = port(client, o.binding);
  const results = {};
  for (const [op, req] of Object.entries(requests)) {
    client.clearSoapHeaders();
    if (wsse.has(op)) {
      client.setSecurity(new soap.WSSecurity(o.user, o.password, { passwordType: 'PasswordText', hasTimeStamp: true }));
    } else {
      client.setSecurity(null);
    }
    // Header parts by hand: node-soap does not write a binding's soap:header parts.
    for (const h of req.headers) client.addSoapHeader(h);
    let args = req.args;
    if (Object.keys(args).length === 0 && req.body) {
      // An empty input: node-soap writes the message name instead of the element when the
      // WSDL reuses a prefix for two namespaces (vpulim/node-soap#83), so the element is
      // written by hand, the workaround a node-soap user has.
      const [, ns, local] = /^\{(.*)\}(.*)$/.exec(req.body);
      args = { _xml: `<${local} xmlns="${ns}"/>` };
    }
    try {
      const result = await new Promise((resolve, reject) => {
        methods[op](args, (err, res) => (err ? reject(err) : resolve(res)));
      });
      results[op] = { ok: result === undefined ? null : result };
    } catch (err) {
      const f = fault(err);
      results[op] = f ? { fault: f } : { error: String(err && err.stack ? err.message : err) };
    }
  }
  process.stdout.write(JSON.stringify({ operations: results }, null, 1));
}

main().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
