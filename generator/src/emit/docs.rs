//! Mapping documentation: one Markdown page per migrated API and an index with coverage, with
//! Hugo front matter, rendered from minijinja templates that writers may override.
//!
//! The templates get a context made of display strings (table cells already escaped), so a
//! writer's template needs no logic beyond loops. Everything comes from the resolved link model.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use heck::ToKebabCase;
use minijinja::Environment;
use serde::Serialize;

use crate::link::{
    Call, FieldLink, Format, Loop, OldAuth, OpLink, Resolved, Source, Strategy, Target, Transform,
};

/// The built-in templates (`templates/` in the repository).
const API_TEMPLATE: &str = include_str!("../../assets/templates/api.md.j2");
const INDEX_TEMPLATE: &str = include_str!("../../assets/templates/index.md.j2");

/// Why the docs could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum DocsError {
    /// A template failed to load or render.
    #[error("template `{name}`: {message}")]
    Template {
        /// The template's name.
        name: String,
        /// minijinja's explanation, with line.
        message: String,
    },
    /// A template override could not be read.
    #[error("cannot read template `{path}`: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Renders every page: `_index.md` plus one `<api-slug>.md` per manifest, keyed by file name.
/// `templates` overrides `api.md.j2` and/or `index.md.j2` where it has them.
pub fn render(
    all: &[Resolved],
    templates: Option<&Path>,
) -> Result<BTreeMap<String, String>, DocsError> {
    let env = environment(templates)?;
    let mut pages = BTreeMap::new();
    let mut sorted: Vec<&Resolved> = all.iter().collect();
    sorted.sort_by(|a, b| a.api.cmp(&b.api));
    for (i, r) in sorted.iter().enumerate() {
        let ctx = api_context(r, i + 1);
        pages.insert(
            format!("{}.md", ctx.slug),
            render_one(&env, "api.md.j2", &ctx)?,
        );
    }
    let index = index_context(&sorted);
    pages.insert(
        "_index.md".to_owned(),
        render_one(&env, "index.md.j2", &index)?,
    );
    Ok(pages)
}

fn environment(templates: Option<&Path>) -> Result<Environment<'static>, DocsError> {
    let mut env = Environment::new();
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
        .map_err(|e| template_error("syntax", &e))?;
    env.set_syntax(syntax);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    for (name, builtin) in [("api.md.j2", API_TEMPLATE), ("index.md.j2", INDEX_TEMPLATE)] {
        let source = match templates.map(|d| d.join(name)).filter(|p| p.is_file()) {
            Some(path) => {
                std::fs::read_to_string(&path).map_err(|source| DocsError::Read { path, source })?
            }
            None => builtin.to_owned(),
        };
        env.add_template_owned(name, source)
            .map_err(|e| template_error(name, &e))?;
    }
    Ok(env)
}

fn render_one<S: Serialize>(
    env: &Environment<'_>,
    name: &str,
    ctx: &S,
) -> Result<String, DocsError> {
    env.get_template(name)
        .and_then(|t| t.render(minijinja::value::Serde(ctx)))
        .map_err(|e| template_error(name, &e))
}

fn template_error(name: &str, e: &minijinja::Error) -> DocsError {
    let mut message = e.to_string();
    if let Some(line) = e.line() {
        message = format!("line {line}: {message}");
    }
    DocsError::Template {
        name: name.to_owned(),
        message,
    }
}

/// The slug of an API's page (`CorrespondenceAgencyExternalBasic` → `correspondence-agency-external-basic`).
pub fn slug(api: &str) -> String {
    api.to_kebab_case()
}

#[derive(Serialize)]
struct ApiCtx {
    api: String,
    slug: String,
    title: String,
    weight: usize,
    summary: String,
    audience: String,
    strategy: String,
    manifest: String,
    wsdl: String,
    openapi: Vec<String>,
    auth_old: String,
    auth_new: String,
    auth_note: String,
    operations: Vec<OpCtx>,
    unmapped: Vec<String>,
    coverage: String,
}

#[derive(Serialize)]
struct OpCtx {
    name: String,
    anchor: String,
    strategy: String,
    calls: String,
    no_successor: String,
    note: String,
    coverage: String,
    inputs: Vec<Row>,
    outputs: Vec<Row>,
    dropped: Vec<Row>,
    unresolved: Vec<String>,
    faults: Vec<Row>,
    sequence: String,
}

/// One table row, cells already escaped for a Markdown table.
#[derive(Serialize)]
struct Row {
    old: String,
    new: String,
    transform: String,
    note: String,
}

fn api_context(r: &Resolved, weight: usize) -> ApiCtx {
    let (auth_old, auth_new, auth_note) = match &r.auth {
        Some(a) => (
            old_auth_text(a.old, &a.old_fields),
            new_auth_text(&a.scopes, a.system_user, &a.party_fields),
            cell(a.note.as_deref().unwrap_or("")),
        ),
        None => ("not stated".into(), "not stated".into(), String::new()),
    };
    ApiCtx {
        api: r.api.clone(),
        slug: slug(&r.api),
        title: r.title.replace('"', "'"),
        weight,
        summary: r.summary.clone().unwrap_or_default().trim().to_owned(),
        audience: r.audience.clone().unwrap_or_else(|| "not stated".into()),
        strategy: strategy_text(r.strategy),
        manifest: r.manifest.clone(),
        wsdl: r.wsdl.clone(),
        openapi: r.openapi.clone(),
        auth_old,
        auth_new,
        auth_note,
        operations: r.operations.iter().map(op_context).collect(),
        unmapped: r.unmapped_operations.clone(),
        coverage: format!(
            "{} linked, {} dropped, {} unresolved",
            r.coverage.linked, r.coverage.dropped, r.coverage.unresolved
        ),
    }
}

fn op_context(o: &OpLink) -> OpCtx {
    let (dropped, inputs): (Vec<&FieldLink>, Vec<&FieldLink>) = o
        .inputs
        .iter()
        .partition(|l| matches!(l.to, Target::Dropped));
    OpCtx {
        name: o.name.clone(),
        anchor: o.name.to_lowercase(),
        strategy: strategy_text(o.strategy),
        calls: if o.calls.is_empty() {
            "none".into()
        } else {
            o.calls
                .iter()
                .map(call_text)
                .collect::<Vec<_>>()
                .join(", then ")
        },
        no_successor: cell(o.no_successor.as_deref().unwrap_or("")),
        note: o.note.clone().unwrap_or_default().trim().to_owned(),
        coverage: format!(
            "{} linked, {} dropped",
            o.coverage.linked, o.coverage.dropped
        ),
        inputs: inputs.into_iter().map(row).collect(),
        outputs: o.outputs.iter().map(row).collect(),
        dropped: dropped.into_iter().map(row).collect(),
        unresolved: o.unresolved.clone(),
        faults: o
            .faults
            .iter()
            .map(|f| Row {
                old: cell(&format!(
                    "{} ({})",
                    f.fault,
                    if f.client { "Client" } else { "Server" }
                )),
                new: cell(&format!("HTTP {}", f.status)),
                transform: cell(
                    &f.fields
                        .iter()
                        .map(|(k, v)| format!("{k} ← {v}"))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                note: cell(f.note.as_deref().unwrap_or("")),
            })
            .collect(),
        sequence: sequence(o),
    }
}

fn call_text(c: &Call) -> String {
    let each = match &c.for_each {
        Some(Loop::Soap { path }) => format!(" for each `{}`", path.text),
        Some(Loop::Response { call, path }) => format!(" for each `{}` of `{call}`", path.text),
        None => String::new(),
    };
    format!("`{} {}`{each}", c.method.as_str(), c.path)
}

/// One table row. Request rows read old → new (source, then REST target); response rows read
/// SOAP field ← source, so the Altinn 2 side is always the first column.
fn row(l: &FieldLink) -> Row {
    let (old, new) = match &l.to {
        Target::Soap { path } => (format!("`{}`", path.text), source_text(&l.from)),
        target => (source_text(&l.from), target_text(target)),
    };
    Row {
        old: cell(&old),
        new: cell(&new),
        transform: cell(&transform_text(l)),
        note: cell(l.note.as_deref().unwrap_or("")),
    }
}

fn source_text(s: &Source) -> String {
    match s {
        Source::Soap { path } => format!("`{}`", path.text),
        Source::Response { call, path } if path.text.is_empty() => format!("`{call}` response"),
        Source::Response { call, path } => format!("`{call}` response: `{}`", path.text),
        Source::Const { value } => format!("constant `{value}`"),
        Source::Config { key } => format!("configuration `{key}`"),
    }
}

fn target_text(t: &Target) -> String {
    match t {
        Target::Body { call, path } if path.text.is_empty() => format!("`{call}`: the whole body"),
        Target::Body { call, path } => format!("`{call}`: `body.{}`", path.text),
        Target::Param {
            call,
            location,
            name,
            ..
        } => {
            format!(
                "`{call}`: `{}.{name}`",
                format!("{location:?}").to_lowercase()
            )
        }
        Target::Soap { path } => format!("`{}`", path.text),
        Target::Dropped => "dropped".into(),
    }
}

fn transform_text(l: &FieldLink) -> String {
    if l.transforms.is_empty() {
        return if matches!(l.to, Target::Dropped) {
            "dropped".into()
        } else {
            "as is".into()
        };
    }
    l.transforms
        .iter()
        .map(|t| match t {
            Transform::Split { separator } => format!("split on `{separator}`"),
            Transform::Join { separator } => format!("join with `{separator}`"),
            Transform::Default { value } => format!("default `{value}`"),
            Transform::Format { format } => format!("format {}", format_name(*format)),
            Transform::Lookup { table } => format!("look up in `{table}`"),
            Transform::EnumMap { map } => {
                let pairs: Vec<String> = map.iter().map(|(a, b)| format!("{a}→{b}")).collect();
                format!("map {}", pairs.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::DateTimeUtc => "date-time to UTC",
        Format::Date => "date",
        Format::HtmlToMarkdown => "HTML to Markdown",
        Format::TextToMarkdown => "text to Markdown",
        Format::Base64ToBinary => "base64 to binary",
        Format::String => "to text",
        Format::Integer => "to integer",
        Format::UuidV5 => "UUID v5 of the value",
        Format::Uuid => "to UUID",
        Format::Utf8 => "text to UTF-8 bytes",
        Format::InstancePartyId => "party id of the instance id",
        Format::InstanceGuid => "GUID of the instance id",
    }
}

/// A Mermaid sequence diagram when one old call becomes several new ones (or a loop).
fn sequence(o: &OpLink) -> String {
    if o.calls.len() < 2 && o.calls.iter().all(|c| c.for_each.is_none()) {
        return String::new();
    }
    let mut s = String::from(
        "sequenceDiagram\n    participant C as Altinn 2 client\n    participant B as altinn-bridge\n    participant A as Altinn 3\n",
    );
    s.push_str(&format!("    C->>B: {}\n", mermaid_text(&o.name)));
    for c in &o.calls {
        let line = format!(
            "    B->>A: {} {}\n    A-->>B: response\n",
            c.method.as_str(),
            mermaid_text(&c.path)
        );
        match &c.for_each {
            Some(p) => {
                let item = p
                    .path()
                    .steps
                    .last()
                    .map(|s| s.name.as_str())
                    .unwrap_or("item");
                s.push_str(&format!(
                    "    loop each {}\n{line}    end\n",
                    mermaid_text(item)
                ));
            }
            None => s.push_str(&line),
        }
    }
    s.push_str(&format!("    B-->>C: {} response\n", mermaid_text(&o.name)));
    s
}

/// Text safe inside a Mermaid message: `;` ends a statement and `#` starts an entity.
fn mermaid_text(s: &str) -> String {
    s.replace([';', '#'], " ")
}

/// Text safe inside a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
        .trim()
        .to_owned()
}

fn strategy_text(s: Strategy) -> String {
    match s {
        Strategy::AdoptRest => "1: the SOAP API ends; callers adopt the Altinn 3 REST API".into(),
        Strategy::Facade => "2: a transition facade keeps the SOAP contract over Altinn 3".into(),
    }
}

fn old_auth_text(old: OldAuth, fields: &[String]) -> String {
    let base = match old {
        OldAuth::SystemUserPassword => "system user name and password",
        OldAuth::EnterpriseCertificate => "enterprise certificate",
        OldAuth::EndUserLogin => "end-user login",
        OldAuth::None => "none",
    };
    if fields.is_empty() {
        base.into()
    } else {
        let f: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
        cell(&format!("{base} in {}", f.join(", ")))
    }
}

fn new_auth_text(scopes: &[String], system_user: bool, party_fields: &[String]) -> String {
    let s: Vec<String> = scopes.iter().map(|s| format!("`{s}`")).collect();
    let via = if system_user {
        " through an Altinn system user"
    } else {
        ""
    };
    // The party check is the facade's; the docs say where it looks so a caller knows why a
    // request naming another reportee is refused.
    let parties = if party_fields.is_empty() {
        String::new()
    } else {
        let f: Vec<String> = party_fields.iter().map(|f| format!("`{f}`")).collect();
        format!(
            "; the facade lets each legacy caller act only for its configured parties, named in {}",
            f.join(", ")
        )
    };
    cell(&format!(
        "Maskinporten token with scopes {}{via}{parties}",
        s.join(", ")
    ))
}

#[derive(Serialize)]
struct IndexCtx {
    apis: Vec<IndexRow>,
    operations: usize,
    linked_operations: usize,
    no_successor: usize,
    coverage: String,
}

#[derive(Serialize)]
struct IndexRow {
    api: String,
    title: String,
    slug: String,
    strategy: u8,
    operations: usize,
    linked_operations: usize,
    no_successor: usize,
    unmapped: usize,
    linked: usize,
    dropped: usize,
    unresolved: usize,
}

fn index_context(all: &[&Resolved]) -> IndexCtx {
    let apis: Vec<IndexRow> = all
        .iter()
        .map(|r| {
            let linked_operations = r
                .operations
                .iter()
                .filter(|o| o.no_successor.is_none())
                .count();
            IndexRow {
                api: r.api.clone(),
                title: cell(&r.title),
                slug: slug(&r.api),
                strategy: if r.strategy == Strategy::AdoptRest {
                    1
                } else {
                    2
                },
                operations: r.operations.len() + r.unmapped_operations.len(),
                linked_operations,
                no_successor: r.operations.len() - linked_operations,
                unmapped: r.unmapped_operations.len(),
                linked: r.coverage.linked,
                dropped: r.coverage.dropped,
                unresolved: r.coverage.unresolved,
            }
        })
        .collect();
    let sum = |f: fn(&IndexRow) -> usize| apis.iter().map(f).sum::<usize>();
    IndexCtx {
        operations: sum(|a| a.operations),
        linked_operations: sum(|a| a.linked_operations),
        no_successor: sum(|a| a.no_successor),
        coverage: format!(
            "{} linked, {} dropped, {} unresolved",
            sum(|a| a.linked),
            sum(|a| a.dropped),
            sum(|a| a.unresolved)
        ),
        apis,
    }
}
