//! The words the pages use for the manifests' fixed values, defined once for every page.

use crate::link::Strategy;

/// A strategy's number, as the manifests write it.
pub fn strategy_number(s: Strategy) -> u8 {
    match s {
        Strategy::AdoptRest => 1,
        Strategy::Facade => 2,
    }
}

/// What a strategy means, for readers and for the index's legend.
pub fn strategy_text(s: Strategy) -> &'static str {
    match s {
        Strategy::AdoptRest => "the SOAP API ends; callers adopt the Altinn 3 REST API",
        Strategy::Facade => "a transition facade keeps the SOAP contract over Altinn 3",
    }
}

/// Every strategy, in number order (the index's legend).
pub const STRATEGIES: [Strategy; 2] = [Strategy::AdoptRest, Strategy::Facade];

/// The user groups a manifest's `audience` names, in the index's order, with their headings.
pub const AUDIENCES: [(&str, &str); 2] = [
    ("end-user-system", "End-user systems"),
    ("service-owner", "Service owners"),
];

/// The user group of a manifest's `audience`, as a heading; a group the project does not
/// know is shown as written.
pub fn audience_label(audience: &str) -> &str {
    match AUDIENCES.iter().find(|(key, _)| *key == audience) {
        Some((_, label)) => label,
        None if audience.is_empty() => "Audience not stated",
        None => audience,
    }
}
