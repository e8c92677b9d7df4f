//! The harness's own reading of what a link's transforms do, written from `mappings/README.md`
//! and not from the runtime's code: the value a target should hold, given the source's.

use altinn_bridge::link::{Format, Transform};
use altinn_bridge_runtime::adapter::Settings;
use base64::Engine;
use serde_json::Value;

use super::values::instant;

/// A value on its way through a link: the runtime's own container (only the transforms below
/// are the harness's own reading).
pub use altinn_bridge_runtime::adapter::convert::Val;

/// What a target should hold.
#[derive(Debug, Clone, PartialEq)]
pub enum Want {
    /// Exactly this text (JSON scalars compared by their text).
    Text(String),
    /// Text that still carries this token (Markdown made from HTML or text).
    Contains(String),
    /// This instant (a date-time, compared whatever its offset spelling).
    Instant(i64),
    /// These bytes.
    Bytes(Vec<u8>),
}

impl Want {
    /// Whether `found` is what was wanted.
    pub fn matches(&self, found: &Val) -> bool {
        match (self, found) {
            (Want::Bytes(b), Val::Bytes(f)) => b == f,
            (Want::Bytes(b), other) => {
                base64::engine::general_purpose::STANDARD.encode(b) == other.to_text()
                    || other.to_text().as_bytes() == b.as_slice()
            }
            (Want::Text(t), Val::Json(Value::Number(n))) => {
                t.trim() == n.to_string() || t.trim().parse::<f64>().ok() == n.as_f64()
            }
            // A date-time a client read into its own type and wrote back differently
            // (`…:32Z` as `…:32.000Z`) is the same value.
            (Want::Text(t), f) => *t == f.to_text() || same_instant(t, &f.to_text()),
            (Want::Contains(t), f) => f.to_text().contains(t.as_str()),
            (Want::Instant(i), f) => instant(&f.to_text()) == Some(*i),
        }
    }
}

/// Whether two date-time texts name the same instant, fractions of a second included.
fn same_instant(a: &str, b: &str) -> bool {
    /// The fraction of a second, in nanoseconds (`.5` and `.500` alike).
    fn nanos(t: &str) -> Option<u64> {
        let Some((_, frac)) = t.split_once('.') else {
            return Some(0);
        };
        let digits: String = frac.chars().take_while(char::is_ascii_digit).collect();
        format!("{digits:0<9}").get(..9)?.parse().ok()
    }
    instant(a).is_some() && instant(a) == instant(b) && nanos(a) == nanos(b)
}

impl std::fmt::Display for Want {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Want::Text(t) => write!(f, "`{t}`"),
            Want::Contains(t) => write!(f, "text containing `{t}`"),
            Want::Instant(i) => write!(f, "the instant {i} (Unix seconds)"),
            Want::Bytes(b) => write!(f, "{} bytes", b.len()),
        }
    }
}

/// The namespace the runtime derives `uuid-v5` keys in. Pinned here on purpose: if it ever
/// changed, retries of requests sent before the change would create duplicates.
const KEY_NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x6f1b_3c2e_9a4d_4e57_8b21_0c7d_5e93_a1f4);

/// The values a target should hold after `transforms`, or why the source cannot pass them.
pub fn through(
    values: Vec<Val>,
    transforms: &[Transform],
    settings: &Settings,
) -> Result<Vec<Want>, String> {
    let mut vals = values;
    // Formats whose output is judged loosely are remembered for the end.
    let mut loose: Option<Format> = None;
    for t in transforms {
        vals = match t {
            Transform::Split { separator } => vals
                .iter()
                .flat_map(|v| {
                    v.to_text()
                        .split(separator.as_str())
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(|s| Val::Text(s.to_owned()))
                        .collect::<Vec<_>>()
                })
                .collect(),
            Transform::First => vals.into_iter().take(1).collect(),
            Transform::EnumMap { map } => {
                let mut out = Vec::new();
                for v in vals {
                    let key = v.to_text();
                    let to = map
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(key.trim()))
                        .map(|(_, v)| v.clone())
                        .ok_or_else(|| format!("`{key}` is not in the manifest's table"))?;
                    if !to.is_empty() {
                        out.push(Val::Text(to));
                    }
                }
                out
            }
            Transform::Lookup { table } => {
                let mut out = Vec::new();
                for v in vals {
                    let key = v.to_text();
                    let t = settings
                        .tables
                        .get(table)
                        .ok_or(format!("no table `{table}`"))?;
                    let hit = t
                        .get(key.trim())
                        .or_else(|| t.get("*"))
                        .ok_or(format!("`{key}` not in `{table}`"))?;
                    out.push(Val::Text(hit.clone()));
                }
                out
            }
            Transform::Format {
                format: Format::NonEmpty,
            } => vec![Val::Text((!vals.is_empty()).to_string())],
            Transform::Format { format } => {
                if matches!(
                    format,
                    Format::HtmlToMarkdown | Format::TextToMarkdown | Format::DateTimeUtc
                ) {
                    loose = Some(*format);
                }
                vals.into_iter()
                    .map(|v| convert(v, *format))
                    .collect::<Result<_, _>>()?
            }
            Transform::Prefix { prefix } => vals
                .into_iter()
                .map(|v| Val::Text(format!("{prefix}{}", v.to_text().trim())))
                .collect(),
            Transform::StripPrefix { prefix } => vals
                .into_iter()
                .map(|v| {
                    let text = v.to_text();
                    text.trim()
                        .strip_prefix(prefix.as_str())
                        .map(|rest| Val::Text(rest.to_owned()))
                        .ok_or(format!("`{text}` lacks the prefix `{prefix}`"))
                })
                .collect::<Result<_, _>>()?,
            Transform::Join { separator } if !vals.is_empty() => {
                let texts: Vec<String> = vals.iter().map(Val::to_text).collect();
                vec![Val::Text(texts.join(separator))]
            }
            Transform::Join { .. } => vals,
            Transform::Default { value } if vals.is_empty() => vec![Val::Text(value.clone())],
            Transform::Default { .. } => vals,
        };
    }
    Ok(vals
        .into_iter()
        .map(|v| match (loose, v) {
            (Some(Format::HtmlToMarkdown | Format::TextToMarkdown), v) => {
                Want::Contains(token_of(&v.to_text()))
            }
            (Some(Format::DateTimeUtc), v) => match instant(&v.to_text()) {
                Some(i) => Want::Instant(i),
                None => Want::Text(v.to_text()),
            },
            (_, Val::Bytes(b)) => Want::Bytes(b),
            (_, v) => Want::Text(v.to_text()),
        })
        .collect())
}

/// The harness's token inside a text (what survives any Markdown conversion).
fn token_of(text: &str) -> String {
    let t = text.find('v').and_then(|i| {
        let cand = &text[i..];
        (cand.len() >= 8 && cand[1..7].bytes().all(|b| b.is_ascii_digit()) && &cand[7..8] == "q")
            .then(|| cand[..8].to_owned())
    });
    t.unwrap_or_else(|| text.trim().to_owned())
}

fn convert(v: Val, f: Format) -> Result<Val, String> {
    let text = v.to_text();
    Ok(match f {
        // Judged as an instant at the end: the source read as Norwegian local time.
        Format::DateTimeUtc => Val::Text(text),
        Format::Date => Val::Text(text.get(..10).ok_or("no date")?.to_owned()),
        Format::HtmlToMarkdown | Format::TextToMarkdown | Format::String => Val::Text(match v {
            Val::Text(t) => t,
            other => other.to_text(),
        }),
        Format::Base64ToBinary => match v {
            Val::Bytes(b) => Val::Bytes(b),
            _ => Val::Bytes(
                base64::engine::general_purpose::STANDARD
                    .decode(text.trim())
                    .map_err(|e| e.to_string())?,
            ),
        },
        Format::Utf8 => match v {
            Val::Bytes(b) => Val::Bytes(b),
            _ => Val::Bytes(text.into_bytes()),
        },
        Format::UuidV5 => {
            Val::Text(uuid::Uuid::new_v5(&KEY_NAMESPACE, text.as_bytes()).to_string())
        }
        Format::Uuid => Val::Text(
            uuid::Uuid::parse_str(text.trim())
                .map_err(|e| e.to_string())?
                .to_string(),
        ),
        Format::Integer => Val::Text(
            text.trim()
                .parse::<i64>()
                .map_err(|e| e.to_string())?
                .to_string(),
        ),
        Format::InstancePartyId | Format::InstanceGuid => {
            let segs: Vec<&str> = text.trim_end_matches('/').split('/').collect();
            let n = segs.len();
            if n < 2 {
                return Err(format!("`{text}` is no instance id"));
            }
            let i = if f == Format::InstancePartyId {
                n - 2
            } else {
                n - 1
            };
            Val::Text(segs[i].to_owned())
        }
        Format::NonEmpty => Val::Text("true".to_owned()),
    })
}
