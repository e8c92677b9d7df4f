//! Resolution tests on small contracts written here.

/// A download (non-JSON success response) as an output.
mod downloads {
    use std::path::Path;

    use crate::diag::SourceMap;
    use crate::link::{Overrides, Source, load_mapping};
    use crate::load::Limits;

    const WSDL: &str = r#"<wsdl:definitions name="S" targetNamespace="urn:s" xmlns:tns="urn:s"
        xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/">
      <wsdl:types>
        <xs:schema elementFormDefault="qualified" targetNamespace="urn:s" xmlns:xs="http://www.w3.org/2001/XMLSchema">
          <xs:element name="Get"><xs:complexType><xs:sequence>
            <xs:element name="ref" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
          <xs:element name="GetResponse"><xs:complexType><xs:sequence>
            <xs:element name="Data" type="xs:base64Binary"/></xs:sequence></xs:complexType></xs:element>
        </xs:schema>
      </wsdl:types>
      <wsdl:message name="In"><wsdl:part name="parameters" element="tns:Get"/></wsdl:message>
      <wsdl:message name="Out"><wsdl:part name="parameters" element="tns:GetResponse"/></wsdl:message>
      <wsdl:portType name="P"><wsdl:operation name="Get">
        <wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/></wsdl:operation></wsdl:portType>
      <wsdl:binding name="B" type="tns:P"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
        <wsdl:operation name="Get"><soap:operation soapAction="urn:s/Get" style="document"/>
          <wsdl:input><soap:body use="literal"/></wsdl:input>
          <wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation></wsdl:binding>
      <wsdl:service name="S"><wsdl:port name="B" binding="tns:B">
        <soap:address location="https://example.invalid/s"/></wsdl:port></wsdl:service>
    </wsdl:definitions>"#;

    const OPENAPI: &str = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
      "paths": {"/files/{id}/download": {"get": {
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "the file",
          "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}}}}}"#;

    fn check(output_from: &str) -> Result<crate::link::Resolved, String> {
        let manifest = format!(
            r#"api = "S"
strategy = 1
[sources]
wsdl = "s.wsdl"
openapi = ["a.json"]
[[operations]]
soap = "Get"
calls = [{{ name = "download", endpoint = "GET /files/{{id}}/download" }}]
[[operations.inputs]]
from = "Get/ref"
to = "path.id"
[[operations.outputs]]
from = "{output_from}"
to = "GetResponse/Data"
"#
        );
        let mut sources = SourceMap::new();
        sources.register_virtual("m/s.wsdl", WSDL);
        sources.register_virtual("m/a.json", OPENAPI);
        sources.register_virtual("m/x.toml", manifest);
        load_mapping(
            &mut sources,
            Path::new("m/x.toml"),
            &Overrides::default(),
            &Limits::default(),
        )
        .map(|(m, _)| m.resolved)
        .map_err(|d| sources.render_all(&d))
    }

    #[test]
    fn a_binary_download_is_read_whole_but_not_into() {
        let resolved = check("body").expect("the whole download fills the output");
        let link = &resolved.operations[0].outputs[0];
        assert!(matches!(&link.from, Source::Response { call, .. } if call == "download"));
        let err = check("body.name").expect_err("a non-JSON response has no fields");
        assert!(err.contains("no JSON success response"), "{err}");
    }
}

/// Joins through repeated elements below a call's loop.
mod join_tests {
    use std::path::Path;

    use crate::diag::SourceMap;
    use crate::link::{Overrides, load_mapping};
    use crate::load::Limits;

    const WSDL: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions name="S" targetNamespace="urn:t" xmlns:tns="urn:t"
    xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <wsdl:types>
    <xs:schema elementFormDefault="qualified" targetNamespace="urn:t">
      <xs:complexType name="Token">
        <xs:sequence><xs:element minOccurs="0" name="Value" type="xs:string"/></xs:sequence>
      </xs:complexType>
      <xs:complexType name="Note">
        <xs:sequence>
          <xs:element minOccurs="0" name="Title" type="xs:string"/>
          <xs:element minOccurs="0" maxOccurs="unbounded" name="Token" type="tns:Token"/>
        </xs:sequence>
      </xs:complexType>
      <xs:element name="Send">
        <xs:complexType><xs:sequence>
          <xs:element maxOccurs="unbounded" name="Note" type="tns:Note"/>
        </xs:sequence></xs:complexType>
      </xs:element>
      <xs:element name="SendResponse"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
    </xs:schema>
  </wsdl:types>
  <wsdl:message name="In"><wsdl:part name="parameters" element="tns:Send"/></wsdl:message>
  <wsdl:message name="Out"><wsdl:part name="parameters" element="tns:SendResponse"/></wsdl:message>
  <wsdl:portType name="P">
    <wsdl:operation name="Send"><wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/></wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="B" type="tns:P">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Send">
      <soap:operation soapAction="urn:t/Send" style="document"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="S"><wsdl:port name="B" binding="tns:B"><soap:address location="https://x/s"/></wsdl:port></wsdl:service>
</wsdl:definitions>
"#;

    const OPENAPI: &str = r#"{"openapi": "3.0.1", "info": {"title": "T", "version": "1"},
  "paths": {"/send": {"post": {
    "requestBody": {"content": {"application/json": {"schema": {"type": "object",
      "properties": {"subject": {"type": "string"}, "body": {"type": "string"}}}}}},
    "responses": {"202": {"description": "ok"}}}}}}"#;

    /// Resolves `links` (TOML for one operation's calls and links) against the fixture pair and
    /// returns the rendered errors, empty when it resolves.
    fn errors(links: &str) -> String {
        errors_with(WSDL, OPENAPI, links)
    }

    fn errors_with(wsdl: &str, openapi: &str, links: &str) -> String {
        let manifest = format!(
            "api = \"S\"\nstrategy = 1\n[sources]\nwsdl = \"s.wsdl\"\nopenapi = [\"o.json\"]\n\n[[operations]]\nsoap = \"Send\"\n{links}"
        );
        let dir = Path::new("/virtual/link-join");
        let mut sources = SourceMap::new();
        sources.register_virtual(dir.join("s.wsdl"), wsdl.to_owned());
        sources.register_virtual(dir.join("o.json"), openapi.to_owned());
        sources.register_virtual(dir.join("m.toml"), manifest);
        match load_mapping(
            &mut sources,
            &dir.join("m.toml"),
            &Overrides::default(),
            &Limits::default(),
        ) {
            Ok(_) => String::new(),
            Err(d) => sources.render_all(&d),
        }
    }

    #[test]
    fn a_non_json_success_response_is_read_whole_as_body() {
        let wsdl = WSDL.replace(
            "<xs:element name=\"SendResponse\"><xs:complexType><xs:sequence/></xs:complexType></xs:element>",
            "<xs:element name=\"SendResponse\"><xs:complexType><xs:sequence>\
             <xs:element minOccurs=\"0\" name=\"Data\" type=\"xs:base64Binary\"/>\
             </xs:sequence></xs:complexType></xs:element>",
        );
        let openapi = r#"{"openapi": "3.0.1", "info": {"title": "T", "version": "1"},
  "paths": {"/file": {"get": {"responses": {"200": {"description": "the bytes",
    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}}}}}"#;
        let run = |from: &str| {
            errors_with(
                &wsdl,
                openapi,
                &format!(
                    r#"calls = [{{ name = "get", endpoint = "GET /file" }}]
inputs = [{{ from = "Send/Note", drop = "not sent" }}]
outputs = [{{ from = "{from}", to = "SendResponse/Data" }}]"#
                ),
            )
        };
        assert_eq!(run("body"), "", "the bytes, whole");
        let err = run("body.name");
        assert!(
            err.contains("has no JSON success response to read `name`"),
            "{err}"
        );
    }

    #[test]
    fn join_takes_the_values_of_a_repeated_element_below_the_loop() {
        let ok = errors(
            r#"calls = [{ name = "send", endpoint = "POST /send", for_each = "Send/Note" }]
inputs = [
  { from = "Send/Note/Title", to = "body.subject" },
  { from = "Send/Note/Token/Value", to = "body.body", join = " " },
]"#,
        );
        assert_eq!(ok, "", "one value per Token: a list");
        // The loop's own repetition is used up by the loop: one Title per call is not a list.
        let err = errors(
            r#"calls = [{ name = "send", endpoint = "POST /send", for_each = "Send/Note" }]
inputs = [
  { from = "Send/Note/Title", to = "body.subject", join = " " },
  { from = "Send/Note/Token/Value", to = "body.body", join = " " },
]"#,
        );
        assert!(err.contains("`join` needs a list source"), "{err}");
        assert!(!err.contains("Token/Value` is"), "{err}");
        // Without a loop, the repeated Note makes even Title a list.
        let ok = errors(
            r#"calls = [{ name = "send", endpoint = "POST /send" }]
inputs = [
  { from = "Send/Note/Title", to = "body.subject", join = " " },
  { from = "Send/Note/Token/Value", to = "body.body", join = " " },
]"#,
        );
        assert_eq!(ok, "");
    }

    #[test]
    fn pages_are_only_for_calls_that_may_be_repeated() {
        let err = errors(
            r#"calls = [{ name = "send", endpoint = "POST /send", pages = { items = "items", next = "next" } }]
inputs = [
  { from = "Send/Note/Title", drop = "x" },
  { from = "Send/Note/Token/Value", drop = "x" },
]"#,
        );
        assert!(
            err.contains(
                "`pages` repeats the request for every page, and a POST may not be repeated"
            ),
            "{err}"
        );
    }

    #[test]
    fn a_prefix_goes_on_text_and_never_on_a_list_or_nothing() {
        let ok = errors(
            r#"calls = [{ name = "send", endpoint = "POST /send", for_each = "Send/Note" }]
inputs = [
  { from = "Send/Note/Title", to = "body.subject", prefix = "urn:x:" },
  { from = "Send/Note/Token/Value", drop = "not here" },
]"#,
        );
        assert_eq!(ok, "");
        let err = errors(
            r#"calls = [{ name = "send", endpoint = "POST /send", for_each = "Send/Note" }]
inputs = [
  { from = "Send/Note/Title", to = "body.subject", prefix = "" },
]"#,
        );
        assert!(err.contains("an empty `prefix` changes nothing"), "{err}");
        // Split first: the list the split makes cannot take a prefix as one text.
        let err = errors(
            r#"calls = [{ name = "send", endpoint = "POST /send", for_each = "Send/Note" }]
inputs = [
  { from = "Send/Note/Title", to = "body.subject", split = ",", prefix = "urn:x:", join = "," },
]"#,
        );
        assert!(
            err.contains("`prefix` needs a value written as text"),
            "{err}"
        );
    }
}

/// Links typed against their own call's document; downloads that declare no content.
mod document_tests {
    use std::path::Path;

    use crate::diag::{Diagnostics, SourceMap};
    use crate::link::Resolved;
    use crate::link::{Overrides, load_mapping};
    use crate::load::Limits;

    const WSDL: &str = r#"<?xml version="1.0"?>
<wsdl:definitions name="S" targetNamespace="urn:s" xmlns:tns="urn:s"
    xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <wsdl:types>
    <xs:schema elementFormDefault="qualified" targetNamespace="urn:s">
      <xs:element name="Get"><xs:complexType><xs:sequence>
        <xs:element name="id" type="xs:string"/>
      </xs:sequence></xs:complexType></xs:element>
      <xs:element name="GetResponse"><xs:complexType><xs:sequence>
        <xs:element name="Data" type="xs:base64Binary"/>
      </xs:sequence></xs:complexType></xs:element>
    </xs:schema>
  </wsdl:types>
  <wsdl:message name="In"><wsdl:part name="parameters" element="tns:Get"/></wsdl:message>
  <wsdl:message name="Out"><wsdl:part name="parameters" element="tns:GetResponse"/></wsdl:message>
  <wsdl:portType name="P"><wsdl:operation name="Get">
    <wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/>
  </wsdl:operation></wsdl:portType>
  <wsdl:binding name="B" type="tns:P">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Get"><soap:operation soapAction="urn:s/Get" style="document"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="S"><wsdl:port name="B" binding="tns:B"><soap:address location="https://x/s"/></wsdl:port></wsdl:service>
</wsdl:definitions>
"#;

    /// The first document: a download whose success response declares no content, and a `Kind`
    /// schema that clashes with the second document's.
    const FIRST: &str = r##"{ "openapi": "3.0.1", "info": { "title": "A", "version": "1" },
  "paths": {
    "/files/{id}": { "get": {
      "parameters": [
        { "name": "id", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } },
        { "name": "party", "in": "query", "schema": { "type": "integer", "format": "int32" } }
      ],
      "responses": { "200": { "description": "the file" } } } },
    "/files": { "post": {
      "requestBody": { "required": true, "content": { "application/octet-stream": {
        "schema": { "type": "string", "format": "binary" } } } },
      "responses": { "201": { "description": "stored" } } } }
  },
  "components": { "schemas": { "Kind": { "type": "string", "enum": ["p", "q"] } } } }"##;

    /// The second document: same schema name, other values; a named array in a response.
    const SECOND: &str = r##"{ "openapi": "3.0.1", "info": { "title": "B", "version": "1" },
  "paths": {
    "/things": {
      "get": { "responses": { "200": { "description": "ok", "content": { "application/json": {
        "schema": { "$ref": "#/components/schemas/Page" } } } } } },
      "post": {
        "requestBody": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Thing" } } } },
        "responses": { "200": { "description": "ok" } } } }
  },
  "components": { "schemas": {
    "Kind": { "type": "string", "enum": ["x", "y"] },
    "Thing": { "type": "object", "properties": { "kind": { "$ref": "#/components/schemas/Kind" } } },
    "Things": { "type": "array", "items": { "$ref": "#/components/schemas/Thing" } },
    "Page": { "type": "object", "properties": { "items": { "$ref": "#/components/schemas/Things" } } }
  } } }"##;

    fn check(operation: &str) -> Result<(Resolved, Diagnostics), Diagnostics> {
        let manifest = format!(
            "api = \"S\"\nstrategy = 1\n[sources]\nwsdl = \"s.wsdl\"\nopenapi = [\"a.json\", \"b.json\"]\n\n[[operations]]\nsoap = \"Get\"\n{operation}"
        );
        let mut sources = SourceMap::new();
        let dir = Path::new("/virtual/link-tests");
        sources.register_virtual(dir.join("m.toml"), manifest);
        sources.register_virtual(dir.join("s.wsdl"), WSDL);
        sources.register_virtual(dir.join("a.json"), FIRST);
        sources.register_virtual(dir.join("b.json"), SECOND);
        load_mapping(
            &mut sources,
            &dir.join("m.toml"),
            &Overrides::default(),
            &Limits::default(),
        )
        .map(|(m, d)| (m.resolved, d))
    }

    fn messages(d: &Diagnostics) -> Vec<String> {
        d.0.iter().map(|d| d.message.clone()).collect()
    }

    /// The messages other than the plausibility warnings of `lint` (these manifests link only
    /// what each test is about).
    fn typing(d: &Diagnostics) -> Vec<String> {
        messages(d)
            .into_iter()
            .filter(|m| {
                !m.contains("writes, but no SOAP input") && !m.contains("is linked to nothing")
            })
            .collect()
    }

    #[test]
    fn links_are_typed_against_their_own_document() {
        // `x` is a value of the second document's `Kind`, not of the first's.
        let ok = check(
            r#"calls = [{ name = "add", endpoint = "POST /things" }]
inputs = [
  { from = "Get/id", drop = "not needed" },
  { value = "x", to = "body.kind" },
]"#,
        );
        let (_, warnings) = ok.unwrap_or_else(|d| panic!("{:?}", messages(&d)));
        assert!(typing(&warnings).is_empty(), "{:?}", messages(&warnings));
        let bad = check(
            r#"calls = [{ name = "add", endpoint = "POST /things" }]
inputs = [
  { from = "Get/id", drop = "not needed" },
  { value = "p", to = "body.kind" },
]"#,
        );
        let errors = messages(&bad.expect_err("`p` is not a value of the second `Kind`"));
        assert!(errors.iter().any(|m| m.contains("value `p`")), "{errors:?}");
    }

    #[test]
    fn loops_over_a_later_documents_named_array() {
        let r = check(
            r#"calls = [
  { name = "list", endpoint = "GET /things" },
  { name = "add", endpoint = "POST /things", for_each = "list: items" },
]
inputs = [
  { from = "Get/id", drop = "not needed" },
  { into = "add", call = "list", from = "items[].kind", to = "body.kind" },
]"#,
        );
        r.unwrap_or_else(|d| panic!("{:?}", messages(&d)));
    }

    #[test]
    fn a_download_body_is_read_as_bytes_and_instance_ids_split() {
        let (_, warnings) = check(
            r#"calls = [{ name = "file", endpoint = "GET /files/{id}" }]
inputs = [
  { from = "Get/id", to = "path.id", format = "instance-guid" },
  { from = "Get/id", to = "query.party", format = "instance-party-id" },
]
outputs = [{ from = "body", to = "GetResponse/Data" }]"#,
        )
        .unwrap_or_else(|d| panic!("{:?}", messages(&d)));
        let w = messages(&warnings);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("declares no content"), "{w:?}");
        let uuid = check(
            r#"calls = [{ name = "file", endpoint = "GET /files/{id}" }]
inputs = [{ from = "Get/id", to = "path.id", format = "uuid" }]"#,
        );
        let (_, w) = uuid.unwrap_or_else(|d| panic!("{:?}", messages(&d)));
        assert!(
            typing(&w).is_empty(),
            "an explicit parse is not a warning: {:?}",
            messages(&w)
        );
        // Text is not bytes unless it is encoded on purpose.
        let upload = r#"calls = [{ name = "put", endpoint = "POST /files" }]
inputs = [{ from = "Get/id", to = "body" FORMAT }]"#;
        let clash = check(&upload.replace("FORMAT", ""));
        let errors = messages(&clash.expect_err("text into bytes needs a format"));
        assert!(
            errors.iter().any(|m| m.contains("type clash")),
            "{errors:?}"
        );
        check(&upload.replace("FORMAT", ", format = \"utf-8\""))
            .unwrap_or_else(|d| panic!("{:?}", messages(&d)));
        let part = check(
            r#"calls = [{ name = "file", endpoint = "GET /files/{id}" }]
inputs = [{ from = "Get/id", to = "path.id" }]
outputs = [{ from = "body.name", to = "GetResponse/Data" }]"#,
        );
        let errors = messages(&part.expect_err("a path into a body that is not JSON"));
        assert!(
            errors
                .iter()
                .any(|m| m.contains("no JSON success response")),
            "{errors:?}"
        );
    }
}

/// A one-operation WSDL (`urn:s`, document/literal) whose request and response elements have
/// the given sequences of `xs:element`s.
fn one_operation_wsdl(op: &str, request: &str, response: &str) -> String {
    format!(
        r#"<wsdl:definitions name="S" targetNamespace="urn:s" xmlns:tns="urn:s"
        xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/">
      <wsdl:types>
        <xs:schema elementFormDefault="qualified" targetNamespace="urn:s" xmlns:xs="http://www.w3.org/2001/XMLSchema">
          <xs:element name="{op}"><xs:complexType><xs:sequence>{request}</xs:sequence></xs:complexType></xs:element>
          <xs:element name="{op}Response"><xs:complexType><xs:sequence>{response}</xs:sequence></xs:complexType></xs:element>
        </xs:schema>
      </wsdl:types>
      <wsdl:message name="In"><wsdl:part name="parameters" element="tns:{op}"/></wsdl:message>
      <wsdl:message name="Out"><wsdl:part name="parameters" element="tns:{op}Response"/></wsdl:message>
      <wsdl:portType name="P"><wsdl:operation name="{op}">
        <wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/></wsdl:operation></wsdl:portType>
      <wsdl:binding name="B" type="tns:P"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
        <wsdl:operation name="{op}"><soap:operation soapAction="urn:s/{op}" style="document"/>
          <wsdl:input><soap:body use="literal"/></wsdl:input>
          <wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation></wsdl:binding>
      <wsdl:service name="S"><wsdl:port name="B" binding="tns:B">
        <soap:address location="https://example.invalid/s"/></wsdl:port></wsdl:service>
    </wsdl:definitions>"#
    )
}

/// A `oneOf` of strings (the Resource Registry's `PartyUrn`) takes text; one with an object
/// member does not.
mod string_unions {
    use std::path::Path;

    use crate::diag::SourceMap;
    use crate::link::{Overrides, load_mapping};
    use crate::load::Limits;

    fn openapi(second_member: &str) -> String {
        format!(
            r##"{{"openapi": "3.0.1", "info": {{"title": "t", "version": "1"}},
      "paths": {{"/lists/{{id}}/members": {{"post": {{
        "parameters": [{{"name": "id", "in": "path", "required": true, "schema": {{"type": "string"}}}}],
        "requestBody": {{"content": {{"application/json": {{"schema": {{"type": "object", "required": ["data"],
          "properties": {{"data": {{"type": "array", "items": {{"$ref": "#/components/schemas/Urn"}}}}}}}}}}}}}},
        "responses": {{"204": {{"description": "added"}}}}}}}}}},
      "components": {{"schemas": {{
        "Urn": {{"type": "string", "oneOf": [{{"$ref": "#/components/schemas/ById"}}, {second_member}]}},
        "ById": {{"type": "string", "pattern": "^urn:x:id:.+$"}}}}}}}}"##
        )
    }

    fn check(second_member: &str) -> Result<(), String> {
        check_with(&openapi(second_member), r#"to = "body.data[]""#)
    }

    fn check_with(openapi: &str, link: &str) -> Result<(), String> {
        let manifest = format!(
            r#"api = "S"
strategy = 1
[sources]
wsdl = "s.wsdl"
openapi = ["a.json"]
[[operations]]
soap = "Add"
calls = [{{ name = "add", endpoint = "POST /lists/{{id}}/members" }}]
[[operations.inputs]]
value = "l1"
to = "path.id"
[[operations.inputs]]
from = "Add/party"
{link}
"#
        );
        let mut sources = SourceMap::new();
        sources.register_virtual(
            "m/s.wsdl",
            super::one_operation_wsdl(
                "Add",
                r#"<xs:element name="party" type="xs:string"/>"#,
                r#""#,
            ),
        );
        sources.register_virtual("m/a.json", openapi.to_owned());
        sources.register_virtual("m/x.toml", manifest);
        load_mapping(
            &mut sources,
            Path::new("m/x.toml"),
            &Overrides::default(),
            &Limits::default(),
        )
        .map(|_| ())
        .map_err(|d| sources.render_all(&d))
    }

    #[test]
    fn text_fills_a_union_of_strings_but_not_one_with_an_object() {
        check(r#"{"type": "string", "pattern": "^urn:x:org:.+$"}"#)
            .expect("text fills a oneOf whose members are all strings");
        let err = check(r#"{"type": "object", "properties": {"a": {"type": "string"}}}"#)
            .expect_err("an object member makes the union an object");
        assert!(err.contains("type clash"), "{err}");
    }

    #[test]
    fn a_union_of_one_enumeration_is_that_enumeration() {
        let openapi = r##"{"openapi": "3.0.1", "info": {"title": "t", "version": "1"},
      "paths": {"/lists/{id}/members": {"post": {
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "requestBody": {"content": {"application/json": {"schema": {"type": "object",
          "properties": {"data": {"type": "array", "items": {"type": "string"}},
            "status": {"oneOf": [{"$ref": "#/components/schemas/Status"}]}}}}}},
        "responses": {"204": {"description": "added"}}}}},
      "components": {"schemas": {"Status": {"type": "string", "enum": ["Open", "Closed"]}}}}"##;
        check_with(
            openapi,
            "to = \"body.status\"\nmap = { a = \"Open\", b = \"Closed\" }",
        )
        .expect("a oneOf of one enumeration takes mapped values");
        let err = check_with(openapi, "to = \"body.status\"\nmap = { a = \"Gone\" }")
            .expect_err("the enumeration's values are checked through the union");
        assert!(err.contains("Gone"), "{err}");
    }
}

/// `echo`: an output that repeats a request value (the old answer names each item it handled).
mod echo {
    use std::path::Path;

    use crate::diag::SourceMap;
    use crate::link::{Overrides, Source, load_mapping};
    use crate::load::Limits;

    const OPENAPI: &str = r#"{"openapi": "3.0.1", "info": {"title": "t", "version": "1"},
      "paths": {"/members": {"post": {
        "requestBody": {"content": {"application/json": {"schema": {"type": "object",
          "properties": {"data": {"type": "array", "items": {"type": "string"}}}}}}},
        "responses": {"204": {"description": "added"}}}}}}"#;

    fn check(links: &str) -> Result<crate::link::Resolved, String> {
        let manifest = format!(
            r#"api = "S"
strategy = 1
[sources]
wsdl = "s.wsdl"
openapi = ["a.json"]
[[operations]]
soap = "Add"
calls = [{{ name = "add", endpoint = "POST /members", for_each = "Add/party" }}]
{links}
"#
        );
        let mut sources = SourceMap::new();
        sources.register_virtual(
            "m/s.wsdl",
            super::one_operation_wsdl(
                "Add",
                r#"<xs:element name="party" type="xs:string" maxOccurs="unbounded"/>"#,
                r#"<xs:element name="Added" type="xs:string" maxOccurs="unbounded"/>"#,
            ),
        );
        sources.register_virtual("m/a.json", OPENAPI);
        sources.register_virtual("m/x.toml", manifest);
        load_mapping(
            &mut sources,
            Path::new("m/x.toml"),
            &Overrides::default(),
            &Limits::default(),
        )
        .map(|(m, _)| m.resolved)
        .map_err(|d| sources.render_all(&d))
    }

    const INPUT: &str = "[[operations.inputs]]\nfrom = \"Add/party\"\nto = \"body.data[]\"\n";

    #[test]
    fn an_output_repeats_a_request_value() {
        let resolved = check(&format!(
            "{INPUT}[[operations.outputs]]\necho = \"Add/party\"\nto = \"AddResponse/Added\"\n"
        ))
        .expect("echo resolves against the SOAP input");
        let link = &resolved.operations[0].outputs[0];
        assert!(matches!(&link.from, Source::Soap { path } if path.text == "Add/party"));
    }

    #[test]
    fn echo_is_for_outputs_only_and_alone() {
        let err = check("[[operations.inputs]]\necho = \"Add/party\"\nto = \"body.data[]\"\n")
            .expect_err("an input cannot echo");
        assert!(err.contains("belongs to an output link"), "{err}");
        let err = check(&format!(
            "{INPUT}[[operations.outputs]]\necho = \"Add/party\"\nvalue = \"x\"\nto = \"AddResponse/Added\"\n"
        ))
        .expect_err("echo and value together");
        assert!(err.contains("exactly one of"), "{err}");
        let err = check(&format!(
            "{INPUT}[[operations.outputs]]\necho = \"Add/nothing\"\nto = \"AddResponse/Added\"\n"
        ))
        .expect_err("an unknown input path");
        assert!(err.contains("nothing"), "{err}");
    }
}
