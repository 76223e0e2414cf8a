//! Request and response bodies of `/api/v1/auths`, shaped as Open WebUI's.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// `POST /signin`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SigninForm {
    /// Email (case-insensitive).
    pub email: String,
    /// Password.
    pub password: String,
}

/// `POST /signup`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SignupForm {
    /// Display name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Password (at most 72 bytes).
    pub password: String,
    /// Profile image URL (the web client sends a generated `data:image/png` avatar).
    #[serde(default)]
    pub profile_image_url: Option<String>,
}

/// `POST /add` (admin).
#[derive(Debug, Deserialize, ToSchema)]
pub struct AddUserForm {
    /// Display name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Password.
    pub password: String,
    /// Profile image URL.
    #[serde(default)]
    pub profile_image_url: Option<String>,
    /// Role (`pending` by default).
    #[serde(default)]
    #[schema(pattern = "^(admin|user|pending)$")]
    pub role: Option<String>,
}

/// A session: the token and who it belongs to (sign-in, sign-up).
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionResponse {
    /// User id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: String,
    /// Email.
    pub email: String,
    /// Avatar URL.
    pub profile_image_url: String,
    /// The session token.
    pub token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Expiry (epoch seconds), `null` if the token never expires.
    pub expires_at: Option<i64>,
    /// Effective permissions.
    #[schema(value_type = Object)]
    pub permissions: Value,
}

/// `GET /`: the signed-in user, their token and permissions.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionUserInfo {
    /// Status emoji.
    pub status_emoji: Option<String>,
    /// Status message.
    pub status_message: Option<String>,
    /// Status expiry.
    pub status_expires_at: Option<i64>,
    /// User id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: String,
    /// Email.
    pub email: String,
    /// Stored profile image URL.
    pub profile_image_url: String,
    /// The presented token.
    pub token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Expiry of the token.
    pub expires_at: Option<i64>,
    /// Effective permissions.
    #[schema(value_type = Object)]
    pub permissions: Value,
    /// Biography.
    pub bio: Option<String>,
    /// Gender.
    pub gender: Option<String>,
    /// Date of birth.
    pub date_of_birth: Option<NaiveDate>,
}

/// `POST /add` response.
#[derive(Debug, Serialize, ToSchema)]
pub struct AddUserResponse {
    /// User id.
    pub id: String,
    /// Email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: String,
    /// Avatar URL.
    pub profile_image_url: String,
    /// A session token for the new user.
    pub token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
}

/// `POST /update/profile`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateProfileForm {
    /// Profile image URL.
    pub profile_image_url: String,
    /// Display name.
    pub name: String,
    /// Biography (omitted clears it).
    #[serde(default)]
    pub bio: Option<String>,
    /// Gender (omitted clears it).
    #[serde(default)]
    pub gender: Option<String>,
    /// Date of birth, `YYYY-MM-DD` (omitted or empty, as a cleared date field sends it,
    /// clears it).
    #[serde(default, deserialize_with = "empty_as_none")]
    pub date_of_birth: Option<NaiveDate>,
}

/// Profile fields returned after an update.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileResponse {
    /// User id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: String,
    /// Email.
    pub email: String,
    /// Profile image URL.
    pub profile_image_url: String,
}

/// `POST /update/timezone`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TimezoneForm {
    /// IANA time-zone name.
    pub timezone: String,
}

/// `POST /update/password`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdatePasswordForm {
    /// Current password.
    pub password: String,
    /// New password.
    pub new_password: String,
}

/// `{status: true}` acknowledgements.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusResponse {
    /// Always true.
    pub status: bool,
}

/// An API key.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyResponse {
    /// `sk-...`.
    pub api_key: String,
}

/// `GET /admin/details`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminDetails {
    /// Admin name.
    pub name: Option<String>,
    /// Admin email.
    pub email: Option<String>,
}

/// Body of `POST /ldap`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LdapForm {
    /// The directory username.
    pub user: String,
    /// Its password.
    pub password: String,
}

/// Body of `POST /admin/config/ldap`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LdapToggle {
    /// Whether LDAP sign-in is on.
    pub enable_ldap: bool,
}

/// A date that may be sent as `""` (nothing chosen), read as `None`.
fn empty_as_none<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDate>, D::Error> {
    match Option::<String>::deserialize(deserializer)? {
        None => Ok(None),
        Some(text) if text.is_empty() => Ok(None),
        Some(text) => NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
}
