//! The coverage table `check` prints: per API and per operation, how many SOAP input fields are
//! linked, dropped or unresolved.

use std::fmt::Write;

use crate::link::{Coverage, Resolved};

/// Renders the table for every resolved manifest, then a line with the totals.
pub fn render(all: &[Resolved]) -> String {
    let mut out = String::new();
    let mut total = Coverage::default();
    let (mut ops, mut mapped) = (0, 0);
    for r in all {
        render_api(&mut out, r);
        total.add(r.coverage);
        ops += r.operations.len() + r.unmapped_operations.len();
        mapped += r
            .operations
            .iter()
            .filter(|o| o.no_successor.is_none())
            .count();
    }
    let _ = writeln!(
        out,
        "all: {} API(s), {mapped}/{ops} operation(s) linked; input fields {} linked, {} dropped, {} unresolved",
        all.len(),
        total.linked,
        total.dropped,
        total.unresolved
    );
    out
}

fn render_api(out: &mut String, r: &Resolved) {
    let strategy = match r.strategy {
        crate::link::Strategy::AdoptRest => 1,
        crate::link::Strategy::Facade => 2,
    };
    let _ = writeln!(out, "{} ({}) strategy {strategy}", r.api, r.manifest);
    let width = r
        .operations
        .iter()
        .map(|o| o.name.len())
        .chain(r.unmapped_operations.iter().map(String::len))
        .max()
        .unwrap_or(9)
        .max(9);
    let _ = writeln!(
        out,
        "  {:width$}  calls  linked  dropped  unresolved",
        "operation"
    );
    for o in &r.operations {
        match &o.no_successor {
            Some(why) => {
                let _ = writeln!(
                    out,
                    "  {:width$}  no successor: {}",
                    o.name,
                    why.lines().next().unwrap_or("")
                );
            }
            None => {
                let c = o.coverage;
                let _ = writeln!(
                    out,
                    "  {:width$}  {:>5}  {:>6}  {:>7}  {:>10}",
                    o.name,
                    o.calls.len(),
                    c.linked,
                    c.dropped,
                    c.unresolved
                );
            }
        }
    }
    for n in &r.unmapped_operations {
        let _ = writeln!(out, "  {n:width$}  not in the manifest");
    }
    let linked = r
        .operations
        .iter()
        .filter(|o| o.no_successor.is_none())
        .count();
    let none = r.operations.len() - linked;
    let c = r.coverage;
    let _ = writeln!(
        out,
        "  {linked} linked, {none} without successor, {} not in the manifest; input fields {} linked, {} dropped, {} unresolved\n",
        r.unmapped_operations.len(),
        c.linked,
        c.dropped,
        c.unresolved
    );
}
