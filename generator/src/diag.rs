//! Diagnostics with source spans, rendered like rustc's.
//!
//! Every stage reports problems as [`Diagnostic`]s that point into a file of the [`SourceMap`]
//! by byte range. Rendering (file:line:column, the source line, a caret and what was expected) is
//! done by `codespan-reporting`, so the output looks like the compiler users already read.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;
use serde::Serialize;

/// Identifies one file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FileId(pub u32);

/// A byte range in one file of a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    /// The file the range is in.
    pub file: FileId,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span over `range` in `file`.
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        let clamp = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        Span {
            file,
            start: clamp(range.start),
            end: clamp(range.end.max(range.start)),
        }
    }

    /// The byte range as `usize`s.
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Loading went on, but something was not modelled or looks wrong.
    Warning,
    /// The input cannot be used.
    Error,
}

/// A span with a message shown under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What to say there (may be empty).
    pub message: String,
}

/// One problem found in an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The headline, e.g. `unknown namespace prefix `q9``.
    pub message: String,
    /// The main place the problem is at; `None` when it concerns no particular place.
    pub primary: Option<Label>,
    /// Further places (e.g. the import that led to a missing file).
    pub secondary: Vec<Label>,
    /// Free-text notes (`= note: ...`), usually what was expected.
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// A new error with a headline.
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// A new warning with a headline.
    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// Sets the primary place.
    pub fn at(mut self, span: Span, label: impl Into<String>) -> Self {
        self.primary = Some(Label {
            span,
            message: label.into(),
        });
        self
    }

    /// Adds a secondary place.
    pub fn also(mut self, span: Span, label: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            message: label.into(),
        });
        self
    }

    /// Adds a note, typically what was expected.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A list of diagnostics; the error type of every loading stage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// True when any is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    /// The warnings only.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

/// A file's line and column (both 1-based; the column counts characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file's display name.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// One file known to the [`SourceMap`].
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown in diagnostics: the path as the user gave it (or as an import resolved it),
    /// never made absolute, so output does not depend on the machine.
    pub name: String,
    /// Where it was read from; `None` for in-memory and embedded sources.
    pub path: Option<PathBuf>,
    /// The text (a UTF-8 BOM already removed). Shared, so a parser can borrow it while more
    /// files are added to the map.
    pub text: Arc<str>,
    /// Byte offsets where lines start.
    /// Built on first use: only diagnostics need it, and most loads report none.
    line_starts: std::sync::OnceLock<Vec<usize>>,
    /// Length of a removed BOM, so positions reported by parsers can be shown as in the file.
    pub bom_len: usize,
}

impl SourceFile {
    fn new(name: String, path: Option<PathBuf>, text: Arc<str>, bom_len: usize) -> Self {
        SourceFile {
            name,
            path,
            text,
            line_starts: std::sync::OnceLock::new(),
            bom_len,
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// Line and column (1-based) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s <= offset) - 1;
        let start = starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// Byte offset of a 1-based line and (character) column, clamped to the text.
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts().get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        rest.char_indices()
            .nth(column.saturating_sub(1))
            .map_or(self.text.len(), |(i, _)| start + i)
    }
}

/// All files read in one run; diagnostics point into it by [`FileId`].
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    /// Files registered in memory (embedded contracts, fuzz inputs) by normalised path; imports
    /// resolve against these before the disk.
    overlay: std::collections::BTreeMap<PathBuf, String>,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file's text under a display name, removing a UTF-8 BOM.
    pub fn add(&mut self, name: impl Into<String>, path: Option<PathBuf>, text: String) -> FileId {
        let (text, bom_len): (Arc<str>, usize) = match text.strip_prefix('\u{feff}') {
            Some(rest) => (rest.into(), 3),
            None => (text.into(), 0),
        };
        let id = FileId(u32::try_from(self.files.len()).expect("fewer than 2^32 files"));
        self.files
            .push(SourceFile::new(name.into(), path, text, bom_len));
        id
    }

    /// Registers an in-memory file at `path`, found by [`SourceMap::lookup_overlay`] when loaders
    /// resolve that path (used for the embedded default contracts and for fuzzing).
    pub fn register_virtual(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) {
        self.overlay
            .insert(normalize_path(&path.into()), text.into());
    }

    /// The in-memory text registered at `path`, if any.
    pub fn lookup_overlay(&self, path: &Path) -> Option<&str> {
        self.overlay.get(&normalize_path(path)).map(String::as_str)
    }

    /// The file with this id.
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// All files, in the order they were added.
    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// The file already read from `path`, if any (so each file is read once).
    pub fn find_path(&self, path: &Path) -> Option<FileId> {
        let path = normalize_path(path);
        self.files()
            .find(|(_, f)| f.path.as_deref().map(normalize_path).as_ref() == Some(&path))
            .map(|(id, _)| id)
    }

    /// Where a span starts, as file:line:column.
    pub fn location(&self, span: Span) -> Location {
        let file = self.file(span.file);
        let (line, column) = file.line_col(span.start as usize);
        Location {
            file: file.name.clone(),
            line,
            column,
        }
    }

    /// Renders one diagnostic like rustc (no colour).
    pub fn render(&self, d: &Diagnostic) -> String {
        let mut files = SimpleFiles::new();
        for f in &self.files {
            files.add(f.name.as_str(), &*f.text);
        }
        let mut labels = Vec::new();
        if let Some(l) = &d.primary {
            labels.push(
                cs::Label::primary(l.span.file.0 as usize, self.clamped(l.span))
                    .with_message(&l.message),
            );
        }
        for l in &d.secondary {
            labels.push(
                cs::Label::secondary(l.span.file.0 as usize, self.clamped(l.span))
                    .with_message(&l.message),
            );
        }
        let severity = match d.severity {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
        };
        let diagnostic = cs::Diagnostic::new(severity)
            .with_message(&d.message)
            .with_labels(labels)
            .with_notes(d.notes.clone());
        let config = term::Config::default();
        term::emit_into_string(&config, &files, &diagnostic)
            .unwrap_or_else(|e| format!("{}: {} ({e})\n", severity_word(d.severity), d.message))
    }

    /// Renders every diagnostic, one after another.
    pub fn render_all(&self, ds: &Diagnostics) -> String {
        ds.0.iter().map(|d| self.render(d)).collect()
    }

    /// A span cut to the file's text and to character boundaries, so rendering never fails.
    fn clamped(&self, span: Span) -> Range<usize> {
        let text = &self.file(span.file).text;
        let mut start = (span.start as usize).min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (span.end as usize).clamp(start, text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        start..end
    }
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// Lexically normalises a path (`a/./b/../c` → `a/c`) without touching the file system, so the
/// same file reached through different relative imports is recognised.
pub fn normalize_path(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            // `..` cancels a preceding name only; leading `..`s accumulate (`../../x/..` is
            // `../..`, not the empty path).
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else if !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_path_keeps_leading_parent_dirs() {
        let n = |p: &str| normalize_path(Path::new(p));
        assert_eq!(
            n("../../mappings/../wsdl/A.wsdl"),
            Path::new("../../wsdl/A.wsdl")
        );
        assert_eq!(n("mappings/../wsdl/./A.wsdl"), Path::new("wsdl/A.wsdl"));
        assert_eq!(n("a/../../b"), Path::new("../b"));
        assert_eq!(n("/x/../y"), Path::new("/y"));
    }

    #[test]
    fn line_col_counts_characters_and_lines() {
        let mut sm = SourceMap::new();
        let id = sm.add("a.txt", None, "ab\næøå x\n".to_owned());
        let f = sm.file(id);
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        let x = f.text.find('x').unwrap();
        assert_eq!(f.line_col(x), (2, 5));
        assert_eq!(f.offset_of(2, 5), x);
    }

    #[test]
    fn bom_is_removed_and_remembered() {
        let mut sm = SourceMap::new();
        let id = sm.add("b.json", None, "\u{feff}{}".to_owned());
        assert_eq!(&*sm.file(id).text, "{}");
        assert_eq!(sm.file(id).bom_len, 3);
    }

    #[test]
    fn renders_like_rustc() {
        let mut sm = SourceMap::new();
        let id = sm.add("dir/x.wsdl", None, "<a>\n  <b q='1'/>\n</a>\n".to_owned());
        let d = Diagnostic::error("unknown thing")
            .at(Span::new(id, 6..7), "here")
            .note("expected something else");
        let out = sm.render(&d);
        assert!(out.starts_with("error: unknown thing"), "{out}");
        assert!(out.contains("dir/x.wsdl:2:3"), "{out}");
        assert!(out.contains("<b q='1'/>"), "{out}");
        assert!(out.contains("= expected something else"), "{out}");
    }

    #[test]
    fn normalises_paths() {
        assert_eq!(
            normalize_path(Path::new("a/./b/../c.xsd")),
            PathBuf::from("a/c.xsd")
        );
        assert_eq!(normalize_path(Path::new("../x")), PathBuf::from("../x"));
    }
}
