//! Synthetic contracts for the benches: as large as asked, shaped like real ones. Shared by
//! `load` and `suggest` (included with `#[path]`).
#![allow(dead_code)]

/// A synthetic OpenAPI 3.0 document of at least `bytes` bytes, written as a real one would be:
/// block mappings and sequences, flow mappings, quoted keys, block-scalar descriptions, `$ref`s
/// from every response to its schema.
pub fn openapi_yaml(bytes: usize, noun: &str) -> String {
    use std::fmt::Write;
    let mut paths = String::new();
    let mut schemas = String::new();
    let mut n = 0;
    while paths.len() + schemas.len() < bytes {
        n += 1;
        let _ = write!(
            paths,
            "  /{noun}{n}/{{{noun}Id}}:\n    get:\n      operationId: get{noun}{n}\n      summary: One {noun} item {n}\n      \
             description: |\n        Reads {noun} item {n}.\n        key: not a key, part of the text\n      tags: [{noun}]\n      \
             parameters:\n        - name: {noun}Id\n          in: path\n          required: true\n          \
             schema: {{ type: string, format: uuid }}\n        - name: expand\n          in: query\n          \
             schema:\n            type: boolean\n      responses:\n        '200':\n          description: The thing\n          \
             content:\n            application/json:\n              schema:\n                \
             $ref: '#/components/schemas/{noun}Item{n}'\n        \"404\":\n          description: Not found\n"
        );
        let _ = write!(
            schemas,
            "    {noun}Item{n}:\n      type: object\n      required: [id, name]\n      properties:\n        \
             id: {{ type: string, format: uuid }}\n        name:\n          type: string\n          maxLength: 200\n"
        );
        for f in 0..6 {
            let _ = write!(
                schemas,
                "        field{f}:\n          type: string\n          description: >-\n            Field {f} of {noun} item {n},\n            folded.\n"
            );
        }
    }
    format!(
        "openapi: 3.0.3\ninfo:\n  title: Synthetic\n  version: '1'\npaths:\n{paths}components:\n  schemas:\n{schemas}"
    )
}

/// A synthetic document-literal WSDL with `ops` operations, each with a request and an answer
/// of a dozen fields, WCF style (credentials, a criteria object, a list in the answer).
pub fn wsdl(ops: usize) -> String {
    use std::fmt::Write;
    let verbs = ["Get", "Insert", "Update", "Delete", "Search", "Confirm"];
    let nouns = [
        "Invoice", "Order", "Shipment", "Receipt", "Customer", "Report", "Message", "File",
    ];
    let (mut elements, mut messages, mut port, mut binding) =
        (String::new(), String::new(), String::new(), String::new());
    for i in 0..ops {
        let name = format!(
            "{}{}{}V{}",
            verbs[i % verbs.len()],
            nouns[i % nouns.len()],
            if i % 3 == 0 { "Details" } else { "" },
            i
        );
        let _ = writeln!(
            elements,
            "<xs:element name=\"{name}\"><xs:complexType><xs:sequence>\
             <xs:element name=\"systemUserName\" type=\"xs:string\" minOccurs=\"0\"/>\
             <xs:element name=\"systemPassword\" type=\"xs:string\" minOccurs=\"0\"/>\
             <xs:element name=\"criteria\"><xs:complexType><xs:sequence>\
             <xs:element name=\"Reference\" type=\"xs:string\"/><xs:element name=\"CreatedAfter\" type=\"xs:dateTime\"/>\
             <xs:element name=\"CreatedBefore\" type=\"xs:dateTime\"/><xs:element name=\"Status\" type=\"xs:string\"/>\
             <xs:element name=\"ServiceCode\" type=\"xs:string\"/><xs:element name=\"Amount\" type=\"xs:decimal\"/>\
             </xs:sequence></xs:complexType></xs:element></xs:sequence></xs:complexType></xs:element>\
             <xs:element name=\"{name}Response\"><xs:complexType><xs:sequence>\
             <xs:element name=\"{name}Result\"><xs:complexType><xs:sequence>\
             <xs:element name=\"Item\" maxOccurs=\"unbounded\"><xs:complexType><xs:sequence>\
             <xs:element name=\"Id\" type=\"xs:string\"/><xs:element name=\"Title\" type=\"xs:string\"/>\
             <xs:element name=\"LastChanged\" type=\"xs:dateTime\"/><xs:element name=\"Status\" type=\"xs:string\"/>\
             </xs:sequence></xs:complexType></xs:element></xs:sequence></xs:complexType></xs:element>\
             </xs:sequence></xs:complexType></xs:element>"
        );
        let _ = writeln!(
            messages,
            "<wsdl:message name=\"{name}In\"><wsdl:part name=\"p\" element=\"tns:{name}\"/></wsdl:message>\
             <wsdl:message name=\"{name}Out\"><wsdl:part name=\"p\" element=\"tns:{name}Response\"/></wsdl:message>"
        );
        let _ = writeln!(
            port,
            "<wsdl:operation name=\"{name}\"><wsdl:input message=\"tns:{name}In\"/><wsdl:output message=\"tns:{name}Out\"/></wsdl:operation>"
        );
        let _ = writeln!(
            binding,
            "<wsdl:operation name=\"{name}\"><soap:operation soapAction=\"urn:s/{name}\" style=\"document\"/>\
             <wsdl:input><soap:body use=\"literal\"/></wsdl:input><wsdl:output><soap:body use=\"literal\"/></wsdl:output></wsdl:operation>"
        );
    }
    format!(
        "<?xml version=\"1.0\"?>\n<wsdl:definitions name=\"Synthetic\" targetNamespace=\"urn:s\" xmlns:tns=\"urn:s\" \
         xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\" xmlns:soap=\"http://schemas.xmlsoap.org/wsdl/soap/\" \
         xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n<wsdl:types><xs:schema targetNamespace=\"urn:s\" elementFormDefault=\"qualified\">\n\
         {elements}</xs:schema></wsdl:types>\n{messages}<wsdl:portType name=\"P\">\n{port}</wsdl:portType>\n\
         <wsdl:binding name=\"B\" type=\"tns:P\"><soap:binding transport=\"http://schemas.xmlsoap.org/soap/http\"/>\n{binding}</wsdl:binding>\n\
         <wsdl:service name=\"S\"><wsdl:port name=\"B\" binding=\"tns:B\"><soap:address location=\"https://x/s\"/></wsdl:port></wsdl:service>\n\
         </wsdl:definitions>\n"
    )
}
