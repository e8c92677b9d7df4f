//! Text for the pages: Markdown that Hugo's goldmark (with raw HTML allowed) and GitHub both
//! read the same way, and that fits a narrow table cell.
//!
//! Field names are `<code>` with `<wbr>` break opportunities, not backtick spans: a browser may
//! not break a 150-character path inside a code span, and `<wbr>` is not copied with the text
//! (a zero-width space would be). Text inside the tags is still Markdown, so Markdown's
//! punctuation is escaped too.

/// Literal text as Markdown: no emphasis, link, HTML or Hugo shortcode can start in it, and a
/// `|` cannot end a table cell.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            // `{` too: Hugo reads `{{<` and `{{%` as shortcodes before Markdown is parsed.
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '{' | '}' | '~' | '!' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A field name, path or other identifier as code, breakable after each `/` and before each
/// `.` or `[`, and inside long camel-case names.
pub fn code(s: &str) -> String {
    format!("<code>{}</code>", breakable(s))
}

/// Literal text (as [`text`]) with `<wbr>` break opportunities: after each `/` or `:`, before each
/// `.` or `[`, and where a capitalised word starts inside a long name (`…Status|Details…`, not
/// `…Attachment|V2`), so `GetCorrespondenceStatusDetailsBasicV3Result` fits a narrow column.
pub fn breakable(s: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = s.chars().collect();
    let mut run = 0;
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        if i > 0 && (c == '.' || c == '[') {
            out.push_str("<wbr>");
            run = 0;
        }
        if run >= LONG_NAME
            && c.is_uppercase()
            && chars[i - 1].is_lowercase()
            && next.is_some_and(char::is_lowercase)
        {
            out.push_str("<wbr>");
            run = 0;
        }
        out.push_str(&text(&c.to_string()));
        run += 1;
        // After a `:` inside a token too: a party URN prefix (`urn:altinn:organization:…`) is
        // one long word otherwise.
        if (c == '/' || c == ':') && next.is_some_and(|n| n != ' ') {
            out.push_str("<wbr>");
            run = 0;
        }
    }
    out
}

/// Characters of a name after which a camel-case boundary becomes a break opportunity.
const LONG_NAME: usize = 12;

/// A constant as quoted text (`"OK"`), so it reads as a value and not as a field name.
pub fn quoted(s: &str) -> String {
    format!("\"{}\"", text(s))
}

/// Markdown written by a manifest's author (summaries, notes), with each backtick code span
/// made breakable like [`code`]: a URL template in a note must not widen its column.
pub fn prose(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut rest = md;
    while let Some(start) = rest.find('`') {
        let run = rest[start..].chars().take_while(|&c| c == '`').count();
        let after = &rest[start + run..];
        // A backslash before the run makes its first backtick literal: leave it all as written.
        let literal = rest[..start].ends_with('\\');
        match closing_run(after, run).filter(|_| !literal) {
            Some(end) => {
                out.push_str(&rest[..start]);
                out.push_str(&code(span_content(&after[..end])));
                rest = &after[end + run..];
            }
            None => {
                out.push_str(&rest[..start + run]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Where a run of exactly `n` backticks starts in `s` (CommonMark's end of a code span).
fn closing_run(s: &str, n: usize) -> Option<usize> {
    let mut i = 0;
    while let Some(found) = s[i..].find('`') {
        let at = i + found;
        let len = s[at..].chars().take_while(|&c| c == '`').count();
        if len == n {
            return Some(at);
        }
        i = at + len;
    }
    None
}

/// A code span's text: one space is stripped from each side when both have one (CommonMark).
fn span_content(s: &str) -> &str {
    if s.len() >= 2 && s.starts_with(' ') && s.ends_with(' ') && !s.trim().is_empty() {
        &s[1..s.len() - 1]
    } else {
        s
    }
}

/// Markdown written by a manifest's author, made safe for one table cell: breakable code, on
/// one line, with `|` escaped.
pub fn cell(s: &str) -> String {
    let s = prose(s.trim());
    let mut out = String::with_capacity(s.len());
    let mut escaped = false;
    for c in s.chars() {
        match c {
            '|' if !escaped => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
        escaped = c == '\\' && !escaped;
    }
    out
}

/// Text safe inside a Mermaid message in a raw `<pre>` block: `;` ends a statement, `#` starts
/// an entity, `{{` would open a Hugo shortcode, and `<`/`&` are HTML.
pub fn mermaid(s: &str) -> String {
    s.replace([';', '#'], " ")
        .replace("{{", "{ {")
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A list joined as English: `a`, `a and b`, `a, b and c`.
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_breaks_paths_but_keeps_their_characters() {
        let c = code("Correspondence/Content/MessageBody");
        assert_eq!(
            c,
            "<code>Correspondence/<wbr>Content/<wbr>MessageBody</code>"
        );
        assert_eq!(
            code("body.recipients[]"),
            "<code>body<wbr>.recipients<wbr>\\[\\]</code>"
        );
        let long = code("GetCorrespondenceStatusDetailsBasicV3Result");
        assert!(long.contains("Correspondence<wbr>Status"), "{long}");
        // Removing the break opportunities and escapes gives the name back.
        let plain = long
            .replace("<wbr>", "")
            .trim_start_matches("<code>")
            .trim_end_matches("</code>")
            .to_owned();
        assert_eq!(plain, "GetCorrespondenceStatusDetailsBasicV3Result");
    }

    #[test]
    fn text_cannot_start_markup() {
        assert_eq!(text("a|b"), "a\\|b");
        assert_eq!(text("{{< x >}}"), "\\{\\{&lt; x &gt;\\}\\}");
        assert_eq!(text("*not* _em_"), "\\*not\\* \\_em\\_");
        assert_eq!(quoted("Altinn 3; late"), "\"Altinn 3; late\"");
    }

    #[test]
    fn prose_makes_code_spans_breakable_and_leaves_the_rest() {
        assert_eq!(
            prose("as `0192:` + number, `` a`b ``, \\`x and `open"),
            "as <code>0192:</code> + number, <code>a\\`b</code>, \\`x and `open"
        );
        assert_eq!(
            prose("ends in `/instances/{partyId}`."),
            "ends in <code>/<wbr>instances/<wbr>\\{partyId\\}</code>."
        );
    }

    #[test]
    fn cell_escapes_bare_pipes_only() {
        assert_eq!(cell("a | b\nc"), "a \\| b c");
        assert_eq!(cell("a \\| b"), "a \\| b");
    }

    #[test]
    fn mermaid_text_is_one_statement_of_plain_html() {
        assert_eq!(mermaid("a; b #1 <x>"), "a  b  1 &lt;x&gt;");
        assert_eq!(mermaid("/{{id}}"), "/{ {id}}");
    }
}
