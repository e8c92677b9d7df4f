//! The YAML index: one pass over the lines, following block mappings (`key:` lines) and block
//! sequences (`- ` items) by indentation. Flow collections, block scalars and multi-line
//! scalars are skipped as a whole: a pointer into them settles on the node that holds them.

use std::ops::Range;

use super::{Entry, FNV_OFFSET, Index, escape, fnv, fnv_index};

/// An open block collection.
struct Frame {
    /// The column of its keys or dashes.
    indent: usize,
    /// The hash of its pointer.
    hash: u64,
    /// A sequence (`- ` items) rather than a mapping.
    seq: bool,
    /// The index of its next item.
    next: usize,
}

/// Where the scan is.
struct State {
    stack: Vec<Frame>,
    /// A key or item with no value on its line: its hash and column. Its children follow on
    /// deeper lines (or, for a sequence, at the key's own column).
    pending: Option<(u64, usize)>,
    /// Lines indented deeper than this continue the value of the line before (block
    /// scalars, flow collections, multi-line scalars).
    continues_above: Option<usize>,
    max_depth: usize,
}

/// The entry of every block mapping member and sequence item, by pointer hash.
pub(super) fn index(text: &str, max_depth: usize) -> Index {
    let mut map = Index::default();
    let mut st = State {
        stack: Vec::new(),
        pending: None,
        continues_above: None,
        max_depth,
    };
    let mut start = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        st.line(start, line, &mut map);
        start += raw.len();
    }
    map
}

fn is_item(t: &str) -> bool {
    t == "-" || t.starts_with("- ")
}

impl State {
    fn line(&mut self, start: usize, line: &str, map: &mut Index) {
        let body = line.trim_start_matches(' ');
        let col = line.len() - body.len();
        if body.is_empty() || body.starts_with('#') {
            return;
        }
        if let Some(k) = self.continues_above {
            if col > k {
                return;
            }
            self.continues_above = None;
        }
        if col == 0 && (body.starts_with("---") || body.starts_with("...") || body.starts_with('%'))
        {
            return;
        }
        if !self.place(col, body) {
            return;
        }
        let end = start + line.trim_end().len();
        self.content(start, col, body, end, map);
    }

    /// Opens or closes collections so the line at `col` belongs to the top one; false when it
    /// fits nowhere (a continuation the scan did not foresee).
    fn place(&mut self, col: usize, body: &str) -> bool {
        if let Some((hash, at)) = self.pending.take() {
            if col > at || (col == at && is_item(body)) {
                return self.open(col, hash, is_item(body));
            }
        }
        while self.stack.last().is_some_and(|f| f.indent > col) {
            self.stack.pop();
        }
        if self
            .stack
            .last()
            .is_some_and(|f| f.indent == col && f.seq && !is_item(body))
        {
            self.stack.pop();
        }
        match self.stack.last() {
            None => self.open(col, FNV_OFFSET, is_item(body)),
            Some(f) => f.indent == col,
        }
    }

    fn open(&mut self, indent: usize, hash: u64, seq: bool) -> bool {
        if self.stack.len() >= self.max_depth {
            return false;
        }
        self.stack.push(Frame {
            indent,
            hash,
            seq,
            next: 0,
        });
        true
    }

    /// Records the node(s) a line starts: `- ` items (possibly nested on one line), then a key.
    fn content(
        &mut self,
        start: usize,
        mut col: usize,
        mut body: &str,
        end: usize,
        map: &mut Index,
    ) {
        loop {
            let Some(top) = self.stack.last_mut() else {
                return;
            };
            if top.seq {
                if !is_item(body) {
                    return;
                }
                let n = top.next;
                top.next += 1;
                let hash = fnv_index(top.hash, n);
                let after = body[1..].trim_start_matches(' ');
                let inner = col + body.len() - after.len();
                map.insert(
                    hash,
                    Entry {
                        key: None,
                        value: (start + inner).min(end)..end,
                    },
                );
                if after.is_empty() || after.starts_with('#') {
                    self.pending = Some((hash, col));
                    return;
                }
                if !is_item(after) && key(after).is_none() {
                    self.continues_above = Some(col);
                    return;
                }
                if !self.open(inner, hash, is_item(after)) {
                    return;
                }
                (col, body) = (inner, after);
                continue;
            }
            let Some((name, key_len, colon)) = key(body) else {
                return;
            };
            let hash = fnv(fnv(top.hash, b"/"), escape(&name).as_bytes());
            let k = start + col..start + col + key_len;
            let value = body[colon + 1..].trim_start_matches([' ', '\t']);
            let v0 = start + col + body.len() - value.len();
            if is_empty_value(value) {
                map.insert(hash, entry(k.clone(), k));
                self.pending = Some((hash, col));
            } else {
                map.insert(hash, entry(k, v0..end));
                self.continues_above = Some(col);
            }
            return;
        }
    }
}

fn entry(key: Range<usize>, value: Range<usize>) -> Entry {
    Entry {
        key: Some(key),
        value,
    }
}

/// Nothing on the line after the colon but a comment, an anchor or a tag: the value is the
/// block that follows.
fn is_empty_value(v: &str) -> bool {
    v.split_whitespace()
        .take_while(|w| !w.starts_with('#'))
        .all(|w| w.starts_with('&') || w.starts_with('!'))
}

/// A mapping key at the start of `t`: its decoded text, its length as written, and the offset
/// of the `:` that ends it.
fn key(t: &str) -> Option<(String, usize, usize)> {
    let (name, len) = match t.as_bytes().first()? {
        b'"' => double_quoted(t)?,
        b'\'' => single_quoted(t)?,
        b'{' | b'[' | b'?' | b'|' | b'>' | b'&' | b'*' | b'!' => return None,
        _ => {
            let colon = plain_colon(t)?;
            let name = t[..colon].trim_end();
            return Some((name.to_owned(), name.len(), colon));
        }
    };
    let rest = &t[len..];
    let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let colon = len + spaces;
    let after = t.get(colon + 1..)?;
    (t.as_bytes().get(colon) == Some(&b':') && (after.is_empty() || after.starts_with([' ', '\t'])))
        .then_some((name, len, colon))
}

/// The `:` ending a plain key: the first one followed by a space or the end of the line,
/// before any ` #` comment.
fn plain_colon(t: &str) -> Option<usize> {
    let b = t.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'#' if i > 0 && matches!(b[i - 1], b' ' | b'\t') => return None,
            b':' if matches!(b.get(i + 1), None | Some(b' ' | b'\t')) => return Some(i),
            _ => {}
        }
    }
    None
}

/// A `"…"` key: its text (escapes decoded as JSON's, which YAML's include) and length.
fn double_quoted(t: &str) -> Option<(String, usize)> {
    let b = t.as_bytes();
    let mut i = 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => {
                let raw = &t[..=i];
                let text = if raw.contains('\\') {
                    serde_json::from_str(raw).ok()?
                } else {
                    raw[1..raw.len() - 1].to_owned()
                };
                return Some((text, i + 1));
            }
            _ => i += 1,
        }
    }
    None
}

/// A `'…'` key (`''` is a quote): its text and length.
fn single_quoted(t: &str) -> Option<(String, usize)> {
    let b = t.as_bytes();
    let mut i = 1;
    while i < b.len() {
        if b[i] == b'\'' {
            if b.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some((t[1..i].replace("''", "'"), i + 1));
        }
        i += 1;
    }
    None
}
