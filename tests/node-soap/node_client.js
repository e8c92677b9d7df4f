// What the node-soap client scripts share: finding a binding's port, reading a fault.
'use strict';

// The port of `binding` (a WSDL may hold a SOAP 1.1 and a 1.2 binding of the same operations):
// `client.Op` is whichever port node-soap defined last, so the methods are taken from the port.
function port(client, binding) {
  const { services, bindings } = client.wsdl.definitions;
  for (const service of Object.keys(services)) {
    for (const name of Object.keys(services[service].ports)) {
      if (services[service].ports[name].binding === bindings[binding]) return client[service][name];
    }
  }
  throw new Error(`no port has binding ${binding}`);
}

function text(v) {
  if (v === undefined || v === null) return v;
  if (typeof v === 'object') return v.$value !== undefined ? v.$value : JSON.stringify(v);
  return String(v);
}

// node-soap rejects with an Error whose `root` is the parsed fault envelope (1.1: faultcode and
// faultstring; 1.2: Code/Value and Reason/Text).
function fault(err) {
  const f = err && err.root && err.root.Envelope && err.root.Envelope.Body && err.root.Envelope.Body.Fault;
  if (!f) return null;
  const detail = f.detail || f.Detail || {};
  return {
    code: text(f.faultcode) || text(f.Code && f.Code.Value),
    message: text(f.faultstring) || text(f.Reason && f.Reason.Text),
    altinn_fault: detail.AltinnFault || null,
  };
}

module.exports = { port, fault };
