//! Field links: sources, targets, response paths and the transforms between them, with their
//! type checks.

use toml::Spanned;

use crate::diag::Diagnostic;
use crate::link::manifest::LinkSpec;
use crate::link::model::*;
use crate::link::paths::walk_json;
use crate::link::types::{Cat, category, check_compatible, check_const};
use crate::model::{Endpoint, TypeGraph, TypeRef};

use super::*;

impl<'a> Cx<'a> {
    pub(super) fn input(&mut self, l: &LinkSpec, scope: &OpScope<'a>) -> Option<FieldLink> {
        let span = l
            .from
            .as_ref()
            .or(l.to.as_ref())
            .or(l.value.as_ref())
            .map(|s| self.span(s));
        if let Some(reason) = &l.drop {
            let Some(from) = &l.from else {
                self.error(
                    reason,
                    "`drop` needs `from`: the SOAP field that is dropped",
                    "here",
                );
                return None;
            };
            let path = self.soap_path(&scope.op.input_parts(), from, "SOAP input")?;
            return Some(FieldLink {
                from: Source::Soap { path },
                filter: Vec::new(),
                to: Target::Dropped,
                transforms: Vec::new(),
                note: Some(reason.get_ref().clone()),
                span,
            });
        }
        let from = self.input_source(l, scope)?;
        let Some(to_spec) = &l.to else {
            let at = l.from.as_ref().or(l.value.as_ref())?;
            self.error(at, "link has no `to`", "here");
            return None;
        };
        let (call, ep) = match self.call_named(scope, l.into.as_ref(), false) {
            Some(c) => c,
            None => {
                if l.into.is_none() {
                    self.error(
                        to_spec,
                        "this operation has several calls; say which one with `into = \"CALL\"`",
                        "here",
                    );
                }
                return None;
            }
        };
        let to = self.request_target(call, ep, to_spec)?;
        let transforms = self.transforms(l, &from, &to, scope, call.for_each.as_ref())?;
        let filter = self.filter(l, &from, scope)?;
        Some(FieldLink {
            from,
            filter,
            to,
            transforms,
            note: l.note.clone(),
            span,
        })
    }

    /// `where`: each key a field below the source's last repeated step, each value text.
    fn filter(&mut self, l: &LinkSpec, from: &Source, scope: &OpScope<'a>) -> Option<Vec<Filter>> {
        let Some(spec) = &l.filter else {
            return Some(Vec::new());
        };
        let (path, types) = match from {
            Source::Soap { path } => (path, &self.c.soap.types),
            Source::Response { call, path } => {
                let api = scope.calls.iter().find(|(c, _)| &c.name == call)?.0.api;
                (path, &self.c.rest.get(api)?.types)
            }
            _ => {
                self.error(
                    spec,
                    "`where` needs a repeated SOAP or response source",
                    "here",
                );
                return None;
            }
        };
        let Some(item) = path.steps.iter().rposition(|s| s.many) else {
            self.error(
                spec,
                format!(
                    "`where` needs a repeated source; `{}` has one value",
                    path.text
                ),
                "here",
            );
            return None;
        };
        let item_ty = path.steps[item].ty.clone();
        let mut out = Vec::new();
        for (field, equals) in spec.get_ref() {
            let walked = match from {
                Source::Soap { .. } => crate::link::paths::walk_soap_below(types, &item_ty, field),
                _ => crate::link::paths::walk_json(types, &item_ty, field),
            };
            match walked {
                Ok(p) => out.push(Filter {
                    item,
                    path: p,
                    equals: equals.clone(),
                }),
                Err(e) => {
                    self.error(
                        spec,
                        format!("`where` field `{field}`: {e}"),
                        "below the repeated item",
                    );
                    return None;
                }
            }
        }
        Some(out)
    }

    pub(super) fn input_source(&mut self, l: &LinkSpec, scope: &OpScope<'a>) -> Option<Source> {
        if let Some(e) = &l.echo {
            self.error(
                e,
                "`echo` repeats a request value in the answer: it belongs to an output link",
                "here",
            );
            return None;
        }
        if let Some(c) = self.config_source(l)? {
            return Some(c);
        }
        match (&l.from, &l.value) {
            (Some(_), Some(v)) => {
                self.error(v, "a link takes `from` or `value`, not both", "here");
                None
            }
            (None, Some(v)) => Some(Source::Const {
                value: v.get_ref().clone(),
            }),
            (Some(from), None) => match &l.call {
                Some(_) => {
                    let (call, ep) = self.call_named(scope, l.call.as_ref(), false)?;
                    let path = self.response_path(ep, from)?;
                    Some(Source::Response {
                        call: call.name.clone(),
                        path,
                    })
                }
                None => Some(Source::Soap {
                    path: self.soap_path(&scope.op.input_parts(), from, "SOAP input")?,
                }),
            },
            (None, None) => {
                let at = l.to.as_ref()?;
                self.error(at, "link has no source", "here");
                None
            }
        }
    }

    pub(super) fn response_path(
        &mut self,
        ep: &Endpoint,
        at: &Spanned<String>,
    ) -> Option<ResolvedPath> {
        let text = at.get_ref().as_str();
        let text = if text == "body" {
            ""
        } else {
            text.strip_prefix("body.").unwrap_or(text)
        };
        let success = || {
            ep.responses
                .iter()
                .filter(|r| r.status.starts_with('2'))
                .flat_map(|r| &r.content)
        };
        let root = success()
            .find(|m| m.media_type.contains("json"))
            .and_then(|m| m.ty.clone())
            // A download (e.g. application/octet-stream) is read whole, as one value.
            .or_else(|| {
                text.is_empty()
                    .then(|| success().find_map(|m| m.ty.clone()))
                    .flatten()
            });
        let Some(root) = root else {
            if text.is_empty() {
                if let Some(path) = self.raw_response(ep, at) {
                    return Some(path);
                }
            }
            self.error(
                at,
                format!(
                    "`{}` has no JSON success response to read `{text}` from",
                    ep.id
                ),
                "here",
            );
            return None;
        };
        let types = self.rest_types(ep);
        self.walk(at, walk_json(types, &root, text), "response")
    }

    /// The whole body of a success response that is not JSON (a file download), as bytes. A
    /// success response that declares no content is taken as bytes too, with a warning: some
    /// published specs leave a download's content out (the service writes the file's own type).
    pub(super) fn raw_response(
        &mut self,
        ep: &Endpoint,
        at: &Spanned<String>,
    ) -> Option<ResolvedPath> {
        let success: Vec<_> = ep
            .responses
            .iter()
            .filter(|r| r.status.starts_with('2'))
            .collect();
        let declared = success.iter().any(|r| !r.content.is_empty());
        if success.is_empty() {
            return None;
        }
        if !declared {
            self.warn(
                at,
                format!(
                    "`{}` declares no content for its success response; the body is read as raw bytes",
                    ep.id
                ),
            );
        }
        let step = PathStep {
            name: String::new(),
            xml_name: None,
            ty: TypeRef::Builtin(crate::model::Builtin::Binary),
            optional: false,
            nullable: false,
            many: false,
        };
        Some(ResolvedPath {
            text: String::new(),
            steps: vec![step],
        })
    }

    pub(super) fn rest_types(&self, ep: &Endpoint) -> &'a TypeGraph {
        let doc = self
            .c
            .rest
            .iter()
            .find(|r| r.endpoints.iter().any(|e| std::ptr::eq(e, ep)));
        &doc.unwrap_or(&self.c.rest[0]).types
    }

    pub(super) fn request_target(
        &mut self,
        call: &Call,
        ep: &Endpoint,
        at: &Spanned<String>,
    ) -> Option<Target> {
        let text = at.get_ref();
        let (kind, rest) = text.split_once('.').unwrap_or((text.as_str(), ""));
        match kind {
            "body" => {
                let Some(body) = &ep.body else {
                    return self.undeclared_body(call, ep, at, rest);
                };
                let media = body
                    .content
                    .iter()
                    .find(|m| m.media_type.contains("json"))
                    .or_else(|| body.content.first())
                    .and_then(|m| m.ty.clone())?;
                let path = self.walk(
                    at,
                    walk_json(self.rest_types(ep), &media, rest),
                    "request body",
                )?;
                Some(Target::Body {
                    call: call.name.clone(),
                    path,
                })
            }
            "path" | "query" | "header" | "cookie" => {
                let p = ep.params.iter().find(|p| {
                    p.name == rest && format!("{:?}", p.location).eq_ignore_ascii_case(kind)
                });
                let Some(p) = p else {
                    let names: Vec<String> = ep
                        .params
                        .iter()
                        .map(|p| format!("{:?}.{}", p.location, p.name).to_lowercase())
                        .collect();
                    let d =
                        Diagnostic::error(format!("`{}` has no {kind} parameter `{rest}`", ep.id))
                            .at(self.span(at), "here")
                            .note(format!(
                                "expected one of: {}",
                                if names.is_empty() {
                                    "(no parameters)".into()
                                } else {
                                    names.join(", ")
                                }
                            ));
                    self.diags.push(d);
                    return None;
                };
                Some(Target::Param {
                    call: call.name.clone(),
                    location: p.location,
                    name: p.name.clone(),
                    ty: p.ty.clone(),
                    required: p.required,
                })
            }
            _ => {
                let d = Diagnostic::error(format!("unknown target `{text}`"))
                    .at(self.span(at), "here")
                    .note("expected `body.PATH`, `path.NAME`, `query.NAME`, `header.NAME` or `cookie.NAME`");
                self.diags.push(d);
                None
            }
        }
    }

    /// Some published specs omit the body of raw uploads (the service reads the request stream).
    /// The whole body may still be sent, as bytes, with a warning; a path into it is an error.
    pub(super) fn undeclared_body(
        &mut self,
        call: &Call,
        ep: &Endpoint,
        at: &Spanned<String>,
        rest: &str,
    ) -> Option<Target> {
        if !rest.is_empty() {
            self.error(
                at,
                format!(
                    "`{}` declares no request body, so `body.{rest}` cannot be reached",
                    ep.id
                ),
                "here",
            );
            return None;
        }
        // The media type is the manifest's `body` when it names one (form data as XML).
        let media = call.body.as_deref().unwrap_or("application/octet-stream");
        self.warn(
            at,
            format!(
                "`{}` declares no request body; the value is sent as raw bytes ({media})",
                ep.id
            ),
        );
        let step = PathStep {
            name: String::new(),
            xml_name: None,
            ty: TypeRef::Builtin(crate::model::Builtin::Binary),
            optional: false,
            nullable: false,
            many: false,
        };
        Some(Target::Body {
            call: call.name.clone(),
            path: ResolvedPath {
                text: String::new(),
                steps: vec![step],
            },
        })
    }

    pub(super) fn output(&mut self, l: &LinkSpec, scope: &OpScope<'a>) -> Option<FieldLink> {
        let span = l
            .from
            .as_ref()
            .or(l.to.as_ref())
            .or(l.value.as_ref())
            .map(|s| self.span(s));
        let Some(to_spec) = &l.to else {
            let at = l.from.as_ref().or(l.value.as_ref()).or(l.drop.as_ref())?;
            self.error(
                at,
                "an output link needs `to`: the SOAP output field it fills",
                "here",
            );
            return None;
        };
        let to_path = self.soap_path(&scope.op.output_parts(), to_spec, "SOAP output")?;
        let config = self.config_source(l)?;
        let from = match (&l.from, &l.value) {
            _ if config.is_some() => config?,
            (None, None) if l.echo.is_some() => {
                let echo = l.echo.as_ref()?;
                Source::Soap {
                    path: self.soap_path(&scope.op.input_parts(), echo, "SOAP input")?,
                }
            }
            (Some(_), _) | (_, Some(_)) if l.echo.is_some() => {
                let at = l.echo.as_ref()?;
                self.error(
                    at,
                    "an output link takes exactly one of `from`, `value`, `config` or `echo`",
                    "here",
                );
                return None;
            }
            (Some(f), None) => {
                let (call, ep) = self.call_named(scope, l.call.as_ref(), true)?;
                Source::Response {
                    call: call.name.clone(),
                    path: self.response_path(ep, f)?,
                }
            }
            (None, Some(v)) => Source::Const {
                value: v.get_ref().clone(),
            },
            _ => {
                self.error(
                    to_spec,
                    "an output link takes exactly one of `from`, `value`, `config` or `echo`",
                    "here",
                );
                return None;
            }
        };
        let to = Target::Soap { path: to_path };
        let transforms = self.transforms(l, &from, &to, scope, None)?;
        if let Some(w) = &l.filter {
            self.error(w, "`where` applies to request links only", "here");
            return None;
        }
        Some(FieldLink {
            from,
            filter: Vec::new(),
            to,
            transforms,
            note: l.note.clone(),
            span,
        })
    }

    /// `config = "key"`: `Some(Some(source))`; no `config`: `Some(None)`; `config` beside another
    /// source: `None` after an error.
    pub(super) fn config_source(&mut self, l: &LinkSpec) -> Option<Option<Source>> {
        let Some(key) = &l.config else {
            return Some(None);
        };
        if l.from.is_some() || l.value.is_some() || l.echo.is_some() {
            self.error(
                key,
                "a link takes one of `from`, `value`, `config` or `echo`",
                "here",
            );
            return None;
        }
        Some(Some(Source::Config {
            key: key.get_ref().clone(),
        }))
    }

    /// Builds the transform list and checks that the value's type survives the trip. `each` is
    /// the loop of the call the link feeds, if any.
    pub(super) fn transforms(
        &mut self,
        l: &LinkSpec,
        from: &Source,
        to: &Target,
        scope: &OpScope<'a>,
        each: Option<&Loop>,
    ) -> Option<Vec<Transform>> {
        let (src_types, dst_types) = self.graphs(from, to, scope);
        let at = l
            .from
            .as_ref()
            .or(l.value.as_ref())
            .or(l.config.as_ref())
            .or(l.to.as_ref())?;
        let mut out = Vec::new();
        let mut cat = match from {
            Source::Const { .. } | Source::Config { .. } => None,
            Source::Soap { path } | Source::Response { path, .. } => {
                path.leaf_type().map(|t| category(src_types, t))
            }
        };
        let answer = matches!(to, Target::Soap { .. });
        if let Some(prefix) = l.prefix.as_ref().filter(|_| answer) {
            // Taken off first: what follows works on the value the old contract knew.
            self.prefix_fits(prefix, at, &cat)?;
            out.push(Transform::StripPrefix {
                prefix: prefix.get_ref().clone(),
            });
            cat = Some(Cat::Text);
        }
        if let Some(sep) = &l.split {
            let ok = matches!(cat, Some(Cat::Text) | None);
            self.source_fits(ok, sep, "`split` needs a text source", at, &cat)?;
            out.push(Transform::Split {
                separator: sep.get_ref().clone(),
            });
            cat = Some(Cat::List);
        }
        if let Some(first) = l.first.as_ref().filter(|f| *f.get_ref()) {
            let repeated = matches!(cat, Some(Cat::List))
                || matches!(from, Source::Soap { path } | Source::Response { path, .. } if path.steps.iter().any(|s| s.many));
            if !repeated {
                self.error(
                    first,
                    "`first` needs a repeated source",
                    "this source has one value",
                );
                return None;
            }
            out.push(Transform::First);
            if cat == Some(Cat::List) {
                cat = Some(Cat::Text);
            }
        }
        if let Some(map) = &l.map {
            self.check_map(map, from, to, cat.as_ref(), scope)?;
            out.push(Transform::EnumMap {
                map: map.get_ref().clone(),
            });
            // A boolean mapped to booleans (a negation) stays a boolean.
            let booleans = map.get_ref().values().all(|v| v == "true" || v == "false");
            cat = Some(if cat == Some(Cat::Boolean) && booleans {
                Cat::Boolean
            } else {
                // What comes out is exactly the map's values, already checked against the target.
                Cat::Enum(map.get_ref().values().cloned().collect())
            });
        }
        if let Some(table) = &l.lookup {
            let ok = matches!(cat, Some(Cat::Text | Cat::Enum(_) | Cat::Integer(_)) | None);
            let what = "`lookup` needs a text, enumeration or integer source";
            self.source_fits(ok, table, what, at, &cat)?;
            out.push(Transform::Lookup {
                table: table.get_ref().clone(),
            });
            cat = Some(Cat::Text);
        }
        if let Some(f) = &l.format {
            let Some(format) = Format::parse(f.get_ref()) else {
                let d = Diagnostic::error(format!("unknown format `{}`", f.get_ref()))
                    .at(self.span(f), "here")
                    .note(format!("expected one of: {}", Format::names()));
                self.diags.push(d);
                return None;
            };
            if let Some(c) = &cat {
                if !crate::link::types::format_accepts(format, c) {
                    self.error(
                        f,
                        format!(
                            "format `{}` does not apply to `{}`, which is {}",
                            f.get_ref(),
                            at.get_ref(),
                            describe(cat.clone())
                        ),
                        "here",
                    );
                    return None;
                }
            }
            out.push(Transform::Format { format });
            cat = Some(crate::link::types::format_output(format));
        }
        if let Some(prefix) = l.prefix.as_ref().filter(|_| !answer) {
            // Put on last before joining: each value is written the way Altinn 3 writes it.
            self.prefix_fits(prefix, at, &cat)?;
            out.push(Transform::Prefix {
                prefix: prefix.get_ref().clone(),
            });
            cat = Some(Cat::Text);
        }
        if let Some(sep) = &l.join {
            // Values from a call made once per item (an output of a repeated call) are a list too.
            let from_repeated_call = matches!(from, Source::Response { call, .. }
                if each.is_none() && scope.calls.iter().any(|(c, _)| &c.name == call && c.for_each.is_some()));
            let ok = matches!(cat, Some(Cat::List) | None)
                || repeats_below_loop(from, each)
                || from_repeated_call;
            self.source_fits(ok, sep, "`join` needs a list source", at, &cat)?;
            out.push(Transform::Join {
                separator: sep.get_ref().clone(),
            });
            cat = Some(Cat::Text);
        }
        let target_ty = target_type(to);
        if let (Some(v), Some(tt)) = (&l.default, target_ty) {
            if let Err(e) = check_const(dst_types, tt, v.get_ref()) {
                self.error(
                    v,
                    format!("default `{}` does not fit the target: {e}", v.get_ref()),
                    "here",
                );
            }
            out.push(Transform::Default {
                value: v.get_ref().clone(),
            });
        }
        if let (Source::Const { value }, Some(tt)) = (from, target_ty) {
            if let Err(e) = check_const(dst_types, tt, value) {
                self.error(
                    at,
                    format!("value `{value}` does not fit the target: {e}"),
                    "here",
                );
                return None;
            }
        }
        if let (Some(c), Some(tt)) = (cat, target_ty) {
            let explicit = l.map.is_some() || l.format.is_some() || l.lookup.is_some();
            match check_compatible(&c, &category(dst_types, tt), explicit) {
                Ok(None) => {}
                Ok(Some(warning)) => self.warn(
                    at,
                    format!("`{}` → `{}`: {warning}", at.get_ref(), target_text(to)),
                ),
                Err(e) => {
                    let d = Diagnostic::error(format!(
                        "type clash: `{}` is {} but `{}` is {}",
                        at.get_ref(),
                        c.describe(),
                        target_text(to),
                        category(dst_types, tt).describe()
                    ))
                    .at(self.span(at), "here")
                    .note(e);
                    self.diags.push(d);
                    return None;
                }
            }
        }
        if let (Source::Soap { path } | Source::Response { path, .. }, true) =
            (from, target_required(to))
        {
            if path.may_be_absent() && l.default.is_none() {
                self.warn(at, format!("`{}` may be absent or nil but `{}` is required: the call fails at run time when it is", at.get_ref(), target_text(to)));
            }
        }
        Some(out)
    }

    /// The type graphs of a link's source and target: the WSDL's, or the OpenAPI document of the
    /// call the side belongs to (a manifest may use several documents, with clashing names).
    pub(super) fn graphs(
        &self,
        from: &Source,
        to: &Target,
        scope: &OpScope<'a>,
    ) -> (&'a TypeGraph, &'a TypeGraph) {
        let soap = &self.c.soap.types;
        let of_call = |name: &String| {
            scope
                .calls
                .iter()
                .find(|(c, _)| &c.name == name)
                .map(|(_, ep)| self.rest_types(ep))
        };
        let first = self.c.rest.first().map_or(soap, |r| &r.types);
        let src = match from {
            Source::Soap { .. } => soap,
            Source::Response { call, .. } => of_call(call).unwrap_or(first),
            // Constants and configuration are checked against the target.
            Source::Const { .. } | Source::Config { .. } => first,
        };
        let dst = match to {
            Target::Soap { .. } | Target::Dropped => soap,
            Target::Body { call, .. } | Target::Param { call, .. } => {
                of_call(call).unwrap_or(first)
            }
        };
        (src, dst)
    }

    pub(super) fn check_map(
        &mut self,
        map: &Spanned<std::collections::BTreeMap<String, String>>,
        from: &Source,
        to: &Target,
        cat: Option<&Cat>,
        scope: &OpScope<'a>,
    ) -> Option<()> {
        let values = |c: Option<&Cat>| match c {
            Some(Cat::Enum(v)) => Some(v.clone()),
            _ => None,
        };
        if !matches!(cat, Some(Cat::Enum(_) | Cat::Text | Cat::Boolean) | None) {
            self.error(
                map,
                format!(
                    "`map` needs an enumeration or text source, but the source is {}",
                    describe(cat.cloned())
                ),
                "here",
            );
            return None;
        }
        if let Some(src) = values(cat) {
            let unknown: Vec<&String> = map.get_ref().keys().filter(|k| !src.contains(k)).collect();
            if !unknown.is_empty() {
                self.error(
                    map,
                    format!(
                        "`map` has keys that are not values of the source: {}",
                        join(&unknown)
                    ),
                    "here",
                );
                return None;
            }
            let unmapped: Vec<&String> = src
                .iter()
                .filter(|v| !map.get_ref().contains_key(*v))
                .collect();
            if !unmapped.is_empty() {
                self.warn(
                    map,
                    format!(
                        "source values without a mapping fail at run time: {}",
                        join(&unmapped)
                    ),
                );
            }
        }
        let (_, dst_types) = self.graphs(from, to, scope);
        if let Some(Cat::Enum(dst)) = target_type(to).map(|t| category(dst_types, t)) {
            let bad: Vec<&String> = map
                .get_ref()
                .values()
                // "" maps a value to nothing: the field is left out (`NotSet` → no filter).
                .filter(|v| !v.is_empty() && !dst.contains(v))
                .collect();
            if !bad.is_empty() {
                self.error(
                    map,
                    format!(
                        "`map` produces values the target does not accept: {}",
                        join(&bad)
                    ),
                    "here",
                );
                return None;
            }
        }
        Some(())
    }

    /// Reports, at the transform's key, that the source is not of a kind it takes: "`{what}`,
    /// but `SOURCE` is {category}". `None` when it is not.
    pub(super) fn source_fits(
        &mut self,
        ok: bool,
        key: &Spanned<String>,
        what: &str,
        source: &Spanned<String>,
        cat: &Option<Cat>,
    ) -> Option<()> {
        if ok {
            return Some(());
        }
        let msg = format!(
            "{what}, but `{}` is {}",
            source.get_ref(),
            describe(cat.clone())
        );
        self.error(key, msg, "here");
        None
    }
}

impl Cx<'_> {
    /// A `prefix` is text and goes on (or comes off) a scalar written as text: an identifier,
    /// a number, an enumeration value, a GUID.
    fn prefix_fits(
        &mut self,
        prefix: &Spanned<String>,
        at: &Spanned<String>,
        cat: &Option<Cat>,
    ) -> Option<()> {
        if prefix.get_ref().is_empty() {
            self.error(prefix, "an empty `prefix` changes nothing", "here");
            return None;
        }
        let ok = matches!(
            cat,
            Some(Cat::Text | Cat::Enum(_) | Cat::Integer(_) | Cat::Number | Cat::Guid) | None
        );
        let what = "`prefix` needs a value written as text (an identifier, number or GUID)";
        self.source_fits(ok, prefix, what, at, cat)
    }
}

/// A source path that passes through a repeated element (or an array) below the loop of its call
/// gives one value per item: a list, which `join` can make into one text.
pub(super) fn repeats_below_loop(from: &Source, each: Option<&Loop>) -> bool {
    let path = match from {
        Source::Soap { path } | Source::Response { path, .. } => path,
        Source::Const { .. } | Source::Config { .. } => return false,
    };
    let covered = match (from, each) {
        (Source::Soap { .. }, Some(Loop::Soap { path: lp }))
            if lp.steps.len() <= path.steps.len()
                && lp
                    .steps
                    .iter()
                    .zip(&path.steps)
                    .all(|(a, b)| a.name == b.name) =>
        {
            lp.steps.len()
        }
        _ => 0,
    };
    path.steps.iter().skip(covered).any(|s| s.many)
}

pub(super) fn target_type(t: &Target) -> Option<&TypeRef> {
    match t {
        Target::Body { path, .. } | Target::Soap { path } => path.leaf_type(),
        Target::Param { ty, .. } => Some(ty),
        Target::Dropped => None,
    }
}

pub(super) fn target_required(t: &Target) -> bool {
    match t {
        Target::Body { path, .. } => path
            .steps
            .last()
            .is_some_and(|s| !s.optional && !s.nullable),
        Target::Param { required, .. } => *required,
        Target::Soap { .. } | Target::Dropped => false,
    }
}

pub(super) fn target_call(t: &Target) -> Option<&String> {
    match t {
        Target::Body { call, .. } | Target::Param { call, .. } => Some(call),
        _ => None,
    }
}

pub(super) fn target_text(t: &Target) -> String {
    match t {
        Target::Body { path, .. } if path.text.is_empty() => "body".into(),
        Target::Body { path, .. } => format!("body.{}", path.text),
        Target::Param { location, name, .. } => {
            format!("{}.{name}", format!("{location:?}").to_lowercase())
        }
        Target::Soap { path } => path.text.clone(),
        Target::Dropped => "(dropped)".into(),
    }
}

pub(super) fn describe(c: Option<Cat>) -> String {
    c.map(|c| c.describe())
        .unwrap_or_else(|| "a constant".into())
}

pub(super) fn join(v: &[&String]) -> String {
    v.iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
