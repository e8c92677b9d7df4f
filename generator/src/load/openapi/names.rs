//! Stable endpoint names for operations without an `operationId` (the Altinn specs have none).

use std::collections::BTreeSet;

use heck::ToSnakeCase;

use crate::model::HttpMethod;

/// `post /correspondence/api/v1/correspondence/{id}/purge` →
/// `post_correspondence_api_v1_correspondence_by_id_purge`.
pub(super) fn derive(method: HttpMethod, path: &str) -> String {
    let mut out = method.as_str().to_ascii_lowercase();
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        let part = match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => format!("by_{}", param.to_snake_case()),
            None => seg.to_snake_case(),
        };
        if !part.is_empty() {
            out.push('_');
            out.push_str(&part);
        }
    }
    out
}

/// A webhook request's name: `post_` + the webhook key in snake case.
pub(super) fn derive_webhook(method: HttpMethod, webhook: &str) -> String {
    format!(
        "{}_{}",
        method.as_str().to_ascii_lowercase(),
        webhook.to_snake_case()
    )
}

/// `base`, or `base_2`, `base_3`, ... whichever is free first; the result is taken.
pub(super) fn unique(taken: &mut BTreeSet<String>, base: &str) -> String {
    let mut name = base.to_owned();
    let mut n = 1;
    while taken.contains(&name) {
        n += 1;
        name = format!("{base}_{n}");
    }
    taken.insert(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_snake_case_with_by_for_parameters() {
        assert_eq!(
            derive(
                HttpMethod::Post,
                "/correspondence/api/v1/correspondence/upload"
            ),
            "post_correspondence_api_v1_correspondence_upload"
        );
        assert_eq!(
            derive(
                HttpMethod::Get,
                "/broker/api/v1/filetransfer/{fileTransferId}"
            ),
            "get_broker_api_v1_filetransfer_by_file_transfer_id"
        );
        assert_eq!(derive(HttpMethod::Get, "/"), "get");
        assert_eq!(
            derive_webhook(HttpMethod::Post, "no.altinn.broker.published"),
            "post_no_altinn_broker_published"
        );
    }

    #[test]
    fn collisions_get_numbered_suffixes() {
        let mut taken = BTreeSet::new();
        assert_eq!(unique(&mut taken, "get_a"), "get_a");
        assert_eq!(unique(&mut taken, "get_a"), "get_a_2");
        assert_eq!(unique(&mut taken, "get_a"), "get_a_3");
    }
}
