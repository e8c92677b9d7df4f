//! The Mermaid sequence diagram of an operation whose one old call becomes several new ones.

use crate::link::{Loop, OpLink, ResolvedPath};

use super::markup::mermaid;

/// The diagram's source, or empty when the operation makes at most one call and no loop.
pub fn diagram(o: &OpLink) -> String {
    if o.calls.len() < 2 && o.calls.iter().all(|c| c.for_each.is_none()) {
        return String::new();
    }
    let mut s = String::from(
        "sequenceDiagram\n    participant C as Altinn 2 client\n    participant B as altinn-bridge\n    participant A as Altinn 3\n",
    );
    s.push_str(&format!("    C->>B: {}\n", mermaid(&o.name)));
    for c in &o.calls {
        let line = format!(
            "    B->>A: {} {}\n    A-->>B: {} response\n",
            c.method.as_str(),
            mermaid(&c.path),
            mermaid(&c.name)
        );
        match &c.for_each {
            Some(each) => s.push_str(&format!(
                "    loop {}\n{line}    end\n",
                mermaid(&loop_label(each))
            )),
            None => s.push_str(&line),
        }
    }
    s.push_str(&format!("    B-->>C: {} response\n", mermaid(&o.name)));
    s
}

/// What a loop repeats over, in words: `each BinaryAttachmentV2`, `each of ids in search`,
/// `each item of search` (a response that is itself the list).
pub fn loop_label(each: &Loop) -> String {
    let item = item_name(each.path());
    match (each, item) {
        (Loop::Soap { .. }, Some(item)) => format!("each {item}"),
        (Loop::Soap { .. }, None) => "each item of the request".to_owned(),
        (Loop::Response { call, .. }, Some(item)) => format!("each of {item} in {call}"),
        (Loop::Response { call, .. }, None) => format!("each item of {call}"),
    }
}

/// The name of the repeated element: the path's last named step, without `[]`.
pub fn item_name(path: &ResolvedPath) -> Option<String> {
    path.text
        .rsplit(['/', '.'])
        .map(|s| s.trim_end_matches("[]"))
        .find(|s| !s.is_empty())
        .map(str::to_owned)
}
