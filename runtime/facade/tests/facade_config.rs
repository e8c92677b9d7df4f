//! `facade.toml`: the commented example parses, and each kind of mistake is reported with the
//! file, line and column and what was expected.

use std::path::{Path, PathBuf};

use altinn_bridge_facade::Error;
use altinn_bridge_facade::{ClientKey, FacadeConfig, hash_password};

fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("altinn-bridge-fcfg-{}-{name}", std::process::id()));
    std::fs::create_dir_all(dir.join("keys")).expect("dir");
    std::fs::write(dir.join("keys/main.pem"), "-----BEGIN PRIVATE KEY-----\n").expect("key");
    std::fs::write(dir.join("keys/cert.pem"), "-----BEGIN CERTIFICATE-----\n").expect("cert");
    std::fs::write(dir.join("keys/sub.txt"), "subscription-key\n").expect("sub");
    dir
}

const GOOD: &str = r#"listen = "127.0.0.1:8080"
[environment]
name = "test"
[[maskinporten]]
name = "main"
client_id = "c"
kid = "k"
key_file = "keys/main.pem"
[[callers]]
user = "erp"
password_hash = "HASH"
maskinporten = "main"
"#;

fn good() -> String {
    GOOD.replace("HASH", &hash_password("pw"))
}

/// Parses `text` and returns the error's (line, column, message).
fn error(text: &str) -> (usize, usize, String) {
    let dir = scratch("err");
    match FacadeConfig::parse(text, "facade.toml", &dir) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(Error::ConfigFile {
            file,
            line,
            column,
            message,
        }) => {
            assert_eq!(file, "facade.toml");
            (line, column, message)
        }
        Err(other) => panic!("not a ConfigFile error: {other}"),
    }
}

#[test]
fn the_example_parses_with_its_defaults() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../facade.example.toml");
    let text = std::fs::read_to_string(&example).expect("facade.example.toml");
    let dir = scratch("example");
    let c = FacadeConfig::parse(&text, "facade.example.toml", &dir).expect("the example parses");
    assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(
        c.environment.token_endpoint,
        "https://test.maskinporten.no/token"
    );
    assert_eq!(
        c.environment.apis["altinn-storage-v1"],
        "https://platform.tt02.altinn.no/storage/api/v1"
    );
    assert_eq!(
        c.environment.apis["altinn-correspondence-v1"],
        "https://platform.tt02.altinn.no"
    );
    assert_eq!(
        c.environment.apis["dialogporten-enduser-v1"],
        "https://platform.tt02.altinn.no/dialogporten"
    );
    assert_eq!(
        c.environment.apis["altinn-resource-registry-v1"],
        "https://platform.tt02.altinn.no/resourceregistry/api/v1"
    );
    // Every app has its owner's host, filled per call from the `{org}` in its path.
    assert_eq!(
        c.environment.apis["altinn-app-v1"],
        "https://{org}.apps.tt02.altinn.no"
    );
    assert_eq!(c.callers[0].user, "legacy-erp");
    assert_eq!(c.callers[0].parties, ["991825827"]);
    assert!(matches!(c.maskinporten[0].key, ClientKey::Kid { .. }));
    assert_eq!(c.limits.max_body_bytes, 5 << 20);
    // The key is read but never shown.
    assert!(!format!("{c:?}").contains("BEGIN PRIVATE KEY"));
}

#[test]
fn production_custom_and_overrides() {
    let dir = scratch("env");
    let text = good().replace(
        "name = \"test\"",
        "name = \"production\"\n[environment.apis]\naltinn-broker-v1 = \"http://127.0.0.1:4010\"",
    );
    let c = FacadeConfig::parse(&text, "f.toml", &dir).expect("parses");
    assert_eq!(c.environment.audience, "https://maskinporten.no/");
    assert_eq!(
        c.environment.apis["altinn-events-v1"],
        "https://platform.altinn.no/events/api/v1"
    );
    assert_eq!(
        c.environment.apis["altinn-broker-v1"],
        "http://127.0.0.1:4010"
    );
    let text = good().replace("kid = \"k\"", "certificate_file = \"keys/cert.pem\"\nsubscription_key_file = \"keys/sub.txt\"\nsystem_user_org = \"991825827\"");
    let c = FacadeConfig::parse(&text, "f.toml", &dir).expect("parses");
    assert!(matches!(
        c.maskinporten[0].key,
        ClientKey::Certificate { .. }
    ));
    assert_eq!(
        c.maskinporten[0]
            .subscription_key
            .as_ref()
            .map(|k| k.expose().to_owned()),
        Some("subscription-key".into())
    );
}

#[test]
fn syntax_and_type_errors_point_at_the_value() {
    let (line, column, message) =
        error(&good().replace("listen = \"127.0.0.1:8080\"", "listen = 8080"));
    assert_eq!((line, column), (1, 10), "{message}");
    assert!(message.contains("expected"), "{message}");
    let (line, column, message) =
        error(&good().replace("client_id = \"c\"", "client_id = \"c\"\nkid_typo = \"x\""));
    assert_eq!((line, column), (7, 1), "{message}");
    assert!(message.contains("kid_typo"), "{message}");
    let (line, _, message) = error(&good().replace("[[callers]]", "[[callers]\n"));
    assert_eq!(line, 9, "{message}");
    let (line, column, message) = error(&good().replace("user = \"erp\"\n", ""));
    assert!(message.contains("missing field `user`"), "{message}");
    assert_eq!((line, column), (9, 1), "the table missing it");
}

#[test]
fn semantic_errors_point_at_the_value_and_say_what_was_expected() {
    let (line, column, message) = error(&good().replace("127.0.0.1:8080", "localhost"));
    assert_eq!((line, column), (1, 10));
    assert!(message.contains("expected a socket address"), "{message}");
    let (line, column, message) = error(&good().replace("name = \"test\"", "name = \"staging\""));
    assert_eq!((line, column), (3, 8));
    assert!(
        message.contains("expected `test`, `production` or `custom`"),
        "{message}"
    );
    let (line, column, message) =
        error(&good().replace("maskinporten = \"main\"", "maskinporten = \"other\""));
    assert_eq!((line, column), (12, 16));
    assert!(
        message.contains("no `[[maskinporten]]` client is named `other`"),
        "{message}"
    );
    let (line, column, message) = error(&GOOD.replace("HASH", "plain-text-password"));
    assert_eq!((line, column), (11, 17));
    assert!(
        message.contains("expected an argon2 PHC string"),
        "{message}"
    );
    let (line, column, message) = error(&good().replace("keys/main.pem", "keys/missing.pem"));
    assert_eq!((line, column), (8, 12));
    assert!(
        message.contains("cannot read `keys/missing.pem`"),
        "{message}"
    );
    let (_, _, message) = error(&good().replace("kid = \"k\"\n", ""));
    assert!(message.contains("exactly one of `kid`"), "{message}");
    let (_, _, message) = error(&good().replace("name = \"test\"", "name = \"custom\""));
    assert!(
        message.contains("needs `audience` and `token_endpoint`"),
        "{message}"
    );
    let dup = format!(
        "{}\n[[callers]]\nuser = \"erp\"\npassword_hash = \"{}\"\nmaskinporten = \"main\"\n",
        good(),
        hash_password("x")
    );
    let (line, column, message) = error(&dup);
    assert_eq!((line, column), (15, 8));
    assert!(
        message.contains("a second caller is named `erp`"),
        "{message}"
    );
    let (line, _, message) = error(&format!("{}[limits]\nmax_concurrent = 0\n", good()));
    assert_eq!(line, 14);
    assert!(message.contains("expected at least 1"), "{message}");
    let (_, _, message) = error(&good().replace(
        "key_file = \"keys/main.pem\"",
        "key_file = \"keys/main.pem\"\nsystem_user_org = \"12\"",
    ));
    assert!(message.contains("expected nine digits"), "{message}");
}

#[test]
fn load_names_the_file() {
    let dir = scratch("load");
    let path = dir.join("facade.toml");
    std::fs::write(&path, "listen = \n").expect("write");
    let err = FacadeConfig::load(&path).expect_err("invalid");
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("{}:1:", path.display())),
        "{text}"
    );
    let err = FacadeConfig::load(dir.join("none.toml")).expect_err("missing");
    assert!(
        err.to_string().contains("cannot read the configuration"),
        "{err}"
    );
}

#[test]
fn hash_password_makes_argon2id_phc_strings() {
    let a = hash_password("change-me");
    let b = hash_password("change-me");
    assert!(a.starts_with("$argon2id$v=19$"), "{a}");
    assert_ne!(a, b, "salted");
    if std::env::var_os("PRINT_HASH").is_some() {
        println!("HASH {a}");
    }
}

#[test]
fn upstream_timeout_and_retries_are_read_and_checked() {
    let dir = scratch("upstream");
    let c = FacadeConfig::parse(&good(), "f.toml", &dir).expect("parses");
    assert_eq!(c.upstream.timeout.as_secs(), 30);
    assert_eq!(c.upstream.retry.max_attempts, 3);
    let text = format!(
        "{}[upstream]\ntimeout_seconds = 5\nmax_attempts = 1\nmax_retry_after_seconds = 2\n",
        good()
    );
    let c = FacadeConfig::parse(&text, "f.toml", &dir).expect("parses");
    assert_eq!(c.upstream.timeout.as_secs(), 5);
    assert_eq!(c.upstream.retry.max_attempts, 1);
    assert_eq!(c.upstream.retry.max_retry_after.as_secs(), 2);

    let (line, column, message) = error(&format!("{}[upstream]\nmax_attempts = 0\n", good()));
    assert_eq!((line, column), (14, 16), "{message}");
    assert!(message.contains("expected at least 1"), "{message}");
    // An upstream timeout the request's own would always cut short is a mistake.
    let (line, column, message) = error(&format!(
        "{}[limits]\nrequest_timeout_seconds = 10\n[upstream]\ntimeout_seconds = 10\n",
        good()
    ));
    assert_eq!((line, column), (16, 19), "{message}");
    assert!(message.contains("below the request's"), "{message}");
    // Left out, it stays below a short request timeout.
    let text = format!("{}[limits]\nrequest_timeout_seconds = 10\n", good());
    let c = FacadeConfig::parse(&text, "f.toml", &dir).expect("parses");
    assert_eq!(c.upstream.timeout.as_secs(), 5);
    let (_, _, message) = error(&format!("{}[upstream]\nretries = 2\n", good()));
    assert!(message.contains("unknown field `retries`"), "{message}");
}
