//! Altinn 3 message texts are Markdown; Altinn 2's were HTML or plain text. This converts the
//! small HTML subset Altinn 2 messages used (paragraphs, line breaks, emphasis, links, lists,
//! headings) and drops other tags while keeping their text, so nothing a recipient could read is
//! lost.

/// Escapes Markdown syntax in plain text.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '<' | '>' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// HTML to Markdown.
pub fn from_html(html: &str) -> String {
    let mut out = String::new();
    let mut links: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&escape(&decode_entities(&rest[..lt])));
        let Some(gt) = rest[lt..].find('>') else {
            // A lone `<` is text.
            out.push_str(&escape(&decode_entities(&rest[lt..])));
            rest = "";
            break;
        };
        tag(&rest[lt + 1..lt + gt], &mut out, &mut links);
        rest = &rest[lt + gt + 1..];
    }
    out.push_str(&escape(&decode_entities(rest)));
    tidy(&out)
}

fn tag(inner: &str, out: &mut String, links: &mut Vec<String>) {
    let closing = inner.starts_with('/');
    let body = inner.trim_start_matches('/').trim_end_matches('/');
    let name: String = body
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    match (name.as_str(), closing) {
        ("p" | "div", _) => out.push_str("\n\n"),
        ("br", _) => out.push_str("  \n"),
        ("b" | "strong", _) => out.push_str("**"),
        ("i" | "em", _) => out.push('*'),
        ("li", false) => out.push_str("\n- "),
        ("ul" | "ol", false) => out.push('\n'),
        // A blank line ends the list; otherwise what follows would continue its last item.
        ("ul" | "ol", true) => out.push_str("\n\n"),
        (h, false) if h.len() == 2 && h.starts_with('h') && h.as_bytes()[1].is_ascii_digit() => {
            let level = usize::from(h.as_bytes()[1] - b'0').clamp(1, 6);
            out.push_str("\n\n");
            out.push_str(&"#".repeat(level));
            out.push(' ');
        }
        (h, true) if h.len() == 2 && h.starts_with('h') && h.as_bytes()[1].is_ascii_digit() => {
            out.push_str("\n\n")
        }
        ("a", false) => {
            links.push(attribute(body, "href").unwrap_or_default());
            out.push('[');
        }
        ("a", true) => {
            let href = links.pop().unwrap_or_default();
            out.push_str(&format!("]({href})"));
        }
        _ => {}
    }
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let at = lower.find(&format!("{name}="))? + name.len() + 1;
    let value = &tag[at..];
    let (quote, value) = match value.chars().next()? {
        q @ ('"' | '\'') => (q, &value[1..]),
        _ => (' ', value),
    };
    let end = value.find(quote).unwrap_or(value.len());
    Some(decode_entities(&value[..end]))
}

fn decode_entities(s: &str) -> String {
    s.replace("&nbsp;", "\u{a0}")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Collapses runs of blank lines and trims, so converted paragraphs read like written Markdown.
fn tidy(s: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in s.lines() {
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line.trim_start());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn altinn2_html_becomes_markdown() {
        let html = "<p>Hei <b>Ola</b>,</p><p>se <a href=\"https://x.no/a?b=1&amp;c=2\">her</a>.<br/>Takk</p>";
        assert_eq!(
            from_html(html),
            "Hei **Ola**,\n\nse [her](https://x.no/a?b=1&c=2).  \nTakk"
        );
    }

    #[test]
    fn lists_headings_and_unknown_tags_keep_their_text() {
        let md = from_html("<h2>Vedtak</h2><ul><li>én</li><li>to</li></ul><span>rest</span>");
        assert_eq!(md, "## Vedtak\n\n- én\n- to\n\nrest");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("5 * 3 = _x_ [a]"), "5 \\* 3 = \\_x\\_ \\[a\\]");
        assert_eq!(from_html("a &lt;b&gt; *c*"), "a \\<b\\> \\*c\\*");
    }
}
