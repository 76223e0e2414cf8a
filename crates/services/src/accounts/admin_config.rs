//! Admin ▸ Settings ▸ General: the auth and instance settings stored in the config table.

use crate::App;
use crate::error::{ServiceError, ServiceResult};
use crate::messages as msg;
use hearth_domain::Role;
use serde_json::{Map, Value, json};

/// Admin settings fields and the config keys they are stored under.
const ADMIN_CONFIG_KEYS: [(&str, &str); 39] = [
    ("ENABLE_MFA", "auth.mfa.enable"),
    ("MFA_ALLOW_OAUTH_BYPASS", "auth.mfa.allow_oauth_bypass"),
    (
        "MFA_ALLOW_TRUSTED_HEADER_BYPASS",
        "auth.mfa.allow_trusted_header_bypass",
    ),
    ("SHOW_ADMIN_DETAILS", "auth.admin.show"),
    ("ADMIN_EMAIL", "auth.admin.email"),
    ("WEBUI_URL", "webui.url"),
    ("ENABLE_LOGIN_FORM", "ui.enable_login_form"),
    ("ENABLE_SIGNUP", "ui.enable_signup"),
    ("ENABLE_API_KEYS", "auth.enable_api_keys"),
    (
        "ENABLE_API_KEYS_ENDPOINT_RESTRICTIONS",
        "auth.api_key.endpoint_restrictions",
    ),
    (
        "API_KEYS_ALLOWED_ENDPOINTS",
        "auth.api_key.allowed_endpoints",
    ),
    ("DEFAULT_USER_ROLE", "ui.default_user_role"),
    ("DEFAULT_GROUP_ID", "ui.default_group_id"),
    (
        "DEFAULT_INTERFACE_SETTINGS",
        "ui.default_interface_settings",
    ),
    ("I18N", "ui.i18n"),
    ("JWT_EXPIRES_IN", "auth.jwt_expiry"),
    ("ENABLE_COMMUNITY_SHARING", "ui.enable_community_sharing"),
    ("ENABLE_MESSAGE_RATING", "ui.enable_message_rating"),
    ("ENABLE_FOLDERS", "folders.enable"),
    ("FOLDER_MAX_FILE_COUNT", "folders.max_file_count"),
    ("AUTOMATION_MAX_COUNT", "automations.max_count"),
    ("AUTOMATION_MIN_INTERVAL", "automations.min_interval"),
    ("ENABLE_AUTOMATIONS", "automations.enable"),
    ("ENABLE_CHANNELS", "channels.enable"),
    ("ENABLE_ENCRYPTED_CHANNELS", "channels.encryption.enable"),
    ("ENABLE_APPS", "apps.enable"),
    (
        "CHANNEL_MODEL_RESPONSE_MODE",
        "channels.model_response_mode",
    ),
    ("ENABLE_CALENDAR", "calendar.enable"),
    ("ENABLE_MEMORIES", "memories.enable"),
    (
        "ENABLE_MEMORY_SYSTEM_CONTEXT",
        "memories.system_context.enable",
    ),
    ("ENABLE_SKILL_LAZY_LOADING", "skills.lazy_loading.enable"),
    ("SKILL_CONTENT_MAX_CHARS", "skills.content_max_chars"),
    ("SKILL_PREVIEW_MAX_CHARS", "skills.preview_max_chars"),
    ("ENABLE_NOTES", "notes.enable"),
    ("ENABLE_USER_WEBHOOKS", "ui.enable_user_webhooks"),
    ("ENABLE_USER_STATUS", "users.enable_status"),
    (
        "PENDING_USER_OVERLAY_TITLE",
        "ui.pending_user_overlay_title",
    ),
    (
        "PENDING_USER_OVERLAY_CONTENT",
        "ui.pending_user_overlay_content",
    ),
    ("RESPONSE_WATERMARK", "ui.watermark"),
];

/// Fields written only when the request carries them.
const ONLY_IF_SENT: [&str; 10] = [
    "ENABLE_MFA",
    "MFA_ALLOW_OAUTH_BYPASS",
    "MFA_ALLOW_TRUSTED_HEADER_BYPASS",
    "ENABLE_LOGIN_FORM",
    "ENABLE_ENCRYPTED_CHANNELS",
    "ENABLE_APPS",
    "I18N",
    "ENABLE_SKILL_LAZY_LOADING",
    "SKILL_CONTENT_MAX_CHARS",
    "SKILL_PREVIEW_MAX_CHARS",
];

/// Fields the admin form must send, with their JSON types.
const REQUIRED_BOOLS: [&str; 17] = [
    "SHOW_ADMIN_DETAILS",
    "ENABLE_SIGNUP",
    "ENABLE_API_KEYS",
    "ENABLE_API_KEYS_ENDPOINT_RESTRICTIONS",
    "ENABLE_COMMUNITY_SHARING",
    "ENABLE_MESSAGE_RATING",
    "ENABLE_FOLDERS",
    "ENABLE_AUTOMATIONS",
    "ENABLE_CHANNELS",
    "ENABLE_CALENDAR",
    "ENABLE_MEMORIES",
    "ENABLE_MEMORY_SYSTEM_CONTEXT",
    "ENABLE_NOTES",
    "ENABLE_USER_WEBHOOKS",
    "ENABLE_USER_STATUS",
    "ENABLE_LOGIN_FORM",
    "ENABLE_APPS",
];
const REQUIRED_STRINGS: [&str; 5] = [
    "WEBUI_URL",
    "API_KEYS_ALLOWED_ENDPOINTS",
    "DEFAULT_USER_ROLE",
    "DEFAULT_GROUP_ID",
    "JWT_EXPIRES_IN",
];

fn admin_config_values(app: &App) -> Map<String, Value> {
    let view = app.config.view();
    ADMIN_CONFIG_KEYS
        .iter()
        .filter_map(|(field, key)| {
            view.snapshot
                .get(key)
                .map(|v| ((*field).to_owned(), v.clone()))
        })
        .collect()
}

/// The auth and instance settings of Admin ▸ Settings ▸ General.
pub fn admin_config(app: &App) -> Map<String, Value> {
    admin_config_values(app)
}

/// Saves those settings; answers with the stored values.
pub async fn set_admin_config(
    app: &App,
    form: &Map<String, Value>,
) -> ServiceResult<Map<String, Value>> {
    let updates = admin_config_updates(form)?;
    app.config.set(updates).await?;
    let mut values = admin_config_values(app);
    values.insert("sessions_revoked".into(), json!(false));
    Ok(values)
}

fn admin_config_updates(form: &Map<String, Value>) -> ServiceResult<Vec<(String, Value)>> {
    let invalid = || ServiceError::Unprocessable(msg::INVALID_AUTH_REQUEST.into());
    for field in REQUIRED_BOOLS {
        let optional = ONLY_IF_SENT.contains(&field);
        match form.get(field) {
            Some(Value::Bool(_)) => {}
            None if optional => {}
            _ => return Err(invalid()),
        }
    }
    if REQUIRED_STRINGS
        .iter()
        .any(|field| !form.get(*field).is_some_and(Value::is_string))
    {
        return Err(invalid());
    }
    if form.get("ENABLE_MFA").is_some_and(|v| v == &json!(true)) {
        return Err(ServiceError::invalid(
            "Multi-factor authentication is not available on this server.",
        ));
    }
    let mut updates = Vec::new();
    for (field, key) in ADMIN_CONFIG_KEYS {
        let sent = form.get(field);
        if sent.is_none() && ONLY_IF_SENT.contains(&field) {
            continue;
        }
        // Invalid values of these fields are ignored, as Open WebUI does.
        let text = sent.and_then(Value::as_str);
        let acceptable = match field {
            "DEFAULT_USER_ROLE" => text.is_some_and(|r| r.parse::<Role>().is_ok()),
            "JWT_EXPIRES_IN" => text.is_some_and(valid_single_duration),
            "CHANNEL_MODEL_RESPONSE_MODE" => matches!(text, Some("thread" | "channel")),
            _ => true,
        };
        if !acceptable {
            continue;
        }
        let value = match field {
            "DEFAULT_INTERFACE_SETTINGS" => {
                sent.filter(|v| v.is_object()).cloned().unwrap_or(json!({}))
            }
            "FOLDER_MAX_FILE_COUNT" | "AUTOMATION_MAX_COUNT" | "AUTOMATION_MIN_INTERVAL" => {
                optional_count(sent).ok_or_else(invalid)?
            }
            "I18N" => clean_i18n(sent).ok_or_else(invalid)?,
            _ => sent.cloned().unwrap_or(Value::Null),
        };
        updates.push((key.to_owned(), value));
    }
    Ok(updates)
}

/// Open WebUI's admin check: `-1`, `0`, or one term `-?\d+(\.\d+)?(ms|s|m|h|d|w)`.
fn valid_single_duration(text: &str) -> bool {
    if text == "-1" || text == "0" {
        return true;
    }
    let unit_start = text
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(unit_start);
    let number = number.strip_prefix('-').unwrap_or(number);
    let digits = |part: &str| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit());
    let number_ok = match number.split_once('.') {
        Some((whole, fraction)) => digits(whole) && digits(fraction),
        None => digits(number),
    };
    number_ok && matches!(unit, "ms" | "s" | "m" | "h" | "d" | "w")
}

/// `int | str | null` counts: a positive integer, or `""` for "no limit".
fn optional_count(value: Option<&Value>) -> Option<Value> {
    match value {
        None | Some(Value::Null) => Some(json!("")),
        Some(Value::String(s)) if s.is_empty() => Some(json!("")),
        Some(Value::String(s)) => s
            .trim()
            .parse::<i64>()
            .ok()
            .map(|n| if n == 0 { json!("") } else { json!(n) }),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(|n| if n == 0 { json!("") } else { json!(n) }),
        Some(_) => None,
    }
}

/// Translation overrides `{locale: {key: text}}`: keeps non-empty texts, refuses
/// prototype-polluting names.
fn clean_i18n(value: Option<&Value>) -> Option<Value> {
    const UNSAFE: [&str; 3] = ["__proto__", "prototype", "constructor"];
    let Value::Object(locales) = value? else {
        return None;
    };
    let mut cleaned = Map::new();
    for (locale, entries) in locales {
        let Value::Object(entries) = entries else {
            return None;
        };
        if locale.trim().is_empty() || UNSAFE.contains(&locale.as_str()) {
            return None;
        }
        let mut kept = Map::new();
        for (key, text) in entries {
            let text = text.as_str()?;
            if key.trim().is_empty() || UNSAFE.contains(&key.as_str()) {
                return None;
            }
            if !text.trim().is_empty() {
                kept.insert(key.clone(), json!(text));
            }
        }
        if !kept.is_empty() {
            cleaned.insert(locale.clone(), Value::Object(kept));
        }
    }
    Some(Value::Object(cleaned))
}

/// The body of `POST /api/v1/auths/admin/config`, as [`set_admin_config`] checks it.
pub struct AdminConfigForm;

impl utoipa::PartialSchema for AdminConfigForm {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::Type;
        let required: Vec<(&str, Type)> = REQUIRED_BOOLS
            .iter()
            .filter(|field| !ONLY_IF_SENT.contains(field))
            .map(|field| (*field, Type::Boolean))
            .chain(REQUIRED_STRINGS.iter().map(|field| (*field, Type::String)))
            .collect();
        let optional: Vec<(&str, Type)> = REQUIRED_BOOLS
            .iter()
            .filter(|field| ONLY_IF_SENT.contains(field))
            .map(|field| (*field, Type::Boolean))
            .collect();
        crate::body_schema::typed_object(&required, &optional)
    }
}

impl utoipa::ToSchema for AdminConfigForm {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_admin_durations_and_counts() {
        for ok in ["-1", "0", "4w", "12h", "1.5d", "500ms"] {
            assert!(valid_single_duration(ok), "{ok}");
        }
        for bad in ["", "4", "1h30m", "abc", "w", "4x"] {
            assert!(!valid_single_duration(bad), "{bad}");
        }
        assert_eq!(optional_count(Some(&json!("12"))), Some(json!(12)));
        assert_eq!(optional_count(Some(&json!(""))), Some(json!("")));
        assert_eq!(optional_count(Some(&json!("x"))), None);
        assert_eq!(
            clean_i18n(Some(&json!({"de": {"Hi": "Hallo", "x": " "}}))),
            Some(json!({"de": {"Hi": "Hallo"}}))
        );
        assert_eq!(clean_i18n(Some(&json!({"__proto__": {}}))), None);
    }
}
