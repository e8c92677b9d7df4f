//! The JSON index: one scan of text serde_json has already accepted.

use std::ops::Range;

use super::{Entry, FNV_OFFSET, Index, escape, fnv, fnv_index, pointer_hash};

/// The entry of every object and array, by pointer hash.
pub(super) fn index(text: &str, max_depth: usize) -> Index {
    let mut map = Index::default();
    let mut scan = Scan {
        b: text.as_bytes(),
        i: 0,
        max_depth,
        target: None,
    };
    scan.value(FNV_OFFSET, None, &mut map, 0);
    map
}

/// The entry of `ptr` (a scalar, which the index leaves out), found by scanning only the value
/// of its ancestor `parent` (at `parent_ptr`, `depth` levels down).
pub(super) fn find_below(
    text: &str,
    parent: &Entry,
    parent_ptr: &str,
    ptr: &str,
    depth: usize,
    max_depth: usize,
) -> Option<Entry> {
    let target = pointer_hash(ptr);
    let mut map = Index::default();
    let mut scan = Scan {
        b: text.as_bytes(),
        i: parent.value.start,
        max_depth,
        target: Some(target),
    };
    scan.value(
        pointer_hash(parent_ptr),
        parent.key.clone(),
        &mut map,
        depth,
    );
    map.remove(&target)
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
            let h = fnv_index(path, n);
            let before = self.i;
            self.value(h, None, map, depth + 1);
            n += 1;
            if self.i == before {
                return; // no progress: malformed, stop rather than loop
            }
        }
    }
}
