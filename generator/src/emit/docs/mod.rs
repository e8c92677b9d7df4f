//! Mapping documentation: one Markdown page per migrated API and an index with coverage, with
//! Hugo front matter, rendered from minijinja templates that writers may override.
//!
//! The templates get a context made of display strings (table cells already escaped), so a
//! writer's template needs no logic beyond loops. Everything comes from the resolved link model.
//!
//! The pages are Markdown with raw HTML (`<code>` with `<wbr>` break opportunities, a
//! `<pre class="mermaid">` per diagram), for Hugo sites that allow it (`markup.goldmark.renderer.unsafe`,
//! as Altinn's docs do) and load Mermaid themselves: no render hook or shortcode of this
//! project is needed, except `notice` for callouts, which Altinn's theme has.

mod api;
mod index;
mod markup;
mod sequence;
mod words;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use heck::ToKebabCase;
use minijinja::Environment;
use serde::Serialize;

use crate::link::Resolved;

/// The built-in templates (`templates/` in the repository), by the name a writer's override
/// has under `--templates`.
const TEMPLATES: [(&str, &str); 4] = [
    (
        "api.md.j2",
        include_str!("../../../assets/templates/api.md.j2"),
    ),
    (
        "index.md.j2",
        include_str!("../../../assets/templates/index.md.j2"),
    ),
    (
        "partials/diagram.md.j2",
        include_str!("../../../assets/templates/partials/diagram.md.j2"),
    ),
    (
        "partials/notice.md.j2",
        include_str!("../../../assets/templates/partials/notice.md.j2"),
    ),
];

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
    /// A manifest links something the runtime cannot honour (see [`crate::lower`]).
    #[error("{api}: {}", messages.join("; "))]
    Lower {
        /// The API.
        api: String,
        /// What lowering refused.
        messages: Vec<String>,
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
/// `templates` overrides any of the built-in templates (`api.md.j2`, `index.md.j2`,
/// `partials/diagram.md.j2`, `partials/notice.md.j2`) where it has a file of that name.
pub fn render(
    all: &[Resolved],
    templates: Option<&Path>,
) -> Result<BTreeMap<String, String>, DocsError> {
    let env = environment(templates)?;
    let mut pages = BTreeMap::new();
    let mut sorted: Vec<&Resolved> = all.iter().collect();
    sorted.sort_by(|a, b| a.api.cmp(&b.api));
    for (i, r) in sorted.iter().enumerate() {
        let slug = slug(&r.api);
        let lowered = crate::lower::lower(r).map_err(|d| DocsError::Lower {
            api: r.api.clone(),
            messages: d.0.iter().map(|d| d.message.clone()).collect(),
        })?;
        let page = render_one(
            &env,
            "api.md.j2",
            &api::api_context(r, &lowered, slug.clone(), i + 1),
        )?;
        pages.insert(format!("{slug}.md"), page);
    }
    let index = index::index_context(&sorted, slug);
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
    env.add_filter("quote", quote);
    for (name, builtin) in TEMPLATES {
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

/// The `quote` filter: a string as a YAML (and JSON) double-quoted scalar, for front matter.
fn quote(s: String) -> Result<String, minijinja::Error> {
    serde_json::to_string(&s)
        .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e.to_string()))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceMap;

    const MANIFEST: &str = "mappings/correspondence-external-ec2.toml";

    /// One shipped manifest, resolved against the embedded contracts.
    fn resolved() -> Vec<Resolved> {
        let mut sources = SourceMap::new();
        crate::embedded::register(&mut sources);
        sources.register_virtual(
            MANIFEST,
            include_str!("../../../../mappings/correspondence-external-ec2.toml"),
        );
        let (mappings, _) = crate::load_mappings(
            &mut sources,
            &[PathBuf::from(MANIFEST)],
            &Default::default(),
        )
        .unwrap_or_else(|d| panic!("{}", sources.render_all(&d)));
        mappings.into_iter().map(|m| m.resolved).collect()
    }

    /// A fresh folder of override templates: `(name, text)` pairs.
    fn overrides(test: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("altinn-bridge-docs-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn a_writers_page_template_replaces_the_built_in_one_and_only_it() {
        let dir = overrides(
            "page",
            &[(
                "api.md.j2",
                "{{ linktitle | quote }}{% for op in operations %} {{ op.name }}{% endfor %}\n",
            )],
        );
        let pages = render(&resolved(), Some(&dir)).unwrap();
        let page = &pages["correspondence-external-ec2.md"];
        assert!(
            page.starts_with("\"CorrespondenceExternalEC2\" "),
            "the override was not used:\n{page}"
        );
        // The index has no override, so it is the built-in one.
        assert!(pages["_index.md"].contains("## End-user systems"));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_writers_partial_changes_every_diagram_and_nothing_else() {
        let fenced = "{% macro diagram(source) %}\n```mermaid\n{{ source }}```\n{% endmacro %}\n";
        let dir = overrides("partial", &[("partials/diagram.md.j2", fenced)]);
        let builtin = render(&resolved(), None).unwrap();
        let pages = render(&resolved(), Some(&dir)).unwrap();
        let (old, new) = (
            &builtin["correspondence-external-ec2.md"],
            &pages["correspondence-external-ec2.md"],
        );
        let diagrams = old.matches("<pre class=\"mermaid\">").count();
        assert!(diagrams > 0, "the page has no diagram to override");
        assert_eq!(new.matches("```mermaid").count(), diagrams);
        assert!(!new.contains("<pre class=\"mermaid\">"));
        // Outside the diagrams the page is the built-in one.
        let tail = |p: &str| p.rsplit("</pre>").next().unwrap().to_owned();
        assert!(new.ends_with(&tail(old)));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_broken_override_is_named_with_its_line() {
        let dir = overrides("broken", &[("index.md.j2", "ok\n{% for a in apis %}\n")]);
        let e = render(&resolved(), Some(&dir)).unwrap_err().to_string();
        assert!(e.contains("index.md.j2") && e.contains("line"), "{e}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
