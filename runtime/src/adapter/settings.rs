//! Values a deployment supplies to generated adapters: the `config` and `lookup` sources of a
//! manifest's field links (the sender's organisation number, service code → resource id, ...).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::{Error, Result};

/// Named values and lookup tables, usually read from the `[settings]` of `facade.toml` or built
/// in code by a strategy-1 user.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Single values by key (`sender = "0192:991825827"`).
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    /// Tables by key (`[settings.tables.resource_ids]` with `"4504" = "my-resource"`).
    #[serde(default)]
    pub tables: BTreeMap<String, BTreeMap<String, String>>,
}

impl Settings {
    /// Empty settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a value.
    pub fn with_value(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.values.insert(key.into(), value.into());
        self
    }

    /// Adds one entry to a table.
    pub fn with_entry(
        mut self,
        table: impl Into<String>,
        key: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        self.tables
            .entry(table.into())
            .or_default()
            .insert(key.into(), value.into());
        self
    }

    /// Checks that every value in `values` and every table in `tables` is set (what generated
    /// code lists as its `SETTINGS` and `TABLES`), naming the first missing one, so a deployment
    /// fails when it starts instead of on its first request. The system user's organisation is
    /// left out: the facade sets it per caller, from its Maskinporten client.
    pub fn require(&self, values: &[&str], tables: &[&str]) -> Result<()> {
        let system_user = super::plan::SYSTEM_USER_ORG;
        if let Some(k) = values
            .iter()
            .find(|k| **k != system_user && !self.values.contains_key(**k))
        {
            return Err(Error::Config(format!(
                "the setting `{k}` is not configured (the adapters read it)"
            )));
        }
        if let Some(t) = tables.iter().find(|t| !self.tables.contains_key(**t)) {
            return Err(Error::Config(format!(
                "the lookup table `{t}` is not configured (the adapters read it)"
            )));
        }
        Ok(())
    }

    /// The value `key`, or an error naming it.
    pub fn value(&self, key: &str) -> Result<&str> {
        self.values
            .get(key)
            .map(String::as_str)
            .ok_or_else(|| Error::Config(format!("the setting `{key}` is not configured")))
    }

    /// `key` looked up in `table`, or an error naming both (and the field it came from). A
    /// table's `"*"` entry answers for keys it does not list (one resource for every service
    /// code, say); without one an unknown key is an error, never a guess.
    pub fn lookup(&self, table: &str, key: &str, field: &str) -> Result<&str> {
        let t = self.tables.get(table).ok_or_else(|| {
            Error::Config(format!("the lookup table `{table}` is not configured"))
        })?;
        t.get(key)
            .or_else(|| t.get("*"))
            .map(String::as_str)
            .ok_or_else(|| Error::Convert {
                field: field.to_owned(),
                message: format!("`{key}` is not in the lookup table `{table}`"),
            })
    }
}
