//! User accounts: the `user` table's row and the changes Hearth makes to it.

use crate::{Role, UserId};
use chrono::NaiveDate;
use serde_json::Value;

/// One registered account (table `user`), as Open WebUI 0.12 stores it.
#[derive(Clone, Debug, PartialEq)]
pub struct User {
    /// Primary key, equal to the `auth` row's id.
    pub id: UserId,
    /// Lower-cased email address; unique.
    pub email: String,
    /// Optional handle (up to 50 characters).
    pub username: Option<String>,
    /// Access role.
    pub role: Role,
    /// Display name.
    pub name: String,
    /// A data URI, a known static path or an external URL; `None` means the default avatar.
    pub profile_image_url: Option<String>,
    /// Optional banner image.
    pub profile_banner_image_url: Option<String>,
    /// Free-text biography.
    pub bio: Option<String>,
    /// Free-text gender.
    pub gender: Option<String>,
    /// Date of birth.
    pub date_of_birth: Option<NaiveDate>,
    /// IANA time-zone name reported by the browser.
    pub timezone: Option<String>,
    /// Presence state (`online`, `away`, ...).
    pub presence_state: Option<String>,
    /// Status emoji.
    pub status_emoji: Option<String>,
    /// Status message.
    pub status_message: Option<String>,
    /// When the status expires (epoch seconds).
    pub status_expires_at: Option<i64>,
    /// Free-form profile information.
    pub info: Option<Value>,
    /// Chat variables.
    pub variables: Option<Value>,
    /// User settings document (`{"ui": {...}, ...}`).
    pub settings: Option<Value>,
    /// OAuth subjects by provider.
    pub oauth: Option<Value>,
    /// SCIM external ids by provider.
    pub scim: Option<Value>,
    /// Last request seen (epoch seconds).
    pub last_active_at: i64,
    /// Last update (epoch seconds).
    pub updated_at: i64,
    /// Creation time (epoch seconds).
    pub created_at: i64,
}

impl User {
    /// The profile image URL clients should use: the stored one, or the avatar route.
    pub fn profile_image_or_default(&self) -> String {
        match self.profile_image_url.as_deref() {
            Some(url) if !url.is_empty() => url.to_owned(),
            _ => default_profile_image_url(&self.id),
        }
    }

    /// Seconds of inactivity after which a user no longer counts as active (Open WebUI: 3 minutes).
    pub const ACTIVE_WINDOW_SECS: i64 = 180;

    /// Whether the user was seen within [`User::ACTIVE_WINDOW_SECS`] of `now`.
    pub fn is_active_at(&self, now: i64) -> bool {
        self.last_active_at >= now - Self::ACTIVE_WINDOW_SECS
    }
}

/// `/api/v1/users/{id}/profile/image`, the avatar route of a user.
pub fn default_profile_image_url(id: &UserId) -> String {
    format!("/api/v1/users/{id}/profile/image")
}

/// A change to a user's row. `None` leaves a field as it is.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UserPatch {
    /// New role.
    pub role: Option<Role>,
    /// New display name.
    pub name: Option<String>,
    /// New email (already lower-cased); also updates the `auth` row.
    pub email: Option<String>,
    /// New profile image URL.
    pub profile_image_url: Option<String>,
    /// New biography (`Some(None)` clears it).
    pub bio: Option<Option<String>>,
    /// New gender (`Some(None)` clears it).
    pub gender: Option<Option<String>>,
    /// New date of birth (`Some(None)` clears it).
    pub date_of_birth: Option<Option<NaiveDate>>,
    /// New time zone.
    pub timezone: Option<String>,
}

/// Column a user listing is sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UserOrder {
    /// By creation time (the default, newest first).
    #[default]
    CreatedAt,
    /// By display name.
    Name,
    /// By email.
    Email,
    /// By last activity.
    LastActiveAt,
    /// By last update.
    UpdatedAt,
    /// By role.
    Role,
}

impl UserOrder {
    /// Reads Open WebUI's `order_by` query value; unknown values sort by creation time.
    pub fn from_query(value: Option<&str>) -> Self {
        match value {
            Some("name") => UserOrder::Name,
            Some("email") => UserOrder::Email,
            Some("last_active_at") => UserOrder::LastActiveAt,
            Some("updated_at") => UserOrder::UpdatedAt,
            Some("role") => UserOrder::Role,
            _ => UserOrder::CreatedAt,
        }
    }
}

/// A page request for the user list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UserQuery {
    /// Case-insensitive substring of name or email.
    pub text: Option<String>,
    /// Sort column.
    pub order: UserOrder,
    /// Ascending when true; descending otherwise (Open WebUI's default for `created_at`).
    pub ascending: bool,
    /// Rows to skip.
    pub offset: u64,
    /// Rows to return at most; `None` returns all.
    pub limit: Option<u64>,
}

/// One page of users and the total matching the filter.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UserPage {
    /// The users on this page.
    pub users: Vec<User>,
    /// How many users match the filter, across all pages.
    pub total: u64,
}
