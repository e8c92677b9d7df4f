//! OpenAPI 3.0/3.1 loader, JSON or YAML.
//!
//! The steps, one file each:
//!
//! 1. [`read`]: text to `serde_json::Value` (nesting, size and YAML alias expansion bounded);
//! 2. [`document`]: the `openapi` version is checked (Swagger 2.0 refused);
//! 3. [`normalize`]: 3.1 schema forms rewritten into the 3.0 forms;
//! 4. the sections `openapiv3` would drop or cannot read (`webhooks`, component schemas,
//!    security schemes, path items) are taken out of the `Value`, the rest is read as
//!    [`openapiv3::OpenAPI`], and the sections are put back so pointers reach them;
//! 5. [`schema`] converts schemas by pointer into the type graph, [`endpoints`] builds
//!    endpoints and webhooks, [`document`] security schemes.
//!
//! Positions: [`locate`] maps JSON pointers to spans (exactly for JSON, best effort for YAML).

mod document;
mod endpoints;
mod locate;
mod names;
mod normalize;
mod read;
mod schema;

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use super::{Limits, Loaded, display_name, read_source};
use crate::diag::{Diagnostics, SourceMap};
use crate::model::RestContract;
use locate::{lookup, lookup_mut};

/// Loads an OpenAPI 3.0 or 3.1 document, JSON or YAML.
pub fn load(
    sources: &mut SourceMap,
    path: &Path,
    limits: &Limits,
) -> Result<Loaded<RestContract>, Diagnostics> {
    let display = display_name(path);
    let file = read_source(sources, path, &display, limits, None)?;
    let text = sources.file(file).text.clone();
    let syntax = read::Syntax::detect(path, &text);
    let mut root = read::parse(sources, file, &text, syntax, limits)?;
    let loc = locate::Locator::new(file, text, syntax, limits.max_json_depth);
    let version = document::version(&root, &loc)?;
    normalize::document(&mut root);

    // Sections openapiv3 drops (webhooks) or cannot read (3.1 schemas, mutualTLS, pathItems).
    let taken: Vec<(&str, &str, Option<Value>)> = [
        ("", "webhooks"),
        ("/components", "schemas"),
        ("/components", "securitySchemes"),
        ("/components", "pathItems"),
    ]
    .into_iter()
    .map(|(parent, key)| (parent, key, take(&mut root, parent, key)))
    .collect();
    if root.get("paths").is_none() && version == document::Version::V31 {
        // 3.1 makes `paths` optional (a webhooks-only document); openapiv3 requires it.
        if let Some(obj) = root.as_object_mut() {
            obj.insert("paths".into(), Value::Object(Default::default()));
        }
    }
    let api = document::read(&root, &loc);
    for (parent, key, v) in taken {
        if let (Some(v), Some(Value::Object(obj))) = (v, lookup_mut(&mut root, parent)) {
            obj.insert(key.to_owned(), v);
        }
    }
    let api = api?;
    build(&api, &root, &loc, display)
}

/// Removes `parent/key` from `root`, returning it.
fn take(root: &mut Value, parent: &str, key: &str) -> Option<Value> {
    lookup_mut(root, parent)?.as_object_mut()?.remove(key)
}

fn build(
    api: &openapiv3::OpenAPI,
    root: &Value,
    loc: &locate::Locator,
    source: String,
) -> Result<Loaded<RestContract>, Diagnostics> {
    let mut schemas = schema::Schemas::new(root, loc);
    schemas.components();
    let mut eps = endpoints::Endpoints {
        api,
        root,
        loc,
        schemas: &mut schemas,
        taken: BTreeSet::new(),
        claimed: BTreeSet::new(),
    };
    let endpoints = eps.paths();
    let webhooks = eps.webhooks(root.get("webhooks"));
    schemas.refuse_reference_cycles();
    let mut diags = std::mem::take(&mut schemas.diags);
    let security_schemes =
        document::security_schemes(lookup(root, "/components/securitySchemes"), loc, &mut diags);
    check_requirements(api, &security_schemes, loc, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    let contract = RestContract {
        title: api.info.title.clone(),
        version: api.info.version.clone(),
        openapi: api.openapi.clone(),
        source,
        doc: api.info.description.clone(),
        servers: api.servers.iter().map(|s| s.url.clone()).collect(),
        endpoints,
        webhooks,
        security_schemes,
        types: schemas.graph,
        extensions: api
            .extensions
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    };
    Ok(Loaded {
        value: contract,
        warnings: diags,
    })
}

/// Warns about document-level requirements naming schemes that are not defined.
fn check_requirements(
    api: &openapiv3::OpenAPI,
    schemes: &[crate::model::SecurityScheme],
    loc: &locate::Locator,
    diags: &mut Diagnostics,
) {
    for (i, req) in api.security.iter().flatten().enumerate() {
        for name in req.keys() {
            if !schemes.iter().any(|s| &s.name == name) {
                let ptr = locate::child(&locate::child("/security", &i.to_string()), name);
                diags.push(
                    crate::diag::Diagnostic::warning(format!("security requirement names undefined scheme `{name}`"))
                        .at(loc.span(&ptr), "not in components.securitySchemes")
                        .note("expected the name of a security scheme defined in components.securitySchemes"),
                );
            }
        }
    }
}
