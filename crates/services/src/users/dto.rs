//! Bodies of `/api/v1/users`.

use chrono::NaiveDate;
use hearth_domain::User;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// A user as Open WebUI's `UserModel` serializes it.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserResponse {
    /// Id.
    pub id: String,
    /// Email.
    pub email: String,
    /// Handle.
    pub username: Option<String>,
    /// Role.
    pub role: String,
    /// Display name.
    pub name: String,
    /// Profile image URL (the avatar route when none is stored).
    pub profile_image_url: String,
    /// Banner image URL.
    pub profile_banner_image_url: Option<String>,
    /// Biography.
    pub bio: Option<String>,
    /// Gender.
    pub gender: Option<String>,
    /// Date of birth.
    pub date_of_birth: Option<NaiveDate>,
    /// Time zone.
    pub timezone: Option<String>,
    /// Presence.
    pub presence_state: Option<String>,
    /// Status emoji.
    pub status_emoji: Option<String>,
    /// Status message.
    pub status_message: Option<String>,
    /// Status expiry.
    pub status_expires_at: Option<i64>,
    /// Free-form info.
    #[schema(value_type = Option<Object>)]
    pub info: Option<Value>,
    /// Settings document.
    #[schema(value_type = Option<Object>)]
    pub settings: Option<Value>,
    /// OAuth subjects.
    #[schema(value_type = Option<Object>)]
    pub oauth: Option<Value>,
    /// SCIM ids.
    #[schema(value_type = Option<Object>)]
    pub scim: Option<Value>,
    /// Last activity.
    pub last_active_at: i64,
    /// Last update.
    pub updated_at: i64,
    /// Creation.
    pub created_at: i64,
    /// Group ids (user list only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_ids: Option<Vec<String>>,
    /// Groups as `{id, name}` (single-user views only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub groups: Option<Vec<Value>>,
    /// Seen in the last three minutes (single-user views only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
}

impl From<User> for UserResponse {
    fn from(user: User) -> Self {
        Self {
            profile_image_url: user.profile_image_or_default(),
            id: user.id.into_string(),
            email: user.email,
            username: user.username,
            role: user.role.to_string(),
            name: user.name,
            profile_banner_image_url: user.profile_banner_image_url,
            bio: user.bio,
            gender: user.gender,
            date_of_birth: user.date_of_birth,
            timezone: user.timezone,
            presence_state: user.presence_state,
            status_emoji: user.status_emoji,
            status_message: user.status_message,
            status_expires_at: user.status_expires_at,
            info: user.info,
            settings: user.settings,
            oauth: user.oauth,
            scim: user.scim,
            last_active_at: user.last_active_at,
            updated_at: user.updated_at,
            created_at: user.created_at,
            group_ids: None,
            groups: None,
            is_active: None,
        }
    }
}

/// A page of users.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserListResponse {
    /// The users.
    pub users: Vec<UserResponse>,
    /// Matching users across all pages.
    pub total: u64,
}

/// Compact user info (`/all`, `/search`).
#[derive(Debug, Serialize, ToSchema)]
pub struct UserInfo {
    /// Status emoji.
    pub status_emoji: Option<String>,
    /// Status message.
    pub status_message: Option<String>,
    /// Status expiry.
    pub status_expires_at: Option<i64>,
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Role.
    pub role: String,
    /// Biography.
    pub bio: Option<String>,
    /// Last activity.
    pub last_active_at: Option<i64>,
    /// Time zone.
    pub timezone: Option<String>,
    /// Groups.
    #[schema(value_type = Vec<Object>)]
    pub groups: Vec<Value>,
    /// Seen in the last three minutes.
    pub is_active: bool,
}

impl UserInfo {
    /// Compact info of `user` at `now`.
    pub fn of(user: User, now: i64) -> Self {
        Self {
            is_active: user.is_active_at(now),
            status_emoji: user.status_emoji,
            status_message: user.status_message,
            status_expires_at: user.status_expires_at,
            id: user.id.into_string(),
            name: user.name,
            email: user.email,
            role: user.role.to_string(),
            bio: user.bio,
            last_active_at: Some(user.last_active_at),
            timezone: user.timezone,
            groups: Vec::new(),
        }
    }
}

/// A page of compact user info.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserInfoListResponse {
    /// The users.
    pub users: Vec<UserInfo>,
    /// Matching users across all pages.
    pub total: u64,
}

/// Query of the user lists.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct UserListQuery {
    /// Substring of name or email.
    pub query: Option<String>,
    /// `name`, `email`, `created_at`, `last_active_at`, `updated_at` or `role`.
    pub order_by: Option<String>,
    /// `asc` or `desc`.
    pub direction: Option<String>,
    /// Page number (30 per page), from 1.
    pub page: Option<i64>,
}

/// `POST /{id}/update` (admin).
#[derive(Debug, Deserialize, ToSchema)]
pub struct UserUpdateForm {
    /// New role.
    #[schema(pattern = "^(admin|user|pending)$")]
    pub role: Option<String>,
    /// New name.
    pub name: Option<String>,
    /// New email.
    pub email: Option<String>,
    /// New profile image URL.
    pub profile_image_url: Option<String>,
    /// New password (revokes the user's sessions).
    pub password: Option<String>,
}

/// `GET /user/settings` query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SettingsQuery {
    /// Return the stored settings without merging the admin's interface defaults.
    #[serde(default)]
    pub raw: bool,
}
