//! Fuzzes the WSDL/XSD loader: any bytes must give a model or diagnostics, never a panic, hang
//! or unbounded allocation. The input is split at NUL bytes into a WSDL and up to three XSDs it
//! may import as `a.xsd`, `b.xsd`, `c.xsd`, so the import resolver is exercised too.
#![no_main]

use std::path::{Path, PathBuf};

use altinn_bridge::diag::SourceMap;
use altinn_bridge::load::{Limits, wsdl};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|b| *b == 0);
    let mut sources = SourceMap::new();
    let main = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    sources.register_virtual("fuzz/main.wsdl", main);
    for (name, part) in ["a.xsd", "b.xsd", "c.xsd"].iter().zip(parts) {
        sources.register_virtual(PathBuf::from("fuzz").join(name), String::from_utf8_lossy(part).into_owned());
    }
    let limits = Limits { max_xml_nodes: 100_000, ..Limits::default() };
    if let Err(diags) = wsdl::load(&mut sources, Path::new("fuzz/main.wsdl"), &limits) {
        // Rendering must not panic either (spans may point anywhere).
        let _ = sources.render_all(&diags);
    }
});
