//! The `GET /api/config` document. Its bodies depend only on the configuration and the
//! caller's role, so they are serialized once per configuration change and served as bytes.

use bytes::Bytes;
use hearth_domain::config::ConfigSnapshot;
use hearth_domain::permissions;
use hearth_settings::Settings;
use serde_json::{Map, Value, json};

/// Open WebUI version whose API Hearth implements (the web client checks it).
pub const COMPATIBLE_VERSION: &str = "0.12.4";

/// Pre-serialized `/api/config` bodies.
#[derive(Debug, Clone)]
pub struct PublicConfigBodies {
    /// For anonymous callers once users exist.
    pub anonymous: Bytes,
    /// For anonymous callers on a fresh install (`onboarding: true`).
    pub onboarding: Bytes,
    /// For pending users.
    pub pending: Bytes,
    /// For users and admins.
    pub verified: Bytes,
}

impl PublicConfigBodies {
    /// Serializes every variant from one snapshot.
    pub fn build(config: &ConfigSnapshot, settings: &Settings) -> Self {
        let to_bytes = |value: Value| Bytes::from(serde_json::to_vec(&value).unwrap_or_default());
        Self {
            anonymous: to_bytes(document(
                config,
                settings,
                Caller::Anonymous { onboarding: false },
            )),
            onboarding: to_bytes(document(
                config,
                settings,
                Caller::Anonymous { onboarding: true },
            )),
            pending: to_bytes(document(config, settings, Caller::Pending)),
            verified: to_bytes(document(config, settings, Caller::Verified)),
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Caller {
    Anonymous { onboarding: bool },
    Pending,
    Verified,
}

fn document(config: &ConfigSnapshot, settings: &Settings, caller: Caller) -> Value {
    let mut doc = Map::new();
    if caller == (Caller::Anonymous { onboarding: true }) {
        doc.insert("onboarding".into(), json!(true));
    }
    doc.insert("status".into(), json!(true));
    doc.insert("name".into(), json!(settings.webui_name));
    doc.insert("version".into(), json!(COMPATIBLE_VERSION));
    doc.insert(
        "default_locale".into(),
        json!(config.text("ui.default_locale").unwrap_or_default()),
    );
    doc.insert("i18n".into(), or_empty_object(config.value("ui.i18n")));
    doc.insert(
        "oauth".into(),
        json!({
            "providers": crate::sso::providers(config, settings)
                .into_iter()
                .map(|p| (p.name.to_owned(), json!(p.label)))
                .collect::<Map<String, Value>>(),
            "auto_redirect": config.flag("oauth.auto_redirect"),
        }),
    );
    let mut features = public_features(config, settings);
    match caller {
        Caller::Verified => {
            features.extend(member_features(config, settings));
            doc.insert("features".into(), Value::Object(features));
            doc.extend(member_sections(config));
        }
        Caller::Pending => {
            features.extend(member_features(config, settings));
            doc.insert("features".into(), Value::Object(features));
            doc.insert("ui".into(), pending_overlay(config));
        }
        Caller::Anonymous { .. } => {
            doc.insert("features".into(), Value::Object(features));
        }
    }
    Value::Object(doc)
}

fn public_features(config: &ConfigSnapshot, settings: &Settings) -> Map<String, Value> {
    let mut features = json!({
        "slim": false,
        "auth": settings.accounts.webui_auth,
        "auth_trusted_header": hearth_settings::non_empty(&settings.accounts.trusted_email_header).is_some(),
        "enable_signup_password_confirmation": settings.accounts.enable_signup_password_confirmation,
        "enable_ldap": config.flag("ldap.enable"),
        "enable_signup": config.flag("ui.enable_signup"),
        "enable_login_form": config.flag("ui.enable_login_form"),
        "enable_websocket": settings.sockets.engine.websocket,
    });
    if let (Some(interval), Value::Object(map)) =
        (settings.sockets.heartbeat_interval, &mut features)
    {
        map.insert(
            "websocket_heartbeat_interval".into(),
            json!(interval.clamp(5, 90)),
        );
    }
    match features {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Features Hearth does not implement yet: reported off whatever the stored settings say, so
/// the web client does not offer them.
const UNAVAILABLE_FEATURES: [&str; 14] = [
    "enable_direct_connections",
    "enable_direct_integrations",
    "enable_plugins",
    "enable_tools",
    "enable_functions",
    "enable_tool_servers",
    "enable_channels",
    "enable_encrypted_channels",
    "enable_apps",
    "enable_calendar",
    "enable_automations",
    "enable_notes",
    "enable_memories",
    "enable_subagents",
];

/// Features that read one boolean config key.
const FLAG_FEATURES: [(&str, &str); 30] = [
    ("enable_api_keys", "auth.enable_api_keys"),
    (
        "enable_password_change_form",
        "ui.enable_password_change_form",
    ),
    ("enable_direct_connections", "direct.enable"),
    ("enable_direct_integrations", "direct.integrations.enable"),
    ("enable_folders", "folders.enable"),
    ("enable_channels", "channels.enable"),
    ("enable_encrypted_channels", "channels.encryption.enable"),
    ("enable_apps", "apps.enable"),
    ("enable_calendar", "calendar.enable"),
    ("enable_automations", "automations.enable"),
    ("enable_notes", "notes.enable"),
    (
        "enable_context_compaction",
        "chat.context_compaction.enable",
    ),
    ("enable_tool_permissions", "chat.tool_permissions.enable"),
    ("enable_web_search", "web.search.enable"),
    (
        "enable_web_search_confirmation",
        "web.search.confirmation.enable",
    ),
    ("enable_code_execution", "code_execution.enable"),
    ("enable_code_interpreter", "code_interpreter.enable"),
    ("enable_image_generation", "image_generation.enable"),
    ("enable_autocomplete_generation", "task.autocomplete.enable"),
    ("enable_title_generation", "task.title.enable"),
    ("enable_follow_up_generation", "task.follow_up.enable"),
    ("enable_tags_generation", "task.tags.enable"),
    ("enable_community_sharing", "ui.enable_community_sharing"),
    ("enable_message_rating", "ui.enable_message_rating"),
    ("enable_user_webhooks", "ui.enable_user_webhooks"),
    ("enable_user_status", "users.enable_status"),
    ("enable_google_drive_integration", "google_drive.enable"),
    ("enable_onedrive_integration", "onedrive.enable"),
    ("enable_memories", "memories.enable"),
    ("enable_subagents", "subagents.enable"),
];

fn member_features(config: &ConfigSnapshot, settings: &Settings) -> Map<String, Value> {
    let mut features: Map<String, Value> = FLAG_FEATURES
        .iter()
        .map(|(name, key)| ((*name).to_owned(), json!(config.flag(key))))
        .collect();
    let fixed = [
        ("enable_version_update_check", json!(false)),
        ("enable_pyodide_file_persistence", json!(false)),
        (
            "enable_public_active_users_count",
            json!(settings.sockets.public_active_users_count),
        ),
        ("enable_easter_eggs", json!(true)),
        ("enable_plugins", json!(true)),
        ("enable_tools", json!(true)),
        ("enable_functions", json!(true)),
        ("enable_tool_servers", json!(true)),
        ("enable_terminal_servers", json!(false)),
        (
            "folder_max_file_count",
            config.value("folders.max_file_count"),
        ),
        (
            "web_search_confirmation_content",
            config.value("web.search.confirmation.content"),
        ),
        ("enable_admin_export", json!(true)),
        ("enable_admin_chat_access", json!(true)),
        ("enable_admin_analytics", json!(true)),
    ];
    features.extend(
        fixed
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value)),
    );
    for name in UNAVAILABLE_FEATURES {
        features.insert(name.to_owned(), json!(false));
    }
    features
}

fn member_sections(config: &ConfigSnapshot) -> Map<String, Value> {
    let v = |key: &str| config.value(key);
    let sections = json!({
        "default_models": v("ui.default_models"),
        "default_pinned_models": v("ui.default_pinned_models"),
        "default_prompt_suggestions": v("ui.prompt_suggestions"),
        "default_prompt_suggestions_i18n": v("ui.prompt_suggestions_i18n"),
        "code": {"engine": v("code_execution.engine"), "interpreter_engine": v("code_interpreter.engine")},
        "audio": {
            "realtime": {"enabled": v("audio.realtime.enabled"), "model": v("audio.realtime.model"), "voice": v("audio.realtime.voice")},
            "tts": {"engine": v("audio.tts.engine"), "voice": v("audio.tts.voice"), "split_on": v("audio.tts.split_on")},
            "stt": {"engine": v("audio.stt.engine")},
        },
        "file": {
            "max_size": v("rag.file.max_size"),
            "max_count": v("rag.file.max_count"),
            "image_compression": {"width": v("file.image_compression_width"), "height": v("file.image_compression_height")},
        },
        "permissions": permissions::effective(config.get("user.permissions")),
        "google_drive": {"client_id": "", "api_key": ""},
        "onedrive": {"client_id_personal": "", "client_id_business": "", "sharepoint_url": "", "sharepoint_tenant_id": ""},
        "ui": {
            "default_interface_settings": v("ui.default_interface_settings"),
            "visibility": v("ui.visibility"),
            "pending_user_overlay_title": v("ui.pending_user_overlay_title"),
            "pending_user_overlay_content": v("ui.pending_user_overlay_content"),
            "response_watermark": v("ui.watermark"),
            "iframe_csp": Value::Null,
        },
        "license_metadata": Value::Null,
    });
    match sections {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn pending_overlay(config: &ConfigSnapshot) -> Value {
    json!({
        "pending_user_overlay_title": config.value("ui.pending_user_overlay_title"),
        "pending_user_overlay_content": config.value("ui.pending_user_overlay_content"),
    })
}

fn or_empty_object(value: Value) -> Value {
    if value.is_object() { value } else { json!({}) }
}
