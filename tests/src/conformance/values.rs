//! Distinctive values: every leaf the harness writes gets one nobody else has, so a value found
//! upstream (or in an answer) names the one field it came from, and a dropped field can be
//! searched for everywhere.

use altinn_bridge::model::Builtin;
use base64::Engine;

/// Hands out values, each different from every other of the run.
#[derive(Debug, Default)]
pub struct Values {
    n: u32,
}

/// A value the harness wrote, and whether it is unique enough to be searched for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    /// The XML or JSON text.
    pub text: String,
    /// Unique in the whole run (strings, GUIDs, long integers, dates): finding it elsewhere
    /// means it travelled there. Booleans and enumeration values are not.
    pub unique: bool,
}

impl Values {
    /// Values that never meet those of a [`Values::default`]: the recorder's answers start here,
    /// so a request value found in an answer (or the other way round) is never a coincidence.
    pub fn answers() -> Self {
        Values { n: 500_000 }
    }

    fn next(&mut self) -> u32 {
        self.n += 1;
        self.n
    }

    /// A token: `v` + six digits + `q`; fixed width, so no token contains another.
    pub fn token(&mut self) -> String {
        format!("v{:06}q", self.next())
    }

    /// A GUID no other call of the run makes.
    pub fn guid(&mut self) -> String {
        let n = self.next();
        format!("{:08x}-0000-4000-8000-{:012x}", 0xc0de_0000_u32 + n, n)
    }

    /// A Norwegian local date-time without offset, as Altinn 2 clients send them: January
    /// (UTC+1) and July (UTC+2) alternate, at midday, so the UTC conversion never changes
    /// the date.
    pub fn local_date_time(&mut self) -> String {
        let n = self.next();
        let month = if n % 2 == 0 { 1 } else { 7 };
        format!(
            "2024-{month:02}-{:02}T{:02}:{:02}:{:02}",
            10 + n % 18,
            10 + (n / 18) % 4,
            n % 60,
            (n * 7) % 60
        )
    }

    /// A UTC date-time as Altinn 3 answers them.
    pub fn utc_date_time(&mut self) -> String {
        let n = self.next();
        format!(
            "2025-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            1 + n % 12,
            1 + n % 27,
            10 + (n / 27) % 4,
            n % 60,
            (n * 7) % 60
        )
    }

    /// An integer in `min..=max`, distinct while the range lasts.
    pub fn int_in(&mut self, min: i64, max: i64) -> i64 {
        let n = i64::from(self.next());
        let base = if max - min > 10_000_000 {
            min.max(71_000_000)
        } else {
            min
        };
        base + n % (max - base + 1).max(1)
    }

    /// A binary payload and its base64.
    pub fn binary(&mut self) -> (Vec<u8>, String) {
        let bytes = format!("bytes of {} \u{1}\u{2}\u{ff}", self.token()).into_bytes();
        let text = base64::engine::general_purpose::STANDARD.encode(&bytes);
        (bytes, text)
    }

    /// An Altinn 3 instance id `{partyId}/{guid}`.
    pub fn instance_id(&mut self) -> String {
        let party = 50_000_000 + self.next();
        format!("{party}/{}", self.guid())
    }

    /// A value of a built-in type.
    pub fn of(&mut self, b: Builtin) -> Made {
        use Builtin as B;
        let unique = |text: String| Made { text, unique: true };
        let plain = |text: String| Made {
            text,
            unique: false,
        };
        match b {
            B::Boolean => plain(
                if self.next() % 2 == 0 {
                    "true"
                } else {
                    "false"
                }
                .to_owned(),
            ),
            B::Byte => plain(self.int_in(1, 120).to_string()),
            B::UnsignedByte => plain(self.int_in(1, 250).to_string()),
            B::Short | B::UnsignedShort => plain(self.int_in(1000, 30000).to_string()),
            B::Int | B::UnsignedInt => unique(self.int_in(71_000_000, 79_999_999).to_string()),
            B::Integer | B::Long | B::UnsignedLong | B::NonNegativeInteger | B::PositiveInteger => {
                unique(self.int_in(71_000_000, 79_999_999).to_string())
            }
            B::NonPositiveInteger | B::NegativeInteger => {
                unique((-self.int_in(71_000_000, 79_999_999)).to_string())
            }
            B::Decimal | B::Float | B::Double | B::Number => {
                unique(format!("{}.25", self.int_in(71_000_000, 79_999_999)))
            }
            B::DateTime => unique(self.local_date_time()),
            B::Date => unique(self.local_date_time()[..10].to_owned()),
            B::Time => unique(self.local_date_time()[11..].to_owned()),
            B::Duration => unique(format!("PT{}M", self.int_in(71_000, 79_999))),
            B::GYear => plain("2024".to_owned()),
            B::GYearMonth => plain("2024-05".to_owned()),
            B::GMonth => plain("--05".to_owned()),
            B::GMonthDay => plain("--05-17".to_owned()),
            B::GDay => plain("---17".to_owned()),
            B::Binary | B::Base64Binary => unique(self.binary().1),
            B::HexBinary => unique(format!("{:08X}", 0xC0DE_0000_u32 + self.next())),
            B::AnyUri => unique(format!("https://example.test/{}", self.token())),
            B::Guid => unique(self.guid()),
            B::Char => plain(self.int_in(65, 90).to_string()),
            B::QName => plain("xs:string".to_owned()),
            _ => unique(self.token()),
        }
    }
}

/// Seconds since 1970 of an ISO date-time, reading no offset as Norwegian local time the way
/// Altinn 2 meant it (winter UTC+1, summer UTC+2: the harness only writes mid-January and
/// mid-July times, so the season is the month's). `None` when it is no date-time.
pub fn instant(text: &str) -> Option<i64> {
    let t = text.trim();
    let (date, rest) = t.split_once('T')?;
    let mut d = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, mo, da) = (d.next()??, d.next()??, d.next()??);
    let (clock, offset) = split_offset(rest)?;
    let mut c = clock.split(':');
    let h: i64 = c.next()?.parse().ok()?;
    let mi: i64 = c.next()?.parse().ok()?;
    let s: f64 = c.next().unwrap_or("0").parse().ok()?;
    let offset = match offset {
        Some(o) => o,
        None if (4..=9).contains(&mo) => 7200,
        None => 3600,
    };
    Some(days_from_civil(y, mo, da) * 86_400 + h * 3600 + mi * 60 + s as i64 - offset)
}

/// The clock part and its offset in seconds (`None`: no offset given).
fn split_offset(rest: &str) -> Option<(&str, Option<i64>)> {
    if let Some(clock) = rest.strip_suffix('Z') {
        return Some((clock, Some(0)));
    }
    match rest.rfind(['+', '-']) {
        Some(i) => {
            let (clock, off) = rest.split_at(i);
            let sign = if off.starts_with('-') { -1 } else { 1 };
            let mut p = off[1..].split(':');
            let h: i64 = p.next()?.parse().ok()?;
            let m: i64 = p.next().unwrap_or("0").parse().ok()?;
            Some((clock, Some(sign * (h * 3600 + m * 60))))
        }
        None => Some((rest, None)),
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
