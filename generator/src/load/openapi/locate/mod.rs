//! JSON pointers and where they are in the source text.
//!
//! `serde_json::Value` keeps no positions, so spans are found by pointer, through an index built
//! in one pass over the text when the locator is made; lookups are then a hash probe, so
//! loading stays linear in the size of the document however many spans it asks for.
//!
//! - [`json`]: a small scanner records the key and value range of every object and array
//!   (scalars, wanted only for diagnostics, are found by scanning just their parent again).
//! - [`yaml`]: a line scanner records every block mapping key and block sequence item; where the
//!   document uses flow style or anything fancier, a lookup settles on the deepest ancestor found.

mod json;
mod yaml;

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::Arc;

use serde_json::Value;

use super::read::Syntax;
use crate::diag::{FileId, Span};

/// Escapes one reference token (`~` → `~0`, `/` → `~1`); borrowed when there is nothing to
/// escape, which is almost always (this runs for every key the loader points at).
pub(super) fn escape(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

/// `ptr` extended by one token, in one allocation (no formatting machinery: pointers are made
/// for every schema, field and endpoint).
pub(super) fn child(ptr: &str, token: &str) -> String {
    let token = escape(token);
    let mut out = String::with_capacity(ptr.len() + 1 + token.len());
    out.push_str(ptr);
    out.push('/');
    out.push_str(&token);
    out
}

/// The value at JSON pointer `ptr`, as `Value::pointer` finds it, without its two allocations
/// per token: only a token holding `~` is unescaped into a new string. Lookups by pointer are
/// how the loader reaches every schema and `$ref` target, so they are on the hot path.
pub(super) fn lookup<'v>(root: &'v Value, ptr: &str) -> Option<&'v Value> {
    if ptr.is_empty() {
        return Some(root);
    }
    let rest = ptr.strip_prefix('/')?;
    rest.split('/').try_fold(root, |v, token| {
        let token = unescape(token);
        match v {
            Value::Object(map) => map.get(token.as_ref()),
            Value::Array(list) => array_index(&token).and_then(|i| list.get(i)),
            _ => None,
        }
    })
}

/// [`lookup`] for a mutable value.
pub(super) fn lookup_mut<'v>(root: &'v mut Value, ptr: &str) -> Option<&'v mut Value> {
    if ptr.is_empty() {
        return Some(root);
    }
    let rest = ptr.strip_prefix('/')?;
    rest.split('/').try_fold(root, |v, token| {
        let token = unescape(token);
        match v {
            Value::Object(map) => map.get_mut(token.as_ref()),
            Value::Array(list) => array_index(&token).and_then(move |i| list.get_mut(i)),
            _ => None,
        }
    })
}

/// One token of a pointer unescaped (`~1` → `/`, then `~0` → `~`, the order RFC 6901 asks).
fn unescape(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(token)
    }
}

/// An array index as `Value::pointer` accepts it: digits, no sign, no leading zero.
fn array_index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
        return None;
    }
    token.parse().ok()
}

/// The unescaped tokens of a pointer (`#` fragment prefix and percent-encoding allowed).
pub(super) fn tokens(ptr: &str) -> Vec<String> {
    let ptr = ptr.strip_prefix('#').unwrap_or(ptr);
    if ptr.is_empty() {
        return Vec::new();
    }
    ptr.trim_start_matches('/')
        .split('/')
        .map(|t| percent_decode(t).replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// A `#/...` reference turned into a plain pointer usable with `Value::pointer`.
pub(super) fn ref_to_pointer(reference: &str) -> Option<String> {
    let rest = reference.strip_prefix('#')?;
    if rest.is_empty() || (rest.starts_with('/') && !rest.contains('%')) {
        // Already a pointer: tokens in a fragment are escaped the same way.
        return Some(rest.to_owned());
    }
    rest.starts_with('/')
        .then(|| tokens(rest).iter().fold(String::new(), |p, t| child(&p, t)))
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

/// Where one value is: its key (for object members) and the value itself.
#[derive(Debug, Clone)]
struct Entry {
    key: Option<Range<usize>>,
    value: Range<usize>,
}

/// Finds source spans for pointers into one document.
#[derive(Debug)]
pub(super) struct Locator {
    file: FileId,
    text: Arc<str>,
    /// Entries by pointer hash: JSON objects and arrays, YAML block nodes.
    index: Index,
    syntax: Syntax,
    max_depth: usize,
}

/// Entries by the FNV-1a hash of their pointer, computed while scanning without building
/// pointer strings (a collision could only misplace a span, never fail a load).
type Index = HashMap<u64, Entry, BuildHasherDefault<Prehashed>>;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// `h` extended by `/` and the decimal digits of array index `n`, without formatting a string
/// (one per array item while indexing).
fn fnv_index(h: u64, n: usize) -> u64 {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    fnv(fnv(h, b"/"), &digits[at..])
}

/// The hash of a whole pointer (without `#`).
fn pointer_hash(ptr: &str) -> u64 {
    fnv(FNV_OFFSET, ptr.as_bytes())
}

/// A hasher for keys that are hashes already.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv(self.0 ^ FNV_OFFSET, bytes);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl Locator {
    /// A locator for `text`, indexed once, up front.
    pub(super) fn new(file: FileId, text: Arc<str>, syntax: Syntax, max_depth: usize) -> Self {
        let index = match syntax {
            Syntax::Json => json::index(&text, max_depth),
            Syntax::Yaml => yaml::index(&text, max_depth),
        };
        Locator {
            file,
            text,
            index,
            syntax,
            max_depth,
        }
    }

    /// The place to point at for `ptr`: a scalar's value, or the key of a member whose value is
    /// an object or array (whole objects can span thousands of lines). Falls back to the
    /// deepest ancestor found, then to the start of the file.
    pub(super) fn span(&self, ptr: &str) -> Span {
        let e = self.entry(ptr);
        let scalar = !matches!(self.text.as_bytes().get(e.value.start), Some(b'{' | b'['));
        let range = match (&e.key, scalar) {
            (Some(k), false) => k.clone(),
            (_, true) => e.value.clone(),
            (None, false) => e.value.start..e.value.start + 1,
        };
        Span::new(self.file, range)
    }

    /// The span of the value at `ptr` itself (for a `$ref`: the reference string).
    pub(super) fn value_span(&self, ptr: &str) -> Span {
        Span::new(self.file, self.entry(ptr).value)
    }

    /// The entry of `ptr`, else of its deepest indexed ancestor. A JSON scalar is not indexed:
    /// it is found by scanning its nearest indexed ancestor again, never the whole document.
    fn entry(&self, ptr: &str) -> Entry {
        let ptr = ptr.strip_prefix('#').unwrap_or(ptr);
        let mut p = ptr;
        loop {
            if let Some(e) = self.index.get(&pointer_hash(p)) {
                if p.len() < ptr.len() && self.syntax == Syntax::Json {
                    let depth = p.matches('/').count();
                    if let Some(found) =
                        json::find_below(&self.text, e, p, ptr, depth, self.max_depth)
                    {
                        return found;
                    }
                }
                return e.clone();
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => break,
            }
        }
        if self.syntax == Syntax::Json && !ptr.is_empty() {
            let root = Entry {
                key: None,
                value: 0..self.text.len(),
            };
            if let Some(found) = json::find_below(&self.text, &root, "", ptr, 0, self.max_depth) {
                return found;
            }
        }
        Entry {
            key: None,
            value: 0..self.text.len().min(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(text: &str, syntax: Syntax) -> Locator {
        Locator::new(FileId(0), text.into(), syntax, 128)
    }

    #[test]
    fn json_pointer_finds_keys_values_and_escapes() {
        let text = "{\"a\": {\"b/c\": [1, {\"$ref\": \"#/x\"}]}, \"d\\u0041\": true}";
        let l = loc(text, Syntax::Json);
        let r = l.value_span("/a/b~1c/1/$ref").range();
        assert_eq!(&text[r], "\"#/x\"");
        assert_eq!(&text[l.span("/a").range()], "\"a\"");
        assert_eq!(&text[l.span("/dA").range()], "true");
        // Missing tail: the deepest ancestor.
        assert_eq!(&text[l.span("/a/nope").range()], "\"a\"");
    }

    #[test]
    fn yaml_pointer_follows_block_mappings_and_sequences() {
        let text = "openapi: 3.1.0\npaths:\n  /x:\n    get:\n      parameters:\n        - name: a\n          in: query\n        - $ref: '#/nope'\n";
        let l = loc(text, Syntax::Yaml);
        assert_eq!(
            &text[l.value_span("/paths/~1x/get/parameters/1/$ref").range()],
            "'#/nope'"
        );
        assert_eq!(&text[l.span("/paths/~1x/get").range()], "get");
        assert_eq!(
            &text[l.value_span("/paths/~1x/get/parameters/0/in").range()],
            "query"
        );
    }

    #[test]
    fn yaml_index_skips_block_scalars_flow_and_continuations() {
        let text = "\
---
openapi: 3.0.3 # comment
info:
  description: |
    first: not a key
    - not an item
  title: >-
    folded
paths:
  '/a/{id}':
    get:
      tags:
      - one
      - two
      parameters:
        - name: id
          schema: { type: string,
            format: uuid }
        -   name: \"q\"
            in: query
        - - nested
          - deeper
  \"/b\\u0041\":
    post:
      summary: plain
        continued: still the summary
      responses:
        \"200\": {description: ok}
";
        let l = loc(text, Syntax::Yaml);
        let at = |ptr: &str| &text[l.value_span(ptr).range()];
        assert_eq!(at("/openapi"), "3.0.3 # comment");
        assert_eq!(&text[l.span("/info/title").range()], ">-");
        // Inside a block scalar nothing is a key: the lookup settles on `description`.
        assert_eq!(at("/info/description/first"), "|");
        assert_eq!(at("/paths/~1a~1{id}/get/tags/1"), "two");
        assert_eq!(at("/paths/~1a~1{id}/get/parameters/0/name"), "id");
        // Flow mappings are one value.
        assert_eq!(
            at("/paths/~1a~1{id}/get/parameters/0/schema/format"),
            "{ type: string,"
        );
        assert_eq!(at("/paths/~1a~1{id}/get/parameters/1/in"), "query");
        assert_eq!(at("/paths/~1a~1{id}/get/parameters/1/name"), "\"q\"");
        assert_eq!(at("/paths/~1a~1{id}/get/parameters/2/1"), "deeper");
        assert_eq!(at("/paths/~1bA/post/summary"), "plain");
        assert_eq!(
            &text[l.span("/paths/~1bA/post/responses").range()],
            "responses"
        );
        assert_eq!(at("/paths/~1bA/post/responses/200"), "{description: ok}");
        // A key named like one inside a continued scalar is not found there.
        assert_eq!(at("/paths/~1bA/post/continued"), "post");
    }

    #[test]
    fn json_scalars_are_found_inside_their_parent_only() {
        let text = "{\"a\": {\"x\": 1, \"y\": [true, \"s\"]}, \"b\": {\"x\": 2}}";
        let l = loc(text, Syntax::Json);
        assert_eq!(&text[l.value_span("/b/x").range()], "2");
        assert_eq!(&text[l.value_span("/a/x").range()], "1");
        assert_eq!(&text[l.value_span("/a/y/1").range()], "\"s\"");
        assert_eq!(&text[l.span("/a/nope/deeper").range()], "\"a\"");
    }

    #[test]
    fn index_hashes_match_pointer_hashes() {
        for n in [0usize, 7, 10, 123, usize::MAX] {
            assert_eq!(
                fnv_index(pointer_hash("/a"), n),
                pointer_hash(&format!("/a/{n}"))
            );
        }
    }

    #[test]
    fn lookup_agrees_with_serde_json_pointer() {
        let doc = serde_json::json!({
            "a/b": {"c~d": [1, {"e": null}]},
            "": {"": 2},
            "list": [[0, 1], [2]],
        });
        for ptr in [
            "",
            "/",
            "//",
            "/a~1b",
            "/a~1b/c~0d/1/e",
            "/a~1b/c~0d/01",
            "/a~1b/c~0d/+1",
            "/a~1b/c~0d/2",
            "/list/1/0",
            "/list/x",
            "a",
            "/missing/deeper",
            "/a~01b",
        ] {
            assert_eq!(lookup(&doc, ptr), doc.pointer(ptr), "{ptr}");
            let mut m = doc.clone();
            let theirs = m.clone().pointer_mut(ptr).map(|v| v.clone());
            assert_eq!(lookup_mut(&mut m, ptr).map(|v| v.clone()), theirs, "{ptr}");
        }
    }

    #[test]
    fn refs_become_pointers() {
        assert_eq!(
            ref_to_pointer("#/components/schemas/A%20B").as_deref(),
            Some("/components/schemas/A B")
        );
        assert_eq!(ref_to_pointer("other.json#/x"), None);
        assert_eq!(tokens("#/a~1b/c~0d"), ["a/b", "c~d"]);
    }
}
