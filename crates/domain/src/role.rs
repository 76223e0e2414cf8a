//! Account roles: `admin`, `user` and `pending` (signed up, waiting for an administrator).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The role stored in `user.role`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Full access, including the admin pages.
    Admin,
    /// A regular, verified user.
    User,
    /// Signed up but not yet approved; gets a token but no access to protected routes.
    Pending,
}

impl Role {
    /// The text stored in the database and sent to clients.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::User => "user",
            Role::Pending => "pending",
        }
    }

    /// Whether this role passes Open WebUI's `get_verified_user` guard (user or admin).
    pub fn is_verified(self) -> bool {
        matches!(self, Role::Admin | Role::User)
    }

    /// Reads a stored role. Unknown text maps to `Pending`, the role with the least access.
    pub fn from_stored(value: &str) -> Self {
        value.parse().unwrap_or(Role::Pending)
    }
}

/// A role name that is not `admin`, `user` or `pending`.
#[derive(Debug, thiserror::Error)]
#[error("unknown role {0:?}: expected admin, user or pending")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value {
            "admin" => Ok(Role::Admin),
            "user" => Ok(Role::User),
            "pending" => Ok(Role::Pending),
            other => Err(UnknownRole(other.to_owned())),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_known_roles_and_defaults_unknown_to_pending() {
        assert_eq!("admin".parse::<Role>().ok(), Some(Role::Admin));
        assert_eq!(Role::from_stored("user"), Role::User);
        assert_eq!(Role::from_stored("superuser"), Role::Pending);
        assert!("Admin".parse::<Role>().is_err());
    }
}
