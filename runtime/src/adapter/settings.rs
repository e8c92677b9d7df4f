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

    /// The value `key`, or an error naming it.
    pub fn value(&self, key: &str) -> Result<&str> {
        self.values
            .get(key)
            .map(String::as_str)
            .ok_or_else(|| Error::Config(format!("the setting `{key}` is not configured")))
    }

    /// `key` looked up in `table`, or an error naming both (and the field it came from).
    pub fn lookup(&self, table: &str, key: &str, field: &str) -> Result<&str> {
        let t = self.tables.get(table).ok_or_else(|| {
            Error::Config(format!("the lookup table `{table}` is not configured"))
        })?;
        t.get(key).map(String::as_str).ok_or_else(|| Error::Convert {
            field: field.to_owned(),
            message: format!("`{key}` is not in the lookup table `{table}`"),
        })
    }
}
