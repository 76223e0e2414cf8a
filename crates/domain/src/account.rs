//! Credentials (table `auth`) and the data needed to create an account.

use crate::{Role, User, UserId};

/// A user's sign-in credentials (table `auth`).
#[derive(Clone, Debug, PartialEq)]
pub struct Credentials {
    /// Same id as the user.
    pub user_id: UserId,
    /// Login email, kept equal to `user.email`.
    pub email: String,
    /// Password hash (`$2b$...` bcrypt, or `$argon2...`).
    pub password_hash: String,
    /// Soft-disable flag; inactive accounts cannot sign in.
    pub active: bool,
    /// Changes whenever all sessions are revoked (password change, "revoke sessions");
    /// tokens carry a copy and stop working when it changes.
    pub session_stamp: Option<String>,
}

/// A user together with the session stamp tokens must match.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionSubject {
    /// The account.
    pub user: User,
    /// Current `auth.session_stamp`.
    pub session_stamp: Option<String>,
    /// Whether `auth.active` is set.
    pub active: bool,
}

/// Everything needed to insert a `user` row and its `auth` row in one transaction.
#[derive(Clone, Debug, PartialEq)]
pub struct NewAccount {
    /// Id for both rows.
    pub id: UserId,
    /// Lower-cased email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Profile image URL (already validated).
    pub profile_image_url: String,
    /// Initial role.
    pub role: Role,
    /// Password hash.
    pub password_hash: String,
    /// Initial session stamp.
    pub session_stamp: String,
    /// Creation time (epoch seconds).
    pub now: i64,
}
