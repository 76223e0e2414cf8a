//! Persistent configuration: Open WebUI's per-key `config` table (`ui.enable_signup`,
//! `auth.jwt_expiry`, ...). Built-in defaults, overridden by environment variables, are seeded
//! into the table at start-up; rows already in the table win.

pub mod keys;

use serde_json::Value;
use std::collections::HashMap;

/// The defaults a fresh Open WebUI 0.12.4 install seeds, one entry per key.
const DEFAULTS_JSON: &str = include_str!("defaults.json");

/// Every built-in config key with its default value.
pub fn builtin_defaults() -> HashMap<String, Value> {
    match serde_json::from_str::<HashMap<String, Value>>(DEFAULTS_JSON) {
        Ok(mut map) => {
            map.insert(
                keys::USER_PERMISSIONS.to_owned(),
                crate::permissions::default_permissions(),
            );
            map
        }
        // The file is part of the crate and checked by a unit test; an empty map is the
        // only safe answer if it were ever corrupt.
        Err(_) => HashMap::new(),
    }
}

/// An immutable view of all config values at one moment.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConfigSnapshot {
    values: HashMap<String, Value>,
}

impl ConfigSnapshot {
    /// Wraps a key → value map.
    pub fn new(values: HashMap<String, Value>) -> Self {
        Self { values }
    }

    /// The raw value of a key, if set.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.values.get(key)
    }

    /// The value of a key, or JSON `null` when unset.
    pub fn value(&self, key: &str) -> Value {
        self.values.get(key).cloned().unwrap_or(Value::Null)
    }

    /// A boolean key; anything but JSON `true` reads as false.
    pub fn flag(&self, key: &str) -> bool {
        matches!(self.values.get(key), Some(Value::Bool(true)))
    }

    /// A string key; non-strings read as `None`.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.values.get(key).and_then(Value::as_str)
    }

    /// All entries.
    pub fn entries(&self) -> &HashMap<String, Value> {
        &self.values
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_defaults_parse_and_hold_the_core_keys() {
        let defaults = builtin_defaults();
        assert!(defaults.len() > 300);
        assert_eq!(defaults.get(keys::ENABLE_SIGNUP), Some(&Value::Bool(true)));
        assert_eq!(
            defaults.get(keys::DEFAULT_USER_ROLE),
            Some(&Value::from("pending"))
        );
        assert_eq!(defaults.get(keys::JWT_EXPIRY), Some(&Value::from("4w")));
        assert!(
            defaults
                .get(keys::USER_PERMISSIONS)
                .is_some_and(Value::is_object)
        );
    }

    #[test]
    fn snapshot_reads_typed_values() {
        let snapshot = ConfigSnapshot::new(builtin_defaults());
        assert!(snapshot.flag(keys::ENABLE_LOGIN_FORM));
        assert!(!snapshot.flag(keys::ENABLE_API_KEYS));
        assert_eq!(snapshot.text(keys::JWT_EXPIRY), Some("4w"));
        assert_eq!(snapshot.value("no.such.key"), Value::Null);
    }
}
