//! The conversions a manifest's links may name: enumeration tables, lookups, formats, split and
//! join. Each works on [`Val`]s and fails with [`Error::Convert`] naming the field.

use base64::Engine;
use serde_json::Value;

use super::plan::{Format, Kind, Transform};
use super::settings::Settings;
use crate::error::{Error, Result};

/// A value on its way through a link.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// Text (every SOAP value, and JSON strings).
    Text(String),
    /// A JSON value that is not a string (numbers, booleans, objects, arrays).
    Json(Value),
    /// Bytes (a decoded attachment, a downloaded file).
    Bytes(Vec<u8>),
}

impl Val {
    /// From JSON: strings become text so formats apply to them the same way.
    pub fn from_json(v: &Value) -> Option<Val> {
        match v {
            Value::Null => None,
            Value::String(s) => Some(Val::Text(s.clone())),
            other => Some(Val::Json(other.clone())),
        }
    }

    /// The value as text: JSON scalars in their JSON spelling, bytes as base64.
    pub fn to_text(&self) -> String {
        match self {
            Val::Text(t) => t.clone(),
            Val::Json(Value::String(s)) => s.clone(),
            Val::Json(v) => v.to_string(),
            Val::Bytes(b) => base64::engine::general_purpose::STANDARD.encode(b),
        }
    }
}

/// The namespace UUID v5 keys are derived in, so the same shipment reference always gives the
/// same key (a fixed, random UUID; changing it would let retries of old requests create
/// duplicates).
const KEY_NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x6f1b_3c2e_9a4d_4e57_8b21_0c7d_5e93_a1f4);

fn bad(field: &str, message: impl Into<String>) -> Error {
    Error::Convert {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// Applies `transforms` in order to the values of one link.
pub fn apply(
    values: Vec<Val>,
    transforms: &[Transform],
    settings: &Settings,
    field: &str,
) -> Result<Vec<Val>> {
    let mut values = values;
    for t in transforms {
        values = match *t {
            Transform::Split(sep) => values
                .into_iter()
                .flat_map(|v| {
                    v.to_text()
                        .split(sep)
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(|s| Val::Text(s.to_owned()))
                        .collect::<Vec<_>>()
                })
                .collect(),
            Transform::First => values.into_iter().take(1).collect(),
            // A value mapped to "" means "no value" (Altinn 2's `NotSet`, say): it is left out.
            Transform::Map(table) => values
                .into_iter()
                .map(|v| map_value(&v, table, field))
                .filter(|v| !matches!(v, Ok(Val::Text(t)) if t.is_empty()))
                .collect::<Result<_>>()?,
            Transform::Lookup(table) => values
                .into_iter()
                .map(|v| {
                    let key = v.to_text();
                    settings
                        .lookup(table, key.trim(), field)
                        .map(|s| Val::Text(s.to_owned()))
                })
                .collect::<Result<_>>()?,
            Transform::Format(Format::NonEmpty) => {
                vec![Val::Json(Value::Bool(!values.is_empty()))]
            }
            Transform::Format(f) => values
                .into_iter()
                .map(|v| format(v, f, field))
                .collect::<Result<_>>()?,
            Transform::Prefix(prefix) => values
                .into_iter()
                .map(|v| Val::Text(format!("{prefix}{}", v.to_text().trim())))
                .collect(),
            Transform::StripPrefix(prefix) => values
                .into_iter()
                .map(|v| strip_prefix(&v, prefix, field))
                .collect::<Result<_>>()?,
            Transform::Join(sep) if !values.is_empty() => {
                let texts: Vec<String> = values.iter().map(Val::to_text).collect();
                vec![Val::Text(texts.join(sep))]
            }
            Transform::Join(_) => values,
            Transform::Default(d) if values.is_empty() => vec![Val::Text(d.to_owned())],
            Transform::Default(_) => values,
        };
    }
    Ok(values)
}

/// `v` without `prefix`; a value that lacks it (or holds nothing after it) is refused, so a
/// party URN of another kind is never passed off as an organisation number.
fn strip_prefix(v: &Val, prefix: &str, field: &str) -> Result<Val> {
    let text = v.to_text();
    match text.trim().strip_prefix(prefix) {
        Some(rest) if !rest.is_empty() => Ok(Val::Text(rest.to_owned())),
        _ => Err(bad(
            field,
            format!("`{text}` does not start with `{prefix}` followed by a value"),
        )),
    }
}

fn map_value(v: &Val, table: &[(&str, &str)], field: &str) -> Result<Val> {
    let key = v.to_text();
    let key = key.trim();
    table
        .iter()
        .find(|(from, _)| *from == key || from.eq_ignore_ascii_case(key))
        .map(|(_, to)| Val::Text((*to).to_owned()))
        .ok_or_else(|| {
            let known: Vec<&str> = table.iter().map(|(f, _)| *f).collect();
            bad(
                field,
                format!(
                    "`{key}` has no mapping; expected one of: {}",
                    known.join(", ")
                ),
            )
        })
}

/// One format conversion.
pub fn format(v: Val, f: Format, field: &str) -> Result<Val> {
    let text = || v.to_text();
    Ok(match f {
        Format::DateTimeUtc => Val::Text(date_time_utc(&text()).map_err(|m| bad(field, m))?),
        Format::Date => Val::Text(date_of(&text()).map_err(|m| bad(field, m))?),
        Format::HtmlToMarkdown => Val::Text(super::markdown::from_html(&text())),
        Format::TextToMarkdown => Val::Text(super::markdown::escape(&text())),
        Format::Base64ToBinary => match v {
            Val::Bytes(b) => Val::Bytes(b),
            other => Val::Bytes(decode_base64(&other.to_text(), field)?),
        },
        Format::String => Val::Text(text()),
        Format::UuidV5 => {
            Val::Text(uuid::Uuid::new_v5(&KEY_NAMESPACE, text().as_bytes()).to_string())
        }
        Format::Integer => {
            let t = text();
            let n: i64 = t
                .trim()
                .parse()
                .map_err(|_| bad(field, format!("`{t}` is not an integer")))?;
            Val::Json(Value::from(n))
        }
        Format::Uuid => {
            let t = text();
            let u = uuid::Uuid::parse_str(t.trim())
                .map_err(|_| bad(field, format!("`{t}` is not a GUID")))?;
            Val::Text(u.to_string())
        }
        Format::Utf8 => match v {
            Val::Bytes(b) => Val::Bytes(b),
            other => Val::Bytes(other.to_text().into_bytes()),
        },
        Format::InstancePartyId => Val::Text(instance_part(&text(), 0, field)?),
        Format::InstanceGuid => Val::Text(instance_part(&text(), 1, field)?),
        // Applied to all the values at once in `apply`; one value alone is "some".
        Format::NonEmpty => Val::Json(Value::Bool(true)),
    })
}

fn decode_base64(text: &str, field: &str) -> Result<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| bad(field, format!("not base64: {e}")))
}

/// `{partyId}/{guid}` or `…/instances/{partyId}/{guid}`: part 0 or 1.
fn instance_part(text: &str, part: usize, field: &str) -> Result<String> {
    let segs: Vec<&str> = text
        .trim()
        .trim_end_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let n = segs.len();
    if n < 2 || segs[n - 2].parse::<u64>().is_err() {
        return Err(bad(
            field,
            format!("`{text}` is not an instance id (`partyId/instanceGuid`) or instance URL"),
        ));
    }
    Ok(segs[n - 2 + part].to_owned())
}

/// Converts a value to the JSON kind of its target.
pub fn to_json(v: Val, kind: Kind, field: &str) -> Result<Value> {
    Ok(match (kind, v) {
        (_, Val::Json(j)) if !matches!(kind, Kind::String) => j,
        (Kind::String, v) => Value::String(v.to_text()),
        (Kind::Integer, Val::Text(t)) => t
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| bad(field, format!("`{t}` is not an integer")))?,
        (Kind::Number, Val::Text(t)) => t
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| bad(field, format!("`{t}` is not a number")))?,
        (Kind::Boolean, Val::Text(t)) => match t.trim() {
            "true" | "1" => Value::Bool(true),
            "false" | "0" => Value::Bool(false),
            other => return Err(bad(field, format!("`{other}` is not a boolean"))),
        },
        (Kind::Any | Kind::Bytes, Val::Text(t)) => Value::String(t),
        (_, b @ Val::Bytes(_)) => Value::String(b.to_text()),
        (_, Val::Json(j)) => j,
    })
}

/// Date-time text in UTC (`…Z`). Without an offset the time is Norwegian local time, as Altinn 2
/// wrote it: CET, or CEST from the last Sunday of March to the last Sunday of October.
pub fn date_time_utc(text: &str) -> std::result::Result<String, String> {
    let t = text.trim();
    let bad = || format!("`{t}` is not an xs:dateTime (YYYY-MM-DDThh:mm:ss)");
    let (date, time) = t.split_once('T').ok_or_else(bad)?;
    let (y, mo, d) = parse_date(date).ok_or_else(bad)?;
    let (clock, offset) = split_offset(time).ok_or_else(bad)?;
    let (h, mi, s, frac) = parse_clock(clock).ok_or_else(bad)?;
    let local_secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s;
    let offset = match offset {
        Some(o) => o,
        None => oslo_offset(local_secs),
    };
    let utc = local_secs - offset;
    let (days, secs) = (utc.div_euclid(86_400), utc.rem_euclid(86_400));
    let (y, mo, d) = civil_from_days(days);
    Ok(format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}{frac}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    ))
}

fn date_of(text: &str) -> std::result::Result<String, String> {
    let t = text.trim();
    let date = t.split_once('T').map_or(t, |(d, _)| d);
    parse_date(date)
        .map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
        .ok_or_else(|| format!("`{t}` is not a date (YYYY-MM-DD)"))
}

fn parse_date(s: &str) -> Option<(i64, i64, i64)> {
    let mut it = s.split('-');
    let y = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.get(..2)?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// `hh:mm:ss[.fff]` and the offset in seconds (`Z` = 0, none = `None`).
fn split_offset(time: &str) -> Option<(&str, Option<i64>)> {
    if let Some(c) = time.strip_suffix('Z') {
        return Some((c, Some(0)));
    }
    match time.rfind(['+', '-']) {
        Some(i) if i >= 8 => {
            let (clock, off) = time.split_at(i);
            let sign = if off.starts_with('-') { -1 } else { 1 };
            let (h, m) = off[1..].split_once(':')?;
            let secs = h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60;
            Some((clock, Some(sign * secs)))
        }
        _ => Some((time, None)),
    }
}

fn parse_clock(c: &str) -> Option<(i64, i64, i64, &str)> {
    let (hms, frac) = match c.find('.') {
        Some(i) => c.split_at(i),
        None => (c, ""),
    };
    let mut it = hms.split(':');
    let h = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let s = it.next().map_or(Some(0), |s| s.parse().ok())?;
    let ok = (0..24).contains(&h) && (0..60).contains(&m) && (0..61).contains(&s);
    let frac_ok = frac.len() <= 1 || frac[1..].bytes().all(|b| b.is_ascii_digit());
    (ok && frac_ok).then_some((h, m, s, frac))
}

/// Europe/Oslo's offset for a local time given as seconds since the epoch (EU rules since 1996).
fn oslo_offset(local_secs: i64) -> i64 {
    let (y, _, _) = civil_from_days(local_secs.div_euclid(86_400));
    // Summer time starts at 02:00 local (01:00 UTC) on the last Sunday of March and ends at
    // 03:00 local summer time (01:00 UTC) on the last Sunday of October.
    let start = last_sunday(y, 3) * 86_400 + 2 * 3600;
    let end = last_sunday(y, 10) * 86_400 + 3 * 3600;
    if (start..end).contains(&local_secs) {
        7200
    } else {
        3600
    }
}

fn last_sunday(y: i64, month: i64) -> i64 {
    let last = days_from_civil(y, month + 1, 1) - 1;
    // 1970-01-01 was a Thursday (weekday 4, Sunday = 0).
    let weekday = (last + 4).rem_euclid(7);
    last - weekday
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm); month 13 is
/// January of the next year.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let (y, m) = if m > 12 { (y + 1, m - 12) } else { (y, m) };
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORG: &str = "urn:altinn:organization:identifier-no:";

    #[test]
    fn a_prefix_goes_before_each_value_and_comes_off_on_the_way_back() {
        let settings = Settings::default();
        let sent = apply(
            vec![
                Val::Text(" 910000001 ".into()),
                Val::Text("910000002".into()),
            ],
            &[Transform::Prefix(ORG)],
            &settings,
            "Reportee",
        )
        .unwrap();
        let texts: Vec<String> = sent.iter().map(Val::to_text).collect();
        assert_eq!(
            texts,
            [format!("{ORG}910000001"), format!("{ORG}910000002")]
        );
        let back = apply(sent, &[Transform::StripPrefix(ORG)], &settings, "Reportee").unwrap();
        let texts: Vec<String> = back.iter().map(Val::to_text).collect();
        assert_eq!(texts, ["910000001", "910000002"]);
    }

    #[test]
    fn a_value_without_the_prefix_is_refused_on_the_way_back() {
        let settings = Settings::default();
        for other in [
            "urn:altinn:party:uuid:0b6e4c3a-6f0e-4b5b-9d2a-2f8e1c3d4e5f",
            ORG,
            "910000001",
        ] {
            let err = apply(
                vec![Val::Text(other.into())],
                &[Transform::StripPrefix(ORG)],
                &settings,
                "Reportee",
            )
            .expect_err(other)
            .to_string();
            assert!(
                err.contains("Reportee") && err.contains("does not start with"),
                "{err}"
            );
        }
    }

    #[test]
    fn local_norwegian_time_becomes_utc_across_summer_time() {
        assert_eq!(
            date_time_utc("2024-01-15T10:00:00").unwrap(),
            "2024-01-15T09:00:00Z"
        );
        assert_eq!(
            date_time_utc("2024-07-01T10:00:00.123").unwrap(),
            "2024-07-01T08:00:00.123Z"
        );
        // 2024-03-31 is the last Sunday of March: 02:00 local jumps to 03:00.
        assert_eq!(
            date_time_utc("2024-03-31T01:59:00").unwrap(),
            "2024-03-31T00:59:00Z"
        );
        assert_eq!(
            date_time_utc("2024-03-31T03:00:00").unwrap(),
            "2024-03-31T01:00:00Z"
        );
        assert_eq!(
            date_time_utc("2024-01-01T00:30:00").unwrap(),
            "2023-12-31T23:30:00Z"
        );
        assert_eq!(
            date_time_utc("2024-05-01T12:00:00+05:00").unwrap(),
            "2024-05-01T07:00:00Z"
        );
        assert_eq!(
            date_time_utc("2024-05-01T12:00:00Z").unwrap(),
            "2024-05-01T12:00:00Z"
        );
        assert!(date_time_utc("yesterday").is_err());
    }

    #[test]
    fn uuid_v5_keys_are_stable_and_distinct() {
        let a = format(Val::Text("ref-1".into()), Format::UuidV5, "f").unwrap();
        let b = format(Val::Text("ref-1".into()), Format::UuidV5, "f").unwrap();
        let c = format(Val::Text("ref-2".into()), Format::UuidV5, "f").unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn unknown_enumeration_values_name_the_field() {
        let err = map_value(
            &Val::Text("9999".into()),
            &[("1044", "nb")],
            "X/LanguageCode",
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("X/LanguageCode") && text.contains("9999") && text.contains("1044"),
            "{text}"
        );
    }

    #[test]
    fn instance_ids_and_urls_split() {
        let url = "https://x/storage/api/v1/instances/50001/6f1b3c2e-9a4d-4e57-8b21-0c7d5e93a1f4";
        assert_eq!(instance_part(url, 0, "f").unwrap(), "50001");
        assert_eq!(instance_part("50001/abc", 1, "f").unwrap(), "abc");
        assert!(instance_part("abc", 0, "f").is_err());
    }

    #[test]
    fn values_become_the_target_kind_or_fail_naming_the_field() {
        assert_eq!(
            to_json(Val::Text("42".into()), Kind::Integer, "f").unwrap(),
            Value::from(42)
        );
        assert_eq!(
            to_json(Val::Text("true".into()), Kind::Boolean, "f").unwrap(),
            Value::Bool(true)
        );
        assert_eq!(
            to_json(Val::Text("x".into()), Kind::String, "f").unwrap(),
            Value::from("x")
        );
        let e = to_json(Val::Text("x".into()), Kind::Integer, "A/B").unwrap_err();
        assert!(e.to_string().contains("A/B"));
    }
}
