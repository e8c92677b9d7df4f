//! Value-level conformance, derived from the manifests themselves.
//!
//! For each mapped operation of a manifest, the harness builds the old request from the WSDL's
//! types with a distinctive value in every leaf ([`request`]), runs it through a generated adapter
//! (the typed `Client`, or the facade over HTTP) against a recording Altinn 3 on loopback that
//! answers from the OpenAPI response schemas with distinctive values too ([`recorder`],
//! [`response`]), and then checks, link by link, that each value arrived where the manifest says
//! after its transforms ([`check`], [`expect`]): inputs in every repetition of every call,
//! outputs in the answer, nothing dropped leaking upstream, nothing invented in the answer,
//! every required parameter and property sent, and the token grants' scopes and system user.

pub mod check;
pub mod expect;
pub mod multipart;
pub mod node_soap;
pub mod recorder;
pub mod request;
pub mod response;
pub mod script;
pub mod values;
pub mod walk;
pub mod zeep;

use std::path::Path;
use std::process::Command;

use altinn_bridge::link::{Mapping, OpLink, Source, Transform};
use altinn_bridge_runtime::adapter::Settings;

use values::Values;

/// The words of the runtime's refusal of several different values for a field Altinn 3 holds
/// once: the documented answer, in place of a silent cut, for requests with several of them.
pub const REFUSED_SEVERAL: &str = "several different values for a field that holds one";

/// The system user's organisation the harness configures (nine digits).
pub const SYSTEM_USER_ORG: &str = "912345678";
/// The legacy caller's name and password at the facade.
pub const USER: &str = "conformance-erp";
/// The legacy caller's password (also searched for upstream: it must never arrive there).
pub const PASSWORD: &str = "Pw-v99999q-<secret>";

/// Settings for `m`: every `config` key a distinctive value, every lookup table an entry for
/// each value the requests will carry (and a `*` entry for values that come from answers),
/// and the system user's organisation.
pub fn settings(m: &Mapping, values: &mut Values) -> Settings {
    let mut s = Settings::new().with_value("system_user_org", SYSTEM_USER_ORG);
    for op in &m.resolved.operations {
        for link in op.inputs.iter().chain(&op.outputs) {
            if let Source::Config { key } = &link.from
                && !s.values.contains_key(key)
            {
                s = s.with_value(key.clone(), values.token());
            }
            for t in &link.transforms {
                if let Transform::Lookup { table } = t
                    && !s.tables.get(table).is_some_and(|t| t.contains_key("*"))
                {
                    let value = table_value(after(&link.transforms, t), values);
                    s = s.with_entry(table.clone(), "*", value);
                }
            }
        }
    }
    s
}

/// Adds a lookup entry for every value `request` carries into a table, so each request value
/// looks up to a value of its own (the `*` entry stays for answers' values).
pub fn settings_for(
    base: &Settings,
    op: &OpLink,
    request: &request::Request,
    values: &mut Values,
) -> Settings {
    let mut s = base.clone();
    for link in &op.inputs {
        let Source::Soap { path } = &link.from else {
            continue;
        };
        for t in &link.transforms {
            let Transform::Lookup { table } = t else {
                continue;
            };
            for made in request.leaves.get(&path.text).into_iter().flatten() {
                let value = table_value(after(&link.transforms, t), values);
                s = s.with_entry(table.clone(), made.text.trim(), value);
            }
        }
    }
    s
}

/// An RSA key pair for the token grants: (private PEM, public PEM), made by openssl in `dir`.
pub fn key_pair(dir: &Path) -> (String, String) {
    std::fs::create_dir_all(dir).expect("scratch dir");
    let key = dir.join("conformance-key.pem");
    let ok = Command::new("openssl")
        .args(["genrsa", "-out"])
        .arg(&key)
        .arg("2048")
        .output()
        .expect("openssl runs");
    assert!(ok.status.success(), "openssl genrsa: {ok:?}");
    let public = Command::new("openssl")
        .args(["rsa", "-pubout", "-in"])
        .arg(&key)
        .output()
        .expect("openssl runs");
    assert!(public.status.success(), "openssl rsa -pubout: {public:?}");
    (
        std::fs::read_to_string(&key).expect("the key"),
        String::from_utf8(public.stdout).expect("PEM is text"),
    )
}

/// The transforms after `t` in `all`.
fn after<'t>(all: &'t [Transform], t: &Transform) -> &'t [Transform] {
    let i = all
        .iter()
        .position(|x| std::ptr::eq(x, t))
        .map_or(all.len(), |i| i + 1);
    &all[i..]
}

/// A distinctive table value that fits the transforms applied to it after the lookup (an
/// instance id where one is taken apart, a GUID where one is parsed).
fn table_value(after: &[Transform], values: &mut Values) -> String {
    use altinn_bridge::link::Format;
    for t in after {
        if let Transform::Format { format } = t {
            match format {
                Format::InstancePartyId | Format::InstanceGuid => return values.instance_id(),
                Format::Uuid => return values.guid(),
                Format::Integer => return values.int_in(71_000_000, 79_999_999).to_string(),
                _ => {}
            }
        }
    }
    format!("lookup-{}", values.token())
}
