//! The caller's settings document.

use crate::App;
use crate::error::{ServiceError, ServiceResult};
use hearth_domain::config::keys;
use hearth_domain::permissions::allows;
use hearth_domain::text::strip_nul_json;
use hearth_domain::time::now_epoch;
use hearth_domain::{Role, User};
use serde_json::{Map, Value, json};

/// Fields of the Interface settings panel (kept from users without `settings.interface`).
const INTERFACE_FIELDS: [&str; 62] = [
    "autoTags",
    "autoFollowUps",
    "highContrastMode",
    "detectArtifacts",
    "responseAutoCopy",
    "showUsername",
    "showUpdateToast",
    "showChangelog",
    "showEmojiInCall",
    "voiceInterruption",
    "displayMultiModelResponsesInTabs",
    "chatFadeStreamingText",
    "richTextInput",
    "showFormattingToolbar",
    "insertPromptAsRichText",
    "promptAutocomplete",
    "insertSuggestionPrompt",
    "keepFollowUpPrompts",
    "insertFollowUpPrompt",
    "regenerateMenu",
    "enableMessageQueue",
    "largeTextAsFile",
    "copyFormatted",
    "collapseCodeBlocks",
    "renderMarkdownInUserMessages",
    "renderMarkdownInAssistantMessages",
    "expandDetails",
    "chatHoverPreview",
    "renderMarkdownInPreviews",
    "chatBubble",
    "widescreenMode",
    "splitLargeChunks",
    "scrollOnBranchChange",
    "scrollOnResponseGeneration",
    "showFilesOnTerminalSelect",
    "temporaryChatByDefault",
    "userLocation",
    "showChatTitleInTab",
    "iframeSandboxAllowScripts",
    "iframeSandboxAllowSameOrigin",
    "iframeSandboxAllowForms",
    "iframeSandboxAllowDownloads",
    "terminalPreviewAllowSameOrigin",
    "stylizedPdfExport",
    "hapticFeedback",
    "ctrlEnterToSend",
    "showFloatingActionButtons",
    "imageCompression",
    "imageCompressionInChannels",
    "landingPageMode",
    "chatDirection",
    "terminalFileDisplay",
    "defaultUploadContext",
    "webSearch",
    "models",
    "backgroundImageUrl",
    "fontFamily",
    "textScale",
    "title",
    "imageCompressionSize",
    "floatingActionButtons",
    "notificationSound",
];

/// The caller's settings (`null` when none), with the admin's interface defaults under `ui`
/// unless `raw=true`.
pub fn get_settings(app: &App, user: &User, raw: bool) -> Value {
    let stored = user.settings.clone().unwrap_or(Value::Null);
    let view = app.config.view();
    let defaults = view.snapshot.get(keys::DEFAULT_INTERFACE_SETTINGS);
    let Some(Value::Object(defaults)) =
        defaults.filter(|d| d.as_object().is_some_and(|m| !m.is_empty()))
    else {
        return stored;
    };
    if raw {
        return stored;
    }
    let mut settings = match stored {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    let ui = match settings.remove("ui") {
        Some(Value::Object(ui)) => ui,
        _ => Map::new(),
    };
    settings.insert(
        "ui".into(),
        Value::Object(merge_defaults(defaults.clone(), ui)),
    );
    Value::Object(settings)
}

/// Saves settings: top-level keys are replaced; keys under `ui` are patched one by one
/// (`null` removes a key). Returns the stored settings.
pub async fn update_settings(
    app: &App,
    user: &User,
    form: Map<String, Value>,
) -> ServiceResult<Value> {
    let mut update = form;
    strip_forbidden(app, user, &mut update);
    let mut settings = match user.settings.clone() {
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    };
    let ui_update = update.remove("ui");
    settings.extend(update);
    match ui_update {
        Some(Value::Object(fields)) => {
            let mut ui = match settings.remove("ui") {
                Some(Value::Object(ui)) => ui,
                _ => Map::new(),
            };
            for (key, value) in fields {
                if value.is_null() {
                    ui.remove(&key);
                } else {
                    ui.insert(key, value);
                }
            }
            settings.insert("ui".into(), Value::Object(ui));
        }
        Some(Value::Null) | None => {}
        Some(_) => return Err(ui_not_object()),
    }
    let mut settings = Value::Object(settings);
    strip_nul_json(&mut settings);
    let saved = app
        .storage
        .users()
        .set_settings(&user.id, &settings, now_epoch())
        .await?;
    Ok(saved.settings.unwrap_or(Value::Null))
}

fn ui_not_object() -> ServiceError {
    ServiceError::Validation(
        json!([{"type": "dict_type", "loc": ["body", "ui"], "msg": "Input should be a valid dictionary"}]),
    )
}

/// Drops settings the user has no permission to change (admins keep everything).
fn strip_forbidden(app: &App, user: &User, update: &mut Map<String, Value>) {
    if user.role == Role::Admin {
        return;
    }
    let view = app.config.view();
    let may = |key: &str| allows(&view.permissions, key);
    if let Some(Value::Object(ui)) = update.get_mut("ui") {
        if !may("settings.interface") {
            INTERFACE_FIELDS.iter().for_each(|field| {
                ui.remove(*field);
            });
        }
        if !(may("chat.controls") && may("chat.system_prompt")) {
            ui.remove("system");
        }
        if !may("features.direct_tool_servers") {
            ui.remove("toolServers");
        }
        if !may("features.webhooks")
            && let Some(Value::Object(notifications)) = ui.get_mut("notifications")
        {
            notifications.remove("webhook_url");
        }
    }
    if !may("features.webhooks") {
        update.remove("notifications");
    }
}

/// Defaults first, the user's values on top (recursively for nested objects; `null` skipped).
fn merge_defaults(
    mut defaults: Map<String, Value>,
    settings: Map<String, Value>,
) -> Map<String, Value> {
    for (key, value) in settings {
        if value.is_null() {
            continue;
        }
        let merged = match (defaults.remove(&key), value) {
            (Some(Value::Object(d)), Value::Object(v)) => Value::Object(merge_defaults(d, v)),
            (_, v) => v,
        };
        defaults.insert(key, merged);
    }
    defaults
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_defaults_under_user_values() {
        let defaults = json!({"a": 1, "n": {"x": 1, "y": 2}})
            .as_object()
            .cloned()
            .unwrap_or_default();
        let user = json!({"n": {"y": 3}, "b": 2, "c": null})
            .as_object()
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            Value::Object(merge_defaults(defaults, user)),
            json!({"a": 1, "b": 2, "n": {"x": 1, "y": 3}})
        );
    }
}
