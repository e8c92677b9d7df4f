//! The context of the section index: every API grouped by the user group that migrates it,
//! with its coverage, and the legend of the strategy numbers.

use serde::Serialize;

use crate::link::Resolved;

use super::markup::text;
use super::words::{AUDIENCES, STRATEGIES, audience_label, strategy_number, strategy_text};

#[derive(Serialize)]
pub struct IndexCtx {
    groups: Vec<Group>,
    apis: Vec<IndexRow>,
    strategies: Vec<Legend>,
    operations: usize,
    linked_operations: usize,
    no_successor: usize,
    coverage: String,
}

/// The APIs one user group migrates.
#[derive(Serialize)]
struct Group {
    audience: String,
    heading: String,
    apis: Vec<IndexRow>,
}

#[derive(Serialize)]
struct Legend {
    number: u8,
    text: &'static str,
}

#[derive(Serialize, Clone)]
struct IndexRow {
    api: String,
    title: String,
    slug: String,
    audience: String,
    strategy: u8,
    operations: usize,
    linked_operations: usize,
    /// Linked operations as a whole percentage of all operations.
    percent: usize,
    no_successor: usize,
    unmapped: usize,
    linked: usize,
    dropped: usize,
    unresolved: usize,
}

pub fn index_context(all: &[&Resolved], slug: impl Fn(&str) -> String) -> IndexCtx {
    let apis: Vec<IndexRow> = all.iter().map(|r| index_row(r, slug(&r.api))).collect();
    let mut audiences: Vec<&str> = AUDIENCES.iter().map(|(key, _)| *key).collect();
    let mut others: Vec<&str> = apis
        .iter()
        .map(|a| a.audience.as_str())
        .filter(|a| !audiences.contains(a))
        .collect();
    others.sort();
    others.dedup();
    audiences.extend(others);
    let groups = audiences
        .into_iter()
        .map(|key| Group {
            audience: key.to_owned(),
            heading: audience_label(key).to_owned(),
            apis: apis.iter().filter(|a| a.audience == key).cloned().collect(),
        })
        .filter(|g| !g.apis.is_empty())
        .collect();
    let sum = |f: fn(&IndexRow) -> usize| apis.iter().map(f).sum::<usize>();
    IndexCtx {
        groups,
        strategies: STRATEGIES
            .iter()
            .map(|s| Legend {
                number: strategy_number(*s),
                text: strategy_text(*s),
            })
            .collect(),
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

fn index_row(r: &Resolved, slug: String) -> IndexRow {
    let linked_operations = r
        .operations
        .iter()
        .filter(|o| o.no_successor.is_none())
        .count();
    let operations = r.operations.len() + r.unmapped_operations.len();
    IndexRow {
        api: r.api.clone(),
        title: text(&r.title),
        slug,
        audience: r.audience.clone().unwrap_or_default(),
        strategy: strategy_number(r.strategy),
        operations,
        linked_operations,
        percent: (linked_operations * 100)
            .checked_div(operations)
            .unwrap_or(0),
        no_successor: r.operations.len() - linked_operations,
        unmapped: r.unmapped_operations.len(),
        linked: r.coverage.linked,
        dropped: r.coverage.dropped,
        unresolved: r.coverage.unresolved,
    }
}
