//! Reading contract files: size limits, UTF-8 checks, a BOM tolerated, each file read once.

use std::path::Path;

use super::Limits;
use crate::diag::{Diagnostic, FileId, SourceMap, Span};

/// Reads `path` (or its in-memory overlay) into the source map, unless it is there already.
///
/// `display` is the name diagnostics show; `from` is the span that asked for the file (an
/// import), shown when the file cannot be read.
pub fn read_source(
    sources: &mut SourceMap,
    path: &Path,
    display: &str,
    limits: &Limits,
    from: Option<Span>,
) -> Result<FileId, Diagnostic> {
    if let Some(id) = sources.find_path(path) {
        return Ok(id);
    }
    let with_origin = |d: Diagnostic| match from {
        Some(span) => d.at(span, "referenced here"),
        None => d,
    };
    // In-memory files are already text: no copy through bytes, no second UTF-8 check.
    if let Some(text) = sources.lookup_overlay(path).map(str::to_owned) {
        if text.len() > limits.max_file_bytes {
            return Err(with_origin(too_large(display, limits)));
        }
        check_totals(sources, display, text.len(), limits).map_err(with_origin)?;
        return Ok(sources.add(display, Some(path.to_path_buf()), text));
    }
    let bytes = read_bounded(path, display, limits).map_err(with_origin)?;
    check_totals(sources, display, bytes.len(), limits).map_err(with_origin)?;
    decode(sources, path, display, bytes)
}

fn too_large(display: &str, limits: &Limits) -> Diagnostic {
    Diagnostic::error(format!(
        "`{display}` is larger than the limit of {} bytes",
        limits.max_file_bytes
    ))
    .note("raise the limit only for contracts you trust")
}

/// The run-wide limits: number of files and total bytes.
fn check_totals(
    sources: &SourceMap,
    display: &str,
    len: usize,
    limits: &Limits,
) -> Result<(), Diagnostic> {
    if sources.files().count() >= limits.max_files {
        return Err(Diagnostic::error(format!(
            "too many files: reading `{display}` would exceed the limit of {} files",
            limits.max_files
        )));
    }
    let total: usize = sources.files().map(|(_, f)| f.text.len()).sum();
    if total + len > limits.max_total_bytes {
        return Err(Diagnostic::error(format!(
            "input too large: reading `{display}` would exceed the limit of {} bytes in all",
            limits.max_total_bytes
        )));
    }
    Ok(())
}

fn read_bounded(path: &Path, display: &str, limits: &Limits) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read;
    let file = std::fs::File::open(path)
        .map_err(|e| Diagnostic::error(format!("cannot read `{display}`: {e}")))?;
    // Read one byte past the limit rather than trusting metadata (pipes, /proc files).
    let mut bytes = Vec::new();
    file.take(limits.max_file_bytes as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Diagnostic::error(format!("cannot read `{display}`: {e}")))?;
    if bytes.len() > limits.max_file_bytes {
        return Err(too_large(display, limits));
    }
    Ok(bytes)
}

/// Turns bytes into a source file, or an error that points at the first byte that is not UTF-8.
fn decode(
    sources: &mut SourceMap,
    path: &Path,
    display: &str,
    bytes: Vec<u8>,
) -> Result<FileId, Diagnostic> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(
            Diagnostic::error(format!("`{display}` is UTF-16, not UTF-8")).note(
                "expected UTF-8 text; convert the file, e.g. with `iconv -f UTF-16 -t UTF-8`",
            ),
        );
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(sources.add(display, Some(path.to_path_buf()), text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let byte = e.as_bytes()[at];
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // The lossy text has the same prefix, so `at` is still the right offset.
            let id = sources.add(display, Some(path.to_path_buf()), lossy);
            let bom = sources.file(id).bom_len;
            let at = at.saturating_sub(bom);
            Err(Diagnostic::error(format!("`{display}` is not valid UTF-8"))
                .at(
                    Span::new(id, at..at + 1),
                    format!("byte 0x{byte:02X} is not UTF-8"),
                )
                .note("expected UTF-8 text; contracts in other encodings must be converted first"))
        }
    }
}
