//! Coverage: which SOAP input fields are linked, dropped or left, and which required REST inputs
//! are fed.

use std::collections::BTreeSet;

use crate::diag::Diagnostic;
use crate::link::manifest::OperationSpec;
use crate::link::model::*;
use crate::link::paths::{fields_of, list_item};
use crate::model::{SoapOperation, TypeGraph, TypeKind, TypeRef};

use super::*;

impl<'a> Cx<'a> {
    /// Every required parameter and body property of every call is fed by some link.
    pub(super) fn check_required_fed(
        &mut self,
        spec: &OperationSpec,
        scope: &OpScope<'a>,
        inputs: &[FieldLink],
    ) {
        for (call, ep) in &scope.calls {
            let targets: Vec<&Target> = inputs
                .iter()
                .map(|l| &l.to)
                .filter(|t| target_call(t) == Some(&call.name))
                .collect();
            // A path parameter the path template does not use cannot be sent: the spec's
            // declaration is wrong, and linking it is refused when the plan is lowered.
            let in_template = |p: &&crate::model::Parameter| {
                p.location != crate::model::ParamLocation::Path
                    || crate::model::path_uses(&call.path, &p.name)
            };
            for p in ep.params.iter().filter(|p| p.required).filter(in_template) {
                let fed = targets.iter().any(|t| matches!(t, Target::Param { name, location, .. } if *name == p.name && *location == p.location));
                if !fed {
                    let loc = format!("{:?}", p.location).to_lowercase();
                    let d = Diagnostic::error(format!(
                        "required {loc} parameter `{}` of `{}` is not fed",
                        p.name, ep.id
                    ))
                    .at(self.span(&spec.soap), "in this operation")
                    .note(format!(
                        "add a link with `to = \"{loc}.{}\"` and `into = \"{}\"`",
                        p.name, call.name
                    ));
                    self.diags.push(d);
                }
            }
            let body_paths: Vec<Vec<String>> = targets
                .iter()
                .filter_map(|t| match t {
                    Target::Body { path, .. } => {
                        Some(path.steps.iter().map(|s| s.name.clone()).collect())
                    }
                    _ => None,
                })
                .collect();
            let Some(body) = &ep.body else { continue };
            let root = body
                .content
                .iter()
                .find(|m| m.media_type.contains("json"))
                .or(body.content.first())
                .and_then(|m| m.ty.clone());
            if body_paths.is_empty() {
                if body.required {
                    let d = Diagnostic::error(format!(
                        "the required request body of `{}` is not fed",
                        ep.id
                    ))
                    .at(self.span(&spec.soap), "in this operation")
                    .note(format!(
                        "add links with `to = \"body.…\"` and `into = \"{}\"`",
                        call.name
                    ));
                    self.diags.push(d);
                }
                continue;
            }
            let whole = body_paths.iter().any(|p| p.len() == 1 && p[0].is_empty());
            if let (Some(root), false) = (root, whole) {
                let mut missing = Vec::new();
                required_unfed(
                    self.rest_types(ep),
                    &root,
                    &[],
                    &body_paths,
                    &mut missing,
                    0,
                );
                for m in missing {
                    let d = Diagnostic::error(format!(
                        "required field `body.{m}` of `{}` is not fed",
                        ep.id
                    ))
                    .at(self.span(&spec.soap), "in this operation")
                    .note(format!(
                        "add a link with `to = \"body.{m}\"` (or `value = …`) and `into = \"{}\"`",
                        call.name
                    ));
                    self.diags.push(d);
                }
            }
        }
    }
}

/// Required properties under `ty` (at `prefix`) that no link path reaches. Descends only into
/// properties that links go into, so an object fed as a whole counts as fed.
pub(super) fn required_unfed(
    types: &TypeGraph,
    ty: &TypeRef,
    prefix: &[String],
    fed: &[Vec<String>],
    out: &mut Vec<String>,
    depth: usize,
) {
    if depth > 16 {
        return;
    }
    for f in fields_of(types, ty) {
        let mut here = prefix.to_vec();
        here.push(f.name.clone());
        let reaching: Vec<&Vec<String>> = fed.iter().filter(|p| p.starts_with(&here)).collect();
        if reaching.is_empty() {
            if f.min_occurs > 0 && !f.read_only {
                out.push(here.join("."));
            }
            continue;
        }
        if reaching.iter().all(|p| p.len() > here.len()) {
            let inner = list_item(types, &f.ty).unwrap_or_else(|| f.ty.clone());
            required_unfed(types, &inner, &here, fed, out, depth + 1);
        }
    }
}

/// Leaf fields of an operation's input (headers and body), as SOAP paths. Recursion and depth
/// are cut, so recursive types give finitely many leaves.
pub fn input_leaves(types: &TypeGraph, op: &SoapOperation) -> Vec<String> {
    part_leaves(types, &op.input_parts())
}

/// Leaf fields of an operation's output (headers and body), as SOAP paths.
pub fn output_leaves(types: &TypeGraph, op: &SoapOperation) -> Vec<String> {
    part_leaves(types, &op.output_parts())
}

fn part_leaves(types: &TypeGraph, parts: &[&crate::model::MessagePart]) -> Vec<String> {
    let mut out = Vec::new();
    for part in parts {
        let name = match &part.content {
            crate::model::PartContent::Element { element, .. } => element.local.clone(),
            crate::model::PartContent::Type { .. } => part.name.clone(),
        };
        leaves(
            types,
            part.content.ty(),
            name,
            &mut BTreeSet::new(),
            &mut out,
        );
    }
    out
}

pub(super) fn leaves(
    types: &TypeGraph,
    ty: &TypeRef,
    path: String,
    stack: &mut BTreeSet<String>,
    out: &mut Vec<String>,
) {
    let ty = types.unalias(ty);
    let Some(def) = types.resolve(ty) else {
        out.push(path);
        return;
    };
    if stack.len() > 12 || !stack.insert(def.id.0.clone()) {
        out.push(path);
        return;
    }
    match &def.kind {
        TypeKind::Struct(_) => {
            let fields = types.all_fields(&def.id);
            if fields.is_empty() {
                out.push(path.clone());
            }
            for f in fields {
                let seg = if f.kind == crate::model::FieldKind::Attribute {
                    format!("@{}", f.name)
                } else {
                    f.name.clone()
                };
                leaves(types, &f.ty, format!("{path}/{seg}"), stack, out);
            }
        }
        TypeKind::List(l) => match &l.item_element {
            Some(item)
                if types
                    .resolve(types.unalias(&l.item))
                    .is_some_and(|d| matches!(d.kind, TypeKind::Struct(_))) =>
            {
                leaves(
                    types,
                    &l.item,
                    format!("{path}/{}", item.xml_name.local),
                    stack,
                    out,
                );
            }
            _ => out.push(path.clone()),
        },
        _ => out.push(path.clone()),
    }
    stack.remove(&def.id.0);
}

pub(super) fn coverage(
    types: &TypeGraph,
    op: &SoapOperation,
    inputs: &[FieldLink],
    scope: &OpScope<'_>,
    auth: Option<&AuthChange>,
) -> (Coverage, Vec<String>) {
    let mut linked: Vec<&str> = Vec::new();
    let mut dropped: Vec<&str> = auth
        .map(|a| a.old_fields.iter().map(String::as_str).collect())
        .unwrap_or_default();
    for l in inputs {
        if let Source::Soap { path } = &l.from {
            match l.to {
                Target::Dropped => dropped.push(&path.text),
                _ => linked.push(&path.text),
            }
        }
    }
    // A loop's list is consumed by the loop only where its items are linked; nothing to add here.
    let _ = scope;
    let covers = |set: &[&str], leaf: &str| {
        set.iter()
            .any(|p| leaf == *p || leaf.starts_with(&format!("{p}/")))
    };
    let mut cov = Coverage::default();
    let mut unresolved = Vec::new();
    for leaf in input_leaves(types, op) {
        if covers(&linked, &leaf) {
            cov.linked += 1;
        } else if covers(&dropped, &leaf) {
            cov.dropped += 1;
        } else {
            cov.unresolved += 1;
            unresolved.push(leaf);
        }
    }
    (cov, unresolved)
}
