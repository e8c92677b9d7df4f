// node-soap (1.13.0) as a real MTOM client: loads the broker's streamed WSDL, points it at the
// facade and sends UploadFileStreamedBasic with forceMTOM, the file as an attachment.
// Usage: node upload.js WSDL ENDPOINT FILE REFERENCE
const fs = require('fs');
const soap = require('soap');

const NS = 'http://www.altinn.no/services/ServiceEngine/Broker/2015/06';
const [wsdl, endpoint, file, reference] = process.argv.slice(2);

(async () => {
  const client = await soap.createClientAsync(wsdl, { endpoint });
  // node-soap ignores the binding's soap:header parts; they go in by hand (see peers.md).
  client.addSoapHeader(`<FileName xmlns="${NS}">upload.bin</FileName>`);
  client.addSoapHeader(`<Reference xmlns="${NS}">${reference}</Reference>`);
  client.addSoapHeader(`<Reportee xmlns="${NS}">910000001</Reportee>`);
  // The xop:Include must be written by hand too; node-soap only adds the part.
  const body = `<StreamedPayloadBasicBE xmlns="${NS}"><DataStream>` +
    '<xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:upload-file"/>' +
    '</DataStream></StreamedPayloadBasicBE>';
  const [result, raw] = await client.UploadFileStreamedBasicAsync({ _xml: body }, {
    forceMTOM: true,
    attachments: [{
      mimetype: 'application/octet-stream',
      contentId: 'upload-file',
      name: 'upload.bin',
      body: fs.readFileSync(file),
    }],
  });
  process.stdout.write(JSON.stringify({ result, raw }));
})().catch((e) => {
  console.error(e && e.stack || e);
  process.exit(1);
});
