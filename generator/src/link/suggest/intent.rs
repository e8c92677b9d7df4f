//! What an operation means to do, from its leading verb, and which HTTP calls can do it. One
//! vocabulary for `suggest` (which calls to rank) and `check` (which links to warn about).

use crate::model::HttpMethod;

use super::words::Words;

/// What an operation does, by its name's leading verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Intent {
    /// A ping (`Test`): answers without touching data.
    Ping,
    /// Reads one thing (`Get…`, `Download…`).
    Read,
    /// Reads many (`Get…List`, `List…`, `Search…`, `Check…`).
    List,
    /// Makes something new (`Insert…`, `Initiate…`, `Submit…`, `Send…`, `Upload…`, `Add…`).
    Create,
    /// Changes something that exists (`Update…`, `Save…`, `Set…`).
    Update,
    /// Removes or withdraws (`Delete…`, `Cancel…`).
    Delete,
    /// Marks something that exists (`Confirm…`, `Complete…`, `Sign…`, `Archive…`).
    Act,
    /// No verb we know.
    Unknown,
}

impl Intent {
    /// The intent of an operation named `name` (`GetReceiptListBasicV2`, `HentStatus`).
    pub fn of_operation(name: &str) -> Intent {
        let w = Words::of(name);
        let Some(verb) = w.0.first() else {
            return Intent::Unknown;
        };
        let plural_read = w.0.iter().skip(1).any(|x| x == "list" || x == "available");
        match verb.as_str() {
            "test" => Intent::Ping,
            "get" | "download" if plural_read => Intent::List,
            "get" | "download" => Intent::Read,
            "list" | "search" | "check" => Intent::List,
            "create" | "send" | "upload" | "receive" => Intent::Create,
            "update" | "save" => Intent::Update,
            "delete" | "cancel" => Intent::Delete,
            "confirm" | "complete" | "sign" | "archive" | "mark" => Intent::Act,
            _ => Intent::Unknown,
        }
    }

    /// Reads only: the old caller never expected it to change anything.
    pub fn read_only(self) -> bool {
        matches!(self, Intent::Ping | Intent::Read | Intent::List)
    }

    /// How well `method` fits, 0 (never) to 1. A read-only operation never gets a writing or
    /// deleting method; only a delete gets DELETE.
    pub fn method_fit(self, method: HttpMethod) -> f64 {
        use HttpMethod::*;
        match (self, method) {
            (_, Options | Head | Trace) => 0.0,
            (Intent::Ping, _) => 0.0,
            (Intent::Read | Intent::List, Get) => 1.0,
            // Some APIs search with POST; never PUT, PATCH or DELETE for a read.
            (Intent::Read | Intent::List, Post) => 0.35,
            (Intent::Read | Intent::List, _) => 0.0,
            (Intent::Create, Post) => 1.0,
            (Intent::Create, Put) => 0.6,
            (Intent::Create, Patch) => 0.2,
            (Intent::Create, Get | Delete) => 0.0,
            (Intent::Update, Put | Patch) => 1.0,
            (Intent::Update, Post) => 0.7,
            (Intent::Update, Get | Delete) => 0.0,
            (Intent::Delete, Delete) => 1.0,
            (Intent::Delete, Post | Put | Patch) => 0.5,
            (Intent::Delete, Get) => 0.0,
            (Intent::Act, Post | Put) => 1.0,
            (Intent::Act, Patch) => 0.6,
            (Intent::Act, Get | Delete) => 0.0,
            (Intent::Unknown, Get) => 0.5,
            (Intent::Unknown, Post | Put | Patch) => 0.4,
            (Intent::Unknown, Delete) => 0.0,
        }
    }
}

/// The action words that make a POST or PUT destroy or withdraw something.
const DESTRUCTIVE_ACTIONS: &[&str] = &["delete", "cancel", "purge", "remove", "revoke"];

/// A call that deletes or withdraws data: DELETE, or an action endpoint named for it
/// (`…/actions/purge`).
pub fn destructive(method: HttpMethod, path: &str) -> bool {
    if method == HttpMethod::Delete {
        return true;
    }
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    !last.starts_with('{')
        && matches!(
            method,
            HttpMethod::Post | HttpMethod::Put | HttpMethod::Patch
        )
        && split_lower(last)
            .iter()
            .any(|w| DESTRUCTIVE_ACTIONS.contains(&w.as_str()))
}

/// A path segment's raw lower-case words (before synonyms: `purge` must stay `purge` here).
fn split_lower(segment: &str) -> Vec<String> {
    segment
        .split(|c: char| !c.is_alphanumeric())
        .filter(|s| !s.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// How much a method can break, for ordering ties: reads first, deletes last.
pub fn method_risk(method: HttpMethod) -> u8 {
    use HttpMethod::*;
    match method {
        Get | Head | Options | Trace => 0,
        Post => 1,
        Put => 2,
        Patch => 3,
        Delete => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs_give_intents_and_reads_never_get_writes() {
        assert_eq!(Intent::of_operation("Test"), Intent::Ping);
        assert_eq!(Intent::of_operation("GetReceiptListBasicV2"), Intent::List);
        assert_eq!(Intent::of_operation("HentStatus"), Intent::Read);
        assert_eq!(Intent::of_operation("TrekkTilbakeMelding"), Intent::Delete);
        assert_eq!(
            Intent::of_operation("InsertCorrespondenceBasicV2"),
            Intent::Create
        );
        assert_eq!(Intent::of_operation("PurgeItem"), Intent::Act);
        for read in [Intent::Ping, Intent::Read, Intent::List] {
            assert!(read.read_only());
            for m in [HttpMethod::Put, HttpMethod::Patch, HttpMethod::Delete] {
                assert_eq!(read.method_fit(m), 0.0, "{read:?} {m:?}");
            }
        }
        assert!(destructive(HttpMethod::Post, "/dialogs/{id}/actions/purge"));
        assert!(destructive(HttpMethod::Delete, "/x/{id}"));
        assert!(!destructive(HttpMethod::Post, "/instances/{id}/complete"));
    }
}
