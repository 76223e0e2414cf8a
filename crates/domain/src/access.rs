//! Access grants (`access_grant`): who may read or write a shared resource (a shared chat, a
//! workspace model). A grant names a user, a group, or every user (`user` + `*`).

use crate::UserId;

/// One grant on one resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessGrant {
    /// Row id.
    pub id: String,
    /// `user` or `group`.
    pub principal_type: String,
    /// A user or group id; `*` with `user` means anyone signed in.
    pub principal_id: String,
    /// `read` or `write`.
    pub permission: String,
}

impl AccessGrant {
    /// Whether the grant names `user` (directly or as everyone) or one of `groups`.
    pub fn names(&self, user: &UserId, groups: &[String]) -> bool {
        match self.principal_type.as_str() {
            "user" => self.principal_id == "*" || self.principal_id == user.as_str(),
            "group" => groups.iter().any(|g| g == &self.principal_id),
            _ => false,
        }
    }

    /// Whether the grant lets `user` read (a write grant includes reading).
    pub fn lets_read(&self, user: &UserId) -> bool {
        self.names(user, &[]) && matches!(self.permission.as_str(), "read" | "write")
    }

    /// Whether the grant lets `user` change the resource.
    pub fn lets_write(&self, user: &UserId) -> bool {
        self.names(user, &[]) && self.permission == "write"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(principal_type: &str, principal_id: &str, permission: &str) -> AccessGrant {
        AccessGrant {
            id: "g".into(),
            principal_type: principal_type.into(),
            principal_id: principal_id.into(),
            permission: permission.into(),
        }
    }

    #[test]
    fn grants_name_users_everyone_and_groups() {
        let alice = UserId::from("alice");
        assert!(grant("user", "alice", "read").lets_read(&alice));
        assert!(grant("user", "*", "read").lets_read(&alice));
        assert!(!grant("user", "bob", "read").lets_read(&alice));
        assert!(!grant("user", "alice", "read").lets_write(&alice));
        assert!(grant("user", "alice", "write").lets_read(&alice));
        assert!(grant("group", "g1", "read").names(&alice, &["g1".into()]));
        assert!(!grant("group", "g1", "read").lets_read(&alice));
        assert!(!grant("user", "alice", "admin").lets_read(&alice));
    }
}
