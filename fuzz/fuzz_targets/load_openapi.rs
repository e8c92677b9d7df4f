//! Fuzzes the OpenAPI loader: JSON when the input starts with `{`, YAML otherwise. Any bytes must
//! give a model or diagnostics, never a panic, hang or unbounded allocation.
#![no_main]

use std::path::Path;

use altinn_bridge::diag::SourceMap;
use altinn_bridge::load::{Limits, openapi};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let name = if text.trim_start().starts_with('{') { "fuzz/spec.json" } else { "fuzz/spec.yaml" };
    let mut sources = SourceMap::new();
    sources.register_virtual(name, text);
    let limits = Limits { max_json_nodes: 100_000, ..Limits::default() };
    if let Err(diags) = openapi::load(&mut sources, Path::new(name), &limits) {
        let _ = sources.render_all(&diags);
    }
});
