//! The fault rules of a `plan` module. The manifest's API-wide rules (`[[faults]]`) are written
//! once, as one constant each and `API_FAULTS` listing them; an operation refers to
//! `API_FAULTS`, or lists its own rules first and then the shared constants by name, instead of
//! a copy of every rule in every operation.

use std::collections::BTreeMap;

use heck::ToShoutySnakeCase;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::link::FaultMap;

use super::names::{Unique, ident};
use super::vocab;

/// The API-wide rules and the constant each one is written as.
pub struct SharedFaults {
    rules: Vec<(FaultMap, Ident)>,
    list: Ident,
}

impl SharedFaults {
    /// Names a constant per API-wide rule (`FAULT_4XX`, `FAULT_TIMEOUT`, ...) and the list
    /// (`API_FAULTS`) in `scope`, the plan module's names.
    pub fn of(api: &[FaultMap], scope: &mut Unique) -> Self {
        let rules = api
            .iter()
            .map(|f| {
                let name = format!("FAULT_{}", f.status).to_shouty_snake_case();
                (f.clone(), ident(&scope.claim(name)))
            })
            .collect();
        let list = ident(&scope.claim("API_FAULTS".to_owned()));
        SharedFaults { rules, list }
    }

    /// The shared constants and the list.
    pub fn consts(&self) -> TokenStream {
        let items = self.rules.iter().map(|(f, id)| {
            let doc = rule_doc(f);
            let value = rule(f);
            quote!(#(#[doc = #doc])* const #id: FaultRule = #value;)
        });
        let (names, list) = (self.rules.iter().map(|(_, id)| id), &self.list);
        quote! {
            #(#items)*

            /// The manifest's API-wide fault rules (`[[faults]]`), tried after an operation's own.
            pub const #list: &[FaultRule] = &[#(#names),*];
        }
    }

    /// An operation's `faults` field: its own rules, then the shared ones by name. Rules that do
    /// not end with the shared ones (never, as the manifest is resolved) are written out whole.
    pub fn of_op(&self, faults: &[FaultMap]) -> TokenStream {
        let shared: Vec<&FaultMap> = self.rules.iter().map(|(f, _)| f).collect();
        let own_len = faults.len().saturating_sub(shared.len());
        let ends_shared = faults.len() >= shared.len()
            && faults[own_len..].iter().zip(&shared).all(|(a, b)| a == *b);
        if !ends_shared {
            let all = faults.iter().map(rule);
            return quote!(&[#(#all),*]);
        }
        if own_len == 0 {
            let list = &self.list;
            return quote!(#list);
        }
        let own = faults[..own_len].iter().map(rule);
        let names = self.rules.iter().map(|(_, id)| id);
        quote!(&[#(#own,)* #(#names),*])
    }
}

/// The rule's doc lines: what it answers with, and the manifest's note.
fn rule_doc(f: &FaultMap) -> Vec<String> {
    let code = if f.client { "client" } else { "server" };
    let mut lines = vec![format!(
        " `{}` → the SOAP fault `{}` ({code} fault): an API-wide rule of the manifest.",
        f.status, f.fault
    )];
    if let Some(note) = f.note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        lines.push(String::new());
        lines.extend(note.lines().map(|l| format!(" {}", l.trim())));
    }
    lines
}

fn rule(f: &FaultMap) -> TokenStream {
    let status = vocab::status(f.status);
    let client = f.client;
    let fields: BTreeMap<&String, &String> = f.fields.iter().collect();
    let rows = fields.iter().map(|(k, v)| quote!((#k, #v)));
    quote!(FaultRule { status: #status, client: #client, fields: &[#(#rows),*] })
}

#[cfg(test)]
mod tests {
    use altinn_bridge_vocab::StatusMatch;

    use super::*;

    fn fault(status: StatusMatch, name: &str) -> FaultMap {
        FaultMap {
            status,
            fault: name.to_owned(),
            client: true,
            fields: BTreeMap::from([("ErrorID".to_owned(), "status".to_owned())]),
            note: None,
        }
    }

    #[test]
    fn operations_refer_to_the_shared_rules_instead_of_copying_them() {
        let api = [
            fault(StatusMatch::Class(4), "A"),
            fault(StatusMatch::Timeout, "A"),
        ];
        let mut scope = Unique::with(&["FAULT_4XX"]);
        let shared = SharedFaults::of(&api, &mut scope);
        let consts = shared.consts().to_string();
        assert!(consts.contains("const FAULT_4XX2 : FaultRule"), "{consts}");
        assert!(
            consts
                .contains("pub const API_FAULTS : & [FaultRule] = & [FAULT_4XX2 , FAULT_TIMEOUT]"),
            "{consts}"
        );
        assert_eq!(shared.of_op(&api).to_string(), "API_FAULTS");
        let own = fault(StatusMatch::Exact(404), "NotFound");
        let with_own = [own, api[0].clone(), api[1].clone()];
        let text = shared.of_op(&with_own).to_string();
        assert!(
            text.starts_with("& [FaultRule { status : StatusMatch :: Exact (404)"),
            "{text}"
        );
        assert!(text.ends_with(", FAULT_4XX2 , FAULT_TIMEOUT]"), "{text}");
        // Rules that do not end with the shared ones are not silently replaced by them.
        let other = [fault(StatusMatch::Default, "B")];
        assert!(!shared.of_op(&other).to_string().contains("API_FAULTS"));
    }
}
