//! Identifiers. Open WebUI stores ids as text (UUID v4 strings); Hearth keeps that encoding.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The id of a user account (`user.id`, equal to `auth.id`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(String);

impl UserId {
    /// A fresh random id (UUID v4, hyphenated), as Open WebUI creates them.
    pub fn generate() -> Self {
        Self(uuid::Uuid::new_v4().to_string())
    }

    /// The id as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Consumes the id, returning the stored string.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl From<String> for UserId {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for UserId {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
