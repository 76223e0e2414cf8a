//! User permissions: Open WebUI's nested `{section: {name: bool}}` document, the defaults a
//! fresh install grants, and lookups by dotted key (`features.api_keys`).

use serde_json::{Map, Value, json};

/// The permissions a fresh install grants every user (config key `user.permissions`).
pub fn default_permissions() -> Value {
    json!({
        "workspace": {
            "models": false, "knowledge": false, "prompts": false, "tools": false, "skills": false,
            "models_import": false, "models_export": false, "models_hidden": false,
            "prompts_import": false, "prompts_export": false, "tools_import": false,
            "tools_export": false, "skills_import": false, "skills_export": false
        },
        "sharing": {
            "models": false, "public_models": false, "knowledge": false, "public_knowledge": false,
            "prompts": false, "public_prompts": false, "tools": false, "public_tools": false,
            "skills": false, "public_skills": false, "notes": false, "public_notes": false,
            "folders": false, "public_chats": false, "open_chats": false, "public_calendars": false
        },
        "access_grants": {"allow_users": true, "allow_groups": true},
        "chat": {
            "controls": true, "valves": true, "system_prompt": true, "params": true,
            "file_upload": true, "web_upload": true, "delete": true, "delete_message": true,
            "continue_response": true, "regenerate_response": true, "rate_response": true,
            "edit": true, "share": true, "export": true, "import": true, "stt": true, "tts": true,
            "call": true, "multiple_models": true, "temporary": true, "temporary_enforced": false
        },
        "features": {
            "api_keys": false, "notes": true, "folders": true, "channels": true,
            "encrypted_channels": false, "direct_tool_servers": false, "web_search": true,
            "image_generation": true, "code_interpreter": true, "memories": true,
            "automations": false, "calendar": true, "webhooks": false
        },
        "settings": {"interface": true}
    })
}

/// Fills keys missing from `permissions` with the values of `defaults`, recursively.
/// Keys present in `permissions` win, even where `defaults` has no such key.
pub fn fill_missing(permissions: &mut Value, defaults: &Value) {
    let (Value::Object(target), Value::Object(source)) = (permissions, defaults) else {
        return;
    };
    for (key, default) in source {
        match target.get_mut(key) {
            None => {
                target.insert(key.clone(), default.clone());
            }
            Some(existing) if existing.is_object() && default.is_object() => {
                fill_missing(existing, default);
            }
            Some(_) => {}
        }
    }
}

/// The effective permissions from the configured defaults (`user.permissions`), completed
/// with [`default_permissions`] where the configuration is silent.
pub fn effective(configured: Option<&Value>) -> Value {
    let mut permissions = match configured {
        Some(Value::Object(map)) => Value::Object(map.clone()),
        _ => Value::Object(Map::new()),
    };
    fill_missing(&mut permissions, &default_permissions());
    permissions
}

/// Looks up a dotted key (`chat.delete`) and reads it as a boolean; a missing key denies.
pub fn allows(permissions: &Value, dotted_key: &str) -> bool {
    let mut current = permissions;
    for part in dotted_key.split('.') {
        match current.get(part) {
            Some(next) => current = next,
            None => return false,
        }
    }
    truthy(current)
}

fn truthy(value: &Value) -> bool {
    match value {
        Value::Bool(flag) => *flag,
        Value::Null => false,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_values_win_and_gaps_are_filled() {
        let configured = json!({"features": {"api_keys": true}, "extra": {"x": true}});
        let permissions = effective(Some(&configured));
        assert!(allows(&permissions, "features.api_keys"));
        assert!(allows(&permissions, "features.notes"));
        assert!(allows(&permissions, "extra.x"));
        assert!(!allows(&permissions, "workspace.models"));
        assert!(!allows(&permissions, "no.such.key"));
    }

    #[test]
    fn defaults_deny_api_keys() {
        assert!(!allows(&effective(None), "features.api_keys"));
        assert!(allows(&effective(None), "chat.import"));
    }
}
