//! JSON pointers and where they are in the source text.
//!
//! `serde_json::Value` keeps no positions, so spans are found by pointer. For JSON a small
//! scanner walks the text once and records the key and value range of every member; lookups
//! are then a hash probe. For YAML the lookup is a best effort over lines: it follows block
//! mappings (`key:` at a deeper indent) and block sequences (`- ` items) and, where the document
//! uses flow style or anything fancier, settles on the deepest ancestor it did find.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::Arc;

use super::read::Syntax;
use crate::diag::{FileId, Span};

/// Escapes one reference token (`~` → `~0`, `/` → `~1`).
pub(super) fn escape(token: &str) -> String {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1")
    } else {
        token.to_owned()
    }
}

/// `ptr` extended by one token.
pub(super) fn child(ptr: &str, token: &str) -> String {
    format!("{ptr}/{}", escape(token))
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
    /// JSON only: the entry of every object and array. Scalars (wanted only for diagnostics)
    /// are found by a scan for the one pointer asked for, which keeps the index small.
    index: Option<Index>,
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
    /// A locator for `text`; JSON is indexed once, up front.
    pub(super) fn new(file: FileId, text: Arc<str>, syntax: Syntax, max_depth: usize) -> Self {
        let index = (syntax == Syntax::Json).then(|| {
            let mut map = Index::default();
            let mut scan = Scan {
                b: text.as_bytes(),
                i: 0,
                max_depth,
                target: None,
            };
            scan.value(FNV_OFFSET, None, &mut map, 0);
            map
        });
        Locator {
            file,
            text,
            index,
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

    fn entry(&self, ptr: &str) -> Entry {
        let root = Entry {
            key: None,
            value: 0..self.text.len().min(1),
        };
        match &self.index {
            Some(index) => {
                let mut p = ptr.strip_prefix('#').unwrap_or(ptr);
                let h = pointer_hash(p);
                if !index.contains_key(&h) {
                    let mut map = Index::default();
                    let mut scan = Scan {
                        b: self.text.as_bytes(),
                        i: 0,
                        max_depth: self.max_depth,
                        target: Some(h),
                    };
                    scan.value(FNV_OFFSET, None, &mut map, 0);
                    if let Some(e) = map.remove(&h) {
                        return e;
                    }
                }
                loop {
                    if let Some(e) = index.get(&pointer_hash(p)) {
                        return e.clone();
                    }
                    match p.rfind('/') {
                        Some(i) => p = &p[..i],
                        None => return root,
                    }
                }
            }
            None => yaml_find(&self.text, &tokens(ptr)).unwrap_or(root),
        }
    }
}

/// A minimal JSON scanner over text that serde_json has already accepted.
struct Scan<'t> {
    b: &'t [u8],
    i: usize,
    max_depth: usize,
    /// Record only the value whose pointer has this hash; `None`: every object and array.
    target: Option<u64>,
}

impl Scan<'_> {
    fn ws(&mut self) {
        while matches!(self.b.get(self.i), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.i += 1;
        }
    }

    /// At a `"`: moves past the string, returning its range with the quotes.
    fn string(&mut self) -> Range<usize> {
        let start = self.i;
        self.i += 1;
        while let Some(&c) = self.b.get(self.i) {
            self.i += 1;
            match c {
                b'\\' => self.i += 1,
                b'"' => break,
                _ => {}
            }
        }
        start..self.i.min(self.b.len())
    }

    /// The hash of `path` + `/` + the escaped key at `r`, allocating only for rare keys.
    fn key_hash(&self, path: u64, r: &Range<usize>) -> u64 {
        let h = fnv(path, b"/");
        let raw = self.b.get(r.clone()).unwrap_or(b"\"\"");
        let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or(b"");
        if raw.contains(&b'\\') {
            let decoded: String = std::str::from_utf8(raw)
                .ok()
                .and_then(|t| serde_json::from_str(t).ok())
                .unwrap_or_default();
            fnv(h, escape(&decoded).as_bytes())
        } else if inner.iter().any(|&c| c == b'~' || c == b'/') {
            fnv(h, escape(&String::from_utf8_lossy(inner)).as_bytes())
        } else {
            fnv(h, inner)
        }
    }

    fn value(&mut self, path: u64, key: Option<Range<usize>>, map: &mut Index, depth: usize) {
        self.ws();
        let start = self.i;
        match self.b.get(self.i) {
            Some(b'{') if depth < self.max_depth => self.object(path, map, depth),
            Some(b'[') if depth < self.max_depth => self.array(path, map, depth),
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                while !matches!(
                    self.b.get(self.i),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n')
                ) {
                    self.i += 1;
                }
            }
            None => return,
        }
        let container = matches!(self.b.get(start), Some(b'{' | b'['));
        let wanted = match self.target {
            None => container,
            Some(t) => t == path,
        };
        if !wanted {
            return;
        }
        map.insert(
            path,
            Entry {
                key,
                value: start..self.i.max(start + 1),
            },
        );
    }

    fn object(&mut self, path: u64, map: &mut Index, depth: usize) {
        self.i += 1;
        loop {
            self.ws();
            match self.b.get(self.i) {
                Some(b'"') => {}
                Some(b'}') => {
                    self.i += 1;
                    return;
                }
                Some(b',') => {
                    self.i += 1;
                    continue;
                }
                _ => return,
            }
            let k = self.string();
            self.ws();
            if self.b.get(self.i) == Some(&b':') {
                self.i += 1;
            }
            let h = self.key_hash(path, &k);
            self.value(h, Some(k), map, depth + 1);
        }
    }

    fn array(&mut self, path: u64, map: &mut Index, depth: usize) {
        self.i += 1;
        let mut n = 0usize;
        loop {
            self.ws();
            match self.b.get(self.i) {
                Some(b']') => {
                    self.i += 1;
                    return;
                }
                Some(b',') => {
                    self.i += 1;
                    continue;
                }
                None => return,
                Some(_) => {}
            }
            let h = fnv(fnv(path, b"/"), n.to_string().as_bytes());
            let before = self.i;
            self.value(h, None, map, depth + 1);
            n += 1;
            if self.i == before {
                return; // no progress: malformed, stop rather than loop
            }
        }
    }
}

/// Best-effort YAML lookup over block-style lines (see the module docs).
fn yaml_find(text: &str, tokens: &[String]) -> Option<Entry> {
    let lines: Vec<(usize, &str)> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .filter_map(|s| {
            text.get(s..)
                .map(|rest| (s, rest.split('\n').next().unwrap_or("")))
        })
        .collect();
    let mut node = Node {
        line: 0,
        col: 0,
        parent: -1,
        items_at_parent: true,
    };
    let mut found = None;
    for tok in tokens {
        let Some((next, entry)) = yaml_child(&lines, &node, tok) else {
            break;
        };
        node = next;
        found = Some(entry);
    }
    found
}

/// Where a YAML node's content starts and the indent its children must exceed.
struct Node {
    line: usize,
    col: usize,
    parent: isize,
    /// A mapping value may be a block sequence at the key's own indent (`key:\n- a`).
    items_at_parent: bool,
}

/// The child `tok` of `node`: the child as a node, and its entry.
fn yaml_child(lines: &[(usize, &str)], node: &Node, tok: &str) -> Option<(Node, Entry)> {
    let mut level: Option<usize> = None;
    let mut item = 0usize;
    let want_index: Option<usize> = tok.parse().ok();
    for (l, &(start, text)) in lines.iter().enumerate().skip(node.line) {
        let from = if l == node.line {
            node.col.min(text.len())
        } else {
            0
        };
        let body = text.get(from..).unwrap_or("");
        let trimmed = body.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let c = from + body.len() - trimmed.len();
        let is_item = trimmed == "-" || trimmed.starts_with("- ");
        let ci = c as isize;
        if l > node.line
            && (ci < node.parent || (ci == node.parent && !(is_item && node.items_at_parent)))
        {
            return None;
        }
        if *level.get_or_insert(c) != c {
            continue;
        }
        if let Some(n) = want_index {
            if is_item {
                if item == n {
                    let v = start + c + 2.min(trimmed.len());
                    let next = Node {
                        line: l,
                        col: c + 2,
                        parent: ci,
                        items_at_parent: false,
                    };
                    return Some((
                        next,
                        Entry {
                            key: None,
                            value: v..start + text.trim_end().len(),
                        },
                    ));
                }
                item += 1;
            }
            continue;
        }
        if let Some(key_len) = yaml_key_len(trimmed, tok) {
            let k = start + c..start + c + key_len;
            let after = &trimmed[key_len + 1..];
            let lead = after.len() - after.trim_start().len();
            let v0 = start + c + key_len + 1 + lead;
            let inline = !after.trim().is_empty();
            let value = if inline {
                v0..start + text.trim_end().len()
            } else {
                k.clone()
            };
            let next = if inline {
                Node {
                    line: l,
                    col: v0 - start,
                    parent: ci,
                    items_at_parent: true,
                }
            } else {
                Node {
                    line: l + 1,
                    col: 0,
                    parent: ci,
                    items_at_parent: true,
                }
            };
            return Some((
                next,
                Entry {
                    key: Some(k),
                    value,
                },
            ));
        }
    }
    None
}

/// The length of `tok` as a key at the start of `line` (plain, or single- or double-quoted).
fn yaml_key_len(line: &str, tok: &str) -> Option<usize> {
    for (open, close) in [("", ""), ("\"", "\""), ("'", "'")] {
        let Some(rest) = line.strip_prefix(open) else {
            continue;
        };
        let Some(rest) = rest.strip_prefix(tok) else {
            continue;
        };
        let Some(rest) = rest.strip_prefix(close) else {
            continue;
        };
        if rest.starts_with(':') {
            return Some(open.len() + tok.len() + close.len());
        }
    }
    None
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
    fn refs_become_pointers() {
        assert_eq!(
            ref_to_pointer("#/components/schemas/A%20B").as_deref(),
            Some("/components/schemas/A B")
        );
        assert_eq!(ref_to_pointer("other.json#/x"), None);
        assert_eq!(tokens("#/a~1b/c~0d"), ["a/b", "c~d"]);
    }
}
